/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/demux.h"

#include <stdbool.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_udp.h>
#include <rte_vect.h>

#include "dataplane/meta.h"
#include "dataplane/tables.h"

#define DP_DEMUX_ACCEPT (-1)

/* How many packets ahead dp_demux_burst() prefetches headers, as l3fwd. */
#define DP_DEMUX_PREFETCH 3

/* 32-bit word 'i' of the IPv4 header at 'ip', in host order.  Behind a
 * 14-byte Ethernet header the words are not aligned. */
static __rte_always_inline uint64_t
dp_demux_ip_word(const struct rte_ipv4_hdr *ip, uint32_t i)
{
	uint32_t w;

	memcpy(&w, (const uint8_t *)ip + i * sizeof(w), sizeof(w));
	return w;
}

/*
 * True if 'sum', the sum of an IPv4 header's 32-bit words, says the header
 * checksum is correct: folded with its carries to 16 bits (RFC 1071), the
 * one's complement sum of a correct header, checksum field included, is
 * 0xffff.  The header is a whole number of 32-bit words, so there is no odd
 * tail; and as byte order commutes with a one's complement sum and 0xffff
 * reads the same either way round, the words may be summed in host order.
 */
static __rte_always_inline bool
dp_demux_ip_sum_ok(uint64_t sum)
{
	/* At most 15 words: under 15 * 2^32 before, under 2^32 + 15 after. */
	sum = (sum & UINT32_MAX) + (sum >> 32);
	/* At most 0x1fffe, or 0x1000e past 2^32; then at most 0xffff. */
	sum = (sum & UINT16_MAX) + (sum >> 16);
	sum = (sum & UINT16_MAX) + (sum >> 16);
	return sum == UINT16_MAX;
}

/*
 * The full check, in the order that decides which drop reason a packet
 * gets.  Every packet that dp_demux_plain() does not accept comes here.
 */
