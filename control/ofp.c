/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * OpenFlow 1.3 encoders and decoders, laid out after the OpenFlow Switch
 * Specification 1.3.5.  Every multi-byte field is read and written a byte at
 * a time, so nothing depends on the alignment or byte order of the host.
 *
 * Decoders bound themselves by the header's length field, which must not
 * exceed the bytes given; bytes past it belong to the next message and are
 * not read.  Every length read from the wire (hello element, match, OXM,
 * flow stats entry, instruction, action) is checked against the space that
 * encloses it before anything inside it is read, and every loop advances by
 * at least the size of the header it has just checked.
 */

#include "control/ofp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Wire constants this file needs and callers do not. */
#define OFP_NO_BUFFER 0xffffffffu
#define OFPCML_NO_BUFFER 0xffff
#define OFPHET_VERSIONBITMAP 1
#define OFPMT_OXM 1
#define OFPXMC_OPENFLOW_BASIC 0x8000
#define OFPIT_WRITE_ACTIONS 3
#define OFPIT_APPLY_ACTIONS 4
#define OFPAT_OUTPUT 0
#define OFPMP_FLOW 1
#define OFPMPF_REPLY_MORE 1
#define OFPET_HELLO_FAILED 0
#define OFPET_EXPERIMENTER 0xffff

#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_IPV6 0x86dd
#define IP_PROTO_UDP 17

/* Sizes of the fixed parts of the structures, from the specification. */
#define HELLO_ELEM_HDR_LEN 4            /* ofp_hello_elem_header */
#define HELLO_LEN 16                    /* header + one 1-word bitmap element */
#define ERROR_LEN 12                    /* ofp_error_msg */
#define ERROR_EXP_LEN 16                /* ofp_error_experimenter_msg */
#define FEATURES_REPLY_LEN 32           /* ofp_switch_features */
#define FLOW_MOD_LEN 48                 /* ofp_flow_mod up to its match */
#define MATCH_HDR_LEN 4                 /* ofp_match type and length */
#define OXM_HDR_LEN 4
#define INSTRUCTION_LEN 8               /* ofp_instruction_actions */
#define ACTION_LEN 8                    /* ofp_action_header */
#define ACTION_OUTPUT_LEN 16            /* ofp_action_output */
#define MULTIPART_LEN 16                /* ofp_multipart_request/reply */
#define FLOW_STATS_REQUEST_LEN 32       /* ofp_flow_stats_request up to its match */
#define FLOW_STATS_LEN 48               /* ofp_flow_stats up to its match */

#define ROUND_UP8(n) (((n) + 7) & ~(size_t)7)

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, v);
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

/* Writes an ofp_header of 'type', 'len' and 'xid' at p. */
static void
put_header(uint8_t *p, uint8_t type, size_t len, uint32_t xid)
{
	p[0] = OFP_VERSION;
	p[1] = type;
	put16(p + 2, len);
	put32(p + 4, xid);
}

int
ofp_header_parse(const uint8_t *buf, size_t len, struct ofp_header *h)
{
	uint16_t length;

	if (len < OFP_HEADER_LEN)
		return -EAGAIN;
	length = get16(buf + 2);
	if (length < OFP_HEADER_LEN)
		return -EPROTO;
	h->version = buf[0];
	h->type = buf[1];
	h->length = length;
	h->xid = get32(buf + 4);
	return 0;
}

/*
 * Checks that msg[0..len) holds a whole message of 'type', at least 'min'
 * bytes long and, unless 'any_version', of version OFP_VERSION.  Returns the
 * message's length from its header, or -EPROTO.
 */
static int
msg_check(const uint8_t *msg, size_t len, uint8_t type, size_t min, bool any_version)
{
	struct ofp_header h;

	if (ofp_header_parse(msg, len, &h) != 0 || h.length > len ||
	    h.type != type || h.length < min ||
	    (!any_version && h.version != OFP_VERSION))
		return -EPROTO;
	return h.length;
}

/*
 * The OXM fields of class OPENFLOW_BASIC the node reads and writes, in the
 * order they are encoded (each after its prerequisites).  A field is held in
 * struct ofp_match at 'off', host order unless 'net'.
 */
