/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/slice_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slice_config *
slice_config_new(void)
{
	return calloc(1, sizeof(struct slice_config));
}

void
slice_config_free(struct slice_config *c)
{
	if (c == NULL)
		return;
	free(c->queues);
	free(c->filters);
	free(c->routes);
	program_put(c->program);
	free(c);
}

struct slice_config *
slice_config_copy(const struct slice_config *c)
{
	struct slice_config *n = malloc(sizeof(*n));

	if (n == NULL)
		return NULL;
	*n = *c;
	n->queues = NULL;
	n->filters = NULL;
	n->routes = NULL;
	n->program = program_get(c->program);
	n->program_doc = SLICE_DOC_STORED;
	if (c->nb_queues != 0) {
		n->queues = malloc(sizeof(*n->queues) * c->nb_queues);
		if (n->queues == NULL)
			goto nomem;
		memcpy(n->queues, c->queues, sizeof(*n->queues) * c->nb_queues);
	}
	if (c->nb_filters != 0) {
		n->filters = malloc(sizeof(*n->filters) * c->nb_filters);
		if (n->filters == NULL)
			goto nomem;
		memcpy(n->filters, c->filters, sizeof(*n->filters) * c->nb_filters);
	}
	if (c->nb_routes != 0) {
		n->routes = malloc(sizeof(*n->routes) * c->nb_routes);
		if (n->routes == NULL)
			goto nomem;
		memcpy(n->routes, c->routes, sizeof(*n->routes) * c->nb_routes);
	}
	for (unsigned int i = 0; i < SP_MAX_BINDINGS_PER_SLICE; i++)
		n->bindings[i].doc = SLICE_DOC_STORED;
	for (uint32_t i = 0; i < n->nb_queues; i++)
		n->queues[i].doc = SLICE_DOC_STORED;
	for (uint32_t i = 0; i < n->nb_filters; i++)
		n->filters[i].doc = SLICE_DOC_STORED;
	for (uint32_t i = 0; i < n->nb_routes; i++)
		n->routes[i].doc = SLICE_DOC_STORED;
	return n;
nomem:
	slice_config_free(n);
	return NULL;
}

static uint32_t
queue_id_at(const void *arr, uint32_t i)
{
	return ((const struct queue_config *)arr)[i].id;
}

static uint32_t
filter_id_at(const void *arr, uint32_t i)
{
	return ((const struct filter_config *)arr)[i].id;
}

static uint32_t
route_id_at(const void *arr, uint32_t i)
{
	return ((const struct route_config *)arr)[i].id;
}

/* Index of 'id' in a sorted array, or -1. */
static int
slice_config_find(const void *arr, uint32_t nb, uint32_t id,
		  uint32_t (*id_at)(const void *arr, uint32_t i))
{
	int lo = 0, hi = (int)nb - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		uint32_t at = id_at(arr, (uint32_t)mid);

		if (at == id)
			return mid;
		if (at < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

int
slice_config_queue(const struct slice_config *c, uint32_t id)
{
	return slice_config_find(c->queues, c->nb_queues, id, queue_id_at);
}

int
slice_config_filter(const struct slice_config *c, uint32_t id)
{
	return slice_config_find(c->filters, c->nb_filters, id, filter_id_at);
}

int
slice_config_route(const struct slice_config *c, uint32_t id)
{
	return slice_config_find(c->routes, c->nb_routes, id, route_id_at);
}

/* Inserts elem (of 'size' bytes, id first) into *arr of *nb, sorted by id. */
static int
slice_config_insert(void **arr, uint32_t *nb, size_t size, const void *elem,
		    uint32_t id, uint32_t (*id_at)(const void *arr, uint32_t i))
{
	uint32_t at = 0;
	char *a;

	while (at < *nb && id_at(*arr, at) < id)
		at++;
	if (at < *nb && id_at(*arr, at) == id)
		return -EEXIST;
	a = realloc(*arr, size * (*nb + 1));
	if (a == NULL)
		return -ENOMEM;
	memmove(a + size * (at + 1), a + size * at, size * (*nb - at));
	memcpy(a + size * at, elem, size);
	*arr = a;
	(*nb)++;
	return 0;
}

int
slice_config_add_queue(struct slice_config *c, const struct queue_config *q)
{
	return slice_config_insert((void **)&c->queues, &c->nb_queues, sizeof(*q),
				   q, q->id, queue_id_at);
}

int
slice_config_add_filter(struct slice_config *c, const struct filter_config *f)
{
	return slice_config_insert((void **)&c->filters, &c->nb_filters, sizeof(*f),
				   f, f->id, filter_id_at);
}

int
slice_config_add_route(struct slice_config *c, const struct route_config *r)
{
	return slice_config_insert((void **)&c->routes, &c->nb_routes, sizeof(*r),
				   r, r->id, route_id_at);
}

void
slice_config_del_queue(struct slice_config *c, uint32_t i)
{
	memmove(&c->queues[i], &c->queues[i + 1],
		sizeof(*c->queues) * (c->nb_queues - i - 1));
	c->nb_queues--;
}

void
slice_config_del_filter(struct slice_config *c, uint32_t i)
{
	memmove(&c->filters[i], &c->filters[i + 1],
		sizeof(*c->filters) * (c->nb_filters - i - 1));
	c->nb_filters--;
}

void
slice_config_del_route(struct slice_config *c, uint32_t i)
{
	memmove(&c->routes[i], &c->routes[i + 1],
		sizeof(*c->routes) * (c->nb_routes - i - 1));
	c->nb_routes--;
}

/* The lowest id missing from a sorted array. */
static uint32_t
slice_config_free_id(const void *arr, uint32_t nb,
		     uint32_t (*id_at)(const void *arr, uint32_t i))
{
	uint32_t want = 0;

	for (uint32_t i = 0; i < nb && id_at(arr, i) == want; i++)
		want++;
	return want;
}

uint32_t
slice_config_free_queue_id(const struct slice_config *c)
{
	return slice_config_free_id(c->queues, c->nb_queues, queue_id_at);
}

uint32_t
slice_config_free_filter_id(const struct slice_config *c)
{
	return slice_config_free_id(c->filters, c->nb_filters, filter_id_at);
}

uint32_t
slice_config_free_route_id(const struct slice_config *c)
{
	return slice_config_free_id(c->routes, c->nb_routes, route_id_at);
}

void
slice_config_path(char *buf, size_t size, const char *collection, int doc,
		  const char *rest)
{
	const char *dot = rest[0] != '\0' ? "." : "";

	if (doc >= 0)
		snprintf(buf, size, "$.%s[%d]%s%s", collection, doc, dot, rest);
	else
		snprintf(buf, size, "$%s%s", dot, rest);
}
