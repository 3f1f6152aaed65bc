/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests of control/ofp.c: OpenFlow 1.3 messages against byte vectors
 * worked out by hand from the OpenFlow Switch Specification 1.3.5, then
 * robustness: every truncation, random byte flips and hand-made malformed
 * messages.  Run under the ASan build, every decoder reads from a heap copy
 * of exactly the bytes it is given, so a read past them is reported.
 *
 * The valid vectors were cross-checked during development with
 * "ovs-ofctl ofp-print" (Open vSwitch 3.1.0), which printed each one as
 * the message its comment describes, except v_error_experimenter: OVS
 * prints no experimenter error whose experimenter and exp_type it does not
 * know.  The tests do not need ovs-ofctl.
 */

#include "control/ofp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/cu_main.h"

/* A byte string and its length, for tables built inside functions. */
#define HEX(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

/* No bytes, where a table wants HEX(). */
#define NONE NULL, 0

/* ---- Vectors ---------------------------------------------------------- */

/* Our HELLO, xid 0x12345678. */
static const uint8_t v_hello[] = {
	0x04, 0x00, 0x00, 0x10,         /* version 4, OFPT_HELLO, length 16 */
	0x12, 0x34, 0x56, 0x78,         /* xid */
	0x00, 0x01, 0x00, 0x08,         /* OFPHET_VERSIONBITMAP, length 8 */
	0x00, 0x00, 0x00, 0x10,         /* bitmap: bit 4 (1.3) */
};

/* A peer's HELLO announcing 1.0 and 1.3. */
static const uint8_t v_hello_10_13[] = {
	0x04, 0x00, 0x00, 0x10,         /* version 4, HELLO, length 16 */
	0x00, 0x00, 0x00, 0x01,         /* xid */
	0x00, 0x01, 0x00, 0x08,         /* VERSIONBITMAP, length 8 */
	0x00, 0x00, 0x00, 0x12,         /* bits 1 (1.0) and 4 (1.3) */
};

/* A peer's HELLO with a two-word bitmap (length 12, padded to 16) after an
 * element of unknown type. */
static const uint8_t v_hello_long[] = {
	0x05, 0x00, 0x00, 0x20,         /* version 5, HELLO, length 32 */
	0x00, 0x00, 0x00, 0x02,         /* xid */
	0x00, 0x63, 0x00, 0x06,         /* element type 99, length 6 */
	0xaa, 0xbb, 0x00, 0x00,         /* its 2 bytes, padding */
	0x00, 0x01, 0x00, 0x0c,         /* VERSIONBITMAP, length 12 */
	0x00, 0x00, 0x00, 0x30,         /* word 0: bits 4, 5 (1.3, 1.4) */
	0x00, 0x00, 0x00, 0x00,         /* word 1: versions 32..63, none */
	0x00, 0x00, 0x00, 0x00,         /* padding to 8 */
};

/* ECHO_REQUEST, xid 7, payload "ping". */
static const uint8_t v_echo_request[] = {
	0x04, 0x02, 0x00, 0x0c,         /* version 4, ECHO_REQUEST, length 12 */
	0x00, 0x00, 0x00, 0x07,         /* xid */
	0x70, 0x69, 0x6e, 0x67,         /* "ping" */
};

/* FEATURES_REPLY from an Open vSwitch bridge, xid 2. */
static const uint8_t v_features_reply[] = {
	0x04, 0x06, 0x00, 0x20,         /* version 4, FEATURES_REPLY, length 32 */
	0x00, 0x00, 0x00, 0x02,         /* xid */
	0x00, 0x00, 0x0a, 0x1b,         /* datapath_id 0x00000a1b2c3d4e5f */
	0x2c, 0x3d, 0x4e, 0x5f,
	0x00, 0x00, 0x00, 0x00,         /* n_buffers 0 */
	0xfe,                           /* n_tables 254 */
	0x00,                           /* auxiliary_id 0 */
	0x00, 0x00,                     /* pad */
	0x00, 0x00, 0x00, 0x4f,         /* capabilities FLOW|TABLE|PORT|GROUP|QUEUE_STATS */
	0x00, 0x00, 0x00, 0x00,         /* reserved */
};

/* FLOW_MOD ADD, xid 0x10: in_port 1, eth_type 0x0800, ip_proto 17,
 * ipv4_dst 192.0.2.1, udp_dst 5000, cookie 0x5000000000000001, priority
 * 1000, output to port 2.  48 + 40 (match) + 24 (instruction) = 112. */
static const uint8_t v_flow_add[] = {
	0x04, 0x0e, 0x00, 0x70,         /* version 4, FLOW_MOD, length 112 */
	0x00, 0x00, 0x00, 0x10,         /* xid */
	0x50, 0x00, 0x00, 0x00,         /* cookie */
	0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00,         /* cookie_mask 0 */
	0x00, 0x00, 0x00, 0x00,
	0x00,                           /* table_id 0 */
	0x00,                           /* command OFPFC_ADD */
	0x00, 0x00,                     /* idle_timeout 0 */
	0x00, 0x00,                     /* hard_timeout 0 */
	0x03, 0xe8,                     /* priority 1000 */
	0xff, 0xff, 0xff, 0xff,         /* buffer_id OFP_NO_BUFFER */
	0xff, 0xff, 0xff, 0xff,         /* out_port OFPP_ANY */
	0xff, 0xff, 0xff, 0xff,         /* out_group OFPG_ANY */
	0x00, 0x00,                     /* flags 0 */
	0x00, 0x00,                     /* pad */
	/* offset 48: ofp_match */
	0x00, 0x01, 0x00, 0x25,         /* OFPMT_OXM, length 37 */
	0x80, 0x00, 0x00, 0x04,         /* OPENFLOW_BASIC, IN_PORT, 4 bytes */
	0x00, 0x00, 0x00, 0x01,         /*   1 */
	0x80, 0x00, 0x0a, 0x02,         /* ETH_TYPE (5 << 1), 2 bytes */
	0x08, 0x00,                     /*   0x0800 */
	0x80, 0x00, 0x14, 0x01,         /* IP_PROTO (10 << 1), 1 byte */
	0x11,                           /*   17 */
	0x80, 0x00, 0x18, 0x04,         /* IPV4_DST (12 << 1), 4 bytes */
	0xc0, 0x00, 0x02, 0x01,         /*   192.0.2.1 */
	0x80, 0x00, 0x20, 0x02,         /* UDP_DST (16 << 1), 2 bytes */
	0x13, 0x88,                     /*   5000 */
	0x00, 0x00, 0x00,               /* pad 37 -> 40 */
	/* offset 88: instructions */
	0x00, 0x04, 0x00, 0x18,         /* OFPIT_APPLY_ACTIONS, length 24 */
	0x00, 0x00, 0x00, 0x00,         /* pad */
	0x00, 0x00, 0x00, 0x10,         /* OFPAT_OUTPUT, length 16 */
	0x00, 0x00, 0x00, 0x02,         /* port 2 */
	0xff, 0xff,                     /* max_len OFPCML_NO_BUFFER */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* pad */
};

/* FLOW_MOD DELETE, xid 0x11: cookie 0x5000000000000001 under an all-ones
 * mask, empty match.  48 + 8 = 56. */
static const uint8_t v_flow_delete[] = {
	0x04, 0x0e, 0x00, 0x38,         /* version 4, FLOW_MOD, length 56 */
	0x00, 0x00, 0x00, 0x11,         /* xid */
	0x50, 0x00, 0x00, 0x00,         /* cookie */
	0x00, 0x00, 0x00, 0x01,
	0xff, 0xff, 0xff, 0xff,         /* cookie_mask */
	0xff, 0xff, 0xff, 0xff,
	0x00,                           /* table_id 0 */
	0x03,                           /* command OFPFC_DELETE */
	0x00, 0x00,                     /* idle_timeout */
	0x00, 0x00,                     /* hard_timeout */
	0x00, 0x00,                     /* priority 0 */
	0xff, 0xff, 0xff, 0xff,         /* buffer_id OFP_NO_BUFFER */
	0xff, 0xff, 0xff, 0xff,         /* out_port OFPP_ANY */
	0xff, 0xff, 0xff, 0xff,         /* out_group OFPG_ANY */
	0x00, 0x00,                     /* flags */
	0x00, 0x00,                     /* pad */
	0x00, 0x01, 0x00, 0x04,         /* OFPMT_OXM, length 4 (no field) */
	0x00, 0x00, 0x00, 0x00,         /* pad */
};

/* MULTIPART_REQUEST OFPMP_FLOW, xid 0x20, cookie 0x5000000000000000
 * under mask 0xf000000000000000.  16 + 32 + 8 = 56. */
static const uint8_t v_flow_stats_request[] = {
	0x04, 0x12, 0x00, 0x38,         /* version 4, MULTIPART_REQUEST, length 56 */
	0x00, 0x00, 0x00, 0x20,         /* xid */
	0x00, 0x01,                     /* OFPMP_FLOW */
	0x00, 0x00,                     /* flags */
	0x00, 0x00, 0x00, 0x00,         /* pad */
	0xff,                           /* table_id OFPTT_ALL */
	0x00, 0x00, 0x00,               /* pad */
	0xff, 0xff, 0xff, 0xff,         /* out_port OFPP_ANY */
	0xff, 0xff, 0xff, 0xff,         /* out_group OFPG_ANY */
	0x00, 0x00, 0x00, 0x00,         /* pad */
	0x50, 0x00, 0x00, 0x00,         /* cookie */
	0x00, 0x00, 0x00, 0x00,
	0xf0, 0x00, 0x00, 0x00,         /* cookie_mask */
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x04,         /* OFPMT_OXM, length 4 */
	0x00, 0x00, 0x00, 0x00,         /* pad */
};

