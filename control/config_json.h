/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_CONFIG_JSON_H
#define SP_CONTROL_CONFIG_JSON_H

/*
 * The JSON forms of a slice's configuration (../shared/API.md): bindings,
 * filters, routes, and the whole document of PUT .../config.  Parsing
 * checks shape, types, ranges, prefixes and names against the node's
 * interfaces and the slice's code option, naming the JSON path of every
 * fault; slice_config_apply() (control/slice.h) checks the rest.  Rendering
 * gives back what was stored, field for field.  Control plane only.
 */

#include <jansson.h>

#include "control/jsonv.h"
#include "control/node.h"
#include "control/slice.h"
#include "control/slice_config.h"

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

/* Parses a queue document; without "id" it gets the lowest free one. */
int queue_config_parse(const struct slice *s, const json_t *doc,
		       struct queue_config *q, struct sp_error *err);

/* Parses a route document; without "id" it gets the lowest free one. */
int route_config_parse(const struct slice *s, const json_t *doc,
		       struct route_config *r, struct sp_error *err);

/* Parses a whole configuration document (PUT .../config) for slice 's':
 * every element keeps its index in the document for error paths.  Returns
 * the configuration, or NULL with *err set. */
struct slice_config *slice_config_parse(const struct node *node, const struct slice *s,
					const json_t *doc, struct sp_error *err);

/* Parses and loads a program document at 'path' ("$.program" in a
 * configuration, "$" for PUT .../program): a refusal names the field at
 * fault and carries libpcap's, libbpf's or the verifier's reason.
 * Returns 0 with a reference in *out, -EINVAL or -ENOMEM with *err set. */
int program_config_parse(const struct node *node, const json_t *v, const char *path,
			 struct program_config **out, struct sp_error *err);

/* Renders a program as stored (NULL: none, gives NULL). */
json_t *program_to_json(const struct program_config *p);

/* Renders binding 'id' of configuration 'c', or all its bindings as an
 * array. */
json_t *binding_to_json(const struct node *node, const struct slice_config *c,
			uint16_t id);
json_t *bindings_to_json(const struct node *node, const struct slice_config *c);

/* Renders one queue, one filter, one route. */
json_t *queue_to_json(const struct queue_config *q);
json_t *filter_to_json(const struct filter_config *f);
json_t *route_to_json(const struct route_config *r);

/* Renders configuration c's queues, filters, routes, or all of it, as
 * stored (the form PUT .../config takes back). */
json_t *queues_to_json(const struct slice_config *c);
json_t *filters_to_json(const struct slice_config *c);
json_t *routes_to_json(const struct slice_config *c);
json_t *slice_config_to_json(const struct node *node, const struct slice_config *c);

#endif /* SP_CONTROL_CONFIG_JSON_H */
