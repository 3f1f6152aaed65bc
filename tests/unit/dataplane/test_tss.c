/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests of dataplane/tss.c: matches written as masks, the limits of a
 * table, lookups against a brute-force scan of the rules, long runs of
 * full buckets; then the cases where the tuple space differs in how it
 * finds the winner (duplicate masked keys, don't-care bits, the all-zero
 * mask, bindings, many masks, port ranges), through dp_lookup_build()
 * against the reference of tests/unit/dataplane/cu_lookup.h, each in the
 * tuple space and again in rte_acl.
 */

#include "dataplane/tss.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dataplane/meta.h"
#include "dataplane/tables.h"
#include "pm/ipv4/ipv4.h"
#include "pm/passthrough/passthrough.h"
#include "tests/unit/cu_main.h"
#include "tests/unit/dataplane/cu_lookup.h"
#include "tests/unit/dataplane/cu_pkt.h"

#define POOL_SIZE 127
#define ANY (-1)

static struct rte_mempool *pool;

static int
tss_suite_init(void)
{
	if (cu_eal_init("tss") != 0 || dp_meta_register() != 0)
		return -1;
	pool = rte_pktmbuf_pool_create("ut_tss", POOL_SIZE, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	return pool != NULL ? 0 : -1;
}

static int
tss_suite_clean(void)
{
	unsigned int avail = rte_mempool_avail_count(pool);

	rte_mempool_free(pool);
	pool = NULL;
	return avail == POOL_SIZE ? 0 : -1;
}

/* ---- matches as masks ---- */

/* A dp_key with every byte 'b', to compare masks against. */
static struct dp_key
key_of(uint8_t b)
{
	struct dp_key k;

	memset(&k, b, sizeof(k));
	return k;
}

static void
test_rule_from_generic(void)
{
	struct dp_match m = { .binding = 3 };
	struct dp_tss_rule r = { .result = 77 };
	struct dp_key want_mask = key_of(0), want_value = key_of(0);

	for (unsigned int i = 0; i < DP_KEY_BYTES; i++) {
		m.generic.key[i] = (uint8_t)(0x10 + i);
		m.generic.mask[i] = (uint8_t)(0xf0 | i);
	}
	CU_EXPECT(dp_tss_rule_from_match(&r, DP_KEY_GENERIC, &m), "a generic match is a mask");
	want_mask.b0 = 0xf0;
	want_value.b0 = 0x10;
	want_mask.binding = UINT32_MAX;
	want_value.binding = rte_cpu_to_be_32(3);
	for (unsigned int i = 1; i < DP_KEY_BYTES; i++) {
		want_mask.bytes[i - 1] = (uint8_t)(0xf0 | i);
		want_value.bytes[i - 1] = (uint8_t)(0x10 + i);
	}
	CU_EXPECT(memcmp(&r.mask, &want_mask, sizeof(want_mask)) == 0,
		  "generic mask: key[0] in b0, key[1..13] in bytes[0..12], nothing else");
	CU_EXPECT(memcmp(&r.value, &want_value, sizeof(want_value)) == 0, "generic value");
	CU_EXPECT_UINT(r.result, 77, "result left alone");

	m.any_binding = true;
	CU_EXPECT(dp_tss_rule_from_match(&r, DP_KEY_GENERIC, &m), "any binding");
	CU_EXPECT_UINT(r.mask.binding, 0, "any binding");
}

static void
test_rule_from_ipv4(void)
{
	static const struct {
		const char *name;
		uint16_t lo, hi;
		bool ok;
		uint16_t mask;
	} ports[] = {
		{ "all ports", 0, 65535, true, 0 },
		{ "one port", 80, 80, true, 0xffff },
		{ "port 0", 0, 0, true, 0xffff },
		{ "port 65535", 65535, 65535, true, 0xffff },
		{ "an aligned block", 1024, 2047, true, 0xfc00 },
		{ "the well-known ports", 0, 1023, true, 0xfc00 },
		{ "the upper half", 32768, 65535, true, 0x8000 },
		{ "a range", 1000, 2000, false, 0 },
		{ "a power of two, not aligned", 1, 2, false, 0 },
		{ "aligned, not a power of two", 1024, 65535, false, 0 },
		{ "hi below lo", 5, 3, false, 0 },
	};
	struct dp_match m = { .any_binding = true, .ipv4 = { .src = CU_IPV4(10, 1, 2, 0),
		.src_len = 24, .dst = CU_IPV4(192, 0, 2, 7), .dst_len = 32, .proto = 17,
		.sport_hi = 65535, .dport_hi = 65535 } };
	struct dp_tss_rule r;

	CU_EXPECT(dp_tss_rule_from_match(&r, DP_KEY_IPV4, &m), "prefixes, protocol");
	CU_EXPECT_UINT(r.mask.b0, 0xff, "exact protocol");
	CU_EXPECT_UINT(r.value.b0, 17, "protocol");
	CU_EXPECT_UINT(r.mask.binding, 0, "any binding");
	CU_EXPECT_UINT(r.mask.ipv4.src, rte_cpu_to_be_32(0xffffff00), "/24");
	CU_EXPECT_UINT(r.value.ipv4.src, rte_cpu_to_be_32(CU_IPV4(10, 1, 2, 0)), "src");
	CU_EXPECT_UINT(r.mask.ipv4.dst, UINT32_MAX, "/32");
	CU_EXPECT_UINT(r.value.ipv4.dst, rte_cpu_to_be_32(CU_IPV4(192, 0, 2, 7)), "dst");
	CU_EXPECT(r.mask.pad[0] == 0 && r.mask.pad[1] == 0 && r.mask.pad[2] == 0 &&
		  r.mask.bytes[12] == 0 && r.mask.bytes[15] == 0, "padding is masked out");

	m.ipv4.any_proto = true;
	m.ipv4.src_len = 0;
	CU_EXPECT(dp_tss_rule_from_match(&r, DP_KEY_IPV4, &m), "any protocol, /0");
	CU_EXPECT(r.mask.b0 == 0 && r.mask.ipv4.src == 0, "any protocol, /0: zero masks");
	m.ipv4.src_len = 33;
	CU_EXPECT(!dp_tss_rule_from_match(&r, DP_KEY_IPV4, &m), "a /33 is not a mask");
	m.ipv4.src_len = 0;

	for (size_t c = 0; c < CU_DIM(ports); c++) {
		m.ipv4.sport_lo = m.ipv4.dport_lo = ports[c].lo;
		m.ipv4.sport_hi = m.ipv4.dport_hi = ports[c].hi;
		CU_EXPECT(dp_tss_rule_from_match(&r, DP_KEY_IPV4, &m) == ports[c].ok,
			  "%s [%u, %u]: %s a mask", ports[c].name, ports[c].lo, ports[c].hi,
			  ports[c].ok ? "is" : "is not");
		if (!ports[c].ok)
			continue;
		CU_EXPECT_UINT(r.mask.ipv4.sport, rte_cpu_to_be_16(ports[c].mask), ports[c].name);
		CU_EXPECT_UINT(r.mask.ipv4.dport, rte_cpu_to_be_16(ports[c].mask), ports[c].name);
		CU_EXPECT_UINT(r.value.ipv4.dport, rte_cpu_to_be_16(ports[c].lo), ports[c].name);
	}
}

/* ---- tables, against a scan of the rules ---- */

/* The result of the first of rules[0..n) that k matches, or 0. */
static uint32_t
scan(const struct dp_tss_rule *rules, uint32_t n, const struct dp_key *k)
{
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *kb = (const uint8_t *)k;
		const uint8_t *mb = (const uint8_t *)&rules[i].mask;
		const uint8_t *vb = (const uint8_t *)&rules[i].value;
		bool match = true;

		for (size_t b = 0; b < sizeof(*k); b++)
			match &= ((kb[b] ^ vb[b]) & mb[b]) == 0;
		if (match)
			return rules[i].result;
	}
	return 0;
}

