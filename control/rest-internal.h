/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_REST_INTERNAL_H
#define SP_CONTROL_REST_INTERNAL_H

/* Between the REST server (rest.c) and its resource handlers. */

#include <stdint.h>

#include <event2/http.h>
#include <jansson.h>

#include "control/jsonv.h"
#include "control/node.h"
#include "control/slice.h"

#define REST_MAX_ARGS 4

/* One request, as a handler sees it. */
struct rest_req {
	struct evhttp_request *http;
	struct node *node;
	struct slice *slice;            /* the {name} in the path, if any */
	const char *args[REST_MAX_ARGS];        /* the path's {} segments */
	json_t *body;                   /* parsed JSON body of POST and PUT */
};

/* Replies 'status' with JSON 'body' (reference stolen; NULL: no body). */
void rest_reply(struct rest_req *r, int status, json_t *body);

/* Replies with the contract's error body. */
void rest_reply_error(struct rest_req *r, int status, const char *code,
		      const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Replies with the error an action returned: 'rc' (a negative errno) picks
 * the status and code, *err gives the path and message. */
void rest_reply_action_error(struct rest_req *r, int rc, const struct sp_error *err);

/* Handlers: one per route, in rest_handlers.c. */
void rest_node_get(struct rest_req *r);
void rest_node_stats(struct rest_req *r);
void rest_slices_list(struct rest_req *r);
void rest_slices_create(struct rest_req *r);
void rest_slice_get(struct rest_req *r);
void rest_slice_delete(struct rest_req *r);
void rest_bindings_list(struct rest_req *r);
void rest_bindings_add(struct rest_req *r);
void rest_binding_delete(struct rest_req *r);
void rest_reservation_put(struct rest_req *r);
void rest_queues_list(struct rest_req *r);
void rest_queues_add(struct rest_req *r);
void rest_queue_delete(struct rest_req *r);
void rest_filters_list(struct rest_req *r);
void rest_filters_add(struct rest_req *r);
void rest_filter_delete(struct rest_req *r);
void rest_routes_list(struct rest_req *r);
void rest_routes_add(struct rest_req *r);
void rest_route_delete(struct rest_req *r);
void rest_config_get(struct rest_req *r);
void rest_program_get(struct rest_req *r);
void rest_program_put(struct rest_req *r);
void rest_program_delete(struct rest_req *r);
void rest_config_put(struct rest_req *r);
void rest_slice_stats(struct rest_req *r);

#endif /* SP_CONTROL_REST_INTERNAL_H */
