/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/* Unit tests of dataplane/demux.c and dataplane/tables.c. */

#include "dataplane/demux.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_udp.h>

#include "dataplane/meta.h"
#include "dataplane/stats.h"
#include "dataplane/tables.h"
#include "pm/passthrough/passthrough.h"
#include "tests/unit/cu_main.h"
#include "tests/unit/dataplane/cu_pkt.h"

#define ACCEPT (-1)             /* dp_demux_check(): keep the packet */
#define POOL_SIZE 511

static struct rte_mempool *pool;

static int
demux_suite_init(void)
{
	if (cu_eal_init("demux") != 0 || dp_meta_register() != 0)
		return -1;
	pool = rte_pktmbuf_pool_create("ut_demux", POOL_SIZE, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool != NULL ? 0 : -1;
}

static int
demux_suite_clean(void)
{
	unsigned int avail = rte_mempool_avail_count(pool);

	rte_mempool_free(pool);
	pool = NULL;
	/* Every case gives back what it takes. */
	return avail == POOL_SIZE ? 0 : -1;
}

static struct rte_ether_hdr *
eth_of(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
}

/* Shortens single-segment 'm' to 'len' bytes. */
static void
trim_to(struct rte_mbuf *m, uint32_t len)
{
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - len));
}

/*
 * Edits, each breaking (or not) one thing of a valid packet.  Those that
 * change the IPv4 header repair its checksum unless the checksum is what
 * they break.
 */
static void
edit_empty(struct rte_mbuf *m)
{
	trim_to(m, 0);
}

static void
edit_runt(struct rte_mbuf *m)
{
	trim_to(m, 13);
}

static void
edit_eth_only(struct rte_mbuf *m)
{
	trim_to(m, 14);
}

static void
edit_ip_cut(struct rte_mbuf *m)
{
	trim_to(m, 14 + 19);
}

static void
edit_options_cut(struct rte_mbuf *m)
{
	trim_to(m, 14 + 23);
}

static void
edit_arp(struct rte_mbuf *m)
{
	eth_of(m)->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
}

static void
edit_ipv6(struct rte_mbuf *m)
{
	eth_of(m)->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
}

static void
edit_vlan(struct rte_mbuf *m)
{
	eth_of(m)->ether_type = RTE_BE16(RTE_ETHER_TYPE_VLAN);
}

static void
edit_version6(struct rte_mbuf *m)
{
	cu_pkt_ip(m)->version_ihl = 0x65;
	cu_pkt_ip_cksum(m);
}

static void
edit_version0(struct rte_mbuf *m)
{
	cu_pkt_ip(m)->version_ihl = 0x05;
	cu_pkt_ip_cksum(m);
}

static void
edit_ihl4(struct rte_mbuf *m)
{
	cu_pkt_ip(m)->version_ihl = 0x44;
	cu_pkt_ip_cksum(m);
}

static void
edit_ihl0(struct rte_mbuf *m)
{
	cu_pkt_ip(m)->version_ihl = 0x40;
}

static void
edit_total_long(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = cu_pkt_ip(m);

	ip->total_length = rte_cpu_to_be_16(rte_be_to_cpu_16(ip->total_length) + 1);
	cu_pkt_ip_cksum(m);
}

static void
edit_total_19(struct rte_mbuf *m)
{
	cu_pkt_ip(m)->total_length = RTE_BE16(19);
	cu_pkt_ip_cksum(m);
}

static void
edit_total_23(struct rte_mbuf *m)
{
	cu_pkt_ip(m)->total_length = RTE_BE16(23);
	cu_pkt_ip_cksum(m);
}

/* Room in the datagram for 7 bytes of UDP header only. */
static void
edit_total_27(struct rte_mbuf *m)
{
	cu_pkt_ip(m)->total_length = RTE_BE16(27);
	cu_pkt_ip_cksum(m);
}

static void
edit_bad_cksum(struct rte_mbuf *m)
{
	cu_pkt_ip(m)->hdr_checksum ^= RTE_BE16(0x0100);
}

/* An option byte changed and the checksum not: the first option word, and
 * the last word of a 60-byte header. */
static void
edit_first_option(struct rte_mbuf *m)
{
	((uint8_t *)cu_pkt_ip(m))[20] ^= 0x10;
}

static void
edit_last_option(struct rte_mbuf *m)
{
	((uint8_t *)cu_pkt_ip(m))[59] ^= 0x10;
}

/* Options of End of Option List bytes (0), which add nothing to the
 * checksum: the first 20 bytes of the header sum correctly on their own. */
static void
edit_options_eol(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = cu_pkt_ip(m);

	memset(ip + 1, 0, rte_ipv4_hdr_len(ip) - sizeof(*ip));
	cu_pkt_ip_cksum(m);
}

static void
edit_tcp(struct rte_mbuf *m)
{
	cu_pkt_ip(m)->next_proto_id = IPPROTO_TCP;
	cu_pkt_ip_cksum(m);
}

static void
edit_icmp(struct rte_mbuf *m)
{
	cu_pkt_ip(m)->next_proto_id = IPPROTO_ICMP;
	cu_pkt_ip_cksum(m);
}

static void
set_frag(struct rte_mbuf *m, uint16_t frag)
{
	cu_pkt_ip(m)->fragment_offset = rte_cpu_to_be_16(frag);
	cu_pkt_ip_cksum(m);
}

static void
edit_mf(struct rte_mbuf *m)
{
	set_frag(m, RTE_IPV4_HDR_MF_FLAG);
}

static void
edit_offset(struct rte_mbuf *m)
{
	set_frag(m, 1);
}

static void
edit_offset_max(struct rte_mbuf *m)
{
	set_frag(m, RTE_IPV4_HDR_OFFSET_MASK);
}

static void
edit_df(struct rte_mbuf *m)
{
	set_frag(m, RTE_IPV4_HDR_DF_FLAG);
}

static void
edit_df_mf(struct rte_mbuf *m)
{
	set_frag(m, RTE_IPV4_HDR_DF_FLAG | RTE_IPV4_HDR_MF_FLAG);
}

static void
set_udp_len(struct rte_mbuf *m, uint16_t len)
{
	cu_pkt_udph(m)->dgram_len = rte_cpu_to_be_16(len);
}

static void
edit_udp_len_0(struct rte_mbuf *m)
{
	set_udp_len(m, 0);
}

static void
edit_udp_len_7(struct rte_mbuf *m)
{
	set_udp_len(m, 7);
}

static void
edit_udp_len_8(struct rte_mbuf *m)
{
	set_udp_len(m, 8);
}

/* One more than the IPv4 payload. */
static void
edit_udp_len_long(struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip = cu_pkt_ip(m);

	set_udp_len(m, rte_be_to_cpu_16(ip->total_length) - rte_ipv4_hdr_len(ip) + 1);
}

