/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests of control/slice.c (and the counter slots of control/node.c):
 * the action functions the REST API calls, on a node built by hand with no
 * ports and workers that are never launched.
 */

#include "control/slice.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "pm/pm.h"
#include "tests/unit/cu_main.h"

#define RATE 10000000000ULL                     /* 10 Gbit/s per interface */
#define PEER_A RTE_BE32(0xcb007109)             /* 203.0.113.9 */
#define PEER_B RTE_BE32(0xcb00710a)             /* 203.0.113.10 */

static struct node *node;
static const struct pm_ops *pm;
static unsigned int heap_base;          /* DPDK heap blocks of an empty node */

static const uint8_t iface_mac[2][6] = {
	{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 }, { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 },
};
static const uint8_t gateway_mac[2][6] = {
	{ 0x02, 0x00, 0x00, 0x00, 0x00, 0xfe }, { 0x02, 0x00, 0x00, 0x00, 0x01, 0xfe },
};

static int
slice_suite_init(void)
{
	static const rte_be32_t ipv4[2] = { RTE_BE32(0xc0000201), RTE_BE32(0xc6336401) };
	struct slice_params p;
	struct sp_error err;
	struct slice *s;

	if (cu_eal_init("slice") != 0)
		return -1;
	node = calloc(1, sizeof(*node));
	pm = pm_find("passthrough");
	if (node == NULL || pm == NULL)
		return -1;
	node->cfg.nb_ifaces = 2;
	for (unsigned int i = 0; i < 2; i++) {
		struct node_iface_config *ifc = &node->cfg.ifaces[i];

		snprintf(ifc->name, sizeof(ifc->name), "eth%u", i);
		ifc->ipv4 = ipv4[i];
		ifc->rate_bps = RATE;
		memcpy(ifc->gateway_mac, gateway_mac[i], 6);
		node->ifaces[i].port_id = (uint16_t)i;
		memcpy(node->ifaces[i].info.mac.addr_bytes, iface_mac[i], 6);
		node->ifaces[i].info.csum_offload = false;
	}
	node->cfg.capacity.filters = 1000;
	node->cfg.capacity.queues = 100;
	node->cfg.capacity.buffers = 5000;
	node->cfg.nb_workers = 1;
	node->cfg.workers[0] = 1;
	node->rt = dp_runtime_create((unsigned int[]){ rte_get_main_lcore() }, 1,
				     (uint32_t)node->cfg.capacity.filters);
	if (node->rt == NULL || node_counters_init(node) != 0)
		return -1;
	/* From here on the published view is one slice_publish() built. */
	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "warmup");
	p.pm = pm;
	if (slice_create(node, &p, &s, &err) != 0 || slice_delete(node, s, &err) != 0)
		return -1;
	heap_base = cu_heap_blocks();
	return 0;
}

static int
slice_suite_clean(void)
{
	if (node != NULL) {
		slice_free_all(node);
		dp_runtime_free(node->rt);
		node_counters_fini(node);
		free(node);
		node = NULL;
	}
	return 0;
}

/* Starts a case from an empty node, whatever a failed case left behind. */
static void
node_reset(void)
{
	struct sp_error err;

	for (unsigned int i = 0; i < SP_MAX_SLICES; i++)
		if (node->slices[i] != NULL)
			CU_ASSERT_EQUAL_FATAL(slice_delete(node, node->slices[i], &err), 0);
	memset(node->stat_used, 0, sizeof(node->stat_used));
	memset(node->rt->stats[0], 0, sizeof(*node->rt->stats[0]));
}

static unsigned int
stats_used(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < SP_MAX_BINDING_SLOTS; i++)
		n += node->stat_used[i];
	return n;
}

/* Counts the bindings in the published view's demux tables. */
static int32_t
demux_keys(void)
{
	const struct dp_view *v = dp_view_current(node->rt);
	int32_t n = 0;

	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++)
		for (unsigned int u = 0; v->demux[p] != NULL && u <= UINT16_MAX; u++)
			n += v->demux[p]->entry[u] != 0;
	return n;
}

/* Checks that a case left no slice, table, demux key, counter slot or
 * DPDK heap memory behind. */
static void
expect_clean(const char *ctx)
{
	const struct dp_view *v = dp_view_current(node->rt);
	struct reservation left;
	unsigned int tables = 0;

	for (unsigned int i = 0; i < SP_MAX_SLICES; i++)
		tables += v->slices[i] != NULL;
	CU_EXPECT_UINT(node->nb_slices, 0, ctx);
	CU_EXPECT_UINT(tables, 0, ctx);
	CU_EXPECT_INT(demux_keys(), 0, ctx);
	CU_EXPECT_UINT(stats_used(), 0, ctx);
	CU_EXPECT_UINT(cu_heap_blocks(), heap_base, ctx);
	node_free_capacity(node, &left);
	CU_EXPECT(left.filters == 1000 && left.queues == 100 && left.buffers == 5000 &&
		  left.bw[0].in_bps == RATE && left.bw[0].out_bps == RATE &&
		  left.bw[1].in_bps == RATE && left.bw[1].out_bps == RATE,
		  "%s: the node's capacity is not all free", ctx);
}

