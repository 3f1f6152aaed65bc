/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_NODE_CONFIG_H
#define SP_CONTROL_NODE_CONFIG_H

/*
 * The operator's node configuration file (../shared/API.md, "Node
 * configuration file"), parsed and validated in full before anything is set
 * up.  Pure: no EAL, no sockets; control plane only.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "control/jsonv.h"
#include "dataplane/dp.h"

#define NODE_DEVICE_MAX 64
#define NODE_RATE_MIN 1000ULL                   /* 1 kbit/s */
#define NODE_RATE_MAX 400000000000ULL           /* 400 Gbit/s */
#define NODE_BODY_DEFAULT (1024 * 1024)
#define NODE_OVERHEAD_DEFAULT 24        /* preamble, SFD, FCS, gap */
#define NODE_OVERHEAD_MAX 256

struct node_iface_config {
	char name[JV_NAME_MAX + 1];
	char device[NODE_DEVICE_MAX];
	uint32_t ipv4;                  /* network order */
	uint64_t rate_bps;              /* line rate; the scheduler's rate */
	uint64_t framing_overhead;      /* bytes per frame beyond its length */
	uint8_t gateway_mac[6];
};

struct node_config {
	char name[JV_NAME_MAX + 1];
	unsigned int nb_ifaces;
	struct node_iface_config ifaces[SP_MAX_PORTS];
	unsigned int nb_workers;
	unsigned int workers[SP_MAX_WORKERS];   /* EAL lcore ids */
	struct {
		uint64_t filters;
		uint64_t queues;
		uint64_t buffers;
		uint64_t program_cycles;        /* per second per worker; 0:
						 * half the TSC rate (node.c) */
	} capacity;
	uint64_t program_max_instructions;
	struct {
		struct jv_endpoint listen;
		char admin_token_file[PATH_MAX];
		uint64_t max_body_bytes;
	} api;
	char state_dir[PATH_MAX];
	bool queue_manager;             /* schedule output (default true) */
	struct {
		bool enabled;           /* "openflow" given */
		bool passive;           /* listen ("ptcp:") rather than connect */
		struct jv_endpoint addr;        /* switch, or where to listen */
		uint32_t node_port;     /* the node's port on the switch */
		uint32_t uplink_port;   /* where the slices' traffic enters */
	} openflow;
};

/*
 * Validates the node configuration document 'root' and fills *cfg.
 * Returns 0, or -EINVAL with err->path the JSON path of the first fault
 * and err->msg the reason.
 */
int node_config_parse(const json_t *root, struct node_config *cfg,
		      struct sp_error *err);

/*
 * Reads and validates the file 'file'.  Returns 0, or -EINVAL with *err
 * set (a syntax error's path is "line L, column C"; a path that is not a
 * regular file is refused too), or a negative errno if the file cannot be
 * read (err->msg says why).
 */
int node_config_load(const char *file, struct node_config *cfg,
		     struct sp_error *err);

/* Index of the interface named 'name' in cfg, or -1. */
int node_config_iface(const struct node_config *cfg, const char *name);

#endif /* SP_CONTROL_NODE_CONFIG_H */
