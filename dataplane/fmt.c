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

/*
 * The constant 16-bit words of the IPv4 header dp_format_one() writes
 * (version and header length, DF, TTL and protocol), summed as they lie
 * in memory: a big-endian word loaded in host order is rte_cpu_to_be_16()
 * of its value, and the ones' complement sum does not care which.
 */
#define DP_FMT_IP_CONST_SUM \
	((uint32_t)RTE_BE16(RTE_IPV4_VHL_DEF << 8) + RTE_BE16(RTE_IPV4_HDR_DF_FLAG) + \
	 RTE_BE16(DP_FMT_TTL << 8 | IPPROTO_UDP))

/* The pseudo-header's protocol word (RFC 768), as it lies in memory. */
#define DP_FMT_PHDR_PROTO RTE_BE16(IPPROTO_UDP)

/* Strips the received outer headers and the frame's trailing padding of a
 * chained packet, leaving only the UDP payload. */
static void
dp_format_strip_chain(struct rte_mbuf *m, uint32_t hdrs, uint16_t payload)
{
	uint32_t extra = rte_pktmbuf_pkt_len(m) - hdrs - payload;

	/* dp_demux_check() made sure the excess fits in the last segment. */
	if (extra != 0)
		rte_pktmbuf_trim(m, extra);
	rte_pktmbuf_adj(m, hdrs);
	rte_pktmbuf_prepend(m, DP_OUTER_LEN);
}

/*
 * Replaces the received outer headers of 'm' (and any Ethernet padding) by
 * new ones toward 'f', leaving the UDP payload where it is.  The received
 * headers are at least DP_OUTER_LEN bytes (dp_demux_check()), so the new
 * ones fit in their place.  The payload is summed 32 bits at a time:
 * rte_raw_cksum() adds 16 bits at a time, which was half of this
 * function's time at small frame sizes.
 */
static inline void
dp_format_one(struct rte_mbuf *m, const struct dp_forward *f)
{
	const struct rte_udp_hdr *rx_udp =
		rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *,
					m->l2_len + m->l3_len);
	uint32_t hdrs = m->l2_len + m->l3_len + sizeof(*rx_udp);
	uint16_t payload = rte_be_to_cpu_16(rx_udp->dgram_len) - sizeof(*rx_udp);
	rte_be16_t udp_len = rte_cpu_to_be_16(sizeof(struct rte_udp_hdr) + payload);
	rte_be16_t ip_len = rte_cpu_to_be_16(sizeof(struct rte_ipv4_hdr) +
					     sizeof(struct rte_udp_hdr) + payload);
	/* The checksums are summed from these values, not read back from the
	 * headers just written: a narrow load of a wide store does not
	 * forward, and stalled here. */
	uint64_t addrs = (uint64_t)f->src_ip + f->dst_ip;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;

	if (likely(m->nb_segs == 1)) {
		m->data_off += hdrs - DP_OUTER_LEN;
		m->data_len = DP_OUTER_LEN + payload;
		m->pkt_len = DP_OUTER_LEN + payload;
	} else {
		dp_format_strip_chain(m, hdrs, payload);
	}
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	udp = (struct rte_udp_hdr *)(ip + 1);

	rte_ether_addr_copy(&f->dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(&f->src_mac, &eth->src_addr);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);

	*ip = (struct rte_ipv4_hdr){
		.version_ihl = RTE_IPV4_VHL_DEF,
		.total_length = ip_len,
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
		.dgram_len = udp_len,
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
		/* What the port expects: the pseudo-header's sum, folded. */
		udp->dgram_cksum = dp_cksum_fold(addrs + DP_FMT_PHDR_PROTO + udp_len);
		return;
	}
	ip->hdr_checksum = (uint16_t)~dp_cksum_fold(addrs + DP_FMT_IP_CONST_SUM + ip_len);
	if (likely(m->nb_segs == 1)) {
		uint64_t sum = addrs + DP_FMT_PHDR_PROTO + 2 * (uint64_t)udp_len +
			       f->src_port + f->dst_port;
		uint16_t c = (uint16_t)~dp_cksum_fold(dp_cksum_add((const uint8_t *)(udp + 1),
								   payload, sum));

		/* 0 says "no checksum" (RFC 768): all ones is the same sum. */
		udp->dgram_cksum = c == 0 ? 0xffff : c;
	} else {
		udp->dgram_cksum = rte_ipv4_udptcp_cksum_mbuf(m, ip, sizeof(*eth) + sizeof(*ip));
	}
}

void
dp_format_burst(struct rte_mbuf **pkts, const struct dp_forward *const *fwd,
		uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		dp_format_one(pkts[i], fwd[i]);
}
