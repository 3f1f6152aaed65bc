/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/lookup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_acl.h>
#include <rte_fib.h>
#include <rte_malloc.h>

#include "dataplane/meta.h"
#include "dataplane/tables.h"
#include "dataplane/tss.h"

#define DP_ACL_FIELDS 6

/* What one slice's filter classifier, either kind, may take at run time:
 * a slice's filter set can only grow its own classifier, never eat the
 * memory every slice shares. */
#define DP_FILTER_MEM_BASE (1u << 20)
#define DP_FILTER_MEM_PER_RULE (8u << 10)

bool dp_lookup_force_acl;

/* ACL field layouts over struct dp_key; see dataplane/lookup.h. */
#define DP_FIELD(type_, size_, idx, input, member) \
	{ .type = RTE_ACL_FIELD_TYPE_##type_, .size = (size_), .field_index = (idx), \
	  .input_index = (input), .offset = offsetof(struct dp_key, member) }

static const struct rte_acl_field_def dp_acl_ipv4[DP_ACL_FIELDS] = {
	DP_FIELD(BITMASK, 1, 0, 0, b0),
	DP_FIELD(BITMASK, 4, 1, 1, binding),
	DP_FIELD(MASK, 4, 2, 2, ipv4.src),
	DP_FIELD(MASK, 4, 3, 3, ipv4.dst),
	DP_FIELD(RANGE, 2, 4, 4, ipv4.sport),
	DP_FIELD(RANGE, 2, 5, 4, ipv4.dport),
};

static const struct rte_acl_field_def dp_acl_generic[DP_ACL_FIELDS] = {
	DP_FIELD(BITMASK, 1, 0, 0, b0),
	DP_FIELD(BITMASK, 4, 1, 1, binding),
	DP_FIELD(BITMASK, 4, 2, 2, bytes[0]),
	DP_FIELD(BITMASK, 4, 3, 3, bytes[4]),
	DP_FIELD(BITMASK, 4, 4, 4, bytes[8]),
	DP_FIELD(BITMASK, 4, 5, 5, bytes[12]),
};

RTE_ACL_RULE_DEF(dp_acl_rule, DP_ACL_FIELDS);

/* Big-endian bytes p[0..3] as a host-order word (zero past 'avail'). */
static uint32_t
dp_be_word(const uint8_t *p, unsigned int avail)
{
	uint32_t w = 0;

	for (unsigned int i = 0; i < 4; i++)
		w = (w << 8) | (i < avail ? p[i] : 0);
	return w;
}

/* Fills an ACL rule's fields from a match. */
static void
dp_acl_rule_fill(struct dp_acl_rule *r, enum dp_key_layout layout,
		 const struct dp_match *m)
{
	struct rte_acl_field *f = r->field;

	f[1].value.u32 = m->binding;
	f[1].mask_range.u32 = m->any_binding ? 0 : UINT32_MAX;
	if (layout == DP_KEY_IPV4) {
		f[0].value.u8 = m->ipv4.proto;
		f[0].mask_range.u8 = m->ipv4.any_proto ? 0 : UINT8_MAX;
		f[2].value.u32 = m->ipv4.src;
		f[2].mask_range.u32 = m->ipv4.src_len;
		f[3].value.u32 = m->ipv4.dst;
		f[3].mask_range.u32 = m->ipv4.dst_len;
		f[4].value.u16 = m->ipv4.sport_lo;
		f[4].mask_range.u16 = m->ipv4.sport_hi;
		f[5].value.u16 = m->ipv4.dport_lo;
		f[5].mask_range.u16 = m->ipv4.dport_hi;
		return;
	}
	f[0].value.u8 = m->generic.key[0];
	f[0].mask_range.u8 = m->generic.mask[0];
	for (unsigned int w = 0; w < 4; w++) {
		unsigned int at = 1 + 4 * w;

		f[2 + w].value.u32 = dp_be_word(&m->generic.key[at], DP_KEY_BYTES - at);
		f[2 + w].mask_range.u32 = dp_be_word(&m->generic.mask[at], DP_KEY_BYTES - at);
	}
}

