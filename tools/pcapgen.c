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
#define PG_INNER_BADLEN_EXTRA 16	/* inner bytes claimed beyond the payload */
#define PG_INNER_SHORT_LEN 12	/* UDP payload of kind=inner_short */
#define PG_INNER_BADVER 6	/* version of kind=inner_badver */
#define PG_INNER_BADIHL 4	/* IHL of kind=inner_ihl */
#define PG_BUF_LEN (PG_MAX_FRAME_LEN + PG_TRUNC_EXTRA)

#define PG_MAX_FLOWS 256	/* the marker stores the flow index in a byte */
#define PG_MAX_COUNT 100000000u
#define PG_MARKER_LEN 12
#define PG_TS_EPOCH 1700000000
#define PG_VAL_MAX 64		/* longest value accepted in a --flow item */
#define PG_ERR_LEN 256
#define PG_HELP_KEY_WIDTH 19	/* column of KEY=ARG in --help */
#define PG_HELP_KEY_INDENT "                     "
#define PG_HELP_KIND_WIDTH 13	/* column of the kind name in --help */
#define PG_HELP_KIND_INDENT "      "
#define PG_HELP_WRAP 78		/* --help lines of keys wrap before this */

#define PG_DEF_SRC_IP 0x0a000001u	/* 10.0.0.1 */
#define PG_DEF_DST_IP 0xc0000201u	/* 192.0.2.1 */
#define PG_DEF_SPORT 1024
#define PG_DEF_DPORT 5000
#define PG_DEF_SIZE 64
#define PG_DEF_TTL 64
#define PG_DEF_INNER_SRC_IP 0x0a010001u	/* 10.1.0.1 */
#define PG_DEF_INNER_DST_IP 0x0a020001u	/* 10.2.0.1 */
#define PG_DEF_INNER_SPORT 1000
#define PG_DEF_INNER_DPORT 2000

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
	PG_KIND_OVERLAY,	/* first of the overlay kinds, see pg_is_overlay() */
	PG_KIND_INNER_BADCSUM,
	PG_KIND_INNER_BADVER,
	PG_KIND_INNER_BADLEN,
	PG_KIND_INNER_SHORT,
	PG_KIND_INNER_IHL,
	PG_KIND_MAX = PG_KIND_INNER_IHL,
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
	PG_KEY_INNER_SRC,	/* first of the inner keys, see PG_KEYS_INNER */
	PG_KEY_INNER_DST,
	PG_KEY_INNER_PROTO,
	PG_KEY_INNER_SPORT,
	PG_KEY_INNER_DPORT,
	PG_KEY_INNER_TTL,
	PG_KEY_INNER_TOS,
	PG_KEY_MAX,
};

#define PG_KB(k) (1u << (k))
#define PG_KEYS_ALL (PG_KB(PG_KEY_INNER_SRC) - 1)	/* all but inner_* */
#define PG_KEYS_INNER (PG_KB(PG_KEY_MAX) - PG_KB(PG_KEY_INNER_SRC))
#define PG_KEYS_INNER_PORTS (PG_KB(PG_KEY_INNER_SPORT) | \
			     PG_KB(PG_KEY_INNER_DPORT))
#define PG_KEYS_PORTS (PG_KB(PG_KEY_SPORT) | PG_KB(PG_KEY_DPORT))
#define PG_KEYS_ADDRS (PG_KB(PG_KEY_SRC) | PG_KB(PG_KEY_DST))
#define PG_KEYS_IPHDR (PG_KB(PG_KEY_TTL) | PG_KB(PG_KEY_TOS))

