/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/program.h"
#include "control/program-internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bpf.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

int
program_fail(struct program_fault *fault, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fault->msg, sizeof(fault->msg), fmt, ap);
	va_end(ap);
	fault->field = field;
	return -EINVAL;
}

/* The allowlist: what a program may call, by index (call imm).  C cannot
 * call index 0 (a null function pointer), so it is a stand-in. */
static uint64_t
program_reserved(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
	RTE_SET_USED(a);
	RTE_SET_USED(b);
	RTE_SET_USED(c);
	RTE_SET_USED(d);
	RTE_SET_USED(e);
	return 0;
}

/* sp_packet_len(pkt): the length of the slice's packet. */
static uint64_t
program_packet_len(uint64_t mbuf, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
	RTE_SET_USED(b);
	RTE_SET_USED(c);
	RTE_SET_USED(d);
	RTE_SET_USED(e);
	return rte_pktmbuf_pkt_len((const struct rte_mbuf *)(uintptr_t)mbuf);
}

const struct rte_bpf_xsym program_xsym[PROGRAM_NB_XSYM] = {
	{
		.name = "sp_reserved",
		.type = RTE_BPF_XTYPE_FUNC,
		.func = {
			.val = program_reserved,
			.nb_args = 0,
			.ret = { .type = RTE_BPF_ARG_RAW, .size = sizeof(uint64_t) },
		},
	},
	{
		.name = "sp_packet_len",
		.type = RTE_BPF_XTYPE_FUNC,
		.func = {
			.val = program_packet_len,
			.nb_args = 1,
			.args = { { .type = RTE_BPF_ARG_PTR_MBUF, .size = 0 } },
			.ret = { .type = RTE_BPF_ARG_RAW, .size = sizeof(uint64_t) },
		},
	},
};

/* What DPDK or libbpf said while loading, for the refusal's message. */
struct program_log {
	char *text;
	size_t len;
	FILE *f;
	FILE *prev;
};

/* Sends DPDK's log to a buffer until program_log_end(). */
static int
program_log_begin(struct program_log *log)
{
	*log = (struct program_log){ 0 };
	log->f = open_memstream(&log->text, &log->len);
	if (log->f == NULL)
		return -ENOMEM;
	log->prev = rte_log_get_stream();
	rte_openlog_stream(log->f);
	return 0;
}

/* Restores DPDK's log and returns what was captured, one line, with the
 * pointers DPDK prints after function names turned into ": " and no
 * trailing ';' (freed by program_log_free()). */
static const char *
program_log_end(struct program_log *log)
{
	char *out;

	rte_openlog_stream(log->prev);
	fclose(log->f);
	out = log->text;
	for (char *r = log->text, *w = log->text; ; r++) {
		if (r[0] == '(' && r[1] == '0' && r[2] == 'x') {
			while (r[1] != '\0' && *r != ')')
				r++;
			*w++ = ':';
			continue;
		}
		*w = *r == '\n' ? ' ' : *r;
		if (*r == '\0')
			break;
		w++;
	}
	for (size_t n = strlen(out); n > 0 && (out[n - 1] == ' ' || out[n - 1] == ';'); n--)
		out[n - 1] = '\0';
	return out;
}

static void
program_log_free(struct program_log *log)
{
	free(log->text);
}

int
program_verify(struct rte_bpf_prm *prm, bool jit, uint32_t max_ins,
	       struct dp_program **out, struct program_fault *fault,
	       const char *field)
{
	struct program_log log;
	struct rte_bpf_jit j = { 0 };
	struct dp_program *prog;
	struct rte_bpf *bpf;
	const char *why;
	int rc;

	if (prm->nb_ins > max_ins)
		return program_fail(fault, field,
				    "program has %u instructions, the limit is %u",
				    prm->nb_ins, max_ins);
	rc = program_log_begin(&log);
	if (rc != 0)
		return rc;
	bpf = rte_bpf_load(prm);
	rc = bpf == NULL ? -rte_errno : 0;
	why = program_log_end(&log);
	if (bpf == NULL) {
		if (rc == -ENOMEM)
			program_fail(fault, field, "out of memory loading the program");
		else
			program_fail(fault, field, "program rejected by the verifier: %s",
				     why[0] != '\0' ? why : strerror(-rc));
		program_log_free(&log);
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	program_log_free(&log);

	prog = calloc(1, sizeof(*prog));
	if (prog == NULL) {
		rte_bpf_destroy(bpf);
		return -ENOMEM;
	}
	if (jit && rte_bpf_get_jit(bpf, &j) == 0)
		prog->jit = j.func;
	prog->bpf = bpf;
	prog->nb_ins = prm->nb_ins;
	prog->refcnt = 1;
	*out = prog;
	return 0;
}

int
program_load(const struct program_source *src, uint32_t max_ins,
	     struct program_config **out, struct program_fault *fault)
{
	struct program_config *p = calloc(1, sizeof(*p));
	int rc;

	if (p == NULL)
		return -ENOMEM;
	p->kind = src->kind;
	p->jit = src->jit;
	p->refcnt = 1;
	if (src->kind == PROGRAM_PCAP) {
		p->pcap = strdup(src->pcap);
		rc = p->pcap == NULL ? -ENOMEM :
		     program_load_pcap(src->pcap, src->jit, max_ins, &p->loaded, fault);
		if (rc == 0)
			p->loaded->match_only = true;
	} else {
		p->elf_base64 = strdup(src->elf_base64);
		p->section = strdup(src->section);
		rc = p->elf_base64 == NULL || p->section == NULL ? -ENOMEM :
		     program_load_elf(src->elf_base64, src->section, src->jit, max_ins,
				      &p->loaded, fault);
	}
	if (rc != 0) {
		program_put(p);
		return rc;
	}
	*out = p;
	return 0;
}

struct program_config *
program_get(struct program_config *p)
{
	if (p != NULL)
		p->refcnt++;
	return p;
}

void
program_put(struct program_config *p)
{
	if (p == NULL || --p->refcnt != 0)
		return;
	program_loaded_put(p->loaded);
	free(p->pcap);
	free(p->elf_base64);
	free(p->section);
	free(p);
}

const struct dp_program *
program_loaded_get(const struct program_config *p)
{
	if (p == NULL)
		return NULL;
	p->loaded->refcnt++;
	return p->loaded;
}

void
program_loaded_put(const struct dp_program *prog)
{
	struct dp_program *p = (struct dp_program *)(uintptr_t)prog;

	if (p == NULL || --p->refcnt != 0)
		return;
	rte_bpf_destroy(p->bpf);
	free(p);
}

bool
program_is_jit(const struct program_config *p)
{
	return p->loaded->jit != NULL;
}