/* A mask over all 24 bytes of a key, padding included: a few bytes whole
 * or partial, the rest zero; never all zero. */
static struct dp_key
rnd_mask(void)
{
	struct dp_key m;
	uint8_t *b = (uint8_t *)&m;

	memset(&m, 0, sizeof(m));
	while (memcmp(&m, &(struct dp_key){ 0 }, sizeof(m)) == 0)
		for (size_t i = 0; i < sizeof(m); i++) {
			uint32_t r = cu_rnd_below(8);

			b[i] = r < 2 ? 0xff : r == 2 ? (uint8_t)cu_rnd() : 0;
		}
	return m;
}

/* A byte from a small alphabet, so that keys match several rules, in
 * several tuples, often. */
static uint8_t
rnd_byte(void)
{
	static const uint8_t bytes[] = { 0x00, 0x01, 0x80, 0xff };

	return bytes[cu_rnd_below(CU_DIM(bytes))];
}

/* A key inside rule r (NULL: anywhere), a quarter of those one masked bit out. */
static struct dp_key
rnd_key(const struct dp_tss_rule *r)
{
	struct dp_key k;
	uint8_t *kb = (uint8_t *)&k;
	const uint8_t *mb, *vb;
	uint32_t at;

	for (size_t i = 0; i < sizeof(k); i++)
		kb[i] = rnd_byte();
	if (r == NULL)
		return k;
	mb = (const uint8_t *)&r->mask;
	vb = (const uint8_t *)&r->value;
	for (size_t i = 0; i < sizeof(k); i++)
		kb[i] = (uint8_t)((vb[i] & mb[i]) | (kb[i] & ~mb[i]));
	if (cu_rnd_below(4) != 0 || memcmp(mb, &(struct dp_key){ 0 }, sizeof(k)) == 0)
		return k;
	do
		at = cu_rnd_below(8 * sizeof(k));
	while (!(mb[at / 8] & (1u << (at % 8))));
	kb[at / 8] ^= (uint8_t)(1u << (at % 8));
	return k;
}