struct oxm_field {
	uint32_t flag;                  /* OFP_M_* */
	uint8_t field;                  /* OFPXMT_OFB_* */
	uint8_t len;                    /* of the value, without a mask */
	size_t off;
	bool net;
};

#define OXM_FIELD(flag, field, member, net) \
	{ (flag), (field), sizeof(((struct ofp_match *)0)->member), \
	  offsetof(struct ofp_match, member), (net) }

static const struct oxm_field oxm_fields[] = {
	OXM_FIELD(OFP_M_IN_PORT, 0, in_port, false),
	OXM_FIELD(OFP_M_ETH_TYPE, 5, eth_type, false),
	OXM_FIELD(OFP_M_IP_PROTO, 10, ip_proto, false),
	OXM_FIELD(OFP_M_IPV4_DST, 12, ipv4_dst, true),
	OXM_FIELD(OFP_M_UDP_DST, 16, udp_dst, false),
};

#define OFP_M_KNOWN (OFP_M_IN_PORT | OFP_M_ETH_TYPE | OFP_M_IP_PROTO | \
		     OFP_M_IPV4_DST | OFP_M_UDP_DST)

/* Writes d's value from m at p, in network order. */
static void
oxm_value_put(uint8_t *p, const struct ofp_match *m, const struct oxm_field *d)
{
	const uint8_t *v = (const uint8_t *)m + d->off;
	uint16_t v16;
	uint32_t v32;

	if (d->net || d->len == 1) {
		memcpy(p, v, d->len);
	} else if (d->len == 2) {
		memcpy(&v16, v, 2);
		put16(p, v16);
	} else {
		memcpy(&v32, v, 4);
		put32(p, v32);
	}
}

/* Stores d's value read at p (network order) into m. */
static void
oxm_value_get(struct ofp_match *m, const struct oxm_field *d, const uint8_t *p)
{
	uint8_t *v = (uint8_t *)m + d->off;
	uint16_t v16;
	uint32_t v32;

	if (d->net || d->len == 1) {
		memcpy(v, p, d->len);
	} else if (d->len == 2) {
		v16 = get16(p);
		memcpy(v, &v16, 2);
	} else {
		v32 = get32(p);
		memcpy(v, &v32, 4);
	}
}

/* Returns -EINVAL unless m holds only known fields, each with its
 * prerequisites (OpenFlow 1.3 table 11), else 0. */
static int
match_check(const struct ofp_match *m)
{
	uint32_t f = m->fields;
	bool ipv4 = (f & OFP_M_ETH_TYPE) && m->eth_type == ETH_TYPE_IPV4;
	bool ip = ipv4 || ((f & OFP_M_ETH_TYPE) && m->eth_type == ETH_TYPE_IPV6);

	if (f & ~(uint32_t)OFP_M_KNOWN)
		return -EINVAL;
	if ((f & OFP_M_IP_PROTO) && !ip)
		return -EINVAL;
	if ((f & OFP_M_IPV4_DST) && !ipv4)
		return -EINVAL;
	if ((f & OFP_M_UDP_DST) && !((f & OFP_M_IP_PROTO) && m->ip_proto == IP_PROTO_UDP))
		return -EINVAL;
	return 0;
}

/* Returns the length of m's ofp_match without its padding. */
static size_t
match_len(const struct ofp_match *m)
{
	size_t len = MATCH_HDR_LEN;

	for (size_t i = 0; i < sizeof(oxm_fields) / sizeof(oxm_fields[0]); i++)
		if (m->fields & oxm_fields[i].flag)
			len += OXM_HDR_LEN + oxm_fields[i].len;
	return len;
}

/* Writes m as an OXM ofp_match at p, whose padding must already be zero;
 * returns its padded length. */
