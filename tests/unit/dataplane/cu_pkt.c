/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "tests/unit/dataplane/cu_pkt.h"

#include <string.h>

#include <rte_ether.h>

static const struct rte_ether_addr cu_pkt_dst_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
static const struct rte_ether_addr cu_pkt_src_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xfe } };

struct rte_mbuf *
cu_pkt_udp(struct rte_mempool *mp, const struct cu_pkt *p)
{
	static const struct cu_pkt defaults;
	const struct cu_pkt *d = p != NULL ? p : &defaults;
	uint32_t l3 = 4u * (d->ihl != 0 ? d->ihl : 5);
	uint32_t len = sizeof(struct rte_ether_hdr) + l3 + sizeof(struct rte_udp_hdr) +
		       d->payload;
	uint32_t frame = RTE_MAX(len, (uint32_t)d->frame_len);
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint8_t *data;

	if (m == NULL)
		return NULL;
	data = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)frame);
	if (data == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(data, CU_PKT_PAD, frame);

	eth = (struct rte_ether_hdr *)data;
	rte_ether_addr_copy(&cu_pkt_dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(&cu_pkt_src_mac, &eth->src_addr);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);

	ip = (struct rte_ipv4_hdr *)(eth + 1);
	*ip = (struct rte_ipv4_hdr){
		.version_ihl = (uint8_t)(0x40 | (l3 / 4)),
		.total_length = rte_cpu_to_be_16((uint16_t)(l3 + sizeof(*udp) + d->payload)),
		.packet_id = RTE_BE16(0x1234),
		.time_to_live = 17,
		.next_proto_id = IPPROTO_UDP,
		.src_addr = rte_cpu_to_be_32(d->src_ip != 0 ? d->src_ip : CU_IPV4(198, 51, 100, 9)),
		.dst_addr = rte_cpu_to_be_32(d->dst_ip != 0 ? d->dst_ip : CU_IPV4(192, 0, 2, 1)),
	};
	memset(ip + 1, CU_PKT_OPT, l3 - sizeof(*ip));
	ip->hdr_checksum = rte_ipv4_cksum(ip);

	udp = (struct rte_udp_hdr *)((uint8_t *)ip + l3);
	*udp = (struct rte_udp_hdr){
		.src_port = rte_cpu_to_be_16(d->src_port != 0 ? d->src_port : 40000),
		.dst_port = rte_cpu_to_be_16(d->dst_port != 0 ? d->dst_port : 5000),
		.dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + d->payload)),
	};
	for (uint32_t i = 0; i < d->payload; i++)
		((uint8_t *)(udp + 1))[i] = cu_pkt_byte(i);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	return m;
}

struct rte_ipv4_hdr *
cu_pkt_ip(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
				       sizeof(struct rte_ether_hdr));
}

struct rte_udp_hdr *
cu_pkt_udph(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *,
				       sizeof(struct rte_ether_hdr) +
				       rte_ipv4_hdr_len(cu_pkt_ip(m)));
}

void
cu_pkt_ip_cksum(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = cu_pkt_ip(m);

	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

int
cu_pkt_split(struct rte_mempool *mp, struct rte_mbuf *m, uint16_t tail)
{
	struct rte_mbuf *t = rte_pktmbuf_alloc(mp);
	char *dst;

	if (t == NULL)
		return -1;
	dst = rte_pktmbuf_append(t, tail);
	if (dst == NULL || tail > rte_pktmbuf_data_len(m)) {
		rte_pktmbuf_free(t);
		return -1;
	}
	memcpy(dst, rte_pktmbuf_mtod_offset(m, char *, rte_pktmbuf_data_len(m) - tail), tail);
	rte_pktmbuf_trim(m, tail);
	if (rte_pktmbuf_chain(m, t) != 0) {
		rte_pktmbuf_free(t);
		return -1;
	}
	return 0;
}

uint16_t
cu_inner_len(const struct cu_inner *in)
{
	static const struct cu_inner defaults;
	const struct cu_inner *d = in != NULL ? in : &defaults;

	return (uint16_t)(4u * (d->ihl != 0 ? d->ihl : 5) + (d->l4_len != 0 ? d->l4_len : 8));
}

uint16_t
cu_inner_write(uint8_t *buf, const struct cu_inner *in)
{
	static const struct cu_inner defaults;
	const struct cu_inner *d = in != NULL ? in : &defaults;
	uint32_t l3 = 4u * (d->ihl != 0 ? d->ihl : 5);
	uint16_t len = cu_inner_len(d);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)buf;
	rte_be16_t ports[2] = {
		rte_cpu_to_be_16(d->src_port != 0 ? d->src_port : 1111),
		rte_cpu_to_be_16(d->dst_port != 0 ? d->dst_port : 2222),
	};

	*ip = (struct rte_ipv4_hdr){
		.version_ihl = (uint8_t)(0x40 | (l3 / 4)),
		.total_length = rte_cpu_to_be_16(len),
		.packet_id = RTE_BE16(0x4321),
		.fragment_offset = rte_cpu_to_be_16(d->frag),
		.time_to_live = d->ttl != 0 ? d->ttl : 64,
		.next_proto_id = d->proto != 0 ? d->proto : IPPROTO_UDP,
		.src_addr = rte_cpu_to_be_32(d->src_ip != 0 ? d->src_ip : CU_IPV4(10, 1, 0, 1)),
		.dst_addr = rte_cpu_to_be_32(d->dst_ip != 0 ? d->dst_ip : CU_IPV4(10, 2, 0, 1)),
	};
	memset(ip + 1, CU_PKT_OPT, l3 - sizeof(*ip));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	for (uint32_t i = 4; i < len - l3; i++)
		buf[l3 + i] = cu_pkt_byte(i);
	memcpy(buf + l3, ports, sizeof(ports));
	return len;
}

struct rte_mbuf *
cu_pkt_overlay(struct rte_mempool *mp, const struct cu_pkt *outer,
	       const struct cu_inner *in)
{
	struct cu_pkt p = { 0 };
	struct rte_mbuf *m;
	struct rte_udp_hdr *udp;

	if (outer != NULL)
		p = *outer;
	p.payload = cu_inner_len(in);
	m = cu_pkt_udp(mp, &p);
	if (m == NULL)
		return NULL;
	udp = cu_pkt_udph(m);
	cu_inner_write((uint8_t *)(udp + 1), in);
	udp->dgram_cksum = 0;
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(cu_pkt_ip(m), udp);
	return m;
}

struct rte_ipv4_hdr *
cu_pkt_inner_ip(struct rte_mbuf *m)
{
	return (struct rte_ipv4_hdr *)(cu_pkt_udph(m) + 1);
}

void
cu_pkt_inner_cksum(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = cu_pkt_inner_ip(m);

	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}
