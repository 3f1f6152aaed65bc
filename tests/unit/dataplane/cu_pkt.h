/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_TESTS_CU_PKT_H
#define SP_TESTS_CU_PKT_H

/*
 * Hand-built Ethernet/IPv4/UDP packets for the dataplane unit tests.
 *
 * cu_pkt_udp() writes a correct packet (lengths, IPv4 and UDP checksums)
 * that a test then breaks in exactly one way; cu_pkt_ip_cksum() repairs
 * the IPv4 checksum after an edit that should be judged on its own.
 */

#include <stdint.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_udp.h>

/* An IPv4 address in host order.  (DPDK 22.11's RTE_IPV4() shifts an int
 * into its sign bit, which UBSan reports for a >= 128.) */
#define CU_IPV4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

#define CU_PKT_PAD 0xee         /* the byte Ethernet padding is made of */
#define CU_PKT_OPT 0x01         /* IPv4 option bytes: NOP */

/* What cu_pkt_udp() builds; fields left 0 take the default in brackets. */
struct cu_pkt {
	uint32_t src_ip;        /* host order [198.51.100.9] */
	uint32_t dst_ip;        /* host order [192.0.2.1] */
	uint16_t src_port;      /* [40000] */
	uint16_t dst_port;      /* [5000] */
	uint16_t payload;       /* UDP payload bytes, cu_pkt_byte(0..payload) */
	uint8_t ihl;            /* IPv4 header length in 32-bit words [5] */
	uint16_t frame_len;     /* pad the frame with CU_PKT_PAD to this length */
};

/* The i-th byte of every payload cu_pkt_udp() writes. */
static inline uint8_t
cu_pkt_byte(uint32_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/* A new single-segment packet as described by 'p' (NULL: all defaults),
 * or NULL if the pool is empty. */
struct rte_mbuf *cu_pkt_udp(struct rte_mempool *mp, const struct cu_pkt *p);

/* The IPv4 header of a packet built by cu_pkt_udp(). */
struct rte_ipv4_hdr *cu_pkt_ip(struct rte_mbuf *m);

/* The UDP header of a packet built by cu_pkt_udp(), after its IPv4 header
 * of whatever length it says it has. */
struct rte_udp_hdr *cu_pkt_udph(struct rte_mbuf *m);

/* Recomputes the IPv4 header checksum of 'm' over the header's length. */
void cu_pkt_ip_cksum(struct rte_mbuf *m);

/* Moves the last 'tail' bytes of single-segment 'm' into a second segment
 * chained to it.  Returns 0, or -1 (m unchanged) if the pool is empty. */
int cu_pkt_split(struct rte_mempool *mp, struct rte_mbuf *m, uint16_t tail);

/*
 * Overlay packets: an outer Ethernet/IPv4/UDP packet as cu_pkt_udp() builds
 * it whose UDP payload is an inner IPv4 packet, as a slice running the ipv4
 * code option sends it.
 */

/* The inner packet; fields left 0 take the default in brackets. */
struct cu_inner {
	uint32_t src_ip;        /* host order [10.1.0.1] */
	uint32_t dst_ip;        /* host order [10.2.0.1] */
	uint8_t proto;          /* [IPPROTO_UDP] */
	uint8_t ttl;            /* [64] */
	uint16_t src_port;      /* the first 2 bytes after the header [1111] */
	uint16_t dst_port;      /* the next 2 [2222] */
	uint16_t frag;          /* fragment_offset field, host order [0] */
	uint8_t ihl;            /* header length in 32-bit words [5] */
	uint16_t l4_len;        /* bytes after the header, at least 4 [8] */
};

/* Length of the inner packet 'in' describes. */
uint16_t cu_inner_len(const struct cu_inner *in);

/* Writes the inner packet 'in' (NULL: all defaults) at 'buf', which has
 * room for cu_inner_len(in) bytes and is 2-byte aligned: a correct header
 * (total length, checksum) with option bytes CU_PKT_OPT, the ports, then
 * cu_pkt_byte(4..).  Returns its length. */
uint16_t cu_inner_write(uint8_t *buf, const struct cu_inner *in);

/* A new packet as described by 'outer' (NULL: all defaults; its payload
 * length is ignored) carrying 'in' as its UDP payload, with a correct
 * outer UDP checksum; NULL if the pool is empty. */
struct rte_mbuf *cu_pkt_overlay(struct rte_mempool *mp, const struct cu_pkt *outer,
				const struct cu_inner *in);

/* The inner IPv4 header of a packet built by cu_pkt_overlay(). */
struct rte_ipv4_hdr *cu_pkt_inner_ip(struct rte_mbuf *m);

/* Recomputes the inner IPv4 header checksum of 'm'. */
void cu_pkt_inner_cksum(struct rte_mbuf *m);

#endif /* SP_TESTS_CU_PKT_H */