static __rte_noinline __rte_cold int
dp_demux_check_full(struct rte_mbuf *m)
{
	const uint32_t l2 = sizeof(struct rte_ether_hdr);
	const uint32_t seg = rte_pktmbuf_data_len(m);
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	uint32_t l3, ip_len, udp_len;
	uint64_t sum;

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
	ip_len = dp_be16_to_cpu(ip->total_length);
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
		sum = 0;
		for (uint32_t i = 0; i < l3 / sizeof(uint32_t); i++)
			sum += dp_demux_ip_word(ip, i);
		if (!dp_demux_ip_sum_ok(sum))
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
	udp_len = dp_be16_to_cpu(udp->dgram_len);
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

#if defined(RTE_ARCH_X86) && defined(__SSE4_1__)
/*
 * Bytes 12-27 of a plain packet (the EtherType, the IPv4 version and header
 * length, the fragment bits and the protocol) as dp_demux_plain_mask keeps
 * them: one 16-byte compare instead of four fields' worth of loads and
 * compares.  MF and the fragment offset are the low 14 bits of bytes 20-21.
 */
static const uint8_t dp_demux_plain_bytes[16] __rte_aligned(16) = {
	[0] = RTE_ETHER_TYPE_IPV4 >> 8, [1] = RTE_ETHER_TYPE_IPV4 & 0xff,
	[2] = RTE_IPV4_VHL_DEF, [11] = IPPROTO_UDP,
};
static const uint8_t dp_demux_plain_mask[16] __rte_aligned(16) = {
	[0] = 0xff, [1] = 0xff, [2] = 0xff, [8] = 0x3f, [9] = 0xff, [11] = 0xff,
};
#endif

/*
 * True if 'm' is a plain packet that dp_demux_check_full() accepts: one
 * segment, Ethernet, a 20-byte IPv4 header, UDP; and, unless 'any_dst',
 * addressed to 'dst'.  For such a packet every condition of the full check
 * reduces to the terms below, which are evaluated together and tested with
 * one branch, then the checksum with another.  It sets the header lengths
 * of a packet it accepts whole (DP_PLAIN_TX_OFFLOAD), which marks it
 * plain.  Anything it does not accept, options and chains included, is
 * for the full check to find the drop reason of.
 */
static __rte_always_inline bool
dp_demux_plain(struct rte_mbuf *m, bool any_dst, rte_be32_t dst)
{
	const uint32_t l2 = sizeof(struct rte_ether_hdr);
	const uint32_t l3 = sizeof(struct rte_ipv4_hdr);
	const uint64_t flags = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	const uint8_t *h;
	uint32_t ip_len, udp_len;
	uint64_t sum;
	bool bad;

	/* The headers can be read once the first segment holds them.  A lone
	 * segment's pkt_len is its data_len, so whatever follows the datagram
	 * is trimmable from it. */
	if (unlikely((m->nb_segs != 1) |
		     (rte_pktmbuf_data_len(m) < l2 + l3 + sizeof(*udp))))
		return false;
	h = rte_pktmbuf_mtod(m, const uint8_t *);
	ip = (const struct rte_ipv4_hdr *)(h + l2);
	udp = (const struct rte_udp_hdr *)(h + l2 + l3);
	ip_len = dp_be16_to_cpu(ip->total_length);
	udp_len = dp_be16_to_cpu(udp->dgram_len);

	/* Joined with '|' rather than '||' so that they cost no branch each.
	 * udp_len >= 8 and udp_len + 20 <= ip_len imply ip_len >= 28. */
#if defined(RTE_ARCH_X86) && defined(__SSE4_1__)
	bad = !_mm_testz_si128(_mm_xor_si128(_mm_loadu_si128((const __m128i *)(h + 12)),
					     _mm_load_si128((const __m128i *)
							    dp_demux_plain_bytes)),
			       _mm_load_si128((const __m128i *)dp_demux_plain_mask));
#else
	bad = (((const struct rte_ether_hdr *)h)->ether_type !=
	       RTE_BE16(RTE_ETHER_TYPE_IPV4)) |
	      (ip->version_ihl != RTE_IPV4_VHL_DEF) |
	      (ip->next_proto_id != IPPROTO_UDP) |
	      ((ip->fragment_offset &
		RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0);
#endif
	bad |= (udp_len < sizeof(*udp)) |
	       (udp_len + l3 > ip_len) |
	       (l2 + ip_len > rte_pktmbuf_pkt_len(m)) |
	       (flags == RTE_MBUF_F_RX_IP_CKSUM_BAD) |
	       (!any_dst & (ip->dst_addr != dst));
	if (unlikely(bad))
		return false;
	/* GOOD and NONE both have the GOOD bit: the port vouched for the
	 * header.  Virtual PMDs say UNKNOWN, and then it is summed here. */
	if (!(flags & RTE_MBUF_F_RX_IP_CKSUM_GOOD)) {
		sum = dp_demux_ip_word(ip, 0) + dp_demux_ip_word(ip, 1) +
		      dp_demux_ip_word(ip, 2) + dp_demux_ip_word(ip, 3) +
		      dp_demux_ip_word(ip, 4);
		if (unlikely(!dp_demux_ip_sum_ok(sum)))
			return false;
	}

	/* The lengths, and the mark of a plain packet for format. */
	m->tx_offload = DP_PLAIN_TX_OFFLOAD;
	return true;
}

int
dp_demux_check(struct rte_mbuf *m)
{
	if (dp_demux_plain(m, true, 0))
		return DP_DEMUX_ACCEPT;
	return dp_demux_check_full(m);
}

/* What dp_demux_burst() does with a packet that is not plain or not to
 * the port's address: the full check, then, if it accepts, the table.
 * Returns as dp_demux_check(), with the entry found in *entry. */
static __rte_noinline __rte_cold int
dp_demux_slow(const struct dp_demux_port *t, struct rte_mbuf *m, uint32_t *entry)
{
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	int reason = dp_demux_check_full(m);

	if (reason != DP_DEMUX_ACCEPT)
		return reason;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, m->l2_len);
	udp = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, m->l2_len + m->l3_len);
	/* Another address than the port's is no binding. */
	if (t == NULL || ip->dst_addr != t->ip)
		return DP_NODE_DROP_NO_BINDING;
	*entry = t->entry[dp_be16_to_cpu(udp->dst_port)];
	return *entry != 0 ? DP_DEMUX_ACCEPT : DP_NODE_DROP_NO_BINDING;
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
		const struct rte_udp_hdr *udp;
		struct dp_meta *meta;
		uint32_t entry;
		int reason;

		if (i + DP_DEMUX_PREFETCH < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + DP_DEMUX_PREFETCH], void *));
		/* A plain packet to the port's address, or one the full
		 * check accepts, is looked up; t is NULL when nothing is
		 * bound on the port. */
		if (likely(t != NULL && dp_demux_plain(m, false, t->ip))) {
			reason = DP_DEMUX_ACCEPT;
			udp = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *,
						      DP_PLAIN_L4_OFFSET);
			entry = t->entry[dp_be16_to_cpu(udp->dst_port)];
			if (unlikely(entry == 0))
				reason = DP_NODE_DROP_NO_BINDING;
		} else {
			reason = dp_demux_slow(t, m, &entry);
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