/* A case of dp_demux_check(): a packet, an edit, the mbuf's rx flags and
 * the verdict. */
struct check_case {
	const char *name;
	struct cu_pkt pkt;
	void (*edit)(struct rte_mbuf *m);
	uint64_t ol_flags;
	int reason;             /* DP_NODE_DROP_*, or ACCEPT */
	uint16_t l3_len;        /* if ACCEPT */
};

static const struct check_case check_cases[] = {
	{ "valid", { .payload = 10 }, NULL, 0, ACCEPT, 20 },
	{ "valid, no payload", { .payload = 0 }, NULL, 0, ACCEPT, 20 },
	{ "valid, 1400 bytes", { .payload = 1400 }, NULL, 0, ACCEPT, 20 },
	{ "empty frame", { .payload = 10 }, edit_empty, 0, DP_NODE_DROP_TRUNCATED, 0 },
	{ "runt Ethernet frame", { .payload = 10 }, edit_runt, 0, DP_NODE_DROP_TRUNCATED, 0 },
	{ "ARP", { .payload = 10 }, edit_arp, 0, DP_NODE_DROP_NOT_IPV4, 0 },
	{ "IPv6", { .payload = 10 }, edit_ipv6, 0, DP_NODE_DROP_NOT_IPV4, 0 },
	{ "VLAN tag", { .payload = 10 }, edit_vlan, 0, DP_NODE_DROP_NOT_IPV4, 0 },
	{ "Ethernet header only", { .payload = 10 }, edit_eth_only, 0,
	  DP_NODE_DROP_TRUNCATED, 0 },
	{ "IPv4 header cut short", { .payload = 10 }, edit_ip_cut, 0,
	  DP_NODE_DROP_TRUNCATED, 0 },
	{ "IPv4 options cut short", { .payload = 10, .ihl = 6 }, edit_options_cut, 0,
	  DP_NODE_DROP_TRUNCATED, 0 },
	{ "version 6", { .payload = 10 }, edit_version6, 0, DP_NODE_DROP_MALFORMED, 0 },
	{ "version 0", { .payload = 10 }, edit_version0, 0, DP_NODE_DROP_MALFORMED, 0 },
	{ "IHL 4", { .payload = 10 }, edit_ihl4, 0, DP_NODE_DROP_MALFORMED, 0 },
	{ "IHL 0", { .payload = 10 }, edit_ihl0, 0, DP_NODE_DROP_MALFORMED, 0 },
	{ "total_length past the frame", { .payload = 10 }, edit_total_long, 0,
	  DP_NODE_DROP_TRUNCATED, 0 },
	{ "total_length < IHL", { .payload = 10 }, edit_total_19, 0,
	  DP_NODE_DROP_MALFORMED, 0 },
	{ "total_length < IHL with options", { .payload = 10, .ihl = 6 }, edit_total_23, 0,
	  DP_NODE_DROP_MALFORMED, 0 },
	{ "datagram too short for a UDP header", { .payload = 10 }, edit_total_27, 0,
	  DP_NODE_DROP_TRUNCATED, 0 },
	{ "bad checksum", { .payload = 10 }, edit_bad_cksum, 0, DP_NODE_DROP_MALFORMED, 0 },
	{ "bad checksum, flag UNKNOWN", { .payload = 10 }, edit_bad_cksum,
	  RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN, DP_NODE_DROP_MALFORMED, 0 },
	{ "good checksum, flag BAD", { .payload = 10 }, NULL,
	  RTE_MBUF_F_RX_IP_CKSUM_BAD, DP_NODE_DROP_MALFORMED, 0 },
	{ "bad checksum, flag GOOD", { .payload = 10 }, edit_bad_cksum,
	  RTE_MBUF_F_RX_IP_CKSUM_GOOD, ACCEPT, 20 },
	{ "good checksum, flag GOOD", { .payload = 10 }, NULL,
	  RTE_MBUF_F_RX_IP_CKSUM_GOOD, ACCEPT, 20 },
	{ "TCP", { .payload = 10 }, edit_tcp, 0, DP_NODE_DROP_NOT_UDP, 0 },
	{ "ICMP", { .payload = 10 }, edit_icmp, 0, DP_NODE_DROP_NOT_UDP, 0 },
	{ "MF set", { .payload = 10 }, edit_mf, 0, DP_NODE_DROP_FRAGMENT, 0 },
	{ "offset 1", { .payload = 10 }, edit_offset, 0, DP_NODE_DROP_FRAGMENT, 0 },
	{ "offset max", { .payload = 10 }, edit_offset_max, 0, DP_NODE_DROP_FRAGMENT, 0 },
	{ "DF and MF", { .payload = 10 }, edit_df_mf, 0, DP_NODE_DROP_FRAGMENT, 0 },
	{ "DF set", { .payload = 10 }, edit_df, 0, ACCEPT, 20 },
	{ "UDP length 0", { .payload = 10 }, edit_udp_len_0, 0, DP_NODE_DROP_MALFORMED, 0 },
	{ "UDP length 7", { .payload = 10 }, edit_udp_len_7, 0, DP_NODE_DROP_MALFORMED, 0 },
	{ "UDP length past the IPv4 payload", { .payload = 10 }, edit_udp_len_long, 0,
	  DP_NODE_DROP_MALFORMED, 0 },
	{ "UDP length shorter than the IPv4 payload", { .payload = 10 }, edit_udp_len_8, 0,
	  ACCEPT, 20 },
	{ "IP options (IHL 6)", { .payload = 10, .ihl = 6 }, NULL, 0, ACCEPT, 24 },
	{ "IP options (IHL 15)", { .payload = 10, .ihl = 15 }, NULL, 0, ACCEPT, 60 },
	{ "bad checksum with options (IHL 6)", { .payload = 10, .ihl = 6 }, edit_bad_cksum,
	  0, DP_NODE_DROP_MALFORMED, 0 },
	{ "bad checksum with options (IHL 15)", { .payload = 10, .ihl = 15 },
	  edit_bad_cksum, 0, DP_NODE_DROP_MALFORMED, 0 },
	{ "first option word changed", { .payload = 10, .ihl = 6 }, edit_first_option, 0,
	  DP_NODE_DROP_MALFORMED, 0 },
	{ "last option word changed", { .payload = 10, .ihl = 15 }, edit_last_option, 0,
	  DP_NODE_DROP_MALFORMED, 0 },
	{ "option changed, flag GOOD", { .payload = 10, .ihl = 6 }, edit_first_option,
	  RTE_MBUF_F_RX_IP_CKSUM_GOOD, ACCEPT, 24 },
	/* Read as if the header had 20 bytes, these would pass for UDP with a
	 * length of 20 (the source port): the header length must come from IHL. */
	{ "options, flag GOOD, UDP where IHL 5 would not have it",
	  { .payload = 10, .ihl = 6, .src_port = 20 }, NULL, RTE_MBUF_F_RX_IP_CKSUM_GOOD,
	  ACCEPT, 24 },
	{ "options of zeros, UDP where IHL 5 would not have it",
	  { .payload = 10, .ihl = 6, .src_port = 20 }, edit_options_eol, 0, ACCEPT, 24 },
	{ "UDP length past the payload with options", { .payload = 10, .ihl = 6 },
	  edit_udp_len_long, 0, DP_NODE_DROP_MALFORMED, 0 },
	{ "Ethernet padding to 60", { .payload = 0, .frame_len = 60 }, NULL, 0, ACCEPT, 20 },
	{ "Ethernet padding, 1-byte payload", { .payload = 1, .frame_len = 60 }, NULL, 0,
	  ACCEPT, 20 },
	{ "trailing bytes past the datagram", { .payload = 100, .frame_len = 200 }, NULL, 0,
	  ACCEPT, 20 },
};

