/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "pm/passthrough/passthrough.h"

#include "dataplane/meta.h"

/* Each packet gets its input binding's default action. */
static void
passthrough_classify_burst(const struct dp_slice *s, struct rte_mbuf **pkts,
			   uint16_t n, const struct dp_action **acts)
{
	for (uint16_t i = 0; i < n; i++)
		acts[i] = &s->bindings[dp_meta(pkts[i])->binding].default_action;
}

const struct pm_ops pm_passthrough_ops = {
	.name = "passthrough",
	.classify_burst = passthrough_classify_burst,
};
