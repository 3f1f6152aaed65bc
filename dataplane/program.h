/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_PROGRAM_H
#define SP_DP_PROGRAM_H

/*
 * A slice's eBPF program on the packet path.
 *
 * The control plane loads and verifies the program (control/program.h);
 * the slice table points at it.  A program sees one packet at a time, the
 * slice's own packet (the overlay UDP payload), through an mbuf whose data
 * window the worker narrows to that payload for the call and restores
 * after.  For an uploaded ELF program the verifier was told the mbuf has
 * size 0, so the program cannot touch the mbuf itself: it reads packet
 * bytes only with BPF_LD_ABS/IND, which are bounds-checked and read-only.
 * (A pcap filter, which the node itself converts from classic BPF, may
 * also read the mbuf's pkt_len, for "len".)
 *
 * Each worker gives each slice a token bucket of program cycles, refilled
 * at the slice's reserved rate: a burst of a slice whose bucket is empty is
 * dropped before its program runs, so an expensive program slows only its
 * own slice.  Cycles are measured with one TSC read either side of a burst.
 */

#include <stdint.h>

#include <rte_bpf.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dataplane/dp.h"
#include "dataplane/meta.h"

/* Return values (docs/bpf.md): 0 no match, 1 match, or a match that picks
 * one of the slice's queues. */
#define DP_PROG_NO_MATCH 0
#define DP_PROG_MATCH 1
#define DP_PROG_QUEUE_FLAG (UINT64_C(1) << 32)

/* The bucket holds this much of the reserved rate. */
#define DP_PROG_BUDGET_US 10000

/* Buckets count cycles in fixed point, so that refills of a fraction of a
 * cycle add up. */
#define DP_PROG_FRAC_BITS 16

/* What a program may be charged per packet: it has no loops, so it runs at
 * most its instructions once, and none takes more than this many cycles.
 * A burst during which the worker was descheduled is not charged more. */
#define DP_PROG_CYCLES_PER_INS 64
#define DP_PROG_CYCLES_PER_RUN 1024

struct dp_program {
	struct rte_bpf *bpf;
	uint64_t (*jit)(void *);        /* NULL: run in the interpreter */
	uint32_t nb_ins;
	uint32_t max_cycles;            /* the most a run can take, see above */
	bool match_only;                /* a pcap filter: any non-zero result
					 * (its snap length) means 1 */
	uint32_t refcnt;                /* control plane only */
};

/* A worker's program cycle bucket for one slice slot. */
struct dp_prog_budget {
	int64_t tokens;                 /* cycles it may still spend, fixed point */
	uint64_t last;                  /* TSC of the last refill */
	uint32_t serial;                /* the slice it is for */
};

/* The budget as the slice table carries it. */
struct dp_prog_rate {
	uint64_t per_tsc;               /* reserved cycles per TSC cycle, << 32 */
	int64_t depth;                  /* bucket size in cycles, fixed point */
};

/* Refills b, the bucket of the slice 'serial', at 'rate' up to 'now'; true
 * if it has cycles to spend.  A slot's new slice starts with a full bucket,
 * not with its predecessor's debt. */
static inline bool
dp_prog_budget_ok(struct dp_prog_budget *b, uint32_t serial,
		  const struct dp_prog_rate *rate, uint64_t now)
{
	uint64_t elapsed = now - b->last;

	if (unlikely(b->serial != serial)) {
		b->serial = serial;
		b->tokens = rate->depth;
		b->last = now;
		return rate->depth > 0;
	}

	/* Past a full bucket's time the exact amount no longer matters, and
	 * the cap keeps the product below 2^64. */
	if (elapsed > rte_get_tsc_hz())
		elapsed = rte_get_tsc_hz();
	b->tokens += (int64_t)((elapsed * rate->per_tsc) >> (32 - DP_PROG_FRAC_BITS));
	if (b->tokens > rate->depth)
		b->tokens = rate->depth;
	b->last = now;
	return b->tokens > 0;
}

/* Takes what a burst of n packets took from b, at most what they could
 * have taken. */
static inline void
dp_prog_budget_charge(struct dp_prog_budget *b, const struct dp_program *prog,
		      uint16_t n, uint64_t cycles)
{
	cycles = RTE_MIN(cycles, (uint64_t)prog->max_cycles * n);
	b->tokens -= (int64_t)(cycles << DP_PROG_FRAC_BITS);
}

/*
 * Runs 'prog' on each of the n <= SP_BURST packets (accepted by demux,
 * single segment), writing its return values to rc[].  The packets' data windows
 * are narrowed to their UDP payloads for the call.  Returns the TSC cycles
 * the burst took.
 */
static inline uint64_t
dp_program_run(const struct dp_program *prog, struct rte_mbuf **pkts, uint16_t n,
	       uint64_t *rc)
{
	uint16_t data_off[SP_BURST], data_len[SP_BURST];
	uint32_t pkt_len[SP_BURST];
	uint64_t start;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint16_t hdr = dp_l4_offset(m) + sizeof(struct rte_udp_hdr);
		const struct rte_udp_hdr *udp =
			rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, dp_l4_offset(m));
		uint16_t len = dp_be16_to_cpu(udp->dgram_len) - sizeof(*udp);

		data_off[i] = m->data_off;
		data_len[i] = m->data_len;
		pkt_len[i] = m->pkt_len;
		m->data_off += hdr;
		m->data_len = len;
		m->pkt_len = len;
	}
	start = rte_rdtsc();
	if (prog->jit != NULL)
		for (uint16_t i = 0; i < n; i++)
			rc[i] = prog->jit(pkts[i]);
	else
		rte_bpf_exec_burst(prog->bpf, (void **)pkts, rc, n);
	start = rte_rdtsc() - start;
	if (prog->match_only)
		for (uint16_t i = 0; i < n; i++)
			rc[i] = rc[i] != 0;
	for (uint16_t i = 0; i < n; i++) {
		pkts[i]->data_off = data_off[i];
		pkts[i]->data_len = data_len[i];
		pkts[i]->pkt_len = pkt_len[i];
	}
	return start;
}

#endif /* SP_DP_PROGRAM_H */
