/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Valid: checks what a program is shown of a packet.  It matches when
 * sp_packet_len() equals the inner IPv4 total length (bytes 2..3), which
 * holds only if the program sees exactly the overlay UDP payload, and
 * byte 63 exists: a load past the end ends the program with 0 (no match),
 * so payloads of 63 bytes or less are dropped.
 */

#include "slicepath_bpf.h"

#define PROBE_OFFSET 63

SEC("window")
uint64_t
window_check(void *pkt)
{
	if (sp_packet_len(pkt) != load_half(pkt, 2))
		return SP_BPF_NO_MATCH;
	/* The probe's value is used so the load stays; it is below 256. */
	return SP_BPF_MATCH + (load_byte(pkt, PROBE_OFFSET) >> 8);
}
