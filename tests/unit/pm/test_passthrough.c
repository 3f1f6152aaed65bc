/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests of pm/passthrough's parse stage: the key is the payload's
 * first 14 bytes, zeros past its end, and the input binding, whichever
 * classifier holds the slice's filters; without filters nothing reads the
 * key, so none is built.
 */

#include "pm/passthrough/passthrough.h"

#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dataplane/demux.h"
#include "dataplane/meta.h"
#include "dataplane/tables.h"
#include "tests/unit/cu_main.h"
#include "tests/unit/dataplane/cu_pkt.h"

#define POOL_SIZE 31
#define UNTOUCHED 0xa5          /* a key byte parse did not write */

static struct rte_mempool *pool;

static int
passthrough_suite_init(void)
{
	if (cu_eal_init("pm_passthrough") != 0 || dp_meta_register() != 0)
		return -1;
	pool = rte_pktmbuf_pool_create("ut_pm_pass", POOL_SIZE, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool != NULL ? 0 : -1;
}

static int
passthrough_suite_clean(void)
{
	unsigned int avail = rte_mempool_avail_count(pool);

	rte_mempool_free(pool);
	pool = NULL;
	return avail == POOL_SIZE ? 0 : -1;
}

/* A packet with a 'payload'-byte UDP payload from binding 'binding', as
 * demux hands it on. */
static struct rte_mbuf *
pkt(uint16_t payload, uint16_t binding)
{
	struct rte_mbuf *m = cu_pkt_udp(pool, &(struct cu_pkt){ .payload = payload });

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_FATAL(dp_demux_check(m) == -1);
	memset(dp_meta(m), 0, sizeof(struct dp_meta));
	dp_meta(m)->binding = binding;
	return m;
}

/* Parses packets of 20, 3 and 0 payload bytes in a slice whose one filter
 * is in a tuple space, or in an ACL if 'acl'. */
static void
check_keys(bool acl)
{
	static const uint16_t payloads[] = { 20, 3, 0 };
	const struct dp_rule rule = { 1, 1, { .any_binding = true,
		.generic = { .key = { 1 }, .mask = { 0xff } } } };
	struct dp_slice *s = dp_slice_alloc(1, &pm_passthrough_ops, 1, 0, 0);
	const char *ctx = acl ? "filters in an ACL" : "filters in a tuple space";
	struct rte_mbuf *pkts[CU_DIM(payloads)];
	struct dp_key keys[CU_DIM(payloads)];
	uint64_t drops[DP_SLICE_DROP_MAX] = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	dp_lookup_force_acl = acl;
	CU_EXPECT_INT(pm_passthrough_ops.table_build(s, &(struct pm_config){ &rule, 1, NULL, 0 }),
		      0, ctx);
	dp_lookup_force_acl = false;
	CU_EXPECT(acl ? s->acl != NULL : s->tss != NULL, "%s: not built so", ctx);
	for (uint16_t i = 0; i < CU_DIM(payloads); i++)
		pkts[i] = pkt(payloads[i], (uint16_t)(7 + i));
	memset(keys, UNTOUCHED, sizeof(keys));
	CU_EXPECT_UINT(pm_passthrough_ops.parse_burst(s, pkts, CU_DIM(pkts), keys, drops),
		       CU_DIM(pkts), ctx);
	for (uint16_t i = 0; i < CU_DIM(payloads); i++) {
		struct dp_key want;

		memset(&want, 0, sizeof(want));
		want.binding = rte_cpu_to_be_32(7 + i);
		if (payloads[i] > 0)
			want.b0 = cu_pkt_byte(0);
		for (uint16_t b = 1; b < payloads[i] && b < DP_KEY_BYTES; b++)
			want.bytes[b - 1] = cu_pkt_byte(b);
		CU_EXPECT(memcmp(&keys[i], &want, sizeof(want)) == 0,
			  "%s: the key of a %u-byte payload", ctx, payloads[i]);
	}
	rte_pktmbuf_free_bulk(pkts, CU_DIM(pkts));
	pm_passthrough_ops.table_free(s);
	dp_slice_free(s);
}

static void
test_keys(void)
{
	check_keys(false);
	check_keys(true);
}

/* Without filters the keys are left as they were. */
static void
test_no_filters(void)
{
	struct dp_slice *s = dp_slice_alloc(1, &pm_passthrough_ops, 0, 0, 0);
	struct rte_mbuf *pkts[1];
	struct dp_key key;
	uint64_t drops[DP_SLICE_DROP_MAX] = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_EXPECT_INT(pm_passthrough_ops.table_build(s, &(struct pm_config){ NULL, 0, NULL, 0 }),
		      0, "no filters");
	pkts[0] = pkt(20, 1);
	memset(&key, UNTOUCHED, sizeof(key));
	CU_EXPECT_UINT(pm_passthrough_ops.parse_burst(s, pkts, 1, &key, drops), 1, "no filters");
	CU_EXPECT(key.b0 == UNTOUCHED && key.bytes[12] == UNTOUCHED, "a key was built");
	rte_pktmbuf_free(pkts[0]);
	pm_passthrough_ops.table_free(s);
	dp_slice_free(s);
}

static const struct cu_case parse_suite[] = {
	CU_CASE(test_keys),
	CU_CASE(test_no_filters),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("pm/passthrough: parse", passthrough_suite_init, passthrough_suite_clean,
		 parse_suite),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