/*
 * Rules on nb_masks random masks, values with random bits under the zero
 * mask bits, a fifth of them with the masked value of an earlier rule, and, at
 * 'catch_all' if below n, a rule whose mask is all zero; results are
 * 1000 + index, so that they are not taken for indices.
 */
static void
rnd_rules(struct dp_tss_rule *rules, uint32_t n, unsigned int nb_masks, uint32_t catch_all)
{
	struct dp_key masks[DP_TSS_MAX_TUPLES];

	for (unsigned int k = 0; k < nb_masks; k++)
		masks[k] = rnd_mask();
	for (uint32_t i = 0; i < n; i++) {
		struct dp_tss_rule *r = &rules[i];

		if (i > 0 && cu_rnd_below(5) == 0) {
			uint8_t *vb = (uint8_t *)&r->value;
			const uint8_t *mb = (const uint8_t *)&r->mask;

			*r = rules[cu_rnd_below(i)];
			for (size_t b = 0; b < sizeof(r->value); b++)
				vb[b] ^= (uint8_t)(cu_rnd() & ~mb[b]);
		} else {
			r->mask = masks[cu_rnd_below(nb_masks)];
			r->value = rnd_key(NULL);
		}
		if (i == catch_all)
			r->mask = key_of(0);
		r->result = 1000 + i;
	}
}

/*
 * Builds rules[0..n) and asserts that nk random keys, looked up in bursts
 * of every size from 1 to SP_BURST, get what scan() says; 'ctx' names the
 * case.  Returns how many keys matched a rule.
 */
static uint32_t
check_table(const char *ctx, const struct dp_tss_rule *rules, uint32_t n, uint32_t nk)
{
	struct dp_tss *t = dp_tss_build(rules, n, SIZE_MAX);
	struct dp_key keys[SP_BURST];
	uint32_t results[SP_BURST];
	uint32_t bad = 0, hits = 0;

	CU_EXPECT(t != NULL, "%s: dp_tss_build: %s", ctx, strerror(errno));
	if (t == NULL)
		return 0;
	for (uint32_t done = 0, burst = 1; done < nk; done += burst, burst = burst % SP_BURST + 1) {
		for (uint32_t i = 0; i < burst; i++)
			keys[i] = rnd_key(n != 0 && cu_rnd_below(4) != 0 ?
					  &rules[cu_rnd_below(n)] : NULL);
		dp_tss_lookup_burst(t, keys, (uint16_t)burst, results);
		for (uint32_t i = 0; i < burst; i++) {
			uint32_t want = scan(rules, n, &keys[i]);

			hits += want != 0;
			if (results[i] != want && bad++ < 5)
				CU_EXPECT(false, "%s: key %u of a burst of %u: got %u, expected %u",
					  ctx, i, burst, results[i], want);
		}
	}
	CU_EXPECT(bad == 0, "%s: %u of %u keys got the wrong result", ctx, bad, nk);
	dp_tss_free(t);
	return hits;
}

static void
test_random_tables(void)
{
	static const struct {
		uint32_t n;
		unsigned int nb_masks;
		uint32_t catch_all;     /* its index, or n: none */
	} cases[] = {
		{ 1, 1, 1 }, { 50, 1, 50 }, { 2000, 1, 2000 }, { 50, 4, 50 }, { 2000, 4, 2000 },
		{ 2000, DP_TSS_MAX_TUPLES, 2000 }, { 2000, DP_TSS_MAX_TUPLES, 1000 },
		{ 200, 3, 0 }, { 2000, DP_TSS_MAX_TUPLES, 1999 },
	};
	struct dp_tss_rule *rules = calloc(2000, sizeof(*rules));

	CU_ASSERT_PTR_NOT_NULL_FATAL(rules);
	cu_rnd_seed(0x7a55);
	for (size_t c = 0; c < CU_DIM(cases); c++) {
		uint32_t n = cases[c].n, hits;
		char ctx[96];

		snprintf(ctx, sizeof(ctx), "%u rules on %u masks, catch-all at %u", n,
			 cases[c].nb_masks, cases[c].catch_all);
		rnd_rules(rules, n, cases[c].nb_masks, cases[c].catch_all);
		hits = check_table(ctx, rules, n, 3000);
		/* Matches and, but for a catch-all, misses, some of each. */
		CU_EXPECT(hits > 600 && (cases[c].catch_all < n || hits < 2950),
			  "%s: %u of 3000 keys matched", ctx, hits);
	}
	free(rules);
}

