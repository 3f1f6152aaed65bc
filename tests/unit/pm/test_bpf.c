/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests of pm/bpf's parse stage, which runs when the slice has no
 * program: every key is 0 from its input binding, whichever classifier
 * holds the slice's filters; without filters nothing reads the key, so
 * none is built.
 */

#include "pm/bpf/bpf.h"

#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dataplane/demux.h"
#include "dataplane/meta.h"
#include "dataplane/tables.h"
#include "tests/unit/cu_main.h"
#include "tests/unit/dataplane/cu_pkt.h"

#define POOL_SIZE 31
#define NB_PKTS 3
#define UNTOUCHED 0xa5          /* a key byte parse did not write */

static struct rte_mempool *pool;

static int
bpf_suite_init(void)
{
	if (cu_eal_init("pm_bpf") != 0 || dp_meta_register() != 0)
		return -1;
	pool = rte_pktmbuf_pool_create("ut_pm_bpf", POOL_SIZE, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool != NULL ? 0 : -1;
}

static int
bpf_suite_clean(void)
{
	unsigned int avail = rte_mempool_avail_count(pool);

	rte_mempool_free(pool);
	pool = NULL;
	return avail == POOL_SIZE ? 0 : -1;
}

/* Builds slice s's filters from rules[0..n), in an ACL if 'acl', parses
 * NB_PKTS packets from bindings 7, 8, 9 into keys[] (first filled with
 * UNTOUCHED) and frees the packets. */
static void
parse(struct dp_slice *s, const struct dp_rule *rules, uint32_t n, bool acl,
      struct dp_key *keys, const char *ctx)
{
	struct rte_mbuf *pkts[NB_PKTS];
	uint64_t drops[DP_SLICE_DROP_MAX] = { 0 };

	dp_lookup_force_acl = acl;
	CU_EXPECT_INT(pm_bpf_ops.table_build(s, &(struct pm_config){ rules, n, NULL, 0 }), 0,
		      ctx);
	dp_lookup_force_acl = false;
	for (uint16_t i = 0; i < NB_PKTS; i++) {
		pkts[i] = cu_pkt_udp(pool, &(struct cu_pkt){ .payload = 20 });
		CU_ASSERT_PTR_NOT_NULL_FATAL(pkts[i]);
		CU_ASSERT_FATAL(dp_demux_check(pkts[i]) == -1);
		memset(dp_meta(pkts[i]), 0, sizeof(struct dp_meta));
		dp_meta(pkts[i])->binding = (uint16_t)(7 + i);
	}
	memset(keys, UNTOUCHED, sizeof(*keys) * NB_PKTS);
	CU_EXPECT_UINT(pm_bpf_ops.parse_burst(s, pkts, NB_PKTS, keys, drops), NB_PKTS, ctx);
	rte_pktmbuf_free_bulk(pkts, NB_PKTS);
}

/* Key 0 from the binding, with the one filter in a tuple space or an ACL. */
static void
test_keys(void)
{
	const struct dp_rule rule = { 1, 1, { .any_binding = true,
		.generic = { .key = { 1 }, .mask = { 0xff } } } };

	for (int acl = 0; acl <= 1; acl++) {
		const char *ctx = acl ? "filters in an ACL" : "filters in a tuple space";
		struct dp_slice *s = dp_slice_alloc(1, &pm_bpf_ops, 1, 0, 0);
		struct dp_key keys[NB_PKTS];

		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		parse(s, &rule, 1, acl, keys, ctx);
		CU_EXPECT(acl ? s->acl != NULL : s->tss != NULL, "%s: not built so", ctx);
		for (uint16_t i = 0; i < NB_PKTS; i++) {
			struct dp_key want;

			memset(&want, 0, sizeof(want));
			want.binding = rte_cpu_to_be_32(7 + i);
			CU_EXPECT(memcmp(&keys[i], &want, sizeof(want)) == 0,
				  "%s: key %u is not 0 from binding %u", ctx, i, 7 + i);
		}
		pm_bpf_ops.table_free(s);
		dp_slice_free(s);
	}
}

/* Without filters the keys are left as they were. */
static void
test_no_filters(void)
{
	struct dp_slice *s = dp_slice_alloc(1, &pm_bpf_ops, 0, 0, 0);
	struct dp_key keys[NB_PKTS];

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	parse(s, NULL, 0, false, keys, "no filters");
	CU_EXPECT(keys[0].b0 == UNTOUCHED && keys[NB_PKTS - 1].bytes[12] == UNTOUCHED,
		  "a key was built");
	pm_bpf_ops.table_free(s);
	dp_slice_free(s);
}

static const struct cu_case parse_suite[] = {
	CU_CASE(test_keys),
	CU_CASE(test_no_filters),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("pm/bpf: parse without a program", bpf_suite_init, bpf_suite_clean,
		 parse_suite),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
