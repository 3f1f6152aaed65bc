/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/fmt.h"

#include <stdbool.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>
#include <rte_vect.h>

#include "dataplane/meta.h"

#define DP_FMT_TTL 64

/* The pseudo-header's protocol word (RFC 768), as it lies in memory. */
#define DP_FMT_PHDR_PROTO RTE_BE16(IPPROTO_UDP)

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

/* Folds a sum of two folded sums, at most 0x1fffe, to 16 bits: one step
 * is enough. */
static inline uint16_t
dp_cksum_fold17(uint32_t sum)
{
	return (uint16_t)((sum & 0xffff) + (sum >> 16));
}

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

void
dp_forward_prepare(struct dp_forward *f)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f->hdr;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	RTE_BUILD_BUG_ON(sizeof(f->hdr) < DP_OUTER_LEN);
	memset(f->hdr, 0, sizeof(f->hdr));
	rte_ether_addr_copy(&f->dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(&f->src_mac, &eth->src_addr);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	/* Atomic datagram (RFC 6864): DF set, so the ID may be 0. */
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = DP_FMT_TTL;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = f->src_ip;
	ip->dst_addr = f->dst_ip;
	udp->src_port = f->src_port;
	udp->dst_port = f->dst_port;

	/* The words as they lie in memory: byte order commutes with a one's
	 * complement sum, so the sums need no swapping.  Folded here, so that
	 * a packet's sums take one fold step less. */
	f->ip_sum = dp_cksum_fold(dp_cksum_add((const uint8_t *)ip, sizeof(*ip), 0));
	f->addr_sum = dp_cksum_fold(dp_cksum_add((const uint8_t *)&ip->src_addr,
						 2 * sizeof(ip->src_addr), 0));
	f->udp_sum = dp_cksum_fold((uint64_t)f->addr_sum + f->src_port + f->dst_port);
}

