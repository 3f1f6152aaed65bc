/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * qm_compare: why slicepath schedules with its own queue manager
 * (dataplane/qm.h) rather than DPDK's rte_sched.
 *
 * Runs the same synthetic load through both, entirely in memory: no ports,
 * one mbuf pool, every offered queue kept backlogged by putting each
 * dequeued packet straight back on the queue it came from.  Two
 * measurements per scheduler and scenario:
 *
 *  - shares: QC_PACED_S of wall-clock time on a link of QC_LINK_BPS.  Both
 *    schedulers are configured for that rate and pace themselves from the
 *    TSC.  The link is a NIC with a tx ring of QC_RING_US: the scheduler is
 *    asked for a burst only when the ring has room, and link time the ring
 *    runs dry is lost, so that if this process is preempted both
 *    schedulers lose the same.  Reports each queue's share of the dequeued
 *    wire bytes (frame + 24), and what part of the run the process ran.
 *  - cost: cycles per packet for dequeue + enqueue at a rate no core
 *    reaches (QC_FAST_BPS; qm is handed a clock that moves a second per
 *    burst).  rte_rdtsc() times each window of QC_WINDOW bursts; a run is
 *    QC_WINDOWS windows and yields its median window, which preemption of
 *    this process does not sway; the result is the median of QC_REPS runs.
 *
 * Run with EAL arguments only, e.g.
 *   qm_compare --no-huge -m 512 --no-pci --log-level lib.eal:error
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_sched.h>

#include "dataplane/meta.h"
#include "dataplane/qm.h"
#include "dataplane/stats.h"
#include "dataplane/tables.h"
#include "pm/passthrough/passthrough.h"

#define QC_LINK_BPS 1000000000ull       /* the link of the share runs */
#define QC_FAST_BPS 400000000000ull     /* the rate of the cost runs */
#define QC_PACED_S 1.0                  /* length of a share run */
#define QC_RING_US 1000                 /* NIC tx ring, in time at the link rate */
#define QC_WINDOW 64                    /* bursts per timed window */
#define QC_WINDOWS 1000                 /* windows per cost run */
#define QC_REPS 5                       /* cost runs, of which the median */
#define QC_OVERHEAD 24                  /* wire bytes besides the frame */
#define QC_DEPTH 32                     /* packets kept in each offered queue */
#define QC_QSIZE 64                     /* rte_sched queue size (power of 2) */
#define QC_BURST 32
#define QC_MTU 1500
#define QC_TB_MS 10                     /* rte_sched buckets hold this long */
#define QC_TC_PERIOD_MS 10
#define QC_MAX_SLICES 64
#define QC_MAX_QUEUES 5                 /* per slice */
#define QC_MAX_FLOWS 256
#define QC_POOL_SIZE 16383

/* The schedulers under test. */
enum qc_kind {
	QC_QM,          /* slicepath's qm: a class per slice, its queues in it */
	QC_PIPES,       /* rte_sched (a): a pipe per queue, rate = its share */
	QC_WRR,         /* rte_sched (b): a pipe per slice, queues as BE WRR */
	QC_KINDS
};

static const char *const qc_kind_name[QC_KINDS] = {
	"qm", "rte_sched (a)", "rte_sched (b)",
};

/* A load: nb_slices slices of nb_queues queues each, queue q of every
 * slice having weight[q] and frames of frame[q] bytes. */
struct qc_scenario {
	const char *title;
	uint32_t nb_slices;
	uint32_t nb_queues;
	const uint32_t *weight;
	const uint32_t *frame;
	int32_t idle;                   /* queue offered nothing, or -1 */
	bool shares;                    /* measure shares as well as cost */
};

static const uint32_t qc_spp_weight[] = { 30, 25, 20, 15, 10 };
static const uint32_t qc_spp_frame[] = { 200, 400, 600, 800, 1000 };
static const uint32_t qc_equal_weight[] = { 1, 1, 1, 1 };
static const uint32_t qc_min_frame[] = { 64, 64, 64, 64 };

static const struct qc_scenario qc_scenarios[] = {
	{ "1. SPP Figure 7: one slice, five weighted queues, all backlogged",
	  1, 5, qc_spp_weight, qc_spp_frame, -1, true },
	{ "2. Work conservation: the same with queue 3 (weight 15) idle",
	  1, 5, qc_spp_weight, qc_spp_frame, 3, true },
	{ "3. Many slices: 64 slices x 4 queues, equal reservations, 64-byte frames",
	  64, 4, qc_equal_weight, qc_min_frame, -1, false },
};

