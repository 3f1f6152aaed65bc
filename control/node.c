/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/node.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "control/log.h"
#include "control/slice.h"
#include "dataplane/meta.h"

/* Finds each interface's DPDK port. */
static int
node_resolve_ports(struct node *node, struct sp_error *err)
{
	for (unsigned int i = 0; i < node->cfg.nb_ifaces; i++) {
		const struct node_iface_config *ifc = &node->cfg.ifaces[i];
		char path[JV_PATH_MAX];
		uint16_t port_id;

		snprintf(path, sizeof(path), "$.interfaces[%u].device", i);
		if (rte_eth_dev_get_port_by_name(ifc->device, &port_id) != 0)
			return jv_fail(err, path,
				       "no DPDK device \"%s\" (give it with --vdev or "
				       "an allowed PCI address)", ifc->device);
		node->ifaces[i].port_id = port_id;
	}
	return 0;
}

/* Checks that every worker lcore is enabled and is not the main lcore. */
static int
node_check_lcores(const struct node *node, struct sp_error *err)
{
	for (unsigned int i = 0; i < node->cfg.nb_workers; i++) {
		unsigned int lc = node->cfg.workers[i];
		char path[JV_PATH_MAX];

		snprintf(path, sizeof(path), "$.lcores.workers[%u]", i);
		if (lc == rte_get_main_lcore())
			return jv_fail(err, path,
				       "lcore %u is the main lcore, which runs the "
				       "control plane", lc);
		if (!rte_lcore_is_enabled(lc))
			return jv_fail(err, path,
				       "lcore %u is not enabled (EAL option -l or --lcores)",
				       lc);
	}
	return 0;
}

/* Configures and starts every port, and gives workers their rx and tx. */
static int
node_setup_ports(struct node *node, struct sp_error *err)
{
	for (unsigned int i = 0; i < node->cfg.nb_ifaces; i++) {
		struct node_iface *nif = &node->ifaces[i];
		struct rte_eth_dev_info dev;
		char path[JV_PATH_MAX];
		int rc;

		snprintf(path, sizeof(path), "$.interfaces[%u].device", i);
		if (rte_eth_dev_info_get(nif->port_id, &dev) == 0 &&
		    dev.max_tx_queues < node->cfg.nb_workers)
			return jv_fail(err, path,
				       "%s has %u tx queue(s); each of the %u workers "
				       "needs one of its own", node->cfg.ifaces[i].device,
				       dev.max_tx_queues, node->cfg.nb_workers);
		rc = dp_port_setup(nif->port_id, node->cfg.nb_workers, node->mp, &nif->info);
		if (rc != 0)
			return jv_fail(err, path, "cannot start port %u: %s",
				       nif->port_id, rte_strerror(-rc));
		nif->started = true;

		rc = dp_runtime_add_tx_port(node->rt, nif->port_id);
		if (rc == 0)
			rc = dp_worker_add_rx_port(node->rt->workers[i % node->cfg.nb_workers],
						   nif->port_id);
		if (rc != 0)
			return jv_fail(err, path, "cannot set up port %u: %s",
				       nif->port_id, strerror(-rc));
	}
	return 0;
}

/* Gives the workers a queue manager with one scheduler per interface,
 * unless the configuration turns it off. */
static int
node_setup_qm(struct node *node, struct sp_error *err)
{
	struct qm_params p = {
		.socket = (int)rte_lcore_to_socket_id(node->cfg.workers[0]),
		.nb_slots = SP_MAX_BINDING_SLOTS + (uint32_t)node->cfg.capacity.queues,
		.nb_buffers = (uint32_t)node->cfg.capacity.buffers,
		.nb_scheds = node->cfg.nb_ifaces,
	};
	int rc;

	if (!node->cfg.queue_manager)
		return 0;
	for (unsigned int i = 0; i < node->cfg.nb_ifaces; i++)
		p.sched[i] = (struct qm_sched_params){
			.port_id = node->ifaces[i].port_id,
			.rate_bps = node->cfg.ifaces[i].rate_bps,
			.overhead = (uint32_t)node->cfg.ifaces[i].framing_overhead,
		};
	rc = dp_runtime_add_qm(node->rt, &p);
	if (rc != 0)
		return jv_fail(err, "$.queue_manager", "cannot create the queue manager: %s",
			       strerror(-rc));
	return 0;
}

struct node *
node_start(const struct node_config *cfg, struct sp_error *err)
{
	struct node *node = calloc(1, sizeof(*node));
	unsigned int nb_mbufs;
	int rc;

	if (node == NULL) {
		jv_fail(err, "$", "out of memory");
		return NULL;
	}
	node->cfg = *cfg;
	if (node->cfg.capacity.program_cycles == 0)
		node->cfg.capacity.program_cycles = rte_get_tsc_hz() / 2;

	rc = dp_meta_register();
	if (rc != 0) {
		jv_fail(err, "$", "cannot register mbuf metadata: %s", rte_strerror(-rc));
		goto fail;
	}
	if (node_resolve_ports(node, err) || node_check_lcores(node, err))
		goto fail;

	nb_mbufs = dp_mempool_size(cfg->capacity.buffers, cfg->nb_ifaces, cfg->nb_workers);
	node->mp = dp_mempool_create(nb_mbufs);
	if (node->mp == NULL) {
		jv_fail(err, "$.capacity.buffers",
			"cannot create a pool of %u mbufs: %s (give EAL more memory with -m)",
			nb_mbufs, rte_strerror(rte_errno));
		goto fail;
	}

	node->rt = dp_runtime_create(cfg->workers, cfg->nb_workers,
				     (uint32_t)cfg->capacity.filters);
	if (node->rt == NULL) {
		jv_fail(err, "$.lcores", "cannot create the workers: %s", strerror(errno));
		goto fail;
	}
	if (node_counters_init(node) != 0) {
		jv_fail(err, "$.capacity.filters", "cannot allocate %" PRIu64
			" filter counters", cfg->capacity.filters);
		goto fail;
	}
	if (node_setup_ports(node, err) || node_setup_qm(node, err))
		goto fail;

	rc = dp_runtime_start(node->rt);
	if (rc != 0) {
		jv_fail(err, "$.lcores.workers", "cannot launch the workers: %s",
			strerror(-rc));
		goto fail;
	}
	return node;

fail:
	node_stop(node);
	return NULL;
}

