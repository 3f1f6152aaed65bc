/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_POLICE_H
#define SP_DP_POLICE_H

/*
 * Ingress policing: a slice's packets arriving on an interface are metered
 * (rte_meter srTCM, colour-blind) at the input bandwidth the slice
 * reserved there; red packets are dropped and counted as 'policed'.  A
 * slice's bindings on one interface share its meter.  Packets on an
 * interface where the slice reserved no input bandwidth are all policed.
 *
 * Concurrency: the profiles are part of the RCU-published slice table;
 * the meter state (dp_slice.meter) is the one mutable part of a table,
 * written only by the worker that polls the interface (each port has one
 * rx queue, polled by one worker).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_meter.h>

#include "dataplane/tables.h"

/* A meter's committed and excess bursts: this long at its rate, and at
 * least DP_POLICE_BURST_MIN bytes. */
#define DP_POLICE_BURST_US 10000
#define DP_POLICE_BURST_MIN 4096

/*
 * The colour of a packet of 'len' bytes on meter m, whose buckets are up
 * to date: rte_meter_srtcm_color_blind_check()'s colour logic without its
 * bucket update.  That update divides by the period on every call, and a
 * 64-bit division per packet is dear; the buckets change only when time
 * does, and a burst is metered at one time.
 */
static inline enum rte_color
dp_police_color(struct rte_meter_srtcm *m, uint32_t len)
{
	if (m->tc >= len) {
		m->tc -= len;
		return RTE_COLOR_GREEN;
	}
	if (m->te >= len) {
		m->te -= len;
		return RTE_COLOR_YELLOW;
	}
	return RTE_COLOR_RED;
}

/*
 * Whether a packet of 'len' bytes that slice s received on interface k is
 * within the slice's input reservation there, at TSC time 'now'; if so it
 * takes its tokens.  The same colours as rte_meter_srtcm_color_blind_check()
 * on each packet of a burst in turn, with each meter's buckets brought up
 * to 'now' once per burst (a zero-length check): '*updated' has a bit for
 * each interface whose meter is, and is 0 at a burst's start.
 */
static inline bool
dp_police_pass(const struct dp_slice *s, unsigned int k, uint32_t len, uint32_t *updated,
	       uint64_t now)
{
	RTE_BUILD_BUG_ON(SP_MAX_PORTS > 32);
	if (!(s->metered >> k & 1))
		return false;
	if (!(*updated >> k & 1)) {
		/* rte_meter only reads the profile; its API is not const. */
		struct rte_meter_srtcm_profile *prof =
			(struct rte_meter_srtcm_profile *)(uintptr_t)&s->meter_profile[k];

		rte_meter_srtcm_color_blind_check(&s->meter[k], prof, now, 0);
		*updated |= 1u << k;
	}
	return dp_police_color(&s->meter[k], len) != RTE_COLOR_RED;
}

/*
 * dp_police_pass() for a burst of packets that slice s received on
 * interface k, 'bytes' in all, when the committed bucket holds them all:
 * takes their tokens at once and returns true, leaving the meter as packet
 * by packet would (each packet green, the bucket down by each one's
 * length).  Otherwise returns false and takes nothing; the bucket may have
 * been brought up to 'now', as '*updated' then says.
 */
static inline bool
dp_police_pass_all(const struct dp_slice *s, unsigned int k, uint32_t bytes,
		   uint32_t *updated, uint64_t now)
{
	struct rte_meter_srtcm *m = &s->meter[k];

	/* Zero bytes: only brings the bucket up to date, and is green
	 * wherever the slice is metered at all. */
	if (!dp_police_pass(s, k, 0, updated, now) || m->tc < bytes)
		return false;
	m->tc -= bytes;
	return true;
}

#endif /* SP_DP_POLICE_H */
