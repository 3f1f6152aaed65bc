/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

/*
 * slicectl's HTTP client (see slicectl_http.h).
 *
 * libevent's evhttp does the HTTP; this file adds what a command-line tool
 * needs around it: synchronous calls on one event_base, and a message for
 * a person when no reply comes.  evhttp reports a failed connection only as
 * a request without a status, so after one the client connects once more by
 * itself (sc_http_probe()) to learn the reason the system gives.
 */

#include "tools/slicectl_http.h"

#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "tools/slicectl.h"

#define SC_HTTP_WHERE_MAX 300	/* "[host]:port" */

struct sc_http {
	struct event_base *base;
	struct evhttp_connection *conn;
	struct sockaddr_storage addr;	/* the API's address, for the probe */
	socklen_t addrlen;
	char where[SC_HTTP_WHERE_MAX];	/* host:port, for messages and Host */
	char *auth;			/* the Authorization header's value */
	unsigned int timeout_s;
};

/* One request in flight: what its callbacks found. */
struct sc_http_pending {
	struct sc_http_reply *reply;
	bool done;			/* the request's callback ran */
	bool failed;			/* ... without a status */
	bool errored;			/* the error callback ran, with 'error' */
	enum evhttp_request_error error;
};

/* Seconds since an arbitrary start, monotonic. */
static double
sc_http_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct sc_http *
sc_http_new(const char *host, unsigned int port, const char *token,
	    unsigned int timeout_s, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
	char numeric[NI_MAXHOST], service[16];
	struct addrinfo *ai = NULL;
	struct sc_http *h;
	int rc;

	snprintf(service, sizeof(service), "%u", port);
	rc = getaddrinfo(host, service, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "cannot resolve %s: %s", host,
			 gai_strerror(rc));
		return NULL;
	}
	h = sc_xmalloc(sizeof(*h));
	memset(h, 0, sizeof(*h));
	memcpy(&h->addr, ai->ai_addr, ai->ai_addrlen);
	h->addrlen = ai->ai_addrlen;
	freeaddrinfo(ai);
	snprintf(h->where, sizeof(h->where),
		 strchr(host, ':') != NULL ? "[%s]:%u" : "%s:%u", host, port);
	h->auth = sc_xasprintf("Bearer %s", token);
	h->timeout_s = timeout_s;

	/* evhttp gets the address already resolved, so that it connects to
	 * the one the probe tries. */
	rc = getnameinfo((struct sockaddr *)&h->addr, h->addrlen, numeric,
			 sizeof(numeric), NULL, 0, NI_NUMERICHOST);
	h->base = event_base_new();
	if (rc == 0 && h->base != NULL)
		h->conn = evhttp_connection_base_new(h->base, NULL, numeric,
						     (ev_uint16_t)port);
	if (h->conn == NULL) {
		snprintf(err, errlen, "cannot set up a connection to %s",
			 h->where);
		sc_http_free(h);
		return NULL;
	}
	evhttp_connection_set_timeout(h->conn, (int)timeout_s);
	return h;
}

void
sc_http_free(struct sc_http *h)
{
	if (h == NULL)
		return;
	if (h->conn != NULL)
		evhttp_connection_free(h->conn);
	if (h->base != NULL)
		event_base_free(h->base);
	free(h->auth);
	free(h);
}

/* evhttp's callback when a request ends: keeps the status, the reason and
 * a copy of the body in the pending call 'arg', or marks it failed. */
static void
sc_http_done(struct evhttp_request *req, void *arg)
{
	struct sc_http_pending *p = arg;
	struct sc_http_reply *reply = p->reply;
	struct evbuffer *in;
	const char *line;

	p->done = true;
	if (req == NULL || evhttp_request_get_response_code(req) == 0) {
		p->failed = true;
		return;
	}
	reply->status = evhttp_request_get_response_code(req);
	line = evhttp_request_get_response_code_line(req);
	snprintf(reply->reason, sizeof(reply->reason), "%s",
		 line != NULL ? line : "");
	in = evhttp_request_get_input_buffer(req);
	reply->len = evbuffer_get_length(in);
	if (reply->len > 0) {
		reply->body = sc_xmalloc(reply->len + 1);
		evbuffer_remove(in, reply->body, reply->len);
		reply->body[reply->len] = '\0';
	}
}

/* evhttp's error callback: records why the request in 'arg' failed. */
static void
sc_http_error(enum evhttp_request_error error, void *arg)
{
	struct sc_http_pending *p = arg;

	p->errored = true;
	p->error = error;
}

/* Runs the loop until '*flag' is set; false if the loop ran dry first. */
static bool
sc_http_run_until(struct event_base *base, const bool *flag)
{
	while (!*flag)
		if (event_base_loop(base, EVLOOP_ONCE) != 0)
			return *flag;
	return true;
}

