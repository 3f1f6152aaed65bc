/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/tables.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash_crc.h>
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

/* Counts the bindings of every slice in 'v'. */
static uint32_t
dp_view_count_bindings(const struct dp_view *v)
{
	uint32_t n = 0;

	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		const struct dp_slice *s = v->slices[i];

		if (s == NULL)
			continue;
		for (unsigned int b = 0; b < SP_MAX_BINDINGS_PER_SLICE; b++)
			n += s->bindings[b].present;
	}
	return n;
}

int
dp_view_build_demux(struct dp_view *v)
{
	/* rte_hash names live in one namespace per process. */
	static unsigned int generation;
	char name[RTE_HASH_NAMESIZE];
	uint32_t n = dp_view_count_bindings(v);
	struct rte_hash_parameters params = {
		.name = name,
		/* Half full at most keeps lookups in the primary bucket. */
		.entries = RTE_MAX(2 * n, 64u),
		.key_len = sizeof(struct dp_demux_key),
		.hash_func = rte_hash_crc,
		.socket_id = SOCKET_ID_ANY,
	};
	struct rte_hash *h;

	snprintf(name, sizeof(name), "demux_%u", generation++);
	h = rte_hash_create(&params);
	if (h == NULL)
		return -ENOMEM;

	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		const struct dp_slice *s = v->slices[i];

		if (s == NULL)
			continue;
		for (unsigned int b = 0; b < SP_MAX_BINDINGS_PER_SLICE; b++) {
			const struct dp_binding *bd = &s->bindings[b];
			struct dp_demux_key key = {
				.ip = bd->ip,
				.udp_port = bd->udp_port,
				.port_id = bd->port_id,
			};
			int rc;

			if (!bd->present)
				continue;
			if (rte_hash_lookup(h, &key) >= 0) {
				rte_hash_free(h);
				return -EEXIST;
			}
			rc = rte_hash_add_key_data(h, &key, DP_DEMUX_DATA(i, b));
			if (rc < 0) {
				rte_hash_free(h);
				return rc;
			}
		}
	}
	v->demux = h;
	return 0;
}

void
dp_view_free(struct dp_view *v)
{
	if (v == NULL)
		return;
	rte_hash_free(v->demux);
	rte_free(v);
}
