/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/slice_json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "control/config_json.h"
#include "control/openflow.h"
#include "dataplane/gen.h"
#include "pm/pm.h"

#define F(type_, member) offsetof(type_, member), sizeof(((type_ *)0)->member)

struct slice_doc {
	char name[JV_NAME_MAX + 1];
	char code_option[JV_NAME_MAX + 1];
};

static const struct jv_field slice_fields[] = {
	{ "name", JV_NAME, true, F(struct slice_doc, name), 0, 0 },
	{ "code_option", JV_STRING, true, F(struct slice_doc, code_option), 1, JV_NAME_MAX },
	{ "reservation", JV_OBJECT, true, 0, 0, 0, 0 },
};

static const struct jv_field reservation_fields[] = {
	{ "filters", JV_UINT, false, F(struct reservation, filters), 0, 1u << 24 },
	{ "queues", JV_UINT, false, F(struct reservation, queues), 0, 1u << 16 },
	{ "buffers", JV_UINT, false, F(struct reservation, buffers), 0, 1u << 22 },
	{ "program_cycles_per_sec", JV_UINT, false, F(struct reservation, program_cycles),
	  0, UINT64_C(1) << 40 },
	{ "bandwidth", JV_OBJECT, false, 0, 0, 0, 0 },
};

static const struct jv_field bandwidth_fields[] = {
	{ "in_bps", JV_UINT, false, F(struct bandwidth, in_bps), 0, NODE_RATE_MAX },
	{ "out_bps", JV_UINT, false, F(struct bandwidth, out_bps), 0, NODE_RATE_MAX },
};

/* Parses "bandwidth": {"<interface>": {"in_bps": ..., "out_bps": ...}} at
 * 'at'. */
static int
bandwidth_parse(const struct node *node, const json_t *v, const char *at,
		struct reservation *r, struct sp_error *err)
{
	char path[JV_PATH_MAX];
	const char *key;
	json_t *member;

	json_object_foreach((json_t *)v, key, member) {
		int i = node_config_iface(&node->cfg, key);

		jv_path_key(path, sizeof(path), at, key);
		if (i < 0)
			return jv_fail(err, path, "the node has no interface named \"%.32s\"",
				       key);
		if (jv_object(member, path, bandwidth_fields, RTE_DIM(bandwidth_fields),
			      &r->bw[i], err))
			return -EINVAL;
		r->bw_set[i] = true;
	}
	return 0;
}

int
reservation_parse(const struct node *node, const json_t *v, const char *path,
		  struct reservation *r, struct sp_error *err)
{
	char at[JV_PATH_MAX];
	const json_t *bw;

	memset(r, 0, sizeof(*r));
	if (jv_object(v, path, reservation_fields, RTE_DIM(reservation_fields), r, err))
		return -EINVAL;
	bw = json_object_get(v, "bandwidth");
	jv_path_key(at, sizeof(at), path, "bandwidth");
	return bw != NULL ? bandwidth_parse(node, bw, at, r, err) : 0;
}

int
slice_params_parse(const struct node *node, const json_t *doc,
		   struct slice_params *p, struct sp_error *err)
{
	struct slice_doc d = { 0 };
	char names[128];

	memset(p, 0, sizeof(*p));
	if (jv_object(doc, "$", slice_fields, RTE_DIM(slice_fields), &d, err))
		return -EINVAL;
	p->pm = pm_find(d.code_option);
	if (p->pm == NULL) {
		pm_list(names, sizeof(names));
		return jv_fail(err, "$.code_option",
			       "unknown code option \"%s\": this node has %s",
			       d.code_option, names);
	}
	snprintf(p->name, sizeof(p->name), "%s", d.name);

	return reservation_parse(node, json_object_get(doc, "reservation"), "$.reservation",
				 &p->res, err);
}

json_t *
reservation_to_json(const struct node *node, const struct reservation *r)
{
	json_t *bw = json_object();

	for (unsigned int i = 0; bw != NULL && i < node->cfg.nb_ifaces; i++)
		if (r->bw_set[i])
			json_object_set_new(bw, node->cfg.ifaces[i].name,
					    json_pack("{s:I, s:I}",
						      "in_bps", (json_int_t)r->bw[i].in_bps,
						      "out_bps", (json_int_t)r->bw[i].out_bps));
	/* Program cycles are shown once there are some: most slices run none. */
	return json_pack("{s:I, s:I, s:I, s:o*, s:o*}", "filters", (json_int_t)r->filters,
			 "queues", (json_int_t)r->queues, "buffers", (json_int_t)r->buffers,
			 "program_cycles_per_sec", r->program_cycles != 0 ?
			 json_integer((json_int_t)r->program_cycles) : NULL,
			 "bandwidth", bw);
}

