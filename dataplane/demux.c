/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/demux.h"

#include <rte_ether.h>
#include <rte_prefetch.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dataplane/meta.h"
#include "dataplane/tables.h"

#define DP_DEMUX_ACCEPT (-1)

/* How many packets ahead dp_demux_burst() prefetches headers, as l3fwd. */
#define DP_DEMUX_PREFETCH 3

int
dp_demux_check(struct rte_mbuf *m)
{
	const uint32_t l2 = sizeof(struct rte_ether_hdr);
	const uint32_t seg = rte_pktmbuf_data_len(m);
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	uint32_t l3, ip_len, udp_len;

	if (seg < l2)
		return DP_NODE_DROP_TRUNCATED;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return DP_NODE_DROP_NOT_IPV4;

	if (seg < l2 + sizeof(*ip))
		return DP_NODE_DROP_TRUNCATED;
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	if ((ip->version_ihl >> 4) != 4)
		return DP_NODE_DROP_MALFORMED;
	l3 = rte_ipv4_hdr_len(ip);
	if (l3 < sizeof(*ip))
		return DP_NODE_DROP_MALFORMED;
	if (seg < l2 + l3)
		return DP_NODE_DROP_TRUNCATED;
	ip_len = rte_be_to_cpu_16(ip->total_length);
	if (ip_len < l3)
		return DP_NODE_DROP_MALFORMED;
	if (rte_pktmbuf_pkt_len(m) < l2 + ip_len)
		return DP_NODE_DROP_TRUNCATED;

	switch (m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) {
	case RTE_MBUF_F_RX_IP_CKSUM_GOOD:
	case RTE_MBUF_F_RX_IP_CKSUM_NONE:       /* header verified, sum not */
		break;
	case RTE_MBUF_F_RX_IP_CKSUM_BAD:
		return DP_NODE_DROP_MALFORMED;
	default:
		/* A correct header sums to 0xffff, checksum field included. */
		if (rte_raw_cksum(ip, l3) != 0xffff)
			return DP_NODE_DROP_MALFORMED;
	}

	if (ip->next_proto_id != IPPROTO_UDP)
		return DP_NODE_DROP_NOT_UDP;
	if (ip->fragment_offset &
	    RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return DP_NODE_DROP_FRAGMENT;

	if (ip_len < l3 + sizeof(*udp))
		return DP_NODE_DROP_TRUNCATED;
	if (seg < l2 + l3 + sizeof(*udp))
		return DP_NODE_DROP_TRUNCATED;
	udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + l3);
	udp_len = rte_be_to_cpu_16(udp->dgram_len);
	if (udp_len < sizeof(*udp) || udp_len > ip_len - l3)
		return DP_NODE_DROP_MALFORMED;
	/* Bytes past the datagram (Ethernet padding) must be trimmable from
	 * the last segment alone; only a contrived chain fails this. */
	if (rte_pktmbuf_pkt_len(m) - (l2 + l3 + udp_len) >
	    rte_pktmbuf_data_len(rte_pktmbuf_lastseg(m)))
		return DP_NODE_DROP_MALFORMED;

	m->l2_len = l2;
	m->l3_len = l3;
	return DP_DEMUX_ACCEPT;
}

uint16_t
dp_demux_burst(const struct dp_demux_port *t, struct rte_mbuf **pkts, uint16_t n,
	       struct dp_lcore_stats *st)
{
	uint16_t kept = 0;

	/* The headers of the packets DP_DEMUX_PREFETCH ahead are on their way
	 * while this one is checked. */
	for (uint16_t i = 0; i < RTE_MIN(n, (uint16_t)DP_DEMUX_PREFETCH); i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct dp_meta *meta;
		uint32_t entry = 0;
		int reason;

		if (i + DP_DEMUX_PREFETCH < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + DP_DEMUX_PREFETCH], void *));
		reason = dp_demux_check(m);
		if (likely(reason == DP_DEMUX_ACCEPT)) {
			const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
				const struct rte_ipv4_hdr *, m->l2_len);
			const struct rte_udp_hdr *udp = rte_pktmbuf_mtod_offset(m,
				const struct rte_udp_hdr *, m->l2_len + m->l3_len);

			/* Another address than the port's is no binding. */
			if (t != NULL && ip->dst_addr == t->ip)
				entry = t->entry[rte_be_to_cpu_16(udp->dst_port)];
			if (unlikely(entry == 0))
				reason = DP_NODE_DROP_NO_BINDING;
		}
		if (unlikely(reason != DP_DEMUX_ACCEPT)) {
			dp_count(&st->node_drops[reason], 1);
			rte_pktmbuf_free(m);
			continue;
		}
		meta = dp_meta(m);
		meta->slice = DP_DEMUX_SLOT(entry);
		meta->binding = DP_DEMUX_BINDING(entry);
		pkts[kept++] = m;
	}
	return kept;
}
