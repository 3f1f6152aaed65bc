/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests of dataplane/qm.c.
 *
 * No port is involved: qm_dequeue_burst() hands the packets back (and
 * qm_pass_burst() leaves those it lets through to the caller), and time
 * is the 'now' the tests pass, starting from the TSC read right after
 * qm_create() and moved forward by hand.  Each packet carries, in its
 * first 8 bytes, the index of the flow (one stream to one queue) it
 * belongs to and its sequence number in that flow, so that what comes out
 * can be checked for order and attributed.
 */

#include "dataplane/qm.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_debug.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dataplane/meta.h"
#include "dataplane/stats.h"
#include "dataplane/tables.h"
#include "pm/passthrough/passthrough.h"
#include "tests/unit/cu_main.h"

#define POOL_SIZE 8191
#define NB_SLOTS 64
#define NB_BUFFERS 4096         /* qm_params.nb_buffers: the handoff ring's room */
#define MAX_FLOWS 8
#define MAX_TABLES 8
#define MAX_VIEWS 8
#define KEEP 48                 /* packets a backlogged flow's queue holds */
#define BIG (1u << 30)          /* a limit that does not bind */
#define OUT_FULL UINT64_MAX     /* fx_slice(): reserve all of each interface */

#define MBPS 1000000ull
#define GBPS 1000000000ull

#define SLOT_A 3
#define SLOT_B 700
#define SLOT_Z (SP_MAX_SLICES - 1)

static struct rte_mempool *pool;

/* A scheduler that never holds anything back in these tests, with and
 * without framing overhead; FAST_STEP is 1.25 MB of its credit. */
static const struct qm_sched_params fast = { .port_id = 0, .rate_bps = 100 * GBPS };
static const struct qm_sched_params fast24 = {
	.port_id = 0, .rate_bps = 100 * GBPS, .overhead = 24 };
#define FAST_STEP(f) ((f)->hz / 10000)

/* Forwarding results naming queue i; the other fields are not the queue
 * manager's business and hold values no scheduler or queue has. */
static const struct dp_forward fwds[] = {
	{ .queue = 0, .port_id = 77, .stat = 5 },
	{ .queue = 1, .port_id = 77, .stat = 5 },
	{ .queue = 2, .port_id = 77, .stat = 5 },
	{ .queue = 3, .port_id = 77, .stat = 5 },
	{ .queue = 4, .port_id = 77, .stat = 5 },
};

/* Frame lengths a flow of length 0 goes through, in turn. */
static const uint16_t mixed_len[] = { 64, 1500, 576, 1000, 200 };

/* One stream of packets to one queue. */
struct flow {
	uint16_t slice;         /* slice slot */
	uint16_t queue;         /* index in the slice's queues[] */
	uint16_t sched;         /* that queue's scheduler */
	uint16_t len;           /* frame length; 0: mixed_len[] */
	bool backlog;           /* fx_topup() keeps its queue at KEEP packets */
	uint32_t sent;          /* sequence number of the next packet */
	int64_t last;           /* last sequence number dequeued, -1: none */
	uint64_t pkts;          /* dequeued */
	uint64_t bytes;         /* dequeued, with the scheduler's overhead */
};

/* A queue manager, the views and slice tables it is shown, and the flows
 * sent through it. */
struct fx {
	struct qm *qm;
	struct qm_params p;
	struct dp_view *v;                      /* the current view */
	struct dp_view *views[MAX_VIEWS];       /* every view, freed at the end */
	unsigned int nb_views;
	struct dp_slice *tables[MAX_TABLES];    /* every table, freed at the end */
	unsigned int nb_tables;
	struct dp_lcore_stats *st;
	struct flow flows[MAX_FLOWS];
	unsigned int nb_flows;
	uint64_t hz, start, now;
	unsigned int avail;                     /* mbufs in the pool before */
	uint64_t misordered;                    /* out of order within a flow */
	uint64_t strays;                        /* not sent, changed, wrong scheduler */
	uint64_t overruns;                      /* calls that returned > max */
	uint64_t wholes;                        /* passes that said "all, of one forward" */
	uint64_t wrong_whole;                   /* ... and were not, or gave wrong bytes */
	bool dry;                               /* the pool ran out: stop sending */
};

/* One queue of a slice built by fx_slice(); limits left 0 do not bind. */
struct qspec {
	uint32_t id;
	uint32_t slot;
	uint32_t weight;
	uint32_t limit_packets;
	uint32_t limit_bytes;
	uint16_t sched;
};

static int
qm_suite_init(void)
{
	if (cu_eal_init("qm") != 0 || dp_meta_register() != 0)
		return -1;
	pool = rte_pktmbuf_pool_create("ut_qm", POOL_SIZE, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool != NULL ? 0 : -1;
}

static int
qm_suite_clean(void)
{
	unsigned int avail = rte_mempool_avail_count(pool);

	rte_mempool_free(pool);
	pool = NULL;
	/* Every case gives back what it takes. */
	return avail == POOL_SIZE ? 0 : -1;
}

/* The most credit a scheduler of 'rate' bit/s saves up, per qm.h. */
static uint64_t
depth_bytes(uint64_t rate)
{
	return RTE_MAX(rate / 8 * QM_DEPTH_US / 1000000, (uint64_t)QM_DEPTH_MIN_BYTES);
}

/* Creates f's queue manager with the 'nb' schedulers sched[], an empty
 * view and counters; the clock starts right after.  Returns 0 or -1. */
static int
fx_init(struct fx *f, const struct qm_sched_params *sched, unsigned int nb)
{
	memset(f, 0, sizeof(*f));
	f->avail = rte_mempool_avail_count(pool);
	f->hz = rte_get_tsc_hz();
	f->st = rte_zmalloc("ut_qm_stats", sizeof(*f->st), RTE_CACHE_LINE_SIZE);
	f->v = dp_view_clone(NULL);
	if (f->st == NULL || f->v == NULL)
		return -1;
	f->views[f->nb_views++] = f->v;
	f->p.socket = (int)rte_socket_id();
	f->p.nb_slots = NB_SLOTS;
	f->p.nb_buffers = NB_BUFFERS;
	f->p.nb_scheds = nb;
	memcpy(f->p.sched, sched, sizeof(*sched) * nb);
	f->qm = qm_create(&f->p);
	f->start = rte_rdtsc();
	f->now = f->start;
	return f->qm != NULL ? 0 : -1;
}

/* Frees f's queue manager, checking that every mbuf went back to the
 * pool, then its views, tables and counters. */
static void
fx_fini(struct fx *f)
{
	qm_free(f->qm);
	f->qm = NULL;
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f->avail,
		       "every mbuf back in the pool after qm_free");
	for (unsigned int i = 0; i < f->nb_views; i++)
		dp_view_free(f->views[i]);
	for (unsigned int i = 0; i < f->nb_tables; i++)
		dp_slice_free(f->tables[i]);
	rte_free(f->st);
}

/* A slice table for slot 'slot' reserving 'out_bps' of each interface,
 * holding at most 'buffers' mbufs (0: no limit), with the 'nb' queues
 * qs[].  It is f's to free.  NULL on failure. */
static struct dp_slice *
fx_slice(struct fx *f, uint16_t slot, uint64_t out_bps, uint32_t buffers,
	 const struct qspec *qs, uint32_t nb)
{
	struct dp_slice *s;

	if (f->nb_tables == MAX_TABLES)
		return NULL;
	s = dp_slice_alloc(slot, &pm_passthrough_ops, 0, 0, nb);
	if (s == NULL)
		return NULL;
	f->tables[f->nb_tables++] = s;
	s->buffers = buffers != 0 ? buffers : BIG;
	for (unsigned int k = 0; k < f->p.nb_scheds; k++) {
		uint64_t rate = f->p.sched[k].rate_bps;

		s->quantum[k] = qm_slice_quantum(out_bps == OUT_FULL ? rate : out_bps, rate);
	}
	for (uint32_t i = 0; i < nb; i++)
		s->queues[i] = (struct dp_queue){
			.id = qs[i].id,
			.slot = qs[i].slot,
			.quantum = qm_queue_quantum(qs[i].weight),
			.limit_packets = qs[i].limit_packets != 0 ? qs[i].limit_packets : BIG,
			.limit_bytes = qs[i].limit_bytes != 0 ? qs[i].limit_bytes : BIG,
			.sched = qs[i].sched,
		};
	return s;
}

/* Publishes a view like the current one but with slice table 's' (NULL:
 * none) in slot 'slot', and syncs the queue manager to it if 'sync'.
 * Returns 0 or -1. */
static int
fx_publish_sync(struct fx *f, uint16_t slot, const struct dp_slice *s, bool sync)
{
	struct dp_view *v;

	if (f->nb_views == MAX_VIEWS)
		return -1;
	v = dp_view_clone(f->v);
	if (v == NULL)
		return -1;
	v->gen = f->v->gen + 1;
	v->slices[slot] = s;
	f->views[f->nb_views++] = v;
	f->v = v;
	if (sync)
		qm_sync(f->qm, v, f->st);
	return 0;
}

static int
fx_publish(struct fx *f, uint16_t slot, const struct dp_slice *s)
{
	return fx_publish_sync(f, slot, s, true);
}

/* Scribbles over a slice table that the view the queue manager has synced
 * to replaced: the queue manager must not read it any more. */
static void
fx_retire(struct dp_slice *s)
{
	memset(s->queues, 0xa5, sizeof(*s->queues) * s->nb_queues);
	memset(s->quantum, 0xa5, sizeof(s->quantum));
	s->buffers = 1;
}

/* Adds a flow of frames of 'len' bytes (0: mixed) to queue 'queue' of
 * slice table 's'; returns its index. */
static uint8_t
fx_flow(struct fx *f, const struct dp_slice *s, uint16_t queue, uint16_t len, bool backlog)
{
	RTE_VERIFY(f->nb_flows < MAX_FLOWS);
	f->flows[f->nb_flows] = (struct flow){
		.slice = s->slot,
		.queue = queue,
		.sched = s->queues[queue].sched,
		.len = len,
		.backlog = backlog,
		.last = -1,
	};
	return (uint8_t)f->nb_flows++;
}

/* The length of packet 'seq' of flow 'fl'. */
static uint16_t
flow_len(const struct flow *fl, uint32_t seq)
{
	return fl->len != 0 ? fl->len : mixed_len[seq % CU_DIM(mixed_len)];
}

/* The bytes of packets first..end-1 of flow 'fl'. */
static uint64_t
flow_bytes(const struct flow *fl, uint32_t first, uint32_t end)
{
	uint64_t b = 0;

	for (uint32_t seq = first; seq < end; seq++)
		b += flow_len(fl, seq);
	return b;
}

/* The next packet of flow 'fi', its metadata as demux leaves it on a
 * recycled mbuf: slice and binding set, the rest stale.  NULL if the pool
 * is empty. */
