/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_NODE_H
#define SP_CONTROL_NODE_H

/*
 * The node as the control plane holds it: configuration, ports, the running
 * dataplane, slices and the counter slots they use.
 *
 * Control plane only (the main lcore's event loop).  The workers see none
 * of this; they read what slice.c publishes through dp_view_publish().
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "control/node_config.h"
#include "dataplane/port.h"
#include "dataplane/runtime.h"
#include "dataplane/stats.h"

struct dp_gen;
struct slice;

/* Most state files a node lists as not loaded (GET /v1/node). */
#define NODE_STATE_ERRORS_MAX 16

struct node_iface {
	uint16_t port_id;
	struct dp_port_info info;
	bool started;
};

struct node {
	struct node_config cfg;
	struct node_iface ifaces[SP_MAX_PORTS];
	struct rte_mempool *mp;
	struct dp_runtime *rt;

	struct slice *slices[SP_MAX_SLICES];     /* by slot */
	unsigned int nb_slices;
	uint32_t slice_serial;          /* the last slice's dp_slice.serial */

	/* Binding counter slots and the counts they had when last handed out. */
	bool stat_used[SP_MAX_BINDING_SLOTS];
	struct dp_counters stat_base[SP_MAX_BINDING_SLOTS];

	/* Filter hit counter slots (capacity.filters of them): a stack of the
	 * free ones, and the hits each had when last handed out. */
	uint32_t nb_filter_slots;
	uint32_t nb_filter_free;
	uint32_t *filter_free;
	uint64_t *filter_base;

	/* Queue manager state slots: slot b < SP_MAX_BINDING_SLOTS is the
	 * default queue of the binding with counter slot b; the slices' own
	 * queues take the capacity.queues slots after those, from a stack of
	 * the free ones.  queue_base holds each slot's counters as they were
	 * when it was last handed out. */
	uint32_t nb_queue_free;
	uint32_t *queue_free;
	struct qm_queue_stats *queue_base;
	uint32_t last_qid;              /* queue instance ids handed out */

	/* Persistence (control/state.h): on once the state directory is
	 * ready; the state files that did not load at start-up. */
	bool state_on;
	struct of_client *of;           /* the OpenFlow client, or NULL */
	struct dp_gen *gen;             /* slicepathd --generator's, or NULL */
	unsigned int nb_state_errors;
	struct node_state_error {
		char file[256];
		char reason[JV_MSG_MAX];
	} state_errors[NODE_STATE_ERRORS_MAX];
};

/*
 * Brings up the node described by 'cfg' (already validated): resolves each
 * interface's DPDK device, checks the worker lcores, creates the mbuf pool,
 * configures and starts the ports and launches the workers.  On failure
 * everything done so far is undone and *err names the configuration key at
 * fault.  Returns the node, or NULL.  EAL must be initialised.
 */
struct node *node_start(const struct node_config *cfg, struct sp_error *err);

/* Stops the workers, deletes every slice, closes the ports and frees the
 * node; NULL is allowed. */
void node_stop(struct node *node);

/* Sets up the filter counter slots for node->cfg.capacity.filters.
 * Returns 0 or -ENOMEM.  node_stop() undoes it. */
int node_counters_init(struct node *node);

/* Frees what node_counters_init() allocated; harmless if it never ran. */
void node_counters_fini(struct node *node);

/* Takes a free filter counter slot, starting it from zero; returns it, or
 * -ENOSPC. */
int64_t node_filter_stat_alloc(struct node *node);

/* Gives back a filter counter slot. */
void node_filter_stat_free(struct node *node, uint32_t stat);

/* The hits of filter slot 'stat' since it was handed out. */
uint64_t node_filter_stat_read(const struct node *node, uint32_t stat);

/* Takes a free binding counter slot, starting it from zero; returns it, or
 * -ENOSPC. */
int node_stat_alloc(struct node *node);

/* Gives back a counter slot. */
void node_stat_free(struct node *node, uint16_t stat);

/* The counters of binding slot 'stat' since it was handed out. */
void node_stat_read(const struct node *node, uint16_t stat, struct dp_counters *out);

/* Takes a free queue slot, starting its counters from zero; returns it,
 * or -ENOSPC. */
int64_t node_queue_slot_alloc(struct node *node);

/* Gives back a queue slot. */
void node_queue_slot_free(struct node *node, uint32_t slot);

/* The counters of queue slot 'slot' since it was handed out (zeros
 * without a queue manager). */
void node_queue_read(const struct node *node, uint32_t slot,
		     struct qm_queue_stats *out);

/* A queue instance id never handed out before (never 0). */
uint32_t node_qid_next(struct node *node);

#endif /* SP_CONTROL_NODE_H */
