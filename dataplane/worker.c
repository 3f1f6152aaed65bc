/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * The worker's run-to-completion loop, a vector of up to sixteen rx bursts
 * (DP_VECTOR) per port at a time:
 *   rx -> demux -> group by slice -> per slice: police -> program -> parse
 *   -> lookup -> format -> queue manager -> tx burst,
 * or, without a queue manager, format -> tx buffer, with the tx buffers
 * drained on a TSC timer as in DPDK's l3fwd.  The first worker owns the
 * queue manager; the others hand it their packets through its ring.  A
 * packet whose scheduler has nothing queued and has credit passes the
 * queue manager straight to the scheduler's pending burst.
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_memcpy.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#include "dataplane/demux.h"
#include "dataplane/fmt.h"
#include "dataplane/lookup.h"
#include "dataplane/meta.h"
#include "dataplane/police.h"
#include "dataplane/program.h"
#include "dataplane/runtime.h"
#include "pm/pm.h"

/* Longest a packet waits in a tx buffer when traffic is light. */
#define DP_DRAIN_US 100

/* Notes 'packets' packets of 'bytes' from rx round 'rx_tsc' to binding
 * counter slot 'stat', just appended to scheduler k's pending burst: as a
 * run of their own, or as more of the last run if it is theirs too. */
static inline void
dp_worker_note_run(struct dp_worker *w, unsigned int k, uint64_t rx_tsc, uint16_t stat,
		   uint16_t packets, uint32_t bytes)
{
	struct dp_tx_run *runs = w->pending_run[k];
	uint16_t r = w->nb_runs[k];

	if (r != 0 && runs[r - 1].stat == stat && runs[r - 1].rx_tsc == rx_tsc) {
		runs[r - 1].packets += packets;
		runs[r - 1].bytes += bytes;
		return;
	}
	runs[r] = (struct dp_tx_run){
		.rx_tsc = rx_tsc, .bytes = bytes, .packets = packets, .stat = stat,
	};
	w->nb_runs[k] = r + 1;
}

/* Notes pkts[0..n), which waited in the queue manager and were just
 * appended to scheduler k's pending burst. */
static void
dp_worker_note_dequeued(struct dp_worker *w, unsigned int k, struct rte_mbuf *const *pkts,
			uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		dp_worker_note_run(w, k, *dp_rx_tsc(pkts[i]), dp_meta(pkts[i])->out_stat, 1,
				   rte_pktmbuf_pkt_len(pkts[i]));
}

/*
 * Counts the first 'sent' packets of scheduler k's pending burst as sent
 * at TSC time 'tx', on their output bindings a run at a time (a chain of
 * read-modify-writes to one counter costs a store-forwarding delay each),
 * and in the latency histogram once per rx round among them (consecutive
 * runs of many slices' bindings mostly share one), and drops their runs.
 * A run the port took only part of keeps the rest: its bytes are those of
 * its packets still held.
 */
static void
dp_worker_count_sent(struct dp_worker *w, unsigned int k, uint16_t sent, uint64_t tx)
{
	struct dp_tx_run *runs = w->pending_run[k];
	uint16_t r = 0, left = sent, round_packets = 0;
	uint64_t round_tsc = 0;

	while (left != 0) {
		struct dp_tx_run *run = &runs[r];
		struct dp_counters *c = &w->stats->binding[run->stat];
		uint16_t packets = RTE_MIN(run->packets, left);
		uint32_t bytes = run->bytes;

		if (packets < run->packets) {
			uint32_t held = 0;

			for (uint16_t i = sent; i < sent + run->packets - packets; i++)
				held += rte_pktmbuf_pkt_len(w->pending[k][i]);
			bytes -= held;
			run->packets -= packets;
			run->bytes = held;
		} else {
			r++;
		}
		dp_count(&c->tx_packets, packets);
		dp_count(&c->tx_bytes, bytes);
		if (run->rx_tsc != round_tsc) {
			if (round_packets != 0)
				dp_count_latency(w->stats, tx - round_tsc, round_packets);
			round_tsc = run->rx_tsc;
			round_packets = 0;
		}
		round_packets += packets;
		left -= packets;
	}
	if (round_packets != 0)
		dp_count_latency(w->stats, tx - round_tsc, round_packets);
	if (r != 0 && r < w->nb_runs[k])
		memmove(runs, runs + r, sizeof(*runs) * (w->nb_runs[k] - r));
	w->nb_runs[k] -= r;
}