/* MULTIPART_REPLY OFPMP_FLOW, xid 0x21, more parts follow, two entries:
 * the flow of v_flow_add as the switch reports it, and a flow of another
 * controller matching ipv4_src (a field the node does not use) with a
 * goto-table instruction.  16 + 112 + 80 = 208. */
static const uint8_t v_flow_stats_reply[] = {
	0x04, 0x13, 0x00, 0xd0,         /* version 4, MULTIPART_REPLY, length 208 */
	0x00, 0x00, 0x00, 0x21,         /* xid */
	0x00, 0x01,                     /* OFPMP_FLOW */
	0x00, 0x01,                     /* flags OFPMPF_REPLY_MORE */
	0x00, 0x00, 0x00, 0x00,         /* pad */
	/* offset 16: entry 1 */
	0x00, 0x70,                     /* length 112 */
	0x00,                           /* table_id 0 */
	0x00,                           /* pad */
	0x00, 0x00, 0x00, 0x0a,         /* duration_sec 10 */
	0x00, 0x00, 0x00, 0x00,         /* duration_nsec */
	0x03, 0xe8,                     /* priority 1000 */
	0x00, 0x00,                     /* idle_timeout */
	0x00, 0x00,                     /* hard_timeout */
	0x00, 0x00,                     /* flags */
	0x00, 0x00, 0x00, 0x00,         /* pad */
	0x50, 0x00, 0x00, 0x00,         /* cookie */
	0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00,         /* packet_count 5 */
	0x00, 0x00, 0x00, 0x05,
	0x00, 0x00, 0x00, 0x00,         /* byte_count 300 */
	0x00, 0x00, 0x01, 0x2c,
	0x00, 0x01, 0x00, 0x25,         /* OFPMT_OXM, length 37 */
	0x80, 0x00, 0x00, 0x04,         /* IN_PORT */
	0x00, 0x00, 0x00, 0x01,         /*   1 */
	0x80, 0x00, 0x0a, 0x02,         /* ETH_TYPE */
	0x08, 0x00,                     /*   0x0800 */
	0x80, 0x00, 0x14, 0x01,         /* IP_PROTO */
	0x11,                           /*   17 */
	0x80, 0x00, 0x18, 0x04,         /* IPV4_DST */
	0xc0, 0x00, 0x02, 0x01,         /*   192.0.2.1 */
	0x80, 0x00, 0x20, 0x02,         /* UDP_DST */
	0x13, 0x88,                     /*   5000 */
	0x00, 0x00, 0x00,               /* pad */
	0x00, 0x04, 0x00, 0x18,         /* APPLY_ACTIONS, length 24 */
	0x00, 0x00, 0x00, 0x00,         /* pad */
	0x00, 0x00, 0x00, 0x10,         /* OUTPUT, length 16 */
	0x00, 0x00, 0x00, 0x02,         /* port 2 */
	0xff, 0xff,                     /* max_len */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* pad */
	/* offset 128: entry 2 */
	0x00, 0x50,                     /* length 80 */
	0x01,                           /* table_id 1 */
	0x00,                           /* pad */
	0x00, 0x00, 0x00, 0x05,         /* duration_sec 5 */
	0x00, 0x00, 0x00, 0x00,         /* duration_nsec */
	0x00, 0x64,                     /* priority 100 */
	0x00, 0x00,                     /* idle_timeout */
	0x00, 0x00,                     /* hard_timeout */
	0x00, 0x00,                     /* flags */
	0x00, 0x00, 0x00, 0x00,         /* pad */
	0x50, 0x00, 0x00, 0x00,         /* cookie */
	0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x00,         /* packet_count 0 */
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,         /* byte_count 0 */
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x12,         /* OFPMT_OXM, length 18 */
	0x80, 0x00, 0x0a, 0x02,         /* ETH_TYPE */
	0x08, 0x00,                     /*   0x0800 */
	0x80, 0x00, 0x16, 0x04,         /* IPV4_SRC (11 << 1), 4 bytes */
	0x0a, 0x00, 0x00, 0x01,         /*   10.0.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* pad 18 -> 24 */
	0x00, 0x01, 0x00, 0x08,         /* OFPIT_GOTO_TABLE, length 8 */
	0x02,                           /* table_id 2 */
	0x00, 0x00, 0x00,               /* pad */
};

/* ERROR BAD_MATCH/BAD_PREREQ about the first 16 bytes of v_flow_add. */
static const uint8_t v_error_bad_match[] = {
	0x04, 0x01, 0x00, 0x1c,         /* version 4, ERROR, length 28 */
	0x00, 0x00, 0x00, 0x10,         /* xid */
	0x00, 0x04,                     /* type OFPET_BAD_MATCH */
	0x00, 0x09,                     /* code OFPBMC_BAD_PREREQ */
	0x04, 0x0e, 0x00, 0x70,         /* data: FLOW_MOD, length 112 */
	0x00, 0x00, 0x00, 0x10,         /*   xid 0x10 */
	0x50, 0x00, 0x00, 0x00,         /*   cookie */
	0x00, 0x00, 0x00, 0x01,
};

/* ERROR EXPERIMENTER from Nicira, exp_type 1, 4 bytes of data. */
static const uint8_t v_error_experimenter[] = {
	0x04, 0x01, 0x00, 0x14,         /* version 4, ERROR, length 20 */
	0x00, 0x00, 0x00, 0x03,         /* xid */
	0xff, 0xff,                     /* type OFPET_EXPERIMENTER */
	0x00, 0x01,                     /* exp_type 1 */
	0x00, 0x00, 0x23, 0x20,         /* experimenter NX_VENDOR_ID */
	0xde, 0xad, 0xbe, 0xef,         /* data */
};

/* ---- Helpers ---------------------------------------------------------- */

/* Returns a heap copy of exactly src[0..n), so that ASan reports a read
 * past its end. */
static uint8_t *
dup_exact(const uint8_t *src, size_t n)
{
	uint8_t *p = malloc(n);

	CU_ASSERT_FATAL(p != NULL || n == 0);
	if (n > 0)
		memcpy(p, src, n);
	return p;
}

/* Asserts that buf[0..n) equals want[0..wn), naming the first difference. */
static void
expect_bytes(const uint8_t *buf, size_t n, const uint8_t *want, size_t wn, const char *ctx)
{
	size_t i;

	CU_EXPECT_UINT(n, wn, ctx);
	for (i = 0; i < n && i < wn && buf[i] == want[i]; i++)
		;
	CU_EXPECT(i == n || i == wn, "%s: byte %zu is %#04x, expected %#04x", ctx, i,
		  i < n ? buf[i] : 0, i < wn ? want[i] : 0);
}

/* What the flow stats callbacks saw. */
struct flows_seen {
	struct ofp_flow f[4];
	int n;
	int stop_at;            /* return stop_at + 100 from that call; -1 never */
};

static int
record_flow(const struct ofp_flow *f, void *arg)
{
	struct flows_seen *s = arg;

	if (s->n < (int)CU_DIM(s->f))
		s->f[s->n] = *f;
	if (s->n++ == s->stop_at)
		return s->stop_at + 100;
	return 0;
}

/*
 * Builds in buf a MULTIPART_REPLY (OFPMP_FLOW, xid 0x30) with one entry of
 * table 0, priority 7, cookie 0x77 whose match is match[0..mlen) and
 * instructions insts[0..ilen); returns its length.
 */
static size_t
mk_reply(uint8_t *buf, const uint8_t *match, size_t mlen, const uint8_t *insts,
	 size_t ilen)
{
	static const uint8_t head[] = {
		0x04, 0x13, 0x00, 0x00,         /* MULTIPART_REPLY, length set below */
		0x00, 0x00, 0x00, 0x30,         /* xid */
		0x00, 0x01, 0x00, 0x00,         /* OFPMP_FLOW, flags 0 */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x00, 0x00, 0x00,         /* entry length set below, table 0 */
		0x00, 0x00, 0x00, 0x01,         /* duration_sec */
		0x00, 0x00, 0x00, 0x00,         /* duration_nsec */
		0x00, 0x07, 0x00, 0x00,         /* priority 7, idle_timeout */
		0x00, 0x00, 0x00, 0x00,         /* hard_timeout, flags */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x00, 0x00, 0x00,         /* cookie 0x77 */
		0x00, 0x00, 0x00, 0x77,
		0x00, 0x00, 0x00, 0x00,         /* packet_count */
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,         /* byte_count */
		0x00, 0x00, 0x00, 0x00,
	};
	size_t elen = sizeof(head) - 16 + mlen + ilen;
	size_t len = 16 + elen;

	memcpy(buf, head, sizeof(head));
	if (mlen > 0)
		memcpy(buf + sizeof(head), match, mlen);
	if (ilen > 0)
		memcpy(buf + sizeof(head) + mlen, insts, ilen);
	buf[2] = len >> 8;
	buf[3] = len;
	buf[16] = elen >> 8;
	buf[17] = elen;
	return len;
}

/* One decoder behind a common signature, for the robustness tables. */
typedef int (*decode_fn)(const uint8_t *msg, size_t len);

static int
dec_hello(const uint8_t *msg, size_t len)
{
	bool has_13;

	return ofp_decode_hello(msg, len, &has_13);
}

