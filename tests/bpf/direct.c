/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Invalid: reading ("read") or writing ("write") the packet through the
 * pointer instead of load_byte/half/word.  The verifier knows the pointer
 * as 0 bytes long, so either access is a memory boundary violation.
 */

#include "slicepath_bpf.h"

SEC("read")
uint64_t
read_direct(void *pkt)
{
	return *(volatile uint32_t *)pkt == 0x45000000 ? SP_BPF_MATCH : SP_BPF_NO_MATCH;
}

SEC("write")
uint64_t
write_direct(void *pkt)
{
	*(volatile uint8_t *)pkt = 0x46;
	return SP_BPF_MATCH;
}
