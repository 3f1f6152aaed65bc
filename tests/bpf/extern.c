/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Invalid: calls an extern function the node does not provide (the name
 * must appear in the refusal).  Only sp_packet_len is allowed.
 */

#include "slicepath_bpf.h"

extern uint64_t forbidden_function(uint64_t x);

SEC("extern")
uint64_t
call_extern(void *pkt)
{
	return forbidden_function(load_byte(pkt, 0));
}
