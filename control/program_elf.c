/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <rte_bpf.h>
#include <rte_common.h>
#include <rte_mbuf.h>

#include "control/program-internal.h"

static int
program_base64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 text (line breaks allowed) into a new buffer. */
static int
program_base64_decode(const char *text, uint8_t **out, size_t *len,
		      struct program_fault *fault)
{
	size_t n = strlen(text), used = 0, pad = 0;
	uint8_t *buf = malloc(n / 4 * 3 + 3);
	uint32_t acc = 0;
	unsigned int bits = 0;

	if (buf == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int v = program_base64_value(text[i]);

		if (text[i] == '\n' || text[i] == '\r')
			continue;
		if (text[i] == '=' && pad < 2) {
			pad++;
			continue;
		}
		if (v < 0 || pad != 0) {
			free(buf);
			return program_fail(fault, "elf_base64",
					    "not base64: character %zu is '%c'", i, text[i]);
		}
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf[used++] = (uint8_t)(acc >> bits);
		}
	}
	*out = buf;
	*len = used;
	return 0;
}

/* libbpf's first warning during bpf_object__open_mem(): why it refused. */
static char program_libbpf_why[192];

static int
program_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[sizeof(program_libbpf_why)];
	const char *text = line;
	size_t n;

	if (level != LIBBPF_WARN || program_libbpf_why[0] != '\0')
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (strncmp(text, "libbpf: ", 8) == 0)
		text += 8;
	snprintf(program_libbpf_why, sizeof(program_libbpf_why), "%s", text);
	n = strlen(program_libbpf_why);
	if (n > 0 && program_libbpf_why[n - 1] == '\n')
		program_libbpf_why[n - 1] = '\0';
	return 0;
}

/* Refuses what rte_bpf cannot run from a libbpf program. */
static int
program_check_insns(const struct bpf_insn *ins, size_t n, struct program_fault *fault)
{
	for (size_t i = 0; i < n; i++) {
		if (ins[i].code == (BPF_JMP | BPF_CALL) && ins[i].src_reg != 0)
			return program_fail(fault, "section",
					    "instruction %zu calls another BPF function; "
					    "bpf-to-bpf calls are not supported (make it "
					    "static inline)", i);
		if (ins[i].code == (BPF_LD | BPF_IMM | BPF_DW) && ins[i].src_reg != 0)
			return program_fail(fault, "section",
					    "instruction %zu loads a map; programs have no maps", i);
	}
	return 0;
}

/* The instructions of 'section' in ELF object 'elf', verified. */
static int
program_load_object(struct bpf_object *obj, const char *section, bool jit,
		    uint32_t max_ins, struct dp_program **out,
		    struct program_fault *fault)
{
	char found[128] = "";
	size_t used = 0;
	struct bpf_program *p;
	struct bpf_map *map;

	map = bpf_object__next_map(obj, NULL);
	if (map != NULL)
		return program_fail(fault, "elf_base64",
				    "ELF object has map or global data '%s'; programs "
				    "may have neither", bpf_map__name(map));
	bpf_object__for_each_program(p, obj) {
		const char *name = bpf_program__section_name(p);

		if (strcmp(name, section) == 0) {
			struct rte_bpf_prm prm = {
				.ins = (const struct ebpf_insn *)bpf_program__insns(p),
				.nb_ins = (uint32_t)bpf_program__insn_cnt(p),
				.xsym = program_xsym,
				.nb_xsym = RTE_DIM(program_xsym),
				/* Size 0: the program cannot touch the mbuf,
				 * only read packet bytes with BPF_LD_ABS/IND. */
				.prog_arg = {
					.type = RTE_BPF_ARG_PTR_MBUF,
					.size = 0,
					.buf_size = RTE_MBUF_DEFAULT_DATAROOM,
				},
			};
			int rc = program_check_insns((const struct bpf_insn *)prm.ins,
						     prm.nb_ins, fault);

			return rc != 0 ? rc :
			       program_verify(&prm, jit, max_ins, out, fault, "section");
		}
		if (used < sizeof(found))
			used += snprintf(found + used, sizeof(found) - used, "%s'%s'",
					 used ? ", " : "", name);
	}
	return program_fail(fault, "section",
			    "ELF object has no program in section '%s' (it has %s)",
			    section, used ? found : "none");
}

/* An eBPF ELF object: the named section's program. */
int
program_load_elf(const char *text, const char *section, bool jit, uint32_t max_ins,
		 struct dp_program **out, struct program_fault *fault)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "slice");
	struct bpf_object *obj;
	uint8_t *elf = NULL;
	size_t len = 0;
	int rc = program_base64_decode(text, &elf, &len, fault);

	if (rc != 0)
		return rc;
	if (len < 4 || memcmp(elf, "\177ELF", 4) != 0) {
		free(elf);
		return program_fail(fault, "elf_base64", "not an ELF object (no ELF magic)");
	}
	program_libbpf_why[0] = '\0';
	libbpf_set_print(program_libbpf_print);
	obj = bpf_object__open_mem(elf, len, &opts);
	rc = libbpf_get_error(obj);
	if (rc != 0) {
		obj = NULL;
		if (rc == -ENOMEM)
			goto out;
		rc = program_fail(fault, "elf_base64", "ELF object refused: %s",
				  program_libbpf_why[0] != '\0' ? program_libbpf_why :
				  strerror(-rc));
		goto out;
	}
	rc = program_load_object(obj, section, jit, max_ins, out, fault);
out:
	bpf_object__close(obj);
	libbpf_set_print(NULL);
	free(elf);
	return rc;
}
