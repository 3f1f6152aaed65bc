/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_META_H
#define SP_DP_META_H

/*
 * Per-packet metadata, carried in an mbuf dynamic field.
 *
 * Written by the worker that received the packet (demux and the code
 * option), read by the same worker until the packet is transmitted or
 * freed, including in the tx buffer's error callback.  Never touched by
 * the control plane.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

struct dp_meta {
	uint16_t slice;      /* slice slot, set at demux */
	uint16_t binding;    /* input binding id within the slice */
	uint16_t out_stat;   /* output binding's counter slot, set at format */
};

extern int dp_meta_offset;

/* Registers the dynamic field; call once after rte_eal_init().
 * Returns 0 or a negative errno. */
int dp_meta_register(void);

/* The metadata of 'm'. */
static inline struct dp_meta *
dp_meta(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, dp_meta_offset, struct dp_meta *);
}

#endif /* SP_DP_META_H */