/* Owner of the queue manager: offers scheduler k's port what waits in
 * w->pending[k], oldest first, and keeps what it does not take.  Returns
 * how many it took. */
static uint16_t
dp_worker_send_pending(struct dp_worker *w, unsigned int k)
{
	struct rte_mbuf **pend = w->pending[k];
	uint16_t n = w->nb_pending[k], sent;
	uint64_t tx;

	/* One TSC read per burst: the packets leave now. */
	tx = rte_rdtsc();
	sent = rte_eth_tx_burst(qm_sched_port(w->qm, k), w->index, pend, n);
	dp_worker_count_sent(w, k, sent, tx);
	if (sent != 0 && sent < n)
		memmove(pend, pend + sent, sizeof(*pend) * (n - sent));
	w->nb_pending[k] = n - sent;
	return sent;
}

/* Marks slice s's packets pkts[0..n) with what the tx counters need
 * (their output binding's counter slot, and their rx round's time) before
 * they wait in a queue or a tx buffer or go to another worker. */
static inline void
dp_worker_mark_out(const struct dp_worker *w, struct rte_mbuf **pkts,
		   const struct dp_forward *const *fwd, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		dp_meta(pkts[i])->out_stat = fwd[i]->stat;
		*dp_rx_tsc(pkts[i]) = w->now;
	}
}

/*
 * Owner of the queue manager: hands a formatted burst of slice s to it.
 * While a scheduler has nothing queued and has credit, its packets pass
 * straight to w->pending (qm_pass_burst()), which is sent when full and at
 * the end of the round, before anything the scheduler dequeues; the rest
 * are queued.  With the scheduler's rate above the offered load, as in
 * the benchmark, no packet waits in a queue.
 */
static void
dp_worker_qm_tx(struct dp_worker *w, const struct dp_slice *s, struct rte_mbuf **pkts,
		const struct dp_forward *const *fwd, uint16_t n)
{
	while (n != 0) {
		unsigned int k = s->queues[fwd[0]->queue].sched;
		uint16_t room, passed;
		uint32_t whole;

		if (w->nb_pending[k] == SP_BURST)
			dp_worker_send_pending(w, k);
		room = SP_BURST - w->nb_pending[k];
		passed = qm_pass_burst(w->qm, s, k, pkts, fwd, RTE_MIN(n, room), w->now, &whole);
		if (passed == 0)
			break;
		/* A few pointers, mostly: inline, not a call to libc. */
		rte_memcpy(&w->pending[k][w->nb_pending[k]], pkts, sizeof(*pkts) * passed);
		w->nb_pending[k] += passed;
		/* The usual burst, of one forward, is one run. */
		if (likely(whole != 0))
			dp_worker_note_run(w, k, w->now, fwd[0]->stat, passed, whole);
		else
			for (uint16_t i = 0; i < passed; i++)
				dp_worker_note_run(w, k, w->now, fwd[i]->stat, 1,
						   rte_pktmbuf_pkt_len(pkts[i]));
		pkts += passed;
		fwd += passed;
		n -= passed;
	}
	if (n != 0) {
		dp_worker_mark_out(w, pkts, fwd, n);
		qm_enqueue_burst(w->qm, s, pkts, fwd, n, w->stats);
	}
}

/* Sends a formatted burst of slice s toward its output ports: into the
 * queue manager, or straight into the tx buffers. */
static void
dp_worker_tx(struct dp_worker *w, const struct dp_slice *s, struct rte_mbuf **pkts,
	     const struct dp_forward *const *fwd, uint16_t n)
{
	struct qm *qm = w->rt->qm;

	if (qm == NULL) {
		for (uint16_t i = 0; i < n; i++) {
			struct dp_counters *c = &w->stats->binding[fwd[i]->stat];

			/* The tx buffer's error callback needs it. */
			dp_meta(pkts[i])->out_stat = fwd[i]->stat;
			dp_count(&c->tx_packets, 1);
			dp_count(&c->tx_bytes, rte_pktmbuf_pkt_len(pkts[i]));
			rte_eth_tx_buffer(fwd[i]->port_id, w->index,
					  w->txb[fwd[i]->port_id], pkts[i]);
		}
	} else if (w->qm != NULL) {
		dp_worker_qm_tx(w, s, pkts, fwd, n);
	} else {
		dp_worker_mark_out(w, pkts, fwd, n);
		qm_handoff_burst(qm, s, pkts, fwd, n, w->stats);
	}
}