/* An empty table matches nothing; free takes NULL. */
static void
test_empty(void)
{
	unsigned int base = cu_heap_blocks();
	struct dp_tss *t = dp_tss_build(NULL, 0, SIZE_MAX);
	struct dp_key keys[3] = { key_of(0), key_of(0xff), key_of(0x5a) };
	uint32_t results[3] = { 1, 2, 3 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	dp_tss_lookup_burst(t, keys, 3, results);
	CU_EXPECT(results[0] == 0 && results[1] == 0 && results[2] == 0, "empty table matched");
	dp_tss_free(t);
	dp_tss_free(NULL);
	CU_EXPECT_UINT(cu_heap_blocks(), base, "DPDK heap blocks");
}

/* One rule on each of 'nb' masks (mask k: byte k of the key), results
 * 1 + k, with an all-zero mask rule after the first 'zero_at' (nb: none). */
static void
rules_on_masks(struct dp_tss_rule *rules, unsigned int nb, unsigned int zero_at)
{
	for (unsigned int k = 0, i = 0; k < nb; k++) {
		if (k == zero_at)
			rules[i++] = (struct dp_tss_rule){ .result = 100 };
		rules[i] = (struct dp_tss_rule){ .result = 1 + k };
		((uint8_t *)&rules[i].mask)[k] = 0xff;
		((uint8_t *)&rules[i].value)[k] = 0x42;
		i++;
	}
}

/* At most DP_TSS_MAX_TUPLES masks, counted up to the first all-zero mask,
 * within max_bytes; refusals leave nothing allocated. */
static void
test_limits(void)
{
	unsigned int base = cu_heap_blocks();
	struct dp_tss_rule rules[DP_TSS_MAX_TUPLES + 2];
	struct dp_tss *t;

	rules_on_masks(rules, DP_TSS_MAX_TUPLES, DP_TSS_MAX_TUPLES);
	t = dp_tss_build(rules, DP_TSS_MAX_TUPLES, SIZE_MAX);
	CU_EXPECT(t != NULL, "%u masks refused", DP_TSS_MAX_TUPLES);
	dp_tss_free(t);

	rules_on_masks(rules, DP_TSS_MAX_TUPLES + 1, DP_TSS_MAX_TUPLES + 1);
	errno = 0;
	CU_EXPECT(dp_tss_build(rules, DP_TSS_MAX_TUPLES + 1, SIZE_MAX) == NULL,
		  "%u masks taken", DP_TSS_MAX_TUPLES + 1);
	CU_EXPECT_INT(errno, ENOTSUP, "too many masks");

	/* Masks after the catch-all can never win: they are not counted. */
	rules_on_masks(rules, DP_TSS_MAX_TUPLES + 1, DP_TSS_MAX_TUPLES);
	t = dp_tss_build(rules, DP_TSS_MAX_TUPLES + 2, SIZE_MAX);
	CU_EXPECT(t != NULL, "a mask after the catch-all was counted");
	if (t != NULL) {
		struct dp_key keys[2] = { key_of(0x42), key_of(0) };
		uint32_t results[2];

		dp_tss_lookup_burst(t, keys, 2, results);
		CU_EXPECT_UINT(results[0], 1, "the first rule wins");
		CU_EXPECT_UINT(results[1], 100, "the catch-all takes the rest");
		dp_tss_free(t);
	}

	errno = 0;
	CU_EXPECT(dp_tss_build(rules, 1, 256) == NULL, "a table in 256 bytes");
	CU_EXPECT_INT(errno, ERANGE, "max_bytes");
	t = dp_tss_build(rules, 1, 4096);
	CU_EXPECT(t != NULL, "one rule in 4096 bytes: %s", strerror(errno));
	dp_tss_free(t);
	CU_EXPECT_UINT(cu_heap_blocks(), base, "DPDK heap blocks");
}

/*
 * With no hash bits, every key has the same home bucket and signature:
 * n distinct keys fill n / 8 buckets in a row, every probe walks them and
 * every signature compares equal.  A run of 16 full buckets is taken,
 * 17 refused.
 */
static void
test_bucket_runs(void)
{
	static const struct {
		uint32_t n;
		bool taken;
	} cases[] = { { 9, true }, { 100, true }, { 128, true }, { 135, true }, { 136, false } };
	struct dp_tss_rule rules[136];

	for (uint32_t i = 0; i < CU_DIM(rules); i++) {
		rules[i] = (struct dp_tss_rule){ .mask = key_of(0), .value = key_of(0),
						 .result = 1 + i };
		rules[i].mask.binding = rules[i].mask.ipv4.dst = UINT32_MAX;
		rules[i].value.binding = rte_cpu_to_be_32(i % 3);
		rules[i].value.ipv4.dst = rte_cpu_to_be_32(CU_IPV4(10, 0, 0, 0) + i / 3);
	}
	for (size_t c = 0; c < CU_DIM(cases); c++) {
		struct dp_tss *t;
		char ctx[32];

		snprintf(ctx, sizeof(ctx), "%u keys in one run", cases[c].n);
		dp_tss_hash_mask = 0;
		t = dp_tss_build(rules, cases[c].n, SIZE_MAX);
		dp_tss_hash_mask = UINT32_MAX;
		CU_EXPECT((t != NULL) == cases[c].taken, "%s: %s", ctx,
			  t != NULL ? "taken" : strerror(errno));
		if (t == NULL) {
			CU_EXPECT_INT(errno, ENOTSUP, ctx);
			continue;
		}
		/* Every key, the last in the run included, and keys not in it. */
		for (uint32_t at = 0; at < cases[c].n + 40; at += SP_BURST) {
			struct dp_key keys[SP_BURST];
			uint32_t results[SP_BURST];

			for (uint32_t i = 0; i < SP_BURST; i++)
				keys[i] = rules[(at + i) % CU_DIM(rules)].value;
			dp_tss_lookup_burst(t, keys, SP_BURST, results);
			for (uint32_t i = 0; i < SP_BURST; i++) {
				uint32_t r = (at + i) % CU_DIM(rules);

				CU_EXPECT(results[i] == (r < cases[c].n ? 1 + r : 0),
					  "%s: key %u got %u", ctx, r, results[i]);
			}
		}
		dp_tss_free(t);
	}
}

/* ---- through dp_lookup_build(), against the reference ---- */

/*
 * A case: filters, keys, and the filter id each key gets (ANY: its
 * binding's default).  It runs in the given and the reverse order, with
 * dp_lookup_build()'s choice, which must be 'cls', and with rte_acl forced.
 */
struct tcase {
	const char *name;
	const struct pm_ops *pm;
	enum cu_cls cls;
	struct dp_rule r[10];           /* priorities from 1; 0 ends the list */
	struct tkey {
		bool on;
		int binding;
		uint8_t b[DP_KEY_BYTES];        /* generic: the key; ipv4: proto */
		uint32_t src, dst;
		uint16_t sport, dport;
		int want;
	} k[8];
};

#define GR(prio, id, bind, ...) { prio, id, { .binding = (uint8_t)((bind) < 0 ? 0 : (bind)), \
	.any_binding = (bind) < 0, .generic = { __VA_ARGS__ } } }
