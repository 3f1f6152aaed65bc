/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * The worker's run-to-completion loop:
 *   rx burst -> demux -> per slice: parse -> lookup -> format -> queue
 *   manager -> tx burst,
 * or, without a queue manager, format -> tx buffer, with the tx buffers
 * drained on a TSC timer as in DPDK's l3fwd.  The first worker owns the
 * queue manager; the others hand it their packets through its ring.
 */

#include <stdbool.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_rcu_qsbr.h>

#include "dataplane/demux.h"
#include "dataplane/fmt.h"
#include "dataplane/lookup.h"
#include "dataplane/meta.h"
#include "dataplane/police.h"
#include "dataplane/runtime.h"
#include "pm/pm.h"

/* Longest a packet waits in a tx buffer when traffic is light. */
#define DP_DRAIN_US 100

/* Counts packets as sent on their output bindings. */
static inline void
dp_worker_count_tx(struct dp_worker *w, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct dp_counters *c = &w->stats->binding[dp_meta(pkts[i])->out_stat];

		dp_count(&c->tx_packets, 1);
		dp_count(&c->tx_bytes, rte_pktmbuf_pkt_len(pkts[i]));
	}
}

/* Sends a formatted burst of slice s toward its output ports: into the
 * queue manager, or straight into the tx buffers. */
static void
dp_worker_tx(struct dp_worker *w, const struct dp_slice *s, struct rte_mbuf **pkts,
	     const struct dp_forward *const *fwd, uint16_t n)
{
	struct qm *qm = w->rt->qm;

	for (uint16_t i = 0; i < n; i++)
		dp_meta(pkts[i])->out_stat = fwd[i]->stat;
	if (qm == NULL) {
		for (uint16_t i = 0; i < n; i++) {
			struct dp_counters *c = &w->stats->binding[fwd[i]->stat];

			dp_count(&c->tx_packets, 1);
			dp_count(&c->tx_bytes, rte_pktmbuf_pkt_len(pkts[i]));
			rte_eth_tx_buffer(fwd[i]->port_id, w->index,
					  w->txb[fwd[i]->port_id], pkts[i]);
		}
	} else if (w->qm != NULL) {
		qm_enqueue_burst(qm, s, pkts, fwd, n, w->stats);
	} else {
		qm_handoff_burst(qm, s, pkts, fwd, n, w->stats);
	}
}

/* Owner of the queue manager: sends what each scheduler's rate allows.
 * Packets a port does not take wait, in order, for the next call. */
static void
dp_worker_schedule(struct dp_worker *w, uint64_t now)
{
	struct qm *qm = w->qm;

	for (unsigned int k = 0; k < qm_nb_scheds(qm); k++) {
		struct rte_mbuf **pend = w->pending[k];
		uint16_t n = w->nb_pending[k], sent;

		n += qm_dequeue_burst(qm, k, now, pend + n, SP_BURST - n);
		if (n == 0)
			continue;
		sent = rte_eth_tx_burst(qm_sched_port(qm, k), w->index, pend, n);
		dp_worker_count_tx(w, pend, sent);
		if (sent != 0) {
			/* One TSC read per burst sent: the packets left now. */
			uint64_t tx = rte_rdtsc();

			for (uint16_t i = 0; i < sent; i++)
				dp_count_latency(w->stats, tx - *dp_rx_tsc(pend[i]));
		}
		if (sent != 0 && sent < n)
			memmove(pend, pend + sent, sizeof(*pend) * (n - sent));
		w->nb_pending[k] = n - sent;
	}
}

/* Owner of the queue manager: frees what the ports never took. */
static void
dp_worker_pending_free(struct dp_worker *w)
{
	for (unsigned int k = 0; k < SP_MAX_PORTS; k++) {
		rte_pktmbuf_free_bulk(w->pending[k], w->nb_pending[k]);
		w->nb_pending[k] = 0;
	}
}

/* Runs one slice's packets through parse, lookup and format and acts on
 * each result: forward (format + tx), or count and free. */
static void
dp_worker_slice_burst(struct dp_worker *w, const struct dp_slice *s,
		      struct rte_mbuf **pkts, uint16_t n)
{
	const struct dp_action *acts[SP_BURST];
	const struct dp_forward *fwd[SP_BURST];
	struct rte_mbuf *out[SP_BURST];
	struct dp_key keys[SP_BURST];
	uint64_t *drops = w->stats->slice_drops[s->slot];
	uint16_t nb_out = 0;

	for (uint16_t i = 0; i < n; i++) {
		uint16_t in = s->bindings[dp_meta(pkts[i])->binding].stat;
		struct dp_counters *c = &w->stats->binding[in];

		dp_count(&c->rx_packets, 1);
		dp_count(&c->rx_bytes, rte_pktmbuf_pkt_len(pkts[i]));
	}

