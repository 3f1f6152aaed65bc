/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/* Unit tests of control/node_config.c: the operator's node file. */

#include "control/node_config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "tests/unit/cu_main.h"

/*
 * Documents are written with ' for " so that the tables stay readable;
 * tjson() swaps them back.  DOC() assembles a document from its parts, and
 * the parts below are each valid on their own.
 */
#define IFACE(name, dev, ip, rate, mac) \
	"{'name':'" name "','device':'" dev "','ipv4':'" ip "','rate_bps':" rate \
	",'gateway_mac':'" mac "'}"
#define IF0 IFACE("eth0", "net_pcap0", "192.0.2.1", "10000000000", "02:00:00:00:00:fe")
#define IF1 IFACE("eth1", "net_pcap1", "198.51.100.1", "1000000000", "02:00:00:00:01:fe")
#define LCORES "'lcores':{'workers':[1]}"
#define CAPACITY "'capacity':{'filters':131072,'queues':4096,'buffers':65536}"
#define API "'api':{'listen':'127.0.0.1:8080','admin_token_file':'/var/lib/slicepath/admin.token'}"
#define STATE "'state_dir':'/var/lib/slicepath'"
#define REST(lcores, capacity, api, state) lcores "," capacity "," api "," state
#define DOC(ifaces, rest) "{'name':'node1','interfaces':[" ifaces "]," rest "}"
#define DOC_OK DOC(IF0, REST(LCORES, CAPACITY, API, STATE))

/* Parses a document written with ' for ". */
static json_t *
tjson(const char *text)
{
	size_t len = strlen(text);
	char *buf = malloc(len + 1);
	json_error_t jerr;
	json_t *v;

	if (buf == NULL)
		return NULL;
	for (size_t i = 0; i <= len; i++)
		buf[i] = text[i] == '\'' ? '"' : text[i];
	v = json_loads(buf, JSON_REJECT_DUPLICATES, &jerr);
	CU_EXPECT(v != NULL, "test JSON %s: line %d: %s", buf, jerr.line, jerr.text);
	free(buf);
	return v;
}

/* node_config_parse() of a document written with ' for ". */
static int
tparse(const char *text, struct node_config *cfg, struct sp_error *err)
{
	json_t *v = tjson(text);
	int rc;

	memset(err, 0, sizeof(*err));
	if (v == NULL)
		return -EBADMSG;
	rc = node_config_parse(v, cfg, err);
	json_decref(v);
	return rc;
}

/* Writes 'text' (verbatim) to a new temporary file; returns its name in
 * 'path' (>= 32 bytes), or false. */
