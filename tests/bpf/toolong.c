/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Invalid: expensive.c's work, 560 rounds (over 5000 instructions), past
 * the 4096-instruction limit.  Nothing else is wrong with it.
 */

#include "slicepath_bpf.h"
#include "unrolled.h"

SEC("toolong")
uint64_t
too_many_rounds(void *pkt)
{
	uint64_t x = load_word(pkt, 0) | 1;

	ROUNDS_100(x);
	ROUNDS_100(x);
	ROUNDS_100(x);
	ROUNDS_100(x);
	ROUNDS_100(x);
	ROUNDS_10(x);
	ROUNDS_10(x);
	ROUNDS_10(x);
	ROUNDS_10(x);
	ROUNDS_10(x);
	ROUNDS_10(x);
	return x == 0x5bd1e995 ? SP_BPF_NO_MATCH : SP_BPF_MATCH;
}
