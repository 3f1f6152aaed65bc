/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_OPENFLOW_H
#define SP_CONTROL_OPENFLOW_H

/*
 * The OpenFlow 1.3 client: keeps the switch in front of the node steering
 * every binding's traffic to the node.
 *
 * For each binding of each slice the switch gets one flow, priority
 * OF_PRIORITY_BINDING:
 *   in_port=<uplink_port>, eth_type=0x0800, ip_proto=17,
 *   ipv4_dst=<binding's interface address>, udp_dst=<binding's port>
 *   -> output:<node_port>
 * with cookie OF_COOKIE(slice) = OF_COOKIE_BASE | a 48-bit hash of the
 * slice's name, so a slice's flows are one group and the node's flows are
 * those under OF_COOKIE_MASK.
 *
 * The client connects to the switch ("tcp:") or listens for it ("ptcp:"),
 * on the control plane's event loop (bufferevents).  On every (re)connect
 * it negotiates 1.3, reads the switch's flows in the node's cookie space
 * (flow stats), deletes those the node does not want and adds the missing
 * ones, then follows every change with of_client_sync().  It reconnects
 * with backoff, keeps the connection alive with echoes, and closes a
 * connection whose peer sends something it cannot parse.  The dataplane
 * does not depend on it: packets keep flowing while the switch is away.
 *
 * Control plane only.
 */

#include <stdint.h>

#include <event2/event.h>
#include <jansson.h>

#include "control/jsonv.h"

struct node;
struct of_client;

#define OF_PRIORITY_BINDING 1000
#define OF_COOKIE_BASE 0x5370000000000000ull    /* "Sp" in the top 16 bits */
#define OF_COOKIE_MASK 0xffff000000000000ull

/* The cookie of the slice named 'name'. */
uint64_t of_cookie(const char *name);

/* Starts the client for node->cfg.openflow on 'base' (connecting or
 * listening).  Returns NULL with *err set on failure. */
struct of_client *of_client_start(struct event_base *base, struct node *node,
				  struct sp_error *err);

/* Closes the connection and frees the client; NULL is allowed. */
void of_client_stop(struct of_client *c);

/* The node's bindings changed: sends the switch the difference (at once if
 * connected, else at the next connect).  NULL is allowed. */
void of_client_sync(struct of_client *c);

/* The client's state for GET /v1/node. */
json_t *of_client_to_json(const struct of_client *c);

#endif /* SP_CONTROL_OPENFLOW_H */
