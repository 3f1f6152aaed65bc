/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_GEN_H
#define SP_DP_GEN_H

/*
 * A paced traffic generator for benchmarks (slicepathd --generator).
 *
 * At start-up it reads a pcap into memory and creates the interface's
 * device as a net_ring ethdev (rte_eth_from_rings) whose rx queue is a
 * ring the generator fills.  On an lcore of its own it then copies the
 * frames, in a loop, into mbufs of its own pool and enqueues them at a
 * rate paced from the TSC, so the workers receive them through the
 * ordinary rx path.  What the ring refuses (the workers are behind) is
 * counted and freed, as a NIC counts what its full rx ring misses.  What
 * the node transmits on the device is taken off its tx rings and freed.
 *
 * Concurrency contract:
 *  - The control plane creates, starts, stops and frees the generator;
 *    between dp_gen_start() and dp_gen_stop() only the generator lcore
 *    writes struct dp_gen_stats, with relaxed stores, and anyone may read
 *    it with dp_gen_read().
 *  - The rx ring is single-producer (the generator) and single-consumer
 *    (the one worker that polls the device); tx ring i is written by the
 *    worker with index i and read by the generator.
 *  - The generator's mbufs go back to its pool from whichever lcore frees
 *    them, so the pool outlives the node's ports and queues: free the
 *    generator after node_stop().
 */

#include <stddef.h>
#include <stdint.h>

#include "dataplane/dp.h"

#define DP_GEN_RATE_MAX 1000000000ULL  /* packets per second */
#define DP_GEN_FRAMES_MAX (1u << 20)   /* frames of the pcap kept */
#define DP_GEN_NAME_MAX 64
#define DP_GEN_DEVICE_PREFIX "net_ring_"       /* the devices it makes */

/* What dp_gen_parse() reads from "pcap=FILE,rate=PPS,interface=NAME
 * [,lcore=N]" and what the caller adds before dp_gen_create(). */
struct dp_gen_params {
	char pcap[4096];                /* the frames to replay, in order */
	uint64_t rate_pps;              /* offered load */
	char interface[DP_GEN_NAME_MAX];        /* the node's interface fed */
	int lcore;                      /* -1: the caller picks one */
	/* Filled by the caller: */
	char device[DP_GEN_NAME_MAX];   /* the ethdev to create, net_ring_NAME */
	uint16_t nb_txq;                /* its tx queues, one per worker */
	unsigned int nb_mbufs;          /* mbufs the node may hold at once */
	int socket;                     /* NUMA socket of rings and pool */
};

/* The generator's counters since it started. */
struct dp_gen_stats {
	uint64_t sent_packets;          /* enqueued on the device's rx ring */
	uint64_t sent_bytes;
	uint64_t refused;               /* the ring was full */
	uint64_t no_mbuf;               /* its pool was empty */
	uint64_t late;                  /* due while it was descheduled too long */
	uint64_t tx_freed;              /* the node sent them on the device */
};

struct dp_gen;

/* Parses the --generator argument 'arg' into *p (device, nb_txq, nb_mbufs
 * and socket are left for the caller).  Returns 0, or -EINVAL with a
 * message for people in why[len]. */
int dp_gen_parse(const char *arg, struct dp_gen_params *p, char *why, size_t len);

/* Loads p->pcap, creates the pool, the rings and the net_ring ethdev
 * p->device.  Returns the generator, or NULL with errno set and a message
 * in why[len].  EAL must be up; nothing is left behind on failure. */
struct dp_gen *dp_gen_create(const struct dp_gen_params *p, char *why, size_t len);

/* Launches the generator on its lcore.  Returns 0 or a negative errno. */
int dp_gen_start(struct dp_gen *g);

/* Stops the generator lcore and waits for it; NULL and a stopped
 * generator are allowed. */
void dp_gen_stop(struct dp_gen *g);

/* Frees what dp_gen_create() made, closing the ethdev if the node has not;
 * NULL is allowed.  The generator must be stopped, and no worker may still
 * hold its mbufs (see the contract above). */
void dp_gen_free(struct dp_gen *g);

/* Reads the counters (any thread). */
void dp_gen_read(const struct dp_gen *g, struct dp_gen_stats *out);

/* The offered load, in packets per second. */
uint64_t dp_gen_rate(const struct dp_gen *g);

/* The lcore it runs on. */
unsigned int dp_gen_lcore(const struct dp_gen *g);

#endif /* SP_DP_GEN_H */
