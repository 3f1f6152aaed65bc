/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests of control/slice_config.c: a slice's configuration as its
 * owner gave it, its sorted filter and route arrays, deep copies and the
 * JSON paths that name its elements in errors.
 */

#include "control/slice_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/cu_main.h"

#define MAX_IDS 200

/* Filter 'id' as these tests make it: every field derived from the id. */
static void
filter_fill(struct filter_config *f, uint32_t id)
{
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->priority = id * 3 + 1;
	f->given = MATCH_DST | MATCH_PROTOCOL;
	f->match.ipv4.dst = id ^ 0x0a000000;
	f->match.ipv4.dst_len = 32;
	f->match.ipv4.proto = (uint8_t)id;
	f->action.type = DP_ACTION_FORWARD;
	f->action.binding = (uint16_t)(id % SP_MAX_BINDINGS_PER_SLICE);
	f->action.peer.ip = id;
	f->action.peer.port = (uint16_t)(id | 1);
	f->stat = id + 100;
	f->doc = (int)(id % 7);
}

static void
route_fill(struct route_config *r, uint32_t id)
{
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->prefix = id << 8;
	r->len = 24;
	r->action.type = DP_ACTION_FORWARD;
	r->action.binding = (uint16_t)(id % 5);
	r->doc = (int)(id % 5);
}

static int
add_filter(struct slice_config *c, uint32_t id)
{
	struct filter_config f;

	filter_fill(&f, id);
	return slice_config_add_filter(c, &f);
}

static int
add_route(struct slice_config *c, uint32_t id)
{
	struct route_config r;

	route_fill(&r, id);
	return slice_config_add_route(c, &r);
}

/* Whether c's filters (routes) are exactly ids[0..n), in that order, each
 * as filter_fill() makes it. */
static bool
filters_are(const struct slice_config *c, const uint32_t *ids, uint32_t n)
{
	struct filter_config f;

	if (c->nb_filters != n)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		filter_fill(&f, ids[i]);
		if (memcmp(&c->filters[i], &f, sizeof(f)) != 0)
			return false;
	}
	return true;
}

static bool
routes_are(const struct slice_config *c, const uint32_t *ids, uint32_t n)
{
	struct route_config r;

	if (c->nb_routes != n)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		route_fill(&r, ids[i]);
		if (memcmp(&c->routes[i], &r, sizeof(r)) != 0)
			return false;
	}
	return true;
}

