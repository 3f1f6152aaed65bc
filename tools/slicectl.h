/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_TOOLS_SLICECTL_H
#define SP_TOOLS_SLICECTL_H

/*
 * slicectl: the command-line client of slicepathd's REST API (docs/api.md).
 * What its modules share: exit statuses and allocation that cannot fail
 * (out of memory ends the process, as in any small command-line tool).
 * slicectl is single-threaded.
 */

#include <stddef.h>

/* Exit statuses, one per kind of outcome (see slicectl --help). */
enum sc_exit {
	SC_EXIT_OK = 0,
	SC_EXIT_SERVER = 1,	/* the server refused, or its reply is unusable */
	SC_EXIT_USAGE = 2,	/* bad command line, a local file at fault, or
				 * out of memory: nothing was sent */
	SC_EXIT_CONNECT = 3,	/* the API could not be reached */
};

/* malloc() that prints a message and exits on failure. */
void *sc_xmalloc(size_t size);

/* realloc() that prints a message and exits on failure. */
void *sc_xrealloc(void *p, size_t size);

/* strdup() that prints a message and exits on failure. */
char *sc_xstrdup(const char *s);

/* asprintf() that prints a message and exits on failure; returns the
 * string, which the caller frees. */
char *sc_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* SP_TOOLS_SLICECTL_H */
