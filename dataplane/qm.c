/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * The queue manager's packet path: enqueue with tail drop, two-level
 * deficit round robin, the TSC pacer, and the view sync.
 *
 * Both DRR levels follow Linux's sch_drr: an active list per level; a
 * member that becomes active starts with one quantum of deficit; the head
 * sends while its deficit covers its next packet, and otherwise gets
 * another quantum and goes to the tail.  The slice level asks the head
 * slice's own DRR which of its queues goes next ("peek"), which only
 * rotates that slice's list, so it gives the same answer until a packet
 * leaves.
 */

#include "dataplane/qm.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "dataplane/meta.h"

#define QM_NONE UINT32_MAX
#define QM_SLICE_NONE UINT16_MAX

/* Pacer credit is in TSC cycles scaled by 2^QM_FP. */
#define QM_FP 16

/* A queue's state slot.  Owner only, but the lengths and counters are read
 * by the control plane. */
struct qm_queue {
	struct rte_mbuf *head;
	struct rte_mbuf *tail;
	uint32_t len_packets;
	uint32_t len_bytes;
	uint32_t deficit;
	uint32_t quantum;
	uint32_t next;                  /* next active queue of its class */
	uint32_t id;                    /* dp_queue.id of what it holds; 0 if idle */
	uint32_t index;                 /* its index in the slice's queues[] */
	uint16_t slice;
	uint16_t sched;
	uint64_t enqueued;
	uint64_t dequeued;
	uint64_t dropped;
};

/* The two lists of active slices: those with a reservation on the
 * interface, and, served only when that one is empty, those without. */
enum qm_list {
	QM_RESERVED,
	QM_BEST_EFFORT,
	QM_LISTS
};

/* A slice on one scheduler. */
struct qm_class {
	uint32_t deficit;
	uint32_t quantum;
	uint32_t head;                  /* active queues, QM_NONE if none */
	uint32_t tail;
	uint16_t next;                  /* next active class on its list */
	uint8_t list;                   /* enum qm_list */
	bool active;
};

struct qm_sched {
	uint16_t port_id;
	uint32_t overhead;
	uint64_t cpb;                   /* cycles per byte << QM_FP */
	int64_t credit;                 /* cycles << QM_FP; may dip below 0 */
	int64_t depth;                  /* most credit saved */
	uint64_t last;                  /* TSC of the last refill */
	uint16_t head[QM_LISTS];        /* active classes, QM_SLICE_NONE if none */
	uint16_t tail[QM_LISTS];
	struct qm_class cls[SP_MAX_SLICES];
};

/* A slice's mbufs in the handoff ring.  Other workers add what they hand
 * over, the owner takes away what it drains: a line each, so that workers
 * handing over different slices' packets do not share one. */
struct qm_handoff_held {
	uint32_t packets;
} __rte_cache_aligned;

struct qm {
	uint64_t gen;                   /* view synced to; see qm.h */
	unsigned int nb_scheds;
	uint32_t nb_slots;
	struct qm_sched *sched[SP_MAX_PORTS];
	struct qm_queue *q;             /* [nb_slots] */
	/* mbufs queued, by slice slot: the owner writes, others read */
	uint32_t buffers[SP_MAX_SLICES];
	struct rte_ring *ring;          /* handoff from other workers */
	struct qm_handoff_held handoff_held[SP_MAX_SLICES];
};

/* Numbers the handoff rings, whose names must differ. */
static unsigned int qm_count;

uint32_t
qm_slice_quantum(uint64_t out_bps, uint64_t rate_bps)
{
	uint64_t q;

	if (out_bps == 0 || rate_bps == 0)
		return 0;
	q = (uint64_t)((unsigned __int128)QM_SLICE_QUANTUM_MAX *
		       RTE_MIN(out_bps, rate_bps) / rate_bps);
	return (uint32_t)RTE_MAX(q, (uint64_t)QM_QUANTUM_MIN);
}