/* Shuffles a[0..n) with a fixed-seed LCG, so runs are repeatable. */
static void
shuffle(uint32_t *a, uint32_t n, uint32_t seed)
{
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j, t;

		seed = seed * 1103515245u + 12345u;
		j = (seed >> 8) % i;
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

static void
test_new_free(void)
{
	struct slice_config *c = slice_config_new();
	unsigned int present = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (unsigned int b = 0; b < SP_MAX_BINDINGS_PER_SLICE; b++)
		present += c->present[b];
	CU_EXPECT_UINT(present, 0, "bindings of a new configuration");
	CU_EXPECT_UINT(c->nb_filters, 0, "filters");
	CU_EXPECT_UINT(c->nb_routes, 0, "routes");
	CU_EXPECT_INT(slice_config_filter(c, 0), -1, "find filter 0");
	CU_EXPECT_INT(slice_config_route(c, UINT32_MAX), -1, "find route UINT32_MAX");
	CU_EXPECT_UINT(slice_config_free_filter_id(c), 0, "free filter id");
	CU_EXPECT_UINT(slice_config_free_route_id(c), 0, "free route id");
	slice_config_free(c);
	slice_config_free(NULL);
}

/* Adding in any order keeps both arrays sorted by id. */
static void
test_add_sorted(void)
{
	static const struct {
		const char *name;
		uint32_t ids[8];
		uint32_t n;
	} cases[] = {
		{ "ascending", { 0, 1, 2, 7, 8, 100, 1000, UINT32_MAX }, 8 },
		{ "descending", { UINT32_MAX, 70000, 9, 3, 2, 0 }, 6 },
		{ "alternating", { 50, 10, 90, 0, 70, 30, 60, 20 }, 8 },
		{ "one", { 42 }, 1 },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		struct slice_config *c = slice_config_new();
		uint32_t sorted[8];

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		for (uint32_t k = 0; k < cases[i].n; k++) {
			CU_EXPECT_INT(add_filter(c, cases[i].ids[k]), 0, cases[i].name);
			CU_EXPECT_INT(add_route(c, cases[i].ids[k]), 0, cases[i].name);
		}
		memcpy(sorted, cases[i].ids, sizeof(sorted));
		for (uint32_t a = 1; a < cases[i].n; a++)
			for (uint32_t b = a; b > 0 && sorted[b - 1] > sorted[b]; b--) {
				uint32_t t = sorted[b];

				sorted[b] = sorted[b - 1];
				sorted[b - 1] = t;
			}
		CU_EXPECT(filters_are(c, sorted, cases[i].n), "%s: filters not sorted or changed",
			  cases[i].name);
		CU_EXPECT(routes_are(c, sorted, cases[i].n), "%s: routes not sorted or changed",
			  cases[i].name);
		slice_config_free(c);
	}
}

/* A taken id is refused with -EEXIST and changes nothing. */
static void
test_add_duplicate(void)
{
	static const uint32_t ids[] = { 1, 5, 9 };
	struct slice_config *c = slice_config_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (size_t i = 0; i < CU_DIM(ids); i++) {
		CU_ASSERT_EQUAL_FATAL(add_filter(c, ids[i]), 0);
		CU_ASSERT_EQUAL_FATAL(add_route(c, ids[i]), 0);
	}
	for (size_t i = 0; i < CU_DIM(ids); i++) {
		struct filter_config f;
		struct route_config r;
		char ctx[32];

		snprintf(ctx, sizeof(ctx), "id %u again", ids[i]);
		filter_fill(&f, ids[i]);
		f.priority = 77;
		route_fill(&r, ids[i]);
		r.len = 8;
		CU_EXPECT_INT(slice_config_add_filter(c, &f), -EEXIST, ctx);
		CU_EXPECT_INT(slice_config_add_route(c, &r), -EEXIST, ctx);
		CU_EXPECT(filters_are(c, ids, CU_DIM(ids)), "%s: filters changed", ctx);
		CU_EXPECT(routes_are(c, ids, CU_DIM(ids)), "%s: routes changed", ctx);
	}
	slice_config_free(c);
}

/*
 * Binary search over arrays of every size from 1 to MAX_IDS, ids with gaps
 * of 1 and 2 added in shuffled order: every id is found at its index, and
 * no id of a gap, below the first or past the last is found.
 */
static void
test_find_every_size(void)
{
	uint32_t bad = 0, checked = 0;

	for (uint32_t n = 1; n <= MAX_IDS; n++) {
		struct slice_config *c = slice_config_new();
		uint32_t ids[MAX_IDS], order[MAX_IDS];

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		for (uint32_t k = 0; k < n; k++) {
			ids[k] = 1 + 3 * k + (k % 2);   /* 1, 5, 7, 11, 13, ... */
			order[k] = ids[k];
		}
		shuffle(order, n, n);
		for (uint32_t k = 0; k < n; k++)
			if (add_filter(c, order[k]) != 0 || add_route(c, order[k]) != 0)
				bad++;
		for (uint32_t k = 0; k < n; k++) {
			int fi = slice_config_filter(c, ids[k]), ri = slice_config_route(c, ids[k]);

			bad += fi != (int)k || ri != (int)k;
			checked++;
		}
		for (uint32_t id = 0; id <= ids[n - 1] + 2; id++) {
			bool member = id <= ids[n - 1] && (id % 6 == 1 || id % 6 == 5);

			if (member)
				continue;
			bad += slice_config_filter(c, id) != -1 || slice_config_route(c, id) != -1;
			checked++;
		}
		bad += slice_config_filter(c, UINT32_MAX) != -1 ||
		       slice_config_route(c, UINT32_MAX) != -1;
		if (bad != 0) {
			CU_EXPECT(false, "%u elements: %u wrong lookups", n, bad);
			slice_config_free(c);
			break;
		}
		slice_config_free(c);
	}
	CU_EXPECT(bad == 0 && checked > 10000, "%u of %u lookups wrong", bad, checked);
}

/* Deleting the first, a middle or the last element keeps the rest in order
 * and findable; deleting all leaves an empty, usable configuration. */
static void
test_del(void)
{
	static const uint32_t ids[] = { 0, 4, 8, 12, 16 };
	static const struct {
		const char *name;
		uint32_t del;           /* id */
		uint32_t left[4];
	} cases[] = {
		{ "first", 0, { 4, 8, 12, 16 } },
		{ "middle", 8, { 0, 4, 12, 16 } },
		{ "last", 16, { 0, 4, 8, 12 } },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		struct slice_config *c = slice_config_new();
		int fi, ri;

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		for (size_t k = 0; k < CU_DIM(ids); k++) {
			CU_ASSERT_EQUAL_FATAL(add_filter(c, ids[k]), 0);
			CU_ASSERT_EQUAL_FATAL(add_route(c, ids[k]), 0);
		}
		fi = slice_config_filter(c, cases[i].del);
		ri = slice_config_route(c, cases[i].del);
		CU_ASSERT_FATAL(fi >= 0 && ri >= 0);
		slice_config_del_filter(c, (uint32_t)fi);
		slice_config_del_route(c, (uint32_t)ri);
		CU_EXPECT(filters_are(c, cases[i].left, 4), "%s: filters left", cases[i].name);
		CU_EXPECT(routes_are(c, cases[i].left, 4), "%s: routes left", cases[i].name);
		CU_EXPECT_INT(slice_config_filter(c, cases[i].del), -1, cases[i].name);
		CU_EXPECT_INT(slice_config_route(c, cases[i].del), -1, cases[i].name);
		for (int k = 0; k < 4; k++) {
			CU_EXPECT_INT(slice_config_filter(c, cases[i].left[k]), k, cases[i].name);
			CU_EXPECT_INT(slice_config_route(c, cases[i].left[k]), k, cases[i].name);
		}
		while (c->nb_filters != 0)
			slice_config_del_filter(c, c->nb_filters - 1);
		while (c->nb_routes != 0)
			slice_config_del_route(c, 0);
		CU_EXPECT_UINT(slice_config_free_filter_id(c), 0, cases[i].name);
		CU_EXPECT_INT(slice_config_filter(c, 4), -1, cases[i].name);
		CU_EXPECT_INT(add_filter(c, 4), 0, cases[i].name);
		CU_EXPECT_INT(add_route(c, 4), 0, cases[i].name);
		CU_EXPECT_INT(slice_config_route(c, 4), 0, cases[i].name);
		slice_config_free(c);
	}
}

/* The lowest id not in use. */
static void
test_free_id(void)
{
	static const struct {
		const char *name;
		uint32_t ids[6];
		uint32_t n, del;        /* del: an id to delete afterwards, or n */
		uint32_t want;
	} cases[] = {
		{ "empty", { 0 }, 0, 0, 0 },
		{ "{0}", { 0 }, 1, 1, 1 },
		{ "{1}", { 1 }, 1, 1, 0 },
		{ "{0,1,2}", { 0, 1, 2 }, 3, 3, 3 },
		{ "{0,1,3}", { 0, 1, 3 }, 3, 3, 2 },
		{ "{0,2}", { 2, 0 }, 2, 2, 1 },
		{ "{1,2,3}", { 3, 2, 1 }, 3, 3, 0 },
		{ "{5,6}", { 5, 6 }, 2, 2, 0 },
		{ "{0,1,2,3,4,5}", { 5, 4, 3, 2, 1, 0 }, 6, 6, 6 },
		{ "{0,1,2} less 0", { 0, 1, 2 }, 3, 0, 0 },
		{ "{0,1,2} less 1", { 0, 1, 2 }, 3, 1, 1 },
		{ "{0,1,2,UINT32_MAX}", { 0, 1, 2, UINT32_MAX }, 4, 4, 3 },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		struct slice_config *c = slice_config_new();

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		for (uint32_t k = 0; k < cases[i].n; k++) {
			CU_ASSERT_EQUAL_FATAL(add_filter(c, cases[i].ids[k]), 0);
			CU_ASSERT_EQUAL_FATAL(add_route(c, cases[i].ids[k]), 0);
		}
		if (cases[i].del < cases[i].n) {
			slice_config_del_filter(c, (uint32_t)slice_config_filter(c, cases[i].del));
			slice_config_del_route(c, (uint32_t)slice_config_route(c, cases[i].del));
		}
		CU_EXPECT_UINT(slice_config_free_filter_id(c), cases[i].want, cases[i].name);
		CU_EXPECT_UINT(slice_config_free_route_id(c), cases[i].want, cases[i].name);
		slice_config_free(c);
	}
	/* 0 .. MAX_IDS-1 but for one id. */
	for (uint32_t hole = 0; hole < MAX_IDS; hole += 37) {
		struct slice_config *c = slice_config_new();
		char ctx[32];

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		for (uint32_t id = MAX_IDS; id-- > 0;)
			if (id != hole)
				CU_ASSERT_EQUAL_FATAL(add_filter(c, id), 0);
		snprintf(ctx, sizeof(ctx), "all but %u", hole);
		CU_EXPECT_UINT(slice_config_free_filter_id(c), hole, ctx);
		slice_config_free(c);
	}
}

/* A configuration with bindings 0, 3 and 63, filters 2, 4, 6 and routes 1,
 * 3, each with its index in a request document. */
static struct slice_config *
sample_config(void)
{
	static const uint16_t bindings[] = { 0, 3, SP_MAX_BINDINGS_PER_SLICE - 1 };
	struct slice_config *c = slice_config_new();

	if (c == NULL)
		return NULL;
	for (int k = 0; k < 3; k++) {
		struct binding_config *b = &c->bindings[bindings[k]];

		c->present[bindings[k]] = true;
		b->id = bindings[k];
		b->iface = (unsigned int)k;
		b->udp_port = (uint16_t)(5000 + k);
		b->default_action.type = DP_ACTION_DROP;
		b->stat = (uint16_t)(10 + k);
		b->doc = k;
		if (add_filter(c, 2 + 2 * (uint32_t)k) != 0 ||
		    (k < 2 && add_route(c, 1 + 2 * (uint32_t)k) != 0)) {
			slice_config_free(c);
			return NULL;
		}
	}
	return c;
}

/* A copy has every element of the original, marked SLICE_DOC_STORED, in
 * memory of its own: editing it leaves the original as it was. */
static void
test_copy_deep(void)
{
	static const uint32_t fids[] = { 2, 4, 6 }, rids[] = { 1, 3 };
	struct slice_config *o = sample_config(), *c, snap;
	struct filter_config ofilters[3];
	struct route_config oroutes[2];
	unsigned int stored = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL_FATAL(o->nb_filters, 3);
	CU_ASSERT_EQUAL_FATAL(o->nb_routes, 2);
	memcpy(&snap, o, sizeof(snap));
	memcpy(ofilters, o->filters, sizeof(ofilters));
	memcpy(oroutes, o->routes, sizeof(oroutes));

	c = slice_config_copy(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_EXPECT(c->filters != o->filters && c->routes != o->routes, "arrays are shared");
	for (unsigned int b = 0; b < SP_MAX_BINDINGS_PER_SLICE; b++) {
		stored += c->bindings[b].doc == SLICE_DOC_STORED;
		CU_EXPECT(c->present[b] == o->present[b], "binding %u presence", b);
		c->bindings[b].doc = o->bindings[b].doc;
	}
	CU_EXPECT_UINT(stored, SP_MAX_BINDINGS_PER_SLICE, "bindings marked stored");
	CU_EXPECT(memcmp(c->bindings, o->bindings, sizeof(c->bindings)) == 0,
		  "bindings differ beyond doc");
	for (uint32_t i = 0; i < c->nb_filters; i++) {
		CU_EXPECT_INT(c->filters[i].doc, SLICE_DOC_STORED, "filter doc");
		c->filters[i].doc = o->filters[i].doc;
	}
	for (uint32_t j = 0; j < c->nb_routes; j++) {
		CU_EXPECT_INT(c->routes[j].doc, SLICE_DOC_STORED, "route doc");
		c->routes[j].doc = o->routes[j].doc;
	}
	CU_EXPECT(filters_are(c, fids, 3), "filters differ beyond doc");
	CU_EXPECT(routes_are(c, rids, 2), "routes differ beyond doc");

	/* Edit the copy every way there is. */
	CU_EXPECT_INT(add_filter(c, 5), 0, "copy: add filter");
	CU_EXPECT_INT(add_route(c, 0), 0, "copy: add route");
	slice_config_del_filter(c, 0);
	slice_config_del_route(c, c->nb_routes - 1);
	c->filters[0].priority = 999;
	c->filters[0].match.ipv4.dst = 1;
	c->routes[0].len = 1;
	c->bindings[3].udp_port = 1;
	c->present[63] = false;
	c->present[7] = true;
	for (int k = 0; k < 50; k++)
		CU_EXPECT_INT(add_filter(c, 1000 + (uint32_t)k), 0, "copy: grow");

	CU_EXPECT(memcmp(&snap, o, sizeof(snap)) == 0, "the original's struct changed");
	CU_EXPECT(memcmp(ofilters, o->filters, sizeof(ofilters)) == 0,
		  "the original's filters changed");
	CU_EXPECT(memcmp(oroutes, o->routes, sizeof(oroutes)) == 0,
		  "the original's routes changed");
	CU_EXPECT(o->bindings[3].doc == 1 && o->filters[2].doc == 6 % 7,
		  "the original's docs were marked");
	slice_config_free(c);
	slice_config_free(o);
}

/* Copies of an empty configuration and of one emptied by deletions. */
static void
test_copy_empty(void)
{
	struct slice_config *o = sample_config(), *e = slice_config_new(), *c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	c = slice_config_copy(e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_EXPECT(c->nb_filters == 0 && c->nb_routes == 0, "copy of empty");
	CU_EXPECT_INT(add_filter(c, 1), 0, "add to a copy of empty");
	CU_EXPECT_UINT(e->nb_filters, 0, "the empty original");
	slice_config_free(c);

	while (o->nb_filters != 0)
		slice_config_del_filter(o, 0);
	while (o->nb_routes != 0)
		slice_config_del_route(o, 0);
	c = slice_config_copy(o);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_EXPECT(c->nb_filters == 0 && c->nb_routes == 0, "copy of emptied");
	CU_EXPECT_INT(add_route(c, 9), 0, "add to a copy of emptied");
	CU_EXPECT_INT(slice_config_route(o, 9), -1, "the emptied original");
	slice_config_free(c);
	slice_config_free(o);
	slice_config_free(e);
}

static void
test_path(void)
{
	static const struct {
		const char *collection;
		int doc;
		const char *rest;
		size_t size;
		const char *want;
	} cases[] = {
		{ "filters", 3, "action.forward.binding", 256,
		  "$.filters[3].action.forward.binding" },
		{ "bindings", SLICE_DOC_BODY, "udp_port", 256, "$.udp_port" },
		{ "routes", SLICE_DOC_BODY, "", 256, "$" },
		{ "routes", 0, "", 256, "$.routes[0]" },
		{ "bindings", 12, "default_action.forward.queue", 256,
		  "$.bindings[12].default_action.forward.queue" },
		{ "filters", 1000000, "match.src", 256, "$.filters[1000000].match.src" },
		{ "filters", SLICE_DOC_BODY, "action.forward.binding", 256,
		  "$.action.forward.binding" },
		{ "filters", 3, "action", 10, "$.filters" },
		{ "filters", SLICE_DOC_BODY, "udp_port", 2, "$" },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		char buf[256];

		memset(buf, 'x', sizeof(buf));
		slice_config_path(buf, cases[i].size, cases[i].collection, cases[i].doc,
				  cases[i].rest);
		CU_EXPECT_STR(buf, cases[i].want, cases[i].want);
		CU_EXPECT(cases[i].size == sizeof(buf) || buf[cases[i].size] == 'x',
			  "%s: wrote past the buffer", cases[i].want);
	}
}

static const struct cu_case array_suite[] = {
	CU_CASE(test_new_free),
	CU_CASE(test_add_sorted),
	CU_CASE(test_add_duplicate),
	CU_CASE(test_find_every_size),
	CU_CASE(test_del),
	CU_CASE(test_free_id),
};

static const struct cu_case copy_suite[] = {
	CU_CASE(test_copy_deep),
	CU_CASE(test_copy_empty),
};

static const struct cu_case path_suite[] = {
	CU_CASE(test_path),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("control/slice_config: filters and routes", NULL, NULL, array_suite),
	CU_SUITE("control/slice_config: copy", NULL, NULL, copy_suite),
	CU_SUITE("control/slice_config: paths", NULL, NULL, path_suite),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
