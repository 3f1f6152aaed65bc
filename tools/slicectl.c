/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * slicectl: the command-line client of slicepathd's REST API, for the node
 * operator and for slice owners (docs/api.md; slicectl --help).
 *
 * main() parses every option with getopt_long (options may come anywhere
 * on the line), finds the command in sc_cmds (slicectl_cmds.c), checks the
 * number of its arguments and that it takes the command options given,
 * and runs its handler.
 */

#include "tools/slicectl.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/slicectl_cmds.h"
#include "tools/slicectl_http.h"

#define SC_API_DEFAULT "127.0.0.1:8080"
#define SC_TIMEOUT_DEFAULT 10		/* seconds per request */
#define SC_TIMEOUT_MAX 3600
#define SC_WATCH_DEFAULT 2.0		/* seconds between refreshes */
#define SC_WATCH_MIN 0.001
#define SC_WATCH_MAX 86400.0
#define SC_COUNT_MAX 1e9

/* getopt_long values of the global options; the command options' are
 * their bits (enum sc_cmd_opt). */
enum sc_opt {
	SC_OPT_API = 1,
	SC_OPT_TOKEN_FILE,
	SC_OPT_JSON,
	SC_OPT_TIMEOUT,
	SC_OPT_HELP = 'h',
};

static const struct option sc_options[] = {
	{ "api", required_argument, NULL, SC_OPT_API },
	{ "token-file", required_argument, NULL, SC_OPT_TOKEN_FILE },
	{ "json", no_argument, NULL, SC_OPT_JSON },
	{ "timeout", required_argument, NULL, SC_OPT_TIMEOUT },
	{ "help", no_argument, NULL, SC_OPT_HELP },
	{ "code-option", required_argument, NULL, SC_OPT_CODE_OPTION },
	{ "reservation", required_argument, NULL, SC_OPT_RESERVATION },
	{ "file", required_argument, NULL, SC_OPT_FILE },
	{ "watch", optional_argument, NULL, SC_OPT_WATCH },
	{ "count", required_argument, NULL, SC_OPT_COUNT },
	{ NULL, 0, NULL, 0 },
};

/* The command line, once parsed: the context handlers get and the rest. */
struct sc_args {
	struct sc_ctx ctx;
	const char *api;		/* --api, or NULL */
	bool help;
};

void *
sc_xmalloc(size_t size)
{
	return sc_xrealloc(NULL, size);
}

void *
sc_xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size != 0 ? size : 1);

	if (q == NULL) {
		fprintf(stderr, "slicectl: out of memory\n");
		exit(SC_EXIT_USAGE);
	}
	return q;
}

char *
sc_xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(sc_xmalloc(len), s, len);
}

char *
sc_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		fprintf(stderr, "slicectl: out of memory\n");
		exit(SC_EXIT_USAGE);
	}
	return s;
}

