/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/* Unit tests of dataplane/fmt.c: the outer headers of forwarded packets. */

#include "dataplane/fmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_udp.h>

#include "dataplane/demux.h"
#include "tests/unit/cu_main.h"
#include "tests/unit/dataplane/cu_pkt.h"

#define ACCEPT (-1)             /* dp_demux_check(): keep the packet */
#define POOL_SIZE 255
#define OFFLOAD_FLAGS (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM)

static struct rte_mempool *pool;

/* Their headers are made by fmt_suite_init() (dp_forward_prepare()). */
static struct dp_forward fwd_sw = {
	.src_mac = { .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01 } },
	.dst_mac = { .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0xfe } },
	.src_ip = RTE_BE32(CU_IPV4(192, 0, 2, 1)),
	.dst_ip = RTE_BE32(CU_IPV4(198, 51, 100, 2)),
	.src_port = RTE_BE16(5001),
	.dst_port = RTE_BE16(6000),
	.port_id = 0,
	.stat = 3,
	.csum_offload = false,
};

static struct dp_forward fwd_hw = {
	.src_mac = { .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x0b, 0x01 } },
	.dst_mac = { .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x0b, 0xfe } },
	.src_ip = RTE_BE32(CU_IPV4(203, 0, 113, 1)),
	.dst_ip = RTE_BE32(CU_IPV4(203, 0, 113, 77)),
	.src_port = RTE_BE16(65535),
	.dst_port = RTE_BE16(1),
	.port_id = 1,
	.stat = 9,
	.csum_offload = true,
};