static size_t
match_put(uint8_t *p, const struct ofp_match *m)
{
	size_t off = MATCH_HDR_LEN;

	put16(p, OFPMT_OXM);
	put16(p + 2, match_len(m));
	for (size_t i = 0; i < sizeof(oxm_fields) / sizeof(oxm_fields[0]); i++) {
		const struct oxm_field *d = &oxm_fields[i];

		if (!(m->fields & d->flag))
			continue;
		put16(p + off, OFPXMC_OPENFLOW_BASIC);
		p[off + 2] = d->field << 1;
		p[off + 3] = d->len;
		oxm_value_put(p + off + OXM_HDR_LEN, m, d);
		off += OXM_HDR_LEN + d->len;
	}
	return ROUND_UP8(off);
}

/*
 * Reads one OXM TLV of 'class' and 'field' with value (and mask, if
 * 'hasmask') v[0..vlen) into m; *seen collects the known fields met so far.
 * A field of another class or not in oxm_fields[], or a known one under a
 * mask other than all ones, is flagged OFP_M_OTHER.  Returns 0, or -EPROTO
 * for a known field of the wrong length or met twice.
 */
static int
oxm_parse(uint16_t class, uint8_t field, bool hasmask, const uint8_t *v, size_t vlen,
	  struct ofp_match *m, uint32_t *seen)
{
	const struct oxm_field *d = NULL;

	if (class == OFPXMC_OPENFLOW_BASIC)
		for (size_t i = 0; i < sizeof(oxm_fields) / sizeof(oxm_fields[0]); i++)
			if (oxm_fields[i].field == field)
				d = &oxm_fields[i];
	if (d == NULL) {
		m->fields |= OFP_M_OTHER;
		return 0;
	}
	if (vlen != (size_t)d->len * (hasmask ? 2 : 1) || (*seen & d->flag))
		return -EPROTO;
	*seen |= d->flag;
	/* The mask, if any, follows the value. */
	for (size_t i = d->len; i < vlen; i++) {
		if (v[i] != 0xff) {
			m->fields |= OFP_M_OTHER;
			return 0;
		}
	}
	oxm_value_get(m, d, v);
	m->fields |= d->flag;
	return 0;
}

/*
 * Reads the ofp_match at p[0..avail) into *m and its padded length into
 * *size.  Returns 0, or -EPROTO if it is not an OXM match or any length in
 * it runs past its end or past 'avail'.
 */
static int
match_parse(const uint8_t *p, size_t avail, struct ofp_match *m, size_t *size)
{
	struct ofp_match out = { 0 };
	uint32_t seen = 0;
	size_t mlen, off, vlen;

	if (avail < MATCH_HDR_LEN)
		return -EPROTO;
	mlen = get16(p + 2);
	if (get16(p) != OFPMT_OXM || mlen < MATCH_HDR_LEN || ROUND_UP8(mlen) > avail)
		return -EPROTO;
	for (off = MATCH_HDR_LEN; off < mlen; off += OXM_HDR_LEN + vlen) {
		int rc;

		if (mlen - off < OXM_HDR_LEN)
			return -EPROTO;
		vlen = p[off + 3];
		if (vlen > mlen - off - OXM_HDR_LEN)
			return -EPROTO;
		rc = oxm_parse(get16(p + off), p[off + 2] >> 1, p[off + 2] & 1,
			       p + off + OXM_HDR_LEN, vlen, &out, &seen);
		if (rc != 0)
			return rc;
	}
	*m = out;
	*size = ROUND_UP8(mlen);
	return 0;
}

/*
 * Checks the action list p[0..len).  *out_port is the port of a list that is
 * exactly one output action, else 0.  Returns 0, or -EPROTO for an action
 * length below 8, not a multiple of 8, past the list, or an output action
 * of the wrong length.
 */
static int
actions_parse(const uint8_t *p, size_t len, uint32_t *out_port)
{
	uint32_t port = 0;
	size_t off, n = 0;
	uint16_t type, alen;

	for (off = 0; off < len; off += alen, n++) {
		if (len - off < ACTION_LEN)
			return -EPROTO;
		type = get16(p + off);
		alen = get16(p + off + 2);
		if (alen < ACTION_LEN || alen % 8 != 0 || alen > len - off)
			return -EPROTO;
		if (type == OFPAT_OUTPUT && alen != ACTION_OUTPUT_LEN)
			return -EPROTO;
		port = type == OFPAT_OUTPUT ? get32(p + off + 4) : 0;
	}
	*out_port = n == 1 ? port : 0;
	return 0;
}

