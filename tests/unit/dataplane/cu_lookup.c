/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "tests/unit/dataplane/cu_lookup.h"

#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dataplane/meta.h"
#include "tests/unit/cu_main.h"

#define CU_MAX_REPORTS 10       /* mismatches described per check */

const char *const cu_kind_names[] = { "filter", "route", "default of binding", "?" };
const char *const cu_cls_names[] = { "any classifier", "a tuple space", "an ACL",
				     "a forced ACL" };

uint32_t
cu_prefix_mask(uint8_t len)
{
	return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

struct dp_slice *
cu_lookup_table(const struct pm_ops *pm, uint32_t nb_filters, uint32_t nb_routes)
{
	struct dp_slice *t = dp_slice_alloc(5, pm, nb_filters, nb_routes, 0);

	if (t == NULL)
		return NULL;
	for (uint32_t i = 0; i < nb_filters; i++) {
		t->filters[i].action = (struct dp_action){ .type = DP_ACTION_FORWARD,
			.fwd.dst_port = rte_cpu_to_be_16(CU_FPORT(i)) };
		t->filters[i].stat = i;
	}
	for (uint32_t j = 0; j < nb_routes; j++)
		t->routes[j] = (struct dp_action){ .type = DP_ACTION_FORWARD,
			.fwd.dst_port = rte_cpu_to_be_16(CU_RPORT(j)) };
	for (uint32_t b = 0; b < CU_NB_BINDINGS; b++) {
		t->bindings[b].present = true;
		if (b != CU_NONE_BINDING)
			t->bindings[b].default_action = (struct dp_action){
				.type = DP_ACTION_FORWARD,
				.fwd.dst_port = rte_cpu_to_be_16(CU_DPORT(b)) };
	}
	return t;
}

struct cu_outcome
cu_lookup_decode(const struct dp_slice *t, const struct dp_action *a)
{
	uintptr_t p = (uintptr_t)a;

	if (t->nb_filters != 0 && p >= (uintptr_t)t->filters &&
	    p < (uintptr_t)(t->filters + t->nb_filters)) {
		uint32_t i = (uint32_t)((p - (uintptr_t)t->filters) / sizeof(*t->filters));

		if (a == &t->filters[i].action && a->type == DP_ACTION_FORWARD &&
		    a->fwd.dst_port == rte_cpu_to_be_16(CU_FPORT(i)))
			return (struct cu_outcome){ CU_FILTER, i };
	}
	for (uint32_t j = 0; j < t->nb_routes; j++)
		if (a == &t->routes[j] && a->fwd.dst_port == rte_cpu_to_be_16(CU_RPORT(j)))
			return (struct cu_outcome){ CU_ROUTE, j };
	for (uint32_t b = 0; b < CU_NB_BINDINGS; b++)
		if (a == &t->bindings[b].default_action &&
		    (b == CU_NONE_BINDING ? a->type == DP_ACTION_NONE :
		     a->fwd.dst_port == rte_cpu_to_be_16(CU_DPORT(b))))
			return (struct cu_outcome){ CU_DEFAULT, b };
	return (struct cu_outcome){ CU_BAD, 0 };
}

struct dp_lcore_stats *
cu_lookup_stats(uint32_t nb_filters)
{
	struct dp_lcore_stats *st = rte_zmalloc("ut_stats", sizeof(*st), RTE_CACHE_LINE_SIZE);

	if (st == NULL)
		return NULL;
	st->filter_hits = rte_zmalloc("ut_hits", sizeof(uint64_t) * (nb_filters + 1), 0);
	if (st->filter_hits == NULL) {
		rte_free(st);
		return NULL;
	}
	return st;
}

void
cu_lookup_stats_free(struct dp_lcore_stats *st)
{
	if (st != NULL)
		rte_free(st->filter_hits);
	rte_free(st);
}

int
cu_lookup_build(const char *ctx, struct dp_slice *t, enum dp_key_layout layout,
		enum cu_cls cls, const struct dp_rule *rules, uint32_t nb_rules,
		const struct dp_route *routes, uint32_t nb_routes)
{
	bool tss;
	int rc;

	dp_lookup_force_acl = cls == CU_CLS_FORCE_ACL;
	rc = dp_lookup_build(t, layout, rules, nb_rules, routes, nb_routes);
	dp_lookup_force_acl = false;
	if (rc != 0 || nb_rules == 0)
		return rc;
	tss = t->tss != NULL;
	CU_EXPECT(tss != (t->acl != NULL), "%s: %s tuple space and %s ACL", ctx,
		  tss ? "a" : "no", t->acl != NULL ? "an" : "no");
	CU_EXPECT(cls == CU_CLS_ANY || tss == (cls == CU_CLS_TSS), "%s: built %s, expected %s",
		  ctx, tss ? "a tuple space" : "an ACL", cu_cls_names[cls]);
	return rc;
}

int
cu_lookup_burst(struct rte_mempool *mp, const struct dp_slice *t, const struct dp_key *keys,
		uint16_t n, struct cu_outcome *out, struct dp_lcore_stats *st)
{
	struct rte_mbuf *pkts[SP_BURST];
	const struct dp_action *acts[SP_BURST];

	if (n > SP_BURST || rte_pktmbuf_alloc_bulk(mp, pkts, n) != 0)
		return -1;
	for (uint16_t i = 0; i < n; i++) {
		dp_meta(pkts[i])->binding = (uint16_t)rte_be_to_cpu_32(keys[i].binding);
		acts[i] = NULL;
	}
	dp_lookup_burst(t, pkts, keys, n, acts, st);
	for (uint16_t i = 0; i < n; i++)
		out[i] = acts[i] != NULL ? cu_lookup_decode(t, acts[i]) :
			 (struct cu_outcome){ CU_BAD, 0 };
	rte_pktmbuf_free_bulk(pkts, n);
	return 0;
}

void
cu_lookup_check(const char *ctx, struct rte_mempool *mp, const struct pm_ops *pm,
		enum cu_cls cls, const struct dp_rule *rules, uint32_t nb_rules,
		const struct dp_route *routes, uint32_t nb_routes,
		const struct dp_key *keys, const struct cu_outcome *want, uint32_t nk,
		uint16_t burst)
{
	struct dp_slice *t = cu_lookup_table(pm, nb_rules, nb_routes);
	struct dp_lcore_stats *st = cu_lookup_stats(nb_rules);
	uint64_t *hits = calloc(nb_rules + 1, sizeof(*hits));
	uint32_t bad = 0, bad_hits = 0;
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(hits);
	rc = cu_lookup_build(ctx, t, pm->key_layout, cls, rules, nb_rules, routes, nb_routes);
	CU_EXPECT(rc == 0, "%s: dp_lookup_build: %d (%s)", ctx, rc, strerror(-rc));
	for (uint32_t at = 0; rc == 0 && at < nk; at += burst) {
		uint16_t n = (uint16_t)RTE_MIN((uint32_t)burst, nk - at);
		struct cu_outcome got[SP_BURST];

		CU_ASSERT_FATAL(cu_lookup_burst(mp, t, &keys[at], n, got, st) == 0);
		for (uint16_t i = 0; i < n; i++) {
			struct cu_outcome w = want[at + i];

			if (w.kind == CU_FILTER)
				hits[w.idx]++;
			if (got[i].kind == w.kind && got[i].idx == w.idx)
				continue;
			if (bad++ < CU_MAX_REPORTS)
				CU_EXPECT(false, "%s: key %u: got %s %u, expected %s %u", ctx,
					  at + i, cu_kind_names[got[i].kind], got[i].idx,
					  cu_kind_names[w.kind], w.idx);
		}
	}
	CU_EXPECT(bad == 0, "%s: %u of %u keys got the wrong action", ctx, bad, nk);
	for (uint32_t i = 0; rc == 0 && i < nb_rules; i++)
		if (st->filter_hits[i] != hits[i] && bad_hits++ < CU_MAX_REPORTS)
			CU_EXPECT(false, "%s: filter_hits[%u] is %lu, expected %lu", ctx, i,
				  (unsigned long)st->filter_hits[i], (unsigned long)hits[i]);
	CU_EXPECT(bad_hits == 0, "%s: %u hit counters wrong", ctx, bad_hits);
	dp_lookup_free(t);
	dp_slice_free(t);
	cu_lookup_stats_free(st);
	free(hits);
}

/* Whether match m takes key k. */
static bool
cu_ref_match(enum dp_key_layout layout, const struct dp_match *m, const struct dp_key *k)
{
	uint16_t sp = rte_be_to_cpu_16(k->ipv4.sport), dp = rte_be_to_cpu_16(k->ipv4.dport);

	if (!m->any_binding && m->binding != rte_be_to_cpu_32(k->binding))
		return false;
	if (layout == DP_KEY_GENERIC) {
		for (unsigned int b = 0; b < DP_KEY_BYTES; b++) {
			uint8_t kb = b == 0 ? k->b0 : k->bytes[b - 1];

			if ((kb ^ m->generic.key[b]) & m->generic.mask[b])
				return false;
		}
		return true;
	}
	return (m->ipv4.any_proto || m->ipv4.proto == k->b0) &&
	       !((rte_be_to_cpu_32(k->ipv4.src) ^ m->ipv4.src) &
		 cu_prefix_mask(m->ipv4.src_len)) &&
	       !((rte_be_to_cpu_32(k->ipv4.dst) ^ m->ipv4.dst) &
		 cu_prefix_mask(m->ipv4.dst_len)) &&
	       sp >= m->ipv4.sport_lo && sp <= m->ipv4.sport_hi &&
	       dp >= m->ipv4.dport_lo && dp <= m->ipv4.dport_hi;
}

struct cu_outcome
cu_lookup_ref(enum dp_key_layout layout, const struct dp_rule *rules, uint32_t nb_rules,
	      const struct dp_route *routes, uint32_t nb_routes, const struct dp_key *k)
{
	const struct dp_rule *best = NULL;
	int route = -1;

	for (uint32_t i = 0; i < nb_rules; i++)
		if (cu_ref_match(layout, &rules[i].match, k) &&
		    (best == NULL || rules[i].priority < best->priority ||
		     (rules[i].priority == best->priority && rules[i].id < best->id)))
			best = &rules[i];
	if (best != NULL)
		return (struct cu_outcome){ CU_FILTER, (uint32_t)(best - rules) };
	for (uint32_t j = 0; j < nb_routes; j++)
		if (!((rte_be_to_cpu_32(k->ipv4.dst) ^ routes[j].prefix) &
		      cu_prefix_mask(routes[j].len)) &&
		    (route < 0 || routes[j].len > routes[route].len))
			route = (int)j;
	if (route >= 0)
		return (struct cu_outcome){ CU_ROUTE, (uint32_t)route };
	return (struct cu_outcome){ CU_DEFAULT, rte_be_to_cpu_32(k->binding) };
}

struct dp_key
cu_key_ipv4(uint32_t binding, uint8_t proto, uint32_t src, uint32_t dst, uint16_t sport,
	    uint16_t dport)
{
	struct dp_key k;

	memset(&k, 0, sizeof(k));
	k.b0 = proto;
	k.binding = rte_cpu_to_be_32(binding);
	k.ipv4.src = rte_cpu_to_be_32(src);
	k.ipv4.dst = rte_cpu_to_be_32(dst);
	k.ipv4.sport = rte_cpu_to_be_16(sport);
	k.ipv4.dport = rte_cpu_to_be_16(dport);
	return k;
}

struct dp_key
cu_key_generic(uint32_t binding, const uint8_t bytes[DP_KEY_BYTES])
{
	struct dp_key k;

	memset(&k, 0, sizeof(k));
	k.binding = rte_cpu_to_be_32(binding);
	k.b0 = bytes[0];
	memcpy(k.bytes, bytes + 1, DP_KEY_BYTES - 1);
	return k;
}

static uint64_t cu_rnd_state = 1;

void
cu_rnd_seed(uint64_t seed)
{
	cu_rnd_state = seed != 0 ? seed : 1;
}

uint32_t
cu_rnd(void)
{
	cu_rnd_state ^= cu_rnd_state >> 12;
	cu_rnd_state ^= cu_rnd_state << 25;
	cu_rnd_state ^= cu_rnd_state >> 27;
	return (uint32_t)((cu_rnd_state * 0x2545F4914F6CDD1DULL) >> 32);
}

uint32_t
cu_rnd_below(uint32_t n)
{
	return (uint32_t)(((uint64_t)cu_rnd() * n) >> 32);
}

static const uint8_t cu_rnd_protos[] = { 6, 17, 1, 0, 47 };

/* A port range: any if a draw below 4 is under any_in_4, else one port
 * or a span. */
static void
cu_rnd_range(uint16_t *lo, uint16_t *hi, unsigned int any_in_4)
{
	static const uint16_t spans[][2] = { { 0, 1023 }, { 1024, 65535 }, { 5000, 5099 },
					     { 0, 0 }, { 65535, 65535 } };
	uint32_t r = cu_rnd_below(8);

	if (cu_rnd_below(4) < any_in_4) {
		*lo = 0;
		*hi = 65535;
	} else if (r < 5) {
		*lo = spans[r][0];
		*hi = spans[r][1];
	} else {
		*lo = *hi = (uint16_t)(r == 5 ? 80 : cu_rnd());
	}
}

void
cu_rnd_ipv4_rules(struct dp_rule *rules, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct dp_match *m = &rules[i].match;

		if (i > 0 && cu_rnd_below(10) == 0) {
			*m = rules[cu_rnd_below(i)].match;
		} else {
			memset(m, 0, sizeof(*m));
			m->ipv4.src = cu_rnd_below(3) == 0 ? 0 : cu_rnd();
			m->ipv4.dst = cu_rnd();
			m->any_binding = cu_rnd_below(2) == 0;
			m->binding = m->any_binding ? 0 : (uint8_t)cu_rnd_below(CU_NB_BINDINGS);
			m->ipv4.any_proto = cu_rnd_below(2) == 0;
			m->ipv4.proto = m->ipv4.any_proto ? 0 : cu_rnd_protos[cu_rnd_below(3)];
		}
		m->ipv4.src_len = m->ipv4.src == 0 ? 0 : (uint8_t)(8 + cu_rnd_below(25));
		m->ipv4.dst_len = (uint8_t)(cu_rnd_below(8) == 0 ? cu_rnd_below(33) :
					    16 + cu_rnd_below(17));
		m->ipv4.src &= cu_prefix_mask(m->ipv4.src_len);
		m->ipv4.dst &= cu_prefix_mask(m->ipv4.dst_len);
		cu_rnd_range(&m->ipv4.sport_lo, &m->ipv4.sport_hi, 3);
		cu_rnd_range(&m->ipv4.dport_lo, &m->ipv4.dport_hi, 2);
		rules[i].priority = cu_rnd_below(64);
		rules[i].id = (i * 7919u) % n;
	}
}

