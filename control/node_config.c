/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/node_config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_common.h>

#include "control/program.h"

#define F(type_, member) offsetof(type_, member), sizeof(((type_ *)0)->member)

static const struct jv_field node_fields[] = {
	{ "name", JV_NAME, true, F(struct node_config, name), 0, 0 },
	{ "interfaces", JV_ARRAY, true, 0, 0, 1, SP_MAX_PORTS },
	{ "lcores", JV_OBJECT, true, 0, 0, 0, 0 },
	{ "capacity", JV_OBJECT, true, 0, 0, 0, 0 },
	{ "api", JV_OBJECT, true, 0, 0, 0, 0 },
	{ "state_dir", JV_STRING, true, F(struct node_config, state_dir), 1, PATH_MAX - 1 },
	{ "openflow", JV_OBJECT, false, 0, 0, 0, 0 },
	{ "queue_manager", JV_BOOL, false, F(struct node_config, queue_manager), 0, 0 },
	{ "program_max_instructions", JV_UINT, false,
	  F(struct node_config, program_max_instructions), 16, 65536 },
};

static const struct jv_field iface_fields[] = {
	{ "name", JV_NAME, true, F(struct node_iface_config, name), 0, 0 },
	{ "device", JV_STRING, true, F(struct node_iface_config, device), 1, NODE_DEVICE_MAX - 1 },
	{ "ipv4", JV_IPV4, true, F(struct node_iface_config, ipv4), 0, 0 },
	{ "rate_bps", JV_UINT, true, F(struct node_iface_config, rate_bps),
	  NODE_RATE_MIN, NODE_RATE_MAX },
	{ "gateway_mac", JV_MAC, true, F(struct node_iface_config, gateway_mac), 0, 0 },
	{ "framing_overhead", JV_UINT, false, F(struct node_iface_config, framing_overhead),
	  0, NODE_OVERHEAD_MAX },
};

static const struct jv_field lcores_fields[] = {
	{ "workers", JV_ARRAY, true, 0, 0, 1, SP_MAX_WORKERS },
};

static const struct jv_field capacity_fields[] = {
	{ "filters", JV_UINT, true, F(struct node_config, capacity.filters), 0, 1u << 24 },
	{ "queues", JV_UINT, true, F(struct node_config, capacity.queues), 0, 1u << 16 },
	{ "buffers", JV_UINT, true, F(struct node_config, capacity.buffers), 512, 1u << 22 },
	{ "program_cycles_per_sec", JV_UINT, false,
	  F(struct node_config, capacity.program_cycles), 1, UINT64_C(1) << 40 },
};

static const struct jv_field api_fields[] = {
	{ "listen", JV_ENDPOINT, true, F(struct node_config, api.listen), 0, 0 },
	{ "admin_token_file", JV_STRING, true, F(struct node_config, api.admin_token_file),
	  1, PATH_MAX - 1 },
	{ "max_body_bytes", JV_UINT, false, F(struct node_config, api.max_body_bytes),
	  1024, 64 * 1024 * 1024 },
};

static const struct jv_field worker_field = {
	"workers[]", JV_UINT, true, 0, 0, 0, RTE_MAX_LCORE - 1
};

/* Validates interfaces[i] and refuses duplicates of earlier interfaces. */
static int
node_config_iface_parse(const json_t *v, size_t i, struct node_config *cfg,
			struct sp_error *err)
{
	struct node_iface_config *ifc = &cfg->ifaces[i];
	static const uint8_t zero_mac[6];
	char path[JV_PATH_MAX], child[JV_PATH_MAX];

	jv_path_index(path, sizeof(path), "$.interfaces", i);
	ifc->framing_overhead = NODE_OVERHEAD_DEFAULT;
	if (jv_object(v, path, iface_fields, RTE_DIM(iface_fields), ifc, err))
		return -EINVAL;