/*
 * Checks the instruction list p[0..len) and the action lists of its
 * apply- and write-actions instructions.  *out_port is the output port of a
 * list that is exactly one apply-actions instruction holding exactly one
 * output action, else 0.  Returns 0, or -EPROTO for an instruction length
 * below 8, not a multiple of 8 or past the list, or a bad action list.
 */
static int
instructions_parse(const uint8_t *p, size_t len, uint32_t *out_port)
{
	uint32_t port = 0;
	size_t off, n = 0;
	uint16_t type, ilen;

	for (off = 0; off < len; off += ilen, n++) {
		int rc;

		if (len - off < INSTRUCTION_LEN)
			return -EPROTO;
		type = get16(p + off);
		ilen = get16(p + off + 2);
		if (ilen < INSTRUCTION_LEN || ilen % 8 != 0 || ilen > len - off)
			return -EPROTO;
		port = 0;
		if (type == OFPIT_APPLY_ACTIONS || type == OFPIT_WRITE_ACTIONS) {
			rc = actions_parse(p + off + INSTRUCTION_LEN,
					   ilen - INSTRUCTION_LEN, &port);
			if (rc != 0)
				return rc;
			if (type != OFPIT_APPLY_ACTIONS)
				port = 0;
		}
	}
	*out_port = n == 1 ? port : 0;
	return 0;
}

int
ofp_encode_hello(uint8_t *buf, size_t size, uint32_t xid)
{
	if (size < HELLO_LEN)
		return -ENOSPC;
	put_header(buf, OFPT_HELLO, HELLO_LEN, xid);
	put16(buf + 8, OFPHET_VERSIONBITMAP);
	put16(buf + 10, HELLO_ELEM_HDR_LEN + 4);
	put32(buf + 12, UINT32_C(1) << OFP_VERSION);
	return HELLO_LEN;
}

int
ofp_encode_echo(uint8_t *buf, size_t size, uint8_t type, uint32_t xid,
		const uint8_t *data, size_t len)
{
	if (type != OFPT_ECHO_REQUEST && type != OFPT_ECHO_REPLY)
		return -EINVAL;
	if (len > OFP_MAX_LEN - OFP_HEADER_LEN)
		return -EMSGSIZE;
	if (size < OFP_HEADER_LEN + len)
		return -ENOSPC;
	put_header(buf, type, OFP_HEADER_LEN + len, xid);
	if (len > 0)
		memcpy(buf + OFP_HEADER_LEN, data, len);
	return OFP_HEADER_LEN + len;
}

int
ofp_encode_header_only(uint8_t *buf, size_t size, uint8_t type, uint32_t xid)
{
	if (size < OFP_HEADER_LEN)
		return -ENOSPC;
	put_header(buf, type, OFP_HEADER_LEN, xid);
	return OFP_HEADER_LEN;
}

int
ofp_encode_flow_mod(uint8_t *buf, size_t size, uint32_t xid, uint8_t command,
		    const struct ofp_flow *f, uint64_t cookie_mask)
{
	bool add = command == OFPFC_ADD;
	size_t len, off;

	if (!add && command != OFPFC_DELETE && command != OFPFC_DELETE_STRICT)
		return -EINVAL;
	if (match_check(&f->match) != 0)
		return -EINVAL;
	len = FLOW_MOD_LEN + ROUND_UP8(match_len(&f->match)) +
	      (add ? INSTRUCTION_LEN + ACTION_OUTPUT_LEN : 0);
	if (size < len)
		return -ENOSPC;

	memset(buf, 0, len);
	put_header(buf, OFPT_FLOW_MOD, len, xid);
	put64(buf + 8, f->cookie);
	put64(buf + 16, add ? 0 : cookie_mask);  /* ignored by ADD */
	buf[24] = 0;                            /* table_id */
	buf[25] = command;
	/* idle_timeout, hard_timeout: 0 */
	put16(buf + 30, f->priority);
	put32(buf + 32, OFP_NO_BUFFER);
	put32(buf + 36, OFPP_ANY);              /* out_port: DELETE* filter */
	put32(buf + 40, OFPG_ANY);              /* out_group */
	/* flags, pad: 0 */
	off = FLOW_MOD_LEN + match_put(buf + FLOW_MOD_LEN, &f->match);
	if (add) {
		put16(buf + off, OFPIT_APPLY_ACTIONS);
		put16(buf + off + 2, INSTRUCTION_LEN + ACTION_OUTPUT_LEN);
		off += INSTRUCTION_LEN;
		put16(buf + off, OFPAT_OUTPUT);
		put16(buf + off + 2, ACTION_OUTPUT_LEN);
		put32(buf + off + 4, f->out_port);
		put16(buf + off + 8, OFPCML_NO_BUFFER);
	}
	return len;
}