static struct rte_mbuf *
pkt_new(struct fx *f, uint8_t fi)
{
	struct flow *fl = &f->flows[fi];
	uint32_t tag[2] = { fi, fl->sent };
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct dp_meta *meta;
	char *data;

	if (m == NULL)
		return NULL;
	data = rte_pktmbuf_append(m, flow_len(fl, fl->sent));
	if (data == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(data, tag, sizeof(tag));
	meta = dp_meta(m);
	memset(meta, 0xa5, sizeof(*meta));
	meta->slice = fl->slice;
	meta->binding = 0;
	fl->sent++;
	return m;
}

/* Builds in pkts[] and fwd[] a burst of one packet of each flow
 * fis[0..n-1] (n at most SP_BURST).  Returns false if the pool ran out. */
static bool
fx_burst(struct fx *f, const uint8_t *fis, uint16_t n, struct rte_mbuf **pkts,
	 const struct dp_forward **fwd)
{
	RTE_VERIFY(n <= SP_BURST);
	if (f->dry)
		return false;
	for (uint16_t i = 0; i < n; i++) {
		pkts[i] = pkt_new(f, fis[i]);
		if (pkts[i] == NULL) {
			rte_pktmbuf_free_bulk(pkts, i);
			CU_FAIL("mbuf pool empty: the queue manager lost packets");
			f->dry = true;
			return false;
		}
		fwd[i] = &fwds[f->flows[fis[i]].queue];
	}
	return true;
}

/* Sends one packet of each flow fis[0..n-1] (all of one slice, n at most
 * SP_BURST) in one burst with the current view's table: to the queue
 * manager, or to its handoff ring.  Returns what the call returns. */
static uint16_t
fx_send(struct fx *f, const uint8_t *fis, uint16_t n, bool handoff)
{
	const struct dp_slice *s = f->v->slices[f->flows[fis[0]].slice];
	const struct dp_forward *fwd[SP_BURST];
	struct rte_mbuf *pkts[SP_BURST];

	if (!fx_burst(f, fis, n, pkts, fwd))
		return 0;
	if (handoff)
		return qm_handoff_burst(f->qm, s, pkts, fwd, n, f->st);
	return qm_enqueue_burst(f->qm, s, pkts, fwd, n, f->st);
}

/* Sends 'n' packets of flow 'fi' in bursts of SP_BURST; returns how many
 * were taken. */
static uint32_t
fx_send_flow(struct fx *f, uint8_t fi, uint32_t n, bool handoff)
{
	uint8_t fis[SP_BURST];
	uint32_t taken = 0;

	memset(fis, fi, sizeof(fis));
	while (n > 0) {
		uint16_t b = (uint16_t)RTE_MIN(n, (uint32_t)SP_BURST);

		taken += fx_send(f, fis, b, handoff);
		n -= b;
	}
	return taken;
}

/* Checks and frees one packet that scheduler 'sched' gave out. */
static void
fx_account(struct fx *f, unsigned int sched, struct rte_mbuf *m)
{
	uint32_t tag[2];
	struct flow *fl;

	memcpy(tag, rte_pktmbuf_mtod(m, void *), sizeof(tag));
	if (tag[0] >= f->nb_flows || tag[1] >= f->flows[tag[0]].sent ||
	    f->flows[tag[0]].sched != sched ||
	    rte_pktmbuf_pkt_len(m) != flow_len(&f->flows[tag[0]], tag[1])) {
		f->strays++;
		rte_pktmbuf_free(m);
		return;
	}
	fl = &f->flows[tag[0]];
	if ((int64_t)tag[1] <= fl->last)
		f->misordered++;
	fl->last = tag[1];
	fl->pkts++;
	fl->bytes += rte_pktmbuf_pkt_len(m) + f->p.sched[sched].overhead;
	rte_pktmbuf_free(m);
}

/* Dequeues up to 'max' (at most 2 * SP_BURST) packets from 'sched' at the
 * current time, accounts for them and frees them; returns how many. */
static uint16_t
fx_deq(struct fx *f, unsigned int sched, uint16_t max)
{
	struct rte_mbuf *out[4 * SP_BURST];
	uint16_t n;

	RTE_VERIFY(max <= 2 * SP_BURST);
	n = qm_dequeue_burst(f->qm, sched, f->now, out, max);
	if (n > max)
		f->overruns++;
	n = RTE_MIN(n, (uint16_t)CU_DIM(out));
	for (uint16_t i = 0; i < n; i++)
		fx_account(f, sched, out[i]);
	return n;
}

/* Sends one packet of each flow fis[0..n-1] (all of one slice) as the
 * worker does to scheduler 'sched' at the current time: what
 * qm_pass_burst() lets through is accounted for and freed as if dequeued,
 * the rest is queued.  Returns how many passed. */
static uint16_t
fx_pass(struct fx *f, unsigned int sched, const uint8_t *fis, uint16_t n)
{
	const struct dp_slice *s = f->v->slices[f->flows[fis[0]].slice];
	const struct dp_forward *fwd[SP_BURST];
	struct rte_mbuf *pkts[SP_BURST];
	uint32_t whole, bytes = 0;
	uint16_t passed;

	if (!fx_burst(f, fis, n, pkts, fwd))
		return 0;
	passed = qm_pass_burst(f->qm, s, sched, pkts, fwd, n, f->now, &whole);
	for (uint16_t i = 0; i < passed; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	/* 'whole' is their bytes when all n went, as the usual burst; a
	 * burst that passes whole the slow way may say 0. */
	if (whole != 0) {
		f->wholes++;
		if (passed != n || whole != bytes)
			f->wrong_whole++;
	}
	if (passed > n) {
		f->overruns++;
		passed = n;
	}
	for (uint16_t i = 0; i < passed; i++)
		fx_account(f, sched, pkts[i]);
	qm_enqueue_burst(f->qm, s, pkts + passed, fwd + passed, n - passed, f->st);
	return passed;
}

/* The counters of state slot 'slot', prefilled with junk. */
static struct qm_queue_stats
fx_queue(const struct fx *f, uint32_t slot)
{
	struct qm_queue_stats qs;

	memset(&qs, 0xa5, sizeof(qs));
	qm_queue_read(f->qm, slot, &qs);
	return qs;
}

/* Brings every backlogged flow's queue back to KEEP packets. */
static void
fx_topup(struct fx *f)
{
	for (unsigned int i = 0; i < f->nb_flows; i++) {
		const struct flow *fl = &f->flows[i];
		const struct dp_slice *s = f->v->slices[fl->slice];
		struct qm_queue_stats qs;

		if (!fl->backlog || s == NULL)
			continue;
		qs = fx_queue(f, s->queues[fl->queue].slot);
		if (qs.length_packets < KEEP)
			fx_send_flow(f, (uint8_t)i, (uint32_t)(KEEP - qs.length_packets), false);
	}
}

/* Keeps the backlogged flows topped up and dequeues bursts from 'sched',
 * 'step' TSC cycles apart, until 'nb' packets came out.  Returns false if
 * the scheduler stalled first. */
static bool
fx_run(struct fx *f, unsigned int sched, uint64_t step, uint64_t nb)
{
	uint64_t got = 0;
	unsigned int idle = 0;

	while (got < nb && idle < 1000 && !f->dry) {
		uint16_t n;

		fx_topup(f);
		f->now += step;
		n = fx_deq(f, sched, SP_BURST);
		got += n;
		idle = n != 0 ? 0 : idle + 1;
	}
	return got >= nb;
}

/* Every flow's dequeued bytes. */
static uint64_t
fx_bytes(const struct fx *f)
{
	uint64_t b = 0;

	for (unsigned int i = 0; i < f->nb_flows; i++)
		b += f->flows[i].bytes;
	return b;
}

/* Dequeues from 'sched' at the current time, keeping the backlogged flows
 * topped up, until it gives nothing; returns the bytes (with overhead)
 * that came out. */
static uint64_t
fx_drain_now(struct fx *f, unsigned int sched)
{
	uint64_t before = fx_bytes(f);
	unsigned int calls = 0;

	do
		fx_topup(f);
	while (fx_deq(f, sched, SP_BURST) != 0 && ++calls < 20000 && !f->dry);
	CU_EXPECT(calls < 20000, "scheduler %u never stops at one point in time", sched);
	return fx_bytes(f) - before;
}

/* Dequeues from a fast 'sched', without topping up and moving time on,
 * until it gives nothing a few times in a row. */
static void
fx_empty(struct fx *f, unsigned int sched)
{
	unsigned int idle = 0;

	while (idle < 4 && !f->dry) {
		f->now += FAST_STEP(f);
		idle = fx_deq(f, sched, SP_BURST) != 0 ? 0 : idle + 1;
	}
}

/* Drains the whole handoff ring; returns how many packets it held. */
static unsigned int
fx_drain_all(struct fx *f)
{
	unsigned int taken = 0, calls = 0, n;

	do {
		n = qm_handoff_drain(f->qm, &f->v, f->st);
		taken += n;
	} while (n != 0 && ++calls < 10000);
	return taken;
}

/* Forgets what came out so far (not the sequence numbers). */
static void
fx_reset_counts(struct fx *f)
{
	for (unsigned int i = 0; i < f->nb_flows; i++) {
		f->flows[i].pkts = 0;
		f->flows[i].bytes = 0;
	}
}

/* Checks that what came out was in order, sent and on its scheduler. */
static void
expect_clean(const struct fx *f, const char *ctx)
{
	CU_EXPECT(f->misordered == 0, "%s: %" PRIu64 " packet(s) out of FIFO order",
		  ctx, f->misordered);
	CU_EXPECT(f->strays == 0, "%s: %" PRIu64 " packet(s) never sent to that scheduler, "
		  "or changed", ctx, f->strays);
	CU_EXPECT(f->overruns == 0, "%s: %" PRIu64 " call(s) returned more than asked",
		  ctx, f->overruns);
	CU_EXPECT(f->wrong_whole == 0, "%s: %" PRIu64 " pass(es) said all of one forward "
		  "passed, wrongly or with the wrong bytes", ctx, f->wrong_whole);
}

/* Checks that 'part' of 'total' bytes is 'expected' within 1 point. */
static void
expect_share(uint64_t part, uint64_t total, double expected, const char *ctx,
	     const char *what)
{
	double share = total != 0 ? (double)part / (double)total : 0;
	double d = share - expected;

	CU_EXPECT(d <= 0.01 && d >= -0.01, "%s: %s has %.2f%% of the bytes, expected "
		  "%.2f%% +- 1", ctx, what, 100 * share, 100 * expected);
}

/* Checks a queue's counters. */
static void
expect_queue(const struct fx *f, uint32_t slot, uint64_t enqueued, uint64_t dequeued,
	     uint64_t dropped, uint64_t packets, uint64_t bytes, const char *ctx)
{
	struct qm_queue_stats qs = fx_queue(f, slot);
	char what[96];

	snprintf(what, sizeof(what), "%s: slot %" PRIu32, ctx, slot);
	CU_EXPECT_UINT(qs.enqueued, enqueued, what);
	CU_EXPECT_UINT(qs.dequeued, dequeued, what);
	CU_EXPECT_UINT(qs.dropped, dropped, what);
	CU_EXPECT_UINT(qs.length_packets, packets, what);
	CU_EXPECT_UINT(qs.length_bytes, bytes, what);
}

/* Checks the counters of every flow's queue, each flow having its own
 * queue, nothing dropped and everything in order so far. */
static void
expect_flow_queues(const struct fx *f, const char *ctx)
{
	uint64_t held[SP_MAX_SLICES] = { 0 };

	for (unsigned int i = 0; i < f->nb_flows; i++) {
		const struct flow *fl = &f->flows[i];
		const struct dp_slice *s = f->v->slices[fl->slice];

		expect_queue(f, s->queues[fl->queue].slot, fl->sent, fl->pkts, 0,
			     fl->sent - fl->pkts, flow_bytes(fl, (uint32_t)fl->pkts, fl->sent),
			     ctx);
		held[fl->slice] += fl->sent - fl->pkts;
	}
	for (unsigned int i = 0; i < f->nb_flows; i++)
		CU_EXPECT(qm_slice_buffers(f->qm, f->flows[i].slice) == held[f->flows[i].slice],
			  "%s: slice %u holds %" PRIu32 " mbufs, expected %" PRIu64, ctx,
			  f->flows[i].slice, qm_slice_buffers(f->qm, f->flows[i].slice),
			  held[f->flows[i].slice]);
}

/*
 * Parameters and helpers.
 */

static void
test_quantum(void)
{
	static const struct {
		const char *name;
		uint64_t out, rate;
		uint32_t quantum;
	} slices[] = {
		{ "all of the rate", 10 * GBPS, 10 * GBPS, QM_SLICE_QUANTUM_MAX },
		{ "half", 5 * GBPS, 10 * GBPS, QM_SLICE_QUANTUM_MAX / 2 },
		{ "a quarter of 100 Gb/s", 25 * GBPS, 100 * GBPS, QM_SLICE_QUANTUM_MAX / 4 },
		{ "a quarter of 400 Gb/s", 100 * GBPS, 400 * GBPS, QM_SLICE_QUANTUM_MAX / 4 },
		{ "1/128", 8 * MBPS, 1024 * MBPS, 512 },
		{ "1/512: the floor", 2 * MBPS, 1024 * MBPS, QM_QUANTUM_MIN },
		{ "a millionth: the floor", 1000, GBPS, QM_QUANTUM_MIN },
		{ "nothing reserved: best effort", 0, GBPS, 0 },
	};
	static const struct {
		uint32_t weight, quantum;
	} queues[] = {
		{ 1, QM_QUANTUM_PER_WEIGHT }, { 30, 30 * QM_QUANTUM_PER_WEIGHT },
		{ 100, 100 * QM_QUANTUM_PER_WEIGHT },
	};

	for (size_t i = 0; i < CU_DIM(slices); i++)
		CU_EXPECT_UINT(qm_slice_quantum(slices[i].out, slices[i].rate), slices[i].quantum,
			       slices[i].name);
	for (size_t i = 0; i < CU_DIM(queues); i++)
		CU_EXPECT_UINT(qm_queue_quantum(queues[i].weight), queues[i].quantum, "queue");
}

static void
test_create(void)
{
	static const struct qm_sched_params sched[] = {
		{ .port_id = 4, .rate_bps = 10 * GBPS, .overhead = 24 },
		{ .port_id = 0, .rate_bps = GBPS, .overhead = 20 },
		{ .port_id = 31, .rate_bps = 100 * MBPS },
	};
	struct qm_params p = { .nb_slots = NB_SLOTS, .nb_buffers = NB_BUFFERS,
			       .nb_scheds = SP_MAX_PORTS + 1 };
	struct qm *bad;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, sched, CU_DIM(sched)), 0);
	CU_EXPECT_UINT(qm_nb_scheds(f.qm), CU_DIM(sched), "schedulers");
	for (unsigned int k = 0; k < CU_DIM(sched); k++)
		CU_EXPECT_UINT(qm_sched_port(f.qm, k), sched[k].port_id, "port");
	fx_fini(&f);

	for (unsigned int k = 0; k < SP_MAX_PORTS; k++)
		p.sched[k] = (struct qm_sched_params){ .port_id = (uint16_t)k, .rate_bps = GBPS };
	errno = 0;
	bad = qm_create(&p);
	CU_EXPECT(bad == NULL, "more schedulers than SP_MAX_PORTS accepted");
	CU_EXPECT_INT(errno, EINVAL, "too many schedulers");
	qm_free(bad);

	/* The handoff ring holds nb_buffers: none is no ring. */
	p.nb_scheds = 1;
	p.nb_buffers = 0;
	errno = 0;
	bad = qm_create(&p);
	CU_EXPECT(bad == NULL, "nb_buffers 0 accepted");
	CU_EXPECT_INT(errno, EINVAL, "no buffers");
	qm_free(bad);
	qm_free(NULL);
}

