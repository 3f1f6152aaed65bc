/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/slice.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <rte_cycles.h>

#include "control/log.h"
#include "control/openflow.h"
#include "control/state.h"
#include "control/token.h"
#include "dataplane/fmt.h"
#include "dataplane/police.h"
#include "dataplane/qm.h"
#include "pm/pm.h"

/* Sets *err like jv_fail() and returns 'rc'. */
#define SLICE_FAIL(rc, err, path, ...) (jv_fail((err), (path), __VA_ARGS__), (rc))

struct slice *
slice_find(const struct node *node, const char *name)
{
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++)
		if (node->slices[i] != NULL && strcmp(node->slices[i]->name, name) == 0)
			return node->slices[i];
	return NULL;
}

struct slice *
slice_find_by_token(const struct node *node, const struct token_hash *h)
{
	struct slice *found = NULL;

	/* Compare with every slice, so the time taken does not say which. */
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++)
		if (node->slices[i] != NULL && token_hash_equal(&node->slices[i]->token, h))
			found = node->slices[i];
	return found;
}

void
node_free_capacity(const struct node *node, struct reservation *free_)
{
	const struct node_config *cfg = &node->cfg;

	memset(free_, 0, sizeof(*free_));
	free_->filters = cfg->capacity.filters;
	free_->queues = cfg->capacity.queues;
	free_->buffers = cfg->capacity.buffers;
	free_->program_cycles = cfg->capacity.program_cycles;
	for (unsigned int i = 0; i < cfg->nb_ifaces; i++) {
		free_->bw[i].in_bps = cfg->ifaces[i].rate_bps;
		free_->bw[i].out_bps = cfg->ifaces[i].rate_bps;
	}
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		const struct reservation *r;

		if (node->slices[i] == NULL)
			continue;
		r = &node->slices[i]->res;
		free_->filters -= r->filters;
		free_->queues -= r->queues;
		free_->buffers -= r->buffers;
		free_->program_cycles -= r->program_cycles;
		for (unsigned int j = 0; j < cfg->nb_ifaces; j++) {
			free_->bw[j].in_bps -= r->bw[j].in_bps;
			free_->bw[j].out_bps -= r->bw[j].out_bps;
		}
	}
}

/* Refuses 'want' of something when only 'left' remains, saying by how much. */
static int
slice_admit_one(uint64_t want, uint64_t left, const char *path, const char *what,
		struct sp_error *err)
{
	if (want <= left)
		return 0;
	return SLICE_FAIL(-ENOSPC, err, path,
			  "%" PRIu64 " %s requested, %" PRIu64 " left on the node "
			  "(%" PRIu64 " short)", want, what, left, want - left);
}

/* Refuses a reservation larger than what the node has left besides slice
 * 'self' (NULL: a new slice), naming the first resource that does not fit
 * at 'path' ("$.reservation" in a slice document, "$" for a reservation). */
static int
slice_admit(const struct node *node, const struct slice *self,
	    const struct reservation *r, const char *at, struct sp_error *err)
{
	struct reservation left;
	char path[JV_PATH_MAX], what[64];
	int rc;

	node_free_capacity(node, &left);
	if (self != NULL) {
		left.filters += self->res.filters;
		left.queues += self->res.queues;
		left.buffers += self->res.buffers;
		left.program_cycles += self->res.program_cycles;
		for (unsigned int i = 0; i < node->cfg.nb_ifaces; i++) {
			left.bw[i].in_bps += self->res.bw[i].in_bps;
			left.bw[i].out_bps += self->res.bw[i].out_bps;
		}
	}
	snprintf(path, sizeof(path), "%s.filters", at);
	rc = slice_admit_one(r->filters, left.filters, path, "filters", err);
	if (rc == 0) {
		snprintf(path, sizeof(path), "%s.queues", at);
		rc = slice_admit_one(r->queues, left.queues, path, "queues", err);
	}
	if (rc == 0) {
		snprintf(path, sizeof(path), "%s.buffers", at);
		rc = slice_admit_one(r->buffers, left.buffers, path, "buffers", err);
	}
	if (rc == 0) {
		snprintf(path, sizeof(path), "%s.program_cycles_per_sec", at);
		rc = slice_admit_one(r->program_cycles, left.program_cycles, path,
				     "program cycles per second", err);
	}
	for (unsigned int i = 0; rc == 0 && i < node->cfg.nb_ifaces; i++) {
		const char *ifname = node->cfg.ifaces[i].name;

		snprintf(what, sizeof(what), "bit/s in on %s", ifname);
		snprintf(path, sizeof(path), "%s.bandwidth.%s.in_bps", at, ifname);
		rc = slice_admit_one(r->bw[i].in_bps, left.bw[i].in_bps, path, what, err);
		if (rc != 0)
			break;
		snprintf(what, sizeof(what), "bit/s out on %s", ifname);
		snprintf(path, sizeof(path), "%s.bandwidth.%s.out_bps", at, ifname);
		rc = slice_admit_one(r->bw[i].out_bps, left.bw[i].out_bps, path, what, err);
	}
	return rc;
}

/* Resolves a configured action of configuration 'c' into what the workers
 * need; defq[b] is the index of binding b's default queue in the table. */
static void
slice_resolve_action(const struct node *node, const struct slice_config *c,
		     const uint32_t *defq, const struct action_config *a,
		     struct dp_action *out)
{
	const struct binding_config *ob;
	const struct node_iface *nif;
	const struct node_iface_config *ifc;