static int
fmt_suite_init(void)
{
	if (cu_eal_init("fmt") != 0)
		return -1;
	dp_forward_prepare(&fwd_sw);
	dp_forward_prepare(&fwd_hw);
	pool = rte_pktmbuf_pool_create("ut_fmt", POOL_SIZE, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool != NULL ? 0 : -1;
}

static int
fmt_suite_clean(void)
{
	unsigned int avail = rte_mempool_avail_count(pool);

	rte_mempool_free(pool);
	pool = NULL;
	/* Every case gives back what it takes. */
	return avail == POOL_SIZE ? 0 : -1;
}

/* Sets the UDP length of the input to 12: 4 bytes of payload, the rest of
 * the IPv4 payload is not part of the datagram.  The sender's checksum no
 * longer fits, so it says there is none. */
static void
edit_udp_len_12(struct rte_mbuf *m)
{
	cu_pkt_udph(m)->dgram_len = RTE_BE16(12);
	cu_pkt_udph(m)->dgram_cksum = 0;
}

/* A packet as described, edited, and accepted by dp_demux_check(); NULL
 * (with a failed assertion) otherwise. */
static struct rte_mbuf *
accepted(const struct cu_pkt *p, void (*edit)(struct rte_mbuf *m), const char *ctx)
{
	struct rte_mbuf *m = cu_pkt_udp(pool, p);
	int reason;

	CU_EXPECT(m != NULL, "%s: pool empty", ctx);
	if (m == NULL)
		return NULL;
	if (edit != NULL)
		edit(m);
	reason = dp_demux_check(m);
	CU_EXPECT_INT(reason, ACCEPT, ctx);
	if (reason != ACCEPT) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	return m;
}

/* Checks that 'm' is a correct packet toward 'f' carrying 'payload' bytes
 * cu_pkt_byte(0..payload). */
static void
expect_formatted(struct rte_mbuf *m, const struct dp_forward *f, uint16_t payload,
		 const char *ctx)
{
	static uint8_t copy[RTE_MBUF_DEFAULT_DATAROOM];
	const uint32_t len = DP_OUTER_LEN + payload;
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	const uint8_t *data;
	uint32_t bad_bytes = 0;
	/* Whether the buffer is the mbuf's own is another matter. */
	const uint64_t tx_flags = m->ol_flags & ~(RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT);

	CU_EXPECT_UINT(DP_OUTER_LEN, 42, ctx);
	CU_EXPECT_UINT(rte_pktmbuf_pkt_len(m), len, ctx);
	if (rte_pktmbuf_pkt_len(m) != len || rte_pktmbuf_data_len(m) < DP_OUTER_LEN)
		return;
	/* One flat copy, whatever the segments. */
	data = rte_pktmbuf_read(m, 0, len, copy);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	eth = (const struct rte_ether_hdr *)data;
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	udp = (const struct rte_udp_hdr *)(ip + 1);

	CU_EXPECT(rte_is_same_ether_addr(&eth->dst_addr, &f->dst_mac), "%s: eth dst", ctx);
	CU_EXPECT(rte_is_same_ether_addr(&eth->src_addr, &f->src_mac), "%s: eth src", ctx);
	CU_EXPECT_UINT(rte_be_to_cpu_16(eth->ether_type), RTE_ETHER_TYPE_IPV4, ctx);

	CU_EXPECT_UINT(ip->version_ihl, 0x45, ctx);
	CU_EXPECT_UINT(ip->type_of_service, 0, ctx);
	CU_EXPECT_UINT(rte_be_to_cpu_16(ip->total_length), 28 + payload, ctx);
	CU_EXPECT_UINT(rte_be_to_cpu_16(ip->fragment_offset), RTE_IPV4_HDR_DF_FLAG, ctx);
	CU_EXPECT_UINT(ip->time_to_live, 64, ctx);
	CU_EXPECT_UINT(ip->next_proto_id, IPPROTO_UDP, ctx);
	CU_EXPECT_UINT(ip->src_addr, f->src_ip, ctx);
	CU_EXPECT_UINT(ip->dst_addr, f->dst_ip, ctx);

	CU_EXPECT_UINT(udp->src_port, f->src_port, ctx);
	CU_EXPECT_UINT(udp->dst_port, f->dst_port, ctx);
	CU_EXPECT_UINT(rte_be_to_cpu_16(udp->dgram_len), 8 + payload, ctx);

	for (uint32_t i = 0; i < payload; i++)
		bad_bytes += ((const uint8_t *)(udp + 1))[i] != cu_pkt_byte(i);
	CU_EXPECT(bad_bytes == 0, "%s: %u payload bytes changed", ctx, bad_bytes);

	CU_EXPECT_UINT(m->l2_len, 14, ctx);
	CU_EXPECT_UINT(m->l3_len, 20, ctx);
	CU_EXPECT_UINT(m->l4_len, 8, ctx);
	CU_EXPECT_UINT(m->packet_type, 0, ctx);
	if (f->csum_offload) {
		CU_EXPECT_UINT(tx_flags, OFFLOAD_FLAGS, ctx);
		CU_EXPECT_UINT(ip->hdr_checksum, 0, ctx);
		CU_EXPECT_UINT(udp->dgram_cksum, rte_ipv4_phdr_cksum(ip, m->ol_flags), ctx);
	} else {
		CU_EXPECT_UINT(tx_flags, 0, ctx);
		CU_EXPECT_UINT(rte_ipv4_cksum(ip), 0, ctx);
		CU_EXPECT(udp->dgram_cksum != 0, "%s: UDP checksum 0 (none)", ctx);
		CU_EXPECT_INT(rte_ipv4_udptcp_cksum_verify(ip, udp), 0, ctx);
		if (m->nb_segs > 1)
			CU_EXPECT_INT(rte_ipv4_udptcp_cksum_mbuf_verify(m,
				rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, 14), 34),
				0, ctx);
	}
}

/* A packet to format: how it is built, and the payload it carries. */
struct fmt_case {
	const char *name;
	struct cu_pkt pkt;
	void (*edit)(struct rte_mbuf *m);
	uint16_t payload;
};