/*
 * Case 1: FIFO order within a queue, and the counters.
 */
static void
test_fifo_counters(void)
{
	static const struct qspec qs[] = {
		{ .id = 11, .slot = 5, .weight = 10 },
		{ .id = 12, .slot = 6, .weight = 10 },
	};
	static const uint8_t mix[] = { 0, 1, 0, 0, 1, 1, 0, 1, 0, 1 };
	struct rte_mbuf *none[1];
	struct dp_slice *a;
	uint32_t total, got = 0;
	uint8_t f0, f1;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast, 1), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 0, qs, CU_DIM(qs));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	f.v->slices[SLOT_A] = a;
	f0 = fx_flow(&f, a, 0, 0, false);
	f1 = fx_flow(&f, a, 1, 0, false);
	RTE_VERIFY(f0 == 0 && f1 == 1);        /* mix[] names them so */

	CU_EXPECT_UINT(qm_enqueue_burst(f.qm, a, none, NULL, 0, f.st), 0, "empty burst");
	expect_flow_queues(&f, "nothing queued");
	CU_EXPECT_UINT(fx_send_flow(&f, f0, 7, false), 7, "burst 1");
	expect_flow_queues(&f, "after burst 1");
	CU_EXPECT_UINT(fx_send(&f, mix, CU_DIM(mix), false), CU_DIM(mix), "burst 2");
	expect_flow_queues(&f, "after burst 2");
	CU_EXPECT_UINT(fx_send_flow(&f, f1, 13, false), 13, "burst 3");
	expect_flow_queues(&f, "after burst 3");
	total = f.flows[f0].sent + f.flows[f1].sent;
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f.avail - total, "held");

	f.now += FAST_STEP(&f);
	CU_EXPECT_UINT(fx_deq(&f, 0, 0), 0, "max 0");
	while (got < total) {
		char ctx[48];
		uint16_t n;

		f.now += FAST_STEP(&f);
		n = fx_deq(&f, 0, 4);
		snprintf(ctx, sizeof(ctx), "dequeue after %u", got);
		CU_EXPECT_UINT(n, RTE_MIN(4u, total - got), ctx);
		if (n == 0)
			break;
		got += n;
		expect_flow_queues(&f, ctx);
	}
	f.now += FAST_STEP(&f);
	CU_EXPECT_UINT(fx_deq(&f, 0, SP_BURST), 0, "empty");
	CU_EXPECT_UINT(f.flows[f0].pkts, 12, "queue 0 out");
	CU_EXPECT_UINT(f.flows[f1].pkts, 18, "queue 1 out");
	expect_clean(&f, "FIFO");
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_QUEUE_FULL], 0, "no drop");
	fx_fini(&f);
}

/* Queues on different schedulers come out of their own scheduler only,
 * each at its own pace. */
static void
test_scheds_independent(void)
{
	static const struct qm_sched_params sched[] = {
		{ .port_id = 3, .rate_bps = 100 * GBPS },
		{ .port_id = 7, .rate_bps = 10 * MBPS, .overhead = 24 },
	};
	static const struct qspec qs[] = {
		{ .id = 11, .slot = 4, .weight = 1, .sched = 0 },
		{ .id = 12, .slot = 7, .weight = 1, .sched = 1 },
	};
	struct dp_slice *a;
	uint64_t b1;
	uint8_t f0, f1;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, sched, CU_DIM(sched)), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 0, qs, CU_DIM(qs));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	f.v->slices[SLOT_A] = a;
	f0 = fx_flow(&f, a, 0, 1000, false);
	f1 = fx_flow(&f, a, 1, 1000, false);
	CU_EXPECT_UINT(fx_send_flow(&f, f0, 20, false), 20, "queue on 0");
	CU_EXPECT_UINT(fx_send_flow(&f, f1, 20, false), 20, "queue on 1");

	f.now += f.hz / 1000;
	b1 = fx_drain_now(&f, 1);
	CU_EXPECT(b1 <= depth_bytes(sched[1].rate_bps) + 1024,
		  "scheduler 1 sent %" PRIu64 " bytes at once", b1);
	CU_EXPECT_UINT(f.flows[f0].pkts, 0, "scheduler 1 gave nothing of scheduler 0");
	fx_empty(&f, 0);
	CU_EXPECT_UINT(f.flows[f0].pkts, 20, "scheduler 0 gave all of its queue");
	CU_EXPECT(f.flows[f1].pkts < 20, "scheduler 0 gave scheduler 1's packets, "
		  "or scheduler 1 ignored its rate");
	for (unsigned int i = 0; i < 100 && f.flows[f1].pkts < 20; i++) {
		f.now += f.hz / 100;
		fx_drain_now(&f, 1);
	}
	CU_EXPECT_UINT(f.flows[f1].pkts, 20, "scheduler 1 gave all of its queue");
	expect_clean(&f, "two schedulers");
	fx_fini(&f);
}

/*
 * Case 2: tail drop.
 */
struct drop_case {
	const char *name;
	uint32_t buffers;               /* slice A's and B's; 0: no limit */
	uint32_t limit_packets[2];      /* A's queues; 0: no limit */
	uint32_t limit_bytes[2];
	uint16_t len;
	const char *burst;              /* each packet's queue of A: '0' or '1' */
	uint32_t queued[2];
	uint32_t dropped[2];
};

static const struct drop_case drop_cases[] = {
	{ "packet limit", 0, { 5, 0 }, { 0, 0 }, 100, "00000000", { 5, 0 }, { 3, 0 } },
	{ "packet limits, per queue", 0, { 2, 3 }, { 0, 0 }, 100, "0101010101",
	  { 2, 3 }, { 3, 2 } },
	{ "byte limit", 0, { 0, 0 }, { 3000, 0 }, 1000, "00000", { 3, 0 }, { 2, 0 } },
	{ "byte limit, the other queue free", 0, { 0, 0 }, { 3000, 0 }, 1000, "000001111",
	  { 3, 4 }, { 2, 0 } },
	{ "slice buffers, shared", 6, { 0, 0 }, { 0, 0 }, 100, "00001111", { 4, 2 },
	  { 0, 2 } },
	{ "slice buffers, interleaved", 6, { 0, 0 }, { 0, 0 }, 100, "01010101", { 3, 3 },
	  { 1, 1 } },
	{ "slice buffers below the queue limit", 4, { 10, 10 }, { 0, 0 }, 100, "000000",
	  { 4, 0 }, { 2, 0 } },
	{ "one buffer", 1, { 0, 0 }, { 0, 0 }, 100, "10", { 0, 1 }, { 1, 0 } },
};

