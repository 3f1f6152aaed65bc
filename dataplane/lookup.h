/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_LOOKUP_H
#define SP_DP_LOOKUP_H

/*
 * lookup: a slice's key -> an action, through the slice's own filters
 * (wildcard key/mask with priority, first match wins, as in the SPP's
 * TCAM) and then its routes (an rte_fib, longest prefix match on the inner
 * IPv4 destination), and last its input binding's default action.
 *
 * The filters are classified by a tuple space (dataplane/tss.h) when
 * their matches are masks over a few distinct masks, as they usually are,
 * and by an rte_acl context otherwise (port ranges, many masks).
 *
 * Built by the control plane (dp_lookup_build) into a slice table that is
 * then published under RCU (dataplane/tables.h); read-only on workers.
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>

#include "dataplane/stats.h"

struct dp_slice;
struct dp_action;

/* Length of the generic key, in bytes: the SPP TCAM's 112 bits. */
#define DP_KEY_BYTES 14

/*
 * The lookup key a code option's parse stage builds, laid out for rte_acl
 * (network byte order, a one-byte first field, then 4-byte input words);
 * the tuple space reads it as three 64-bit words, padding masked out.  The
 * input binding rides along as the SPP's hidden slice-local field.
 */
struct dp_key {
	uint8_t b0;                     /* ipv4: protocol; generic: key[0] */
	uint8_t pad[3];
	rte_be32_t binding;             /* input binding id */
	union {
		struct {
			rte_be32_t src;
			rte_be32_t dst;
			rte_be16_t sport;       /* 0 if the packet has none */
			rte_be16_t dport;
		} ipv4;
		uint8_t bytes[16];      /* generic: key[1..13], then zeros */
	};
} __rte_aligned(8);

/*
 * Writes key k whole: b0, input binding 'binding', and w1 and w2 as the
 * key's second and third 8-byte words as they lie in memory.  Each word is
 * stored once and whole, so that the lookup's 64-bit loads of the key are
 * forwarded from these stores; field stores over a memset are not, and
 * stalled every lookup.
 */
static inline void
dp_key_set(struct dp_key *k, uint8_t b0, uint16_t binding, uint64_t w1, uint64_t w2)
{
	/* The shift places the binding as a little-endian machine stores it:
	 * at offsets 4..7, after b0 and three bytes of padding. */
	uint64_t w[3] = { b0 | (uint64_t)rte_cpu_to_be_32(binding) << 32, w1, w2 };

	RTE_BUILD_BUG_ON(RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN);
	RTE_BUILD_BUG_ON(sizeof(*k) != sizeof(w));
	memcpy(k, w, sizeof(w));
}

/* Writes the generic key of payload p, at least DP_KEY_BYTES long, from
 * input binding 'binding': p[0], then p[1..13] and zeros in bytes[]. */
static inline void
dp_key_generic(struct dp_key *k, const uint8_t *p, uint16_t binding)
{
	uint64_t w1, w2;

	RTE_BUILD_BUG_ON(DP_KEY_BYTES != 14);
	memcpy(&w1, p + 1, sizeof(w1));
	/* p[6..13] less the three bytes w1 has: p[9..13], then zeros
	 * (little-endian, as in dp_key_set()). */
	memcpy(&w2, p + 6, sizeof(w2));
	dp_key_set(k, p[0], binding, w1, w2 >> 24);
}

/* How a code option's keys are matched. */
enum dp_key_layout {
	DP_KEY_GENERIC,         /* 112-bit key and mask */
	DP_KEY_IPV4,            /* protocol, prefixes, port ranges */
};

/* One filter's match.  Zero masks and full ranges are wildcards. */
struct dp_match {
	uint8_t binding;
	bool any_binding;
	union {
		struct {
			uint32_t src;           /* host order */
			uint32_t dst;
			uint8_t src_len;        /* prefix lengths, 0..32 */
			uint8_t dst_len;
			uint8_t proto;
			bool any_proto;
			uint16_t sport_lo, sport_hi;
			uint16_t dport_lo, dport_hi;
		} ipv4;
		struct {
			uint8_t key[DP_KEY_BYTES];
			uint8_t mask[DP_KEY_BYTES];
		} generic;
	};
};

/* A filter as the builder takes it: lower priority wins, then lower id. */
struct dp_rule {
	uint32_t priority;
	uint32_t id;
	struct dp_match match;
};

/* A route: prefix (host order) and length. */
struct dp_route {
	uint32_t prefix;
	uint8_t len;
};

/*
 * Builds slice table t's classifiers: a tuple space or, if the rules do not
 * suit one, an ACL context from rules[0..nb_rules) whose match i selects
 * t->filters[i], and a FIB from routes[0..nb_routes) whose route j selects
 * t->routes[j].  Either may be empty (no classifier).  The filters'
 * run-time memory is capped in proportion to the rules.  Returns 0,
 * -ERANGE if the rules do not fit that cap, or another negative errno,
 * with nothing left allocated on failure.
 */
int dp_lookup_build(struct dp_slice *t, enum dp_key_layout layout,
		    const struct dp_rule *rules, uint32_t nb_rules,
		    const struct dp_route *routes, uint32_t nb_routes);

/*
 * Test knob: while true, dp_lookup_build() puts filters in an ACL context
 * even when a tuple space would take them, so that tests can check both
 * classifiers against the same rules.  Never set outside tests.
 */
extern bool dp_lookup_force_acl;

/* Frees what dp_lookup_build() made; safe on a table it never touched. */
void dp_lookup_free(struct dp_slice *t);

/*
 * Finds the action for each of 'n' keys of slice 's' (keys[i] is pkts[i]'s;
 * they are read only if the slice has filters or routes): its best filter,
 * else its longest matching route (DP_KEY_IPV4 only), else the input
 * binding's default action.  Counts filter hits in st.
 */
void dp_lookup_burst(const struct dp_slice *s, struct rte_mbuf **pkts,
		     const struct dp_key *keys, uint16_t n,
		     const struct dp_action **acts, struct dp_lcore_stats *st);

#endif /* SP_DP_LOOKUP_H */
