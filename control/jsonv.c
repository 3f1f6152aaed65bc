/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/jsonv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
jv_fail(struct sp_error *err, const char *path, const char *fmt, ...)
{
	va_list ap;

	snprintf(err->path, sizeof(err->path), "%s", path);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void
jv_path_key(char *buf, size_t size, const char *parent, const char *key)
{
	snprintf(buf, size, "%s.%s", parent, key);
}

void
jv_path_index(char *buf, size_t size, const char *parent, size_t index)
{
	snprintf(buf, size, "%s[%zu]", parent, index);
}

const char *
jv_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "something else";
}

bool
jv_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > JV_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

int
jv_parse_ipv4(const char *s, uint32_t *ip)
{
	struct in_addr a;

	/* inet_pton() takes only four decimal parts, without leading zeros. */
	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ip = a.s_addr;
	return 0;
}

int
jv_parse_endpoint(const char *s, struct jv_endpoint *ep)
{
	const char *colon = strrchr(s, ':');
	char host[INET_ADDRSTRLEN];
	char *end;
	unsigned long port;

	if (colon == NULL || (size_t)(colon - s) >= sizeof(host) || colon[1] == '\0')
		return -EINVAL;
	memcpy(host, s, colon - s);
	host[colon - s] = '\0';
	if (jv_parse_ipv4(host, &ep->ip) != 0)
		return -EINVAL;
	if (colon[1] < '0' || colon[1] > '9')
		return -EINVAL;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || port == 0 || port > 65535)
		return -EINVAL;
	ep->port = (uint16_t)port;
	return 0;
}

const char *
jv_ipv4_str(uint32_t ip, char *buf, size_t size)
{
	struct in_addr a = { .s_addr = ip };

	return inet_ntop(AF_INET, &a, buf, size) ? buf : "?";
}

/* Parses "xx:xx:xx:xx:xx:xx" (hex digits, either case); returns 0 or -EINVAL. */
static int
jv_parse_mac(const char *s, uint8_t mac[6])
{
	int used = 0;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx%n", &mac[0], &mac[1],
		   &mac[2], &mac[3], &mac[4], &mac[5], &used) != 6 || used != 17)
		return -EINVAL;
	for (int i = 0; i < 17; i++) {
		char c = s[i];
		bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			   (c >= 'A' && c <= 'F');

		if (i % 3 == 2 ? c != ':' : !hex)
			return -EINVAL;
	}
	return 0;
}

/* Checks that 'v' is a string and returns it, or NULL with *err set. */
static const char *
jv_string_of(const json_t *v, const char *path, struct sp_error *err)
{
	if (!json_is_string(v)) {
		jv_fail(err, path, "expected a string, got %s", jv_type_name(v));
		return NULL;
	}
	return json_string_value(v);
}