static void
run_drop_case(const struct drop_case *c)
{
	const struct qspec qa[] = {
		{ .id = 11, .slot = 1, .weight = 1, .limit_packets = c->limit_packets[0],
		  .limit_bytes = c->limit_bytes[0] },
		{ .id = 12, .slot = 2, .weight = 1, .limit_packets = c->limit_packets[1],
		  .limit_bytes = c->limit_bytes[1] },
	};
	const struct qspec qb[] = { { .id = 21, .slot = 3, .weight = 1 } };
	uint32_t nb_b = c->buffers != 0 ? c->buffers : 8;
	uint32_t queued = c->queued[0] + c->queued[1];
	uint8_t fa[2], fb, fis[SP_BURST], one;
	uint16_t n = (uint16_t)strlen(c->burst);
	struct dp_slice *a, *b;
	char ctx[96];
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast, 1), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, c->buffers, qa, CU_DIM(qa));
	b = fx_slice(&f, SLOT_B, OUT_FULL, c->buffers, qb, CU_DIM(qb));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	f.v->slices[SLOT_A] = a;
	f.v->slices[SLOT_B] = b;
	fa[0] = fx_flow(&f, a, 0, c->len, false);
	fa[1] = fx_flow(&f, a, 1, c->len, false);
	fb = fx_flow(&f, b, 0, c->len, false);
	for (uint16_t i = 0; i < n; i++)
		fis[i] = fa[c->burst[i] - '0'];

	CU_EXPECT_UINT(fx_send(&f, fis, n, false), queued, c->name);
	for (unsigned int q = 0; q < 2; q++) {
		snprintf(ctx, sizeof(ctx), "%s: queue %u", c->name, q);
		expect_queue(&f, qa[q].slot, c->queued[q], 0, c->dropped[q], c->queued[q],
			     (uint64_t)c->queued[q] * c->len, ctx);
	}
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_QUEUE_FULL],
		       c->dropped[0] + c->dropped[1], c->name);
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_A), queued, c->name);
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f.avail - queued, c->name);

	/* The other slice has its own buffers. */
	snprintf(ctx, sizeof(ctx), "%s: other slice", c->name);
	CU_EXPECT_UINT(fx_send_flow(&f, fb, nb_b, false), nb_b, ctx);
	expect_queue(&f, qb[0].slot, nb_b, 0, 0, nb_b, (uint64_t)nb_b * c->len, ctx);
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_B][DP_SLICE_DROP_QUEUE_FULL], 0, ctx);
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_B), nb_b, ctx);

	/* What was queued is the head of what was sent to each queue. */
	fx_empty(&f, 0);
	snprintf(ctx, sizeof(ctx), "%s: dequeued", c->name);
	for (unsigned int q = 0; q < 2; q++) {
		CU_EXPECT_UINT(f.flows[fa[q]].pkts, c->queued[q], ctx);
		CU_EXPECT_INT(f.flows[fa[q]].last, (int64_t)c->queued[q] - 1, ctx);
		expect_queue(&f, qa[q].slot, c->queued[q], c->queued[q], c->dropped[q], 0, 0,
			     ctx);
	}
	CU_EXPECT_UINT(f.flows[fb].pkts, nb_b, ctx);
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_A), 0, ctx);
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_B), 0, ctx);
	expect_clean(&f, ctx);

	/* Dequeuing gave the room back. */
	snprintf(ctx, sizeof(ctx), "%s: room again", c->name);
	one = fa[c->burst[0] - '0'];
	CU_EXPECT_UINT(fx_send(&f, &one, 1, false), 1, ctx);
	fx_fini(&f);
}

static void
test_tail_drop(void)
{
	for (size_t i = 0; i < CU_DIM(drop_cases); i++)
		run_drop_case(&drop_cases[i]);
}

/*
 * Cases 3 and 4: WDRR among a slice's queues, and work conservation.
 */
struct wdrr_case {
	const char *name;
	uint32_t weight[5];
	uint16_t len[5];                /* 0: mixed */
	uint8_t idle;                   /* bit i: queue i gets no packet */
};

static const struct wdrr_case wdrr_cases[] = {
	{ "30/25/20/15/10, 200..1000 B", { 30, 25, 20, 15, 10 },
	  { 200, 400, 600, 800, 1000 }, 0 },
	{ "30/25/20/15/10, 1000..200 B", { 30, 25, 20, 15, 10 },
	  { 1000, 800, 600, 400, 200 }, 0 },
	{ "30/25/20/15/10, mixed sizes", { 30, 25, 20, 15, 10 }, { 0, 0, 0, 0, 0 }, 0 },
	{ "packets larger than the quanta", { 1, 2, 3, 1, 1 }, { 1500, 64, 700, 1400, 300 },
	  0 },
	{ "work conserving: 20 idle", { 30, 25, 20, 15, 10 }, { 200, 400, 600, 800, 1000 },
	  1u << 2 },
	{ "work conserving: 30 and 10 idle", { 30, 25, 20, 15, 10 },
	  { 200, 400, 600, 800, 1000 }, 1u << 0 | 1u << 4 },
	{ "work conserving: one left", { 30, 25, 20, 15, 10 }, { 200, 400, 600, 800, 1000 },
	  0x1e },
};

static void
run_wdrr_case(const struct wdrr_case *c)
{
	struct qspec qs[5];
	uint32_t wsum = 0;
	uint64_t total;
	struct dp_slice *a;
	char ctx[96];
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast24, 1), 0);
	for (unsigned int i = 0; i < 5; i++) {
		qs[i] = (struct qspec){ .id = 31 + i, .slot = 10 + i, .weight = c->weight[i] };
		if (!(c->idle & 1u << i))
			wsum += c->weight[i];
	}
	a = fx_slice(&f, SLOT_A, OUT_FULL, 0, qs, 5);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	f.v->slices[SLOT_A] = a;
	for (unsigned int i = 0; i < 5; i++)
		fx_flow(&f, a, (uint16_t)i, c->len[i], !(c->idle & 1u << i));

	CU_EXPECT(fx_run(&f, 0, FAST_STEP(&f), 20000), "%s: stalled", c->name);
	total = fx_bytes(&f);
	for (unsigned int i = 0; i < 5; i++) {
		snprintf(ctx, sizeof(ctx), "queue %u (weight %" PRIu32 ")", i, c->weight[i]);
		if (c->idle & 1u << i)
			CU_EXPECT_UINT(f.flows[i].pkts, 0, c->name);
		else
			expect_share(f.flows[i].bytes, total, (double)c->weight[i] / wsum,
				     c->name, ctx);
	}
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_QUEUE_FULL], 0, c->name);
	expect_clean(&f, c->name);
	fx_fini(&f);
}

static void
test_wdrr_queues(void)
{
	for (size_t i = 0; i < CU_DIM(wdrr_cases); i++)
		run_wdrr_case(&wdrr_cases[i]);
}

/*
 * Case 5: WDRR among slices by reserved bandwidth.  Slice A has two queues
 * (weights 10 and 30), B and Z one each; Z reserves nothing.
 */
#define SHARE_SMALL (-1.0)     /* expected share: none (best effort) */

struct slices_case {
	const char *name;
	uint64_t out[3];                /* A, B, Z */
	uint8_t idle;                   /* bit 0: A, 1: B, 2: Z get no packet */
	double share[3];                /* of the bytes, or SHARE_SMALL */
};

static const struct slices_case slices_cases[] = {
	{ "3:1", { 30 * GBPS, 10 * GBPS, 0 }, 1u << 2, { 0.75, 0.25, 0 } },
	{ "3:1, small reservations", { 3 * GBPS, 1 * GBPS, 0 }, 1u << 2, { 0.75, 0.25, 0 } },
	{ "3:1, all of the rate", { 75 * GBPS, 25 * GBPS, 0 }, 1u << 2, { 0.75, 0.25, 0 } },
	{ "1:1", { 20 * GBPS, 20 * GBPS, 0 }, 1u << 2, { 0.5, 0.5, 0 } },
	{ "3:1 and a slice that reserved nothing", { 30 * GBPS, 10 * GBPS, 0 }, 0,
	  { 0.75, 0.25, SHARE_SMALL } },
	{ "one reserved slice and one that reserved nothing", { 30 * GBPS, 10 * GBPS, 0 },
	  1u << 0, { 0, 1, SHARE_SMALL } },
	{ "the slice that reserved nothing alone", { 30 * GBPS, 10 * GBPS, 0 },
	  1u << 0 | 1u << 1, { 0, 0, 1 } },
};

static void
run_slices_case(const struct slices_case *c)
{
	static const struct qspec qa[] = {
		{ .id = 11, .slot = 1, .weight = 10 }, { .id = 12, .slot = 2, .weight = 30 },
	};
	static const struct qspec qb[] = { { .id = 21, .slot = 3, .weight = 1 } };
	static const struct qspec qz[] = { { .id = 31, .slot = 4, .weight = 1 } };
	static const char *const names[] = { "slice A", "slice B", "slice Z" };
	struct dp_slice *s[3];
	uint64_t bytes[3], total;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast24, 1), 0);
	s[0] = fx_slice(&f, SLOT_A, c->out[0], 0, qa, CU_DIM(qa));
	s[1] = fx_slice(&f, SLOT_B, c->out[1], 0, qb, CU_DIM(qb));
	s[2] = fx_slice(&f, SLOT_Z, c->out[2], 0, qz, CU_DIM(qz));
	for (unsigned int i = 0; i < 3; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(s[i]);
		f.v->slices[s[i]->slot] = s[i];
	}
	fx_flow(&f, s[0], 0, 300, !(c->idle & 1u));
	fx_flow(&f, s[0], 1, 1200, !(c->idle & 1u));
	fx_flow(&f, s[1], 0, 700, !(c->idle & 2u));
	fx_flow(&f, s[2], 0, 500, !(c->idle & 4u));

	CU_EXPECT(fx_run(&f, 0, FAST_STEP(&f), 30000), "%s: stalled", c->name);
	bytes[0] = f.flows[0].bytes + f.flows[1].bytes;
	bytes[1] = f.flows[2].bytes;
	bytes[2] = f.flows[3].bytes;
	total = bytes[0] + bytes[1] + bytes[2];
	for (unsigned int i = 0; i < 3; i++) {
		if (c->idle & 1u << i)
			CU_EXPECT_UINT(bytes[i], 0, c->name);
		else if (c->share[i] == SHARE_SMALL)
			CU_EXPECT(bytes[i] == 0, "%s: %s has %.2f%% of the bytes, "
				  "expected none while reserved slices are busy", c->name,
				  names[i], 100.0 * (double)bytes[i] / (double)total);
		else
			expect_share(bytes[i], total, c->share[i], c->name, names[i]);
	}
	if (!(c->idle & 1u))
		expect_share(f.flows[1].bytes, bytes[0], 0.75, c->name,
			     "slice A's weight-30 queue, of A's bytes,");
	expect_clean(&f, c->name);
	fx_fini(&f);
}

static void
test_wdrr_slices(void)
{
	for (size_t i = 0; i < CU_DIM(slices_cases); i++)
		run_slices_case(&slices_cases[i]);
}

/*
 * Case 6: pacing.
 */
struct pace_case {
	const char *name;
	uint64_t rate;
	uint16_t len;                   /* 0: mixed */
	uint64_t step_div;              /* steps of hz / step_div */
	uint64_t secs;
};

static const struct pace_case pace_cases[] = {
	{ "10 Mb/s, 1000 B, 5 ms steps", 10 * MBPS, 1000, 200, 10 },
	{ "10 Mb/s, 64 B, 5 ms steps", 10 * MBPS, 64, 200, 4 },
	{ "10 Mb/s, 1000 B, 7.6 us steps", 10 * MBPS, 1000, 131071, 4 },
	{ "100 Mb/s, mixed sizes, 1 ms steps", 100 * MBPS, 0, 1000, 4 },
	{ "100 Mb/s, 1500 B, 0.1 ms steps", 100 * MBPS, 1500, 10000, 4 },
	{ "1 Mb/s, 200 B, 20 ms steps (within the 4096 B depth)", 1 * MBPS, 200, 50, 40 },
	{ "1 Gb/s, 1500 B, 1 ms steps", GBPS, 1500, 1000, 4 },
};

