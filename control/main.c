/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * slicepathd [EAL options] -- --config FILE [--check] [--generator ARGS]
 *
 * Reads and validates the node configuration, initialises EAL, brings the
 * node up (ports, workers) and runs the control plane's event loop on the
 * main lcore until SIGINT or SIGTERM, then takes everything down in reverse.
 * With --generator, a paced traffic generator (dataplane/gen.h) feeds one
 * interface for benchmarks.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <event2/event.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "control/log.h"
#include "control/node.h"
#include "control/node_config.h"
#include "control/rest.h"
#include "control/openflow.h"
#include "control/state.h"
#include "control/token.h"
#include "dataplane/gen.h"

struct app_options {
	const char *config;
	bool check;
	const char *generator;          /* --generator's argument, or NULL */
};

/* Prints usage to 'f'. */
static void
app_usage(FILE *f)
{
	fprintf(f,
		"usage: slicepathd [EAL options] -- --config FILE [--check]\n"
		"                  [--generator pcap=FILE,rate=PPS,interface=NAME[,lcore=N]]\n"
		"\n"
		"  --config FILE   the node configuration (JSON)\n"
		"  --check         validate the configuration and exit\n"
		"  --generator     for benchmarks: replay FILE into interface NAME at\n"
		"                  PPS packets per second, from lcore N (default: the\n"
		"                  first lcore that is neither main nor a worker); the\n"
		"                  generator makes NAME's device, a net_ring\n"
		"  --help          show this text\n"
		"\n"
		"EAL options come before \"--\", e.g. -l 0,1 --no-huge -m 512 --no-pci\n"
		"--vdev net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap\n");
}

/* Parses the application's own arguments (those after "--"). */
static int
app_parse_args(int argc, char **argv, struct app_options *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'k' },
		{ "generator", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'k':
			o->check = true;
			break;
		case 'g':
			o->generator = optarg;
			break;
		case 'h':
			app_usage(stdout);
			exit(EXIT_SUCCESS);
		default:
			return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "slicepathd: unexpected argument \"%s\"\n", argv[optind]);
		return -EINVAL;
	}
	if (o->config == NULL) {
		fprintf(stderr, "slicepathd: --config FILE is required\n");
		return -EINVAL;
	}
	return 0;
}

/* Makes sure the state directory exists (creating it 0700 if it does not). */
static int
app_state_dir(const char *file, const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "slicepathd: %s: $.state_dir: cannot create %s: %s\n",
			file, dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "slicepathd: %s: $.state_dir: %s is not a directory\n",
			file, dir);
		return -1;
	}
	return 0;
}

/* Whether lcore 'lc' is one of the node's workers. */
static bool
app_is_worker(const struct node_config *cfg, unsigned int lc)
{
	for (unsigned int w = 0; w < cfg->nb_workers; w++)
		if (cfg->workers[w] == lc)
			return true;
	return false;
}

/* Creates the generator that --generator 'arg' asks for, feeding an
 * interface of 'cfg' from an lcore that is neither main nor a worker.
 * Returns it, or NULL after saying why on stderr. */
static struct dp_gen *
app_gen_create(const char *arg, const struct node_config *cfg)
{
	struct dp_gen_params p;
	struct dp_gen *g;
	char why[512];
	int i;

	if (dp_gen_parse(arg, &p, why, sizeof(why)) != 0)
		goto fail;
	i = node_config_iface(cfg, p.interface);
	if (i < 0) {
		snprintf(why, sizeof(why), "--generator: no interface \"%s\"", p.interface);
		goto fail;
	}
	if (p.lcore < 0) {
		unsigned int lc;

		RTE_LCORE_FOREACH_WORKER(lc) {
			if (!app_is_worker(cfg, lc)) {
				p.lcore = (int)lc;
				break;
			}
		}
	}
	if (p.lcore < 0 || app_is_worker(cfg, (unsigned int)p.lcore) ||
	    (unsigned int)p.lcore == rte_get_main_lcore() ||
	    !rte_lcore_is_enabled((unsigned int)p.lcore)) {
		snprintf(why, sizeof(why), "--generator: it needs an enabled lcore that is "
			 "neither the main lcore nor a worker (e.g. EAL --lcores "
			 "0@0,1@1,2@0 and lcore=2)");
		goto fail;
	}
	snprintf(p.device, sizeof(p.device), "%s", cfg->ifaces[i].device);
	p.nb_txq = (uint16_t)cfg->nb_workers;
	p.nb_mbufs = dp_mempool_size((unsigned int)cfg->capacity.buffers, cfg->nb_ifaces,
				     cfg->nb_workers);
	p.socket = (int)rte_lcore_to_socket_id((unsigned int)p.lcore);
	g = dp_gen_create(&p, why, sizeof(why));
	if (g != NULL)
		return g;
fail:
	fprintf(stderr, "slicepathd: %s\n", why);
	return NULL;
}

/* SIGINT/SIGTERM: leave the event loop. */
static void
app_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct event_base *base = arg;

	(void)what;
	CP_LOG(NOTICE, "%s: stopping", strsignal(sig));
	event_base_loopbreak(base);
}

/* Runs the control plane, and the generator 'gen' if not NULL, until a
 * signal; returns the exit status. */