int
jv_scalar(const json_t *v, const char *path, const struct jv_field *f,
	  void *out, struct sp_error *err)
{
	const char *s = NULL;
	size_t len;

	if (f->type == JV_UINT) {
		json_int_t i;

		if (!json_is_integer(v))
			return jv_fail(err, path, "expected an integer, got %s",
				       jv_type_name(v));
		i = json_integer_value(v);
		if (i < 0 || (uint64_t)i < f->min || (uint64_t)i > f->max)
			return jv_fail(err, path,
				       "%lld is out of range: expected %" PRIu64
				       " to %" PRIu64, (long long)i, f->min, f->max);
		*(uint64_t *)out = (uint64_t)i;
		return 0;
	}
	if (f->type == JV_BOOL) {
		if (!json_is_boolean(v))
			return jv_fail(err, path, "expected true or false, got %s",
				       jv_type_name(v));
		*(bool *)out = json_is_true(v);
		return 0;
	}

	s = jv_string_of(v, path, err);
	if (s == NULL)
		return -EINVAL;
	len = json_string_length(v);
	if (strlen(s) != len)
		return jv_fail(err, path, "the string contains a NUL character");

	switch (f->type) {
	case JV_STRING:
		if (len < f->min || len > f->max || len >= f->size)
			return jv_fail(err, path,
				       "expected a string of %" PRIu64 " to %" PRIu64
				       " bytes, got %zu", f->min,
				       (f->max < f->size - 1 ? f->max : (uint64_t)f->size - 1), len);
		memcpy(out, s, len + 1);
		return 0;
	case JV_TEXT:
		if (len < f->min || len > f->max)
			return jv_fail(err, path,
				       "expected a string of %" PRIu64 " to %" PRIu64
				       " bytes, got %zu", f->min, f->max, len);
		*(const char **)out = s;
		return 0;
	case JV_NAME:
		if (!jv_name_valid(s))
			return jv_fail(err, path,
				       "invalid name \"%.64s\": expected 1 to %d of "
				       "a-z 0-9 _ -, starting with a letter",
				       s, JV_NAME_MAX);
		memcpy(out, s, len + 1);
		return 0;
	case JV_IPV4:
		if (jv_parse_ipv4(s, out) != 0)
			return jv_fail(err, path, "not an IPv4 address: \"%.64s\"", s);
		return 0;
	case JV_MAC:
		if (jv_parse_mac(s, out) != 0)
			return jv_fail(err, path,
				       "not a MAC address (xx:xx:xx:xx:xx:xx): \"%.64s\"", s);
		return 0;
	case JV_ENDPOINT:
		if (jv_parse_endpoint(s, out) != 0)
			return jv_fail(err, path,
				       "not an IPv4 address and UDP/TCP port "
				       "(a.b.c.d:1-65535): \"%.64s\"", s);
		return 0;
	default:
		return jv_fail(err, path, "internal error: not a scalar field");
	}
}

/* Finds the field named 'key' in fields[0..nb), or NULL. */
static const struct jv_field *
jv_field_find(const struct jv_field *fields, size_t nb, const char *key)
{
	for (size_t i = 0; i < nb; i++)
		if (strcmp(fields[i].key, key) == 0)
			return &fields[i];
	return NULL;
}

int
jv_object(const json_t *v, const char *path, const struct jv_field *fields,
	  size_t nb, void *params, struct sp_error *err)
{
	char child[JV_PATH_MAX];
	const char *key;
	json_t *member;

	if (!json_is_object(v))
		return jv_fail(err, path, "expected an object, got %s", jv_type_name(v));

	json_object_foreach((json_t *)v, key, member) {
		const struct jv_field *f = jv_field_find(fields, nb, key);

		jv_path_key(child, sizeof(child), path, key);
		if (f == NULL)
			return jv_fail(err, child, "unknown key");
		switch (f->type) {
		case JV_OBJECT:
			if (!json_is_object(member))
				return jv_fail(err, child, "expected an object, got %s",
					       jv_type_name(member));
			break;
		case JV_ARRAY:
			if (!json_is_array(member))
				return jv_fail(err, child, "expected an array, got %s",
					       jv_type_name(member));
			if (json_array_size(member) < f->min ||
			    json_array_size(member) > f->max)
				return jv_fail(err, child,
					       "expected %" PRIu64 " to %" PRIu64
					       " items, got %zu", f->min, f->max,
					       json_array_size(member));
			break;
		default:
			if (jv_scalar(member, child, f, (char *)params + f->offset, err))
				return -EINVAL;
		}
	}

	for (size_t i = 0; i < nb; i++) {
		if (fields[i].required && json_object_get(v, fields[i].key) == NULL) {
			jv_path_key(child, sizeof(child), path, fields[i].key);
			return jv_fail(err, child, "missing");
		}
	}
	return 0;
}

int
jv_check_unicast(uint32_t ip_be, const char *path, struct sp_error *err)
{
	uint32_t ip = ntohl(ip_be);
	uint8_t top = ip >> 24;
	char buf[INET_ADDRSTRLEN];

	if (ip == 0 || top == 127 || top >= 224)
		return jv_fail(err, path, "%s is not a unicast address",
			       jv_ipv4_str(ip_be, buf, sizeof(buf)));
	return 0;
}

/* Length of the valid UTF-8 sequence at 's', or 0 if there is none. */
static size_t
jv_utf8_len(const unsigned char *s)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void
jv_utf8_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p != '\0') {
		size_t n = jv_utf8_len(p);

		if (n == 0) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}
