/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests of dataplane/lookup.c: a slice's filters (TCAM semantics:
 * lowest priority, then lowest id, whatever the prefix lengths), then its
 * routes (longest prefix on the destination), then the input binding's
 * default action, on tables whose results name themselves
 * (tests/unit/dataplane/cu_lookup.h).  Filter cases run through the
 * classifier dp_lookup_build() picks and again through a forced rte_acl;
 * tests/unit/dataplane/test_tss.c tests the tuple space's own cases.
 */

#include "dataplane/lookup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dataplane/meta.h"
#include "dataplane/tables.h"
#include "dataplane/tss.h"
#include "pm/ipv4/ipv4.h"
#include "pm/passthrough/passthrough.h"
#include "tests/unit/cu_main.h"
#include "tests/unit/dataplane/cu_lookup.h"
#include "tests/unit/dataplane/cu_pkt.h"

#define POOL_SIZE 127
#define ANY (-1)

static struct rte_mempool *pool;

static int
lookup_suite_init(void)
{
	if (cu_eal_init("lookup") != 0 || dp_meta_register() != 0)
		return -1;
	pool = rte_pktmbuf_pool_create("ut_lookup", POOL_SIZE, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool != NULL ? 0 : -1;
}

static int
lookup_suite_clean(void)
{
	unsigned int avail = rte_mempool_avail_count(pool);

	rte_mempool_free(pool);
	pool = NULL;
	return avail == POOL_SIZE ? 0 : -1;
}

/* ---- DP_KEY_IPV4: table-driven cases ---- */

struct f4 {
	bool on;
	uint32_t prio, id;
	int binding, proto;     /* ANY or a value */
	uint32_t src;
	uint8_t src_len;
	uint32_t dst;
	uint8_t dst_len;
	uint16_t sp_lo, sp_hi, dp_lo, dp_hi;
};

#define F4(prio, id, b, proto, src, slen, dst, dlen, splo, sphi, dplo, dphi) \
	{ true, prio, id, b, proto, src, slen, dst, dlen, splo, sphi, dplo, dphi }
#define FANY(prio, id) F4(prio, id, ANY, ANY, 0, 0, 0, 0, 0, 65535, 0, 65535)
#define FSRC(prio, id, src, slen) F4(prio, id, ANY, ANY, src, slen, 0, 0, 0, 65535, 0, 65535)
#define FDST(prio, id, dst, dlen) F4(prio, id, ANY, ANY, 0, 0, dst, dlen, 0, 65535, 0, 65535)
#define FPORTS(prio, id, splo, sphi, dplo, dphi) \
	F4(prio, id, ANY, ANY, 0, 0, 0, 0, splo, sphi, dplo, dphi)

struct r4 {
	bool on;
	uint32_t prefix;
	uint8_t len;
};

#define R4(prefix, len) { true, prefix, len }

/* A packet and what it should get: filter 'id', route index, or default. */
struct p4 {
	bool on;
	uint32_t binding;
	uint8_t proto;
	uint32_t src, dst;
	uint16_t sport, dport;
	enum cu_kind kind;
	uint32_t want;          /* filter id, or route index in the case */
};

#define P4(b, proto, src, dst, sp, dp, kind, want) \
	{ true, b, proto, src, dst, sp, dp, kind, want }
#define PDST(dst, kind, want) P4(0, 17, CU_IPV4(1, 1, 1, 1), dst, 1, 2, kind, want)

struct lcase {
	const char *name;
	struct f4 f[6];
	struct r4 r[5];
	struct p4 p[10];
};

#define A CU_IPV4
static const struct lcase ipv4_cases[] = {
	{ "lower priority wins, inserted last", { FANY(30, 1), FANY(20, 2), FANY(10, 3) }, {},
	  { PDST(A(9, 9, 9, 9), CU_FILTER, 3) } },
	{ "lower priority wins, inserted first", { FANY(10, 3), FANY(20, 2), FANY(30, 1) }, {},
	  { PDST(A(9, 9, 9, 9), CU_FILTER, 3) } },
	{ "equal priority: lower id wins", { FANY(10, 7), FANY(10, 3), FANY(10, 5) }, {},
	  { PDST(A(9, 9, 9, 9), CU_FILTER, 3) } },
	{ "priority before id", { FANY(11, 1), FANY(10, 9) }, {},
	  { PDST(A(9, 9, 9, 9), CU_FILTER, 9) } },
	{ "a /8 at priority 10 beats a /24 at 20", { FDST(20, 1, A(10, 1, 2, 0), 24),
	  FDST(10, 2, A(10, 0, 0, 0), 8) }, {},
	  { PDST(A(10, 1, 2, 3), CU_FILTER, 2), PDST(A(10, 9, 9, 9), CU_FILTER, 2),
	    PDST(A(11, 1, 2, 3), CU_DEFAULT, 0) } },
	{ "a /24 at priority 10 beats a /8 at 20", { FDST(10, 1, A(10, 1, 2, 0), 24),
	  FDST(20, 2, A(10, 0, 0, 0), 8) }, {},
	  { PDST(A(10, 1, 2, 3), CU_FILTER, 1), PDST(A(10, 1, 3, 0), CU_FILTER, 2),
	    PDST(A(10, 1, 1, 255), CU_FILTER, 2) } },
	{ "src and dst /0 match any address", { FANY(5, 1) }, {},
	  { P4(0, 17, 0, 0, 0, 0, CU_FILTER, 1),
	    P4(1, 6, 0xffffffff, 0xffffffff, 65535, 65535, CU_FILTER, 1),
	    P4(2, 0, A(128, 0, 0, 1), A(127, 255, 255, 255), 0, 65535, CU_FILTER, 1) } },
	{ "any protocol", { F4(5, 1, ANY, ANY, 0, 0, A(10, 0, 0, 1), 32, 0, 65535, 0, 65535) }, {},
	  { P4(0, 0, 1, A(10, 0, 0, 1), 1, 1, CU_FILTER, 1),
	    P4(0, 6, 1, A(10, 0, 0, 1), 1, 1, CU_FILTER, 1),
	    P4(0, 255, 1, A(10, 0, 0, 1), 1, 1, CU_FILTER, 1),
	    P4(0, 255, 1, A(10, 0, 0, 2), 1, 1, CU_DEFAULT, 0) } },
	{ "any binding", { F4(5, 1, ANY, 17, 0, 0, 0, 0, 0, 65535, 0, 65535) }, {},
	  { P4(0, 17, 1, 2, 3, 4, CU_FILTER, 1), P4(2, 17, 1, 2, 3, 4, CU_FILTER, 1),
	    P4(63, 17, 1, 2, 3, 4, CU_FILTER, 1), P4(1, 6, 1, 2, 3, 4, CU_DEFAULT, 1) } },
	{ "protocol match", { F4(5, 1, ANY, 6, 0, 0, 0, 0, 0, 65535, 0, 65535) }, {},
	  { P4(0, 6, 1, 2, 3, 4, CU_FILTER, 1), P4(0, 17, 1, 2, 3, 4, CU_DEFAULT, 0),
	    P4(0, 0, 1, 2, 3, 4, CU_DEFAULT, 0), P4(0, 7, 1, 2, 3, 4, CU_DEFAULT, 0) } },
	{ "filter for binding 1", { F4(5, 1, 1, ANY, 0, 0, 0, 0, 0, 65535, 0, 65535) }, {},
	  { P4(0, 17, 1, 2, 3, 4, CU_DEFAULT, 0), P4(1, 17, 1, 2, 3, 4, CU_FILTER, 1),
	    P4(2, 17, 1, 2, 3, 4, CU_DEFAULT, 2) } },
	{ "source port range, inclusive", { FPORTS(5, 1, 1000, 2000, 0, 65535) }, {},
	  { P4(0, 17, 1, 2, 999, 5, CU_DEFAULT, 0), P4(0, 17, 1, 2, 1000, 5, CU_FILTER, 1),
	    P4(0, 17, 1, 2, 1500, 5, CU_FILTER, 1), P4(0, 17, 1, 2, 2000, 5, CU_FILTER, 1),
	    P4(0, 17, 1, 2, 2001, 5, CU_DEFAULT, 0), P4(0, 17, 1, 2, 5, 1500, CU_DEFAULT, 0) } },
	{ "destination port range, inclusive", { FPORTS(5, 1, 0, 65535, 1000, 2000) }, {},
	  { P4(0, 17, 1, 2, 5, 999, CU_DEFAULT, 0), P4(0, 17, 1, 2, 5, 1000, CU_FILTER, 1),
	    P4(0, 17, 1, 2, 5, 2000, CU_FILTER, 1), P4(0, 17, 1, 2, 5, 2001, CU_DEFAULT, 0),
	    P4(0, 17, 1, 2, 1500, 5, CU_DEFAULT, 0) } },
	{ "single ports lo == hi", { FPORTS(5, 1, 80, 80, 0, 65535),
	  FPORTS(6, 2, 0, 65535, 0, 0), FPORTS(7, 3, 0, 65535, 65535, 65535) }, {},
	  { P4(0, 6, 1, 2, 79, 9, CU_DEFAULT, 0), P4(0, 6, 1, 2, 80, 9, CU_FILTER, 1),
	    P4(0, 6, 1, 2, 81, 9, CU_DEFAULT, 0), P4(0, 6, 1, 2, 9, 0, CU_FILTER, 2),
	    P4(0, 6, 1, 2, 9, 1, CU_DEFAULT, 0), P4(0, 6, 1, 2, 9, 65535, CU_FILTER, 3),
	    P4(0, 6, 1, 2, 9, 65534, CU_DEFAULT, 0) } },
	{ "full port ranges match 0 and 65535", { FPORTS(5, 1, 0, 65535, 0, 65535) }, {},
	  { P4(0, 17, 1, 2, 0, 0, CU_FILTER, 1), P4(0, 17, 1, 2, 65535, 65535, CU_FILTER, 1) } },
	{ "source and destination are not swapped",
	  { F4(5, 1, ANY, ANY, A(1, 0, 0, 0), 8, A(2, 0, 0, 0), 8, 100, 100, 200, 200) }, {},
	  { P4(0, 6, A(1, 2, 3, 4), A(2, 3, 4, 5), 100, 200, CU_FILTER, 1),
	    P4(0, 6, A(2, 3, 4, 5), A(1, 2, 3, 4), 100, 200, CU_DEFAULT, 0),
	    P4(0, 6, A(1, 2, 3, 4), A(2, 3, 4, 5), 200, 100, CU_DEFAULT, 0) } },
	{ "source prefixes /24 and /32", { FSRC(5, 1, A(10, 1, 2, 0), 24),
	  FSRC(4, 2, A(10, 1, 2, 77), 32) }, {},
	  { P4(0, 17, A(10, 1, 2, 0), 9, 1, 1, CU_FILTER, 1),
	    P4(0, 17, A(10, 1, 2, 255), 9, 1, 1, CU_FILTER, 1),
	    P4(0, 17, A(10, 1, 2, 77), 9, 1, 1, CU_FILTER, 2),
	    P4(0, 17, A(10, 1, 3, 0), 9, 1, 1, CU_DEFAULT, 0),
	    P4(0, 17, A(10, 1, 1, 255), 9, 1, 1, CU_DEFAULT, 0) } },
	{ "routes: longest prefix wins", {},
	  { R4(A(10, 0, 0, 0), 8), R4(A(10, 1, 0, 0), 16), R4(A(10, 1, 2, 0), 24),
	    R4(A(10, 1, 2, 3), 32) },
	  { PDST(A(10, 1, 2, 3), CU_ROUTE, 3), PDST(A(10, 1, 2, 4), CU_ROUTE, 2),
	    PDST(A(10, 1, 3, 1), CU_ROUTE, 1), PDST(A(10, 2, 0, 0), CU_ROUTE, 0),
	    PDST(A(10, 255, 255, 255), CU_ROUTE, 0), PDST(A(11, 0, 0, 0), CU_DEFAULT, 0),
	    PDST(A(9, 255, 255, 255), CU_DEFAULT, 0) } },
	{ "routes: a /0 default route", {},
	  { R4(A(10, 0, 0, 0), 8), R4(0, 0) },
	  { PDST(A(10, 1, 2, 3), CU_ROUTE, 0), PDST(A(11, 0, 0, 0), CU_ROUTE, 1),
	    PDST(0, CU_ROUTE, 1), PDST(0xffffffff, CU_ROUTE, 1) } },
	{ "routes match the destination only", {}, { R4(A(10, 1, 0, 0), 16) },
	  { P4(1, 17, A(10, 1, 0, 1), A(192, 0, 2, 1), 1, 1, CU_DEFAULT, 1),
	    P4(1, 17, A(192, 0, 2, 1), A(10, 1, 0, 1), 1, 1, CU_ROUTE, 0) } },
	{ "a filter beats a route", { F4(100, 1, ANY, 6, 0, 0, A(10, 1, 2, 0), 24, 0, 65535,
	  0, 65535) }, { R4(A(10, 1, 2, 3), 32), R4(0, 0) },
	  { P4(0, 6, 1, A(10, 1, 2, 3), 1, 1, CU_FILTER, 1),
	    P4(0, 17, 1, A(10, 1, 2, 3), 1, 1, CU_ROUTE, 0),
	    P4(0, 6, 1, A(10, 1, 3, 3), 1, 1, CU_ROUTE, 1) } },
	{ "no filter, no route: the binding's default", { FDST(1, 1, A(10, 0, 0, 0), 8) },
	  { R4(A(10, 1, 0, 0), 16) },
	  { P4(0, 17, 1, A(11, 0, 0, 1), 1, 1, CU_DEFAULT, 0),
	    P4(1, 17, 1, A(11, 0, 0, 1), 1, 1, CU_DEFAULT, 1),
	    P4(2, 17, 1, A(11, 0, 0, 1), 1, 1, CU_DEFAULT, 2),
	    P4(CU_NONE_BINDING, 17, 1, A(11, 0, 0, 1), 1, 1, CU_DEFAULT, CU_NONE_BINDING) } },
};
#undef A

/* Runs case c with its filters and routes in the given or reverse order. */
static void
run_ipv4_case(const struct lcase *c, bool reverse, enum cu_cls cls)
{
	struct dp_rule rules[6];
	struct dp_route routes[5];
	struct dp_key keys[10];
	struct cu_outcome want[10];
	uint32_t nf = 0, nr = 0, np = 0;
	char ctx[128];

	while (nf < CU_DIM(c->f) && c->f[nf].on)
		nf++;
	while (nr < CU_DIM(c->r) && c->r[nr].on)
		nr++;
	for (uint32_t i = 0; i < nf; i++) {
		const struct f4 *f = &c->f[reverse ? nf - 1 - i : i];

		rules[i] = (struct dp_rule){ .priority = f->prio, .id = f->id };
		rules[i].match.any_binding = f->binding == ANY;
		rules[i].match.binding = (uint8_t)(f->binding == ANY ? 0 : f->binding);
		rules[i].match.ipv4.any_proto = f->proto == ANY;
		rules[i].match.ipv4.proto = (uint8_t)(f->proto == ANY ? 0 : f->proto);
		rules[i].match.ipv4.src = f->src;
		rules[i].match.ipv4.src_len = f->src_len;
		rules[i].match.ipv4.dst = f->dst;
		rules[i].match.ipv4.dst_len = f->dst_len;
		rules[i].match.ipv4.sport_lo = f->sp_lo;
		rules[i].match.ipv4.sport_hi = f->sp_hi;
		rules[i].match.ipv4.dport_lo = f->dp_lo;
		rules[i].match.ipv4.dport_hi = f->dp_hi;
	}
	for (uint32_t j = 0; j < nr; j++) {
		const struct r4 *r = &c->r[reverse ? nr - 1 - j : j];

		routes[j] = (struct dp_route){ r->prefix, r->len };
	}
	for (; np < CU_DIM(c->p) && c->p[np].on; np++) {
		const struct p4 *p = &c->p[np];

		keys[np] = cu_key_ipv4(p->binding, p->proto, p->src, p->dst, p->sport, p->dport);
		want[np] = (struct cu_outcome){ p->kind, p->binding };
		if (p->kind == CU_ROUTE)
			want[np].idx = reverse ? nr - 1 - p->want : p->want;
		for (uint32_t i = 0; p->kind == CU_FILTER && i < nf; i++)
			if (rules[i].id == p->want)
				want[np].idx = i;
	}
	snprintf(ctx, sizeof(ctx), "%s%s, %s", c->name, reverse ? " (reversed)" : "",
		 cu_cls_names[cls]);
	cu_lookup_check(ctx, pool, &pm_ipv4_ops, cls, rules, nf, routes, nr, keys, want, np,
			SP_BURST);
}

static void
test_ipv4_cases(void)
{
	for (size_t i = 0; i < CU_DIM(ipv4_cases); i++) {
		run_ipv4_case(&ipv4_cases[i], false, CU_CLS_ANY);
		run_ipv4_case(&ipv4_cases[i], true, CU_CLS_ANY);
		run_ipv4_case(&ipv4_cases[i], false, CU_CLS_FORCE_ACL);
		run_ipv4_case(&ipv4_cases[i], true, CU_CLS_FORCE_ACL);
	}
}

/* ---- DP_KEY_IPV4: random filters and keys against the reference ---- */

#define RND_FILTERS 1000
#define RND_ROUTES 32
#define RND_KEYS 5000

/*
 * RND_FILTERS filters from 'gen' and RND_ROUTES routes against the
 * reference over RND_KEYS keys, built as 'cls' says and, if that is the
 * tuple space, again with rte_acl.
 */
static void
check_ipv4_random(const char *ctx, void (*gen)(struct dp_rule *, uint32_t), uint64_t seed,
		  enum cu_cls cls)
{
	struct dp_rule *rules = calloc(RND_FILTERS, sizeof(*rules));
	struct dp_route routes[RND_ROUTES];
	struct dp_key *keys = calloc(RND_KEYS, sizeof(*keys));
	struct cu_outcome *want = calloc(RND_KEYS, sizeof(*want));
	uint32_t kinds[3] = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(rules);
	CU_ASSERT_PTR_NOT_NULL_FATAL(keys);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	cu_rnd_seed(seed);
	gen(rules, RND_FILTERS);
	for (uint32_t j = 0; j < RND_ROUTES; j++) {
		/* Eight nested in 10.0.0.0/8, the others anywhere. */
		uint8_t len = (uint8_t)(j < 8 ? 8 + 3 * j : 8 + j % 25);

		routes[j] = (struct dp_route){ (j < 8 ? CU_IPV4(10, 0, 0, 0) : cu_rnd()) &
					       cu_prefix_mask(len), len };
	}
	for (uint32_t k = 0; k < RND_KEYS; k++) {
		uint32_t r = cu_rnd_below(8);

		keys[k] = cu_rnd_ipv4_key(r < 5 ? &rules[cu_rnd_below(RND_FILTERS)].match : NULL,
					  r < 7 ? &routes[cu_rnd_below(RND_ROUTES)] : NULL);
		want[k] = cu_lookup_ref(DP_KEY_IPV4, rules, RND_FILTERS, routes, RND_ROUTES,
					&keys[k]);
		kinds[want[k].kind]++;
	}
	/* The draw exercises filters, routes and defaults alike. */
	CU_EXPECT(kinds[CU_FILTER] > 1000 && kinds[CU_ROUTE] > 500 && kinds[CU_DEFAULT] > 300,
		  "%s: %u filter, %u route, %u default results", ctx, kinds[CU_FILTER],
		  kinds[CU_ROUTE], kinds[CU_DEFAULT]);
	cu_lookup_check(ctx, pool, &pm_ipv4_ops, cls, rules, RND_FILTERS, routes, RND_ROUTES,
			keys, want, RND_KEYS, SP_BURST);
	if (cls == CU_CLS_TSS)
		cu_lookup_check(ctx, pool, &pm_ipv4_ops, CU_CLS_FORCE_ACL, rules, RND_FILTERS,
				routes, RND_ROUTES, keys, want, RND_KEYS, SP_BURST);
	free(rules);
	free(keys);
	free(want);
}

/* Port ranges and prefixes of every length: rte_acl's. */
static void
test_ipv4_random(void)
{
	check_ipv4_random("1000 random filters", cu_rnd_ipv4_rules, 0x5eed1234abcdULL,
			  CU_CLS_ACL);
}

/* Eight shapes of mask: the tuple space's, and the same through rte_acl. */
static void
test_ipv4_random_masks(void)
{
	check_ipv4_random("1000 random filters on 8 masks", cu_rnd_ipv4_mask_rules,
			  0xfeedface1234ULL, CU_CLS_TSS);
}

/* One burst of 32 mixed keys gives what 32 bursts of one give, actions
 * and hit counts alike, and what the reference says. */
static void
check_burst_vs_single(enum cu_cls cls)
{
	static const struct dp_rule rules[] = {
		{ 10, 1, { .any_binding = true, .ipv4 = { .dst = CU_IPV4(10, 1, 0, 0),
		  .dst_len = 16, .any_proto = true, .sport_hi = 65535, .dport_hi = 65535 } } },
		{ 5, 2, { .binding = 1, .ipv4 = { .proto = 6, .sport_hi = 65535,
		  .dport_lo = 80, .dport_hi = 80 } } },
		{ 5, 0, { .binding = 2, .ipv4 = { .any_proto = true, .src = CU_IPV4(10, 9, 0, 0),
		  .src_len = 16, .sport_hi = 65535, .dport_hi = 65535 } } },
	};
	static const struct dp_route routes[] = { { CU_IPV4(10, 0, 0, 0), 8 },
						  { CU_IPV4(10, 2, 0, 0), 16 } };
	struct dp_slice *t = cu_lookup_table(&pm_ipv4_ops, CU_DIM(rules), CU_DIM(routes));
	struct dp_lcore_stats *st[2] = { cu_lookup_stats(CU_DIM(rules)),
					 cu_lookup_stats(CU_DIM(rules)) };
	struct cu_outcome burst[SP_BURST], single[SP_BURST];
	struct dp_key keys[SP_BURST];
	uint32_t seen[3] = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st[1]);
	CU_ASSERT_EQUAL_FATAL(cu_lookup_build(cu_cls_names[cls], t, DP_KEY_IPV4, cls, rules,
					      CU_DIM(rules), routes, CU_DIM(routes)), 0);
	for (uint32_t i = 0; i < SP_BURST; i++)
		keys[i] = cu_key_ipv4(i % CU_NB_BINDINGS, i % 3 ? 6 : 17,
				      CU_IPV4(10, 9 * (i / 2 % 2), 0, 1),
				      CU_IPV4(10 + i % 5 / 4, i % 4, 0, 1), 1000,
				      (uint16_t)(i % 7 ? 80 : 81));
	CU_ASSERT_FATAL(cu_lookup_burst(pool, t, keys, SP_BURST, burst, st[0]) == 0);
	for (uint32_t i = 0; i < SP_BURST; i++)
		CU_ASSERT_FATAL(cu_lookup_burst(pool, t, &keys[i], 1, &single[i], st[1]) == 0);
	for (uint32_t i = 0; i < SP_BURST; i++) {
		struct cu_outcome w = cu_lookup_ref(DP_KEY_IPV4, rules, CU_DIM(rules), routes,
						    CU_DIM(routes), &keys[i]);

		seen[w.kind]++;
		CU_EXPECT(burst[i].kind == single[i].kind && burst[i].idx == single[i].idx &&
			  burst[i].kind == w.kind && burst[i].idx == w.idx,
			  "%s: key %u: burst got %s %u, single %s %u, reference %s %u",
			  cu_cls_names[cls], i,
			  cu_kind_names[burst[i].kind], burst[i].idx,
			  cu_kind_names[single[i].kind], single[i].idx,
			  cu_kind_names[w.kind], w.idx);
	}
	CU_EXPECT(seen[CU_FILTER] && seen[CU_ROUTE] && seen[CU_DEFAULT], "the burst is mixed");
	for (uint32_t i = 0; i < CU_DIM(rules); i++)
		CU_EXPECT(st[0]->filter_hits[i] == st[1]->filter_hits[i] &&
			  st[0]->filter_hits[i] != 0,
			  "%s: filter_hits[%u]: %lu in a burst, %lu alone",
			  cu_cls_names[cls], i, (unsigned long)st[0]->filter_hits[i],
			  (unsigned long)st[1]->filter_hits[i]);
	dp_lookup_free(t);
	dp_slice_free(t);
	cu_lookup_stats_free(st[0]);
	cu_lookup_stats_free(st[1]);
}