static void
test_check_table(void)
{
	for (size_t i = 0; i < CU_DIM(check_cases); i++) {
		const struct check_case *c = &check_cases[i];
		struct rte_mbuf *m = cu_pkt_udp(pool, &c->pkt);
		int reason;

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		if (c->edit != NULL)
			c->edit(m);
		m->ol_flags = c->ol_flags;
		m->l2_len = 0;
		m->l3_len = 0;
		reason = dp_demux_check(m);
		CU_EXPECT(reason == c->reason, "%s: reason %d (%s), expected %d (%s)", c->name,
			  reason, reason >= 0 && reason < DP_NODE_DROP_MAX ?
			  dp_node_drop_names[reason] : "accept", c->reason,
			  c->reason >= 0 ? dp_node_drop_names[c->reason] : "accept");
		if (c->reason == ACCEPT && reason == ACCEPT) {
			CU_EXPECT_UINT(m->l2_len, 14, c->name);
			CU_EXPECT_UINT(m->l3_len, c->l3_len, c->name);
		}
		rte_pktmbuf_free(m);
	}
}

/*
 * RTE_MBUF_F_RX_IP_CKSUM_NONE (rte_mbuf_core.h): "the IP checksum is not
 * correct in the packet data, but the integrity of the IP header is
 * verified" -- the port vouches for the header, as with GOOD.
 */
static void
test_check_rx_cksum_none(void)
{
	struct cu_pkt p = { .payload = 10 };
	struct rte_mbuf *m = cu_pkt_udp(pool, &p);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	edit_bad_cksum(m);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_NONE;
	CU_EXPECT_INT(dp_demux_check(m), ACCEPT, "checksum not filled, flag NONE");
	rte_pktmbuf_free(m);
}

/*
 * Every single-bit error in the IPv4 header is caught, with and without
 * options: the checksum detects any of them.  A flip in version/IHL or
 * total_length may be refused for what the field now says; anywhere else,
 * the checksum field included, it is a bad checksum.
 */
static void
test_check_bit_flips(void)
{
	static const uint8_t ihls[] = { 5, 6, 15 };

	for (size_t i = 0; i < CU_DIM(ihls); i++) {
		struct cu_pkt p = { .payload = 10, .ihl = ihls[i] };

		for (unsigned int bit = 0; bit < 32u * ihls[i]; bit++) {
			struct rte_mbuf *m = cu_pkt_udp(pool, &p);
			unsigned int byte = bit / 8;
			bool field = byte == 0 || byte == 2 || byte == 3;
			int reason;

			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			((uint8_t *)cu_pkt_ip(m))[byte] ^= (uint8_t)(1u << (bit % 8));
			reason = dp_demux_check(m);
			CU_EXPECT(field ? reason != ACCEPT : reason == DP_NODE_DROP_MALFORMED,
				  "IHL %u, header bit %u flipped: reason %d", ihls[i], bit,
				  reason);
			rte_pktmbuf_free(m);
		}
	}
}

/* Word 'i' of the IPv4 header of 'm', as the host reads it. */
static uint64_t
ip_word(struct rte_mbuf *m, unsigned int i)
{
	uint32_t w;

	memcpy(&w, (uint8_t *)cu_pkt_ip(m) + i * sizeof(w), sizeof(w));
	return w;
}

/*
 * Headers whose 32-bit words, as the host reads them, add up to a sum
 * whose fold carries: the source address, which demux does not read, is
 * set to make up the sum.  A sum of 0 mod 0xffff is a correct header
 * (rte_raw_cksum, the reference, agrees), and one more is not.
 */
static void
test_check_cksum_carries(void)
{
	static const struct {
		const char *name;
		uint64_t sum;
		rte_be16_t cksum;       /* checksum field, to place the sum in reach */
	} cases[] = {
		{ "both 16-bit folds carry", 0xffffffff, 0 },
		{ "carry out of 32 bits", 0x10000fffe, 0 },
		{ "carry out of 32 bits, then both 16-bit folds", 0x1fffffffe, 0xffff },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		for (unsigned int off = 0; off < 2; off++) {
			struct cu_pkt p = { .payload = 10 };
			struct rte_mbuf *m = cu_pkt_udp(pool, &p);
			struct rte_ipv4_hdr *ip;
			uint64_t rest;
			uint32_t src;

			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			ip = cu_pkt_ip(m);
			ip->hdr_checksum = cases[i].cksum;
			rest = ip_word(m, 0) + ip_word(m, 1) + ip_word(m, 2) + ip_word(m, 4);
			CU_ASSERT_FATAL(rest <= cases[i].sum &&
					cases[i].sum + off - rest <= UINT32_MAX);
			src = (uint32_t)(cases[i].sum + off - rest);
			memcpy(&ip->src_addr, &src, sizeof(src));
			CU_EXPECT_UINT(rte_raw_cksum(ip, sizeof(*ip)) == 0xffff, !off,
				       cases[i].name);
			CU_EXPECT_INT(dp_demux_check(m), off ? DP_NODE_DROP_MALFORMED : ACCEPT,
				      cases[i].name);
			rte_pktmbuf_free(m);
		}
	}
}

/* Chained packets: the headers must be in the first segment, and padding
 * must be trimmable from the last one. */
