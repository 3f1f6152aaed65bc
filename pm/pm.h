/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_PM_H
#define SP_PM_H

/*
 * Processing modules: a slice's code option.
 *
 * A code option shapes how its slice's packets are parsed into a lookup key
 * and how forwarded packets are rewritten; the lookup between the two is
 * the node's (dataplane/lookup.h).  The control plane calls
 * validate_config, table_build and table_free; workers call parse_burst
 * and format_burst, which read only the slice's RCU-published table
 * (dataplane/tables.h) and do no allocation, locking, logging or system
 * calls.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dataplane/lookup.h"
#include "dataplane/meta.h"
#include "dataplane/tables.h"

/* What a code option is shown of a slice's configuration. */
struct pm_config {
	const struct dp_rule *rules;    /* filters, in the slice table's order */
	uint32_t nb_rules;
	const struct dp_route *routes;  /* routes, in the slice table's order */
	uint32_t nb_routes;
};

/* Where and why a configuration was refused. */
struct pm_fault {
	const char *collection;         /* "filters", "routes" */
	uint32_t index;                 /* in that collection */
	char msg[128];
};

struct pm_ops {
	/* The code option's name in the API ("passthrough", ...). */
	const char *name;

	/* How its filters match: named IPv4 fields or the 112-bit key. */
	enum dp_key_layout key_layout;

	/* The slice's program, if it has one, makes the keys (its return
	 * value is the key) instead of parse_burst and filtering packets. */
	bool program_keys;

	/*
	 * Checks what only the code option knows about a configuration whose
	 * shape, references and counts are already valid.  Returns 0, or
	 * -EINVAL with *fault set.  May be NULL.
	 */
	int (*validate_config)(const struct pm_config *cfg, struct pm_fault *fault);

	/*
	 * Builds slice table t's classifiers from cfg; t->filters and
	 * t->routes are already resolved, in the same order.  Returns 0 or a
	 * negative errno, leaving nothing allocated on failure.
	 */
	int (*table_build)(struct dp_slice *t, const struct pm_config *cfg);

	/* Frees what table_build made; safe on a table it never built. */
	void (*table_free)(struct dp_slice *t);

	/*
	 * Builds keys[i] for each of the 'n' packets of slice 's' (metadata
	 * set by demux); may skip building keys the slice's table will not
	 * read (no filters, no routes).  A packet the code option refuses is counted in
	 * drops[] (the slice's dp_slice_drop counters) and freed; the kept
	 * packets and their keys are compacted to the front in order.
	 * Returns how many were kept.
	 */
	uint16_t (*parse_burst)(const struct dp_slice *s, struct rte_mbuf **pkts,
				uint16_t n, struct dp_key *keys, uint64_t *drops);

	/*
	 * Rewrites the slice's own packet (the UDP payload) of each of 'n'
	 * packets about to be forwarded, before the node puts new outer
	 * headers on them.  Never drops.  May be NULL.
	 */
	void (*format_burst)(const struct dp_slice *s, struct rte_mbuf **pkts,
			     uint16_t n);
};

/* The code option named 'name', or NULL if this build has none by that name. */
const struct pm_ops *pm_find(const char *name);

/* Writes the names of the available code options, comma-separated, to buf. */
void pm_list(char *buf, size_t size);

/* For code options without routes: refuses a configuration that has
 * some, saying 'why'.  Returns 0 or -EINVAL with *fault set. */
int pm_refuse_routes(const struct pm_config *cfg, struct pm_fault *fault,
		     const char *option, const char *why);

/* pm_ops.table_build for code options whose filters match the generic
 * 112-bit key and that have no routes. */
int pm_table_build_generic(struct dp_slice *t, const struct pm_config *cfg);

/* The UDP payload of a packet accepted by demux, and its length. */
static inline uint8_t *
pm_payload(struct rte_mbuf *m, uint16_t *len)
{
	const struct rte_udp_hdr *udp =
		rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, dp_l4_offset(m));

	*len = dp_be16_to_cpu(udp->dgram_len) - sizeof(*udp);
	return (uint8_t *)(udp + 1);
}

#endif /* SP_PM_H */
