/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/* REST resource handlers: parse, call one action, render. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

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
	struct slice_params p;
	struct sp_error err;
	struct slice *s;
	char location[64];
	int rc;

	rc = slice_params_parse(r->node, r->body, &p, &err);
	if (rc == 0)
		rc = slice_create(r->node, &p, &s, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	snprintf(location, sizeof(location), "/v1/slices/%s", s->name);
	evhttp_add_header(evhttp_request_get_output_headers(r->http), "Location", location);
	rest_reply(r, 201, json_pack("{s:s, s:s}", "name", s->name, "token", s->token));
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
	int rc = slice_delete(r->node, r->slice);

	if (rc != 0) {
		jv_fail(&err, "$", "cannot delete the slice: %s", strerror(-rc));
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_NOCONTENT, NULL);
}

void
rest_bindings_list(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, bindings_to_json(r->node, r->slice));
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
	rest_reply(r, 201, binding_to_json(r->node, r->slice, b.id));
}

/* Parses a binding id path segment: decimal, no sign, no leading zeros. */
static int
rest_parse_id(const char *s, uint16_t *id)
{
	char *end;
	unsigned long v;

	if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1] != '\0'))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v >= SP_MAX_BINDINGS_PER_SLICE)
		return -EINVAL;
	*id = (uint16_t)v;
	return 0;
}

void
rest_binding_delete(struct rest_req *r)
{
	struct sp_error err;
	uint16_t id;
	int rc;

	if (rest_parse_id(r->args[1], &id) != 0) {
		rest_reply_error(r, HTTP_NOTFOUND, "not_found", "",
				 "slice %s has no binding \"%.16s\"", r->slice->name,
				 r->args[1]);
		return;
	}
	rc = binding_remove(r->node, r->slice, id, &err);
	if (rc != 0) {
		rest_reply_action_error(r, rc, &err);
		return;
	}
	rest_reply(r, HTTP_NOCONTENT, NULL);
}

void
rest_slice_stats(struct rest_req *r)
{
	rest_reply(r, HTTP_OK, slice_stats_to_json(r->node, r->slice));
}
