/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/* Unit tests of control/jsonv.c: tables, scalar types, paths and messages. */

#include "control/jsonv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/cu_main.h"

/* The params struct the test table fills. */
struct tparams {
	uint64_t u;             /* JV_UINT 10..20, required */
	uint64_t big;           /* JV_UINT 0..INT64_MAX */
	uint64_t any;           /* JV_UINT 0..UINT64_MAX */
	char s[16];             /* JV_STRING 2..8 bytes */
	char tiny[4];           /* JV_STRING 0..100 bytes, but a 4-byte buffer */
	char name[JV_NAME_MAX + 1];
	uint32_t ip;
	uint8_t mac[6];
	struct jv_endpoint ep;
};

#define F(member) offsetof(struct tparams, member), sizeof(((struct tparams *)0)->member)

static const struct jv_field tfields[] = {
	{ "u", JV_UINT, true, F(u), 10, 20 },
	{ "big", JV_UINT, false, F(big), 0, INT64_MAX },
	{ "any", JV_UINT, false, F(any), 0, UINT64_MAX },
	{ "s", JV_STRING, false, F(s), 2, 8 },
	{ "tiny", JV_STRING, false, F(tiny), 0, 100 },
	{ "name", JV_NAME, false, F(name), 0, 0 },
	{ "ip", JV_IPV4, false, F(ip), 0, 0 },
	{ "mac", JV_MAC, false, F(mac), 0, 0 },
	{ "ep", JV_ENDPOINT, false, F(ep), 0, 0 },
	{ "obj", JV_OBJECT, false, 0, 0, 0, 0 },
	{ "arr", JV_ARRAY, false, 0, 0, 1, 3 },
};

/* Parses 'text' in which ' stands for " (so that tables stay readable). */
static json_t *
tjson(const char *text)
{
	char buf[1024];
	json_error_t jerr;
	json_t *v;
	size_t i;

	for (i = 0; text[i] != '\0' && i < sizeof(buf) - 1; i++)
		buf[i] = text[i] == '\'' ? '"' : text[i];
	buf[i] = '\0';
	v = json_loads(buf, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY,
		       &jerr);
	CU_EXPECT(v != NULL, "test JSON %s: %s", buf, jerr.text);
	return v;
}

/* Runs jv_object() on 'text' at path "$.t" with the table above, params
 * prefilled with 0xa5; returns its result. */
static int
tobject(const char *text, struct tparams *p, struct sp_error *err)
{
	json_t *v = tjson(text);
	int rc;

	memset(p, 0xa5, sizeof(*p));
	memset(err, 0, sizeof(*err));
	if (v == NULL)
		return -EBADMSG;
	rc = jv_object(v, "$.t", tfields, CU_DIM(tfields), p, err);
	json_decref(v);
	return rc;
}

/* A document the table must refuse: where and why. */
struct bad_case {
	const char *json;
	const char *path;
	const char *msg;        /* a substring of err.msg */
};

static void
run_bad_cases(const struct bad_case *cases, size_t nb)
{
	for (size_t i = 0; i < nb; i++) {
		const struct bad_case *c = &cases[i];
		struct tparams p;
		struct sp_error err;

		CU_EXPECT_INT(tobject(c->json, &p, &err), -EINVAL, c->json);
		CU_EXPECT_STR(err.path, c->path, c->json);
		CU_EXPECT_HAS(err.msg, c->msg, c->json);
	}
}

static void
test_object_valid_fills_params(void)
{
	struct tparams p;
	struct sp_error err;
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0xab, 0xcd };
	int rc;

	rc = tobject("{'u': 15, 'big': 9223372036854775807, 's': 'abc', 'tiny': 'xyz',"
		     " 'name': 'eth-0_a', 'ip': '192.0.2.1', 'mac': '02:00:5e:10:AB:cd',"
		     " 'ep': '198.51.100.2:6000', 'obj': {'anything': [1]}, 'arr': [1, 'x']}",
		     &p, &err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_EXPECT_UINT(p.u, 15, "u");
	CU_EXPECT_UINT(p.big, INT64_MAX, "big");
	CU_EXPECT_STR(p.s, "abc", "s");
	CU_EXPECT_STR(p.tiny, "xyz", "tiny");
	CU_EXPECT_STR(p.name, "eth-0_a", "name");
	CU_EXPECT_UINT(p.ip, htonl(0xc0000201), "ip is in network order");
	CU_EXPECT(memcmp(p.mac, mac, 6) == 0, "mac bytes");
	CU_EXPECT_UINT(p.ep.ip, htonl(0xc6336402), "endpoint address");
	CU_EXPECT_UINT(p.ep.port, 6000, "endpoint port in host order");
}

