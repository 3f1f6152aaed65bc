#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Persistence: every acknowledged change survives a restart or a crash,
and nothing else does.

Usage: test_persist.py PATH-TO-SLICEPATHD

Each section starts slicepathd on two net_null ports (no privileges needed)
with its own state directory, and restarts it on the same state directory
and node file.  What the daemon did is read over HTTP and from the files
in <state_dir>/slices (one <name>.json per slice, see control/state.h).

 1. test_restart: slices of both code options (passthrough, ipv4) with
    reservations (bandwidth on one or both interfaces), bindings with each
    kind of default action, queues with non-default weights and limits,
    filters in both match forms, routes with and without a queue, made by a
    mix of PUT config, POSTs of single elements, DELETEs, a reservation PUT
    and a deleted slice.  After SIGTERM and a new start: GET /v1/slices,
    each slice's GET, GET config and collections, and GET /v1/node "free"
    equal what they were; every slice token still works for its own slice
    and gets another slice's 404 for the others; the deleted slice's token
    is unknown (401); the admin token works; the state files hold
    "token_sha256" (the SHA-256 of the token) and no token in the clear.
 2. test_kill9: a thread sends a random stream of up to 200 mutating
    requests (slice creates and deletes, PUT config, PUT reservation,
    POST/DELETE of bindings, queues, filters and routes; a few meant to be
    refused), and keeps, per slice, what GET must show after each 2xx
    (from the replies) and the request in flight.  After a random number
    of acknowledgements the daemon gets SIGKILL; a new one starts on the
    same state directory.  Every slice must be exactly its last
    acknowledged state, except that the one slice with a request in flight
    may instead be exactly what that request would have made; a slice whose
    deletion was acknowledged must not come back; no *.tmp file is left;
    state_errors is empty; the files on disk say what GET says; the tokens
    of the acknowledged slices work.  Several rounds, different seeds.
 3. test_corrupt: with the daemon stopped, one slice's file is cut in half,
    one overwritten with garbage, one names another slice, one has a bad
    token_sha256, one an unknown key, one a version this node does not read,
    one lacks "config", one's configuration takes a UDP port a good slice
    holds, one reserves more than the node has; a stray *.json.tmp and a
    non-JSON file lie next to them.  After a restart: the good slices load
    with their configurations and tokens; GET /v1/node "state_errors" lists
    each bad file once by name with a reason (and the log names it); the
    daemon serves; the bad files are left as they were, byte for byte; the
    *.tmp file is gone.
 4. test_refusals: a table of refused requests (400, 401, 403, 404, 405,
    409, 413, 415 of many kinds, on every kind of resource); around each,
    every file in <state_dir>/slices keeps its bytes, inode and mtime, no
    file appears or goes, and GET /v1/slices, each slice's GET and GET
    /v1/node "free" are unchanged.

Every daemon must exit 0 on SIGTERM (except those killed on purpose) and
leave no sanitizer report or panic in its log.

Prints "N passed, M failed" as the last line; exits non-zero on any failure.
"""

import copy
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import sys
import threading
import time
import traceback

import sptest

ADMIN = sptest.ADMIN_TOKEN
IFACES = [sptest.iface("eth0", "net_null0", "192.0.2.1"),
          sptest.iface("eth1", "net_null1", "198.51.100.1")]
VDEVS = ["net_null0,no-rx=1", "net_null1,no-rx=1"]
MAX_BODY = 65536
CAPACITY = {"filters": 1024, "queues": 64, "buffers": 4096}     # sptest.node_config()
BAD_LOG = r"AddressSanitizer|LeakSanitizer|runtime error|Segmentation|PANIC"

c = sptest.Checks()
BIN = None


class Node:
    """One node file and state directory; daemons started on it one after
    another (same port, same --file-prefix)."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.cfg = sptest.node_config(tmp, sptest.free_port(), IFACES)
        self.cfg["api"]["max_body_bytes"] = MAX_BODY
        self.slices_dir = os.path.join(self.cfg["state_dir"], "slices")
        self.d = None
        self.runs = 0

    def start(self):
        self.runs += 1
        self.d = sptest.Daemon(BIN, self.tmp, self.cfg, VDEVS)
        return self.d

    def _log(self, what):
        with open(self.d.log_path, errors="replace") as f:
            log = f.read()
        shutil.copy(self.d.log_path, f"{self.d.log_path}.{self.runs}")
        c.check(not re.search(BAD_LOG, log),
                f"{what}: no sanitizer report or panic in the log:\n{log[-3000:]}")
        return log

    def stop(self, what):
        """SIGTERM; checks the exit status and the log; returns the log."""
        c.equal(self.d.stop(), 0, f"{what}: exit status after SIGTERM")
        return self._log(what)

    def kill9(self, what):
        self.d.proc.send_signal(signal.SIGKILL)
        self.d.proc.wait()
        self.d.log.close()
        return self._log(what)

    def req(self, method, path, body=None, token=ADMIN, **kw):
        return self.d.request(method, path, body=body, token=token, **kw)

    def files(self):
        """{file name: bytes} of <state_dir>/slices."""
        out = {}
        for f in sorted(os.listdir(self.slices_dir)):
            with open(os.path.join(self.slices_dir, f), "rb") as fh:
                out[f] = fh.read()
        return out

    def close(self):
        if self.d is not None:
            self.d.kill()


def ok(node, what, method, path, status, body=None, token=ADMIN, **kw):
    st, _, reply = node.req(method, path, body=body, token=token, **kw)
    c.equal(st, status, f"{what}: status (reply {reply!r})")
    return reply


def api_state(node):
    """What GET shows: the slices (by name), each slice's documents, and the
    node's "free" and slice count."""
    st, _, lst = node.req("GET", "/v1/slices")
    snap = {"GET /v1/slices status": st}
    names = []
    if isinstance(lst, list):
        snap["GET /v1/slices"] = sorted(lst, key=lambda s: str(s.get("name")))
        names = [s.get("name") for s in lst]
    else:
        snap["GET /v1/slices"] = lst
    for n in names:
        for sub in ("", "/config", "/bindings", "/queues", "/filters", "/routes"):
            p = f"/v1/slices/{n}{sub}"
            st, _, body = node.req("GET", p)
            snap[f"GET {p}"] = (st, body)
    st, _, nd = node.req("GET", "/v1/node")
    snap["GET /v1/node"] = (st, nd.get("free"), nd.get("slices")) if isinstance(nd, dict) \
        else (st, nd)
    return snap


def compare_snap(what, before, after):
    if before == after:
        c.check(True, f"{what}: unchanged")
        return
    for k in sorted(set(before) | set(after)):
        if before.get(k) != after.get(k):
            c.check(False, f"{what}: {k} differs:\n    before {before.get(k)!r}\n"
                    f"    after  {after.get(k)!r}")


def sha256_hex(s):
    return hashlib.sha256(s.encode()).hexdigest()


def fwd(binding, peer, queue=None):
    f = {"binding": binding, "peer": peer}
    if queue is not None:
        f["queue"] = queue
    return {"forward": f}


# --------------------------------------------------------------------------
# 1. A clean restart

RA_RES = {"filters": 20, "queues": 4, "buffers": 512,
          "bandwidth": {"eth0": {"in_bps": 1_000_000_000, "out_bps": 2_000_000_000},
                        "eth1": {"in_bps": 0, "out_bps": 500_000_000}}}
