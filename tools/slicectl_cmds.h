/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_TOOLS_SLICECTL_CMDS_H
#define SP_TOOLS_SLICECTL_CMDS_H

/*
 * slicectl's commands: the table main() looks commands up in, and the
 * context their handlers run with.  A handler reads and checks its local
 * input (files, inline JSON) before its first request, so a bad one sends
 * nothing; it connects on its first request.  Single-threaded.
 */

#include <stdbool.h>
#include <stdio.h>

struct sc_http;
struct sc_coll;

/* Command options, as bits: each one's getopt_long value, and in
 * sc_cmd.opts the ones a command takes. */
enum sc_cmd_opt {
	SC_OPT_CODE_OPTION = 1 << 8,
	SC_OPT_RESERVATION = 1 << 9,
	SC_OPT_FILE = 1 << 10,
	SC_OPT_WATCH = 1 << 11,
	SC_OPT_COUNT = 1 << 12,
	SC_OPT_FIRST = SC_OPT_CODE_OPTION,
	SC_OPT_LAST = SC_OPT_COUNT,
};

/* What the command line asked for (main() fills it), and the connection
 * once made. */
struct sc_ctx {
	char host[256];			/* of the API */
	unsigned int port;
	const char *token_file;		/* --token-file, or NULL */
	unsigned int timeout_s;		/* per request */
	bool json;			/* --json: print the server's JSON */
	unsigned int given;		/* the command options given (bits) */
	const char *code_option;
	const char *reservation;
	const char *file;
	double period;			/* --watch: seconds between refreshes */
	unsigned long count;		/* --count: refreshes; 0 = no end */
	struct sc_http *http;		/* made by the first request */
};

struct sc_cmd;

/* A command's handler: 'args' are its 'nargs' arguments, already counted
 * against the command's limits, and its options only those it takes.
 * Returns the exit status (enum sc_exit). */
typedef int (*sc_handler)(struct sc_ctx *ctx, const struct sc_cmd *cmd,
			  char **args, int nargs);

/* One command. */
struct sc_cmd {
	const char *name;		/* one word, or a group and a word */
	const char *args;		/* its arguments, for the usage line */
	int min_args;
	int max_args;
	unsigned int opts;		/* the command options it takes */
	sc_handler run;
	const struct sc_coll *coll;	/* collection commands only */
	const char *help;		/* what it does, in one line */
};

/* Every command, in the order --help lists them. */
extern const struct sc_cmd sc_cmds[];
extern const size_t sc_ncmds;

/* Prints the usage line of 'cmd' to 'out'. */
void sc_cmd_usage(const struct sc_cmd *cmd, FILE *out);

/* Prints "slicectl: MESSAGE" and the usage line of 'cmd' (a general one
 * if 'cmd' is NULL) to stderr.  Returns SC_EXIT_USAGE. */
int sc_usage_error(const struct sc_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* SP_TOOLS_SLICECTL_CMDS_H */
