/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * slicectl's commands (see slicectl_cmds.h): the command table at the end,
 * one handler per command above it, and what they share: local input,
 * requests with the server's refusals turned into messages, and the
 * statistics view that refreshes itself.
 */

#include "tools/slicectl_cmds.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "tools/slicectl.h"
#include "tools/slicectl_http.h"
#include "tools/slicectl_view.h"

#define SC_ERR_MAX 512
#define SC_CLEAR_SCREEN "\033[H\033[2J"

void
sc_cmd_usage(const struct sc_cmd *cmd, FILE *out)
{
	fprintf(out, "usage: slicectl [OPTIONS] %s%s%s\n", cmd->name,
		cmd->args[0] != '\0' ? " " : "", cmd->args);
}

int
sc_usage_error(const struct sc_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("slicectl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd != NULL)
		sc_cmd_usage(cmd, stderr);
	else
		fprintf(stderr, "usage: slicectl [OPTIONS] COMMAND [ARGUMENTS]"
			" (slicectl --help lists the commands)\n");
	return SC_EXIT_USAGE;
}

/* ---- local input ---------------------------------------------------- */

/* Reads the file 'path' ("-": standard input) into a new string in *text
 * and its length, which may include NULs, in *size (if not NULL).
 * Returns 0, or prints why not and returns SC_EXIT_USAGE. */
static int
sc_read_file(const char *path, char **text, size_t *size)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	size_t len = 0, cap = 4096;
	char *buf;

	if (f == NULL) {
		fprintf(stderr, "slicectl: %s: %s\n", path, strerror(errno));
		return SC_EXIT_USAGE;
	}
	buf = sc_xmalloc(cap);
	for (;;) {
		len += fread(buf + len, 1, cap - len - 1, f);
		if (len + 1 < cap)
			break;
		cap *= 2;
		buf = sc_xrealloc(buf, cap);
	}
	buf[len] = '\0';
	if (ferror(f)) {
		fprintf(stderr, "slicectl: %s: %s\n", path, strerror(errno));
		free(buf);
		buf = NULL;
	}
	if (!is_stdin)
		fclose(f);
	if (size != NULL)
		*size = len;
	*text = buf;
	return buf != NULL ? SC_EXIT_OK : SC_EXIT_USAGE;
}

/* Loads a JSON document from 'arg': the file it names if 'is_file', else
 * inline text or @FILE.  'what' names inline text in messages.  Returns 0
 * with the text (*text, freed by the caller) and, if 'doc' is not NULL, the
 * parsed document; or prints why not and returns SC_EXIT_USAGE. */
static int
sc_load_json(const char *arg, bool is_file, const char *what, char **text,
	     json_t **doc)
{
	const char *source = what;
	json_error_t jerr;
	json_t *parsed;
	int rc;

	if (!is_file && arg[0] == '@') {
		arg++;
		is_file = true;
	}
	if (is_file) {
		source = strcmp(arg, "-") == 0 ? "standard input" : arg;
		rc = sc_read_file(arg, text, NULL);
		if (rc != SC_EXIT_OK)
			return rc;
	} else {
		*text = sc_xstrdup(arg);
	}
	parsed = json_loads(*text, 0, &jerr);
	if (parsed == NULL) {
		fprintf(stderr, "slicectl: %s: not valid JSON: %s (line %d, column %d)\n",
			source, jerr.text, jerr.line, jerr.column);
		free(*text);
		*text = NULL;
		return SC_EXIT_USAGE;
	}
	if (doc != NULL)
		*doc = parsed;
	else
		json_decref(parsed);
	return SC_EXIT_OK;
}

/* Reads the token: --token-file, else $SLICEPATH_TOKEN, else the file
 * $SLICEPATH_TOKEN_FILE; trailing white space is dropped.  Returns 0 with
 * a new string in *token, or prints why not and returns SC_EXIT_USAGE. */
