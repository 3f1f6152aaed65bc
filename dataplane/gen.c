/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/gen.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>
#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_ring.h>

#include "dataplane/port.h"
#include "dataplane/stats.h"

/* The rx ring is deeper than a port's rx descriptor ring: on a shared
 * machine the worker or the generator may be descheduled for tens of
 * milliseconds, and net_pcap, which the generator stands in for, loses
 * nothing then.  The generator catches up with at most this many packets
 * when it falls behind (its lcore was descheduled, or cannot keep up with
 * the rate); what was due before that is skipped and counted as late. */
#define DP_GEN_RING_SIZE 8192
#define DP_GEN_TX_RING_SIZE DP_PORT_TX_DESC
#define DP_GEN_POOL_CACHE 256

/* One frame of the pcap: where its bytes are in dp_gen.data. */
struct dp_gen_frame {
	uint32_t off;
	uint16_t len;
};

struct dp_gen {
	/* Written by dp_gen_create(), read-only afterwards. */
	struct rte_mempool *mp;
	struct rte_ring *rx;            /* the device's rx queue */
	struct rte_ring *tx[SP_MAX_WORKERS];    /* its tx queues */
	uint16_t nb_tx;
	uint16_t port_id;
	unsigned int lcore;
	uint64_t rate_pps;
	uint8_t *data;                  /* the frames' bytes, back to back */
	struct dp_gen_frame *frames;
	uint32_t nb_frames;
	char device[DP_GEN_NAME_MAX];

	/* Control plane: set by dp_gen_stop(), read by the generator. */
	uint32_t quit;
	bool running;

	/* The generator lcore's own (see gen.h). */
	struct dp_gen_stats stats __rte_cache_aligned;
};

/* Writes a message for people into why[len]; returns -EINVAL. */
static int __rte_format_printf(3, 4)
dp_gen_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Copies 'v' into dst[size]; -EINVAL if it is empty or does not fit. */
static int
dp_gen_copy(char *dst, size_t size, const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= size)
		return -EINVAL;
	memcpy(dst, v, n + 1);
	return 0;
}