json_t *
slice_to_json(const struct node *node, const struct slice *s, bool with_config)
{
	json_t *j = json_pack("{s:s, s:s, s:o*}", "name", s->name, "code_option",
			      s->pm->name, "reservation", reservation_to_json(node, &s->res));

	if (j != NULL && with_config)
		json_object_set_new(j, "config", slice_config_to_json(node, s->cfg));
	return j;
}

/* Renders a queue's counters, with its id unless 'id' is negative. */
static json_t *
queue_stats_to_json(const struct node *node, uint32_t slot, int64_t id)
{
	struct qm_queue_stats q;
	json_t *j;

	node_queue_read(node, slot, &q);
	j = json_pack("{s:I, s:I, s:I, s:I, s:I}",
		      "enqueued", (json_int_t)q.enqueued, "dequeued", (json_int_t)q.dequeued,
		      "dropped", (json_int_t)q.dropped,
		      "length_packets", (json_int_t)q.length_packets,
		      "length_bytes", (json_int_t)q.length_bytes);
	if (j != NULL && id >= 0)
		json_object_set_new(j, "id", json_integer(id));
	return j;
}

json_t *
slice_stats_to_json(const struct node *node, const struct slice *s)
{
	uint64_t drops[DP_SLICE_DROP_MAX];
	struct dp_prog_counters prog;
	json_t *bindings = json_array(), *queues = json_array(), *filters = json_array();
	json_t *jdrops = json_object();

	for (uint16_t id = 0; bindings != NULL && id < SP_MAX_BINDINGS_PER_SLICE; id++) {
		const struct binding_config *b = &s->cfg->bindings[id];
		struct dp_counters c;

		if (!s->cfg->present[id])
			continue;
		node_stat_read(node, b->stat, &c);
		json_array_append_new(bindings,
			json_pack("{s:i, s:I, s:I, s:I, s:I, s:o*}", "id", id,
				  "rx_packets", (json_int_t)c.rx_packets,
				  "rx_bytes", (json_int_t)c.rx_bytes,
				  "tx_packets", (json_int_t)c.tx_packets,
				  "tx_bytes", (json_int_t)c.tx_bytes,
				  "default_queue", queue_stats_to_json(node, b->stat, -1)));
	}
	for (uint32_t i = 0; queues != NULL && i < s->cfg->nb_queues; i++)
		json_array_append_new(queues, queue_stats_to_json(node, s->cfg->queues[i].slot,
								  s->cfg->queues[i].id));
	for (uint32_t i = 0; filters != NULL && i < s->cfg->nb_filters; i++)
		json_array_append_new(filters, json_pack("{s:I, s:I}",
			"id", (json_int_t)s->cfg->filters[i].id,
			"hits", (json_int_t)node_filter_stat_read(node, s->cfg->filters[i].stat)));
	slice_drops_read(node, s, drops);
	for (unsigned int r = 0; jdrops != NULL && r < DP_SLICE_DROP_MAX; r++)
		json_object_set_new(jdrops, dp_slice_drop_names[r],
				    json_integer((json_int_t)drops[r]));
	slice_program_read(node, s, &prog);
	return json_pack("{s:o*, s:o*, s:o*, s:o*, s:{s:I, s:I}}", "bindings", bindings,
			 "queues", queues, "filters", filters, "drops", jdrops,
			 "program", "packets", (json_int_t)prog.packets,
			 "cycles", (json_int_t)prog.cycles);
}

/* Formats a MAC address. */
static const char *
mac_str(const uint8_t *mac, char *buf, size_t size)
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/* The state files that did not load at start-up, and why. */
static json_t *
state_errors_to_json(const struct node *node)
{
	json_t *a = json_array();

	for (unsigned int i = 0; a != NULL && i < node->nb_state_errors; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}",
						   "file", node->state_errors[i].file,
						   "reason", node->state_errors[i].reason));
	return a;
}

