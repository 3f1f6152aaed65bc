/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/config_json.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "pm/pm.h"

#define F(type_, member) offsetof(type_, member), sizeof(((type_ *)0)->member)

struct binding_doc {
	uint64_t id;
	char interface[JV_NAME_MAX + 1];
	uint64_t udp_port;
};

static const struct jv_field binding_fields[] = {
	{ "id", JV_UINT, false, F(struct binding_doc, id), 0, SP_MAX_BINDINGS_PER_SLICE - 1 },
	{ "interface", JV_NAME, true, F(struct binding_doc, interface), 0, 0 },
	{ "udp_port", JV_UINT, true, F(struct binding_doc, udp_port), 1, 65535 },
	{ "default_action", JV_OBJECT, false, 0, 0, 0, 0 },
};

struct forward_doc {
	uint64_t binding;
	struct jv_endpoint peer;
	uint64_t queue;
};

static const struct jv_field forward_fields[] = {
	{ "binding", JV_UINT, true, F(struct forward_doc, binding), 0,
	  SP_MAX_BINDINGS_PER_SLICE - 1 },
	{ "peer", JV_ENDPOINT, true, F(struct forward_doc, peer), 0, 0 },
	{ "queue", JV_UINT, false, F(struct forward_doc, queue), 0, 65535 },
};

struct queue_doc {
	uint64_t id;
	uint64_t binding;
	uint64_t weight;
	uint64_t limit_packets;
	uint64_t limit_bytes;
};

static const struct jv_field queue_fields[] = {
	{ "id", JV_UINT, false, F(struct queue_doc, id), 0, 65535 },
	{ "binding", JV_UINT, true, F(struct queue_doc, binding), 0,
	  SP_MAX_BINDINGS_PER_SLICE - 1 },
	{ "weight", JV_UINT, false, F(struct queue_doc, weight), 1, QUEUE_WEIGHT_MAX },
	{ "limit_packets", JV_UINT, false, F(struct queue_doc, limit_packets), 1,
	  QUEUE_LIMIT_PACKETS_MAX },
	{ "limit_bytes", JV_UINT, false, F(struct queue_doc, limit_bytes),
	  QUEUE_LIMIT_BYTES_MIN, QUEUE_LIMIT_BYTES_MAX },
};

#define ID_MAX 4294967294ULL
#define PRIORITY_MAX 2147483647ULL

struct filter_doc {
	uint64_t id;
	uint64_t priority;
};

static const struct jv_field filter_fields[] = {
	{ "id", JV_UINT, false, F(struct filter_doc, id), 0, ID_MAX },
	{ "priority", JV_UINT, true, F(struct filter_doc, priority), 0, PRIORITY_MAX },
	{ "match", JV_OBJECT, true, 0, 0, 0, 0 },
	{ "action", JV_OBJECT, true, 0, 0, 0, 0 },
};

struct match_doc {
	uint64_t binding;
	uint64_t protocol;
	char src[24];
	char dst[24];
	char key[2 * DP_KEY_BYTES + 1];
	char mask[2 * DP_KEY_BYTES + 1];
};

static const struct jv_field match_ipv4_fields[] = {
	{ "binding", JV_UINT, false, F(struct match_doc, binding), 0,
	  SP_MAX_BINDINGS_PER_SLICE - 1 },
	{ "src", JV_STRING, false, F(struct match_doc, src), 1, 18 },
	{ "dst", JV_STRING, false, F(struct match_doc, dst), 1, 18 },
	{ "protocol", JV_UINT, false, F(struct match_doc, protocol), 0, 255 },
	{ "src_port", JV_ARRAY, false, 0, 0, 2, 2 },
	{ "dst_port", JV_ARRAY, false, 0, 0, 2, 2 },
};

static const struct jv_field match_generic_fields[] = {
	{ "binding", JV_UINT, false, F(struct match_doc, binding), 0,
	  SP_MAX_BINDINGS_PER_SLICE - 1 },
	{ "key", JV_STRING, false, F(struct match_doc, key), 2 * DP_KEY_BYTES,
	  2 * DP_KEY_BYTES },
	{ "mask", JV_STRING, false, F(struct match_doc, mask), 2 * DP_KEY_BYTES,
	  2 * DP_KEY_BYTES },
};

