/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * slicectl's tables (see slicectl_table.h): cell storage, aligned printing,
 * and the rendering of JSON values into cells.
 */

#include "tools/slicectl_table.h"

#include <stdlib.h>
#include <string.h>

#include "tools/slicectl.h"

#define SC_TABLE_MAX_COLS 16
#define SC_TABLE_GAP 2		/* spaces between columns */
#define SC_NUM_MAX 32		/* a formatted integer, with separators */

struct sc_table {
	size_t ncols;
	char *header[SC_TABLE_MAX_COLS];
	enum sc_align align[SC_TABLE_MAX_COLS];
	char **cells;		/* row after row, ncols each */
	size_t ncells;
	size_t cap;
};

struct sc_table *
sc_table_new(void)
{
	struct sc_table *t = sc_xmalloc(sizeof(*t));

	memset(t, 0, sizeof(*t));
	return t;
}

void
sc_table_free(struct sc_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		free(t->header[i]);
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void
sc_table_add_col(struct sc_table *t, const char *header, enum sc_align align)
{
	if (t->ncols == SC_TABLE_MAX_COLS || t->ncells > 0)
		abort();	/* a column list in this program is wrong */
	t->header[t->ncols] = sc_xstrdup(header);
	t->align[t->ncols] = align;
	t->ncols++;
}

void
sc_table_add_cell(struct sc_table *t, const char *text)
{
	if (t->ncells == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->cells = sc_xrealloc(t->cells, t->cap * sizeof(*t->cells));
	}
	t->cells[t->ncells++] = sc_xstrdup(text);
}

/* Prints one row of 'cells' (t->ncols of them) with the column 'width's. */
static void
sc_table_print_row(const struct sc_table *t, char *const *cells,
		   const size_t *width, FILE *out)
{
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = cells[c] != NULL ? cells[c] : "";
		int pad = (int)(width[c] - strlen(s));
		bool last = c + 1 == t->ncols;

		if (c > 0)
			fprintf(out, "%*s", SC_TABLE_GAP, "");
		if (t->align[c] == SC_ALIGN_RIGHT)
			fprintf(out, "%*s%s", pad, "", s);
		else
			fprintf(out, "%s%*s", s, last ? 0 : pad, "");
	}
	fputc('\n', out);
}

void
sc_table_print(const struct sc_table *t, FILE *out)
{
	size_t width[SC_TABLE_MAX_COLS] = { 0 };
	size_t nrows = (t->ncells + t->ncols - 1) / t->ncols;
	char *row[SC_TABLE_MAX_COLS];

	for (size_t c = 0; c < t->ncols; c++)
		width[c] = strlen(t->header[c]);
	for (size_t i = 0; i < t->ncells; i++) {
		size_t len = strlen(t->cells[i]);

		if (len > width[i % t->ncols])
			width[i % t->ncols] = len;
	}
	sc_table_print_row(t, t->header, width, out);
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;

			row[c] = i < t->ncells ? t->cells[i] : NULL;
		}
		sc_table_print_row(t, row, width, out);
	}
	if (nrows == 0)
		fprintf(out, "(none)\n");
}

