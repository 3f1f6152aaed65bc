/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_REST_H
#define SP_CONTROL_REST_H

/*
 * The REST API, /v1 (../shared/API.md; docs/api.md), on libevent's evhttp.
 * Runs in the control plane's event loop; handlers call the actions of
 * control/slice.h and never touch the workers' tables themselves.
 */

#include <event2/event.h>

#include "control/jsonv.h"
#include "control/node.h"

struct rest;

/* Starts serving on node->cfg.api.listen with 'admin_token'.  Returns the
 * server, or NULL with *err naming the configuration key at fault. */
struct rest *rest_start(struct event_base *base, struct node *node,
			const char *admin_token, struct sp_error *err);

/* Stops serving and frees the server; NULL is allowed. */
void rest_stop(struct rest *r);

#endif /* SP_CONTROL_REST_H */
