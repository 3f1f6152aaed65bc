/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests of pm/ipv4: the inner packet checks, the TTL decrement with
 * its incremental checksum update, and the code option's parse and format
 * stages on overlay packets (tests/unit/dataplane/cu_pkt.h).
 */

#include "pm/ipv4/ipv4.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dataplane/demux.h"
#include "dataplane/meta.h"
#include "dataplane/tables.h"
#include "tests/unit/cu_main.h"
#include "tests/unit/dataplane/cu_pkt.h"

#define ACCEPT (-1)             /* pm_ipv4_check(): the packet can be routed */
#define MALFORMED DP_SLICE_DROP_MALFORMED
#define TTL_EXPIRED DP_SLICE_DROP_TTL_EXPIRED
#define POOL_SIZE 255
#define TTL_DEC_ROUNDS 100000

static struct rte_mempool *pool;

static int
ipv4_suite_init(void)
{
	if (cu_eal_init("pm_ipv4") != 0 || dp_meta_register() != 0)
		return -1;
	pool = rte_pktmbuf_pool_create("ut_pm_ipv4", POOL_SIZE, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool != NULL ? 0 : -1;
}

static int
ipv4_suite_clean(void)
{
	unsigned int avail = rte_mempool_avail_count(pool);

	rte_mempool_free(pool);
	pool = NULL;
	/* Every case gives back what it takes. */
	return avail == POOL_SIZE ? 0 : -1;
}

static const char *
reason_name(int reason)
{
	return reason == ACCEPT ? "accept" :
	       reason >= 0 && reason < DP_SLICE_DROP_MAX ? dp_slice_drop_names[reason] : "?";
}

/* Deterministic xorshift64* generator. */
static uint64_t rng_state = 0x1234567887654321ULL;

static uint32_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* ---- pm_ipv4_check ---- */

/* An inner packet in a buffer, as the UDP payload would hold it. */
struct buf {
	union {
		struct rte_ipv4_hdr ip;
		uint8_t b[128];
	};
	uint16_t len;           /* what the check is told */
};

static void
buf_cksum(struct buf *p)
{
	p->ip.hdr_checksum = 0;
	p->ip.hdr_checksum = rte_ipv4_cksum(&p->ip);
}

static void
edit_len_19(struct buf *p)
{
	p->len = 19;
}

static void
edit_len_0(struct buf *p)
{
	p->len = 0;
}

static void
edit_version6(struct buf *p)
{
	p->ip.version_ihl = 0x65;
	buf_cksum(p);
}

static void
edit_version0(struct buf *p)
{
	p->ip.version_ihl = 0x05;
	buf_cksum(p);
}

static void
edit_ihl4(struct buf *p)
{
	p->ip.version_ihl = 0x44;
	buf_cksum(p);
}

static void
edit_ihl0(struct buf *p)
{
	p->ip.version_ihl = 0x40;
}

/* A 32-byte packet whose header says 36 bytes (IHL 9). */
static void
edit_ihl_past_len(struct buf *p)
{
	p->ip.version_ihl = 0x49;
	buf_cksum(p);
}

static void
set_total(struct buf *p, int delta)
{
	p->ip.total_length = rte_cpu_to_be_16((uint16_t)(p->len + delta));
	buf_cksum(p);
}

static void
edit_total_plus1(struct buf *p)
{
	set_total(p, 1);
}

static void
edit_total_minus1(struct buf *p)
{
	set_total(p, -1);
}

/* Fewer bytes than the header's total length: a cut packet. */
static void
edit_len_short(struct buf *p)
{
	p->len--;
}

/* More bytes than the header's total length: trailing bytes. */
static void
edit_len_long(struct buf *p)
{
	p->len++;
}

static void
edit_bad_cksum(struct buf *p)
{
	p->ip.hdr_checksum ^= RTE_BE16(0x0001);
}

static void
edit_ttl0(struct buf *p)
{
	p->ip.time_to_live = 0;
	buf_cksum(p);
}

static void
edit_ttl1_bad_cksum(struct buf *p)
{
	p->ip.time_to_live = 1;
	buf_cksum(p);
	edit_bad_cksum(p);
}

static const struct {
	const char *name;
	struct cu_inner in;
	void (*edit)(struct buf *p);
	int reason;
} check_cases[] = {
	{ "good packet", { 0 }, NULL, ACCEPT },
	{ "IP options (IHL 6)", { .ihl = 6 }, NULL, ACCEPT },
	{ "IP options (IHL 15)", { .ihl = 15 }, NULL, ACCEPT },
	{ "TCP, 100 bytes", { .proto = IPPROTO_TCP, .l4_len = 80 }, NULL, ACCEPT },
	{ "TTL 2", { .ttl = 2 }, NULL, ACCEPT },
	{ "TTL 255", { .ttl = 255 }, NULL, ACCEPT },
	{ "TTL 1", { .ttl = 1 }, NULL, TTL_EXPIRED },
	{ "TTL 1 with options", { .ttl = 1, .ihl = 6 }, NULL, TTL_EXPIRED },
	{ "TTL 0", { 0 }, edit_ttl0, TTL_EXPIRED },
	{ "len 19", { 0 }, edit_len_19, MALFORMED },
	{ "len 0", { 0 }, edit_len_0, MALFORMED },
	{ "version 6", { 0 }, edit_version6, MALFORMED },
	{ "version 0", { 0 }, edit_version0, MALFORMED },
	{ "IHL 4", { 0 }, edit_ihl4, MALFORMED },
	{ "IHL 0", { 0 }, edit_ihl0, MALFORMED },
	{ "IHL past len", { .ihl = 6 }, edit_ihl_past_len, MALFORMED },
	{ "total_length = len + 1", { 0 }, edit_total_plus1, MALFORMED },
	{ "total_length = len - 1", { 0 }, edit_total_minus1, MALFORMED },
	{ "len one short of total_length", { 0 }, edit_len_short, MALFORMED },
	{ "len one past total_length", { 0 }, edit_len_long, MALFORMED },
	{ "bad checksum", { 0 }, edit_bad_cksum, MALFORMED },
	{ "bad checksum with options", { .ihl = 6 }, edit_bad_cksum, MALFORMED },
	{ "TTL 1 and a bad checksum", { 0 }, edit_ttl1_bad_cksum, MALFORMED },
};

static void
test_check_table(void)
{
	for (size_t i = 0; i < CU_DIM(check_cases); i++) {
		struct buf p;
		int reason;

		memset(&p, 0, sizeof(p));
		p.len = cu_inner_write(p.b, &check_cases[i].in);
		if (check_cases[i].edit != NULL)
			check_cases[i].edit(&p);
		reason = pm_ipv4_check(p.b, p.len);
		CU_EXPECT(reason == check_cases[i].reason, "%s: %s, expected %s",
			  check_cases[i].name, reason_name(reason),
			  reason_name(check_cases[i].reason));
	}
}

/* ---- pm_ipv4_ttl_dec ---- */

/*
 * Checks one decrement of the header at 'hdr': the TTL goes down by one,
 * nothing but TTL and checksum changes, and the checksum verifies.  Counts
 * in *pm0 results that differ from a full recompute only as 0x0000 against
 * 0xffff (RFC 1624: both are zero in one's complement) and in *bad
 * anything else that is wrong.
 */
static void
ttl_dec_check(const uint8_t *hdr, uint32_t *pm0, uint32_t *bad)
{
	union {
		struct rte_ipv4_hdr ip;
		uint8_t b[60];
	} after, full;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)hdr;
	uint16_t hlen = rte_ipv4_hdr_len(ip), got, want;
	bool valid, same;

	memcpy(after.b, hdr, hlen);
	pm_ipv4_ttl_dec(&after.ip);
	got = rte_be_to_cpu_16(after.ip.hdr_checksum);
	valid = rte_raw_cksum(&after.ip, hlen) == 0xffff;
	memcpy(full.b, after.b, hlen);
	full.ip.hdr_checksum = 0;
	want = rte_be_to_cpu_16(rte_ipv4_cksum(&full.ip));
	after.ip.time_to_live++;
	after.ip.hdr_checksum = ip->hdr_checksum;
	same = memcmp(hdr, after.b, hlen) == 0;
	if (!valid || !same)
		(*bad)++;
	else if ((got == 0 && want == 0xffff) || (got == 0xffff && want == 0))
		(*pm0)++;
	else if (got != want)
		(*bad)++;
}

