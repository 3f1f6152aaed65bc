/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * pcapgen: deterministic traffic generator.
 *
 * Builds Ethernet frames from one or more --flow specifications and writes
 * them to a pcap file through libpcap. There is no randomness: the same
 * command line always produces a byte-identical file. Run with --help for
 * the exact packet layouts.
 */

#include <arpa/inet.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcap/pcap.h>

#define PG_EXIT_IO 1
#define PG_EXIT_USAGE 2

#define PG_ETH_HDR_LEN 14
#define PG_ETH_ADDR_LEN 6
#define PG_IPV4_HDR_LEN 20
#define PG_IPV4_OPT_LEN 4
#define PG_IPV6_HDR_LEN 40
#define PG_UDP_HDR_LEN 8
#define PG_TCP_HDR_LEN 20
#define PG_ICMP_HDR_LEN 8
#define PG_ARP_LEN 28

#define PG_ETHERTYPE_IPV4 0x0800
#define PG_ETHERTYPE_ARP 0x0806
#define PG_ETHERTYPE_IPV6 0x86dd
#define PG_PROTO_ICMP 1
#define PG_PROTO_TCP 6
#define PG_PROTO_UDP 17
#define PG_IPV4_MF 0x2000
#define PG_TCP_PSH_ACK 0x18
#define PG_ICMP_ECHO_REQUEST 8

#define PG_MIN_FRAME_LEN 60	/* shortest Ethernet frame without FCS */
#define PG_MAX_FRAME_LEN 9000
#define PG_RUNT_FRAME_LEN 24	/* Ethernet header + 10 bytes of IPv4 */
#define PG_RUNT_NOMINAL_LEN 64	/* packet the runt is cut from */
#define PG_TRUNC_EXTRA 40	/* bytes claimed beyond the frame */
#define PG_BADUDPLEN_EXTRA 16	/* bytes claimed beyond the IPv4 payload */
#define PG_BADCSUM_XOR 0x5aa5	/* never maps a checksum onto an equivalent */
#define PG_BUF_LEN (PG_MAX_FRAME_LEN + PG_TRUNC_EXTRA)

#define PG_MAX_FLOWS 256	/* the marker stores the flow index in a byte */
#define PG_MAX_COUNT 100000000u
#define PG_MARKER_LEN 12
#define PG_TS_EPOCH 1700000000
#define PG_VAL_MAX 64		/* longest value accepted in a --flow item */
#define PG_ERR_LEN 256
#define PG_HELP_KEY_INDENT "                  "
#define PG_HELP_KIND_INDENT "      "

#define PG_DEF_SRC_IP 0x0a000001u	/* 10.0.0.1 */
#define PG_DEF_DST_IP 0xc0000201u	/* 192.0.2.1 */
#define PG_DEF_SPORT 1024
#define PG_DEF_DPORT 5000
#define PG_DEF_SIZE 64
#define PG_DEF_TTL 64

/* Packet kinds; the value is also the kind byte of the payload marker. */
enum pg_kind {
	PG_KIND_UDP = 1,
	PG_KIND_TCP,
	PG_KIND_ICMP,
	PG_KIND_ARP,
	PG_KIND_IPV6,
	PG_KIND_TRUNCATED,
	PG_KIND_RUNT,
	PG_KIND_BADCSUM,
	PG_KIND_FRAGMENT,
	PG_KIND_BADUDPLEN,
	PG_KIND_IPOPTS,
	PG_KIND_MAX = PG_KIND_IPOPTS,
};

/* Keys of a --flow specification. */
enum pg_key {
	PG_KEY_KIND,
	PG_KEY_SRC,
	PG_KEY_DST,
	PG_KEY_SPORT,
	PG_KEY_DPORT,
	PG_KEY_COUNT,
	PG_KEY_SIZE,
	PG_KEY_TTL,
	PG_KEY_TOS,
	PG_KEY_MAX,
};

#define PG_KB(k) (1u << (k))
#define PG_KEYS_ALL (PG_KB(PG_KEY_MAX) - 1)
#define PG_KEYS_PORTS (PG_KB(PG_KEY_SPORT) | PG_KB(PG_KEY_DPORT))
#define PG_KEYS_ADDRS (PG_KB(PG_KEY_SRC) | PG_KB(PG_KEY_DST))
#define PG_KEYS_IPHDR (PG_KB(PG_KEY_TTL) | PG_KB(PG_KEY_TOS))

#define PG_UDP4_MIN (PG_ETH_HDR_LEN + PG_IPV4_HDR_LEN + PG_UDP_HDR_LEN)

struct pg_key_info {
	const char *name;
	const char *arg;
	const char *help;
};

struct pg_kind_info {
	const char *name;
	uint32_t min_size;	/* 0: size= is not accepted */
	uint32_t keys;		/* PG_KB() of the keys that apply */
	const char *help;
};

static const struct pg_key_info pg_keys[PG_KEY_MAX] = {
	[PG_KEY_KIND] = { "kind", "=KIND", "packet kind, see below (default udp)" },
	[PG_KEY_SRC] = { "src", "=ADDR",
		"IPv4 source, A.B.C.D or A.B.C.D/LEN (default 10.0.0.1)" },
	[PG_KEY_DST] = { "dst", "=ADDR",
		"IPv4 destination, same syntax (default 192.0.2.1)" },
	[PG_KEY_SPORT] = { "sport", "=PORT",
		"UDP/TCP source port, P or LO-HI (default 1024)" },
	[PG_KEY_DPORT] = { "dport", "=PORT",
		"UDP/TCP destination port, P or LO-HI (default 5000)" },
	[PG_KEY_COUNT] = { "count", "=N",
		"packets in this flow, 1..100000000 (default 1)" },
	[PG_KEY_SIZE] = { "size", "=BYTES",
		"Ethernet frame length without FCS (default 64),\n"
		"from the kind's MIN (see below) up to 9000" },
	[PG_KEY_TTL] = { "ttl", "=N",
		"IPv4 TTL / IPv6 hop limit, 0..255 (default 64)" },
	[PG_KEY_TOS] = { "tos", "=N",
		"IPv4 TOS / IPv6 traffic class, 0..255 (default 0)" },
};

