/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * How slicectl shows the API's documents (see slicectl_view.h).  Each kind
 * of object has a column list below; the functions after them lay out a
 * whole document from those lists.
 */

#include "tools/slicectl_view.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "tools/slicectl.h"

#define SC_KEY_WIDTH 16			/* first column of "key value" lines */
#define SC_COLS(c) (c), (sizeof(c) / sizeof((c)[0]))

static const struct sc_col sc_binding_cols[] = {
	{ "BINDING", "id", SC_FMT_TEXT },
	{ "INTERFACE", "interface", SC_FMT_TEXT },
	{ "UDP PORT", "udp_port", SC_FMT_TEXT },
	{ "DEFAULT ACTION", "default_action", SC_FMT_ACTION },
};

static const struct sc_col sc_queue_cols[] = {
	{ "QUEUE", "id", SC_FMT_TEXT },
	{ "BINDING", "binding", SC_FMT_TEXT },
	{ "WEIGHT", "weight", SC_FMT_COUNT },
	{ "LIMIT PACKETS", "limit_packets", SC_FMT_COUNT },
	{ "LIMIT BYTES", "limit_bytes", SC_FMT_COUNT },
};

static const struct sc_col sc_filter_cols[] = {
	{ "FILTER", "id", SC_FMT_TEXT },
	{ "PRIORITY", "priority", SC_FMT_TEXT },
	{ "MATCH", "match", SC_FMT_MATCH },
	{ "ACTION", "action", SC_FMT_ACTION },
};

static const struct sc_col sc_route_cols[] = {
	{ "ROUTE", "id", SC_FMT_TEXT },
	{ "PREFIX", "prefix", SC_FMT_TEXT },
	{ "BINDING", "binding", SC_FMT_TEXT },
	{ "PEER", "peer", SC_FMT_TEXT },
	{ "QUEUE", "queue", SC_FMT_TEXT },
};

const struct sc_coll sc_colls[SC_COLL_MAX] = {
	[SC_COLL_BINDINGS] = { "bindings", "binding", SC_COLS(sc_binding_cols) },
	[SC_COLL_QUEUES] = { "queues", "queue", SC_COLS(sc_queue_cols) },
	[SC_COLL_FILTERS] = { "filters", "filter", SC_COLS(sc_filter_cols) },
	[SC_COLL_ROUTES] = { "routes", "route", SC_COLS(sc_route_cols) },
};

static const struct sc_col sc_slice_cols[] = {
	{ "SLICE", "name", SC_FMT_TEXT },
	{ "CODE OPTION", "code_option", SC_FMT_TEXT },
	{ "FILTERS", "reservation.filters", SC_FMT_COUNT },
	{ "QUEUES", "reservation.queues", SC_FMT_COUNT },
	{ "BUFFERS", "reservation.buffers", SC_FMT_COUNT },
	{ "BANDWIDTH IN/OUT", "reservation.bandwidth", SC_FMT_BANDWIDTH },
};

/* GET /v1/node's interfaces, each with "free" set to its free bandwidth. */
static const struct sc_col sc_interface_cols[] = {
	{ "INTERFACE", "name", SC_FMT_TEXT },
	{ "DEVICE", "device", SC_FMT_TEXT },
	{ "IPV4", "ipv4", SC_FMT_TEXT },
	{ "MAC", "mac", SC_FMT_TEXT },
	{ "PORT", "port_id", SC_FMT_TEXT },
	{ "RATE BIT/S", "rate_bps", SC_FMT_COUNT },
	{ "FREE IN BIT/S", "free.in_bps", SC_FMT_COUNT },
	{ "FREE OUT BIT/S", "free.out_bps", SC_FMT_COUNT },
};

