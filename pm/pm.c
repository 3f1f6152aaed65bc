/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "pm/pm.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pm/bpf/bpf.h"
#include "pm/ipv4/ipv4.h"
#include "pm/passthrough/passthrough.h"

static const struct pm_ops *const pm_table[] = {
	&pm_passthrough_ops,
	&pm_ipv4_ops,
	&pm_bpf_ops,
};

const struct pm_ops *
pm_find(const char *name)
{
	for (size_t i = 0; i < RTE_DIM(pm_table); i++)
		if (strcmp(pm_table[i]->name, name) == 0)
			return pm_table[i];
	return NULL;
}

void
pm_list(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < RTE_DIM(pm_table) && used < size; i++)
		used += snprintf(buf + used, size - used, "%s%s",
				 i ? ", " : "", pm_table[i]->name);
}

int
pm_refuse_routes(const struct pm_config *cfg, struct pm_fault *fault,
		 const char *option, const char *why)
{
	if (cfg->nb_routes == 0)
		return 0;
	fault->collection = "routes";
	fault->index = 0;
	snprintf(fault->msg, sizeof(fault->msg), "the %s code option has no routes (%s)",
		 option, why);
	return -EINVAL;
}

int
pm_table_build_generic(struct dp_slice *t, const struct pm_config *cfg)
{
	return dp_lookup_build(t, DP_KEY_GENERIC, cfg->rules, cfg->nb_rules, NULL, 0);
}
