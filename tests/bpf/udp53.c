/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Valid: matches what libpcap's "udp dst port 53" matches on DLT_RAW for
 * IPv4: an IPv4 packet, protocol UDP, not a later fragment, UDP
 * destination port 53 behind a header of IHL * 4 bytes.  The port is read
 * with an indirect load (BPF_LD_IND), the rest with absolute ones.
 */

#include "slicepath_bpf.h"

SEC("udp53")
uint64_t
match_dns(void *pkt)
{
	uint64_t ihl;

	if ((load_byte(pkt, 0) >> 4) != 4)
		return SP_BPF_NO_MATCH;
	if (load_byte(pkt, 9) != 17)
		return SP_BPF_NO_MATCH;
	if (load_half(pkt, 6) & 0x1fff)
		return SP_BPF_NO_MATCH;
	ihl = (load_byte(pkt, 0) & 0xf) * 4;
	return load_half(pkt, ihl + 2) == 53 ? SP_BPF_MATCH : SP_BPF_NO_MATCH;
}
