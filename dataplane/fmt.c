/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/fmt.h"

#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#define DP_FMT_TTL 64

/* RFC 1071's sum of 'len' bytes at 'p', added to 'sum': 32 bits at a time
 * into 64, in native byte order, unfolded.  DPDK's rte_raw_cksum() adds 16
 * bits at a time, which shows in a profile at small frame sizes. */
static inline uint64_t
dp_cksum_add(const uint8_t *p, uint32_t len, uint64_t sum)
{
	for (; len >= 4; p += 4, len -= 4) {
		uint32_t v;

		memcpy(&v, p, sizeof(v));
		sum += v;
	}
	if (len >= 2) {
		uint16_t v;

		memcpy(&v, p, sizeof(v));
		sum += v;
		p += 2;
		len -= 2;
	}
	if (len != 0) {
		uint16_t v = 0;

		memcpy(&v, p, 1);
		sum += v;
	}
	return sum;
}

/* Folds a 64-bit sum to 16 bits. */
static inline uint16_t
dp_cksum_fold(uint64_t sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The UDP checksum of a single-segment datagram at 'udp' of 'len' bytes
 * under IPv4 header 'ip'. */
static inline uint16_t
dp_udp_cksum(const struct rte_ipv4_hdr *ip, const struct rte_udp_hdr *udp, uint16_t len)
{
	uint16_t c = (uint16_t)~dp_cksum_fold(dp_cksum_add((const uint8_t *)udp, len,
							   rte_ipv4_phdr_cksum(ip, 0)));

	/* 0 says "no checksum" (RFC 768): all ones is the same sum. */
	return c == 0 ? 0xffff : c;
}

/* Strips the received outer headers and the frame's trailing padding,
 * leaving only the UDP payload; returns its length. */
static uint16_t
dp_format_strip(struct rte_mbuf *m)
{
	const struct rte_udp_hdr *udp =
		rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *,
					m->l2_len + m->l3_len);
	uint16_t payload = rte_be_to_cpu_16(udp->dgram_len) - sizeof(*udp);
	uint32_t hdrs = m->l2_len + m->l3_len + sizeof(*udp);
	uint32_t extra = rte_pktmbuf_pkt_len(m) - hdrs - payload;

	/* dp_demux_check() made sure the excess fits in the last segment. */
	if (extra != 0)
		rte_pktmbuf_trim(m, extra);
	rte_pktmbuf_adj(m, hdrs);
	return payload;
}

/* Puts new outer headers toward 'f' in front of a payload of 'payload' bytes. */
static void
dp_format_one(struct rte_mbuf *m, const struct dp_forward *f, uint16_t payload)
{
	struct rte_ether_hdr *eth =
		(struct rte_ether_hdr *)rte_pktmbuf_prepend(m, DP_OUTER_LEN);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	rte_ether_addr_copy(&f->dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(&f->src_mac, &eth->src_addr);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);

	*ip = (struct rte_ipv4_hdr){
		.version_ihl = RTE_IPV4_VHL_DEF,
		.total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*udp) + payload),
		/* Atomic datagram (RFC 6864): DF set, so the ID may be 0. */
		.fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG),
		.time_to_live = DP_FMT_TTL,
		.next_proto_id = IPPROTO_UDP,
		.src_addr = f->src_ip,
		.dst_addr = f->dst_ip,
	};
	*udp = (struct rte_udp_hdr){
		.src_port = f->src_port,
		.dst_port = f->dst_port,
		.dgram_len = rte_cpu_to_be_16(sizeof(*udp) + payload),
	};

	m->l2_len = sizeof(*eth);
	m->l3_len = sizeof(*ip);
	m->l4_len = sizeof(*udp);
	m->packet_type = 0;
	/* Drop the rx flags but keep what says who owns the data buffer. */
	m->ol_flags &= RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT;
	if (f->csum_offload) {
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			       RTE_MBUF_F_TX_UDP_CKSUM;
		udp->dgram_cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
	} else {
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp->dgram_cksum = m->nb_segs == 1 ?
			dp_udp_cksum(ip, udp, sizeof(*udp) + payload) :
			rte_ipv4_udptcp_cksum_mbuf(m, ip, sizeof(*eth) + sizeof(*ip));
	}
}

void
dp_format_burst(struct rte_mbuf **pkts, const struct dp_forward *const *fwd,
		uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		uint16_t payload = dp_format_strip(pkts[i]);

		dp_format_one(pkts[i], fwd[i], payload);
	}
}