	memset(out, 0, sizeof(*out));
	out->type = a->type;
	if (a->type != DP_ACTION_FORWARD)
		return;
	ob = &c->bindings[a->binding];
	nif = &node->ifaces[ob->iface];
	ifc = &node->cfg.ifaces[ob->iface];
	out->fwd = (struct dp_forward){
		.src_mac = nif->info.mac,
		.src_ip = ifc->ipv4,
		.dst_ip = a->peer.ip,
		.src_port = htons(ob->udp_port),
		.dst_port = htons(a->peer.port),
		.port_id = nif->port_id,
		.stat = ob->stat,
		.queue = a->has_queue ? (uint32_t)slice_config_queue(c, a->queue) :
			 defq[a->binding],
		.csum_offload = nif->info.csum_offload,
	};
	memcpy(out->fwd.dst_mac.addr_bytes, ifc->gateway_mac, RTE_ETHER_ADDR_LEN);
	dp_forward_prepare(&out->fwd);
}

/* Frees a slice table and its code option's classifiers; NULL is allowed. */
static void
slice_table_free(struct dp_slice *t)
{
	if (t == NULL)
		return;
	t->pm->table_free(t);
	program_loaded_put(t->prog);
	dp_slice_free(t);
}

/* What a code option is shown of configuration 'c': its filters as
 * rules and its routes, in c's order.  Free with slice_pm_config_free().
 * Returns 0 or -ENOMEM. */
static int
slice_pm_config(const struct slice_config *c, struct pm_config *pc)
{
	struct dp_rule *rules = calloc(c->nb_filters ? c->nb_filters : 1, sizeof(*rules));
	struct dp_route *routes = calloc(c->nb_routes ? c->nb_routes : 1, sizeof(*routes));

	if (rules == NULL || routes == NULL) {
		free(rules);
		free(routes);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < c->nb_filters; i++)
		rules[i] = (struct dp_rule){ c->filters[i].priority, c->filters[i].id,
					     c->filters[i].match };
	for (uint32_t j = 0; j < c->nb_routes; j++)
		routes[j] = (struct dp_route){ c->routes[j].prefix, c->routes[j].len };
	*pc = (struct pm_config){ rules, c->nb_filters, routes, c->nb_routes };
	return 0;
}

/* Frees what slice_pm_config() allocated. */
static void
slice_pm_config_free(struct pm_config *pc)
{
	free((void *)(uintptr_t)pc->rules);
	free((void *)(uintptr_t)pc->routes);
}

/* Sets up t's input meters: one per interface where 'res' reserves input
 * bandwidth, full at first. */
static void
slice_table_meters(const struct node *node, const struct reservation *res,
		   struct dp_slice *t)
{
	for (unsigned int i = 0; i < node->cfg.nb_ifaces; i++) {
		uint64_t rate = res->bw[i].in_bps / 8;
		struct rte_meter_srtcm_params p = {
			.cir = rate,
			.cbs = RTE_MAX(rate * DP_POLICE_BURST_US / US_PER_S,
				       (uint64_t)DP_POLICE_BURST_MIN),
		};

		p.ebs = p.cbs;
		if (rate == 0 ||
		    rte_meter_srtcm_profile_config(&t->meter_profile[i], &p) != 0 ||
		    rte_meter_srtcm_config(&t->meter[i], &t->meter_profile[i]) != 0)
			continue;
		t->metered |= 1u << i;
	}
}

/* Fills t->queues from configuration 'c' and reservation 'res': c's queues,
 * then one default queue per binding, whose indexes go to defq[]. */
static void
slice_table_queues(const struct node *node, const struct reservation *res,
		   const struct slice_config *c, struct dp_slice *t, uint32_t *defq)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < c->nb_queues; i++, k++) {
		const struct queue_config *q = &c->queues[i];

		t->queues[k] = (struct dp_queue){
			.id = q->qid,
			.slot = q->slot,
			.quantum = qm_queue_quantum(q->weight),
			.limit_packets = q->limit_packets,
			.limit_bytes = q->limit_bytes,
			.sched = (uint16_t)c->bindings[q->binding].iface,
			.out_stat = c->bindings[q->binding].stat,
			.number = q->id,
		};
	}
	t->nb_own_queues = c->nb_queues;
	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++) {
		const struct binding_config *b = &c->bindings[id];

		if (!c->present[id])
			continue;
		defq[id] = k;
		t->queues[k++] = (struct dp_queue){
			.id = b->qid,
			.slot = b->stat,
			.quantum = qm_queue_quantum(QUEUE_WEIGHT_DEFAULT),
			.limit_packets = QUEUE_LIMIT_PACKETS_DEFAULT,
			.limit_bytes = QUEUE_LIMIT_BYTES_DEFAULT,
			.sched = (uint16_t)b->iface,
			.out_stat = b->stat,
		};
	}
	t->buffers = (uint32_t)RTE_MIN(res->buffers, (uint64_t)UINT32_MAX);
	slice_table_meters(node, res, t);
	for (unsigned int i = 0; i < node->cfg.nb_ifaces; i++)
		t->quantum[i] = qm_slice_quantum(res->bw[i].out_bps,
						 node->cfg.ifaces[i].rate_bps);
}

/* Sets t's program cycle budget from 'res' (docs/bpf.md). */
static void
slice_table_prog_rate(const struct reservation *res, struct dp_slice *t)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t rate = RTE_MIN(res->program_cycles, hz);

	t->prog_rate.per_tsc = (uint64_t)(((unsigned __int128)rate << 32) / hz);
	/* A bucket of at least a cycle: a tiny reservation still runs a
	 * burst now and then. */
	t->prog_rate.depth = (int64_t)(RTE_MAX(rate * DP_PROG_BUDGET_US / US_PER_S,
					       (uint64_t)(rate != 0)) << DP_PROG_FRAC_BITS);
}

