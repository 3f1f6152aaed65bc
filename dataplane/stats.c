/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/stats.h"

#include <string.h>

#define DP_NAME(sym, name, help) [DP_NODE_DROP_##sym] = name,
const char *const dp_node_drop_names[DP_NODE_DROP_MAX] = {
	DP_NODE_DROPS(DP_NAME)
};
#undef DP_NAME

#define DP_NAME(sym, name, help) [DP_SLICE_DROP_##sym] = name,
const char *const dp_slice_drop_names[DP_SLICE_DROP_MAX] = {
	DP_SLICE_DROPS(DP_NAME)
};
#undef DP_NAME

void
dp_stats_node_drops(struct dp_lcore_stats *const *st, unsigned int nb,
		    uint64_t out[DP_NODE_DROP_MAX])
{
	memset(out, 0, sizeof(uint64_t) * DP_NODE_DROP_MAX);
	for (unsigned int w = 0; w < nb; w++)
		for (unsigned int r = 0; r < DP_NODE_DROP_MAX; r++)
			out[r] += dp_count_read(&st[w]->node_drops[r]);
}

void
dp_stats_slice_drops(struct dp_lcore_stats *const *st, unsigned int nb,
		     uint16_t slot, uint64_t out[DP_SLICE_DROP_MAX])
{
	memset(out, 0, sizeof(uint64_t) * DP_SLICE_DROP_MAX);
	for (unsigned int w = 0; w < nb; w++)
		for (unsigned int r = 0; r < DP_SLICE_DROP_MAX; r++)
			out[r] += dp_count_read(&st[w]->slice_drops[slot][r]);
}

void
dp_stats_program(struct dp_lcore_stats *const *st, unsigned int nb,
		 uint16_t slot, struct dp_prog_counters *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int w = 0; w < nb; w++) {
		out->packets += dp_count_read(&st[w]->program[slot].packets);
		out->cycles += dp_count_read(&st[w]->program[slot].cycles);
	}
}

void
dp_stats_binding(struct dp_lcore_stats *const *st, unsigned int nb,
		 uint16_t stat, struct dp_counters *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned int w = 0; w < nb; w++) {
		const struct dp_counters *c = &st[w]->binding[stat];

		out->rx_packets += dp_count_read(&c->rx_packets);
		out->rx_bytes += dp_count_read(&c->rx_bytes);
		out->tx_packets += dp_count_read(&c->tx_packets);
		out->tx_bytes += dp_count_read(&c->tx_bytes);
	}
}

uint64_t
dp_stats_filter(struct dp_lcore_stats *const *st, unsigned int nb, uint32_t stat)
{
	uint64_t hits = 0;

	for (unsigned int w = 0; w < nb; w++)
		hits += dp_count_read(&st[w]->filter_hits[stat]);
	return hits;
}

void
dp_stats_latency(struct dp_lcore_stats *const *st, unsigned int nb,
		 uint64_t out[DP_LAT_BUCKETS])
{
	for (unsigned int b = 0; b < DP_LAT_BUCKETS; b++) {
		out[b] = 0;
		for (unsigned int w = 0; w < nb; w++)
			out[b] += dp_count_read(&st[w]->latency[b]);
	}
}
