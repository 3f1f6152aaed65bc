/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/demux.h"

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dataplane/meta.h"
#include "dataplane/tables.h"

#define DP_DEMUX_ACCEPT (-1)

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
dp_demux_burst(const struct rte_hash *demux, uint16_t port_id,
	       struct rte_mbuf **pkts, uint16_t n, struct dp_lcore_stats *st)
{
	struct dp_demux_key keys[RTE_HASH_LOOKUP_BULK_MAX];
	const void *key_ptrs[RTE_HASH_LOOKUP_BULK_MAX];
	void *data[RTE_HASH_LOOKUP_BULK_MAX];
	uint64_t hits = 0;
	uint16_t valid = 0, kept = 0;

	RTE_ASSERT(n <= RTE_HASH_LOOKUP_BULK_MAX);

	/* Pass 1: validate, and build a key for every acceptable packet. */
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		int reason = dp_demux_check(m);
		const struct rte_ipv4_hdr *ip;
		const struct rte_udp_hdr *udp;

		if (reason != DP_DEMUX_ACCEPT) {
			dp_count(&st->node_drops[reason], 1);
			rte_pktmbuf_free(m);
			continue;
		}
		ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, m->l2_len);
		udp = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *,
					      m->l2_len + m->l3_len);
		keys[valid] = (struct dp_demux_key){
			.ip = ip->dst_addr,
			.udp_port = udp->dst_port,
			.port_id = port_id,
		};
		key_ptrs[valid] = &keys[valid];
		pkts[valid++] = m;
	}
	if (valid == 0)
		return 0;

	/* Pass 2: one bulk lookup, then keep the hits in order. */
	if (demux != NULL)
		rte_hash_lookup_bulk_data(demux, key_ptrs, valid, &hits, data);
	for (uint16_t i = 0; i < valid; i++) {
		struct rte_mbuf *m = pkts[i];
		struct dp_meta *meta;

		if (!(hits & (1ULL << i))) {
			dp_count(&st->node_drops[DP_NODE_DROP_NO_BINDING], 1);
			rte_pktmbuf_free(m);
			continue;
		}
		meta = dp_meta(m);
		meta->slice = DP_DEMUX_SLOT(data[i]);
		meta->binding = DP_DEMUX_BINDING(data[i]);
		pkts[kept++] = m;
	}
	return kept;
}