struct route_doc {
	uint64_t id;
	char prefix[24];
	struct forward_doc fwd;
};

static const struct jv_field route_fields[] = {
	{ "id", JV_UINT, false, F(struct route_doc, id), 0, ID_MAX },
	{ "prefix", JV_STRING, true, F(struct route_doc, prefix), 1, 18 },
	{ "binding", JV_UINT, true, F(struct route_doc, fwd.binding), 0,
	  SP_MAX_BINDINGS_PER_SLICE - 1 },
	{ "peer", JV_ENDPOINT, true, F(struct route_doc, fwd.peer), 0, 0 },
	{ "queue", JV_UINT, false, F(struct route_doc, fwd.queue), 0, 65535 },
};

static const struct jv_field config_fields[] = {
	{ "bindings", JV_ARRAY, false, 0, 0, 0, SP_MAX_BINDINGS_PER_SLICE },
	{ "filters", JV_ARRAY, false, 0, 0, 0, 1u << 24 },
	{ "routes", JV_ARRAY, false, 0, 0, 0, 1u << 24 },
	{ "queues", JV_ARRAY, false, 0, 0, 0, 65536 },
	{ "program", JV_OBJECT, false, 0, 0, 0, 0 },
};

struct program_doc {
	const char *pcap;
	const char *elf_base64;
	char section[PROGRAM_SECTION_MAX + 1];
	bool jit;
};

static const struct jv_field program_fields[] = {
	{ "pcap", JV_TEXT, false, F(struct program_doc, pcap), 1, 4096 },
	{ "elf_base64", JV_TEXT, false, F(struct program_doc, elf_base64), 1, 64u << 20 },
	{ "section", JV_STRING, false, F(struct program_doc, section), 1,
	  PROGRAM_SECTION_MAX },
	{ "jit", JV_BOOL, false, F(struct program_doc, jit), 0, 0 },
};

/* Parses an action at 'path': exactly one of {"forward": {...}},
 * {"drop": {}}, {"exception": {}}. */
static int
action_parse(const json_t *v, const char *path, struct action_config *a,
	     struct sp_error *err)
{
	char child[JV_PATH_MAX], peer[JV_PATH_MAX];
	struct forward_doc f = { 0 };
	const char *key;
	json_t *member;

	memset(a, 0, sizeof(*a));
	if (json_object_size(v) != 1)
		return jv_fail(err, path,
			       "expected exactly one of \"forward\", \"drop\", \"exception\"");
	key = json_object_iter_key(json_object_iter((json_t *)v));
	member = json_object_get(v, key);
	jv_path_key(child, sizeof(child), path, key);

	if (strcmp(key, "drop") == 0 || strcmp(key, "exception") == 0) {
		a->type = key[0] == 'd' ? DP_ACTION_DROP : DP_ACTION_EXCEPTION;
		return jv_object(member, child, NULL, 0, NULL, err);
	}
	if (strcmp(key, "forward") != 0)
		return jv_fail(err, child,
			       "unknown action: expected \"forward\", \"drop\" or \"exception\"");
	if (jv_object(member, child, forward_fields, RTE_DIM(forward_fields), &f, err))
		return -EINVAL;
	jv_path_key(peer, sizeof(peer), child, "peer");
	if (jv_check_unicast(f.peer.ip, peer, err))
		return -EINVAL;
	a->type = DP_ACTION_FORWARD;
	a->binding = (uint16_t)f.binding;
	a->peer = f.peer;
	a->has_queue = json_object_get(member, "queue") != NULL;
	a->queue = (uint16_t)f.queue;
	return 0;
}

/* Parses a binding at 'path'; without "id" it gets 'free_id' (or, if that
 * is negative, "id" is required). */
static int
binding_parse(const struct node *node, const json_t *v, const char *path, int free_id,
	      struct binding_config *b, struct sp_error *err)
{
	struct binding_doc d = { 0 };
	char child[JV_PATH_MAX];
	const json_t *act;
	int iface;

