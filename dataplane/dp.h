/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_H
#define SP_DP_H

/*
 * Node-wide limits of the packet path.  They size fixed arrays that workers
 * index without bounds checks, so the control plane validates every id
 * against them before anything reaches a table.
 */

#include <stdint.h>

#include <rte_byteorder.h>

#define SP_MAX_SLICES 1024             /* slice slots, 0 .. SP_MAX_SLICES-1 */
#define SP_MAX_BINDINGS_PER_SLICE 64   /* binding ids within a slice */
#define SP_MAX_BINDING_SLOTS 4096      /* node-wide binding counter slots */
#define SP_MAX_WORKERS 16              /* worker lcores */
#define SP_MAX_PORTS 32                /* interfaces of a node */
#define SP_BURST 32                    /* packets per rx/tx burst */

/*
 * Packets a worker takes from one port per round: up to sixteen rx bursts,
 * so that with traffic spread over many slices each slice still gets
 * several packets per call (VPP's vector, in short).  A slice call costs
 * some 450 instructions besides its packets' (callgrind): with 64 slices
 * sharing a saturated port, eight bursts left a call four packets and
 * sixteen leave it eight.  A round ends at the first short rx burst, so
 * only a saturated port makes rounds this long.
 */
#define DP_VECTOR (16 * SP_BURST)

/*
 * 16-bit byte order for the packet path.  DPDK 22.11's rte_be_to_cpu_16()
 * is volatile inline assembly on x86, which the compiler can neither fold
 * into a load nor schedule; a builtin byte swap is plain arithmetic.
 */
static inline uint16_t
dp_be16_to_cpu(rte_be16_t x)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	return __builtin_bswap16(x);
#else
	return x;
#endif
}

static inline rte_be16_t
dp_cpu_to_be16(uint16_t x)
{
	return dp_be16_to_cpu(x);
}

#endif /* SP_DP_H */