static void
run_pace_case(const struct pace_case *c)
{
	const struct qm_sched_params sched = { .port_id = 1, .rate_bps = c->rate,
					       .overhead = 24 };
	static const struct qspec qs[] = { { .id = 11, .slot = 1, .weight = 1 } };
	uint64_t depth = depth_bytes(c->rate);
	uint64_t maxcost = (c->len != 0 ? c->len : 1500) + 24;
	uint64_t b, max_burst = 0, step, end, total;
	double expected, err;
	struct dp_slice *a;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &sched, 1), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 0, qs, CU_DIM(qs));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	f.v->slices[SLOT_A] = a;
	fx_flow(&f, a, 0, c->len, true);

	/* No time elapsed: at most the saved depth. */
	b = fx_drain_now(&f, 0);
	CU_EXPECT(b <= depth + maxcost, "%s: %" PRIu64 " bytes at creation time, depth %"
		  PRIu64, c->name, b, depth);

	step = f.hz / c->step_div;
	end = f.start + c->secs * f.hz;
	while (f.now + step <= end) {
		f.now += step;
		b = fx_drain_now(&f, 0);
		max_burst = RTE_MAX(max_burst, b);
	}
	total = fx_bytes(&f);
	expected = (double)c->rate / 8 * (double)(f.now - f.start) / (double)f.hz;
	err = ((double)total - expected) / expected;
	CU_EXPECT(err <= 0.01 && err >= -0.01, "%s: %" PRIu64 " bytes in %.3f s, expected "
		  "%.0f (%+.2f%%)", c->name, total, (double)(f.now - f.start) / (double)f.hz,
		  expected, 100 * err);
	CU_EXPECT(max_burst <= depth + maxcost, "%s: a burst of %" PRIu64 " bytes, depth %"
		  PRIu64, c->name, max_burst, depth);
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_QUEUE_FULL], 0, c->name);
	expect_clean(&f, c->name);
	fx_fini(&f);
}

static void
test_pacing_rate(void)
{
	for (size_t i = 0; i < CU_DIM(pace_cases); i++)
		run_pace_case(&pace_cases[i]);
}

struct idle_case {
	const char *name;
	uint64_t rate;
	uint16_t len;
	bool poll;                      /* dequeue from the empty queue meanwhile */
	bool busy_first;                /* backlogged for 100 ms before */
};

static const struct idle_case idle_cases[] = {
	{ "1 Mb/s: the 4096 B floor", 1 * MBPS, 200, false, false },
	{ "1 Mb/s, polled while idle", 1 * MBPS, 200, true, false },
	{ "10 Mb/s", 10 * MBPS, 1000, false, false },
	{ "10 Mb/s, busy, then idle", 10 * MBPS, 1000, true, true },
	{ "100 Mb/s, polled while idle", 100 * MBPS, 1500, true, false },
	{ "1 Gb/s, busy, then idle", GBPS, 1500, true, true },
};

static void
run_idle_case(const struct idle_case *c)
{
	const struct qm_sched_params sched = { .port_id = 1, .rate_bps = c->rate,
					       .overhead = 24 };
	static const struct qspec qs[] = { { .id = 11, .slot = 1, .weight = 1 } };
	uint64_t depth = depth_bytes(c->rate);
	uint64_t cost = c->len + 24, b, idle_from;
	unsigned int polled = 0;
	struct dp_slice *a;
	struct flow *fl;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &sched, 1), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 0, qs, CU_DIM(qs));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	f.v->slices[SLOT_A] = a;
	fl = &f.flows[fx_flow(&f, a, 0, c->len, c->busy_first)];

	if (c->busy_first) {
		for (unsigned int i = 0; i < 100; i++) {
			f.now += f.hz / 1000;
			fx_drain_now(&f, 0);
		}
		fl->backlog = false;
		for (unsigned int i = 0; i < 1000 && fl->pkts < fl->sent; i++) {
			f.now += f.hz / 1000;
			fx_drain_now(&f, 0);
		}
		CU_EXPECT_UINT(fl->pkts, fl->sent, c->name);
	}
	idle_from = f.now;
	if (c->poll)
		for (unsigned int k = 1; k < 10; k++) {
			f.now = idle_from + k * f.hz / 10;
			polled += fx_deq(&f, 0, SP_BURST);
		}
	CU_EXPECT_UINT(polled, 0, c->name);

	f.now = idle_from + f.hz;
	fl->backlog = true;
	b = fx_drain_now(&f, 0);
	CU_EXPECT(b + cost >= depth && b <= depth + cost, "%s: %" PRIu64 " bytes after "
		  "1 s idle, expected the depth, %" PRIu64 ", within a packet", c->name, b,
		  depth);
	fx_topup(&f);
	CU_EXPECT_UINT(fx_deq(&f, 0, SP_BURST), 0, c->name);
	expect_clean(&f, c->name);
	fx_fini(&f);
}

static void
test_pacing_idle(void)
{
	for (size_t i = 0; i < CU_DIM(idle_cases); i++)
		run_idle_case(&idle_cases[i]);
}

/*
 * Case 7: qm_sync().  Slice A has queues q0, q1, q2 (10 packets each),
 * slice B one queue (10 packets); the new view changes A.
 */
enum sync_change {
	SYNC_SAME,                      /* a new table with the same queues */
	SYNC_REMOVE_Q1,                 /* q1 gone; q2 now at index 1 */
	SYNC_NEW_ID_Q1,                 /* q1 gone; a new queue in its slot */
	SYNC_REWEIGHT_Q1,               /* q1's weight changes */
	SYNC_SLICE_GONE,                /* A gone */
};

struct sync_case {
	const char *name;
	enum sync_change change;
	uint16_t before;                /* packets dequeued before the change */
	bool flushed[3];
};

static const struct sync_case sync_cases[] = {
	{ "same queues, new table", SYNC_SAME, 0, { false, false, false } },
	{ "same queues, new table, mid-round", SYNC_SAME, 5, { false, false, false } },
	{ "queue removed", SYNC_REMOVE_Q1, 0, { false, true, false } },
	{ "queue removed, mid-round", SYNC_REMOVE_Q1, 5, { false, true, false } },
	{ "queue replaced in its slot", SYNC_NEW_ID_Q1, 0, { false, true, false } },
	{ "queue replaced in its slot, mid-round", SYNC_NEW_ID_Q1, 5,
	  { false, true, false } },
	{ "weight changed", SYNC_REWEIGHT_Q1, 5, { false, false, false } },
	{ "slice removed", SYNC_SLICE_GONE, 0, { true, true, true } },
	{ "slice removed, mid-round", SYNC_SLICE_GONE, 5, { true, true, true } },
};

static void
run_sync_case(const struct sync_case *c)
{
	static const struct qspec qa[] = {
		{ .id = 11, .slot = 4, .weight = 1 },
		{ .id = 12, .slot = 7, .weight = 1 },
		{ .id = 13, .slot = 9, .weight = 1 },
	};
	static const struct qspec qb[] = { { .id = 21, .slot = 12, .weight = 1 } };
	const struct qspec remove[] = { qa[0], qa[2] };
	const struct qspec new_id[] = { qa[0], { .id = 14, .slot = 7, .weight = 1 }, qa[2] };
	const struct qspec reweight[] = { qa[0], { .id = 12, .slot = 7, .weight = 4 }, qa[2] };
	uint32_t remaining[3], kept = 0, flushed = 0, rem_b;
	struct dp_slice *a, *b, *a2 = NULL;
	uint8_t fa[3], fb, fn = 0;
	char ctx[96];
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast, 1), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 0, qa, CU_DIM(qa));
	b = fx_slice(&f, SLOT_B, OUT_FULL, 0, qb, CU_DIM(qb));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	f.v->slices[SLOT_A] = a;
	f.v->slices[SLOT_B] = b;
	for (unsigned int i = 0; i < 3; i++) {
		fa[i] = fx_flow(&f, a, (uint16_t)i, 200, false);
		CU_EXPECT_UINT(fx_send_flow(&f, fa[i], 10, false), 10, c->name);
	}
	fb = fx_flow(&f, b, 0, 300, false);
	CU_EXPECT_UINT(fx_send_flow(&f, fb, 10, false), 10, c->name);
	f.now += FAST_STEP(&f);
	if (c->before != 0)
		CU_EXPECT_UINT(fx_deq(&f, 0, c->before), c->before, c->name);
	for (unsigned int i = 0; i < 3; i++) {
		remaining[i] = 10 - (uint32_t)f.flows[fa[i]].pkts;
		if (c->flushed[i])
			flushed += remaining[i];
		else
			kept += remaining[i];
	}
	rem_b = 10 - (uint32_t)f.flows[fb].pkts;

	switch (c->change) {
	case SYNC_SAME:
		a2 = fx_slice(&f, SLOT_A, OUT_FULL, 0, qa, CU_DIM(qa));
		break;
	case SYNC_REMOVE_Q1:
		a2 = fx_slice(&f, SLOT_A, OUT_FULL, 0, remove, CU_DIM(remove));
		f.flows[fa[2]].queue = 1;
		break;
	case SYNC_NEW_ID_Q1:
		a2 = fx_slice(&f, SLOT_A, OUT_FULL, 0, new_id, CU_DIM(new_id));
		break;
	case SYNC_REWEIGHT_Q1:
		a2 = fx_slice(&f, SLOT_A, OUT_FULL, 0, reweight, CU_DIM(reweight));
		break;
	case SYNC_SLICE_GONE:
		break;
	}
	CU_ASSERT_FATAL(c->change == SYNC_SLICE_GONE || a2 != NULL);
	CU_ASSERT_EQUAL_FATAL(fx_publish(&f, SLOT_A, a2), 0);
	fx_retire(a);

	CU_EXPECT_UINT(qm_synced_gen(f.qm), f.v->gen, c->name);
	for (unsigned int i = 0; i < 3; i++) {
		uint32_t out = (uint32_t)f.flows[fa[i]].pkts;

		snprintf(ctx, sizeof(ctx), "%s: q%u after the sync", c->name, i);
		if (c->flushed[i])
			expect_queue(&f, qa[i].slot, 10, out, remaining[i], 0, 0, ctx);
		else
			expect_queue(&f, qa[i].slot, 10, out, 0, remaining[i],
				     200ull * remaining[i], ctx);
	}
	expect_queue(&f, qb[0].slot, 10, 10 - rem_b, 0, rem_b, 300ull * rem_b, c->name);
	/* A removed slice's packets are the node's: its slot's counters go to
	 * the next slice in it (stats.h, 'orphaned'). */
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_FLUSHED],
		       c->change == SYNC_SLICE_GONE ? 0 : flushed, c->name);
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_B][DP_SLICE_DROP_FLUSHED], 0, c->name);
	CU_EXPECT_UINT(f.st->node_drops[DP_NODE_DROP_ORPHANED],
		       c->change == SYNC_SLICE_GONE ? flushed : 0, c->name);
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_A), kept, c->name);
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_B), rem_b, c->name);
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f.avail - kept - rem_b, c->name);

	/* The kept queues take more, behind what they hold, under the new
	 * table; a queue new in a flushed queue's slot starts empty. */
	for (unsigned int i = 0; i < 3 && a2 != NULL; i++) {
		if (c->flushed[i])
			continue;
		snprintf(ctx, sizeof(ctx), "%s: q%u takes more", c->name, i);
		CU_EXPECT_UINT(fx_send_flow(&f, fa[i], 2, false), 2, ctx);
		CU_EXPECT_UINT(fx_queue(&f, qa[i].slot).length_packets, remaining[i] + 2, ctx);
	}
	if (c->change == SYNC_NEW_ID_Q1) {
		fn = fx_flow(&f, a2, 1, 250, false);
		CU_EXPECT_UINT(fx_send_flow(&f, fn, 3, false), 3, c->name);
		expect_queue(&f, 7, 13, f.flows[fa[1]].pkts, remaining[1], 3, 750,
			     "the new queue in q1's slot");
	}

	fx_empty(&f, 0);
	for (unsigned int i = 0; i < 3; i++) {
		snprintf(ctx, sizeof(ctx), "%s: q%u out", c->name, i);
		CU_EXPECT_UINT(f.flows[fa[i]].pkts, c->flushed[i] ? 10 - remaining[i] : 12, ctx);
	}
	CU_EXPECT_UINT(f.flows[fb].pkts, 10, c->name);
	if (c->change == SYNC_NEW_ID_Q1)
		CU_EXPECT_UINT(f.flows[fn].pkts, 3, "the new queue in q1's slot");
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_A), 0, c->name);
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_QUEUE_FULL], 0, c->name);
	expect_clean(&f, c->name);
	fx_fini(&f);
}