static int
dec_features(const uint8_t *msg, size_t len)
{
	uint64_t dpid;

	return ofp_decode_features_reply(msg, len, &dpid);
}

static int
dec_error(const uint8_t *msg, size_t len)
{
	uint16_t type, code;
	struct ofp_header about;

	return ofp_decode_error(msg, len, &type, &code, &about);
}

static int
dec_flow_stats(const uint8_t *msg, size_t len)
{
	struct flows_seen s = { .stop_at = -1 };
	bool more;
	int rc = ofp_decode_flow_stats_reply(msg, len, &more, record_flow, &s);

	CU_EXPECT(rc == 0 || s.n == 0, "flow stats: %d callbacks before error %d", s.n, rc);
	return rc;
}

/* ---- Header ----------------------------------------------------------- */

static void
test_header_parse(void)
{
	const struct {
		const char *name;
		const uint8_t *buf;
		size_t len;
		int rc;
		struct ofp_header h;
	} cases[] = {
		{ "hello", HEX(0x04, 0x00, 0x00, 0x10, 0x12, 0x34, 0x56, 0x78),
		  0, { 4, 0, 16, 0x12345678 } },
		{ "version 1, length 0xffff",
		  HEX(0x01, 0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x00),
		  0, { 1, 19, 0xffff, 0xfffffffe } },
		{ "bare header", HEX(0x04, 0x14, 0x00, 0x08, 0, 0, 0, 9), 0, { 4, 20, 8, 9 } },
		{ "length 7", HEX(0x04, 0x00, 0x00, 0x07, 0, 0, 0, 0), -EPROTO, { 0 } },
		{ "length 0", HEX(0x04, 0x00, 0x00, 0x00, 0, 0, 0, 0), -EPROTO, { 0 } },
		{ "7 bytes", HEX(0x04, 0x00, 0x00, 0x08, 0, 0, 0), -EAGAIN, { 0 } },
		{ "1 byte", HEX(0x04), -EAGAIN, { 0 } },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		struct ofp_header h = { 0 };

		CU_EXPECT_INT(ofp_header_parse(cases[i].buf, cases[i].len, &h), cases[i].rc,
			      cases[i].name);
		CU_EXPECT_UINT(h.version, cases[i].h.version, cases[i].name);
		CU_EXPECT_UINT(h.type, cases[i].h.type, cases[i].name);
		CU_EXPECT_UINT(h.length, cases[i].h.length, cases[i].name);
		CU_EXPECT_UINT(h.xid, cases[i].h.xid, cases[i].name);
	}
	CU_EXPECT_INT(ofp_header_parse(NULL, 0, NULL), -EAGAIN, "empty");
}

/* ---- HELLO ------------------------------------------------------------ */

static void
test_encode_hello(void)
{
	uint8_t buf[64];

	CU_EXPECT_INT(ofp_encode_hello(buf, sizeof(buf), 0x12345678), sizeof(v_hello), "hello");
	expect_bytes(buf, sizeof(v_hello), v_hello, sizeof(v_hello), "hello");
}

static void
test_decode_hello(void)
{
	const struct {
		const char *name;
		const uint8_t *msg;
		size_t len;
		int rc;
		bool has_13;
	} cases[] = {
		{ "ours: 1.3 only", v_hello, sizeof(v_hello), 0, true },
		{ "1.0 and 1.3", v_hello_10_13, sizeof(v_hello_10_13), 0, true },
		{ "unknown element, two-word bitmap", v_hello_long, sizeof(v_hello_long),
		  0, true },
		{ "1.0-only bitmap",
		  HEX(0x01, 0x00, 0x00, 0x10, 0, 0, 0, 1,       /* version 1, length 16 */
		      0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02), /* bitmap: 1.0 */
		  0, false },
		{ "bitmap without 1.3 beats header version 6",
		  HEX(0x06, 0x00, 0x00, 0x10, 0, 0, 0, 1,       /* version 6 */
		      0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x42), /* 1.0, 1.5 */
		  0, false },
		{ "version 4, no element", HEX(0x04, 0x00, 0x00, 0x08, 0, 0, 0, 1), 0, true },
		{ "version 5, no element", HEX(0x05, 0x00, 0x00, 0x08, 0, 0, 0, 1), 0, true },
		{ "version 1, no element", HEX(0x01, 0x00, 0x00, 0x08, 0, 0, 0, 1), 0, false },
		{ "version 1, unknown element only",
		  HEX(0x01, 0x00, 0x00, 0x10, 0, 0, 0, 1,
		      0x00, 0x07, 0x00, 0x08, 0xaa, 0xbb, 0xcc, 0xdd), /* type 7 */
		  0, false },
		{ "bytes past the length field are not read",
		  HEX(0x04, 0x00, 0x00, 0x08, 0, 0, 0, 1, 0x00, 0x01, 0x00),
		  0, true },
		/* Malformed. */
		{ "element length 3",
		  HEX(0x04, 0x00, 0x00, 0x10, 0, 0, 0, 1,
		      0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x10), -EPROTO, false },
		{ "element length 0",
		  HEX(0x04, 0x00, 0x00, 0x10, 0, 0, 0, 1,
		      0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), -EPROTO, false },
		{ "element past the message",
		  HEX(0x04, 0x00, 0x00, 0x10, 0, 0, 0, 1,
		      0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10), -EPROTO, false },
		{ "element padding missing",
		  HEX(0x04, 0x00, 0x00, 0x14, 0, 0, 0, 1,
		      0x00, 0x01, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x10,
		      0x00, 0x00, 0x00, 0x00), -EPROTO, false },
		{ "bitmap of no word",
		  HEX(0x04, 0x00, 0x00, 0x10, 0, 0, 0, 1,
		      0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00), -EPROTO, false },
		{ "bitmap of 6 bytes",
		  HEX(0x04, 0x00, 0x00, 0x18, 0, 0, 0, 1,
		      0x00, 0x01, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x10,
		      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), -EPROTO, false },
		{ "2 bytes after the last element",
		  HEX(0x04, 0x00, 0x00, 0x12, 0, 0, 0, 1,
		      0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00),
		  -EPROTO, false },
		{ "not a hello", v_echo_request, sizeof(v_echo_request), -EPROTO, false },
		{ "length field past the bytes",
		  HEX(0x04, 0x00, 0x00, 0x10, 0, 0, 0, 1, 0x00, 0x01, 0x00, 0x08),
		  -EPROTO, false },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		uint8_t *msg = dup_exact(cases[i].msg, cases[i].len);
		bool has_13 = !cases[i].has_13;

		CU_EXPECT_INT(ofp_decode_hello(msg, cases[i].len, &has_13), cases[i].rc,
			      cases[i].name);
		if (cases[i].rc == 0)
			CU_EXPECT(has_13 == cases[i].has_13, "%s: has_13 is %d", cases[i].name,
				  has_13);
		else
			CU_EXPECT(has_13 == !cases[i].has_13, "%s: has_13 written on error",
				  cases[i].name);
		free(msg);
	}
}

/* ---- ECHO, bare headers ----------------------------------------------- */

static void
test_encode_echo(void)
{
	static const uint8_t reply_empty[] = {
		0x04, 0x03, 0x00, 0x08,         /* version 4, ECHO_REPLY, length 8 */
		0xff, 0xff, 0xff, 0xff,         /* xid */
	};
	static uint8_t payload[OFP_MAX_LEN], big[OFP_MAX_LEN + 16];
	uint8_t want[sizeof(v_echo_request)];
	uint8_t buf[64];

	CU_EXPECT_INT(ofp_encode_echo(buf, sizeof(buf), OFPT_ECHO_REQUEST, 7,
				      (const uint8_t *)"ping", 4), 12, "request");
	expect_bytes(buf, 12, v_echo_request, sizeof(v_echo_request), "request");

	memcpy(want, v_echo_request, sizeof(want));
	want[1] = OFPT_ECHO_REPLY;
	CU_EXPECT_INT(ofp_encode_echo(buf, sizeof(buf), OFPT_ECHO_REPLY, 7,
				      (const uint8_t *)"ping", 4), 12, "reply");
	expect_bytes(buf, 12, want, sizeof(want), "reply");

	CU_EXPECT_INT(ofp_encode_echo(buf, sizeof(buf), OFPT_ECHO_REPLY, 0xffffffff, NULL, 0),
		      8, "empty reply");
	expect_bytes(buf, 8, reply_empty, sizeof(reply_empty), "empty reply");

	CU_EXPECT_INT(ofp_encode_echo(buf, sizeof(buf), OFPT_HELLO, 7, NULL, 0), -EINVAL,
		      "type HELLO");
	CU_EXPECT_INT(ofp_encode_echo(buf, sizeof(buf), OFPT_FLOW_MOD, 7, NULL, 0), -EINVAL,
		      "type FLOW_MOD");

	/* The largest payload that fits the 16-bit length, and one more. */
	memset(payload, 0x5a, sizeof(payload));
	CU_EXPECT_INT(ofp_encode_echo(big, sizeof(big), OFPT_ECHO_REQUEST, 1, payload,
				      OFP_MAX_LEN - 8), OFP_MAX_LEN, "65527-byte payload");
	CU_EXPECT(big[2] == 0xff && big[3] == 0xff && big[OFP_MAX_LEN - 1] == 0x5a,
		  "the largest echo");
	CU_EXPECT_INT(ofp_encode_echo(big, sizeof(big), OFPT_ECHO_REQUEST, 1, payload,
				      OFP_MAX_LEN - 7), -EMSGSIZE, "65528-byte payload");
}

