/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_RUNTIME_H
#define SP_DP_RUNTIME_H

/*
 * The running packet path: worker lcores, their counters, and the view they
 * read.
 *
 * Concurrency contract:
 *  - rt->view is the only pointer the control plane and the workers share
 *    for tables.  dp_view_publish() stores it (release) and then waits, on
 *    the control thread, until every worker has reported a quiescent state
 *    (rte_rcu_qsbr_synchronize) before freeing the view it replaced.  Workers
 *    never wait for the control plane.
 *  - A worker reports a quiescent state only right after draining its tx
 *    buffers (every DP_DRAIN_US), so once synchronize returns, no packet in
 *    flight names a counter slot of the old tables either: slots freed
 *    after a publish may be handed out again at once.
 *  - With a queue manager, the first worker owns it (dataplane/qm.h) and
 *    dp_view_publish() also waits until that worker has synced its queues
 *    to the new view, so a queue's or slice's slot that the new view no
 *    longer uses may be handed out again at once as well.
 *  - Each worker writes its own dp_lcore_stats; anyone may read them.
 *  - Everything else in struct dp_runtime and struct dp_worker is written by
 *    the control plane before dp_runtime_start() and only read afterwards.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_rcu_qsbr.h>

#include "dataplane/dp.h"
#include "dataplane/qm.h"
#include "dataplane/stats.h"
#include "dataplane/tables.h"

struct dp_runtime;

/* What the counters need of a run of packets about to be sent that share
 * an output binding and an rx round, noted while the packets are still
 * the worker's: once rte_eth_tx_burst() has taken them, the port may have
 * freed them already (net_null and net_tap do at once). */
struct dp_tx_run {
	uint64_t rx_tsc;                /* TSC of the round that received them */
	uint32_t bytes;
	uint16_t packets;
	uint16_t stat;                  /* output binding's counter slot */
};

struct dp_worker {
	struct dp_runtime *rt;
	unsigned int lcore;             /* EAL lcore it runs on */
	unsigned int index;             /* RCU thread id, tx queue on every port */
	uint16_t nb_rx_ports;
	uint16_t rx_ports[SP_MAX_PORTS];        /* polled on rx queue 0 */
	struct rte_eth_dev_tx_buffer *txb[RTE_MAX_ETHPORTS];
	struct dp_lcore_stats *stats;
	uint64_t now;                   /* TSC at the start of this round */
	uint16_t group_of[SP_MAX_SLICES];       /* dispatch's scratch, by slot */
	struct dp_prog_budget budget[SP_MAX_SLICES];    /* program cycles */
	struct qm *qm;                  /* the queue manager, if it owns it */
	/* By scheduler: packets that left the queue manager (dequeued, or
	 * passed) and wait for the port, in runs that say what the counters
	 * need of them once the port has them. */
	uint16_t nb_pending[SP_MAX_PORTS];
	uint16_t nb_runs[SP_MAX_PORTS];
	struct rte_mbuf *pending[SP_MAX_PORTS][SP_BURST];
	struct dp_tx_run pending_run[SP_MAX_PORTS][SP_BURST];
} __rte_cache_aligned;

struct dp_runtime {
	struct dp_view *view;           /* RCU-published, see above */
	struct rte_rcu_qsbr *qsbr;
	uint32_t quit;                  /* set by dp_runtime_stop() */
	bool running;
	unsigned int nb_workers;
	struct dp_worker *workers[SP_MAX_WORKERS];
	struct dp_lcore_stats *stats[SP_MAX_WORKERS];   /* workers[i]->stats */
	struct qm *qm;                  /* NULL: packets go straight to tx */
};

/* Creates a runtime for workers on the 'nb' lcores in lcores[], with an empty
 * view and 'nb_filters' filter counter slots per worker.  Returns NULL and
 * sets errno on failure. */
struct dp_runtime *dp_runtime_create(const unsigned int *lcores, unsigned int nb,
				     uint32_t nb_filters);

/* Makes worker 'w' poll rx queue 0 of 'port_id'.  Returns 0 or -ENOSPC. */
int dp_worker_add_rx_port(struct dp_worker *w, uint16_t port_id);

/* Gives every worker a tx buffer for 'port_id' (tx queue = worker index).
 * Returns 0 or -ENOMEM. */
int dp_runtime_add_tx_port(struct dp_runtime *rt, uint16_t port_id);

/* Gives the runtime a queue manager for the schedulers in 'p', owned by
 * the first worker.  Before dp_runtime_start() only.  Returns 0 or a
 * negative errno. */
int dp_runtime_add_qm(struct dp_runtime *rt, const struct qm_params *p);

/* Launches the workers on their lcores.  Returns 0 or a negative errno. */
int dp_runtime_start(struct dp_runtime *rt);

/* Asks the workers to stop and waits for them; they flush their tx buffers
 * first.  Harmless if they are not running. */
void dp_runtime_stop(struct dp_runtime *rt);

/* Frees the runtime, its current view and counters; NULL is allowed.
 * The workers must be stopped. */
void dp_runtime_free(struct dp_runtime *rt);

/* The view the workers currently read (control plane only). */
const struct dp_view *dp_view_current(const struct dp_runtime *rt);

/* Publishes 'v' to the workers, waits until none can still see the previous
 * view (and the queue manager has synced to 'v'), and frees it (not its
 * slices: the caller frees the slice tables that 'v' no longer references
 * after this returns). */
void dp_view_publish(struct dp_runtime *rt, struct dp_view *v);

/* The worker's loop; an lcore_function_t taking a struct dp_worker. */
int dp_worker_main(void *arg);

#endif /* SP_DP_RUNTIME_H */
