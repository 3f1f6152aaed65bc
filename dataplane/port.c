/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/port.h"

#include <errno.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dataplane/dp.h"

/* A worker holds up to a vector of mbufs (DP_VECTOR, 512) between rx and
 * tx, and its queues hold more: a per-lcore cache of the largest size
 * keeps rx's allocations and tx's frees off the pool's shared ring. */
#define DP_MEMPOOL_CACHE RTE_MEMPOOL_CACHE_MAX_SIZE

unsigned int
dp_mempool_size(unsigned int buffers, unsigned int nb_ports, unsigned int nb_workers)
{
	return buffers +
	       nb_ports * (DP_PORT_RX_DESC + nb_workers * DP_PORT_TX_DESC) +
	       nb_workers * (DP_MEMPOOL_CACHE + DP_VECTOR + nb_ports * SP_BURST);
}

struct rte_mempool *
dp_mempool_create(unsigned int n)
{
	return rte_pktmbuf_pool_create("sp_mbufs", n, DP_MEMPOOL_CACHE, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
}

int
dp_port_setup(uint16_t port_id, uint16_t nb_txq, struct rte_mempool *mp,
	      struct dp_port_info *info)
{
	const uint64_t csum = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info dev;
	struct rte_eth_rxconf rxconf;
	uint16_t nb_rxd = DP_PORT_RX_DESC, nb_txd = DP_PORT_TX_DESC;
	int socket = rte_eth_dev_socket_id(port_id);
	int rc;

	rc = rte_eth_dev_info_get(port_id, &dev);
	if (rc != 0)
		return rc;
	if (nb_txq > dev.max_tx_queues)
		return -ENOTSUP;
	if ((dev.tx_offload_capa & csum) == csum)
		conf.txmode.offloads |= csum;
	/* demux trusts RTE_MBUF_F_RX_IP_CKSUM_GOOD/BAD and checks the rest. */
	if (dev.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	info->csum_offload = (conf.txmode.offloads & csum) == csum;

	rc = rte_eth_dev_configure(port_id, 1, nb_txq, &conf);
	if (rc != 0)
		return rc;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	if (rc != 0)
		return rc;
	if (socket < 0)
		socket = (int)rte_socket_id();

	rxconf = dev.default_rxconf;
	rxconf.offloads = conf.rxmode.offloads;
	rc = rte_eth_rx_queue_setup(port_id, 0, nb_rxd, socket, &rxconf, mp);
	if (rc != 0)
		return rc;
	for (uint16_t q = 0; q < nb_txq; q++) {
		struct rte_eth_txconf txconf = dev.default_txconf;

		txconf.offloads = conf.txmode.offloads;
		rc = rte_eth_tx_queue_setup(port_id, q, nb_txd, socket, &txconf);
		if (rc != 0)
			return rc;
	}
	rc = rte_eth_macaddr_get(port_id, &info->mac);
	if (rc != 0)
		return rc;
	/* Overlay traffic is addressed to the interface, but the node may sit
	 * behind a switch that floods; a virtual port may not filter at all. */
	rc = rte_eth_promiscuous_enable(port_id);
	if (rc != 0 && rc != -ENOTSUP)
		return rc;
	return rte_eth_dev_start(port_id);
}

void
dp_port_close(uint16_t port_id)
{
	rte_eth_dev_stop(port_id);
	rte_eth_dev_close(port_id);
}