static void
test_sync(void)
{
	for (size_t i = 0; i < CU_DIM(sync_cases); i++)
		run_sync_case(&sync_cases[i]);
}

/* New weights and reservations take effect at the sync, keeping the
 * packets. */
static void
test_sync_reweight(void)
{
	static const struct qspec qa[] = {
		{ .id = 11, .slot = 1, .weight = 10 }, { .id = 12, .slot = 2, .weight = 30 },
	};
	static const struct qspec qa2[] = {
		{ .id = 11, .slot = 1, .weight = 30 }, { .id = 12, .slot = 2, .weight = 10 },
	};
	static const struct qspec qb[] = { { .id = 21, .slot = 3, .weight = 1 } };
	struct dp_slice *a, *b, *a2, *b2;
	uint64_t total, in_a, held[3];
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast24, 1), 0);
	a = fx_slice(&f, SLOT_A, 30 * GBPS, 0, qa, CU_DIM(qa));
	b = fx_slice(&f, SLOT_B, 10 * GBPS, 0, qb, CU_DIM(qb));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	f.v->slices[SLOT_A] = a;
	f.v->slices[SLOT_B] = b;
	fx_flow(&f, a, 0, 500, true);
	fx_flow(&f, a, 1, 500, true);
	fx_flow(&f, b, 0, 500, true);

	CU_EXPECT(fx_run(&f, 0, FAST_STEP(&f), 20000), "before: stalled");
	total = fx_bytes(&f);
	in_a = f.flows[0].bytes + f.flows[1].bytes;
	expect_share(in_a, total, 0.75, "before", "slice A");
	expect_share(f.flows[1].bytes, in_a, 0.75, "before", "A's weight-30 queue, of A's,");

	a2 = fx_slice(&f, SLOT_A, 10 * GBPS, 0, qa2, CU_DIM(qa2));
	b2 = fx_slice(&f, SLOT_B, 30 * GBPS, 0, qb, CU_DIM(qb));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b2);
	for (unsigned int i = 0; i < 3; i++)
		held[i] = fx_queue(&f, i + 1).length_packets;
	CU_ASSERT_EQUAL_FATAL(fx_publish(&f, SLOT_A, a2), 0);
	CU_ASSERT_EQUAL_FATAL(fx_publish(&f, SLOT_B, b2), 0);
	fx_retire(a);
	fx_retire(b);
	CU_EXPECT_UINT(qm_synced_gen(f.qm), 2, "synced to the second view");
	for (unsigned int i = 0; i < 3; i++)
		CU_EXPECT_UINT(fx_queue(&f, i + 1).length_packets, held[i], "kept across the sync");

	fx_reset_counts(&f);
	CU_EXPECT(fx_run(&f, 0, FAST_STEP(&f), 20000), "after: stalled");
	total = fx_bytes(&f);
	in_a = f.flows[0].bytes + f.flows[1].bytes;
	expect_share(in_a, total, 0.25, "after", "slice A");
	expect_share(f.flows[0].bytes, in_a, 0.75, "after", "A's new weight-30 queue, of A's,");
	for (unsigned int i = 0; i < 3; i++)
		CU_EXPECT_UINT(fx_queue(&f, i + 1).dropped, 0, "nothing dropped");
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_FLUSHED], 0, "A");
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_B][DP_SLICE_DROP_FLUSHED], 0, "B");
	expect_clean(&f, "reweight");
	fx_fini(&f);
}

/*
 * Case 8: handoff.  Slice A has q0 and q1, slice B one queue.  q1 holds 3
 * packets queued directly; 10 of A (5 each for q0 and q1) and 4 of B are
 * handed over; then the view changes, the owner syncs and drains.
 */
enum handoff_change { HO_SAME, HO_REMOVE_Q1, HO_NEW_ID_Q1, HO_SLICE_GONE };

struct handoff_case {
	const char *name;
	enum handoff_change change;
	uint32_t len[2];                /* A's queues after the drain */
	uint32_t flushed;               /* of slice A */
	uint32_t orphaned;              /* at the sync and at the drain */
};

static const struct handoff_case handoff_cases[] = {
	{ "same view", HO_SAME, { 5, 8 }, 0, 0 },
	{ "queue removed", HO_REMOVE_Q1, { 5, 0 }, 3 + 5, 0 },
	{ "queue replaced in its slot", HO_NEW_ID_Q1, { 5, 0 }, 3 + 5, 0 },
	{ "slice removed", HO_SLICE_GONE, { 0, 0 }, 0, 3 + 10 },
};

static void
run_handoff_case(const struct handoff_case *c)
{
	static const struct qspec qa[] = {
		{ .id = 11, .slot = 4, .weight = 1 }, { .id = 12, .slot = 7, .weight = 1 },
	};
	static const struct qspec qa_remove[] = { { .id = 11, .slot = 4, .weight = 1 } };
	static const struct qspec qa_new_id[] = {
		{ .id = 11, .slot = 4, .weight = 1 }, { .id = 14, .slot = 7, .weight = 1 },
	};
	static const struct qspec qb[] = { { .id = 21, .slot = 12, .weight = 1 } };
	static const uint8_t mix[] = { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 };
	struct dp_slice *a, *b, *a2 = NULL;
	uint8_t fb;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast, 1), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 0, qa, CU_DIM(qa));
	b = fx_slice(&f, SLOT_B, OUT_FULL, 0, qb, CU_DIM(qb));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	f.v->slices[SLOT_A] = a;
	f.v->slices[SLOT_B] = b;
	fx_flow(&f, a, 0, 200, false);
	fx_flow(&f, a, 1, 200, false);
	fb = fx_flow(&f, b, 0, 300, false);
	RTE_VERIFY(fb == 2);                   /* mix[] names A's flows 0 and 1 */

	CU_EXPECT_UINT(fx_send_flow(&f, 1, 3, false), 3, c->name);
	CU_EXPECT_UINT(fx_send(&f, mix, CU_DIM(mix), true), CU_DIM(mix), c->name);
	CU_EXPECT_UINT(fx_send_flow(&f, fb, 4, true), 4, c->name);
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_QUEUE_FULL], 0, c->name);
	CU_EXPECT_UINT(fx_queue(&f, qa[0].slot).length_packets, 0,
		       "handed over, not yet queued");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f.avail - 17, c->name);

	switch (c->change) {
	case HO_SAME:
		break;
	case HO_REMOVE_Q1:
		a2 = fx_slice(&f, SLOT_A, OUT_FULL, 0, qa_remove, CU_DIM(qa_remove));
		CU_ASSERT_PTR_NOT_NULL_FATAL(a2);
		CU_ASSERT_EQUAL_FATAL(fx_publish(&f, SLOT_A, a2), 0);
		fx_retire(a);
		break;
	case HO_NEW_ID_Q1:
		a2 = fx_slice(&f, SLOT_A, OUT_FULL, 0, qa_new_id, CU_DIM(qa_new_id));
		CU_ASSERT_PTR_NOT_NULL_FATAL(a2);
		CU_ASSERT_EQUAL_FATAL(fx_publish(&f, SLOT_A, a2), 0);
		fx_retire(a);
		break;
	case HO_SLICE_GONE:
		CU_ASSERT_EQUAL_FATAL(fx_publish(&f, SLOT_A, NULL), 0);
		fx_retire(a);
		break;
	}
	CU_EXPECT_UINT(fx_drain_all(&f), 14, c->name);

	CU_EXPECT_UINT(fx_queue(&f, qa[0].slot).length_packets, c->len[0], c->name);
	CU_EXPECT_UINT(fx_queue(&f, qa[1].slot).length_packets, c->len[1], c->name);
	CU_EXPECT_UINT(fx_queue(&f, qb[0].slot).length_packets, 4, c->name);
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_A), c->len[0] + c->len[1], c->name);
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_B), 4, c->name);
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_FLUSHED], c->flushed, c->name);
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_B][DP_SLICE_DROP_FLUSHED], 0, c->name);
	CU_EXPECT_UINT(f.st->node_drops[DP_NODE_DROP_ORPHANED], c->orphaned, c->name);
	CU_EXPECT_UINT(rte_mempool_avail_count(pool),
		       f.avail - c->len[0] - c->len[1] - 4, c->name);

	fx_empty(&f, 0);
	CU_EXPECT_UINT(f.flows[0].pkts, c->len[0], c->name);
	CU_EXPECT_UINT(f.flows[1].pkts, c->len[1], c->name);
	CU_EXPECT_UINT(f.flows[fb].pkts, 4, c->name);
	expect_clean(&f, c->name);
	fx_fini(&f);
}

static void
test_handoff(void)
{
	for (size_t i = 0; i < CU_DIM(handoff_cases); i++)
		run_handoff_case(&handoff_cases[i]);
}

/* What does not fit in the ring is freed and counted as queue_full.  The
 * ring holds nb_buffers, what every slice's reservation adds up to at most;
 * this slice's reservation does not bind. */
static void
test_handoff_ring_full(void)
{
	static const struct qspec qa[] = { { .id = 11, .slot = 4, .weight = 1 } };
	const uint32_t sent = NB_BUFFERS + 64;
	struct dp_slice *a;
	uint32_t handed;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast, 1), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 0, qa, CU_DIM(qa));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	f.v->slices[SLOT_A] = a;
	fx_flow(&f, a, 0, 100, false);

	handed = fx_send_flow(&f, 0, sent, true);
	CU_EXPECT_UINT(handed, NB_BUFFERS, "handed over, ring of NB_BUFFERS");
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_QUEUE_FULL], sent - handed,
		       "ring full");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f.avail - handed, "ring full");

	CU_EXPECT_UINT(fx_drain_all(&f), handed, "drained");
	CU_EXPECT_UINT(fx_queue(&f, qa[0].slot).length_packets, handed, "queued");
	CU_EXPECT_UINT(fx_send_flow(&f, 0, 5, true), 5, "room again");
	fx_empty(&f, 0);
	CU_EXPECT_UINT(f.flows[0].pkts, handed, "dequeued");
	expect_clean(&f, "ring full");
	fx_fini(&f);
}

