/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Straight-line busy work for expensive.c and toolong.c: rounds of a
 * xorshift on a value read from the packet, so the compiler can neither
 * fold them nor (there being no loop) roll them up.  A round is nine BPF
 * instructions.
 */

#ifndef TESTS_BPF_UNROLLED_H
#define TESTS_BPF_UNROLLED_H

#define ROUND(x) do { (x) ^= (x) << 13; (x) ^= (x) >> 7; (x) ^= (x) << 17; } while (0)
#define ROUNDS_10(x) ROUND(x); ROUND(x); ROUND(x); ROUND(x); ROUND(x); \
	ROUND(x); ROUND(x); ROUND(x); ROUND(x); ROUND(x)
#define ROUNDS_100(x) ROUNDS_10(x); ROUNDS_10(x); ROUNDS_10(x); ROUNDS_10(x); \
	ROUNDS_10(x); ROUNDS_10(x); ROUNDS_10(x); ROUNDS_10(x); ROUNDS_10(x); \
	ROUNDS_10(x)

#endif /* TESTS_BPF_UNROLLED_H */
