/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "pm/passthrough/passthrough.h"

#include <string.h>

#include "dataplane/meta.h"

/* The key: the payload's first 14 bytes and the input binding. */
static uint16_t
passthrough_parse_burst(const struct dp_slice *s, struct rte_mbuf **pkts,
			uint16_t n, struct dp_key *keys, uint64_t *drops)
{
	(void)drops;
	/* Only filters read the key, and this option has nothing to refuse. */
	if (!dp_slice_has_filters(s))
		return n;
	for (uint16_t i = 0; i < n; i++) {
		struct dp_key *k = &keys[i];
		uint16_t len;
		const uint8_t *p = pm_payload(pkts[i], &len);

		if (likely(len >= DP_KEY_BYTES)) {
			dp_key_generic(k, p, dp_meta(pkts[i])->binding);
			continue;
		}
		memset(k, 0, sizeof(*k));
		k->binding = rte_cpu_to_be_32(dp_meta(pkts[i])->binding);
		if (len > 0)
			k->b0 = p[0];
		if (len > 1)
			memcpy(k->bytes, p + 1, RTE_MIN(len - 1, DP_KEY_BYTES - 1));
	}
	return n;
}

/* Refuses routes: there is no destination address to route on. */
static int
passthrough_validate_config(const struct pm_config *cfg, struct pm_fault *fault)
{
	return pm_refuse_routes(cfg, fault, "passthrough",
				"its payload has no address to route on");
}

const struct pm_ops pm_passthrough_ops = {
	.name = "passthrough",
	.key_layout = DP_KEY_GENERIC,
	.validate_config = passthrough_validate_config,
	.table_build = pm_table_build_generic,
	.table_free = dp_lookup_free,
	.parse_burst = passthrough_parse_burst,
	.format_burst = NULL,
};