static void
test_encode_header_only(void)
{
	const struct {
		uint8_t type;
		uint32_t xid;
		const uint8_t *want;
		size_t len;
	} cases[] = {
		{ OFPT_FEATURES_REQUEST, 2,
		  HEX(0x04, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02) },
		{ OFPT_BARRIER_REQUEST, 0xdeadbeef,
		  HEX(0x04, 0x14, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef) },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		uint8_t buf[16];
		char ctx[32];

		snprintf(ctx, sizeof(ctx), "type %u", cases[i].type);
		CU_EXPECT_INT(ofp_encode_header_only(buf, sizeof(buf), cases[i].type,
						     cases[i].xid), 8, ctx);
		expect_bytes(buf, 8, cases[i].want, cases[i].len, ctx);
	}
}

/* ---- FEATURES_REPLY --------------------------------------------------- */

static void
test_decode_features_reply(void)
{
	uint8_t msg[sizeof(v_features_reply) + 8];
	uint64_t dpid = 0;

	CU_EXPECT_INT(ofp_decode_features_reply(v_features_reply, sizeof(v_features_reply),
						&dpid), 0, "features");
	CU_EXPECT_UINT(dpid, 0x00000a1b2c3d4e5full, "dpid");

	memcpy(msg, v_features_reply, sizeof(v_features_reply));
	memset(msg + 8, 0xfe, 8);
	dpid = 0;
	CU_EXPECT_INT(ofp_decode_features_reply(msg, sizeof(v_features_reply), &dpid), 0,
		      "high dpid");
	CU_EXPECT_UINT(dpid, 0xfefefefefefefefeull, "high dpid");

	/* Refused: the reply of another version, 8 bytes too many, the wrong
	 * type.  dpid is left alone. */
	dpid = 1;
	memcpy(msg, v_features_reply, sizeof(v_features_reply));
	msg[0] = 0x01;
	CU_EXPECT_INT(ofp_decode_features_reply(msg, sizeof(v_features_reply), &dpid), -EPROTO,
		      "version 1");
	memset(msg + sizeof(v_features_reply), 0, 8);
	msg[0] = 0x04;
	msg[3] = sizeof(msg);
	CU_EXPECT_INT(ofp_decode_features_reply(msg, sizeof(msg), &dpid), -EPROTO, "length 40");
	CU_EXPECT_INT(ofp_decode_features_reply(v_hello, sizeof(v_hello), &dpid), -EPROTO,
		      "hello");
	CU_EXPECT_UINT(dpid, 1, "dpid after errors");
}

/* ---- FLOW_MOD --------------------------------------------------------- */

/* The flow of v_flow_add. */
static struct ofp_flow
udp_flow(void)
{
	struct ofp_flow f = {
		.cookie = 0x5000000000000001ull,
		.priority = 1000,
		.match = {
			.fields = OFP_M_IN_PORT | OFP_M_ETH_TYPE | OFP_M_IP_PROTO |
				  OFP_M_IPV4_DST | OFP_M_UDP_DST,
			.in_port = 1,
			.eth_type = 0x0800,
			.ip_proto = 17,
			.ipv4_dst = htonl(0xc0000201),
			.udp_dst = 5000,
		},
		.out_port = 2,
	};

	return f;
}

static void
test_encode_flow_mod_add(void)
{
	struct ofp_flow f = udp_flow();
	uint8_t buf[256];

	/* cookie_mask is ignored by ADD. */
	CU_EXPECT_INT(ofp_encode_flow_mod(buf, sizeof(buf), 0x10, OFPFC_ADD, &f, ~0ull), 112,
		      "add");
	expect_bytes(buf, 112, v_flow_add, sizeof(v_flow_add), "add");
}

static void
test_encode_flow_mod_delete(void)
{
	struct ofp_flow f = { .cookie = 0x5000000000000001ull, .out_port = 9 };
	uint8_t buf[256];

	CU_EXPECT_INT(ofp_encode_flow_mod(buf, sizeof(buf), 0x11, OFPFC_DELETE, &f, ~0ull), 56,
		      "delete");
	expect_bytes(buf, 56, v_flow_delete, sizeof(v_flow_delete), "delete");
}

static void
test_encode_flow_mod_delete_strict(void)
{
	struct ofp_flow f = udp_flow();
	uint8_t want[88];
	uint8_t buf[256];

	/* v_flow_add up to its instructions, as a DELETE_STRICT under a mask. */
	memcpy(want, v_flow_add, sizeof(want));
	want[3] = 88;                           /* length */
	memset(want + 16, 0xff, 8);             /* cookie_mask */
	want[25] = OFPFC_DELETE_STRICT;
	CU_EXPECT_INT(ofp_encode_flow_mod(buf, sizeof(buf), 0x10, OFPFC_DELETE_STRICT, &f,
					  ~0ull), 88, "delete strict");
	expect_bytes(buf, 88, want, sizeof(want), "delete strict");
}

static void
test_encode_flow_mod_invalid(void)
{
	const struct {
		const char *name;
		uint8_t command;
		uint32_t fields;
		uint16_t eth_type;
		uint8_t ip_proto;
	} cases[] = {
		{ "MODIFY", 1, 0, 0, 0 },
		{ "MODIFY_STRICT", 2, 0, 0, 0 },
		{ "command 200", 200, 0, 0, 0 },
		{ "OFP_M_OTHER", OFPFC_ADD, OFP_M_OTHER, 0, 0 },
		{ "unknown field bit", OFPFC_DELETE, 1u << 5, 0, 0 },
		{ "ip_proto without eth_type", OFPFC_ADD, OFP_M_IP_PROTO, 0, 17 },
		{ "ip_proto over ARP", OFPFC_ADD, OFP_M_ETH_TYPE | OFP_M_IP_PROTO, 0x0806, 17 },
		{ "ipv4_dst without eth_type", OFPFC_ADD, OFP_M_IPV4_DST, 0, 0 },
		{ "ipv4_dst over IPv6", OFPFC_ADD, OFP_M_ETH_TYPE | OFP_M_IPV4_DST, 0x86dd, 0 },
		{ "udp_dst without ip_proto", OFPFC_ADD, OFP_M_ETH_TYPE | OFP_M_UDP_DST,
		  0x0800, 0 },
		{ "udp_dst over TCP", OFPFC_DELETE_STRICT,
		  OFP_M_ETH_TYPE | OFP_M_IP_PROTO | OFP_M_UDP_DST, 0x0800, 6 },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		struct ofp_flow f = udp_flow();
		uint8_t buf[256];

		f.match.fields = cases[i].fields;
		f.match.eth_type = cases[i].eth_type;
		f.match.ip_proto = cases[i].ip_proto;
		memset(buf, 0xa5, sizeof(buf));
		CU_EXPECT_INT(ofp_encode_flow_mod(buf, sizeof(buf), 1, cases[i].command, &f, 0),
			      -EINVAL, cases[i].name);
		CU_EXPECT(buf[0] == 0xa5 && buf[1] == 0xa5, "%s: buffer written", cases[i].name);
	}
}

static void
test_encode_flow_stats_request(void)
{
	uint8_t buf[128];

	CU_EXPECT_INT(ofp_encode_flow_stats_request(buf, sizeof(buf), 0x20,
						    0x5000000000000000ull,
						    0xf000000000000000ull),
		      sizeof(v_flow_stats_request), "request");
	expect_bytes(buf, sizeof(v_flow_stats_request), v_flow_stats_request,
		     sizeof(v_flow_stats_request), "request");
}

/* ---- Encoders: space -------------------------------------------------- */

static int
enc_hello(uint8_t *buf, size_t size)
{
	return ofp_encode_hello(buf, size, 1);
}

static int
enc_echo(uint8_t *buf, size_t size)
{
	return ofp_encode_echo(buf, size, OFPT_ECHO_REQUEST, 1, (const uint8_t *)"abc", 3);
}

static int
enc_barrier(uint8_t *buf, size_t size)
{
	return ofp_encode_header_only(buf, size, OFPT_BARRIER_REQUEST, 1);
}

static int
enc_flow_add(uint8_t *buf, size_t size)
{
	struct ofp_flow f = udp_flow();

	return ofp_encode_flow_mod(buf, size, 1, OFPFC_ADD, &f, 0);
}

static int
enc_flow_delete(uint8_t *buf, size_t size)
{
	struct ofp_flow f = { .cookie = 3 };

	return ofp_encode_flow_mod(buf, size, 1, OFPFC_DELETE, &f, ~0ull);
}

static int
enc_flow_stats_request(uint8_t *buf, size_t size)
{
	return ofp_encode_flow_stats_request(buf, size, 1, 0, 0);
}

static void
test_encoders_space(void)
{
	const struct {
		const char *name;
		int (*enc)(uint8_t *buf, size_t size);
		int len;
	} cases[] = {
		{ "hello", enc_hello, 16 },
		{ "echo", enc_echo, 11 },
		{ "barrier", enc_barrier, 8 },
		{ "flow add", enc_flow_add, 112 },
		{ "flow delete", enc_flow_delete, 56 },
		{ "flow stats request", enc_flow_stats_request, 56 },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		uint8_t big[256];
		int n;

		/* Exactly enough, and more: nothing written past the message. */
		memset(big, 0xa5, sizeof(big));
		n = cases[i].enc(big, sizeof(big));
		CU_EXPECT_INT(n, cases[i].len, cases[i].name);
		for (size_t j = cases[i].len; j < sizeof(big); j++)
			CU_EXPECT(big[j] == 0xa5, "%s: byte %zu written", cases[i].name, j);
		for (size_t size = 0; size <= (size_t)cases[i].len; size++) {
			uint8_t *buf = malloc(size + 1);
			int want = size == (size_t)cases[i].len ? cases[i].len : -ENOSPC;
			bool untouched = true;

			CU_ASSERT_FATAL(buf != NULL);
			memset(buf, 0xa5, size + 1);
			CU_EXPECT_INT(cases[i].enc(buf, size), want, cases[i].name);
			for (size_t j = 0; j < size && want < 0; j++)
				untouched &= buf[j] == 0xa5;
			CU_EXPECT(untouched && buf[size] == 0xa5, "%s: size %zu: buffer written",
				  cases[i].name, size);
			free(buf);
		}
	}
}

