/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_SLICE_CONFIG_H
#define SP_CONTROL_SLICE_CONFIG_H

/*
 * A slice's configuration as its owner gave it: bindings, queues, filters,
 * routes.
 *
 * A slice_config is never changed once it belongs to a slice: every change
 * copies it (slice_config_copy), edits the copy and hands it to
 * slice_config_apply() (control/slice.h), which either makes it the
 * slice's or frees it.  Control plane only.
 */

#include <stdbool.h>
#include <stdint.h>

#include "control/jsonv.h"
#include "control/program.h"
#include "dataplane/dp.h"
#include "dataplane/lookup.h"
#include "dataplane/tables.h"

/* Where an element came from, for naming it in errors. */
#define SLICE_DOC_BODY (-1)     /* it is the request body: "$" */
#define SLICE_DOC_STORED (-2)   /* it was stored before this request */

/* An action as configured (addresses unresolved). */
struct action_config {
	enum dp_action_type type;       /* DP_ACTION_NONE: no action */
	uint16_t binding;               /* forward: output binding id */
	struct jv_endpoint peer;        /* forward: peer address and port */
	bool has_queue;                 /* forward: a queue was named */
	uint16_t queue;
};

struct binding_config {
	uint16_t id;
	unsigned int iface;             /* index in node_config.ifaces */
	uint16_t udp_port;              /* host order */
	struct action_config default_action;
	uint16_t stat;                  /* counter slot, set when applied; also
					 * its default queue's state slot */
	uint32_t qid;                   /* default queue's id, set when applied */
	int doc;                        /* SLICE_DOC_* or index in the document */
};

/* A queue's optional fields: defaults and ranges. */
#define QUEUE_WEIGHT_DEFAULT 1
#define QUEUE_WEIGHT_MAX 10000
#define QUEUE_LIMIT_PACKETS_DEFAULT 1024
#define QUEUE_LIMIT_PACKETS_MAX 65536
#define QUEUE_LIMIT_BYTES_DEFAULT (1u << 20)
#define QUEUE_LIMIT_BYTES_MIN 64
#define QUEUE_LIMIT_BYTES_MAX (1u << 30)

struct queue_config {
	uint32_t id;
	uint16_t binding;               /* output binding */
	uint32_t weight;
	uint32_t limit_packets;
	uint32_t limit_bytes;
	uint32_t slot;                  /* queue manager slot, set when applied */
	uint32_t qid;                   /* instance id, set when applied */
	int doc;
};

/* Which match fields a filter named (so GET shows them as given). */
enum {
	MATCH_BINDING = 1 << 0,
	MATCH_SRC = 1 << 1,
	MATCH_DST = 1 << 2,
	MATCH_PROTOCOL = 1 << 3,
	MATCH_SRC_PORT = 1 << 4,
	MATCH_DST_PORT = 1 << 5,
	MATCH_KEY = 1 << 6,
};

struct filter_config {
	uint32_t id;
	uint32_t priority;
	unsigned int given;             /* MATCH_* */
	struct dp_match match;
	struct action_config action;
	uint32_t stat;                  /* hit counter slot, set when applied */
	int doc;
};

struct route_config {
	uint32_t id;
	uint32_t prefix;                /* host order */
	uint8_t len;
	struct action_config action;    /* always a forward */
	int doc;
};

struct slice_config {
	bool present[SP_MAX_BINDINGS_PER_SLICE];
	struct binding_config bindings[SP_MAX_BINDINGS_PER_SLICE];
	uint32_t nb_queues;
	struct queue_config *queues;    /* sorted by id */
	uint32_t nb_filters;
	struct filter_config *filters;  /* sorted by id */
	uint32_t nb_routes;
	struct route_config *routes;    /* sorted by id */
	struct program_config *program; /* a reference (NULL: none) */
	int program_doc;                /* SLICE_DOC_BODY, SLICE_DOC_STORED, or
					 * 0: the document's "program" */
};

/* An empty configuration; NULL on allocation failure. */
struct slice_config *slice_config_new(void);

/* A deep copy whose elements are all marked SLICE_DOC_STORED; NULL on
 * allocation failure. */
struct slice_config *slice_config_copy(const struct slice_config *c);

/* Frees a configuration; NULL is allowed. */
void slice_config_free(struct slice_config *c);

/* Index of queue (filter, route) 'id' in c, or -1. */
int slice_config_queue(const struct slice_config *c, uint32_t id);
int slice_config_filter(const struct slice_config *c, uint32_t id);
int slice_config_route(const struct slice_config *c, uint32_t id);

/* Adds a queue (filter, route) keeping the order by id.  Returns 0,
 * -EEXIST if the id is taken, or -ENOMEM. */
int slice_config_add_queue(struct slice_config *c, const struct queue_config *q);
int slice_config_add_filter(struct slice_config *c, const struct filter_config *f);
int slice_config_add_route(struct slice_config *c, const struct route_config *r);

/* Removes the element at index i. */
void slice_config_del_queue(struct slice_config *c, uint32_t i);
void slice_config_del_filter(struct slice_config *c, uint32_t i);
void slice_config_del_route(struct slice_config *c, uint32_t i);

/* The lowest queue (filter, route) id not in use. */
uint32_t slice_config_free_queue_id(const struct slice_config *c);
uint32_t slice_config_free_filter_id(const struct slice_config *c);
uint32_t slice_config_free_route_id(const struct slice_config *c);

/* Writes the JSON path of element 'doc' of 'collection' ("bindings",
 * "queues", "filters", "routes"), followed by ".rest" if rest is not empty. */
void slice_config_path(char *buf, size_t size, const char *collection, int doc,
		       const char *rest);

#endif /* SP_CONTROL_SLICE_CONFIG_H */