/* Parses a decimal integer in lo..hi; -EINVAL if it is not one. */
static int
dp_gen_uint(const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (*v < '0' || *v > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0' || x < lo || x > hi)
		return -EINVAL;
	*out = x;
	return 0;
}

static int
dp_gen_key_pcap(struct dp_gen_params *p, const char *v)
{
	return dp_gen_copy(p->pcap, sizeof(p->pcap), v);
}

static int
dp_gen_key_rate(struct dp_gen_params *p, const char *v)
{
	return dp_gen_uint(v, 1, DP_GEN_RATE_MAX, &p->rate_pps);
}

static int
dp_gen_key_interface(struct dp_gen_params *p, const char *v)
{
	return dp_gen_copy(p->interface, sizeof(p->interface), v);
}

static int
dp_gen_key_lcore(struct dp_gen_params *p, const char *v)
{
	uint64_t x;

	if (dp_gen_uint(v, 0, RTE_MAX_LCORE - 1, &x) != 0)
		return -EINVAL;
	p->lcore = (int)x;
	return 0;
}

/* The keys of the --generator argument. */
static const struct dp_gen_key {
	const char *name;
	bool required;
	int (*set)(struct dp_gen_params *p, const char *v);
	const char *what;               /* what a valid value is */
} dp_gen_keys[] = {
	{ "pcap", true, dp_gen_key_pcap, "a file name" },
	{ "rate", true, dp_gen_key_rate, "packets per second, 1..1000000000" },
	{ "interface", true, dp_gen_key_interface, "an interface of the node" },
	{ "lcore", false, dp_gen_key_lcore, "an lcore id" },
};

int
dp_gen_parse(const char *arg, struct dp_gen_params *p, char *why, size_t len)
{
	bool seen[RTE_DIM(dp_gen_keys)] = { false };
	char buf[sizeof(p->pcap) + 256];
	char *save = NULL, *item;

	memset(p, 0, sizeof(*p));
	p->lcore = -1;
	if (strlen(arg) >= sizeof(buf))
		return dp_gen_why(why, len, "--generator: too long");
	strcpy(buf, arg);
	for (item = strtok_r(buf, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		unsigned int k;

		if (eq == NULL)
			return dp_gen_why(why, len, "--generator: \"%s\" is not KEY=VALUE",
					  item);
		*eq = '\0';
		for (k = 0; k < RTE_DIM(dp_gen_keys); k++)
			if (strcmp(item, dp_gen_keys[k].name) == 0)
				break;
		if (k == RTE_DIM(dp_gen_keys))
			return dp_gen_why(why, len, "--generator: unknown key \"%s\" "
					  "(pcap, rate, interface, lcore)", item);
		if (seen[k])
			return dp_gen_why(why, len, "--generator: %s given twice", item);
		seen[k] = true;
		if (dp_gen_keys[k].set(p, eq + 1) != 0)
			return dp_gen_why(why, len, "--generator: %s=%s: not %s", item,
					  eq + 1, dp_gen_keys[k].what);
	}
	for (unsigned int k = 0; k < RTE_DIM(dp_gen_keys); k++)
		if (dp_gen_keys[k].required && !seen[k])
			return dp_gen_why(why, len, "--generator: %s= is required",
					  dp_gen_keys[k].name);
	return 0;
}

/* Reads every frame of p->pcap into g->data and g->frames.  Returns 0 or
 * -EINVAL with why[len] set. */
static int
dp_gen_load(struct dp_gen *g, const char *file, char *why, size_t len)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	const uint32_t room = RTE_MBUF_DEFAULT_DATAROOM;
	struct pcap_pkthdr *h;
	const u_char *bytes;
	size_t size = 0, cap = 0, nb_cap = 0;
	pcap_t *pc;
	int rc;

	pc = pcap_open_offline(file, errbuf);
	if (pc == NULL)
		return dp_gen_why(why, len, "%s", errbuf);
	if (pcap_datalink(pc) != DLT_EN10MB) {
		pcap_close(pc);
		return dp_gen_why(why, len, "%s: not an Ethernet capture", file);
	}
	while ((rc = pcap_next_ex(pc, &h, &bytes)) == 1) {
		if (h->caplen != h->len || h->len == 0 || h->len > room) {
			rc = dp_gen_why(why, len, "%s: frame %" PRIu32 " is %u bytes (%u "
					"captured): frames of 1..%u bytes, whole, are replayed",
					file, g->nb_frames + 1, h->len, h->caplen, room);
			goto out;
		}
		if (g->nb_frames == DP_GEN_FRAMES_MAX) {
			rc = dp_gen_why(why, len, "%s: more than %u frames", file,
					DP_GEN_FRAMES_MAX);
			goto out;
		}
		if (g->nb_frames == nb_cap) {
			void *f;

			nb_cap = nb_cap ? 2 * nb_cap : 1024;
			f = realloc(g->frames, nb_cap * sizeof(*g->frames));
			if (f == NULL)
				goto nomem;
			g->frames = f;
		}
		if (size + h->len > cap) {
			void *d;

			cap = cap ? 2 * cap : 1 << 20;
			d = realloc(g->data, cap);
			if (d == NULL)
				goto nomem;
			g->data = d;
		}
		memcpy(g->data + size, bytes, h->len);
		g->frames[g->nb_frames++] = (struct dp_gen_frame){
			.off = (uint32_t)size, .len = (uint16_t)h->len };
		size += h->len;
	}
	if (rc == PCAP_ERROR)
		rc = dp_gen_why(why, len, "%s: %s", file, pcap_geterr(pc));
	else if (g->nb_frames == 0)
		rc = dp_gen_why(why, len, "%s: no frames", file);
	else
		rc = 0;
out:
	pcap_close(pc);
	return rc;
nomem:
	pcap_close(pc);
	snprintf(why, len, "%s: out of memory", file);
	return -ENOMEM;
}

/* Frees the mbufs left on 'r'. */
static void
dp_gen_ring_drain(struct rte_ring *r)
{
	struct rte_mbuf *pkts[SP_BURST];
	unsigned int n;

	while ((n = rte_ring_dequeue_burst(r, (void **)pkts, SP_BURST, NULL)) != 0)
		rte_pktmbuf_free_bulk(pkts, n);
}

/* Checks every field of *p before anything is allocated.  Returns 0 or
 * -EINVAL with why[len] set. */
static int
dp_gen_check_params(const struct dp_gen_params *p, char *why, size_t len)
{
	const size_t prefix = strlen(DP_GEN_DEVICE_PREFIX);
	uint16_t port_id;

	if (p->rate_pps == 0 || p->rate_pps > DP_GEN_RATE_MAX ||
	    p->rate_pps > rte_get_tsc_hz())
		return dp_gen_why(why, len, "--generator: rate=%" PRIu64 " is out of range",
				  p->rate_pps);
	if (p->lcore < 0 || p->lcore >= RTE_MAX_LCORE)
		return dp_gen_why(why, len, "--generator: lcore %d", p->lcore);
	if (p->nb_txq == 0 || p->nb_txq > SP_MAX_WORKERS)
		return dp_gen_why(why, len, "--generator: %u tx queues", p->nb_txq);
	/* rte_eth_from_rings(NAME) makes the ethdev "net_ring_NAME". */
	if (strncmp(p->device, DP_GEN_DEVICE_PREFIX, prefix) != 0 || p->device[prefix] == '\0')
		return dp_gen_why(why, len, "--generator: the interface's device is \"%s\"; "
				  "the generator makes it, a net_ring: name it "
				  DP_GEN_DEVICE_PREFIX "NAME and give no --vdev for it",
				  p->device);
	if (rte_eth_dev_get_port_by_name(p->device, &port_id) == 0)
		return dp_gen_why(why, len, "--generator: device %s exists already; the "
				  "generator makes it: give no --vdev for it", p->device);
	return 0;
}

/* Creates the rings and the net_ring ethdev on them. */
static int
dp_gen_device(struct dp_gen *g, const struct dp_gen_params *p, char *why, size_t len)
{
	const unsigned int flags = RING_F_SP_ENQ | RING_F_SC_DEQ;
	int rc;

	g->rx = rte_ring_create("sp_gen_rx", DP_GEN_RING_SIZE, p->socket, flags);
	if (g->rx == NULL)
		goto ring_fail;
	for (uint16_t i = 0; i < p->nb_txq; i++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "sp_gen_tx%u", i);
		g->tx[i] = rte_ring_create(name, DP_GEN_TX_RING_SIZE, p->socket, flags);
		if (g->tx[i] == NULL)
			goto ring_fail;
		g->nb_tx = i + 1;
	}
	rc = rte_eth_from_rings(p->device + strlen(DP_GEN_DEVICE_PREFIX), &g->rx, 1, g->tx, g->nb_tx, (unsigned int)p->socket);
	if (rc < 0)
		return dp_gen_why(why, len, "--generator: cannot create %s: %s", p->device,
				  rte_strerror(rte_errno));
	g->port_id = (uint16_t)rc;
	snprintf(g->device, sizeof(g->device), "%s", p->device);
	return 0;

ring_fail:
	snprintf(why, len, "--generator: cannot create its rings: %s",
		 rte_strerror(rte_errno));
	return -ENOMEM;
}