/* Builds the workers' table for configuration 'c' (counter slots set) of
 * the slice in 'slot' running 'pm' with reservation 'res'.  Returns NULL
 * and errno on failure. */
static struct dp_slice *
slice_table_build(const struct node *node, uint16_t slot, const struct pm_ops *pm,
		  const struct reservation *res, const struct slice_config *c)
{
	uint32_t nb_queues = c->nb_queues, defq[SP_MAX_BINDINGS_PER_SLICE] = { 0 };
	struct dp_slice *t;
	struct pm_config pc;
	int rc;

	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++)
		nb_queues += c->present[id];
	t = dp_slice_alloc(slot, pm, c->nb_filters, c->nb_routes, nb_queues);
	if (t == NULL)
		return NULL;
	slice_table_queues(node, res, c, t, defq);
	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++) {
		const struct binding_config *b = &c->bindings[id];
		struct dp_binding *db = &t->bindings[id];

		if (!c->present[id])
			continue;
		db->present = true;
		db->iface = (uint8_t)b->iface;
		db->port_id = node->ifaces[b->iface].port_id;
		db->stat = b->stat;
		db->ip = node->cfg.ifaces[b->iface].ipv4;
		db->udp_port = htons(b->udp_port);
		slice_resolve_action(node, c, defq, &b->default_action, &db->default_action);
	}
	for (uint32_t i = 0; i < c->nb_filters; i++) {
		t->filters[i].stat = c->filters[i].stat;
		slice_resolve_action(node, c, defq, &c->filters[i].action,
				     &t->filters[i].action);
	}
	for (uint32_t j = 0; j < c->nb_routes; j++)
		slice_resolve_action(node, c, defq, &c->routes[j].action, &t->routes[j]);
	t->prog = program_loaded_get(c->program);
	slice_table_prog_rate(res, t);

	rc = slice_pm_config(c, &pc);
	if (rc == 0) {
		rc = pm->table_build(t, &pc);
		slice_pm_config_free(&pc);
	}
	if (rc != 0) {
		dp_slice_free(t);
		errno = -rc;
		return NULL;
	}
	return t;
}

/* Publishes a view in which slot 'slot' holds 'table' (NULL: empty), then
 * frees 'old', which no worker can see any more.  Returns 0, or a negative
 * errno with nothing published and nothing freed. */
static int
slice_publish(struct node *node, uint16_t slot, struct dp_slice *table,
	      struct dp_slice *old)
{
	struct dp_view *v = dp_view_clone(dp_view_current(node->rt));
	int rc;

	if (v == NULL)
		return -ENOMEM;
	v->slices[slot] = table;
	rc = dp_view_build_demux(v);
	if (rc != 0) {
		dp_view_free(v);
		return rc;
	}
	dp_view_publish(node->rt, v);
	slice_table_free(old);
	return 0;
}

int
slice_create(struct node *node, const struct slice_params *p,
	     struct slice **out, struct sp_error *err)
{
	struct slice *s;
	int slot = -1, rc;

	if (slice_find(node, p->name) != NULL)
		return SLICE_FAIL(-EEXIST, err, "$.name", "a slice named \"%s\" exists",
				  p->name);
	rc = slice_admit(node, NULL, &p->res, "$.reservation", err);
	if (rc != 0)
		return rc;
	for (int i = 0; i < SP_MAX_SLICES && slot < 0; i++)
		if (node->slices[i] == NULL)
			slot = i;
	if (slot < 0)
		return SLICE_FAIL(-ENOSPC, err, "$",
				  "the node has its maximum of %d slices", SP_MAX_SLICES);

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return SLICE_FAIL(-ENOMEM, err, "$", "out of memory");
	snprintf(s->name, sizeof(s->name), "%s", p->name);
	s->slot = (uint16_t)slot;
	s->pm = p->pm;
	s->res = p->res;
	s->token = p->token;
	s->cfg = slice_config_new();
	rc = s->cfg == NULL ? -ENOMEM : 0;
	if (rc == 0) {
		s->serial = ++node->slice_serial;
		s->table = slice_table_build(node, s->slot, s->pm, &s->res, s->cfg);
		rc = s->table == NULL ? -errno : 0;
		if (rc == 0)
			s->table->serial = s->serial;
	}
	if (rc != 0)
		jv_fail(err, "$", "cannot create the slice: %s", strerror(-rc));
	else
		rc = state_slice_save(node, s, &s->res, s->cfg, err);
	if (rc == 0) {
		dp_stats_slice_drops(node->rt->stats, node->rt->nb_workers, s->slot,
				     s->drop_base);
		dp_stats_program(node->rt->stats, node->rt->nb_workers, s->slot,
				 &s->prog_base);
		rc = slice_publish(node, s->slot, s->table, NULL);
		if (rc != 0) {
			state_slice_remove(node, s->name, err);
			jv_fail(err, "$", "cannot create the slice: %s", strerror(-rc));
		}
	}
	if (rc != 0) {
		slice_table_free(s->table);
		slice_config_free(s->cfg);
		free(s);
		return rc;
	}
	node->slices[slot] = s;
	node->nb_slices++;
	CP_LOG(INFO, "slice %s created in slot %d (%s)", s->name, slot, s->pm->name);
	*out = s;
	return 0;
}