static const struct sc_col sc_port_stats_cols[] = {
	{ "INTERFACE", "interface", SC_FMT_TEXT },
	{ "PORT", "port_id", SC_FMT_TEXT, SC_VIEW_ONCE },
	{ "RX PACKETS", "rx_packets", SC_FMT_COUNT },
	{ "RX BYTES", "rx_bytes", SC_FMT_COUNT, SC_VIEW_ONCE },
	{ "RX PPS", "rx_packets", SC_FMT_PER_S, SC_VIEW_RATES },
	{ "RX BIT/S", "rx_bytes", SC_FMT_BIT_S, SC_VIEW_RATES },
	{ "RX MISSED", "rx_missed", SC_FMT_COUNT },
	{ "RX ERRORS", "rx_errors", SC_FMT_COUNT, SC_VIEW_ONCE },
	{ "RX NOMBUF", "rx_nombuf", SC_FMT_COUNT, SC_VIEW_ONCE },
	{ "TX PACKETS", "tx_packets", SC_FMT_COUNT },
	{ "TX BYTES", "tx_bytes", SC_FMT_COUNT, SC_VIEW_ONCE },
	{ "TX PPS", "tx_packets", SC_FMT_PER_S, SC_VIEW_RATES },
	{ "TX BIT/S", "tx_bytes", SC_FMT_BIT_S, SC_VIEW_RATES },
	{ "TX ERRORS", "tx_errors", SC_FMT_COUNT },
};

static const struct sc_col sc_binding_stats_cols[] = {
	{ "BINDING", "id", SC_FMT_TEXT },
	{ "RX PACKETS", "rx_packets", SC_FMT_COUNT },
	{ "RX BYTES", "rx_bytes", SC_FMT_COUNT, SC_VIEW_ONCE },
	{ "RX PPS", "rx_packets", SC_FMT_PER_S, SC_VIEW_RATES },
	{ "RX BIT/S", "rx_bytes", SC_FMT_BIT_S, SC_VIEW_RATES },
	{ "TX PACKETS", "tx_packets", SC_FMT_COUNT },
	{ "TX BYTES", "tx_bytes", SC_FMT_COUNT, SC_VIEW_ONCE },
	{ "TX PPS", "tx_packets", SC_FMT_PER_S, SC_VIEW_RATES },
	{ "TX BIT/S", "tx_bytes", SC_FMT_BIT_S, SC_VIEW_RATES },
};

/* A queue's counters; the default queues' are under each binding's
 * "default_queue" (member prefix 'k'), labelled by the binding. */
#define SC_QUEUE_STATS_COLS(pre, post, k) \
	{ "QUEUE", "id", SC_FMT_TEXT, SC_VIEW_ALL, pre, post }, \
	{ "LENGTH", k "length_packets", SC_FMT_COUNT }, \
	{ "LENGTH BYTES", k "length_bytes", SC_FMT_COUNT }, \
	{ "ENQUEUED", k "enqueued", SC_FMT_COUNT }, \
	{ "DEQUEUED", k "dequeued", SC_FMT_COUNT }, \
	{ "OUT PPS", k "dequeued", SC_FMT_PER_S, SC_VIEW_RATES }, \
	{ "DROPPED", k "dropped", SC_FMT_COUNT }, \
	{ "DROPS/S", k "dropped", SC_FMT_PER_S, SC_VIEW_RATES }

static const struct sc_col sc_queue_stats_cols[] = {
	SC_QUEUE_STATS_COLS("queue ", NULL, ""),
};

static const struct sc_col sc_default_queue_stats_cols[] = {
	SC_QUEUE_STATS_COLS("binding ", " default", "default_queue."),
};

static const struct sc_col sc_filter_stats_cols[] = {
	{ "FILTER", "id", SC_FMT_TEXT },
	{ "HITS", "hits", SC_FMT_COUNT },
	{ "HITS/S", "hits", SC_FMT_PER_S, SC_VIEW_RATES },
};

/* The string value of 'v', or "-" if it is not a string. */
static const char *
sc_str(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "-";
}

/* Prints "key value", the value in the second column. */
static void
sc_print_field(const char *key, const char *value)
{
	printf("%-*s%s\n", SC_KEY_WIDTH, key, value);
}

/* Prints "key value", the value 'v' rendered as 'fmt'. */
static void
sc_print_field_json(const char *key, json_t *v, enum sc_fmt fmt)
{
	char *text = sc_fmt_value(v, fmt);

	sc_print_field(key, text);
	free(text);
}

/* Prints "key value", the value the elements of the array 'v' with commas
 * between them. */
static void
sc_print_list(const char *key, json_t *v)
{
	char *line = sc_xstrdup(""), *text, *longer;
	json_t *e;
	size_t i;

	json_array_foreach(v, i, e) {
		text = sc_fmt_value(e, SC_FMT_TEXT);
		longer = sc_xasprintf("%s%s%s", line, i > 0 ? ", " : "", text);
		free(text);
		free(line);
		line = longer;
	}
	sc_print_field(key, json_is_array(v) ? line : "-");
	free(line);
}