#define KEY(...) .key = { __VA_ARGS__ }
#define MASK(...) .mask = { __VA_ARGS__ }
#define GK(bind, want, ...) { true, bind, { __VA_ARGS__ }, 0, 0, 0, 0, want }
#define V4R(prio, id, ...) { prio, id, { .any_binding = true, .ipv4 = { __VA_ARGS__ } } }
#define ALLPORTS .sport_hi = 65535, .dport_hi = 65535
#define V4K(proto, src, dst, sp, dp, want) { true, 0, { proto }, src, dst, sp, dp, want }
#define A CU_IPV4
/* Bytes 0 to 3 of any binding's keys and of binding 1's. */
#define EIGHT_MASKS \
	GR(1, 1, ANY, KEY(1), MASK(0xff)), GR(2, 2, ANY, KEY(0, 2), MASK(0, 0xff)), \
	GR(3, 3, ANY, KEY(0, 0, 3), MASK(0, 0, 0xff)), \
	GR(4, 4, ANY, KEY(0, 0, 0, 4), MASK(0, 0, 0, 0xff)), \
	GR(5, 5, 1, KEY(5), MASK(0xff)), GR(6, 6, 1, KEY(0, 6), MASK(0, 0xff)), \
	GR(7, 7, 1, KEY(0, 0, 7), MASK(0, 0, 0xff)), \
	GR(8, 8, 1, KEY(0, 0, 0, 8), MASK(0, 0, 0, 0xff))