int
ofp_encode_flow_stats_request(uint8_t *buf, size_t size, uint32_t xid,
			      uint64_t cookie, uint64_t cookie_mask)
{
	static const struct ofp_match any = { 0 };
	size_t len = MULTIPART_LEN + FLOW_STATS_REQUEST_LEN + ROUND_UP8(match_len(&any));
	uint8_t *req = buf + MULTIPART_LEN;

	if (size < len)
		return -ENOSPC;
	memset(buf, 0, len);
	put_header(buf, OFPT_MULTIPART_REQUEST, len, xid);
	put16(buf + 8, OFPMP_FLOW);
	/* flags, pad: 0 */
	req[0] = OFPTT_ALL;
	put32(req + 4, OFPP_ANY);
	put32(req + 8, OFPG_ANY);
	put64(req + 16, cookie);
	put64(req + 24, cookie_mask);
	match_put(req + FLOW_STATS_REQUEST_LEN, &any);
	return len;
}

int
ofp_decode_hello(const uint8_t *msg, size_t len, bool *has_13)
{
	bool bitmap = false, v13 = false;
	size_t mlen, off;
	uint16_t elen;
	int rc;

	rc = msg_check(msg, len, OFPT_HELLO, OFP_HEADER_LEN, true);
	if (rc < 0)
		return rc;
	mlen = rc;
	/* Elements, each padded to 8 bytes; unknown types are skipped. */
	for (off = OFP_HEADER_LEN; off < mlen; off += ROUND_UP8(elen)) {
		if (mlen - off < HELLO_ELEM_HDR_LEN)
			return -EPROTO;
		elen = get16(msg + off + 2);
		if (elen < HELLO_ELEM_HDR_LEN || ROUND_UP8(elen) > mlen - off)
			return -EPROTO;
		if (get16(msg + off) != OFPHET_VERSIONBITMAP)
			continue;
		/* Bitmap words: bit n of word 0 is wire version n. */
		if (elen == HELLO_ELEM_HDR_LEN || (elen - HELLO_ELEM_HDR_LEN) % 4 != 0)
			return -EPROTO;
		bitmap = true;
		if (get32(msg + off + HELLO_ELEM_HDR_LEN) & (UINT32_C(1) << OFP_VERSION))
			v13 = true;
	}
	/* Without a bitmap a peer accepts every version up to its own. */
	*has_13 = bitmap ? v13 : msg[0] >= OFP_VERSION;
	return 0;
}

int
ofp_decode_features_reply(const uint8_t *msg, size_t len, uint64_t *dpid)
{
	int rc = msg_check(msg, len, OFPT_FEATURES_REPLY, FEATURES_REPLY_LEN, false);

	if (rc < 0)
		return rc;
	if (rc != FEATURES_REPLY_LEN)
		return -EPROTO;
	*dpid = get64(msg + 8);
	return 0;
}

int
ofp_decode_error(const uint8_t *msg, size_t len, uint16_t *type, uint16_t *code,
		 struct ofp_header *about)
{
	uint16_t t;
	size_t mlen;
	int rc;