static void
test_object_absent_keys_untouched(void)
{
	struct tparams p, before;
	struct sp_error err;

	CU_ASSERT_EQUAL_FATAL(tobject("{'u': 10}", &p, &err), 0);
	memset(&before, 0xa5, sizeof(before));
	before.u = 10;
	CU_ASSERT_EQUAL(memcmp(&p, &before, sizeof(p)), 0);
}

static void
test_object_unknown_and_missing(void)
{
	static const struct bad_case cases[] = {
		{ "{'u': 10, 'x': 1}", "$.t.x", "unknown key" },
		{ "{'U': 10}", "$.t.U", "unknown key" },
		/* An unknown key is reported before a missing one. */
		{ "{'zzz': 1}", "$.t.zzz", "unknown key" },
		{ "{}", "$.t.u", "missing" },
		{ "{'s': 'abc'}", "$.t.u", "missing" },
		/* null is a value of the wrong type, not an absent key. */
		{ "{'u': null}", "$.t.u", "expected an integer, got null" },
	};

	run_bad_cases(cases, CU_DIM(cases));
}

static void
test_object_not_an_object(void)
{
	static const struct bad_case cases[] = {
		{ "[]", "$.t", "expected an object, got an array" },
		{ "'x'", "$.t", "expected an object, got a string" },
		{ "1", "$.t", "expected an object, got an integer" },
		{ "null", "$.t", "expected an object, got null" },
	};

	run_bad_cases(cases, CU_DIM(cases));
}

static void
test_object_wrong_types(void)
{
	static const struct bad_case cases[] = {
		{ "{'u': '10'}", "$.t.u", "expected an integer, got a string" },
		{ "{'u': 10.0}", "$.t.u", "expected an integer, got a number with a fraction" },
		{ "{'u': 1.5}", "$.t.u", "expected an integer, got a number with a fraction" },
		{ "{'u': 1e1}", "$.t.u", "expected an integer" },
		{ "{'u': true}", "$.t.u", "expected an integer, got a boolean" },
		{ "{'u': false}", "$.t.u", "expected an integer, got a boolean" },
		{ "{'u': {}}", "$.t.u", "expected an integer, got an object" },
		{ "{'u': []}", "$.t.u", "expected an integer, got an array" },
		{ "{'u': 10, 's': 5}", "$.t.s", "expected a string, got an integer" },
		{ "{'u': 10, 'name': null}", "$.t.name", "expected a string, got null" },
		{ "{'u': 10, 'ip': 3221225985}", "$.t.ip", "expected a string, got an integer" },
		{ "{'u': 10, 'mac': []}", "$.t.mac", "expected a string, got an array" },
		{ "{'u': 10, 'ep': {}}", "$.t.ep", "expected a string, got an object" },
		{ "{'u': 10, 'obj': []}", "$.t.obj", "expected an object, got an array" },
		{ "{'u': 10, 'obj': 'x'}", "$.t.obj", "expected an object, got a string" },
		{ "{'u': 10, 'arr': {}}", "$.t.arr", "expected an array, got an object" },
		{ "{'u': 10, 'arr': null}", "$.t.arr", "expected an array, got null" },
	};

	run_bad_cases(cases, CU_DIM(cases));
}

