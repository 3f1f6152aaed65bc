/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_TOOLS_SLICECTL_TABLE_H
#define SP_TOOLS_SLICECTL_TABLE_H

/*
 * slicectl's tables: text cells in columns, aligned when printed, and the
 * rendering of the API's JSON objects into rows through declarative column
 * lists (struct sc_col).  Counters get thousands separators; with two
 * samples of the same document, rate columns show the change per second.
 * Single-threaded; a table owns copies of its cells.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct sc_table;

enum sc_align {
	SC_ALIGN_LEFT,
	SC_ALIGN_RIGHT,
};

/* How a column renders the value of its key. */
enum sc_fmt {
	SC_FMT_TEXT,	/* a string as it is; anything else as compact JSON */
	SC_FMT_COUNT,	/* an integer with thousands separators */
	SC_FMT_ACTION,	/* {"forward": {...}}, {"drop": {}} ... on one line */
	SC_FMT_MATCH,	/* a filter's match: key=value ..., or "any" */
	SC_FMT_BANDWIDTH, /* {"eth0": {"in_bps", "out_bps"}} as eth0 1G/1G */
	SC_FMT_PER_S,	/* a counter's change per second */
	SC_FMT_BIT_S,	/* a byte counter's change, in bits per second */
};

/* Which views show a column: rates need two samples (see sc_rates). */
enum sc_view {
	SC_VIEW_ALL,
	SC_VIEW_ONCE,	/* only without rates */
	SC_VIEW_RATES,	/* only with rates */
};

/* One column of a table of JSON objects. */
struct sc_col {
	const char *header;
	const char *key;	/* the member, "a.b" for a nested one */
	enum sc_fmt fmt;
	enum sc_view view;
	const char *prefix;	/* put before the value, if not NULL */
	const char *suffix;	/* put after it, if not NULL */
};

/* The previous sample, for rate columns. */
struct sc_rates {
	json_t *prev;		/* the previous array (or object); NULL: none yet */
	const char *id_key;	/* matches an array's rows to 'prev's */
	double dt;		/* seconds between the samples */
};

/* A new empty table, without columns. */
struct sc_table *sc_table_new(void);

/* Frees 't' and its cells; NULL is allowed. */
void sc_table_free(struct sc_table *t);

/* Adds a column; only before the first cell. */
void sc_table_add_col(struct sc_table *t, const char *header, enum sc_align align);

/* Appends a cell (copied) to the last row, starting a new row when the
 * last one is full. */
void sc_table_add_cell(struct sc_table *t, const char *text);

/* Prints the header and the rows to 'out', each column as wide as its
 * widest cell, two spaces apart.  An empty table prints its header and
 * "(none)". */
void sc_table_print(const struct sc_table *t, FILE *out);

/* A table with the columns of 'cols' (n of them) that the view shows: with
 * rates if 'rates' is true.  Numbers are right-aligned. */
struct sc_table *sc_table_from_cols(const struct sc_col *cols, size_t n, bool rates);

/* Adds one row per object of the array 'rows' to 't' (made by
 * sc_table_from_cols() from the same 'cols'); 'rates' is NULL without
 * rate columns.  A missing member shows as "-". */
void sc_table_add_objects(struct sc_table *t, const struct sc_col *cols, size_t n,
			  json_t *rows, const struct sc_rates *rates);

/* Adds one row per member of the object 'obj' (name, then value as an
 * SC_FMT_COUNT, then with 'rates' its change per second) to a table of two
 * or three columns. */
void sc_table_add_members(struct sc_table *t, json_t *obj, const struct sc_rates *rates);

/* Renders 'v' as 'fmt' would (rates excluded) into a new string. */
char *sc_fmt_value(json_t *v, enum sc_fmt fmt);

/* Writes 'v' with thousands separators into 'buf'; returns 'buf'. */
char *sc_fmt_count(char *buf, size_t len, long long v);

#endif /* SP_TOOLS_SLICECTL_TABLE_H */
