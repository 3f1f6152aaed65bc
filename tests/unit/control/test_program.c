/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * Unit tests for control/program.c (loading, refusals, references) and
 * dataplane/program.h (running a program on a burst).  ELF objects need
 * clang and are tested end to end by tests/integration/test_bpf.py.
 */

#include <errno.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "control/program.h"
#include "cu_main.h"
#include "dataplane/program.h"
#include "../dataplane/cu_pkt.h"

#define POOL_SIZE 64

static struct rte_mempool *pool;

static int
program_suite_init(void)
{
	if (cu_eal_init("program") != 0)
		return -1;
	pool = rte_pktmbuf_pool_create("ut_program", POOL_SIZE, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool != NULL ? 0 : -1;
}

static int
program_suite_clean(void)
{
	unsigned int avail = rte_mempool_avail_count(pool);

	rte_mempool_free(pool);
	pool = NULL;
	return avail == POOL_SIZE ? 0 : -1;
}

/* Loads a pcap expression; NULL if refused, with the refusal in *fault. */
static struct program_config *
load_pcap(const char *expr, bool jit, uint32_t max_ins, struct program_fault *fault)
{
	struct program_source src = { .kind = PROGRAM_PCAP, .pcap = expr, .jit = jit };
	struct program_config *p = NULL;
	int rc = program_load(&src, max_ins, &p, fault);

	return rc == 0 ? p : NULL;
}

/* An overlay packet as demux leaves it (l2_len, l3_len set), carrying an
 * inner UDP packet to 'dport', padded to 'frame_len'. */
static struct rte_mbuf *
overlay(uint16_t dport, uint16_t frame_len)
{
	struct cu_pkt outer = { .frame_len = frame_len };
	struct cu_inner in = { .dst_port = dport };
	struct rte_mbuf *m = cu_pkt_overlay(pool, &outer, &in);

	if (m != NULL) {
		m->l2_len = sizeof(struct rte_ether_hdr);
		m->l3_len = sizeof(struct rte_ipv4_hdr);
	}
	return m;
}

static void
test_pcap_loads(void)
{
	struct program_fault fault = { 0 };
	struct program_config *p = load_pcap("udp dst port 53", true,
					     PROGRAM_MAX_INSTRUCTIONS, &fault);

	CU_EXPECT(p != NULL, "udp dst port 53 refused: %s", fault.msg);
	if (p == NULL)
		return;
	CU_EXPECT(p->loaded->nb_ins > 0, "no instructions");
	CU_EXPECT_STR(p->pcap, "udp dst port 53", "kept as given");
	CU_EXPECT(program_is_jit(p), "x86-64 has DPDK's JIT");
	program_put(p);

	p = load_pcap("udp dst port 53", false, PROGRAM_MAX_INSTRUCTIONS, &fault);
	CU_EXPECT(p != NULL && !program_is_jit(p), "jit false: the interpreter");
	program_put(p);
}

static void
test_pcap_refusals(void)
{
	struct program_fault fault = { 0 };

	CU_EXPECT(load_pcap("udp dst port", true, PROGRAM_MAX_INSTRUCTIONS, &fault) == NULL,
		  "a syntax error loads");
	CU_EXPECT_STR(fault.field, "pcap", "syntax error");
	CU_EXPECT_HAS(fault.msg, "syntax error", "syntax error");

	CU_EXPECT(load_pcap("udp dst port 53", true, 16, &fault) == NULL,
		  "a program over the limit loads");
	CU_EXPECT_STR(fault.field, "pcap", "limit");
	CU_EXPECT_HAS(fault.msg, "the limit is 16", "limit");
}

static void
test_elf_refusals(void)
{
	static const struct {
		const char *b64, *field, *why;
	} v[] = {
		{ "not*base64", "elf_base64", "character 3 is '*'" },
		{ "aGVsbG8gd29ybGQ=", "elf_base64", "no ELF magic" },       /* hello world */
		{ "f0VMRgIBAQ==", "elf_base64", "ELF object refused" },     /* a cut header */
	};

	for (size_t i = 0; i < CU_DIM(v); i++) {
		struct program_source src = { .kind = PROGRAM_ELF, .elf_base64 = v[i].b64,
					      .section = "filter", .jit = true };
		struct program_fault fault = { 0 };
		struct program_config *p = NULL;

		CU_EXPECT_INT(program_load(&src, PROGRAM_MAX_INSTRUCTIONS, &p, &fault),
			      -EINVAL, v[i].b64);
		CU_EXPECT(p == NULL, "%s: a program came back", v[i].b64);
		CU_EXPECT_STR(fault.field, v[i].field, v[i].b64);
		CU_EXPECT_HAS(fault.msg, v[i].why, v[i].b64);
	}
}

/* The table's reference outlives the configuration's (ASan would see a
 * use after free otherwise). */
static void
test_references(void)
{
	struct program_fault fault;
	struct program_config *p = load_pcap("udp", true, PROGRAM_MAX_INSTRUCTIONS, &fault);
	const struct dp_program *prog;
	struct rte_mbuf *m = overlay(53, 0);
	uint64_t rc = 0;

	CU_EXPECT(p != NULL && m != NULL, "set-up");
	if (p == NULL || m == NULL)
		goto out;
	CU_EXPECT(program_get(p) == p, "program_get returns its argument");
	program_put(p);
	prog = program_loaded_get(p);
	program_put(p);
	dp_program_run(prog, &m, 1, &rc);
	CU_EXPECT_UINT(rc, 1, "the program still runs after its configuration went");
	program_loaded_put(prog);
	CU_EXPECT(program_loaded_get(NULL) == NULL, "no program, no reference");
out:
	rte_pktmbuf_free(m);
}

/* A burst through a program: the program sees the overlay payload only
 * (not the outer headers, not the frame's padding), and each packet's data
 * window is as it was afterwards. */
static void
test_run_burst(void)
{
	/* The inner packet of overlay() is 28 bytes: 'len' counts it alone. */
	static const char *const exprs[] = { "udp dst port 53 and len == 28" };
	struct program_fault fault;
	struct rte_mbuf *m[4] = {
		overlay(53, 0), overlay(54, 0), overlay(53, 120), overlay(2222, 0),
	};
	const uint64_t want[4] = { 1, 0, 1, 0 };

	for (size_t e = 0; e < CU_DIM(exprs); e++) {
		for (int jit = 0; jit <= 1; jit++) {
			struct program_config *p = load_pcap(exprs[e], jit,
							     PROGRAM_MAX_INSTRUCTIONS, &fault);
			uint16_t off[4], dlen[4];
			uint32_t plen[4];
			uint64_t rc[4] = { 9, 9, 9, 9 };

			CU_EXPECT(p != NULL, "%s refused: %s", exprs[e], p ? "" : fault.msg);
			if (p == NULL)
				continue;
			for (int i = 0; i < 4; i++) {
				off[i] = m[i]->data_off;
				dlen[i] = m[i]->data_len;
				plen[i] = m[i]->pkt_len;
			}
			dp_program_run(p->loaded, m, 4, rc);
			for (int i = 0; i < 4; i++) {
				CU_EXPECT(rc[i] == want[i], "%s, %s, packet %d: %llu, expected %llu",
					  exprs[e], jit ? "JIT" : "interpreter", i,
					  (unsigned long long)rc[i], (unsigned long long)want[i]);
				CU_EXPECT(m[i]->data_off == off[i] && m[i]->data_len == dlen[i] &&
					  m[i]->pkt_len == plen[i],
					  "packet %d: the data window is not restored", i);
			}
			program_put(p);
		}
	}
	rte_pktmbuf_free_bulk(m, 4);
}

static const struct cu_case program_cases[] = {
	CU_CASE(test_pcap_loads),
	CU_CASE(test_pcap_refusals),
	CU_CASE(test_elf_refusals),
	CU_CASE(test_references),
	CU_CASE(test_run_burst),
};

const struct cu_suite cu_suites[] = {
	CU_SUITE("control/program", program_suite_init, program_suite_clean, program_cases),
};
const size_t cu_nb_suites = CU_DIM(cu_suites);