char *
sc_fmt_count(char *buf, size_t len, long long v)
{
	char digits[SC_NUM_MAX];
	int n = snprintf(digits, sizeof(digits), "%llu",
			 v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
	size_t o = 0;

	if (v < 0 && o + 1 < len)
		buf[o++] = '-';
	for (int i = 0; i < n && o + 1 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0 && o + 2 < len)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/* Writes 'v' with an SI prefix (k, M, G, T) and at most four significant
 * digits to 'f': 1G, 600M, 1.5G, 999. */
static void
sc_fmt_si(FILE *f, long long v)
{
	static const char prefix[] = " kMGTPE";
	double d = (double)v;
	size_t i = 0;

	while ((d >= 1000 || d <= -1000) && i + 1 < sizeof(prefix) - 1) {
		d /= 1000;
		i++;
	}
	if (i == 0)
		fprintf(f, "%lld", v);
	else
		fprintf(f, "%.4g%c", d, prefix[i]);
}

/* Writes a scalar 'v' to 'f': strings as they are, integers in decimal,
 * anything else as compact JSON. */
static void
sc_fmt_scalar(FILE *f, json_t *v)
{
	char *text;

	if (json_is_string(v)) {
		fputs(json_string_value(v), f);
	} else if (json_is_integer(v)) {
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else {
		text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		fputs(text != NULL ? text : "?", f);
		free(text);
	}
}

/* Writes the members of the object 'obj' to 'f' as "key=value ...",
 * preceded by a space each if 'lead' is true.  A port range [lo, hi] is
 * written lo-hi, or lo if hi is the same. */
static void
sc_fmt_pairs(FILE *f, json_t *obj, bool lead)
{
	const char *key;
	json_t *v;
	bool first = !lead;

	json_object_foreach(obj, key, v) {
		json_t *lo = json_array_get(v, 0), *hi = json_array_get(v, 1);

		fprintf(f, "%s%s=", first ? "" : " ", key);
		if (json_array_size(v) == 2 && json_is_integer(lo) && json_is_integer(hi) &&
		    json_equal(lo, hi))
			sc_fmt_scalar(f, lo);
		else if (json_array_size(v) == 2 && json_is_integer(lo) && json_is_integer(hi))
			fprintf(f, "%" JSON_INTEGER_FORMAT "-%" JSON_INTEGER_FORMAT,
				json_integer_value(lo), json_integer_value(hi));
		else
			sc_fmt_scalar(f, v);
		first = false;
	}
}

/* Writes an action to 'f': "forward binding=1 peer=...", "drop". */
static void
sc_fmt_action(FILE *f, json_t *v)
{
	const char *kind;
	json_t *args;

	if (!json_is_object(v) || json_object_size(v) != 1) {
		sc_fmt_scalar(f, v);
		return;
	}
	json_object_foreach(v, kind, args) {
		fputs(kind, f);
		if (json_is_object(args))
			sc_fmt_pairs(f, args, true);
		else
			sc_fmt_scalar(f, args);
	}
}

/* Writes per-interface bandwidth to 'f': "eth0 1G/0, eth1 0/300M" (in/out
 * bit/s), or "-" for none. */
static void
sc_fmt_bandwidth(FILE *f, json_t *v)
{
	const char *name;
	json_t *bw;
	bool first = true;

	if (!json_is_object(v)) {
		sc_fmt_scalar(f, v);
		return;
	}
	json_object_foreach(v, name, bw) {
		fprintf(f, "%s%s ", first ? "" : ", ", name);
		sc_fmt_si(f, json_integer_value(json_object_get(bw, "in_bps")));
		fputc('/', f);
		sc_fmt_si(f, json_integer_value(json_object_get(bw, "out_bps")));
		first = false;
	}
	if (first)
		fputc('-', f);
}

char *
sc_fmt_value(json_t *v, enum sc_fmt fmt)
{
	char num[SC_NUM_MAX];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (v == NULL)
		return sc_xstrdup("-");
	f = open_memstream(&buf, &len);
	if (f == NULL)
		return sc_xstrdup("?");
	switch (fmt) {
	case SC_FMT_COUNT:
		if (json_is_integer(v))
			fputs(sc_fmt_count(num, sizeof(num), json_integer_value(v)), f);
		else
			sc_fmt_scalar(f, v);
		break;
	case SC_FMT_ACTION:
		sc_fmt_action(f, v);
		break;
	case SC_FMT_MATCH:
		if (json_is_object(v) && json_object_size(v) > 0)
			sc_fmt_pairs(f, v, false);
		else if (json_is_object(v))
			fputs("any", f);
		else
			sc_fmt_scalar(f, v);
		break;
	case SC_FMT_BANDWIDTH:
		sc_fmt_bandwidth(f, v);
		break;
	case SC_FMT_TEXT:
	case SC_FMT_PER_S:
	case SC_FMT_BIT_S:
		sc_fmt_scalar(f, v);
		break;
	}
	fclose(f);
	if (buf == NULL)
		return sc_xstrdup("?");
	return buf;
}

/* The member 'key' of 'obj', following dots into nested objects. */
static json_t *
sc_json_path(json_t *obj, const char *key)
{
	const char *dot;

	while ((dot = strchr(key, '.')) != NULL && obj != NULL) {
		char part[64];

		snprintf(part, sizeof(part), "%.*s", (int)(dot - key), key);
		obj = json_object_get(obj, part);
		key = dot + 1;
	}
	return json_object_get(obj, key);
}

/* The element of the array 'rows' whose 'id_key' equals 'row's. */
static json_t *
sc_find_row(json_t *rows, const char *id_key, json_t *row)
{
	json_t *id = json_object_get(row, id_key);
	json_t *other;
	size_t i;

	if (id == NULL)
		return NULL;
	json_array_foreach(rows, i, other)
		if (json_equal(json_object_get(other, id_key), id))
			return other;
	return NULL;
}

/* The change per second of the counter from 'prev' to 'cur', times
 * 'scale', as a string; "-" without a previous sample or after a reset. */
static char *
sc_fmt_rate(json_t *cur, json_t *prev, double dt, double scale)
{
	char num[SC_NUM_MAX];
	json_int_t delta;

	if (!json_is_integer(cur) || !json_is_integer(prev) || dt <= 0)
		return sc_xstrdup("-");
	delta = json_integer_value(cur) - json_integer_value(prev);
	if (delta < 0)
		return sc_xstrdup("-");
	return sc_xstrdup(sc_fmt_count(num, sizeof(num),
				       (long long)((double)delta * scale / dt + 0.5)));
}

/* Whether a column shows in the view with or without rates. */
static bool
sc_col_shown(const struct sc_col *col, bool rates)
{
	return col->view == SC_VIEW_ALL ||
	       (col->view == SC_VIEW_RATES) == rates;
}

struct sc_table *
sc_table_from_cols(const struct sc_col *cols, size_t n, bool rates)
{
	struct sc_table *t = sc_table_new();

	for (size_t i = 0; i < n; i++) {
		bool number = cols[i].fmt == SC_FMT_COUNT || cols[i].fmt == SC_FMT_PER_S ||
			      cols[i].fmt == SC_FMT_BIT_S;

		if (sc_col_shown(&cols[i], rates))
			sc_table_add_col(t, cols[i].header,
					 number ? SC_ALIGN_RIGHT : SC_ALIGN_LEFT);
	}
	return t;
}

/* Adds the cell of column 'col' for the object 'row' ('prev' its previous
 * sample, or NULL) to 't'. */
static void
sc_table_add_col_cell(struct sc_table *t, const struct sc_col *col, json_t *row,
		      json_t *prev, const struct sc_rates *rates)
{
	json_t *v = sc_json_path(row, col->key);
	char *text;

	if (col->fmt == SC_FMT_PER_S || col->fmt == SC_FMT_BIT_S)
		text = sc_fmt_rate(v, sc_json_path(prev, col->key), rates->dt,
				   col->fmt == SC_FMT_BIT_S ? 8 : 1);
	else
		text = sc_fmt_value(v, col->fmt);
	if (col->prefix != NULL || col->suffix != NULL) {
		char *whole = sc_xasprintf("%s%s%s", col->prefix ? col->prefix : "",
					   text, col->suffix ? col->suffix : "");

		free(text);
		text = whole;
	}
	sc_table_add_cell(t, text);
	free(text);
}

void
sc_table_add_objects(struct sc_table *t, const struct sc_col *cols, size_t n,
		     json_t *rows, const struct sc_rates *rates)
{
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		json_t *prev = NULL;

		if (rates != NULL && rates->prev != NULL)
			prev = sc_find_row(rates->prev, rates->id_key, row);
		for (size_t c = 0; c < n; c++)
			if (sc_col_shown(&cols[c], rates != NULL))
				sc_table_add_col_cell(t, &cols[c], row, prev, rates);
	}
}

void
sc_table_add_members(struct sc_table *t, json_t *obj, const struct sc_rates *rates)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		char *text = sc_fmt_value(v, SC_FMT_COUNT);

		sc_table_add_cell(t, key);
		sc_table_add_cell(t, text);
		free(text);
		if (rates != NULL) {
			text = sc_fmt_rate(v, json_object_get(rates->prev, key),
					   rates->dt, 1);
			sc_table_add_cell(t, text);
			free(text);
		}
	}
}
