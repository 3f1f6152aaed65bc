/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Invalid: calls helper index 99, kernel-helper style.  Only the node's
 * allowlisted helpers (sp_packet_len) may be called.
 */

#include "slicepath_bpf.h"

static uint64_t (*const helper_99)(void *pkt) = (void *)99;

SEC("helper")
uint64_t
call_helper_99(void *pkt)
{
	return helper_99(pkt) ? SP_BPF_MATCH : SP_BPF_NO_MATCH;
}
