/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_TOKEN_H
#define SP_CONTROL_TOKEN_H

/* Bearer tokens: generation, hashing, comparison, the admin token file.
 * The node keeps only tokens' SHA-256 hashes, in memory and on disk; a
 * presented token is hashed once and compared with them in constant time.
 * Control plane only. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "control/sha256.h"

#define TOKEN_MIN_LEN 16
#define TOKEN_MAX_LEN 128

/* Writes 'size' - 1 random hex characters and a NUL to 'out'.
 * Returns 0 or a negative errno. */
int token_generate(char *out, size_t size);

/* Compares two tokens in time that depends only on their lengths. */
bool token_equal(const char *a, const char *b);

/* A token as the node keeps it. */
struct token_hash {
	uint8_t b[SHA256_LEN];
};

#define TOKEN_HASH_HEX (2 * SHA256_LEN)

/* The hash of 'token'. */
void token_hash(const char *token, struct token_hash *out);

/* Compares two hashes in constant time. */
bool token_hash_equal(const struct token_hash *a, const struct token_hash *b);

/* Writes h as TOKEN_HASH_HEX lower-case hex digits and a NUL to
 * out[TOKEN_HASH_HEX + 1]; returns out. */
char *token_hash_hex(const struct token_hash *h, char *out);

/* Parses TOKEN_HASH_HEX hex digits.  Returns 0 or -EINVAL. */
int token_hash_parse(const char *hex, struct token_hash *out);

/*
 * Reads the admin token from 'file' into out[TOKEN_MAX_LEN + 1], or, if
 * the file does not exist, generates one and creates the file with mode
 * 0600.  Refuses a file that group or others may read, and a token shorter
 * than TOKEN_MIN_LEN or longer than TOKEN_MAX_LEN, or with characters
 * outside the visible ASCII range.  Returns 0, or a negative errno with a
 * reason for people in why[why_size].
 */
int token_admin_load(const char *file, char *out, char *why, size_t why_size);

#endif /* SP_CONTROL_TOKEN_H */
