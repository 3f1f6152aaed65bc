/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Valid: picks the slice's queue by the inner UDP destination port.  Ports
 * 2000..2003 go to queues 0..3 (SP_BPF_QUEUE), anything else matches
 * without choosing a queue (SP_BPF_MATCH).  Nothing is dropped.
 */

#include "slicepath_bpf.h"

#define QUEUE_BASE_PORT 2000
#define QUEUES 4

SEC("queue")
uint64_t
queue_by_port(void *pkt)
{
	uint64_t port;

	if (load_byte(pkt, 0) != 0x45 || load_byte(pkt, 9) != 17)
		return SP_BPF_MATCH;
	port = load_half(pkt, 22);
	if (port >= QUEUE_BASE_PORT && port < QUEUE_BASE_PORT + QUEUES)
		return SP_BPF_QUEUE(port - QUEUE_BASE_PORT);
	return SP_BPF_MATCH;
}
