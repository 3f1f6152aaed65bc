/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_DEMUX_H
#define SP_DP_DEMUX_H

/*
 * demux: from a received burst to (slice, binding).
 *
 * Runs on a worker and reads only an RCU-published view (dataplane/tables.h).
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "dataplane/stats.h"

struct dp_demux_port;

/*
 * Checks the outer Ethernet/IPv4/UDP headers of one packet and fills
 * m->l2_len and m->l3_len.  Returns -1 if the packet is acceptable, or the
 * dp_node_drop reason it must be dropped for.  The headers must be in the
 * first segment.  Exposed for unit tests; dp_demux_burst() is the user.
 */
int dp_demux_check(struct rte_mbuf *m);

/*
 * Demultiplexes 'n' packets received on one port: validates their outer
 * headers, looks up (IPv4 destination, UDP destination port) in 't', that
 * port's table (dp_view.demux[port_id]; NULL if nothing is bound there), and
 * writes each hit's slice slot and binding id to its dp_meta.  Packets that
 * fail validation or match no binding are counted in st->node_drops by
 * reason and freed.  The kept packets are compacted to the front of 'pkts'
 * in arrival order; returns how many there are.
 */
uint16_t dp_demux_burst(const struct dp_demux_port *t, struct rte_mbuf **pkts,
			uint16_t n, struct dp_lcore_stats *st);

#endif /* SP_DP_DEMUX_H */