static void
test_burst_vs_single(void)
{
	check_burst_vs_single(CU_CLS_TSS);
	check_burst_vs_single(CU_CLS_FORCE_ACL);
}

/* Hit counters: slot t->filters[i].stat counts filter i's packets, and
 * counts add up over bursts. */
static void
check_hits(enum cu_cls cls)
{
	static const struct dp_rule rules[] = {
		{ 1, 1, { .any_binding = true, .ipv4 = { .proto = 6, .sport_hi = 65535,
		  .dport_hi = 65535 } } },
		{ 2, 2, { .any_binding = true, .ipv4 = { .proto = 17, .sport_hi = 65535,
		  .dport_hi = 65535 } } },
		{ 3, 3, { .any_binding = true, .ipv4 = { .proto = 1, .sport_hi = 65535,
		  .dport_hi = 65535 } } },
	};
	static const uint8_t protos[] = { 6, 6, 17, 6, 47, 17, 6, 17, 6, 0 };
	struct dp_slice *t = cu_lookup_table(&pm_ipv4_ops, CU_DIM(rules), 0);
	struct dp_lcore_stats *st = cu_lookup_stats(8);
	struct dp_key keys[CU_DIM(protos)];
	struct cu_outcome got[CU_DIM(protos)];

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	/* Counter slots that are not the filters' indices. */
	for (uint32_t i = 0; i < CU_DIM(rules); i++)
		t->filters[i].stat = 6 - i;
	CU_ASSERT_EQUAL_FATAL(cu_lookup_build(cu_cls_names[cls], t, DP_KEY_IPV4, cls, rules,
					      CU_DIM(rules), NULL, 0), 0);
	for (uint32_t i = 0; i < CU_DIM(protos); i++)
		keys[i] = cu_key_ipv4(0, protos[i], 1, 2, 3, 4);
	for (int round = 1; round <= 3; round++) {
		char ctx[64];

		CU_ASSERT_FATAL(cu_lookup_burst(pool, t, keys, CU_DIM(protos), got, st) == 0);
		snprintf(ctx, sizeof(ctx), "%s, after %d bursts", cu_cls_names[cls], round);
		CU_EXPECT_UINT(st->filter_hits[6], 5 * round, ctx);
		CU_EXPECT_UINT(st->filter_hits[5], 3 * round, ctx);
		CU_EXPECT_UINT(st->filter_hits[4], 0, ctx);
		CU_EXPECT_UINT(st->filter_hits[0] + st->filter_hits[1] + st->filter_hits[2] +
			       st->filter_hits[3] + st->filter_hits[7], 0, ctx);
	}
	CU_EXPECT(got[4].kind == CU_DEFAULT && got[9].kind == CU_DEFAULT, "%s: misses",
		  cu_cls_names[cls]);
	dp_lookup_free(t);
	dp_slice_free(t);
	cu_lookup_stats_free(st);
}

