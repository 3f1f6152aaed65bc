/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_STATS_H
#define SP_DP_STATS_H

/*
 * Packet-path counters.
 *
 * Concurrency: each worker lcore owns one struct dp_lcore_stats and is the
 * only thread that writes it (plain relaxed stores, no atomics on the fast
 * path).  The control plane reads every worker's copy with relaxed atomic
 * loads and adds them up on demand.  Counter slots are reused when slices
 * and bindings are deleted; the control plane keeps a baseline per object so
 * that a new object starts from zero without a worker ever being asked to
 * reset anything.
 */

#include <stdint.h>

#include <rte_common.h>

#include "dataplane/dp.h"

/* Drops that happen before a packet belongs to a slice. */
#define DP_NODE_DROPS(X)                                                     \
	X(NOT_IPV4, "not_ipv4", "not an IPv4 frame (ARP, IPv6, ...)")           \
	X(NOT_UDP, "not_udp", "IPv4 but not UDP")                               \
	X(TRUNCATED, "truncated", "frame shorter than its headers say")         \
	X(MALFORMED, "malformed",                                                \
	  "bad IPv4 version, header length, checksum or UDP length")           \
	X(FRAGMENT, "fragment", "IPv4 fragment (the node does not reassemble)") \
	X(NO_BINDING, "no_binding",                                              \
	  "no binding for (port, IPv4 destination, UDP destination port)")     \
	X(ORPHANED, "orphaned", "its slice was deleted while it was queued")

/* Drops accounted to the slice the packet was demultiplexed to. */
#define DP_SLICE_DROPS(X)                                                    \
	X(NO_ROUTE, "no_route", "no filter, route or default action matched")  \
	X(TTL_EXPIRED, "ttl_expired", "inner IPv4 TTL reached zero")            \
	X(QUEUE_FULL, "queue_full", "output queue at its limit")                \
	X(POLICED, "policed", "over the slice's reserved input rate")           \
	X(MALFORMED, "malformed", "inner packet rejected by the code option")   \
	X(DROPPED, "dropped", "a drop action matched")                          \
	X(EXCEPTION, "exception", "sent to the exception path")                 \
	X(TX_FULL, "tx_full", "output port's transmit ring was full")          \
	X(FLUSHED, "flushed", "its queue or binding was removed while it waited") \
	X(FILTERED, "filtered", "the slice's program did not match it")        \
	X(OVER_BUDGET, "over_budget",                                            \
	  "the slice's program had spent its reserved cycles")

#define DP_ENUM_NODE(sym, name, help) DP_NODE_DROP_##sym,
enum dp_node_drop { DP_NODE_DROPS(DP_ENUM_NODE) DP_NODE_DROP_MAX };
#undef DP_ENUM_NODE

#define DP_ENUM_SLICE(sym, name, help) DP_SLICE_DROP_##sym,
enum dp_slice_drop { DP_SLICE_DROPS(DP_ENUM_SLICE) DP_SLICE_DROP_MAX };
#undef DP_ENUM_SLICE

/* JSON names of the reasons, indexed by the enums above. */
extern const char *const dp_node_drop_names[DP_NODE_DROP_MAX];
extern const char *const dp_slice_drop_names[DP_SLICE_DROP_MAX];

/* Latency through the node, rx to tx: bucket b counts packets that took
 * [2^b, 2^(b+1)) TSC cycles (bucket 0 also takes 0 and 1). */
#define DP_LAT_BUCKETS 40

/* Traffic through one binding. */
struct dp_counters {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t tx_packets;
	uint64_t tx_bytes;
};

/* A slice's program: the packets it ran on and the TSC cycles they took. */
struct dp_prog_counters {
	uint64_t packets;
	uint64_t cycles;
};

/* One worker's counters; written by that worker only. */
struct dp_lcore_stats {
	uint64_t node_drops[DP_NODE_DROP_MAX];
	uint64_t slice_drops[SP_MAX_SLICES][DP_SLICE_DROP_MAX];
	struct dp_counters binding[SP_MAX_BINDING_SLOTS];
	uint64_t *filter_hits;          /* [node capacity.filters] */
	uint64_t latency[DP_LAT_BUCKETS];
	struct dp_prog_counters program[SP_MAX_SLICES];
} __rte_cache_aligned;

/* Adds 'n' to a counter owned by the calling worker. */
static inline void
dp_count(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

/* Reads a counter that another thread may be writing. */
static inline uint64_t
dp_count_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Sums 'nb' workers' node drops into out[DP_NODE_DROP_MAX]. */
void dp_stats_node_drops(struct dp_lcore_stats *const *st, unsigned int nb,
			 uint64_t out[DP_NODE_DROP_MAX]);

/* Sums 'nb' workers' drops of slice slot 'slot' into out[DP_SLICE_DROP_MAX]. */
void dp_stats_slice_drops(struct dp_lcore_stats *const *st, unsigned int nb,
			  uint16_t slot, uint64_t out[DP_SLICE_DROP_MAX]);

/* Sums 'nb' workers' program counters of slice slot 'slot' into *out. */
void dp_stats_program(struct dp_lcore_stats *const *st, unsigned int nb,
		      uint16_t slot, struct dp_prog_counters *out);

/* Sums 'nb' workers' counters of binding slot 'stat' into *out. */
void dp_stats_binding(struct dp_lcore_stats *const *st, unsigned int nb,
		      uint16_t stat, struct dp_counters *out);

/* Counts 'n' packets that each took 'cycles' from rx to tx. */
static inline void
dp_count_latency(struct dp_lcore_stats *st, uint64_t cycles, uint64_t n)
{
	unsigned int b = cycles > 1 ? 63 - (unsigned int)__builtin_clzll(cycles) : 0;

	if (b >= DP_LAT_BUCKETS)
		b = DP_LAT_BUCKETS - 1;
	dp_count(&st->latency[b], n);
}

/* Sums 'nb' workers' latency histograms into out[DP_LAT_BUCKETS]. */
void dp_stats_latency(struct dp_lcore_stats *const *st, unsigned int nb,
		      uint64_t out[DP_LAT_BUCKETS]);

/* Sums 'nb' workers' hits of filter counter slot 'stat'. */
uint64_t dp_stats_filter(struct dp_lcore_stats *const *st, unsigned int nb,
			 uint32_t stat);

#endif /* SP_DP_STATS_H */
