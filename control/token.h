/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_TOKEN_H
#define SP_CONTROL_TOKEN_H

/* Bearer tokens: generation, comparison, the admin token file.
 * Control plane only. */

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_MIN_LEN 16
#define TOKEN_MAX_LEN 128

/* Writes 'size' - 1 random hex characters and a NUL to 'out'.
 * Returns 0 or a negative errno. */
int token_generate(char *out, size_t size);

/* Compares two tokens in time that depends only on their lengths. */
bool token_equal(const char *a, const char *b);

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
