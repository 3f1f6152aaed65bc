/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_H
#define SP_DP_H

/*
 * Node-wide limits of the packet path.  They size fixed arrays that workers
 * index without bounds checks, so the control plane validates every id
 * against them before anything reaches a table.
 */

#define SP_MAX_SLICES 1024             /* slice slots, 0 .. SP_MAX_SLICES-1 */
#define SP_MAX_BINDINGS_PER_SLICE 64   /* binding ids within a slice */
#define SP_MAX_BINDING_SLOTS 4096      /* node-wide binding counter slots */
#define SP_MAX_WORKERS 16              /* worker lcores */
#define SP_MAX_PORTS 32                /* interfaces of a node */
#define SP_BURST 32                    /* packets per rx/tx burst */

#endif /* SP_DP_H */
