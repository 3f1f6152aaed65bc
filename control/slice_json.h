/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_SLICE_JSON_H
#define SP_CONTROL_SLICE_JSON_H

/*
 * The JSON forms of the node, slices and their counters (../shared/API.md):
 * slice creation documents parsed into action parameters, and objects
 * rendered back.  A slice's configuration (bindings, filters, routes) has
 * its own file, control/config_json.h.  Control plane only.
 */

#include <jansson.h>

#include "control/jsonv.h"
#include "control/node.h"
#include "control/slice.h"

/* Parses a slice creation document.  Returns 0 or -EINVAL with *err set. */
int slice_params_parse(const struct node *node, const json_t *doc,
		       struct slice_params *p, struct sp_error *err);

/* Parses a reservation object at JSON path 'path'.  Returns 0 or -EINVAL
 * with *err set. */
int reservation_parse(const struct node *node, const json_t *v, const char *path,
		      struct reservation *r, struct sp_error *err);

/* Renders a reservation as it was given. */
json_t *reservation_to_json(const struct node *node, const struct reservation *r);

/* Renders a slice: name, code option, reservation and, if 'with_config',
 * its configuration.  New reference, or NULL on allocation failure. */
json_t *slice_to_json(const struct node *node, const struct slice *s, bool with_config);

/* Renders a slice's counters. */
json_t *slice_stats_to_json(const struct node *node, const struct slice *s);

/* Renders GET /v1/node. */
json_t *node_to_json(const struct node *node);

/* Renders GET /v1/stats. */
json_t *node_stats_to_json(const struct node *node);

#endif /* SP_CONTROL_SLICE_JSON_H */