/* Prints the whole help to 'out'. */
static void
sc_usage(FILE *out)
{
	fprintf(out,
		"usage: slicectl [OPTIONS] COMMAND [ARGUMENTS]\n"
		"\n"
		"The command-line client of slicepathd's REST API.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sc_ncmds; i++)
		fprintf(out, "  %s%s%s\n      %s\n", sc_cmds[i].name,
			sc_cmds[i].args[0] != '\0' ? " " : "", sc_cmds[i].args,
			sc_cmds[i].help);
	fprintf(out,
		"\n"
		"Options:\n"
		"  --api HOST:PORT    the API (default $SLICEPATH_API, else "
		SC_API_DEFAULT ")\n"
		"  --token-file FILE  read the token from FILE (default: the token in\n"
		"                     $SLICEPATH_TOKEN, else the file $SLICEPATH_TOKEN_FILE)\n"
		"  --json             print the server's JSON instead of tables\n"
		"  --timeout SECONDS  give up on a request after SECONDS (default %d)\n"
		"  -h, --help         this help; after a command, that command's usage\n"
		"\n"
		"JSON is given inline or as @FILE; a FILE of - is standard input.\n"
		"\n"
		"Exit status: 0 done; 1 the server refused (its status, code, JSON path\n"
		"and message are shown) or sent a reply that is not JSON; 2 a usage\n"
		"error or a local file that cannot be read or is not JSON (nothing is\n"
		"sent); 3 the API cannot be reached.\n",
		SC_TIMEOUT_DEFAULT);
}

/* Splits 'api' (HOST:PORT or [IPV6]:PORT, an http:// before it allowed)
 * into ctx->host and ctx->port.  Returns 0 or SC_EXIT_USAGE. */
static int
sc_parse_api(struct sc_ctx *ctx, const char *api, const char *source)
{
	const char *host = api, *colon;
	size_t hostlen;
	char *end;
	unsigned long port;

	if (strncmp(host, "http://", 7) == 0)
		host += 7;
	colon = strrchr(host, ':');
	if (colon == NULL)
		return sc_usage_error(NULL, "%s: expected HOST:PORT, not '%s'", source, api);
	hostlen = (size_t)(colon - host);
	if (host[0] == '[' && hostlen >= 2 && host[hostlen - 1] == ']') {
		host++;
		hostlen -= 2;
	}
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (hostlen == 0 || hostlen >= sizeof(ctx->host) || errno != 0 ||
	    end == colon + 1 || (*end != '\0' && strcmp(end, "/") != 0) ||
	    port == 0 || port > 65535)
		return sc_usage_error(NULL, "%s: expected HOST:PORT, not '%s'", source, api);
	memcpy(ctx->host, host, hostlen);
	ctx->host[hostlen] = '\0';
	ctx->port = (unsigned int)port;
	return SC_EXIT_OK;
}

/* Whether the command 'name' (one or two words) is words[0..nwords-1]'s
 * start; *used gets how many words it takes. */
static bool
sc_cmd_matches(const char *name, char **words, int nwords, int *used)
{
	const char *space = strchr(name, ' ');
	size_t len = space ? (size_t)(space - name) : strlen(name);

	if (nwords < 1 || strlen(words[0]) != len || strncmp(name, words[0], len) != 0)
		return false;
	if (space == NULL) {
		*used = 1;
		return true;
	}
	*used = 2;
	return nwords >= 2 && strcmp(space + 1, words[1]) == 0;
}

/* Whether 'cmd' is one of the group of commands named 'word' ("slice"). */
static bool
sc_cmd_in_group(const struct sc_cmd *cmd, const char *word)
{
	size_t len = strlen(word);

	return strncmp(cmd->name, word, len) == 0 && cmd->name[len] == ' ';
}

/* Finds the command that 'words' start with; *used gets its number of
 * words.  If there is none, prints why, and the usage of the group named
 * by the first word if there is one (to stdout if that is what 'help'
 * asked for: "slicectl slice --help"), and returns NULL. */
static const struct sc_cmd *
sc_cmd_find(char **words, int nwords, int *used, bool help)
{
	FILE *out = help && nwords == 1 ? stdout : stderr;
	bool group = false;

	for (size_t i = 0; i < sc_ncmds; i++) {
		if (sc_cmd_matches(sc_cmds[i].name, words, nwords, used))
			return &sc_cmds[i];
		group |= sc_cmd_in_group(&sc_cmds[i], words[0]);
	}
	if (!group) {
		sc_usage_error(NULL, "unknown command '%s'", words[0]);
		return NULL;
	}
	if (nwords > 1)
		fprintf(stderr, "slicectl: unknown command '%s %s'\n", words[0], words[1]);
	else if (!help)
		fprintf(stderr, "slicectl: %s: which command?\n", words[0]);
	for (size_t i = 0; i < sc_ncmds; i++)
		if (sc_cmd_in_group(&sc_cmds[i], words[0]))
			sc_cmd_usage(&sc_cmds[i], out);
	return NULL;
}

/* The name of the option whose getopt value is 'val', for messages. */
static const char *
sc_opt_name(int val)
{
	for (const struct option *o = sc_options; o->name != NULL; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

/* Parses a number in [min, max] from 'arg' for --'what'; returns 0 or
 * SC_EXIT_USAGE. */
static int
sc_parse_number(const char *arg, const char *what, double min, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !(*out >= min && *out <= max))
		return sc_usage_error(NULL, "--%s: expected a number from %.10g to %.10g, not '%s'",
				      what, min, max, arg);
	return SC_EXIT_OK;
}

/* Parses the options of argv into 'a', leaving the other arguments at
 * argv[optind...].  Returns 0 or SC_EXIT_USAGE. */
static int
sc_parse_options(int argc, char **argv, struct sc_args *a)
{
	struct sc_ctx *ctx = &a->ctx;
	double num;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", sc_options, NULL)) != -1) {
		int rc = SC_EXIT_OK;

		if (c >= SC_OPT_FIRST)
			ctx->given |= (unsigned int)c;
		switch (c) {
		case SC_OPT_API: a->api = optarg; break;
		case SC_OPT_TOKEN_FILE: ctx->token_file = optarg; break;
		case SC_OPT_JSON: ctx->json = true; break;
		case SC_OPT_HELP: a->help = true; break;
		case SC_OPT_CODE_OPTION: ctx->code_option = optarg; break;
		case SC_OPT_RESERVATION: ctx->reservation = optarg; break;
		case SC_OPT_FILE: ctx->file = optarg; break;
		case SC_OPT_TIMEOUT:
			rc = sc_parse_number(optarg, "timeout", 1, SC_TIMEOUT_MAX, &num);
			ctx->timeout_s = (unsigned int)num;
			break;
		case SC_OPT_COUNT:
			rc = sc_parse_number(optarg, "count", 1, SC_COUNT_MAX, &num);
			ctx->count = (unsigned long)num;
			break;
		case SC_OPT_WATCH:
			/* The period may be the next argument: --watch 0.5.
			 * Slice names start with a letter. */
			if (optarg == NULL && optind < argc && argv[optind][0] != '\0' &&
			    strchr("0123456789.", argv[optind][0]) != NULL)
				optarg = argv[optind++];
			if (optarg != NULL)
				rc = sc_parse_number(optarg, "watch", SC_WATCH_MIN,
						     SC_WATCH_MAX, &ctx->period);
			break;
		default:
			return sc_usage_error(NULL, "unknown option, or one without "
					      "its argument: '%s'", argv[optind - 1]);
		}
		if (rc != SC_EXIT_OK)
			return rc;
	}
	return SC_EXIT_OK;
}

/* Checks the 'nargs' arguments and the command options of 'ctx' against
 * what 'cmd' takes.  Returns 0 or SC_EXIT_USAGE. */
static int
sc_check_cmd(const struct sc_cmd *cmd, const struct sc_ctx *ctx, int nargs)
{
	unsigned int extra = ctx->given & ~cmd->opts;

	if (nargs < cmd->min_args || nargs > cmd->max_args)
		return sc_usage_error(cmd, "%s: %s arguments", cmd->name,
				      nargs < cmd->min_args ? "missing" : "too many");
	for (unsigned int bit = SC_OPT_FIRST; bit <= SC_OPT_LAST; bit <<= 1)
		if (extra & bit)
			return sc_usage_error(cmd, "%s does not take --%s", cmd->name,
					      sc_opt_name((int)bit));
	return SC_EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct sc_args a = {
		.ctx = { .timeout_s = SC_TIMEOUT_DEFAULT, .period = SC_WATCH_DEFAULT },
	};
	const char *api = getenv("SLICEPATH_API"), *api_source = "$SLICEPATH_API";
	const struct sc_cmd *cmd;
	int nargs, used = 0, rc;
	char **args;

	/* evhttp writes with writev(): a connection the server closed must be
	 * an error to handle, not the end of the process. */
	signal(SIGPIPE, SIG_IGN);
	rc = sc_parse_options(argc, argv, &a);
	if (rc != SC_EXIT_OK)
		return rc;
	args = argv + optind;
	nargs = argc - optind;
	if (nargs == 0 || (nargs == 1 && strcmp(args[0], "help") == 0)) {
		bool asked = a.help || nargs == 1;

		sc_usage(asked ? stdout : stderr);
		return asked ? SC_EXIT_OK : SC_EXIT_USAGE;
	}
	cmd = sc_cmd_find(args, nargs, &used, a.help);
	if (cmd == NULL)
		return a.help && nargs == 1 ? SC_EXIT_OK : SC_EXIT_USAGE;
	if (a.help) {
		sc_cmd_usage(cmd, stdout);
		printf("%s\n", cmd->help);
		return SC_EXIT_OK;
	}
	args += used;
	nargs -= used;
	rc = sc_check_cmd(cmd, &a.ctx, nargs);
	if (rc != SC_EXIT_OK)
		return rc;
	if (a.api != NULL) {
		api = a.api;
		api_source = "--api";
	} else if (api == NULL || api[0] == '\0') {
		api = SC_API_DEFAULT;
	}
	rc = sc_parse_api(&a.ctx, api, api_source);
	if (rc == SC_EXIT_OK)
		rc = cmd->run(&a.ctx, cmd, args, nargs);
	sc_http_free(a.ctx.http);
	return rc;
}