/* Gives back configuration c's counter slots. */
static void
slice_config_release(struct node *node, const struct slice_config *c)
{
	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++)
		if (c->present[id])
			node_stat_free(node, c->bindings[id].stat);
	for (uint32_t i = 0; i < c->nb_queues; i++)
		node_queue_slot_free(node, c->queues[i].slot);
	for (uint32_t i = 0; i < c->nb_filters; i++)
		node_filter_stat_free(node, c->filters[i].stat);
}

/* Frees a slice, its configuration and counter slots; its table is the
 * caller's. */
static void
slice_release(struct node *node, struct slice *s)
{
	slice_config_release(node, s->cfg);
	slice_config_free(s->cfg);
	node->slices[s->slot] = NULL;
	node->nb_slices--;
	free(s);
}

int
slice_delete(struct node *node, struct slice *s, struct sp_error *err)
{
	int rc = state_slice_remove(node, s->name, err);

	if (rc != 0)
		return rc;
	rc = slice_publish(node, s->slot, NULL, s->table);
	if (rc != 0) {
		/* Still here: put it back on disk. */
		state_slice_save(node, s, &s->res, s->cfg, err);
		return SLICE_FAIL(rc, err, "$", "cannot delete the slice: %s", strerror(-rc));
	}
	CP_LOG(INFO, "slice %s deleted", s->name);
	slice_release(node, s);
	of_client_sync(node->of);
	return 0;
}

void
slice_free_all(struct node *node)
{
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		struct slice *s = node->slices[i];

		if (s == NULL)
			continue;
		slice_table_free(s->table);
		slice_release(node, s);
	}
}

/* Refuses an action that names a binding 'c' lacks, or a queue 'c' lacks or
 * has on another binding.  'where'
 * is the action's path within its element ("default_action.forward",
 * "action.forward"; "" for a route, whose binding and queue are its own). */
static int
slice_check_action(const struct slice *s, const struct slice_config *c,
		   const struct action_config *a, const char *collection, int doc,
		   const char *where, struct sp_error *err)
{
	char rest[64], path[JV_PATH_MAX];
	const char *dot = where[0] != '\0' ? "." : "";

	if (a->type != DP_ACTION_FORWARD)
		return 0;
	if (a->binding >= SP_MAX_BINDINGS_PER_SLICE || !c->present[a->binding]) {
		snprintf(rest, sizeof(rest), "%s%sbinding", where, dot);
		slice_config_path(path, sizeof(path), collection, doc, rest);
		return SLICE_FAIL(-EINVAL, err, path, "slice %s has no binding %u",
				  s->name, a->binding);
	}
	if (a->has_queue) {
		int k = slice_config_queue(c, a->queue);

		snprintf(rest, sizeof(rest), "%s%squeue", where, dot);
		slice_config_path(path, sizeof(path), collection, doc, rest);
		if (k < 0)
			return SLICE_FAIL(-EINVAL, err, path, "slice %s has no queue %u",
					  s->name, a->queue);
		if (c->queues[k].binding != a->binding)
			return SLICE_FAIL(-EINVAL, err, path,
					  "queue %u is on binding %u, not on binding %u",
					  a->queue, c->queues[k].binding, a->binding);
	}
	return 0;
}

/* True if a slice other than 'self' binds UDP port 'port' on 'iface'. */
static bool
node_port_bound(const struct node *node, const struct slice *self,
		unsigned int iface, uint16_t port)
{
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		const struct slice *o = node->slices[i];

		if (o == NULL || o == self)
			continue;
		for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++)
			if (o->cfg->present[id] && o->cfg->bindings[id].iface == iface &&
			    o->cfg->bindings[id].udp_port == port)
				return true;
	}
	return false;
}

/* Two elements clash: 400 if both came in this document, else 409. */
static int
slice_clash(int doc_a, int doc_b)
{
	return doc_a >= 0 && doc_b >= 0 ? -EINVAL : -EEXIST;
}

/* Validates the bindings of 'c'. */
static int
slice_check_bindings(const struct node *node, const struct slice *s,
		     const struct slice_config *c, struct sp_error *err)
{
	char path[JV_PATH_MAX];

	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++) {
		const struct binding_config *b = &c->bindings[id];

		if (!c->present[id])
			continue;
		slice_config_path(path, sizeof(path), "bindings", b->doc, "udp_port");
		if (node_port_bound(node, s, b->iface, b->udp_port))
			return SLICE_FAIL(-EEXIST, err, path,
					  "UDP port %u on %s is bound already", b->udp_port,
					  node->cfg.ifaces[b->iface].name);
		for (unsigned int o = 0; o < id; o++) {
			const struct binding_config *x = &c->bindings[o], *bad, *other;

			if (!c->present[o] || x->iface != b->iface ||
			    x->udp_port != b->udp_port)
				continue;
			/* Blame the element that came later. */
			bad = x->doc > b->doc ? x : b;
			other = bad == b ? x : b;
			slice_config_path(path, sizeof(path), "bindings", bad->doc, "udp_port");
			return SLICE_FAIL(slice_clash(b->doc, x->doc), err, path,
					  "UDP port %u on %s is bound already by binding %u",
					  b->udp_port, node->cfg.ifaces[b->iface].name,
					  other->id);
		}
		if (slice_check_action(s, c, &b->default_action, "bindings", b->doc,
				       "default_action.forward", err))
			return -EINVAL;
	}
	return 0;
}

/* True if 'c' holds the element of a POST body (not a whole document). */
static bool
slice_config_has_body(const struct slice_config *c)
{
	for (uint32_t i = 0; i < c->nb_queues; i++)
		if (c->queues[i].doc == SLICE_DOC_BODY)
			return true;
	for (uint32_t i = 0; i < c->nb_filters; i++)
		if (c->filters[i].doc == SLICE_DOC_BODY)
			return true;
	for (uint32_t j = 0; j < c->nb_routes; j++)
		if (c->routes[j].doc == SLICE_DOC_BODY)
			return true;
	return false;
}