static const struct fmt_case fmt_cases[] = {
	{ "no payload", { .payload = 0 }, NULL, 0 },
	{ "no payload, padded to 60", { .payload = 0, .frame_len = 60 }, NULL, 0 },
	{ "1 byte, padded to 60", { .payload = 1, .frame_len = 60 }, NULL, 1 },
	{ "17 bytes, padded to 60", { .payload = 17, .frame_len = 60 }, NULL, 17 },
	{ "18 bytes, a 60-byte frame", { .payload = 18, .frame_len = 60 }, NULL, 18 },
	{ "1000 bytes", { .payload = 1000 }, NULL, 1000 },
	{ "1472 bytes", { .payload = 1472 }, NULL, 1472 },
	{ "IP options (IHL 6)", { .payload = 100, .ihl = 6 }, NULL, 100 },
	{ "IP options (IHL 15), padded", { .payload = 1, .ihl = 15, .frame_len = 120 },
	  NULL, 1 },
	{ "trailing bytes past the datagram", { .payload = 100, .frame_len = 300 }, NULL, 100 },
	{ "UDP shorter than the IPv4 payload", { .payload = 10 }, edit_udp_len_12, 4 },
};

/* Formats each case alone toward 'f'. */
static void
run_fmt_cases(const struct dp_forward *f)
{
	for (size_t i = 0; i < CU_DIM(fmt_cases); i++) {
		const struct fmt_case *c = &fmt_cases[i];
		struct rte_mbuf *m = accepted(&c->pkt, c->edit, c->name);

		if (m == NULL)
			continue;
		dp_format_burst(&m, &f, 1);
		expect_formatted(m, f, c->payload, c->name);
		rte_pktmbuf_free(m);
	}
}

static void
test_format_sw_checksums(void)
{
	run_fmt_cases(&fwd_sw);
}

static void
test_format_csum_offload(void)
{
	run_fmt_cases(&fwd_hw);
}

/* One burst, each packet toward its own forward, in order. */
static void
test_format_burst(void)
{
	struct rte_mbuf *pkts[CU_DIM(fmt_cases)];
	const struct dp_forward *fwd[CU_DIM(fmt_cases)];
	uint16_t n = 0;

	for (size_t i = 0; i < CU_DIM(fmt_cases); i++) {
		pkts[n] = accepted(&fmt_cases[i].pkt, fmt_cases[i].edit, fmt_cases[i].name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[n]);
		fwd[n++] = i % 2 ? &fwd_hw : &fwd_sw;
	}
	dp_format_burst(pkts, fwd, n);
	for (uint16_t i = 0; i < n; i++)
		expect_formatted(pkts[i], fwd[i], fmt_cases[i].payload, fmt_cases[i].name);
	rte_pktmbuf_free_bulk(pkts, n);
}

/* Receive flags do not leak into the transmitted packet. */
static void
test_format_clears_rx_flags(void)
{
	static const struct dp_forward *const fwds[] = { &fwd_sw, &fwd_hw };
	struct cu_pkt p = { .payload = 10 };

	for (size_t i = 0; i < CU_DIM(fwds); i++) {
		struct rte_mbuf *m = accepted(&p, NULL, "rx flags");

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD |
			      RTE_MBUF_F_RX_RSS_HASH | RTE_MBUF_F_RX_VLAN;
		m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP;
		dp_format_burst(&m, &fwds[i], 1);
		expect_formatted(m, fwds[i], 10, fwds[i]->csum_offload ? "rx flags, offload" :
				 "rx flags");
		rte_pktmbuf_free(m);
	}
}

