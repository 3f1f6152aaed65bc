/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_OFP_H
#define SP_CONTROL_OFP_H

/*
 * OpenFlow 1.3 (wire version 0x04) messages: the few the node sends and
 * reads, encoded and decoded from byte buffers.  Pure functions: no
 * sockets, no allocation, no global state; any thread.
 *
 * Encoders write one whole message into buf[0..size) and return its length,
 * or -ENOSPC if it does not fit.  Decoders take one whole message as framed
 * by ofp_header_parse() and return 0, -EPROTO for a message that is
 * truncated, malformed or not what the decoder reads, or -ENOTSUP for a
 * valid message using something the node does not support.  Nothing is
 * read outside msg[0..len).  Multi-byte fields are host order in the
 * structs below except where a comment says network order.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OFP_VERSION 0x04
#define OFP_HEADER_LEN 8
#define OFP_MAX_LEN 65535

/* Message types (ofp_type). */
enum {
	OFPT_HELLO = 0,
	OFPT_ERROR = 1,
	OFPT_ECHO_REQUEST = 2,
	OFPT_ECHO_REPLY = 3,
	OFPT_FEATURES_REQUEST = 5,
	OFPT_FEATURES_REPLY = 6,
	OFPT_FLOW_MOD = 14,
	OFPT_MULTIPART_REQUEST = 18,
	OFPT_MULTIPART_REPLY = 19,
	OFPT_BARRIER_REQUEST = 20,
	OFPT_BARRIER_REPLY = 21,
};

/* FLOW_MOD commands (ofp_flow_mod_command). */
enum {
	OFPFC_ADD = 0,
	OFPFC_DELETE = 3,
	OFPFC_DELETE_STRICT = 4,
};

#define OFPP_ANY 0xffffffffu
#define OFPG_ANY 0xffffffffu
#define OFPTT_ALL 0xff

/* A message header. */
struct ofp_header {
	uint8_t version;
	uint8_t type;
	uint16_t length;                /* of the whole message, >= 8 */
	uint32_t xid;
};

/*
 * Reads the header at the start of buf[0..len).  Returns 0 with *h filled,
 * -EAGAIN if fewer than OFP_HEADER_LEN bytes are there, or -EPROTO if the
 * length field is below OFP_HEADER_LEN.  The message is complete once
 * len >= h->length.
 */
int ofp_header_parse(const uint8_t *buf, size_t len, struct ofp_header *h);

/* The match fields the node uses (OXM class OPENFLOW_BASIC). */
enum {
	OFP_M_IN_PORT = 1 << 0,
	OFP_M_ETH_TYPE = 1 << 1,
	OFP_M_IP_PROTO = 1 << 2,
	OFP_M_IPV4_DST = 1 << 3,
	OFP_M_UDP_DST = 1 << 4,
	OFP_M_OTHER = 1 << 31,          /* decoded: a field not listed here */
};

struct ofp_match {
	uint32_t fields;                /* OFP_M_* present */
	uint32_t in_port;
	uint16_t eth_type;
	uint8_t ip_proto;
	uint32_t ipv4_dst;              /* network order; exact match */
	uint16_t udp_dst;
};

/* A flow entry as the node pushes it: match, then one apply-actions
 * instruction with one output action (out_port). */
struct ofp_flow {
	uint64_t cookie;
	uint16_t priority;
	struct ofp_match match;
	uint32_t out_port;              /* decoded: 0 if not exactly that shape */
};

/* HELLO with a version bitmap element announcing 1.3 only. */
int ofp_encode_hello(uint8_t *buf, size_t size, uint32_t xid);

/* ECHO_REQUEST or ECHO_REPLY ('type') carrying data[0..len). */
int ofp_encode_echo(uint8_t *buf, size_t size, uint8_t type, uint32_t xid,
		    const uint8_t *data, size_t len);

/* FEATURES_REQUEST, BARRIER_REQUEST: a bare header of 'type'. */
int ofp_encode_header_only(uint8_t *buf, size_t size, uint8_t type, uint32_t xid);

/*
 * FLOW_MOD 'command' for flow f in table 0.  ADD: f's cookie, priority,
 * match and output action, no timeouts, OFPFF_SEND_FLOW_REM unset.
 * DELETE: every flow whose cookie matches f->cookie under 'cookie_mask' and
 * whose match includes f's match (f->match.fields may be 0), any out port.
 * DELETE_STRICT: the flow with exactly f's priority and match, under the
 * cookie and mask.
 */
int ofp_encode_flow_mod(uint8_t *buf, size_t size, uint32_t xid, uint8_t command,
			const struct ofp_flow *f, uint64_t cookie_mask);

/* MULTIPART_REQUEST for the flow stats (OFPMP_FLOW) of every table, any
 * port and group, empty match, restricted to cookie under cookie_mask. */
int ofp_encode_flow_stats_request(uint8_t *buf, size_t size, uint32_t xid,
				  uint64_t cookie, uint64_t cookie_mask);

/* HELLO: *has_13 tells whether the peer accepts version 1.3 (its version
 * bitmap, or its header version if it sent no bitmap). */
int ofp_decode_hello(const uint8_t *msg, size_t len, bool *has_13);

/* FEATURES_REPLY: the datapath id. */
int ofp_decode_features_reply(const uint8_t *msg, size_t len, uint64_t *dpid);

/* ERROR: its type and code, and the header of the message it is about (if
 * the error carries at least 8 bytes of it; else *about is zeroed). */
int ofp_decode_error(const uint8_t *msg, size_t len, uint16_t *type, uint16_t *code,
		     struct ofp_header *about);

/* Writes a readable name for an error type and code, such as
 * "OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ", or numbers for unknown ones, into
 * buf[0..size); returns buf. */
const char *ofp_error_str(uint16_t type, uint16_t code, char *buf, size_t size);

/*
 * MULTIPART_REPLY of type OFPMP_FLOW: calls cb(flow, arg) for each entry
 * (fields it does not know are flagged OFP_M_OTHER, an instruction set not
 * exactly "apply-actions, one output" gives out_port 0) and sets *more if
 * the reply says more parts follow.  Stops at the first cb returning
 * non-zero and returns that.  -EPROTO for a reply that is not OFPMP_FLOW
 * or whose entries do not fit its length.
 */
int ofp_decode_flow_stats_reply(const uint8_t *msg, size_t len, bool *more,
				int (*cb)(const struct ofp_flow *f, void *arg), void *arg);

#endif /* SP_CONTROL_OFP_H */