	memset(b, 0, sizeof(*b));
	if (jv_object(v, path, binding_fields, RTE_DIM(binding_fields), &d, err))
		return -EINVAL;
	jv_path_key(child, sizeof(child), path, "interface");
	iface = node_config_iface(&node->cfg, d.interface);
	if (iface < 0)
		return jv_fail(err, child, "the node has no interface named \"%s\"",
			       d.interface);
	if (json_object_get(v, "id") == NULL) {
		jv_path_key(child, sizeof(child), path, "id");
		if (free_id < 0)
			return jv_fail(err, child, "missing");
		d.id = (uint64_t)free_id;
	}
	b->id = (uint16_t)d.id;
	b->iface = (unsigned int)iface;
	b->udp_port = (uint16_t)d.udp_port;
	act = json_object_get(v, "default_action");
	jv_path_key(child, sizeof(child), path, "default_action");
	return act != NULL ? action_parse(act, child, &b->default_action, err) : 0;
}

int
binding_config_parse(const struct node *node, const struct slice *s,
		     const json_t *doc, struct binding_config *b,
		     struct sp_error *err)
{
	int free_id = 0;

	while (free_id < SP_MAX_BINDINGS_PER_SLICE && s->cfg->present[free_id])
		free_id++;
	if (json_is_object(doc) && json_object_get(doc, "id") == NULL &&
	    free_id == SP_MAX_BINDINGS_PER_SLICE) {
		jv_fail(err, "$", "slice %s has its maximum of %d bindings",
			s->name, SP_MAX_BINDINGS_PER_SLICE);
		return -ENOSPC;
	}
	if (binding_parse(node, doc, "$", free_id, b, err))
		return -EINVAL;
	b->doc = SLICE_DOC_BODY;
	return 0;
}

/* Parses "a.b.c.d/len" (or a bare address: /32), refusing host bits. */
static int
prefix_parse(const char *s, const char *path, uint32_t *prefix, uint8_t *len,
	     struct sp_error *err)
{
	char addr[INET_ADDRSTRLEN], net[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	unsigned long l = 32;
	uint32_t ip, mask;
	char *end;

	if ((size_t)(slash ? slash - s : (ptrdiff_t)strlen(s)) >= sizeof(addr))
		return jv_fail(err, path, "not an IPv4 prefix (a.b.c.d/len): \"%s\"", s);
	snprintf(addr, sizeof(addr), "%.*s", (int)(slash ? slash - s : 16), s);
	if (jv_parse_ipv4(addr, &ip) != 0)
		return jv_fail(err, path, "not an IPv4 prefix (a.b.c.d/len): \"%s\"", s);
	if (slash != NULL) {
		if (slash[1] < '0' || slash[1] > '9' || (slash[1] == '0' && slash[2]))
			return jv_fail(err, path, "not a prefix length (0-32): \"%s\"", s);
		l = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || l > 32)
			return jv_fail(err, path, "not a prefix length (0-32): \"%s\"", s);
	}
	ip = ntohl(ip);
	mask = l == 0 ? 0 : UINT32_MAX << (32 - l);
	if (ip & ~mask)
		return jv_fail(err, path, "%s has bits set past its length; the prefix is %s/%lu",
			       s, jv_ipv4_str(htonl(ip & mask), net, sizeof(net)), l);
	*prefix = ip;
	*len = (uint8_t)l;
	return 0;
}

/* Parses a port range [lo, hi] at 'path'. */
static int
port_range_parse(const json_t *v, const char *path, uint16_t *lo, uint16_t *hi,
		 struct sp_error *err)
{
	static const struct jv_field port = { "port", JV_UINT, true, 0, 0, 0, 65535 };
	char child[JV_PATH_MAX];
	uint64_t p[2];

	for (size_t i = 0; i < 2; i++) {
		jv_path_index(child, sizeof(child), path, i);
		if (jv_scalar(json_array_get(v, i), child, &port, &p[i], err))
			return -EINVAL;
	}
	if (p[0] > p[1])
		return jv_fail(err, path, "inverted range: %" PRIu64 " > %" PRIu64,
			       p[0], p[1]);
	*lo = (uint16_t)p[0];
	*hi = (uint16_t)p[1];
	return 0;
}

