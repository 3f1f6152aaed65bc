/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/openflow.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <rte_common.h>

#include "control/log.h"
#include "control/node.h"
#include "control/ofp.h"
#include "control/slice.h"

/* Connection timing. */
#define OF_TICK_MS 100
#define OF_BACKOFF_MIN_MS 100
#define OF_BACKOFF_MAX_MS 5000
#define OF_ECHO_MS 5000                 /* an echo request this often */
#define OF_DEAD_MS 15000                /* nothing heard this long: reconnect */

enum of_state {
	OF_DOWN,                /* not connected (waiting to connect or listening) */
	OF_CONNECTING,          /* TCP connect in progress */
	OF_HELLO,               /* HELLO sent, waiting for the switch's */
	OF_FEATURES,            /* FEATURES_REQUEST sent */
	OF_RECONCILE,           /* flow stats requested, replies coming */
	OF_READY,               /* in sync, following changes */
};

static const char *const of_state_names[] = {
	[OF_DOWN] = "disconnected",
	[OF_CONNECTING] = "connecting",
	[OF_HELLO] = "hello",
	[OF_FEATURES] = "features",
	[OF_RECONCILE] = "reconciling",
	[OF_READY] = "connected",
};

/* A set of flows. */
struct of_flows {
	struct ofp_flow *f;
	size_t n;
	size_t cap;
};

struct of_client {
	struct event_base *base;
	struct node *node;
	struct bufferevent *bev;        /* the connection, NULL when down */
	struct evconnlistener *listener;        /* passive mode */
	struct event *tick;
	enum of_state state;
	uint32_t xid;
	uint64_t now_ms;
	uint64_t next_connect_ms;
	uint64_t last_rx_ms;
	uint64_t last_echo_ms;
	unsigned int backoff_ms;
	uint64_t dpid;
	unsigned int connects;
	uint64_t flow_mods;
	uint64_t errors;
	struct of_flows installed;      /* what the switch has, as far as we know */
	uint64_t log_ms;                /* rate limit for peer-caused logs */
	unsigned int log_suppressed;
	char last_error[JV_MSG_MAX];
};

uint64_t
of_cookie(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull;     /* FNV-1a */

	for (const char *p = name; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
	return OF_COOKIE_BASE | (h & ~OF_COOKIE_MASK);
}

static uint64_t
of_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Records, and logs at most once a second, something the switch caused. */
static void __attribute__((format(printf, 2, 3)))
of_note(struct of_client *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->last_error, sizeof(c->last_error), fmt, ap);
	va_end(ap);
	if (c->now_ms - c->log_ms < 1000 && c->log_ms != 0) {
		c->log_suppressed++;
		return;
	}
	if (c->log_suppressed != 0)
		CP_LOG(WARNING, "openflow: %u more message(s) suppressed", c->log_suppressed);
	CP_LOG(WARNING, "openflow: %s", c->last_error);
	c->log_ms = c->now_ms;
	c->log_suppressed = 0;
}

/* Adds f to set s.  Returns 0 or -ENOMEM. */
static int
of_flows_add(struct of_flows *s, const struct ofp_flow *f)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct ofp_flow *n = realloc(s->f, cap * sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		s->f = n;
		s->cap = cap;
	}
	s->f[s->n++] = *f;
	return 0;
}

/* True if a and b are the same flow: cookie, priority, match and output. */
static bool
of_flow_same(const struct ofp_flow *a, const struct ofp_flow *b)
{
	const struct ofp_match *x = &a->match, *y = &b->match;

	return a->cookie == b->cookie && a->priority == b->priority &&
	       a->out_port == b->out_port && x->fields == y->fields &&
	       x->in_port == y->in_port && x->eth_type == y->eth_type &&
	       x->ip_proto == y->ip_proto && x->ipv4_dst == y->ipv4_dst &&
	       x->udp_dst == y->udp_dst;
}

static bool
of_flows_has(const struct of_flows *s, const struct ofp_flow *f)
{
	for (size_t i = 0; i < s->n; i++)
		if (of_flow_same(&s->f[i], f))
			return true;
	return false;
}