	rc = msg_check(msg, len, OFPT_ERROR, ERROR_LEN, false);
	if (rc < 0)
		return rc;
	mlen = rc;
	t = get16(msg + 8);
	if (t == OFPET_EXPERIMENTER && mlen < ERROR_EXP_LEN)
		return -EPROTO;
	*type = t;
	*code = get16(msg + 10);
	/* HELLO_FAILED carries text and EXPERIMENTER its own data; the other
	 * types carry the start of the offending request. */
	memset(about, 0, sizeof(*about));
	if (t != OFPET_HELLO_FAILED && t != OFPET_EXPERIMENTER &&
	    mlen - ERROR_LEN >= OFP_HEADER_LEN) {
		const uint8_t *p = msg + ERROR_LEN;

		about->version = p[0];
		about->type = p[1];
		about->length = get16(p + 2);
		about->xid = get32(p + 4);
	}
	return 0;
}

/* Error names (OpenFlow 1.3.5 section 7.4.4), each code table indexed by
 * code. */
static const char *const hello_failed_codes[] = {
	"OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM",
};

static const char *const bad_request_codes[] = {
	"OFPBRC_BAD_VERSION", "OFPBRC_BAD_TYPE", "OFPBRC_BAD_MULTIPART",
	"OFPBRC_BAD_EXPERIMENTER", "OFPBRC_BAD_EXP_TYPE", "OFPBRC_EPERM",
	"OFPBRC_BAD_LEN", "OFPBRC_BUFFER_EMPTY", "OFPBRC_BUFFER_UNKNOWN",
	"OFPBRC_BAD_TABLE_ID", "OFPBRC_IS_SLAVE", "OFPBRC_BAD_PORT",
	"OFPBRC_BAD_PACKET", "OFPBRC_MULTIPART_BUFFER_OVERFLOW",
};

static const char *const bad_action_codes[] = {
	"OFPBAC_BAD_TYPE", "OFPBAC_BAD_LEN", "OFPBAC_BAD_EXPERIMENTER",
	"OFPBAC_BAD_EXP_TYPE", "OFPBAC_BAD_OUT_PORT", "OFPBAC_BAD_ARGUMENT",
	"OFPBAC_EPERM", "OFPBAC_TOO_MANY", "OFPBAC_BAD_QUEUE",
	"OFPBAC_BAD_OUT_GROUP", "OFPBAC_MATCH_INCONSISTENT",
	"OFPBAC_UNSUPPORTED_ORDER", "OFPBAC_BAD_TAG", "OFPBAC_BAD_SET_TYPE",
	"OFPBAC_BAD_SET_LEN", "OFPBAC_BAD_SET_ARGUMENT",
};

static const char *const bad_instruction_codes[] = {
	"OFPBIC_UNKNOWN_INST", "OFPBIC_UNSUP_INST", "OFPBIC_BAD_TABLE_ID",
	"OFPBIC_UNSUP_METADATA", "OFPBIC_UNSUP_METADATA_MASK",
	"OFPBIC_BAD_EXPERIMENTER", "OFPBIC_BAD_EXP_TYPE", "OFPBIC_BAD_LEN",
	"OFPBIC_EPERM",
};

static const char *const bad_match_codes[] = {
	"OFPBMC_BAD_TYPE", "OFPBMC_BAD_LEN", "OFPBMC_BAD_TAG",
	"OFPBMC_BAD_DL_ADDR_MASK", "OFPBMC_BAD_NW_ADDR_MASK",
	"OFPBMC_BAD_WILDCARDS", "OFPBMC_BAD_FIELD", "OFPBMC_BAD_VALUE",
	"OFPBMC_BAD_MASK", "OFPBMC_BAD_PREREQ", "OFPBMC_DUP_FIELD",
	"OFPBMC_EPERM",
};

static const char *const flow_mod_failed_codes[] = {
	"OFPFMFC_UNKNOWN", "OFPFMFC_TABLE_FULL", "OFPFMFC_BAD_TABLE_ID",
	"OFPFMFC_OVERLAP", "OFPFMFC_EPERM", "OFPFMFC_BAD_TIMEOUT",
	"OFPFMFC_BAD_COMMAND", "OFPFMFC_BAD_FLAGS",
};

