/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * The REST server: authentication, routing, bodies and error replies.  The
 * resources themselves are in rest_handlers.c.
 */

#include "control/rest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>

#include "control/log.h"
#include "control/rest-internal.h"
#include "control/token.h"

#define REST_MAX_SEGMENTS 8
#define REST_MAX_PATH 512
#define REST_MAX_HEADERS (16 * 1024)
#define REST_TIMEOUT_S 30

enum rest_auth {
	REST_ADMIN,     /* the admin token only */
	REST_SLICE,     /* the admin token or the {name} slice's own token */
};

struct rest_route {
	const char *pattern;            /* path segments; "{}" matches any */
	enum evhttp_cmd_type method;
	enum rest_auth auth;
	bool body;                      /* takes a JSON body */
	void (*handler)(struct rest_req *r);
};

/* Routes whose first {} is a slice name must start "v1/slices/{}". */
static const struct rest_route rest_routes[] = {
	{ "v1/node", EVHTTP_REQ_GET, REST_ADMIN, false, rest_node_get },
	{ "v1/stats", EVHTTP_REQ_GET, REST_ADMIN, false, rest_node_stats },
	{ "v1/slices", EVHTTP_REQ_GET, REST_ADMIN, false, rest_slices_list },
	{ "v1/slices", EVHTTP_REQ_POST, REST_ADMIN, true, rest_slices_create },
	{ "v1/slices/{}", EVHTTP_REQ_GET, REST_SLICE, false, rest_slice_get },
	{ "v1/slices/{}", EVHTTP_REQ_DELETE, REST_ADMIN, false, rest_slice_delete },
	{ "v1/slices/{}/bindings", EVHTTP_REQ_GET, REST_SLICE, false, rest_bindings_list },
	{ "v1/slices/{}/bindings", EVHTTP_REQ_POST, REST_SLICE, true, rest_bindings_add },
	{ "v1/slices/{}/bindings/{}", EVHTTP_REQ_DELETE, REST_SLICE, false,
	  rest_binding_delete },
	{ "v1/slices/{}/queues", EVHTTP_REQ_GET, REST_SLICE, false, rest_queues_list },
	{ "v1/slices/{}/queues", EVHTTP_REQ_POST, REST_SLICE, true, rest_queues_add },
	{ "v1/slices/{}/queues/{}", EVHTTP_REQ_DELETE, REST_SLICE, false,
	  rest_queue_delete },
	{ "v1/slices/{}/filters", EVHTTP_REQ_GET, REST_SLICE, false, rest_filters_list },
	{ "v1/slices/{}/filters", EVHTTP_REQ_POST, REST_SLICE, true, rest_filters_add },
	{ "v1/slices/{}/filters/{}", EVHTTP_REQ_DELETE, REST_SLICE, false,
	  rest_filter_delete },
	{ "v1/slices/{}/routes", EVHTTP_REQ_GET, REST_SLICE, false, rest_routes_list },
	{ "v1/slices/{}/routes", EVHTTP_REQ_POST, REST_SLICE, true, rest_routes_add },
	{ "v1/slices/{}/routes/{}", EVHTTP_REQ_DELETE, REST_SLICE, false,
	  rest_route_delete },
	{ "v1/slices/{}/reservation", EVHTTP_REQ_PUT, REST_ADMIN, true,
	  rest_reservation_put },
	{ "v1/slices/{}/config", EVHTTP_REQ_GET, REST_SLICE, false, rest_config_get },
	{ "v1/slices/{}/config", EVHTTP_REQ_PUT, REST_SLICE, true, rest_config_put },
	{ "v1/slices/{}/stats", EVHTTP_REQ_GET, REST_SLICE, false, rest_slice_stats },
	{ "v1/slices/{}/program", EVHTTP_REQ_GET, REST_SLICE, false, rest_program_get },
	{ "v1/slices/{}/program", EVHTTP_REQ_PUT, REST_SLICE, true, rest_program_put },
	{ "v1/slices/{}/program", EVHTTP_REQ_DELETE, REST_SLICE, false,
	  rest_program_delete },
};

struct rest {
	struct evhttp *http;
	struct node *node;
	size_t max_body;
	struct token_hash admin_token;  /* its hash only */
};