static int
app_run(const char *file, const struct node_config *cfg, struct dp_gen *gen)
{
	char token[TOKEN_MAX_LEN + 1], why[256];
	struct event *sigint = NULL, *sigterm = NULL;
	struct event_base *base = NULL;
	struct rest *rest = NULL;
	struct node *node = NULL;
	struct sp_error err;
	int status = EXIT_FAILURE;

	if (app_state_dir(file, cfg->state_dir) != 0)
		return EXIT_FAILURE;
	if (token_admin_load(cfg->api.admin_token_file, token, why, sizeof(why)) != 0) {
		fprintf(stderr, "slicepathd: %s: $.api.admin_token_file: %s: %s\n",
			file, cfg->api.admin_token_file, why);
		return EXIT_FAILURE;
	}

	node = node_start(cfg, &err);
	if (node == NULL) {
		fprintf(stderr, "slicepathd: %s: %s: %s\n", file, err.path, err.msg);
		goto out;
	}
	node->gen = gen;
	if (gen != NULL && dp_gen_start(gen) != 0) {
		fprintf(stderr, "slicepathd: --generator: cannot launch lcore %u\n",
			dp_gen_lcore(gen));
		goto out;
	}
	/* The slices come back before the API answers anyone. */
	state_load(node);
	if (state_init(node, &err) != 0) {
		fprintf(stderr, "slicepathd: %s: %s: %s\n", file, err.path, err.msg);
		goto out;
	}
	base = event_base_new();
	if (base == NULL) {
		fprintf(stderr, "slicepathd: cannot create the event loop\n");
		goto out;
	}
	rest = rest_start(base, node, token, &err);
	if (rest == NULL) {
		fprintf(stderr, "slicepathd: %s: %s: %s\n", file, err.path, err.msg);
		goto out;
	}
	if (cfg->openflow.enabled) {
		node->of = of_client_start(base, node, &err);
		if (node->of == NULL) {
			fprintf(stderr, "slicepathd: %s: %s: %s\n", file, err.path, err.msg);
			goto out;
		}
	}
	sigint = evsignal_new(base, SIGINT, app_on_signal, base);
	sigterm = evsignal_new(base, SIGTERM, app_on_signal, base);
	if (sigint == NULL || sigterm == NULL || event_add(sigint, NULL) != 0 ||
	    event_add(sigterm, NULL) != 0) {
		fprintf(stderr, "slicepathd: cannot handle signals\n");
		goto out;
	}

	CP_LOG(NOTICE, "node %s up: %u interface(s), %u worker(s), API on port %u",
	       cfg->name, cfg->nb_ifaces, cfg->nb_workers, cfg->api.listen.port);
	if (event_base_dispatch(base) < 0)
		fprintf(stderr, "slicepathd: the event loop failed\n");
	else
		status = EXIT_SUCCESS;

out:
	if (sigint != NULL)
		event_free(sigint);
	if (sigterm != NULL)
		event_free(sigterm);
	rest_stop(rest);
	if (node != NULL)
		of_client_stop(node->of);
	dp_gen_stop(gen);
	node_stop(node);
	if (base != NULL)
		event_base_free(base);
	memset(token, 0, sizeof(token));
	return status;
}

int
main(int argc, char **argv)
{
	struct app_options opts = { 0 };
	struct node_config *cfg;
	struct dp_gen *gen = NULL;
	struct sp_error err;
	int eal_argc = argc, rc, status;

	/* DPDK's convention: EAL arguments, then "--", then ours.  Ours are
	 * read first so that a bad configuration fails before EAL starts. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			eal_argc = i;
			break;
		}
	}
	if (eal_argc == argc) {
		app_usage(stderr);
		return EXIT_FAILURE;
	}
	argv[eal_argc] = argv[0];
	if (app_parse_args(argc - eal_argc, argv + eal_argc, &opts) != 0) {
		app_usage(stderr);
		return EXIT_FAILURE;
	}

	cfg = malloc(sizeof(*cfg));
	if (cfg == NULL)
		return EXIT_FAILURE;
	rc = node_config_load(opts.config, cfg, &err);
	if (rc != 0) {
		fprintf(stderr, "slicepathd: %s: %s: %s\n", opts.config, err.path, err.msg);
		free(cfg);
		return EXIT_FAILURE;
	}
	if (opts.check) {
		printf("%s: configuration ok\n", opts.config);
		free(cfg);
		return EXIT_SUCCESS;
	}

	rc = rte_eal_init(eal_argc, argv);
	if (rc < 0) {
		fprintf(stderr, "slicepathd: cannot initialise EAL: %s\n",
			rte_strerror(rte_errno));
		free(cfg);
		return EXIT_FAILURE;
	}
	if (opts.generator != NULL) {
		gen = app_gen_create(opts.generator, cfg);
		if (gen == NULL) {
			free(cfg);
			rte_eal_cleanup();
			return EXIT_FAILURE;
		}
	}
	status = app_run(opts.config, cfg, gen);
	/* After node_stop(): the node's queues held the generator's mbufs. */
	dp_gen_free(gen);
	free(cfg);
	rte_eal_cleanup();
	return status;
}
