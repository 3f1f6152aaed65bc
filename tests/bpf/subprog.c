/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Invalid: a bpf-to-bpf call (a function in .text the compiler may not
 * inline).  Programs are one function.
 */

#include "slicepath_bpf.h"

static __attribute__((noinline)) uint64_t
is_udp(void *pkt)
{
	return load_byte(pkt, 9) == 17;
}

SEC("subprog")
uint64_t
call_subprog(void *pkt)
{
	return is_udp(pkt) ? SP_BPF_MATCH : SP_BPF_NO_MATCH;
}
