/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_TABLES_H
#define SP_DP_TABLES_H

/*
 * The tables the packet path reads: one immutable "view" of the node.
 *
 * Concurrency contract (see dp_view_publish() in dataplane/runtime.h):
 *  - The control plane builds every object here off the packet path.
 *  - Publishing a view is one atomic pointer store (release); a worker loads
 *    the pointer once per burst (acquire) and sees one consistent snapshot.
 *  - Nothing reachable from a published view is written again, except a
 *    slice's meter state (dataplane/police.h), which only the worker
 *    polling each interface writes.  An object
 *    that a newer view no longer references is freed only after every worker
 *    has reported a quiescent state since the newer view was published.
 *  - A view owns its demux tables; slice tables are shared between successive
 *    views and owned by the control plane's slice object, so a change to one
 *    slice rebuilds that slice's table only.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_meter.h>

#include "dataplane/dp.h"
#include "dataplane/program.h"

struct pm_ops;

enum dp_action_type {
	DP_ACTION_NONE = 0,   /* no action configured: counted as no_route */
	DP_ACTION_FORWARD,
	DP_ACTION_DROP,
	DP_ACTION_EXCEPTION,
};

/* Where a forwarded packet goes, resolved down to addresses. */
struct dp_forward {
	struct rte_ether_addr src_mac;  /* output interface's MAC */
	struct rte_ether_addr dst_mac;  /* output interface's gateway MAC */
	rte_be32_t src_ip;              /* output binding's interface address */
	rte_be32_t dst_ip;              /* peer address */
	rte_be16_t src_port;            /* output binding's UDP port */
	rte_be16_t dst_port;            /* peer UDP port */
	uint16_t port_id;               /* output DPDK port */
	uint16_t stat;                  /* output binding's counter slot */
	uint32_t queue;                 /* index in the slice's queues[] */
	bool csum_offload;              /* the port computes IPv4/UDP checksums */
	/* Made from the fields above by dp_forward_prepare() (fmt.h): the
	 * outer headers with zero lengths and checksums, and the one's
	 * complement sums of their words that the checksums start from. */
	uint8_t hdr[48] __rte_aligned(16);
	uint16_t ip_sum;                /* the IPv4 header's, folded */
	uint16_t addr_sum;              /* its two IPv4 addresses', folded */
	uint16_t udp_sum;               /* those and the two UDP ports, folded */
};

struct dp_action {
	enum dp_action_type type;
	struct dp_forward fwd;          /* valid for DP_ACTION_FORWARD */
};

/*
 * One of a slice's output queues, as the queue manager needs it: the
 * slice's own queues and one default queue per binding (for forwards that
 * name no queue).  The queue's packets and deficit live in the queue
 * manager's state slot 'slot'; 'id' says which queue they belong to, so a
 * queue that was removed, or removed and created again in the same slot,
 * is never mistaken for the one the packets were queued to.
 */
struct dp_queue {
	uint32_t id;                    /* node-unique instance id, never 0 */
	uint32_t slot;                  /* queue manager state slot */
	uint32_t quantum;               /* bytes per round among the slice's queues */
	uint32_t limit_packets;
	uint32_t limit_bytes;
	uint16_t sched;                 /* scheduler: output interface index */
	uint16_t out_stat;              /* its binding's counter slot */
	uint32_t number;                /* the owner's queue id (own queues) */
};

/* One binding of a slice, as the packet path needs it. */
struct dp_binding {
	bool present;
	uint8_t iface;                  /* interface index */
	uint16_t port_id;
	uint16_t stat;                  /* counter slot in dp_lcore_stats */
	rte_be32_t ip;
	rte_be16_t udp_port;
	struct dp_action default_action;
};

/* A filter's result. */
struct dp_filter {
	struct dp_action action;
	uint32_t stat;                  /* hit counter slot */
};

struct dp_tss;
struct rte_acl_ctx;
struct rte_fib;