/* One scheduler loaded with one scenario. */
struct qc_sched {
	const struct qc_scenario *sc;
	enum qc_kind kind;
	struct qm *qm;                  /* QC_QM */
	struct dp_slice *slice[QC_MAX_SLICES];
	struct dp_lcore_stats *st;
	struct dp_forward fwd[QC_MAX_QUEUES];   /* fwd[q].queue = q */
	struct rte_sched_port *port;    /* QC_PIPES, QC_WRR */
	uint64_t lost;                  /* packets refused: must stay 0 */
};

/* What the runs of one scheduler measured. */
struct qc_result {
	uint64_t bytes[QC_MAX_FLOWS];   /* wire bytes dequeued, by flow */
	double seconds;                 /* length of the share run */
	double cpu;                     /* part of it the process ran */
	double cycles;                  /* per packet, median of the cost runs */
};

static struct rte_mempool *qc_pool;

/* Whether kind k carries queue q of scenario sc: not if q is the idle
 * one, nor if rte_sched has no WRR queue left for it. */
static bool
qc_carried(const struct qc_scenario *sc, enum qc_kind k, uint32_t q)
{
	return (int32_t)q != sc->idle && (k != QC_WRR || q < RTE_SCHED_BE_QUEUES_PER_PIPE);
}

/* Sets up x->qm at 'bps' with a class per slice, each reserving an equal
 * part of the rate, holding the scenario's queues and weights.  Returns 0
 * or -ENOMEM, leaving what it made for qc_destroy(). */
static int
qc_qm_create(struct qc_sched *x, uint64_t bps)
{
	const struct qc_scenario *sc = x->sc;
	struct qm_params p = {
		.socket = (int)rte_socket_id(), .nb_slots = sc->nb_slices * sc->nb_queues,
		.nb_scheds = 1, .sched[0] = { .rate_bps = bps, .overhead = QC_OVERHEAD },
	};

	x->st = rte_zmalloc("qc_stats", sizeof(*x->st), RTE_CACHE_LINE_SIZE);
	x->qm = qm_create(&p);
	if (x->st == NULL || x->qm == NULL)
		return -ENOMEM;
	for (uint32_t s = 0; s < sc->nb_slices; s++) {
		struct dp_slice *t = dp_slice_alloc((uint16_t)s, &pm_passthrough_ops,
						    0, 0, sc->nb_queues);

		if (t == NULL)
			return -ENOMEM;
		x->slice[s] = t;
		t->buffers = UINT32_MAX;
		t->quantum[0] = qm_slice_quantum(bps / sc->nb_slices, bps);
		for (uint32_t q = 0; q < sc->nb_queues; q++) {
			uint32_t flow = s * sc->nb_queues + q;

			t->queues[q] = (struct dp_queue){
				.id = flow + 1, .slot = flow,
				.quantum = qm_queue_quantum(sc->weight[q]),
				.limit_packets = UINT32_MAX, .limit_bytes = UINT32_MAX,
			};
		}
	}
	return 0;
}

/* Sets up x->port at 'bps' with one subport and either (QC_PIPES) a pipe
 * per queue whose token-bucket rate is the queue's share of its slice's
 * part of the rate, or (QC_WRR) a pipe per slice at the slice's part, the
 * queue weights as its WRR weights.  Only the best-effort class is used.
 * Returns 0 or -EINVAL (rte_sched logs why). */
