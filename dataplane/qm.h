/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_QM_H
#define SP_DP_QM_H

/*
 * The queue manager: one scheduler per output interface, paced at the
 * interface's rate from the TSC, serving the slices by weighted deficit
 * round robin (weight: the slice's reserved output bandwidth on that
 * interface; slices that reserved none only get what the others leave)
 * and, within a slice, its queues by weighted deficit round
 * robin (the queues' own weights).  Byte costs count the interface's
 * framing overhead, so shares are shares of the wire.  Backlogged slices
 * and queues share what idle ones leave, in proportion to their weights.
 *
 * Queues are tail-drop FIFOs threaded through the mbufs (dp_meta.next), so
 * a queue costs no memory until it holds packets and its limits can change
 * under it.  A slice's queued mbufs are capped by its buffer reservation.
 *
 * Concurrency contract:
 *  - A struct qm belongs to one worker, its owner, which alone enqueues,
 *    dequeues and calls qm_sync().  Other workers hand it packets through
 *    qm_handoff_burst() (a multi-producer ring); the owner takes them in
 *    with qm_handoff_drain().  Handing over reads the slice's queued
 *    mbufs (relaxed) and adds to its count of mbufs in the ring; the
 *    owner takes from that count (release) once it has queued them.
 *  - The queue configuration (struct dp_queue) is read from the
 *    RCU-published slice tables.  When the view changes, the owner calls
 *    qm_sync(): queues that left the view lose their packets (counted as
 *    dropped, and as 'flushed' on their slice, or 'orphaned' on the node
 *    if the slice left too), the others take the new weights.  It then stores the view's generation in qm->gen (release);
 *    the control plane waits for that before it hands a removed queue's or
 *    slice's slot and counters to anyone else.
 *  - The control plane reads the counters and lengths with relaxed loads
 *    (qm_queue_read()).
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dataplane/dp.h"
#include "dataplane/stats.h"
#include "dataplane/tables.h"

/* The most credit a scheduler saves up while it has nothing to send: this
 * long at its rate (and at least QM_DEPTH_MIN_BYTES).  It also bounds how
 * long the owner may be descheduled without the link losing rate. */
#define QM_DEPTH_US 10000
#define QM_DEPTH_MIN_BYTES 4096

/* A slice's quantum on a scheduler is QM_SLICE_QUANTUM_MAX scaled by its
 * share of the rate, and no less than QM_QUANTUM_MIN.  A slice that
 * reserved nothing on the interface is best effort: it is served only
 * when no slice with a reservation has packets waiting, and best-effort
 * slices share among themselves with QM_QUANTUM_BEST_EFFORT each. */
#define QM_SLICE_QUANTUM_MAX 65536u
#define QM_QUANTUM_MIN 256u
#define QM_QUANTUM_BEST_EFFORT 2048u

/* A queue's quantum is its weight times this. */
#define QM_QUANTUM_PER_WEIGHT 256u

/* The most bursts the owner takes in from the handoff ring per call. */
#define QM_DRAIN_BURSTS 8

/* One interface's scheduler, as configured. */
struct qm_sched_params {
	uint16_t port_id;
	uint64_t rate_bps;
	uint32_t overhead;              /* bytes added to each frame on the wire */
};

struct qm_params {
	int socket;
	uint32_t nb_slots;              /* queue state slots */
	uint32_t nb_buffers;            /* what all slices' buffer reservations add up to, at most */
	unsigned int nb_scheds;
	struct qm_sched_params sched[SP_MAX_PORTS];     /* by interface index */
};

/* What a queue has done since its slot was created. */
struct qm_queue_stats {
	uint64_t enqueued;
	uint64_t dequeued;
	uint64_t dropped;
	uint64_t length_packets;
	uint64_t length_bytes;
};

struct qm;

/* Creates a queue manager, with its schedulers' clocks starting now.
 * Returns NULL and sets errno (EINVAL, ENOMEM) on failure. */
struct qm *qm_create(const struct qm_params *p);

/* Frees the queue manager and every packet it still holds; NULL is
 * allowed. */
void qm_free(struct qm *qm);

/* How many schedulers there are, and the port scheduler 'sched' sends on. */
unsigned int qm_nb_scheds(const struct qm *qm);
uint16_t qm_sched_port(const struct qm *qm, unsigned int sched);

/*
 * Owner only.  Queues each packet of a burst of slice 's' (the current
 * view's) to s->queues[fwd[i]->queue], or drops it at the tail if that
 * queue is at one of its limits or the slice holds s->buffers mbufs
 * already: the drop is counted on the queue and as 'queue_full' in st.
 * Returns how many were queued; the others are freed.
 */