/* What a refused action must leave as it was. */
struct snap {
	const struct dp_view *view;
	unsigned int nb_slices;
	unsigned int stats_used;
	int32_t keys;
	struct reservation left;
};

static void
snap_take(struct snap *sn)
{
	memset(sn, 0, sizeof(*sn));
	sn->view = dp_view_current(node->rt);
	sn->nb_slices = node->nb_slices;
	sn->stats_used = stats_used();
	sn->keys = demux_keys();
	node_free_capacity(node, &sn->left);
}

static void
snap_expect(const struct snap *before, const char *ctx)
{
	struct snap now;

	snap_take(&now);
	CU_EXPECT(now.view == before->view, "%s: a new view was published", ctx);
	CU_EXPECT_UINT(now.nb_slices, before->nb_slices, ctx);
	CU_EXPECT_UINT(now.stats_used, before->stats_used, ctx);
	CU_EXPECT_INT(now.keys, before->keys, ctx);
	CU_EXPECT(memcmp(&now.left, &before->left, sizeof(now.left)) == 0,
		  "%s: node_free_capacity changed", ctx);
}

/* Checks that binding_add(b) (or, if b is NULL, binding_remove(id)) refuses
 * with 'rc' and err.path 'path', leaving the slice and node as they were. */
static void
expect_refused(struct slice *s, const struct binding_config *b, uint16_t id, int rc,
	       const char *path, struct sp_error *err, const char *ctx)
{
	struct slice *copy = malloc(sizeof(*copy));
	struct snap before;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	memcpy(copy, s, sizeof(*copy));
	snap_take(&before);
	memset(err, 0, sizeof(*err));
	CU_EXPECT_INT(b != NULL ? binding_add(node, s, b, err) :
		      binding_remove(node, s, id, err), rc, ctx);
	CU_EXPECT_STR(err->path, path, ctx);
	CU_EXPECT(memcmp(copy, s, sizeof(*copy)) == 0, "%s: the slice changed", ctx);
	snap_expect(&before, ctx);
	free(copy);
}

static struct slice_params
params(const char *name)
{
	struct slice_params p;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.pm = pm;
	p.res.filters = 1;
	p.res.queues = 1;
	p.res.buffers = 1;
	return p;
}

/* The token the tests give slice 'name': 64 hex digits of its name. */
static void
slice_token(const char *name, char token[SLICE_TOKEN_LEN + 1])
{
	for (size_t i = 0; i < SLICE_TOKEN_LEN; i += 2)
		snprintf(token + i, 3, "%02x", (unsigned char)name[i / 2 % strlen(name)]);
}

/* The slice whose token, hashed, is 'token'. */
static struct slice *
find_by_token(const char *token)
{
	struct token_hash h;

	token_hash(token, &h);
	return slice_find_by_token(node, &h);
}

static struct slice *
make_slice(const char *name)
{
	struct slice_params p = params(name);
	struct sp_error err = { "", "" };
	struct slice *s = NULL;
	char token[SLICE_TOKEN_LEN + 1];
	int rc;

	slice_token(name, token);
	token_hash(token, &p.token);
	rc = slice_create(node, &p, &s, &err);

	CU_EXPECT(rc == 0, "slice_create(%s): %d, %s: %s", name, rc, err.path, err.msg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

/* A binding_config: B(id, iface, udp_port, default action). */
#define B(id_, iface_, port_, act) ((struct binding_config){ \
	.id = (id_), .iface = (iface_), .udp_port = (port_), .default_action = act })
#define ACT(t) { .type = (t) }
#define DROP ACT(DP_ACTION_DROP)
#define FWD(out, ip, port) \
	{ .type = DP_ACTION_FORWARD, .binding = (out), .peer = { (ip), (port) } }
#define FWDQ(out) \
	{ .type = DP_ACTION_FORWARD, .binding = (out), .peer = { PEER_A, 1 }, .has_queue = true }

static void
add_ok(struct slice *s, struct binding_config b)
{
	struct sp_error err = { "", "" };
	int rc = binding_add(node, s, &b, &err);

	CU_EXPECT(rc == 0, "binding_add(%s, %u): %d, %s: %s", s->name, b.id, rc,
		  err.path, err.msg);
}

static void
remove_ok(struct slice *s, uint16_t id)
{
	struct sp_error err = { "", "" };
	int rc = binding_remove(node, s, id, &err);

	CU_EXPECT(rc == 0, "binding_remove(%s, %u): %d, %s: %s", s->name, id, rc,
		  err.path, err.msg);
}

static void
delete_ok(struct slice *s)
{
	struct sp_error err;

	CU_EXPECT_INT(slice_delete(node, s, &err), 0, "slice_delete");
}