/* ---- Flow stats reply ------------------------------------------------- */

static void
expect_match(const struct ofp_match *m, const struct ofp_match *want, const char *ctx)
{
	CU_EXPECT_UINT(m->fields, want->fields, ctx);
	CU_EXPECT_UINT(m->in_port, want->in_port, ctx);
	CU_EXPECT_UINT(m->eth_type, want->eth_type, ctx);
	CU_EXPECT_UINT(m->ip_proto, want->ip_proto, ctx);
	CU_EXPECT_UINT(m->ipv4_dst, want->ipv4_dst, ctx);
	CU_EXPECT_UINT(m->udp_dst, want->udp_dst, ctx);
}

static void
test_decode_flow_stats_reply(void)
{
	struct flows_seen s = { .stop_at = -1 };
	struct ofp_flow want = udp_flow();
	struct ofp_match other = { .fields = OFP_M_ETH_TYPE | OFP_M_OTHER, .eth_type = 0x0800 };
	uint8_t *msg = dup_exact(v_flow_stats_reply, sizeof(v_flow_stats_reply));
	bool more = false;

	CU_EXPECT_INT(ofp_decode_flow_stats_reply(msg, sizeof(v_flow_stats_reply), &more,
						  record_flow, &s), 0, "reply");
	CU_EXPECT(more, "more parts follow");
	CU_ASSERT_EQUAL_FATAL(s.n, 2);

	CU_EXPECT_UINT(s.f[0].cookie, want.cookie, "entry 1");
	CU_EXPECT_UINT(s.f[0].priority, 1000, "entry 1");
	expect_match(&s.f[0].match, &want.match, "entry 1");
	CU_EXPECT_UINT(s.f[0].out_port, 2, "entry 1");

	CU_EXPECT_UINT(s.f[1].cookie, 0x5000000000000002ull, "entry 2");
	CU_EXPECT_UINT(s.f[1].priority, 100, "entry 2");
	expect_match(&s.f[1].match, &other, "entry 2");
	CU_EXPECT_UINT(s.f[1].out_port, 0, "entry 2: goto-table is not our shape");
	free(msg);
}

static void
test_decode_flow_stats_reply_stops(void)
{
	struct flows_seen s = { .stop_at = 0 };
	bool more = false;

	CU_EXPECT_INT(ofp_decode_flow_stats_reply(v_flow_stats_reply,
						  sizeof(v_flow_stats_reply), &more,
						  record_flow, &s), 100, "stop at the first");
	CU_EXPECT_INT(s.n, 1, "callbacks");

	s = (struct flows_seen){ .stop_at = 1 };
	CU_EXPECT_INT(ofp_decode_flow_stats_reply(v_flow_stats_reply,
						  sizeof(v_flow_stats_reply), &more,
						  record_flow, &s), 101, "stop at the second");
	CU_EXPECT_INT(s.n, 2, "callbacks");
}

static void
test_decode_flow_stats_reply_empty(void)
{
	static const uint8_t empty[] = {
		0x04, 0x13, 0x00, 0x10,         /* MULTIPART_REPLY, length 16 */
		0x00, 0x00, 0x00, 0x21,         /* xid */
		0x00, 0x01, 0x00, 0x00,         /* OFPMP_FLOW, no more */
		0x00, 0x00, 0x00, 0x00,         /* pad */
	};
	struct flows_seen s = { .stop_at = -1 };
	bool more = true;

	CU_EXPECT_INT(ofp_decode_flow_stats_reply(empty, sizeof(empty), &more, record_flow,
						  &s), 0, "empty");
	CU_EXPECT(!more, "no more parts");
	CU_EXPECT_INT(s.n, 0, "callbacks");
}

/* An apply-actions instruction with one output to port 2. */
#define APPLY_OUTPUT_2 \
	0x00, 0x04, 0x00, 0x18, 0, 0, 0, 0,             /* APPLY_ACTIONS, 24 */ \
	0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x02,  /* OUTPUT, 16, port 2 */ \
	0xff, 0xff, 0, 0, 0, 0, 0, 0                     /* max_len, pad */

/* An empty OXM match. */
#define MATCH_EMPTY 0x00, 0x01, 0x00, 0x04, 0, 0, 0, 0

