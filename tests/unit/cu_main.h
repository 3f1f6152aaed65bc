/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_TESTS_CU_MAIN_H
#define SP_TESTS_CU_MAIN_H

/*
 * Shared boilerplate of the CUnit unit tests.
 *
 * A test program declares its cases in tables and its suites in cu_suites[];
 * cu_main.c provides main(), which registers and runs them with the basic
 * interface in verbose mode and exits non-zero if anything failed: an
 * assertion, a suite's init or cleanup, a registration, or a case that did
 * not run.
 *
 * Checks that name the table row they come from are written with the
 * CU_EXPECT* macros below; they count as CUnit assertions.
 */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <CUnit/CUnit.h>

#define CU_DIM(a) (sizeof(a) / sizeof((a)[0]))

/* One test case. */
struct cu_case {
	const char *name;
	CU_TestFunc fn;
};

#define CU_CASE(fn) { #fn, (fn) }

/* One suite: its fixture and its cases. */
struct cu_suite {
	const char *name;
	CU_InitializeFunc init;         /* NULL: none */
	CU_CleanupFunc clean;           /* NULL: none */
	const struct cu_case *cases;
	size_t nb_cases;
};

#define CU_SUITE(name, init, clean, cases) \
	{ (name), (init), (clean), (cases), CU_DIM(cases) }

/* Defined by each test program: the suites main() runs, in order. */
extern const struct cu_suite cu_suites[];
extern const size_t cu_nb_suites;

/*
 * Records one CUnit assertion: passed if 'ok', else failed with the message
 * built from 'fmt'.  Use through the macros below.
 */
void cu_expect(bool ok, const char *file, unsigned int line, const char *func,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Asserts 'cond'; on failure reports the printf-style message. */
#define CU_EXPECT(cond, ...) \
	cu_expect((cond), __FILE__, __LINE__, __func__, __VA_ARGS__)

/* Asserts actual == expected (signed); 'ctx' names the case. */
#define CU_EXPECT_INT(actual, expected, ctx) do {                             \
		long long cu_a_ = (long long)(actual);                       \
		long long cu_e_ = (long long)(expected);                     \
		CU_EXPECT(cu_a_ == cu_e_, "%s: %s is %lld, expected %lld",   \
			  (ctx), #actual, cu_a_, cu_e_);                     \
	} while (0)

/* Asserts actual == expected (unsigned); 'ctx' names the case. */
#define CU_EXPECT_UINT(actual, expected, ctx) do {                            \
		unsigned long long cu_a_ = (unsigned long long)(actual);     \
		unsigned long long cu_e_ = (unsigned long long)(expected);   \
		CU_EXPECT(cu_a_ == cu_e_, "%s: %s is %llu (%#llx), expected %llu (%#llx)", \
			  (ctx), #actual, cu_a_, cu_a_, cu_e_, cu_e_);       \
	} while (0)

/* Asserts that strings 'actual' and 'expected' are equal. */
#define CU_EXPECT_STR(actual, expected, ctx) do {                             \
		const char *cu_a_ = (actual), *cu_e_ = (expected);           \
		CU_EXPECT(strcmp(cu_a_, cu_e_) == 0,                         \
			  "%s: %s is \"%s\", expected \"%s\"",               \
			  (ctx), #actual, cu_a_, cu_e_);                     \
	} while (0)

/* Asserts that string 'actual' contains 'needle'. */
#define CU_EXPECT_HAS(actual, needle, ctx) do {                               \
		const char *cu_a_ = (actual), *cu_n_ = (needle);             \
		CU_EXPECT(strstr(cu_a_, cu_n_) != NULL,                      \
			  "%s: %s is \"%s\", expected it to contain \"%s\"", \
			  (ctx), #actual, cu_a_, cu_n_);                     \
	} while (0)

/*
 * Starts DPDK's EAL for a dataplane test program, once per process: no
 * hugepages, 64 MB, no PCI, no shared config, no telemetry, file prefix
 * "ut_<name>_<pid>" so that programs run in parallel do not collide.
 * Later calls return 0 without doing anything.  main() stops the EAL after
 * the last suite.  Returns 0 or a negative errno.
 */
int cu_eal_init(const char *name);

/* Blocks allocated from DPDK's heaps, which ASan does not see: a test
 * compares the count before and after, as a size depends on
 * fragmentation. */
unsigned int cu_heap_blocks(void);

#endif /* SP_TESTS_CU_MAIN_H */