/* One slice's table. */
struct dp_slice {
	uint16_t slot;                  /* index in dp_view.slices */
	uint32_t serial;                /* the slice's, unique on the node */
	const struct pm_ops *pm;        /* the slice's code option */
	struct dp_binding bindings[SP_MAX_BINDINGS_PER_SLICE];
	/* Its filters, in one of the two (dataplane/lookup.h); both NULL if
	 * it has none. */
	struct dp_tss *tss;
	struct rte_acl_ctx *acl;
	struct rte_fib *fib;            /* routes (NULL: none) */
	uint32_t nb_filters;
	uint32_t nb_routes;
	struct dp_filter *filters;      /* classifier result i+1 -> filters[i] */
	struct dp_action *routes;       /* FIB next hop j+1 -> routes[j] */
	uint32_t metered;               /* interfaces with an input reservation */
	struct rte_meter_srtcm_profile meter_profile[SP_MAX_PORTS];
	struct rte_meter_srtcm *meter;  /* [SP_MAX_PORTS], see police.h */
	uint32_t buffers;               /* mbufs it may hold in its queues */
	uint32_t quantum[SP_MAX_PORTS]; /* bytes per round, by scheduler */
	uint32_t nb_queues;
	uint32_t nb_own_queues;         /* queues[] before the defaults */
	struct dp_queue *queues;        /* its queues by number, then binding
					 * defaults */
	const struct dp_program *prog;  /* its eBPF program (NULL: none) */
	struct dp_prog_rate prog_rate;  /* its programs' cycle budget */
};

/* Whether slice s has filters, and so whether lookup reads its keys for them. */
static inline bool
dp_slice_has_filters(const struct dp_slice *s)
{
	return s->tss != NULL || s->acl != NULL;
}

/*
 * The demux table of one DPDK port.  The key is (port, IPv4 destination, UDP
 * destination port), but a port is one interface and an interface has one
 * IPv4 address (control/node_config.h), so every binding on the port shares
 * 'ip' and the UDP port alone indexes entry[]: one compare and one load per
 * packet.  entry[] is indexed in host order, so that bindings on
 * consecutive UDP ports, the usual way they are handed out, share cache
 * lines.  An entry is 0 (no binding) or DP_DEMUX_ENTRY(slot, binding).
 */
struct dp_demux_port {
	rte_be32_t ip;                  /* the port's interface address */
	uint32_t entry[UINT16_MAX + 1];
};

/* A slice slot and binding id packed into a demux entry: the slot in the
 * high half, the binding id + 1 in the low half, so never 0. */
#define DP_DEMUX_ENTRY(slot, binding) \
	(((uint32_t)(slot) << 16) | ((uint32_t)(binding) + 1))
#define DP_DEMUX_SLOT(entry) ((uint16_t)((entry) >> 16))
#define DP_DEMUX_BINDING(entry) ((uint16_t)((uint16_t)(entry) - 1))

_Static_assert(SP_MAX_SLICES <= UINT16_MAX + 1 &&
	       SP_MAX_BINDINGS_PER_SLICE <= UINT16_MAX,
	       "a slot and a binding id + 1 must fit a demux entry's halves");

struct dp_view {
	uint64_t gen;                   /* one more than the view it replaced */
	/* By DPDK port id: the port's demux table, NULL if nothing is bound
	 * on the port. */
	struct dp_demux_port *demux[RTE_MAX_ETHPORTS];
	const struct dp_slice *slices[SP_MAX_SLICES];
};

/* Allocates a zeroed slice table for slot 'slot' running 'pm', with room
 * for 'nb_filters' filter and 'nb_routes' route results and 'nb_queues'
 * queues.  Returns NULL and sets errno on failure. */
struct dp_slice *dp_slice_alloc(uint16_t slot, const struct pm_ops *pm,
				uint32_t nb_filters, uint32_t nb_routes,
				uint32_t nb_queues);

/* Frees a slice table; NULL is allowed.  Its classifiers are the code
 * option's to free first (pm_ops.table_free). */
void dp_slice_free(struct dp_slice *s);

/* Returns a new view with the same slices as 'old' (or none if 'old' is
 * NULL) and no demux tables; NULL and errno on failure. */
struct dp_view *dp_view_clone(const struct dp_view *old);

/* Builds v->demux from the bindings of v's slices, replacing the tables v
 * had.  Returns 0; -ENOMEM; -EEXIST if two bindings share a key; or -EINVAL
 * if a binding's port id is not below RTE_MAX_ETHPORTS or two bindings on
 * one port have different addresses.  On failure v is unchanged. */
int dp_view_build_demux(struct dp_view *v);

/* Frees a view and its demux tables, not its slices; NULL is allowed. */
void dp_view_free(struct dp_view *v);

#endif /* SP_DP_TABLES_H */