static const struct pg_kind_info pg_kinds[PG_KIND_MAX + 1] = {
	[PG_KIND_UDP] = {
		"udp", PG_UDP4_MIN, PG_KEYS_ALL,
		"IPv4/UDP.",
	},
	[PG_KIND_TCP] = {
		"tcp", PG_ETH_HDR_LEN + PG_IPV4_HDR_LEN + PG_TCP_HDR_LEN, PG_KEYS_ALL,
		"IPv4/TCP, 20-byte header, flags PSH|ACK, sequence number\n"
		"1 + i * payload length, ack 1, window 65535.",
	},
	[PG_KIND_ICMP] = {
		"icmp", PG_ETH_HDR_LEN + PG_IPV4_HDR_LEN + PG_ICMP_HDR_LEN,
		PG_KEYS_ALL & ~PG_KEYS_PORTS,
		"IPv4 ICMP echo request, identifier = flow index,\n"
		"sequence = i & 0xffff.",
	},
	[PG_KIND_ARP] = {
		"arp", PG_ETH_HDR_LEN + PG_ARP_LEN,
		PG_KEYS_ALL & ~PG_KEYS_PORTS & ~PG_KEYS_IPHDR,
		"ARP request \"who-has dst tell src\" sent to\n"
		"ff:ff:ff:ff:ff:ff (--dst-mac is not used); sender MAC is\n"
		"--src-mac, target MAC 00:00:00:00:00:00. Bytes after the\n"
		"28-byte ARP body are zero.",
	},
	[PG_KIND_IPV6] = {
		"ipv6", PG_ETH_HDR_LEN + PG_IPV6_HDR_LEN + PG_UDP_HDR_LEN,
		PG_KEYS_ALL & ~PG_KEYS_ADDRS,
		"IPv6/UDP from fd00::1 to fd00::2 (fixed addresses),\n"
		"flow label 0, UDP checksum correct.",
	},
	[PG_KIND_TRUNCATED] = {
		"truncated", PG_UDP4_MIN, PG_KEYS_ALL,
		"IPv4/UDP cut short. With L = max(size, 60) the frame is\n"
		"the first L bytes of a valid IPv4/UDP frame of L + 40\n"
		"bytes, so the IPv4 total length is L - 14 + 40, i.e. 40\n"
		"more than the frame carries. No zero padding: all L bytes\n"
		"are packet data. UDP length and checksum are those of the\n"
		"whole, untruncated packet.",
	},
	[PG_KIND_RUNT] = {
		"runt", 0,
		PG_KB(PG_KEY_KIND) | PG_KB(PG_KEY_COUNT) | PG_KEYS_IPHDR,
		"Exactly 24 bytes, never padded: the Ethernet header\n"
		"(type IPv4) and the first 10 bytes of the IPv4 header of a\n"
		"64-byte IPv4/UDP frame (so the header claims total length\n"
		"50). size= is not accepted.",
	},
	[PG_KIND_BADCSUM] = {
		"badcsum", PG_UDP4_MIN, PG_KEYS_ALL,
		"IPv4/UDP whose IPv4 header checksum is wrong (the correct\n"
		"value XOR 0x5aa5). The UDP checksum is correct.",
	},
	[PG_KIND_FRAGMENT] = {
		"fragment", PG_UDP4_MIN, PG_KEYS_ALL,
		"IPv4/UDP with the MF bit set and fragment offset 0. UDP\n"
		"length and checksum cover only the bytes in this frame.",
	},
	[PG_KIND_BADUDPLEN] = {
		"badudplen", PG_UDP4_MIN, PG_KEYS_ALL,
		"IPv4/UDP whose UDP length field is 16 more than the IPv4\n"
		"payload. The UDP checksum is computed over the bytes\n"
		"present, with that length in the pseudo-header.",
	},
	[PG_KIND_IPOPTS] = {
		"ipopts", PG_UDP4_MIN + PG_IPV4_OPT_LEN, PG_KEYS_ALL,
		"Valid IPv4/UDP with IHL 6: a 4-byte options field\n"
		"NOP NOP NOP EOL (01 01 01 00), header checksum correct.",
	},
};

static const uint8_t pg_def_src_mac[PG_ETH_ADDR_LEN] = { 2, 0, 0, 0, 0, 0x99 };
static const uint8_t pg_def_dst_mac[PG_ETH_ADDR_LEN] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t pg_bcast_mac[PG_ETH_ADDR_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};
static const uint8_t pg_ipv6_src[16] = { 0xfd, [15] = 1 };
static const uint8_t pg_ipv6_dst[16] = { 0xfd, [15] = 2 };
static const uint8_t pg_ipv4_opts[PG_IPV4_OPT_LEN] = { 1, 1, 1, 0 };

/* An IPv4 prefix walked address by address. */
struct pg_addr_range {
	uint32_t base;		/* host byte order, host bits clear */
	uint8_t plen;
};

/* An inclusive port range. */
struct pg_port_range {
	uint16_t lo;
	uint16_t hi;
};

/* One parsed --flow. */
struct pg_flow {
	enum pg_kind kind;
	struct pg_addr_range src;
	struct pg_addr_range dst;
	struct pg_port_range sport;
	struct pg_port_range dport;
	uint32_t count;
	uint32_t size;
	uint8_t ttl;
	uint8_t tos;
	uint32_t keys_set;	/* PG_KB() of the keys given */
};

