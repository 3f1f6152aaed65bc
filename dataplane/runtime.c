/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/runtime.h"

#include <errno.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "dataplane/meta.h"

struct dp_runtime *
dp_runtime_create(const unsigned int *lcores, unsigned int nb, uint32_t nb_filters)
{
	struct dp_runtime *rt;
	size_t qsbr_size;

	if (nb == 0 || nb > SP_MAX_WORKERS) {
		errno = EINVAL;
		return NULL;
	}
	rt = rte_zmalloc("dp_runtime", sizeof(*rt), RTE_CACHE_LINE_SIZE);
	if (rt == NULL)
		goto nomem;
	rt->nb_workers = nb;

	qsbr_size = rte_rcu_qsbr_get_memsize(nb);
	rt->qsbr = rte_zmalloc("dp_qsbr", qsbr_size, RTE_CACHE_LINE_SIZE);
	if (rt->qsbr == NULL || rte_rcu_qsbr_init(rt->qsbr, nb) != 0)
		goto nomem;

	rt->view = dp_view_clone(NULL);
	if (rt->view == NULL)
		goto nomem;

	for (unsigned int i = 0; i < nb; i++) {
		struct dp_worker *w = rte_zmalloc_socket("dp_worker", sizeof(*w),
							 RTE_CACHE_LINE_SIZE,
							 rte_lcore_to_socket_id(lcores[i]));

		if (w == NULL)
			goto nomem;
		rt->workers[i] = w;
		w->rt = rt;
		w->lcore = lcores[i];
		w->index = i;
		w->stats = rte_zmalloc_socket("dp_lcore_stats", sizeof(*w->stats),
					      RTE_CACHE_LINE_SIZE,
					      rte_lcore_to_socket_id(lcores[i]));
		if (w->stats == NULL)
			goto nomem;
		rt->stats[i] = w->stats;
		/* One slot at least, so a node without filters needs no checks. */
		w->stats->filter_hits = rte_zmalloc_socket("dp_filter_hits",
			sizeof(uint64_t) * RTE_MAX(nb_filters, 1u), RTE_CACHE_LINE_SIZE,
			rte_lcore_to_socket_id(lcores[i]));
		if (w->stats->filter_hits == NULL)
			goto nomem;
	}
	return rt;

nomem:
	dp_runtime_free(rt);
	errno = ENOMEM;
	return NULL;
}

int
dp_worker_add_rx_port(struct dp_worker *w, uint16_t port_id)
{
	if (w->nb_rx_ports >= SP_MAX_PORTS)
		return -ENOSPC;
	w->rx_ports[w->nb_rx_ports++] = port_id;
	return 0;
}

/* tx buffer error callback: accounts the packets the port refused to the
 * slice and binding they belonged to, then frees them. */
static void
dp_worker_tx_unsent(struct rte_mbuf **unsent, uint16_t count, void *arg)
{
	struct dp_worker *w = arg;

	for (uint16_t i = 0; i < count; i++) {
		struct rte_mbuf *m = unsent[i];
		const struct dp_meta *meta = dp_meta(m);
		struct dp_counters *c = &w->stats->binding[meta->out_stat];

		/* The worker counted these as sent when it buffered them;
		 * it is the only writer, so taking them back is safe. */
		dp_count(&c->tx_packets, -(uint64_t)1);
		dp_count(&c->tx_bytes, -(uint64_t)rte_pktmbuf_pkt_len(m));
		dp_count(&w->stats->slice_drops[meta->slice][DP_SLICE_DROP_TX_FULL], 1);
		rte_pktmbuf_free(m);
	}
}

int
dp_runtime_add_tx_port(struct dp_runtime *rt, uint16_t port_id)
{
	for (unsigned int i = 0; i < rt->nb_workers; i++) {
		struct dp_worker *w = rt->workers[i];
		struct rte_eth_dev_tx_buffer *b;

		b = rte_zmalloc_socket("dp_txb", RTE_ETH_TX_BUFFER_SIZE(SP_BURST), 0,
				       rte_lcore_to_socket_id(w->lcore));
		if (b == NULL)
			return -ENOMEM;
		rte_eth_tx_buffer_init(b, SP_BURST);
		rte_eth_tx_buffer_set_err_callback(b, dp_worker_tx_unsent, w);
		w->txb[port_id] = b;
	}
	return 0;
}

int
dp_runtime_add_qm(struct dp_runtime *rt, const struct qm_params *p)
{
	if (rt->running || rt->qm != NULL)
		return -EBUSY;
	rt->qm = qm_create(p);
	if (rt->qm == NULL)
		return -errno;
	rt->workers[0]->qm = rt->qm;
	return 0;
}

int
dp_runtime_start(struct dp_runtime *rt)
{
	__atomic_store_n(&rt->quit, 0, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < rt->nb_workers; i++) {
		int rc = rte_eal_remote_launch(dp_worker_main, rt->workers[i],
					       rt->workers[i]->lcore);

		if (rc != 0) {
			dp_runtime_stop(rt);
			return rc;
		}
		rt->running = true;
	}
	return 0;
}

void
dp_runtime_stop(struct dp_runtime *rt)
{
	if (rt == NULL || !rt->running)
		return;
	__atomic_store_n(&rt->quit, 1, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < rt->nb_workers; i++)
		rte_eal_wait_lcore(rt->workers[i]->lcore);
	rt->running = false;
}

void
dp_runtime_free(struct dp_runtime *rt)
{
	if (rt == NULL)
		return;
	for (unsigned int i = 0; i < rt->nb_workers; i++) {
		struct dp_worker *w = rt->workers[i];

		if (w == NULL)
			continue;
		for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++)
			rte_free(w->txb[p]);
		if (w->stats != NULL)
			rte_free(w->stats->filter_hits);
		rte_free(w->stats);
		rte_free(w);
	}
	qm_free(rt->qm);
	dp_view_free(rt->view);
	rte_free(rt->qsbr);
	rte_free(rt);
}

const struct dp_view *
dp_view_current(const struct dp_runtime *rt)
{
	return rt->view;
}

void
dp_view_publish(struct dp_runtime *rt, struct dp_view *v)
{
	struct dp_view *old = rt->view;

	__atomic_store_n(&rt->view, v, __ATOMIC_RELEASE);
	/* Workers that are not running hold no reference; synchronize()
	 * returns at once for threads that are offline. */
	rte_rcu_qsbr_synchronize(rt->qsbr, RTE_QSBR_THRID_INVALID);
	/* The owner syncs at the top of its loop; it is not running, it
	 * syncs when it starts. */
	while (rt->running && rt->qm != NULL && qm_synced_gen(rt->qm) < v->gen)
		rte_delay_us_sleep(10);
	dp_view_free(old);
}
