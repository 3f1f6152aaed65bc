/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Invalid: keeps state in global data (a .bss variable the program
 * relocates against).  Programs may have no global data.
 */

#include "slicepath_bpf.h"

static volatile uint64_t seen;

SEC("global")
uint64_t
count_packets(void *pkt)
{
	seen += load_byte(pkt, 0);
	return SP_BPF_MATCH;
}