/* The whole command line. */
struct pg_opts {
	const char *out;
	uint64_t seed;
	uint8_t src_mac[PG_ETH_ADDR_LEN];
	uint8_t dst_mac[PG_ETH_ADDR_LEN];
	const char *specs[PG_MAX_FLOWS];
	struct pg_flow flows[PG_MAX_FLOWS];
	unsigned int nflows;
	uint32_t total;
};

/* Everything needed to build packet i of a flow, packet k of the file. */
struct pg_pkt {
	const struct pg_opts *o;
	const struct pg_flow *f;
	uint32_t flow_idx;
	uint32_t seq;		/* i */
	uint32_t gidx;		/* k */
	uint32_t sip;
	uint32_t dip;
	uint16_t sport;
	uint16_t dport;
};

/* Formats an error reason into err. */
static void __attribute__((format(printf, 3, 4)))
pg_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* Prints "pcapgen: <message>" on stderr. */
static void __attribute__((format(printf, 1, 2)))
pg_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("pcapgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Prints a multi-line string with every line after the first indented. */
static void
pg_print_indented(const char *s, const char *indent)
{
	for (; *s != '\0'; s++) {
		putchar(*s);
		if (*s == '\n')
			fputs(indent, stdout);
	}
	putchar('\n');
}

/* Prints the list of keys in mask, space separated. */
static void
pg_print_keys(uint32_t mask)
{
	const char *sep = "";

	for (unsigned int k = 0; k < PG_KEY_MAX; k++) {
		if (mask & PG_KB(k)) {
			printf("%s%s", sep, pg_keys[k].name);
			sep = " ";
		}
	}
	putchar('\n');
}

/* Prints the --help text on stdout. */
static void
pg_usage(void)
{
	fputs(
"Usage: pcapgen -o FILE [--seed N] [--src-mac MAC] [--dst-mac MAC]\n"
"               --flow SPEC [--flow SPEC ...]\n"
"\n"
"Writes Ethernet frames (link type EN10MB) to a pcap file. Output is fully\n"
"deterministic: the same arguments always give a byte-identical file.\n"
"\n"
"Options:\n"
"  -o, --output FILE  pcap file to write, \"-\" for stdout. Nothing is\n"
"                     written if any argument is invalid.\n"
"  --seed N           accepted for compatibility; pcapgen has no random\n"
"                     element, so N does not change the output.\n"
"  --src-mac MAC      Ethernet source, xx:xx:xx:xx:xx:xx\n"
"                     (default 02:00:00:00:00:99)\n"
"  --dst-mac MAC      Ethernet destination (default 02:00:00:00:00:01)\n"
"  --flow SPEC        add a flow; repeat for more flows (at most 256)\n"
"  -h, --help         print this help and exit\n"
"\n"
"SPEC is a comma-separated list of KEY=VALUE, each key at most once; an\n"
"empty SPEC is one default udp packet. A key that does not apply to the\n"
"flow's kind is an error. Keys:\n", stdout);
	for (unsigned int k = 0; k < PG_KEY_MAX; k++) {
		printf("  %s%-*s", pg_keys[k].name,
		       (int)(16 - strlen(pg_keys[k].name)), pg_keys[k].arg);
		pg_print_indented(pg_keys[k].help, PG_HELP_KEY_INDENT);
	}
	fputs(
"\n"
"Ranges (i = 0, 1, 2, ... is the packet's sequence number within its flow):\n"
"  A.B.C.D/LEN  packet i uses address A.B.C.D + (i mod 2^(32-LEN)). Every\n"
"               address of the block is used in order, network and\n"
"               broadcast addresses included, then it wraps. A.B.C.D must\n"
"               be the first address of the block (no host bits set).\n"
"  LO-HI        packet i uses port LO + (i mod (HI-LO+1)); LO <= HI.\n"
"  src, dst, sport and dport are all walked with the same i.\n"
"\n"
"Frame size and padding:\n"
"  size= counts the real packet bytes: Ethernet header, IP header, L4\n"
"  header and payload. The payload is size minus the headers, and the IPv4\n"
"  total length, IPv6 payload length and UDP length describe exactly those\n"
"  bytes. A frame with size < 60 is then padded with zero bytes to 60, as a\n"
"  NIC would; no length field counts the padding. So size=42 for udp gives\n"
"  a 60-byte frame with IPv4 total length 28, UDP length 8, no payload and\n"
"  18 zero bytes of padding. kind=runt (always 24 bytes) and kind=truncated\n"
"  (see below) are not padded.\n"
"\n"
"Kinds (CODE is the kind byte of the payload marker, MIN the smallest\n"
"size= accepted; - means size= is not accepted):\n", stdout);
	for (unsigned int k = 1; k <= PG_KIND_MAX; k++) {
		const struct pg_kind_info *ki = &pg_kinds[k];

		if (ki->min_size != 0)
			printf("  %-10s code %2u, MIN %" PRIu32 "\n", ki->name, k,
			       ki->min_size);
		else
			printf("  %-10s code %2u, MIN -\n", ki->name, k);
		fputs(PG_HELP_KIND_INDENT, stdout);
		pg_print_indented(ki->help, PG_HELP_KIND_INDENT);
		fputs(PG_HELP_KIND_INDENT "keys: ", stdout);
		pg_print_keys(pg_kinds[k].keys);
	}
	fputs(
"\n"
"Output order and headers:\n"
"  Flows are interleaved round-robin: flow 0 packet 0, flow 1 packet 0, ...,\n"
"  flow 0 packet 1, ...; a flow that has sent its count is skipped. Packet\n"
"  k of the file (k = 0, 1, ...) is stamped 1700000000 s + k microseconds.\n"
"  IPv4 ID = k & 0xffff, DF is never set. IPv4 header, UDP, TCP and ICMP\n"
"  checksums are correct unless the kind says otherwise; a UDP checksum\n"
"  that computes to 0 is sent as 0xffff.\n"
"\n"
"Payload of every kind except arp and runt (12-byte marker, then pattern):\n"
"  bytes 0-1    \"SP\" (0x53 0x50)\n"
"  byte  2      flow index: 0 for the first --flow, 1 for the second, ...\n"
"  byte  3      kind CODE\n"
"  bytes 4-7    i, big endian\n"
"  bytes 8-11   k, big endian\n"
"  byte  j>=12  (k + j) & 0xff\n"
"  A payload shorter than 12 bytes holds the first bytes of the marker.\n"
"\n"
"Errors: invalid input prints \"pcapgen: <reason>\" (for a flow,\n"
"\"pcapgen: --flow N: <reason>\" with N counted from 1) and exits 2;\n"
"an I/O error exits 1.\n", stdout);
}

/* Parses a decimal number in [min, max]; returns 0 on success. */
static int
pg_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return -1;
	}
	if (v < min)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Parses a decimal 64-bit number; returns 0 on success. */