RA_CONFIG = {
    "bindings": [
        {"id": 0, "interface": "eth0", "udp_port": 6000,
         "default_action": fwd(1, "198.51.100.2:6000", 0)},
        {"id": 1, "interface": "eth0", "udp_port": 6001, "default_action": {"drop": {}}},
        {"id": 2, "interface": "eth1", "udp_port": 6002,
         "default_action": {"exception": {}}}],
    "queues": [
        {"id": 0, "binding": 1, "weight": 30, "limit_packets": 512, "limit_bytes": 65536},
        {"id": 5, "binding": 2, "weight": 7, "limit_packets": 100, "limit_bytes": 200000}],
    "filters": [
        {"id": 7, "priority": 10,
         "match": {"binding": 0, "src": "10.0.0.0/8", "dst": "192.168.1.0/24",
                   "protocol": 17, "src_port": [0, 65535], "dst_port": [53, 53]},
         "action": fwd(1, "198.51.100.9:7000", 0)},
        {"id": 3, "priority": 5, "match": {"dst": "10.2.0.0/16"}, "action": {"drop": {}}},
        {"id": 4, "priority": 5, "match": {}, "action": {"exception": {}}}],
    "routes": [
        {"id": 0, "prefix": "10.1.0.0/16", "binding": 1, "peer": "198.51.100.7:5000",
         "queue": 0},
        {"id": 2, "prefix": "0.0.0.0/0", "binding": 2, "peer": "198.51.100.8:5000"}],
}
KEY = "0123456789abcdef012345670000"
MASK = "ffffffffffffffffffffffff0000"


def populate(node):
    """Slices ra (ipv4), pb (passthrough), rc (ipv4), pd (passthrough) and
    the deleted 'gone', built by a mix of requests; returns their tokens."""
    tokens = {}
    for name, opt, res in [
            ("ra", "ipv4", RA_RES),
            ("pb", "passthrough",
             {"filters": 10, "queues": 2, "buffers": 100,
              "bandwidth": {"eth1": {"in_bps": 3_000_000_000, "out_bps": 1_000_000_000}}}),
            ("rc", "ipv4", {"filters": 5, "queues": 0, "buffers": 0, "bandwidth": {}}),
            ("gone", "ipv4", {"filters": 2, "queues": 1, "buffers": 10,
                              "bandwidth": {"eth0": {"in_bps": 5, "out_bps": 5}}}),
            ("pd", "passthrough", {"filters": 0, "queues": 0, "buffers": 0,
                                   "bandwidth": {}})]:
        body = ok(node, f"create {name}", "POST", "/v1/slices", 201,
                  body={"name": name, "code_option": opt, "reservation": res})
        tokens[name] = body.get("token") if isinstance(body, dict) else None

    ra, tra = "/v1/slices/ra", tokens["ra"]
    ok(node, "ra: PUT config", "PUT", f"{ra}/config", 200, body=RA_CONFIG, token=tra)
    got = ok(node, "ra: POST binding", "POST", f"{ra}/bindings", 201,
             body={"interface": "eth1", "udp_port": 6003})
    c.equal(got, {"id": 3, "interface": "eth1", "udp_port": 6003}, "ra: binding 3")
    got = ok(node, "ra: POST queue (edges)", "POST", f"{ra}/queues", 201, token=tra,
             body={"binding": 3, "weight": 10000, "limit_packets": 65536, "limit_bytes": 64})
    c.equal(got, {"id": 1, "binding": 3, "weight": 10000, "limit_packets": 65536,
                  "limit_bytes": 64}, "ra: queue 1")
    got = ok(node, "ra: POST filter", "POST", f"{ra}/filters", 201,
             body={"priority": 1, "match": {"src": "10.9.9.9"},
                   "action": fwd(3, "203.0.113.5:9", 1)})
    c.equal(got.get("id") if isinstance(got, dict) else got, 0, "ra: filter gets id 0")
    ok(node, "ra: POST route", "POST", f"{ra}/routes", 201, token=tra,
       body={"prefix": "10.3.0.0/24", "binding": 3, "peer": "198.51.100.10:1", "queue": 1})
    ok(node, "ra: DELETE filter 4", "DELETE", f"{ra}/filters/4", 204)
    ok(node, "ra: DELETE route 2", "DELETE", f"{ra}/routes/2", 204, token=tra)
    ok(node, "ra: DELETE queue 5", "DELETE", f"{ra}/queues/5", 204)
    got = ok(node, "ra: PUT reservation", "PUT", f"{ra}/reservation", 200,
             body={"filters": 24, "queues": 6, "buffers": 600,
                   "bandwidth": {"eth0": {"in_bps": 1_500_000_000, "out_bps": 2_000_000_000}}})

    pb, tpb = "/v1/slices/pb", tokens["pb"]
    ok(node, "pb: binding 0", "POST", f"{pb}/bindings", 201,
       body={"id": 0, "interface": "eth0", "udp_port": 6100})
    ok(node, "pb: binding 1", "POST", f"{pb}/bindings", 201, token=tpb,
       body={"id": 1, "interface": "eth1", "udp_port": 6100,
             "default_action": fwd(0, "198.51.100.70:7000")})
    got = ok(node, "pb: queue 3 (defaults)", "POST", f"{pb}/queues", 201,
             body={"id": 3, "binding": 0})
    c.equal(got, {"id": 3, "binding": 0, "weight": 1, "limit_packets": 1024,
                  "limit_bytes": 1048576}, "pb: queue 3 with its defaults")
    for body in [{"id": 0, "priority": 1, "match": {"key": KEY, "mask": MASK},
                  "action": {"drop": {}}},
                 {"priority": 2, "match": {"binding": 1, "key": "ABCDEF" + "0" * 22,
                                           "mask": "F" * 28},
                  "action": fwd(0, "198.51.100.70:7000", 3)},
                 {"id": 9, "priority": 4, "match": {}, "action": {"drop": {}}},
                 {"id": 5, "priority": 4, "match": {"binding": 0},
                  "action": {"exception": {}}}]:
        ok(node, f"pb: filter {body.get('id')}", "POST", f"{pb}/filters", 201, body=body,
           token=tpb)
    ok(node, "pb: DELETE filter 9", "DELETE", f"{pb}/filters/9", 204)

    rc = "/v1/slices/rc"
    ok(node, "rc: PUT config", "PUT", f"{rc}/config", 200,
       body={"bindings": [{"id": 0, "interface": "eth0", "udp_port": 6200},
                          {"id": 1, "interface": "eth1", "udp_port": 6201}],
             "routes": [{"id": 0, "prefix": "10.100.0.0/16", "binding": 1,
                         "peer": "198.51.100.20:20"}]})
    ok(node, "rc: PUT config again", "PUT", f"{rc}/config", 200, token=tokens["rc"],
       body={"bindings": [{"id": 0, "interface": "eth1", "udp_port": 6200}],
             "routes": [{"id": 4, "prefix": "10.200.0.0/16", "binding": 0,
                         "peer": "198.51.100.20:20"}]})
    got = ok(node, "rc: POST filter (its last change)", "POST", f"{rc}/filters", 201,
             body={"priority": 3, "match": {"protocol": 6, "dst_port": [80, 443]},
                   "action": {"drop": {}}})

    ok(node, "gone: binding", "POST", "/v1/slices/gone/bindings", 201,
       body={"interface": "eth0", "udp_port": 6300})
    ok(node, "DELETE gone", "DELETE", "/v1/slices/gone", 204)

    ok(node, "pd: PUT {}", "PUT", "/v1/slices/pd/config", 200, body={})
    ok(node, "pd: binding", "POST", "/v1/slices/pd/bindings", 201, token=tokens["pd"],
       body={"interface": "eth0", "udp_port": 6400, "default_action": {"exception": {}}})
    return tokens


