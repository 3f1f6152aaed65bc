/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_PROGRAM_INTERNAL_H
#define SP_CONTROL_PROGRAM_INTERNAL_H

/*
 * Between the program loader's parts: libpcap's and libbpf's headers both
 * define struct bpf_program, so each form is loaded in its own file.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_bpf.h>

#include "control/program.h"

/* Sets *fault to 'field' and a printf-style reason; returns -EINVAL. */
int program_fail(struct program_fault *fault, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The functions a program may call, by index (docs/bpf.md). */
#define PROGRAM_NB_XSYM 2
extern const struct rte_bpf_xsym program_xsym[PROGRAM_NB_XSYM];

/* Checks the limit on instructions, verifies 'prm' with DPDK's verifier
 * and, if asked, JIT-compiles it.  A refusal names 'field'.  Returns 0
 * and the program (one reference) in *out, -EINVAL or -ENOMEM. */
int program_verify(struct rte_bpf_prm *prm, bool jit, uint32_t max_ins,
		   struct dp_program **out, struct program_fault *fault,
		   const char *field);

/* Loads a pcap-filter expression (program_pcap.c). */
int program_load_pcap(const char *expr, bool jit, uint32_t max_ins,
		      struct dp_program **out, struct program_fault *fault);

/* Loads section 'section' of the base64 ELF object 'text' (program_elf.c). */
int program_load_elf(const char *text, const char *section, bool jit,
		     uint32_t max_ins, struct dp_program **out,
		     struct program_fault *fault);

#endif /* SP_CONTROL_PROGRAM_INTERNAL_H */