static void
test_uint_bounds_inclusive(void)
{
	static const struct {
		const char *json;
		uint64_t value;
	} ok[] = {
		{ "{'u': 10}", 10 },
		{ "{'u': 20}", 20 },
		{ "{'u': 10, 'big': 0}", 10 },
	};
	static const struct bad_case bad[] = {
		{ "{'u': 9}", "$.t.u", "9 is out of range: expected 10 to 20" },
		{ "{'u': 21}", "$.t.u", "21 is out of range: expected 10 to 20" },
		{ "{'u': 0}", "$.t.u", "out of range" },
		{ "{'u': -1}", "$.t.u", "-1 is out of range" },
		{ "{'u': -15}", "$.t.u", "-15 is out of range" },
		{ "{'u': -9223372036854775808}", "$.t.u", "-9223372036854775808 is out of range" },
		{ "{'u': 10, 'big': -1}", "$.t.big", "-1 is out of range: expected 0 to" },
		/* Negative, not 2^64 - 1, even where that would be in range. */
		{ "{'u': 10, 'any': -1}", "$.t.any",
		  "-1 is out of range: expected 0 to 18446744073709551615" },
	};

	for (size_t i = 0; i < CU_DIM(ok); i++) {
		struct tparams p;
		struct sp_error err;

		CU_EXPECT_INT(tobject(ok[i].json, &p, &err), 0, ok[i].json);
		CU_EXPECT_UINT(p.u, ok[i].value, ok[i].json);
	}
	run_bad_cases(bad, CU_DIM(bad));
}

static void
test_string_lengths(void)
{
	static const struct {
		const char *json;
		const char *s;
	} ok[] = {
		{ "{'u': 10, 's': 'ab'}", "ab" },
		{ "{'u': 10, 's': 'abcdefgh'}", "abcdefgh" },
		/* Lengths are in bytes: two 2-byte UTF-8 characters. */
		{ "{'u': 10, 's': '\\u00e9\\u00e9'}", "\xc3\xa9\xc3\xa9" },
	};
	static const struct bad_case bad[] = {
		{ "{'u': 10, 's': ''}", "$.t.s", "expected a string of 2 to 8 bytes, got 0" },
		{ "{'u': 10, 's': 'a'}", "$.t.s", "expected a string of 2 to 8 bytes, got 1" },
		{ "{'u': 10, 's': 'abcdefghi'}", "$.t.s",
		  "expected a string of 2 to 8 bytes, got 9" },
		{ "{'u': 10, 's': '\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9'}", "$.t.s",
		  "got 10" },
		/* The buffer is the tighter limit: 3 bytes and the NUL. */
		{ "{'u': 10, 'tiny': 'abcd'}", "$.t.tiny",
		  "expected a string of 0 to 3 bytes, got 4" },
	};

	for (size_t i = 0; i < CU_DIM(ok); i++) {
		struct tparams p;
		struct sp_error err;

		CU_EXPECT_INT(tobject(ok[i].json, &p, &err), 0, ok[i].json);
		CU_EXPECT_STR(p.s, ok[i].s, ok[i].json);
	}
	run_bad_cases(bad, CU_DIM(bad));
}

static void
test_string_embedded_nul(void)
{
	static const char *const keys[] = { "s", "tiny", "name", "ip", "mac", "ep" };
	static const char *const values[] = {
		"ab", "ab", "ab", "1.2.3.4", "02:00:00:00:00:01", "1.2.3.4:5",
	};

	for (size_t i = 0; i < CU_DIM(keys); i++) {
		/* A valid value, a NUL and junk: "ab\0zz". */
		char raw[32], path[32];
		size_t len = strlen(values[i]);
		json_t *v = json_object();
		struct tparams p;
		struct sp_error err = { { 0 }, { 0 } };

		memcpy(raw, values[i], len);
		memcpy(raw + len, "\0zz", 3);
		json_object_set_new(v, "u", json_integer(10));
		json_object_set_new(v, keys[i], json_stringn(raw, len + 3));
		CU_EXPECT_INT(jv_object(v, "$.t", tfields, CU_DIM(tfields), &p, &err),
			      -EINVAL, keys[i]);
		snprintf(path, sizeof(path), "$.t.%s", keys[i]);
		CU_EXPECT_STR(err.path, path, keys[i]);
		CU_EXPECT_HAS(err.msg, "NUL", keys[i]);
		json_decref(v);
	}
	/* Through the parser too. */
	{
		static const struct bad_case bad[] = {
			{ "{'u': 10, 's': 'a\\u0000b'}", "$.t.s",
			  "the string contains a NUL character" },
		};

		run_bad_cases(bad, CU_DIM(bad));
	}
}