def check_files(node, what, tokens, expect_names, state):
    """The state files: one per slice, each saying what GET says, with the
    token's hash and no token in the clear (anywhere in the state dir)."""
    files = node.files()
    c.equal(sorted(files), sorted(f"{n}.json" for n in expect_names),
            f"{what}: the files in {node.slices_dir}")
    everything = b""
    for root, _, names in os.walk(node.cfg["state_dir"]):
        for f in names:
            with open(os.path.join(root, f), "rb") as fh:
                everything += fh.read()
    for name, tok in list(tokens.items()) + [("admin", ADMIN)]:
        if tok:
            c.check(tok.encode() not in everything,
                    f"{what}: {name}'s token is in the clear in the state directory")
    for name in expect_names:
        raw = files.get(f"{name}.json", b"")
        c.check(b"token_sha256" in raw, f"{what}: {name}.json holds token_sha256")
        try:
            doc = json.loads(raw)
        except ValueError as e:
            c.check(False, f"{what}: {name}.json is not JSON: {e}")
            continue
        if tokens.get(name):
            c.equal(doc.get("token_sha256"), sha256_hex(tokens[name]),
                    f"{what}: {name}.json token_sha256 is the SHA-256 of the token")
        slice_ = state.get(f"GET /v1/slices/{name}", (None, {}))[1] or {}
        for k in ("name", "code_option", "reservation", "config"):
            c.equal(doc.get(k), slice_.get(k), f"{what}: {name}.json {k} is what GET says")


def test_restart():
    with sptest.tempdir() as tmp:
        node = Node(tmp)
        try:
            node.start()
            tokens = populate(node)
            names = ["pb", "pd", "ra", "rc"]
            before = api_state(node)
            c.equal(sorted(s["name"] for s in before["GET /v1/slices"]), names,
                    "restart: the slices before")
            ra = before["GET /v1/slices/ra"][1]
            c.equal(ra.get("reservation"),
                    {"filters": 24, "queues": 6, "buffers": 600,
                     "bandwidth": {"eth0": {"in_bps": 1_500_000_000,
                                            "out_bps": 2_000_000_000}}},
                    "restart: ra's reservation after its PUT")
            c.equal([q["id"] for q in ra.get("config", {}).get("queues", [])], [0, 1],
                    "restart: ra's queues before")
            order_before = [s["name"] for s in node.req("GET", "/v1/slices")[2]]
            node.stop("restart: first daemon")
            check_files(node, "restart: after SIGTERM", tokens, names, before)

            node.start()
            after = api_state(node)
            compare_snap("restart: GET documents after the restart", before, after)
            order_after = [s["name"] for s in node.req("GET", "/v1/slices")[2]]
            if order_before != order_after:
                print(f"NOTE: GET /v1/slices lists the slices in another order after a "
                      f"restart: {order_before} before, {order_after} after", flush=True)
            nd = node.req("GET", "/v1/node")
            c.equal(nd[0], 200, "restart: the admin token works")
            c.equal(nd[2].get("state_errors") if isinstance(nd[2], dict) else nd[2], [],
                    "restart: no state_errors")
            c.equal(os.listdir(node.slices_dir).count("gone.json"), 0,
                    "restart: no file for the deleted slice")
            missing = ok(node, "restart: GET a missing slice", "GET", "/v1/slices/nosuch",
                         404, token=tokens["ra"])
            for name in names:
                t = tokens[name]
                st, _, got = node.req("GET", f"/v1/slices/{name}", token=t)
                c.equal((st, got), before[f"GET /v1/slices/{name}"],
                        f"restart: {name}'s token reads {name}")
                st, _, got = node.req("GET", f"/v1/slices/{name}/config", token=t)
                c.equal((st, got), before[f"GET /v1/slices/{name}/config"],
                        f"restart: {name}'s token reads its config")
                for other in names:
                    if other == name:
                        continue
                    for sub in ("", "/config", "/filters"):
                        st, _, got = node.req("GET", f"/v1/slices/{other}{sub}", token=t)
                        c.equal(st, 404, f"restart: {name}'s token on {other}{sub}")
                        if sub == "":
                            err = got.get("error", {}) if isinstance(got, dict) else {}
                            c.equal(err.get("message", "").replace(other, "X"),
                                    missing.get("error", {}).get("message", "")
                                    .replace("nosuch", "X"),
                                    f"restart: {name}'s token on {other}: a missing "
                                    f"slice's 404")
                st, _, _ = node.req("PUT", f"/v1/slices/{name}/reservation", token=t,
                                    body={})
                c.equal(st, 403, f"restart: {name}'s token on its reservation")
            st, _, _ = node.req("GET", "/v1/slices/gone", token=tokens["gone"])
            c.equal(st, 401, "restart: the deleted slice's token is unknown")
            c.equal(node.req("GET", "/v1/slices/gone")[0], 404,
                    "restart: the deleted slice stays deleted")
            # The restored slices work: their tokens write, and what the
            # deleted slice held is free.
            ok(node, "restart: ra's token adds a binding", "POST",
               "/v1/slices/ra/bindings", 201, token=tokens["ra"],
               body={"id": 9, "interface": "eth0", "udp_port": 6009})
            ok(node, "restart: ra's token deletes it", "DELETE",
               "/v1/slices/ra/bindings/9", 204, token=tokens["ra"])
            ok(node, "restart: pd's port is still pd's", "POST", "/v1/slices/rc/bindings",
               409, body={"interface": "eth0", "udp_port": 6400})
            ok(node, "restart: a new slice", "POST", "/v1/slices", 201,
               body={"name": "newer", "code_option": "ipv4", "reservation": {}})
            ok(node, "restart: it takes gone's old port", "POST",
               "/v1/slices/newer/bindings", 201, body={"interface": "eth0", "udp_port": 6300})
            ok(node, "restart: delete it", "DELETE", "/v1/slices/newer", 204)
            compare_snap("restart: after the writes were undone", before, api_state(node))
            node.stop("restart: second daemon")
            check_files(node, "restart: after the second SIGTERM", tokens, names, before)
        finally:
            node.close()


# --------------------------------------------------------------------------
# 2. SIGKILL in the middle of a stream of changes

NAMES = ["s0", "s1", "s2", "s3", "s4", "s5"]
EMPTY = {"bindings": [], "queues": [], "filters": [], "routes": []}
BINDING_IDS = range(8)
QUEUE_IDS = range(8)
FILTER_IDS = range(20)
ROUTE_IDS = range(10)


def port_base(name):
    return 20000 + 100 * NAMES.index(name)


def by_id(items):
    return sorted(items, key=lambda x: x["id"])