static const struct tcase cases[] = {
	{ "one masked key: the lower priority wins", &pm_passthrough_ops, CU_CLS_TSS,
	  { GR(30, 1, ANY, KEY(7), MASK(0xff)), GR(10, 2, ANY, KEY(7), MASK(0xff)),
	    GR(20, 3, ANY, KEY(7), MASK(0xff)) },
	  { GK(0, 2, 7), GK(1, ANY, 8) } },
	{ "one masked key, one priority: the lower id wins", &pm_passthrough_ops, CU_CLS_TSS,
	  { GR(10, 9, ANY, KEY(7), MASK(0xff)), GR(10, 4, ANY, KEY(7), MASK(0xff)),
	    GR(10, 6, ANY, KEY(7), MASK(0xff)) },
	  { GK(0, 4, 7) } },
	{ "one masked key, other bits under the zero mask", &pm_passthrough_ops, CU_CLS_TSS,
	  { GR(5, 1, ANY, KEY([5] = 0xaf), MASK([5] = 0xf0)),
	    GR(3, 2, ANY, KEY([5] = 0xa3, [9] = 0x11), MASK([5] = 0xf0)),
	    GR(4, 3, ANY, KEY([5] = 0xb0), MASK([5] = 0xf0)) },
	  { GK(0, 2, [5] = 0xa0), GK(0, 2, [5] = 0xaf), GK(0, 3, [5] = 0xbf),
	    GK(0, ANY, [5] = 0xc3), GK(0, 2, 0xff, [5] = 0xa5, [13] = 0xff) } },
	{ "key bits under the zero mask are ignored", &pm_passthrough_ops, CU_CLS_TSS,
	  { GR(1, 1, ANY, KEY(0xff, 0xff, 0x12, [13] = 0xff), MASK(0x0f, 0x00, 0xff)) },
	  { GK(0, 1, 0x0f, 0x00, 0x12), GK(0, 1, 0xff, 0x99, 0x12, [13] = 0x01),
	    GK(0, ANY, 0x0e, 0xff, 0x12), GK(0, ANY, 0x0f, 0xff, 0x13) } },
	{ "a catch-all beats worse rules", &pm_passthrough_ops, CU_CLS_TSS,
	  { GR(5, 1, ANY, KEY(1), MASK(0xff)), GR(1, 2, ANY), GR(9, 3, 1, KEY(2), MASK(0xff)) },
	  { GK(0, 2, 1), GK(1, 2, 2), GK(2, 2, 3) } },
	{ "better rules beat a catch-all", &pm_passthrough_ops, CU_CLS_TSS,
	  { GR(1, 1, ANY, KEY(1), MASK(0xff)), GR(9, 2, ANY, KEY([4] = 2), MASK([4] = 0xff)),
	    GR(5, 3, ANY) },
	  { GK(0, 1, 1), GK(0, 1, 1, [4] = 2), GK(0, 3, 0, [4] = 2), GK(3, 3, 9) } },
	{ "a later tuple's better rule wins, its worse one does not",
	  &pm_passthrough_ops, CU_CLS_TSS,
	  { GR(1, 1, ANY, KEY(1), MASK(0xff)), GR(9, 2, ANY, KEY(2), MASK(0xff)),
	    GR(5, 3, ANY, KEY([4] = 3), MASK([4] = 0xff)),
	    GR(7, 4, ANY, KEY([8] = 4), MASK([8] = 0xff)),
	    GR(11, 5, ANY, KEY([4] = 5), MASK([4] = 0xff)) },
	  { GK(0, 3, 2, [4] = 3), GK(0, 3, 2, [4] = 3, [8] = 4), GK(0, 4, 2, [8] = 4),
	    GK(0, 2, 2), GK(0, 1, 1, [4] = 3, [8] = 4), GK(0, ANY, 3), GK(0, 2, 2, [4] = 5),
	    GK(0, 5, 0, [4] = 5) } },
	{ "a binding's filter before any binding's", &pm_passthrough_ops, CU_CLS_TSS,
	  { GR(5, 1, 2, KEY(7), MASK(0xff)), GR(7, 2, ANY, KEY(7), MASK(0xff)) },
	  { GK(2, 1, 7), GK(1, 2, 7), GK(0, 2, 7), GK(2, ANY, 8) } },
	{ "any binding's filter before a binding's", &pm_passthrough_ops, CU_CLS_TSS,
	  { GR(7, 1, 2, KEY(7), MASK(0xff)), GR(5, 2, ANY, KEY(7), MASK(0xff)) },
	  { GK(2, 2, 7), GK(1, 2, 7) } },
	{ "a binding alone is a mask", &pm_passthrough_ops, CU_CLS_TSS,
	  { GR(5, 1, 1), GR(5, 2, 2, KEY(7), MASK(0xff)) },
	  { GK(1, 1, 7), GK(2, 2, 7), GK(2, ANY, 6), GK(0, ANY, 7) } },
	{ "eight masks and a catch-all", &pm_passthrough_ops, CU_CLS_TSS,
	  { EIGHT_MASKS, GR(9, 9, ANY) },
	  { GK(0, 1, 1, 2, 3, 4), GK(1, 2, 5, 2, 3, 4), GK(1, 5, 5), GK(1, 8, 0, 0, 0, 8),
	    GK(0, 9, 0, 0, 0, 8), GK(2, 9, 6, 6, 6, 6) } },
	{ "nine masks: rte_acl", &pm_passthrough_ops, CU_CLS_ACL,
	  { EIGHT_MASKS, GR(9, 9, ANY, KEY([4] = 9), MASK([4] = 0xff)) },
	  { GK(0, 1, 1, 2, 3, 4), GK(1, 5, 5), GK(1, 8, 0, 0, 0, 8), GK(0, 9, [4] = 9),
	    GK(0, ANY, 0, 0, 0, 8) } },
	{ "prefixes, one port and all ports: a tuple space", &pm_ipv4_ops, CU_CLS_TSS,
	  { V4R(1, 1, .dst = A(10, 1, 2, 0), .dst_len = 24, .any_proto = true,
		.sport_hi = 65535, .dport_lo = 80, .dport_hi = 80),
	    V4R(2, 2, .src = A(10, 9, 0, 0), .src_len = 16, .any_proto = true, ALLPORTS),
	    V4R(3, 3, .dst = A(192, 0, 2, 1), .dst_len = 32, .proto = 6, .sport_lo = 1234,
		.sport_hi = 1234, .dport_hi = 65535) },
	  { V4K(17, A(10, 9, 1, 1), A(10, 1, 2, 3), 5, 80, 1),
	    V4K(17, A(10, 9, 1, 1), A(10, 1, 2, 3), 5, 81, 2),
	    V4K(17, A(10, 8, 1, 1), A(10, 1, 3, 3), 5, 80, ANY),
	    V4K(6, A(1, 1, 1, 1), A(192, 0, 2, 1), 1234, 9, 3),
	    V4K(17, A(1, 1, 1, 1), A(192, 0, 2, 1), 1234, 9, ANY),
	    V4K(6, A(1, 1, 1, 1), A(192, 0, 2, 1), 1235, 9, ANY) } },
	{ "an aligned block of ports: a tuple space", &pm_ipv4_ops, CU_CLS_TSS,
	  { V4R(1, 1, .any_proto = true, .sport_hi = 65535, .dport_lo = 1024,
		.dport_hi = 2047) },
	  { V4K(6, 1, 2, 3, 1023, ANY), V4K(6, 1, 2, 3, 1024, 1), V4K(6, 1, 2, 3, 2047, 1),
	    V4K(6, 1, 2, 3, 2048, ANY) } },
	{ "a port range: rte_acl", &pm_ipv4_ops, CU_CLS_ACL,
	  { V4R(1, 1, .any_proto = true, .sport_hi = 65535, .dport_lo = 1000,
		.dport_hi = 2000),
	    V4R(2, 2, .dst = A(10, 0, 0, 0), .dst_len = 8, .any_proto = true, ALLPORTS) },
	  { V4K(6, 1, A(10, 0, 0, 1), 3, 999, 2), V4K(6, 1, 2, 3, 1000, 1),
	    V4K(6, 1, 2, 3, 2000, 1), V4K(6, 1, 2, 3, 2001, ANY) } },
};
#undef A