void
cu_rnd_ipv4_wild_rules(struct dp_rule *rules, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct dp_match *m = &rules[i].match;

		rules[i] = (struct dp_rule){ .priority = i, .id = i, .match.any_binding = true };
		m->ipv4.any_proto = true;
		m->ipv4.src_len = (uint8_t)cu_rnd_below(33);
		m->ipv4.src = cu_rnd() & cu_prefix_mask(m->ipv4.src_len);
		m->ipv4.dst_len = (uint8_t)cu_rnd_below(33);
		m->ipv4.dst = cu_rnd() & cu_prefix_mask(m->ipv4.dst_len);
		m->ipv4.sport_lo = (uint16_t)cu_rnd();
		m->ipv4.sport_hi = (uint16_t)(m->ipv4.sport_lo +
					      cu_rnd_below(65536u - m->ipv4.sport_lo));
		m->ipv4.dport_lo = (uint16_t)cu_rnd();
		m->ipv4.dport_hi = (uint16_t)(m->ipv4.dport_lo +
					      cu_rnd_below(65536u - m->ipv4.dport_lo));
	}
}

/* A port range of 'size' ports (0: all of them) aligned on its size. */
static void
cu_rnd_block(uint16_t *lo, uint16_t *hi, uint32_t size)
{
	if (size == 0) {
		*lo = 0;
		*hi = 65535;
		return;
	}
	*lo = size == 1 && cu_rnd_below(4) == 0 ? 80 : (uint16_t)(cu_rnd() & ~(size - 1));
	*hi = (uint16_t)(*lo + size - 1);
}