/* Owner of the queue manager: sends what scheduler k's rate allows, in up
 * to DP_VECTOR / SP_BURST bursts (a round may have taken in that many).
 * Packets the port does not take wait, in order, for the next round. */
static void
dp_worker_schedule_one(struct dp_worker *w, unsigned int k, uint64_t now)
{
	for (unsigned int b = 0; b < DP_VECTOR / SP_BURST; b++) {
		uint16_t n = w->nb_pending[k], got;

		got = qm_dequeue_burst(w->qm, k, now, w->pending[k] + n, SP_BURST - n);
		dp_worker_note_dequeued(w, k, w->pending[k] + n, got);
		n += got;
		w->nb_pending[k] = n;
		if (n == 0)
			return;
		if (dp_worker_send_pending(w, k) < n || n < SP_BURST)
			return;
	}
}

/* Owner of the queue manager: runs every scheduler. */
static void
dp_worker_schedule(struct dp_worker *w, uint64_t now)
{
	for (unsigned int k = 0; k < qm_nb_scheds(w->qm); k++)
		dp_worker_schedule_one(w, k, now);
}

/* Owner of the queue manager: frees what the ports never took. */
static void
dp_worker_pending_free(struct dp_worker *w)
{
	for (unsigned int k = 0; k < SP_MAX_PORTS; k++) {
		rte_pktmbuf_free_bulk(w->pending[k], w->nb_pending[k]);
		w->nb_pending[k] = 0;
		w->nb_runs[k] = 0;
	}
}

