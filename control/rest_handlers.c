/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/* REST resource handlers: parse, call one action, render. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "control/config_json.h"
#include "control/rest-internal.h"
#include "control/slice_json.h"

void
rest_node_get(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, node_to_json(r->node));
}

void
rest_node_stats(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, node_stats_to_json(r->node));
}

void
rest_slices_list(struct rest_req *r)
{
	json_t *a = json_array();

	for (unsigned int i = 0; a != NULL && i < SP_MAX_SLICES; i++)
		if (r->node->slices[i] != NULL)
			json_array_append_new(a, slice_to_json(r->node, r->node->slices[i],
							       false));
	rest_reply(r, HTTP_OK, a);
}

void
rest_slices_create(struct rest_req *r)
{
	char location[64], token[SLICE_TOKEN_LEN + 1];
	struct slice_params p;
	struct sp_error err;
	struct slice *s;
	int rc;

	rc = slice_params_parse(r->node, r->body, &p, &err);
	if (rc == 0) {
		/* The token is shown once, here; the node keeps its hash. */
		rc = token_generate(token, sizeof(token));
		if (rc != 0)
			jv_fail(&err, "$", "cannot generate a token: %s", strerror(-rc));
	}
	if (rc == 0) {
		token_hash(token, &p.token);
		rc = slice_create(r->node, &p, &s, &err);
	}
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	snprintf(location, sizeof(location), "/v1/slices/%s", s->name);
	evhttp_add_header(evhttp_request_get_output_headers(r->http), "Location", location);
	rest_reply(r, 201, json_pack("{s:s, s:s}", "name", s->name, "token", token));
	memset(token, 0, sizeof(token));
}

void
rest_slice_get(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, slice_to_json(r->node, r->slice, true));
}

void
rest_slice_delete(struct rest_req *r)
{
	struct sp_error err;
	int rc = slice_delete(r->node, r->slice, &err);

	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_NOCONTENT, NULL);
}

void
rest_bindings_list(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, bindings_to_json(r->node, r->slice->cfg));
}

void
rest_bindings_add(struct rest_req *r)
{
	struct binding_config b;
	struct sp_error err;
	int rc;

	rc = binding_config_parse(r->node, r->slice, r->body, &b, &err);
	if (rc == 0)
		rc = binding_add(r->node, r->slice, &b, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, 201, binding_to_json(r->node, r->slice->cfg, b.id));
}

/* Parses an id path segment: decimal, no sign, no leading zeros, at most
 * 'max'. */
static int
rest_parse_id(const char *s, uint64_t max, uint32_t *id)
{
	char *end;
	unsigned long long v;

	if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1] != '\0'))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -EINVAL;
	*id = (uint32_t)v;
	return 0;
}

/* Replies 404 for an id segment that names no object of 'what'. */
static void
rest_reply_no_such(struct rest_req *r, const char *what)
{
	rest_reply_error(r, HTTP_NOTFOUND, "not_found", "", "slice %s has no %s \"%.16s\"",
			 r->slice->name, what, r->args[1]);
}

void
rest_binding_delete(struct rest_req *r)
{
	struct sp_error err;
	uint32_t id;
	int rc;

	if (rest_parse_id(r->args[1], SP_MAX_BINDINGS_PER_SLICE - 1, &id) != 0) {
		rest_reply_no_such(r, "binding");
		return;
	}
	rc = binding_remove(r->node, r->slice, (uint16_t)id, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_NOCONTENT, NULL);
}

void
rest_queues_list(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, queues_to_json(r->slice->cfg));
}

void
rest_queues_add(struct rest_req *r)
{
	struct queue_config q;
	struct sp_error err;
	int rc;

	rc = queue_config_parse(r->slice, r->body, &q, &err);
	if (rc == 0)
		rc = queue_add(r->node, r->slice, &q, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, 201, queue_to_json(&r->slice->cfg->queues[
			   slice_config_queue(r->slice->cfg, q.id)]));
}