/* Prints the array 'rows' as a table of 'cols'. */
static void
sc_print_objects(const struct sc_col *cols, size_t n, json_t *rows)
{
	struct sc_table *t = sc_table_from_cols(cols, n, false);

	sc_table_add_objects(t, cols, n, rows, NULL);
	sc_table_print(t, stdout);
	sc_table_free(t);
}

void
sc_view_json(json_t *doc)
{
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENCODE_ANY);
	putchar('\n');
}

void
sc_view_node(json_t *node)
{
	json_t *ifs = json_deep_copy(json_object_get(node, "interfaces"));
	json_t *free_res = json_object_get(node, "free");
	json_t *free_bw = json_object_get(free_res, "bandwidth");
	json_t *qm = json_object_get(node, "queue_manager");
	struct sc_table *t;
	json_t *iface, *v;
	const char *key;
	char *text;
	size_t i;

	sc_print_field("node", sc_str(json_object_get(node, "name")));
	sc_print_field_json("slices", json_object_get(node, "slices"), SC_FMT_COUNT);
	sc_print_list("workers", json_object_get(json_object_get(node, "lcores"),
						 "workers"));
	sc_print_field("queue manager", qm == NULL ? "-" : json_is_true(qm) ? "on" : "off");

	putchar('\n');
	json_array_foreach(ifs, i, iface)
		json_object_set(iface, "free", json_object_get(free_bw,
			sc_str(json_object_get(iface, "name"))));
	sc_print_objects(SC_COLS(sc_interface_cols), ifs);
	json_decref(ifs);

	putchar('\n');
	t = sc_table_new();
	sc_table_add_col(t, "RESOURCE", SC_ALIGN_LEFT);
	sc_table_add_col(t, "CAPACITY", SC_ALIGN_RIGHT);
	sc_table_add_col(t, "FREE", SC_ALIGN_RIGHT);
	json_object_foreach(json_object_get(node, "capacity"), key, v) {
		sc_table_add_cell(t, key);
		text = sc_fmt_value(v, SC_FMT_COUNT);
		sc_table_add_cell(t, text);
		free(text);
		text = sc_fmt_value(json_object_get(free_res, key), SC_FMT_COUNT);
		sc_table_add_cell(t, text);
		free(text);
	}
	sc_table_print(t, stdout);
	sc_table_free(t);
}

void
sc_view_slices(json_t *slices)
{
	sc_print_objects(SC_COLS(sc_slice_cols), slices);
}

void
sc_view_config(json_t *config)
{
	json_t *prog = json_object_get(config, "program");

	for (size_t i = 0; i < SC_COLL_MAX; i++) {
		if (i > 0)
			putchar('\n');
		sc_view_coll(&sc_colls[i], json_object_get(config, sc_colls[i].path));
	}
	if (prog != NULL) {
		const char *pcap = json_string_value(json_object_get(prog, "pcap"));
		char *line = pcap != NULL ? sc_xasprintf("pcap \"%s\"", pcap) :
			sc_xasprintf("ELF section %s",
				     sc_str(json_object_get(prog, "section")));

		putchar('\n');
		sc_print_field("program", line);
		free(line);
	}
}

void
sc_view_slice(json_t *slice)
{
	json_t *res = json_object_get(slice, "reservation");
	char *bw = sc_fmt_value(json_object_get(res, "bandwidth"), SC_FMT_BANDWIDTH);
	char num[3][32];
	char *line;

	sc_print_field("slice", sc_str(json_object_get(slice, "name")));
	sc_print_field("code option", sc_str(json_object_get(slice, "code_option")));
	line = sc_xasprintf("filters %s, queues %s, buffers %s",
		sc_fmt_count(num[0], sizeof(num[0]),
			     json_integer_value(json_object_get(res, "filters"))),
		sc_fmt_count(num[1], sizeof(num[1]),
			     json_integer_value(json_object_get(res, "queues"))),
		sc_fmt_count(num[2], sizeof(num[2]),
			     json_integer_value(json_object_get(res, "buffers"))));
	sc_print_field("reservation", line);
	free(line);
	if (json_object_get(res, "program_cycles_per_sec") != NULL) {
		sc_fmt_count(num[0], sizeof(num[0]),
			     json_integer_value(json_object_get(res, "program_cycles_per_sec")));
		sc_print_field("program cycles", num[0]);
	}
	line = sc_xasprintf("%s (in/out bit/s)", bw);
	sc_print_field("bandwidth", line);
	free(line);
	free(bw);
	putchar('\n');
	sc_view_config(json_object_get(slice, "config"));
}

