/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_TESTS_CU_LOOKUP_H
#define SP_TESTS_CU_LOOKUP_H

/*
 * Slice tables whose results say what they are, for the tests of
 * dataplane/lookup.c, and a reference of the lookup written as plain loops.
 *
 * In a table from cu_lookup_table(), filter i forwards to UDP port
 * CU_FPORT(i) and counts in slot i, route j forwards to CU_RPORT(j), and
 * bindings 0 .. CU_NB_BINDINGS-1 are present with a default action that
 * forwards to CU_DPORT(b), except CU_NONE_BINDING's, which is
 * DP_ACTION_NONE.  cu_lookup_decode() turns an action pointer back into
 * "filter i", "route j" or "default of binding b".
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "dataplane/lookup.h"
#include "dataplane/stats.h"
#include "dataplane/tables.h"
#include "pm/pm.h"

#define CU_NB_BINDINGS 4
#define CU_NONE_BINDING 3
#define CU_FPORT(i) (1 + (i))
#define CU_RPORT(j) (40001 + (j))
#define CU_DPORT(b) (60001 + (b))

/* What a lookup result is. */
enum cu_kind { CU_FILTER, CU_ROUTE, CU_DEFAULT, CU_BAD };

struct cu_outcome {
	enum cu_kind kind;
	uint32_t idx;           /* filter or route index, or binding id */
};

/* "filter", "route", ... indexed by enum cu_kind. */
extern const char *const cu_kind_names[];

/* Which filter classifier a build makes, and what the test asserts of it. */
enum cu_cls {
	CU_CLS_ANY,             /* dp_lookup_build()'s choice, whichever it is */
	CU_CLS_TSS,             /* its choice, which must be the tuple space */
	CU_CLS_ACL,             /* its choice, which must be rte_acl */
	CU_CLS_FORCE_ACL,       /* rte_acl, forced with dp_lookup_force_acl */
};

/* "any classifier", "tuple space", ... indexed by enum cu_cls. */
extern const char *const cu_cls_names[];

/* The mask of an IPv4 prefix of 'len' bits, host order. */
uint32_t cu_prefix_mask(uint8_t len);

/* A table for 'pm' with room for the results above; NULL if out of memory. */
struct dp_slice *cu_lookup_table(const struct pm_ops *pm, uint32_t nb_filters,
				 uint32_t nb_routes);

/* What 'a', a result of a lookup in t, is; CU_BAD if nothing of t. */
struct cu_outcome cu_lookup_decode(const struct dp_slice *t, const struct dp_action *a);

/*
 * dp_lookup_build() of t, forcing rte_acl if 'cls' says so, then asserts
 * that a table with filters has exactly the classifier 'cls' asks for;
 * 'ctx' names the case in failures.  Returns what dp_lookup_build() did.
 */
int cu_lookup_build(const char *ctx, struct dp_slice *t, enum dp_key_layout layout,
		    enum cu_cls cls, const struct dp_rule *rules, uint32_t nb_rules,
		    const struct dp_route *routes, uint32_t nb_routes);

/* Zeroed worker counters with 'nb_filters' hit counters; NULL if out of
 * memory.  cu_lookup_stats_free() accepts NULL. */
struct dp_lcore_stats *cu_lookup_stats(uint32_t nb_filters);
void cu_lookup_stats_free(struct dp_lcore_stats *st);

/*
 * Looks up keys[0..n), n <= SP_BURST, in t as one burst of packets from
 * 'mp' whose metadata names their key's binding, and writes what each got
 * to out[].  Returns 0, or -1 if the pool is short.
 */
int cu_lookup_burst(struct rte_mempool *mp, const struct dp_slice *t,
		    const struct dp_key *keys, uint16_t n, struct cu_outcome *out,
		    struct dp_lcore_stats *st);

/*
 * Builds a table of 'pm' from the rules and routes with cu_lookup_build(),
 * looks up keys[0..nk) in bursts of 'burst' and asserts that each gets
 * want[] and that the hit counters count what want[] says; 'ctx' names the
 * case in failures.
 */
void cu_lookup_check(const char *ctx, struct rte_mempool *mp, const struct pm_ops *pm,
		     enum cu_cls cls, const struct dp_rule *rules, uint32_t nb_rules,
		     const struct dp_route *routes, uint32_t nb_routes,
		     const struct dp_key *keys, const struct cu_outcome *want, uint32_t nk,
		     uint16_t burst);

/* The reference: the filter (TCAM: lowest priority, then lowest id) that
 * key k matches, else its longest route, else its binding's default. */
struct cu_outcome cu_lookup_ref(enum dp_key_layout layout, const struct dp_rule *rules,
				uint32_t nb_rules, const struct dp_route *routes,
				uint32_t nb_routes, const struct dp_key *k);

/* Keys as the parse stages build them: network order, zero padding. */
struct dp_key cu_key_ipv4(uint32_t binding, uint8_t proto, uint32_t src, uint32_t dst,
			  uint16_t sport, uint16_t dport);
struct dp_key cu_key_generic(uint32_t binding, const uint8_t bytes[DP_KEY_BYTES]);

/*
 * Random rule sets and keys for checks against cu_lookup_ref(), from a
 * deterministic generator (xorshift64*) that cu_rnd_seed() restarts.
 */
void cu_rnd_seed(uint64_t seed);
uint32_t cu_rnd(void);
uint32_t cu_rnd_below(uint32_t n);

/* IPv4 filters spread over the address space, a tenth overlapping an
 * earlier one; many equal priorities, unique ids not in index order. */
void cu_rnd_ipv4_rules(struct dp_rule *rules, uint32_t n);

/* IPv4 filters with random prefixes and random port ranges on both sides:
 * more than the classifier takes. */
void cu_rnd_ipv4_wild_rules(struct dp_rule *rules, uint32_t n);

/* IPv4 filters a tuple space takes: eight shapes of match (which fields,
 * prefix lengths, ports one, all or an aligned block), a tenth with the
 * match of an earlier one; priorities and ids as above. */
void cu_rnd_ipv4_mask_rules(struct dp_rule *rules, uint32_t n);

/* A key inside match m (ports often at a range's end), else inside route
 * r, else anywhere (both NULL); a quarter of those inside m are pushed
 * just out by one address bit or one port. */
struct dp_key cu_rnd_ipv4_key(const struct dp_match *m, const struct dp_route *r);

/* Generic filters matching 4 bytes each: bytes 0, 5, 9 and 13 exactly
 * (one in each ACL field) if 'fixed', else any 4, the first of them under a
 * random partial mask.  Key bits under zero mask bits are random too. */
void cu_rnd_generic_rules(struct dp_rule *rules, uint32_t n, bool fixed);

/* The most masks cu_rnd_generic_mask_rules() draws. */
#define CU_MAX_MASKS 16

/* Generic filters on exactly 'nb_masks' distinct masks (binding or any,
 * four of five bytes, one in each ACL field, one of them partial now and
 * then), each used; key bits under zero mask bits are random; a tenth
 * have the masked key of an earlier one. */
void cu_rnd_generic_mask_rules(struct dp_rule *rules, uint32_t n, unsigned int nb_masks);

/* A generic key inside match m (NULL: anywhere), now and then one bit out. */
struct dp_key cu_rnd_generic_key(const struct dp_match *m);

#endif /* SP_TESTS_CU_LOOKUP_H */