static void
test_name(void)
{
	static const char *const good[] = {
		"a", "eth0", "a-b_c9", "z-", "a_",
		"abcdefghijklmnopqrstuvwxyz012345",     /* 32 */
	};
	static const char *const bad[] = {
		"", "Abc", "aBc", "ABC", "1abc", "0", "-ab", "_ab",
		"abcdefghijklmnopqrstuvwxyz0123456",    /* 33 */
		"a/b", "/a", "..", "a..b", "a.b", "a b", " a", "a ",
		"a\tb", "a\nb", "a\x01", "a\x7f", "\xc3\xa9t\xc3\xa9", "a\xc3\xa9",
	};

	for (size_t i = 0; i < CU_DIM(good); i++)
		CU_EXPECT(jv_name_valid(good[i]), "\"%s\" should be a valid name", good[i]);
	for (size_t i = 0; i < CU_DIM(bad); i++)
		CU_EXPECT(!jv_name_valid(bad[i]), "\"%s\" should not be a valid name", bad[i]);

	/* Through the table: the value is stored, and a refusal is explained. */
	for (size_t i = 0; i < CU_DIM(good); i++) {
		json_t *v = json_pack("{s:i, s:s}", "u", 10, "name", good[i]);
		struct tparams p;
		struct sp_error err;

		CU_EXPECT_INT(jv_object(v, "$.t", tfields, CU_DIM(tfields), &p, &err), 0,
			      good[i]);
		CU_EXPECT_STR(p.name, good[i], good[i]);
		json_decref(v);
	}
	for (size_t i = 0; i < CU_DIM(bad); i++) {
		json_t *v = json_pack("{s:i, s:s}", "u", 10, "name", bad[i]);
		struct tparams p;
		struct sp_error err = { { 0 }, { 0 } };

		CU_EXPECT_INT(jv_object(v, "$.t", tfields, CU_DIM(tfields), &p, &err),
			      -EINVAL, bad[i]);
		CU_EXPECT_STR(err.path, "$.t.name", bad[i]);
		CU_EXPECT_HAS(err.msg, "invalid name", bad[i]);
		CU_EXPECT_HAS(err.msg, "starting with a letter", bad[i]);
		json_decref(v);
	}
}

static void
test_ipv4(void)
{
	static const struct {
		const char *s;
		uint32_t ip;    /* host order */
	} good[] = {
		{ "192.0.2.1", 0xc0000201 },
		{ "0.0.0.0", 0 },
		{ "255.255.255.255", 0xffffffff },
		{ "10.0.0.10", 0x0a00000a },
		{ "1.2.3.4", 0x01020304 },
	};
	static const char *const bad[] = {
		"01.2.3.4", "1.02.3.4", "1.2.3.04", "1.2.3", "1.2.3.4.5", "256.1.1.1",
		"1.2.3.256", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4\n", "", "1..3.4",
		"1.2.3.-4", "0x1.2.3.4", "1.2.3.4/24", "1.2.3.4:80", "a.b.c.d",
		"16909060", "::1",
	};

	for (size_t i = 0; i < CU_DIM(good); i++) {
		uint32_t ip = 0x5a5a5a5a;

		CU_EXPECT_INT(jv_parse_ipv4(good[i].s, &ip), 0, good[i].s);
		CU_EXPECT_UINT(ip, htonl(good[i].ip), good[i].s);
	}
	for (size_t i = 0; i < CU_DIM(bad); i++) {
		uint32_t ip = 0x5a5a5a5a;
		json_t *v = json_pack("{s:i, s:s}", "u", 10, "ip", bad[i]);
		struct tparams p;
		struct sp_error err = { { 0 }, { 0 } };

		CU_EXPECT_INT(jv_parse_ipv4(bad[i], &ip), -EINVAL, bad[i]);
		CU_EXPECT_UINT(ip, 0x5a5a5a5a, bad[i]);
		CU_EXPECT_INT(jv_object(v, "$.t", tfields, CU_DIM(tfields), &p, &err),
			      -EINVAL, bad[i]);
		CU_EXPECT_STR(err.path, "$.t.ip", bad[i]);
		CU_EXPECT_HAS(err.msg, "not an IPv4 address", bad[i]);
		json_decref(v);
	}
}