static void
test_hits(void)
{
	check_hits(CU_CLS_TSS);
	check_hits(CU_CLS_FORCE_ACL);
}

/* ---- DP_KEY_GENERIC (passthrough) ---- */

struct gcase {
	const char *name;
	struct dp_rule rule;
	struct {
		bool on;
		uint32_t binding;
		uint8_t b[DP_KEY_BYTES];
		bool hit;
	} p[6];
};

#define G(...) .generic = { __VA_ARGS__ }
#define GP(binding, hit, ...) { true, binding, { __VA_ARGS__ }, hit }
static const struct gcase generic_cases[] = {
	{ "byte 0", { 1, 1, { .any_binding = true, G(.key = { 0x45 }, .mask = { 0xff }) } },
	  { GP(0, true, 0x45), GP(0, false, 0x44), GP(0, false, 0xc5),
	    GP(2, true, 0x45, [13] = 0xff) } },
	{ "byte 13", { 1, 1, { .any_binding = true, G(.key = { [13] = 0x99 },
	  .mask = { [13] = 0xff }) } },
	  { GP(0, true, [13] = 0x99), GP(0, false, [13] = 0x98), GP(0, false, [12] = 0x99),
	    GP(0, true, 0xff, [12] = 0xff, [13] = 0x99) } },
	{ "byte order within words", { 1, 1, { .any_binding = true,
	  G(.key = { [1] = 0x11, [8] = 0x88 }, .mask = { [1] = 0xff, [8] = 0xff }) } },
	  { GP(0, true, [1] = 0x11, [8] = 0x88), GP(0, false, [4] = 0x11, [8] = 0x88),
	    GP(0, false, [1] = 0x11, [5] = 0x88), GP(0, false, [1] = 0x88, [8] = 0x11) } },
	{ "masked bits ignored", { 1, 1, { .any_binding = true,
	  G(.key = { [5] = 0xaf }, .mask = { [5] = 0xf0 }) } },
	  { GP(0, true, [5] = 0xa0), GP(0, true, [5] = 0xa7), GP(0, false, [5] = 0xb0),
	    GP(0, false, [5] = 0x2f), GP(0, true, 0x12, [4] = 0x34, [5] = 0xaf, [13] = 1) } },
	{ "binding 2 only", { 1, 1, { .binding = 2, G(.key = { 7 }, .mask = { 0xff }) } },
	  { GP(2, true, 7), GP(1, false, 7), GP(0, false, 7), GP(2, false, 8) } },
	{ "all-zero mask matches anything", { 1, 1, { .any_binding = true } },
	  { GP(0, true, 0), GP(3, true, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff) } },
};
#undef G
#undef GP

