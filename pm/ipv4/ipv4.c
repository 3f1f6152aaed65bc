/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "pm/ipv4/ipv4.h"

#include <stddef.h>
#include <string.h>

#include "dataplane/meta.h"

#define PM_IPV4_ACCEPT (-1)

int
pm_ipv4_check(const uint8_t *p, uint16_t len)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)p;
	uint16_t hlen;

	if (len < sizeof(*ip) || (ip->version_ihl >> 4) != 4)
		return DP_SLICE_DROP_MALFORMED;
	hlen = rte_ipv4_hdr_len(ip);
	if (hlen < sizeof(*ip) || hlen > len ||
	    dp_be16_to_cpu(ip->total_length) != len)
		return DP_SLICE_DROP_MALFORMED;
	if (rte_raw_cksum(ip, hlen) != 0xffff)
		return DP_SLICE_DROP_MALFORMED;
	if (ip->time_to_live <= 1)
		return DP_SLICE_DROP_TTL_EXPIRED;
	return PM_IPV4_ACCEPT;
}

/* Fills the key of a checked inner packet: protocol, addresses, and the
 * ports of a first (or only) UDP, TCP or SCTP fragment that carries them. */
static void
ipv4_key(struct dp_key *k, const uint8_t *p, uint16_t len, uint16_t binding)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)p;
	uint16_t hlen = rte_ipv4_hdr_len(ip);
	uint64_t addrs;
	uint32_t ports = 0;

	/* Source and destination lie next to each other, as in the key. */
	RTE_BUILD_BUG_ON(offsetof(struct rte_ipv4_hdr, dst_addr) !=
			 offsetof(struct rte_ipv4_hdr, src_addr) + 4);
	RTE_BUILD_BUG_ON(offsetof(struct dp_key, ipv4.src) != 8 ||
			 offsetof(struct dp_key, ipv4.sport) != 16 ||
			 offsetof(struct dp_key, ipv4.dport) != 18);
	memcpy(&addrs, &ip->src_addr, sizeof(addrs));
	if ((ip->next_proto_id == IPPROTO_UDP || ip->next_proto_id == IPPROTO_TCP ||
	     ip->next_proto_id == IPPROTO_SCTP) &&
	    !(ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)) &&
	    len >= hlen + 4)
		memcpy(&ports, p + hlen, sizeof(ports));
	dp_key_set(k, ip->next_proto_id, binding, addrs, ports);
}

static uint16_t
ipv4_parse_burst(const struct dp_slice *s, struct rte_mbuf **pkts, uint16_t n,
		 struct dp_key *keys, uint64_t *drops)
{
	uint16_t kept = 0;

	(void)s;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint16_t len;
		const uint8_t *p = pm_payload(m, &len);
		int reason = pm_ipv4_check(p, len);

		if (reason != PM_IPV4_ACCEPT) {
			dp_count(&drops[reason], 1);
			rte_pktmbuf_free(m);
			continue;
		}
		ipv4_key(&keys[kept], p, len, dp_meta(m)->binding);
		pkts[kept++] = m;
	}
	return kept;
}

static void
ipv4_format_burst(const struct dp_slice *s, struct rte_mbuf **pkts, uint16_t n)
{
	(void)s;
	for (uint16_t i = 0; i < n; i++) {
		uint16_t len;

		pm_ipv4_ttl_dec((struct rte_ipv4_hdr *)pm_payload(pkts[i], &len));
	}
}

static int
ipv4_table_build(struct dp_slice *t, const struct pm_config *cfg)
{
	return dp_lookup_build(t, DP_KEY_IPV4, cfg->rules, cfg->nb_rules,
			       cfg->routes, cfg->nb_routes);
}

const struct pm_ops pm_ipv4_ops = {
	.name = "ipv4",
	.key_layout = DP_KEY_IPV4,
	.validate_config = NULL,
	.table_build = ipv4_table_build,
	.table_free = dp_lookup_free,
	.parse_burst = ipv4_parse_burst,
	.format_burst = ipv4_format_burst,
};