json_t *
node_to_json(const struct node *node)
{
	const struct node_config *cfg = &node->cfg;
	json_t *ifaces = json_array(), *bw = json_object(), *workers = json_array();
	struct reservation left;

	node_free_capacity(node, &left);
	for (unsigned int i = 0; ifaces != NULL && bw != NULL && i < cfg->nb_ifaces; i++) {
		const struct node_iface_config *ifc = &cfg->ifaces[i];
		char ip[INET_ADDRSTRLEN], mac[18], gw[18];

		json_array_append_new(ifaces, json_pack(
			"{s:s, s:s, s:s, s:I, s:I, s:i, s:s, s:s}",
			"name", ifc->name, "device", ifc->device,
			"ipv4", jv_ipv4_str(ifc->ipv4, ip, sizeof(ip)),
			"rate_bps", (json_int_t)ifc->rate_bps,
			"framing_overhead", (json_int_t)ifc->framing_overhead,
			"port_id", node->ifaces[i].port_id,
			"mac", mac_str(node->ifaces[i].info.mac.addr_bytes, mac, sizeof(mac)),
			"gateway_mac", mac_str(ifc->gateway_mac, gw, sizeof(gw))));
		json_object_set_new(bw, ifc->name, json_pack("{s:I, s:I}",
			"in_bps", (json_int_t)left.bw[i].in_bps,
			"out_bps", (json_int_t)left.bw[i].out_bps));
	}
	for (unsigned int i = 0; workers != NULL && i < cfg->nb_workers; i++)
		json_array_append_new(workers, json_integer(cfg->workers[i]));

	return json_pack("{s:s, s:o*, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:o*}, "
			 "s:{s:o*}, s:i, s:b, s:I, s:o*, s:o*}",
			 "name", cfg->name, "interfaces", ifaces,
			 "capacity", "filters", (json_int_t)cfg->capacity.filters,
			 "queues", (json_int_t)cfg->capacity.queues,
			 "buffers", (json_int_t)cfg->capacity.buffers,
			 "program_cycles_per_sec", (json_int_t)cfg->capacity.program_cycles,
			 "free", "filters", (json_int_t)left.filters,
			 "queues", (json_int_t)left.queues,
			 "buffers", (json_int_t)left.buffers,
			 "program_cycles_per_sec", (json_int_t)left.program_cycles,
			 "bandwidth", bw,
			 "lcores", "workers", workers,
			 "slices", node->nb_slices,
			 "queue_manager", node->rt->qm != NULL,
			 "program_max_instructions", (json_int_t)cfg->program_max_instructions,
			 "state_errors", state_errors_to_json(node),
			 "openflow", node->of != NULL ? of_client_to_json(node->of) : json_null());
}

/* The rx-to-tx latency histogram: each bucket's upper bound in ns and its
 * count since start. */
static json_t *
latency_to_json(const struct node *node)
{
	uint64_t counts[DP_LAT_BUCKETS];
	double ns_per_cycle = 1e9 / (double)rte_get_tsc_hz();
	json_t *bounds = json_array(), *jcounts = json_array();

	dp_stats_latency(node->rt->stats, node->rt->nb_workers, counts);
	for (unsigned int b = 0; bounds != NULL && jcounts != NULL && b < DP_LAT_BUCKETS; b++) {
		json_array_append_new(bounds, json_integer((json_int_t)
			((double)(2ull << b) * ns_per_cycle + 0.5)));
		json_array_append_new(jcounts, json_integer((json_int_t)counts[b]));
	}
	return json_pack("{s:o*, s:o*}", "bucket_ns", bounds, "counts", jcounts);
}

/* slicepathd --generator's counters, or NULL (the key is left out)
 * without one. */
static json_t *
generator_to_json(const struct node *node)
{
	struct dp_gen_stats st;

	if (node->gen == NULL)
		return NULL;
	dp_gen_read(node->gen, &st);
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			 "rate_pps", (json_int_t)dp_gen_rate(node->gen),
			 "sent_packets", (json_int_t)st.sent_packets,
			 "sent_bytes", (json_int_t)st.sent_bytes,
			 "refused", (json_int_t)st.refused,
			 "no_mbuf", (json_int_t)st.no_mbuf,
			 "late", (json_int_t)st.late,
			 "tx_freed", (json_int_t)st.tx_freed);
}

json_t *
node_stats_to_json(const struct node *node)
{
	uint64_t drops[DP_NODE_DROP_MAX];
	json_t *ports = json_array(), *jdrops = json_object();

	for (unsigned int i = 0; ports != NULL && i < node->cfg.nb_ifaces; i++) {
		struct rte_eth_stats st;

		if (rte_eth_stats_get(node->ifaces[i].port_id, &st) != 0)
			memset(&st, 0, sizeof(st));
		json_array_append_new(ports, json_pack(
			"{s:s, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			"interface", node->cfg.ifaces[i].name,
			"port_id", node->ifaces[i].port_id,
			"rx_packets", (json_int_t)st.ipackets,
			"rx_bytes", (json_int_t)st.ibytes,
			"rx_missed", (json_int_t)st.imissed,
			"rx_errors", (json_int_t)st.ierrors,
			"rx_nombuf", (json_int_t)st.rx_nombuf,
			"tx_packets", (json_int_t)st.opackets,
			"tx_bytes", (json_int_t)st.obytes,
			"tx_errors", (json_int_t)st.oerrors));
	}
	dp_stats_node_drops(node->rt->stats, node->rt->nb_workers, drops);
	for (unsigned int r = 0; jdrops != NULL && r < DP_NODE_DROP_MAX; r++)
		json_object_set_new(jdrops, dp_node_drop_names[r],
				    json_integer((json_int_t)drops[r]));
	return json_pack("{s:o*, s:o*, s:i, s:o*, s:o*}", "ports", ports, "drops", jdrops,
			 "slices", node->nb_slices, "latency", latency_to_json(node),
			 "generator", generator_to_json(node));
}

