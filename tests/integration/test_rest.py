#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""REST API refusals: every bad request slicepathd handles, and that a refusal
changes nothing.

Usage: test_rest.py PATH-TO-SLICEPATHD

Starts one slicepathd on two net_null ports (no privileges needed) and sends
it bad requests: authentication and permissions, routing, bodies, slice
creation and admission control, bindings, and the statistics documents.
Every error reply is checked against the contract (../shared/API.md):
status, {"error": {"code", "message", "path"?}} and, where the daemon names
one, the exact JSON path.  Around every refusal the stored state (GET
/v1/slices, GET /v1/slices/<each> and its bindings, the "free" part of GET
/v1/node) is read before and after and must be identical.  At the end the
daemon must still answer and exit 0 on SIGTERM.

Prints "N passed, M failed" as the last line; exits non-zero on any failure.
"""

import json
import re
import socket

import sptest

ADMIN = sptest.ADMIN_TOKEN
# Small enough to test 413 cheaply, large enough for a 10000-deep document
# (20000 bytes) to reach the JSON parser.
MAX_BODY = 32768
IFACES = [sptest.iface("eth0", "net_null0", "192.0.2.1"),
          sptest.iface("eth1", "net_null1", "198.51.100.1")]
VDEVS = ["net_null0,no-rx=1", "net_null1,no-rx=1"]
RATE = 10_000_000_000

ANY = sptest.ANY        # "do not check the error path"
DEL = object()          # "leave this key out" in the document builders
S = {}                  # state shared between sections: tokens, first GET /v1/node


def read_state():
    """The stored state that a refused request must not change (the suite's
    read_state: api.snapshot() and api.refused() call it)."""
    st, _, slices = req("GET", "/v1/slices")
    snap = {"GET /v1/slices": (st, slices)}
    if st == 200 and isinstance(slices, list):
        for s in slices:
            name = s.get("name")
            snap[f"GET /v1/slices/{name}"] = req("GET", f"/v1/slices/{name}")[::2]
            snap[f"GET /v1/slices/{name}/bindings"] = \
                req("GET", f"/v1/slices/{name}/bindings")[::2]
    st, _, node = req("GET", "/v1/node")
    if isinstance(node, dict):
        snap["GET /v1/node"] = (st, node.get("free"), node.get("slices"))
    else:
        snap["GET /v1/node"] = (st, node)
    return snap


api = sptest.ApiSuite(read_state)
c = api.checks
req, ok, refused, check_error = api.req, api.ok, api.refused, api.check_error
snapshot, unchanged = api.snapshot, api.unchanged


def raw_request(method, target, token=ADMIN):
    """Sends a request line with arbitrary bytes in the target (http.client
    refuses non-ASCII); returns (status, headers, parsed body)."""
    data = (method.encode() + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer " + token.encode() + b"\r\n"
            b"Connection: close\r\n\r\n")
    chunks = []
    with socket.create_connection(("127.0.0.1", api.daemon.port), timeout=10) as s:
        s.sendall(data)
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        hdrs[k.decode().strip().lower()] = v.decode(errors="replace").strip()
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = body.decode(errors="replace")
    return status, hdrs, parsed


def node_free():
    """What the node has free, program cycles left out: their capacity is
    the TSC's, checked once in test_node."""
    free = req("GET", "/v1/node")[2]["free"]
    free.pop("program_cycles_per_sec", None)
    return free