	jv_path_key(child, sizeof(child), path, "ipv4");
	if (jv_check_unicast(ifc->ipv4, child, err))
		return -EINVAL;
	jv_path_key(child, sizeof(child), path, "gateway_mac");
	if ((ifc->gateway_mac[0] & 1) || memcmp(ifc->gateway_mac, zero_mac, 6) == 0)
		return jv_fail(err, child, "not a unicast MAC address");

	for (size_t j = 0; j < i; j++) {
		const struct node_iface_config *o = &cfg->ifaces[j];
		const char *key = NULL;

		if (strcmp(o->name, ifc->name) == 0)
			key = "name";
		else if (strcmp(o->device, ifc->device) == 0)
			key = "device";
		else if (o->ipv4 == ifc->ipv4)
			key = "ipv4";
		if (key != NULL) {
			jv_path_key(child, sizeof(child), path, key);
			return jv_fail(err, child, "duplicate of $.interfaces[%zu].%s",
				       j, key);
		}
	}
	return 0;
}

/* Validates lcores.workers: distinct lcore ids. */
static int
node_config_workers_parse(const json_t *lcores, struct node_config *cfg,
			  struct sp_error *err)
{
	const json_t *workers;
	char path[JV_PATH_MAX];

	if (jv_object(lcores, "$.lcores", lcores_fields, RTE_DIM(lcores_fields),
		      NULL, err))
		return -EINVAL;
	workers = json_object_get(lcores, "workers");
	cfg->nb_workers = json_array_size(workers);
	for (size_t i = 0; i < cfg->nb_workers; i++) {
		uint64_t id;

		jv_path_index(path, sizeof(path), "$.lcores.workers", i);
		if (jv_scalar(json_array_get(workers, i), path, &worker_field, &id, err))
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (cfg->workers[j] == id)
				return jv_fail(err, path,
					       "lcore %" PRIu64 " is listed twice", id);
		cfg->workers[i] = (unsigned int)id;
	}
	return 0;
}

struct openflow_doc {
	char target[40];
	uint64_t node_port;
	uint64_t uplink_port;
};

static const struct jv_field openflow_fields[] = {
	{ "switch", JV_STRING, true, F(struct openflow_doc, target), 1, 39 },
	{ "node_port", JV_UINT, true, F(struct openflow_doc, node_port), 1, 0xffffff00 },
	{ "uplink_port", JV_UINT, true, F(struct openflow_doc, uplink_port), 1, 0xffffff00 },
};

/* Validates the openflow object: "switch" is "tcp:a.b.c.d:port" (connect
 * to the switch's passive listener) or "ptcp:port" / "ptcp:port:a.b.c.d"
 * (listen for the switch); the two ports are OpenFlow port numbers and
 * differ. */
static int
node_config_openflow_parse(const json_t *v, struct node_config *cfg, struct sp_error *err)
{
	struct openflow_doc d = { "", 0, 0 };
	char ep[64];
	unsigned int port;
	int n = 0;

	if (jv_object(v, "$.openflow", openflow_fields, RTE_DIM(openflow_fields), &d, err))
		return -EINVAL;
	if (strncmp(d.target, "tcp:", 4) == 0) {
		if (jv_parse_endpoint(d.target + 4, &cfg->openflow.addr) != 0)
			return jv_fail(err, "$.openflow.switch",
				       "expected tcp:a.b.c.d:port, got \"%s\"", d.target);
	} else if (strncmp(d.target, "ptcp:", 5) == 0) {
		cfg->openflow.passive = true;
		if (sscanf(d.target + 5, "%5u%n", &port, &n) != 1 || port == 0 || port > 65535 ||
		    (d.target[5 + n] != '\0' && d.target[5 + n] != ':'))
			return jv_fail(err, "$.openflow.switch",
				       "expected ptcp:port or ptcp:port:a.b.c.d, got \"%s\"",
				       d.target);
		snprintf(ep, sizeof(ep), "%s:%u",
			 d.target[5 + n] == ':' ? d.target + 6 + n : "0.0.0.0", port);
		if (d.target[5 + n] == ':' && strchr(d.target + 6 + n, ':') != NULL)
			return jv_fail(err, "$.openflow.switch", "too many ':' in \"%s\"", d.target);
		if (jv_parse_endpoint(ep, &cfg->openflow.addr) != 0)
			return jv_fail(err, "$.openflow.switch",
				       "not an IPv4 address to listen on in \"%s\"", d.target);
	} else {
		return jv_fail(err, "$.openflow.switch",
			       "expected tcp:a.b.c.d:port or ptcp:port[:a.b.c.d], got \"%s\"",
			       d.target);
	}
	if (d.node_port == d.uplink_port)
		return jv_fail(err, "$.openflow.uplink_port", "the same as node_port");
	cfg->openflow.enabled = true;
	cfg->openflow.node_port = (uint32_t)d.node_port;
	cfg->openflow.uplink_port = (uint32_t)d.uplink_port;
	return 0;
}