void
cu_rnd_ipv4_mask_rules(struct dp_rule *rules, uint32_t n)
{
	static const struct {
		bool any_binding, any_proto;
		uint8_t src_len, dst_len;
		uint32_t sports, dports;        /* block sizes, 0: all ports */
	} shapes[] = {
		{ true, true, 0, 24, 0, 0 },
		{ true, false, 0, 16, 0, 1 },
		{ false, false, 16, 32, 0, 1 },
		{ true, true, 8, 0, 0, 0 },
		{ false, true, 0, 20, 0, 1024 },
		{ true, false, 24, 24, 1, 1 },
		{ false, false, 0, 0, 0, 1 },
		{ true, true, 32, 8, 0, 256 },
	};

	for (uint32_t i = 0; i < n; i++) {
		struct dp_match *m = &rules[i].match;

		if (i > 0 && cu_rnd_below(10) == 0) {
			*m = rules[cu_rnd_below(i)].match;
		} else {
			unsigned int k = cu_rnd_below(CU_DIM(shapes));

			memset(m, 0, sizeof(*m));
			m->any_binding = shapes[k].any_binding;
			m->binding = m->any_binding ? 0 : (uint8_t)cu_rnd_below(CU_NB_BINDINGS);
			m->ipv4.any_proto = shapes[k].any_proto;
			m->ipv4.proto = m->ipv4.any_proto ? 0 : cu_rnd_protos[cu_rnd_below(3)];
			m->ipv4.src_len = shapes[k].src_len;
			m->ipv4.src = cu_rnd() & cu_prefix_mask(m->ipv4.src_len);
			m->ipv4.dst_len = shapes[k].dst_len;
			m->ipv4.dst = cu_rnd() & cu_prefix_mask(m->ipv4.dst_len);
			cu_rnd_block(&m->ipv4.sport_lo, &m->ipv4.sport_hi, shapes[k].sports);
			cu_rnd_block(&m->ipv4.dport_lo, &m->ipv4.dport_hi, shapes[k].dports);
		}
		rules[i].priority = cu_rnd_below(64);
		rules[i].id = (i * 7919u) % n;
	}
}

