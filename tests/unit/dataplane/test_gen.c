/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests of dataplane/gen.c: the --generator argument, and what
 * dp_gen_create() makes and refuses.  The paced loop needs an lcore of its
 * own and is tested end to end (tests/integration/test_benchrun.py).
 */

#include "dataplane/gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "tests/unit/cu_main.h"

#define DEVICE DP_GEN_DEVICE_PREFIX "ut0"

static char pcap_ok[64], pcap_empty[64], pcap_cut[64];

/* Writes 'n' frames of 'len' bytes, 'caplen' of them captured, to 'file'. */
static int
write_pcap(const char *file, unsigned int n, unsigned int len, unsigned int caplen)
{
	static u_char frame[2048];
	pcap_t *pc = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pc != NULL ? pcap_dump_open(pc, file) : NULL;

	if (d == NULL) {
		if (pc != NULL)
			pcap_close(pc);
		return -1;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct pcap_pkthdr h = { .caplen = caplen, .len = len };

		frame[0] = (u_char)i;
		pcap_dump((u_char *)d, &h, frame);
	}
	pcap_dump_close(d);
	pcap_close(pc);
	return 0;
}

static int
gen_suite_init(void)
{
	int pid = (int)getpid();

	if (cu_eal_init("gen") != 0)
		return -1;
	snprintf(pcap_ok, sizeof(pcap_ok), "/tmp/ut_gen_%d_ok.pcap", pid);
	snprintf(pcap_empty, sizeof(pcap_empty), "/tmp/ut_gen_%d_empty.pcap", pid);
	snprintf(pcap_cut, sizeof(pcap_cut), "/tmp/ut_gen_%d_cut.pcap", pid);
	if (write_pcap(pcap_ok, 3, 60, 60) != 0 || write_pcap(pcap_empty, 0, 0, 0) != 0 ||
	    write_pcap(pcap_cut, 2, 1514, 100) != 0)
		return -1;
	return 0;
}

static int
gen_suite_clean(void)
{
	unlink(pcap_ok);
	unlink(pcap_empty);
	unlink(pcap_cut);
	return 0;
}

static void
test_gen_parse_ok(void)
{
	struct dp_gen_params p;
	char why[256] = "";

	CU_EXPECT_INT(dp_gen_parse("pcap=/x/in.pcap,rate=50000,interface=eth0", &p, why,
				   sizeof(why)), 0, why);
	CU_EXPECT_STR(p.pcap, "/x/in.pcap", "pcap");
	CU_EXPECT_UINT(p.rate_pps, 50000, "rate");
	CU_EXPECT_STR(p.interface, "eth0", "interface");
	CU_EXPECT_INT(p.lcore, -1, "no lcore given");

	CU_EXPECT_INT(dp_gen_parse("interface=in,lcore=2,rate=1,pcap=a", &p, why,
				   sizeof(why)), 0, why);
	CU_EXPECT_INT(p.lcore, 2, "lcore");
	CU_EXPECT_UINT(p.rate_pps, 1, "lowest rate");
}

static void
test_gen_parse_bad(void)
{
	static const struct {
		const char *arg;
		const char *why;        /* part of the message */
	} cases[] = {
		{ "", "pcap= is required" },
		{ "pcap=a,rate=5", "interface= is required" },
		{ "pcap=a,interface=eth0", "rate= is required" },
		{ "pcap=a,rate=0,interface=eth0", "rate=0: not packets per second" },
		{ "pcap=a,rate=-5,interface=eth0", "rate=-5" },
		{ "pcap=a,rate=5k,interface=eth0", "rate=5k" },
		{ "pcap=a,rate=1000000001,interface=eth0", "rate=1000000001" },
		{ "pcap=a,rate=5,interface=eth0,lcore=x", "lcore=x" },
		{ "pcap=a,rate=5,interface=eth0,lcore=100000", "lcore=100000" },
		{ "pcap=,rate=5,interface=eth0", "pcap=: not a file name" },
		{ "pcap=a,rate=5,interface=eth0,speed=9", "unknown key \"speed\"" },
		{ "pcap=a,rate=5,rate=6,interface=eth0", "rate given twice" },
		{ "pcap=a,rate=5,eth0", "\"eth0\" is not KEY=VALUE" },
	};

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		struct dp_gen_params p;
		char why[256] = "";

		CU_EXPECT_INT(dp_gen_parse(cases[i].arg, &p, why, sizeof(why)), -EINVAL,
			      cases[i].arg);
		CU_EXPECT_HAS(why, cases[i].why, cases[i].arg);
	}
}

