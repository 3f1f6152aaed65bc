/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/token.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int
token_generate(char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t raw[TOKEN_MAX_LEN / 2];
	size_t n = size / 2;            /* bytes for size - 1 hex digits */

	if (size < 2 || n > sizeof(raw))
		return -EINVAL;
	if (getrandom(raw, n, 0) != (ssize_t)n)
		return errno ? -errno : -EIO;
	for (size_t i = 0; i < size - 1; i++)
		out[i] = hex[(raw[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	out[size - 1] = '\0';
	return 0;
}

bool
token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = 0;

	if (la != lb)
		return false;
	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return diff == 0;
}

void
token_hash(const char *token, struct token_hash *out)
{
	sha256(token, strlen(token), out->b);
}

bool
token_hash_equal(const struct token_hash *a, const struct token_hash *b)
{
	uint8_t diff = 0;

	for (size_t i = 0; i < sizeof(a->b); i++)
		diff |= a->b[i] ^ b->b[i];
	return diff == 0;
}

char *
token_hash_hex(const struct token_hash *h, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < sizeof(h->b); i++) {
		out[2 * i] = hex[h->b[i] >> 4];
		out[2 * i + 1] = hex[h->b[i] & 0xf];
	}
	out[TOKEN_HASH_HEX] = '\0';
	return out;
}

/* The value of hex digit c, or -1. */
static int
token_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
token_hash_parse(const char *hex, struct token_hash *out)
{
	if (strlen(hex) != TOKEN_HASH_HEX)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(out->b); i++) {
		int hi = token_hex_digit(hex[2 * i]), lo = token_hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out->b[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* Creates 'file' (mode 0600, must not exist) holding a new token. */
static int
token_admin_create(const char *file, char *out, char *why, size_t why_size)
{
	int fd, rc;
	size_t len;

	rc = token_generate(out, 64 + 1);
	if (rc != 0) {
		snprintf(why, why_size, "cannot generate a token: %s", strerror(-rc));
		return rc;
	}
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		snprintf(why, why_size, "cannot create: %s", strerror(errno));
		return rc;
	}
	len = strlen(out);
	if (write(fd, out, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd) != 0) {
		rc = errno ? -errno : -EIO;
		snprintf(why, why_size, "cannot write: %s", strerror(-rc));
		close(fd);
		unlink(file);
		return rc;
	}
	close(fd);
	return 0;
}

int
token_admin_load(const char *file, char *out, char *why, size_t why_size)
{
	char buf[TOKEN_MAX_LEN + 3];
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return token_admin_create(file, out, why, why_size);
	if (fd < 0) {
		snprintf(why, why_size, "cannot open: %s", strerror(errno));
		return -errno;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(why, why_size, "not a regular file");
		return -EINVAL;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		snprintf(why, why_size,
			 "group or others may access it (mode %03o); chmod 600 it",
			 (unsigned int)(st.st_mode & 0777));
		return -EPERM;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		snprintf(why, why_size, "cannot read: %s", strerror(errno));
		return -EIO;
	}
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n < TOKEN_MIN_LEN || n > TOKEN_MAX_LEN) {
		snprintf(why, why_size, "the token must be %d to %d characters",
			 TOKEN_MIN_LEN, TOKEN_MAX_LEN);
		return -EINVAL;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] <= ' ' || buf[i] > '~') {
			snprintf(why, why_size,
				 "the token may hold only visible ASCII characters");
			return -EINVAL;
		}
	}
	memcpy(out, buf, (size_t)n + 1);
	return 0;
}