void
sc_view_coll(const struct sc_coll *coll, json_t *rows)
{
	sc_print_objects(coll->cols, coll->ncols, rows);
}

/* Prints the object doc[member] a member a row, under 'name' and 'unit';
 * with 'rates', each one's change per second since rates->prev. */
static void
sc_print_members(json_t *doc, const char *member, const char *name, const char *unit,
		 const struct sc_rates *rates)
{
	struct sc_table *t = sc_table_new();
	struct sc_rates r;

	sc_table_add_col(t, name, SC_ALIGN_LEFT);
	sc_table_add_col(t, unit, SC_ALIGN_RIGHT);
	if (rates != NULL) {
		sc_table_add_col(t, "PER S", SC_ALIGN_RIGHT);
		r = *rates;
		r.prev = json_object_get(rates->prev, member);
		rates = &r;
	}
	sc_table_add_members(t, json_object_get(doc, member), rates);
	sc_table_print(t, stdout);
	sc_table_free(t);
}

/* Prints the "drops" object of 'doc' by reason. */
static void
sc_print_drops(json_t *doc, const struct sc_rates *rates)
{
	sc_print_members(doc, "drops", "DROP", "PACKETS", rates);
}

/* Adds the rows of doc[member] to 't' with 'cols', matched by 'id_key' to
 * the same member of rates->prev when 'rates' is not NULL. */
static void
sc_add_stats_rows(struct sc_table *t, const struct sc_col *cols, size_t n,
		  json_t *doc, const char *member, const char *id_key,
		  const struct sc_rates *rates)
{
	struct sc_rates r;

	if (rates != NULL) {
		r = *rates;
		r.prev = json_object_get(rates->prev, member);
		r.id_key = id_key;
		rates = &r;
	}
	sc_table_add_objects(t, cols, n, json_object_get(doc, member), rates);
}

/* Prints, after a blank line if 'gap', the table of 'cols' for the rows of
 * doc[member], matched to rates->prev's by 'id_key' with 'rates'. */
static void
sc_print_stats_table(const struct sc_col *cols, size_t n, json_t *doc,
		     const char *member, const char *id_key,
		     const struct sc_rates *rates, bool gap)
{
	struct sc_table *t = sc_table_from_cols(cols, n, rates != NULL);

	sc_add_stats_rows(t, cols, n, doc, member, id_key, rates);
	if (gap)
		putchar('\n');
	sc_table_print(t, stdout);
	sc_table_free(t);
}

void
sc_view_node_stats(json_t *doc, const struct sc_rates *rates)
{
	sc_print_stats_table(SC_COLS(sc_port_stats_cols), doc, "ports", "port_id",
			     rates, false);
	putchar('\n');
	sc_print_drops(doc, rates);
	putchar('\n');
	sc_print_field_json("slices", json_object_get(doc, "slices"), SC_FMT_COUNT);
}

void
sc_view_slice_stats(json_t *doc, const struct sc_rates *rates)
{
	struct sc_table *t;

	sc_print_stats_table(SC_COLS(sc_binding_stats_cols), doc, "bindings", "id",
			     rates, false);
	/* Every binding's default queue, then the slice's own queues. */
	t = sc_table_from_cols(SC_COLS(sc_queue_stats_cols), rates != NULL);
	sc_add_stats_rows(t, SC_COLS(sc_default_queue_stats_cols), doc, "bindings",
			  "id", rates);
	sc_add_stats_rows(t, SC_COLS(sc_queue_stats_cols), doc, "queues", "id", rates);
	putchar('\n');
	sc_table_print(t, stdout);
	sc_table_free(t);
	if (json_array_size(json_object_get(doc, "filters")) > 0)
		sc_print_stats_table(SC_COLS(sc_filter_stats_cols), doc, "filters", "id",
				     rates, true);
	putchar('\n');
	sc_print_drops(doc, rates);
	putchar('\n');
	sc_print_members(doc, "program", "PROGRAM", "COUNT", rates);
}