class Stream:
    """The random requests, the acknowledged state and the one in flight."""

    def __init__(self, node, seed, limit=200):
        self.node = node
        self.rng = random.Random(seed)
        self.limit = limit
        self.acked = {}         # name -> the slice as GET /v1/slices/{name} must show
        self.tokens = {}
        self.deleted = set()    # names whose last acknowledged change was a delete
        self.inflight = None    # (name, the slice as the request would make it, or None)
        self.acks = 0
        self.refusals = 0
        self.sent = 0
        self.errors = []        # what went wrong before the kill
        self.killed = threading.Event()
        self.ops = []           # a log of (method, path, status)

    # -- the model -------------------------------------------------------

    def uses(self, s):
        cf = s["config"]
        return len(cf["filters"]) + len(cf["routes"]), len(cf["queues"])

    def peer(self):
        return f"198.51.100.{self.rng.randint(2, 250)}:{self.rng.randint(1, 65535)}"

    def prefix(self):
        ln = self.rng.choice([0, 8, 16, 24, 32])
        ip = self.rng.getrandbits(32) & ((0xffffffff << (32 - ln)) & 0xffffffff if ln else 0)
        return f"{ip >> 24}.{(ip >> 16) & 255}.{(ip >> 8) & 255}.{ip & 255}/{ln}"

    def reservation(self, used_f=0, used_q=0):
        r = self.rng
        bw = {}
        for i in ("eth0", "eth1"):
            if r.random() < 0.5:
                bw[i] = {"in_bps": r.randint(0, 1000) * 1_000_000,
                         "out_bps": r.randint(0, 1000) * 1_000_000}
        return {"filters": r.randint(used_f, used_f + 8),
                "queues": r.randint(used_q, min(8, used_q + 3)),
                "buffers": r.randint(0, 500), "bandwidth": bw}

    def action(self, bindings, queues, allow_queue=True):
        r = self.rng
        kind = r.choice(["drop", "exception", "forward", "forward"]) if bindings \
            else r.choice(["drop", "exception"])
        if kind != "forward":
            return {kind: {}}
        b = r.choice(bindings)
        qs = [q["id"] for q in queues if q["binding"] == b]
        q = r.choice(qs) if allow_queue and qs and r.random() < 0.6 else None
        return fwd(b, self.peer(), q)

    def match(self, code, bindings):
        r = self.rng
        m = {}
        if bindings and r.random() < 0.4:
            m["binding"] = r.choice(bindings)
        if code == "passthrough":
            if r.random() < 0.7:
                mask = bytes(r.choice([0, 0, 0xff, 0xf0, r.randrange(256)])
                             for _ in range(14))
                key = bytes(r.randrange(256) & x for x in mask)
                m["key"], m["mask"] = key.hex(), mask.hex()
            return m
        for k in ("src", "dst"):
            if r.random() < 0.5:
                m[k] = self.prefix()
        if r.random() < 0.4:
            m["protocol"] = r.choice([6, 17, 132, r.randrange(256)])
        for k in ("src_port", "dst_port"):
            if r.random() < 0.3:
                lo = r.randrange(65536)
                m[k] = [lo, r.randint(lo, 65535)]
        return m

    def config(self, name, s):
        """A random valid configuration for slice s."""
        r = self.rng
        res = s["reservation"]
        base = port_base(name)
        ids = sorted(r.sample(BINDING_IDS, r.randint(0, 4)))
        queues = []
        if ids:
            for qid in r.sample(QUEUE_IDS, r.randint(0, min(3, res["queues"]))):
                queues.append({"id": qid, "binding": r.choice(ids),
                               "weight": r.randint(1, 10000),
                               "limit_packets": r.randint(1, 65536),
                               "limit_bytes": r.randint(64, 1 << 30)})
        bindings = []
        for i in ids:
            b = {"id": i, "interface": r.choice(["eth0", "eth1"]), "udp_port": base + i}
            if r.random() < 0.6:
                b["default_action"] = self.action(ids, queues)
            bindings.append(b)
        room = res["filters"]
        nf = r.randint(0, min(4, room))
        nr = r.randint(0, min(3, room - nf)) if s["code_option"] == "ipv4" and ids else 0
        filters = [{"id": fid, "priority": r.randint(0, 2147483647),
                    "match": self.match(s["code_option"], ids),
                    "action": self.action(ids, queues)}
                   for fid in r.sample(FILTER_IDS, nf)]
        routes, seen = [], set()
        for rid in r.sample(ROUTE_IDS, nr):
            p = self.prefix()
            if p in seen:
                continue
            seen.add(p)
            b = r.choice(ids)
            rt = {"id": rid, "prefix": p, "binding": b, "peer": self.peer()}
            qs = [q["id"] for q in queues if q["binding"] == b]
            if qs and r.random() < 0.5:
                rt["queue"] = r.choice(qs)
            routes.append(rt)
        return {"bindings": bindings, "queues": queues, "filters": filters, "routes": routes}

    @staticmethod
    def forwards(cf):
        """Every forward action of a configuration: (binding, queue or None)."""
        out = []
        for b in cf["bindings"]:
            a = b.get("default_action", {})
            if "forward" in a:
                out.append((b["id"], a["forward"]["binding"], a["forward"].get("queue")))
        for f in cf["filters"]:
            if "forward" in f["action"]:
                out.append((None, f["action"]["forward"]["binding"],
                            f["action"]["forward"].get("queue")))
        for rt in cf["routes"]:
            out.append((None, rt["binding"], rt.get("queue")))
        return out

    def binding_used(self, cf, bid):
        if any(q["binding"] == bid for q in cf["queues"]):
            return True
        if any(f["match"].get("binding") == bid for f in cf["filters"]):
            return True
        return any(b == bid and owner != bid for owner, b, _ in self.forwards(cf))

    def next_op(self):
        """(what, method, path, body, token, name, predicted slice or None,
        expect success)."""
        r = self.rng
        live = sorted(self.acked)
        choices = []
        if len(live) < len(NAMES):
            choices += ["create"] * 6
        if len(live) >= 3:
            choices += ["delete"] * 2
        if live:
            choices += ["config"] * 12 + ["reserve"] * 7 + ["bind"] * 10 + \
                ["unbind"] * 5 + ["queue"] * 8 + ["unqueue"] * 4 + ["filter"] * 10 + \
                ["unfilter"] * 5 + ["route"] * 7 + ["unroute"] * 4 + ["bad"] * 2
        while True:
            op = r.choice(choices)
            got = self.make(op, live)
            if got is not None:
                return got

    def make(self, op, live):
        r = self.rng
        if op == "create":
            name = r.choice([n for n in NAMES if n not in self.acked])
            code = r.choice(["ipv4", "passthrough"])
            res = self.reservation()
            want = {"name": name, "code_option": code, "reservation": res,
                    "config": copy.deepcopy(EMPTY)}
            return ("create", "POST", "/v1/slices",
                    {"name": name, "code_option": code, "reservation": res}, ADMIN,
                    name, want, True)
        name = r.choice(live)
        s = self.acked[name]
        cf = s["config"]
        path = f"/v1/slices/{name}"
        token = r.choice([ADMIN, self.tokens.get(name) or ADMIN])
        new = copy.deepcopy(s)
        ncf = new["config"]
        used_f, used_q = self.uses(s)
        bids = [b["id"] for b in cf["bindings"]]
        if op == "delete":
            return ("delete", "DELETE", path, None, ADMIN, name, None, True)
        if op == "config":
            doc = self.config(name, s)
            new["config"] = {k: by_id(v) for k, v in doc.items()}
            # Leave out empty collections now and then: they mean [].
            body = {k: v for k, v in doc.items() if v or r.random() < 0.5}
            return ("config", "PUT", f"{path}/config", body, token, name, new, True)
        if op == "reserve":
            res = self.reservation(used_f, used_q)
            new["reservation"] = res
            return ("reserve", "PUT", f"{path}/reservation", res, ADMIN, name, new, True)
        if op == "bad":
            # Meant to be refused: shrink below what the config uses, or an
            # id that exists.
            if used_f or used_q:
                res = self.reservation()
                res["filters"] = max(0, used_f - 1)
                res["queues"] = max(0, used_q - 1)
                return ("reserve below use", "PUT", f"{path}/reservation", res, ADMIN,
                        name, copy.deepcopy(s), False)
            if bids:
                b = {"id": bids[0], "interface": "eth0", "udp_port": port_base(name) + 99}
                return ("binding id in use", "POST", f"{path}/bindings", b, token, name,
                        copy.deepcopy(s), False)
            return None
        if op == "bind":
            free = [i for i in BINDING_IDS if i not in bids]
            if not free:
                return None
            i = r.choice(free)
            b = {"id": i, "interface": r.choice(["eth0", "eth1"]),
                 "udp_port": port_base(name) + i}
            if r.random() < 0.5:
                b["default_action"] = self.action(bids + [i], cf["queues"])
            ncf["bindings"] = by_id(ncf["bindings"] + [b])
            return ("binding", "POST", f"{path}/bindings", b, token, name, new, True)
        if op == "unbind":
            free = [i for i in bids if not self.binding_used(cf, i)]
            if not free:
                return None
            i = r.choice(free)
            ncf["bindings"] = [b for b in ncf["bindings"] if b["id"] != i]
            return ("unbind", "DELETE", f"{path}/bindings/{i}", None, token, name, new, True)
        if op == "queue":
            qids = [q["id"] for q in cf["queues"]]
            free = [i for i in QUEUE_IDS if i not in qids]
            if not bids or not free or used_q >= s["reservation"]["queues"]:
                return None
            q = {"id": r.choice(free), "binding": r.choice(bids),
                 "weight": r.randint(1, 10000), "limit_packets": r.randint(1, 65536),
                 "limit_bytes": r.randint(64, 1 << 30)}
            ncf["queues"] = by_id(ncf["queues"] + [q])
            return ("queue", "POST", f"{path}/queues", q, token, name, new, True)
        if op == "unqueue":
            used = {q for _, _, q in self.forwards(cf)}
            free = [q["id"] for q in cf["queues"] if q["id"] not in used]
            if not free:
                return None
            i = r.choice(free)
            ncf["queues"] = [q for q in ncf["queues"] if q["id"] != i]
            return ("unqueue", "DELETE", f"{path}/queues/{i}", None, token, name, new, True)
        if op == "filter":
            fids = [f["id"] for f in cf["filters"]]
            free = [i for i in FILTER_IDS if i not in fids]
            if not free or used_f >= s["reservation"]["filters"]:
                return None
            f = {"id": r.choice(free), "priority": r.randint(0, 2147483647),
                 "match": self.match(s["code_option"], bids),
                 "action": self.action(bids, cf["queues"])}
            ncf["filters"] = by_id(ncf["filters"] + [f])
            return ("filter", "POST", f"{path}/filters", f, token, name, new, True)
        if op == "unfilter":
            if not cf["filters"]:
                return None
            i = r.choice(cf["filters"])["id"]
            ncf["filters"] = [f for f in ncf["filters"] if f["id"] != i]
            return ("unfilter", "DELETE", f"{path}/filters/{i}", None, token, name, new, True)
        if op == "route":
            rids = [x["id"] for x in cf["routes"]]
            free = [i for i in ROUTE_IDS if i not in rids]
            prefixes = {x["prefix"] for x in cf["routes"]}
            p = self.prefix()
            if s["code_option"] != "ipv4" or not bids or not free or p in prefixes or \
                    used_f >= s["reservation"]["filters"]:
                return None
            b = r.choice(bids)
            rt = {"id": r.choice(free), "prefix": p, "binding": b, "peer": self.peer()}
            qs = [q["id"] for q in cf["queues"] if q["binding"] == b]
            if qs and r.random() < 0.5:
                rt["queue"] = r.choice(qs)
            ncf["routes"] = by_id(ncf["routes"] + [rt])
            return ("route", "POST", f"{path}/routes", rt, token, name, new, True)
        if op == "unroute":
            if not cf["routes"]:
                return None
            i = r.choice(cf["routes"])["id"]
            ncf["routes"] = [x for x in ncf["routes"] if x["id"] != i]
            return ("unroute", "DELETE", f"{path}/routes/{i}", None, token, name, new, True)
        return None

    # -- the thread ------------------------------------------------------

    def run(self):
        try:
            while self.sent < self.limit and not self.killed.is_set():
                what, method, path, body, token, name, want, good = self.next_op()
                self.inflight = (name, want)
                self.sent += 1
                try:
                    st, _, reply = self.node.req(method, path, body=body, token=token)
                except (OSError, http.client.HTTPException):
                    if self.killed.is_set():
                        return          # the kill cut it off: it stays in flight
                    raise
                self.ops.append((method, path, st))
                if 200 <= st < 300 and not good:
                    self.errors.append(f"{what}: {method} {path} {body!r} was accepted "
                                       f"({st} {reply!r}); it should be refused")
                elif not 200 <= st < 300 and good:
                    self.errors.append(f"{what}: {method} {path} {body!r} was refused: "
                                       f"{st} {reply!r}")
                elif st >= 500 or (not good and st not in (400, 409)):
                    self.errors.append(f"{what}: {method} {path}: {st} {reply!r}")
                if 200 <= st < 300:
                    self.ack(what, name, want, reply)
                    self.acks += 1
                else:
                    self.refusals += 1
                self.inflight = None
        except Exception:
            self.errors.append("the stream raised:\n" + traceback.format_exc())

    def ack(self, what, name, want, reply):
        """Records an acknowledged change; checks the reply against the
        prediction (and keeps what the daemon said)."""
        if what == "create":
            self.tokens[name] = reply.get("token") if isinstance(reply, dict) else None
            self.acked[name] = want
            self.deleted.discard(name)
            return
        if what == "delete":
            del self.acked[name]
            self.tokens.pop(name, None)
            self.deleted.add(name)
            return
        if what == "config":
            if reply != want["config"]:
                self.errors.append(f"PUT {name}/config replied {reply!r}, expected "
                                   f"{want['config']!r}")
                want = dict(want, config=reply)
        elif what == "reserve":
            got = reply.get("reservation") if isinstance(reply, dict) else reply
            if got != want["reservation"]:
                self.errors.append(f"PUT {name}/reservation replied {reply!r}, expected "
                                   f"{want['reservation']!r}")
                want = dict(want, reservation=got)
        elif what in ("binding", "queue", "filter", "route"):
            coll = what + "s"
            if reply not in want["config"][coll]:
                self.errors.append(f"POST {name}/{coll} replied {reply!r}, not in "
                                   f"{want['config'][coll]!r}")
        self.acked[name] = want


