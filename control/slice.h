/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_SLICE_H
#define SP_CONTROL_SLICE_H

/*
 * Slices and their configurations: the control-plane objects and the one
 * action function per operation that the REST API, start-up and the tests
 * call.
 *
 * Every change goes through slice_config_apply(): the whole new
 * configuration is validated (references, UDP ports across the node, the
 * slice's reservation, what the code option accepts), counter slots are
 * taken, the slice's new table is built off the packet path and published
 * to the workers under RCU, and only then does the configuration become
 * the slice's.  A refused or failed change leaves the slice, its counters
 * and the published tables as they were; no other slice's table is
 * rebuilt.  Control plane only.
 */

#include <stdbool.h>
#include <stdint.h>

#include "control/jsonv.h"
#include "control/node.h"
#include "control/slice_config.h"
#include "control/token.h"
#include "dataplane/tables.h"

#define SLICE_TOKEN_LEN 64              /* hex characters */

struct pm_ops;

struct bandwidth {
	uint64_t in_bps;
	uint64_t out_bps;
};

struct reservation {
	uint64_t filters;               /* lookup entries: filters + routes */
	uint64_t queues;
	uint64_t buffers;
	uint64_t program_cycles;        /* TSC cycles per second per worker */
	struct bandwidth bw[SP_MAX_PORTS];      /* by interface index */
	bool bw_set[SP_MAX_PORTS];              /* given in the request */
};

struct slice_params {
	char name[JV_NAME_MAX + 1];
	const struct pm_ops *pm;
	struct reservation res;
	struct token_hash token;        /* the hash of the slice's token */
};

struct slice {
	char name[JV_NAME_MAX + 1];
	uint16_t slot;
	const struct pm_ops *pm;
	struct reservation res;
	struct token_hash token;        /* only the hash is kept */
	uint64_t drop_base[DP_SLICE_DROP_MAX];
	struct dp_prog_counters prog_base;
	struct slice_config *cfg;       /* as acknowledged; never edited */
	struct dp_slice *table;         /* the table the workers see */
};

/*
 * Creates a slice with an empty configuration: refuses a name in use
 * (-EEXIST) or a reservation the node cannot admit (-ENOSPC), with *err
 * naming the JSON path in a slice document.  Returns 0 and the slice in
 * *out, or a negative errno.
 */
int slice_create(struct node *node, const struct slice_params *p,
		 struct slice **out, struct sp_error *err);

/* Deletes a slice, its configuration, its counters and its state file.
 * Returns 0, or a negative errno with *err set and the slice still there. */
int slice_delete(struct node *node, struct slice *s, struct sp_error *err);

/* Frees every slice without publishing anything; only once the workers
 * have stopped for good (node_stop()). */
void slice_free_all(struct node *node);

/* The slice named 'name', or NULL. */
struct slice *slice_find(const struct node *node, const char *name);

/* The slice whose token has hash 'h' (compared with every slice's in
 * constant time), or NULL. */
struct slice *slice_find_by_token(const struct node *node, const struct token_hash *h);

/*
 * Makes 'cfg' slice s's configuration, or refuses it.  Takes ownership of
 * cfg either way.  Refusals, with *err naming the JSON path of the element
 * at fault (from each element's 'doc'):
 *   -EINVAL  a default action, filter action or route naming a binding the
 *            slice lacks, or a queue it lacks or has on another binding; a
 *            queue on a binding it lacks; a filter matching on such a binding;
 *            two elements of one document that clash (UDP port, prefix);
 *            what the code option refuses (e.g. routes on passthrough)
 *   -EEXIST  an interface UDP port bound by another slice, or clashing
 *            with an element stored before this request
 *   -ENOSPC  more filters and routes, or queues, than the slice's
 *            reservation; no counter or queue slots left
 *   -ENOMEM  out of memory building the tables
 */
int slice_config_apply(struct node *node, struct slice *s, struct slice_config *cfg,
		       struct sp_error *err);

/*
 * Gives slice s reservation 'res' (a request body: errors name "$.filters"
 * and so on): refuses what the node cannot admit beside the other slices
 * (-ENOSPC, saying by how much) and less than s's configuration uses
 * (-ENOSPC); otherwise rebuilds s's table with the new weights and buffer
 * cap, saves and publishes it.  Nothing changes on refusal.
 */
int slice_reserve(struct node *node, struct slice *s, const struct reservation *res,
		  struct sp_error *err);

/* Adds binding 'b' (its doc SLICE_DOC_BODY): also refuses an id out of
 * range (-EINVAL) or in use (-EEXIST). */
int binding_add(struct node *node, struct slice *s, const struct binding_config *b,
		struct sp_error *err);

/* Removes binding 'id': refuses an unknown id (-ENOENT) and a binding that
 * a default action, filter or route forwards to, a filter matches on or a
 * queue is on (-EBUSY). */
int binding_remove(struct node *node, struct slice *s, uint16_t id,
		   struct sp_error *err);

/* Adds queue 'q' (doc SLICE_DOC_BODY); an id in use is -EEXIST. */
int queue_add(struct node *node, struct slice *s, const struct queue_config *q,
	      struct sp_error *err);

/* Removes queue 'id': refuses an unknown id (-ENOENT) and a queue that a
 * default action, filter or route sends to (-EBUSY).  Its packets are
 * dropped and counted as flushed. */
int queue_remove(struct node *node, struct slice *s, uint32_t id,
		 struct sp_error *err);

/* Adds filter 'f' (doc SLICE_DOC_BODY); an id in use is -EEXIST. */
int filter_add(struct node *node, struct slice *s, const struct filter_config *f,
	       struct sp_error *err);

/* Removes filter 'id' (-ENOENT if there is none). */
int filter_remove(struct node *node, struct slice *s, uint32_t id,
		  struct sp_error *err);

/* Adds route 'r' (doc SLICE_DOC_BODY); an id or prefix in use is -EEXIST. */
int route_add(struct node *node, struct slice *s, const struct route_config *r,
	      struct sp_error *err);

/* Removes route 'id' (-ENOENT if there is none). */
int route_remove(struct node *node, struct slice *s, uint32_t id,
		 struct sp_error *err);

/* Makes 'p' (a reference, taken over either way) slice s's program: the
 * configuration is applied as a whole, so a slice whose reservation has no
 * program cycles refuses it (-ENOSPC).  The workers switch to it at once,
 * under RCU. */
int program_set(struct node *node, struct slice *s, struct program_config *p,
		struct sp_error *err);

/* Removes s's program (-ENOENT if it has none). */
int program_remove(struct node *node, struct slice *s, struct sp_error *err);

/* What is left of the node's capacity after every slice's reservation. */
void node_free_capacity(const struct node *node, struct reservation *free_);

/* Slice 's''s drop counters since it was created. */
void slice_drops_read(const struct node *node, const struct slice *s,
		      uint64_t out[DP_SLICE_DROP_MAX]);

/* Slice 's''s program counters since it was created. */
void slice_program_read(const struct node *node, const struct slice *s,
			struct dp_prog_counters *out);

#endif /* SP_CONTROL_SLICE_H */