/* Refuses a program when s's reservation gives programs no cycles. */
static int
slice_check_program(const struct slice *s, const struct slice_config *c,
		    struct sp_error *err)
{
	if (c->program == NULL || s->res.program_cycles != 0)
		return 0;
	return SLICE_FAIL(-ENOSPC, err,
			  c->program_doc == SLICE_DOC_BODY ? "$" :
			  c->program_doc == SLICE_DOC_STORED ? "$.program_cycles_per_sec" :
			  "$.program",
			  "slice %s reserved no program_cycles_per_sec, so it may not "
			  "run a program", s->name);
}

/* Validates the queues of 'c' against its bindings and s's reservation. */
static int
slice_check_queues(const struct slice *s, const struct slice_config *c,
		   struct sp_error *err)
{
	char path[JV_PATH_MAX];

	for (uint32_t i = 0; i < c->nb_queues; i++) {
		const struct queue_config *q = &c->queues[i];

		if (q->binding >= SP_MAX_BINDINGS_PER_SLICE || !c->present[q->binding]) {
			slice_config_path(path, sizeof(path), "queues", q->doc, "binding");
			return SLICE_FAIL(-EINVAL, err, path, "slice %s has no binding %u",
					  s->name, q->binding);
		}
	}
	if (c->nb_queues > s->res.queues)
		return SLICE_FAIL(-ENOSPC, err, slice_config_has_body(c) ? "$" : "$.queues",
				  "%u queues; slice %s reserved %" PRIu64, c->nb_queues,
				  s->name, s->res.queues);
	return 0;
}

/* Validates the filters and routes of 'c' and what the code option says. */
static int
slice_check_lookup(const struct slice *s, const struct slice_config *c,
		   struct sp_error *err)
{
	char path[JV_PATH_MAX];
	struct pm_fault fault = { 0 };
	struct pm_config pc;
	int rc;

	for (uint32_t i = 0; i < c->nb_filters; i++) {
		const struct filter_config *f = &c->filters[i];

		if (!f->match.any_binding &&
		    (f->match.binding >= SP_MAX_BINDINGS_PER_SLICE ||
		     !c->present[f->match.binding])) {
			slice_config_path(path, sizeof(path), "filters", f->doc,
					  "match.binding");
			return SLICE_FAIL(-EINVAL, err, path, "slice %s has no binding %u",
					  s->name, f->match.binding);
		}
		if (slice_check_action(s, c, &f->action, "filters", f->doc,
				       "action.forward", err))
			return -EINVAL;
	}
	for (uint32_t j = 0; j < c->nb_routes; j++) {
		const struct route_config *r = &c->routes[j];

		for (uint32_t o = 0; o < j; o++) {
			const struct route_config *x = &c->routes[o], *bad, *other;

			if (x->prefix != r->prefix || x->len != r->len)
				continue;
			/* Blame the element that came later. */
			bad = x->doc > r->doc ? x : r;
			other = bad == r ? x : r;
			slice_config_path(path, sizeof(path), "routes", bad->doc, "prefix");
			return SLICE_FAIL(slice_clash(r->doc, x->doc), err, path,
					  "route %u has the same prefix", other->id);
		}
		if (slice_check_action(s, c, &r->action, "routes", r->doc, "", err))
			return -EINVAL;
	}
	if (c->nb_filters + c->nb_routes > s->res.filters)
		return SLICE_FAIL(-ENOSPC, err, slice_config_has_body(c) ? "$" :
				  c->nb_routes ? "$.routes" : "$.filters",
				  "%u filters and routes; slice %s reserved %" PRIu64,
				  c->nb_filters + c->nb_routes, s->name, s->res.filters);

	if (s->pm->validate_config == NULL)
		return 0;
	if (slice_pm_config(c, &pc) != 0)
		return SLICE_FAIL(-ENOMEM, err, "$", "out of memory");
	rc = s->pm->validate_config(&pc, &fault);
	slice_pm_config_free(&pc);
	if (rc != 0) {
		int doc = strcmp(fault.collection, "routes") == 0 ?
			  c->routes[fault.index].doc : c->filters[fault.index].doc;

		slice_config_path(path, sizeof(path), fault.collection, doc, "");
		rc = SLICE_FAIL(-EINVAL, err, path, "%s", fault.msg);
	}
	return rc;
}

/* Gives back the fresh slots (those 'old' did not have) of the first
 * 'nb_bindings' binding ids, 'nb_queues' queues and 'nb_filters' filters
 * of 'c'. */
static void
slice_config_give_fresh(struct node *node, const struct slice_config *old,
			const struct slice_config *c, unsigned int nb_bindings,
			uint32_t nb_queues, uint32_t nb_filters)
{
	for (unsigned int id = 0; id < nb_bindings; id++)
		if (c->present[id] && !old->present[id])
			node_stat_free(node, c->bindings[id].stat);
	for (uint32_t i = 0; i < nb_queues; i++)
		if (slice_config_queue(old, c->queues[i].id) < 0)
			node_queue_slot_free(node, c->queues[i].slot);
	for (uint32_t i = 0; i < nb_filters; i++)
		if (slice_config_filter(old, c->filters[i].id) < 0)
			node_filter_stat_free(node, c->filters[i].stat);
}

/* Gives configuration 'c' counter slots: the slot its element of the same
 * id had in 'old', or a fresh one.  On failure gives back the fresh ones. */
