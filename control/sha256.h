/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_SHA256_H
#define SP_CONTROL_SHA256_H

/* SHA-256 (FIPS 180-4), for hashing bearer tokens.  Pure; any thread. */

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

/* Writes the SHA-256 digest of data[0..len) to out[SHA256_LEN]. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);

#endif /* SP_CONTROL_SHA256_H */