uint16_t qm_enqueue_burst(struct qm *qm, const struct dp_slice *s,
			  struct rte_mbuf **pkts, const struct dp_forward *const *fwd,
			  uint16_t n, struct dp_lcore_stats *st);

/*
 * Owner only.  The queue manager's fast path, for a scheduler with nothing
 * waiting: the packet it would send next is the one arriving.  Of the
 * leading packets of a burst of slice 's' whose queues are on scheduler
 * 'sched', lets through as many as its rate allows at TSC time 'now', if
 * none of its queues holds a packet: each is charged to the pacer and
 * counted on its queue as enqueued and dequeued, as if it had been queued
 * and taken at once.  A packet its empty queue would refuse (over the
 * queue's byte limit, or the slice out of buffers) stops the run.
 * Returns how many passed (0 if any queue of 'sched' holds packets); when
 * that is all n, of one forward (the usual burst), it sets *whole to their
 * bytes, else to 0.  The caller sends them on the scheduler's port ahead
 * of anything it dequeues from 'sched' later, and queues the others with
 * qm_enqueue_burst().
 *
 * What it changes: while the scheduler is idle, the credit it saved (at
 * most QM_DEPTH_US of its rate) goes to packets in the order they arrive
 * within a round, where queueing them first would have split it by
 * weight.  Once anything waits, every packet is queued and the round
 * robin decides, as before.
 */
uint16_t qm_pass_burst(struct qm *qm, const struct dp_slice *s, unsigned int sched,
		       struct rte_mbuf *const *pkts, const struct dp_forward *const *fwd,
		       uint16_t n, uint64_t now, uint32_t *whole);

/*
 * Owner only.  Takes from scheduler 'sched' up to 'max' packets that its
 * rate allows at TSC time 'now', in WDRR order, into out[].  Each one is
 * charged to the pacer as it leaves, whether or not the port then takes
 * it.  Returns how many.
 */
uint16_t qm_dequeue_burst(struct qm *qm, unsigned int sched, uint64_t now,
			  struct rte_mbuf **out, uint16_t max);

/* Owner only.  Brings the queues in line with view 'v' (see the contract
 * above), counting what it flushes in st, then publishes v->gen. */
void qm_sync(struct qm *qm, const struct dp_view *v, struct dp_lcore_stats *st);

/* The view generation the owner has synced to (acquire). */
uint64_t qm_synced_gen(const struct qm *qm);

/*
 * Any worker but the owner.  Hands a formatted burst of slice 's' to the
 * owner's ring, noting each packet's queue.  The packets count against the
 * slice's buffer reservation while they are in the ring, as they do once
 * queued: what would take the slice past it is freed and counted as
 * 'queue_full' in st.  The ring has room for every slice's reservation
 * (nb_buffers), so one slice filling it cannot refuse another's packets.
 * Returns how many were handed over.
 */
uint16_t qm_handoff_burst(struct qm *qm, const struct dp_slice *s,
			  struct rte_mbuf **pkts, const struct dp_forward *const *fwd,
			  uint16_t n, struct dp_lcore_stats *st);

/*
 * Owner only.  Queues what other workers handed over, up to
 * QM_DRAIN_BURSTS bursts, under the newest view published at *view (an
 * RCU-published pointer, see dataplane/tables.h), to which it first syncs
 * (qm_sync()) if it has not: a worker hands packets over under the view
 * it loaded, so a view loaded once they are out of the ring is at least
 * as new, and their queues are in it unless they have gone since.
 * Packets whose queue or slice has gone are freed and counted as
 * 'flushed' (or 'orphaned' on the node).  Returns how many packets it
 * took from the ring.
 */
unsigned int qm_handoff_drain(struct qm *qm, struct dp_view *const *view,
			      struct dp_lcore_stats *st);

/* Reads the counters of state slot 'slot' (any thread). */
void qm_queue_read(const struct qm *qm, uint32_t slot, struct qm_queue_stats *out);

/* The mbufs slice slot 'slice' holds in its queues (any thread). */
uint32_t qm_slice_buffers(const struct qm *qm, uint16_t slice);

/* The quantum of a slice reserving 'out_bps' of an interface of 'rate_bps'
 * (0 if it reserved nothing: best effort), and of a queue of weight
 * 'weight'. */
uint32_t qm_slice_quantum(uint64_t out_bps, uint64_t rate_bps);
uint32_t qm_queue_quantum(uint32_t weight);

#endif /* SP_DP_QM_H */