def is_uint(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


# --------------------------------------------------------------------------

def test_node():
    """GET /v1/node against the node configuration, before any slice."""
    st, _, node = req("GET", "/v1/node")
    c.equal(st, 200, "GET /v1/node status")
    S["node0"] = node
    c.equal(node.get("name"), "test", "node name")
    ifs = node.get("interfaces")
    if c.check(isinstance(ifs, list) and len(ifs) == 2, f"two interfaces: {ifs!r}"):
        for got, want in zip(ifs, IFACES):
            for k in ("name", "ipv4", "rate_bps"):
                c.equal(got.get(k), want[k], f"interface {want['name']} {k}")
            c.check(is_uint(got.get("port_id")), f"{want['name']} port_id {got.get('port_id')!r}")
            c.check(isinstance(got.get("mac"), str) and
                    re.fullmatch(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}", got["mac"]),
                    f"{want['name']} mac {got.get('mac')!r}")
        c.check(ifs[0].get("port_id") != ifs[1].get("port_id"), "distinct port ids")
    cycles = node.get("capacity", {}).get("program_cycles_per_sec")
    c.check(is_uint(cycles) and cycles > 0, f"node capacity: program cycles {cycles!r}")
    c.equal(node.get("capacity"), {"filters": 1024, "queues": 64, "buffers": 4096,
                                   "program_cycles_per_sec": cycles}, "node capacity")
    c.equal(node.get("free"), {"filters": 1024, "queues": 64, "buffers": 4096,
                               "program_cycles_per_sec": cycles,
                               "bandwidth": {"eth0": {"in_bps": RATE, "out_bps": RATE},
                                             "eth1": {"in_bps": RATE, "out_bps": RATE}}},
            "node free before any slice")


def test_setup():
    """Two slices for the other sections: alpha (with a reservation) and beta."""
    res = {"filters": 100, "queues": 4, "buffers": 512,
           "bandwidth": {"eth0": {"in_bps": 1_000_000_000, "out_bps": 1_000_000_000}}}
    st, hdrs, body = req("POST", "/v1/slices",
                         {"name": "alpha", "code_option": "passthrough", "reservation": res})
    c.equal(st, 201, f"create alpha ({body!r})")
    c.equal(hdrs.get("location"), "/v1/slices/alpha", "create alpha: Location")
    c.equal(body.get("name"), "alpha", "create alpha: name")
    c.check(re.fullmatch(r"[0-9a-f]{64}", body.get("token", "")),
            f"create alpha: token is 64 hex digits: {body.get('token')!r}")
    S["alpha"] = body["token"]
    body = ok("create beta", "POST", "/v1/slices", 201,
              body={"name": "beta", "code_option": "passthrough", "reservation": {}})
    S["beta"] = body["token"]
    c.check(S["alpha"] != S["beta"], "slice tokens differ")

    got = ok("GET alpha", "GET", "/v1/slices/alpha", 200)
    c.equal(got, {"name": "alpha", "code_option": "passthrough", "reservation": res,
                  "config": {"bindings": [], "queues": [], "filters": [],
                             "routes": []}},
            "GET /v1/slices/alpha")
    got = ok("GET slices", "GET", "/v1/slices", 200)
    c.equal(sorted(s["name"] for s in got), ["alpha", "beta"], "GET /v1/slices names")
    c.equal(node_free(), {"filters": 924, "queues": 60, "buffers": 3584,
                          "bandwidth": {"eth0": {"in_bps": 9_000_000_000,
                                                 "out_bps": 9_000_000_000},
                                        "eth1": {"in_bps": RATE, "out_bps": RATE}}},
            "free after alpha and beta")


def test_auth():
    new = {"name": "intruder", "code_option": "passthrough", "reservation": {}}
    for what, hdr in [("no Authorization", None),
                      ("Basic scheme", "Basic YWRtaW46" + ADMIN),
                      ("Token scheme", "Token " + ADMIN),
                      ("unknown token", "Bearer not-a-token-0123456789abcdef"),
                      ("empty token", "Bearer "),
                      ("scheme only", "Bearer"),
                      ("admin token with a suffix", "Bearer " + ADMIN + "x"),
                      ("admin token prefix", "Bearer " + ADMIN[:-1])]:
        headers = {} if hdr is None else {"Authorization": hdr}
        for method, path, body in [("GET", "/v1/node", None),
                                   ("POST", "/v1/slices", new),
                                   ("DELETE", "/v1/slices/beta", None),
                                   ("GET", "/v1/nonexistent", None)]:
            before = snapshot()
            resp = req(method, path, body=body, token=None, headers=headers)
            check_error(f"{what}: {method} {path}", resp, 401, "unauthenticated")
            c.equal(resp[1].get("www-authenticate"), "Bearer",
                    f"{what}: {method} {path}: WWW-Authenticate")
            unchanged(f"{what}: {method} {path}", before)
    # The scheme is case-insensitive (RFC 7235).
    ok("lower-case bearer", "GET", "/v1/node", 200, token=None,
       headers={"Authorization": "bearer " + ADMIN})

    a = S["alpha"]
    got = ok("alpha token reads alpha", "GET", "/v1/slices/alpha", 200, token=a)
    c.equal(got.get("name") if isinstance(got, dict) else got, "alpha",
            "alpha token reads alpha: name")
    ok("alpha token reads alpha's bindings", "GET", "/v1/slices/alpha/bindings", 200, token=a)
    ok("alpha token reads alpha's stats", "GET", "/v1/slices/alpha/stats", 200, token=a)

    # Another slice looks exactly like a missing one.
    other = refused("alpha token reads beta", "GET", "/v1/slices/beta", 404, "not_found",
                    token=a)
    none = refused("alpha token reads a missing slice", "GET", "/v1/slices/nosuch", 404,
                   "not_found", token=a)
    admin_none = refused("admin reads a missing slice", "GET", "/v1/slices/nosuch", 404,
                         "not_found")
    c.equal(sorted(other), sorted(none), "another slice's 404 has the keys of a missing one")
    c.equal(other.get("message", "").replace("beta", "X"),
            none.get("message", "").replace("nosuch", "X"),
            "another slice's 404 message is a missing slice's")
    c.equal(none, admin_none, "a missing slice's 404 is the same for admin and slice")
    for method, path, body in [("GET", "/v1/slices/beta/bindings", None),
                               ("GET", "/v1/slices/beta/stats", None),
                               ("POST", "/v1/slices/beta/bindings",
                                {"interface": "eth0", "udp_port": 4000}),
                               ("DELETE", "/v1/slices/beta/bindings/0", None)]:
        o = refused(f"alpha token: {method} {path}", method, path, 404, "not_found",
                    token=a, body=body)
        m = refused(f"alpha token: {method} {path.replace('beta', 'nosuch')}", method,
                    path.replace("beta", "nosuch"), 404, "not_found", token=a, body=body)
        c.equal(o.get("message", "").replace("beta", "X"),
                m.get("message", "").replace("nosuch", "X"),
                f"alpha token: {method} {path}: same 404 as a missing slice")

    # Admin-only operations.
    for method, path, body in [("GET", "/v1/slices", None),
                               ("GET", "/v1/node", None),
                               ("GET", "/v1/stats", None),
                               ("POST", "/v1/slices", new),
                               ("DELETE", "/v1/slices/beta", None),
                               ("DELETE", "/v1/slices/alpha", None),
                               ("DELETE", "/v1/slices/nosuch", None)]:
        refused(f"alpha token: {method} {path}", method, path, 403, "permission_denied",
                token=a, body=body)

    # A slice token changes its own slice.
    st, _, body = req("POST", "/v1/slices/alpha/bindings",
                      {"id": 9, "interface": "eth0", "udp_port": 4000}, token=a)
    c.equal(st, 201, f"alpha token adds a binding to alpha ({body!r})")
    c.equal(body, {"id": 9, "interface": "eth0", "udp_port": 4000},
            "alpha token adds a binding: reply")
    got = ok("bindings after", "GET", "/v1/slices/alpha/bindings", 200, token=a)
    c.equal(got, [{"id": 9, "interface": "eth0", "udp_port": 4000}],
            "alpha's bindings after its token added one")
    ok("alpha token deletes its binding", "DELETE", "/v1/slices/alpha/bindings/9", 204,
       token=a)
    c.equal(req("GET", "/v1/slices/alpha/bindings")[2], [],
            "alpha's bindings after its token deleted one")


def test_routing():
    for path in ["/v1/nodes", "/v2/node", "/", "/v1", "/V1/node", "/v1/node/",
                 "/v1/slices/", "/v1//slices", "//v1/node", "/v1/node//",
                 "/v1/slices/alpha/", "/v1/slices/alpha//bindings",
                 "/v1/slices/alpha/bindings/", "/v1/slices/alpha/config/x",
                 "/v1/slices/alpha/../beta", "/v1/slices/./alpha",
                 "/v1/slices/alpha/bindingz", "/v1/" + "x/" * 10 + "y",
                 "/v1/" + "a" * 1000]:
        err = refused(f"GET {path[:60]}", "GET", path, 404, "not_found")
    for path in ["/v1/slices/..", "/v1/slices/%2e%2e", "/v1/slices/%2E%2E",
                 "/v1/slices/alpha%2Fbindings", "/v1/slices/alpha%2fstats",
                 "/v1/slices/a%2Fb", "/v1/slices/%00", "/v1/slices/.",
                 "/v1/slices/ALPHA"]:
        for method in ("GET", "DELETE"):
            refused(f"{method} {path}", method, path, 404, "not_found")
    refused("POST a binding to /v1/slices/alpha%2Fbindings", "POST",
            "/v1/slices/alpha%2Fbindings/x", 404, "not_found",
            body={"interface": "eth0", "udp_port": 4001})

    for method, path, allow in [("PUT", "/v1/node", {"GET"}),
                                ("DELETE", "/v1/node", {"GET"}),
                                ("POST", "/v1/stats", {"GET"}),
                                ("PUT", "/v1/slices", {"GET", "POST"}),
                                ("DELETE", "/v1/slices", {"GET", "POST"}),
                                ("PATCH", "/v1/slices", {"GET", "POST"}),
                                ("POST", "/v1/slices/alpha", {"GET", "DELETE"}),
                                ("PUT", "/v1/slices/alpha", {"GET", "DELETE"}),
                                ("PUT", "/v1/slices/alpha/bindings", {"GET", "POST"}),
                                ("DELETE", "/v1/slices/alpha/bindings", {"GET", "POST"}),
                                ("GET", "/v1/slices/alpha/bindings/0", {"DELETE"}),
                                ("POST", "/v1/slices/alpha/bindings/0", {"DELETE"}),
                                ("POST", "/v1/slices/alpha/stats", {"GET"}),
                                ("OPTIONS", "/v1/node", {"GET"})]:
        before = snapshot()
        body = {"name": "viaput", "code_option": "passthrough", "reservation": {},
                "interface": "eth0", "udp_port": 4002}
        resp = req(method, path, body=body if method != "GET" else None)
        check_error(f"{method} {path}", resp, 405, "method_not_allowed")
        got = {m.strip() for m in resp[1].get("allow", "").split(",") if m.strip()}
        c.equal(got, allow, f"{method} {path}: Allow header")
        unchanged(f"{method} {path}", before)
    st, hdrs, _ = req("HEAD", "/v1/slices/alpha/stats")
    c.equal(st, 405, "HEAD /v1/slices/alpha/stats status")
    c.equal(hdrs.get("allow"), "GET", "HEAD /v1/slices/alpha/stats Allow")


def test_bodies():
    good = {"name": "viabody", "code_option": "passthrough", "reservation": {}}
    text = json.dumps(good).encode()
    for ctype in [None, "text/plain", "application/x-www-form-urlencoded",
                  "application/jsonx", "application/json-patch+json", "json",
                  "text/json", ""]:
        refused(f"Content-Type {ctype!r}", "POST", "/v1/slices", 415,
                "unsupported_media_type", raw=text, content_type=ctype)
    refused("binding with text/plain", "POST", "/v1/slices/alpha/bindings", 415,
            "unsupported_media_type", raw=b'{"interface": "eth0", "udp_port": 4003}',
            content_type="text/plain", token=S["alpha"])

    line_col = r"line \d+, column \d+"
    for what, raw in [("truncated JSON", text[:-5]),
                      ("not JSON", b"name=viabody"),
                      ("single quotes", b"{'name': 'viabody'}"),
                      ("trailing comma", text[:-1] + b",}"),
                      ("empty body", b""),
                      ("only whitespace", b"  \n "),
                      ("trailing garbage", text + b" x"),
                      ("two documents", text + text),
                      ("trailing comma after document", text + b","),
                      ("duplicate key", b'{"name": "viabody", "name": "viabody2", '
                                        b'"code_option": "passthrough", "reservation": {}}'),
                      ("duplicate key in reservation",
                       b'{"name": "viabody", "code_option": "passthrough", '
                       b'"reservation": {"filters": 1, "filters": 2}}'),
                      ("invalid UTF-8", b'{"name": "via\xffbody", "code_option": '
                                        b'"passthrough", "reservation": {}}'),
                      ("NaN", b'{"name": "viabody", "code_option": "passthrough", '
                              b'"reservation": {"filters": NaN}}'),
                      ("10000 nested arrays", b"[" * 10000 + b"]" * 10000),
                      ("10000 unclosed arrays", b"[" * 10000),
                      ("3000 nested objects", b'{"a":' * 3000 + b"1" + b"}" * 3000),
                      ("nested in a field", b'{"name": "viabody", "code_option": '
                       b'"passthrough", "reservation": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
                      ("string", b'"viabody"'),
                      ("number", b"42"),
                      ("null", b"null"),
                      ("true", b"true")]:
        err = refused(what, "POST", "/v1/slices", 400, "invalid_argument", "$", raw=raw)
        c.check(re.search(line_col, err.get("message", "")),
                f"{what}: message mentions line and column: {err.get('message')!r}")
    err = refused("multi-line syntax error", "POST", "/v1/slices", 400, "invalid_argument",
                  "$", raw=b'{\n  "name": "viabody",\n  oops\n}\n')
    c.check("line 3" in err.get("message", ""),
            f"multi-line syntax error: message says line 3: {err.get('message')!r}")
    for what, raw in [("array", b"[" + text + b"]"), ("empty array", b"[]")]:
        refused(what, "POST", "/v1/slices", 400, "invalid_argument", "$", raw=raw)
    refused("binding body is an array", "POST", "/v1/slices/alpha/bindings", 400,
            "invalid_argument", "$", raw=b'[{"interface": "eth0", "udp_port": 4003}]')
    c.equal(req("GET", "/v1/node")[0], 200, "alive after deeply nested documents")

    # A valid document padded past the limit: refused for its size only.
    big = text[:-1] + b" " * (MAX_BODY + 1 - len(text)) + b"}"
    err = refused("body of max_body_bytes + 1", "POST", "/v1/slices", 413,
                  "payload_too_large", raw=big, msg=(str(MAX_BODY),))
    big2 = text[:-1] + b" " * (2 * MAX_BODY) + b"}"
    refused("body of 2 x max_body_bytes", "POST", "/v1/slices", 413, "payload_too_large",
            raw=big2)
    b = b'{"interface": "eth0", "udp_port": 4004' + b" " * MAX_BODY + b"}"
    refused("binding body over the limit", "POST", "/v1/slices/alpha/bindings", 413,
            "payload_too_large", raw=b, token=S["alpha"])

    # Within the limit, with parameters on the media type: accepted.
    exact = text[:-1] + b" " * (MAX_BODY - len(text)) + b"}"
    c.equal(len(exact), MAX_BODY, "padded body length")
    st, _, body = req("POST", "/v1/slices", raw=exact,
                      content_type="application/json; charset=utf-8")
    c.equal(st, 201, f"body of exactly max_body_bytes with charset: status ({body!r})")
    ok("delete viabody", "DELETE", "/v1/slices/viabody", 204)


def test_slice_create():
    base = {"name": "newslice", "code_option": "passthrough",
            "reservation": {"filters": 1, "queues": 1, "buffers": 1}}

    def doc(**changes):
        d_ = json.loads(json.dumps(base))
        for k, v in changes.items():
            if v is DEL:
                d_.pop(k)
            else:
                d_[k] = v
        return d_

    def res(**changes):
        r = dict(base["reservation"])
        r.update(changes)
        return r

    cases = [
        ("unknown field", doc(color="red"), "$.color"),
        ("unknown field token", doc(token="0" * 64), "$.token"),
        ("unknown field config", doc(config={"bindings": []}), "$.config"),
        ("missing name", doc(name=DEL), "$.name"),
        ("missing code_option", doc(code_option=DEL), "$.code_option"),
        ("missing reservation", doc(reservation=DEL), "$.reservation"),
        ("empty document", {}, ANY),
        ("code_option i3", doc(code_option="i3"), "$.code_option"),
        ("code_option ebpf", doc(code_option="ebpf"), "$.code_option"),
        ("code_option PASSTHROUGH", doc(code_option="PASSTHROUGH"), "$.code_option"),
        ("code_option empty", doc(code_option=""), "$.code_option"),
        ("code_option long", doc(code_option="p" * 40), "$.code_option"),
        ("code_option number", doc(code_option=1), "$.code_option"),
        ("code_option null", doc(code_option=None), "$.code_option"),
        ("reservation array", doc(reservation=[]), "$.reservation"),
        ("reservation string", doc(reservation="all"), "$.reservation"),
        ("reservation null", doc(reservation=None), "$.reservation"),
        ("reservation unknown key", doc(reservation=res(cpus=1)), "$.reservation.cpus"),
        ("bandwidth array", doc(reservation=res(bandwidth=[])), "$.reservation.bandwidth"),
        ("bandwidth number", doc(reservation=res(bandwidth=5)), "$.reservation.bandwidth"),
        ("bandwidth unknown interface",
         doc(reservation=res(bandwidth={"eth9": {"in_bps": 1}})), "$.reservation.bandwidth.eth9"),
        ("bandwidth interface by device",
         doc(reservation=res(bandwidth={"net_null0": {}})), "$.reservation.bandwidth.net_null0"),
        ("bandwidth unknown key",
         doc(reservation=res(bandwidth={"eth0": {"in_bps": 1, "x": 1}})),
         "$.reservation.bandwidth.eth0.x"),
        ("bandwidth eth0 number", doc(reservation=res(bandwidth={"eth0": 5})),
         "$.reservation.bandwidth.eth0"),
        ("bandwidth second interface bad",
         doc(reservation=res(bandwidth={"eth0": {}, "eth1": {"in": 1}})),
         "$.reservation.bandwidth.eth1.in"),
    ]
    for name in ["Upper", "alphA", "1abc", "_abc", "-abc", "a" * 33, "a/b", "..", ".",
                 "a\u0001b", "a\nb", "", " ", "a b", "a.b", "é", "alpha\u00e9"]:
        cases.append((f"name {name!r}", doc(name=name), "$.name"))
    for v in [5, None, True, ["a"], {"a": 1}]:
        cases.append((f"name {v!r}", doc(name=v), "$.name"))
    # jansson itself refuses \u0000 (no JSON_ALLOW_NUL): the whole body is at fault.
    cases.append(("name 'a\\u0000b'", doc(name="a\u0000b"), "$"))
    for field, limit in [("filters", 1 << 24), ("queues", 1 << 16), ("buffers", 1 << 22)]:
        for v in ["1", -1, 1.5, 1.0, True, None, [], {}, limit + 1, 2 ** 63 - 1, -(2 ** 63)]:
            cases.append((f"{field} {v!r}", doc(reservation=res(**{field: v})),
                          f"$.reservation.{field}"))
    for field in ["in_bps", "out_bps"]:
        for v in ["1", -1, 1.5, True, None, 400_000_000_001, 2 ** 63 - 1]:
            cases.append((f"{field} {v!r}",
                          doc(reservation=res(bandwidth={"eth0": {field: v}})),
                          f"$.reservation.bandwidth.eth0.{field}"))
    for what, body, path in cases:
        err = refused(f"create: {what}", "POST", "/v1/slices", 400, "invalid_argument",
                      path, body=body)
        if what.startswith("code_option i3"):
            c.check("passthrough" in err.get("message", "") and
                    "ipv4" in err.get("message", ""),
                    f"unknown code option: message lists the options: {err.get('message')!r}")

    # Numbers jansson itself cannot hold.
    refused("create: filters 2**64", "POST", "/v1/slices", 400, "invalid_argument",
            raw=b'{"name": "newslice", "code_option": "passthrough", '
                b'"reservation": {"filters": 18446744073709551616}}')

    refused("create: duplicate name", "POST", "/v1/slices", 409, "conflict", "$.name",
            body=doc(name="alpha"))
    refused("create: duplicate name, empty reservation", "POST", "/v1/slices", 409,
            "conflict", "$.name", body=doc(name="beta", reservation={}))

    # Admission control: one more than what is left.
    free = node_free()
    for field in ["filters", "queues", "buffers"]:
        left = free[field]
        refused(f"create: {field} one over", "POST", "/v1/slices", 409, "conflict",
                f"$.reservation.{field}", body=doc(reservation={field: left + 1}),
                msg=(rf"\b{left}\b", "left"))
    for ifname in ["eth0", "eth1"]:
        for field in ["in_bps", "out_bps"]:
            left = free["bandwidth"][ifname][field]
            refused(f"create: {ifname} {field} one over", "POST", "/v1/slices", 409,
                    "conflict", f"$.reservation.bandwidth.{ifname}.{field}",
                    body=doc(reservation={"bandwidth": {ifname: {field: left + 1}}}),
                    msg=(rf"\b{left}\b", "left"))
    refused("create: eth0 out_bps over, in_bps fits", "POST", "/v1/slices", 409, "conflict",
            "$.reservation.bandwidth.eth0.out_bps",
            body=doc(reservation={"bandwidth": {"eth0": {
                "in_bps": free["bandwidth"]["eth0"]["in_bps"],
                "out_bps": free["bandwidth"]["eth0"]["out_bps"] + 1}}}))
    refused("create: a name in use beats admission", "POST", "/v1/slices", 409, "conflict",
            "$.name", body=doc(name="alpha", reservation={"buffers": 1 << 22}))

    # Exactly what is left fits; then nothing is left.
    fill = {"filters": free["filters"], "queues": free["queues"], "buffers": free["buffers"],
            "bandwidth": free["bandwidth"]}
    ok("create fill (everything left)", "POST", "/v1/slices", 201,
       body=doc(name="fill", reservation=fill))
    zero = {"filters": 0, "queues": 0, "buffers": 0,
            "bandwidth": {i: {"in_bps": 0, "out_bps": 0} for i in ("eth0", "eth1")}}
    c.equal(node_free(), zero, "free after fill")
    refused("create: 1 buffer when none is left", "POST", "/v1/slices", 409, "conflict",
            "$.reservation.buffers", body=doc(reservation={"buffers": 1}),
            msg=(r"\b0\b", "left"))
    refused("create: 1 bit/s on eth1 when none is left", "POST", "/v1/slices", 409,
            "conflict", "$.reservation.bandwidth.eth1.out_bps",
            body=doc(reservation={"bandwidth": {"eth1": {"out_bps": 1}}}),
            msg=(r"\b0\b", "left"))
    ok("create an empty reservation when none is left", "POST", "/v1/slices", 201,
       body=doc(name="empty", reservation={}))
    ok("delete empty", "DELETE", "/v1/slices/empty", 204)
    ok("delete fill", "DELETE", "/v1/slices/fill", 204)
    c.equal(node_free(), free, "free after deleting fill is what it was")

    # Names: the longest, and every allowed character.
    for name in ["a" * 32, "z0-_9", "a-", "b_"]:
        ok(f"create {name!r}", "POST", "/v1/slices", 201, body=doc(name=name, reservation={}))
        got = ok(f"get {name!r}", "GET", f"/v1/slices/{name}", 200)
        c.equal(got.get("name") if isinstance(got, dict) else got, name, f"name {name!r} stored")
        ok(f"delete {name!r}", "DELETE", f"/v1/slices/{name}", 204)
    c.equal(node_free(), free, "free unchanged by the name tests")


def test_bindings():
    a = "/v1/slices/alpha/bindings"
    b0 = {"id": 0, "interface": "eth0", "udp_port": 5000}
    got = ok("add alpha binding 0", "POST", a, 201, body=b0)
    c.equal(got, b0, "add alpha binding 0: reply")

    def bd(**changes):
        d_ = {"interface": "eth0", "udp_port": 5100}
        for k, v in changes.items():
            if v is DEL:
                d_.pop(k)
            else:
                d_[k] = v
        return d_

    peer = "198.51.100.2:6000"
    fwd = lambda **f: {"forward": dict({"binding": 0, "peer": peer}, **f)}  # noqa: E731
    cases = [
        ("unknown field", bd(protocol="udp"), "$.protocol"),
        ("unknown field ip", bd(ipv4="192.0.2.1"), "$.ipv4"),
        ("missing interface", bd(interface=DEL), "$.interface"),
        ("missing udp_port", bd(udp_port=DEL), "$.udp_port"),
        ("empty document", {}, ANY),
        ("unknown interface", bd(interface="eth9"), "$.interface"),
        ("interface by device", bd(interface="net_null0"), "$.interface"),
        ("interface upper case", bd(interface="ETH0"), "$.interface"),
        ("interface empty", bd(interface=""), "$.interface"),
        ("interface number", bd(interface=0), "$.interface"),
        ("interface null", bd(interface=None), "$.interface"),
        ("default_action empty", bd(default_action={}), "$.default_action"),
        ("default_action two keys", bd(default_action={"drop": {}, "exception": {}}),
         "$.default_action"),
        ("default_action forward and drop",
         bd(default_action={"forward": {"binding": 0, "peer": peer}, "drop": {}}),
         "$.default_action"),
        ("default_action array", bd(default_action=[]), "$.default_action"),
        ("default_action string", bd(default_action="drop"), "$.default_action"),
        ("default_action null", bd(default_action=None), "$.default_action"),
        ("unknown action", bd(default_action={"teleport": {}}), "$.default_action.teleport"),
        ("action DROP", bd(default_action={"DROP": {}}), "$.default_action.DROP"),
        ("drop with a key", bd(default_action={"drop": {"x": 1}}), "$.default_action.drop.x"),
        ("exception with a key", bd(default_action={"exception": {"tap": "x"}}),
         "$.default_action.exception.tap"),
        ("drop array", bd(default_action={"drop": []}), "$.default_action.drop"),
        ("drop true", bd(default_action={"drop": True}), "$.default_action.drop"),
        ("forward empty", bd(default_action={"forward": {}}), ANY),
        ("forward array", bd(default_action={"forward": []}), "$.default_action.forward"),
        ("forward missing binding", bd(default_action={"forward": {"peer": peer}}),
         "$.default_action.forward.binding"),
        ("forward missing peer", bd(default_action={"forward": {"binding": 0}}),
         "$.default_action.forward.peer"),
        ("forward unknown key", bd(default_action=fwd(ttl=3)), "$.default_action.forward.ttl"),
        ("forward to a missing binding", bd(default_action=fwd(binding=7)),
         "$.default_action.forward.binding"),
        ("forward to binding 64", bd(default_action=fwd(binding=64)),
         "$.default_action.forward.binding"),
        ("forward to binding -1", bd(default_action=fwd(binding=-1)),
         "$.default_action.forward.binding"),
        ("forward to binding '0'", bd(default_action=fwd(binding="0")),
         "$.default_action.forward.binding"),
        ("forward with a queue", bd(default_action=fwd(queue=0)),
         "$.default_action.forward.queue"),
        ("forward with queue 3", bd(default_action=fwd(queue=3)),
         "$.default_action.forward.queue"),
        ("forward with queue -1", bd(default_action=fwd(queue=-1)),
         "$.default_action.forward.queue"),
        ("forward with queue 65536", bd(default_action=fwd(queue=65536)),
         "$.default_action.forward.queue"),
    ]
    for v in [0, 65536, -1, "5000", 5000.5, 5000.0, None, True, [5000], 2 ** 63 - 1]:
        cases.append((f"udp_port {v!r}", bd(udp_port=v), "$.udp_port"))
    for v in [64, 65, -1, "1", 1.0, None, 2 ** 63 - 1]:
        cases.append((f"id {v!r}", bd(id=v), "$.id"))
    for p in ["198.51.100.2", "198.51.100.2:", "198.51.100.2:0", "198.51.100.2:65536",
              "198.51.100.2:-1", "198.51.100.2:x", "198.51.100.2:6000x", ":6000",
              "224.0.0.1:6000", "239.255.255.250:1900", "0.0.0.0:6000",
              "255.255.255.255:6000", "240.0.0.1:6000", "127.0.0.1:6000",
              "198.51.100:6000", "198.51.100.2.1:6000", "198.51.100.256:6000",
              "198.051.100.2:6000", "host.example:6000", "[2001:db8::1]:6000",
              " 198.51.100.2:6000", "", 6000, None]:
        cases.append((f"peer {p!r}", bd(default_action=fwd(peer=p)),
                      "$.default_action.forward.peer"))
    for what, body, path in cases:
        refused(f"binding: {what}", "POST", a, 400, "invalid_argument", path, body=body)

    refused("binding: duplicate id", "POST", a, 409, "conflict", "$.id",
            body=bd(id=0, udp_port=5101))
    err = refused("binding: own port again", "POST", a, 409, "conflict", "$.udp_port",
                  body=bd(id=1, udp_port=5000))
    for token in (ADMIN, S["beta"]):
        who = "admin" if token == ADMIN else "beta token"
        err = refused(f"binding: beta takes alpha's port ({who})", "POST",
                      "/v1/slices/beta/bindings", 409, "conflict", "$.udp_port",
                      body={"interface": "eth0", "udp_port": 5000}, token=token)
        c.check("alpha" not in err.get("message", ""),
                f"port conflict message names the other slice: {err.get('message')!r}")
    got = ok("beta binds the same port on eth1", "POST", "/v1/slices/beta/bindings", 201,
             body={"interface": "eth1", "udp_port": 5000})
    c.equal(got, {"id": 0, "interface": "eth1", "udp_port": 5000},
            "beta's eth1 binding gets id 0")

    # Good bindings: ids without "id" are the lowest free ones.
    b1 = {"interface": "eth0", "udp_port": 5001,
          "default_action": {"forward": {"binding": 0, "peer": peer}}}
    got = ok("add forwarding binding without id", "POST", a, 201, body=b1)
    c.equal(got, dict(b1, id=1), "binding without id gets id 1")
    b3 = {"id": 3, "interface": "eth1", "udp_port": 5003, "default_action": {"drop": {}}}
    got = ok("add binding 3 (drop)", "POST", a, 201, body=b3)
    c.equal(got, b3, "binding 3 reply")
    b2 = {"interface": "eth0", "udp_port": 5002, "default_action": {"exception": {}}}
    got = ok("add binding without id (exception)", "POST", a, 201, body=b2)
    c.equal(got, dict(b2, id=2), "binding without id gets id 2, not 4")
    b5 = {"id": 5, "interface": "eth1", "udp_port": 5005,
          "default_action": {"forward": {"binding": 5, "peer": "203.0.113.5:7000"}}}
    got = ok("add binding forwarding to itself", "POST", a, 201, body=b5)
    c.equal(got, b5, "binding 5 reply")
    refused("binding: forward with a queue to a present binding", "POST", a, 400,
            "invalid_argument", "$.default_action.forward.queue",
            body={"interface": "eth0", "udp_port": 5006,
                  "default_action": {"forward": {"binding": 3, "peer": peer, "queue": 0}}})

    want = [dict(b0), dict(b1, id=1), dict(b2, id=2), b3, b5]
    c.equal(req("GET", a)[2], want, "alpha's bindings")
    c.equal(req("GET", "/v1/slices/alpha")[2].get("config"),
            {"bindings": want, "queues": [], "filters": [], "routes": []},
            "alpha's config")
    c.equal(req("GET", a, token=S["alpha"])[2], want, "alpha's bindings, own token")

    for bid in ["9", "4", "63", "64", "abc", "01", "00", "-1", "+1", "1.0", "0x1", "1e0",
                "%201", "%31", "99999999999999999999999", "18446744073709551617"]:
        refused(f"delete binding {bid!r}", "DELETE", f"{a}/{bid}", 404, "not_found")
    refused("delete binding 0, the output of binding 1", "DELETE", f"{a}/0", 409, "conflict")
    ok("delete binding 1", "DELETE", f"{a}/1", 204)
    ok("delete binding 0", "DELETE", f"{a}/0", 204)
    ok("delete binding 5 (forwards to itself)", "DELETE", f"{a}/5", 204, token=S["alpha"])
    c.equal(req("GET", a)[2], [dict(b2, id=2), b3], "alpha's bindings after the deletes")
    refused("delete binding 0 again", "DELETE", f"{a}/0", 404, "not_found")
    # alpha's eth0:5000 is free again.
    got = ok("beta takes eth0:5000 after alpha let it go", "POST",
             "/v1/slices/beta/bindings", 201, body={"interface": "eth0", "udp_port": 5000})
    c.equal(got, {"id": 1, "interface": "eth0", "udp_port": 5000}, "beta's eth0:5000")
    ok("alpha rebinds id 0", "POST", a, 201, body={"id": 0, "interface": "eth0",
                                                  "udp_port": 5010})

    # A slice with every binding id in use.
    ok("create full", "POST", "/v1/slices", 201,
       body={"name": "full", "code_option": "passthrough", "reservation": {}})
    for i in range(64):
        st, _, body = req("POST", "/v1/slices/full/bindings",
                          {"interface": "eth1", "udp_port": 20000 + i})
        if st != 201:
            c.equal(st, 201, f"full: binding {i} ({body!r})")
            break
    c.equal(len(req("GET", "/v1/slices/full/bindings")[2]), 64, "full has 64 bindings")
    refused("binding: id 10 on a full slice", "POST", "/v1/slices/full/bindings", 409,
            "conflict", "$.id", body={"id": 10, "interface": "eth1", "udp_port": 21000})
    # The request is well-formed; the slice is out of ids: a conflict (409),
    # like "id exists", not a malformed request (400).
    refused("binding: no id on a full slice", "POST", "/v1/slices/full/bindings", 409,
            "conflict", body={"interface": "eth1", "udp_port": 21000})
    ok("delete full", "DELETE", "/v1/slices/full", 204)
    got = ok("full's ports are free again", "POST", "/v1/slices/beta/bindings", 201,
             body={"interface": "eth1", "udp_port": 20063})
    ok("delete that binding", "DELETE", f"/v1/slices/beta/bindings/{got.get('id')}", 204)


def test_stats():
    for token in (ADMIN, S["alpha"]):
        st, _, s = req("GET", "/v1/slices/alpha/stats", token=token)
        who = "admin" if token == ADMIN else "alpha token"
        c.equal(st, 200, f"alpha stats ({who})")
        if not c.check(isinstance(s, dict), f"alpha stats is an object: {s!r}"):
            continue
        c.check({"bindings", "queues", "filters", "drops"} <= set(s),
                f"alpha stats keys: {sorted(s)}")
        ids = [b["id"] for b in req("GET", "/v1/slices/alpha/bindings")[2]]
        bs = s.get("bindings")
        c.equal([b.get("id") for b in bs] if isinstance(bs, list) else bs, ids,
                f"stats bindings ids ({who})")
        for b in bs if isinstance(bs, list) else []:
            for k in ("rx_packets", "rx_bytes", "tx_packets", "tx_bytes"):
                c.check(is_uint(b.get(k)), f"stats binding {b.get('id')} {k}: {b.get(k)!r}")
        c.equal(s.get("queues"), [], "stats queues")
        c.equal(s.get("filters"), [], "stats filters")
        drops = s.get("drops")
        if c.check(isinstance(drops, dict), f"stats drops: {drops!r}"):
            for k in ("no_route", "ttl_expired", "queue_full", "policed", "malformed"):
                c.check(is_uint(drops.get(k)), f"slice drops.{k}: {drops.get(k)!r}")
            c.check(all(is_uint(v) for v in drops.values()), f"slice drops: {drops!r}")

    st, _, s = req("GET", "/v1/stats")
    c.equal(st, 200, "GET /v1/stats")
    ports = s.get("ports") if isinstance(s, dict) else None
    if c.check(isinstance(ports, list) and len(ports) == 2, f"stats ports: {ports!r}"):
        c.equal([p.get("interface") for p in ports], ["eth0", "eth1"], "stats port names")
        for p in ports:
            for k in ("rx_packets", "rx_bytes", "tx_packets", "tx_bytes"):
                c.check(is_uint(p.get(k)), f"port {p.get('interface')} {k}: {p.get(k)!r}")
    drops = s.get("drops") if isinstance(s, dict) else None
    if c.check(isinstance(drops, dict), f"node drops: {drops!r}"):
        for k in ("not_ipv4", "not_udp", "truncated", "malformed", "fragment", "no_binding"):
            c.check(is_uint(drops.get(k)), f"node drops.{k}: {drops.get(k)!r}")

    node = req("GET", "/v1/node")[2]
    first = S.get("node0", {})
    for k in ("name", "interfaces", "capacity"):
        c.equal(node.get(k), first.get(k), f"GET /v1/node {k} unchanged")


def test_utf8_messages():
    """Error replies whose message or path holds part of a multi-byte
    character, or bytes that are not UTF-8, must still be contract errors."""
    # %.64s in jv_scalar() cuts "é" in two.
    refused("create: 63 letters and an é", "POST", "/v1/slices", 400, "invalid_argument",
            "$.name", body={"name": "a" * 63 + "é", "code_option": "passthrough",
                            "reservation": {}})
    key = "e" * 31 + "é"
    refused("create: bandwidth for interface 31 e's and an é", "POST", "/v1/slices", 400,
            "invalid_argument", f"$.reservation.bandwidth.{key}",
            body={"name": "utf", "code_option": "passthrough",
                  "reservation": {"bandwidth": {key: {}}}})
    before = snapshot()
    err = check_error("create: long unknown key ending in é",
                      req("POST", "/v1/slices", {"name": "utf", "code_option": "passthrough",
                                                 "reservation": {"x" * 240 + "é": 1}}),
                      400, "invalid_argument")
    c.check("path" in err, f"long unknown key: the error has a path: {err!r}")
    unchanged("create: long unknown key ending in é", before)

    for what, method, target in [
            ("GET a slice name that is not UTF-8", "GET", b"/v1/slices/\xff"),
            ("GET a slice name 31 a's and an é", "GET",
             b"/v1/slices/" + b"a" * 31 + "é".encode()),
            ("DELETE a binding id 15 digits and an é", "DELETE",
             b"/v1/slices/beta/bindings/" + b"1" * 15 + "é".encode())]:
        before = snapshot()
        check_error(what, raw_request(method, target), 404, "not_found")
        unchanged(what, before)
    # Control characters in a path still give a proper 404.
    check_error("GET a slice name with \\x01", raw_request("GET", b"/v1/slices/a\x01b"),
                404, "not_found")


def test_delete_slices():
    refused("delete a missing slice", "DELETE", "/v1/slices/nosuch", 404, "not_found")
    # A deleted slice's token is nobody's.
    beta = S["beta"]
    ok("delete beta", "DELETE", "/v1/slices/beta", 204)
    refused("delete beta again", "DELETE", "/v1/slices/beta", 404, "not_found")
    refused("beta's token after beta is gone", "GET", "/v1/slices/beta", 401,
            "unauthenticated", token=beta)
    refused("admin GET beta after beta is gone", "GET", "/v1/slices/beta", 404, "not_found")
    # beta's bindings went with it: its ports can be bound again.
    ok("alpha binds beta's old eth1:5000", "POST", "/v1/slices/alpha/bindings", 201,
       body={"interface": "eth1", "udp_port": 5000})
    # A new slice of the same name is a new slice: no bindings, a new token.
    got = ok("create beta again", "POST", "/v1/slices", 201,
             body={"name": "beta", "code_option": "passthrough", "reservation": {}})
    c.check(got.get("token") != beta, "new beta has a new token")
    c.equal(req("GET", "/v1/slices/beta/bindings")[2], [], "new beta has no bindings")
    refused("old beta token on the new beta", "GET", "/v1/slices/beta", 401,
            "unauthenticated", token=beta)
    ok("delete beta", "DELETE", "/v1/slices/beta", 204)
    ok("delete alpha", "DELETE", "/v1/slices/alpha", 204)
    c.equal(req("GET", "/v1/slices")[2], [], "no slices left")
    node = req("GET", "/v1/node")[2]
    c.equal(node.get("free"), S["node0"]["free"], "free back to the node's capacity")
    c.equal(node.get("slices"), 0, "node slices count")


SECTIONS = [test_node, test_setup, test_auth, test_routing, test_bodies,
            test_slice_create, test_bindings, test_stats, test_utf8_messages,
            test_delete_slices]


if __name__ == "__main__":
    api.main(SECTIONS, IFACES, VDEVS, max_body_bytes=MAX_BODY)