/* Orders rule indices as a TCAM does: lower priority, then lower id. */
static int
dp_rule_rank_cmp(const void *a, const void *b, void *arg)
{
	const struct dp_rule *rules = arg;
	const struct dp_rule *x = &rules[*(const uint32_t *)a];
	const struct dp_rule *y = &rules[*(const uint32_t *)b];

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Builds t->acl from rules[order[0..n)], best first, within max_bytes. */
static int
dp_acl_build(struct dp_slice *t, enum dp_key_layout layout, const struct dp_rule *rules,
	     const uint32_t *order, uint32_t n, size_t max_bytes)
{
	static unsigned int generation;
	char name[RTE_ACL_NAMESIZE];
	struct rte_acl_param param = {
		.name = name,
		.socket_id = SOCKET_ID_ANY,
		.rule_size = RTE_ACL_RULE_SZ(DP_ACL_FIELDS),
		.max_rule_num = n,
	};
	struct rte_acl_config cfg = {
		.num_categories = 1,
		.num_fields = DP_ACL_FIELDS,
		.max_size = max_bytes,
	};
	struct dp_acl_rule *acl_rules = calloc(n, sizeof(*acl_rules));
	int rc = -ENOMEM;

	if (acl_rules == NULL)
		goto out;
	/* rte_acl: the highest priority value wins, so rank 0 gets n. */
	for (uint32_t rank = 0; rank < n; rank++) {
		struct dp_acl_rule *r = &acl_rules[rank];
		uint32_t i = order[rank];

		r->data.category_mask = 1;
		r->data.priority = (int32_t)(n - rank);
		r->data.userdata = i + 1;
		dp_acl_rule_fill(r, layout, &rules[i].match);
	}
	memcpy(cfg.defs, layout == DP_KEY_IPV4 ? dp_acl_ipv4 : dp_acl_generic,
	       sizeof(dp_acl_ipv4));

	snprintf(name, sizeof(name), "acl_%u", generation++);
	t->acl = rte_acl_create(&param);
	if (t->acl == NULL)
		goto out;
	rc = rte_acl_add_rules(t->acl, (const struct rte_acl_rule *)acl_rules, n);
	if (rc == 0) {
		rc = rte_acl_build(t->acl, &cfg);
		/* Rules too complex for the cap fail as -ERANGE, or as -ENOMEM
		 * once the builder runs out of tries to split them into: both
		 * mean these rules do not fit this slice's classifier. */
		if (rc == -ENOMEM)
			rc = -ERANGE;
	}
out:
	free(acl_rules);
	return rc;
}

/* Builds t->tss from rules[order[0..n)], best first, within max_bytes.
 * Returns 0, -ENOTSUP or -ERANGE if the rules do not suit a tuple space,
 * or -ENOMEM. */
static int
dp_lookup_tss_build(struct dp_slice *t, enum dp_key_layout layout,
		    const struct dp_rule *rules, const uint32_t *order, uint32_t n,
		    size_t max_bytes)
{
	struct dp_tss_rule *tss_rules = calloc(n, sizeof(*tss_rules));
	int rc;

	if (tss_rules == NULL)
		return -ENOMEM;
	for (uint32_t rank = 0; rank < n; rank++) {
		if (!dp_tss_rule_from_match(&tss_rules[rank], layout, &rules[order[rank]].match)) {
			free(tss_rules);
			return -ENOTSUP;
		}
		tss_rules[rank].result = order[rank] + 1;
	}
	t->tss = dp_tss_build(tss_rules, n, max_bytes);
	rc = t->tss != NULL ? 0 : -errno;
	free(tss_rules);
	return rc;
}

/*
 * Builds the filter classifier: a tuple space if the rules suit one
 * (dataplane/tss.h), which costs at most a hash probe per mask and key,
 * else rte_acl, which takes port ranges and any number of masks.  Both
 * rank the rules as a TCAM does and return filter index + 1.
 */
static int
dp_filters_build(struct dp_slice *t, enum dp_key_layout layout,
		 const struct dp_rule *rules, uint32_t n)
{
	size_t max_bytes = DP_FILTER_MEM_BASE + (size_t)DP_FILTER_MEM_PER_RULE * n;
	uint32_t *order = calloc(n, sizeof(*order));
	int rc = 0;

	if (order == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), dp_rule_rank_cmp, (void *)(uintptr_t)rules);
	if (!dp_lookup_force_acl)
		rc = dp_lookup_tss_build(t, layout, rules, order, n, max_bytes);
	if (dp_lookup_force_acl || rc == -ENOTSUP || rc == -ERANGE)
		rc = dp_acl_build(t, layout, rules, order, n, max_bytes);
	free(order);
	return rc;
}