static const char *const group_mod_failed_codes[] = {
	"OFPGMFC_GROUP_EXISTS", "OFPGMFC_INVALID_GROUP",
	"OFPGMFC_WEIGHT_UNSUPPORTED", "OFPGMFC_OUT_OF_GROUPS",
	"OFPGMFC_OUT_OF_BUCKETS", "OFPGMFC_CHAINING_UNSUPPORTED",
	"OFPGMFC_WATCH_UNSUPPORTED", "OFPGMFC_LOOP", "OFPGMFC_UNKNOWN_GROUP",
	"OFPGMFC_CHAINED_GROUP", "OFPGMFC_BAD_TYPE", "OFPGMFC_BAD_COMMAND",
	"OFPGMFC_BAD_BUCKET", "OFPGMFC_BAD_WATCH", "OFPGMFC_EPERM",
};

static const char *const port_mod_failed_codes[] = {
	"OFPPMFC_BAD_PORT", "OFPPMFC_BAD_HW_ADDR", "OFPPMFC_BAD_CONFIG",
	"OFPPMFC_BAD_ADVERTISE", "OFPPMFC_EPERM",
};

static const char *const table_mod_failed_codes[] = {
	"OFPTMFC_BAD_TABLE", "OFPTMFC_BAD_CONFIG", "OFPTMFC_EPERM",
};

static const char *const queue_op_failed_codes[] = {
	"OFPQOFC_BAD_PORT", "OFPQOFC_BAD_QUEUE", "OFPQOFC_EPERM",
};

static const char *const switch_config_failed_codes[] = {
	"OFPSCFC_BAD_FLAGS", "OFPSCFC_BAD_LEN", "OFPSCFC_EPERM",
};

static const char *const role_request_failed_codes[] = {
	"OFPRRFC_STALE", "OFPRRFC_UNSUP", "OFPRRFC_BAD_ROLE",
};

static const char *const meter_mod_failed_codes[] = {
	"OFPMMFC_UNKNOWN", "OFPMMFC_METER_EXISTS", "OFPMMFC_INVALID_METER",
	"OFPMMFC_UNKNOWN_METER", "OFPMMFC_BAD_COMMAND", "OFPMMFC_BAD_FLAGS",
	"OFPMMFC_BAD_RATE", "OFPMMFC_BAD_BURST", "OFPMMFC_BAD_BAND",
	"OFPMMFC_BAD_BAND_VALUE", "OFPMMFC_OUT_OF_METERS",
	"OFPMMFC_OUT_OF_BANDS",
};

static const char *const table_features_failed_codes[] = {
	"OFPTFFC_BAD_TABLE", "OFPTFFC_BAD_METADATA", "OFPTFFC_BAD_TYPE",
	"OFPTFFC_BAD_LEN", "OFPTFFC_BAD_ARGUMENT", "OFPTFFC_EPERM",
};

struct error_type {
	uint16_t type;
	const char *name;
	const char *const *codes;       /* NULL: codes are not standard */
	size_t nb_codes;
};

#define ERROR_TYPE(type, name, codes) \
	{ (type), (name), (codes), sizeof(codes) / sizeof((codes)[0]) }