uint32_t
qm_queue_quantum(uint32_t weight)
{
	return RTE_MAX(weight, 1u) * QM_QUANTUM_PER_WEIGHT;
}

/* Sets up scheduler 'sc' for 'p', its clock starting at 'now'. */
static void
qm_sched_init(struct qm_sched *sc, const struct qm_sched_params *p, uint64_t now)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t depth_bytes = p->rate_bps / 8 * QM_DEPTH_US / US_PER_S;

	sc->port_id = p->port_id;
	sc->overhead = p->overhead;
	sc->cpb = (uint64_t)(((unsigned __int128)hz * 8 << QM_FP) / p->rate_bps);
	depth_bytes = RTE_MAX(depth_bytes, (uint64_t)QM_DEPTH_MIN_BYTES);
	sc->depth = (int64_t)RTE_MIN((unsigned __int128)depth_bytes * sc->cpb,
				     (unsigned __int128)INT64_MAX / 2);
	sc->credit = 0;
	sc->last = now;
	for (unsigned int l = 0; l < QM_LISTS; l++)
		sc->head[l] = sc->tail[l] = QM_SLICE_NONE;
}

struct qm *
qm_create(const struct qm_params *p)
{
	char name[RTE_RING_NAMESIZE];
	uint64_t now = rte_rdtsc();
	struct qm *qm;

	if (p->nb_scheds > SP_MAX_PORTS || p->nb_slots == 0 || p->nb_buffers == 0) {
		errno = EINVAL;
		return NULL;
	}
	for (unsigned int i = 0; i < p->nb_scheds; i++) {
		if (p->sched[i].rate_bps == 0) {
			errno = EINVAL;
			return NULL;
		}
	}
	qm = rte_zmalloc_socket("qm", sizeof(*qm), RTE_CACHE_LINE_SIZE, p->socket);
	if (qm == NULL)
		goto nomem;
	qm->nb_scheds = p->nb_scheds;
	qm->nb_slots = p->nb_slots;
	qm->q = rte_zmalloc_socket("qm_queues", sizeof(*qm->q) * p->nb_slots,
				   RTE_CACHE_LINE_SIZE, p->socket);
	if (qm->q == NULL)
		goto nomem;
	for (unsigned int i = 0; i < p->nb_scheds; i++) {
		qm->sched[i] = rte_zmalloc_socket("qm_sched", sizeof(*qm->sched[i]),
						  RTE_CACHE_LINE_SIZE, p->socket);
		if (qm->sched[i] == NULL)
			goto nomem;
		qm_sched_init(qm->sched[i], &p->sched[i], now);
	}
	snprintf(name, sizeof(name), "qm_%u",
		 __atomic_fetch_add(&qm_count, 1, __ATOMIC_RELAXED));
	/* Room for every slice's whole reservation (qm_handoff_burst()). */
	qm->ring = rte_ring_create(name, p->nb_buffers, p->socket,
				   RING_F_SC_DEQ | RING_F_EXACT_SZ);
	if (qm->ring == NULL)
		goto nomem;
	return qm;
nomem:
	qm_free(qm);
	errno = ENOMEM;
	return NULL;
}

/* Frees a chain of queued packets; returns how many there were. */
static uint32_t
qm_chain_free(struct rte_mbuf *m)
{
	uint32_t n = 0;

	while (m != NULL) {
		struct rte_mbuf *next = dp_meta(m)->next;

		rte_pktmbuf_free(m);
		m = next;
		n++;
	}
	return n;
}