/* Parameters that dp_gen_create() accepts, on 'pcap'. */
static void
params(struct dp_gen_params *p, const char *pcap)
{
	char why[64];

	CU_ASSERT_EQUAL_FATAL(dp_gen_parse("pcap=x,rate=1000,interface=eth0", p, why,
					   sizeof(why)), 0);
	snprintf(p->pcap, sizeof(p->pcap), "%s", pcap);
	snprintf(p->device, sizeof(p->device), "%s", DEVICE);
	p->lcore = (int)rte_get_main_lcore();
	p->nb_txq = 2;
	p->nb_mbufs = 64;
	p->socket = SOCKET_ID_ANY;
}

static void
test_gen_create_device(void)
{
	struct dp_gen_params p;
	struct rte_eth_dev_info info;
	struct dp_gen_stats st;
	struct dp_gen *g;
	uint16_t port_id;
	char why[256] = "";

	params(&p, pcap_ok);
	g = dp_gen_create(&p, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL_FATAL(rte_eth_dev_get_port_by_name(DEVICE, &port_id), 0);
	CU_ASSERT_EQUAL_FATAL(rte_eth_dev_info_get(port_id, &info), 0);
	CU_EXPECT_UINT(info.max_rx_queues, 1, "one rx queue");
	CU_EXPECT_UINT(info.max_tx_queues, 2, "a tx queue per worker");
	CU_EXPECT_UINT(dp_gen_rate(g), 1000, "rate");
	dp_gen_read(g, &st);
	CU_EXPECT_UINT(st.sent_packets + st.refused + st.late, 0, "nothing sent yet");

	/* The device exists now: a second generator cannot make it. */
	CU_EXPECT(dp_gen_create(&p, why, sizeof(why)) == NULL, "second generator");
	CU_EXPECT_HAS(why, "exists already", "second generator");

	/* Stopping a generator that never started is harmless. */
	dp_gen_stop(g);
	dp_gen_free(g);
	CU_EXPECT(rte_eth_dev_get_port_by_name(DEVICE, &port_id) != 0, "device gone");

	/* And the name can be had again. */
	g = dp_gen_create(&p, why, sizeof(why));
	CU_EXPECT(g != NULL, "again: %s", why);
	dp_gen_free(g);
	dp_gen_free(NULL);
}

static void
test_gen_create_bad(void)
{
	static const struct {
		const char *pcap;
		const char *device;
		const char *why;        /* part of the message */
	} cases[] = {
		{ "/nonexistent/in.pcap", DEVICE, "/nonexistent/in.pcap" },
		{ pcap_empty, DEVICE, "no frames" },
		{ pcap_cut, DEVICE, "1514 bytes (100 captured)" },
		{ pcap_ok, "net_pcap0", "name it net_ring_NAME" },
		{ pcap_ok, DP_GEN_DEVICE_PREFIX, "name it net_ring_NAME" },
	};
	uint16_t port_id;

	for (size_t i = 0; i < CU_DIM(cases); i++) {
		struct dp_gen_params p;
		char why[512] = "";

		params(&p, cases[i].pcap);
		snprintf(p.device, sizeof(p.device), "%s", cases[i].device);
		CU_EXPECT(dp_gen_create(&p, why, sizeof(why)) == NULL, "case %zu", i);
		CU_EXPECT_HAS(why, cases[i].why, cases[i].device);
		CU_EXPECT(rte_eth_dev_get_port_by_name(DEVICE, &port_id) != 0,
			  "case %zu: nothing left behind", i);
	}
}

static const struct cu_case gen_suite[] = {
	CU_CASE(test_gen_parse_ok),
	CU_CASE(test_gen_parse_bad),
	CU_CASE(test_gen_create_device),
	CU_CASE(test_gen_create_bad),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("dataplane/gen", gen_suite_init, gen_suite_clean, gen_suite),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
