/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_TOOLS_SLICECTL_VIEW_H
#define SP_TOOLS_SLICECTL_VIEW_H

/*
 * How slicectl shows the API's documents (docs/api.md) to a person: the
 * columns of each kind of object, and one function per document that
 * prints it to stdout as aligned tables.  Single-threaded.
 */

#include <stddef.h>

#include <jansson.h>

#include "tools/slicectl_table.h"

/* One of a slice's collections: its path under the slice and its table. */
struct sc_coll {
	const char *path;		/* "bindings": also its key in a config */
	const char *name;		/* "binding", in messages */
	const struct sc_col *cols;
	size_t ncols;
};

enum sc_coll_id {
	SC_COLL_BINDINGS,
	SC_COLL_QUEUES,
	SC_COLL_FILTERS,
	SC_COLL_ROUTES,
	SC_COLL_MAX,
};

/* The collections of a slice's configuration, in GET .../config's order. */
extern const struct sc_coll sc_colls[SC_COLL_MAX];

/* Prints 'doc' as indented JSON, members in the order received. */
void sc_view_json(json_t *doc);

/* Prints GET /v1/node: the node, its interfaces, capacity and what is free. */
void sc_view_node(json_t *node);

/* Prints GET /v1/slices: one row per slice with its reservation. */
void sc_view_slices(json_t *slices);

/* Prints GET /v1/slices/NAME: the slice, its reservation, its config. */
void sc_view_slice(json_t *slice);

/* Prints a slice's configuration: one table per collection. */
void sc_view_config(json_t *config);

/* Prints the array 'rows' of the collection 'coll'. */
void sc_view_coll(const struct sc_coll *coll, json_t *rows);

/* Prints GET /v1/stats.  With 'rates' (not NULL) rate columns replace the
 * byte counters, from rates->prev, the previous sample (NULL: none yet),
 * rates->dt seconds before. */
void sc_view_node_stats(json_t *doc, const struct sc_rates *rates);

/* Prints GET /v1/slices/NAME/stats; 'rates' as for sc_view_node_stats(). */
void sc_view_slice_stats(json_t *doc, const struct sc_rates *rates);

#endif /* SP_TOOLS_SLICECTL_VIEW_H */
