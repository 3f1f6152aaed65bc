/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <rte_common.h>

#include "control/config_json.h"
#include "control/log.h"
#include "control/node.h"
#include "control/slice_json.h"
#include "control/token.h"
#include "pm/pm.h"

#define STATE_VERSION 1
#define STATE_SUBDIR "slices"
#define STATE_SUFFIX ".json"
#define STATE_TMP_SUFFIX ".json.tmp"

/* The keys of a state file; their values are checked by the parsers the
 * API uses. */
static const char *const state_keys[] = {
	"version", "name", "code_option", "reservation", "token_sha256", "config",
};

/* Sets *err like jv_fail() and returns 'rc'. */
#define STATE_FAIL(rc, err, ...) (jv_fail((err), "$", __VA_ARGS__), (rc))

/* Writes <state_dir>/slices[/name + suffix] into buf. */
static int
state_path(const struct node *node, const char *name, const char *suffix, char *buf,
	   size_t size)
{
	int n = name == NULL ?
		snprintf(buf, size, "%s/" STATE_SUBDIR, node->cfg.state_dir) :
		snprintf(buf, size, "%s/" STATE_SUBDIR "/%s%s", node->cfg.state_dir, name,
			 suffix);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* fsyncs directory 'dir', so a rename or unlink in it is durable. */
static int
state_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) != 0)
		rc = -errno;
	close(fd);
	return rc;
}

int
state_init(struct node *node, struct sp_error *err)
{
	char dir[PATH_MAX];

	if (state_path(node, NULL, NULL, dir, sizeof(dir)) != 0)
		return jv_fail(err, "$.state_dir", "path too long");
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		int rc = -errno;

		jv_fail(err, "$.state_dir", "cannot create %s: %s", dir, strerror(errno));
		return rc;
	}
	node->state_on = true;
	return 0;
}

/* Writes all of 'text' to fd. */
static int
state_write_all(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Replaces file 'path' with 'text': temporary file, fsync, rename, fsync
 * of the directory. */
static int
state_replace(const char *path, const char *tmp, const char *dir, const char *text)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), rc;

	if (fd < 0)
		return -errno;
	rc = state_write_all(fd, text, strlen(text));
	if (rc == 0 && fsync(fd) != 0)
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0) {
		unlink(tmp);
		return rc;
	}
	return state_sync_dir(dir);
}

int
state_slice_save(const struct node *node, const struct slice *s,
		 const struct reservation *res, const struct slice_config *cfg,
		 struct sp_error *err)
{
	char path[PATH_MAX], tmp[PATH_MAX], dir[PATH_MAX], hash[TOKEN_HASH_HEX + 1];
	char *text;
	json_t *doc;
	int rc;

	if (!node->state_on)
		return 0;
	if (state_path(node, s->name, STATE_SUFFIX, path, sizeof(path)) != 0 ||
	    state_path(node, s->name, STATE_TMP_SUFFIX, tmp, sizeof(tmp)) != 0 ||
	    state_path(node, NULL, NULL, dir, sizeof(dir)) != 0)
		return STATE_FAIL(-ENAMETOOLONG, err, "the state directory's path is too long");
	doc = json_pack("{s:i, s:s, s:s, s:o*, s:s, s:o*}", "version", STATE_VERSION,
			"name", s->name, "code_option", s->pm->name,
			"reservation", reservation_to_json(node, res),
			"token_sha256", token_hash_hex(&s->token, hash),
			"config", slice_config_to_json(node, cfg));
	text = doc != NULL ? json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	if (text == NULL)
		return STATE_FAIL(-ENOMEM, err, "out of memory saving the slice");
	rc = state_replace(path, tmp, dir, text);
	free(text);
	if (rc != 0)
		return STATE_FAIL(rc, err, "cannot save the slice to %s: %s", path,
				  strerror(-rc));
	return 0;
}

int
state_slice_remove(const struct node *node, const char *name, struct sp_error *err)
{
	char path[PATH_MAX], dir[PATH_MAX];
	int rc;

	if (!node->state_on)
		return 0;
	if (state_path(node, name, STATE_SUFFIX, path, sizeof(path)) != 0 ||
	    state_path(node, NULL, NULL, dir, sizeof(dir)) != 0)
		return STATE_FAIL(-ENAMETOOLONG, err, "the state directory's path is too long");
	if (unlink(path) != 0 && errno != ENOENT) {
		rc = -errno;
		return STATE_FAIL(rc, err, "cannot remove %s: %s", path, strerror(-rc));
	}
	rc = state_sync_dir(dir);
	if (rc != 0)
		return STATE_FAIL(rc, err, "cannot sync %s: %s", dir, strerror(-rc));
	return 0;
}

