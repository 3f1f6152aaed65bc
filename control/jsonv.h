/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_JSONV_H
#define SP_CONTROL_JSONV_H

/*
 * jsonv: strict validation of JSON documents into parameter structs.
 *
 * A document is described by tables of struct jv_field, one per object, in
 * the manner of nginx's configuration tables.  jv_object() checks an object
 * against its table: no unknown key, every required key present, every
 * scalar of the right type and range, which it then stores in the params
 * struct.  Objects and arrays are only type-checked; the caller descends
 * into them with the child path.  Every fault is reported with the JSON path
 * of the offending value ("$.interfaces[1].ipv4") and a reason for people.
 *
 * Used by the node configuration loader and the REST API alike.  Control
 * plane only.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define JV_PATH_MAX 256
#define JV_MSG_MAX 256

/* A refusal: where and why. */
struct sp_error {
	char path[JV_PATH_MAX];
	char msg[JV_MSG_MAX];
};

enum jv_type {
	JV_UINT,        /* integer in [min, max] -> uint64_t */
	JV_BOOL,        /* true or false -> bool */
	JV_STRING,      /* string of min..max bytes -> char[size] */
	JV_TEXT,        /* string of min..max bytes -> const char *, borrowed
			 * from the document */
	JV_NAME,        /* ^[a-z][a-z0-9_-]{0,31}$ -> char[size >= 33] */
	JV_IPV4,        /* "a.b.c.d" -> uint32_t, network order */
	JV_MAC,         /* "xx:xx:xx:xx:xx:xx" -> uint8_t[6] */
	JV_ENDPOINT,    /* "a.b.c.d:port", port 1..65535 -> struct jv_endpoint */
	JV_OBJECT,      /* checked only */
	JV_ARRAY,       /* checked only; length in [min, max] */
};

struct jv_endpoint {
	uint32_t ip;    /* network order */
	uint16_t port;  /* host order */
};

struct jv_field {
	const char *key;
	enum jv_type type;
	bool required;
	size_t offset;  /* into the params struct (scalars) */
	size_t size;    /* JV_STRING and JV_NAME: buffer size */
	uint64_t min;   /* JV_UINT: value; JV_STRING: length; JV_ARRAY: items */
	uint64_t max;
};

#define JV_NAME_MAX 32

/* Sets *err to 'path' and a printf-style message; returns -EINVAL. */
int jv_fail(struct sp_error *err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes "parent.key" to buf. */
void jv_path_key(char *buf, size_t size, const char *parent, const char *key);

/* Writes "parent[index]" to buf. */
void jv_path_index(char *buf, size_t size, const char *parent, size_t index);

/* The JSON type of 'v' in words ("a string", "null", ...), for messages. */
const char *jv_type_name(const json_t *v);

/*
 * Checks object 'v' found at 'path' against fields[0..nb) and stores its
 * scalar members at params + field.offset.  Keys that are absent leave the
 * params untouched, so callers set defaults first.  Returns 0 or -EINVAL
 * with *err set.
 */
int jv_object(const json_t *v, const char *path, const struct jv_field *fields,
	      size_t nb, void *params, struct sp_error *err);

/* Parses one value of a scalar type at 'path' into 'out' (see enum jv_type).
 * Returns 0 or -EINVAL with *err set. */
int jv_scalar(const json_t *v, const char *path, const struct jv_field *f,
	      void *out, struct sp_error *err);

/* True if 's' is a valid object name (JV_NAME). */
bool jv_name_valid(const char *s);

/* Parses "a.b.c.d" strictly; returns 0 or -EINVAL. */
int jv_parse_ipv4(const char *s, uint32_t *ip);

/* Parses "a.b.c.d:port"; returns 0 or -EINVAL. */
int jv_parse_endpoint(const char *s, struct jv_endpoint *ep);

/* Refuses (-EINVAL, *err set) an address that is unspecified, loopback,
 * multicast, broadcast or reserved (class E). */
int jv_check_unicast(uint32_t ip, const char *path, struct sp_error *err);

/* Replaces, in place, every byte of 's' that is not part of a valid UTF-8
 * sequence with '?', so that text cut at any byte (or taken from a
 * request) can go into a JSON string. */
void jv_utf8_sanitize(char *s);

/* Formats an IPv4 address (network order) into buf (>= 16 bytes). */
const char *jv_ipv4_str(uint32_t ip, char *buf, size_t size);

#endif /* SP_CONTROL_JSONV_H */
