/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Valid: the parse stage of a "bpf" slice.  The return value is the
 * lookup key (bytes 0..7, network order), matched by the slice's filters:
 *
 *   4                   any packet longer than 200 bytes (sp_packet_len)
 *   1                   inner UDP to port 53
 *   2                   other inner UDP
 *   3                   inner TCP
 *   0x0102030405060708  inner ICMP (all eight key bytes differ)
 *   0                   anything else
 */

#include "slicepath_bpf.h"

#define BIG_LEN 200

SEC("classify")
uint64_t
classify_packet(void *pkt)
{
	uint64_t proto;

	if (sp_packet_len(pkt) > BIG_LEN)
		return 4;
	if ((load_byte(pkt, 0) >> 4) != 4)
		return 0;
	proto = load_byte(pkt, 9);
	if (proto == 17)
		return load_half(pkt, 22) == 53 ? 1 : 2;
	if (proto == 6)
		return 3;
	if (proto == 1)
		return 0x0102030405060708ULL;
	return 0;
}
