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

#include "control/log.h"
#include "control/token.h"
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
slice_find_by_token(const struct node *node, const char *token)
{
	struct slice *found = NULL;

	/* Compare with every slice, so the time taken does not say which. */
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++)
		if (node->slices[i] != NULL && token_equal(node->slices[i]->token, token))
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

/* Refuses a reservation larger than what the node has left, naming the
 * first resource that does not fit. */
static int
slice_admit(const struct node *node, const struct reservation *r, struct sp_error *err)
{
	struct reservation left;
	char path[JV_PATH_MAX], what[64];
	int rc;

	node_free_capacity(node, &left);
	rc = slice_admit_one(r->filters, left.filters, "$.reservation.filters",
			     "filters", err);
	if (rc == 0)
		rc = slice_admit_one(r->queues, left.queues, "$.reservation.queues",
				     "queues", err);
	if (rc == 0)
		rc = slice_admit_one(r->buffers, left.buffers, "$.reservation.buffers",
				     "buffers", err);
	for (unsigned int i = 0; rc == 0 && i < node->cfg.nb_ifaces; i++) {
		const char *ifname = node->cfg.ifaces[i].name;

		snprintf(what, sizeof(what), "bit/s in on %s", ifname);
		snprintf(path, sizeof(path), "$.reservation.bandwidth.%s.in_bps", ifname);
		rc = slice_admit_one(r->bw[i].in_bps, left.bw[i].in_bps, path, what, err);
		if (rc != 0)
			break;
		snprintf(what, sizeof(what), "bit/s out on %s", ifname);
		snprintf(path, sizeof(path), "$.reservation.bandwidth.%s.out_bps", ifname);
		rc = slice_admit_one(r->bw[i].out_bps, left.bw[i].out_bps, path, what, err);
	}
	return rc;
}

/* Resolves a configured action of slice draft 'd' into what the workers need. */
static void
slice_resolve_action(const struct node *node, const struct slice *d,
		     const struct action_config *a, struct dp_action *out)
{
	const struct binding_config *ob;
	const struct node_iface *nif;
	const struct node_iface_config *ifc;

	memset(out, 0, sizeof(*out));
	out->type = a->type;
	if (a->type != DP_ACTION_FORWARD)
		return;
	ob = &d->bindings[a->binding];
	nif = &node->ifaces[ob->iface];
	ifc = &node->cfg.ifaces[ob->iface];
	out->fwd = (struct dp_forward){
		.src_mac = nif->info.mac,
		.src_ip = ifc->ipv4,
		.dst_ip = a->peer.ip,
		.src_port = htons(ob->udp_port),
		.dst_port = htons(a->peer.port),
		.port_id = nif->port_id,
		.stat = d->stat[a->binding],
		.csum_offload = nif->info.csum_offload,
	};
	memcpy(out->fwd.dst_mac.addr_bytes, ifc->gateway_mac, RTE_ETHER_ADDR_LEN);
}

/* Builds the workers' table for slice draft 'd'; NULL and errno on failure. */
static struct dp_slice *
slice_table_build(const struct node *node, const struct slice *d)
{
	struct dp_slice *t = dp_slice_alloc(d->slot, d->pm);

	if (t == NULL)
		return NULL;
	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++) {
		const struct binding_config *b = &d->bindings[id];
		struct dp_binding *db = &t->bindings[id];

		if (!d->present[id])
			continue;
		db->present = true;
		db->port_id = node->ifaces[b->iface].port_id;
		db->stat = d->stat[id];
		db->ip = node->cfg.ifaces[b->iface].ipv4;
		db->udp_port = htons(b->udp_port);
		slice_resolve_action(node, d, &b->default_action, &db->default_action);
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
	dp_slice_free(old);
	return 0;
}

/* Fills 'token' with a fresh random slice token. */
static int
slice_token_new(char token[SLICE_TOKEN_LEN + 1])
{
	return token_generate(token, SLICE_TOKEN_LEN + 1);
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
	rc = slice_admit(node, &p->res, err);
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
	rc = slice_token_new(s->token);
	if (rc == 0) {
		s->table = slice_table_build(node, s);
		rc = s->table == NULL ? -ENOMEM : 0;
	}
	if (rc == 0) {
		dp_stats_slice_drops(node->rt->stats, node->rt->nb_workers, s->slot,
				     s->drop_base);
		rc = slice_publish(node, s->slot, s->table, NULL);
	}
	if (rc != 0) {
		dp_slice_free(s->table);
		free(s);
		return SLICE_FAIL(rc, err, "$", "cannot create the slice: %s", strerror(-rc));
	}
	node->slices[slot] = s;
	node->nb_slices++;
	CP_LOG(INFO, "slice %s created in slot %d (%s)", s->name, slot, s->pm->name);
	*out = s;
	return 0;
}

/* Frees a slice's counter slots and the slice; its table is the caller's. */
static void
slice_release(struct node *node, struct slice *s)
{
	for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++)
		if (s->present[id])
			node_stat_free(node, s->stat[id]);
	node->slices[s->slot] = NULL;
	node->nb_slices--;
	free(s);
}

int
slice_delete(struct node *node, struct slice *s)
{
	int rc = slice_publish(node, s->slot, NULL, s->table);

	if (rc != 0)
		return rc;
	CP_LOG(INFO, "slice %s deleted", s->name);
	slice_release(node, s);
	return 0;
}