static bool
twrite(const char *text, char *path)
{
	size_t len = strlen(text);
	int fd;
	bool ok;

	strcpy(path, "/tmp/ut_node_config_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return false;
	ok = write(fd, text, len) == (ssize_t)len;
	close(fd);
	if (!ok)
		unlink(path);
	return ok;
}

static struct node_config cfg;  /* large: PATH_MAX strings */

static void
test_parse_minimal(void)
{
	static const uint8_t gw[6] = { 0x02, 0, 0, 0, 0, 0xfe };
	struct sp_error err;

	CU_ASSERT_EQUAL_FATAL(tparse(DOC_OK, &cfg, &err), 0);
	CU_EXPECT_STR(cfg.name, "node1", "name");
	CU_EXPECT_UINT(cfg.nb_ifaces, 1, "nb_ifaces");
	CU_EXPECT_STR(cfg.ifaces[0].name, "eth0", "iface name");
	CU_EXPECT_STR(cfg.ifaces[0].device, "net_pcap0", "device");
	CU_EXPECT_UINT(cfg.ifaces[0].ipv4, htonl(0xc0000201), "ipv4, network order");
	CU_EXPECT_UINT(cfg.ifaces[0].rate_bps, 10000000000ULL, "rate_bps");
	CU_EXPECT(memcmp(cfg.ifaces[0].gateway_mac, gw, 6) == 0, "gateway_mac");
	CU_EXPECT_UINT(cfg.nb_workers, 1, "nb_workers");
	CU_EXPECT_UINT(cfg.workers[0], 1, "workers[0]");
	CU_EXPECT_UINT(cfg.capacity.filters, 131072, "filters");
	CU_EXPECT_UINT(cfg.capacity.queues, 4096, "queues");
	CU_EXPECT_UINT(cfg.capacity.buffers, 65536, "buffers");
	CU_EXPECT_UINT(cfg.api.listen.ip, htonl(0x7f000001), "listen address");
	CU_EXPECT_UINT(cfg.api.listen.port, 8080, "listen port");
	CU_EXPECT_STR(cfg.api.admin_token_file, "/var/lib/slicepath/admin.token", "token");
	CU_EXPECT_UINT(cfg.api.max_body_bytes, NODE_BODY_DEFAULT, "max_body_bytes default");
	CU_EXPECT_UINT(cfg.api.max_body_bytes, 1048576, "max_body_bytes default value");
	CU_EXPECT_STR(cfg.state_dir, "/var/lib/slicepath", "state_dir");
}

static void
test_parse_full(void)
{
	struct sp_error err;

	CU_ASSERT_EQUAL_FATAL(tparse(DOC(IF0 "," IF1,
		REST("'lcores':{'workers':[3,1,2]}", CAPACITY,
		     "'api':{'listen':'0.0.0.0:65535','admin_token_file':'/t',"
		     "'max_body_bytes':2048}", STATE)), &cfg, &err), 0);
	CU_EXPECT_UINT(cfg.nb_ifaces, 2, "nb_ifaces");
	CU_EXPECT_STR(cfg.ifaces[1].name, "eth1", "second name");
	CU_EXPECT_UINT(cfg.ifaces[1].rate_bps, 1000000000, "second rate");
	CU_EXPECT_UINT(cfg.nb_workers, 3, "nb_workers");
	CU_EXPECT_UINT(cfg.workers[0], 3, "workers[0]");
	CU_EXPECT_UINT(cfg.workers[1], 1, "workers[1]");
	CU_EXPECT_UINT(cfg.workers[2], 2, "workers[2]");
	CU_EXPECT_UINT(cfg.api.listen.ip, 0, "listen on any");
	CU_EXPECT_UINT(cfg.api.listen.port, 65535, "listen port");
	CU_EXPECT_UINT(cfg.api.max_body_bytes, 2048, "max_body_bytes");
	CU_EXPECT_INT(node_config_iface(&cfg, "eth1"), 1, "iface eth1");
	CU_EXPECT_INT(node_config_iface(&cfg, "eth0"), 0, "iface eth0");
	CU_EXPECT_INT(node_config_iface(&cfg, "eth2"), -1, "no iface eth2");
}

/* The openflow object, in its two forms. */
static void
test_parse_openflow(void)
{
	struct sp_error err;

	CU_ASSERT_EQUAL_FATAL(tparse(DOC_OK, &cfg, &err), 0);
	CU_EXPECT(!cfg.openflow.enabled, "no openflow without the key");
	CU_ASSERT_EQUAL_FATAL(tparse(DOC(IF0, REST(LCORES, CAPACITY, API, STATE)
		",'openflow':{'switch':'tcp:10.0.0.9:6653','node_port':2,'uplink_port':7}"),
		&cfg, &err), 0);
	CU_EXPECT(cfg.openflow.enabled && !cfg.openflow.passive, "tcp: connects");
	CU_EXPECT_UINT(cfg.openflow.addr.ip, htonl(0x0a000009), "switch address");
	CU_EXPECT_UINT(cfg.openflow.addr.port, 6653, "switch port");
	CU_EXPECT_UINT(cfg.openflow.node_port, 2, "node_port");
	CU_EXPECT_UINT(cfg.openflow.uplink_port, 7, "uplink_port");
	CU_ASSERT_EQUAL_FATAL(tparse(DOC(IF0, REST(LCORES, CAPACITY, API, STATE)
		",'openflow':{'switch':'ptcp:16653','node_port':1,'uplink_port':2}"),
		&cfg, &err), 0);
	CU_EXPECT(cfg.openflow.passive, "ptcp: listens");
	CU_EXPECT_UINT(cfg.openflow.addr.ip, 0, "on every address");
	CU_EXPECT_UINT(cfg.openflow.addr.port, 16653, "listen port");
	CU_ASSERT_EQUAL_FATAL(tparse(DOC(IF0, REST(LCORES, CAPACITY, API, STATE)
		",'openflow':{'switch':'ptcp:16653:127.0.0.1','node_port':1,'uplink_port':2}"),
		&cfg, &err), 0);
	CU_EXPECT_UINT(cfg.openflow.addr.ip, htonl(0x7f000001), "listen address");
}

/* Values at the edges of their ranges are accepted. */
static void
test_parse_bounds_accepted(void)
{
	static const char *const docs[] = {
		DOC(IFACE("eth0", "d", "192.0.2.1", "1000", "02:00:00:00:00:fe"),
		    REST(LCORES, CAPACITY, API, STATE)),
		DOC(IFACE("eth0", "d", "192.0.2.1", "400000000000", "02:00:00:00:00:fe"),
		    REST(LCORES, CAPACITY, API, STATE)),
		DOC(IF0, REST(LCORES, "'capacity':{'filters':0,'queues':0,'buffers':512}",
			      API, STATE)),
		DOC(IF0, REST(LCORES,
			      "'capacity':{'filters':16777216,'queues':65536,'buffers':4194304}",
			      API, STATE)),
		DOC(IF0, REST(LCORES, CAPACITY,
			      "'api':{'listen':'1.2.3.4:1','admin_token_file':'t',"
			      "'max_body_bytes':1024}", STATE)),
		DOC(IF0, REST(LCORES, CAPACITY,
			      "'api':{'listen':'1.2.3.4:1','admin_token_file':'t',"
			      "'max_body_bytes':67108864}", STATE)),
		/* A device name of 63 bytes. */
		DOC(IFACE("eth0", "net_pcap0123456789012345678901234567890123456789012345678901234",
			  "192.0.2.1", "1000", "02:00:00:00:00:fe"),
		    REST(LCORES, CAPACITY, API, STATE)),
	};

	json_t *root;
	struct sp_error err = { { 0 }, { 0 } };
	int rc;

	for (size_t i = 0; i < CU_DIM(docs); i++) {
		rc = tparse(docs[i], &cfg, &err);
		CU_EXPECT(rc == 0, "doc %zu: rc %d, %s: %s", i, rc, err.path, err.msg);
	}

	/* lcore ids 0 and RTE_MAX_LCORE - 1. */
	root = tjson(DOC_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	json_object_set_new(json_object_get(root, "lcores"), "workers",
			    json_pack("[i, i]", 0, RTE_MAX_LCORE - 1));
	rc = node_config_parse(root, &cfg, &err);
	CU_EXPECT(rc == 0, "lcores 0 and max: rc %d, %s: %s", rc, err.path, err.msg);
	CU_EXPECT_UINT(cfg.workers[1], RTE_MAX_LCORE - 1, "highest lcore id");
	json_decref(root);
}

/* A document node_config_parse() must refuse: where and why. */
struct bad_doc {
	const char *what;
	const char *json;
	const char *path;
	const char *msg;        /* a substring of err.msg */
};

static const struct bad_doc bad_docs[] = {
	{ "root not an object", "[]", "$", "expected an object, got an array" },
	{ "unknown top-level key",
	  DOC(IF0, REST(LCORES, CAPACITY, API, STATE) ",'extra':1"),
	  "$.extra", "unknown key" },
	{ "unknown key in interfaces[1]",
	  DOC(IF0 ",{'name':'eth1','device':'d1','ipv4':'198.51.100.1','rate_bps':1000,"
	      "'gateway_mac':'02:00:00:00:01:fe','mtu':1500}",
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[1].mtu", "unknown key" },
	{ "missing name",
	  "{'interfaces':[" IF0 "]," REST(LCORES, CAPACITY, API, STATE) "}",
	  "$.name", "missing" },
	{ "missing capacity",
	  DOC(IF0, LCORES "," API "," STATE), "$.capacity", "missing" },
	{ "missing interface name",
	  DOC("{'device':'d','ipv4':'192.0.2.1','rate_bps':1000,"
	      "'gateway_mac':'02:00:00:00:00:fe'}", REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].name", "missing" },
	{ "bad node name",
	  "{'name':'Node1','interfaces':[" IF0 "]," REST(LCORES, CAPACITY, API, STATE) "}",
	  "$.name", "invalid name" },
	{ "interfaces empty",
	  DOC("", REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces", "expected 1 to 32 items, got 0" },
	{ "interface not an object",
	  DOC("'eth0'", REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0]", "expected an object, got a string" },
	{ "rate_bps a string",
	  DOC(IFACE("eth0", "d", "192.0.2.1", "'10G'", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].rate_bps", "expected an integer, got a string" },
	{ "rate_bps a real",
	  DOC(IFACE("eth0", "d", "192.0.2.1", "1e10", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].rate_bps", "expected an integer" },
	{ "rate_bps below range",
	  DOC(IFACE("eth0", "d", "192.0.2.1", "999", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].rate_bps", "999 is out of range: expected 1000 to 400000000000" },
	{ "rate_bps above range",
	  DOC(IFACE("eth0", "d", "192.0.2.1", "400000000001", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].rate_bps", "400000000001 is out of range" },
	{ "rate_bps negative",
	  DOC(IFACE("eth0", "d", "192.0.2.1", "-1000", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].rate_bps", "-1000 is out of range" },
	{ "bad ipv4",
	  DOC(IFACE("eth0", "d", "192.0.2", "1000", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].ipv4", "not an IPv4 address" },
	{ "ipv4 with leading zero",
	  DOC(IFACE("eth0", "d", "192.0.2.01", "1000", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].ipv4", "not an IPv4 address" },
	{ "loopback ipv4",
	  DOC(IFACE("eth0", "d", "127.0.0.1", "1000", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].ipv4", "127.0.0.1 is not a unicast address" },
	{ "multicast ipv4",
	  DOC(IFACE("eth0", "d", "224.0.0.1", "1000", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].ipv4", "224.0.0.1 is not a unicast address" },
	{ "unspecified ipv4",
	  DOC(IFACE("eth0", "d", "0.0.0.0", "1000", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].ipv4", "0.0.0.0 is not a unicast address" },
	{ "broadcast ipv4",
	  DOC(IFACE("eth0", "d", "255.255.255.255", "1000", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].ipv4", "is not a unicast address" },
	{ "multicast gateway_mac",
	  DOC(IFACE("eth0", "d", "192.0.2.1", "1000", "01:00:5e:00:00:01"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].gateway_mac", "not a unicast MAC address" },
	{ "broadcast gateway_mac",
	  DOC(IFACE("eth0", "d", "192.0.2.1", "1000", "ff:ff:ff:ff:ff:ff"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].gateway_mac", "not a unicast MAC address" },
	{ "zero gateway_mac",
	  DOC(IFACE("eth0", "d", "192.0.2.1", "1000", "00:00:00:00:00:00"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].gateway_mac", "not a unicast MAC address" },
	{ "malformed gateway_mac",
	  DOC(IFACE("eth0", "d", "192.0.2.1", "1000", "02-00-00-00-00-fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].gateway_mac", "not a MAC address" },
	{ "device empty",
	  DOC(IFACE("eth0", "", "192.0.2.1", "1000", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].device", "expected a string of 1 to 63 bytes, got 0" },
	{ "device of 64 bytes",
	  DOC(IFACE("eth0", "net_pcap01234567890123456789012345678901234567890123456789012345",
		    "192.0.2.1", "1000", "02:00:00:00:00:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[0].device", "expected a string of 1 to 63 bytes, got 64" },
	{ "duplicate interface name",
	  DOC(IF0 "," IFACE("eth0", "net_pcap1", "198.51.100.1", "1000", "02:00:00:00:01:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[1].name", "duplicate of $.interfaces[0].name" },
	{ "duplicate device",
	  DOC(IF0 "," IFACE("eth1", "net_pcap0", "198.51.100.1", "1000", "02:00:00:00:01:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[1].device", "duplicate of $.interfaces[0].device" },
	{ "duplicate ipv4",
	  DOC(IF0 "," IFACE("eth1", "net_pcap1", "192.0.2.1", "1000", "02:00:00:00:01:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[1].ipv4", "duplicate of $.interfaces[0].ipv4" },
	{ "duplicate of the second interface",
	  DOC(IF0 "," IF1 "," IFACE("eth2", "net_pcap2", "198.51.100.1", "1000",
				    "02:00:00:00:02:fe"),
	      REST(LCORES, CAPACITY, API, STATE)),
	  "$.interfaces[2].ipv4", "duplicate of $.interfaces[1].ipv4" },
	{ "lcores not an object",
	  DOC(IF0, REST("'lcores':[1]", CAPACITY, API, STATE)),
	  "$.lcores", "expected an object, got an array" },
	{ "unknown key in lcores",
	  DOC(IF0, REST("'lcores':{'workers':[1],'main':0}", CAPACITY, API, STATE)),
	  "$.lcores.main", "unknown key" },
	{ "workers missing",
	  DOC(IF0, REST("'lcores':{}", CAPACITY, API, STATE)),
	  "$.lcores.workers", "missing" },
	{ "workers empty",
	  DOC(IF0, REST("'lcores':{'workers':[]}", CAPACITY, API, STATE)),
	  "$.lcores.workers", "expected 1 to 16 items, got 0" },
	{ "too many workers",
	  DOC(IF0, REST("'lcores':{'workers':[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}",
			CAPACITY, API, STATE)),
	  "$.lcores.workers", "expected 1 to 16 items, got 17" },
	{ "duplicate worker",
	  DOC(IF0, REST("'lcores':{'workers':[1,2,1]}", CAPACITY, API, STATE)),
	  "$.lcores.workers[2]", "lcore 1 is listed twice" },
	{ "worker not an integer",
	  DOC(IF0, REST("'lcores':{'workers':['1']}", CAPACITY, API, STATE)),
	  "$.lcores.workers[0]", "expected an integer, got a string" },
	{ "worker negative",
	  DOC(IF0, REST("'lcores':{'workers':[1,-1]}", CAPACITY, API, STATE)),
	  "$.lcores.workers[1]", "-1 is out of range" },
	{ "worker past RTE_MAX_LCORE",
	  DOC(IF0, REST("'lcores':{'workers':[" RTE_STR(RTE_MAX_LCORE) "]}",
			CAPACITY, API, STATE)),
	  "$.lcores.workers[0]", "out of range" },
	{ "capacity.buffers too small",
	  DOC(IF0, REST(LCORES, "'capacity':{'filters':1,'queues':1,'buffers':511}",
			API, STATE)),
	  "$.capacity.buffers", "511 is out of range: expected 512 to 4194304" },
	{ "capacity.filters too large",
	  DOC(IF0, REST(LCORES, "'capacity':{'filters':16777217,'queues':1,'buffers':512}",
			API, STATE)),
	  "$.capacity.filters", "out of range" },
	{ "capacity.queues missing",
	  DOC(IF0, REST(LCORES, "'capacity':{'filters':1,'buffers':512}", API, STATE)),
	  "$.capacity.queues", "missing" },
	{ "api.listen without port",
	  DOC(IF0, REST(LCORES, CAPACITY,
			"'api':{'listen':'127.0.0.1','admin_token_file':'t'}", STATE)),
	  "$.api.listen", "not an IPv4 address and UDP/TCP port" },
	{ "api.listen port 0",
	  DOC(IF0, REST(LCORES, CAPACITY,
			"'api':{'listen':'127.0.0.1:0','admin_token_file':'t'}", STATE)),
	  "$.api.listen", "not an IPv4 address and UDP/TCP port" },
	{ "api.max_body_bytes too small",
	  DOC(IF0, REST(LCORES, CAPACITY,
			"'api':{'listen':'127.0.0.1:8080','admin_token_file':'t',"
			"'max_body_bytes':1023}", STATE)),
	  "$.api.max_body_bytes", "1023 is out of range: expected 1024 to 67108864" },
	{ "api.max_body_bytes too large",
	  DOC(IF0, REST(LCORES, CAPACITY,
			"'api':{'listen':'127.0.0.1:8080','admin_token_file':'t',"
			"'max_body_bytes':67108865}", STATE)),
	  "$.api.max_body_bytes", "67108865 is out of range" },
	{ "api.admin_token_file empty",
	  DOC(IF0, REST(LCORES, CAPACITY,
			"'api':{'listen':'127.0.0.1:8080','admin_token_file':''}", STATE)),
	  "$.api.admin_token_file", "expected a string of 1 to" },
	{ "openflow udp",
	  DOC(IF0, REST(LCORES, CAPACITY, API, STATE)
	      ",'openflow':{'switch':'udp:127.0.0.1:6653','node_port':2,'uplink_port':1}"),
	  "$.openflow.switch", "expected tcp:a.b.c.d:port or ptcp:port" },
	{ "openflow same ports",
	  DOC(IF0, REST(LCORES, CAPACITY, API, STATE)
	      ",'openflow':{'switch':'ptcp:6653','node_port':2,'uplink_port':2}"),
	  "$.openflow.uplink_port", "the same as node_port" },
	{ "openflow empty",
	  DOC(IF0, REST(LCORES, CAPACITY, API, STATE) ",'openflow':{}"),
	  "$.openflow.switch", "missing" },
	{ "openflow not an object",
	  DOC(IF0, REST(LCORES, CAPACITY, API, STATE) ",'openflow':'tcp:1.2.3.4:6653'"),
	  "$.openflow", "expected an object, got a string" },
	{ "state_dir empty",
	  DOC(IF0, REST(LCORES, CAPACITY, API, "'state_dir':''")),
	  "$.state_dir", "expected a string of 1 to 4095 bytes, got 0" },
	{ "state_dir not a string",
	  DOC(IF0, REST(LCORES, CAPACITY, API, "'state_dir':null")),
	  "$.state_dir", "expected a string, got null" },
};

static void
test_parse_bad_documents(void)
{
	for (size_t i = 0; i < CU_DIM(bad_docs); i++) {
		const struct bad_doc *d = &bad_docs[i];
		struct sp_error err;

		CU_EXPECT_INT(tparse(d->json, &cfg, &err), -EINVAL, d->what);
		CU_EXPECT_STR(err.path, d->path, d->what);
		CU_EXPECT_HAS(err.msg, d->msg, d->what);
	}
}

/* 33 interfaces: one more than SP_MAX_PORTS. */
static void
test_parse_too_many_interfaces(void)
{
	json_t *root = tjson(DOC_OK);
	json_t *ifaces;
	struct sp_error err = { { 0 }, { 0 } };

	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	ifaces = json_object_get(root, "interfaces");
	for (unsigned int i = 1; i <= SP_MAX_PORTS; i++) {
		char name[16], dev[16], ip[16];

		snprintf(name, sizeof(name), "eth%u", i);
		snprintf(dev, sizeof(dev), "net_null%u", i);
		snprintf(ip, sizeof(ip), "10.0.0.%u", i);
		json_array_append_new(ifaces, json_pack("{s:s, s:s, s:s, s:I, s:s}",
			"name", name, "device", dev, "ipv4", ip, "rate_bps",
			(json_int_t)1000, "gateway_mac", "02:00:00:00:00:01"));
	}
	CU_EXPECT_INT(node_config_parse(root, &cfg, &err), -EINVAL, "33 interfaces");
	CU_EXPECT_STR(err.path, "$.interfaces", "33 interfaces");
	CU_EXPECT_HAS(err.msg, "expected 1 to 32 items, got 33", "33 interfaces");

	/* 32 are fine. */
	json_array_remove(ifaces, SP_MAX_PORTS);
	CU_EXPECT_INT(node_config_parse(root, &cfg, &err), 0, "32 interfaces");
	CU_EXPECT_UINT(cfg.nb_ifaces, SP_MAX_PORTS, "32 interfaces");
	json_decref(root);
}

static void
test_load_valid(void)
{
	char path[32], doc[] = DOC_OK;
	struct sp_error err = { { 0 }, { 0 } };

	for (char *c = doc; *c != '\0'; c++)
		if (*c == '\'')
			*c = '"';
	CU_ASSERT_FATAL(twrite(doc, path));
	CU_EXPECT_INT(node_config_load(path, &cfg, &err), 0, "load");
	CU_EXPECT_STR(cfg.name, "node1", "load");
	CU_EXPECT_UINT(cfg.api.max_body_bytes, NODE_BODY_DEFAULT, "load");
	unlink(path);
}

/* A file node_config_load() must refuse. */
struct bad_file {
	const char *what;
	const char *text;
	int rc;
	const char *path;
	const char *msg;
};

static const struct bad_file bad_files[] = {
	{ "syntax error", "{\n  \"name\": \"node1\",\n  oops\n}\n", -EINVAL,
	  "line 3, column 6", "expected near 'oops'" },
	{ "duplicate key", "{\"name\": \"a\", \"name\": \"b\"}", -EINVAL,
	  "line 1, column 20", "duplicate object key" },
	{ "empty file", "", -EINVAL, "line 1, column 0", "expected near end of file" },
	{ "two documents", "{} {}", -EINVAL, "line 1, column 4", "end of file expected" },
	{ "valid JSON, bad config", "{\"name\": \"node1\"}", -EINVAL,
	  "$.interfaces", "missing" },
};

static void
test_load_bad_files(void)
{
	for (size_t i = 0; i < CU_DIM(bad_files); i++) {
		const struct bad_file *f = &bad_files[i];
		struct sp_error err = { { 0 }, { 0 } };
		char path[32];

		CU_EXPECT(twrite(f->text, path), "%s: cannot write a temporary file", f->what);
		CU_EXPECT_INT(node_config_load(path, &cfg, &err), f->rc, f->what);
		CU_EXPECT_STR(err.path, f->path, f->what);
		CU_EXPECT_HAS(err.msg, f->msg, f->what);
		unlink(path);
	}
}

static void
test_load_missing_file(void)
{
	char path[32];
	struct sp_error err = { { 0 }, { 0 } };

	/* A name that existed a moment ago, so surely free now. */
	CU_ASSERT_FATAL(twrite("{}", path));
	unlink(path);
	CU_EXPECT_INT(node_config_load(path, &cfg, &err), -ENOENT, "missing file");
	CU_EXPECT_HAS(err.msg, "No such file", "missing file");
	CU_EXPECT_STR(err.path, "$", "missing file");
}

static const struct cu_case node_config_cases[] = {
	CU_CASE(test_parse_minimal),
	CU_CASE(test_parse_full),
	CU_CASE(test_parse_openflow),
	CU_CASE(test_parse_bounds_accepted),
	CU_CASE(test_parse_bad_documents),
	CU_CASE(test_parse_too_many_interfaces),
	CU_CASE(test_load_valid),
	CU_CASE(test_load_bad_files),
	CU_CASE(test_load_missing_file),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("control/node_config", NULL, NULL, node_config_cases),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