void
qm_free(struct qm *qm)
{
	struct rte_mbuf *m;

	if (qm == NULL)
		return;
	if (qm->q != NULL)
		for (uint32_t i = 0; i < qm->nb_slots; i++)
			qm_chain_free(qm->q[i].head);
	while (qm->ring != NULL && rte_ring_sc_dequeue(qm->ring, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(qm->ring);
	for (unsigned int i = 0; i < qm->nb_scheds; i++)
		rte_free(qm->sched[i]);
	rte_free(qm->q);
	rte_free(qm);
}

unsigned int
qm_nb_scheds(const struct qm *qm)
{
	return qm->nb_scheds;
}

uint16_t
qm_sched_port(const struct qm *qm, unsigned int sched)
{
	return qm->sched[sched]->port_id;
}

/* Puts class 'slice' of 'sc' at the tail of its active list. */
static void
qm_class_append(struct qm_sched *sc, uint16_t slice)
{
	unsigned int l = sc->cls[slice].list;

	sc->cls[slice].next = QM_SLICE_NONE;
	if (sc->head[l] == QM_SLICE_NONE)
		sc->head[l] = slice;
	else
		sc->cls[sc->tail[l]].next = slice;
	sc->tail[l] = slice;
}

/* Sets class c's quantum from slice quantum 'quantum' (0: the slice
 * reserved nothing here, so it is best effort). */
static void
qm_class_set_quantum(struct qm_class *c, uint32_t quantum)
{
	c->list = quantum != 0 ? QM_RESERVED : QM_BEST_EFFORT;
	c->quantum = quantum != 0 ? quantum : QM_QUANTUM_BEST_EFFORT;
}

/* Puts queue 'slot' at the tail of class c's active list. */
static void
qm_queue_append(struct qm *qm, struct qm_class *c, uint32_t slot)
{
	qm->q[slot].next = QM_NONE;
	if (c->head == QM_NONE)
		c->head = slot;
	else
		qm->q[c->tail].next = slot;
	c->tail = slot;
}

/* Takes queue 'slot' out of class c's active list. */
static void
qm_queue_unlink(struct qm *qm, struct qm_class *c, uint32_t slot)
{
	uint32_t prev = QM_NONE;

	for (uint32_t i = c->head; i != QM_NONE; prev = i, i = qm->q[i].next) {
		if (i != slot)
			continue;
		if (prev == QM_NONE)
			c->head = qm->q[i].next;
		else
			qm->q[prev].next = qm->q[i].next;
		if (c->tail == slot)
			c->tail = prev;
		return;
	}
}

/* Takes class 'slice' out of its active list. */
static void
qm_class_unlink(struct qm_sched *sc, uint16_t slice)
{
	unsigned int l = sc->cls[slice].list;
	uint16_t prev = QM_SLICE_NONE;

	for (uint16_t i = sc->head[l]; i != QM_SLICE_NONE; prev = i, i = sc->cls[i].next) {
		if (i != slice)
			continue;
		if (prev == QM_SLICE_NONE)
			sc->head[l] = sc->cls[i].next;
		else
			sc->cls[prev].next = sc->cls[i].next;
		if (sc->tail[l] == slice)
			sc->tail[l] = prev;
		sc->cls[i].active = false;
		return;
	}
}

/* The bytes packet m costs on scheduler sc. */
static inline uint32_t
qm_cost(const struct qm_sched *sc, const struct rte_mbuf *m)
{
	return rte_pktmbuf_pkt_len(m) + sc->overhead;
}

/* Makes queue q (state slot conf->slot of slice s, holding nothing) active
 * with 'head' as its first packet. */
static void
qm_queue_activate(struct qm *qm, const struct dp_slice *s, const struct dp_queue *conf,
		  uint32_t index, struct qm_queue *q, struct rte_mbuf *head)
{
	struct qm_sched *sc = qm->sched[conf->sched];
	struct qm_class *c = &sc->cls[s->slot];

	q->head = head;
	q->id = conf->id;
	q->index = index;
	q->slice = s->slot;
	q->sched = conf->sched;
	q->quantum = conf->quantum;
	q->deficit = conf->quantum;
	if (!c->active) {
		c->active = true;
		qm_class_set_quantum(c, s->quantum[conf->sched]);
		c->deficit = c->quantum;
		c->head = c->tail = QM_NONE;
		qm_class_append(sc, s->slot);
	}
	qm_queue_append(qm, c, conf->slot);
}

/*
 * Appends the 'n' packets of slice s in pkts[] to its queue s->queues[index],
 * in order, dropping at the tail what would take the queue past one of its
 * limits or the slice past its buffers (counted on the queue and as
 * queue_full in st).  The run is chained first and appended in one step.
 * Returns how many were queued.
 */
static uint16_t
qm_enqueue_run(struct qm *qm, const struct dp_slice *s, uint32_t index,
	       struct rte_mbuf **pkts, uint16_t n, struct dp_lcore_stats *st)
{
	const struct dp_queue *conf = &s->queues[index];
	struct qm_queue *q = &qm->q[conf->slot];
	uint32_t len_packets = q->len_packets, len_bytes = q->len_bytes;
	uint32_t held = qm->buffers[s->slot];
	struct rte_mbuf *head = NULL, *tail = NULL;
	uint16_t queued = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t len = rte_pktmbuf_pkt_len(m);

		if (len_packets >= conf->limit_packets ||
		    len > conf->limit_bytes - RTE_MIN(len_bytes, conf->limit_bytes) ||
		    held >= s->buffers) {
			rte_pktmbuf_free(m);
			continue;
		}
		dp_meta(m)->next = NULL;
		if (tail == NULL)
			head = m;
		else
			dp_meta(tail)->next = m;
		tail = m;
		len_packets++;
		len_bytes += len;
		held++;
		queued++;
	}

	if (queued != 0) {
		if (q->head == NULL)
			qm_queue_activate(qm, s, conf, index, q, head);
		else
			dp_meta(q->tail)->next = head;
		q->tail = tail;
		__atomic_store_n(&q->len_packets, len_packets, __ATOMIC_RELAXED);
		__atomic_store_n(&q->len_bytes, len_bytes, __ATOMIC_RELAXED);
		__atomic_store_n(&q->enqueued, q->enqueued + queued, __ATOMIC_RELAXED);
		__atomic_store_n(&qm->buffers[s->slot], held, __ATOMIC_RELAXED);
	}
	if (queued != n) {
		__atomic_store_n(&q->dropped, q->dropped + n - queued, __ATOMIC_RELAXED);
		dp_count(&st->slice_drops[s->slot][DP_SLICE_DROP_QUEUE_FULL], n - queued);
	}
	return queued;
}

uint16_t
qm_enqueue_burst(struct qm *qm, const struct dp_slice *s, struct rte_mbuf **pkts,
		 const struct dp_forward *const *fwd, uint16_t n,
		 struct dp_lcore_stats *st)
{
	uint16_t queued = 0, i = 0;

	/* A slice's burst usually goes to one or a few queues: by runs. */
	while (i < n) {
		uint32_t index = fwd[i]->queue;
		uint16_t j = i + 1;

		while (j < n && fwd[j]->queue == index)
			j++;
		queued += qm_enqueue_run(qm, s, index, pkts + i, j - i, st);
		i = j;
	}
	return queued;
}

/* The queue of class c whose head packet goes next within the class. */
static inline struct qm_queue *
qm_class_peek(struct qm *qm, const struct qm_sched *sc, struct qm_class *c)
{
	for (;;) {
		struct qm_queue *q = &qm->q[c->head];

		if (qm_cost(sc, q->head) <= q->deficit)
			return q;
		q->deficit += q->quantum;
		if (q->next != QM_NONE) {
			uint32_t slot = c->head;

			c->head = q->next;
			qm_queue_append(qm, c, slot);
		}
	}
}

/* The queue whose head packet scheduler sc sends next by two-level DRR,
 * with its class in *cp, from active list 'l' (not empty). */
static inline struct qm_queue *
qm_sched_pick(struct qm *qm, struct qm_sched *sc, unsigned int l, struct qm_class **cp)
{
	for (;;) {
		uint16_t slice = sc->head[l];
		struct qm_class *c = &sc->cls[slice];
		struct qm_queue *q = qm_class_peek(qm, sc, c);

		if (qm_cost(sc, q->head) <= c->deficit) {
			*cp = c;
			return q;
		}
		c->deficit += c->quantum;
		if (c->next != QM_SLICE_NONE) {
			sc->head[l] = c->next;
			qm_class_append(sc, slice);
		}
	}
}

/* The active list scheduler sc serves now, or QM_LISTS if both are empty. */
static inline unsigned int
qm_sched_list(const struct qm_sched *sc)
{
	if (sc->head[QM_RESERVED] != QM_SLICE_NONE)
		return QM_RESERVED;
	if (sc->head[QM_BEST_EFFORT] != QM_SLICE_NONE)
		return QM_BEST_EFFORT;
	return QM_LISTS;
}

/* Gives scheduler sc the credit its rate earned up to TSC time 'now', up
 * to its depth. */
static inline void
qm_sched_refill(struct qm_sched *sc, uint64_t now)
{
	int64_t elapsed = (int64_t)(now - sc->last);
	int64_t cap = sc->depth >> QM_FP;

	/* A 'now' before the last one (another core's TSC) adds nothing. */
	if (elapsed < 0)
		elapsed = 0;
	sc->last = now;
	sc->credit += RTE_MIN(elapsed, cap) << QM_FP;
	if (sc->credit > sc->depth)
		sc->credit = sc->depth;
}

/* Counts a run of 'n' packets that passed queue q without waiting. */
static inline void
qm_queue_count_pass(struct qm_queue *q, uint32_t n)
{
	__atomic_store_n(&q->enqueued, q->enqueued + n, __ATOMIC_RELAXED);
	__atomic_store_n(&q->dequeued, q->dequeued + n, __ATOMIC_RELAXED);
}

/*
 * qm_pass_burst() for the usual burst, all of one forward's packets, when
 * the scheduler's credit covers them all and their queue takes them all:
 * passes them in one step and returns true, with the same credit and
 * counts as packet by packet, and their bytes in *bytes.  It spares the
 * packet loop its chain of read-modify-writes of the credit.  Returns
 * false, changing nothing, for any other burst.
 */
static inline bool
qm_pass_whole(struct qm *qm, struct qm_sched *sc, const struct dp_slice *s,
	      unsigned int sched, struct rte_mbuf *const *pkts,
	      const struct dp_forward *const *fwd, uint16_t n, uint32_t *whole)
{
	const struct dp_queue *conf = &s->queues[fwd[0]->queue];
	uint32_t bytes = 0, longest = 0;
	bool mixed = false;
	uint64_t cost;

	for (uint16_t i = 0; i < n; i++) {
		uint32_t len = rte_pktmbuf_pkt_len(pkts[i]);

		mixed |= fwd[i] != fwd[0];
		bytes += len;
		longest = RTE_MAX(longest, len);
	}
	/* What qm_cost() gives the n packets together. */
	cost = bytes + (uint64_t)n * sc->overhead;
	/* Packet by packet, all n pass if the credit left before the last
	 * is above 0; above the cost of all n is enough for that.  The
	 * product is wide: a slow scheduler's cycles per byte are many. */
	if (mixed || conf->sched != sched || conf->limit_packets == 0 ||
	    longest > conf->limit_bytes || sc->credit <= 0 ||
	    (unsigned __int128)cost * sc->cpb >= (unsigned __int128)sc->credit)
		return false;
	sc->credit -= (int64_t)(cost * sc->cpb);
	qm_queue_count_pass(&qm->q[conf->slot], n);
	*whole = bytes;
	return true;
}

uint16_t
qm_pass_burst(struct qm *qm, const struct dp_slice *s, unsigned int sched,
	      struct rte_mbuf *const *pkts, const struct dp_forward *const *fwd,
	      uint16_t n, uint64_t now, uint32_t *whole)
{
	struct qm_sched *sc = qm->sched[sched];
	struct qm_queue *q = NULL;
	uint32_t run = 0;
	uint16_t i;

	*whole = 0;
	if (qm_sched_list(sc) != QM_LISTS)
		return 0;
	if (sc->last != now)
		qm_sched_refill(sc, now);

	/* Nothing of the slice waits on this scheduler, but it may hold
	 * buffers on others: with none left, enqueue would drop. */
	if (qm->buffers[s->slot] >= s->buffers)
		return 0;
	if (qm_pass_whole(qm, sc, s, sched, pkts, fwd, n, whole))
		return n;
	for (i = 0; i < n && sc->credit > 0; i++) {
		const struct dp_queue *conf = &s->queues[fwd[i]->queue];
		struct qm_queue *next = &qm->q[conf->slot];

		/* An empty queue takes a packet within its byte limit
		 * (limit_packets is at least 1); enqueue drops the others. */
		if (conf->sched != sched || conf->limit_packets == 0 ||
		    rte_pktmbuf_pkt_len(pkts[i]) > conf->limit_bytes)
			break;
		if (next != q) {
			if (run != 0)
				qm_queue_count_pass(q, run);
			q = next;
			run = 0;
		}
		sc->credit -= (int64_t)(qm_cost(sc, pkts[i]) * sc->cpb);
		run++;
	}
	if (run != 0)
		qm_queue_count_pass(q, run);
	return i;
}

uint16_t
qm_dequeue_burst(struct qm *qm, unsigned int sched, uint64_t now,
		 struct rte_mbuf **out, uint16_t max)
{
	struct qm_sched *sc = qm->sched[sched];
	uint16_t n = 0;

	qm_sched_refill(sc, now);
	while (n < max && sc->credit > 0) {
		unsigned int l = qm_sched_list(sc);
		struct qm_class *c;
		struct qm_queue *q;
		uint32_t run = 0, bytes = 0, cost;

		if (l == QM_LISTS)
			break;
		q = qm_sched_pick(qm, sc, l, &c);
		cost = qm_cost(sc, q->head);

		/* Send from q while both deficits cover its next packet: the
		 * same packets one pick per packet would give. */
		do {
			struct rte_mbuf *m = q->head;

			c->deficit -= cost;
			q->deficit -= cost;
			sc->credit -= (int64_t)(cost * sc->cpb);
			q->head = dp_meta(m)->next;
			bytes += rte_pktmbuf_pkt_len(m);
			out[n++] = m;
			run++;
			if (q->head == NULL)
				break;
			cost = qm_cost(sc, q->head);
		} while (n < max && sc->credit > 0 && cost <= q->deficit &&
			 cost <= c->deficit);

		__atomic_store_n(&q->len_packets, q->len_packets - run, __ATOMIC_RELAXED);
		__atomic_store_n(&q->len_bytes, q->len_bytes - bytes, __ATOMIC_RELAXED);
		__atomic_store_n(&q->dequeued, q->dequeued + run, __ATOMIC_RELAXED);
		__atomic_store_n(&qm->buffers[q->slice], qm->buffers[q->slice] - run,
				 __ATOMIC_RELAXED);
		if (q->head == NULL) {
			q->tail = NULL;
			q->id = 0;
			c->head = q->next;
			if (c->head == QM_NONE) {
				c->active = false;
				sc->head[l] = c->next;
			}
		}
	}
	return n;
}

/* Drops every packet of queue 'slot' (in class c of sc), counting them. */
static void
qm_queue_flush(struct qm *qm, struct qm_sched *sc, struct qm_class *c, uint32_t slot,
	       bool slice_gone, struct dp_lcore_stats *st)
{
	struct qm_queue *q = &qm->q[slot];
	uint32_t n = qm_chain_free(q->head);

	qm_queue_unlink(qm, c, slot);
	q->head = q->tail = NULL;
	q->id = 0;
	__atomic_store_n(&q->len_packets, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&q->len_bytes, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&q->dropped, q->dropped + n, __ATOMIC_RELAXED);
	__atomic_store_n(&qm->buffers[q->slice], qm->buffers[q->slice] - n, __ATOMIC_RELAXED);
	if (slice_gone)
		dp_count(&st->node_drops[DP_NODE_DROP_ORPHANED], n);
	else
		dp_count(&st->slice_drops[q->slice][DP_SLICE_DROP_FLUSHED], n);
	if (c->head == QM_NONE)
		qm_class_unlink(sc, q->slice);
}

/* Finds the queue with instance id 'id' in slice table s, trying 'index'
 * first; returns its index or -1. */
static int64_t
qm_queue_find(const struct dp_slice *s, uint32_t index, uint32_t id)
{
	if (index < s->nb_queues && s->queues[index].id == id)
		return index;
	for (uint32_t i = 0; i < s->nb_queues; i++)
		if (s->queues[i].id == id)
			return i;
	return -1;
}

/* Brings class 'slice' of scheduler k in line with view v: flushes its
 * queues that v does not have, refreshes the others' quanta and its own,
 * and moves it to the other active list if its reservation came or went. */
static void
qm_class_sync(struct qm *qm, unsigned int k, uint16_t slice, const struct dp_view *v,
	      struct dp_lcore_stats *st)
{
	struct qm_sched *sc = qm->sched[k];
	struct qm_class *c = &sc->cls[slice];
	const struct dp_slice *s = v->slices[slice];
	unsigned int list = c->list;

	for (uint32_t slot = c->head; slot != QM_NONE;) {
		struct qm_queue *q = &qm->q[slot];
		uint32_t next = q->next;
		int64_t i = s != NULL ? qm_queue_find(s, q->index, q->id) : -1;

		if (i < 0) {
			qm_queue_flush(qm, sc, c, slot, s == NULL, st);
		} else {
			q->index = (uint32_t)i;
			q->quantum = s->queues[i].quantum;
		}
		slot = next;
	}
	if (!c->active)
		return;
	qm_class_set_quantum(c, s->quantum[k]);
	if (c->list != list) {
		unsigned int now = c->list;

		c->list = (uint8_t)list;
		qm_class_unlink(sc, slice);
		c->list = (uint8_t)now;
		c->active = true;
		qm_class_append(sc, slice);
	}
}

void
qm_sync(struct qm *qm, const struct dp_view *v, struct dp_lcore_stats *st)
{
	for (unsigned int k = 0; k < qm->nb_scheds; k++) {
		struct qm_sched *sc = qm->sched[k];

		/* A class moved to the best-effort list is visited twice;
		 * the second visit changes nothing. */
		for (unsigned int l = 0; l < QM_LISTS; l++) {
			uint16_t slice = sc->head[l];

			while (slice != QM_SLICE_NONE) {
				uint16_t next = sc->cls[slice].next;

				qm_class_sync(qm, k, slice, v, st);
				slice = next;
			}
		}
	}
	__atomic_store_n(&qm->gen, v->gen, __ATOMIC_RELEASE);
}

uint64_t
qm_synced_gen(const struct qm *qm)
{
	return __atomic_load_n(&qm->gen, __ATOMIC_ACQUIRE);
}

uint16_t
qm_handoff_burst(struct qm *qm, const struct dp_slice *s, struct rte_mbuf **pkts,
		 const struct dp_forward *const *fwd, uint16_t n,
		 struct dp_lcore_stats *st)
{
	uint32_t *held = &qm->handoff_held[s->slot].packets;
	uint32_t before, in_use, room;
	unsigned int sent = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct dp_meta *meta = dp_meta(pkts[i]);

		meta->queue = fwd[i]->queue;
		meta->qid = s->queues[fwd[i]->queue].id;
	}
	/* Claimed before they are in the ring, so that the owner, which
	 * releases them once they are out, never sees fewer than it took;
	 * and, claimed first, two workers handing over the same slice's
	 * packets cannot both take the last of its room. */
	before = __atomic_fetch_add(held, n, __ATOMIC_ACQUIRE);
	in_use = before + qm_slice_buffers(qm, s->slot);
	room = s->buffers > in_use ? s->buffers - in_use : 0;
	if (room != 0)
		sent = rte_ring_mp_enqueue_burst(qm->ring, (void **)pkts, RTE_MIN(room, n), NULL);
	if (sent != n) {
		__atomic_fetch_sub(held, n - sent, __ATOMIC_RELAXED);
		dp_count(&st->slice_drops[s->slot][DP_SLICE_DROP_QUEUE_FULL], n - sent);
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	}
	return (uint16_t)sent;
}