void
rest_queue_delete(struct rest_req *r)
{
	struct sp_error err;
	uint32_t id;
	int rc;

	if (rest_parse_id(r->args[1], 65535, &id) != 0) {
		rest_reply_no_such(r, "queue");
		return;
	}
	rc = queue_remove(r->node, r->slice, id, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_NOCONTENT, NULL);
}

void
rest_filters_list(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, filters_to_json(r->slice->cfg));
}

void
rest_filters_add(struct rest_req *r)
{
	struct filter_config f;
	struct sp_error err;
	int rc;

	rc = filter_config_parse(r->slice, r->body, &f, &err);
	if (rc == 0)
		rc = filter_add(r->node, r->slice, &f, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, 201, filter_to_json(&r->slice->cfg->filters[
			   slice_config_filter(r->slice->cfg, f.id)]));
}

void
rest_filter_delete(struct rest_req *r)
{
	struct sp_error err;
	uint32_t id;
	int rc;

	if (rest_parse_id(r->args[1], UINT32_MAX, &id) != 0) {
		rest_reply_no_such(r, "filter");
		return;
	}
	rc = filter_remove(r->node, r->slice, id, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_NOCONTENT, NULL);
}

void
rest_routes_list(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, routes_to_json(r->slice->cfg));
}

void
rest_routes_add(struct rest_req *r)
{
	struct route_config rt;
	struct sp_error err;
	int rc;

	rc = route_config_parse(r->slice, r->body, &rt, &err);
	if (rc == 0)
		rc = route_add(r->node, r->slice, &rt, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, 201, route_to_json(&r->slice->cfg->routes[
			   slice_config_route(r->slice->cfg, rt.id)]));
}

void
rest_route_delete(struct rest_req *r)
{
	struct sp_error err;
	uint32_t id;
	int rc;

	if (rest_parse_id(r->args[1], UINT32_MAX, &id) != 0) {
		rest_reply_no_such(r, "route");
		return;
	}
	rc = route_remove(r->node, r->slice, id, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_NOCONTENT, NULL);
}

void
rest_config_get(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, slice_config_to_json(r->node, r->slice->cfg));
}

void
rest_config_put(struct rest_req *r)
{
	struct slice_config *c;
	struct sp_error err;
	int rc;

	c = slice_config_parse(r->node, r->slice, r->body, &err);
	rc = c == NULL ? -EINVAL : slice_config_apply(r->node, r->slice, c, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_OK, slice_config_to_json(r->node, r->slice->cfg));
}

/* A slice's program as stored, with what was loaded. */
static json_t *
rest_program_json(const struct program_config *p)
{
	json_t *j = program_to_json(p);

	if (j != NULL)
		json_object_set_new(j, "loaded", json_pack("{s:i, s:b}",
				    "instructions", (int)p->loaded->nb_ins,
				    "jit", program_is_jit(p)));
	return j;
}

void
rest_program_get(struct rest_req *r)
{
	if (r->slice->cfg->program == NULL) {
		rest_reply_error(r, HTTP_NOTFOUND, "not_found", "", "slice %s has no program",
				 r->slice->name);
		return;
	}
	rest_reply(r, HTTP_OK, rest_program_json(r->slice->cfg->program));
}

void
rest_program_put(struct rest_req *r)
{
	struct program_config *p;
	struct sp_error err;
	int rc;

	rc = program_config_parse(r->node, r->body, "$", &p, &err);
	if (rc == 0)
		rc = program_set(r->node, r->slice, p, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_OK, rest_program_json(r->slice->cfg->program));
}

void
rest_program_delete(struct rest_req *r)
{
	struct sp_error err;
	int rc = program_remove(r->node, r->slice, &err);

	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_NOCONTENT, NULL);
}

void
rest_reservation_put(struct rest_req *r)
{
	struct reservation res;
	struct sp_error err;
	int rc;

	rc = reservation_parse(r->node, r->body, "$", &res, &err);
	if (rc == 0)
		rc = slice_reserve(r->node, r->slice, &res, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_OK, slice_to_json(r->node, r->slice, false));
}

void
rest_slice_stats(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, slice_stats_to_json(r->node, r->slice));
}