static void
test_flow_stats_entries(void)
{
	const struct {
		const char *name;
		const uint8_t *match;
		size_t mlen;
		const uint8_t *insts;
		size_t ilen;
		int rc;
		struct ofp_match m;
		uint32_t out_port;
	} cases[] = {
		{ "empty match, no instruction", HEX(MATCH_EMPTY), NONE, 0,
		  { 0 }, 0 },
		{ "ipv4_dst under an all-ones mask is exact",
		  HEX(0x00, 0x01, 0x00, 0x16,                     /* OXM, length 22 */
		      0x80, 0x00, 0x0a, 0x02, 0x08, 0x00,             /* ETH_TYPE */
		      0x80, 0x00, 0x19, 0x08, 0xc0, 0x00, 0x02, 0x01,  /* IPV4_DST/mask */
		      0xff, 0xff, 0xff, 0xff, 0, 0),
		  HEX(APPLY_OUTPUT_2), 0,
		  { .fields = OFP_M_ETH_TYPE | OFP_M_IPV4_DST, .eth_type = 0x0800,
		    .ipv4_dst = htonl(0xc0000201) }, 2 },
		{ "ipv4_dst under a /24 mask is another field",
		  HEX(0x00, 0x01, 0x00, 0x16,
		      0x80, 0x00, 0x0a, 0x02, 0x08, 0x00,
		      0x80, 0x00, 0x19, 0x08, 0xc0, 0x00, 0x02, 0x00,
		      0xff, 0xff, 0xff, 0x00, 0, 0),
		  HEX(APPLY_OUTPUT_2), 0,
		  { .fields = OFP_M_ETH_TYPE | OFP_M_OTHER, .eth_type = 0x0800 }, 2 },
		{ "NXM class (OVS register) is another field",
		  HEX(0x00, 0x01, 0x00, 0x14,                     /* OXM, length 20 */
		      0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x07,  /* NXM_NX_REG0 */
		      0x80, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05,  /* IN_PORT 5 */
		      0, 0, 0, 0),
		  HEX(APPLY_OUTPUT_2), 0,
		  { .fields = OFP_M_IN_PORT | OFP_M_OTHER, .in_port = 5 }, 2 },
		{ "experimenter class is another field",
		  HEX(0x00, 0x01, 0x00, 0x0c,
		      0xff, 0xff, 0x02, 0x04, 0x00, 0x00, 0x23, 0x20, 0, 0, 0, 0),
		  NONE, 0, { .fields = OFP_M_OTHER }, 0 },
		{ "OXM of length 0 of class 0x1234",
		  HEX(0x00, 0x01, 0x00, 0x08, 0x12, 0x34, 0x00, 0x00),
		  NONE, 0, { .fields = OFP_M_OTHER }, 0 },
		{ "udp_src is another field",
		  HEX(0x00, 0x01, 0x00, 0x0a, 0x80, 0x00, 0x1e, 0x02, 0x00, 0x35,
		      0, 0, 0, 0, 0, 0),
		  HEX(APPLY_OUTPUT_2), 0, { .fields = OFP_M_OTHER }, 2 },
		{ "two output actions",
		  HEX(MATCH_EMPTY),
		  HEX(0x00, 0x04, 0x00, 0x28, 0, 0, 0, 0,
		      0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x02, 0xff, 0xff, 0, 0, 0, 0, 0, 0,
		      0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x03, 0xff, 0xff, 0, 0, 0, 0, 0, 0),
		  0, { 0 }, 0 },
		{ "output after a set-field",
		  HEX(MATCH_EMPTY),
		  HEX(0x00, 0x04, 0x00, 0x28, 0, 0, 0, 0,
		      0x00, 0x19, 0x00, 0x10, 0x80, 0x00, 0x20, 0x02,  /* SET_FIELD */
		      0x13, 0x89, 0, 0, 0, 0, 0, 0,                    /*   udp_dst 5001 */
		      0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x02, 0xff, 0xff, 0, 0, 0, 0, 0, 0),
		  0, { 0 }, 0 },
		{ "output in write-actions",
		  HEX(MATCH_EMPTY),
		  HEX(0x00, 0x03, 0x00, 0x18, 0, 0, 0, 0,
		      0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x02, 0xff, 0xff, 0, 0, 0, 0, 0, 0),
		  0, { 0 }, 0 },
		{ "apply-actions then goto-table",
		  HEX(MATCH_EMPTY),
		  HEX(APPLY_OUTPUT_2, 0x00, 0x01, 0x00, 0x08, 0x01, 0, 0, 0),
		  0, { 0 }, 0 },
		{ "goto-table then apply-actions",
		  HEX(MATCH_EMPTY),
		  HEX(0x00, 0x01, 0x00, 0x08, 0x01, 0, 0, 0, APPLY_OUTPUT_2),
		  0, { 0 }, 0 },
		{ "empty apply-actions", HEX(MATCH_EMPTY), HEX(0x00, 0x04, 0x00, 0x08, 0, 0, 0, 0),
		  0, { 0 }, 0 },
		/* Malformed. */
		{ "match type 0 (STANDARD)", HEX(0x00, 0x00, 0x00, 0x04, 0, 0, 0, 0), NONE,
		  -EPROTO, { 0 }, 0 },
		{ "match length 3", HEX(0x00, 0x01, 0x00, 0x03, 0, 0, 0, 0), NONE,
		  -EPROTO, { 0 }, 0 },
		{ "match padded past the entry",
		  HEX(0x00, 0x01, 0x00, 0x0c, 0x80, 0x00, 0x00, 0x04, 0, 0, 0, 1), NONE,
		  -EPROTO, { 0 }, 0 },
		{ "OXM header cut by the match length",
		  HEX(0x00, 0x01, 0x00, 0x06, 0x80, 0x00, 0, 0), NONE, -EPROTO, { 0 }, 0 },
		{ "OXM value past the match",
		  HEX(0x00, 0x01, 0x00, 0x0b, 0x80, 0x00, 0x00, 0x04, 0, 0, 1, 0, 0, 0, 0, 0),
		  NONE,
		  -EPROTO, { 0 }, 0 },
		{ "unknown-class OXM past the match",
		  HEX(0x00, 0x01, 0x00, 0x08, 0x12, 0x34, 0x00, 0xff), NONE,
		  -EPROTO, { 0 }, 0 },
		{ "in_port of 2 bytes",
		  HEX(0x00, 0x01, 0x00, 0x0a, 0x80, 0x00, 0x00, 0x02, 0, 1, 0, 0, 0, 0, 0, 0),
		  NONE, -EPROTO, { 0 }, 0 },
		{ "eth_type masked with 2 bytes",
		  HEX(0x00, 0x01, 0x00, 0x0a, 0x80, 0x00, 0x0b, 0x02, 0x08, 0x00, 0, 0, 0, 0, 0, 0),
		  NONE, -EPROTO, { 0 }, 0 },
		{ "in_port twice",
		  HEX(0x00, 0x01, 0x00, 0x14,
		      0x80, 0x00, 0x00, 0x04, 0, 0, 0, 1, 0x80, 0x00, 0x00, 0x04, 0, 0, 0, 2,
		      0, 0, 0, 0),
		  NONE, -EPROTO, { 0 }, 0 },
		{ "instruction length 0", HEX(MATCH_EMPTY), HEX(0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0),
		  -EPROTO, { 0 }, 0 },
		{ "instruction length 4", HEX(MATCH_EMPTY), HEX(0x00, 0x05, 0x00, 0x04, 0, 0, 0, 0),
		  -EPROTO, { 0 }, 0 },
		{ "instruction length 12",
		  HEX(MATCH_EMPTY), HEX(0x00, 0x06, 0x00, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
		  -EPROTO, { 0 }, 0 },
		{ "two instructions of 12 bytes", HEX(MATCH_EMPTY),
		  HEX(0x00, 0x05, 0x00, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0,  /* CLEAR_ACTIONS, 12 */
		      0x00, 0x05, 0x00, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0),
		  -EPROTO, { 0 }, 0 },
		{ "instruction past the entry", HEX(MATCH_EMPTY),
		  HEX(0x00, 0x01, 0x00, 0x10, 0x01, 0, 0, 0), -EPROTO, { 0 }, 0 },
		{ "4 bytes after the instructions", HEX(MATCH_EMPTY),
		  HEX(0x00, 0x01, 0x00, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0), -EPROTO, { 0 }, 0 },
		{ "output action of length 0", HEX(MATCH_EMPTY),
		  HEX(0x00, 0x04, 0x00, 0x10, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x00, 0, 0, 0, 2),
		  -EPROTO, { 0 }, 0 },
		{ "copy-ttl-out action of length 0", HEX(MATCH_EMPTY),
		  HEX(0x00, 0x04, 0x00, 0x10, 0, 0, 0, 0, 0x00, 0x0b, 0x00, 0x00, 0, 0, 0, 0),
		  -EPROTO, { 0 }, 0 },
		{ "action past the instruction", HEX(MATCH_EMPTY),
		  HEX(0x00, 0x04, 0x00, 0x10, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x10, 0, 0, 0, 2,
		      0x00, 0x01, 0x00, 0x08, 0x01, 0, 0, 0),
		  -EPROTO, { 0 }, 0 },
		{ "output action of 8 bytes", HEX(MATCH_EMPTY),
		  HEX(0x00, 0x04, 0x00, 0x10, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x08, 0, 0, 0, 2),
		  -EPROTO, { 0 }, 0 },
		{ "bad action in write-actions", HEX(MATCH_EMPTY),
		  HEX(0x00, 0x03, 0x00, 0x10, 0, 0, 0, 0, 0x00, 0x11, 0x00, 0x0c, 0, 0, 0, 0),
		  -EPROTO, { 0 }, 0 },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		uint8_t buf[256];
		size_t len = mk_reply(buf, cases[i].match, cases[i].mlen,
				      cases[i].insts, cases[i].ilen);
		uint8_t *msg = dup_exact(buf, len);
		struct flows_seen s = { .stop_at = -1 };
		bool more = true;

		CU_EXPECT_INT(ofp_decode_flow_stats_reply(msg, len, &more, record_flow, &s),
			      cases[i].rc, cases[i].name);
		CU_EXPECT_INT(s.n, cases[i].rc == 0 ? 1 : 0, cases[i].name);
		if (cases[i].rc == 0 && s.n == 1) {
			CU_EXPECT(!more, "%s: more", cases[i].name);
			CU_EXPECT_UINT(s.f[0].cookie, 0x77, cases[i].name);
			CU_EXPECT_UINT(s.f[0].priority, 7, cases[i].name);
			expect_match(&s.f[0].match, &cases[i].m, cases[i].name);
			CU_EXPECT_UINT(s.f[0].out_port, cases[i].out_port, cases[i].name);
		} else {
			CU_EXPECT(more, "%s: more written on error", cases[i].name);
		}
		free(msg);
	}
}

/* What the node encodes, it reads back: the match and instructions of an
 * encoded ADD, placed in a flow stats entry, decode to the same flow. */
static void
test_flow_round_trip(void)
{
	const struct ofp_match matches[] = {
		{ 0 },
		{ .fields = OFP_M_IN_PORT, .in_port = 0xfffffffe },
		{ .fields = OFP_M_ETH_TYPE, .eth_type = 0x88cc },
		{ .fields = OFP_M_ETH_TYPE | OFP_M_IP_PROTO, .eth_type = 0x0800, .ip_proto = 6 },
		{ .fields = OFP_M_ETH_TYPE | OFP_M_IP_PROTO | OFP_M_UDP_DST, .eth_type = 0x86dd,
		  .ip_proto = 17, .udp_dst = 65535 },
		{ .fields = OFP_M_ETH_TYPE | OFP_M_IPV4_DST, .eth_type = 0x0800,
		  .ipv4_dst = htonl(0x0a000001) },
		udp_flow().match,
	};

	for (size_t i = 0; i < CU_DIM(matches); i++) {
		struct ofp_flow f = { .cookie = 0x77, .priority = 7, .match = matches[i],
				      .out_port = 0xfffffffd };
		struct flows_seen s = { .stop_at = -1 };
		uint8_t enc[256], reply[256];
		size_t mlen, len;
		char ctx[32];
		bool more;
		int n;

		snprintf(ctx, sizeof(ctx), "match %zu", i);
		n = ofp_encode_flow_mod(enc, sizeof(enc), 1, OFPFC_ADD, &f, 0);
		CU_ASSERT_FATAL(n > 48 + 24);
		mlen = n - 48 - 24;
		CU_EXPECT_UINT(mlen % 8, 0, ctx);
		len = mk_reply(reply, enc + 48, mlen, enc + 48 + mlen, 24);
		CU_EXPECT_INT(ofp_decode_flow_stats_reply(reply, len, &more, record_flow, &s), 0,
			      ctx);
		CU_ASSERT_EQUAL_FATAL(s.n, 1);
		expect_match(&s.f[0].match, &matches[i], ctx);
		CU_EXPECT_UINT(s.f[0].out_port, 0xfffffffd, ctx);
	}
}

/* ---- ERROR ------------------------------------------------------------ */

static void
test_decode_error(void)
{
	const struct {
		const char *name;
		const uint8_t *msg;
		size_t len;
		int rc;
		uint16_t type, code;
		struct ofp_header about;
	} cases[] = {
		{ "bad match about a flow mod", v_error_bad_match, sizeof(v_error_bad_match),
		  0, 4, 9, { 4, OFPT_FLOW_MOD, 112, 0x10 } },
		{ "about exactly a header",
		  HEX(0x04, 0x01, 0x00, 0x14, 0, 0, 0, 5,
		      0x00, 0x01, 0x00, 0x01,                   /* BAD_REQUEST/BAD_TYPE */
		      0x04, 0x63, 0x00, 0x08, 0, 0, 0, 5),     /* type 99 */
		  0, 1, 1, { 4, 99, 8, 5 } },
		{ "no data",
		  HEX(0x04, 0x01, 0x00, 0x0c, 0, 0, 0, 5, 0x00, 0x01, 0x00, 0x06),
		  0, 1, 6, { 0 } },
		{ "7 bytes of data",
		  HEX(0x04, 0x01, 0x00, 0x13, 0, 0, 0, 5, 0x00, 0x05, 0x00, 0x01,
		      0x04, 0x0e, 0x00, 0x70, 0, 0, 0),
		  0, 5, 1, { 0 } },
		{ "hello failed carries text",
		  HEX(0x04, 0x01, 0x00, 0x1a, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x00,
		      'n', 'o', ' ', 'c', 'o', 'm', 'm', 'o', 'n', ' ', 'v', 'e', 'r', 's'),
		  0, 0, 0, { 0 } },
		{ "experimenter", v_error_experimenter, sizeof(v_error_experimenter),
		  0, 0xffff, 1, { 0 } },
		{ "unknown type", HEX(0x04, 0x01, 0x00, 0x0c, 0, 0, 0, 5, 0x00, 0x63, 0x00, 0x63),
		  0, 99, 99, { 0 } },
		/* Refused. */
		{ "experimenter without its id",
		  HEX(0x04, 0x01, 0x00, 0x0e, 0, 0, 0, 5, 0xff, 0xff, 0x00, 0x01, 0x00, 0x00),
		  -EPROTO, 0, 0, { 0 } },
		{ "length 11", HEX(0x04, 0x01, 0x00, 0x0b, 0, 0, 0, 5, 0x00, 0x01, 0x00),
		  -EPROTO, 0, 0, { 0 } },
		{ "version 1", HEX(0x01, 0x01, 0x00, 0x0c, 0, 0, 0, 5, 0x00, 0x00, 0x00, 0x00),
		  -EPROTO, 0, 0, { 0 } },
		{ "not an error", v_hello, sizeof(v_hello), -EPROTO, 0, 0, { 0 } },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		uint8_t *msg = dup_exact(cases[i].msg, cases[i].len);
		uint16_t type = 0xeeee, code = 0xeeee;
		struct ofp_header about;
		int rc;

		memset(&about, 0xee, sizeof(about));
		rc = ofp_decode_error(msg, cases[i].len, &type, &code, &about);
		CU_EXPECT_INT(rc, cases[i].rc, cases[i].name);
		if (rc == 0) {
			CU_EXPECT_UINT(type, cases[i].type, cases[i].name);
			CU_EXPECT_UINT(code, cases[i].code, cases[i].name);
			CU_EXPECT_UINT(about.version, cases[i].about.version, cases[i].name);
			CU_EXPECT_UINT(about.type, cases[i].about.type, cases[i].name);
			CU_EXPECT_UINT(about.length, cases[i].about.length, cases[i].name);
			CU_EXPECT_UINT(about.xid, cases[i].about.xid, cases[i].name);
		} else {
			CU_EXPECT(type == 0xeeee && code == 0xeeee && about.xid == 0xeeeeeeee,
				  "%s: outputs written on error", cases[i].name);
		}
		free(msg);
	}
}

static void
test_error_str(void)
{
	const struct {
		uint16_t type, code;
		const char *want;
	} cases[] = {
		{ 0, 0, "OFPET_HELLO_FAILED/OFPHFC_INCOMPATIBLE" },
		{ 0, 1, "OFPET_HELLO_FAILED/OFPHFC_EPERM" },
		{ 1, 2, "OFPET_BAD_REQUEST/OFPBRC_BAD_MULTIPART" },
		{ 1, 13, "OFPET_BAD_REQUEST/OFPBRC_MULTIPART_BUFFER_OVERFLOW" },
		{ 2, 4, "OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT" },
		{ 2, 15, "OFPET_BAD_ACTION/OFPBAC_BAD_SET_ARGUMENT" },
		{ 3, 7, "OFPET_BAD_INSTRUCTION/OFPBIC_BAD_LEN" },
		{ 4, 9, "OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ" },
		{ 4, 11, "OFPET_BAD_MATCH/OFPBMC_EPERM" },
		{ 5, 1, "OFPET_FLOW_MOD_FAILED/OFPFMFC_TABLE_FULL" },
		{ 5, 7, "OFPET_FLOW_MOD_FAILED/OFPFMFC_BAD_FLAGS" },
		{ 6, 14, "OFPET_GROUP_MOD_FAILED/OFPGMFC_EPERM" },
		{ 7, 4, "OFPET_PORT_MOD_FAILED/OFPPMFC_EPERM" },
		{ 8, 0, "OFPET_TABLE_MOD_FAILED/OFPTMFC_BAD_TABLE" },
		{ 9, 2, "OFPET_QUEUE_OP_FAILED/OFPQOFC_EPERM" },
		{ 10, 1, "OFPET_SWITCH_CONFIG_FAILED/OFPSCFC_BAD_LEN" },
		{ 11, 0, "OFPET_ROLE_REQUEST_FAILED/OFPRRFC_STALE" },
		{ 12, 11, "OFPET_METER_MOD_FAILED/OFPMMFC_OUT_OF_BANDS" },
		{ 13, 5, "OFPET_TABLE_FEATURES_FAILED/OFPTFFC_EPERM" },
		/* Unknown codes and types. */
		{ 0, 2, "OFPET_HELLO_FAILED/2" },
		{ 1, 14, "OFPET_BAD_REQUEST/14" },
		{ 4, 12, "OFPET_BAD_MATCH/12" },
		{ 5, 0xffff, "OFPET_FLOW_MOD_FAILED/65535" },
		{ 13, 6, "OFPET_TABLE_FEATURES_FAILED/6" },
		{ 0xffff, 3, "OFPET_EXPERIMENTER/3" },
		{ 14, 0, "14/0" },
		{ 0xfffe, 7, "65534/7" },
	};
	char buf[64], small[8];

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		const char *s = ofp_error_str(cases[i].type, cases[i].code, buf, sizeof(buf));

		CU_EXPECT(s == buf, "%s: returns buf", cases[i].want);
		CU_EXPECT_STR(s, cases[i].want, cases[i].want);
	}
	CU_EXPECT_STR(ofp_error_str(4, 9, small, sizeof(small)), "OFPET_B", "truncated");
	small[0] = 'x';
	CU_EXPECT(ofp_error_str(4, 9, small, 0) == small && small[0] == 'x', "size 0");
}