static int
sc_load_token(const struct sc_ctx *ctx, char **token)
{
	const char *file = ctx->token_file;
	const char *env = getenv("SLICEPATH_TOKEN");
	const char *source = "$SLICEPATH_TOKEN";
	const char *bad = NULL;
	size_t len;
	char *t;

	if (file == NULL && (env == NULL || env[0] == '\0'))
		file = getenv("SLICEPATH_TOKEN_FILE");
	if (file != NULL && file[0] != '\0') {
		if (sc_read_file(file, &t, NULL) != SC_EXIT_OK)
			return SC_EXIT_USAGE;
		source = file;
	} else if (env != NULL && env[0] != '\0') {
		t = sc_xstrdup(env);
	} else {
		return sc_usage_error(NULL, "no token: set SLICEPATH_TOKEN or "
				      "SLICEPATH_TOKEN_FILE, or give --token-file FILE");
	}
	len = strlen(t);
	while (len > 0 && strchr(" \t\r\n", t[len - 1]) != NULL)
		t[--len] = '\0';
	if (len == 0)
		bad = "the token is empty";
	for (size_t i = 0; i < len && bad == NULL; i++)
		if (t[i] <= ' ' || t[i] > '~')
			bad = "the token has a character that is not printable ASCII";
	if (bad != NULL) {
		fprintf(stderr, "slicectl: %s: %s\n", source, bad);
		free(t);
		return SC_EXIT_USAGE;
	}
	*token = t;
	return SC_EXIT_OK;
}

/* ---- requests ------------------------------------------------------- */

/* Prints a refusal: "slicectl: STATUS CODE: PATH: MESSAGE" from the
 * API's error body, else the status line. */
static void
sc_print_refusal(const struct sc_http_reply *reply)
{
	json_t *body = reply->body ? json_loads(reply->body, 0, NULL) : NULL;
	json_t *err = json_object_get(body, "error");
	const char *code = json_string_value(json_object_get(err, "code"));
	const char *msg = json_string_value(json_object_get(err, "message"));
	const char *path = json_string_value(json_object_get(err, "path"));

	if (code != NULL && msg != NULL)
		fprintf(stderr, "slicectl: %d %s: %s%s%s\n", reply->status, code,
			path != NULL ? path : "", path != NULL ? ": " : "", msg);
	else
		fprintf(stderr, "slicectl: %d %s\n", reply->status, reply->reason);
	json_decref(body);
}

/* Sends 'method' 'path' with 'body' (JSON text, or NULL), connecting on
 * the first call.  Returns 0 with the parsed reply in *out (NULL if it has
 * no body), or prints what went wrong and returns the exit status. */
static int
sc_request(struct sc_ctx *ctx, enum evhttp_cmd_type method, const char *path,
	   const char *body, json_t **out)
{
	struct sc_http_reply reply;
	char err[SC_ERR_MAX];
	json_error_t jerr;
	char *token = NULL;
	int rc;

	*out = NULL;
	if (ctx->http == NULL) {
		rc = sc_load_token(ctx, &token);
		if (rc != SC_EXIT_OK)
			return rc;
		ctx->http = sc_http_new(ctx->host, ctx->port, token, ctx->timeout_s,
					err, sizeof(err));
		free(token);
		if (ctx->http == NULL) {
			fprintf(stderr, "slicectl: %s\n", err);
			return SC_EXIT_CONNECT;
		}
	}
	if (sc_http_call(ctx->http, method, path, body, &reply, err, sizeof(err)) != 0) {
		fprintf(stderr, "slicectl: %s\n", err);
		return SC_EXIT_CONNECT;
	}
	rc = SC_EXIT_OK;
	if (reply.status < 200 || reply.status > 299) {
		sc_print_refusal(&reply);
		rc = SC_EXIT_SERVER;
	} else if (reply.body != NULL) {
		*out = json_loads(reply.body, 0, &jerr);
		if (*out == NULL) {
			fprintf(stderr, "slicectl: the reply to %s is not JSON: %s\n",
				path, jerr.text);
			rc = SC_EXIT_SERVER;
		}
	}
	sc_http_reply_clear(&reply);
	return rc;
}

/* The path of slice 'name' (URI-encoded), then "/" and 'sub' if not
 * NULL, then "/" and 'id' if not NULL.  The caller frees it. */
static char *
sc_slice_path(const char *name, const char *sub, const char *id)
{
	char *enc = evhttp_uriencode(name, -1, 0);
	char *path;

	if (enc == NULL)
		enc = sc_xstrdup("");
	path = sc_xasprintf("/v1/slices/%s%s%s%s%s", enc, sub ? "/" : "",
			    sub ? sub : "", id ? "/" : "", id ? id : "");
	free(enc);
	return path;
}

/* Sends GET 'path' and prints the document: as JSON with --json, else with
 * 'view'.  Returns the exit status. */
static int
sc_get(struct sc_ctx *ctx, const char *path, void (*view)(json_t *doc))
{
	json_t *doc;
	int rc = sc_request(ctx, EVHTTP_REQ_GET, path, NULL, &doc);

	if (rc == SC_EXIT_OK && ctx->json)
		sc_view_json(doc);
	else if (rc == SC_EXIT_OK)
		view(doc);
	json_decref(doc);
	return rc;
}