/* The index in s->queues[] of the slice's own queue 'number', or -1. */
static int32_t
dp_worker_queue_index(const struct dp_slice *s, uint32_t number)
{
	uint32_t lo = 0, hi = s->nb_own_queues;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->queues[mid].number == number)
			return (int32_t)mid;
		if (s->queues[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The lookup key of the bpf code option: the program's return value in
 * network order in the key's first eight bytes, then zeros. */
static inline void
dp_worker_program_key(struct dp_key *k, uint64_t r, uint16_t binding)
{
	uint64_t be = rte_cpu_to_be_64(r);

	memset(k, 0, sizeof(*k));
	k->binding = rte_cpu_to_be_32(binding);
	memcpy(&k->b0, &be, 1);
	memcpy(k->bytes, (const uint8_t *)&be + 1, sizeof(be) - 1);
}

/*
 * Runs slice s's program on its n packets, within the slice's cycle
 * budget.  For the bpf code option the return values become the packets'
 * keys; otherwise a packet the program does not match is counted and
 * freed.  A queue the program picked is noted in the packet's metadata
 * (dp_meta.queue, index + 1; 0 for none) for dp_worker_pick_queue().
 * Returns how many packets are kept, compacted to the front.
 */
static uint16_t
dp_worker_program(struct dp_worker *w, const struct dp_slice *s,
		  struct rte_mbuf **pkts, uint16_t n, struct dp_key *keys,
		  uint64_t *drops)
{
	struct dp_prog_counters *pc = &w->stats->program[s->slot];
	struct dp_prog_budget *b = &w->budget[s->slot];
	uint64_t rc[SP_BURST], cycles;
	uint16_t kept = 0;

	if (n == 0)
		return 0;
	if (!dp_prog_budget_ok(b, s->serial, &s->prog_rate, w->now)) {
		dp_count(&drops[DP_SLICE_DROP_OVER_BUDGET], n);
		rte_pktmbuf_free_bulk(pkts, n);
		return 0;
	}
	cycles = dp_program_run(s->prog, pkts, n, rc);
	dp_prog_budget_charge(b, s->prog, n, cycles);
	dp_count(&pc->packets, n);
	dp_count(&pc->cycles, cycles);

	for (uint16_t i = 0; i < n; i++) {
		struct dp_meta *meta = dp_meta(pkts[i]);
		int32_t q = -1;

		if (s->pm->program_keys) {
			dp_worker_program_key(&keys[kept], rc[i], meta->binding);
		} else if (rc[i] == DP_PROG_NO_MATCH) {
			dp_count(&drops[DP_SLICE_DROP_FILTERED], 1);
			rte_pktmbuf_free(pkts[i]);
			continue;
		}
		if (rc[i] & DP_PROG_QUEUE_FLAG)
			q = dp_worker_queue_index(s, (uint32_t)rc[i]);
		meta->queue = (uint32_t)(q + 1);
		pkts[kept++] = pkts[i];
	}
	return kept;
}

/* The forward for packet m of slice s: 'f', or a copy of it in *buf sent
 * to the queue s's program picked, if that queue is on f's binding. */
static inline const struct dp_forward *
dp_worker_pick_queue(const struct dp_slice *s, struct rte_mbuf *m,
		     const struct dp_forward *f, struct dp_forward *buf)
{
	uint32_t q = dp_meta(m)->queue;

	if (q == 0 || s->queues[q - 1].out_stat != f->stat)
		return f;
	*buf = *f;
	buf->queue = q - 1;
	return buf;
}

/*
 * dp_worker_rx_police() for the usual burst, all from one binding and all
 * within the slice's reservation on its interface: counts and meters them
 * at once and returns true.  Otherwise returns false, having counted and
 * taken nothing (the meter may have been brought up to date, as *updated
 * says).  Spares the packet loop a read-modify-write of the meter's bucket
 * per packet.
 */
static inline bool
dp_worker_rx_all(struct dp_worker *w, const struct dp_slice *s, struct rte_mbuf **pkts,
		 uint16_t n, uint32_t *updated)
{
	uint16_t b = dp_meta(pkts[0])->binding;
	const struct dp_binding *bd = &s->bindings[b];
	struct dp_counters *c;
	uint32_t bytes = 0;
	bool mixed = false;

	for (uint16_t i = 0; i < n; i++) {
		mixed |= dp_meta(pkts[i])->binding != b;
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	}
	if (mixed || !dp_police_pass_all(s, bd->iface, bytes, updated, w->now))
		return false;
	c = &w->stats->binding[bd->stat];
	dp_count(&c->rx_packets, n);
	dp_count(&c->rx_bytes, bytes);
	return true;
}

/*
 * Counts slice s's n packets as received on their input bindings and
 * meters them at the slice's input reservations (police.h), in one pass:
 * keeps the packets within them, in order at the front of pkts[], and
 * counts and frees the others as policed.  Returns how many were kept.
 * The binding counters are written once per run of packets from one
 * binding (see dp_worker_count_sent()).
 */
static inline uint16_t
dp_worker_rx_police(struct dp_worker *w, const struct dp_slice *s, struct rte_mbuf **pkts,
		    uint16_t n, uint64_t *drops)
{
	uint64_t packets = 0, bytes = 0, policed = 0;
	uint32_t updated = 0;
	uint16_t kept = 0;

	if (n != 0 && dp_worker_rx_all(w, s, pkts, n, &updated))
		return n;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint16_t b = dp_meta(m)->binding;
		const struct dp_binding *bd = &s->bindings[b];
		uint32_t len = rte_pktmbuf_pkt_len(m);

		packets++;
		bytes += len;
		/* pkts[i + 1] is ahead of what is kept, so still unmoved. */
		if (i + 1 == n || dp_meta(pkts[i + 1])->binding != b) {
			struct dp_counters *c = &w->stats->binding[bd->stat];

			dp_count(&c->rx_packets, packets);
			dp_count(&c->rx_bytes, bytes);
			packets = bytes = 0;
		}
		if (likely(dp_police_pass(s, bd->iface, len, &updated, w->now))) {
			pkts[kept++] = m;
			continue;
		}
		policed++;
		rte_pktmbuf_free(m);
	}
	if (policed != 0)
		dp_count(&drops[DP_SLICE_DROP_POLICED], policed);
	return kept;
}

/* Counts and frees packet m, whose action is not to forward it.  Out of
 * line, so that the actions' loop is a test and a few stores. */
static __rte_noinline void
dp_worker_act_drop(const struct dp_action *act, struct rte_mbuf *m, uint64_t *drops)
{
	switch (act->type) {
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
	rte_pktmbuf_free(m);
}

/* Runs one slice's packets through its program, parse, lookup and format
 * and acts on each result: forward (format + tx), or count and free. */
static void
dp_worker_slice_burst(struct dp_worker *w, const struct dp_slice *s,
		      struct rte_mbuf **pkts, uint16_t n)
{
	const struct dp_action *acts[SP_BURST];
	const struct dp_forward *fwd[SP_BURST];
	struct rte_mbuf *out[SP_BURST];
	struct dp_forward picked[SP_BURST];
	struct dp_key keys[SP_BURST];
	uint64_t *drops = w->stats->slice_drops[s->slot];
	const bool picks_queue = s->prog != NULL;
	uint16_t nb_out = 0;

	n = dp_worker_rx_police(w, s, pkts, n, drops);
	if (s->prog != NULL)
		n = dp_worker_program(w, s, pkts, n, keys, drops);
	if (s->prog == NULL || !s->pm->program_keys)
		n = s->pm->parse_burst(s, pkts, n, keys, drops);
	dp_lookup_burst(s, pkts, keys, n, acts, w->stats);

	for (uint16_t i = 0; i < n; i++) {
		if (likely(acts[i]->type == DP_ACTION_FORWARD)) {
			fwd[nb_out] = &acts[i]->fwd;
			if (picks_queue)
				fwd[nb_out] = dp_worker_pick_queue(s, pkts[i], fwd[nb_out],
								   &picked[nb_out]);
			out[nb_out++] = pkts[i];
		} else {
			dp_worker_act_drop(acts[i], pkts[i], drops);
		}
	}

	if (s->pm->format_burst != NULL)
		s->pm->format_burst(s, out, nb_out);
	dp_format_burst(out, fwd, nb_out);
	dp_worker_tx(w, s, out, fwd, nb_out);
}

/* Splits a demultiplexed vector into one run per slice, keeping each
 * slice's packets in arrival order (a stable counting sort on the slice
 * slot), and processes each run in bursts of at most SP_BURST. */
static void
dp_worker_dispatch(struct dp_worker *w, const struct dp_view *v,
		   struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *sorted[DP_VECTOR];
	uint16_t group[DP_VECTOR], slots[DP_VECTOR], start[DP_VECTOR];
	uint16_t nb_groups = 0;

	/* w->group_of[slot] is 0 outside this function. */
	for (uint16_t i = 0; i < n; i++) {
		uint16_t slot = dp_meta(pkts[i])->slice;

		if (w->group_of[slot] == 0) {
			/* Its table is needed once the vector is sorted. */
			rte_prefetch0(v->slices[slot]);
			slots[nb_groups] = slot;
			start[nb_groups] = 0;
			w->group_of[slot] = ++nb_groups;
		}
		group[i] = w->group_of[slot] - 1;
		start[group[i]]++;
	}
	for (uint16_t g = 0, at = 0; g < nb_groups; g++) {
		uint16_t count = start[g];

		start[g] = at;
		at += count;
	}
	for (uint16_t i = 0; i < n; i++)
		sorted[start[group[i]]++] = pkts[i];
	/* start[g] is now where group g ends, the next group's start. */
	for (uint16_t g = 0, at = 0; g < nb_groups; g++) {
		/* demux only finds bindings of slices in this view. */
		const struct dp_slice *s = v->slices[slots[g]];

		while (at < start[g]) {
			uint16_t k = RTE_MIN((uint16_t)(start[g] - at), (uint16_t)SP_BURST);

			dp_worker_slice_burst(w, s, sorted + at, k);
			at += k;
		}
		w->group_of[slots[g]] = 0;
	}
}

/* Up to DP_VECTOR packets from 'port_id' through the whole path. */
static void
dp_worker_poll(struct dp_worker *w, const struct dp_view *v, uint16_t port_id)
{
	struct rte_mbuf *pkts[DP_VECTOR];
	uint16_t n = 0, got;

	/* At most DP_VECTOR / SP_BURST bursts, whatever demux keeps. */
	for (unsigned int b = 0; b < DP_VECTOR / SP_BURST; b++) {
		got = rte_eth_rx_burst(port_id, 0, pkts + n, SP_BURST);
		n += dp_demux_burst(v->demux[port_id], pkts + n, got, w->stats);
		if (got < SP_BURST)
			break;
	}
	if (n != 0)
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
		/* The hand-off may have synced the queue manager to a newer
		 * view than the last round's, never to a newer one than this. */
		if (w->qm != NULL && v->gen != qm_synced_gen(w->qm))
			qm_sync(w->qm, v, w->stats);

		for (uint16_t i = 0; i < w->nb_rx_ports; i++)
			dp_worker_poll(w, v, w->rx_ports[i]);

		if (w->qm != NULL) {
			if (rt->nb_workers > 1)
				qm_handoff_drain(w->qm, &rt->view, w->stats);
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