/* A value in [lo, hi], an end of it half the time. */
static uint16_t
cu_rnd_in(uint16_t lo, uint16_t hi)
{
	uint32_t r = cu_rnd_below(4);

	return r == 0 ? lo : r == 1 ? hi : (uint16_t)(lo + cu_rnd_below(hi - lo + 1u));
}

struct dp_key
cu_rnd_ipv4_key(const struct dp_match *m, const struct dp_route *r)
{
	uint32_t smask = m != NULL ? cu_prefix_mask(m->ipv4.src_len) : 0;
	uint32_t dmask = cu_prefix_mask(m != NULL ? m->ipv4.dst_len : r != NULL ? r->len : 0);
	uint32_t dst = (m != NULL ? m->ipv4.dst : r != NULL ? r->prefix : 0) | (cu_rnd() & ~dmask);
	uint32_t src = (m != NULL ? m->ipv4.src : 0) | (cu_rnd() & ~smask);
	struct dp_key k = cu_key_ipv4(cu_rnd_below(CU_NB_BINDINGS), cu_rnd_protos[cu_rnd_below(5)],
				      src, dst, (uint16_t)cu_rnd(), (uint16_t)cu_rnd());

	if (m == NULL)
		return k;
	if (!m->any_binding)
		k.binding = rte_cpu_to_be_32(m->binding);
	if (!m->ipv4.any_proto)
		k.b0 = m->ipv4.proto;
	k.ipv4.sport = rte_cpu_to_be_16(cu_rnd_in(m->ipv4.sport_lo, m->ipv4.sport_hi));
	k.ipv4.dport = rte_cpu_to_be_16(cu_rnd_in(m->ipv4.dport_lo, m->ipv4.dport_hi));
	switch (cu_rnd_below(12)) {
	case 0:
		k.ipv4.src ^= rte_cpu_to_be_32(1u << cu_rnd_below(32));
		break;
	case 1:
		k.ipv4.dst ^= rte_cpu_to_be_32(1u << cu_rnd_below(32));
		break;
	case 2:
		k.ipv4.dport = rte_cpu_to_be_16((uint16_t)(m->ipv4.dport_hi + 1));
		break;
	}
	return k;
}