/* Sends DELETE 'path' and, unless --json (the reply has no body), prints
 * 'done'.  Returns the exit status. */
static int
sc_delete(struct sc_ctx *ctx, const char *path, const char *done)
{
	json_t *reply;
	int rc = sc_request(ctx, EVHTTP_REQ_DELETE, path, NULL, &reply);

	if (rc == SC_EXIT_OK && !ctx->json)
		printf("%s\n", done);
	json_decref(reply);
	return rc;
}

/* slicectl node */
/* GETs slice 'name' ('sub' NULL) or its 'sub' and shows it with 'view'. */
static int
sc_show(struct sc_ctx *ctx, const char *name, const char *sub, void (*view)(json_t *doc))
{
	char *path = sc_slice_path(name, sub, NULL);
	int rc = sc_get(ctx, path, view);

	free(path);
	return rc;
}

/* DELETEs slice 'name' ('sub' NULL) or its 'sub', saying 'done' (freed). */
static int
sc_remove(struct sc_ctx *ctx, const char *name, const char *sub, char *done)
{
	char *path = sc_slice_path(name, sub, NULL);
	int rc = sc_delete(ctx, path, done);

	free(done);
	free(path);
	return rc;
}

static int
sc_cmd_node(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args, int nargs)
{
	(void)cmd;
	(void)args;
	(void)nargs;
	return sc_get(ctx, "/v1/node", sc_view_node);
}

/* Seconds since an arbitrary start, monotonic. */
static double
sc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fetches the statistics at 'path' every ctx->period seconds, ctx->count
 * times (0: until interrupted), and prints each sample with 'view' under
 * a title line naming 'what', with rates from the sample before.  On a
 * terminal each refresh clears the screen first; elsewhere a blank line
 * separates them.  Stops when stdout cannot be written to.  Returns the
 * exit status. */
static int
sc_watch(struct sc_ctx *ctx, const char *path, const char *what,
	 void (*view)(json_t *doc, const struct sc_rates *rates))
{
	bool tty = isatty(STDOUT_FILENO);
	double start = sc_now(), prev_t = 0;
	json_t *prev = NULL, *doc;
	int rc;

	for (unsigned long n = 1; ; n++) {
		struct sc_rates rates = { .prev = prev };
		char clock[16];
		time_t wall;
		double t, wait;

		rc = sc_request(ctx, EVHTTP_REQ_GET, path, NULL, &doc);
		if (rc != SC_EXIT_OK)
			break;
		t = sc_now();
		rates.dt = t - prev_t;
		prev_t = t;
		if (tty)
			fputs(SC_CLEAR_SCREEN, stdout);
		else if (n > 1 && !ctx->json)
			putchar('\n');
		if (ctx->json) {
			sc_view_json(doc);
		} else {
			wall = time(NULL);
			strftime(clock, sizeof(clock), "%H:%M:%S", localtime(&wall));
			printf("---- %s, %s, every %g s ----\n", what, clock, ctx->period);
			view(doc, &rates);
		}
		json_decref(prev);
		prev = doc;
		if (fflush(stdout) != 0) {
			fprintf(stderr, "slicectl: standard output: %s\n", strerror(errno));
			rc = SC_EXIT_USAGE;
			break;
		}
		if (ctx->count != 0 && n == ctx->count)
			break;
		wait = start + (double)n * ctx->period - sc_now();
		if (wait > 0)
			sc_http_sleep(ctx->http, wait);
	}
	json_decref(prev);
	return rc;
}

/* slicectl stats [SLICE] [--watch [SECONDS]] [--count N] */
static int
sc_cmd_stats(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args, int nargs)
{
	bool watch = ctx->given & (SC_OPT_WATCH | SC_OPT_COUNT);
	void (*view)(json_t *doc, const struct sc_rates *rates);
	char *path, *what;
	json_t *doc;
	int rc;

	(void)cmd;
	path = nargs ? sc_slice_path(args[0], "stats", NULL) : sc_xstrdup("/v1/stats");
	what = nargs ? sc_xasprintf("slice %s", args[0]) : sc_xstrdup("node");
	view = nargs ? sc_view_slice_stats : sc_view_node_stats;
	if (watch) {
		rc = sc_watch(ctx, path, what, view);
	} else {
		rc = sc_request(ctx, EVHTTP_REQ_GET, path, NULL, &doc);
		if (rc == SC_EXIT_OK && ctx->json)
			sc_view_json(doc);
		else if (rc == SC_EXIT_OK)
			view(doc, NULL);
		json_decref(doc);
	}
	free(what);
	free(path);
	return rc;
}