static int
qc_rte_create(struct qc_sched *x, uint64_t bps)
{
	const struct qc_scenario *sc = x->sc;
	bool pipes = x->kind == QC_PIPES;
	uint64_t rate = bps / 8;        /* rte_sched counts bytes per second */
	uint32_t nb_pipes = pipes ? sc->nb_slices * sc->nb_queues : sc->nb_slices;
	uint32_t nb_profiles = pipes ? sc->nb_queues : 1;
	uint32_t wsum = 0;
	int rc;
	struct rte_sched_pipe_params pp[QC_MAX_QUEUES];
	struct rte_sched_subport_profile_params spp = {
		.tb_rate = rate, .tb_size = rate * QC_TB_MS / 1000,
		.tc_period = QC_TC_PERIOD_MS,
	};
	struct rte_sched_subport_params sp = {
		.n_pipes_per_subport_enabled = rte_align32pow2(nb_pipes),
		.pipe_profiles = pp, .n_pipe_profiles = nb_profiles,
		.n_max_pipe_profiles = nb_profiles,
	};
	struct rte_sched_port_params port = {
		.name = "qc_port", .socket = (int)rte_socket_id(), .rate = rate,
		.mtu = QC_MTU, .frame_overhead = QC_OVERHEAD, .n_subports_per_port = 1,
		.subport_profiles = &spp, .n_subport_profiles = 1,
		.n_max_subport_profiles = 1,
		.n_pipes_per_subport = sp.n_pipes_per_subport_enabled,
	};

	for (unsigned int tc = 0; tc < RTE_SCHED_TRAFFIC_CLASSES_PER_PIPE; tc++)
		spp.tc_rate[tc] = rate;
	sp.qsize[RTE_SCHED_TRAFFIC_CLASS_BE] = QC_QSIZE;
	for (uint32_t q = 0; q < sc->nb_queues; q++)
		wsum += sc->weight[q];
	memset(pp, 0, sizeof(pp));
	for (uint32_t i = 0; i < nb_profiles; i++) {
		uint64_t r = rate / sc->nb_slices * (pipes ? sc->weight[i] : wsum) / wsum;

		pp[i].tb_rate = r;
		pp[i].tb_size = r * QC_TB_MS / 1000;
		pp[i].tc_rate[RTE_SCHED_TRAFFIC_CLASS_BE] = r;
		pp[i].tc_period = QC_TC_PERIOD_MS;
		pp[i].tc_ov_weight = 1;
		for (uint32_t q = 0; q < RTE_SCHED_BE_QUEUES_PER_PIPE; q++)
			pp[i].wrr_weights[q] = (uint8_t)(q < sc->nb_queues ? sc->weight[q] : 1);
	}
	x->port = rte_sched_port_config(&port);
	if (x->port == NULL)
		return -EINVAL;
	rc = rte_sched_subport_config(x->port, 0, &sp, 0);
	for (uint32_t p = 0; p < nb_pipes && rc == 0; p++)
		rc = rte_sched_pipe_config(x->port, 0, p,
					   (int32_t)(pipes ? p % sc->nb_queues : 0));
	if (rc != 0)
		x->port = NULL;         /* rte_sched has freed it */
	return rc == 0 ? 0 : -EINVAL;
}

/* Queues a burst of packets whose dp_meta says their slice and queue;
 * counts in x->lost what the scheduler refuses (and frees). */
static void
qc_enqueue(struct qc_sched *x, struct rte_mbuf **pkts, uint16_t n)
{
	const struct dp_forward *fwd[QC_BURST];
	uint16_t i, j;

	if (x->port != NULL) {
		x->lost += n - (uint32_t)rte_sched_port_enqueue(x->port, pkts, n);
		return;
	}
	/* qm takes one slice per call: hand it each run of one slice. */
	for (i = 0; i < n; i = j) {
		uint16_t slice = dp_meta(pkts[i])->slice;

		for (j = i; j < n && dp_meta(pkts[j])->slice == slice; j++)
			fwd[j - i] = &x->fwd[dp_meta(pkts[j])->queue];
		x->lost += (uint16_t)(j - i) -
			   qm_enqueue_burst(x->qm, x->slice[slice], pkts + i, fwd,
					    (uint16_t)(j - i), x->st);
	}
}

/* Takes into pkts[] up to QC_BURST packets that the scheduler lets go at
 * TSC time 'now' (rte_sched reads the TSC itself); returns how many. */
static uint16_t
qc_dequeue(struct qc_sched *x, uint64_t now, struct rte_mbuf **pkts)
{
	if (x->port != NULL)
		return (uint16_t)rte_sched_port_dequeue(x->port, pkts, QC_BURST);
	return qm_dequeue_burst(x->qm, 0, now, pkts, QC_BURST);
}

/* Frees the scheduler, the packets it holds and its tables; x may be
 * partly set up. */
