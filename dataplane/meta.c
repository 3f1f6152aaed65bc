/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/meta.h"

#include <errno.h>

#include <rte_errno.h>

int dp_meta_offset = -1;
int dp_rx_tsc_offset = -1;

int
dp_meta_register(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "slicepath_dp_meta",
		.size = sizeof(struct dp_meta),
		.align = __alignof__(struct dp_meta),
	};
	int off = rte_mbuf_dynfield_register(&desc);

	if (off < 0)
		return -rte_errno;
	dp_meta_offset = off;
	if (rte_mbuf_dyn_rx_timestamp_register(&dp_rx_tsc_offset, NULL) != 0)
		return -rte_errno;
	return 0;
}