/* ---- slices ---------------------------------------------------------- */

/* slicectl slice list */
static int
sc_cmd_slice_list(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args, int nargs)
{
	(void)cmd;
	(void)args;
	(void)nargs;
	return sc_get(ctx, "/v1/slices", sc_view_slices);
}

/* slicectl slice show NAME */
static int
sc_cmd_slice_show(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args, int nargs)
{
	(void)cmd;
	(void)nargs;
	return sc_show(ctx, args[0], NULL, sc_view_slice);
}

/* Builds the POST /v1/slices document of "slice create" into *text (the
 * caller frees it): FILE's with --file, else one of NAME, --code-option
 * and --reservation (an empty one without it).  Returns 0, or prints why
 * not and returns SC_EXIT_USAGE. */
static int
sc_slice_doc(const struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args,
	     int nargs, char **text)
{
	json_t *res, *doc;
	int rc;

	if (ctx->file != NULL) {
		if (nargs != 0 || ctx->code_option != NULL || ctx->reservation != NULL)
			return sc_usage_error(cmd, "--file gives the whole slice: "
					      "no NAME, --code-option or --reservation");
		return sc_load_json(ctx->file, true, NULL, text, NULL);
	}
	if (nargs != 1 || ctx->code_option == NULL)
		return sc_usage_error(cmd, "a slice needs a NAME and --code-option");
	if (ctx->reservation == NULL) {
		res = json_object();
	} else {
		rc = sc_load_json(ctx->reservation, false, "--reservation", text, &res);
		if (rc != SC_EXIT_OK)
			return rc;
		free(*text);
	}
	doc = json_pack("{s:s, s:s, s:o}", "name", args[0], "code_option",
			ctx->code_option, "reservation", res);
	*text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (*text == NULL)
		return sc_usage_error(cmd, "NAME and --code-option must be UTF-8");
	return SC_EXIT_OK;
}

/* slicectl slice create NAME --code-option OPT [--reservation JSON|@FILE],
 * or slice create --file FILE.  Prints the slice's token, which the server
 * shows this once. */
static int
sc_cmd_slice_create(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args,
		    int nargs)
{
	const char *name, *token;
	json_t *reply;
	char *text;
	int rc;

	rc = sc_slice_doc(ctx, cmd, args, nargs, &text);
	if (rc != SC_EXIT_OK)
		return rc;
	rc = sc_request(ctx, EVHTTP_REQ_POST, "/v1/slices", text, &reply);
	free(text);
	name = json_string_value(json_object_get(reply, "name"));
	token = json_string_value(json_object_get(reply, "token"));
	if (rc == SC_EXIT_OK && ctx->json) {
		sc_view_json(reply);
	} else if (rc == SC_EXIT_OK && name != NULL && token != NULL) {
		printf("slice %s created; its token: %s\n", name, token);
	} else if (rc == SC_EXIT_OK) {
		fprintf(stderr, "slicectl: the reply to POST /v1/slices has no name or token\n");
		rc = SC_EXIT_SERVER;
	}
	json_decref(reply);
	return rc;
}

/* slicectl slice delete NAME */
static int
sc_cmd_slice_delete(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args,
		    int nargs)
{
	(void)cmd;
	(void)nargs;
	return sc_remove(ctx, args[0], NULL, sc_xasprintf("slice %s deleted", args[0]));
}

/* ---- configuration and its collections ------------------------------- */

/* slicectl config show SLICE */
static int
sc_cmd_config_show(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args,
		   int nargs)
{
	(void)cmd;
	(void)nargs;
	return sc_show(ctx, args[0], "config", sc_view_config);
}

/* slicectl config apply SLICE FILE: replaces the whole configuration. */
static int
sc_cmd_config_apply(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args,
		    int nargs)
{
	json_t *reply = NULL;
	char *text, *path;
	int rc;

	(void)cmd;
	(void)nargs;
	rc = sc_load_json(args[1], true, NULL, &text, NULL);
	if (rc != SC_EXIT_OK)
		return rc;
	path = sc_slice_path(args[0], "config", NULL);
	rc = sc_request(ctx, EVHTTP_REQ_PUT, path, text, &reply);
	if (rc == SC_EXIT_OK && ctx->json) {
		sc_view_json(reply);
	} else if (rc == SC_EXIT_OK) {
		printf("slice %s: configuration applied:", args[0]);
		for (size_t i = 0; i < SC_COLL_MAX; i++)
			printf("%s %s %zu", i ? "," : "", sc_colls[i].path,
			       json_array_size(json_object_get(reply, sc_colls[i].path)));
		putchar('\n');
	}
	json_decref(reply);
	free(path);
	free(text);
	return rc;
}