/*
 * Packets in the handoff ring count against their slice's buffer
 * reservation, as queued ones do: a slice that floods the ring is refused
 * at its reservation, and another slice's packets still go in.  Before,
 * the ring was shared first come, first served, and one slice could fill
 * it for all.
 */
static void
test_handoff_reservation(void)
{
	static const struct qspec qa[] = { { .id = 11, .slot = 4, .weight = 1 } };
	static const struct qspec qb[] = { { .id = 21, .slot = 9, .weight = 1 } };
	struct dp_slice *a, *b;
	uint8_t fa, fb;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast, 1), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 100, qa, CU_DIM(qa));
	b = fx_slice(&f, SLOT_B, OUT_FULL, 50, qb, CU_DIM(qb));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	f.v->slices[SLOT_A] = a;
	f.v->slices[SLOT_B] = b;
	fa = fx_flow(&f, a, 0, 100, false);
	fb = fx_flow(&f, b, 0, 100, false);

	/* In the ring: A is held at its 100, B still gets its 40 in. */
	CU_EXPECT_UINT(fx_send_flow(&f, fa, 300, true), 100, "A into the ring");
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_QUEUE_FULL], 200, "A refused");
	CU_EXPECT_UINT(fx_send_flow(&f, fb, 40, true), 40, "B beside a full A");
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_B][DP_SLICE_DROP_QUEUE_FULL], 0, "B refused");

	/* Queued: the same reservation, now held in the queues. */
	CU_EXPECT_UINT(fx_drain_all(&f), 140, "drained");
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_A), 100, "A queued");
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_B), 40, "B queued");
	CU_EXPECT_UINT(fx_send_flow(&f, fa, 10, true), 0, "A's queue holds its reservation");
	CU_EXPECT_UINT(fx_send_flow(&f, fb, 20, true), 10, "B up to its 50");
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_B][DP_SLICE_DROP_QUEUE_FULL], 10, "B refused");
	CU_EXPECT_UINT(fx_drain_all(&f), 10, "drained again");

	/* Sent, the reservation is free again. */
	fx_empty(&f, 0);
	CU_EXPECT_UINT(f.flows[fa].pkts, 100, "A sent");
	CU_EXPECT_UINT(f.flows[fb].pkts, 50, "B sent");
	CU_EXPECT_UINT(fx_send_flow(&f, fa, 5, true), 5, "A has room again");
	CU_EXPECT_UINT(fx_drain_all(&f), 5, "drained at last");
	fx_empty(&f, 0);
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_QUEUE_FULL], 210, "A refused");
	expect_clean(&f, "reservation");
	fx_fini(&f);
}

/*
 * Another worker hands packets over under a view that the owner has not
 * synced to yet (it loaded the one before at the start of its round):
 * their queue is new in that view.  Draining syncs to the newest view
 * first, so they are queued, not flushed.
 */
static void
test_handoff_newer_view(void)
{
	static const struct qspec qa[] = { { .id = 11, .slot = 4, .weight = 1 } };
	struct dp_slice *bare, *a;
	uint8_t fi;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast, 1), 0);
	bare = fx_slice(&f, SLOT_A, OUT_FULL, 0, NULL, 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 0, qa, CU_DIM(qa));
	CU_ASSERT_PTR_NOT_NULL_FATAL(bare);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL_FATAL(fx_publish(&f, SLOT_A, bare), 0);
	CU_ASSERT_EQUAL_FATAL(fx_publish_sync(&f, SLOT_A, a, false), 0);
	fi = fx_flow(&f, a, 0, 100, false);

	CU_EXPECT_UINT(fx_send_flow(&f, fi, 5, true), 5, "handed over under the new view");
	CU_EXPECT_UINT(fx_drain_all(&f), 5, "drained");
	CU_EXPECT_UINT(qm_synced_gen(f.qm), f.v->gen, "synced to the newest view");
	CU_EXPECT_UINT(fx_queue(&f, qa[0].slot).length_packets, 5, "queued");
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_FLUSHED], 0, "none flushed");
	fx_empty(&f, 0);
	CU_EXPECT_UINT(f.flows[fi].pkts, 5, "dequeued");
	expect_clean(&f, "newer view");
	fx_fini(&f);
}

/*
 * Case 9: qm_free() frees what is queued and what is in the ring.
 */
static void
test_free_with_packets(void)
{
	static const struct qspec qa[] = {
		{ .id = 11, .slot = 4, .weight = 1 }, { .id = 12, .slot = 7, .weight = 3 },
	};
	static const struct qspec qb[] = { { .id = 21, .slot = 12, .weight = 1 } };
	struct dp_slice *a, *b;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, &fast24, 1), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 0, qa, CU_DIM(qa));
	b = fx_slice(&f, SLOT_B, OUT_FULL, 0, qb, CU_DIM(qb));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	f.v->slices[SLOT_A] = a;
	f.v->slices[SLOT_B] = b;
	fx_flow(&f, a, 0, 0, false);
	fx_flow(&f, a, 1, 0, false);
	fx_flow(&f, b, 0, 0, false);
	CU_EXPECT_UINT(fx_send_flow(&f, 0, 40, false), 40, "queued");
	CU_EXPECT_UINT(fx_send_flow(&f, 1, 30, false), 30, "queued");
	CU_EXPECT_UINT(fx_send_flow(&f, 2, 20, false), 20, "queued");
	f.now += FAST_STEP(&f);
	CU_EXPECT_UINT(fx_deq(&f, 0, 7), 7, "some out");
	CU_EXPECT_UINT(fx_send_flow(&f, 1, 25, true), 25, "handed over");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f.avail - (90 - 7 + 25), "held");

	qm_free(f.qm);
	f.qm = NULL;
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f.avail,
		       "qm_free gave back what was queued and handed over");
	qm_free(NULL);
	expect_clean(&f, "free");
	fx_fini(&f);
}

/*
 * Case 10: qm_pass_burst(), packets passing a scheduler with nothing queued.
 */

/* Sets up f with the 'nb' schedulers sched[] and slice A with the 'nb_qs'
 * queues qs[], a flow of 'len'-byte frames to each. */
static void
fx_pass_init(struct fx *f, const struct qm_sched_params *sched, unsigned int nb,
	     const struct qspec *qs, uint32_t nb_qs, uint16_t len)
{
	struct dp_slice *a;

	CU_ASSERT_EQUAL_FATAL(fx_init(f, sched, nb), 0);
	a = fx_slice(f, SLOT_A, OUT_FULL, 0, qs, nb_qs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	f->v->slices[SLOT_A] = a;
	for (uint32_t i = 0; i < nb_qs; i++)
		fx_flow(f, a, (uint16_t)i, len, false);
}

/* An idle scheduler with credit lets a whole burst through, counted on
 * each queue as in and out at once. */
static void
test_pass_idle(void)
{
	static const struct qspec qs[] = {
		{ .id = 11, .slot = 5, .weight = 1 }, { .id = 12, .slot = 6, .weight = 1 },
	};
	uint8_t fis[SP_BURST];
	struct fx f;

	fx_pass_init(&f, &fast24, 1, qs, CU_DIM(qs), 0);
	for (unsigned int i = 0; i < SP_BURST; i++)
		fis[i] = i % 5 < 3 ? 0 : 1;     /* runs of 3 and 2: 20 and 12 */

	f.now += FAST_STEP(&f);
	CU_EXPECT_UINT(fx_pass(&f, 0, fis, SP_BURST), SP_BURST, "idle");
	expect_queue(&f, qs[0].slot, 20, 20, 0, 0, 0, "idle");
	expect_queue(&f, qs[1].slot, 12, 12, 0, 0, 0, "idle");
	CU_EXPECT_UINT(qm_slice_buffers(f.qm, SLOT_A), 0, "idle");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f.avail, "nothing held");
	CU_EXPECT_UINT(fx_pass(&f, 0, fis, SP_BURST), SP_BURST, "again, same time");
	CU_EXPECT_UINT(f.wholes, 0, "two forwards: not whole");
	/* The usual burst, one forward's: its bytes come back with it. */
	memset(fis, 0, sizeof(fis));
	CU_EXPECT_UINT(fx_pass(&f, 0, fis, SP_BURST), SP_BURST, "one forward");
	CU_EXPECT_UINT(f.wholes, 1, "one forward: whole");
	CU_EXPECT_UINT(fx_deq(&f, 0, SP_BURST), 0, "nothing queued");
	expect_flow_queues(&f, "idle");
	expect_clean(&f, "idle");
	fx_fini(&f);
}

/* A packet queued on the scheduler, in another slice or in the slice's
 * other queue, stops the pass until it has gone. */
static void
test_pass_backlog(void)
{
	static const struct qspec qa[] = {
		{ .id = 11, .slot = 1, .weight = 1 }, { .id = 12, .slot = 2, .weight = 1 },
	};
	static const struct qspec qb[] = { { .id = 21, .slot = 3, .weight = 1 } };
	static const uint8_t four[] = { 0, 0, 0, 0 };   /* to A's queue 0 */
	uint8_t waiting[2];                             /* B's flow, A's queue 1 */
	struct dp_slice *b;
	char ctx[64];
	struct fx f;

	fx_pass_init(&f, &fast, 1, qa, CU_DIM(qa), 200);
	b = fx_slice(&f, SLOT_B, OUT_FULL, 0, qb, CU_DIM(qb));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	f.v->slices[SLOT_B] = b;
	waiting[0] = fx_flow(&f, b, 0, 300, false);
	waiting[1] = 1;

	f.now += FAST_STEP(&f);
	for (unsigned int k = 0; k < 2; k++) {
		snprintf(ctx, sizeof(ctx), "%s holds a packet", k == 0 ? "slice B" : "queue 1");
		CU_EXPECT_UINT(fx_send_flow(&f, waiting[k], 1, false), 1, ctx);
		CU_EXPECT_UINT(fx_pass(&f, 0, four, 4), 0, ctx);
		expect_queue(&f, qa[0].slot, 8 * k + 4, 8 * k, 0, 4, 800, ctx);
		fx_empty(&f, 0);
		CU_EXPECT_UINT(fx_pass(&f, 0, four, 4), 4, ctx);
	}
	expect_flow_queues(&f, "backlog");
	expect_clean(&f, "backlog");
	fx_fini(&f);
}

