/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_SLICE_H
#define SP_CONTROL_SLICE_H

/*
 * Slices and their bindings: the control-plane objects and the one action
 * function per operation that the REST API, start-up and the tests call.
 *
 * Every action validates its whole request first, then builds the new
 * slice table and view, publishes them to the workers under RCU
 * (dp_view_publish()) and only then changes the control-plane objects.  A
 * refused or failed action leaves both the objects and the published tables
 * as they were.  Control plane only.
 */

#include <stdbool.h>
#include <stdint.h>

#include "control/jsonv.h"
#include "control/node.h"
#include "dataplane/tables.h"

#define SLICE_TOKEN_LEN 64              /* hex characters */

struct pm_ops;

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
};

struct bandwidth {
	uint64_t in_bps;
	uint64_t out_bps;
};

struct reservation {
	uint64_t filters;
	uint64_t queues;
	uint64_t buffers;
	struct bandwidth bw[SP_MAX_PORTS];      /* by interface index */
	bool bw_set[SP_MAX_PORTS];              /* given in the request */
};

struct slice_params {
	char name[JV_NAME_MAX + 1];
	const struct pm_ops *pm;
	struct reservation res;
};

struct slice {
	char name[JV_NAME_MAX + 1];
	uint16_t slot;
	const struct pm_ops *pm;
	struct reservation res;
	char token[SLICE_TOKEN_LEN + 1];
	bool present[SP_MAX_BINDINGS_PER_SLICE];
	struct binding_config bindings[SP_MAX_BINDINGS_PER_SLICE];
	uint16_t stat[SP_MAX_BINDINGS_PER_SLICE];       /* counter slots */
	uint64_t drop_base[DP_SLICE_DROP_MAX];
	struct dp_slice *table;         /* the table the workers see */
};

/*
 * Creates a slice from validated-in-shape params: refuses a name in use
 * (-EEXIST) or a reservation the node cannot admit (-ENOSPC), with *err
 * naming the JSON path under "$" of a slice document.  Returns 0 and the
 * slice in *out, or a negative errno.
 */
int slice_create(struct node *node, const struct slice_params *p,
		 struct slice **out, struct sp_error *err);

/* Deletes a slice, its bindings and its counters.  Returns 0, or -ENOMEM
 * with nothing changed. */
int slice_delete(struct node *node, struct slice *s);

/* Frees every slice without publishing anything; only once the workers
 * have stopped for good (node_stop()). */
void slice_free_all(struct node *node);

/* The slice named 'name', or NULL. */
struct slice *slice_find(const struct node *node, const char *name);

/* The slice whose token is 'token' (compared in constant time), or NULL. */
struct slice *slice_find_by_token(const struct node *node, const char *token);

/*
 * Adds binding 'b' to slice 's'.  Refuses, with *err naming the JSON path
 * under "$" of a binding document: an id in use (-EEXIST), an interface
 * UDP port already bound by any slice (-EEXIST), a default action naming a
 * binding the slice does not have or a queue (-EINVAL), too many bindings
 * (-ENOSPC).  Returns 0 or a negative errno.
 */
int binding_add(struct node *node, struct slice *s, const struct binding_config *b,
		struct sp_error *err);

/*
 * Removes binding 'id' from slice 's'.  Refuses an unknown id (-ENOENT) and
 * a binding that another binding's default action forwards to (-EBUSY).
 */
int binding_remove(struct node *node, struct slice *s, uint16_t id,
		   struct sp_error *err);

/* What is left of the node's capacity after every slice's reservation. */
void node_free_capacity(const struct node *node, struct reservation *free_);

/* Slice 's''s drop counters since it was created. */
void slice_drops_read(const struct node *node, const struct slice *s,
		      uint64_t out[DP_SLICE_DROP_MAX]);

#endif /* SP_CONTROL_SLICE_H */