static void
test_check_chains(void)
{
	static const struct {
		const char *name;
		struct cu_pkt pkt;
		uint16_t tail;          /* bytes moved to a second segment */
		int reason;
	} cases[] = {
		{ "payload in the second segment", { .payload = 100 }, 60, ACCEPT },
		{ "UDP header split", { .payload = 0 }, 4, DP_NODE_DROP_TRUNCATED },
		{ "padding fits in the last segment", { .payload = 10, .frame_len = 60 }, 8,
		  ACCEPT },
		{ "padding longer than the last segment", { .payload = 0, .frame_len = 60 }, 2,
		  DP_NODE_DROP_MALFORMED },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		struct rte_mbuf *m = cu_pkt_udp(pool, &cases[i].pkt);

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_EQUAL_FATAL(cu_pkt_split(pool, m, cases[i].tail), 0);
		CU_EXPECT_UINT(m->nb_segs, 2, cases[i].name);
		CU_EXPECT_INT(dp_demux_check(m), cases[i].reason, cases[i].name);
		rte_pktmbuf_free(m);
	}
}

/*
 * dp_demux_burst() fixtures: slice A in slot 3 and slice B in the last
 * slot, with bindings on port 0 (address IP_1) and one on port 1 (IP_3).
 */
#define SLOT_A 3
#define SLOT_B (SP_MAX_SLICES - 1)
#define IP_1 CU_IPV4(192, 0, 2, 1)
#define IP_2 CU_IPV4(192, 0, 2, 2)
#define IP_3 CU_IPV4(192, 0, 2, 3)

struct fixture {
	struct dp_view *v;
	struct dp_slice *a, *b;
	struct dp_lcore_stats *st;
};

static void
binding_set(struct dp_slice *s, unsigned int id, uint16_t port_id, uint32_t ip,
	    uint16_t udp_port)
{
	s->bindings[id] = (struct dp_binding){
		.present = true,
		.port_id = port_id,
		.stat = (uint16_t)(s->slot * 2 + id),
		.ip = rte_cpu_to_be_32(ip),
		.udp_port = rte_cpu_to_be_16(udp_port),
	};
}

/* Builds the view: A.0 = (0, IP_1, 5000), A.2 = (0, IP_1, 5002),
 * B.1 = (0, IP_1, 5003), B.63 = (1, IP_3, 6000).  Returns 0 or -1. */
static int
fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->v = dp_view_clone(NULL);
	f->a = dp_slice_alloc(SLOT_A, &pm_passthrough_ops, 0, 0, 0);
	f->b = dp_slice_alloc(SLOT_B, &pm_passthrough_ops, 0, 0, 0);
	f->st = rte_zmalloc("ut_stats", sizeof(*f->st), RTE_CACHE_LINE_SIZE);
	if (f->v == NULL || f->a == NULL || f->b == NULL || f->st == NULL)
		return -1;
	binding_set(f->a, 0, 0, IP_1, 5000);
	binding_set(f->a, 2, 0, IP_1, 5002);
	binding_set(f->b, 1, 0, IP_1, 5003);
	binding_set(f->b, SP_MAX_BINDINGS_PER_SLICE - 1, 1, IP_3, 6000);
	f->v->slices[SLOT_A] = f->a;
	f->v->slices[SLOT_B] = f->b;
	return dp_view_build_demux(f->v) == 0 ? 0 : -1;
}

static void
fixture_fini(struct fixture *f)
{
	dp_view_free(f->v);
	dp_slice_free(f->a);
	dp_slice_free(f->b);
	rte_free(f->st);
}

/* A UDP packet to ip:port, its dp_meta filled with junk. */
static struct rte_mbuf *
pkt_to(uint32_t ip, uint16_t port)
{
	struct cu_pkt p = { .dst_ip = ip, .dst_port = port, .payload = 20 };
	struct rte_mbuf *m = cu_pkt_udp(pool, &p);

	if (m != NULL)
		memset(dp_meta(m), 0xff, sizeof(struct dp_meta));
	return m;
}

/* A packet to ip:port broken by 'edit'. */
static struct rte_mbuf *
pkt_bad(uint32_t ip, uint16_t port, void (*edit)(struct rte_mbuf *m))
{
	struct rte_mbuf *m = pkt_to(ip, port);

	if (m != NULL)
		edit(m);
	return m;
}

/* How many bindings v's demux tables hold. */
static unsigned int
demux_count(const struct dp_view *v)
{
	unsigned int n = 0;

	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++)
		for (unsigned int u = 0; v->demux[p] != NULL && u <= UINT16_MAX; u++)
			n += v->demux[p]->entry[u] != 0;
	return n;
}

/* How many ports have a demux table in v. */
static unsigned int
demux_tables(const struct dp_view *v)
{
	unsigned int n = 0;

	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++)
		n += v->demux[p] != NULL;
	return n;
}

/* Checks st->node_drops against expected[] and that nothing else moved. */
static void
expect_drops(const struct dp_lcore_stats *st, const uint64_t expected[DP_NODE_DROP_MAX],
	     const char *ctx)
{
	uint64_t other = 0;

	for (unsigned int r = 0; r < DP_NODE_DROP_MAX; r++)
		CU_EXPECT(st->node_drops[r] == expected[r], "%s: node_drops[%s] is %" PRIu64
			  ", expected %" PRIu64, ctx, dp_node_drop_names[r],
			  st->node_drops[r], expected[r]);
	for (unsigned int s = 0; s < SP_MAX_SLICES; s++)
		for (unsigned int r = 0; r < DP_SLICE_DROP_MAX; r++)
			other |= st->slice_drops[s][r];
	for (unsigned int b = 0; b < SP_MAX_BINDING_SLOTS; b++)
		other |= st->binding[b].rx_packets | st->binding[b].rx_bytes |
			 st->binding[b].tx_packets | st->binding[b].tx_bytes;
	CU_EXPECT(other == 0, "%s: demux wrote counters other than node_drops", ctx);
}

static void
free_burst(struct rte_mbuf **pkts, uint16_t n)
{
	rte_pktmbuf_free_bulk(pkts, n);
}

