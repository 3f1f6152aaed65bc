/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_PM_H
#define SP_PM_H

/*
 * Processing modules: a slice's code option.
 *
 * A code option decides, for each packet demultiplexed to its slice, what
 * happens to it.  Its ops run on worker lcores and read only the slice's
 * RCU-published table (dataplane/tables.h): no allocation, locking, logging
 * or system calls.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include "dataplane/tables.h"

struct pm_ops {
	/* The code option's name in the API ("passthrough", ...). */
	const char *name;

	/*
	 * Classifies a burst of 'n' packets that all belong to slice 's'
	 * (dp_meta(pkts[i])->slice == s->slot, input binding in
	 * dp_meta(pkts[i])->binding): writes to acts[i] the action for
	 * pkts[i], pointing into 's'.  Never NULL: a packet with nothing to
	 * do gets an action of type DP_ACTION_NONE.  May rewrite the UDP
	 * payload (the slice's own packet) but not the outer headers; never
	 * frees or transmits.
	 */
	void (*classify_burst)(const struct dp_slice *s, struct rte_mbuf **pkts,
			       uint16_t n, const struct dp_action **acts);
};

/* The code option named 'name', or NULL if this build has none by that name. */
const struct pm_ops *pm_find(const char *name);

/* Writes the names of the available code options, comma-separated, to buf. */
void pm_list(char *buf, size_t size);

#endif /* SP_PM_H */