/* A byte of a generic key: often 0x00, 0x01, 0x80 or 0xff. */
static uint8_t
cu_rnd_gbyte(void)
{
	static const uint8_t bytes[] = { 0x00, 0x01, 0xff, 0x80 };

	return cu_rnd_below(4) == 0 ? (uint8_t)cu_rnd() : bytes[cu_rnd_below(CU_DIM(bytes))];
}

void
cu_rnd_generic_rules(struct dp_rule *rules, uint32_t n, bool fixed)
{
	for (uint32_t i = 0; i < n; i++) {
		struct dp_match *m = &rules[i].match;
		unsigned int set = 0;

		memset(&rules[i], 0, sizeof(rules[i]));
		rules[i].priority = cu_rnd_below(32);
		rules[i].id = n - i;
		m->any_binding = cu_rnd_below(2) == 0;
		m->binding = m->any_binding ? 0 : (uint8_t)cu_rnd_below(CU_NB_BINDINGS);
		while (set < 4) {
			unsigned int b = fixed ? (set == 0 ? 0 : 1 + 4 * set) :
				cu_rnd_below(DP_KEY_BYTES);

			if (m->generic.mask[b] != 0)
				continue;
			m->generic.mask[b] = set++ == 0 && !fixed ? (uint8_t)(cu_rnd() | 0x81) :
					     0xff;
		}
		for (unsigned int b = 0; b < DP_KEY_BYTES; b++)
			m->generic.key[b] = cu_rnd_gbyte();
	}
}