static void
test_burst_mixed(void)
{
	struct fixture f;
	struct rte_mbuf *pkts[13], *in[13];
	const unsigned int avail = rte_mempool_avail_count(pool);
	struct cu_pkt padded = { .dst_ip = IP_1, .dst_port = 5000, .payload = 0,
				 .frame_len = 60 };
	static const struct {
		unsigned int in;        /* index in the input burst */
		uint16_t slice, binding;
	} kept[] = {
		{ 0, SLOT_A, 0 }, { 2, SLOT_B, 1 }, { 4, SLOT_A, 2 }, { 10, SLOT_B, 1 },
		{ 11, SLOT_A, 0 },
	};
	uint64_t drops[DP_NODE_DROP_MAX] = {
		[DP_NODE_DROP_TRUNCATED] = 1, [DP_NODE_DROP_NOT_UDP] = 1,
		[DP_NODE_DROP_NOT_IPV4] = 1, [DP_NODE_DROP_FRAGMENT] = 1,
		[DP_NODE_DROP_MALFORMED] = 1, [DP_NODE_DROP_NO_BINDING] = 3,
	};
	uint16_t n;

	CU_ASSERT_EQUAL_FATAL(fixture_init(&f), 0);
	in[0] = pkt_to(IP_1, 5000);                     /* A.0 */
	in[1] = pkt_to(IP_1, 5001);                     /* no binding */
	in[2] = pkt_to(IP_1, 5003);                     /* B.1 */
	in[3] = pkt_bad(IP_1, 5000, edit_runt);
	in[4] = pkt_to(IP_1, 5002);                     /* A.2 */
	in[5] = pkt_bad(IP_1, 5000, edit_tcp);
	in[6] = pkt_bad(IP_1, 5000, edit_arp);
	in[7] = pkt_bad(IP_1, 5000, edit_mf);
	in[8] = pkt_bad(IP_1, 5003, edit_bad_cksum);
	in[9] = pkt_to(IP_3, 6000);                     /* bound on port 1 only */
	in[10] = pkt_to(IP_1, 5003);                    /* B.1 */
	in[11] = cu_pkt_udp(pool, &padded);             /* A.0, padded */
	in[12] = pkt_to(IP_2, 5000);                    /* not port 0's address */
	for (unsigned int i = 0; i < CU_DIM(in); i++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(in[i]);
	memset(dp_meta(in[11]), 0xff, sizeof(struct dp_meta));
	memcpy(pkts, in, sizeof(in));
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), avail - CU_DIM(in), "allocated");

	n = dp_demux_burst(f.v->demux[0], pkts, CU_DIM(in), f.st);

	CU_EXPECT_UINT(n, CU_DIM(kept), "kept");
	for (unsigned int i = 0; i < CU_DIM(kept) && i < n; i++) {
		char ctx[32];

		snprintf(ctx, sizeof(ctx), "kept[%u]", i);
		CU_EXPECT(pkts[i] == in[kept[i].in], "%s is not input packet %u", ctx,
			  kept[i].in);
		CU_EXPECT_UINT(dp_meta(pkts[i])->slice, kept[i].slice, ctx);
		CU_EXPECT_UINT(dp_meta(pkts[i])->binding, kept[i].binding, ctx);
		CU_EXPECT_UINT(pkts[i]->l2_len, 14, ctx);
		CU_EXPECT_UINT(pkts[i]->l3_len, 20, ctx);
	}
	expect_drops(f.st, drops, "mixed burst");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), avail - n,
		       "dropped packets went back to the pool");
	free_burst(pkts, n);
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), avail, "all back");
	fixture_fini(&f);
}

/* The input port is part of the key. */
static void
test_burst_port_in_key(void)
{
	struct fixture f;
	struct rte_mbuf *pkts[2];
	uint64_t drops[DP_NODE_DROP_MAX] = { [DP_NODE_DROP_NO_BINDING] = 1 };
	uint16_t n;

	CU_ASSERT_EQUAL_FATAL(fixture_init(&f), 0);
	pkts[0] = pkt_to(IP_1, 5000);   /* A.0 is on port 0 */
	pkts[1] = pkt_to(IP_3, 6000);   /* B.63 is on port 1 */
	CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[1]);

	n = dp_demux_burst(f.v->demux[1], pkts, 2, f.st);
	CU_EXPECT_UINT(n, 1, "port 1");
	if (n == 1) {
		CU_EXPECT_UINT(dp_meta(pkts[0])->slice, SLOT_B, "B.63 slot");
		CU_EXPECT_UINT(dp_meta(pkts[0])->binding, SP_MAX_BINDINGS_PER_SLICE - 1,
			       "B.63 binding");
	}
	expect_drops(f.st, drops, "port 1");
	free_burst(pkts, n);
	fixture_fini(&f);
}

/* Without a demux table every acceptable packet is a miss. */
static void
test_burst_null_table(void)
{
	struct fixture f;
	struct rte_mbuf *pkts[4];
	const unsigned int avail = rte_mempool_avail_count(pool);
	uint64_t drops[DP_NODE_DROP_MAX] = {
		[DP_NODE_DROP_NO_BINDING] = 3, [DP_NODE_DROP_NOT_IPV4] = 1,
	};

	CU_ASSERT_EQUAL_FATAL(fixture_init(&f), 0);
	pkts[0] = pkt_to(IP_1, 5000);
	pkts[1] = pkt_bad(IP_1, 5000, edit_ipv6);
	pkts[2] = pkt_to(IP_2, 5000);
	pkts[3] = pkt_to(IP_1, 9999);
	for (unsigned int i = 0; i < CU_DIM(pkts); i++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);

	CU_EXPECT_UINT(dp_demux_burst(NULL, pkts, 4, f.st), 0, "NULL table");
	expect_drops(f.st, drops, "NULL table");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), avail, "all freed");
	fixture_fini(&f);
}

/* Nothing acceptable, and nothing at all. */
static void
test_burst_nothing_kept(void)
{
	struct fixture f;
	struct rte_mbuf *pkts[2];
	const unsigned int avail = rte_mempool_avail_count(pool);
	uint64_t drops[DP_NODE_DROP_MAX] = { [DP_NODE_DROP_TRUNCATED] = 2 };
	uint64_t none[DP_NODE_DROP_MAX] = { 0 };

	CU_ASSERT_EQUAL_FATAL(fixture_init(&f), 0);
	CU_EXPECT_UINT(dp_demux_burst(f.v->demux[0], pkts, 0, f.st), 0, "empty burst");
	expect_drops(f.st, none, "empty burst");

	/* Counters add up over bursts. */
	for (int round = 0; round < 2; round++) {
		pkts[0] = pkt_bad(IP_1, 5000, edit_runt);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[0]);
		CU_EXPECT_UINT(dp_demux_burst(f.v->demux[0], pkts, 1, f.st), 0, "runt");
	}
	expect_drops(f.st, drops, "two runts");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), avail, "all freed");
	fixture_fini(&f);
}

/* A burst longer than an rx burst and not a multiple of one, all hits:
 * the last one too. */