/* Builds t->fib from the routes. */
static int
dp_fib_build(struct dp_slice *t, const struct dp_route *routes, uint32_t n)
{
	static unsigned int generation;
	char name[32];
	struct rte_fib_conf conf = {
		/* A RIB-backed FIB grows with the routes; DIR24_8 would take
		 * 64 MB per slice whatever its size. */
		.type = RTE_FIB_DUMMY,
		.default_nh = 0,
		.max_routes = (int)n,
	};

	snprintf(name, sizeof(name), "fib_%u", generation++);
	t->fib = rte_fib_create(name, SOCKET_ID_ANY, &conf);
	if (t->fib == NULL)
		return -ENOMEM;
	for (uint32_t j = 0; j < n; j++) {
		int rc = rte_fib_add(t->fib, routes[j].prefix, routes[j].len, j + 1);

		if (rc != 0)
			return rc;
	}
	return 0;
}

int
dp_lookup_build(struct dp_slice *t, enum dp_key_layout layout,
		const struct dp_rule *rules, uint32_t nb_rules,
		const struct dp_route *routes, uint32_t nb_routes)
{
	int rc = 0;

	if (nb_rules != 0)
		rc = dp_filters_build(t, layout, rules, nb_rules);
	if (rc == 0 && nb_routes != 0)
		rc = dp_fib_build(t, routes, nb_routes);
	if (rc != 0)
		dp_lookup_free(t);
	return rc;
}

void
dp_lookup_free(struct dp_slice *t)
{
	dp_tss_free(t->tss);
	t->tss = NULL;
	rte_acl_free(t->acl);
	t->acl = NULL;
	rte_fib_free(t->fib);
	t->fib = NULL;
}

void
dp_lookup_burst(const struct dp_slice *s, struct rte_mbuf **pkts,
		const struct dp_key *keys, uint16_t n,
		const struct dp_action **acts, struct dp_lcore_stats *st)
{
	const uint8_t *data[SP_BURST];
	uint32_t results[SP_BURST];
	uint32_t dst[SP_BURST];
	uint64_t nh[SP_BURST];
	uint16_t miss[SP_BURST];
	uint16_t nb_miss = 0;
	uint64_t hits = 0;

	if (s->tss != NULL) {
		dp_tss_lookup_burst(s->tss, keys, n, results);
	} else if (s->acl != NULL) {
		for (uint16_t i = 0; i < n; i++)
			data[i] = (const uint8_t *)&keys[i];
		rte_acl_classify(s->acl, data, results, n, 1);
	} else {
		memset(results, 0, sizeof(*results) * n);
	}
	for (uint16_t i = 0; i < n; i++) {
		if (results[i] != 0) {
			const struct dp_filter *f = &s->filters[results[i] - 1];

			acts[i] = &f->action;
			/* Once per run of hits on one filter: back-to-back
			 * increments of one counter wait on each other. */
			hits++;
			if (i + 1 == n || results[i + 1] != results[i]) {
				dp_count(&st->filter_hits[f->stat], hits);
				hits = 0;
			}
			continue;
		}
		acts[i] = &s->bindings[dp_meta(pkts[i])->binding].default_action;
		if (s->fib != NULL) {
			dst[nb_miss] = rte_be_to_cpu_32(keys[i].ipv4.dst);
			miss[nb_miss++] = i;
		}
	}
	if (nb_miss == 0)
		return;
	rte_fib_lookup_bulk(s->fib, dst, nh, nb_miss);
	for (uint16_t k = 0; k < nb_miss; k++)
		if (nh[k] != 0)
			acts[miss[k]] = &s->routes[nh[k] - 1];
}