struct dp_gen *
dp_gen_create(const struct dp_gen_params *p, char *why, size_t len)
{
	struct dp_gen *g;
	unsigned int n;
	int rc;

	rc = dp_gen_check_params(p, why, len);
	if (rc != 0) {
		errno = -rc;
		return NULL;
	}
	g = rte_zmalloc_socket("dp_gen", sizeof(*g), RTE_CACHE_LINE_SIZE, p->socket);
	if (g == NULL) {
		snprintf(why, len, "--generator: out of memory");
		errno = ENOMEM;
		return NULL;
	}
	g->lcore = (unsigned int)p->lcore;
	g->rate_pps = p->rate_pps;
	rc = dp_gen_load(g, p->pcap, why, len);
	if (rc != 0)
		goto fail;
	/* Enough for a full ring, the node's queues and every cache. */
	n = p->nb_mbufs + DP_GEN_RING_SIZE + SP_BURST +
	    (unsigned int)rte_lcore_count() * DP_GEN_POOL_CACHE;
	g->mp = rte_pktmbuf_pool_create("sp_gen_mbufs", n, DP_GEN_POOL_CACHE, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE, p->socket);
	if (g->mp == NULL) {
		snprintf(why, len, "--generator: cannot create a pool of %u mbufs: %s "
			 "(give EAL more memory with -m)", n, rte_strerror(rte_errno));
		rc = -ENOMEM;
		goto fail;
	}
	rc = dp_gen_device(g, p, why, len);
	if (rc != 0)
		goto fail;
	return g;

fail:
	dp_gen_free(g);
	errno = -rc;
	return NULL;
}

/* Frees what the node sent on the device. */
static inline void
dp_gen_tx_free(struct dp_gen *g)
{
	struct rte_mbuf *pkts[SP_BURST];

	for (uint16_t i = 0; i < g->nb_tx; i++) {
		unsigned int n = rte_ring_sc_dequeue_burst(g->tx[i], (void **)pkts,
							   SP_BURST, NULL);

		if (n != 0) {
			rte_pktmbuf_free_bulk(pkts, n);
			dp_count(&g->stats.tx_freed, n);
		}
	}
}

/* Copies the next 'n' frames into a burst and enqueues what the ring
 * takes; counts the rest as refused. */