/* Runs case c, its filters in the given or the reverse order. */
static void
run_case(const struct tcase *c, bool reverse, enum cu_cls cls)
{
	struct dp_rule rules[CU_DIM(c->r)];
	struct dp_key keys[CU_DIM(c->k)];
	struct cu_outcome want[CU_DIM(c->k)], ref;
	uint32_t nr = 0, nk = 0;
	char ctx[128];

	while (nr < CU_DIM(c->r) && c->r[nr].priority != 0)
		nr++;
	for (uint32_t i = 0; i < nr; i++)
		rules[i] = c->r[reverse ? nr - 1 - i : i];
	for (; nk < CU_DIM(c->k) && c->k[nk].on; nk++) {
		const struct tkey *k = &c->k[nk];

		keys[nk] = c->pm == &pm_ipv4_ops ?
			   cu_key_ipv4((uint32_t)k->binding, k->b[0], k->src, k->dst, k->sport,
				       k->dport) :
			   cu_key_generic((uint32_t)k->binding, k->b);
		want[nk] = (struct cu_outcome){ CU_DEFAULT, (uint32_t)k->binding };
		for (uint32_t i = 0; k->want != ANY && i < nr; i++)
			if (rules[i].id == (uint32_t)k->want)
				want[nk] = (struct cu_outcome){ CU_FILTER, i };
		ref = cu_lookup_ref(c->pm->key_layout, rules, nr, NULL, 0, &keys[nk]);
		CU_EXPECT(ref.kind == want[nk].kind && ref.idx == want[nk].idx,
			  "%s: key %u: the case says %s %u, the reference %s %u", c->name, nk,
			  cu_kind_names[want[nk].kind], want[nk].idx, cu_kind_names[ref.kind],
			  ref.idx);
	}
	snprintf(ctx, sizeof(ctx), "%s%s, %s", c->name, reverse ? " (reversed)" : "",
		 cu_cls_names[cls]);
	cu_lookup_check(ctx, pool, c->pm, cls, rules, nr, NULL, 0, keys, want, nk, SP_BURST);
}

static void
test_cases(void)
{
	for (size_t i = 0; i < CU_DIM(cases); i++) {
		run_case(&cases[i], false, cases[i].cls);
		run_case(&cases[i], true, cases[i].cls);
		run_case(&cases[i], false, CU_CLS_FORCE_ACL);
		run_case(&cases[i], true, CU_CLS_FORCE_ACL);
	}
}

