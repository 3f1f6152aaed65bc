/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * slicepathd [EAL options] -- --config FILE [--check]
 *
 * Reads and validates the node configuration, initialises EAL, brings the
 * node up (ports, workers) and runs the control plane's event loop on the
 * main lcore until SIGINT or SIGTERM, then takes everything down in reverse.
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

#include "control/log.h"
#include "control/node.h"
#include "control/node_config.h"
#include "control/rest.h"
#include "control/openflow.h"
#include "control/state.h"
#include "control/token.h"

struct app_options {
	const char *config;
	bool check;
};

/* Prints usage to 'f'. */
static void
app_usage(FILE *f)
{
	fprintf(f,
		"usage: slicepathd [EAL options] -- --config FILE [--check]\n"
		"\n"
		"  --config FILE   the node configuration (JSON)\n"
		"  --check         validate the configuration and exit\n"
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

/* SIGINT/SIGTERM: leave the event loop. */
static void
app_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct event_base *base = arg;

	(void)what;
	CP_LOG(NOTICE, "%s: stopping", strsignal(sig));
	event_base_loopbreak(base);
}

/* Runs the control plane until a signal; returns the exit status. */
static int
app_run(const char *file, const struct node_config *cfg)
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
	status = app_run(opts.config, cfg);
	free(cfg);
	rte_eal_cleanup();
	return status;
}
