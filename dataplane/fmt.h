/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_FMT_H
#define SP_DP_FMT_H

/*
 * format: the outer headers of a forwarded packet.
 *
 * Runs on a worker; reads the resolved dp_forward of an RCU-published table.
 */

#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dataplane/tables.h"

/* Bytes of the outer headers a forwarded packet carries. */
#define DP_OUTER_LEN (sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) + \
		      sizeof(struct rte_udp_hdr))

/* Fills f->hdr and its sums (ip_sum, addr_sum, udp_sum) from f's other fields.  The
 * control plane calls it on every forward it resolves, before the table
 * holding it is published. */
void dp_forward_prepare(struct dp_forward *f);

/*
 * Turns each packet of the burst (accepted by dp_demux_check(), so l2_len
 * and l3_len are set) into a new Ethernet/IPv4/UDP packet toward fwd[i]:
 * the received outer headers and any Ethernet padding are removed, the UDP
 * payload is kept as it is, and new headers with correct lengths are put in
 * front (fwd->hdr with the lengths and checksums filled in): source =
 * fwd's interface MAC, address and UDP port; destination = the gateway MAC
 * and the peer's address and port.  IPv4 and UDP checksums are computed
 * here, or left to the port when fwd->csum_offload is set.
 * Cannot fail: demux guaranteed the headroom this needs.
 */
void dp_format_burst(struct rte_mbuf **pkts, const struct dp_forward *const *fwd,
		     uint16_t n);

#endif /* SP_DP_FMT_H */