static int
pg_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* Returns the value of a hex digit, or -1. */
static int
pg_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses xx:xx:xx:xx:xx:xx; returns 0 on success. */
static int
pg_parse_mac(const char *s, uint8_t mac[PG_ETH_ADDR_LEN])
{
	for (int i = 0; i < PG_ETH_ADDR_LEN; i++) {
		int hi = pg_hexval(s[0]);
		int lo = hi < 0 ? -1 : pg_hexval(s[1]);

		if (lo < 0)
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < PG_ETH_ADDR_LEN - 1 && *s++ != ':')
			return -1;
	}
	return *s == '\0' ? 0 : -1;
}

/* Parses A.B.C.D or A.B.C.D/LEN into r; returns 0 or fills err. */
static int
pg_parse_addr(const char *key, const char *s, struct pg_addr_range *r,
	      char *err, size_t errlen)
{
	char ip[PG_VAL_MAX];
	const char *slash = strchr(s, '/');
	size_t iplen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	struct in_addr a;
	uint32_t plen = 32;
	uint32_t host;

	if (iplen >= sizeof(ip))
		goto bad;
	memcpy(ip, s, iplen);
	ip[iplen] = '\0';
	if (inet_pton(AF_INET, ip, &a) != 1)
		goto bad;
	if (slash != NULL && pg_parse_u32(slash + 1, 0, 32, &plen) != 0) {
		pg_err(err, errlen, "%s=%s: prefix length must be 0..32", key, s);
		return -1;
	}
	host = ntohl(a.s_addr);
	if (plen < 32 && (host & (UINT32_MAX >> plen)) != 0) {
		uint32_t net = plen == 0 ? 0 : host & (UINT32_MAX << (32 - plen));
		struct in_addr n = { .s_addr = htonl(net) };
		char nbuf[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &n, nbuf, sizeof(nbuf));
		pg_err(err, errlen,
		       "%s=%s: host bits set; the block starts at %s/%" PRIu32,
		       key, s, nbuf, plen);
		return -1;
	}
	r->base = host;
	r->plen = (uint8_t)plen;
	return 0;
bad:
	pg_err(err, errlen, "%s=%s: not an IPv4 address (A.B.C.D or A.B.C.D/LEN)",
	       key, s);
	return -1;
}

/* Parses P or LO-HI into r; returns 0 or fills err. */
static int
pg_parse_ports(const char *key, const char *s, struct pg_port_range *r,
	       char *err, size_t errlen)
{
	char lo[PG_VAL_MAX];
	const char *dash = strchr(s, '-');
	uint32_t a, b;

	if (dash == NULL) {
		if (pg_parse_u32(s, 0, UINT16_MAX, &a) != 0)
			goto bad;
		b = a;
	} else {
		memcpy(lo, s, (size_t)(dash - s));
		lo[dash - s] = '\0';
		if (pg_parse_u32(lo, 0, UINT16_MAX, &a) != 0 ||
		    pg_parse_u32(dash + 1, 0, UINT16_MAX, &b) != 0)
			goto bad;
		if (a > b) {
			pg_err(err, errlen, "%s=%s: inverted range (%" PRIu32
			       " > %" PRIu32 ")", key, s, a, b);
			return -1;
		}
	}
	r->lo = (uint16_t)a;
	r->hi = (uint16_t)b;
	return 0;
bad:
	pg_err(err, errlen, "%s=%s: not a port (0..65535) or range LO-HI", key, s);
	return -1;
}

/* Looks up a kind by name; returns 0 if unknown. */
static enum pg_kind
pg_kind_lookup(const char *s)
{
	for (unsigned int k = 1; k <= PG_KIND_MAX; k++)
		if (strcmp(pg_kinds[k].name, s) == 0)
			return (enum pg_kind)k;
	return 0;
}

/* Looks up a key by name (len bytes at s); returns PG_KEY_MAX if unknown. */
static enum pg_key
pg_key_lookup(const char *s, size_t len)
{
	for (unsigned int k = 0; k < PG_KEY_MAX; k++)
		if (strlen(pg_keys[k].name) == len &&
		    memcmp(pg_keys[k].name, s, len) == 0)
			return (enum pg_key)k;
	return PG_KEY_MAX;
}

/* Parses one number-valued key into *out; returns 0 or fills err. */
static int
pg_parse_num_key(const char *key, const char *val, uint32_t min, uint32_t max,
		 uint32_t *out, char *err, size_t errlen)
{
	if (pg_parse_u32(val, min, max, out) == 0)
		return 0;
	pg_err(err, errlen, "%s=%s: expected a number in %" PRIu32 "..%" PRIu32,
	       key, val, min, max);
	return -1;
}