/* The 32-bit word at p, as it lies in memory. */
static inline uint32_t
dp_format_word(const void *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/*
 * The UDP checksum of the datagram at rx_ip/rx_udp once its headers are
 * f's, read before they are overwritten.  The payload does not change, nor
 * does the UDP length, so when the sender computed a checksum it is updated
 * for the new addresses and ports (RFC 1624, eqn. 3): a few words whatever
 * the payload's size, and an error in the payload stays detectable at the
 * far end, as through a router.  A datagram without one (0) is summed; for
 * a chain without one this returns 0, and dp_format_one() sums it over the
 * segments once the new headers are in place.
 */
static inline uint16_t
dp_format_udp_cksum(const struct dp_forward *f, const struct rte_ipv4_hdr *rx_ip,
		    const struct rte_udp_hdr *rx_udp, uint16_t payload, rte_be16_t udp_len,
		    bool chain)
{
	uint64_t sum;
	uint16_t c;

	if (likely(rx_udp->dgram_cksum != 0)) {
		/* ~HC + ~m + m': a 32-bit complement is its two 16-bit
		 * words' complements. */
		sum = (uint16_t)~rx_udp->dgram_cksum +
		      (uint64_t)(uint32_t)~dp_format_word(&rx_ip->src_addr) +
		      (uint32_t)~dp_format_word(&rx_ip->dst_addr) +
		      (uint32_t)~dp_format_word(&rx_udp->src_port) + f->udp_sum;
	} else if (likely(!chain)) {
		/* The pseudo-header, the UDP header (its length again), the
		 * payload. */
		sum = f->udp_sum + DP_FMT_PHDR_PROTO + 2 * (uint64_t)udp_len;
		sum = dp_cksum_add((const uint8_t *)(rx_udp + 1), payload, sum);
	} else {
		return 0;
	}
	c = (uint16_t)~dp_cksum_fold(sum);
	/* 0 says "no checksum" (RFC 768): all ones is the same sum. */
	return c != 0 ? c : 0xffff;
}

/*
 * Writes f's headers at h with the IPv4 total length, the IPv4 checksum,
 * the UDP length and the UDP checksum filled in (all as they lie in
 * memory): three 16-byte stores, the last two overlapping.  Field by field
 * the headers took some twenty stores, and a core stores one a cycle.
 */
static inline void
dp_format_write(uint8_t *h, const struct dp_forward *f, rte_be16_t ip_len,
		uint16_t ip_cksum, rte_be16_t udp_len, uint16_t udp_cksum)
{
#ifdef RTE_ARCH_X86
	/* Bytes 0-15, 16-31 and 26-41: the IPv4 total length and checksum
	 * are words 0 and 4 of the second, the UDP length and checksum
	 * words 6 and 7 of the third. */
	__m128i a = _mm_load_si128((const __m128i *)f->hdr);
	__m128i b = _mm_load_si128((const __m128i *)(f->hdr + 16));
	__m128i c = _mm_loadu_si128((const __m128i *)(f->hdr + 26));

	b = _mm_insert_epi16(b, ip_len, 0);
	b = _mm_insert_epi16(b, ip_cksum, 4);
	c = _mm_insert_epi16(c, udp_len, 6);
	c = _mm_insert_epi16(c, udp_cksum, 7);
	_mm_storeu_si128((__m128i *)h, a);
	_mm_storeu_si128((__m128i *)(h + 16), b);
	_mm_storeu_si128((__m128i *)(h + 26), c);
#else
	memcpy(h, f->hdr, DP_OUTER_LEN);
	memcpy(h + 16, &ip_len, sizeof(ip_len));
	memcpy(h + 24, &ip_cksum, sizeof(ip_cksum));
	memcpy(h + 38, &udp_len, sizeof(udp_len));
	memcpy(h + 40, &udp_cksum, sizeof(udp_cksum));
#endif
}

/*
 * Replaces the received outer headers of 'm' (and any Ethernet padding) by
 * f's, leaving the UDP payload where it is.  The received headers are
 * l2 + l3 bytes and a UDP header, at least DP_OUTER_LEN (dp_demux_check()),
 * so the new ones fit in their place.  Mbuf fields are written only when
 * they change: for a plain packet without padding, none does.
 */
static __rte_always_inline void
dp_format_fields(struct rte_mbuf *m, const struct dp_forward *f, uint32_t l2, uint32_t l3,
		 bool chain)
{
	const struct rte_ipv4_hdr *rx_ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *,
								   l2);
	const struct rte_udp_hdr *rx_udp =
		(const struct rte_udp_hdr *)((const uint8_t *)rx_ip + l3);
	uint32_t hdrs = l2 + l3 + sizeof(*rx_udp);
	uint16_t payload = dp_be16_to_cpu(rx_udp->dgram_len) - sizeof(*rx_udp);
	uint16_t len = DP_OUTER_LEN + payload;
	rte_be16_t udp_len = dp_cpu_to_be16(sizeof(struct rte_udp_hdr) + payload);
	rte_be16_t ip_len = dp_cpu_to_be16(sizeof(struct rte_ipv4_hdr) +
					   sizeof(struct rte_udp_hdr) + payload);
	/* Drop the rx flags but keep what says who owns the data buffer. */
	uint64_t ol_flags = m->ol_flags & (RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT);
	uint16_t ip_cksum = 0, udp_cksum;
	uint8_t *h;

	if (f->csum_offload) {
		ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM;
		/* What the port expects: the pseudo-header's sum, folded. */
		udp_cksum = dp_cksum_fold((uint64_t)f->addr_sum + DP_FMT_PHDR_PROTO + udp_len);
	} else {
		ip_cksum = (uint16_t)~dp_cksum_fold17((uint32_t)f->ip_sum + ip_len);
		udp_cksum = dp_format_udp_cksum(f, rx_ip, rx_udp, payload, udp_len, chain);
	}

	if (likely(!chain)) {
		if (hdrs != DP_OUTER_LEN)
			m->data_off += hdrs - DP_OUTER_LEN;
		if (m->data_len != len) {
			m->data_len = len;
			m->pkt_len = len;
		}
	} else {
		dp_format_strip_chain(m, hdrs, payload);
	}
	h = rte_pktmbuf_mtod(m, uint8_t *);
	dp_format_write(h, f, ip_len, ip_cksum, udp_len, udp_cksum);
	if (unlikely(udp_cksum == 0 && !f->csum_offload)) {
		/* A chain that came without a checksum. */
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)
			(h + DP_OUTER_LEN - sizeof(struct rte_udp_hdr));

		udp->dgram_cksum = rte_ipv4_udptcp_cksum_mbuf(m, (struct rte_ipv4_hdr *)
							      (h + sizeof(struct rte_ether_hdr)),
							      sizeof(struct rte_ether_hdr) +
							      sizeof(struct rte_ipv4_hdr));
	}

	if (m->tx_offload != DP_PLAIN_TX_OFFLOAD)
		m->tx_offload = DP_PLAIN_TX_OFFLOAD;
	if (m->packet_type != 0)
		m->packet_type = 0;
	if (m->ol_flags != ol_flags)
		m->ol_flags = ol_flags;
}

/* dp_format_fields() for 'm', specialised for a plain packet: one segment
 * whose header lengths are already the new ones (demux marks a plain
 * packet so, meta.h), where every offset is a constant. */
static inline void
dp_format_one(struct rte_mbuf *m, const struct dp_forward *f)
{
	if (likely(m->tx_offload == DP_PLAIN_TX_OFFLOAD && m->nb_segs == 1))
		dp_format_fields(m, f, sizeof(struct rte_ether_hdr), sizeof(struct rte_ipv4_hdr),
				 false);
	else
		dp_format_fields(m, f, m->l2_len, m->l3_len, m->nb_segs != 1);
}

void
dp_format_burst(struct rte_mbuf **pkts, const struct dp_forward *const *fwd,
		uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		dp_format_one(pkts[i], fwd[i]);
}