static void
qc_destroy(struct qc_sched *x)
{
	qm_free(x->qm);
	rte_sched_port_free(x->port);
	for (uint32_t s = 0; s < QC_MAX_SLICES; s++)
		dp_slice_free(x->slice[s]);
	rte_free(x->st);
	memset(x, 0, sizeof(*x));
}

/* Sets up scheduler 'kind' at 'bps' for scenario sc and puts QC_DEPTH
 * packets in each queue it carries.  Exits on failure. */
static void
qc_create(struct qc_sched *x, const struct qc_scenario *sc, enum qc_kind kind,
	  uint64_t bps)
{
	struct rte_mbuf *pkts[QC_DEPTH];
	int rc;

	memset(x, 0, sizeof(*x));
	x->sc = sc;
	x->kind = kind;
	for (uint32_t q = 0; q < QC_MAX_QUEUES; q++)
		x->fwd[q].queue = q;
	rc = kind == QC_QM ? qc_qm_create(x, bps) : qc_rte_create(x, bps);
	if (rc != 0) {
		qc_destroy(x);
		rte_exit(EXIT_FAILURE, "%s: cannot set up: %s\n", qc_kind_name[kind],
			 strerror(-rc));
	}
	for (uint32_t flow = 0; flow < sc->nb_slices * sc->nb_queues; flow++) {
		uint32_t q = flow % sc->nb_queues;
		uint32_t slice = flow / sc->nb_queues;

		if (!qc_carried(sc, kind, q))
			continue;
		if (rte_pktmbuf_alloc_bulk(qc_pool, pkts, QC_DEPTH) != 0) {
			qc_destroy(x);
			rte_exit(EXIT_FAILURE, "mbuf pool exhausted\n");
		}
		for (unsigned int i = 0; i < QC_DEPTH; i++) {
			struct dp_meta *meta = dp_meta(pkts[i]);

			rte_pktmbuf_append(pkts[i], (uint16_t)sc->frame[q]);
			meta->slice = (uint16_t)slice;
			meta->queue = q;
			if (x->port != NULL)
				rte_sched_port_pkt_write(x->port, pkts[i], 0,
							 kind == QC_PIPES ? flow : slice,
							 RTE_SCHED_TRAFFIC_CLASS_BE,
							 kind == QC_PIPES ? 0 : q, RTE_COLOR_GREEN);
		}
		qc_enqueue(x, pkts, QC_DEPTH);
	}
}

/* Frees x after checking that it never refused a packet, which would have
 * voided the backlog; exits if it did. */
static void
qc_finish(struct qc_sched *x)
{
	enum qc_kind kind = x->kind;
	uint64_t lost = x->lost;

	qc_destroy(x);
	if (lost != 0)
		rte_exit(EXIT_FAILURE, "%s refused %" PRIu64 " packets\n",
			 qc_kind_name[kind], lost);
}

/* Runs x on the link for QC_PACED_S, adding each flow's dequeued wire
 * bytes to r->bytes[] and setting r->seconds and r->cpu. */
static void
qc_run_paced(struct qc_sched *x, struct qc_result *r)
{
	struct rte_mbuf *pkts[QC_BURST];
	uint64_t hz = rte_get_tsc_hz();
	double cycles_per_byte = (double)hz * 8 / (double)QC_LINK_BPS;
	double ring = (double)hz * QC_RING_US / 1e6;
	clock_t cpu = clock();
	uint64_t t0 = rte_rdtsc();
	uint64_t end = t0 + (uint64_t)(QC_PACED_S * (double)hz);
	uint64_t now;
	double wire = (double)t0;       /* when the link has sent all it has */

	while ((now = rte_rdtsc()) < end) {
		uint16_t n;

		wire = RTE_MAX(wire, (double)now);
		if (wire - (double)now > ring)
			continue;       /* the tx ring is full */
		n = qc_dequeue(x, now, pkts);
		for (uint16_t i = 0; i < n; i++) {
			const struct dp_meta *meta = dp_meta(pkts[i]);
			uint32_t bytes = rte_pktmbuf_pkt_len(pkts[i]) + QC_OVERHEAD;

			r->bytes[meta->slice * x->sc->nb_queues + meta->queue] += bytes;
			wire += bytes * cycles_per_byte;
		}
		qc_enqueue(x, pkts, n);
	}
	r->seconds = (double)(now - t0) / (double)hz;
	r->cpu = (double)(clock() - cpu) / CLOCKS_PER_SEC / r->seconds;
}