/* Queues one burst from the handoff ring, under the newest view at
 * *view; returns its size. */
static unsigned int
qm_handoff_drain_burst(struct qm *qm, struct dp_view *const *view,
		       struct dp_lcore_stats *st)
{
	struct rte_mbuf *pkts[SP_BURST];
	uint16_t slot[SP_BURST];
	unsigned int n = rte_ring_sc_dequeue_burst(qm->ring, (void **)pkts, SP_BURST, NULL);
	const struct dp_view *v;

	if (n == 0)
		return 0;
	/* Loaded after the packets left the ring, so at least as new as
	 * the view they were handed over under. */
	v = __atomic_load_n(view, __ATOMIC_ACQUIRE);
	if (v->gen != qm->gen)
		qm_sync(qm, v, st);
	for (unsigned int i = 0; i < n; i++) {
		const struct dp_meta *meta = dp_meta(pkts[i]);
		const struct dp_slice *s = v->slices[meta->slice];
		int64_t k = s != NULL ? qm_queue_find(s, meta->queue, meta->qid) : -1;

		slot[i] = meta->slice;
		if (k >= 0) {
			qm_enqueue_run(qm, s, (uint32_t)k, &pkts[i], 1, st);
			continue;
		}
		if (s == NULL)
			dp_count(&st->node_drops[DP_NODE_DROP_ORPHANED], 1);
		else
			dp_count(&st->slice_drops[s->slot][DP_SLICE_DROP_FLUSHED], 1);
		rte_pktmbuf_free(pkts[i]);
	}
	/* Out of the ring and, if kept, counted in qm->buffers already: a
	 * worker handing over more never sees a slice hold less than it
	 * does.  One release per run of a slice's packets. */
	for (unsigned int i = 0, run = 1; i < n; i++, run++) {
		if (i + 1 < n && slot[i + 1] == slot[i])
			continue;
		__atomic_fetch_sub(&qm->handoff_held[slot[i]].packets, run, __ATOMIC_RELEASE);
		run = 0;
	}
	return n;
}

unsigned int
qm_handoff_drain(struct qm *qm, struct dp_view *const *view, struct dp_lcore_stats *st)
{
	unsigned int total = 0, n;

	for (unsigned int b = 0; b < QM_DRAIN_BURSTS; b++) {
		n = qm_handoff_drain_burst(qm, view, st);
		total += n;
		if (n < SP_BURST)
			break;
	}
	return total;
}

void
qm_queue_read(const struct qm *qm, uint32_t slot, struct qm_queue_stats *out)
{
	const struct qm_queue *q = &qm->q[slot];

	out->enqueued = __atomic_load_n(&q->enqueued, __ATOMIC_RELAXED);
	out->dequeued = __atomic_load_n(&q->dequeued, __ATOMIC_RELAXED);
	out->dropped = __atomic_load_n(&q->dropped, __ATOMIC_RELAXED);
	out->length_packets = __atomic_load_n(&q->len_packets, __ATOMIC_RELAXED);
	out->length_bytes = __atomic_load_n(&q->len_bytes, __ATOMIC_RELAXED);
}

uint32_t
qm_slice_buffers(const struct qm *qm, uint16_t slice)
{
	return __atomic_load_n(&qm->buffers[slice], __ATOMIC_RELAXED);
}