static inline void
dp_gen_emit(struct dp_gen *g, uint32_t *next_frame, unsigned int n)
{
	struct rte_mbuf *pkts[SP_BURST];
	unsigned int room = rte_ring_free_count(g->rx), k = RTE_MIN(n, room), sent;
	uint32_t f = *next_frame;
	uint64_t bytes = 0;

	/* Only this lcore enqueues, so the room can only grow from here. */
	if (k < n)
		dp_count(&g->stats.refused, n - k);
	if (k == 0)
		return;
	if (rte_pktmbuf_alloc_bulk(g->mp, pkts, k) != 0) {
		dp_count(&g->stats.no_mbuf, k);
		return;
	}
	for (unsigned int i = 0; i < k; i++) {
		const struct dp_gen_frame *fr = &g->frames[f];
		struct rte_mbuf *m = pkts[i];

		rte_memcpy(rte_pktmbuf_mtod(m, void *), g->data + fr->off, fr->len);
		m->data_len = fr->len;
		m->pkt_len = fr->len;
		m->port = g->port_id;
		bytes += fr->len;
		if (++f == g->nb_frames)
			f = 0;
	}
	*next_frame = f;
	sent = rte_ring_sp_enqueue_burst(g->rx, (void **)pkts, k, NULL);
	if (sent < k) {
		/* Not expected (see above), but never leak. */
		for (unsigned int i = sent; i < k; i++)
			bytes -= rte_pktmbuf_pkt_len(pkts[i]);
		rte_pktmbuf_free_bulk(pkts + sent, k - sent);
		dp_count(&g->stats.refused, k - sent);
	}
	dp_count(&g->stats.sent_packets, sent);
	dp_count(&g->stats.sent_bytes, bytes);
}

/*
 * The generator lcore's loop.  Packet i is due at start + i * hz / rate
 * TSC cycles, kept exactly without division or overflow as an integer
 * period and a Bresenham remainder.  Each round sends what is due, at most
 * a burst; what falls more than a ring's worth behind is skipped.
 */
static int
dp_gen_main(void *arg)
{
	struct dp_gen *g = arg;
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t period = hz / g->rate_pps, rem = hz % g->rate_pps;
	const uint64_t lag = (period + 1) * DP_GEN_RING_SIZE;
	uint64_t due = rte_rdtsc(), frac = 0;
	uint32_t next_frame = 0;

	while (!__atomic_load_n(&g->quit, __ATOMIC_ACQUIRE)) {
		uint64_t now = rte_rdtsc();
		unsigned int n = 0;

		if (now > due + lag) {
			/* Whole periods only: the remainder's drift is below
			 * one packet per skip. */
			uint64_t skip = (now - lag - due) / period;

			dp_count(&g->stats.late, skip);
			due += skip * period;
		}
		while (n < SP_BURST && due <= now) {
			due += period;
			frac += rem;
			if (frac >= g->rate_pps) {
				frac -= g->rate_pps;
				due++;
			}
			n++;
		}
		if (n != 0)
			dp_gen_emit(g, &next_frame, n);
		else
			rte_pause();
		dp_gen_tx_free(g);
	}
	return 0;
}

int
dp_gen_start(struct dp_gen *g)
{
	int rc;

	if (g->running)
		return -EBUSY;
	__atomic_store_n(&g->quit, 0, __ATOMIC_RELAXED);
	rc = rte_eal_remote_launch(dp_gen_main, g, g->lcore);
	if (rc != 0)
		return rc;
	g->running = true;
	return 0;
}

void
dp_gen_stop(struct dp_gen *g)
{
	if (g == NULL || !g->running)
		return;
	__atomic_store_n(&g->quit, 1, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(g->lcore);
	g->running = false;
}

void
dp_gen_free(struct dp_gen *g)
{
	if (g == NULL)
		return;
	/* The node closes the ports it set up (which releases the ethdev);
	 * this closes one it never reached and removes the device itself, so
	 * that its name can be used again. */
	if (g->device[0] != '\0')
		rte_vdev_uninit(g->device);
	if (g->rx != NULL)
		dp_gen_ring_drain(g->rx);
	rte_ring_free(g->rx);
	for (uint16_t i = 0; i < g->nb_tx; i++) {
		dp_gen_ring_drain(g->tx[i]);
		rte_ring_free(g->tx[i]);
	}
	rte_mempool_free(g->mp);
	free(g->frames);
	free(g->data);
	rte_free(g);
}

void
dp_gen_read(const struct dp_gen *g, struct dp_gen_stats *out)
{
	out->sent_packets = dp_count_read(&g->stats.sent_packets);
	out->sent_bytes = dp_count_read(&g->stats.sent_bytes);
	out->refused = dp_count_read(&g->stats.refused);
	out->no_mbuf = dp_count_read(&g->stats.no_mbuf);
	out->late = dp_count_read(&g->stats.late);
	out->tx_freed = dp_count_read(&g->stats.tx_freed);
}

uint64_t
dp_gen_rate(const struct dp_gen *g)
{
	return g->rate_pps;
}

unsigned int
dp_gen_lcore(const struct dp_gen *g)
{
	return g->lcore;
}