/* Orders doubles, for qsort(). */
static int
qc_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Moves QC_WINDOWS windows of QC_WINDOW bursts through x as fast as it
 * goes; returns the cycles per packet of the median window. */
static double
qc_run_cost(struct qc_sched *x)
{
	struct rte_mbuf *pkts[QC_BURST];
	double win[QC_WINDOWS];
	uint64_t hz = rte_get_tsc_hz();
	uint64_t now = rte_rdtsc();     /* qm's clock: a second per burst */

	for (unsigned int w = 0; w < QC_WINDOWS; w++) {
		uint64_t start = rte_rdtsc(), done = 0;

		for (unsigned int b = 0; b < QC_WINDOW; b++) {
			uint16_t n = qc_dequeue(x, now += hz, pkts);

			qc_enqueue(x, pkts, n);
			done += n;
		}
		win[w] = (double)(rte_rdtsc() - start) / (double)RTE_MAX(done, 1u);
	}
	qsort(win, QC_WINDOWS, sizeof(win[0]), qc_cmp_double);
	return win[QC_WINDOWS / 2];
}

/* Measures scenario sc into r[] on each scheduler: the share runs, if it
 * has them, then the cost runs, each on a fresh scheduler.  The schedulers
 * take turns at the cost runs, so that what other processes take of the
 * core spreads over all of them. */
static void
qc_measure(const struct qc_scenario *sc, struct qc_result *r)
{
	double cycles[QC_KINDS][QC_REPS];
	struct qc_sched x;

	memset(r, 0, QC_KINDS * sizeof(*r));
	for (unsigned int k = 0; k < QC_KINDS && sc->shares; k++) {
		qc_create(&x, sc, k, QC_LINK_BPS);
		qc_run_paced(&x, &r[k]);
		qc_finish(&x);
	}
	for (unsigned int i = 0; i < QC_REPS; i++) {
		for (unsigned int k = 0; k < QC_KINDS; k++) {
			qc_create(&x, sc, k, QC_FAST_BPS);
			cycles[k][i] = qc_run_cost(&x);
			qc_finish(&x);
		}
	}
	for (unsigned int k = 0; k < QC_KINDS; k++) {
		qsort(cycles[k], QC_REPS, sizeof(cycles[k][0]), qc_cmp_double);
		r[k].cycles = cycles[k][QC_REPS / 2];
	}
}

/* Prints the share table of scenario sc (one slice): per queue and
 * scheduler, the ideal share (the queue's weight over those of the
 * backlogged queues the scheduler carries), the share it gave and the
 * Mbit/s; then the totals, the CPU, the worst share error and the cost. */
static void
qc_print_shares(const struct qc_scenario *sc, const struct qc_result *r)
{
	double total[QC_KINDS] = { 0 }, err[QC_KINDS] = { 0 }, wsum[QC_KINDS] = { 0 };

	for (unsigned int k = 0; k < QC_KINDS; k++) {
		for (uint32_t q = 0; q < sc->nb_queues; q++) {
			total[k] += (double)r[k].bytes[q];
			if (qc_carried(sc, k, q))
				wsum[k] += sc->weight[q];
		}
	}
	printf("%-19s", "");
	for (unsigned int k = 0; k < QC_KINDS; k++)
		printf("| %-23s", qc_kind_name[k]);
	printf("\n%-19s", "queue weight frame");
	for (unsigned int k = 0; k < QC_KINDS; k++)
		printf("| %6s %6s %8s ", "ideal%", "share%", "Mbit/s");
	for (uint32_t q = 0; q < sc->nb_queues; q++) {
		printf("\n%5u %6u %5u ", q, sc->weight[q], sc->frame[q]);
		for (unsigned int k = 0; k < QC_KINDS; k++) {
			double ideal = 100.0 * sc->weight[q] / wsum[k];
			double share = 100.0 * (double)r[k].bytes[q] / total[k];
			double mbps = (double)r[k].bytes[q] * 8 / r[k].seconds / 1e6;

			if (!qc_carried(sc, k, q)) {
				printf("| %6s %6.2f %8.1f ",
				       (int32_t)q == sc->idle ? "idle" : "n/a", share, mbps);
				continue;
			}
			err[k] = RTE_MAX(err[k], share > ideal ? share - ideal : ideal - share);
			printf("| %6.2f %6.2f %8.1f ", ideal, share, mbps);
		}
	}
	printf("\n%-19s", "total, % of link");
	for (unsigned int k = 0; k < QC_KINDS; k++) {
		double mbps = total[k] * 8 / r[k].seconds / 1e6;

		printf("| %6s %5.1f%% %8.1f ", "", mbps * 1e8 / (double)QC_LINK_BPS, mbps);
	}
	printf("\n%-19s", "CPU we had");
	for (unsigned int k = 0; k < QC_KINDS; k++)
		printf("| %6s %5.1f%% %8s ", "", 100.0 * r[k].cpu, "");
	printf("\n%-19s", "max |share-ideal|");
	for (unsigned int k = 0; k < QC_KINDS; k++)
		printf("| %6s %6.2f %8s ", "", err[k], "points");
	printf("\n%-19s", "cycles/packet");
	for (unsigned int k = 0; k < QC_KINDS; k++)
		printf("| %6s %6.1f %8s ", "", r[k].cycles, "");
	printf("\n\n");
}

