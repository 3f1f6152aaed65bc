/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Valid but expensive: about 3000 instructions run for every packet
 * (330 unrolled rounds, no loop), under the 4096-instruction limit.  It
 * matches every packet whose first word does not hash to one value, which
 * no packet of the tests does; the comparison keeps the work alive.
 */

#include "slicepath_bpf.h"
#include "unrolled.h"

SEC("expensive")
uint64_t
hash_rounds(void *pkt)
{
	uint64_t x = load_word(pkt, 0) | 1;

	ROUNDS_100(x);
	ROUNDS_100(x);
	ROUNDS_100(x);
	ROUNDS_10(x);
	ROUNDS_10(x);
	ROUNDS_10(x);
	return x == 0x5bd1e995 ? SP_BPF_NO_MATCH : SP_BPF_MATCH;
}