/* ---- Robustness ------------------------------------------------------- */

/* Hand-made malformed flow stats replies, whole messages. */
static void
test_malformed_flow_stats(void)
{
	static const uint8_t zero_length_entry[] = {
		0x04, 0x13, 0x00, 0x48,         /* MULTIPART_REPLY, length 72 */
		0x00, 0x00, 0x00, 0x40,         /* xid */
		0x00, 0x01, 0x00, 0x00,         /* OFPMP_FLOW, flags */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x00,                     /* entry length 0 */
		0x00, 0x00,                     /* table_id, pad */
		0x00, 0x00, 0x00, 0x00,         /* duration_sec */
		0x00, 0x00, 0x00, 0x00,         /* duration_nsec */
		0x00, 0x01, 0x00, 0x00,         /* priority, idle_timeout */
		0x00, 0x00, 0x00, 0x00,         /* hard_timeout, flags */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x00, 0x00, 0x00,         /* cookie */
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00,         /* packet_count */
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,         /* byte_count */
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x04,         /* OFPMT_OXM, length 4 */
		0x00, 0x00, 0x00, 0x00,         /* pad */
	};
	static const uint8_t oxm_overrun[] = {
		0x04, 0x13, 0x00, 0x50,         /* MULTIPART_REPLY, length 80 */
		0x00, 0x00, 0x00, 0x41,         /* xid */
		0x00, 0x01, 0x00, 0x00,         /* OFPMP_FLOW, flags */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x40,                     /* entry length 64 */
		0x00, 0x00,                     /* table_id, pad */
		0x00, 0x00, 0x00, 0x00,         /* duration_sec */
		0x00, 0x00, 0x00, 0x00,         /* duration_nsec */
		0x00, 0x01, 0x00, 0x00,         /* priority, idle_timeout */
		0x00, 0x00, 0x00, 0x00,         /* hard_timeout, flags */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x00, 0x00, 0x00,         /* cookie */
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00,         /* packet_count */
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,         /* byte_count */
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x0c,         /* OFPMT_OXM, length 12 */
		0x80, 0x00, 0x00, 0x08,         /* IN_PORT claiming 8 bytes: 4 left */
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00,         /* pad */
	};
	static const uint8_t match_length_3[] = {
		0x04, 0x13, 0x00, 0x48,         /* MULTIPART_REPLY, length 72 */
		0x00, 0x00, 0x00, 0x42,         /* xid */
		0x00, 0x01, 0x00, 0x00,         /* OFPMP_FLOW, flags */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x38,                     /* entry length 56 */
		0x00, 0x00,                     /* table_id, pad */
		0x00, 0x00, 0x00, 0x00,         /* duration_sec */
		0x00, 0x00, 0x00, 0x00,         /* duration_nsec */
		0x00, 0x01, 0x00, 0x00,         /* priority, idle_timeout */
		0x00, 0x00, 0x00, 0x00,         /* hard_timeout, flags */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x00, 0x00, 0x00,         /* cookie */
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00,         /* packet_count */
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,         /* byte_count */
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x03,         /* OFPMT_OXM, length 3 */
		0x00, 0x00, 0x00, 0x00,         /* pad */
	};
	static const uint8_t instruction_length_0[] = {
		0x04, 0x13, 0x00, 0x50,         /* MULTIPART_REPLY, length 80 */
		0x00, 0x00, 0x00, 0x43,         /* xid */
		0x00, 0x01, 0x00, 0x00,         /* OFPMP_FLOW, flags */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x40,                     /* entry length 64 */
		0x00, 0x00,                     /* table_id, pad */
		0x00, 0x00, 0x00, 0x00,         /* duration_sec */
		0x00, 0x00, 0x00, 0x00,         /* duration_nsec */
		0x00, 0x01, 0x00, 0x00,         /* priority, idle_timeout */
		0x00, 0x00, 0x00, 0x00,         /* hard_timeout, flags */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x00, 0x00, 0x00,         /* cookie */
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00,         /* packet_count */
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,         /* byte_count */
		0x00, 0x00, 0x00, 0x00,
		0x00, 0x01, 0x00, 0x04,         /* OFPMT_OXM, length 4 */
		0x00, 0x00, 0x00, 0x00,         /* pad */
		0x00, 0x04, 0x00, 0x00,         /* APPLY_ACTIONS, length 0 */
		0x00, 0x00, 0x00, 0x00,
	};
	const struct {
		const char *name;
		const uint8_t *msg;
		size_t len;
		size_t at;              /* a byte to patch, 0: none */
		uint8_t val;
	} cases[] = {
		{ "zero-length entry", zero_length_entry, sizeof(zero_length_entry), 0, 0 },
		{ "entry of 55 bytes", zero_length_entry, sizeof(zero_length_entry), 17, 55 },
		{ "entry past the end", zero_length_entry, sizeof(zero_length_entry), 17, 64 },
		{ "OXM length overrun", oxm_overrun, sizeof(oxm_overrun), 0, 0 },
		{ "match length 3", match_length_3, sizeof(match_length_3), 0, 0 },
		{ "instruction length 0", instruction_length_0, sizeof(instruction_length_0),
		  0, 0 },
		{ "multipart type OFPMP_DESC", v_flow_stats_reply, sizeof(v_flow_stats_reply),
		  9, 0 },
		{ "version 5", v_flow_stats_reply, sizeof(v_flow_stats_reply), 0, 5 },
		{ "a multipart request", v_flow_stats_reply, sizeof(v_flow_stats_reply), 1, 18 },
		{ "second entry 8 bytes short", v_flow_stats_reply, sizeof(v_flow_stats_reply),
		  129, 0x48 },
		{ "first entry 8 bytes long", v_flow_stats_reply, sizeof(v_flow_stats_reply),
		  17, 0x78 },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		uint8_t *msg = dup_exact(cases[i].msg, cases[i].len);
		struct flows_seen s = { .stop_at = -1 };
		bool more = false;

		if (cases[i].at != 0 || cases[i].val != 0)
			msg[cases[i].at] = cases[i].val;
		CU_EXPECT_INT(ofp_decode_flow_stats_reply(msg, cases[i].len, &more, record_flow,
							  &s), -EPROTO, cases[i].name);
		CU_EXPECT_INT(s.n, 0, cases[i].name);
		free(msg);
	}
}