static const struct {
	int status;
	const char *reason;
} rest_reasons[] = {
	{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
	{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
	{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 409, "Conflict" },
	{ 413, "Payload Too Large" }, { 415, "Unsupported Media Type" },
	{ 500, "Internal Server Error" },
};

/* The reason phrase of 'status'. */
static const char *
rest_reason(int status)
{
	for (size_t i = 0; i < RTE_DIM(rest_reasons); i++)
		if (rest_reasons[i].status == status)
			return rest_reasons[i].reason;
	return "Unknown";
}

/* The method's name, for Allow headers and logs. */
static const char *
rest_method_name(enum evhttp_cmd_type m)
{
	switch (m) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_PATCH: return "PATCH";
	case EVHTTP_REQ_OPTIONS: return "OPTIONS";
	default: return "OTHER";
	}
}

void
rest_reply(struct rest_req *r, int status, json_t *body)
{
	struct evbuffer *out = evbuffer_new();
	char *text = NULL;

	if (body != NULL)
		text = json_dumps(body, JSON_COMPACT);
	if (out == NULL || (body != NULL && text == NULL)) {
		/* Out of memory: the shortest honest answer. */
		evhttp_send_error(r->http, 500, NULL);
		goto done;
	}
	if (text != NULL) {
		evhttp_add_header(evhttp_request_get_output_headers(r->http),
				  "Content-Type", "application/json");
		evbuffer_add_printf(out, "%s\n", text);
	}
	REST_LOG(DEBUG, "%s %s -> %d",
		 rest_method_name(evhttp_request_get_command(r->http)),
		 evhttp_request_get_uri(r->http), status);
	evhttp_send_reply(r->http, status, rest_reason(status), out);
done:
	free(text);
	json_decref(body);
	if (out != NULL)
		evbuffer_free(out);
}

void
rest_reply_error(struct rest_req *r, int status, const char *code,
		 const char *path, const char *fmt, ...)
{
	char msg[JV_MSG_MAX + JV_PATH_MAX];
	json_t *err;
	va_list ap;

	char where[JV_PATH_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Messages quote (and may cut) what the client sent. */
	jv_utf8_sanitize(msg);
	err = json_pack("{s:s, s:s}", "code", code, "message", msg);
	if (err != NULL && path != NULL && path[0] != '\0') {
		snprintf(where, sizeof(where), "%s", path);
		jv_utf8_sanitize(where);
		json_object_set_new(err, "path", json_string(where));
	}
	rest_reply(r, status, json_pack("{s:o*}", "error", err));
}

void
rest_reply_action_error(struct rest_req *r, int rc, const struct sp_error *err)
{
	int status = 500;
	const char *code = "internal";

	switch (rc) {
	case -EINVAL:
		status = 400;
		code = "invalid_argument";
		break;
	case -ENOENT:
		status = 404;
		code = "not_found";
		break;
	case -EEXIST:
	case -EBUSY:
	case -ENOSPC:
		status = 409;
		code = "conflict";
		break;
	}
	rest_reply_error(r, status, code, err->path, "%s", err->msg);
}

/* Splits 'path' (modified) into at most REST_MAX_SEGMENTS segments after
 * the leading '/'.  Returns the count, or -1 for a path with too many or
 * an empty segment. */
static int
rest_split(char *path, char **seg)
{
	int n = 0;

	if (path[0] != '/')
		return -1;
	for (char *p = path + 1; ; ) {
		char *slash = strchr(p, '/');

		if (n == REST_MAX_SEGMENTS || *p == '/' || *p == '\0')
			return -1;
		seg[n++] = p;
		if (slash == NULL)
			return n;
		*slash = '\0';
		p = slash + 1;
	}
}

/* Matches segments against a route pattern, collecting its {} arguments. */
static bool
rest_match(const char *pattern, char **seg, int nseg, const char **args)
{
	char buf[64];
	char *save = NULL, *tok;
	int i = 0, a = 0;

	snprintf(buf, sizeof(buf), "%s", pattern);
	for (tok = strtok_r(buf, "/", &save); tok != NULL;
	     tok = strtok_r(NULL, "/", &save), i++) {
		if (i >= nseg)
			return false;
		if (strcmp(tok, "{}") == 0)
			args[a++] = seg[i];
		else if (strcmp(tok, seg[i]) != 0)
			return false;
	}
	return i == nseg;
}

/* Who is calling: the admin (returns true), a slice (*caller set), or
 * nobody (returns false, *caller NULL). */
static bool
rest_authenticate(const struct rest *rest, struct evhttp_request *req,
		  struct slice **caller)
{
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(req),
					   "Authorization");
	struct token_hash presented;

	*caller = NULL;
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	h += 7;
	while (*h == ' ')
		h++;
	token_hash(h, &presented);
	if (token_hash_equal(&presented, &rest->admin_token))
		return true;
	*caller = slice_find_by_token(rest->node, &presented);
	return false;
}

/* Checks the body's type and size and parses it into r->body; replies and
 * returns -1 if it is not acceptable. */
static int
rest_read_body(const struct rest *rest, struct rest_req *r)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->http);
	const char *type = evhttp_find_header(evhttp_request_get_input_headers(r->http),
					      "Content-Type");
	size_t len = evbuffer_get_length(in);
	json_error_t jerr;
	char *text;

	if (type == NULL || strncasecmp(type, "application/json", 16) != 0 ||
	    (type[16] != '\0' && type[16] != ';' && type[16] != ' ')) {
		rest_reply_error(r, 415, "unsupported_media_type", NULL,
				 "the body must be application/json");
		return -1;
	}
	if (len > rest->max_body) {
		rest_reply_error(r, 413, "payload_too_large", NULL,
				 "the body is %zu bytes; the limit is %zu", len,
				 rest->max_body);
		return -1;
	}
	text = (char *)evbuffer_pullup(in, -1);
	r->body = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (r->body == NULL) {
		rest_reply_error(r, 400, "invalid_argument", "$",
				 "invalid JSON at line %d, column %d: %s",
				 jerr.line, jerr.column, jerr.text);
		return -1;
	}
	return 0;
}

