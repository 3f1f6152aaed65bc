/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_PROGRAM_H
#define SP_CONTROL_PROGRAM_H

/*
 * Slice programs: a pcap-filter expression (compiled by libpcap for raw IP,
 * converted to eBPF by rte_bpf_convert) or an eBPF ELF object (opened from
 * memory by libbpf, one section's instructions).  Either is checked here
 * (instruction limit, no maps, global data or bpf-to-bpf calls), then by
 * DPDK's verifier in rte_bpf_load(), and JIT-compiled where DPDK can.
 *
 * A program_config is immutable once loaded and shared, by reference
 * count, between the configurations that copy it; the loaded dp_program is
 * shared the same way with the slice tables that run it, so a table keeps
 * its program until RCU says no worker sees the table.  Control plane only.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataplane/program.h"

#define PROGRAM_MAX_INSTRUCTIONS 4096   /* default node limit */
#define PROGRAM_SECTION_MAX 64          /* characters in a section name */

enum program_kind {
	PROGRAM_PCAP,
	PROGRAM_ELF,
};

/* What the owner uploaded. */
struct program_source {
	enum program_kind kind;
	const char *pcap;               /* the expression */
	const char *elf_base64;         /* the object, base64 ... */
	const char *section;            /* ... and its section */
	bool jit;
};

struct program_config {
	enum program_kind kind;
	char *pcap;                     /* PROGRAM_PCAP */
	char *elf_base64;               /* PROGRAM_ELF, as given */
	char *section;
	bool jit;                       /* asked for */
	struct dp_program *loaded;
	uint32_t refcnt;
};

/* Why a program was refused: the source field at fault ("pcap",
 * "elf_base64" or "section") and a reason for a person. */
struct program_fault {
	const char *field;
	char msg[256];
};

/*
 * Loads 'src' with at most 'max_ins' instructions.  Returns 0 and a
 * program with one reference in *out, or -EINVAL with *fault set, or
 * -ENOMEM.
 */
int program_load(const struct program_source *src, uint32_t max_ins,
		 struct program_config **out, struct program_fault *fault);

/* Takes another reference to p (NULL is allowed) and returns p. */
struct program_config *program_get(struct program_config *p);

/* Drops a reference to p, freeing it with the last; NULL is allowed. */
void program_put(struct program_config *p);

/* The same for the loaded program a slice table points at. */
const struct dp_program *program_loaded_get(const struct program_config *p);
void program_loaded_put(const struct dp_program *prog);

/* Whether the loaded program runs JIT-compiled code. */
bool program_is_jit(const struct program_config *p);

#endif /* SP_CONTROL_PROGRAM_H */