/* A valid message, its decoder, and the lengths at which a prefix of it,
 * its length field rewritten to match, is still a valid message. */
struct vector {
	const char *name;
	const uint8_t *msg;
	size_t len;
	decode_fn decode;
	size_t cuts[3];         /* valid prefix lengths; 0 ends */
	size_t valid_from;      /* every prefix from here on is valid; 0: none */
};

static const struct vector vectors[] = {
	{ "hello", v_hello, sizeof(v_hello), dec_hello, { 8 }, 0 },
	{ "hello 1.0+1.3", v_hello_10_13, sizeof(v_hello_10_13), dec_hello, { 8 }, 0 },
	{ "hello long", v_hello_long, sizeof(v_hello_long), dec_hello, { 8, 16 }, 0 },
	{ "features reply", v_features_reply, sizeof(v_features_reply), dec_features,
	  { 0 }, 0 },
	{ "error bad match", v_error_bad_match, sizeof(v_error_bad_match), dec_error,
	  { 0 }, 12 },
	{ "error experimenter", v_error_experimenter, sizeof(v_error_experimenter),
	  dec_error, { 0 }, 16 },
	{ "flow stats reply", v_flow_stats_reply, sizeof(v_flow_stats_reply),
	  dec_flow_stats, { 16, 128 }, 0 },
};

static bool
vector_cut_valid(const struct vector *v, size_t k)
{
	if (v->valid_from != 0 && k >= v->valid_from)
		return true;
	for (size_t i = 0; i < CU_DIM(v->cuts) && v->cuts[i] != 0; i++)
		if (v->cuts[i] == k)
			return true;
	return false;
}

static void
test_vectors_valid(void)
{
	const decode_fn decoders[] = { dec_hello, dec_features, dec_error, dec_flow_stats };

	for (size_t i = 0; i < CU_DIM(vectors); i++) {
		const struct vector *v = &vectors[i];
		uint8_t *msg = dup_exact(v->msg, v->len);

		CU_EXPECT_INT(v->decode(msg, v->len), 0, v->name);
		/* Every other decoder refuses it by its type. */
		for (size_t j = 0; j < CU_DIM(decoders); j++)
			if (decoders[j] != v->decode)
				CU_EXPECT_INT(decoders[j](msg, v->len), -EPROTO, v->name);
		free(msg);
	}
}

/* Every prefix of every vector, as received: incomplete. */
static void
test_truncations(void)
{
	for (size_t i = 0; i < CU_DIM(vectors); i++) {
		const struct vector *v = &vectors[i];

		for (size_t k = 0; k < v->len; k++) {
			uint8_t *msg = dup_exact(v->msg, k);
			struct ofp_header h;
			char ctx[64];
			int rc;

			snprintf(ctx, sizeof(ctx), "%s, %zu of %zu bytes", v->name, k, v->len);
			rc = ofp_header_parse(msg, k, &h);
			if (k < OFP_HEADER_LEN)
				CU_EXPECT_INT(rc, -EAGAIN, ctx);
			else
				CU_EXPECT(rc == 0 && h.length > k, "%s: rc %d, complete", ctx, rc);
			CU_EXPECT_INT(v->decode(msg, k), -EPROTO, ctx);
			free(msg);
		}
	}
}

/* Every prefix of every vector with its length field rewritten to match:
 * framed, but cut inside a structure. */
static void
test_truncations_reframed(void)
{
	for (size_t i = 0; i < CU_DIM(vectors); i++) {
		const struct vector *v = &vectors[i];

		for (size_t k = OFP_HEADER_LEN; k < v->len; k++) {
			uint8_t *msg = dup_exact(v->msg, k);
			char ctx[64];

			msg[2] = k >> 8;
			msg[3] = k;
			snprintf(ctx, sizeof(ctx), "%s, framed at %zu of %zu", v->name, k, v->len);
			CU_EXPECT_INT(v->decode(msg, k), vector_cut_valid(v, k) ? 0 : -EPROTO, ctx);
			free(msg);
		}
	}
}

/* xorshift64*, for flips that are the same on every run. */
static uint64_t
rng_next(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

/* Random byte flips of every vector (fixed seed): no decoder crashes or
 * reads outside its bytes, and each answers 0 or -EPROTO. */
static void
test_random_flips(void)
{
	uint64_t rng = 0x5eed0f0f1234abcdull;
	unsigned int rejected = 0, total = 0;

	for (size_t i = 0; i < CU_DIM(vectors); i++) {
		const struct vector *v = &vectors[i];

		for (int round = 0; round < 4000; round++) {
			uint8_t *msg = dup_exact(v->msg, v->len);
			unsigned int flips = 1 + rng_next(&rng) % 4;
			int rc;

			for (unsigned int f = 0; f < flips; f++) {
				uint64_t r = rng_next(&rng);

				msg[r % v->len] ^= 1 + (r >> 32) % 255;
			}
			rc = v->decode(msg, v->len);
			CU_EXPECT(rc == 0 || rc == -EPROTO, "%s, round %d: rc %d", v->name,
				  round, rc);
			rejected += rc != 0;
			total++;
			free(msg);
		}
	}
	/* The flips did reach the checks. */
	CU_EXPECT(rejected > total / 10 && rejected < total,
		  "%u of %u flipped messages refused", rejected, total);
}

static const struct cu_case ofp_cases[] = {
	CU_CASE(test_header_parse),
	CU_CASE(test_encode_hello),
	CU_CASE(test_decode_hello),
	CU_CASE(test_encode_echo),
	CU_CASE(test_encode_header_only),
	CU_CASE(test_decode_features_reply),
	CU_CASE(test_encode_flow_mod_add),
	CU_CASE(test_encode_flow_mod_delete),
	CU_CASE(test_encode_flow_mod_delete_strict),
	CU_CASE(test_encode_flow_mod_invalid),
	CU_CASE(test_encode_flow_stats_request),
	CU_CASE(test_encoders_space),
	CU_CASE(test_decode_flow_stats_reply),
	CU_CASE(test_decode_flow_stats_reply_stops),
	CU_CASE(test_decode_flow_stats_reply_empty),
	CU_CASE(test_flow_stats_entries),
	CU_CASE(test_flow_round_trip),
	CU_CASE(test_decode_error),
	CU_CASE(test_error_str),
	CU_CASE(test_malformed_flow_stats),
	CU_CASE(test_vectors_valid),
	CU_CASE(test_truncations),
	CU_CASE(test_truncations_reframed),
	CU_CASE(test_random_flips),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("control/ofp", NULL, NULL, ofp_cases),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