static void
test_burst_largest(void)
{
	struct fixture f;
	struct rte_mbuf *pkts[2 * SP_BURST + 1], *in[2 * SP_BURST + 1];
	uint64_t none[DP_NODE_DROP_MAX] = { 0 };
	uint16_t n;

	CU_ASSERT_EQUAL_FATAL(fixture_init(&f), 0);
	for (unsigned int i = 0; i < CU_DIM(in); i++) {
		in[i] = i % 2 ? pkt_to(IP_1, 5003) : pkt_to(IP_1, 5002);
		CU_ASSERT_PTR_NOT_NULL_FATAL(in[i]);
	}
	memcpy(pkts, in, sizeof(in));

	n = dp_demux_burst(f.v->demux[0], pkts, CU_DIM(in), f.st);
	CU_EXPECT_UINT(n, CU_DIM(in), "all kept");
	for (unsigned int i = 0; i < n; i++) {
		char ctx[32];

		snprintf(ctx, sizeof(ctx), "pkts[%u]", i);
		CU_EXPECT(pkts[i] == in[i], "%s: order", ctx);
		CU_EXPECT_UINT(dp_meta(pkts[i])->slice, i % 2 ? SLOT_B : SLOT_A, ctx);
		CU_EXPECT_UINT(dp_meta(pkts[i])->binding, i % 2 ? 1 : 2, ctx);
	}
	expect_drops(f.st, none, "largest burst");
	free_burst(pkts, n);
	fixture_fini(&f);
}

/* Packets with IPv4 options find their binding past the options, and are
 * refused by their own checksum. */
static void
test_burst_ip_options(void)
{
	struct fixture f;
	struct cu_pkt opt = { .dst_ip = IP_1, .dst_port = 5002, .payload = 20, .ihl = 7 };
	struct rte_mbuf *pkts[3];
	uint64_t drops[DP_NODE_DROP_MAX] = { [DP_NODE_DROP_MALFORMED] = 1 };
	uint16_t n;

	CU_ASSERT_EQUAL_FATAL(fixture_init(&f), 0);
	pkts[0] = cu_pkt_udp(pool, &opt);               /* A.2 */
	pkts[1] = cu_pkt_udp(pool, &opt);
	opt.dst_port = 5003;
	pkts[2] = cu_pkt_udp(pool, &opt);               /* B.1 */
	for (unsigned int i = 0; i < CU_DIM(pkts); i++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);
	edit_first_option(pkts[1]);

	n = dp_demux_burst(f.v->demux[0], pkts, CU_DIM(pkts), f.st);
	CU_EXPECT_UINT(n, 2, "kept");
	if (n == 2) {
		CU_EXPECT_UINT(dp_meta(pkts[0])->slice, SLOT_A, "A.2 slot");
		CU_EXPECT_UINT(dp_meta(pkts[0])->binding, 2, "A.2 binding");
		CU_EXPECT_UINT(dp_meta(pkts[1])->slice, SLOT_B, "B.1 slot");
		CU_EXPECT_UINT(dp_meta(pkts[1])->binding, 1, "B.1 binding");
		CU_EXPECT_UINT(pkts[0]->l3_len, 28, "l3_len");
	}
	expect_drops(f.st, drops, "options");
	free_burst(pkts, n);
	fixture_fini(&f);
}

/* The UDP port is bound on the input port, but to the port's address: any
 * other address is no binding, another port's included. */
static void
test_burst_other_address(void)
{
	struct fixture f;
	struct rte_mbuf *pkts[3];
	uint64_t drops[DP_NODE_DROP_MAX] = { [DP_NODE_DROP_NO_BINDING] = 2 };
	uint16_t n;

	CU_ASSERT_EQUAL_FATAL(fixture_init(&f), 0);
	pkts[0] = pkt_to(IP_2, 5000);
	pkts[1] = pkt_to(IP_3, 5000);   /* port 1's address */
	pkts[2] = pkt_to(IP_1, 5000);   /* A.0 */
	for (unsigned int i = 0; i < CU_DIM(pkts); i++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);

	n = dp_demux_burst(f.v->demux[0], pkts, CU_DIM(pkts), f.st);
	CU_EXPECT_UINT(n, 1, "kept");
	if (n == 1) {
		CU_EXPECT_UINT(dp_meta(pkts[0])->slice, SLOT_A, "A.0 slot");
		CU_EXPECT_UINT(dp_meta(pkts[0])->binding, 0, "A.0 binding");
	}
	expect_drops(f.st, drops, "other address");
	free_burst(pkts, n);
	fixture_fini(&f);
}

/* A port with no binding has no table: a packet to any port's address and
 * bound UDP port is no binding there. */
static void
test_burst_port_without_table(void)
{
	struct fixture f;
	struct rte_mbuf *pkts[3];
	const unsigned int avail = rte_mempool_avail_count(pool);
	uint64_t drops[DP_NODE_DROP_MAX] = {
		[DP_NODE_DROP_NO_BINDING] = 2, [DP_NODE_DROP_NOT_UDP] = 1,
	};

	CU_ASSERT_EQUAL_FATAL(fixture_init(&f), 0);
	CU_EXPECT(f.v->demux[2] == NULL, "port 2 has a table");
	pkts[0] = pkt_to(IP_1, 5000);
	pkts[1] = pkt_to(IP_3, 6000);
	pkts[2] = pkt_bad(IP_1, 5000, edit_tcp);
	for (unsigned int i = 0; i < CU_DIM(pkts); i++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);

	CU_EXPECT_UINT(dp_demux_burst(f.v->demux[2], pkts, CU_DIM(pkts), f.st), 0,
		       "port 2");
	expect_drops(f.st, drops, "port 2");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), avail, "all freed");
	fixture_fini(&f);
}

/* The first and last entries of a table, and their neighbours. */
static void
test_burst_udp_port_limits(void)
{
	static const struct {
		uint16_t udp_port;
		bool bound;
		uint16_t binding;
	} cases[] = {
		{ 0, true, 0 }, { 1, true, 1 }, { 2, false, 0 },
		{ 65533, false, 0 }, { 65534, true, 62 }, { 65535, true, 63 },
	};
	struct dp_view *v = dp_view_clone(NULL);
	struct dp_slice *s = dp_slice_alloc(SLOT_B, &pm_passthrough_ops, 0, 0, 0);
	struct dp_lcore_stats *st = rte_zmalloc("ut_stats", sizeof(*st), RTE_CACHE_LINE_SIZE);
	struct rte_mbuf *pkts[CU_DIM(cases)];
	uint64_t drops[DP_NODE_DROP_MAX] = { [DP_NODE_DROP_NO_BINDING] = 2 };
	unsigned int k = 0;
	uint16_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	for (unsigned int i = 0; i < CU_DIM(cases); i++)
		if (cases[i].bound)
			binding_set(s, cases[i].binding, 0, IP_1, cases[i].udp_port);
	v->slices[SLOT_B] = s;
	CU_ASSERT_EQUAL_FATAL(dp_view_build_demux(v), 0);
	for (unsigned int i = 0; i < CU_DIM(cases); i++) {
		/* cu_pkt_udp() takes port 0 for its default. */
		pkts[i] = pkt_to(IP_1, 1);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);
		cu_pkt_udph(pkts[i])->dst_port = rte_cpu_to_be_16(cases[i].udp_port);
	}

	n = dp_demux_burst(v->demux[0], pkts, CU_DIM(cases), st);
	CU_EXPECT_UINT(n, CU_DIM(cases) - 2, "kept");
	for (unsigned int i = 0; i < CU_DIM(cases) && k < n; i++) {
		char ctx[32];

		if (!cases[i].bound)
			continue;
		snprintf(ctx, sizeof(ctx), "UDP port %u", cases[i].udp_port);
		CU_EXPECT_UINT(rte_be_to_cpu_16(cu_pkt_udph(pkts[k])->dst_port),
			       cases[i].udp_port, ctx);
		CU_EXPECT_UINT(dp_meta(pkts[k])->slice, SLOT_B, ctx);
		CU_EXPECT_UINT(dp_meta(pkts[k])->binding, cases[i].binding, ctx);
		k++;
	}
	expect_drops(st, drops, "UDP port limits");
	free_burst(pkts, n);
	rte_free(st);
	dp_view_free(v);
	dp_slice_free(s);
}