/* Random valid headers: any IHL, TTL 2..255, random everything else. */
static void
test_ttl_dec_random(void)
{
	uint32_t pm0 = 0, bad = 0;

	for (uint32_t n = 0; n < TTL_DEC_ROUNDS; n++) {
		union {
			struct rte_ipv4_hdr ip;
			uint8_t b[60];
		} h;
		uint8_t ihl = (uint8_t)(5 + rnd() % 11);

		for (unsigned int i = 0; i < sizeof(h.b); i++)
			h.b[i] = (uint8_t)rnd();
		h.ip.version_ihl = (uint8_t)(0x40 | ihl);
		h.ip.time_to_live = (uint8_t)(2 + rnd() % 254);
		h.ip.hdr_checksum = 0;
		h.ip.hdr_checksum = rte_ipv4_cksum(&h.ip);
		ttl_dec_check(h.b, &pm0, &bad);
	}
	CU_EXPECT(bad == 0, "%u of %u decrements broke the header", bad, TTL_DEC_ROUNDS);
	printf("(%u of %u differ from a recompute as 0x0000/0xffff) ", pm0, TTL_DEC_ROUNDS);
}

/*
 * Every checksum a header can carry: with all else fixed, the packet id
 * runs through its 65536 values and the checksum through every value but
 * 0xffff (no header sums to zero), 0x0000 and 0xfeff (whose decrement gives
 * 0x0000) among them.
 */