/* Looks up (iface's port id, iface's address, port) in the published
 * demux: its entry, 0 if there is none. */
static uint32_t
demux_find(unsigned int iface, uint16_t port)
{
	const struct dp_demux_port *t =
		dp_view_current(node->rt)->demux[node->ifaces[iface].port_id];

	if (t == NULL || t->ip != node->cfg.ifaces[iface].ipv4)
		return 0;
	return t->entry[port];
}

/* Checks binding 'id' of 's' (on iface:port) in its table and the demux. */
static void
expect_binding(const struct slice *s, uint16_t id, unsigned int iface, uint16_t port,
	       enum dp_action_type type)
{
	const struct dp_binding *db = &s->table->bindings[id];
	char ctx[64];

	snprintf(ctx, sizeof(ctx), "%s binding %u", s->name, id);
	CU_EXPECT(s->cfg->present[id], "%s: not present in the slice", ctx);
	CU_EXPECT(dp_view_current(node->rt)->slices[s->slot] == s->table,
		  "%s: the view does not hold the slice's table", ctx);
	CU_EXPECT(db->present, "%s: not present in the table", ctx);
	CU_EXPECT_UINT(db->port_id, iface, ctx);
	CU_EXPECT_UINT(db->ip, node->cfg.ifaces[iface].ipv4, ctx);
	CU_EXPECT_UINT(db->udp_port, htons(port), ctx);
	CU_EXPECT_UINT(db->stat, s->cfg->bindings[id].stat, ctx);
	CU_EXPECT(node->stat_used[db->stat], "%s: stat slot %u is not in use", ctx,
		  db->stat);
	CU_EXPECT_UINT(db->default_action.type, type, ctx);
	CU_EXPECT(demux_find(iface, port) == DP_DEMUX_ENTRY(s->slot, id),
		  "%s: demux entry %#x, expected %#x", ctx, demux_find(iface, port),
		  DP_DEMUX_ENTRY(s->slot, id));
}

/* Checks that forward action 'a' leaves through iface:port (counter slot
 * 'stat') towards peer_ip:peer_port. */
static void
expect_forward(const struct dp_action *a, unsigned int iface, uint16_t port,
	       uint16_t stat, rte_be32_t peer_ip, uint16_t peer_port, const char *ctx)
{
	CU_EXPECT_UINT(a->type, DP_ACTION_FORWARD, ctx);
	CU_EXPECT(memcmp(a->fwd.src_mac.addr_bytes, iface_mac[iface], 6) == 0,
		  "%s: src_mac is not eth%u's MAC", ctx, iface);
	CU_EXPECT(memcmp(a->fwd.dst_mac.addr_bytes, gateway_mac[iface], 6) == 0,
		  "%s: dst_mac is not eth%u's gateway MAC", ctx, iface);
	CU_EXPECT_UINT(a->fwd.src_ip, node->cfg.ifaces[iface].ipv4, ctx);
	CU_EXPECT_UINT(a->fwd.src_port, htons(port), ctx);
	CU_EXPECT_UINT(a->fwd.dst_ip, peer_ip, ctx);
	CU_EXPECT_UINT(a->fwd.dst_port, htons(peer_port), ctx);
	CU_EXPECT_UINT(a->fwd.port_id, iface, ctx);
	CU_EXPECT_UINT(a->fwd.stat, stat, ctx);
	CU_EXPECT(!a->fwd.csum_offload, "%s: csum_offload set", ctx);
}

