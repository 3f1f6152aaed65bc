/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_TOOLS_SLICECTL_HTTP_H
#define SP_TOOLS_SLICECTL_HTTP_H

/*
 * slicectl's HTTP client, on libevent: one event_base and one keep-alive
 * evhttp connection to the API.  Calls are synchronous: each runs the event
 * loop until its reply arrives, the connection fails or the timeout passes.
 * Single-threaded; one client per process is what slicectl uses.
 */

#include <stddef.h>

#include <event2/http.h>

struct sc_http;

/* A reply: the status, its reason phrase and the body. */
struct sc_http_reply {
	int status;
	char reason[64];
	char *body;		/* NUL-terminated (malloc'd), or NULL if empty */
	size_t len;
};

/* Opens a client for the API at 'host' (a name or an address) and 'port',
 * sending 'token' as its bearer token and giving up on a request after
 * 'timeout_s' seconds.  Returns the client, or NULL with a message for a
 * person in 'err' (the host does not resolve, or libevent failed). */
struct sc_http *sc_http_new(const char *host, unsigned int port,
			    const char *token, unsigned int timeout_s,
			    char *err, size_t errlen);

/* Closes the connection and frees the client; NULL is allowed. */
void sc_http_free(struct sc_http *h);

/* Sends one request for 'path' (already URI-encoded) with 'body' as JSON
 * if it is not NULL.  Returns 0 with the reply in *reply (free it with
 * sc_http_reply_clear()) whatever its status, or -1 with a message in 'err'
 * when no reply came: the connection was refused or closed, or timed out. */
int sc_http_call(struct sc_http *h, enum evhttp_cmd_type method,
		 const char *path, const char *body,
		 struct sc_http_reply *reply, char *err, size_t errlen);

/* Frees the body of 'reply'. */
void sc_http_reply_clear(struct sc_http_reply *reply);

/* Runs the client's event loop for 'seconds' (> 0), doing nothing else. */
void sc_http_sleep(struct sc_http *h, double seconds);

#endif /* SP_TOOLS_SLICECTL_HTTP_H */
