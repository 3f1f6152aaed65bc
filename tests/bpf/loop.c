/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Invalid: a loop (a backward jump), bounded by a byte of the packet so
 * the compiler cannot unroll it.  DPDK's verifier refuses any loop.
 */

#include "slicepath_bpf.h"

SEC("loop")
uint64_t
sum_header(void *pkt)
{
	uint64_t n = load_byte(pkt, 0) & 0xf;
	uint64_t sum = 0;

#pragma clang loop unroll(disable) vectorize(disable)
	for (uint64_t i = 0; i < n; i++)
		sum += load_byte(pkt, 4 * i);
	return sum != 0 ? SP_BPF_MATCH : SP_BPF_NO_MATCH;
}