/* Stores the value of one KEY=VALUE item into f; returns 0 or fills err. */
static int
pg_flow_set(struct pg_flow *f, enum pg_key key, const char *val,
	    char *err, size_t errlen)
{
	const char *name = pg_keys[key].name;
	uint32_t v;

	switch (key) {
	case PG_KEY_KIND:
		f->kind = pg_kind_lookup(val);
		if (f->kind == 0) {
			pg_err(err, errlen, "kind=%s: unknown kind (see --help)", val);
			return -1;
		}
		return 0;
	case PG_KEY_SRC:
		return pg_parse_addr(name, val, &f->src, err, errlen);
	case PG_KEY_DST:
		return pg_parse_addr(name, val, &f->dst, err, errlen);
	case PG_KEY_SPORT:
		return pg_parse_ports(name, val, &f->sport, err, errlen);
	case PG_KEY_DPORT:
		return pg_parse_ports(name, val, &f->dport, err, errlen);
	case PG_KEY_COUNT:
		return pg_parse_num_key(name, val, 1, PG_MAX_COUNT, &f->count,
					err, errlen);
	case PG_KEY_SIZE:
		if (pg_parse_num_key(name, val, 0, UINT32_MAX, &v, err, errlen) != 0)
			return -1;
		if (v > PG_MAX_FRAME_LEN) {
			pg_err(err, errlen, "size=%s: larger than the maximum %u",
			       val, PG_MAX_FRAME_LEN);
			return -1;
		}
		f->size = v;	/* the minimum depends on the kind: pg_flow_check() */
		return 0;
	case PG_KEY_TTL:
		if (pg_parse_num_key(name, val, 0, UINT8_MAX, &v, err, errlen) != 0)
			return -1;
		f->ttl = (uint8_t)v;
		return 0;
	case PG_KEY_TOS:
		if (pg_parse_num_key(name, val, 0, UINT8_MAX, &v, err, errlen) != 0)
			return -1;
		f->tos = (uint8_t)v;
		return 0;
	case PG_KEY_MAX:
		break;
	}
	return -1;
}

/* Checks the combination of keys and the size against the kind. */
static int
pg_flow_check(const struct pg_flow *f, char *err, size_t errlen)
{
	const struct pg_kind_info *ki = &pg_kinds[f->kind];
	uint32_t extra = f->keys_set & ~ki->keys;

	for (unsigned int k = 0; k < PG_KEY_MAX; k++) {
		if (extra & PG_KB(k)) {
			pg_err(err, errlen, "key '%s' does not apply to kind=%s%s",
			       pg_keys[k].name, ki->name,
			       f->kind == PG_KIND_RUNT && k == PG_KEY_SIZE ?
			       " (a runt is always 24 bytes)" : "");
			return -1;
		}
	}
	if (ki->min_size != 0 && f->size < ki->min_size) {
		pg_err(err, errlen, "size=%" PRIu32 " is too small for kind=%s "
		       "(minimum %" PRIu32 ")", f->size, ki->name, ki->min_size);
		return -1;
	}
	return 0;
}

/* Fills f with the defaults of every key. */
static void
pg_flow_defaults(struct pg_flow *f)
{
	*f = (struct pg_flow){
		.kind = PG_KIND_UDP,
		.src = { .base = PG_DEF_SRC_IP, .plen = 32 },
		.dst = { .base = PG_DEF_DST_IP, .plen = 32 },
		.sport = { PG_DEF_SPORT, PG_DEF_SPORT },
		.dport = { PG_DEF_DPORT, PG_DEF_DPORT },
		.count = 1,
		.size = PG_DEF_SIZE,
		.ttl = PG_DEF_TTL,
		.tos = 0,
	};
}

/* Parses one --flow SPEC into f; returns 0 or fills err. */
static int
pg_parse_flow(const char *spec, struct pg_flow *f, char *err, size_t errlen)
{
	const char *p = spec;

	pg_flow_defaults(f);
	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		const char *eq = memchr(p, '=', len);
		char val[PG_VAL_MAX];
		size_t vlen;
		enum pg_key key;

		if (len == 0) {
			pg_err(err, errlen, "empty item in '%s'", spec);
			return -1;
		}
		if (eq == NULL) {
			pg_err(err, errlen, "'%.*s' is not KEY=VALUE", (int)len, p);
			return -1;
		}
		key = pg_key_lookup(p, (size_t)(eq - p));
		if (key == PG_KEY_MAX) {
			pg_err(err, errlen, "unknown key '%.*s'", (int)(eq - p), p);
			return -1;
		}
		if (f->keys_set & PG_KB(key)) {
			pg_err(err, errlen, "key '%s' given twice", pg_keys[key].name);
			return -1;
		}
		vlen = len - (size_t)(eq - p) - 1;
		if (vlen == 0 || vlen >= sizeof(val)) {
			pg_err(err, errlen, "%s=: value is %s", pg_keys[key].name,
			       vlen == 0 ? "empty" : "too long");
			return -1;
		}
		memcpy(val, eq + 1, vlen);
		val[vlen] = '\0';
		if (pg_flow_set(f, key, val, err, errlen) != 0)
			return -1;
		f->keys_set |= PG_KB(key);
		p += len;
		if (*p == ',' && *++p == '\0') {
			pg_err(err, errlen, "trailing comma in '%s'", spec);
			return -1;
		}
	}
	return pg_flow_check(f, err, errlen);
}

