/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/tables.h"

#include <errno.h>
#include <string.h>

#include <rte_malloc.h>

struct dp_slice *
dp_slice_alloc(uint16_t slot, const struct pm_ops *pm, uint32_t nb_filters,
	       uint32_t nb_routes, uint32_t nb_queues)
{
	struct dp_slice *s = rte_zmalloc("dp_slice", sizeof(*s), RTE_CACHE_LINE_SIZE);

	if (s == NULL)
		goto nomem;
	s->slot = slot;
	s->pm = pm;
	s->nb_filters = nb_filters;
	s->nb_routes = nb_routes;
	if (nb_filters != 0) {
		s->filters = rte_zmalloc("dp_filters", sizeof(*s->filters) * nb_filters,
					 RTE_CACHE_LINE_SIZE);
		if (s->filters == NULL)
			goto nomem;
	}
	if (nb_routes != 0) {
		s->routes = rte_zmalloc("dp_routes", sizeof(*s->routes) * nb_routes,
					RTE_CACHE_LINE_SIZE);
		if (s->routes == NULL)
			goto nomem;
	}
	s->meter = rte_zmalloc("dp_meter", sizeof(*s->meter) * SP_MAX_PORTS,
			       RTE_CACHE_LINE_SIZE);
	if (s->meter == NULL)
		goto nomem;
	s->nb_queues = nb_queues;
	if (nb_queues != 0) {
		s->queues = rte_zmalloc("dp_queues", sizeof(*s->queues) * nb_queues,
					RTE_CACHE_LINE_SIZE);
		if (s->queues == NULL)
			goto nomem;
	}
	return s;
nomem:
	dp_slice_free(s);
	errno = ENOMEM;
	return NULL;
}

void
dp_slice_free(struct dp_slice *s)
{
	if (s == NULL)
		return;
	rte_free(s->filters);
	rte_free(s->routes);
	rte_free(s->queues);
	rte_free(s->meter);
	rte_free(s);
}

struct dp_view *
dp_view_clone(const struct dp_view *old)
{
	struct dp_view *v = rte_zmalloc("dp_view", sizeof(*v), RTE_CACHE_LINE_SIZE);

	if (v == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	if (old != NULL) {
		memcpy(v->slices, old->slices, sizeof(v->slices));
		v->gen = old->gen + 1;
	}
	return v;
}

/* Frees the demux tables in 'demux'[RTE_MAX_ETHPORTS] and clears it. */
static void
dp_demux_tables_free(struct dp_demux_port **demux)
{
	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++) {
		rte_free(demux[p]);
		demux[p] = NULL;
	}
}

/* Enters binding 'b' of the slice in slot 'slot' into demux[], allocating
 * its port's table on the port's first binding.  Returns 0 or a negative
 * errno as dp_view_build_demux() documents. */
static int
dp_demux_tables_add(struct dp_demux_port **demux, const struct dp_binding *bd,
		    unsigned int slot, unsigned int b)
{
	struct dp_demux_port *t;
	uint32_t *e;

	if (bd->port_id >= RTE_MAX_ETHPORTS)
		return -EINVAL;
	t = demux[bd->port_id];
	if (t == NULL) {
		t = rte_zmalloc("dp_demux", sizeof(*t), RTE_CACHE_LINE_SIZE);
		if (t == NULL)
			return -ENOMEM;
		t->ip = bd->ip;
		demux[bd->port_id] = t;
	} else if (t->ip != bd->ip) {
		return -EINVAL;
	}
	e = &t->entry[rte_be_to_cpu_16(bd->udp_port)];
	if (*e != 0)
		return -EEXIST;
	*e = DP_DEMUX_ENTRY(slot, b);
	return 0;
}

int
dp_view_build_demux(struct dp_view *v)
{
	struct dp_demux_port *demux[RTE_MAX_ETHPORTS] = { NULL };

	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		const struct dp_slice *s = v->slices[i];

		if (s == NULL)
			continue;
		for (unsigned int b = 0; b < SP_MAX_BINDINGS_PER_SLICE; b++) {
			int rc;

			if (!s->bindings[b].present)
				continue;
			rc = dp_demux_tables_add(demux, &s->bindings[b], i, b);
			if (rc != 0) {
				dp_demux_tables_free(demux);
				return rc;
			}
		}
	}
	dp_demux_tables_free(v->demux);
	memcpy(v->demux, demux, sizeof(v->demux));
	return 0;
}

void
dp_view_free(struct dp_view *v)
{
	if (v == NULL)
		return;
	dp_demux_tables_free(v->demux);
	rte_free(v);
}