static int
slice_config_take_slots(struct node *node, const struct slice_config *old,
			struct slice_config *c, struct sp_error *err)
{
	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++) {
		int stat;

		if (!c->present[id])
			continue;
		if (old->present[id]) {
			c->bindings[id].stat = old->bindings[id].stat;
			/* Packets queued for another interface's scheduler
			 * must not stay in the queue. */
			c->bindings[id].qid = old->bindings[id].iface == c->bindings[id].iface ?
					      old->bindings[id].qid : node_qid_next(node);
			continue;
		}
		stat = node_stat_alloc(node);
		if (stat < 0) {
			slice_config_give_fresh(node, old, c, id, 0, 0);
			return SLICE_FAIL(-ENOSPC, err, "$",
					  "the node has its maximum of %d bindings",
					  SP_MAX_BINDING_SLOTS);
		}
		c->bindings[id].stat = (uint16_t)stat;
		c->bindings[id].qid = node_qid_next(node);
	}
	for (uint32_t i = 0; i < c->nb_queues; i++) {
		struct queue_config *q = &c->queues[i];
		int k = slice_config_queue(old, q->id);
		int64_t slot;

		if (k >= 0) {
			const struct queue_config *o = &old->queues[k];

			q->slot = o->slot;
			q->qid = o->binding == q->binding &&
				 old->bindings[o->binding].iface == c->bindings[q->binding].iface ?
				 o->qid : node_qid_next(node);
			continue;
		}
		slot = node_queue_slot_alloc(node);
		if (slot < 0) {
			slice_config_give_fresh(node, old, c, SP_MAX_BINDINGS_PER_SLICE, i, 0);
			return SLICE_FAIL(-ENOSPC, err, "$", "the node has no queues left");
		}
		q->slot = (uint32_t)slot;
		q->qid = node_qid_next(node);
	}
	for (uint32_t i = 0; i < c->nb_filters; i++) {
		int k = slice_config_filter(old, c->filters[i].id);
		int64_t stat;

		if (k >= 0) {
			c->filters[i].stat = old->filters[k].stat;
			continue;
		}
		stat = node_filter_stat_alloc(node);
		if (stat < 0) {
			slice_config_give_fresh(node, old, c, SP_MAX_BINDINGS_PER_SLICE,
						c->nb_queues, i);
			return SLICE_FAIL(-ENOSPC, err, "$", "the node has no filter counters left");
		}
		c->filters[i].stat = (uint32_t)stat;
	}
	return 0;
}

/* Gives back the slots of 'old' that 'c' does not keep. */
static void
slice_config_drop_slots(struct node *node, const struct slice_config *old,
			const struct slice_config *c)
{
	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++)
		if (old->present[id] && !c->present[id])
			node_stat_free(node, old->bindings[id].stat);
	for (uint32_t i = 0; i < old->nb_queues; i++)
		if (slice_config_queue(c, old->queues[i].id) < 0)
			node_queue_slot_free(node, old->queues[i].slot);
	for (uint32_t i = 0; i < old->nb_filters; i++)
		if (slice_config_filter(c, old->filters[i].id) < 0)
			node_filter_stat_free(node, old->filters[i].stat);
}

int
slice_config_apply(struct node *node, struct slice *s, struct slice_config *c,
		   struct sp_error *err)
{
	struct dp_slice *t;
	int rc;

	/* Queues first: actions name them. */
	rc = slice_check_queues(s, c, err);
	if (rc == 0)
		rc = slice_check_bindings(node, s, c, err);
	if (rc == 0)
		rc = slice_check_lookup(s, c, err);
	if (rc == 0)
		rc = slice_check_program(s, c, err);
	if (rc == 0)
		rc = slice_config_take_slots(node, s->cfg, c, err);
	if (rc != 0) {
		slice_config_free(c);
		return rc;
	}

	t = slice_table_build(node, s->slot, s->pm, &s->res, c);
	rc = t == NULL ? -errno : 0;
	if (rc == 0)
		t->serial = s->serial;
	if (rc == 0) {
		rc = state_slice_save(node, s, &s->res, c, err);
		if (rc != 0) {
			slice_table_free(t);
			slice_config_give_fresh(node, s->cfg, c, SP_MAX_BINDINGS_PER_SLICE,
						c->nb_queues, c->nb_filters);
			slice_config_free(c);
			return rc;
		}
		rc = slice_publish(node, s->slot, t, s->table);
		if (rc != 0)
			state_slice_save(node, s, &s->res, s->cfg, err);
	}
	if (rc != 0) {
		slice_table_free(t);
		slice_config_give_fresh(node, s->cfg, c, SP_MAX_BINDINGS_PER_SLICE,
					c->nb_queues, c->nb_filters);
		if (rc == -ERANGE)
			rc = SLICE_FAIL(-ENOSPC, err, slice_config_has_body(c) ? "$" : "$.filters",
					"these %u filters need more classifier memory than "
					"a slice gets for them; use fewer or simpler matches",
					c->nb_filters);
		else
			rc = SLICE_FAIL(rc, err, "$", "cannot build the slice's tables: %s",
					strerror(-rc));
		slice_config_free(c);
		return rc;
	}
	slice_config_drop_slots(node, s->cfg, c);
	slice_config_free(s->cfg);
	s->cfg = c;
	s->table = t;
	of_client_sync(node->of);
	return 0;
}