/*
 * Every slot holds a slice with four bindings, two on port 0 and two on
 * port 1, on UDP ports spread over the whole range: each packet finds its
 * own slice and binding, and its UDP port on the other port finds nothing.
 */
#define MANY_BINDINGS 4

/* The UDP port of binding k of the slice in 'slot': distinct for each. */
static uint16_t
many_udp_port(unsigned int slot, unsigned int k)
{
	return (uint16_t)((slot * MANY_BINDINGS + k) * 16 + 7);
}

static void
test_burst_many_slices(void)
{
	static const uint16_t ids[MANY_BINDINGS] = {
		0, 21, 42, SP_MAX_BINDINGS_PER_SLICE - 1
	};
	static const uint32_t port_ip[2] = { IP_1, IP_3 };
	struct dp_view *v = dp_view_clone(NULL);
	struct dp_slice **s = calloc(SP_MAX_SLICES, sizeof(*s));
	struct dp_lcore_stats *st = rte_zmalloc("ut_stats", sizeof(*st), RTE_CACHE_LINE_SIZE);
	uint64_t drops[DP_NODE_DROP_MAX] = {
		[DP_NODE_DROP_NO_BINDING] = SP_MAX_SLICES * MANY_BINDINGS,
	};
	unsigned int wrong = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		s[i] = dp_slice_alloc((uint16_t)i, &pm_passthrough_ops, 0, 0, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s[i]);
		for (unsigned int k = 0; k < MANY_BINDINGS; k++)
			binding_set(s[i], ids[k], (uint16_t)(k % 2), port_ip[k % 2],
				    many_udp_port(i, k));
		v->slices[i] = s[i];
	}
	CU_ASSERT_EQUAL_FATAL(dp_view_build_demux(v), 0);
	CU_EXPECT_UINT(demux_count(v), SP_MAX_SLICES * MANY_BINDINGS, "keys");

	/* Each slice's packets to each port: its own two bindings, then the
	 * other port's two UDP ports. */
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		for (unsigned int port = 0; port < 2; port++) {
			struct rte_mbuf *pkts[MANY_BINDINGS];
			uint16_t n;

			for (unsigned int k = 0; k < MANY_BINDINGS; k++) {
				pkts[k] = pkt_to(port_ip[port],
						 many_udp_port(i, (k + port) % MANY_BINDINGS));
				CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[k]);
			}
			n = dp_demux_burst(v->demux[port], pkts, MANY_BINDINGS, st);
			wrong += n != 2;
			for (unsigned int k = 0; k < n && n == 2; k++)
				wrong += dp_meta(pkts[k])->slice != i ||
					 dp_meta(pkts[k])->binding != ids[k * 2 + port];
			free_burst(pkts, n);
		}
	}
	CU_EXPECT_UINT(wrong, 0, "bursts with a packet kept wrong or dropped");
	expect_drops(st, drops, "many slices");
	dp_view_free(v);
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++)
		dp_slice_free(s[i]);
	free(s);
	rte_free(st);
}

/* Every binding of two full slices is in the table with its slot and id. */
static void
test_build_demux_full_slices(void)
{
	struct dp_view *v = dp_view_clone(NULL);
	struct dp_slice *s[2] = {
		dp_slice_alloc(0, &pm_passthrough_ops, 0, 0, 0),
		dp_slice_alloc(SP_MAX_SLICES - 1, &pm_passthrough_ops, 0, 0, 0),
	};

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s[1]);
	for (unsigned int k = 0; k < 2; k++) {
		for (unsigned int b = 0; b < SP_MAX_BINDINGS_PER_SLICE; b++)
			binding_set(s[k], b, (uint16_t)k, IP_1, (uint16_t)(1000 + b));
		v->slices[s[k]->slot] = s[k];
	}
	CU_ASSERT_EQUAL_FATAL(dp_view_build_demux(v), 0);
	CU_EXPECT_UINT(demux_tables(v), 2, "tables");
	CU_EXPECT_UINT(demux_count(v), 2 * SP_MAX_BINDINGS_PER_SLICE, "keys");
	for (unsigned int k = 0; k < 2; k++) {
		const struct dp_demux_port *t = v->demux[k];

		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		CU_EXPECT_UINT(t->ip, rte_cpu_to_be_32(IP_1), "port's address");
		for (unsigned int b = 0; b < SP_MAX_BINDINGS_PER_SLICE; b++) {
			uint32_t e = t->entry[1000 + b];
			char ctx[48];

			snprintf(ctx, sizeof(ctx), "slot %u binding %u", s[k]->slot, b);
			CU_EXPECT(e != 0, "%s: no entry", ctx);
			CU_EXPECT_UINT(DP_DEMUX_SLOT(e), s[k]->slot, ctx);
			CU_EXPECT_UINT(DP_DEMUX_BINDING(e), b, ctx);
		}
	}
	dp_view_free(v);
	dp_slice_free(s[0]);
	dp_slice_free(s[1]);
}

/* Two bindings with one key, or with two addresses on one port, are
 * refused and leave the view without a table. */