/* Validates the api object; the listen port must not be 0. */
static int
node_config_api_parse(const json_t *api, struct node_config *cfg,
		      struct sp_error *err)
{
	cfg->api.max_body_bytes = NODE_BODY_DEFAULT;
	return jv_object(api, "$.api", api_fields, RTE_DIM(api_fields), cfg, err);
}

int
node_config_parse(const json_t *root, struct node_config *cfg, struct sp_error *err)
{
	const json_t *ifaces;

	memset(cfg, 0, sizeof(*cfg));
	cfg->queue_manager = true;
	cfg->program_max_instructions = PROGRAM_MAX_INSTRUCTIONS;
	if (jv_object(root, "$", node_fields, RTE_DIM(node_fields), cfg, err))
		return -EINVAL;
	if (json_object_get(root, "openflow") != NULL &&
	    node_config_openflow_parse(json_object_get(root, "openflow"), cfg, err))
		return -EINVAL;

	ifaces = json_object_get(root, "interfaces");
	cfg->nb_ifaces = json_array_size(ifaces);
	for (size_t i = 0; i < cfg->nb_ifaces; i++)
		if (node_config_iface_parse(json_array_get(ifaces, i), i, cfg, err))
			return -EINVAL;

	if (node_config_workers_parse(json_object_get(root, "lcores"), cfg, err))
		return -EINVAL;
	if (jv_object(json_object_get(root, "capacity"), "$.capacity", capacity_fields,
		      RTE_DIM(capacity_fields), cfg, err))
		return -EINVAL;
	return node_config_api_parse(json_object_get(root, "api"), cfg, err);
}

int
node_config_load(const char *file, struct node_config *cfg, struct sp_error *err)
{
	json_error_t jerr;
	struct stat st;
	json_t *root;
	int rc;

	if (stat(file, &st) != 0) {
		rc = -errno;
		snprintf(err->path, sizeof(err->path), "$");
		snprintf(err->msg, sizeof(err->msg), "cannot read: %s", strerror(-rc));
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err->path, sizeof(err->path), "$");
		snprintf(err->msg, sizeof(err->msg), "%s",
			 S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		return -EINVAL;
	}
	root = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		if (jerr.line < 0 || json_error_code(&jerr) == json_error_cannot_open_file) {
			snprintf(err->path, sizeof(err->path), "$");
			snprintf(err->msg, sizeof(err->msg), "%s", jerr.text);
			return -EIO;
		}
		snprintf(err->path, sizeof(err->path), "line %d, column %d",
			 jerr.line, jerr.column);
		snprintf(err->msg, sizeof(err->msg), "%s", jerr.text);
		return -EINVAL;
	}
	rc = node_config_parse(root, cfg, err);
	json_decref(root);
	return rc;
}

int
node_config_iface(const struct node_config *cfg, const char *name)
{
	for (unsigned int i = 0; i < cfg->nb_ifaces; i++)
		if (strcmp(cfg->ifaces[i].name, name) == 0)
			return (int)i;
	return -1;
}
