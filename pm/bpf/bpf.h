/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_PM_BPF_H
#define SP_PM_BPF_H

/*
 * The "bpf" code option: the slice's own eBPF program parses its packets.
 * The program's 64-bit return value is the lookup key (docs/bpf.md), which
 * the slice's filters match with a 112-bit key and mask.  Without a
 * program every packet has key 0.
 */

#include "pm/pm.h"

extern const struct pm_ops pm_bpf_ops;

#endif /* SP_PM_BPF_H */