static void
test_create(void)
{
	struct slice *a, *b;
	const struct dp_view *v;
	char bad[5][SLICE_TOKEN_LEN + 2] = { "" }, ta[SLICE_TOKEN_LEN + 1];
	char tb[SLICE_TOKEN_LEN + 1];
	unsigned int tables = 0, present = 0;
	struct token_hash h;

	node_reset();
	slice_token("alpha", ta);
	slice_token("beta", tb);
	a = make_slice("alpha");
	CU_EXPECT_STR(a->name, "alpha", "name");
	CU_EXPECT(a->pm == pm, "pm");
	token_hash(ta, &h);
	CU_EXPECT(memcmp(a->token.b, h.b, sizeof(h.b)) == 0, "the slice keeps its token's hash");
	CU_ASSERT_FATAL(a->slot < SP_MAX_SLICES);
	CU_EXPECT(node->slices[a->slot] == a, "node->slices[slot]");
	CU_EXPECT_UINT(node->nb_slices, 1, "nb_slices");
	v = dp_view_current(node->rt);
	CU_EXPECT(v->slices[a->slot] == a->table && a->table != NULL, "view slot");
	CU_EXPECT(a->table->pm == pm, "table pm");
	CU_EXPECT_UINT(a->table->slot, a->slot, "table slot");
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++)
		tables += v->slices[i] != NULL;
	CU_EXPECT_UINT(tables, 1, "tables in the view");
	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++)
		present += a->cfg->present[id] + a->table->bindings[id].present;
	CU_EXPECT_UINT(present, 0, "bindings in a new slice");
	CU_EXPECT_INT(demux_keys(), 0, "no demux keys");

	b = make_slice("beta");
	CU_EXPECT(b->slot != a->slot, "two slices share slot %u", a->slot);
	CU_EXPECT(!token_hash_equal(&a->token, &b->token), "two slices share a token");
	CU_EXPECT_UINT(node->nb_slices, 2, "nb_slices");
	CU_EXPECT(slice_find(node, "alpha") == a, "find alpha");
	CU_EXPECT(slice_find(node, "beta") == b, "find beta");
	CU_EXPECT(slice_find(node, "alph") == NULL, "find alph");
	CU_EXPECT(slice_find(node, "alphaa") == NULL, "find alphaa");
	CU_EXPECT(slice_find(node, "") == NULL, "find \"\"");
	CU_EXPECT(find_by_token(ta) == a, "alpha's token");
	CU_EXPECT(find_by_token(tb) == b, "beta's token");

	/* Last or first character changed, one longer, one shorter, empty. */
	snprintf(bad[0], sizeof(bad[0]), "%.63s%c", ta, ta[63] == '0' ? '1' : '0');
	snprintf(bad[1], sizeof(bad[1]), "%c%s", ta[0] == 'f' ? 'e' : 'f', ta + 1);
	snprintf(bad[2], sizeof(bad[2]), "%s0", ta);
	snprintf(bad[3], sizeof(bad[3]), "%.63s", ta);
	for (unsigned int i = 0; i < CU_DIM(bad); i++)
		CU_EXPECT(find_by_token(bad[i]) == NULL, "token \"%s\"", bad[i]);

	delete_ok(a);
	delete_ok(b);
	expect_clean("create");
}

enum res_field { R_FILTERS, R_QUEUES, R_BUFFERS, R_IN0, R_OUT0, R_IN1, R_OUT1, R_MAX };

static uint64_t *
res_field(struct reservation *r, enum res_field f)
{
	switch (f) {
	case R_FILTERS: return &r->filters;
	case R_QUEUES: return &r->queues;
	case R_BUFFERS: return &r->buffers;
	case R_IN0: return &r->bw[0].in_bps;
	case R_OUT0: return &r->bw[0].out_bps;
	case R_IN1: return &r->bw[1].in_bps;
	default: return &r->bw[1].out_bps;
	}
}

/* Checks that slice_create(p) refuses with 'rc' and err.path 'path',
 * leaving the node as it was; the error goes to *err. */
static void
expect_create_refused(const struct slice_params *p, int rc, const char *path,
		      struct sp_error *err, const char *ctx)
{
	struct slice *named = slice_find(node, p->name), *out = NULL;
	struct snap before;

	snap_take(&before);
	memset(err, 0, sizeof(*err));
	CU_EXPECT_INT(slice_create(node, p, &out, err), rc, ctx);
	CU_EXPECT_STR(err->path, path, ctx);
	CU_EXPECT(out == NULL, "%s: *out written", ctx);
	CU_EXPECT(slice_find(node, p->name) == named, "%s: slice %s changed", ctx, p->name);
	snap_expect(&before, ctx);
}