/* Parses 28 hex digits into 14 bytes. */
static int
hex_parse(const char *s, const char *path, uint8_t *out, struct sp_error *err)
{
	for (size_t i = 0; i < DP_KEY_BYTES; i++) {
		unsigned int v;

		if (!isxdigit((unsigned char)s[2 * i]) ||
		    !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return jv_fail(err, path, "expected %d hex digits", 2 * DP_KEY_BYTES);
		out[i] = (uint8_t)v;
	}
	return 0;
}

/* Parses a filter's match for key layout 'layout'. */
static int
match_parse(const json_t *v, const char *path, enum dp_key_layout layout,
	    struct filter_config *f, struct sp_error *err)
{
	struct dp_match *m = &f->match;
	struct match_doc d = { 0 };
	char child[JV_PATH_MAX];
	const json_t *x;

	memset(m, 0, sizeof(*m));
	m->any_binding = true;
	if (layout == DP_KEY_GENERIC) {
		if (jv_object(v, path, match_generic_fields,
			      RTE_DIM(match_generic_fields), &d, err))
			return -EINVAL;
		if ((json_object_get(v, "key") == NULL) != (json_object_get(v, "mask") == NULL)) {
			jv_path_key(child, sizeof(child), path,
				    json_object_get(v, "key") ? "mask" : "key");
			return jv_fail(err, child, "missing (key and mask go together)");
		}
		if (json_object_get(v, "key") != NULL) {
			jv_path_key(child, sizeof(child), path, "key");
			if (hex_parse(d.key, child, m->generic.key, err))
				return -EINVAL;
			jv_path_key(child, sizeof(child), path, "mask");
			if (hex_parse(d.mask, child, m->generic.mask, err))
				return -EINVAL;
			for (size_t i = 0; i < DP_KEY_BYTES; i++) {
				if (m->generic.key[i] & ~m->generic.mask[i]) {
					jv_path_key(child, sizeof(child), path, "key");
					return jv_fail(err, child,
						       "byte %zu has bits set outside the mask", i);
				}
			}
			f->given |= MATCH_KEY;
		}
	} else {
		if (jv_object(v, path, match_ipv4_fields, RTE_DIM(match_ipv4_fields), &d, err))
			return -EINVAL;
		m->ipv4.any_proto = json_object_get(v, "protocol") == NULL;
		m->ipv4.proto = (uint8_t)d.protocol;
		if (!m->ipv4.any_proto)
			f->given |= MATCH_PROTOCOL;
		m->ipv4.sport_hi = m->ipv4.dport_hi = UINT16_MAX;
		if (json_object_get(v, "src") != NULL) {
			jv_path_key(child, sizeof(child), path, "src");
			if (prefix_parse(d.src, child, &m->ipv4.src, &m->ipv4.src_len, err))
				return -EINVAL;
			f->given |= MATCH_SRC;
		}
		if (json_object_get(v, "dst") != NULL) {
			jv_path_key(child, sizeof(child), path, "dst");
			if (prefix_parse(d.dst, child, &m->ipv4.dst, &m->ipv4.dst_len, err))
				return -EINVAL;
			f->given |= MATCH_DST;
		}
		x = json_object_get(v, "src_port");
		jv_path_key(child, sizeof(child), path, "src_port");
		if (x != NULL && port_range_parse(x, child, &m->ipv4.sport_lo,
						  &m->ipv4.sport_hi, err))
			return -EINVAL;
		f->given |= x != NULL ? MATCH_SRC_PORT : 0;
		x = json_object_get(v, "dst_port");
		jv_path_key(child, sizeof(child), path, "dst_port");
		if (x != NULL && port_range_parse(x, child, &m->ipv4.dport_lo,
						  &m->ipv4.dport_hi, err))
			return -EINVAL;
		f->given |= x != NULL ? MATCH_DST_PORT : 0;
	}
	if (json_object_get(v, "binding") != NULL) {
		m->any_binding = false;
		m->binding = (uint8_t)d.binding;
		f->given |= MATCH_BINDING;
	}
	return 0;
}

/* Parses a filter at 'path'; without "id" it gets 'free_id' unless that is
 * negative ("id" required). */
static int
filter_parse(const json_t *v, const char *path, enum dp_key_layout layout,
	     int64_t free_id, struct filter_config *f, struct sp_error *err)
{
	struct filter_doc d = { 0 };
	char child[JV_PATH_MAX];

	memset(f, 0, sizeof(*f));
	if (jv_object(v, path, filter_fields, RTE_DIM(filter_fields), &d, err))
		return -EINVAL;
	if (json_object_get(v, "id") == NULL) {
		jv_path_key(child, sizeof(child), path, "id");
		if (free_id < 0 || free_id > (int64_t)ID_MAX)
			return jv_fail(err, child, "missing");
		d.id = (uint64_t)free_id;
	}
	f->id = (uint32_t)d.id;
	f->priority = (uint32_t)d.priority;
	jv_path_key(child, sizeof(child), path, "match");
	if (match_parse(json_object_get(v, "match"), child, layout, f, err))
		return -EINVAL;
	jv_path_key(child, sizeof(child), path, "action");
	return action_parse(json_object_get(v, "action"), child, &f->action, err);
}

/* Parses a queue at 'path'; without "id" it gets 'free_id' unless that is
 * negative or too large. */
static int
queue_parse(const json_t *v, const char *path, int64_t free_id,
	    struct queue_config *q, struct sp_error *err)
{
	struct queue_doc d = {
		.weight = QUEUE_WEIGHT_DEFAULT,
		.limit_packets = QUEUE_LIMIT_PACKETS_DEFAULT,
		.limit_bytes = QUEUE_LIMIT_BYTES_DEFAULT,
	};
	char child[JV_PATH_MAX];

	memset(q, 0, sizeof(*q));
	if (jv_object(v, path, queue_fields, RTE_DIM(queue_fields), &d, err))
		return -EINVAL;
	if (json_object_get(v, "id") == NULL) {
		jv_path_key(child, sizeof(child), path, "id");
		if (free_id < 0 || free_id > 65535)
			return jv_fail(err, child, "missing");
		d.id = (uint64_t)free_id;
	}
	*q = (struct queue_config){
		.id = (uint32_t)d.id,
		.binding = (uint16_t)d.binding,
		.weight = (uint32_t)d.weight,
		.limit_packets = (uint32_t)d.limit_packets,
		.limit_bytes = (uint32_t)d.limit_bytes,
	};
	return 0;
}

/* Parses a route at 'path' (see filter_parse() for the id). */
static int
route_parse(const json_t *v, const char *path, int64_t free_id,
	    struct route_config *r, struct sp_error *err)
{
	struct route_doc d = { 0 };
	char child[JV_PATH_MAX];

	memset(r, 0, sizeof(*r));
	if (jv_object(v, path, route_fields, RTE_DIM(route_fields), &d, err))
		return -EINVAL;
	if (json_object_get(v, "id") == NULL) {
		jv_path_key(child, sizeof(child), path, "id");
		if (free_id < 0 || free_id > (int64_t)ID_MAX)
			return jv_fail(err, child, "missing");
		d.id = (uint64_t)free_id;
	}
	jv_path_key(child, sizeof(child), path, "prefix");
	if (prefix_parse(d.prefix, child, &r->prefix, &r->len, err))
		return -EINVAL;
	jv_path_key(child, sizeof(child), path, "peer");
	if (jv_check_unicast(d.fwd.peer.ip, child, err))
		return -EINVAL;
	r->id = (uint32_t)d.id;
	r->action = (struct action_config){
		.type = DP_ACTION_FORWARD,
		.binding = (uint16_t)d.fwd.binding,
		.peer = d.fwd.peer,
		.has_queue = json_object_get(v, "queue") != NULL,
		.queue = (uint16_t)d.fwd.queue,
	};
	return 0;
}

int
filter_config_parse(const struct slice *s, const json_t *doc, struct filter_config *f,
		    struct sp_error *err)
{
	if (filter_parse(doc, "$", s->pm->key_layout, slice_config_free_filter_id(s->cfg),
			 f, err))
		return -EINVAL;
	f->doc = SLICE_DOC_BODY;
	return 0;
}

int
queue_config_parse(const struct slice *s, const json_t *doc, struct queue_config *q,
		   struct sp_error *err)
{
	if (queue_parse(doc, "$", slice_config_free_queue_id(s->cfg), q, err))
		return -EINVAL;
	q->doc = SLICE_DOC_BODY;
	return 0;
}

int
route_config_parse(const struct slice *s, const json_t *doc, struct route_config *r,
		   struct sp_error *err)
{
	if (route_parse(doc, "$", slice_config_free_route_id(s->cfg), r, err))
		return -EINVAL;
	r->doc = SLICE_DOC_BODY;
	return 0;
}

/* Parses the "bindings" array of a configuration document into c. */
static int
config_bindings_parse(const struct node *node, const json_t *a,
		      struct slice_config *c, struct sp_error *err)
{
	char path[JV_PATH_MAX], child[JV_PATH_MAX];
	int where[SP_MAX_BINDINGS_PER_SLICE];

	for (size_t k = 0; k < json_array_size(a); k++) {
		struct binding_config b;

		jv_path_index(path, sizeof(path), "$.bindings", k);
		if (binding_parse(node, json_array_get(a, k), path, -1, &b, err))
			return -EINVAL;
		if (c->present[b.id]) {
			jv_path_key(child, sizeof(child), path, "id");
			return jv_fail(err, child, "duplicate of $.bindings[%d].id", where[b.id]);
		}
		b.doc = (int)k;
		where[b.id] = (int)k;
		c->present[b.id] = true;
		c->bindings[b.id] = b;
	}
	return 0;
}

/* Parses the "queues" array of a configuration document into c. */
static int
config_queues_parse(const json_t *a, struct slice_config *c, struct sp_error *err)
{
	char path[JV_PATH_MAX], child[JV_PATH_MAX];

	for (size_t k = 0; k < json_array_size(a); k++) {
		struct queue_config q;
		int rc;

		jv_path_index(path, sizeof(path), "$.queues", k);
		if (queue_parse(json_array_get(a, k), path, -1, &q, err))
			return -EINVAL;
		q.doc = (int)k;
		rc = slice_config_add_queue(c, &q);
		if (rc == -EEXIST) {
			jv_path_key(child, sizeof(child), path, "id");
			return jv_fail(err, child, "duplicate of $.queues[%d].id",
				       c->queues[slice_config_queue(c, q.id)].doc);
		}
		if (rc != 0)
			return jv_fail(err, "$", "out of memory");
	}
	return 0;
}

/* Parses the "filters" or "routes" array of a configuration document. */
static int
config_lookup_parse(const json_t *doc, enum dp_key_layout layout,
		    struct slice_config *c, struct sp_error *err)
{
	const json_t *filters = json_object_get(doc, "filters");
	const json_t *routes = json_object_get(doc, "routes");
	char path[JV_PATH_MAX], child[JV_PATH_MAX];
	int rc;

	for (size_t k = 0; k < json_array_size(filters); k++) {
		struct filter_config f;

		jv_path_index(path, sizeof(path), "$.filters", k);
		if (filter_parse(json_array_get(filters, k), path, layout, -1, &f, err))
			return -EINVAL;
		f.doc = (int)k;
		rc = slice_config_add_filter(c, &f);
		if (rc == -EEXIST) {
			jv_path_key(child, sizeof(child), path, "id");
			return jv_fail(err, child, "duplicate of $.filters[%d].id",
				       c->filters[slice_config_filter(c, f.id)].doc);
		}
		if (rc != 0)
			return jv_fail(err, "$", "out of memory");
	}
	for (size_t k = 0; k < json_array_size(routes); k++) {
		struct route_config r;

		jv_path_index(path, sizeof(path), "$.routes", k);
		if (route_parse(json_array_get(routes, k), path, -1, &r, err))
			return -EINVAL;
		r.doc = (int)k;
		rc = slice_config_add_route(c, &r);
		if (rc == -EEXIST) {
			jv_path_key(child, sizeof(child), path, "id");
			return jv_fail(err, child, "duplicate of $.routes[%d].id",
				       c->routes[slice_config_route(c, r.id)].doc);
		}
		if (rc != 0)
			return jv_fail(err, "$", "out of memory");
	}
	return 0;
}

struct slice_config *
slice_config_parse(const struct node *node, const struct slice *s, const json_t *doc,
		   struct sp_error *err)
{
	struct slice_config *c;

	if (jv_object(doc, "$", config_fields, RTE_DIM(config_fields), NULL, err))
		return NULL;
	c = slice_config_new();
	if (c == NULL) {
		jv_fail(err, "$", "out of memory");
		return NULL;
	}
	if (config_bindings_parse(node, json_object_get(doc, "bindings"), c, err) ||
	    config_queues_parse(json_object_get(doc, "queues"), c, err) ||
	    config_lookup_parse(doc, s->pm->key_layout, c, err) ||
	    (json_object_get(doc, "program") != NULL &&
	     program_config_parse(node, json_object_get(doc, "program"), "$.program",
				  &c->program, err))) {
		slice_config_free(c);
		return NULL;
	}
	return c;
}

int
program_config_parse(const struct node *node, const json_t *v, const char *path,
		      struct program_config **out, struct sp_error *err)
{
	struct program_doc d = { .jit = true };
	struct program_fault fault;
	struct program_source src;
	char at[JV_PATH_MAX];
	int rc;

	if (jv_object(v, path, program_fields, RTE_DIM(program_fields), &d, err))
		return -EINVAL;
	if ((d.pcap == NULL) == (d.elf_base64 == NULL))
		return jv_fail(err, path, "expected exactly one of \"pcap\" and \"elf_base64\"");
	jv_path_key(at, sizeof(at), path, "section");
	if (d.elf_base64 != NULL && d.section[0] == '\0')
		return jv_fail(err, at, "missing: an ELF object's program is named by its "
			       "section");
	if (d.pcap != NULL && d.section[0] != '\0')
		return jv_fail(err, at, "only an ELF object has sections");

	src = (struct program_source){
		.kind = d.pcap != NULL ? PROGRAM_PCAP : PROGRAM_ELF,
		.pcap = d.pcap,
		.elf_base64 = d.elf_base64,
		.section = d.section,
		.jit = d.jit,
	};
	rc = program_load(&src, (uint32_t)node->cfg.program_max_instructions, out, &fault);
	if (rc == -EINVAL) {
		jv_path_key(at, sizeof(at), path, fault.field);
		return jv_fail(err, at, "%s", fault.msg);
	}
	if (rc != 0)
		return jv_fail(err, path, "cannot load the program: %s", strerror(-rc));
	return 0;
}

json_t *
program_to_json(const struct program_config *p)
{
	if (p == NULL)
		return NULL;
	if (p->kind == PROGRAM_PCAP)
		return json_pack("{s:s, s:b}", "pcap", p->pcap, "jit", p->jit);
	return json_pack("{s:s, s:s, s:b}", "elf_base64", p->elf_base64,
			 "section", p->section, "jit", p->jit);
}

/* Renders an action, or returns NULL for DP_ACTION_NONE. */
static json_t *
action_to_json(const struct action_config *a)
{
	char ip[INET_ADDRSTRLEN], peer[INET_ADDRSTRLEN + 8];
	json_t *fwd;

	switch (a->type) {
	case DP_ACTION_DROP:
		return json_pack("{s:{}}", "drop");
	case DP_ACTION_EXCEPTION:
		return json_pack("{s:{}}", "exception");
	case DP_ACTION_FORWARD:
		snprintf(peer, sizeof(peer), "%s:%u",
			 jv_ipv4_str(a->peer.ip, ip, sizeof(ip)), a->peer.port);
		fwd = json_pack("{s:i, s:s}", "binding", a->binding, "peer", peer);
		if (fwd != NULL && a->has_queue)
			json_object_set_new(fwd, "queue", json_integer(a->queue));
		return json_pack("{s:o*}", "forward", fwd);
	default:
		return NULL;
	}
}

json_t *
binding_to_json(const struct node *node, const struct slice_config *c, uint16_t id)
{
	const struct binding_config *b = &c->bindings[id];
	json_t *j = json_pack("{s:i, s:s, s:i}", "id", b->id, "interface",
			      node->cfg.ifaces[b->iface].name, "udp_port", b->udp_port);
	json_t *act = action_to_json(&b->default_action);

	if (j != NULL && act != NULL)
		json_object_set_new(j, "default_action", act);
	return j;
}

json_t *
bindings_to_json(const struct node *node, const struct slice_config *c)
{
	json_t *a = json_array();

	for (uint16_t id = 0; a != NULL && id < SP_MAX_BINDINGS_PER_SLICE; id++)
		if (c->present[id])
			json_array_append_new(a, binding_to_json(node, c, id));
	return a;
}

/* "a.b.c.d/len" of a host-order prefix. */
static const char *
prefix_str(uint32_t prefix, uint8_t len, char *buf, size_t size)
{
	char ip[INET_ADDRSTRLEN];

	snprintf(buf, size, "%s/%u", jv_ipv4_str(htonl(prefix), ip, sizeof(ip)), len);
	return buf;
}

/* Hex digits of 14 bytes. */
static const char *
hex_str(const uint8_t *b, char *buf)
{
	for (size_t i = 0; i < DP_KEY_BYTES; i++)
		sprintf(buf + 2 * i, "%02x", b[i]);
	return buf;
}

/* Renders a match as it was given. */
static json_t *
match_to_json(const struct filter_config *f)
{
	const struct dp_match *m = &f->match;
	char buf[2 * DP_KEY_BYTES + 1];
	json_t *j = json_object();

	if (j == NULL)
		return NULL;
	if (f->given & MATCH_BINDING)
		json_object_set_new(j, "binding", json_integer(m->binding));
	if (f->given & MATCH_KEY) {
		json_object_set_new(j, "key", json_string(hex_str(m->generic.key, buf)));
		json_object_set_new(j, "mask", json_string(hex_str(m->generic.mask, buf)));
	}
	if (f->given & MATCH_SRC)
		json_object_set_new(j, "src", json_string(prefix_str(m->ipv4.src,
				    m->ipv4.src_len, buf, sizeof(buf))));
	if (f->given & MATCH_DST)
		json_object_set_new(j, "dst", json_string(prefix_str(m->ipv4.dst,
				    m->ipv4.dst_len, buf, sizeof(buf))));
	if (f->given & MATCH_PROTOCOL)
		json_object_set_new(j, "protocol", json_integer(m->ipv4.proto));
	if (f->given & MATCH_SRC_PORT)
		json_object_set_new(j, "src_port", json_pack("[i, i]", m->ipv4.sport_lo,
							     m->ipv4.sport_hi));
	if (f->given & MATCH_DST_PORT)
		json_object_set_new(j, "dst_port", json_pack("[i, i]", m->ipv4.dport_lo,
							     m->ipv4.dport_hi));
	return j;
}

json_t *
filter_to_json(const struct filter_config *f)
{
	return json_pack("{s:I, s:I, s:o*, s:o*}", "id", (json_int_t)f->id,
			 "priority", (json_int_t)f->priority, "match", match_to_json(f),
			 "action", action_to_json(&f->action));
}

json_t *
route_to_json(const struct route_config *r)
{
	char pfx[24], ip[INET_ADDRSTRLEN], peer[INET_ADDRSTRLEN + 8];
	json_t *j;

	snprintf(peer, sizeof(peer), "%s:%u",
		 jv_ipv4_str(r->action.peer.ip, ip, sizeof(ip)), r->action.peer.port);
	j = json_pack("{s:I, s:s, s:i, s:s}", "id", (json_int_t)r->id, "prefix",
		      prefix_str(r->prefix, r->len, pfx, sizeof(pfx)), "binding",
		      r->action.binding, "peer", peer);
	if (j != NULL && r->action.has_queue)
		json_object_set_new(j, "queue", json_integer(r->action.queue));
	return j;
}

json_t *
queue_to_json(const struct queue_config *q)
{
	return json_pack("{s:I, s:i, s:I, s:I, s:I}", "id", (json_int_t)q->id,
			 "binding", q->binding, "weight", (json_int_t)q->weight,
			 "limit_packets", (json_int_t)q->limit_packets,
			 "limit_bytes", (json_int_t)q->limit_bytes);
}

json_t *
queues_to_json(const struct slice_config *c)
{
	json_t *a = json_array();

	for (uint32_t i = 0; a != NULL && i < c->nb_queues; i++)
		json_array_append_new(a, queue_to_json(&c->queues[i]));
	return a;
}

json_t *
filters_to_json(const struct slice_config *c)
{
	json_t *a = json_array();

	for (uint32_t i = 0; a != NULL && i < c->nb_filters; i++)
		json_array_append_new(a, filter_to_json(&c->filters[i]));
	return a;
}

json_t *
routes_to_json(const struct slice_config *c)
{
	json_t *a = json_array();

	for (uint32_t i = 0; a != NULL && i < c->nb_routes; i++)
		json_array_append_new(a, route_to_json(&c->routes[i]));
	return a;
}

json_t *
slice_config_to_json(const struct node *node, const struct slice_config *c)
{
	return json_pack("{s:o*, s:o*, s:o*, s:o*, s:o*}", "bindings", bindings_to_json(node, c),
			 "queues", queues_to_json(c), "filters", filters_to_json(c),
			 "routes", routes_to_json(c), "program", program_to_json(c->program));
}

