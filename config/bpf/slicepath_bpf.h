/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SLICEPATH_BPF_H
#define SLICEPATH_BPF_H

/*
 * The ABI of a slicepath slice program (docs/bpf.md).
 *
 *   SEC("classify") uint64_t classify(void *pkt) { ... }
 *
 * compiled with
 *
 *   clang -O2 -target bpf -ffreestanding -I <this directory> -c prog.c -o prog.o
 *
 * 'pkt' is the slice's own packet (the overlay UDP payload; for an ipv4
 * slice, the inner IPv4 packet), read-only: read it with load_byte(),
 * load_half() and load_word(), which return network-order fields in host
 * order and end the program with 0 (no match) past the packet's end.  Any
 * other access through 'pkt' is refused when the program is uploaded.
 * No loops, maps, global data, calls between BPF functions (use static
 * inline), or functions other than those below.
 */

#include <stdint.h>

#define SEC(name) __attribute__((section(name), used))

/* BPF_LD_ABS / BPF_LD_IND: packet bytes at 'off'. */
unsigned long long load_byte(void *pkt, unsigned long long off)
	__asm__("llvm.bpf.load.byte");
unsigned long long load_half(void *pkt, unsigned long long off)
	__asm__("llvm.bpf.load.half");
unsigned long long load_word(void *pkt, unsigned long long off)
	__asm__("llvm.bpf.load.word");

/* The allowlist, called by index (index 0 is reserved). */
static uint64_t (*const sp_packet_len)(void *pkt) = (void *)1;

/* Return values. */
#define SP_BPF_NO_MATCH 0ULL            /* filter stage: drop, "filtered" */
#define SP_BPF_MATCH 1ULL               /* go on to lookup */
/* Match, and send a forwarded packet to the slice's queue 'q' when that
 * queue is on the forward's output binding. */
#define SP_BPF_QUEUE(q) ((1ULL << 32) | (uint32_t)(q))

#endif /* SLICEPATH_BPF_H */