static void
test_build_demux_duplicates(void)
{
	static const struct {
		const char *name;
		unsigned int slice;     /* 0 or 1: which slice gets the second */
		uint16_t port_id;
		uint32_t ip;
		uint16_t udp_port;
		int rc;
	} cases[] = {
		{ "same key, same slice", 0, 0, IP_1, 5000, -EEXIST },
		{ "same key, other slice", 1, 0, IP_1, 5000, -EEXIST },
		{ "other port", 1, 1, IP_1, 5000, 0 },
		{ "other address on the port", 1, 0, IP_2, 5000, -EINVAL },
		{ "other address on the port, other UDP port", 0, 0, IP_2, 5001, -EINVAL },
		{ "other port and address", 1, 1, IP_2, 5000, 0 },
		{ "port id out of range", 1, RTE_MAX_ETHPORTS, IP_1, 5001, -EINVAL },
		{ "other UDP port", 0, 0, IP_1, 5001, 0 },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		struct dp_view *v = dp_view_clone(NULL);
		struct dp_slice *s[2] = {
			dp_slice_alloc(1, &pm_passthrough_ops, 0, 0, 0),
			dp_slice_alloc(2, &pm_passthrough_ops, 0, 0, 0),
		};

		CU_ASSERT_PTR_NOT_NULL_FATAL(v);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s[0]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s[1]);
		binding_set(s[0], 0, 0, IP_1, 5000);
		binding_set(s[cases[i].slice], 5, cases[i].port_id, cases[i].ip,
			    cases[i].udp_port);
		v->slices[1] = s[0];
		v->slices[2] = s[1];
		CU_EXPECT_INT(dp_view_build_demux(v), cases[i].rc, cases[i].name);
		if (cases[i].rc != 0)
			CU_EXPECT(demux_tables(v) == 0, "%s: a refused build left a table",
				  cases[i].name);
		else
			CU_EXPECT(demux_count(v) == 2, "%s: two keys", cases[i].name);
		dp_view_free(v);
		dp_slice_free(s[0]);
		dp_slice_free(s[1]);
	}
}

/* A second build replaces the first one's tables and frees them; a
 * refused one keeps them. */
static void
test_build_demux_rebuild(void)
{
	const unsigned int base = cu_heap_blocks();
	struct dp_view *v = dp_view_clone(NULL);
	struct dp_slice *s = dp_slice_alloc(4, &pm_passthrough_ops, 0, 0, 0);
	const struct dp_demux_port *first;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	binding_set(s, 0, 0, IP_1, 5000);
	binding_set(s, 1, 1, IP_3, 6000);
	v->slices[4] = s;
	CU_ASSERT_EQUAL_FATAL(dp_view_build_demux(v), 0);
	first = v->demux[0];

	s->bindings[1].present = false;
	binding_set(s, 2, 0, IP_1, 5001);
	CU_ASSERT_EQUAL_FATAL(dp_view_build_demux(v), 0);
	CU_EXPECT_UINT(demux_tables(v), 1, "tables after the rebuild");
	CU_EXPECT_UINT(demux_count(v), 2, "keys after the rebuild");
	CU_EXPECT(v->demux[0] != NULL && v->demux[0]->entry[5001] == DP_DEMUX_ENTRY(4, 2),
		  "the new binding is not in the new table");
	CU_EXPECT(v->demux[0] != first, "the rebuild kept the first table");

	binding_set(s, 3, 0, IP_2, 5002);
	first = v->demux[0];
	CU_EXPECT_INT(dp_view_build_demux(v), -EINVAL, "two addresses on port 0");
	CU_EXPECT(v->demux[0] == first && demux_count(v) == 2,
		  "a refused build changed the tables");

	dp_view_free(v);
	dp_slice_free(s);
	CU_EXPECT_UINT(cu_heap_blocks(), base, "allocations left behind");
}

/* A view with no slices builds no table, and every packet misses. */
static void
test_build_demux_empty(void)
{
	struct dp_view *v = dp_view_clone(NULL);
	struct dp_lcore_stats *st = rte_zmalloc("ut_stats", sizeof(*st), RTE_CACHE_LINE_SIZE);
	uint64_t drops[DP_NODE_DROP_MAX] = { [DP_NODE_DROP_NO_BINDING] = 1 };
	struct rte_mbuf *m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_EQUAL(dp_view_build_demux(v), 0);
	CU_EXPECT_UINT(demux_tables(v), 0, "tables");
	m = pkt_to(IP_1, 5000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_EXPECT_UINT(dp_demux_burst(v->demux[0], &m, 1, st), 0, "empty table");
	expect_drops(st, drops, "empty table");
	rte_free(st);
	dp_view_free(v);
}

static void
test_slice_alloc_and_clone(void)
{
	struct dp_slice *s = dp_slice_alloc(7, &pm_passthrough_ops, 0, 0, 0);
	struct dp_view *v = dp_view_clone(NULL), *c;
	unsigned int present = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_EXPECT_UINT(s->slot, 7, "slot");
	CU_EXPECT(s->pm == &pm_passthrough_ops, "pm");
	for (unsigned int b = 0; b < SP_MAX_BINDINGS_PER_SLICE; b++)
		present += s->bindings[b].present;
	CU_EXPECT_UINT(present, 0, "no binding in a new slice");

	binding_set(s, 0, 0, IP_1, 5000);
	v->slices[7] = s;
	CU_ASSERT_EQUAL_FATAL(dp_view_build_demux(v), 0);
	c = dp_view_clone(v);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_EXPECT(c->slices[7] == s, "clone shares the slice");
	CU_EXPECT_UINT(demux_tables(c), 0, "clone has no demux table");
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++)
		if (i != 7 && c->slices[i] != NULL)
			CU_FAIL("clone has a slice the original does not");
	dp_view_free(c);
	/* The original's table is intact. */
	CU_EXPECT_UINT(demux_count(v), 1, "original's table");
	dp_view_free(v);
	dp_slice_free(s);
	dp_view_free(NULL);
	dp_slice_free(NULL);
}

static const struct cu_case check_suite[] = {
	CU_CASE(test_check_table),
	CU_CASE(test_check_rx_cksum_none),
	CU_CASE(test_check_bit_flips),
	CU_CASE(test_check_cksum_carries),
	CU_CASE(test_check_chains),
};

static const struct cu_case burst_suite[] = {
	CU_CASE(test_burst_mixed),
	CU_CASE(test_burst_port_in_key),
	CU_CASE(test_burst_null_table),
	CU_CASE(test_burst_nothing_kept),
	CU_CASE(test_burst_largest),
	CU_CASE(test_burst_ip_options),
	CU_CASE(test_burst_other_address),
	CU_CASE(test_burst_port_without_table),
	CU_CASE(test_burst_udp_port_limits),
	CU_CASE(test_burst_many_slices),
};

static const struct cu_case tables_suite[] = {
	CU_CASE(test_build_demux_full_slices),
	CU_CASE(test_build_demux_duplicates),
	CU_CASE(test_build_demux_rebuild),
	CU_CASE(test_build_demux_empty),
	CU_CASE(test_slice_alloc_and_clone),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("dataplane/demux: dp_demux_check", demux_suite_init, demux_suite_clean,
		 check_suite),
	CU_SUITE("dataplane/demux: dp_demux_burst", demux_suite_init, demux_suite_clean,
		 burst_suite),
	CU_SUITE("dataplane/tables", demux_suite_init, demux_suite_clean, tables_suite),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