static void
test_mac(void)
{
	static const struct {
		const char *s;
		uint8_t mac[6];
	} good[] = {
		{ "02:00:5e:10:ab:cd", { 0x02, 0x00, 0x5e, 0x10, 0xab, 0xcd } },
		{ "02:00:5E:10:AB:CD", { 0x02, 0x00, 0x5e, 0x10, 0xab, 0xcd } },
		{ "ff:ff:ff:ff:ff:ff", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
		{ "00:00:00:00:00:00", { 0, 0, 0, 0, 0, 0 } },
	};
	static const char *const bad[] = {
		"02-00-5e-10-ab-cd",            /* separators */
		"02.00.5e.10.ab.cd",
		"02:00:5e:10:ab-cd",
		"0200.5e10.abcd",
		"02:00:5e:10:ab",               /* length */
		"02:00:5e:10:ab:cd:ef",
		"02:00:5e:10:ab:c",
		"2:00:5e:10:ab:cde",            /* 17 characters, misplaced ':' */
		"2:0:5e:10:ab:cd",
		"",
		"0g:00:5e:10:ab:cd",            /* non-hex */
		"02:00:5e:10:ab:cx",
		"+2:00:5e:10:ab:cd",
		"-2:00:5e:10:ab:cd",
		" 2:00:5e:10:ab:cd",
		"02:00:5e:10:ab: d",
		"02:00:5e:10:ab:cd ",
		"0x:00:5e:10:ab:cd",
	};

	for (size_t i = 0; i < CU_DIM(good); i++) {
		json_t *v = json_pack("{s:i, s:s}", "u", 10, "mac", good[i].s);
		struct tparams p;
		struct sp_error err;

		CU_EXPECT_INT(jv_object(v, "$.t", tfields, CU_DIM(tfields), &p, &err), 0,
			      good[i].s);
		CU_EXPECT(memcmp(p.mac, good[i].mac, 6) == 0, "%s: bytes", good[i].s);
		json_decref(v);
	}
	for (size_t i = 0; i < CU_DIM(bad); i++) {
		json_t *v = json_pack("{s:i, s:s}", "u", 10, "mac", bad[i]);
		struct tparams p;
		struct sp_error err = { { 0 }, { 0 } };

		CU_EXPECT_INT(jv_object(v, "$.t", tfields, CU_DIM(tfields), &p, &err),
			      -EINVAL, bad[i]);
		CU_EXPECT_STR(err.path, "$.t.mac", bad[i]);
		CU_EXPECT_HAS(err.msg, "not a MAC address", bad[i]);
		json_decref(v);
	}
}

static void
test_endpoint(void)
{
	static const struct {
		const char *s;
		uint32_t ip;    /* host order */
		uint16_t port;
	} good[] = {
		{ "127.0.0.1:8080", 0x7f000001, 8080 },
		{ "0.0.0.0:1", 0, 1 },
		{ "1.2.3.4:65535", 0x01020304, 65535 },
		/* The port is plain decimal: leading zeros are taken, unlike in
		 * the address. */
		{ "1.2.3.4:05", 0x01020304, 5 },
		{ "1.2.3.4:0080", 0x01020304, 80 },
	};
	static const char *const bad[] = {
		"1.2.3.4:0", "1.2.3.4:00", "1.2.3.4:65536", "1.2.3.4:99999999999999999999999",
		"1.2.3.4:4294967297",   /* 2^32 + 1 */
		"1.2.3.4", "1.2.3.4:", ":80", "1.2.3.4:+5", "1.2.3.4:-5", "1.2.3.4: 5",
		"1.2.3.4:5 ", "1.2.3.4:5x", "1.2.3.4:0x10", "1.2.3.4::5", "1.2.3.4:5:6",
		"01.2.3.4:80", "1.2.3:80", "localhost:80", "111.222.233.244.1:80",
		"255.255.255.2555:80", "",
	};

	for (size_t i = 0; i < CU_DIM(good); i++) {
		struct jv_endpoint ep = { 0, 0 };

		CU_EXPECT_INT(jv_parse_endpoint(good[i].s, &ep), 0, good[i].s);
		CU_EXPECT_UINT(ep.ip, htonl(good[i].ip), good[i].s);
		CU_EXPECT_UINT(ep.port, good[i].port, good[i].s);
	}
	for (size_t i = 0; i < CU_DIM(bad); i++) {
		struct jv_endpoint ep;
		json_t *v = json_pack("{s:i, s:s}", "u", 10, "ep", bad[i]);
		struct tparams p;
		struct sp_error err = { { 0 }, { 0 } };

		CU_EXPECT_INT(jv_parse_endpoint(bad[i], &ep), -EINVAL, bad[i]);
		CU_EXPECT_INT(jv_object(v, "$.t", tfields, CU_DIM(tfields), &p, &err),
			      -EINVAL, bad[i]);
		CU_EXPECT_STR(err.path, "$.t.ep", bad[i]);
		CU_EXPECT_HAS(err.msg, "a.b.c.d:1-65535", bad[i]);
		json_decref(v);
	}
}

static void
test_array_bounds(void)
{
	static const char *const ok[] = {
		"{'u': 10, 'arr': [1]}", "{'u': 10, 'arr': [1, 2, 3]}",
	};
	static const struct bad_case bad[] = {
		{ "{'u': 10, 'arr': []}", "$.t.arr", "expected 1 to 3 items, got 0" },
		{ "{'u': 10, 'arr': [1, 2, 3, 4]}", "$.t.arr", "expected 1 to 3 items, got 4" },
	};

	for (size_t i = 0; i < CU_DIM(ok); i++) {
		struct tparams p;
		struct sp_error err;

		CU_EXPECT_INT(tobject(ok[i], &p, &err), 0, ok[i]);
	}
	run_bad_cases(bad, CU_DIM(bad));
}

static void
test_scalar_of_non_scalar_field(void)
{
	static const struct jv_field f = { "o", JV_OBJECT, false, 0, 0, 0, 0 };
	json_t *v = json_string("x");
	struct sp_error err = { { 0 }, { 0 } };
	char out[8];

	CU_EXPECT_INT(jv_scalar(v, "$.o", &f, out, &err), -EINVAL, "JV_OBJECT scalar");
	CU_EXPECT_STR(err.path, "$.o", "JV_OBJECT scalar");
	CU_EXPECT_HAS(err.msg, "internal error", "JV_OBJECT scalar");
	json_decref(v);
}

static void
test_check_unicast(void)
{
	static const uint32_t good[] = {
		0x01000000, 0x0a000001, 0x7effffff, 0x80000001, 0xc0000201, 0xdfffffff,
	};
	static const struct {
		uint32_t ip;
		const char *str;
	} bad[] = {
		{ 0x00000000, "0.0.0.0" },
		{ 0x7f000001, "127.0.0.1" },
		{ 0x7fffffff, "127.255.255.255" },
		{ 0xe0000001, "224.0.0.1" },
		{ 0xefffffff, "239.255.255.255" },
		{ 0xf0000001, "240.0.0.1" },
		{ 0xffffffff, "255.255.255.255" },
	};

	for (size_t i = 0; i < CU_DIM(good); i++) {
		struct sp_error err;

		CU_EXPECT(jv_check_unicast(htonl(good[i]), "$.x", &err) == 0,
			  "%#x should be unicast", good[i]);
	}
	for (size_t i = 0; i < CU_DIM(bad); i++) {
		struct sp_error err = { { 0 }, { 0 } };

		CU_EXPECT_INT(jv_check_unicast(htonl(bad[i].ip), "$.a[2].ipv4", &err),
			      -EINVAL, bad[i].str);
		CU_EXPECT_STR(err.path, "$.a[2].ipv4", bad[i].str);
		CU_EXPECT_HAS(err.msg, bad[i].str, bad[i].str);
		CU_EXPECT_HAS(err.msg, "is not a unicast address", bad[i].str);
	}
}

static void
test_path_helpers(void)
{
	char buf[JV_PATH_MAX];
	char small[5];

	jv_path_key(buf, sizeof(buf), "$", "interfaces");
	CU_EXPECT_STR(buf, "$.interfaces", "key");
	jv_path_index(buf, sizeof(buf), "$.interfaces", 1);
	CU_EXPECT_STR(buf, "$.interfaces[1]", "index");
	jv_path_index(buf, sizeof(buf), "$.a", 4096);
	CU_EXPECT_STR(buf, "$.a[4096]", "large index");
	jv_path_key(buf, sizeof(buf), "$.interfaces[1]", "ipv4");
	CU_EXPECT_STR(buf, "$.interfaces[1].ipv4", "key after index");

	/* Truncated, always terminated. */
	memset(small, 'x', sizeof(small));
	jv_path_key(small, sizeof(small), "$.abc", "def");
	CU_EXPECT_STR(small, "$.ab", "truncated key");
	memset(small, 'x', sizeof(small));
	jv_path_index(small, sizeof(small), "$", 12345);
	CU_EXPECT_STR(small, "$[12", "truncated index");
}

static void
test_fail_and_type_names(void)
{
	struct sp_error err;
	char long_path[JV_PATH_MAX * 2];
	json_t *t = json_true(), *f = json_false(), *n = json_null();
	json_t *o = json_object(), *a = json_array(), *s = json_string("x");
	json_t *i = json_integer(1), *r = json_real(0.5);

	CU_EXPECT_INT(jv_fail(&err, "$.p", "bad %s %d", "thing", 7), -EINVAL, "jv_fail");
	CU_EXPECT_STR(err.path, "$.p", "jv_fail path");
	CU_EXPECT_STR(err.msg, "bad thing 7", "jv_fail msg");

	memset(long_path, 'p', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	jv_fail(&err, long_path, "%s", long_path);
	CU_EXPECT_UINT(strlen(err.path), JV_PATH_MAX - 1, "long path truncated");
	CU_EXPECT_UINT(strlen(err.msg), JV_MSG_MAX - 1, "long msg truncated");

	CU_EXPECT_STR(jv_type_name(o), "an object", "object");
	CU_EXPECT_STR(jv_type_name(a), "an array", "array");
	CU_EXPECT_STR(jv_type_name(s), "a string", "string");
	CU_EXPECT_STR(jv_type_name(i), "an integer", "integer");
	CU_EXPECT_STR(jv_type_name(r), "a number with a fraction", "real");
	CU_EXPECT_STR(jv_type_name(t), "a boolean", "true");
	CU_EXPECT_STR(jv_type_name(f), "a boolean", "false");
	CU_EXPECT_STR(jv_type_name(n), "null", "null");
	json_decref(o);
	json_decref(a);
	json_decref(s);
	json_decref(i);
	json_decref(r);
}

static void
test_ipv4_str(void)
{
	char buf[16];

	CU_EXPECT_STR(jv_ipv4_str(htonl(0xc0000201), buf, sizeof(buf)), "192.0.2.1", "str");
	CU_EXPECT_STR(jv_ipv4_str(htonl(0xffffffff), buf, sizeof(buf)), "255.255.255.255",
		      "longest");
	CU_EXPECT_STR(jv_ipv4_str(htonl(0x01020304), buf, 4), "?", "buffer too small");
}

static void
test_nested_paths(void)
{
	json_t *v = tjson("{'u': 10, 'mtu': 1500}");
	struct tparams p;
	struct sp_error err = { { 0 }, { 0 } };

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_EXPECT_INT(jv_object(v, "$.interfaces[1]", tfields, CU_DIM(tfields), &p, &err),
		      -EINVAL, "nested");
	CU_EXPECT_STR(err.path, "$.interfaces[1].mtu", "nested");
	CU_EXPECT_HAS(err.msg, "unknown key", "nested");
	json_decref(v);
}

static const struct cu_case jsonv_cases[] = {
	CU_CASE(test_object_valid_fills_params),
	CU_CASE(test_object_absent_keys_untouched),
	CU_CASE(test_object_unknown_and_missing),
	CU_CASE(test_object_not_an_object),
	CU_CASE(test_object_wrong_types),
	CU_CASE(test_uint_bounds_inclusive),
	CU_CASE(test_string_lengths),
	CU_CASE(test_string_embedded_nul),
	CU_CASE(test_name),
	CU_CASE(test_ipv4),
	CU_CASE(test_mac),
	CU_CASE(test_endpoint),
	CU_CASE(test_array_bounds),
	CU_CASE(test_scalar_of_non_scalar_field),
	CU_CASE(test_check_unicast),
	CU_CASE(test_path_helpers),
	CU_CASE(test_fail_and_type_names),
	CU_CASE(test_ipv4_str),
	CU_CASE(test_nested_paths),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("control/jsonv", NULL, NULL, jsonv_cases),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
