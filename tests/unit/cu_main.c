/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "tests/unit/cu_main.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>

static bool cu_eal_up;

void
cu_expect(bool ok, const char *file, unsigned int line, const char *func,
	  const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	if (ok) {
		CU_assertImplementation(CU_TRUE, line, "", file, func, CU_FALSE);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* CUnit copies the strings of a failure record. */
	CU_assertImplementation(CU_FALSE, line, what, file, func, CU_FALSE);
}

int
cu_eal_init(const char *name)
{
	char prefix[64];
	char *argv[] = {
		"test", "--no-huge", "-m", "64", "--no-pci", "--no-shconf",
		"--log-level", "error", "--file-prefix", prefix,
		/* No socket, so that the runtime directory can go at the end. */
		"--no-telemetry",
	};

	if (cu_eal_up)
		return 0;
	snprintf(prefix, sizeof(prefix), "ut_%s_%d", name, (int)getpid());
	if (rte_eal_init((int)RTE_DIM(argv), argv) < 0) {
		fprintf(stderr, "rte_eal_init: %s\n", rte_strerror(rte_errno));
		return -rte_errno;
	}
	cu_eal_up = true;
	return 0;
}

/* Stops the EAL and removes its (empty) runtime directory, which
 * rte_eal_cleanup() leaves behind; sets *rc to 1 on failure. */
static void
cu_eal_fini(int *rc)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	if (rte_eal_cleanup() != 0) {
		fprintf(stderr, "rte_eal_cleanup failed\n");
		*rc = 1;
	}
	rmdir(dir);
}

/* Registers every suite and case of cu_suites[]; returns how many cases
 * there are, or -1 if CUnit refused one. */
static int
cu_register(void)
{
	int nb = 0;

	for (size_t i = 0; i < cu_nb_suites; i++) {
		const struct cu_suite *s = &cu_suites[i];
		CU_pSuite suite = CU_add_suite(s->name, s->init, s->clean);

		if (suite == NULL) {
			fprintf(stderr, "suite %s: %s\n", s->name, CU_get_error_msg());
			return -1;
		}
		for (size_t j = 0; j < s->nb_cases; j++) {
			if (CU_add_test(suite, s->cases[j].name, s->cases[j].fn) == NULL) {
				fprintf(stderr, "case %s: %s\n", s->cases[j].name,
					CU_get_error_msg());
				return -1;
			}
			nb++;
		}
	}
	return nb;
}

int
main(void)
{
	unsigned int failures, suites_failed, run;
	int nb, rc = 1;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "CU_initialize_registry: %s\n", CU_get_error_msg());
		return 1;
	}
	nb = cu_register();
	if (nb < 0)
		goto out;

	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS)
		fprintf(stderr, "CU_basic_run_tests: %s\n", CU_get_error_msg());
	failures = CU_get_number_of_failures();
	suites_failed = CU_get_number_of_suites_failed();
	run = CU_get_number_of_tests_run();
	printf("\n");
	if (failures != 0 || suites_failed != 0 || run != (unsigned int)nb)
		fprintf(stderr, "FAILED: %u failure record(s), %u suite(s) failed, "
			"%u of %d case(s) run\n", failures, suites_failed, run, nb);
	else
		rc = 0;
out:
	CU_cleanup_registry();
	if (cu_eal_up)
		cu_eal_fini(&rc);
	return rc;
}

unsigned int
cu_heap_blocks(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int n = 0;

	for (int sock = 0; sock < RTE_MAX_NUMA_NODES; sock++)
		if (rte_malloc_get_socket_stats(sock, &st) == 0)
			n += st.alloc_count;
	return n;
}