/* slicectl {binding|queue|filter|route} list SLICE */
static int
sc_cmd_coll_list(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args, int nargs)
{
	char *path = sc_slice_path(args[0], cmd->coll->path, NULL);
	json_t *rows;
	int rc = sc_request(ctx, EVHTTP_REQ_GET, path, NULL, &rows);

	(void)nargs;
	if (rc == SC_EXIT_OK && ctx->json)
		sc_view_json(rows);
	else if (rc == SC_EXIT_OK)
		sc_view_coll(cmd->coll, rows);
	json_decref(rows);
	free(path);
	return rc;
}

/* slicectl {binding|...} add SLICE JSON|@FILE: prints the object as stored. */
static int
sc_cmd_coll_add(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args, int nargs)
{
	json_t *reply, *rows;
	char *text, *path;
	int rc;

	(void)nargs;
	rc = sc_load_json(args[1], false, cmd->coll->name, &text, NULL);
	if (rc != SC_EXIT_OK)
		return rc;
	path = sc_slice_path(args[0], cmd->coll->path, NULL);
	rc = sc_request(ctx, EVHTTP_REQ_POST, path, text, &reply);
	if (rc == SC_EXIT_OK && ctx->json) {
		sc_view_json(reply);
	} else if (rc == SC_EXIT_OK) {
		rows = json_pack("[O]", reply);
		sc_view_coll(cmd->coll, rows);
		json_decref(rows);
	}
	json_decref(reply);
	free(path);
	free(text);
	return rc;
}

/* slicectl {binding|...} remove SLICE ID */
static int
sc_cmd_coll_remove(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args,
		   int nargs)
{
	char *path, *done;
	int rc;

	(void)nargs;
	if (args[1][0] == '\0' || strspn(args[1], "0123456789") != strlen(args[1]))
		return sc_usage_error(cmd, "ID must be a number, not '%s'", args[1]);
	path = sc_slice_path(args[0], cmd->coll->path, args[1]);
	done = sc_xasprintf("%s %s removed from slice %s", cmd->coll->name, args[1],
			    args[0]);
	rc = sc_delete(ctx, path, done);
	free(done);
	free(path);
	return rc;
}

/* ---- programs ------------------------------------------------------------ */

/* 'len' bytes at 'p' in base64, as a new string. */
static char *
sc_base64(const unsigned char *p, size_t len)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = sc_xmalloc((len + 2) / 3 * 4 + 1), *o = out;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		*o++ = digits[v >> 18 & 63];
		*o++ = digits[v >> 12 & 63];
		*o++ = i + 1 < len ? digits[v >> 6 & 63] : '=';
		*o++ = i + 2 < len ? digits[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/* PUTs program document 'doc' (taken) to slice 'name' and says what loaded. */
static int
sc_program_put(struct sc_ctx *ctx, const char *name, json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT), *path;
	json_t *reply = NULL;
	int rc;

	json_decref(doc);
	if (text == NULL) {
		fprintf(stderr, "slicectl: out of memory\n");
		return SC_EXIT_USAGE;
	}
	path = sc_slice_path(name, "program", NULL);
	rc = sc_request(ctx, EVHTTP_REQ_PUT, path, text, &reply);
	if (rc == SC_EXIT_OK && ctx->json) {
		sc_view_json(reply);
	} else if (rc == SC_EXIT_OK) {
		json_t *loaded = json_object_get(reply, "loaded");

		printf("slice %s: program loaded, %" JSON_INTEGER_FORMAT " instructions, %s\n",
		       name, json_integer_value(json_object_get(loaded, "instructions")),
		       json_is_true(json_object_get(loaded, "jit")) ? "JIT-compiled" :
		       "interpreted");
	}
	json_decref(reply);
	free(path);
	free(text);
	return rc;
}

/* slicectl program pcap SLICE EXPRESSION */
static int
sc_cmd_program_pcap(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args,
		    int nargs)
{
	(void)cmd;
	(void)nargs;
	return sc_program_put(ctx, args[0], json_pack("{s:s}", "pcap", args[1]));
}