def test_kill9_round(seed):
    rng = random.Random(seed * 7919)
    with sptest.tempdir() as tmp:
        node = Node(tmp)
        try:
            node.start()
            stream = Stream(node, seed)
            kill_after = rng.randint(20, 150)
            t = threading.Thread(target=stream.run, daemon=True)
            t0 = time.monotonic()
            t.start()
            while stream.acks < kill_after and t.is_alive() and \
                    time.monotonic() - t0 < 60:
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.004))
            died = node.d.proc.poll()
            c.equal(died, None, f"seed {seed}: the daemon was up when it was killed")
            stream.killed.set()
            node.kill9(f"seed {seed}: killed daemon")
            t.join(30)
            c.check(not t.is_alive(), f"seed {seed}: the stream thread ended")
            for e in stream.errors:
                c.check(False, f"seed {seed}: before the kill: {e}")
            inflight = stream.inflight
            leftovers = [f for f in os.listdir(node.slices_dir) if f.endswith(".tmp")]
            print(f"seed {seed}: {stream.sent} sent, {stream.acks} acknowledged, "
                  f"{stream.refusals} refused, killed after {kill_after}+ acks "
                  f"({time.monotonic() - t0:.2f} s); in flight: "
                  f"{inflight[0] if inflight else None}; "
                  f"*.tmp left by the kill: {leftovers}", flush=True)

            node.start()
            st, _, nd = node.req("GET", "/v1/node")
            c.equal(st, 200, f"seed {seed}: the restarted daemon answers")
            c.equal(nd.get("state_errors") if isinstance(nd, dict) else nd, [],
                    f"seed {seed}: no state_errors after the crash")
            c.equal([f for f in os.listdir(node.slices_dir) if f.endswith(".tmp")], [],
                    f"seed {seed}: no *.tmp file after the restart")
            st, _, lst = node.req("GET", "/v1/slices")
            got_names = sorted(s.get("name") for s in lst) if isinstance(lst, list) else lst
            names = set(stream.acked) | ({inflight[0]} if inflight else set())
            if isinstance(got_names, list):
                names |= set(got_names)
            files = node.files()
            for name in sorted(names):
                want = stream.acked.get(name)
                alts = [want]
                if inflight and inflight[0] == name:
                    alts.append(inflight[1])
                st, _, got = node.req("GET", f"/v1/slices/{name}")
                got = got if st == 200 else None
                if not c.check(got in alts,
                               f"seed {seed}: slice {name} after the crash is neither the "
                               f"last acknowledged state nor the one in flight:\n"
                               f"    got      {got!r}\n    acked    {want!r}\n" +
                               (f"    in flight {inflight[1]!r}" if len(alts) > 1 else "")):
                    continue
                if name in stream.deleted and (not inflight or inflight[0] != name):
                    c.equal(got, None, f"seed {seed}: deleted slice {name} stays deleted")
                raw = files.get(f"{name}.json")
                if got is None:
                    c.equal(raw, None, f"seed {seed}: no file for the absent slice {name}")
                    continue
                try:
                    doc = json.loads(raw)
                except (TypeError, ValueError) as e:
                    c.check(False, f"seed {seed}: {name}.json: {e}")
                    continue
                c.equal({k: doc.get(k) for k in ("name", "code_option", "reservation",
                                                 "config")}, got,
                        f"seed {seed}: {name}.json says what GET says")
                tok = stream.tokens.get(name)
                if tok and got == want:
                    c.equal(node.req("GET", f"/v1/slices/{name}", token=tok)[0], 200,
                            f"seed {seed}: {name}'s token after the crash")
                    c.equal(doc.get("token_sha256"), sha256_hex(tok),
                            f"seed {seed}: {name}.json token_sha256")
            c.equal(sorted(files), sorted(f"{n}.json" for n in (got_names or [])),
                    f"seed {seed}: one file per slice")
            # The node's accounting came back too.
            free = nd.get("free", {}) if isinstance(nd, dict) else {}
            want_free = dict(CAPACITY)
            for n in (got_names or []):
                res = node.req("GET", f"/v1/slices/{n}")[2].get("reservation", {})
                for k in CAPACITY:
                    want_free[k] -= res.get(k, 0)
            c.equal({k: free.get(k) for k in CAPACITY}, want_free,
                    f"seed {seed}: GET /v1/node free after the crash")
            node.stop(f"seed {seed}: restarted daemon")
        finally:
            node.close()