	n = dp_police_burst(s, pkts, n, drops, w->now);
	n = s->pm->parse_burst(s, pkts, n, keys, drops);
	dp_lookup_burst(s, pkts, keys, n, acts, w->stats);

	for (uint16_t i = 0; i < n; i++) {
		switch (acts[i]->type) {
		case DP_ACTION_FORWARD:
			fwd[nb_out] = &acts[i]->fwd;
			out[nb_out++] = pkts[i];
			continue;
		case DP_ACTION_DROP:
			dp_count(&drops[DP_SLICE_DROP_DROPPED], 1);
			break;
		case DP_ACTION_EXCEPTION:
			dp_count(&drops[DP_SLICE_DROP_EXCEPTION], 1);
			break;
		case DP_ACTION_NONE:
		default:
			dp_count(&drops[DP_SLICE_DROP_NO_ROUTE], 1);
			break;
		}
		rte_pktmbuf_free(pkts[i]);
	}

	if (s->pm->format_burst != NULL)
		s->pm->format_burst(s, out, nb_out);
	dp_format_burst(out, fwd, nb_out);
	dp_worker_tx(w, s, out, fwd, nb_out);
}

/* Splits a demultiplexed burst into one sub-burst per slice, keeping each
 * slice's packets in arrival order, and processes each. */
static void
dp_worker_dispatch(struct dp_worker *w, const struct dp_view *v,
		   struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *group[SP_BURST];
	bool taken[SP_BURST] = { false };

	for (uint16_t i = 0; i < n; i++) {
		uint16_t slot, k = 0;

		if (taken[i])
			continue;
		slot = dp_meta(pkts[i])->slice;
		for (uint16_t j = i; j < n; j++) {
			if (!taken[j] && dp_meta(pkts[j])->slice == slot) {
				taken[j] = true;
				group[k++] = pkts[j];
			}
		}
		/* demux only finds bindings of slices in this view. */
		dp_worker_slice_burst(w, v->slices[slot], group, k);
	}
}

/* One rx burst from 'port_id' through the whole path. */
static void
dp_worker_poll(struct dp_worker *w, const struct dp_view *v, uint16_t port_id)
{
	struct rte_mbuf *pkts[SP_BURST];
	uint16_t n = rte_eth_rx_burst(port_id, 0, pkts, SP_BURST);

	if (n == 0)
		return;
	for (uint16_t i = 0; i < n; i++)
		*dp_rx_tsc(pkts[i]) = w->now;
	n = dp_demux_burst(v->demux, port_id, pkts, n, w->stats);
	dp_worker_dispatch(w, v, pkts, n);
}

/* Pushes out whatever the tx buffers hold. */
static void
dp_worker_drain(struct dp_worker *w)
{
	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (w->txb[p] != NULL)
			rte_eth_tx_buffer_flush(p, w->index, w->txb[p]);
}

int
dp_worker_main(void *arg)
{
	struct dp_worker *w = arg;
	struct dp_runtime *rt = w->rt;
	const uint64_t drain_tsc = rte_get_tsc_hz() / US_PER_S * DP_DRAIN_US;
	uint64_t last_drain = rte_rdtsc();

	rte_rcu_qsbr_thread_register(rt->qsbr, w->index);
	rte_rcu_qsbr_thread_online(rt->qsbr, w->index);

	while (!__atomic_load_n(&rt->quit, __ATOMIC_ACQUIRE)) {
		const struct dp_view *v = __atomic_load_n(&rt->view, __ATOMIC_ACQUIRE);
		/* One TSC read per round: rdtsc is dear in a virtual machine. */
		uint64_t now = rte_rdtsc();

		w->now = now;
		if (w->qm != NULL && v->gen != w->qm_gen) {
			qm_sync(w->qm, v, w->stats);
			w->qm_gen = v->gen;
		}

		for (uint16_t i = 0; i < w->nb_rx_ports; i++)
			dp_worker_poll(w, v, w->rx_ports[i]);

		if (w->qm != NULL) {
			if (rt->nb_workers > 1)
				qm_handoff_drain(w->qm, v, w->stats);
			dp_worker_schedule(w, now);
		}
		if (now - last_drain > drain_tsc) {
			dp_worker_drain(w);
			last_drain = now;
			/* Nothing from 'v' is held past this point, and no
			 * buffered packet still names a counter slot that the
			 * control plane might hand out again. */
			rte_rcu_qsbr_quiescent(rt->qsbr, w->index);
		}
	}

	dp_worker_drain(w);
	if (w->qm != NULL)
		dp_worker_pending_free(w);
	rte_rcu_qsbr_thread_offline(rt->qsbr, w->index);
	rte_rcu_qsbr_thread_unregister(rt->qsbr, w->index);
	return 0;
}