/* The probe's event: the connection finished ('arg' gets its error, 0 if
 * none) or timed out. */
static void
sc_http_probe_done(evutil_socket_t fd, short what, void *arg)
{
	int *result = arg;
	socklen_t len = sizeof(*result);

	if (what & EV_TIMEOUT)
		*result = ETIMEDOUT;
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, result, &len) != 0)
		*result = errno;
}

/* Connects to the API once, on the client's loop, to learn why evhttp
 * could not.  Returns the connection's errno value, or 0 if it connects. */
static int
sc_http_probe(struct sc_http *h)
{
	struct timeval tv = { .tv_sec = h->timeout_s };
	int result = -1;
	bool done = false;
	int fd;

	fd = socket(h->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&h->addr, h->addrlen) == 0)
		result = 0;
	else if (errno != EINPROGRESS)
		result = errno;
	else if (event_base_once(h->base, fd, EV_WRITE, sc_http_probe_done,
				 &result, &tv) != 0)
		result = EIO;
	while (result < 0 && !done)
		done = event_base_loop(h->base, EVLOOP_ONCE) != 0;
	close(fd);
	return result < 0 ? EIO : result;
}

/* Writes into 'err' why the request 'p', sent 'elapsed' seconds ago, got
 * no reply. */
static void
sc_http_explain(struct sc_http *h, const struct sc_http_pending *p,
		double elapsed, char *err, size_t errlen)
{
	int e;

	if (p->errored && p->error == EVREQ_HTTP_TIMEOUT) {
		snprintf(err, errlen, "no reply from %s within %u s", h->where,
			 h->timeout_s);
		return;
	}
	if (p->errored && p->error == EVREQ_HTTP_INVALID_HEADER) {
		snprintf(err, errlen, "%s sent an invalid HTTP reply", h->where);
		return;
	}
	if (elapsed >= h->timeout_s) {
		snprintf(err, errlen, "cannot connect to %s: no answer within %u s",
			 h->where, h->timeout_s);
		return;
	}
	e = sc_http_probe(h);
	if (e != 0)
		snprintf(err, errlen, "cannot connect to %s: %s", h->where,
			 strerror(e));
	else
		snprintf(err, errlen, "%s closed the connection without a reply",
			 h->where);
}

int
sc_http_call(struct sc_http *h, enum evhttp_cmd_type method, const char *path,
	     const char *body, struct sc_http_reply *reply, char *err,
	     size_t errlen)
{
	struct sc_http_pending p = { .reply = reply };
	struct evhttp_request *req;
	struct evkeyvalq *hdrs;
	double start;

	memset(reply, 0, sizeof(*reply));
	req = evhttp_request_new(sc_http_done, &p);
	if (req == NULL) {
		snprintf(err, errlen, "cannot make a request: out of memory");
		return -1;
	}
	evhttp_request_set_error_cb(req, sc_http_error);
	hdrs = evhttp_request_get_output_headers(req);
	evhttp_add_header(hdrs, "Host", h->where);
	evhttp_add_header(hdrs, "Authorization", h->auth);
	evhttp_add_header(hdrs, "Accept", "application/json");
	evhttp_add_header(hdrs, "User-Agent", "slicectl");
	if (body != NULL) {
		evhttp_add_header(hdrs, "Content-Type", "application/json");
		evbuffer_add(evhttp_request_get_output_buffer(req), body,
			     strlen(body));
	}
	start = sc_http_now();
	/* On failure evhttp has run the callback, or owns nothing more. */
	if (evhttp_make_request(h->conn, req, method, path) != 0)
		p.failed = true;
	else if (!sc_http_run_until(h->base, &p.done))
		p.failed = true;
	if (!p.failed)
		return 0;
	sc_http_reply_clear(reply);
	sc_http_explain(h, &p, sc_http_now() - start, err, errlen);
	return -1;
}

void
sc_http_reply_clear(struct sc_http_reply *reply)
{
	free(reply->body);
	reply->body = NULL;
	reply->len = 0;
}

/* The sleep's timer: sets the flag 'arg'. */
static void
sc_http_wake(evutil_socket_t fd, short what, void *arg)
{
	bool *woken = arg;

	(void)fd;
	(void)what;
	*woken = true;
}

void
sc_http_sleep(struct sc_http *h, double seconds)
{
	struct timeval tv;
	bool woken = false;

	tv.tv_sec = (time_t)seconds;
	tv.tv_usec = (suseconds_t)((seconds - (double)tv.tv_sec) * 1e6);
	if (event_base_once(h->base, -1, EV_TIMEOUT, sc_http_wake, &woken, &tv) == 0)
		sc_http_run_until(h->base, &woken);
}