def test_kill9():
    t0 = time.monotonic()
    seeds = [int(s) for s in os.environ.get("SP_PERSIST_SEEDS", "").split(",") if s] or \
        [101, 202, 303, 404, 505]
    for i, seed in enumerate(seeds):
        # At least three rounds; the others while the time lasts.
        if i >= 3 and time.monotonic() - t0 > 40:
            print(f"kill9: {i} rounds in {time.monotonic() - t0:.1f} s; skipping the rest",
                  flush=True)
            break
        try:
            test_kill9_round(seed)
        except Exception:
            c.check(False, f"kill9 seed {seed} raised:\n{traceback.format_exc()}")


# --------------------------------------------------------------------------
# 3. Corrupt state files

def test_corrupt():
    with sptest.tempdir() as tmp:
        node = Node(tmp)
        try:
            node.start()
            tokens = {}
            for i, (name, opt) in enumerate([
                    ("good1", "ipv4"), ("good2", "passthrough"), ("trunc", "ipv4"),
                    ("garbage", "ipv4"), ("misnamed", "ipv4"), ("badhash", "ipv4"),
                    ("unknownkey", "passthrough"), ("badversion", "ipv4"),
                    ("noconfig", "ipv4"), ("zclash", "ipv4"), ("zbig", "ipv4")]):
                body = ok(node, f"corrupt: create {name}", "POST", "/v1/slices", 201,
                          body={"name": name, "code_option": opt,
                                "reservation": {"filters": 4, "queues": 1, "buffers": 8,
                                                "bandwidth": {"eth0": {"in_bps": 100,
                                                                       "out_bps": 200}}}})
                tokens[name] = body.get("token") if isinstance(body, dict) else None
                ok(node, f"corrupt: {name} binding", "POST", f"/v1/slices/{name}/bindings",
                   201, body={"id": 0, "interface": "eth0", "udp_port": 7000 + i})
            ok(node, "corrupt: good1 config", "PUT", "/v1/slices/good1/config", 200,
               body={"bindings": [{"id": 0, "interface": "eth0", "udp_port": 7000},
                                  {"id": 1, "interface": "eth1", "udp_port": 7000}],
                     "queues": [{"id": 2, "binding": 1, "weight": 5, "limit_packets": 9,
                                 "limit_bytes": 9000}],
                     "filters": [{"id": 1, "priority": 1, "match": {"dst": "10.0.0.0/8"},
                                  "action": fwd(1, "198.51.100.5:5", 2)}],
                     "routes": [{"id": 3, "prefix": "10.5.0.0/16", "binding": 1,
                                 "peer": "198.51.100.6:6"}]})
            ok(node, "corrupt: good2 filter", "POST", "/v1/slices/good2/filters", 201,
               body={"id": 4, "priority": 3, "match": {"key": KEY, "mask": MASK},
                     "action": {"drop": {}}})
            before = api_state(node)
            good = ["good1", "good2"]
            good_state = {k: v for k, v in before.items()
                          if any(k.startswith(f"GET /v1/slices/{g}") for g in good)}
            node.stop("corrupt: first daemon")

            d = node.slices_dir

            def path(n):
                return os.path.join(d, n)

            def edit(name, fn):
                with open(path(f"{name}.json")) as f:
                    doc = json.load(f)
                fn(doc)
                with open(path(f"{name}.json"), "w") as f:
                    json.dump(doc, f, indent=1)

            with open(path("trunc.json"), "rb") as f:
                raw = f.read()
            with open(path("trunc.json"), "wb") as f:
                f.write(raw[:len(raw) // 2])
            with open(path("garbage.json"), "wb") as f:
                f.write(bytes(random.Random(5).randrange(256) for _ in range(700)))
            edit("misnamed", lambda doc: doc.update(name="someoneelse"))
            edit("badhash", lambda doc: doc.update(token_sha256="XYZ" + "0" * 61))
            edit("unknownkey", lambda doc: doc.update(color="red"))
            edit("badversion", lambda doc: doc.update(version=2))
            edit("noconfig", lambda doc: doc.pop("config"))
            # Loads after good1 (alphabetically) and wants good1's eth0:7000.
            edit("zclash", lambda doc: doc["config"]["bindings"][0].update(udp_port=7000))
            edit("zbig", lambda doc: doc["reservation"].update(filters=CAPACITY["filters"]))
            with open(path("good2.json.tmp"), "wb") as f:
                f.write(b'{"half a save')
            with open(path("notes.txt"), "wb") as f:
                f.write(b"not a state file\n")
            bad = {"trunc.json": r"line \d+", "garbage.json": r".",
                   "misnamed.json": r"\$\.name", "badhash.json": r"token_sha256",
                   "unknownkey.json": r"unknown", "badversion.json": r"version",
                   "noconfig.json": r"config", "zclash.json": r"udp_port|7000",
                   "zbig.json": r"filters"}
            files_before = node.files()

            for run in ("restart", "second restart"):
                node.start()
                st, _, nd = node.req("GET", "/v1/node")
                c.equal(st, 200, f"corrupt {run}: the daemon serves")
                errs = nd.get("state_errors") if isinstance(nd, dict) else None
                if c.check(isinstance(errs, list) and
                           all(isinstance(e, dict) and set(e) == {"file", "reason"}
                               for e in errs),
                           f"corrupt {run}: state_errors is a list of {{file, reason}}: "
                           f"{errs!r}"):
                    files = [e["file"] for e in errs]
                    c.equal(sorted(files), sorted(bad),
                            f"corrupt {run}: state_errors names each bad file once")
                    for e in errs:
                        pat = bad.get(e["file"], "^$")
                        c.check(isinstance(e["reason"], str) and e["reason"] and
                                re.search(pat, e["reason"]),
                                f"corrupt {run}: {e['file']}: reason {e['reason']!r} "
                                f"does not match {pat!r}")
                st, _, lst = node.req("GET", "/v1/slices")
                c.equal(sorted(s.get("name") for s in lst) if isinstance(lst, list) else lst,
                        good, f"corrupt {run}: only the good slices loaded")
                now = api_state(node)
                compare_snap(f"corrupt {run}: the good slices",
                             good_state, {k: v for k, v in now.items() if k in good_state})
                for g in good:
                    c.equal(node.req("GET", f"/v1/slices/{g}", token=tokens[g])[0], 200,
                            f"corrupt {run}: {g}'s token")
                for b in bad:
                    n = b[:-5]
                    c.equal(node.req("GET", f"/v1/slices/{n}")[0], 404,
                            f"corrupt {run}: {n} is not loaded")
                    c.equal(node.req("GET", f"/v1/slices/{n}", token=tokens[n])[0], 401,
                            f"corrupt {run}: {n}'s token is unknown")
                c.equal(node.req("GET", "/v1/slices/someoneelse")[0], 404,
                        f"corrupt {run}: the misnamed file's slice is not loaded")
                files_now = node.files()
                c.check("good2.json.tmp" not in files_now,
                        f"corrupt {run}: the stray good2.json.tmp is removed")
                for f, raw in files_before.items():
                    if f == "good2.json.tmp":
                        continue
                    c.check(files_now.get(f) == raw,
                            f"corrupt {run}: {f} is left as it was, byte for byte")
                c.equal(sorted(set(files_now) - set(files_before)), [],
                        f"corrupt {run}: no new file")
                # Still a working node: the zclash slice's port is good1's,
                # and new slices come and go.
                ok(node, f"corrupt {run}: good1 holds eth0:7000", "POST",
                   "/v1/slices/good2/bindings", 409,
                   body={"interface": "eth0", "udp_port": 7000})
                ok(node, f"corrupt {run}: a new slice", "POST", "/v1/slices", 201,
                   body={"name": "fresh", "code_option": "ipv4", "reservation": {}})
                c.check(os.path.exists(path("fresh.json")),
                        f"corrupt {run}: the new slice's file")
                ok(node, f"corrupt {run}: delete it", "DELETE", "/v1/slices/fresh", 204)
                log = node.stop(f"corrupt {run}")
                for b in bad:
                    c.check(b in log, f"corrupt {run}: the log names {b}")
        finally:
            node.close()


# --------------------------------------------------------------------------
# 4. Refused requests leave the files alone

def file_state(node):
    out = {}
    for f in sorted(os.listdir(node.slices_dir)):
        p = os.path.join(node.slices_dir, f)
        st = os.stat(p)
        with open(p, "rb") as fh:
            out[f] = (fh.read(), st.st_ino, st.st_mtime_ns)
    return out


def test_refusals():
    with sptest.tempdir() as tmp:
        node = Node(tmp)
        try:
            node.start()
            tokens = populate(node)
            ra, pb = "/v1/slices/ra", "/v1/slices/pb"
            free = node.req("GET", "/v1/node")[2]["free"]
            big = json.dumps({"bindings": []}).encode()[:-1] + b" " * MAX_BODY + b"}"
            cases = [
                # (what, method, path, status, kwargs)
                ("create: duplicate name", "POST", "/v1/slices", 409,
                 dict(body={"name": "ra", "code_option": "ipv4", "reservation": {}})),
                ("create: more buffers than left", "POST", "/v1/slices", 409,
                 dict(body={"name": "x", "code_option": "ipv4",
                            "reservation": {"buffers": free["buffers"] + 1}})),
                ("create: more eth0 out_bps than left", "POST", "/v1/slices", 409,
                 dict(body={"name": "x", "code_option": "ipv4", "reservation": {
                     "bandwidth": {"eth0": {"out_bps": free["bandwidth"]["eth0"]["out_bps"]
                                            + 1}}}})),
                ("create: bad name", "POST", "/v1/slices", 400,
                 dict(body={"name": "../ra", "code_option": "ipv4", "reservation": {}})),
                ("create: truncated JSON", "POST", "/v1/slices", 400,
                 dict(raw=b'{"name": "x", "code_option": "ipv4", "reser')),
                ("create: text/plain", "POST", "/v1/slices", 415,
                 dict(raw=b'{"name": "x", "code_option": "ipv4", "reservation": {}}',
                      content_type="text/plain")),
                ("create: slice token", "POST", "/v1/slices", 403,
                 dict(body={"name": "x", "code_option": "ipv4", "reservation": {}},
                      token=tokens["ra"])),
                ("create: no token", "POST", "/v1/slices", 401,
                 dict(body={"name": "x", "code_option": "ipv4", "reservation": {}},
                      token=None)),
                ("PUT config: wrong type", "PUT", f"{ra}/config", 400,
                 dict(body={"bindings": [{"id": "0", "interface": "eth0",
                                          "udp_port": 6000}]})),
                ("PUT config: unknown key", "PUT", f"{ra}/config", 400,
                 dict(body=dict(RA_CONFIG, colour="blue"))),
                ("PUT config: a program without program cycles", "PUT", f"{ra}/config",
                 409, dict(body=dict(RA_CONFIG, program={"pcap": "udp"}))),
                ("PUT config: bad prefix", "PUT", f"{ra}/config", 400,
                 dict(body={"bindings": RA_CONFIG["bindings"][:2],
                            "routes": [{"id": 0, "prefix": "10.1.0.1/16", "binding": 1,
                                        "peer": "198.51.100.7:1"}]})),
                ("PUT config: pb's port", "PUT", f"{ra}/config", 409,
                 dict(body={"bindings": [{"id": 0, "interface": "eth0",
                                          "udp_port": 6100}]})),
                ("PUT config: 25 filters on 24", "PUT", f"{ra}/config", 409,
                 dict(body={"filters": [{"id": i, "priority": 1, "match": {},
                                         "action": {"drop": {}}} for i in range(25)]})),
                ("PUT config: over max_body_bytes", "PUT", f"{ra}/config", 413,
                 dict(raw=big)),
                ("PUT config: text/plain", "PUT", f"{ra}/config", 415,
                 dict(raw=b"{}", content_type="text/plain")),
                ("PUT config: another slice's token", "PUT", f"{ra}/config", 404,
                 dict(body={}, token=tokens["pb"])),
                ("PUT config: routes on passthrough", "PUT", f"{pb}/config", 400,
                 dict(body={"bindings": [{"id": 0, "interface": "eth0", "udp_port": 6100}],
                            "routes": [{"id": 0, "prefix": "10.0.0.0/8", "binding": 0,
                                        "peer": "198.51.100.7:1"}]})),
                ("POST binding: id in use", "POST", f"{ra}/bindings", 409,
                 dict(body={"id": 0, "interface": "eth0", "udp_port": 6050})),
                ("POST binding: port of rc", "POST", f"{ra}/bindings", 409,
                 dict(body={"interface": "eth1", "udp_port": 6200}, token=tokens["ra"])),
                ("POST binding: duplicate key", "POST", f"{ra}/bindings", 400,
                 dict(raw=b'{"interface": "eth0", "udp_port": 6050, "udp_port": 6051}')),
                ("POST queue: on a missing binding", "POST", f"{ra}/queues", 400,
                 dict(body={"binding": 9})),
                ("POST queue: weight 0", "POST", f"{ra}/queues", 400,
                 dict(body={"binding": 0, "weight": 0})),
                ("POST queue: over the reservation", "POST", "/v1/slices/rc/queues", 409,
                 dict(body={"binding": 0}, token=tokens["rc"])),
                ("POST filter: id in use", "POST", f"{ra}/filters", 409,
                 dict(body={"id": 7, "priority": 1, "match": {}, "action": {"drop": {}}})),
                ("POST filter: key on ipv4", "POST", f"{ra}/filters", 400,
                 dict(body={"priority": 1, "match": {"key": KEY, "mask": MASK},
                            "action": {"drop": {}}})),
                ("POST route: on passthrough", "POST", f"{pb}/routes", 400,
                 dict(body={"prefix": "10.0.0.0/8", "binding": 0,
                            "peer": "198.51.100.7:1"})),
                ("POST route: prefix in use", "POST", f"{ra}/routes", 409,
                 dict(body={"prefix": "10.1.0.0/16", "binding": 1,
                            "peer": "198.51.100.7:1"})),
                ("DELETE binding: in use", "DELETE", f"{ra}/bindings/1", 409, {}),
                ("DELETE queue: in use", "DELETE", f"{ra}/queues/0", 409, {}),
                ("DELETE filter: missing", "DELETE", f"{ra}/filters/99", 404, {}),
                ("DELETE route: missing", "DELETE", f"{ra}/routes/99", 404, {}),
                ("DELETE route: another slice's token", "DELETE", f"{ra}/routes/0", 404,
                 dict(token=tokens["rc"])),
                ("PUT reservation: more filters than left", "PUT", f"{ra}/reservation", 409,
                 dict(body={"filters": free["filters"] + 24 + 1, "queues": 6})),
                ("PUT reservation: below the config", "PUT", f"{ra}/reservation", 409,
                 dict(body={"filters": 24, "queues": 1})),
                ("PUT reservation: unknown key", "PUT", f"{ra}/reservation", 400,
                 dict(body={"filters": 24, "queues": 6, "cpus": 1})),
                ("PUT reservation: own token", "PUT", f"{ra}/reservation", 403,
                 dict(body={"filters": 24, "queues": 6}, token=tokens["ra"])),
                ("PUT reservation: missing slice", "PUT", "/v1/slices/gone/reservation", 404,
                 dict(body={})),
                ("PUT reservation: 2**64", "PUT", f"{ra}/reservation", 400,
                 dict(raw=b'{"filters": 18446744073709551616}')),
                ("DELETE slice: own token", "DELETE", ra, 403, dict(token=tokens["ra"])),
                ("DELETE slice: missing", "DELETE", "/v1/slices/gone", 404, {}),
                ("DELETE slice: '..'", "DELETE", "/v1/slices/..", 404, {}),
                ("POST to config", "POST", f"{ra}/config", 405, dict(body={})),
            ]
            for what, method, path_, status, kw in cases:
                files0, api0 = file_state(node), api_state(node)
                kw = dict(kw)
                token = kw.pop("token", ADMIN)
                st, _, reply = node.req(method, path_, token=token, **kw)
                c.equal(st, status, f"refusal {what}: status (reply {reply!r})")
                files1 = file_state(node)
                c.equal(sorted(files1), sorted(files0), f"refusal {what}: the same files")
                for f in files0:
                    if f in files1:
                        c.check(files1[f][0] == files0[f][0],
                                f"refusal {what}: {f} changed its bytes")
                        c.check(files1[f][1:] == files0[f][1:],
                                f"refusal {what}: {f} was rewritten (inode, mtime "
                                f"{files0[f][1:]} -> {files1[f][1:]})")
                compare_snap(f"refusal {what}: GET documents", api0, api_state(node))
            node.stop("refusals")
        finally:
            node.close()


SECTIONS = [test_restart, test_kill9, test_corrupt, test_refusals]


def main():
    global BIN
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} PATH-TO-SLICEPATHD")
    BIN = sys.argv[1]
    t0 = time.monotonic()
    for section in SECTIONS:
        s0 = time.monotonic()
        try:
            section()
        except Exception:
            c.check(False, f"{section.__name__} raised:\n{traceback.format_exc()}")
        print(f"{section.__name__}: {time.monotonic() - s0:.1f} s", flush=True)
    print(f"total {time.monotonic() - t0:.1f} s", flush=True)
    c.finish()


if __name__ == "__main__":
    main()