void
node_stop(struct node *node)
{
	if (node == NULL)
		return;
	dp_runtime_stop(node->rt);
	slice_free_all(node);
	for (unsigned int i = 0; i < node->cfg.nb_ifaces; i++)
		if (node->ifaces[i].started)
			dp_port_close(node->ifaces[i].port_id);
	dp_runtime_free(node->rt);
	rte_mempool_free(node->mp);
	node_counters_fini(node);
	free(node);
}

int
node_counters_init(struct node *node)
{
	uint32_t n = (uint32_t)node->cfg.capacity.filters;
	uint32_t nq = (uint32_t)node->cfg.capacity.queues;

	node->filter_free = malloc(sizeof(uint32_t) * (n ? n : 1));
	node->filter_base = calloc(n ? n : 1, sizeof(uint64_t));
	node->queue_free = malloc(sizeof(uint32_t) * (nq ? nq : 1));
	node->queue_base = calloc(SP_MAX_BINDING_SLOTS + nq, sizeof(*node->queue_base));
	if (node->filter_free == NULL || node->filter_base == NULL ||
	    node->queue_free == NULL || node->queue_base == NULL) {
		node_counters_fini(node);
		return -ENOMEM;
	}
	/* Lowest slots on top, so they are handed out first. */
	for (uint32_t i = 0; i < n; i++)
		node->filter_free[i] = n - 1 - i;
	node->nb_filter_slots = n;
	node->nb_filter_free = n;
	for (uint32_t i = 0; i < nq; i++)
		node->queue_free[i] = SP_MAX_BINDING_SLOTS + nq - 1 - i;
	node->nb_queue_free = nq;
	return 0;
}

void
node_counters_fini(struct node *node)
{
	free(node->filter_free);
	free(node->filter_base);
	free(node->queue_free);
	free(node->queue_base);
	node->filter_free = NULL;
	node->filter_base = NULL;
	node->queue_free = NULL;
	node->queue_base = NULL;
	node->nb_filter_slots = node->nb_filter_free = 0;
	node->nb_queue_free = 0;
}

int64_t
node_filter_stat_alloc(struct node *node)
{
	uint32_t stat;

	if (node->nb_filter_free == 0)
		return -ENOSPC;
	stat = node->filter_free[--node->nb_filter_free];
	node->filter_base[stat] = dp_stats_filter(node->rt->stats, node->rt->nb_workers,
						  stat);
	return stat;
}

void
node_filter_stat_free(struct node *node, uint32_t stat)
{
	node->filter_free[node->nb_filter_free++] = stat;
}

uint64_t
node_filter_stat_read(const struct node *node, uint32_t stat)
{
	return dp_stats_filter(node->rt->stats, node->rt->nb_workers, stat) -
	       node->filter_base[stat];
}

/* Records queue slot 'slot''s counters as its new zero. */
static void
node_queue_base(struct node *node, uint32_t slot)
{
	memset(&node->queue_base[slot], 0, sizeof(node->queue_base[slot]));
	if (node->rt->qm != NULL)
		qm_queue_read(node->rt->qm, slot, &node->queue_base[slot]);
}

int64_t
node_queue_slot_alloc(struct node *node)
{
	uint32_t slot;

	if (node->nb_queue_free == 0)
		return -ENOSPC;
	slot = node->queue_free[--node->nb_queue_free];
	node_queue_base(node, slot);
	return slot;
}

void
node_queue_slot_free(struct node *node, uint32_t slot)
{
	node->queue_free[node->nb_queue_free++] = slot;
}

void
node_queue_read(const struct node *node, uint32_t slot, struct qm_queue_stats *out)
{
	const struct qm_queue_stats *base = &node->queue_base[slot];

	memset(out, 0, sizeof(*out));
	if (node->rt->qm == NULL)
		return;
	qm_queue_read(node->rt->qm, slot, out);
	out->enqueued -= base->enqueued;
	out->dequeued -= base->dequeued;
	out->dropped -= base->dropped;
}

uint32_t
node_qid_next(struct node *node)
{
	if (++node->last_qid == 0)
		node->last_qid = 1;
	return node->last_qid;
}

int
node_stat_alloc(struct node *node)
{
	for (unsigned int i = 0; i < SP_MAX_BINDING_SLOTS; i++) {
		if (node->stat_used[i])
			continue;
		node->stat_used[i] = true;
		dp_stats_binding(node->rt->stats, node->rt->nb_workers, i,
				 &node->stat_base[i]);
		node_queue_base(node, i);
		return (int)i;
	}
	return -ENOSPC;
}

void
node_stat_free(struct node *node, uint16_t stat)
{
	node->stat_used[stat] = false;
}

void
node_stat_read(const struct node *node, uint16_t stat, struct dp_counters *out)
{
	const struct dp_counters *base = &node->stat_base[stat];

	dp_stats_binding(node->rt->stats, node->rt->nb_workers, stat, out);
	out->rx_packets -= base->rx_packets;
	out->rx_bytes -= base->rx_bytes;
	out->tx_packets -= base->tx_packets;
	out->tx_bytes -= base->tx_bytes;
}