static const struct error_type error_types[] = {
	ERROR_TYPE(0, "OFPET_HELLO_FAILED", hello_failed_codes),
	ERROR_TYPE(1, "OFPET_BAD_REQUEST", bad_request_codes),
	ERROR_TYPE(2, "OFPET_BAD_ACTION", bad_action_codes),
	ERROR_TYPE(3, "OFPET_BAD_INSTRUCTION", bad_instruction_codes),
	ERROR_TYPE(4, "OFPET_BAD_MATCH", bad_match_codes),
	ERROR_TYPE(5, "OFPET_FLOW_MOD_FAILED", flow_mod_failed_codes),
	ERROR_TYPE(6, "OFPET_GROUP_MOD_FAILED", group_mod_failed_codes),
	ERROR_TYPE(7, "OFPET_PORT_MOD_FAILED", port_mod_failed_codes),
	ERROR_TYPE(8, "OFPET_TABLE_MOD_FAILED", table_mod_failed_codes),
	ERROR_TYPE(9, "OFPET_QUEUE_OP_FAILED", queue_op_failed_codes),
	ERROR_TYPE(10, "OFPET_SWITCH_CONFIG_FAILED", switch_config_failed_codes),
	ERROR_TYPE(11, "OFPET_ROLE_REQUEST_FAILED", role_request_failed_codes),
	ERROR_TYPE(12, "OFPET_METER_MOD_FAILED", meter_mod_failed_codes),
	ERROR_TYPE(13, "OFPET_TABLE_FEATURES_FAILED", table_features_failed_codes),
	{ OFPET_EXPERIMENTER, "OFPET_EXPERIMENTER", NULL, 0 },
};

const char *
ofp_error_str(uint16_t type, uint16_t code, char *buf, size_t size)
{
	const struct error_type *t = NULL;

	for (size_t i = 0; i < sizeof(error_types) / sizeof(error_types[0]); i++)
		if (error_types[i].type == type)
			t = &error_types[i];
	if (t == NULL)
		snprintf(buf, size, "%u/%u", type, code);
	else if (code < t->nb_codes)
		snprintf(buf, size, "%s/%s", t->name, t->codes[code]);
	else
		snprintf(buf, size, "%s/%u", t->name, code);
	return buf;
}

/*
 * Reads the ofp_flow_stats entry at p[0..avail) into *f and its length into
 * *size.  Returns 0, or -EPROTO if its length is below the smallest entry
 * or past 'avail', or its match or instructions are malformed.
 */
static int
flow_stats_parse(const uint8_t *p, size_t avail, struct ofp_flow *f, size_t *size)
{
	size_t elen, mlen;
	int rc;

	if (avail < FLOW_STATS_LEN)
		return -EPROTO;
	elen = get16(p);
	if (elen < FLOW_STATS_LEN + ROUND_UP8(MATCH_HDR_LEN) || elen > avail)
		return -EPROTO;
	f->priority = get16(p + 12);
	f->cookie = get64(p + 24);
	rc = match_parse(p + FLOW_STATS_LEN, elen - FLOW_STATS_LEN, &f->match, &mlen);
	if (rc != 0)
		return rc;
	rc = instructions_parse(p + FLOW_STATS_LEN + mlen, elen - FLOW_STATS_LEN - mlen,
				&f->out_port);
	if (rc != 0)
		return rc;
	*size = elen;
	return 0;
}

/* Reads the entries in body[0..len), calling cb (unless NULL) for each.
 * Returns 0, -EPROTO or the first non-zero cb result. */
static int
flow_stats_walk(const uint8_t *body, size_t len,
		int (*cb)(const struct ofp_flow *f, void *arg), void *arg)
{
	for (size_t off = 0, n; off < len; off += n) {
		struct ofp_flow f;
		int rc;

		rc = flow_stats_parse(body + off, len - off, &f, &n);
		if (rc == 0 && cb != NULL)
			rc = cb(&f, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
ofp_decode_flow_stats_reply(const uint8_t *msg, size_t len, bool *more,
			    int (*cb)(const struct ofp_flow *f, void *arg), void *arg)
{
	size_t mlen;
	int rc;

	rc = msg_check(msg, len, OFPT_MULTIPART_REPLY, MULTIPART_LEN, false);
	if (rc < 0)
		return rc;
	mlen = rc;
	if (get16(msg + 8) != OFPMP_FLOW)
		return -EPROTO;
	/* Check every entry before the first callback, so that a malformed
	 * reply reports no flow at all. */
	rc = flow_stats_walk(msg + MULTIPART_LEN, mlen - MULTIPART_LEN, NULL, NULL);
	if (rc != 0)
		return rc;
	*more = get16(msg + 10) & OFPMPF_REPLY_MORE;
	return flow_stats_walk(msg + MULTIPART_LEN, mlen - MULTIPART_LEN, cb, arg);
}