/* Only the burst's leading run for the scheduler passes. */
static void
test_pass_scheds(void)
{
	static const struct qm_sched_params sched[] = {
		{ .port_id = 0, .rate_bps = 100 * GBPS }, { .port_id = 1, .rate_bps = 100 * GBPS },
	};
	static const struct qspec qs[] = {
		{ .id = 11, .slot = 1, .weight = 1 }, { .id = 12, .slot = 2, .weight = 1 },
		{ .id = 13, .slot = 3, .weight = 1, .sched = 1 },
	};
	static const uint8_t burst[] = { 0, 0, 0, 1, 1, 2, 2, 0, 0, 0 };
	static const uint8_t led_by_1[] = { 2, 2, 0, 0 };
	struct fx f;

	fx_pass_init(&f, sched, CU_DIM(sched), qs, CU_DIM(qs), 200);
	f.now += FAST_STEP(&f);
	CU_EXPECT_UINT(fx_pass(&f, 0, burst, CU_DIM(burst)), 5, "scheduler 0's run");
	expect_queue(&f, qs[0].slot, 6, 3, 0, 3, 600, "queue 0, after the run");
	expect_queue(&f, qs[1].slot, 2, 2, 0, 0, 0, "queue 1, in the run");
	expect_queue(&f, qs[2].slot, 2, 0, 0, 2, 400, "queue 2, on scheduler 1");
	fx_empty(&f, 0);
	fx_empty(&f, 1);
	CU_EXPECT_UINT(fx_pass(&f, 0, led_by_1, 4), 0, "led by scheduler 1's packets");
	fx_empty(&f, 0);
	fx_empty(&f, 1);
	CU_EXPECT_UINT(fx_pass(&f, 1, led_by_1, 4), 2, "scheduler 1's run");
	fx_empty(&f, 0);
	expect_flow_queues(&f, "two schedulers");
	expect_clean(&f, "two schedulers");
	fx_fini(&f);
}

/* What an empty queue would refuse does not pass: a frame over its byte
 * limit, or any frame once the slice holds all its buffers (here on
 * another scheduler).  Queued instead, both are tail drops. */
static void
test_pass_refused(void)
{
	static const struct qm_sched_params sched[] = {
		{ .port_id = 0, .rate_bps = 100 * GBPS }, { .port_id = 1, .rate_bps = 100 * GBPS },
	};
	static const struct qspec qs[] = {
		{ .id = 11, .slot = 1, .weight = 1, .limit_bytes = 100 },
		{ .id = 12, .slot = 2, .weight = 1 },
		{ .id = 13, .slot = 3, .weight = 1, .sched = 1 },
	};
	static const uint8_t to_q0[] = { 0 }, to_q1[] = { 1 };
	struct dp_slice *a;
	struct fx f;

	CU_ASSERT_EQUAL_FATAL(fx_init(&f, sched, CU_DIM(sched)), 0);
	a = fx_slice(&f, SLOT_A, OUT_FULL, 1, qs, CU_DIM(qs));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	f.v->slices[SLOT_A] = a;
	for (uint16_t q = 0; q < CU_DIM(qs); q++)
		fx_flow(&f, a, q, 200, false);
	f.now += FAST_STEP(&f);

	CU_EXPECT_UINT(fx_pass(&f, 0, to_q0, 1), 0, "over limit_bytes");
	expect_queue(&f, qs[0].slot, 0, 0, 1, 0, 0, "over limit_bytes");
	CU_EXPECT_UINT(fx_send_flow(&f, 2, 1, false), 1, "the one buffer, on scheduler 1");
	CU_EXPECT_UINT(fx_pass(&f, 0, to_q1, 1), 0, "no buffer left");
	expect_queue(&f, qs[1].slot, 0, 0, 1, 0, 0, "no buffer left");
	CU_EXPECT_UINT(f.st->slice_drops[SLOT_A][DP_SLICE_DROP_QUEUE_FULL], 2, "queue_full");
	fx_empty(&f, 1);
	CU_EXPECT_UINT(fx_pass(&f, 0, to_q1, 1), 1, "the buffer back");
	expect_queue(&f, qs[1].slot, 1, 1, 1, 0, 0, "the buffer back");
	expect_clean(&f, "refused");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f.avail, "nothing held");
	fx_fini(&f);
}

/* TSC cycles a scheduler of 'rate' bit/s takes to earn 'bytes'. */
static uint64_t
fx_cycles(const struct fx *f, uint64_t rate, uint64_t bytes)
{
	return bytes * 8 * f->hz / rate;
}

/* The pacing cases of the pass: a 1 Mbit/s scheduler that counts 24 bytes
 * of framing a packet, one queue on it, and 200-byte frames. */
static const struct qm_sched_params pass_slow = { .port_id = 1, .rate_bps = MBPS,
						  .overhead = 24 };
static const struct qspec pass_q[] = { { .id = 11, .slot = 1, .weight = 1 } };
#define PASS_LEN 200
#define PASS_COST (PASS_LEN + 24)

/* Packets pass while the credit is above 0, the last one taking it below,
 * as qm_dequeue_burst() does; the queue then waits until the rate has paid
 * that back.  Idle, the credit stops at the depth. */
static void
test_pass_pacing(void)
{
	const uint64_t cost = PASS_COST, depth = depth_bytes(MBPS);
	const uint32_t fit = (uint32_t)((depth + cost - 1) / cost);  /* find credit > 0 */
	const uint64_t owed = fit * cost - depth;       /* bytes below 0 after them */
	uint8_t fis[SP_BURST] = { 0 };
	uint64_t t;
	struct fx f;

	fx_pass_init(&f, &pass_slow, 1, pass_q, CU_DIM(pass_q), PASS_LEN);
	/* Idle 1 s, polled, then 1 s more: the depth, not 2 s of rate. */
	f.now += f.hz;
	CU_EXPECT_UINT(fx_deq(&f, 0, SP_BURST), 0, "idle");
	f.now += f.hz;
	CU_EXPECT_UINT(fx_pass(&f, 0, fis, SP_BURST), fit, "the depth's worth");
	expect_queue(&f, pass_q[0].slot, SP_BURST, fit, 0, SP_BURST - fit,
		     (uint64_t)PASS_LEN * (SP_BURST - fit), "the rest queued");
	CU_EXPECT_UINT(fx_deq(&f, 0, SP_BURST), 0, "credit spent");
	t = f.now;
	f.now = t + fx_cycles(&f, MBPS, owed - 8);
	CU_EXPECT_UINT(fx_deq(&f, 0, SP_BURST), 0, "not yet paid back");
	f.now = t + fx_cycles(&f, MBPS, owed + 8);
	CU_EXPECT_UINT(fx_deq(&f, 0, SP_BURST), 1, "paid back: one packet");
	for (unsigned int i = 0; i < 100 && qm_slice_buffers(f.qm, SLOT_A) != 0; i++) {
		f.now += f.hz / 100;
		fx_drain_now(&f, 0);
	}
	expect_queue(&f, pass_q[0].slot, SP_BURST, SP_BURST, 0, 0, 0, "drained");
	CU_EXPECT_UINT(rte_mempool_avail_count(pool), f.avail, "nothing held");
	expect_clean(&f, "pacing");
	fx_fini(&f);
}

/* A burst of one flow that the credit covers passes in one step
 * (qm_pass_whole()), charged as packet by packet: what passes next is what
 * the rest of the credit covers, the framing overhead included. */
static void
test_pass_whole(void)
{
	const uint64_t cost = PASS_COST, depth = depth_bytes(MBPS);
	const uint32_t first = 8;
	/* The packets that find credit > 0 after the first burst's. */
	const uint32_t rest = (uint32_t)((depth - first * cost + cost - 1) / cost);
	uint8_t fis[SP_BURST] = { 0 };
	struct fx f;

	CU_ASSERT_FATAL(first * cost < depth && first + rest < SP_BURST);
	fx_pass_init(&f, &pass_slow, 1, pass_q, CU_DIM(pass_q), PASS_LEN);
	f.now += f.hz;
	CU_EXPECT_UINT(fx_pass(&f, 0, fis, first), first, "one flow's burst");
	expect_queue(&f, pass_q[0].slot, first, first, 0, 0, 0, "one flow's burst");
	CU_EXPECT_UINT(fx_pass(&f, 0, fis, SP_BURST), rest, "the rest of the credit");
	for (unsigned int i = 0; i < 100 && qm_slice_buffers(f.qm, SLOT_A) != 0; i++) {
		f.now += f.hz / 100;
		fx_drain_now(&f, 0);
	}
	expect_queue(&f, pass_q[0].slot, first + SP_BURST, first + SP_BURST, 0, 0, 0, "drained");
	expect_flow_queues(&f, "whole");
	expect_clean(&f, "whole");
	fx_fini(&f);
}

/* Each flow keeps its order as it passes, waits behind its queued
 * packets, and passes again. */
static void
test_pass_order(void)
{
	static const struct qm_sched_params slow = { .port_id = 1, .rate_bps = MBPS };
	static const struct qspec qs[] = {
		{ .id = 11, .slot = 1, .weight = 1 }, { .id = 12, .slot = 2, .weight = 1 },
	};
	uint8_t fis[SP_BURST];
	struct fx f;

	fx_pass_init(&f, &slow, 1, qs, CU_DIM(qs), 200);
	for (unsigned int i = 0; i < SP_BURST; i++)
		fis[i] = i % 2;

	/* The 4096 B depth covers 20 packets; the 21st starts with 96 B. */
	f.now += f.hz;
	CU_EXPECT_UINT(fx_pass(&f, 0, fis, SP_BURST), 21, "credit for some");
	expect_flow_queues(&f, "some passed");
	/* Credit again, but packets waiting: the next burst queues behind. */
	f.now += f.hz / 100;
	CU_EXPECT_UINT(fx_pass(&f, 0, fis, SP_BURST), 0, "behind the queued");
	expect_flow_queues(&f, "behind the queued");
	for (unsigned int i = 0; i < 100 && qm_slice_buffers(f.qm, SLOT_A) != 0; i++) {
		f.now += f.hz / 100;
		fx_drain_now(&f, 0);
	}
	f.now += f.hz;
	CU_EXPECT_UINT(fx_pass(&f, 0, fis, 8), 8, "passing again");
	for (unsigned int i = 0; i < 2; i++)
		CU_EXPECT_INT(f.flows[i].last, (int64_t)f.flows[i].sent - 1, "flow's last");
	expect_flow_queues(&f, "all out");
	expect_clean(&f, "pass and queue");
	fx_fini(&f);
}

static const struct cu_case params_suite[] = {
	CU_CASE(test_quantum),
	CU_CASE(test_create),
};

static const struct cu_case queue_suite[] = {
	CU_CASE(test_fifo_counters),
	CU_CASE(test_scheds_independent),
	CU_CASE(test_tail_drop),
	CU_CASE(test_free_with_packets),
};

static const struct cu_case sched_suite[] = {
	CU_CASE(test_wdrr_queues),
	CU_CASE(test_wdrr_slices),
	CU_CASE(test_pacing_rate),
	CU_CASE(test_pacing_idle),
};

static const struct cu_case pass_suite[] = {
	CU_CASE(test_pass_idle),
	CU_CASE(test_pass_backlog),
	CU_CASE(test_pass_scheds),
	CU_CASE(test_pass_refused),
	CU_CASE(test_pass_pacing),
	CU_CASE(test_pass_whole),
	CU_CASE(test_pass_order),
};

static const struct cu_case sync_suite[] = {
	CU_CASE(test_sync),
	CU_CASE(test_sync_reweight),
	CU_CASE(test_handoff),
	CU_CASE(test_handoff_ring_full),
	CU_CASE(test_handoff_reservation),
	CU_CASE(test_handoff_newer_view),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("dataplane/qm: parameters", qm_suite_init, qm_suite_clean, params_suite),
	CU_SUITE("dataplane/qm: queues", qm_suite_init, qm_suite_clean, queue_suite),
	CU_SUITE("dataplane/qm: scheduling", qm_suite_init, qm_suite_clean, sched_suite),
	CU_SUITE("dataplane/qm: pass", qm_suite_init, qm_suite_clean, pass_suite),
	CU_SUITE("dataplane/qm: sync and handoff", qm_suite_init, qm_suite_clean, sync_suite),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