/* A payload whose UDP checksum computes to 0 is sent with 0xffff (RFC 768). */
static void
test_format_udp_cksum_never_zero(void)
{
	const struct dp_forward *f = &fwd_sw;
	struct cu_pkt p = { .payload = 2 };
	struct rte_mbuf *m = accepted(&p, NULL, "zero payload");
	uint8_t *pl;
	uint16_t c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	pl = (uint8_t *)(cu_pkt_udph(m) + 1);
	pl[0] = pl[1] = 0;
	/* No checksum from the sender: the node sums the payload. */
	cu_pkt_udph(m)->dgram_cksum = 0;
	dp_format_burst(&m, &f, 1);
	c = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34)->dgram_cksum;
	rte_pktmbuf_free(m);
	CU_ASSERT_NOT_EQUAL_FATAL(c, 0xffff);

	/* The checksum of the first, as payload, makes the sum 0xffff. */
	m = accepted(&p, NULL, "cancelling payload");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	pl = (uint8_t *)(cu_pkt_udph(m) + 1);
	memcpy(pl, &c, 2);
	cu_pkt_udph(m)->dgram_cksum = 0;
	dp_format_burst(&m, &f, 1);
	{
		const struct rte_ipv4_hdr *ip =
			rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, 14);
		const struct rte_udp_hdr *udp =
			rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, 34);

		CU_EXPECT_UINT(udp->dgram_cksum, 0xffff, "computed 0 is sent as 0xffff");
		CU_EXPECT_INT(rte_ipv4_udptcp_cksum_verify(ip, udp), 0, "still valid");
	}
	rte_pktmbuf_free(m);
}

/*
 * The sender's UDP checksum is updated for the new headers, not summed
 * again: one that was wrong stays wrong by as much (so the far end still
 * sees the damage), and a datagram that came without one (0) gets one.
 */
static void
test_format_udp_cksum_updated(void)
{
	static const uint16_t sizes[] = { 1, 18, 100, 1472 };
	const struct dp_forward *f = &fwd_sw;
	char ctx[64];

	for (size_t i = 0; i < CU_DIM(sizes); i++) {
		for (unsigned int k = 0; k < 2; k++) {
			struct cu_pkt p = { .payload = sizes[i], .ihl = k ? 6 : 5 };
			struct rte_mbuf *m = accepted(&p, NULL, "damaged");
			struct rte_ipv4_hdr *ip;
			struct rte_udp_hdr *udp;
			uint8_t *last;

			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			snprintf(ctx, sizeof(ctx), "%u bytes, IHL %u, damaged", sizes[i], p.ihl);
			last = (uint8_t *)(cu_pkt_udph(m) + 1) + sizes[i] - 1;
			*last ^= 0x5a;
			dp_format_burst(&m, &f, 1);
			ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
			udp = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34);
			CU_EXPECT_INT(rte_ipv4_udptcp_cksum_verify(ip, udp), -1, ctx);
			last = (uint8_t *)(udp + 1) + sizes[i] - 1;
			*last ^= 0x5a;
			CU_EXPECT_INT(rte_ipv4_udptcp_cksum_verify(ip, udp), 0,
				      "the same, the damage undone");
			rte_pktmbuf_free(m);

			snprintf(ctx, sizeof(ctx), "%u bytes, IHL %u, no checksum", sizes[i],
				 p.ihl);
			m = accepted(&p, NULL, ctx);
			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			cu_pkt_udph(m)->dgram_cksum = 0;
			dp_format_burst(&m, &f, 1);
			expect_formatted(m, f, sizes[i], ctx);
			rte_pktmbuf_free(m);
		}
	}
}

/* Chained input: the payload may be in later segments, padding in the last. */
static void
test_format_chained(void)
{
	static const struct {
		const char *name;
		struct cu_pkt pkt;
		uint16_t tail;
		uint16_t payload;
	} cases[] = {
		{ "payload in the second segment", { .payload = 100 }, 60, 100 },
		{ "padding in the second segment", { .payload = 10, .frame_len = 60 }, 8, 10 },
		{ "payload and padding in the second segment",
		  { .payload = 10, .frame_len = 60 }, 12, 10 },
	};
	static const struct dp_forward *const fwds[] = { &fwd_sw, &fwd_hw };

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		for (size_t k = 0; k < CU_DIM(fwds); k++) {
			struct rte_mbuf *m = cu_pkt_udp(pool, &cases[i].pkt);

			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			CU_ASSERT_EQUAL_FATAL(cu_pkt_split(pool, m, cases[i].tail), 0);
			CU_EXPECT_INT(dp_demux_check(m), ACCEPT, cases[i].name);
			dp_format_burst(&m, &fwds[k], 1);
			expect_formatted(m, fwds[k], cases[i].payload, cases[i].name);
			rte_pktmbuf_free(m);
		}
	}
}

