/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_PORT_H
#define SP_DP_PORT_H

/*
 * Port and mbuf pool set-up.  Control plane only, before the workers start
 * and after they stop.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mempool.h>

/* Descriptors per rx and tx queue (adjusted to what the device allows). */
#define DP_PORT_RX_DESC 1024
#define DP_PORT_TX_DESC 1024

struct dp_port_info {
	struct rte_ether_addr mac;
	bool csum_offload;              /* IPv4 + UDP tx checksum offload on */
};

/* How many mbufs a pool needs so that 'buffers' of them can be queued by
 * slices while 'nb_ports' ports' rings and 'nb_workers' caches stay full. */
unsigned int dp_mempool_size(unsigned int buffers, unsigned int nb_ports,
			     unsigned int nb_workers);

/* Creates the node's mbuf pool of 'n' mbufs; NULL and rte_errno on failure. */
struct rte_mempool *dp_mempool_create(unsigned int n);

/*
 * Configures 'port_id' with one rx queue and 'nb_txq' tx queues fed from
 * 'mp', turns on tx checksum offload where the device has it, starts it
 * and fills *info.  Returns 0 or a negative errno; on failure the port is
 * left stopped.
 */
int dp_port_setup(uint16_t port_id, uint16_t nb_txq, struct rte_mempool *mp,
		  struct dp_port_info *info);

/* Stops and closes 'port_id'. */
void dp_port_close(uint16_t port_id);

#endif /* SP_DP_PORT_H */