static void
test_create_refusals(void)
{
	static const struct {
		const char *name;
		enum res_field field;
		uint64_t over;          /* requested = left + over */
		bool all;               /* every other field one over too */
		const char *path;
	} cases[] = {
		{ "filters", R_FILTERS, 1, false, "$.reservation.filters" },
		{ "queues", R_QUEUES, 1, false, "$.reservation.queues" },
		{ "buffers", R_BUFFERS, 1, false, "$.reservation.buffers" },
		{ "eth0 in", R_IN0, 1, false, "$.reservation.bandwidth.eth0.in_bps" },
		{ "eth0 out", R_OUT0, 1, false, "$.reservation.bandwidth.eth0.out_bps" },
		{ "eth1 in", R_IN1, 1, false, "$.reservation.bandwidth.eth1.in_bps" },
		{ "eth1 out", R_OUT1, 1, false, "$.reservation.bandwidth.eth1.out_bps" },
		{ "eth1 out, far over", R_OUT1, 1000000000000ULL, false,
		  "$.reservation.bandwidth.eth1.out_bps" },
		{ "everything over", R_FILTERS, 5, true, "$.reservation.filters" },
	};
	struct slice_params base = params("base"), p;
	struct reservation left, none;
	struct slice *s, *full;
	struct sp_error err;
	char want[32], have[48];
	int rc;

	node_reset();
	base.res = (struct reservation){ .filters = 100, .queues = 10, .buffers = 500 };
	base.res.bw[0] = (struct bandwidth){ 1000000000, 2000000000 };
	base.res.bw[1] = (struct bandwidth){ 3000000000, 4000000000 };
	base.res.bw_set[0] = base.res.bw_set[1] = true;
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(slice_create(node, &base, &s, &err), 0);
	node_free_capacity(node, &left);
	CU_EXPECT(left.filters == 900 && left.bw[0].out_bps == RATE - 2000000000 &&
		  left.bw[1].in_bps == RATE - 3000000000, "left after base");

	/* A name in use, even with a reservation that fits. */
	p = params("base");
	expect_create_refused(&p, -EEXIST, "$.name", &err, "duplicate name");

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		uint64_t w;

		p = params("over");
		p.res.bw_set[0] = p.res.bw_set[1] = true;
		if (cases[i].all)
			for (int f = 0; f < R_MAX; f++)
				*res_field(&p.res, f) = *res_field(&left, f) + 1;
		w = *res_field(&left, cases[i].field) + cases[i].over;
		*res_field(&p.res, cases[i].field) = w;
		expect_create_refused(&p, -ENOSPC, cases[i].path, &err, cases[i].name);
		snprintf(want, sizeof(want), "%" PRIu64 " ", w);
		snprintf(have, sizeof(have), "%" PRIu64 " left",
			 *res_field(&left, cases[i].field));
		CU_EXPECT_HAS(err.msg, want, cases[i].name);
		CU_EXPECT_HAS(err.msg, have, cases[i].name);
	}

	/* Exactly what is left fits; then nothing is left. */
	p = params("full");
	p.res = left;
	p.res.bw_set[0] = p.res.bw_set[1] = true;
	memset(&err, 0, sizeof(err));
	rc = slice_create(node, &p, &full, &err);
	CU_EXPECT(rc == 0, "exactly what is left: %d %s: %s", rc, err.path, err.msg);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	node_free_capacity(node, &none);
	for (int f = 0; f < R_MAX; f++)
		CU_EXPECT(*res_field(&none, f) == 0, "field %d: %" PRIu64 " left", f,
			  *res_field(&none, f));
	p = params("one-more");
	p.res.queues = 0;
	p.res.buffers = 0;
	expect_create_refused(&p, -ENOSPC, "$.reservation.filters", &err, "one filter more");
	CU_EXPECT_HAS(err.msg, "0 left", "one filter more");

	delete_ok(full);
	node_free_capacity(node, &none);
	CU_EXPECT(memcmp(&none, &left, sizeof(left)) == 0,
		  "deleting the slice did not give its reservation back");
	delete_ok(s);
	expect_clean("create refusals");
}

static void
test_binding_add(void)
{
	struct slice *s;
	const struct dp_slice *t0;
	unsigned int present = 0;

	node_reset();
	s = make_slice("fwd");
	add_ok(s, B(0, 1, 7000, FWD(0, PEER_A, 9000)));       /* to itself */
	expect_binding(s, 0, 1, 7000, DP_ACTION_FORWARD);
	expect_forward(&s->table->bindings[0].default_action, 1, 7000, s->cfg->bindings[0].stat,
		       PEER_A, 9000, "binding 0 to itself");
	t0 = s->table;

	add_ok(s, B(5, 0, 7001, FWD(0, PEER_B, 9001)));       /* eth0 -> eth1 */
	CU_EXPECT(s->table != t0, "binding_add did not build a new table");
	expect_binding(s, 5, 0, 7001, DP_ACTION_FORWARD);
	expect_forward(&s->table->bindings[5].default_action, 1, 7000, s->cfg->bindings[0].stat,
		       PEER_B, 9001, "binding 5 to binding 0");
	CU_EXPECT(s->cfg->bindings[5].stat != s->cfg->bindings[0].stat, "bindings 0 and 5 share a counter slot");

	add_ok(s, B(SP_MAX_BINDINGS_PER_SLICE - 1, 0, 7002, DROP));
	add_ok(s, B(7, 1, 7003, ACT(DP_ACTION_EXCEPTION)));
	add_ok(s, B(8, 0, 7004, ACT(DP_ACTION_NONE)));
	add_ok(s, B(9, 1, 7005, FWD(5, PEER_A, 1)));          /* eth1 -> eth0 */
	expect_binding(s, SP_MAX_BINDINGS_PER_SLICE - 1, 0, 7002, DP_ACTION_DROP);
	expect_binding(s, 7, 1, 7003, DP_ACTION_EXCEPTION);
	expect_binding(s, 8, 0, 7004, DP_ACTION_NONE);
	expect_binding(s, 9, 1, 7005, DP_ACTION_FORWARD);
	expect_forward(&s->table->bindings[9].default_action, 0, 7001, s->cfg->bindings[5].stat,
		       PEER_A, 1, "binding 9 to binding 5");
	/* The earlier bindings survive every rebuild. */
	expect_binding(s, 0, 1, 7000, DP_ACTION_FORWARD);
	expect_binding(s, 5, 0, 7001, DP_ACTION_FORWARD);
	expect_forward(&s->table->bindings[5].default_action, 1, 7000, s->cfg->bindings[0].stat,
		       PEER_B, 9001, "binding 5 after rebuilds");
	CU_EXPECT_INT(demux_keys(), 6, "demux keys");
	CU_EXPECT_UINT(stats_used(), 6, "counter slots");
	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++)
		present += s->cfg->present[id] + s->table->bindings[id].present;
	CU_EXPECT_UINT(present, 2 * 6, "bindings present in the slice and its table");
	delete_ok(s);
	expect_clean("binding_add");
}

