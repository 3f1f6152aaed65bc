/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_PM_IPV4_H
#define SP_PM_IPV4_H

/*
 * The ipv4 code option: an overlay IPv4 router, the SPP's first
 * application.  The UDP payload is an IPv4 packet: parse validates it
 * (version, header length, total length equal to the payload, header
 * checksum; TTL above 1) and keys it on protocol, addresses and ports;
 * lookup tries the slice's filters, then its routes (longest prefix match
 * on the inner destination), then the input binding's default action;
 * format decrements the TTL with an incremental checksum update.  Same
 * concurrency contract as pm/pm.h.
 */

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "pm/pm.h"

extern const struct pm_ops pm_ipv4_ops;

/*
 * Checks an inner IPv4 packet of 'len' bytes at 'p'.  Returns -1 if it can
 * be routed, or the dp_slice_drop reason (MALFORMED, TTL_EXPIRED).
 */
int pm_ipv4_check(const uint8_t *p, uint16_t len);

/* Decrements the TTL of a header, updating its checksum incrementally
 * (RFC 1624, eqn. 3) over the 16-bit word that holds TTL and protocol. */
static inline void
pm_ipv4_ttl_dec(struct rte_ipv4_hdr *ip)
{
	uint16_t old = (uint16_t)(ip->time_to_live << 8 | ip->next_proto_id);
	uint16_t new = (uint16_t)(old - 0x0100);
	uint32_t sum = (uint16_t)~rte_be_to_cpu_16(ip->hdr_checksum);

	sum += (uint16_t)~old;
	sum += new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	ip->time_to_live--;
	ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)~sum);
}

#endif /* SP_PM_IPV4_H */