static void
ext_free_cb(void *addr, void *opaque)
{
	(*(unsigned int *)opaque)++;
	rte_free(addr);
}

/*
 * A packet in an external buffer (as some PMDs receive into, e.g. mlx5
 * with Multi-Packet RQ) keeps RTE_MBUF_F_EXTERNAL through format: without
 * it rte_pktmbuf_free() would not detach the buffer, which would then
 * never be released and would stay the mbuf's data buffer after it went
 * back to its pool.
 */
static void
test_format_keeps_external_buffer(void)
{
	static const struct dp_forward *const fwds[] = { &fwd_sw, &fwd_hw };
	const unsigned int avail = rte_mempool_avail_count(pool);

	for (size_t i = 0; i < CU_DIM(fwds); i++) {
		const char *ctx = fwds[i]->csum_offload ? "offload" : "sw checksums";
		struct cu_pkt p = { .payload = 50 };
		struct rte_mbuf *src = cu_pkt_udp(pool, &p);
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		uint16_t buf_len = 2048;
		void *buf = rte_malloc("ut_ext", buf_len, RTE_CACHE_LINE_SIZE);
		struct rte_mbuf_ext_shared_info *shinfo;
		unsigned int freed = 0;
		char *data;

		CU_ASSERT_PTR_NOT_NULL_FATAL(src);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
		shinfo = rte_pktmbuf_ext_shinfo_init_helper(buf, &buf_len, ext_free_cb, &freed);
		CU_ASSERT_PTR_NOT_NULL_FATAL(shinfo);
		rte_pktmbuf_attach_extbuf(m, buf, rte_malloc_virt2iova(buf), buf_len, shinfo);
		data = rte_pktmbuf_append(m, rte_pktmbuf_pkt_len(src));
		CU_ASSERT_PTR_NOT_NULL_FATAL(data);
		memcpy(data, rte_pktmbuf_mtod(src, char *), rte_pktmbuf_pkt_len(src));
		rte_pktmbuf_free(src);
		CU_ASSERT_EQUAL_FATAL(dp_demux_check(m), ACCEPT);

		dp_format_burst(&m, &fwds[i], 1);
		CU_EXPECT((m->ol_flags & RTE_MBUF_F_EXTERNAL) != 0,
			  "%s: RTE_MBUF_F_EXTERNAL cleared (ol_flags %#" PRIx64 ")", ctx,
			  m->ol_flags);
		expect_formatted(m, fwds[i], 50, ctx);
		/* Put the flag back, so that freeing does not corrupt the pool
		 * for the cases that follow. */
		m->ol_flags |= RTE_MBUF_F_EXTERNAL;
		rte_pktmbuf_free(m);
		CU_EXPECT_UINT(freed, 1, ctx);
	}
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), avail, "all back");
}

static const struct cu_case fmt_suite[] = {
	CU_CASE(test_format_sw_checksums),
	CU_CASE(test_format_csum_offload),
	CU_CASE(test_format_burst),
	CU_CASE(test_format_clears_rx_flags),
	CU_CASE(test_format_udp_cksum_never_zero),
	CU_CASE(test_format_udp_cksum_updated),
	CU_CASE(test_format_chained),
	CU_CASE(test_format_keeps_external_buffer),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("dataplane/fmt", fmt_suite_init, fmt_suite_clean, fmt_suite),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