static void
test_ttl_dec_every_checksum(void)
{
	uint32_t pm0 = 0, bad = 0, seen[2] = { 0 };

	for (uint32_t id = 0; id <= UINT16_MAX; id++) {
		struct buf p;

		memset(&p, 0, sizeof(p));
		cu_inner_write(p.b, &(struct cu_inner){ .ttl = 64 });
		p.ip.packet_id = rte_cpu_to_be_16((uint16_t)id);
		buf_cksum(&p);
		seen[0] += p.ip.hdr_checksum == 0;
		seen[1] += p.ip.hdr_checksum == RTE_BE16(0xfeff);
		ttl_dec_check(p.b, &pm0, &bad);
	}
	CU_EXPECT(seen[0] == 1 && seen[1] == 1, "checksums 0x0000 and 0xfeff seen %u and %u times",
		  seen[0], seen[1]);
	CU_EXPECT(bad == 0, "%u of 65536 decrements broke the header", bad);
	printf("(%u of 65536 differ from a recompute as 0x0000/0xffff) ", pm0);
}

/* ---- the code option: parse_burst and format_burst ---- */

static const struct pm_ops *
ipv4_ops(void)
{
	const struct pm_ops *ops = pm_find("ipv4");

	CU_ASSERT_PTR_NOT_NULL_FATAL(ops);
	return ops;
}