/* The flows the node wants: one per binding of every slice. */
static int
of_flows_wanted(const struct node *node, struct of_flows *out)
{
	for (unsigned int i = 0; i < SP_MAX_SLICES; i++) {
		const struct slice *s = node->slices[i];

		if (s == NULL)
			continue;
		for (unsigned int id = 0; id < SP_MAX_BINDINGS_PER_SLICE; id++) {
			const struct binding_config *b = &s->cfg->bindings[id];
			struct ofp_flow f = {
				.cookie = of_cookie(s->name),
				.priority = OF_PRIORITY_BINDING,
				.match = {
					.fields = OFP_M_IN_PORT | OFP_M_ETH_TYPE | OFP_M_IP_PROTO |
						  OFP_M_IPV4_DST | OFP_M_UDP_DST,
					.in_port = node->cfg.openflow.uplink_port,
					.eth_type = 0x0800,
					.ip_proto = 17,
					.ipv4_dst = node->cfg.ifaces[b->iface].ipv4,
					.udp_dst = b->udp_port,
				},
				.out_port = node->cfg.openflow.node_port,
			};

			if (s->cfg->present[id] && of_flows_add(out, &f) != 0)
				return -ENOMEM;
		}
	}
	return 0;
}

static void of_disconnect(struct of_client *c, const char *why);

/* Queues one encoded message (len from an encoder) for the switch. */
static void
of_send(struct of_client *c, const uint8_t *msg, int len)
{
	if (len > 0 && c->bev != NULL)
		bufferevent_write(c->bev, msg, (size_t)len);
}

/* Sends FLOW_MOD 'command' for f. */
static void
of_send_flow_mod(struct of_client *c, uint8_t command, const struct ofp_flow *f,
		 uint64_t cookie_mask)
{
	uint8_t msg[256];

	of_send(c, msg, ofp_encode_flow_mod(msg, sizeof(msg), ++c->xid, command, f, cookie_mask));
	c->flow_mods++;
}

/* Makes the switch's flows in the node's cookie space the wanted ones:
 * deletes the rest, adds what is missing, then asks for a barrier. */
static void
of_sync(struct of_client *c)
{
	struct of_flows want = { 0 };
	uint8_t msg[64];

	if (c->state != OF_READY)
		return;
	if (of_flows_wanted(c->node, &want) != 0) {
		free(want.f);
		of_note(c, "out of memory computing the flows");
		return;
	}
	for (size_t i = 0; i < c->installed.n; i++) {
		const struct ofp_flow *f = &c->installed.f[i];

		if (of_flows_has(&want, f))
			continue;
		if (f->match.fields & OFP_M_OTHER || f->out_port == 0) {
			/* Not a shape the node writes: remove its cookie's
			 * flows and write the wanted ones of that cookie again. */
			struct ofp_flow any = { .cookie = f->cookie };

			of_send_flow_mod(c, OFPFC_DELETE, &any, ~0ull);
			for (size_t j = 0; j < c->installed.n; j++)
				if (c->installed.f[j].cookie == f->cookie)
					c->installed.f[j].cookie = 0;
		} else {
			of_send_flow_mod(c, OFPFC_DELETE_STRICT, f, ~0ull);
		}
	}
	for (size_t i = 0; i < want.n; i++)
		if (!of_flows_has(&c->installed, &want.f[i]))
			of_send_flow_mod(c, OFPFC_ADD, &want.f[i], 0);
	of_send(c, msg, ofp_encode_header_only(msg, sizeof(msg), OFPT_BARRIER_REQUEST, ++c->xid));
	free(c->installed.f);
	c->installed = want;
}

void
of_client_sync(struct of_client *c)
{
	if (c != NULL)
		of_sync(c);
}

/* Collects one flow of a flow stats reply into the installed set. */
static int
of_collect(const struct ofp_flow *f, void *arg)
{
	struct of_client *c = arg;

	/* The request asked for the node's cookie space only. */
	if ((f->cookie & OF_COOKIE_MASK) != OF_COOKIE_BASE)
		return 0;
	return of_flows_add(&c->installed, f);
}