static void
test_binding_add_refusals(void)
{
	static const struct {
		const char *name;
		struct binding_config b;
		int rc;
		const char *path;
	} cases[] = {
		{ "id 64", B(SP_MAX_BINDINGS_PER_SLICE, 1, 8200, DROP), -EINVAL, "$.id" },
		{ "id 65535", B(65535, 1, 8200, DROP), -EINVAL, "$.id" },
		{ "id in use", B(3, 1, 8200, DROP), -EEXIST, "$.id" },
		{ "port of another slice", B(4, 0, 8000, DROP), -EEXIST, "$.udp_port" },
		{ "port of this slice", B(4, 1, 8100, DROP), -EEXIST, "$.udp_port" },
		{ "forward to a missing binding", B(4, 1, 8200, FWD(9, PEER_A, 1)),
		  -EINVAL, "$.default_action.forward.binding" },
		{ "forward to binding 64", B(4, 1, 8200, FWD(64, PEER_A, 1)),
		  -EINVAL, "$.default_action.forward.binding" },
		{ "forward with a queue", B(4, 1, 8200, FWDQ(3)),
		  -EINVAL, "$.default_action.forward.queue" },
		{ "forward to itself with a queue", B(4, 1, 8200, FWDQ(4)),
		  -EINVAL, "$.default_action.forward.queue" },
	};
	struct slice *owner, *s;
	struct sp_error err;

	node_reset();
	owner = make_slice("secretowner");
	add_ok(owner, B(0, 0, 8000, DROP));
	s = make_slice("other");
	add_ok(s, B(3, 1, 8100, DROP));

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		expect_refused(s, &cases[i].b, 0, cases[i].rc, cases[i].path, &err,
			       cases[i].name);
		CU_EXPECT(strstr(err.msg, "secretowner") == NULL,
			  "%s: the message names another slice: %s", cases[i].name, err.msg);
	}

	/* The same UDP port on the other interface is free. */
	add_ok(s, B(4, 1, 8000, DROP));
	expect_binding(s, 4, 1, 8000, DP_ACTION_DROP);
	expect_binding(owner, 0, 0, 8000, DP_ACTION_DROP);
	delete_ok(owner);
	delete_ok(s);
	expect_clean("binding_add refusals");
}

static void
test_binding_remove(void)
{
	static const uint16_t unknown[] = { 5, SP_MAX_BINDINGS_PER_SLICE, 65535 };
	struct sp_error err;
	struct slice *s;
	uint16_t st2;

	node_reset();
	s = make_slice("rm");
	add_ok(s, B(0, 0, 9000, DROP));
	add_ok(s, B(1, 0, 9001, FWD(0, PEER_A, 1)));
	add_ok(s, B(2, 1, 9002, FWD(2, PEER_B, 2)));          /* to itself */
	st2 = s->cfg->bindings[2].stat;

	for (size_t i = 0; i < CU_DIM(unknown); i++)
		expect_refused(s, NULL, unknown[i], -ENOENT, "$", &err, "unknown id");
	expect_refused(s, NULL, 0, -EBUSY, "$", &err, "output of binding 1");
	expect_binding(s, 0, 0, 9000, DP_ACTION_DROP);

	/* A binding that forwards to itself can go. */
	remove_ok(s, 2);
	CU_EXPECT(!s->cfg->present[2] && !s->table->bindings[2].present, "binding 2 present");
	CU_EXPECT(dp_view_current(node->rt)->slices[s->slot] == s->table, "view");
	CU_EXPECT(demux_find(1, 9002) == 0, "binding 2's key still in the demux");
	CU_EXPECT(!node->stat_used[st2], "counter slot %u still in use", st2);
	CU_EXPECT_INT(demux_keys(), 2, "demux keys");
	expect_binding(s, 0, 0, 9000, DP_ACTION_DROP);
	expect_binding(s, 1, 0, 9001, DP_ACTION_FORWARD);
	expect_refused(s, NULL, 2, -ENOENT, "$", &err, "removed twice");

	add_ok(s, B(10, 0, 9010, DROP));
	CU_EXPECT_UINT(s->cfg->bindings[10].stat, st2, "freed counter slot reused");
	add_ok(s, B(2, 1, 9002, DROP));        /* its port is free */
	expect_binding(s, 2, 1, 9002, DP_ACTION_DROP);

	remove_ok(s, 1);
	remove_ok(s, 0);                /* no longer anyone's output */
	CU_EXPECT(demux_find(0, 9000) == 0, "binding 0's key still in the demux");
	CU_EXPECT_INT(demux_keys(), 2, "demux keys");
	delete_ok(s);
	expect_clean("binding_remove");
}

