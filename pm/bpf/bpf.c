/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "pm/bpf/bpf.h"

#include <string.h>

#include "dataplane/meta.h"

/* Without a program: key 0 from every input binding. */
static uint16_t
bpf_parse_burst(const struct dp_slice *s, struct rte_mbuf **pkts,
		uint16_t n, struct dp_key *keys, uint64_t *drops)
{
	(void)drops;
	if (!dp_slice_has_filters(s))
		return n;
	for (uint16_t i = 0; i < n; i++) {
		memset(&keys[i], 0, sizeof(keys[i]));
		keys[i].binding = rte_cpu_to_be_32(dp_meta(pkts[i])->binding);
	}
	return n;
}

/* Refuses routes: a program's class is not an address. */
static int
bpf_validate_config(const struct pm_config *cfg, struct pm_fault *fault)
{
	return pm_refuse_routes(cfg, fault, "bpf",
				"filters match the program's return value");
}

const struct pm_ops pm_bpf_ops = {
	.name = "bpf",
	.key_layout = DP_KEY_GENERIC,
	.program_keys = true,
	.validate_config = bpf_validate_config,
	.table_build = pm_table_build_generic,
	.table_free = dp_lookup_free,
	.parse_burst = bpf_parse_burst,
	.format_burst = NULL,
};