/* Prints the cost table of a scenario. */
static void
qc_print_cost(const struct qc_result *r)
{
	double ghz = (double)rte_get_tsc_hz() / 1e9;

	printf("%-19s| %14s | %16s\n", "", "cycles/packet", "Mpps (one core)");
	for (unsigned int k = 0; k < QC_KINDS; k++)
		printf("%-19s| %14.1f | %16.1f\n", qc_kind_name[k], r[k].cycles,
		       ghz * 1e3 / r[k].cycles);
	printf("\n");
}

/* Runs every scenario on every scheduler and prints what they did. */
int
main(int argc, char **argv)
{
	struct qc_result r[QC_KINDS];
	int rc = rte_eal_init(argc, argv);

	if (rc < 0)
		rte_exit(EXIT_FAILURE, "rte_eal_init: %s\n", rte_strerror(rte_errno));
	if (rc != argc - 1)
		rte_exit(EXIT_FAILURE, "usage: %s EAL-ARGS (no others)\n", argv[0]);
	if (dp_meta_register() != 0)
		rte_exit(EXIT_FAILURE, "cannot register the packet metadata\n");
	qc_pool = rte_pktmbuf_pool_create("qc_pool", QC_POOL_SIZE, 0, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (qc_pool == NULL)
		rte_exit(EXIT_FAILURE, "cannot create the mbuf pool\n");

	printf("qm_compare: slicepath qm vs DPDK rte_sched, in memory, TSC %.2f GHz.\n"
	       "Shares: %.0f s per run on a %.0f Mbit/s link (NIC tx ring of %u us), %u\n"
	       "  packets kept in each offered queue; share%% of the dequeued wire bytes\n"
	       "  (frame + %u); ideal%% = weight / sum of the weights of the backlogged\n"
	       "  queues the scheduler carries.\n"
	       "Cost: dequeue + enqueue at %.0f Gbit/s (never the limit), rte_rdtsc around\n"
	       "  every %u bursts; median window of %u, median of %u such runs.\n"
	       "rte_sched (a): a pipe per queue, token-bucket rate = the queue's share (a cap).\n"
	       "rte_sched (b): a pipe per slice, its queues as the pipe's 4 best-effort WRR\n"
	       "  queues, WRR weight = queue weight; a 5th queue cannot be expressed (n/a).\n\n",
	       (double)rte_get_tsc_hz() / 1e9, QC_PACED_S, QC_LINK_BPS / 1e6, QC_RING_US,
	       QC_DEPTH, QC_OVERHEAD, QC_FAST_BPS / 1e9, QC_WINDOW, QC_WINDOWS, QC_REPS);
	fflush(stdout);
	for (unsigned int i = 0; i < RTE_DIM(qc_scenarios); i++) {
		const struct qc_scenario *sc = &qc_scenarios[i];

		qc_measure(sc, r);
		printf("%s\n", sc->title);
		if (sc->shares)
			qc_print_shares(sc, r);
		else
			qc_print_cost(r);
		fflush(stdout);
	}
	rte_mempool_free(qc_pool);
	rte_eal_cleanup();
	return 0;
}