static void
expect_counters(uint16_t stat, uint64_t rxp, uint64_t rxb, uint64_t txp, uint64_t txb,
		const char *ctx)
{
	struct dp_counters c;

	node_stat_read(node, stat, &c);
	CU_EXPECT(c.rx_packets == rxp && c.rx_bytes == rxb && c.tx_packets == txp &&
		  c.tx_bytes == txb, "%s: slot %u reads rx %" PRIu64 "/%" PRIu64 " tx %"
		  PRIu64 "/%" PRIu64, ctx, stat, c.rx_packets, c.rx_bytes, c.tx_packets,
		  c.tx_bytes);
}

static void
expect_drops(const struct slice *s, const uint64_t expected[DP_SLICE_DROP_MAX],
	     const char *ctx)
{
	uint64_t d[DP_SLICE_DROP_MAX];

	slice_drops_read(node, s, d);
	for (unsigned int r = 0; r < DP_SLICE_DROP_MAX; r++)
		CU_EXPECT(d[r] == expected[r], "%s: %s is %" PRIu64 ", expected %" PRIu64,
			  ctx, dp_slice_drop_names[r], d[r], expected[r]);
}

static void
test_counters_baselines(void)
{
	struct dp_lcore_stats *st = node->rt->stats[0];
	uint64_t drops[DP_SLICE_DROP_MAX] = { 0 };
	struct slice *s;
	uint16_t stat, slot;

	node_reset();
	s = make_slice("cnt");
	add_ok(s, B(0, 0, 9100, DROP));
	stat = s->cfg->bindings[0].stat;
	slot = s->slot;
	expect_counters(stat, 0, 0, 0, 0, "new binding");
	dp_count(&st->binding[stat].rx_packets, 5);
	dp_count(&st->binding[stat].rx_bytes, 500);
	dp_count(&st->binding[stat].tx_packets, 3);
	dp_count(&st->binding[stat].tx_bytes, 300);
	expect_counters(stat, 5, 500, 3, 300, "counted");
	expect_drops(s, drops, "new slice");
	dp_count(&st->slice_drops[slot][DP_SLICE_DROP_POLICED], 7);
	dp_count(&st->slice_drops[slot][DP_SLICE_DROP_TX_FULL], 2);
	drops[DP_SLICE_DROP_POLICED] = 7;
	drops[DP_SLICE_DROP_TX_FULL] = 2;
	expect_drops(s, drops, "counted");

	/* A binding that takes over the counter slot starts from zero. */
	remove_ok(s, 0);
	add_ok(s, B(1, 0, 9101, DROP));
	CU_EXPECT_UINT(s->cfg->bindings[1].stat, stat, "slot reused");
	expect_counters(stat, 0, 0, 0, 0, "reused slot");
	dp_count(&st->binding[stat].rx_packets, 2);
	dp_count(&st->binding[stat].tx_bytes, 64);
	expect_counters(stat, 2, 0, 0, 64, "reused slot counted");
	expect_drops(s, drops, "binding changes keep the slice's drops");

	/* So does a slice that takes over the slice slot. */
	delete_ok(s);
	s = make_slice("cnt2");
	CU_EXPECT_UINT(s->slot, slot, "slice slot reused");
	memset(drops, 0, sizeof(drops));
	expect_drops(s, drops, "reused slice slot");
	dp_count(&st->slice_drops[slot][DP_SLICE_DROP_DROPPED], 4);
	dp_count(&st->slice_drops[slot][DP_SLICE_DROP_POLICED], 1);
	drops[DP_SLICE_DROP_DROPPED] = 4;
	drops[DP_SLICE_DROP_POLICED] = 1;
	expect_drops(s, drops, "reused slice slot counted");

	/* And a binding of another slice, and node_stat_alloc() itself. */
	add_ok(s, B(0, 1, 9100, DROP));
	CU_EXPECT_UINT(s->cfg->bindings[0].stat, stat, "slot reused by another slice");
	expect_counters(stat, 0, 0, 0, 0, "slot reused by another slice");
	delete_ok(s);
	CU_EXPECT_INT(node_stat_alloc(node), stat, "alloc after delete");
	expect_counters(stat, 0, 0, 0, 0, "node_stat_alloc");
	dp_count(&st->binding[stat].rx_bytes, 9);
	expect_counters(stat, 0, 9, 0, 0, "node_stat_alloc counted");
	node_stat_free(node, stat);
	expect_clean("counters");
}