/* slicectl program elf SLICE FILE SECTION */
static int
sc_cmd_program_elf(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args,
		   int nargs)
{
	char *elf, *b64;
	size_t len;
	int rc;

	(void)cmd;
	(void)nargs;
	rc = sc_read_file(args[1], &elf, &len);
	if (rc != SC_EXIT_OK)
		return rc;
	b64 = sc_base64((const unsigned char *)elf, len);
	free(elf);
	rc = sc_program_put(ctx, args[0], json_pack("{s:s, s:s}", "elf_base64", b64,
						    "section", args[2]));
	free(b64);
	return rc;
}

/* slicectl program show SLICE */
static int
sc_cmd_program_show(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args,
		    int nargs)
{
	(void)cmd;
	(void)nargs;
	return sc_show(ctx, args[0], "program", sc_view_json);
}

/* slicectl program remove SLICE */
static int
sc_cmd_program_remove(struct sc_ctx *ctx, const struct sc_cmd *cmd, char **args,
		      int nargs)
{
	(void)cmd;
	(void)nargs;
	return sc_remove(ctx, args[0], "program",
			 sc_xasprintf("slice %s: program removed", args[0]));
}

/* ---- the command table ------------------------------------------------- */

#define SC_COLL_CMDS(word, coll) \
	{ word " list", "SLICE", 1, 1, 0, sc_cmd_coll_list, coll, \
	  "list the slice's " word "s" }, \
	{ word " add", "SLICE JSON|@FILE", 2, 2, 0, sc_cmd_coll_add, coll, \
	  "add a " word " to the slice (POST)" }, \
	{ word " remove", "SLICE ID", 2, 2, 0, sc_cmd_coll_remove, coll, \
	  "remove the slice's " word " ID" }

const struct sc_cmd sc_cmds[] = {
	{ "node", "", 0, 0, 0, sc_cmd_node, NULL,
	  "the node: interfaces, capacity and what is free (admin)" },
	{ "stats", "[SLICE] [--watch [SECONDS]] [--count N]", 0, 1,
	  SC_OPT_WATCH | SC_OPT_COUNT, sc_cmd_stats, NULL,
	  "the node's counters, or SLICE's; --watch refreshes them every SECONDS\n"
	  "      (default 2) with rates, --count stops after N refreshes" },
	{ "slice list", "", 0, 0, 0, sc_cmd_slice_list, NULL,
	  "list the slices (admin)" },
	{ "slice create", "NAME --code-option OPT [--reservation JSON|@FILE] | --file FILE",
	  0, 1, SC_OPT_CODE_OPTION | SC_OPT_RESERVATION | SC_OPT_FILE,
	  sc_cmd_slice_create, NULL,
	  "create a slice, or the slice FILE describes (admin); prints its token" },
	{ "slice show", "NAME", 1, 1, 0, sc_cmd_slice_show, NULL,
	  "show a slice, its reservation and its configuration" },
	{ "slice delete", "NAME", 1, 1, 0, sc_cmd_slice_delete, NULL,
	  "delete a slice and everything in it (admin)" },
	{ "config apply", "SLICE FILE", 2, 2, 0, sc_cmd_config_apply, NULL,
	  "replace the slice's whole configuration with FILE's, in one step" },
	{ "config show", "SLICE", 1, 1, 0, sc_cmd_config_show, NULL,
	  "show the slice's configuration" },
	SC_COLL_CMDS("binding", &sc_colls[SC_COLL_BINDINGS]),
	SC_COLL_CMDS("queue", &sc_colls[SC_COLL_QUEUES]),
	SC_COLL_CMDS("filter", &sc_colls[SC_COLL_FILTERS]),
	SC_COLL_CMDS("route", &sc_colls[SC_COLL_ROUTES]),
	{ "program pcap", "SLICE EXPRESSION", 2, 2, 0, sc_cmd_program_pcap, NULL,
	  "give the slice a pcap-filter program (EXPRESSION on its inner packet)" },
	{ "program elf", "SLICE FILE SECTION", 3, 3, 0, sc_cmd_program_elf, NULL,
	  "give the slice the eBPF program in SECTION of ELF object FILE" },
	{ "program show", "SLICE", 1, 1, 0, sc_cmd_program_show, NULL,
	  "show the slice's program and what was loaded" },
	{ "program remove", "SLICE", 1, 1, 0, sc_cmd_program_remove, NULL,
	  "remove the slice's program" },
};


const size_t sc_ncmds = sizeof(sc_cmds) / sizeof(sc_cmds[0]);