static void
test_generic_cases(void)
{
	for (size_t c = 0; c < CU_DIM(generic_cases); c++) {
		const struct gcase *g = &generic_cases[c];
		struct dp_key keys[CU_DIM(g->p)];
		struct cu_outcome want[CU_DIM(g->p)];
		uint32_t n = 0;

		for (; n < CU_DIM(g->p) && g->p[n].on; n++) {
			keys[n] = cu_key_generic(g->p[n].binding, g->p[n].b);
			want[n] = g->p[n].hit ? (struct cu_outcome){ CU_FILTER, 0 } :
				  (struct cu_outcome){ CU_DEFAULT, g->p[n].binding };
		}
		cu_lookup_check(g->name, pool, &pm_passthrough_ops, CU_CLS_TSS, &g->rule, 1,
				NULL, 0, keys, want, n, SP_BURST);
		cu_lookup_check(g->name, pool, &pm_passthrough_ops, CU_CLS_FORCE_ACL, &g->rule,
				1, NULL, 0, keys, want, n, SP_BURST);
	}
}

/* Every byte of a 14-byte exact match counts, one flipped bit at a time. */
static void
test_generic_exact(void)
{
	struct dp_rule rule = { 1, 1, { .any_binding = true } };
	struct dp_key keys[1 + 8 * DP_KEY_BYTES];
	struct cu_outcome want[CU_DIM(keys)];
	uint8_t b[DP_KEY_BYTES];

	for (unsigned int i = 0; i < DP_KEY_BYTES; i++) {
		rule.match.generic.key[i] = b[i] = (uint8_t)(0x5a ^ (i * 17));
		rule.match.generic.mask[i] = 0xff;
	}
	keys[0] = cu_key_generic(1, b);
	want[0] = (struct cu_outcome){ CU_FILTER, 0 };
	for (unsigned int bit = 0; bit < 8 * DP_KEY_BYTES; bit++) {
		b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		keys[1 + bit] = cu_key_generic(1, b);
		want[1 + bit] = (struct cu_outcome){ CU_DEFAULT, 1 };
		b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	cu_lookup_check("14-byte exact match", pool, &pm_passthrough_ops, CU_CLS_TSS, &rule, 1,
			NULL, 0, keys, want, CU_DIM(keys), SP_BURST);
	cu_lookup_check("14-byte exact match", pool, &pm_passthrough_ops, CU_CLS_FORCE_ACL,
			&rule, 1, NULL, 0, keys, want, CU_DIM(keys), SP_BURST);
}

/*
 * rules[0..nb_rules) against the reference over nk random keys, built as
 * 'cls' says and, if 'also_acl', again with rte_acl forced.
 */
static void
check_generic_random(const char *ctx, const struct dp_rule *rules, uint32_t nb_rules,
		     uint32_t nk, enum cu_cls cls, bool also_acl)
{
	struct dp_key *keys = calloc(nk, sizeof(*keys));
	struct cu_outcome *want = calloc(nk, sizeof(*want));
	uint32_t hits = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(keys);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	for (uint32_t k = 0; k < nk; k++) {
		/* Half inside a rule, some of those one bit out of it. */
		keys[k] = cu_rnd_generic_key(cu_rnd_below(2) ?
					     &rules[cu_rnd_below(nb_rules)].match : NULL);
		want[k] = cu_lookup_ref(DP_KEY_GENERIC, rules, nb_rules, NULL, 0, &keys[k]);
		hits += want[k].kind == CU_FILTER;
	}
	CU_EXPECT(hits > nk / 5 && hits < nk - nk / 5, "%s: %u of %u keys hit", ctx, hits, nk);
	cu_lookup_check(ctx, pool, &pm_passthrough_ops, cls, rules, nb_rules, NULL, 0, keys,
			want, nk, SP_BURST);
	if (also_acl)
		cu_lookup_check(ctx, pool, &pm_passthrough_ops, CU_CLS_FORCE_ACL, rules,
				nb_rules, NULL, 0, keys, want, nk, SP_BURST);
	free(keys);
	free(want);
}

static void
test_generic_random(void)
{
	struct dp_rule *rules = calloc(RND_FILTERS, sizeof(*rules));

	CU_ASSERT_PTR_NOT_NULL_FATAL(rules);
	cu_rnd_seed(0x9e3779b97f4a7c15ULL);
	cu_rnd_generic_rules(rules, RND_FILTERS, true);
	check_generic_random("1000 generic filters on bytes 0, 5, 9, 13", rules, RND_FILTERS,
			     RND_KEYS, CU_CLS_TSS, true);
	/* A few at a time: ten can be past the ACL's memory cap. */
	for (uint64_t seed = 1; seed <= 20; seed++) {
		char ctx[64];

		snprintf(ctx, sizeof(ctx), "5 generic filters on any bytes, seed %lu",
			 (unsigned long)seed);
		cu_rnd_seed(seed * 0x2545F4914F6CDD1DULL);
		cu_rnd_generic_rules(rules, 5, false);
		check_generic_random(ctx, rules, 5, 500, CU_CLS_TSS, true);
	}
	free(rules);
}

/*
 * Filters on a given number of masks: up to DP_TSS_MAX_TUPLES in the tuple
 * space, more in rte_acl.  rte_acl takes only about a hundred filters on
 * eight or more masks within its memory cap, so the checks of the same
 * rules through both are that small.
 */
static void
test_generic_random_masks(void)
{
	static const struct {
		unsigned int nb_masks;
		uint32_t nb_rules;
		uint64_t seed;
		enum cu_cls cls;
		bool also_acl;
	} cases[] = {
		{ 1, RND_FILTERS, 0xc0ffee, CU_CLS_TSS, true },
		{ 3, RND_FILTERS, 0xc0ffef, CU_CLS_TSS, true },
		{ DP_TSS_MAX_TUPLES, RND_FILTERS, 0xc0fff0, CU_CLS_TSS, false },
		{ DP_TSS_MAX_TUPLES, 60, 0xc0fff1, CU_CLS_TSS, true },
		{ DP_TSS_MAX_TUPLES + 1, 60, 0xc0fff2, CU_CLS_ACL, false },
		{ CU_MAX_MASKS, 60, 0xc0fff3, CU_CLS_ACL, false },
	};
	struct dp_rule *rules = calloc(RND_FILTERS, sizeof(*rules));

	CU_ASSERT_PTR_NOT_NULL_FATAL(rules);
	for (size_t c = 0; c < CU_DIM(cases); c++) {
		char ctx[64];

		snprintf(ctx, sizeof(ctx), "%u generic filters on %u masks", cases[c].nb_rules,
			 cases[c].nb_masks);
		cu_rnd_seed(cases[c].seed);
		cu_rnd_generic_mask_rules(rules, cases[c].nb_rules, cases[c].nb_masks);
		check_generic_random(ctx, rules, cases[c].nb_rules, RND_KEYS, cases[c].cls,
				     cases[c].also_acl);
	}
	free(rules);
}

/* ---- build and free ---- */

static void
test_build_empty(void)
{
	unsigned int base = cu_heap_blocks();
	struct dp_slice *t = cu_lookup_table(&pm_ipv4_ops, 0, 0);
	struct dp_lcore_stats *st = cu_lookup_stats(0);
	struct dp_key keys[3] = {
		cu_key_ipv4(0, 6, 1, CU_IPV4(10, 0, 0, 1), 1, 2), cu_key_ipv4(2, 17, 1, 2, 3, 4),
		cu_key_ipv4(CU_NONE_BINDING, 1, 1, 2, 0, 0),
	};
	struct cu_outcome got[3];

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	dp_lookup_free(t);      /* never built */
	CU_EXPECT_INT(dp_lookup_build(t, DP_KEY_IPV4, NULL, 0, NULL, 0), 0, "empty build");
	CU_EXPECT(!dp_slice_has_filters(t) && t->fib == NULL, "an empty build made a classifier");
	CU_ASSERT_FATAL(cu_lookup_burst(pool, t, keys, 3, got, st) == 0);
	for (unsigned int i = 0; i < 3; i++)
		CU_EXPECT(got[i].kind == CU_DEFAULT &&
			  got[i].idx == rte_be_to_cpu_32(keys[i].binding),
			  "key %u: got %s %u", i, cu_kind_names[got[i].kind], got[i].idx);
	dp_lookup_free(t);
	dp_lookup_free(t);
	CU_EXPECT(!dp_slice_has_filters(t) && t->fib == NULL, "after free");
	dp_slice_free(t);
	cu_lookup_stats_free(st);
	CU_EXPECT_UINT(cu_heap_blocks(), base, "DPDK heap blocks");
}

/* Filters only (in either classifier), routes only, both: each makes its
 * classifier alone; free is idempotent and gives every DPDK heap block
 * back. */
static void
test_build_free(void)
{
	static const struct dp_rule rule = { 1, 1, { .any_binding = true,
		.ipv4 = { .any_proto = true, .sport_hi = 65535, .dport_hi = 65535 } } };
	static const struct dp_route route = { CU_IPV4(10, 0, 0, 0), 8 };
	static const struct {
		const char *name;
		uint32_t nr, nro;
		enum cu_cls cls;
	} cases[] = {
		{ "filters only", 1, 0, CU_CLS_TSS },
		{ "filters only, in an ACL", 1, 0, CU_CLS_FORCE_ACL },
		{ "routes only", 0, 1, CU_CLS_ANY },
		{ "both", 1, 1, CU_CLS_TSS },
		{ "both, filters in an ACL", 1, 1, CU_CLS_FORCE_ACL },
	};

	for (size_t c = 0; c < CU_DIM(cases); c++) {
		unsigned int base = cu_heap_blocks();
		struct dp_slice *t = cu_lookup_table(&pm_ipv4_ops, cases[c].nr, cases[c].nro);

		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		CU_EXPECT_INT(cu_lookup_build(cases[c].name, t, DP_KEY_IPV4, cases[c].cls, &rule,
					      cases[c].nr, &route, cases[c].nro), 0,
			      cases[c].name);
		CU_EXPECT(dp_slice_has_filters(t) == (cases[c].nr != 0), "%s: filters",
			  cases[c].name);
		CU_EXPECT((t->fib != NULL) == (cases[c].nro != 0), "%s: fib", cases[c].name);
		dp_lookup_free(t);
		CU_EXPECT(t->tss == NULL && t->acl == NULL && t->fib == NULL,
			  "%s: after free", cases[c].name);
		dp_lookup_free(t);
		dp_slice_free(t);
		CU_EXPECT_UINT(cu_heap_blocks(), base, cases[c].name);
	}
}

/* A refused build leaves nothing allocated, the ACL it made first included. */
static void
test_build_refused(void)
{
	static const struct dp_rule rule = { 1, 1, { .any_binding = true,
		.ipv4 = { .any_proto = true, .sport_hi = 65535, .dport_hi = 65535 } } };
	static const struct dp_route routes[] = { { CU_IPV4(10, 0, 0, 0), 8 },
						  { CU_IPV4(10, 0, 0, 0), 33 } };
	unsigned int base = cu_heap_blocks();
	struct dp_slice *t = cu_lookup_table(&pm_ipv4_ops, 1, 2);

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_EXPECT(dp_lookup_build(t, DP_KEY_IPV4, &rule, 1, routes, 2) < 0,
		  "a /33 route was accepted");
	CU_EXPECT(!dp_slice_has_filters(t) && t->fib == NULL, "a refused build left a classifier");
	dp_lookup_free(t);
	dp_slice_free(t);
	CU_EXPECT_UINT(cu_heap_blocks(), base, "DPDK heap blocks after a refused build");
}

/*
 * Filter sets more complex than the classifier takes (dataplane/lookup.h:
 * its memory is capped in proportion to the rules) are refused with
 * -ERANGE, which the control plane turns into "use fewer or simpler
 * matches", and leave nothing allocated.
 */
static void
test_build_too_complex(void)
{
	static const struct {
		const char *name;
		const struct pm_ops *pm;
	} cases[] = {
		{ "1000 IPv4 filters, random prefixes and port ranges", &pm_ipv4_ops },
		{ "1000 generic filters on any 4 bytes", &pm_passthrough_ops },
	};

	for (size_t c = 0; c < CU_DIM(cases); c++) {
		struct dp_rule *rules = calloc(RND_FILTERS, sizeof(*rules));
		struct dp_slice *t = cu_lookup_table(cases[c].pm, RND_FILTERS, 0);
		unsigned int base = cu_heap_blocks();

		CU_ASSERT_PTR_NOT_NULL_FATAL(rules);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		cu_rnd_seed(0x9e3779b97f4a7c15ULL);
		if (cases[c].pm == &pm_ipv4_ops)
			cu_rnd_ipv4_wild_rules(rules, RND_FILTERS);
		else
			cu_rnd_generic_rules(rules, RND_FILTERS, false);
		CU_EXPECT_INT(dp_lookup_build(t, cases[c].pm->key_layout, rules, RND_FILTERS,
					      NULL, 0), -ERANGE, cases[c].name);
		CU_EXPECT(!dp_slice_has_filters(t) && t->fib == NULL, "%s: a classifier was left",
			  cases[c].name);
		CU_EXPECT_UINT(cu_heap_blocks(), base, cases[c].name);
		dp_slice_free(t);
		free(rules);
	}
}

static const struct cu_case ipv4_suite[] = {
	CU_CASE(test_ipv4_cases),
	CU_CASE(test_hits),
	CU_CASE(test_burst_vs_single),
	CU_CASE(test_ipv4_random),
	CU_CASE(test_ipv4_random_masks),
};

static const struct cu_case generic_suite[] = {
	CU_CASE(test_generic_cases),
	CU_CASE(test_generic_exact),
	CU_CASE(test_generic_random),
	CU_CASE(test_generic_random_masks),
};

static const struct cu_case build_suite[] = {
	CU_CASE(test_build_empty),
	CU_CASE(test_build_free),
	CU_CASE(test_build_refused),
	CU_CASE(test_build_too_complex),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("dataplane/lookup: DP_KEY_IPV4", lookup_suite_init, lookup_suite_clean,
		 ipv4_suite),
	CU_SUITE("dataplane/lookup: DP_KEY_GENERIC", lookup_suite_init, lookup_suite_clean,
		 generic_suite),
	CU_SUITE("dataplane/lookup: build and free", lookup_suite_init, lookup_suite_clean,
		 build_suite),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
