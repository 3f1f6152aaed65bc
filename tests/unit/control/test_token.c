/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/* Unit tests for control/sha256.c and the token hashes of control/token.c. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "control/sha256.h"
#include "control/token.h"
#include "cu_main.h"

/* The FIPS 180-2 appendix B examples, and a few lengths around a block's
 * padding boundary (55, 56, 63, 64 bytes) whose digests were computed with
 * sha256sum(1). */
static void
test_sha256_vectors(void)
{
	static const struct {
		const char *msg;
		size_t repeat;
		const char *digest;
	} v[] = {
		{ "", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "a", 1000000,
		  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
		{ "a", 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ "a", 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ "a", 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ "a", 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
	};

	for (size_t i = 0; i < CU_DIM(v); i++) {
		size_t len = strlen(v[i].msg) * v[i].repeat;
		char *buf = malloc(len + 1), hex[TOKEN_HASH_HEX + 1];
		struct token_hash h;

		CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
		for (size_t k = 0; k < v[i].repeat; k++)
			memcpy(buf + k * strlen(v[i].msg), v[i].msg, strlen(v[i].msg));
		buf[len] = '\0';
		sha256(buf, len, h.b);
		CU_EXPECT_STR(token_hash_hex(&h, hex), v[i].digest, v[i].msg);
		free(buf);
	}
}

static void
test_hash_hex_round_trip(void)
{
	struct token_hash h, back;
	char hex[TOKEN_HASH_HEX + 1];

	token_hash("some-token", &h);
	CU_EXPECT_INT(token_hash_parse(token_hash_hex(&h, hex), &back), 0, "parse");
	CU_EXPECT(token_hash_equal(&h, &back), "round trip");
	back.b[SHA256_LEN - 1] ^= 1;
	CU_EXPECT(!token_hash_equal(&h, &back), "last bit differs");
	hex[5] = 'A';
	CU_EXPECT_INT(token_hash_parse(hex, &back), -EINVAL, "upper case");
	hex[5] = 'g';
	CU_EXPECT_INT(token_hash_parse(hex, &back), -EINVAL, "not hex");
	CU_EXPECT_INT(token_hash_parse("00", &back), -EINVAL, "short");
}

static void
test_token_hash_distinct(void)
{
	struct token_hash a, b;

	token_hash("0123456789abcdef", &a);
	token_hash("0123456789abcdee", &b);
	CU_EXPECT(!token_hash_equal(&a, &b), "one character apart");
	token_hash("0123456789abcdef", &b);
	CU_EXPECT(token_hash_equal(&a, &b), "same token");
}

static const struct cu_case token_cases[] = {
	CU_CASE(test_sha256_vectors),
	CU_CASE(test_hash_hex_round_trip),
	CU_CASE(test_token_hash_distinct),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("control/token", NULL, NULL, token_cases),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