/* Parses the command line into o; returns -1 if ok, else the exit code. */
static int
pg_parse_args(int argc, char **argv, struct pg_opts *o)
{
	enum { OPT_SEED = 256, OPT_SRC_MAC, OPT_DST_MAC, OPT_FLOW };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "src-mac", required_argument, NULL, OPT_SRC_MAC },
		{ "dst-mac", required_argument, NULL, OPT_DST_MAC },
		{ "flow", required_argument, NULL, OPT_FLOW },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[PG_ERR_LEN];
	uint64_t total = 0;
	int c;

	memset(o, 0, sizeof(*o));
	memcpy(o->src_mac, pg_def_src_mac, sizeof(o->src_mac));
	memcpy(o->dst_mac, pg_def_dst_mac, sizeof(o->dst_mac));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case OPT_SEED:
			if (pg_parse_u64(optarg, &o->seed) != 0) {
				pg_warn("--seed %s: not a non-negative integer", optarg);
				return PG_EXIT_USAGE;
			}
			break;
		case OPT_SRC_MAC:
		case OPT_DST_MAC:
			if (pg_parse_mac(optarg, c == OPT_SRC_MAC ? o->src_mac :
					 o->dst_mac) != 0) {
				pg_warn("%s %s: not a MAC address (xx:xx:xx:xx:xx:xx)",
					c == OPT_SRC_MAC ? "--src-mac" : "--dst-mac",
					optarg);
				return PG_EXIT_USAGE;
			}
			break;
		case OPT_FLOW:
			if (o->nflows == PG_MAX_FLOWS) {
				pg_warn("too many --flow options (at most %d)",
					PG_MAX_FLOWS);
				return PG_EXIT_USAGE;
			}
			o->specs[o->nflows++] = optarg;
			break;
		case 'h':
			pg_usage();
			return EXIT_SUCCESS;
		case ':':
			pg_warn("option '%s' needs a value (see --help)",
				argv[optind - 1]);
			return PG_EXIT_USAGE;
		default:
			if (optopt != 0)
				pg_warn("unknown option '-%c' (see --help)", optopt);
			else
				pg_warn("unknown option '%s' (see --help)",
					argv[optind - 1]);
			return PG_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		pg_warn("unexpected argument '%s' (see --help)", argv[optind]);
		return PG_EXIT_USAGE;
	}
	if (o->out == NULL) {
		pg_warn("no output file, use -o FILE (see --help)");
		return PG_EXIT_USAGE;
	}
	if (o->nflows == 0) {
		pg_warn("no --flow given (see --help)");
		return PG_EXIT_USAGE;
	}
	for (unsigned int i = 0; i < o->nflows; i++) {
		if (pg_parse_flow(o->specs[i], &o->flows[i], err, sizeof(err)) != 0) {
			pg_warn("--flow %u: %s", i + 1, err);
			return PG_EXIT_USAGE;
		}
		total += o->flows[i].count;
	}
	if (total > UINT32_MAX) {
		pg_warn("%" PRIu64 " packets in total; at most %" PRIu32, total,
			UINT32_MAX);
		return PG_EXIT_USAGE;
	}
	o->total = (uint32_t)total;
	return -1;
}

/* Stores v big endian at p. */
static void
pg_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Stores v big endian at p. */
static void
pg_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Adds len bytes at p to a ones' complement sum of 16-bit words. */
static uint64_t
pg_csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < len)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

/* Folds a sum to 16 bits and returns its complement: the checksum. */
static uint16_t
pg_csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Returns the sum of the IPv4 pseudo-header. */
static uint64_t
pg_pseudo4(uint32_t sip, uint32_t dip, uint8_t proto, uint32_t len)
{
	return (sip >> 16) + (sip & 0xffff) + (dip >> 16) + (dip & 0xffff) +
	       proto + len;
}

/* Returns the sum of the IPv6 pseudo-header. */
static uint64_t
pg_pseudo6(const uint8_t *src, const uint8_t *dst, uint8_t proto, uint32_t len)
{
	uint64_t sum = pg_csum_add(0, src, 16);

	sum = pg_csum_add(sum, dst, 16);
	return sum + (len >> 16) + (len & 0xffff) + proto;
}

/* Fills len payload bytes with the marker and the byte pattern. */
static void
pg_fill_payload(uint8_t *p, uint32_t len, const struct pg_pkt *pk)
{
	uint8_t marker[PG_MARKER_LEN] = {
		'S', 'P', (uint8_t)pk->flow_idx, (uint8_t)pk->f->kind,
	};

	pg_put32(marker + 4, pk->seq);
	pg_put32(marker + 8, pk->gidx);
	for (uint32_t j = 0; j < len; j++)
		p[j] = j < PG_MARKER_LEN ? marker[j] : (uint8_t)(pk->gidx + j);
}

/* Writes an Ethernet header; returns where the L3 header goes. */
static uint8_t *
pg_put_eth(uint8_t *p, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(p, dst, PG_ETH_ADDR_LEN);
	memcpy(p + PG_ETH_ADDR_LEN, src, PG_ETH_ADDR_LEN);
	pg_put16(p + 2 * PG_ETH_ADDR_LEN, type);
	return p + PG_ETH_HDR_LEN;
}

/* Writes an IPv4 header (with options if hlen > 20); returns the L4 start. */
static uint8_t *
pg_put_ipv4(uint8_t *p, const struct pg_pkt *pk, uint32_t hlen,
	    uint32_t total_len, uint16_t frag, uint8_t proto)
{
	p[0] = (uint8_t)(0x40 | hlen / 4);
	p[1] = pk->f->tos;
	pg_put16(p + 2, (uint16_t)total_len);
	pg_put16(p + 4, (uint16_t)pk->gidx);
	pg_put16(p + 6, frag);
	p[8] = pk->f->ttl;
	p[9] = proto;
	pg_put16(p + 10, 0);
	pg_put32(p + 12, pk->sip);
	pg_put32(p + 16, pk->dip);
	if (hlen > PG_IPV4_HDR_LEN)
		memcpy(p + PG_IPV4_HDR_LEN, pg_ipv4_opts, hlen - PG_IPV4_HDR_LEN);
	pg_put16(p + 10, pg_csum_fold(pg_csum_add(0, p, hlen)));
	return p + hlen;
}