static void
test_slice_delete(void)
{
	struct slice *a, *b, *c;
	char token[SLICE_TOKEN_LEN + 1];
	uint16_t slot, stat[3];

	node_reset();
	a = make_slice("del");
	add_ok(a, B(0, 0, 9200, DROP));
	add_ok(a, B(1, 1, 9200, ACT(DP_ACTION_EXCEPTION)));
	add_ok(a, B(2, 0, 9201, FWD(1, PEER_A, 7)));
	b = make_slice("keep");
	add_ok(b, B(0, 1, 9300, DROP));
	slot = a->slot;
	slice_token("del", token);
	for (unsigned int id = 0; id < 3; id++)
		stat[id] = a->cfg->bindings[id].stat;

	delete_ok(a);
	CU_EXPECT(dp_view_current(node->rt)->slices[slot] == NULL, "view slot not empty");
	CU_EXPECT(node->slices[slot] == NULL, "node slot not empty");
	CU_EXPECT_UINT(node->nb_slices, 1, "nb_slices");
	CU_EXPECT(demux_find(0, 9200) == 0, "0:9200 still in the demux");
	CU_EXPECT(demux_find(1, 9200) == 0, "1:9200 still in the demux");
	CU_EXPECT(demux_find(0, 9201) == 0, "0:9201 still in the demux");
	CU_EXPECT_INT(demux_keys(), 1, "demux keys");
	for (unsigned int id = 0; id < 3; id++)
		CU_EXPECT(!node->stat_used[stat[id]], "counter slot %u in use", stat[id]);
	CU_EXPECT_UINT(stats_used(), 1, "counter slots");
	CU_EXPECT(slice_find(node, "del") == NULL, "found by name");
	CU_EXPECT(find_by_token(token) == NULL, "found by token");
	expect_binding(b, 0, 1, 9300, DP_ACTION_DROP);

	/* Its UDP ports are free for another slice. */
	c = make_slice("new");
	add_ok(c, B(0, 0, 9200, DROP));
	add_ok(c, B(1, 1, 9200, DROP));
	add_ok(c, B(2, 0, 9201, DROP));
	expect_binding(c, 1, 1, 9200, DP_ACTION_DROP);
	CU_EXPECT(find_by_token(token) == NULL, "old token, new slice");
	delete_ok(b);
	delete_ok(c);
	expect_clean("slice_delete");
}

static void
test_stat_exhaustion(void)
{
	struct binding_config b = B(0, 0, 9400, DROP);
	struct sp_error err;
	unsigned int bad = 0;
	struct slice *s;

	node_reset();
	for (unsigned int i = 0; i < SP_MAX_BINDING_SLOTS; i++)
		bad += node_stat_alloc(node) < 0;
	CU_EXPECT_UINT(bad, 0, "allocations that failed");
	CU_EXPECT_UINT(stats_used(), SP_MAX_BINDING_SLOTS, "slots in use");
	CU_EXPECT_INT(node_stat_alloc(node), -ENOSPC, "one more");
	CU_EXPECT_INT(node_stat_alloc(node), -ENOSPC, "and another");

	/* binding_add needs a slot. */
	s = make_slice("nostat");
	expect_refused(s, &b, 0, -ENOSPC, "$", &err, "binding without a slot");

	node_stat_free(node, 1234);
	add_ok(s, b);
	CU_EXPECT_UINT(s->cfg->bindings[0].stat, 1234, "the one free slot");
	delete_ok(s);
	CU_EXPECT_INT(node_stat_alloc(node), 1234, "given back by slice_delete");
	for (unsigned int i = 0; i < SP_MAX_BINDING_SLOTS; i++)
		node_stat_free(node, (uint16_t)i);
	expect_clean("stat exhaustion");
}

/* slice_free_all() publishes nothing and frees every slice and slot. */
static void
test_free_all(void)
{
	const struct dp_view *v;
	struct dp_view *empty = dp_view_clone(NULL);
	struct slice *a;

	CU_ASSERT_PTR_NOT_NULL_FATAL(empty);
	CU_ASSERT_EQUAL_FATAL(dp_view_build_demux(empty), 0);
	node_reset();
	a = make_slice("one");
	add_ok(a, B(0, 0, 9500, DROP));
	add_ok(make_slice("two"), B(0, 1, 9500, DROP));
	v = dp_view_current(node->rt);
	slice_free_all(node);
	CU_EXPECT(dp_view_current(node->rt) == v, "slice_free_all published a view");
	CU_EXPECT(slice_find(node, "one") == NULL, "slice one is still there");
	/* The workers would be stopped by now; the view still names the freed
	 * tables, so put an empty one in its place. */
	dp_view_publish(node->rt, empty);
	expect_clean("slice_free_all");
}

static const struct cu_case slice_cases[] = {
	CU_CASE(test_create),
	CU_CASE(test_create_refusals),
	CU_CASE(test_binding_add),
	CU_CASE(test_binding_add_refusals),
	CU_CASE(test_binding_remove),
	CU_CASE(test_counters_baselines),
	CU_CASE(test_slice_delete),
	CU_CASE(test_stat_exhaustion),
	CU_CASE(test_free_all),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("control/slice", slice_suite_init, slice_suite_clean, slice_cases),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