int
slice_reserve(struct node *node, struct slice *s, const struct reservation *res,
	      struct sp_error *err)
{
	struct reservation old = s->res;
	uint32_t lookup = s->cfg->nb_filters + s->cfg->nb_routes;
	struct slice_config *c;
	int rc = slice_admit(node, s, res, "$", err);

	if (rc != 0)
		return rc;
	if (lookup > res->filters)
		return SLICE_FAIL(-ENOSPC, err, "$.filters",
				  "slice %s has %u filters and routes; %" PRIu64 " is %" PRIu64
				  " too few", s->name, lookup, res->filters, lookup - res->filters);
	if (s->cfg->nb_queues > res->queues)
		return SLICE_FAIL(-ENOSPC, err, "$.queues",
				  "slice %s has %u queues; %" PRIu64 " is %" PRIu64 " too few",
				  s->name, s->cfg->nb_queues, res->queues,
				  s->cfg->nb_queues - res->queues);
	c = slice_config_copy(s->cfg);
	if (c == NULL)
		return SLICE_FAIL(-ENOMEM, err, "$", "out of memory");
	/* The configuration is checked against, and the table built for,
	 * the new reservation. */
	s->res = *res;
	rc = slice_config_apply(node, s, c, err);
	if (rc != 0)
		s->res = old;
	return rc;
}

/* A copy of s's configuration to edit, or NULL with *err set. */
static struct slice_config *
slice_config_edit(const struct slice *s, struct sp_error *err)
{
	struct slice_config *c = slice_config_copy(s->cfg);

	if (c == NULL)
		jv_fail(err, "$", "out of memory");
	return c;
}

int
binding_add(struct node *node, struct slice *s, const struct binding_config *b,
	    struct sp_error *err)
{
	struct slice_config *c;

	if (b->id >= SP_MAX_BINDINGS_PER_SLICE)
		return SLICE_FAIL(-EINVAL, err, "$.id", "binding ids go from 0 to %d",
				  SP_MAX_BINDINGS_PER_SLICE - 1);
	if (s->cfg->present[b->id])
		return SLICE_FAIL(-EEXIST, err, "$.id", "slice %s has a binding %u",
				  s->name, b->id);
	c = slice_config_edit(s, err);
	if (c == NULL)
		return -ENOMEM;
	c->present[b->id] = true;
	c->bindings[b->id] = *b;
	c->bindings[b->id].doc = SLICE_DOC_BODY;
	return slice_config_apply(node, s, c, err);
}

/* Who uses binding 'id' of 'c' (other than itself), in words; NULL if none. */
static const char *
slice_binding_user(const struct slice_config *c, uint16_t id, char *buf, size_t size)
{
	for (unsigned int o = 0; o < SP_MAX_BINDINGS_PER_SLICE; o++) {
		const struct action_config *a = &c->bindings[o].default_action;

		if (o != id && c->present[o] && a->type == DP_ACTION_FORWARD &&
		    a->binding == id) {
			snprintf(buf, size, "binding %u's default action forwards to it", o);
			return buf;
		}
	}
	for (uint32_t i = 0; i < c->nb_queues; i++) {
		if (c->queues[i].binding == id) {
			snprintf(buf, size, "queue %u is on it", c->queues[i].id);
			return buf;
		}
	}
	for (uint32_t i = 0; i < c->nb_filters; i++) {
		const struct filter_config *f = &c->filters[i];

		if ((f->action.type == DP_ACTION_FORWARD && f->action.binding == id) ||
		    (!f->match.any_binding && f->match.binding == id)) {
			snprintf(buf, size, "filter %u uses it", f->id);
			return buf;
		}
	}
	for (uint32_t j = 0; j < c->nb_routes; j++) {
		if (c->routes[j].action.binding == id) {
			snprintf(buf, size, "route %u forwards to it", c->routes[j].id);
			return buf;
		}
	}
	return NULL;
}

int
binding_remove(struct node *node, struct slice *s, uint16_t id, struct sp_error *err)
{
	struct slice_config *c;
	char user[64];

	if (id >= SP_MAX_BINDINGS_PER_SLICE || !s->cfg->present[id])
		return SLICE_FAIL(-ENOENT, err, "$", "slice %s has no binding %u",
				  s->name, id);
	if (slice_binding_user(s->cfg, id, user, sizeof(user)) != NULL)
		return SLICE_FAIL(-EBUSY, err, "$", "binding %u is in use: %s", id, user);
	c = slice_config_edit(s, err);
	if (c == NULL)
		return -ENOMEM;
	c->present[id] = false;
	return slice_config_apply(node, s, c, err);
}

/* Who names queue 'id' of 'c' in an action, in words; NULL if none. */
static const char *
slice_queue_user(const struct slice_config *c, uint32_t id, char *buf, size_t size)
{
	for (unsigned int o = 0; o < SP_MAX_BINDINGS_PER_SLICE; o++) {
		const struct action_config *a = &c->bindings[o].default_action;

		if (c->present[o] && a->type == DP_ACTION_FORWARD && a->has_queue &&
		    a->queue == id) {
			snprintf(buf, size, "binding %u's default action sends to it", o);
			return buf;
		}
	}
	for (uint32_t i = 0; i < c->nb_filters; i++) {
		const struct action_config *a = &c->filters[i].action;

		if (a->type == DP_ACTION_FORWARD && a->has_queue && a->queue == id) {
			snprintf(buf, size, "filter %u sends to it", c->filters[i].id);
			return buf;
		}
	}
	for (uint32_t j = 0; j < c->nb_routes; j++) {
		if (c->routes[j].action.has_queue && c->routes[j].action.queue == id) {
			snprintf(buf, size, "route %u sends to it", c->routes[j].id);
			return buf;
		}
	}
	return NULL;
}

