/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * A worked example (docs/bpf.md): keep an ipv4 slice's UDP packets to port
 * 53, and put queries for port 53 from low source ports in queue 1.  The
 * pcap-filter expression "udp dst port 53" does the first half.
 */

#include "slicepath_bpf.h"

#define IPPROTO_UDP 17

SEC("dns")
uint64_t
dns_filter(void *pkt)
{
	uint64_t ihl = (load_byte(pkt, 0) & 0x0f) * 4;

	if (load_byte(pkt, 9) != IPPROTO_UDP)
		return SP_BPF_NO_MATCH;
	/* Fragments after the first carry no UDP header. */
	if (load_half(pkt, 6) & 0x1fff)
		return SP_BPF_NO_MATCH;
	if (load_half(pkt, ihl + 2) != 53)
		return SP_BPF_NO_MATCH;
	return load_half(pkt, ihl) < 1024 ? SP_BPF_QUEUE(1) : SP_BPF_MATCH;
}
