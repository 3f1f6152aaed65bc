/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_SLICE_JSON_H
#define SP_CONTROL_SLICE_JSON_H

/*
 * The JSON forms of the node, slices, bindings and their counters
 * (../shared/API.md): documents parsed into action parameters, and objects
 * rendered back.  Parsing checks shape, types, ranges and names against the
 * node's interfaces; the actions in slice.c check the rest.  Control plane
 * only.
 */

#include <jansson.h>

#include "control/jsonv.h"
#include "control/node.h"
#include "control/slice.h"

/* Parses a slice creation document.  Returns 0 or -EINVAL with *err set. */
int slice_params_parse(const struct node *node, const json_t *doc,
		       struct slice_params *p, struct sp_error *err);

/* Parses a binding document; a binding without "id" gets the lowest id
 * slice 's' has free.  Returns 0, -EINVAL, or -ENOSPC if the slice has no
 * free id, with *err set. */
int binding_config_parse(const struct node *node, const struct slice *s,
			 const json_t *doc, struct binding_config *b,
			 struct sp_error *err);

/* Parses a filter document for slice 's' (its code option's match form);
 * without "id" it gets the lowest free one.  Returns 0 or -EINVAL. */
int filter_config_parse(const struct slice *s, const json_t *doc,
			struct filter_config *f, struct sp_error *err);

/* Parses a route document; without "id" it gets the lowest free one. */
int route_config_parse(const struct slice *s, const json_t *doc,
		       struct route_config *r, struct sp_error *err);

/* Parses a whole configuration document (PUT .../config) for slice 's':
 * every element keeps its index in the document for error paths.  Returns
 * the configuration, or NULL with *err set. */
struct slice_config *slice_config_parse(const struct node *node, const struct slice *s,
					const json_t *doc, struct sp_error *err);

/* Renders one filter, one route. */
json_t *filter_to_json(const struct filter_config *f);
json_t *route_to_json(const struct route_config *r);

/* Renders the slice's filters, routes, or whole configuration. */
json_t *filters_to_json(const struct slice *s);
json_t *routes_to_json(const struct slice *s);
json_t *slice_config_to_json(const struct node *node, const struct slice *s);

/* Renders a slice: name, code option, reservation and, if 'with_config',
 * its configuration.  New reference, or NULL on allocation failure. */
json_t *slice_to_json(const struct node *node, const struct slice *s, bool with_config);

/* Renders binding 'id' of slice 's'. */
json_t *binding_to_json(const struct node *node, const struct slice *s, uint16_t id);

/* Renders the slice's bindings as an array. */
json_t *bindings_to_json(const struct node *node, const struct slice *s);

/* Renders a slice's counters. */
json_t *slice_stats_to_json(const struct node *node, const struct slice *s);

/* Renders GET /v1/node. */
json_t *node_to_json(const struct node *node);

/* Renders GET /v1/stats. */
json_t *node_stats_to_json(const struct node *node);

#endif /* SP_CONTROL_SLICE_JSON_H */