/* The benchmark's shape: 1000 filters on one mask, none of which the
 * traffic matches, then a catch-all that takes it all. */
static void
test_one_mask_and_catch_all(void)
{
	enum { NB = 1000 };
	struct dp_rule *rules = calloc(NB + 1, sizeof(*rules));
	struct dp_key keys[4 * SP_BURST];
	struct cu_outcome want[CU_DIM(keys)];
	uint32_t filters = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(rules);
	cu_rnd_seed(0xbe7c);
	for (uint32_t i = 0; i < NB; i++) {
		rules[i] = (struct dp_rule){ i, i, { .binding = (uint8_t)(i % CU_NB_BINDINGS) } };
		for (unsigned int b = 0; b < DP_KEY_BYTES; b++) {
			rules[i].match.generic.mask[b] = 0xff;
			rules[i].match.generic.key[b] = (uint8_t)cu_rnd();
		}
	}
	rules[NB] = (struct dp_rule){ NB, NB, { .any_binding = true } };
	for (uint32_t k = 0; k < CU_DIM(keys); k++) {
		/* Every other key a filter's, the rest the traffic's. */
		const struct dp_match *m = &rules[k * 7 % NB].match;

		keys[k] = k % 2 ? cu_rnd_generic_key(NULL) : cu_key_generic(m->binding,
									      m->generic.key);
		want[k] = cu_lookup_ref(DP_KEY_GENERIC, rules, NB + 1, NULL, 0, &keys[k]);
		filters += want[k].kind == CU_FILTER && want[k].idx < NB;
	}
	CU_EXPECT_UINT(filters, CU_DIM(keys) / 2, "keys the 1000 filters take");
	cu_lookup_check("1000 filters on one mask and a catch-all", pool, &pm_passthrough_ops,
			CU_CLS_TSS, rules, NB + 1, NULL, 0, keys, want, CU_DIM(keys), SP_BURST);
	cu_lookup_check("1000 filters on one mask and a catch-all", pool, &pm_passthrough_ops,
			CU_CLS_FORCE_ACL, rules, NB + 1, NULL, 0, keys, want, CU_DIM(keys),
			SP_BURST);
	free(rules);
}

/* Filters whose keys pile into one run of buckets: up to 16 full buckets
 * in the tuple space, more in rte_acl, right either way. */
static void
test_bucket_runs_lookup(void)
{
	static const struct {
		uint32_t n;
		enum cu_cls cls;
	} runs[] = { { 120, CU_CLS_TSS }, { 200, CU_CLS_ACL } };
	struct dp_rule rules[200];
	struct dp_key keys[400];
	struct cu_outcome want[CU_DIM(keys)];

	cu_rnd_seed(0x2b);
	for (size_t c = 0; c < CU_DIM(runs); c++) {
		char ctx[64];

		/* One mask: exact bytes 0, 5, 9 and 13, any binding. */
		cu_rnd_generic_rules(rules, runs[c].n, true);
		for (uint32_t i = 0; i < runs[c].n; i++)
			rules[i].match.any_binding = true;
		for (uint32_t k = 0; k < CU_DIM(keys); k++) {
			const struct dp_match *m = k % 2 ? &rules[k / 2 % runs[c].n].match : NULL;

			keys[k] = cu_rnd_generic_key(m);
			want[k] = cu_lookup_ref(DP_KEY_GENERIC, rules, runs[c].n, NULL, 0,
						&keys[k]);
		}
		snprintf(ctx, sizeof(ctx), "%u filters in one bucket run", runs[c].n);
		dp_tss_hash_mask = 0;
		cu_lookup_check(ctx, pool, &pm_passthrough_ops, runs[c].cls, rules, runs[c].n,
				NULL, 0, keys, want, CU_DIM(keys), SP_BURST);
		dp_tss_hash_mask = UINT32_MAX;
	}
}

static const struct cu_case rule_suite[] = {
	CU_CASE(test_rule_from_generic),
	CU_CASE(test_rule_from_ipv4),
};

static const struct cu_case table_suite[] = {
	CU_CASE(test_empty),
	CU_CASE(test_limits),
	CU_CASE(test_random_tables),
	CU_CASE(test_bucket_runs),
};

static const struct cu_case lookup_suite[] = {
	CU_CASE(test_cases),
	CU_CASE(test_one_mask_and_catch_all),
	CU_CASE(test_bucket_runs_lookup),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("dataplane/tss: matches as masks", NULL, NULL, rule_suite),
	CU_SUITE("dataplane/tss: tables", tss_suite_init, tss_suite_clean, table_suite),
	CU_SUITE("dataplane/tss: behind dp_lookup_build", tss_suite_init, tss_suite_clean,
		 lookup_suite),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