/* Acts on one whole message from the switch. */
static void
of_handle(struct of_client *c, const uint8_t *msg, const struct ofp_header *h)
{
	uint8_t out[256];
	char name[64];
	bool has_13, more;
	struct ofp_header about;
	uint16_t type, code;
	int rc;

	if (h->type != OFPT_HELLO && h->version != OFP_VERSION) {
		of_note(c, "the switch sent a version %u message", h->version);
		of_disconnect(c, "wrong version");
		return;
	}
	switch (h->type) {
	case OFPT_HELLO:
		if (c->state != OF_HELLO)
			return;
		if (ofp_decode_hello(msg, h->length, &has_13) != 0 || !has_13) {
			of_note(c, "the switch does not speak OpenFlow 1.3");
			of_disconnect(c, "version negotiation failed");
			return;
		}
		of_send(c, out, ofp_encode_header_only(out, sizeof(out), OFPT_FEATURES_REQUEST,
						       ++c->xid));
		c->state = OF_FEATURES;
		return;
	case OFPT_ERROR:
		c->errors++;
		if (ofp_decode_error(msg, h->length, &type, &code, &about) != 0) {
			of_note(c, "the switch sent a malformed ERROR");
			of_disconnect(c, "malformed message");
			return;
		}
		of_note(c, "the switch refused message type %u (xid %" PRIu32 "): %s",
			about.type, about.xid, ofp_error_str(type, code, name, sizeof(name)));
		if (c->state == OF_HELLO)
			of_disconnect(c, "refused our HELLO");
		return;
	case OFPT_ECHO_REQUEST:
		of_send(c, out, ofp_encode_echo(out, sizeof(out), OFPT_ECHO_REPLY, h->xid,
						msg + OFP_HEADER_LEN,
						RTE_MIN((size_t)h->length - OFP_HEADER_LEN,
							sizeof(out) - OFP_HEADER_LEN)));
		return;
	case OFPT_FEATURES_REPLY:
		if (c->state != OF_FEATURES)
			return;
		if (ofp_decode_features_reply(msg, h->length, &c->dpid) != 0) {
			of_note(c, "the switch sent a malformed FEATURES_REPLY");
			of_disconnect(c, "malformed message");
			return;
		}
		c->installed.n = 0;
		of_send(c, out, ofp_encode_flow_stats_request(out, sizeof(out), ++c->xid,
							      OF_COOKIE_BASE, OF_COOKIE_MASK));
		c->state = OF_RECONCILE;
		return;
	case OFPT_MULTIPART_REPLY:
		if (c->state != OF_RECONCILE)
			return;
		rc = ofp_decode_flow_stats_reply(msg, h->length, &more, of_collect, c);
		if (rc != 0) {
			of_note(c, "the switch sent a flow stats reply the node cannot read");
			of_disconnect(c, "malformed message");
			return;
		}
		if (!more) {
			c->state = OF_READY;
			c->backoff_ms = OF_BACKOFF_MIN_MS;
			CP_LOG(INFO, "openflow: in sync with datapath %016" PRIx64 ": %zu flow(s) "
			       "of the node found", c->dpid, c->installed.n);
			of_sync(c);
		}
		return;
	default:
		/* ECHO_REPLY, BARRIER_REPLY and the rest: being heard is enough. */
		return;
	}
}

/* Reads whole messages off the connection. */
static void
of_on_read(struct bufferevent *bev, void *arg)
{
	struct of_client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	c->now_ms = of_clock_ms();
	c->last_rx_ms = c->now_ms;
	while (c->bev == bev) {
		uint8_t hdr[OFP_HEADER_LEN];
		struct ofp_header h;
		const uint8_t *msg;

		if (evbuffer_copyout(in, hdr, sizeof(hdr)) != (ev_ssize_t)sizeof(hdr))
			return;
		if (ofp_header_parse(hdr, sizeof(hdr), &h) != 0) {
			of_note(c, "the switch sent a message %u bytes long", h.length);
			of_disconnect(c, "malformed message");
			return;
		}
		if (evbuffer_get_length(in) < h.length)
			return;
		msg = evbuffer_pullup(in, h.length);
		if (msg == NULL) {
			of_disconnect(c, "out of memory");
			return;
		}
		of_handle(c, msg, &h);
		if (c->bev == bev)
			evbuffer_drain(in, h.length);
	}
}

/* Sends our HELLO on a new connection. */
static void
of_start_session(struct of_client *c)
{
	uint8_t msg[64];

	c->state = OF_HELLO;
	c->connects++;
	c->last_rx_ms = c->last_echo_ms = c->now_ms;
	of_send(c, msg, ofp_encode_hello(msg, sizeof(msg), ++c->xid));
}

static void
of_on_event(struct bufferevent *bev, short what, void *arg)
{
	struct of_client *c = arg;

	(void)bev;
	c->now_ms = of_clock_ms();
	if (what & BEV_EVENT_CONNECTED) {
		CP_LOG(INFO, "openflow: connected to the switch");
		of_start_session(c);
		return;
	}
	if (what & BEV_EVENT_EOF)
		of_disconnect(c, "the switch closed the connection");
	else if (what & BEV_EVENT_ERROR)
		of_disconnect(c, strerror(EVUTIL_SOCKET_ERROR()));
}

/* Drops the connection; an active client tries again after the backoff. */
static void
of_disconnect(struct of_client *c, const char *why)
{
	if (c->bev == NULL)
		return;
	of_note(c, "connection lost: %s", why);
	bufferevent_free(c->bev);
	c->bev = NULL;
	c->state = OF_DOWN;
	c->next_connect_ms = c->now_ms + c->backoff_ms;
	c->backoff_ms = RTE_MIN(c->backoff_ms * 2, (unsigned int)OF_BACKOFF_MAX_MS);
}