/* Notes that 'file' did not load, and why. */
static void
state_error(struct node *node, const char *file, const char *where, const char *why)
{
	CP_LOG(ERR, "state: %s: %s%s%s; the slice is not loaded", file, where,
	       where[0] != '\0' ? ": " : "", why);
	if (node->nb_state_errors < NODE_STATE_ERRORS_MAX) {
		struct node_state_error *e = &node->state_errors[node->nb_state_errors++];

		snprintf(e->file, sizeof(e->file), "%s", file);
		snprintf(e->reason, sizeof(e->reason), "%s%s%s", where,
			 where[0] != '\0' ? ": " : "", why);
	}
}

/* Loads one state file, 'path' (named 'file' in messages).  Returns 0 or
 * -1 with the reason recorded. */
static int
state_load_one(struct node *node, const char *path, const char *file)
{
	struct slice_params p;
	struct slice_config *cfg;
	struct slice *s = NULL;
	struct sp_error err = { "", "" };
	json_error_t jerr;
	json_t *doc, *params;
	const char *hash;
	size_t len = strlen(file) - strlen(STATE_SUFFIX);

	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		snprintf(err.msg, sizeof(err.msg), "line %d, column %d: %s", jerr.line,
			 jerr.column, jerr.text);
		state_error(node, file, "", err.msg);
		return -1;
	}
	/* Every key must be there, and no other. */
	for (size_t i = 0; i < RTE_DIM(state_keys); i++)
		if (json_object_get(doc, state_keys[i]) == NULL)
			snprintf(err.path, sizeof(err.path), "$.%s", state_keys[i]);
	if (err.path[0] != '\0' || json_object_size(doc) != RTE_DIM(state_keys)) {
		state_error(node, file, err.path[0] ? err.path : "$",
			    err.path[0] ? "missing" : "unknown keys");
		goto fail;
	}
	if (!json_is_integer(json_object_get(doc, "version")) ||
	    json_integer_value(json_object_get(doc, "version")) != STATE_VERSION) {
		state_error(node, file, "$.version", "not a state file version this node reads");
		goto fail;
	}
	hash = json_string_value(json_object_get(doc, "token_sha256"));
	params = json_pack("{s:O, s:O, s:O}", "name", json_object_get(doc, "name"),
			   "code_option", json_object_get(doc, "code_option"),
			   "reservation", json_object_get(doc, "reservation"));
	if (params == NULL || slice_params_parse(node, params, &p, &err) != 0) {
		json_decref(params);
		state_error(node, file, err.path, err.msg[0] ? err.msg : "out of memory");
		goto fail;
	}
	json_decref(params);
	if (hash == NULL || token_hash_parse(hash, &p.token) != 0) {
		state_error(node, file, "$.token_sha256", "expected 64 lower-case hex digits");
		goto fail;
	}
	if (strlen(p.name) != len || strncmp(p.name, file, len) != 0) {
		state_error(node, file, "$.name", "does not match the file's name");
		goto fail;
	}
	if (slice_create(node, &p, &s, &err) != 0) {
		state_error(node, file, err.path, err.msg);
		goto fail;
	}
	cfg = slice_config_parse(node, s, json_object_get(doc, "config"), &err);
	if (cfg == NULL || slice_config_apply(node, s, cfg, &err) != 0) {
		char where[JV_PATH_MAX];

		/* The configuration's paths start at its own "$". */
		snprintf(where, sizeof(where), "$.config%.*s", JV_PATH_MAX - 10, err.path + 1);
		state_error(node, file, where, err.msg);
		slice_delete(node, s, &err);
		goto fail;
	}
	json_decref(doc);
	return 0;
fail:
	json_decref(doc);
	return -1;
}

unsigned int
state_load(struct node *node)
{
	char dir[PATH_MAX], path[PATH_MAX];
	unsigned int loaded = 0;
	bool on = node->state_on;
	struct dirent **names;
	int n;

	if (state_path(node, NULL, NULL, dir, sizeof(dir)) != 0)
		return 0;
	/* Sorted, so slices load in the same order every time. */
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return 0;
	node->state_on = false;
	for (int i = 0; i < n; i++) {
		const char *file = names[i]->d_name;
		size_t len = strlen(file);

		if (len > strlen(STATE_TMP_SUFFIX) &&
		    strcmp(file + len - strlen(STATE_TMP_SUFFIX), STATE_TMP_SUFFIX) == 0) {
			/* A save that never got to its rename. */
			if (snprintf(path, sizeof(path), "%s/%s", dir, file) < (int)sizeof(path))
				unlink(path);
		} else if (len > strlen(STATE_SUFFIX) &&
			   strcmp(file + len - strlen(STATE_SUFFIX), STATE_SUFFIX) == 0 &&
			   snprintf(path, sizeof(path), "%s/%s", dir, file) < (int)sizeof(path)) {
			if (state_load_one(node, path, file) == 0)
				loaded++;
		}
		free(names[i]);
	}
	free(names);
	node->state_on = on;
	CP_LOG(INFO, "state: %u slice(s) loaded from %s, %u not", loaded, dir,
	       node->nb_state_errors);
	return loaded;
}