void
slice_free_all(struct node *node)
{
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		struct slice *s = node->slices[i];

		if (s == NULL)
			continue;
		dp_slice_free(s->table);
		slice_release(node, s);
	}
}

/* Checks a default action against slice draft 'd' (which includes the
 * binding being added). */
static int
slice_check_action(const struct slice *d, const struct action_config *a,
		   struct sp_error *err)
{
	if (a->type != DP_ACTION_FORWARD)
		return 0;
	if (a->binding >= SP_MAX_BINDINGS_PER_SLICE || !d->present[a->binding])
		return SLICE_FAIL(-EINVAL, err, "$.default_action.forward.binding",
				  "slice %s has no binding %u", d->name, a->binding);
	if (a->has_queue)
		return SLICE_FAIL(-EINVAL, err, "$.default_action.forward.queue",
				  "slice %s has no queue %u", d->name, a->queue);
	return 0;
}

/* True if some slice binds UDP port 'port' on interface 'iface'. */
static bool
node_port_bound(const struct node *node, unsigned int iface, uint16_t port)
{
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		const struct slice *s = node->slices[i];

		if (s == NULL)
			continue;
		for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++)
			if (s->present[id] && s->bindings[id].iface == iface &&
			    s->bindings[id].udp_port == port)
				return true;
	}
	return false;
}

/* Builds and publishes the table of draft 'd' for slice 's'; on success the
 * draft becomes the slice. */
static int
slice_commit(struct node *node, struct slice *s, struct slice *d, struct sp_error *err)
{
	struct dp_slice *t = slice_table_build(node, d);
	int rc;

	if (t == NULL)
		return SLICE_FAIL(-ENOMEM, err, "$", "out of memory");
	rc = slice_publish(node, s->slot, t, s->table);
	if (rc != 0) {
		dp_slice_free(t);
		return SLICE_FAIL(rc, err, "$", "cannot publish the change: %s",
				  strerror(-rc));
	}
	d->table = t;
	*s = *d;
	return 0;
}

int
binding_add(struct node *node, struct slice *s, const struct binding_config *b,
	    struct sp_error *err)
{
	struct slice *d;
	int stat, rc;

	if (b->id >= SP_MAX_BINDINGS_PER_SLICE)
		return SLICE_FAIL(-EINVAL, err, "$.id", "binding ids go from 0 to %d",
				  SP_MAX_BINDINGS_PER_SLICE - 1);
	if (s->present[b->id])
		return SLICE_FAIL(-EEXIST, err, "$.id", "slice %s has a binding %u",
				  s->name, b->id);
	if (node_port_bound(node, b->iface, b->udp_port))
		return SLICE_FAIL(-EEXIST, err, "$.udp_port",
				  "UDP port %u on %s is bound already", b->udp_port,
				  node->cfg.ifaces[b->iface].name);

	d = malloc(sizeof(*d));
	if (d == NULL)
		return SLICE_FAIL(-ENOMEM, err, "$", "out of memory");
	*d = *s;
	d->present[b->id] = true;
	d->bindings[b->id] = *b;
	rc = slice_check_action(d, &b->default_action, err);
	if (rc == 0) {
		stat = node_stat_alloc(node);
		if (stat < 0)
			rc = SLICE_FAIL(-ENOSPC, err, "$",
					"the node has its maximum of %d bindings",
					SP_MAX_BINDING_SLOTS);
	}
	if (rc == 0) {
		d->stat[b->id] = (uint16_t)stat;
		rc = slice_commit(node, s, d, err);
		if (rc != 0)
			node_stat_free(node, (uint16_t)stat);
	}
	free(d);
	return rc;
}

int
binding_remove(struct node *node, struct slice *s, uint16_t id, struct sp_error *err)
{
	struct slice *d;
	uint16_t stat;
	int rc;

	if (id >= SP_MAX_BINDINGS_PER_SLICE || !s->present[id])
		return SLICE_FAIL(-ENOENT, err, "$", "slice %s has no binding %u",
				  s->name, id);
	for (unsigned int o = 0; o < SP_MAX_BINDINGS_PER_SLICE; o++) {
		const struct action_config *a = &s->bindings[o].default_action;

		if (o != id && s->present[o] && a->type == DP_ACTION_FORWARD &&
		    a->binding == id)
			return SLICE_FAIL(-EBUSY, err, "$",
					  "binding %u is the output of binding %u's "
					  "default action", id, o);
	}

	d = malloc(sizeof(*d));
	if (d == NULL)
		return SLICE_FAIL(-ENOMEM, err, "$", "out of memory");
	*d = *s;
	d->present[id] = false;
	stat = s->stat[id];
	rc = slice_commit(node, s, d, err);
	if (rc == 0)
		node_stat_free(node, stat);
	free(d);
	return rc;
}

void
slice_drops_read(const struct node *node, const struct slice *s,
		 uint64_t out[DP_SLICE_DROP_MAX])
{
	dp_stats_slice_drops(node->rt->stats, node->rt->nb_workers, s->slot, out);
	for (unsigned int r = 0; r < DP_SLICE_DROP_MAX; r++)
		out[r] -= s->drop_base[r];
}