/* A random mask: the binding or any, and four of bytes 0, 1, 5, 9 and 13
 * (one in each ACL field, or rte_acl takes far fewer filters), the first
 * of them partial one time in four. */
static void
cu_rnd_generic_mask(struct dp_match *m)
{
	static const uint8_t at[] = { 0, 1, 5, 9, 13 };
	unsigned int skip = cu_rnd_below(CU_DIM(at));

	memset(m, 0, sizeof(*m));
	m->any_binding = cu_rnd_below(2) == 0;
	for (unsigned int k = 0; k < CU_DIM(at); k++)
		if (k != skip)
			m->generic.mask[at[k]] = 0xff;
	if (cu_rnd_below(4) == 0)
		m->generic.mask[at[(skip + 1) % CU_DIM(at)]] = (uint8_t)(cu_rnd() | 0x81);
}

/* Whether matches x and y have the same mask. */
static bool
cu_same_mask(const struct dp_match *x, const struct dp_match *y)
{
	return x->any_binding == y->any_binding &&
	       memcmp(x->generic.mask, y->generic.mask, DP_KEY_BYTES) == 0;
}

void
cu_rnd_generic_mask_rules(struct dp_rule *rules, uint32_t n, unsigned int nb_masks)
{
	struct dp_match masks[CU_MAX_MASKS];

	for (unsigned int k = 0; k < nb_masks; k++) {
		bool dup;

		do {
			cu_rnd_generic_mask(&masks[k]);
			dup = false;
			for (unsigned int j = 0; j < k; j++)
				dup |= cu_same_mask(&masks[j], &masks[k]);
		} while (dup);
	}
	for (uint32_t i = 0; i < n; i++) {
		struct dp_match *m = &rules[i].match;

		if (i >= nb_masks && cu_rnd_below(10) == 0) {
			/* The same masked key, other bits under the zero mask. */
			*m = rules[cu_rnd_below(i)].match;
			for (unsigned int b = 0; b < DP_KEY_BYTES; b++)
				m->generic.key[b] ^= (uint8_t)(cu_rnd() & ~m->generic.mask[b]);
		} else {
			*m = masks[i < nb_masks ? i : cu_rnd_below(nb_masks)];
			m->binding = m->any_binding ? 0 : (uint8_t)cu_rnd_below(CU_NB_BINDINGS);
			for (unsigned int b = 0; b < DP_KEY_BYTES; b++)
				m->generic.key[b] = cu_rnd_gbyte();
		}
		rules[i].priority = cu_rnd_below(32);
		rules[i].id = (i * 7919u) % n;
	}
}

struct dp_key
cu_rnd_generic_key(const struct dp_match *m)
{
	uint8_t b[DP_KEY_BYTES];
	uint32_t bit = cu_rnd_below(8 * DP_KEY_BYTES);

	for (unsigned int i = 0; i < DP_KEY_BYTES; i++)
		b[i] = m == NULL ? cu_rnd_gbyte() :
		       (uint8_t)((m->generic.key[i] & m->generic.mask[i]) |
				 (cu_rnd() & ~m->generic.mask[i]));
	if (m != NULL && cu_rnd_below(4) == 0)
		b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	return cu_key_generic(m != NULL && !m->any_binding ? m->binding :
			      cu_rnd_below(CU_NB_BINDINGS), b);
}