/* Starts a connection to the switch (active mode). */
static void
of_connect(struct of_client *c)
{
	const struct jv_endpoint *ep = &c->node->cfg.openflow.addr;
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(ep->port),
		.sin_addr.s_addr = ep->ip,
	};

	c->bev = bufferevent_socket_new(c->base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		c->next_connect_ms = c->now_ms + OF_BACKOFF_MAX_MS;
		return;
	}
	bufferevent_setcb(c->bev, of_on_read, NULL, of_on_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->state = OF_CONNECTING;
	if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		of_disconnect(c, "cannot connect");
}

/* Passive mode: the switch connected; it replaces any earlier connection. */
static void
of_on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
	     int socklen, void *arg)
{
	struct of_client *c = arg;

	(void)l;
	(void)sa;
	(void)socklen;
	c->now_ms = of_clock_ms();
	of_disconnect(c, "the switch connected again");
	c->bev = bufferevent_socket_new(c->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		evutil_closesocket(fd);
		return;
	}
	bufferevent_setcb(c->bev, of_on_read, NULL, of_on_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	CP_LOG(INFO, "openflow: the switch connected");
	of_start_session(c);
}

/* Every OF_TICK_MS: reconnects, echoes, and gives up on a silent switch. */
static void
of_on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct of_client *c = arg;
	uint8_t msg[64];

	(void)fd;
	(void)what;
	c->now_ms = of_clock_ms();
	if (c->bev == NULL) {
		if (c->listener == NULL && c->now_ms >= c->next_connect_ms)
			of_connect(c);
		return;
	}
	if (c->state < OF_HELLO)
		return;
	if (c->now_ms - c->last_rx_ms > OF_DEAD_MS) {
		of_disconnect(c, "no reply to echo requests");
		return;
	}
	if (c->now_ms - c->last_echo_ms >= OF_ECHO_MS) {
		c->last_echo_ms = c->now_ms;
		of_send(c, msg, ofp_encode_echo(msg, sizeof(msg), OFPT_ECHO_REQUEST, ++c->xid,
						NULL, 0));
	}
}

struct of_client *
of_client_start(struct event_base *base, struct node *node, struct sp_error *err)
{
	const struct jv_endpoint *ep = &node->cfg.openflow.addr;
	struct timeval tick = { 0, OF_TICK_MS * 1000 };
	struct of_client *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		jv_fail(err, "$.openflow", "out of memory");
		return NULL;
	}
	c->base = base;
	c->node = node;
	c->backoff_ms = OF_BACKOFF_MIN_MS;
	c->now_ms = of_clock_ms();
	if (node->cfg.openflow.passive) {
		struct sockaddr_in sa = {
			.sin_family = AF_INET,
			.sin_port = htons(ep->port),
			.sin_addr.s_addr = ep->ip,
		};

		c->listener = evconnlistener_new_bind(base, of_on_accept, c,
						      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
						      4, (struct sockaddr *)&sa, sizeof(sa));
		if (c->listener == NULL) {
			jv_fail(err, "$.openflow.switch", "cannot listen on port %u: %s",
				ep->port, strerror(errno));
			free(c);
			return NULL;
		}
	}
	c->tick = event_new(base, -1, EV_PERSIST, of_on_tick, c);
	if (c->tick == NULL || event_add(c->tick, &tick) != 0) {
		jv_fail(err, "$.openflow", "cannot start its timer");
		of_client_stop(c);
		return NULL;
	}
	return c;
}

void
of_client_stop(struct of_client *c)
{
	if (c == NULL)
		return;
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	if (c->listener != NULL)
		evconnlistener_free(c->listener);
	if (c->tick != NULL)
		event_free(c->tick);
	free(c->installed.f);
	free(c);
}

json_t *
of_client_to_json(const struct of_client *c)
{
	const struct node_config *cfg = &c->node->cfg;
	char ip[INET_ADDRSTRLEN], target[64], dpid[24];

	snprintf(target, sizeof(target), "%s:%s:%u", cfg->openflow.passive ? "ptcp" : "tcp",
		 jv_ipv4_str(cfg->openflow.addr.ip, ip, sizeof(ip)), cfg->openflow.addr.port);
	snprintf(dpid, sizeof(dpid), "%016" PRIx64, c->dpid);
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s}",
			 "switch", target,
			 "state", c->state == OF_DOWN && c->listener != NULL ? "listening" :
				  of_state_names[c->state],
			 "datapath_id", dpid,
			 "node_port", (json_int_t)cfg->openflow.node_port,
			 "uplink_port", (json_int_t)cfg->openflow.uplink_port,
			 "flows", (json_int_t)(c->state == OF_READY ? c->installed.n : 0),
			 "connects", (json_int_t)c->connects,
			 "errors", (json_int_t)c->errors,
			 "last_error", c->last_error);
}