/* Writes a UDP header and payload of len bytes; checksum seeded by pseudo. */
static void
pg_put_udp(uint8_t *p, const struct pg_pkt *pk, uint32_t len,
	   uint16_t len_field, uint64_t pseudo)
{
	uint16_t csum;

	pg_put16(p, pk->sport);
	pg_put16(p + 2, pk->dport);
	pg_put16(p + 4, len_field);
	pg_put16(p + 6, 0);
	pg_fill_payload(p + PG_UDP_HDR_LEN, len - PG_UDP_HDR_LEN, pk);
	csum = pg_csum_fold(pg_csum_add(pseudo, p, len));
	pg_put16(p + 6, csum == 0 ? 0xffff : csum);
}

/* Builds the IPv4/UDP kinds (udp and its malformed variants) in len bytes. */
static void
pg_build_udp4(uint8_t *buf, const struct pg_pkt *pk, uint32_t len)
{
	enum pg_kind kind = pk->f->kind;
	uint32_t hlen = PG_IPV4_HDR_LEN +
			(kind == PG_KIND_IPOPTS ? PG_IPV4_OPT_LEN : 0);
	uint32_t ip_len = len - PG_ETH_HDR_LEN;
	uint32_t udp_len = ip_len - hlen;
	uint16_t udp_len_field = (uint16_t)(udp_len +
			(kind == PG_KIND_BADUDPLEN ? PG_BADUDPLEN_EXTRA : 0));
	uint16_t frag = kind == PG_KIND_FRAGMENT ? PG_IPV4_MF : 0;
	uint8_t *ip = pg_put_eth(buf, pk->o->dst_mac, pk->o->src_mac,
				 PG_ETHERTYPE_IPV4);
	uint8_t *udp = pg_put_ipv4(ip, pk, hlen, ip_len, frag, PG_PROTO_UDP);

	if (kind == PG_KIND_BADCSUM)
		pg_put16(ip + 10, (uint16_t)((ip[10] << 8 | ip[11]) ^ PG_BADCSUM_XOR));
	pg_put_udp(udp, pk, udp_len, udp_len_field,
		   pg_pseudo4(pk->sip, pk->dip, PG_PROTO_UDP, udp_len_field));
}

/* Builds an IPv4/TCP frame of len bytes. */
static void
pg_build_tcp(uint8_t *buf, const struct pg_pkt *pk, uint32_t len)
{
	uint32_t ip_len = len - PG_ETH_HDR_LEN;
	uint32_t tcp_len = ip_len - PG_IPV4_HDR_LEN;
	uint32_t pay_len = tcp_len - PG_TCP_HDR_LEN;
	uint8_t *ip = pg_put_eth(buf, pk->o->dst_mac, pk->o->src_mac,
				 PG_ETHERTYPE_IPV4);
	uint8_t *tcp = pg_put_ipv4(ip, pk, PG_IPV4_HDR_LEN, ip_len, 0,
				   PG_PROTO_TCP);

	pg_put16(tcp, pk->sport);
	pg_put16(tcp + 2, pk->dport);
	pg_put32(tcp + 4, 1 + pk->seq * pay_len);
	pg_put32(tcp + 8, 1);
	tcp[12] = (PG_TCP_HDR_LEN / 4) << 4;
	tcp[13] = PG_TCP_PSH_ACK;
	pg_put16(tcp + 14, UINT16_MAX);
	pg_put16(tcp + 16, 0);
	pg_put16(tcp + 18, 0);
	pg_fill_payload(tcp + PG_TCP_HDR_LEN, pay_len, pk);
	pg_put16(tcp + 16, pg_csum_fold(pg_csum_add(
		pg_pseudo4(pk->sip, pk->dip, PG_PROTO_TCP, tcp_len), tcp, tcp_len)));
}

/* Builds an IPv4 ICMP echo request frame of len bytes. */
static void
pg_build_icmp(uint8_t *buf, const struct pg_pkt *pk, uint32_t len)
{
	uint32_t ip_len = len - PG_ETH_HDR_LEN;
	uint32_t icmp_len = ip_len - PG_IPV4_HDR_LEN;
	uint8_t *ip = pg_put_eth(buf, pk->o->dst_mac, pk->o->src_mac,
				 PG_ETHERTYPE_IPV4);
	uint8_t *icmp = pg_put_ipv4(ip, pk, PG_IPV4_HDR_LEN, ip_len, 0,
				    PG_PROTO_ICMP);

	icmp[0] = PG_ICMP_ECHO_REQUEST;
	icmp[1] = 0;
	pg_put16(icmp + 2, 0);
	pg_put16(icmp + 4, (uint16_t)pk->flow_idx);
	pg_put16(icmp + 6, (uint16_t)pk->seq);
	pg_fill_payload(icmp + PG_ICMP_HDR_LEN, icmp_len - PG_ICMP_HDR_LEN, pk);
	pg_put16(icmp + 2, pg_csum_fold(pg_csum_add(0, icmp, icmp_len)));
}

/* Builds an ARP request "who-has dip tell sip"; bytes after it stay zero. */
static void
pg_build_arp(uint8_t *buf, const struct pg_pkt *pk)
{
	uint8_t *arp = pg_put_eth(buf, pg_bcast_mac, pk->o->src_mac,
				  PG_ETHERTYPE_ARP);

	pg_put16(arp, 1);			/* Ethernet */
	pg_put16(arp + 2, PG_ETHERTYPE_IPV4);
	arp[4] = PG_ETH_ADDR_LEN;
	arp[5] = 4;
	pg_put16(arp + 6, 1);			/* request */
	memcpy(arp + 8, pk->o->src_mac, PG_ETH_ADDR_LEN);
	pg_put32(arp + 14, pk->sip);
	memset(arp + 18, 0, PG_ETH_ADDR_LEN);
	pg_put32(arp + 24, pk->dip);
}

