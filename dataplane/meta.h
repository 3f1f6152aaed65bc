/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_META_H
#define SP_DP_META_H

/*
 * Per-packet metadata, carried in an mbuf dynamic field.
 *
 * Written by the worker that received the packet (demux and the code
 * option), read by the same worker until the packet is transmitted or
 * freed, including in the tx buffer's error callback.  A packet handed to
 * the queue manager of another worker through its ring belongs to that
 * worker from then on.  Never touched by the control plane.
 */

#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_udp.h>

struct dp_meta {
	uint16_t slice;      /* slice slot, set at demux */
	uint16_t binding;    /* input binding id within the slice */
	uint16_t out_stat;   /* output binding's counter slot, set at format */
	uint32_t queue;      /* index in the slice's queues[], set at format */
	uint32_t qid;        /* that queue's dp_queue.id */
	struct rte_mbuf *next;  /* next packet in the same queue */
};

/*
 * A plain packet: one Ethernet header, an IPv4 header without options, a
 * UDP header.  Demux marks one it accepts by setting its header lengths
 * (tx_offload) whole to DP_PLAIN_TX_OFFLOAD, and format leaves every packet
 * it writes so, as its outer headers are plain; the stages between find a
 * plain packet's headers at fixed offsets.
 */
#define DP_PLAIN_L4_OFFSET (sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr))
#define DP_PLAIN_TX_OFFLOAD \
	rte_mbuf_tx_offload(sizeof(struct rte_ether_hdr), sizeof(struct rte_ipv4_hdr), \
			    sizeof(struct rte_udp_hdr), 0, 0, 0, 0)

/* Where the UDP header of a packet that demux accepted starts: at a fixed
 * offset in a plain packet, after l2_len and l3_len bytes in any. */
static inline uint32_t
dp_l4_offset(const struct rte_mbuf *m)
{
	if (likely(m->tx_offload == DP_PLAIN_TX_OFFLOAD))
		return DP_PLAIN_L4_OFFSET;
	return m->l2_len + m->l3_len;
}

extern int dp_meta_offset;
extern int dp_rx_tsc_offset;

/* Registers the dynamic fields; call once after rte_eal_init().
 * Returns 0 or a negative errno. */
int dp_meta_register(void);

/* The TSC of the round that received 'm', in DPDK's standard rx timestamp
 * field (rte_mbuf_dyn_rx_timestamp_register), for the latency histogram.
 * The node overwrites whatever a PMD put there. */
static inline uint64_t *
dp_rx_tsc(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, dp_rx_tsc_offset, uint64_t *);
}

/* The metadata of 'm'. */
static inline struct dp_meta *
dp_meta(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, dp_meta_offset, struct dp_meta *);
}

#endif /* SP_DP_META_H */