#define PG_UDP4_MIN (PG_ETH_HDR_LEN + PG_IPV4_HDR_LEN + PG_UDP_HDR_LEN)
/* Overlay minimum without the inner L4 header, and with an inner UDP one. */
#define PG_OVERLAY_BASE (PG_UDP4_MIN + PG_IPV4_HDR_LEN)
#define PG_OVERLAY_MIN (PG_OVERLAY_BASE + PG_UDP_HDR_LEN)
#define PG_OVERLAY_HELP_TAIL \
	"\nMIN is for inner udp or icmp; inner tcp needs 82, any other\n" \
	"inner_proto 62. Otherwise exactly like overlay."

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
		"Ethernet frame length without FCS, from the kind's\n"
		"MIN (see below) up to 9000; default 64, or MIN + 12\n"
		"(room for the whole marker) for the overlay kinds" },
	[PG_KEY_TTL] = { "ttl", "=N",
		"IPv4 TTL / IPv6 hop limit, 0..255 (default 64)" },
	[PG_KEY_TOS] = { "tos", "=N",
		"IPv4 TOS / IPv6 traffic class, 0..255 (default 0)" },
	[PG_KEY_INNER_SRC] = { "inner_src", "=ADDR",
		"overlay kinds only: inner IPv4 source, same syntax\n"
		"as src (default 10.1.0.1)" },
	[PG_KEY_INNER_DST] = { "inner_dst", "=ADDR",
		"inner IPv4 destination (default 10.2.0.1)" },
	[PG_KEY_INNER_PROTO] = { "inner_proto", "=PROTO",
		"inner protocol: udp (default), tcp, icmp, or a\n"
		"number 0..255; 1, 6 and 17 mean icmp, tcp and udp,\n"
		"any other number gets no L4 header" },
	[PG_KEY_INNER_SPORT] = { "inner_sport", "=PORT",
		"inner UDP/TCP source port, P or LO-HI (default\n"
		"1000); only with inner_proto udp or tcp" },
	[PG_KEY_INNER_DPORT] = { "inner_dport", "=PORT",
		"inner UDP/TCP destination port (default 2000)" },
	[PG_KEY_INNER_TTL] = { "inner_ttl", "=N",
		"inner IPv4 TTL, 0..255 (default 64)" },
	[PG_KEY_INNER_TOS] = { "inner_tos", "=N",
		"inner IPv4 TOS, 0..255 (default 0)" },
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
	[PG_KIND_OVERLAY] = {
		"overlay", PG_OVERLAY_MIN, PG_KEYS_ALL | PG_KEYS_INNER,
		"IPv4/UDP exactly like udp whose UDP payload is a valid\n"
		"inner IPv4 packet filling it exactly (see \"Overlay\n"
		"kinds\" below). MIN is for inner udp or icmp; inner tcp\n"
		"needs 82, any other inner_proto 62.",
	},
	[PG_KIND_INNER_BADCSUM] = {
		"inner_badcsum", PG_OVERLAY_MIN, PG_KEYS_ALL | PG_KEYS_INNER,
		"overlay whose inner IPv4 header checksum is wrong (the\n"
		"correct value XOR 0x5aa5)." PG_OVERLAY_HELP_TAIL,
	},
	[PG_KIND_INNER_BADVER] = {
		"inner_badver", PG_OVERLAY_MIN, PG_KEYS_ALL | PG_KEYS_INNER,
		"overlay whose inner IPv4 header has version 6 (first\n"
		"byte 0x65); its checksum is correct for the bytes sent."
		PG_OVERLAY_HELP_TAIL,
	},
	[PG_KIND_INNER_BADLEN] = {
		"inner_badlen", PG_OVERLAY_MIN, PG_KEYS_ALL | PG_KEYS_INNER,
		"overlay whose inner IPv4 total length is 16 more than\n"
		"the UDP payload; the inner header checksum is correct\n"
		"for that length. The inner L4 header and payload are\n"
		"overlay's (UDP length = the inner bytes present - 20)."
		PG_OVERLAY_HELP_TAIL,
	},
	[PG_KIND_INNER_SHORT] = {
		"inner_short", 0,
		(PG_KEYS_ALL & ~PG_KB(PG_KEY_SIZE)) |
		(PG_KEYS_INNER & ~PG_KEYS_INNER_PORTS),
		"IPv4/UDP like overlay whose UDP payload is only 12\n"
		"bytes, shorter than an IPv4 header: the first 12 bytes of\n"
		"the inner IPv4 header overlay sends with a 12-byte inner\n"
		"payload (total length 20 + inner L4 header + 12, e.g. 40\n"
		"for udp; checksum correct for the whole 20-byte header).\n"
		"Outer IPv4 total length 40, UDP length 20: 54 bytes of\n"
		"packet padded with zeros to 60. No marker; inner ID = k\n"
		"as usual. size= is not accepted.",
	},
	[PG_KIND_INNER_IHL] = {
		"inner_ihl", PG_OVERLAY_MIN, PG_KEYS_ALL | PG_KEYS_INNER,
		"overlay whose inner IPv4 header says IHL 4 (first byte\n"
		"0x44) although 20 header bytes follow as usual; the\n"
		"checksum is correct over those 20 bytes."
		PG_OVERLAY_HELP_TAIL,
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
/* pg_ramp[t] = t & 0xff: the payload pattern is copied from it. */
static uint8_t pg_ramp[2 * 256];

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
	struct pg_addr_range inner_src;		/* inner_*: overlay kinds */
	struct pg_addr_range inner_dst;
	struct pg_port_range inner_sport;
	struct pg_port_range inner_dport;
	uint8_t inner_proto;
	uint8_t inner_ttl;
	uint8_t inner_tos;
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

/* The addresses, ports and IPv4 header fields of one (outer or inner) IP. */
struct pg_ends {
	uint32_t sip;
	uint32_t dip;
	uint16_t sport;
	uint16_t dport;
	uint8_t ttl;
	uint8_t tos;
};

/* Everything needed to build packet i of a flow, packet k of the file. */
struct pg_pkt {
	const struct pg_opts *o;
	const struct pg_flow *f;
	uint32_t flow_idx;
	uint32_t seq;		/* i */
	uint32_t gidx;		/* k */
	struct pg_ends out;
	struct pg_ends in;	/* overlay kinds only */
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

/* Prints "keys:" and the keys in mask, space separated and wrapped. */
static void
pg_print_keys(uint32_t mask)
{
	size_t col = strlen(PG_HELP_KIND_INDENT "keys:");

	fputs(PG_HELP_KIND_INDENT "keys:", stdout);
	for (unsigned int k = 0; k < PG_KEY_MAX; k++) {
		size_t len = strlen(pg_keys[k].name);

		if (!(mask & PG_KB(k)))
			continue;
		if (col + 1 + len >= PG_HELP_WRAP) {
			fputs("\n" PG_HELP_KIND_INDENT "     ", stdout);
			col = strlen(PG_HELP_KIND_INDENT "     ");
		}
		printf(" %s", pg_keys[k].name);
		col += 1 + len;
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
		       (int)(PG_HELP_KEY_WIDTH - strlen(pg_keys[k].name)),
		       pg_keys[k].arg);
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
"  src, dst, sport, dport and their inner_ forms are all walked with the\n"
"  same i.\n"
"\n"
"Frame size and padding:\n"
"  size= counts the real packet bytes: Ethernet header, IP header, L4\n"
"  header and payload. The payload is size minus the headers, and the IPv4\n"
"  total length, IPv6 payload length and UDP length describe exactly those\n"
"  bytes. A frame with size < 60 is then padded with zero bytes to 60, as a\n"
"  NIC would; no length field counts the padding. So size=42 for udp gives\n"
"  a 60-byte frame with IPv4 total length 28, UDP length 8, no payload and\n"
"  18 zero bytes of padding. kind=runt (always 24 bytes) and kind=truncated\n"
"  (see below) are not padded. The overlay kinds are never padded (their\n"
"  MIN is above 60) except inner_short, always 54 bytes padded to 60.\n"
"\n"
"Kinds (CODE is the kind byte of the payload marker, MIN the smallest\n"
"size= accepted; - means size= is not accepted):\n", stdout);
	for (unsigned int k = 1; k <= PG_KIND_MAX; k++) {
		const struct pg_kind_info *ki = &pg_kinds[k];

		if (ki->min_size != 0)
			printf("  %-*s code %2u, MIN %" PRIu32 "\n",
			       PG_HELP_KIND_WIDTH, ki->name, k, ki->min_size);
		else
			printf("  %-*s code %2u, MIN -\n", PG_HELP_KIND_WIDTH,
			       ki->name, k);
		fputs(PG_HELP_KIND_INDENT, stdout);
		pg_print_indented(ki->help, PG_HELP_KIND_INDENT);
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
"Overlay kinds (overlay and inner_*): IPv4 carried in UDP.\n"
"  The outer Ethernet, IPv4 and UDP headers are exactly those of kind=udp\n"
"  (keys src dst sport dport ttl tos, outer checksums correct) and size=\n"
"  is still the whole frame. The UDP payload is an inner IPv4 packet of\n"
"  exactly UDP length - 8 bytes (= size - 42):\n"
"    inner IPv4  version 4, IHL 5, TOS inner_tos, total length = UDP\n"
"                length - 8, ID = k & 0xffff, DF/MF clear, offset 0,\n"
"                TTL inner_ttl, protocol inner_proto, checksum correct,\n"
"                inner_src -> inner_dst, no options\n"
"    inner L4    udp: 8-byte header, inner_sport -> inner_dport, length\n"
"                = inner total length - 20; tcp: as kind=tcp with the\n"
"                inner ports; icmp: as kind=icmp (echo request, id flow\n"
"                index, sequence i & 0xffff); checksums correct over the\n"
"                inner pseudo-header. Other protocols: no L4 header.\n"
"    payload     the marker and pattern below, kind CODE of the flow's\n"
"                kind; cut short (marker too) at small sizes.\n"
"  The inner_* kinds break exactly one thing in this, as listed above.\n"
"  Example: four overlay packets of 128 bytes with inner TCP:\n"
"    F=kind=overlay,count=4,size=128,inner_proto=tcp\n"
"    pcapgen -o ov.pcap --flow $F,inner_src=10.1.0.0/31,inner_dport=80-81\n"
"  Packet 0 is, with its header lengths in brackets: Ethernet (14);\n"
"  IPv4 10.0.0.1 -> 192.0.2.1, total length 114, ID 0 (20); UDP 1024 ->\n"
"  5000, length 94 (8); inner IPv4 10.1.0.0 -> 10.2.0.1, total length\n"
"  86, ID 0, TTL 64, protocol 6 (20); inner TCP 1000 -> 80 (20); payload\n"
"  53 50 00 0c 00 00 00 00 00 00 00 00 0c 0d ... 2d (46). Packet 1 comes\n"
"  from 10.1.0.1 to port 81, packet 2 from 10.1.0.0 to port 80 again.\n"
"  To see the inner packets with tshark, decode the outer port as IP:\n"
"    tshark -r ov.pcap -d udp.port==5000,ip\n"
"\n"
"Payload of every kind except arp, runt and inner_short (12-byte marker,\n"
"then pattern; for the overlay kinds this is the inner L4 payload):\n"
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

/* Parses an inner_proto value into *out; returns 0 or fills err. */
static int
pg_parse_proto(const char *key, const char *val, uint8_t *out,
	       char *err, size_t errlen)
{
	static const struct {
		const char *name;
		uint8_t proto;
	} names[] = {
		{ "udp", PG_PROTO_UDP },
		{ "tcp", PG_PROTO_TCP },
		{ "icmp", PG_PROTO_ICMP },
	};
	uint32_t v;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(val, names[i].name) == 0) {
			*out = names[i].proto;
			return 0;
		}
	}
	if (pg_parse_u32(val, 0, UINT8_MAX, &v) != 0) {
		pg_err(err, errlen, "%s=%s: expected udp, tcp, icmp or a number "
		       "in 0..255", key, val);
		return -1;
	}
	*out = (uint8_t)v;
	return 0;
}

/* Returns the inner L4 header length of an overlay flow. */
static uint32_t
pg_inner_l4_hdr_len(uint8_t proto)
{
	switch (proto) {
	case PG_PROTO_UDP:
		return PG_UDP_HDR_LEN;
	case PG_PROTO_TCP:
		return PG_TCP_HDR_LEN;
	case PG_PROTO_ICMP:
		return PG_ICMP_HDR_LEN;
	default:
		return 0;
	}
}

/* Tells whether a kind carries an inner IPv4 packet in its UDP payload. */
static bool
pg_is_overlay(enum pg_kind kind)
{
	return kind >= PG_KIND_OVERLAY;
}

/* Returns the smallest size= of a flow, or 0 if size= is not accepted. */
static uint32_t
pg_min_size(const struct pg_flow *f)
{
	if (pg_kinds[f->kind].min_size == 0)
		return 0;
	if (pg_is_overlay(f->kind))
		return PG_OVERLAY_BASE + pg_inner_l4_hdr_len(f->inner_proto);
	return pg_kinds[f->kind].min_size;
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
	case PG_KEY_INNER_SRC:
		return pg_parse_addr(name, val, &f->inner_src, err, errlen);
	case PG_KEY_INNER_DST:
		return pg_parse_addr(name, val, &f->inner_dst, err, errlen);
	case PG_KEY_INNER_PROTO:
		return pg_parse_proto(name, val, &f->inner_proto, err, errlen);
	case PG_KEY_INNER_SPORT:
		return pg_parse_ports(name, val, &f->inner_sport, err, errlen);
	case PG_KEY_INNER_DPORT:
		return pg_parse_ports(name, val, &f->inner_dport, err, errlen);
	case PG_KEY_INNER_TTL:
		if (pg_parse_num_key(name, val, 0, UINT8_MAX, &v, err, errlen) != 0)
			return -1;
		f->inner_ttl = (uint8_t)v;
		return 0;
	case PG_KEY_INNER_TOS:
		if (pg_parse_num_key(name, val, 0, UINT8_MAX, &v, err, errlen) != 0)
			return -1;
		f->inner_tos = (uint8_t)v;
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
	uint32_t min_size = pg_min_size(f);
	bool overlay = pg_is_overlay(f->kind);

	for (unsigned int k = 0; k < PG_KEY_MAX; k++) {
		const char *why = "";

		if (!(extra & PG_KB(k)))
			continue;
		if (f->kind == PG_KIND_RUNT && k == PG_KEY_SIZE)
			why = " (a runt is always 24 bytes)";
		else if (f->kind == PG_KIND_INNER_SHORT && k == PG_KEY_SIZE)
			why = " (its UDP payload is always 12 bytes)";
		else if (f->kind == PG_KIND_INNER_SHORT)
			why = " (no inner L4 header is sent)";
		else if (PG_KB(k) & PG_KEYS_INNER)
			why = " (inner_* keys are for the overlay kinds)";
		pg_err(err, errlen, "key '%s' does not apply to kind=%s%s",
		       pg_keys[k].name, ki->name, why);
		return -1;
	}
	if (overlay && (f->keys_set & PG_KEYS_INNER_PORTS) &&
	    f->inner_proto != PG_PROTO_UDP && f->inner_proto != PG_PROTO_TCP) {
		pg_err(err, errlen, "key '%s' needs inner_proto udp or tcp, not "
		       "%u", pg_keys[f->keys_set & PG_KB(PG_KEY_INNER_SPORT) ?
				     PG_KEY_INNER_SPORT : PG_KEY_INNER_DPORT].name,
		       f->inner_proto);
		return -1;
	}
	if (min_size != 0 && f->size < min_size) {
		if (overlay)
			pg_err(err, errlen, "size=%" PRIu32 " is too small for "
			       "kind=%s with inner_proto %u (minimum %" PRIu32 ")",
			       f->size, ki->name, f->inner_proto, min_size);
		else
			pg_err(err, errlen, "size=%" PRIu32 " is too small for "
			       "kind=%s (minimum %" PRIu32 ")", f->size, ki->name,
			       min_size);
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
		.inner_src = { .base = PG_DEF_INNER_SRC_IP, .plen = 32 },
		.inner_dst = { .base = PG_DEF_INNER_DST_IP, .plen = 32 },
		.inner_sport = { PG_DEF_INNER_SPORT, PG_DEF_INNER_SPORT },
		.inner_dport = { PG_DEF_INNER_DPORT, PG_DEF_INNER_DPORT },
		.inner_proto = PG_PROTO_UDP,
		.inner_ttl = PG_DEF_TTL,
		.inner_tos = 0,
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
	if (pg_is_overlay(f->kind) && !(f->keys_set & PG_KB(PG_KEY_SIZE)) &&
	    pg_min_size(f) != 0)
		f->size = pg_min_size(f) + PG_MARKER_LEN;
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

/*
 * Adds len bytes at p to a ones' complement sum of 16-bit words. It adds
 * big-endian 32-bit words where it can: as 2^16 = 1 (mod 0xffff) that
 * folds to the same checksum, and it is much faster for jumbo frames.
 */
static uint64_t
pg_csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 3 < len; i += 4)
		sum += (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
		       (uint32_t)p[i + 2] << 8 | p[i + 3];
	for (; i + 1 < len; i += 2)
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
	memcpy(p, marker, len < PG_MARKER_LEN ? len : PG_MARKER_LEN);
	for (uint32_t j = PG_MARKER_LEN; j < len; j += 256) {
		uint32_t n = len - j < 256 ? len - j : 256;

		memcpy(p + j, pg_ramp + ((pk->gidx + j) & 0xff), n);
	}
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
pg_put_ipv4(uint8_t *p, const struct pg_pkt *pk, const struct pg_ends *e,
	    uint32_t hlen, uint32_t total_len, uint16_t frag, uint8_t proto)
{
	p[0] = (uint8_t)(0x40 | hlen / 4);
	p[1] = e->tos;
	pg_put16(p + 2, (uint16_t)total_len);
	pg_put16(p + 4, (uint16_t)pk->gidx);
	pg_put16(p + 6, frag);
	p[8] = e->ttl;
	p[9] = proto;
	pg_put16(p + 10, 0);
	pg_put32(p + 12, e->sip);
	pg_put32(p + 16, e->dip);
	if (hlen > PG_IPV4_HDR_LEN)
		memcpy(p + PG_IPV4_HDR_LEN, pg_ipv4_opts, hlen - PG_IPV4_HDR_LEN);
	pg_put16(p + 10, pg_csum_fold(pg_csum_add(0, p, hlen)));
	return p + hlen;
}

/* Writes a UDP header of e's ports; its checksum is left 0. */
static void
pg_put_udp_hdr(uint8_t *p, const struct pg_ends *e, uint16_t len_field)
{
	pg_put16(p, e->sport);
	pg_put16(p + 2, e->dport);
	pg_put16(p + 4, len_field);
	pg_put16(p + 6, 0);
}

/* Sets the checksum of the len-byte UDP datagram at p; seeded by pseudo. */
static void
pg_set_udp_csum(uint8_t *p, uint32_t len, uint64_t pseudo)
{
	uint16_t csum = pg_csum_fold(pg_csum_add(pseudo, p, len));

	pg_put16(p + 6, csum == 0 ? 0xffff : csum);
}

/* Writes a UDP header and payload of len bytes; checksum seeded by pseudo. */
static void
pg_put_udp(uint8_t *p, const struct pg_pkt *pk, const struct pg_ends *e,
	   uint32_t len, uint16_t len_field, uint64_t pseudo)
{
	pg_put_udp_hdr(p, e, len_field);
	pg_fill_payload(p + PG_UDP_HDR_LEN, len - PG_UDP_HDR_LEN, pk);
	pg_set_udp_csum(p, len, pseudo);
}

/* Writes a TCP segment of tcp_len bytes (20-byte header and payload). */
static void
pg_put_tcp(uint8_t *tcp, const struct pg_pkt *pk, const struct pg_ends *e,
	   uint32_t tcp_len)
{
	uint32_t pay_len = tcp_len - PG_TCP_HDR_LEN;

	pg_put16(tcp, e->sport);
	pg_put16(tcp + 2, e->dport);
	pg_put32(tcp + 4, 1 + pk->seq * pay_len);
	pg_put32(tcp + 8, 1);
	tcp[12] = (PG_TCP_HDR_LEN / 4) << 4;
	tcp[13] = PG_TCP_PSH_ACK;
	pg_put16(tcp + 14, UINT16_MAX);
	pg_put16(tcp + 16, 0);
	pg_put16(tcp + 18, 0);
	pg_fill_payload(tcp + PG_TCP_HDR_LEN, pay_len, pk);
	pg_put16(tcp + 16, pg_csum_fold(pg_csum_add(
		pg_pseudo4(e->sip, e->dip, PG_PROTO_TCP, tcp_len), tcp, tcp_len)));
}

/* Writes an ICMP echo request of icmp_len bytes (header and payload). */
static void
pg_put_icmp(uint8_t *icmp, const struct pg_pkt *pk, uint32_t icmp_len)
{
	icmp[0] = PG_ICMP_ECHO_REQUEST;
	icmp[1] = 0;
	pg_put16(icmp + 2, 0);
	pg_put16(icmp + 4, (uint16_t)pk->flow_idx);
	pg_put16(icmp + 6, (uint16_t)pk->seq);
	pg_fill_payload(icmp + PG_ICMP_HDR_LEN, icmp_len - PG_ICMP_HDR_LEN, pk);
	pg_put16(icmp + 2, pg_csum_fold(pg_csum_add(0, icmp, icmp_len)));
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
	uint8_t *udp = pg_put_ipv4(ip, pk, &pk->out, hlen, ip_len, frag,
				   PG_PROTO_UDP);

	if (kind == PG_KIND_BADCSUM)
		pg_put16(ip + 10, (uint16_t)((ip[10] << 8 | ip[11]) ^ PG_BADCSUM_XOR));
	pg_put_udp(udp, pk, &pk->out, udp_len, udp_len_field,
		   pg_pseudo4(pk->out.sip, pk->out.dip, PG_PROTO_UDP,
			      udp_len_field));
}

/* Builds an IPv4/TCP frame of len bytes. */
static void
pg_build_tcp(uint8_t *buf, const struct pg_pkt *pk, uint32_t len)
{
	uint32_t ip_len = len - PG_ETH_HDR_LEN;
	uint8_t *ip = pg_put_eth(buf, pk->o->dst_mac, pk->o->src_mac,
				 PG_ETHERTYPE_IPV4);
	uint8_t *tcp = pg_put_ipv4(ip, pk, &pk->out, PG_IPV4_HDR_LEN, ip_len, 0,
				   PG_PROTO_TCP);

	pg_put_tcp(tcp, pk, &pk->out, ip_len - PG_IPV4_HDR_LEN);
}

/* Builds an IPv4 ICMP echo request frame of len bytes. */
static void
pg_build_icmp(uint8_t *buf, const struct pg_pkt *pk, uint32_t len)
{
	uint32_t ip_len = len - PG_ETH_HDR_LEN;
	uint8_t *ip = pg_put_eth(buf, pk->o->dst_mac, pk->o->src_mac,
				 PG_ETHERTYPE_IPV4);
	uint8_t *icmp = pg_put_ipv4(ip, pk, &pk->out, PG_IPV4_HDR_LEN, ip_len, 0,
				    PG_PROTO_ICMP);

	pg_put_icmp(icmp, pk, ip_len - PG_IPV4_HDR_LEN);
}

/* Writes the inner IPv4 packet of an overlay kind, len bytes from p. */
static void
pg_put_inner(uint8_t *p, const struct pg_pkt *pk, uint32_t len)
{
	const struct pg_ends *e = &pk->in;
	uint8_t proto = pk->f->inner_proto;
	uint32_t l4_len = len - PG_IPV4_HDR_LEN;
	uint8_t *l4 = pg_put_ipv4(p, pk, e, PG_IPV4_HDR_LEN, len, 0, proto);

	switch (proto) {
	case PG_PROTO_UDP:
		pg_put_udp(l4, pk, e, l4_len, (uint16_t)l4_len,
			   pg_pseudo4(e->sip, e->dip, PG_PROTO_UDP, l4_len));
		break;
	case PG_PROTO_TCP:
		pg_put_tcp(l4, pk, e, l4_len);
		break;
	case PG_PROTO_ICMP:
		pg_put_icmp(l4, pk, l4_len);
		break;
	default:
		pg_fill_payload(l4, l4_len, pk);
		break;
	}
}

/* Breaks the finished inner IPv4 header at p as the flow's kind asks. */
static void
pg_break_inner(uint8_t *p, enum pg_kind kind)
{
	uint16_t csum;

	switch (kind) {
	case PG_KIND_INNER_BADCSUM:
		pg_put16(p + 10, (uint16_t)((p[10] << 8 | p[11]) ^ PG_BADCSUM_XOR));
		return;
	case PG_KIND_INNER_BADVER:
		p[0] = (uint8_t)(PG_INNER_BADVER << 4 | (p[0] & 0x0f));
		break;
	case PG_KIND_INNER_BADLEN:
		pg_put16(p + 2, (uint16_t)((p[2] << 8 | p[3]) +
					   PG_INNER_BADLEN_EXTRA));
		break;
	case PG_KIND_INNER_IHL:
		p[0] = (uint8_t)((p[0] & 0xf0) | PG_INNER_BADIHL);
		break;
	default:
		return;
	}
	/* The checksum stays correct for the 20 bytes as sent. */
	pg_put16(p + 10, 0);
	csum = pg_csum_fold(pg_csum_add(0, p, PG_IPV4_HDR_LEN));
	pg_put16(p + 10, csum);
}

/* Builds an overlay frame of len bytes: IPv4/UDP carrying inner IPv4. */
static void
pg_build_overlay(uint8_t *buf, const struct pg_pkt *pk, uint32_t len)
{
	enum pg_kind kind = pk->f->kind;
	uint32_t ip_len = len - PG_ETH_HDR_LEN;
	uint32_t udp_len = ip_len - PG_IPV4_HDR_LEN;
	uint8_t *ip = pg_put_eth(buf, pk->o->dst_mac, pk->o->src_mac,
				 PG_ETHERTYPE_IPV4);
	uint8_t *udp = pg_put_ipv4(ip, pk, &pk->out, PG_IPV4_HDR_LEN, ip_len, 0,
				   PG_PROTO_UDP);
	uint8_t *inner = udp + PG_UDP_HDR_LEN;

	pg_put_udp_hdr(udp, &pk->out, (uint16_t)udp_len);
	if (kind == PG_KIND_INNER_SHORT) {
		uint8_t hdr[PG_IPV4_HDR_LEN];

		pg_put_ipv4(hdr, pk, &pk->in, PG_IPV4_HDR_LEN, PG_IPV4_HDR_LEN +
			    pg_inner_l4_hdr_len(pk->f->inner_proto) +
			    PG_MARKER_LEN, 0, pk->f->inner_proto);
		memcpy(inner, hdr, udp_len - PG_UDP_HDR_LEN);
	} else {
		pg_put_inner(inner, pk, udp_len - PG_UDP_HDR_LEN);
		pg_break_inner(inner, kind);
	}
	pg_set_udp_csum(udp, udp_len, pg_pseudo4(pk->out.sip, pk->out.dip,
						 PG_PROTO_UDP, udp_len));
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
	pg_put32(arp + 14, pk->out.sip);
	memset(arp + 18, 0, PG_ETH_ADDR_LEN);
	pg_put32(arp + 24, pk->out.dip);
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
	pg_put_udp(ip + PG_IPV6_HDR_LEN, pk, &pk->out, udp_len,
		   (uint16_t)udp_len,
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
	case PG_KIND_INNER_SHORT:
		data_len = PG_UDP4_MIN + PG_INNER_SHORT_LEN;
		wire_len = PG_MIN_FRAME_LEN;
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
	case PG_KIND_OVERLAY:
	case PG_KIND_INNER_BADCSUM:
	case PG_KIND_INNER_BADVER:
	case PG_KIND_INNER_BADLEN:
	case PG_KIND_INNER_SHORT:
	case PG_KIND_INNER_IHL:
		pg_build_overlay(buf, pk, data_len);
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
		.out = {
			.sip = pg_addr_at(&f->src, i),
			.dip = pg_addr_at(&f->dst, i),
			.sport = pg_port_at(&f->sport, i),
			.dport = pg_port_at(&f->dport, i),
			.ttl = f->ttl,
			.tos = f->tos,
		},
		.in = {
			.sip = pg_addr_at(&f->inner_src, i),
			.dip = pg_addr_at(&f->inner_dst, i),
			.sport = pg_port_at(&f->inner_sport, i),
			.dport = pg_port_at(&f->inner_dport, i),
			.ttl = f->inner_ttl,
			.tos = f->inner_tos,
		},
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
	for (unsigned int t = 0; t < sizeof(pg_ramp); t++)
		pg_ramp[t] = (uint8_t)t;
	return pg_write(&opts);
}