/* Builds an IPv6/UDP frame of len bytes. */
static void
pg_build_ipv6(uint8_t *buf, const struct pg_pkt *pk, uint32_t len)
{
	uint32_t udp_len = len - PG_ETH_HDR_LEN - PG_IPV6_HDR_LEN;
	uint8_t *ip = pg_put_eth(buf, pk->o->dst_mac, pk->o->src_mac,
				 PG_ETHERTYPE_IPV6);

	pg_put32(ip, 6u << 28 | (uint32_t)pk->f->tos << 20);
	pg_put16(ip + 4, (uint16_t)udp_len);
	ip[6] = PG_PROTO_UDP;
	ip[7] = pk->f->ttl;
	memcpy(ip + 8, pg_ipv6_src, 16);
	memcpy(ip + 24, pg_ipv6_dst, 16);
	pg_put_udp(ip + PG_IPV6_HDR_LEN, pk, udp_len, (uint16_t)udp_len,
		   pg_pseudo6(pg_ipv6_src, pg_ipv6_dst, PG_PROTO_UDP, udp_len));
}

/* Returns address i of a range. */
static uint32_t
pg_addr_at(const struct pg_addr_range *r, uint32_t i)
{
	uint64_t span = UINT64_C(1) << (32 - r->plen);

	return r->base + (uint32_t)(i % span);
}

/* Returns port i of a range. */
static uint16_t
pg_port_at(const struct pg_port_range *r, uint32_t i)
{
	return (uint16_t)(r->lo + i % ((uint32_t)r->hi - r->lo + 1));
}

/* Builds packet pk into buf; returns the frame length to write. */
static uint32_t
pg_build(uint8_t *buf, const struct pg_pkt *pk)
{
	const struct pg_flow *f = pk->f;
	uint32_t data_len, wire_len;

	switch (f->kind) {
	case PG_KIND_TRUNCATED:
		wire_len = f->size < PG_MIN_FRAME_LEN ? PG_MIN_FRAME_LEN : f->size;
		data_len = wire_len + PG_TRUNC_EXTRA;
		break;
	case PG_KIND_RUNT:
		data_len = PG_RUNT_NOMINAL_LEN;
		wire_len = PG_RUNT_FRAME_LEN;
		break;
	default:
		data_len = f->size;
		wire_len = f->size < PG_MIN_FRAME_LEN ? PG_MIN_FRAME_LEN : f->size;
		break;
	}
	memset(buf, 0, data_len > wire_len ? data_len : wire_len);
	switch (f->kind) {
	case PG_KIND_TCP:
		pg_build_tcp(buf, pk, data_len);
		break;
	case PG_KIND_ICMP:
		pg_build_icmp(buf, pk, data_len);
		break;
	case PG_KIND_ARP:
		pg_build_arp(buf, pk);
		break;
	case PG_KIND_IPV6:
		pg_build_ipv6(buf, pk, data_len);
		break;
	default:
		pg_build_udp4(buf, pk, data_len);
		break;
	}
	return wire_len;
}

/* Appends packet i of flow fi as packet k of the file. */
static void
pg_emit(pcap_dumper_t *d, const struct pg_opts *o, unsigned int fi,
	uint32_t i, uint32_t k)
{
	uint8_t buf[PG_BUF_LEN];
	const struct pg_flow *f = &o->flows[fi];
	const struct pg_pkt pk = {
		.o = o,
		.f = f,
		.flow_idx = fi,
		.seq = i,
		.gidx = k,
		.sip = pg_addr_at(&f->src, i),
		.dip = pg_addr_at(&f->dst, i),
		.sport = pg_port_at(&f->sport, i),
		.dport = pg_port_at(&f->dport, i),
	};
	struct pcap_pkthdr h = {
		.ts = {
			.tv_sec = PG_TS_EPOCH + k / 1000000,
			.tv_usec = k % 1000000,
		},
	};

	h.caplen = h.len = pg_build(buf, &pk);
	pcap_dump((u_char *)d, &h, buf);
}

/* Writes every packet round-robin over the flows; returns the exit code. */
static int
pg_write(const struct pg_opts *o)
{
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;
	struct stat st;
	uint32_t k = 0;
	bool regular;
	bool failed;

	if (pd == NULL) {
		pg_warn("pcap_open_dead failed");
		return PG_EXIT_IO;
	}
	d = pcap_dump_open(pd, o->out);
	if (d == NULL) {
		pg_warn("cannot open output file: %s", pcap_geterr(pd));
		pcap_close(pd);
		return PG_EXIT_IO;
	}
	/* Only a regular file is removed after a write error, never a device. */
	regular = fstat(fileno(pcap_dump_file(d)), &st) == 0 && S_ISREG(st.st_mode);
	for (uint32_t i = 0; k < o->total; i++)
		for (unsigned int fi = 0; fi < o->nflows; fi++)
			if (i < o->flows[fi].count)
				pg_emit(d, o, fi, i, k++);
	failed = pcap_dump_flush(d) != 0 || ferror(pcap_dump_file(d));
	pcap_dump_close(d);
	pcap_close(pd);
	if (failed) {
		pg_warn("error writing %s", o->out);
		if (regular && strcmp(o->out, "-") != 0)
			unlink(o->out);
		return PG_EXIT_IO;
	}
	return EXIT_SUCCESS;
}

int
main(int argc, char **argv)
{
	struct pg_opts opts;
	int rc = pg_parse_args(argc, argv, &opts);

	if (rc >= 0)
		return rc;
	return pg_write(&opts);
}