static void
test_ops(void)
{
	const struct pm_ops *ops = ipv4_ops();
	struct dp_slice *t = dp_slice_alloc(1, ops, 1, 1, 0);
	const struct dp_rule rule = { 1, 1, { .any_binding = true,
		.ipv4 = { .any_proto = true, .sport_hi = 65535, .dport_hi = 65535 } } };
	const struct dp_route route = { CU_IPV4(10, 0, 0, 0), 8 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_EXPECT(ops == &pm_ipv4_ops, "pm_find(\"ipv4\") is not pm_ipv4_ops");
	CU_EXPECT_STR(ops->name, "ipv4", "name");
	CU_EXPECT_INT(ops->key_layout, DP_KEY_IPV4, "key layout");
	CU_EXPECT(ops->parse_burst != NULL && ops->format_burst != NULL &&
		  ops->table_build != NULL && ops->table_free != NULL, "ops missing");
	CU_EXPECT_INT(ops->table_build(t, &(struct pm_config){ &rule, 1, &route, 1 }), 0,
		      "table_build");
	CU_EXPECT(dp_slice_has_filters(t) && t->fib != NULL,
		  "table_build made no filter classifier or no FIB");
	ops->table_free(t);
	CU_EXPECT(!dp_slice_has_filters(t) && t->fib == NULL, "table_free left a classifier");
	ops->table_free(t);
	dp_slice_free(t);
}

/* Edits of an overlay packet's inner header or its outer UDP length. */
static void
edit_inner_bad_cksum(struct rte_mbuf *m)
{
	cu_pkt_inner_ip(m)->hdr_checksum ^= RTE_BE16(0x0100);
}

static void
edit_inner_version6(struct rte_mbuf *m)
{
	cu_pkt_inner_ip(m)->version_ihl = 0x65;
	cu_pkt_inner_cksum(m);
}

static void
edit_inner_ttl0(struct rte_mbuf *m)
{
	cu_pkt_inner_ip(m)->time_to_live = 0;
	cu_pkt_inner_cksum(m);
}

static void
edit_inner_total_short(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = cu_pkt_inner_ip(m);

	ip->total_length = rte_cpu_to_be_16(rte_be_to_cpu_16(ip->total_length) - 4);
	cu_pkt_inner_cksum(m);
}

/* The outer datagram ends 4 bytes before the inner packet does. */
static void
edit_udp_short(struct rte_mbuf *m)
{
	struct rte_udp_hdr *udp = cu_pkt_udph(m);

	udp->dgram_len = rte_cpu_to_be_16(rte_be_to_cpu_16(udp->dgram_len) - 4);
}

/* A UDP payload of 0 bytes. */
static void
edit_no_payload(struct rte_mbuf *m)
{
	cu_pkt_udph(m)->dgram_len = RTE_BE16(8);
}

#define SCTP 132
#define GRE 47
#define OFFSET_MAX RTE_IPV4_HDR_OFFSET_MASK
#define A CU_IPV4

/* A packet for parse_burst: its inner packet, an edit, its input binding,
 * and the verdict with, if kept, the ports its key must have. */
struct parse_case {
	const char *name;
	struct cu_inner in;
	void (*edit)(struct rte_mbuf *m);
	uint16_t binding;
	int reason;
	uint16_t sport, dport;
};

static const struct parse_case parse_cases[] = {
	{ "UDP", { .src_ip = A(10, 0, 0, 1), .dst_ip = A(10, 9, 8, 7), .src_port = 53,
	  .dst_port = 40000 }, NULL, 0, ACCEPT, 53, 40000 },
	{ "TCP", { .proto = IPPROTO_TCP, .src_port = 65535, .dst_port = 80 }, NULL, 7, ACCEPT,
	  65535, 80 },
	{ "SCTP", { .proto = SCTP, .src_port = 9, .dst_port = 10 }, NULL, 1, ACCEPT, 9, 10 },
	{ "ICMP: no ports", { .proto = IPPROTO_ICMP, .src_port = 0x0800 }, NULL, 2, ACCEPT,
	  0, 0 },
	{ "GRE: no ports", { .proto = GRE }, NULL, 3, ACCEPT, 0, 0 },
	{ "UDP, options (IHL 6)", { .ihl = 6, .src_port = 1, .dst_port = 2 }, NULL, 4, ACCEPT,
	  1, 2 },
	{ "TCP, options (IHL 15)", { .proto = IPPROTO_TCP, .ihl = 15, .src_port = 3,
	  .dst_port = 4 }, NULL, 5, ACCEPT, 3, 4 },
	{ "UDP, first fragment (MF)", { .frag = RTE_IPV4_HDR_MF_FLAG, .src_port = 5,
	  .dst_port = 6 }, NULL, 6, ACCEPT, 5, 6 },
	{ "UDP, DF", { .frag = RTE_IPV4_HDR_DF_FLAG, .src_port = 7, .dst_port = 8 }, NULL, 0,
	  ACCEPT, 7, 8 },
	{ "UDP, fragment offset 1", { .frag = 1 }, NULL, 1, ACCEPT, 0, 0 },
	{ "TCP, last fragment at offset max", { .proto = IPPROTO_TCP, .frag = OFFSET_MAX },
	  NULL, 2, ACCEPT, 0, 0 },
	{ "UDP, middle fragment (MF, offset 9)", { .frag = RTE_IPV4_HDR_MF_FLAG | 9 }, NULL, 63,
	  ACCEPT, 0, 0 },
	{ "TTL 2", { .ttl = 2, .src_port = 11, .dst_port = 12 }, NULL, 0, ACCEPT, 11, 12 },
	{ "TTL 1", { .ttl = 1 }, NULL, 0, TTL_EXPIRED, 0, 0 },
	{ "TTL 0", { 0 }, edit_inner_ttl0, 0, TTL_EXPIRED, 0, 0 },
	{ "bad inner checksum", { 0 }, edit_inner_bad_cksum, 0, MALFORMED, 0, 0 },
	{ "inner version 6", { 0 }, edit_inner_version6, 0, MALFORMED, 0, 0 },
	{ "inner total_length short of the payload", { 0 }, edit_inner_total_short, 0,
	  MALFORMED, 0, 0 },
	{ "payload short of the inner total_length", { 0 }, edit_udp_short, 0, MALFORMED, 0, 0 },
	{ "no payload", { 0 }, edit_no_payload, 0, MALFORMED, 0, 0 },
};

/* The packet of case c, accepted by demux, with its binding in dp_meta. */
static struct rte_mbuf *
parse_pkt(const struct parse_case *c)
{
	struct rte_mbuf *m = cu_pkt_overlay(pool, NULL, &c->in);

	if (m == NULL)
		return NULL;
	if (c->edit != NULL)
		c->edit(m);
	if (dp_demux_check(m) != ACCEPT) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(dp_meta(m), 0, sizeof(struct dp_meta));
	dp_meta(m)->binding = c->binding;
	return m;
}

/* Checks key k against the inner packet of case c. */
static void
expect_key(const struct parse_case *c, const struct dp_key *k, const char *ctx)
{
	struct cu_inner in = c->in;

	in.src_ip = in.src_ip != 0 ? in.src_ip : CU_IPV4(10, 1, 0, 1);
	in.dst_ip = in.dst_ip != 0 ? in.dst_ip : CU_IPV4(10, 2, 0, 1);
	CU_EXPECT_UINT(k->b0, in.proto != 0 ? in.proto : IPPROTO_UDP, ctx);
	CU_EXPECT_UINT(rte_be_to_cpu_32(k->binding), c->binding, ctx);
	CU_EXPECT_UINT(rte_be_to_cpu_32(k->ipv4.src), in.src_ip, ctx);
	CU_EXPECT_UINT(rte_be_to_cpu_32(k->ipv4.dst), in.dst_ip, ctx);
	CU_EXPECT_UINT(rte_be_to_cpu_16(k->ipv4.sport), c->sport, ctx);
	CU_EXPECT_UINT(rte_be_to_cpu_16(k->ipv4.dport), c->dport, ctx);
}

/* Checks drops[] against the reasons of cases[0..n) (each counted once)
 * and that nothing else moved. */
static void
expect_drops(const uint64_t *drops, const struct parse_case *cases, size_t n,
	     const char *ctx)
{
	uint64_t want[DP_SLICE_DROP_MAX] = { 0 };

	for (size_t i = 0; i < n; i++)
		if (cases[i].reason != ACCEPT)
			want[cases[i].reason]++;
	for (unsigned int r = 0; r < DP_SLICE_DROP_MAX; r++)
		CU_EXPECT(drops[r] == want[r], "%s: drops[%s] is %" PRIu64 ", expected %" PRIu64,
			  ctx, dp_slice_drop_names[r], drops[r], want[r]);
}

/* Each case alone, as a burst of one. */
static void
test_parse_table(void)
{
	const struct pm_ops *ops = ipv4_ops();
	struct dp_slice *s = dp_slice_alloc(2, ops, 0, 0, 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	for (size_t i = 0; i < CU_DIM(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		const unsigned int avail = rte_mempool_avail_count(pool);
		uint64_t drops[DP_SLICE_DROP_MAX] = { 0 };
		struct rte_mbuf *m = parse_pkt(c), *pkts[1] = { m };
		struct dp_key key;
		uint16_t kept;

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		memset(&key, 0xa5, sizeof(key));
		kept = ops->parse_burst(s, pkts, 1, &key, drops);
		CU_EXPECT_UINT(kept, c->reason == ACCEPT, c->name);
		expect_drops(drops, c, 1, c->name);
		if (kept == 1) {
			CU_EXPECT(pkts[0] == m, "%s: not the input packet", c->name);
			expect_key(c, &key, c->name);
			rte_pktmbuf_free(m);
		}
		CU_EXPECT_UINT(rte_mempool_avail_count(pool), avail, c->name);
	}
	dp_slice_free(s);
}

/* All cases in one burst: the kept ones are compacted in order with their
 * keys, the others counted by reason and freed. */
static void
test_parse_burst(void)
{
	const struct pm_ops *ops = ipv4_ops();
	struct dp_slice *s = dp_slice_alloc(2, ops, 0, 0, 0);
	const unsigned int avail = rte_mempool_avail_count(pool);
	struct rte_mbuf *in[CU_DIM(parse_cases)], *pkts[CU_DIM(parse_cases)];
	struct dp_key keys[CU_DIM(parse_cases)];
	uint64_t drops[DP_SLICE_DROP_MAX] = { 0 };
	uint16_t kept, k = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* Interleave kept and dropped packets. */
	for (size_t i = 0; i < CU_DIM(parse_cases); i++) {
		in[i] = parse_pkt(&parse_cases[(i * 7) % CU_DIM(parse_cases)]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(in[i]);
	}
	memcpy(pkts, in, sizeof(in));
	memset(keys, 0xa5, sizeof(keys));
	kept = ops->parse_burst(s, pkts, CU_DIM(in), keys, drops);
	for (size_t i = 0; i < CU_DIM(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[(i * 7) % CU_DIM(parse_cases)];
		char ctx[96];

		if (c->reason != ACCEPT)
			continue;
		snprintf(ctx, sizeof(ctx), "kept[%u] (%s)", k, c->name);
		if (k < kept) {
			CU_EXPECT(pkts[k] == in[i], "%s: out of order", ctx);
			expect_key(c, &keys[k], ctx);
		}
		k++;
	}
	CU_EXPECT_UINT(kept, k, "kept");
	expect_drops(drops, parse_cases, CU_DIM(parse_cases), "mixed burst");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), avail - kept, "dropped ones freed");
	rte_pktmbuf_free_bulk(pkts, kept);
	dp_slice_free(s);
}

/* format_burst decrements every inner TTL, keeps the inner checksum valid
 * and touches nothing else. */
static void
test_format_burst(void)
{
	static const struct cu_inner inner[] = {
		{ .ttl = 2 }, { .ttl = 3 }, { .ttl = 64, .ihl = 6 }, { .ttl = 255, .ihl = 15 },
		{ .ttl = 128, .proto = IPPROTO_TCP, .frag = RTE_IPV4_HDR_DF_FLAG },
		{ .ttl = 17, .src_ip = 0xffffffff, .dst_ip = 0xfffefdfc, .l4_len = 1000 },
	};
	const struct pm_ops *ops = ipv4_ops();
	struct dp_slice *s = dp_slice_alloc(2, ops, 0, 0, 0);
	const unsigned int avail = rte_mempool_avail_count(pool);
	struct rte_mbuf *pkts[CU_DIM(inner)];
	uint8_t before[CU_DIM(inner)][1200];

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	for (size_t i = 0; i < CU_DIM(inner); i++) {
		pkts[i] = cu_pkt_overlay(pool, NULL, &inner[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);
		CU_ASSERT_EQUAL_FATAL(dp_demux_check(pkts[i]), ACCEPT);
		CU_ASSERT_FATAL(rte_pktmbuf_data_len(pkts[i]) <= sizeof(before[i]));
		memcpy(before[i], rte_pktmbuf_mtod(pkts[i], uint8_t *),
		       rte_pktmbuf_data_len(pkts[i]));
	}
	ops->format_burst(s, pkts, CU_DIM(inner));
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), avail - CU_DIM(inner), "none dropped");
	for (size_t i = 0; i < CU_DIM(inner); i++) {
		uint8_t *data = rte_pktmbuf_mtod(pkts[i], uint8_t *);
		struct rte_ipv4_hdr *ip = cu_pkt_inner_ip(pkts[i]);
		size_t at = (size_t)((uint8_t *)ip - data);
		uint16_t len = rte_be_to_cpu_16(ip->total_length);
		char ctx[32];

		snprintf(ctx, sizeof(ctx), "packet %zu", i);
		CU_EXPECT_UINT(ip->time_to_live, inner[i].ttl - 1, ctx);
		CU_EXPECT_UINT(rte_raw_cksum(ip, rte_ipv4_hdr_len(ip)), 0xffff, ctx);
		CU_EXPECT_INT(pm_ipv4_check((uint8_t *)ip, len),
			      inner[i].ttl - 1 <= 1 ? TTL_EXPIRED : ACCEPT, ctx);
		/* Put back TTL and checksum: then every byte is as it was. */
		ip->time_to_live++;
		ip->hdr_checksum = ((struct rte_ipv4_hdr *)&before[i][at])->hdr_checksum;
		CU_EXPECT(memcmp(data, before[i], rte_pktmbuf_data_len(pkts[i])) == 0,
			  "%s: bytes other than TTL and checksum changed", ctx);
	}
	rte_pktmbuf_free_bulk(pkts, CU_DIM(inner));
	dp_slice_free(s);
}

#undef A

static const struct cu_case check_suite[] = {
	CU_CASE(test_check_table),
};

static const struct cu_case ttl_suite[] = {
	CU_CASE(test_ttl_dec_random),
	CU_CASE(test_ttl_dec_every_checksum),
};

static const struct cu_case ops_suite[] = {
	CU_CASE(test_ops),
	CU_CASE(test_parse_table),
	CU_CASE(test_parse_burst),
	CU_CASE(test_format_burst),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("pm/ipv4: pm_ipv4_check", NULL, NULL, check_suite),
	CU_SUITE("pm/ipv4: pm_ipv4_ttl_dec", NULL, NULL, ttl_suite),
	CU_SUITE("pm/ipv4: parse and format", ipv4_suite_init, ipv4_suite_clean, ops_suite),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