int
queue_add(struct node *node, struct slice *s, const struct queue_config *q,
	  struct sp_error *err)
{
	struct slice_config *c;
	struct queue_config nq = *q;
	int rc;

	if (slice_config_queue(s->cfg, q->id) >= 0)
		return SLICE_FAIL(-EEXIST, err, "$.id", "slice %s has a queue %u",
				  s->name, q->id);
	c = slice_config_edit(s, err);
	if (c == NULL)
		return -ENOMEM;
	nq.doc = SLICE_DOC_BODY;
	rc = slice_config_add_queue(c, &nq);
	if (rc != 0) {
		slice_config_free(c);
		return SLICE_FAIL(rc, err, "$", "out of memory");
	}
	return slice_config_apply(node, s, c, err);
}

int
queue_remove(struct node *node, struct slice *s, uint32_t id, struct sp_error *err)
{
	int i = slice_config_queue(s->cfg, id);
	struct slice_config *c;
	char user[64];

	if (i < 0)
		return SLICE_FAIL(-ENOENT, err, "$", "slice %s has no queue %u",
				  s->name, id);
	if (slice_queue_user(s->cfg, id, user, sizeof(user)) != NULL)
		return SLICE_FAIL(-EBUSY, err, "$", "queue %u is in use: %s", id, user);
	c = slice_config_edit(s, err);
	if (c == NULL)
		return -ENOMEM;
	slice_config_del_queue(c, (uint32_t)i);
	return slice_config_apply(node, s, c, err);
}

int
filter_add(struct node *node, struct slice *s, const struct filter_config *f,
	   struct sp_error *err)
{
	struct slice_config *c;
	struct filter_config nf = *f;
	int rc;

	if (slice_config_filter(s->cfg, f->id) >= 0)
		return SLICE_FAIL(-EEXIST, err, "$.id", "slice %s has a filter %u",
				  s->name, f->id);
	c = slice_config_edit(s, err);
	if (c == NULL)
		return -ENOMEM;
	nf.doc = SLICE_DOC_BODY;
	rc = slice_config_add_filter(c, &nf);
	if (rc != 0) {
		slice_config_free(c);
		return SLICE_FAIL(rc, err, "$", "out of memory");
	}
	return slice_config_apply(node, s, c, err);
}

int
filter_remove(struct node *node, struct slice *s, uint32_t id, struct sp_error *err)
{
	int i = slice_config_filter(s->cfg, id);
	struct slice_config *c;

	if (i < 0)
		return SLICE_FAIL(-ENOENT, err, "$", "slice %s has no filter %u",
				  s->name, id);
	c = slice_config_edit(s, err);
	if (c == NULL)
		return -ENOMEM;
	slice_config_del_filter(c, (uint32_t)i);
	return slice_config_apply(node, s, c, err);
}

int
route_add(struct node *node, struct slice *s, const struct route_config *r,
	  struct sp_error *err)
{
	struct slice_config *c;
	struct route_config nr = *r;
	int rc;

	if (slice_config_route(s->cfg, r->id) >= 0)
		return SLICE_FAIL(-EEXIST, err, "$.id", "slice %s has a route %u",
				  s->name, r->id);
	c = slice_config_edit(s, err);
	if (c == NULL)
		return -ENOMEM;
	nr.doc = SLICE_DOC_BODY;
	rc = slice_config_add_route(c, &nr);
	if (rc != 0) {
		slice_config_free(c);
		return SLICE_FAIL(rc, err, "$", "out of memory");
	}
	return slice_config_apply(node, s, c, err);
}

int
route_remove(struct node *node, struct slice *s, uint32_t id, struct sp_error *err)
{
	int i = slice_config_route(s->cfg, id);
	struct slice_config *c;

	if (i < 0)
		return SLICE_FAIL(-ENOENT, err, "$", "slice %s has no route %u",
				  s->name, id);
	c = slice_config_edit(s, err);
	if (c == NULL)
		return -ENOMEM;
	slice_config_del_route(c, (uint32_t)i);
	return slice_config_apply(node, s, c, err);
}

int
program_set(struct node *node, struct slice *s, struct program_config *p,
	    struct sp_error *err)
{
	struct slice_config *c = slice_config_edit(s, err);

	if (c == NULL) {
		program_put(p);
		return -ENOMEM;
	}
	program_put(c->program);
	c->program = p;
	c->program_doc = SLICE_DOC_BODY;
	return slice_config_apply(node, s, c, err);
}

int
program_remove(struct node *node, struct slice *s, struct sp_error *err)
{
	struct slice_config *c;

	if (s->cfg->program == NULL)
		return SLICE_FAIL(-ENOENT, err, "", "slice %s has no program", s->name);
	c = slice_config_edit(s, err);
	if (c == NULL)
		return -ENOMEM;
	program_put(c->program);
	c->program = NULL;
	return slice_config_apply(node, s, c, err);
}

void
slice_drops_read(const struct node *node, const struct slice *s,
		 uint64_t out[DP_SLICE_DROP_MAX])
{
	dp_stats_slice_drops(node->rt->stats, node->rt->nb_workers, s->slot, out);
	for (unsigned int r = 0; r < DP_SLICE_DROP_MAX; r++)
		out[r] -= s->drop_base[r];
}

void
slice_program_read(const struct node *node, const struct slice *s,
		   struct dp_prog_counters *out)
{
	dp_stats_program(node->rt->stats, node->rt->nb_workers, s->slot, out);
	out->packets -= s->prog_base.packets;
	out->cycles -= s->prog_base.cycles;
}