/* Replies 405 with the methods 'seg' does allow. */
static void
rest_reply_bad_method(struct rest_req *r, char **seg, int nseg)
{
	const char *args[REST_MAX_ARGS];
	char allow[64] = "";
	size_t used = 0;

	for (size_t i = 0; i < RTE_DIM(rest_routes); i++)
		if (rest_match(rest_routes[i].pattern, seg, nseg, args))
			used += snprintf(allow + used, sizeof(allow) - used, "%s%s",
					 used ? ", " : "",
					 rest_method_name(rest_routes[i].method));
	evhttp_add_header(evhttp_request_get_output_headers(r->http), "Allow", allow);
	rest_reply_error(r, 405, "method_not_allowed", NULL,
			 "%s is not allowed here; allowed: %s",
			 rest_method_name(evhttp_request_get_command(r->http)), allow);
}

/* Every request: authenticate, route, check permission, read the body,
 * call the handler. */
static void
rest_dispatch(struct evhttp_request *req, void *arg)
{
	struct rest *rest = arg;
	struct rest_req r = { .http = req, .node = rest->node };
	const struct rest_route *route = NULL;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *raw = uri ? evhttp_uri_get_path(uri) : NULL;
	char path[REST_MAX_PATH], *seg[REST_MAX_SEGMENTS];
	struct slice *caller;
	bool admin, path_known = false;
	int nseg;

	admin = rest_authenticate(rest, req, &caller);
	if (!admin && caller == NULL) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
				  "WWW-Authenticate", "Bearer");
		rest_reply_error(&r, 401, "unauthenticated", NULL,
				 "a valid bearer token is required");
		return;
	}

	nseg = raw && strlen(raw) < sizeof(path) ? rest_split(strcpy(path, raw), seg) : -1;
	for (size_t i = 0; nseg > 0 && i < RTE_DIM(rest_routes); i++) {
		if (!rest_match(rest_routes[i].pattern, seg, nseg, r.args))
			continue;
		path_known = true;
		if (rest_routes[i].method == evhttp_request_get_command(req)) {
			route = &rest_routes[i];
			break;
		}
	}
	if (route == NULL) {
		if (path_known)
			rest_reply_bad_method(&r, seg, nseg);
		else
			rest_reply_error(&r, 404, "not_found", NULL, "no such resource");
		return;
	}

	if (route->auth == REST_ADMIN && !admin) {
		rest_reply_error(&r, 403, "permission_denied", NULL,
				 "this operation needs the admin token");
		return;
	}
	if (strncmp(route->pattern, "v1/slices/{}", 12) == 0) {
		r.slice = slice_find(rest->node, r.args[0]);
		/* Another slice's objects look exactly like missing ones. */
		if (r.slice == NULL || (!admin && r.slice != caller)) {
			rest_reply_error(&r, 404, "not_found", NULL, "no slice named \"%.32s\"",
					 r.args[0]);
			return;
		}
	}
	if (route->body && rest_read_body(rest, &r) != 0)
		return;

	route->handler(&r);
	json_decref(r.body);
}

struct rest *
rest_start(struct event_base *base, struct node *node, const char *admin_token,
	   struct sp_error *err)
{
	const struct jv_endpoint *ep = &node->cfg.api.listen;
	struct rest *rest = calloc(1, sizeof(*rest));
	char ip[INET_ADDRSTRLEN];

	if (rest == NULL || (rest->http = evhttp_new(base)) == NULL) {
		jv_fail(err, "$.api", "out of memory");
		free(rest);
		return NULL;
	}
	rest->node = node;
	rest->max_body = node->cfg.api.max_body_bytes;
	token_hash(admin_token, &rest->admin_token);

	/* libevent cuts bodies far past the limit itself (plain 413), so that
	 * nobody makes us buffer without bound; up to there we answer in JSON. */
	evhttp_set_max_body_size(rest->http, rest->max_body * 4 + 65536);
	evhttp_set_max_headers_size(rest->http, REST_MAX_HEADERS);
	evhttp_set_timeout(rest->http, REST_TIMEOUT_S);
	evhttp_set_allowed_methods(rest->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
				   EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH |
				   EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS);
	evhttp_set_gencb(rest->http, rest_dispatch, rest);

	jv_ipv4_str(ep->ip, ip, sizeof(ip));
	if (evhttp_bind_socket_with_handle(rest->http, ip, ep->port) == NULL) {
		jv_fail(err, "$.api.listen", "cannot listen on %s:%u: %s", ip, ep->port,
			evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		rest_stop(rest);
		return NULL;
	}
	return rest;
}

void
rest_stop(struct rest *rest)
{
	if (rest == NULL)
		return;
	evhttp_free(rest->http);
	memset(&rest->admin_token, 0, sizeof(rest->admin_token));
	free(rest);
}
