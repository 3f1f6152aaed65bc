#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Hostile requests: what a careless or malicious client can send, and that
none of it changes anything or stops the daemon.

Usage: test_hostile.py PATH-TO-SLICEPATHD

Already covered elsewhere (so only touched here where a table is
systematic):

- test_rest.py: authentication (missing, other schemes, unknown, empty,
  prefix/suffix of the admin token, lower-case "bearer"); a slice token on
  another slice (GET slice, GET/POST bindings, DELETE bindings/0, GET stats:
  404 like a missing slice) and on admin operations (GET/POST /v1/slices,
  GET /v1/node, GET /v1/stats, DELETE slice: 403); routing (unknown paths,
  empty segments, trailing '/', '..', '.', '%2e%2e', '%2E%2E', '%2F' in a
  name, '%00', upper-case names; GET and DELETE only), 405 with Allow;
  bodies on POST /v1/slices only: content types (415), truncated JSON,
  trailing garbage, two documents, trailing comma, empty, duplicate keys
  (top level and in the reservation), invalid UTF-8, NaN, 10000 nested
  arrays, 10000 unclosed arrays, 3000 nested objects, 5000 nested arrays in
  "reservation", scalars and arrays as the body; 413 at max_body_bytes + 1
  and 2x with Content-Length; exactly max_body_bytes accepted; slice
  creation: unknown fields, missing fields, wrong types and out-of-range
  values of name, code_option and every reservation member (incl. 2**63-1,
  -2**63, 2**64 for filters); admission at one over what is left for
  filters, queues, buffers and both directions of both interfaces (409 with
  the path, message with "left" and the amount left); bindings: unknown
  fields, types, ranges of id and udp_port, every peer form, every action
  form, conflicts; DELETE of odd binding ids; a name not UTF-8, a name
  with \\x01 and with an 'é' cut by a message (raw request line).
- test_lookup_api.py: filters (ipv4 and passthrough), routes and PUT config:
  unknown keys, wrong types and ranges of most fields of filters and routes
  (priority, id, protocol, ports, prefixes, key/mask, peers, actions) by
  POST, and one fault per element kind in PUT config (bindings, filters,
  routes, a queue on a missing binding, "queues" an object, "program",
  unknown top-level key, collections of the wrong type); PUT config bodies
  an array, string, null, truncated, empty, duplicate key; 413 and 415 on
  PUT config and POST filters; another slice's token on filters, routes,
  config and stats (404, as a missing slice); the filter/route reservation
  (409); DELETE of odd filter and route ids.

Added here (one slicepathd on two net_null ports, no privileges; every
refusal is checked for status, error code, the exact JSON path where there
is one, and that GET /v1/slices, each slice's GET, GET /v1/node and the
bytes of every file in <state_dir>/slices are unchanged):

 1. malformed JSON on every endpoint that takes a body (POST /v1/slices,
    PUT config, PUT reservation, POST bindings, queues, filters, routes):
    truncated, trailing garbage, a NUL after the document, NaN, Infinity,
    invalid UTF-8 (bad byte, overlong, encoded surrogate, past U+10FFFF, in
    a key), lone surrogate escapes (high, low, reversed, high + ASCII, in a
    key), \\u0000 in a key and a value, duplicate keys (top level and
    nested), a BOM, comments, single quotes, hex, leading zeros, '+1', '.5';
    each is 400 at "$" naming line and column; each body unbroken is then
    accepted (so the refusal was the breakage);
 2. wrong types at every node of a full PUT config document of each code
    option, of a reservation, and of POST bodies of queues: 400 at that
    node's path;
 3. an unknown field in every object of those documents, and each key in
    the wrong case, and look-alike keys (full-width, Cyrillic): 400 at the
    key's path (at the action for a second key beside an action);
 4. deep nesting: 10_000 nested arrays and objects as the body of every
    body endpoint, 2049+ and 1000 levels inside a known field and inside an
    unknown one, 60_000 levels within max_body_bytes, over max_body_bytes
    (413 JSON) and far over it (libevent's 413): 400/413, and the daemon
    keeps serving after each;
 5. body limits: exactly max_body_bytes accepted and one more refused (413)
    on PUT config, PUT reservation and POSTs; chunked bodies
    (Transfer-Encoding, no Content-Length) accepted under the limit and 413
    over it; an absurd Content-Length;
 6. names in the URL path: '/', '..', '%2e%2e', '%2F', '%00', '%0a', '%0d',
    '%1b', '%7f', raw ESC/DEL/TAB, '%', '%zz', ';', 33, 200, 480 and 5000
    characters, an over-long request line, UTF-8 (raw and %-encoded), a
    Greek look-alike of an existing name, upper case, percent-encoded ASCII
    of an existing name; on every slice route and method, as admin and as
    a slice token: 404 (or 400), a JSON error, nothing changed;
 7. numbers out of range at both edges of every numeric field of PUT
    config, PUT reservation, POST queues and POST /v1/slices: min - 1,
    max + 1, -1, 2**63 - 1, -2**63, 1.0, 1e3, 0.5e1 (400 at the field),
    2**64, -2**63 - 1, 1E400, -1e400 (400 at "$"); and a document with
    every field at its edge is accepted and stored as sent;
 8. a slice token on another slice: every route and method, incl. queues
    and DELETE of the other slice's existing element ids: 404 with the
    message of a missing slice; every admin operation incl. PUT
    .../reservation of its own and another slice: 403;
 9. admission: POST /v1/slices over each capacity and each interface's
    bandwidth (by one and by much) and PUT .../reservation growing past
    what is left: 409 at the resource's path, the message giving what was
    asked, what is left and the shortfall; exactly what is left fits; a
    reservation PUT of the same values on a full node fits; PUT
    .../reservation shrinking below what the configuration uses: 409 at
    "$.filters" or "$.queues", the message giving both numbers.

At the end the daemon must still answer GET /v1/node and exit 0 on SIGTERM.

Prints "N passed, M failed" as the last line; exits non-zero on any failure.
"""

import copy
import http.client
import json
import os
import socket

import sptest

ADMIN = sptest.ADMIN_TOKEN
MAX_BODY = 131072           # room for 60_000 nested arrays and 10_000 nested objects
IFACES = [sptest.iface("eth0", "net_null0", "192.0.2.1"),
          sptest.iface("eth1", "net_null1", "198.51.100.1")]
VDEVS = ["net_null0,no-rx=1", "net_null1,no-rx=1"]
CAPACITY = {"filters": 1024, "queues": 64, "buffers": 4096}
RATE = 10_000_000_000
RATE_MAX = 400_000_000_000
ANY = sptest.ANY
S = {}                      # tokens
LINE_COL = r"line \d+, column \d+"


def fwd(binding, peer, queue=None):
    f = {"binding": binding, "peer": peer}
    if queue is not None:
        f["queue"] = queue
    return {"forward": f}


ALPHA_RES = {"filters": 16, "queues": 4, "buffers": 256,
             "bandwidth": {"eth0": {"in_bps": 1_000_000_000, "out_bps": 1_000_000_000}}}
ALPHA = {
    "bindings": [
        {"id": 0, "interface": "eth0", "udp_port": 8000,
         "default_action": fwd(1, "198.51.100.2:6000", 0)},
        {"id": 1, "interface": "eth0", "udp_port": 8001},
        {"id": 2, "interface": "eth1", "udp_port": 8002, "default_action": {"drop": {}}},
    ],
    "queues": [
        {"id": 0, "binding": 1, "weight": 30, "limit_packets": 512, "limit_bytes": 65536},
        {"id": 1, "binding": 2, "weight": 2, "limit_packets": 64, "limit_bytes": 4096},
    ],
    "filters": [
        {"id": 7, "priority": 10,
         "match": {"binding": 0, "src": "10.0.0.0/8", "dst": "192.168.1.0/24",
                   "protocol": 17, "src_port": [0, 65535], "dst_port": [53, 53]},
         "action": fwd(1, "198.51.100.9:7000", 0)},
        {"id": 3, "priority": 5, "match": {"dst": "10.2.0.0/16"},
         "action": {"exception": {}}},
    ],
    "routes": [
        {"id": 0, "prefix": "10.1.0.0/16", "binding": 1, "peer": "198.51.100.7:5000",
         "queue": 0},
        {"id": 1, "prefix": "0.0.0.0/0", "binding": 2, "peer": "198.51.100.8:5000"},
    ],
}
BETA_RES = {"filters": 8, "queues": 2, "buffers": 64,
            "bandwidth": {"eth1": {"in_bps": 2_000_000_000, "out_bps": 500_000_000}}}
BETA = {
    "bindings": [
        {"id": 0, "interface": "eth0", "udp_port": 8100},
        {"id": 1, "interface": "eth1", "udp_port": 8100,
         "default_action": fwd(0, "198.51.100.70:7000")},
    ],
    "queues": [{"id": 0, "binding": 0, "weight": 3, "limit_packets": 100,
                "limit_bytes": 100000}],
    "filters": [
        {"id": 1, "priority": 1,
         "match": {"binding": 1, "key": "0123456789abcdef012345670000",
                   "mask": "ffffffffffffffffffffffff0000"},
         "action": fwd(0, "198.51.100.71:7000", 0)},
        {"id": 2, "priority": 2, "match": {}, "action": {"drop": {}}},
    ],
    "routes": [],
}


def get_raw(path, token=ADMIN):
    conn = http.client.HTTPConnection("127.0.0.1", api.daemon.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def state_files():
    d = os.path.join(api.daemon.tmp, "state", "slices")
    out = {}
    for f in sorted(os.listdir(d)):
        with open(os.path.join(d, f), "rb") as fh:
            out[f] = fh.read()
    return out


def read_state():
    """GET /v1/slices, each slice's GET (with its config), GET /v1/node, as
    bytes, and the bytes of every state file."""
    st, body = get_raw("/v1/slices")
    snap = {"GET /v1/slices": (st, body), "GET /v1/node": get_raw("/v1/node")}
    try:
        names = [s["name"] for s in json.loads(body)]
    except (ValueError, KeyError, TypeError):
        names = []
    for n in names:
        snap[f"GET /v1/slices/{n}"] = get_raw(f"/v1/slices/{n}")
    for f, raw in state_files().items():
        snap[f"file {f}"] = raw
    return snap


api = sptest.ApiSuite(read_state, cache_state=True)
c = api.checks
req, ok, refused, check_error = api.req, api.ok, api.refused, api.check_error
snapshot, unchanged = api.snapshot, api.unchanged


def raw_request(method, target, token=ADMIN, body=None, headers=(), timeout=20):
    """One request with arbitrary bytes in the request line (http.client
    refuses control characters and non-ASCII); returns (status, headers,
    parsed body), status None if the connection closed without a reply."""
    data = (method.encode() + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Connection: close\r\n")
    if token is not None:
        data += b"Authorization: Bearer " + token.encode() + b"\r\n"
    for h in headers:
        data += h + b"\r\n"
    if body is not None:
        data += b"Content-Type: application/json\r\nContent-Length: " + \
            str(len(body)).encode() + b"\r\n"
    data += b"\r\n" + (body or b"")
    chunks = []
    with socket.create_connection(("127.0.0.1", api.daemon.port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except OSError:
            pass
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
        except OSError:
            pass
    resp = b"".join(chunks)
    if not resp:
        return None, {}, None
    head, _, rbody = resp.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        hdrs[k.decode(errors="replace").strip().lower()] = v.decode(errors="replace").strip()
    try:
        parsed = json.loads(rbody) if rbody else None
    except ValueError:
        parsed = rbody.decode(errors="replace")
    return status, hdrs, parsed


def alive(what):
    try:
        st = req("GET", "/v1/node")[0]
    except OSError as e:
        st = repr(e)
    return c.equal(st, 200, f"{what}: the daemon still answers")


def jpath(keys):
    """The JSON path of a key tuple: ("filters", 0, "match") -> $.filters[0].match."""
    out = "$"
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else f".{k}"
    return out


def nodes(doc, keys=()):
    """Every (key tuple, value) in doc, the root first."""
    yield keys, doc
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from nodes(v, keys + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from nodes(v, keys + (i,))


def replaced(doc, keys, value):
    out = copy.deepcopy(doc)
    o = out
    for k in keys[:-1]:
        o = o[k]
    o[keys[-1]] = value
    return out


def at(doc, keys):
    for k in keys:
        doc = doc[k]
    return doc


# --------------------------------------------------------------------------

def test_setup():
    for name, opt, res, cfg in [("alpha", "ipv4", ALPHA_RES, ALPHA),
                                ("beta", "passthrough", BETA_RES, BETA)]:
        body = ok(f"create {name}", "POST", "/v1/slices", 201,
                  body={"name": name, "code_option": opt, "reservation": res})
        S[name] = body.get("token") if isinstance(body, dict) else None
        got = ok(f"{name}: PUT config", "PUT", f"/v1/slices/{name}/config", 200, body=cfg)
        want = {k: sorted(v, key=lambda x: x["id"]) for k, v in cfg.items()}
        c.equal(got, want, f"{name}: the config as stored")
    S["state0"] = snapshot()


def restore(what):
    """Puts alpha and beta back as test_setup left them (after a section
    that changed them on purpose) and checks that nothing else is left."""
    for name, res, cfg in [("alpha", ALPHA_RES, ALPHA), ("beta", BETA_RES, BETA)]:
        # The reservation first (the config may need it), then again (the
        # old config may have kept it from fitting).
        req("PUT", f"/v1/slices/{name}/reservation", body=res)
        req("PUT", f"/v1/slices/{name}/config", body=cfg)
        req("PUT", f"/v1/slices/{name}/reservation", body=res)
    st, _, lst = req("GET", "/v1/slices")
    for s in lst if isinstance(lst, list) else []:
        if s.get("name") not in ("alpha", "beta"):
            req("DELETE", f"/v1/slices/{s.get('name')}")
    now = snapshot()
    # The files are rewritten with what they held: same bytes.
    for k in sorted(set(now) | set(S["state0"])):
        c.check(now.get(k) == S["state0"].get(k),
                f"{what}: after restoring, {k} is as it was:\n"
                f"    was {S['state0'].get(k)!r}\n    is  {now.get(k)!r}")


# Each endpoint that takes a body, with a valid body for it that would
# change the state (so that accepting a broken one shows), and how to undo
# that body's change.
def endpoints():
    a, b = "/v1/slices/alpha", "/v1/slices/beta"
    return [
        ("POST", "/v1/slices", {"name": "hostile", "code_option": "ipv4", "reservation": {}},
         201),
        ("PUT", f"{a}/config", {"bindings": [{"id": 5, "interface": "eth0",
                                             "udp_port": 8105}]}, 200),
        ("PUT", f"{a}/reservation", {"filters": 15, "queues": 4, "buffers": 10}, 200),
        ("POST", f"{a}/bindings", {"interface": "eth0", "udp_port": 8101}, 201),
        ("POST", f"{a}/queues", {"binding": 0, "weight": 2}, 201),
        ("POST", f"{a}/filters", {"priority": 1, "match": {"dst": "10.9.0.0/16"},
                                  "action": {"drop": {}}}, 201),
        ("POST", f"{a}/routes", {"prefix": "10.9.0.0/16", "binding": 1,
                                 "peer": "198.51.100.9:9"}, 201),
        ("PUT", f"{b}/config", {"bindings": [{"id": 5, "interface": "eth1",
                                             "udp_port": 8205}]}, 200),
    ]


def malformations(valid):
    """(what, bytes) of broken forms of the JSON document 'valid'."""
    text = json.dumps(valid).encode()
    first = next(iter(valid))
    inner = text[:-1]           # the document without its closing brace

    def member(raw_value):
        return inner + b', "zz": ' + raw_value + b"}"

    return [
        ("truncated to half", text[:len(text) // 2]),
        ("without its last byte", text[:-1]),
        ("trailing garbage", text + b" x"),
        ("trailing NUL", text + b"\x00"),
        ("a second document", text + text),
        ("an extra closing brace", text + b"}"),
        ("NaN", member(b"NaN")),
        ("Infinity", member(b"Infinity")),
        ("-Infinity", member(b"-Infinity")),
        ("invalid UTF-8 byte", member(b'"\xff"')),
        ("overlong UTF-8", member(b'"\xc0\xaf"')),
        ("UTF-8 encoded surrogate", member(b'"\xed\xa0\x80"')),
        ("UTF-8 past U+10FFFF", member(b'"\xf4\x90\x80\x80"')),
        ("invalid UTF-8 in a key", inner + b', "\xc3\x28": 1}'),
        ("lone high surrogate", member(b'"\\ud800"')),
        ("lone low surrogate", member(b'"\\udc00"')),
        ("reversed surrogate pair", member(b'"\\udc00\\ud800"')),
        ("high surrogate then ASCII", member(b'"\\ud800\\u0041"')),
        ("lone surrogate in a key", inner + b', "\\udbff": 1}'),
        ("\\u0000 in a key", inner + b', "a\\u0000b": 1}'),
        ("\\u0000 in a value", member(b'"a\\u0000b"')),
        ("duplicate key", inner + b", " + json.dumps(first).encode() + b": " +
         json.dumps(valid[first]).encode() + b"}"),
        ("duplicate nested key", member(b'{"a": 1, "a": 2}')),
        ("a BOM", b"\xef\xbb\xbf" + text),
        ("a comment", text[:1] + b"/* x */" + text[1:]),
        ("single quotes", member(b"'x'")),
        ("hex number", member(b"0x10")),
        ("leading zero", member(b"01")),
        ("plus sign", member(b"+1")),
        ("bare fraction", member(b".5")),
        ("trailing comma", inner + b",}"),
    ]


def test_malformed_json():
    for method, path, valid, _ in endpoints():
        for what, raw in malformations(valid):
            refused(f"{method} {path}: {what}", method, path, 400, "invalid_argument", "$",
                    (LINE_COL,), raw=raw)
    alive("after malformed JSON")
    # Valid JSON whose strings are what the fields refuse.
    refused("create: a name with an emoji (surrogate pair)", "POST", "/v1/slices", 400,
            "invalid_argument", "$.name", raw=b'{"name": "a\\ud83d\\ude00", '
            b'"code_option": "ipv4", "reservation": {}}')
    refused("binding: a Cyrillic e in eth0", "POST", "/v1/slices/alpha/bindings", 400,
            "invalid_argument", "$.interface",
            body={"interface": "\u0435th0", "udp_port": 8101})
    # The same bodies unbroken are accepted: it was the breakage that was refused.
    for method, path, valid, status in endpoints():
        ok(f"{method} {path}: the valid body", method, path, status, body=valid)
        restore(f"after {method} {path} with the valid body")


def test_wrong_types():
    wrong = {
        int: ["1", 1.5, 1.0, True, None, [], {}],
        str: [1, True, None, [], {}],
        dict: [[], "x", 1, None, True],
        list: [{}, "x", 1, None, True],
    }
    docs = [("alpha config", "PUT", "/v1/slices/alpha/config", ALPHA),
            ("beta config", "PUT", "/v1/slices/beta/config", BETA),
            ("alpha reservation", "PUT", "/v1/slices/alpha/reservation", ALPHA_RES),
            ("alpha queue", "POST", "/v1/slices/alpha/queues",
             {"id": 9, "binding": 1, "weight": 3, "limit_packets": 10, "limit_bytes": 999})]
    for what, method, path, doc in docs:
        for keys, value in nodes(doc):
            if not keys:
                continue
            for w in wrong[type(value)]:
                refused(f"{what}: {jpath(keys)} = {w!r}", method, path, 400,
                        "invalid_argument", jpath(keys), body=replaced(doc, keys, w))


def test_unknown_fields():
    docs = [("alpha config", "PUT", "/v1/slices/alpha/config", ALPHA),
            ("beta config", "PUT", "/v1/slices/beta/config", BETA),
            ("alpha reservation", "PUT", "/v1/slices/alpha/reservation", ALPHA_RES),
            ("alpha queue", "POST", "/v1/slices/alpha/queues", {"binding": 1, "weight": 3}),
            ("create", "POST", "/v1/slices",
             {"name": "hostile", "code_option": "ipv4", "reservation": ALPHA_RES})]
    actions = {"forward", "drop", "exception"}
    for what, method, path, doc in docs:
        for keys, value in nodes(doc):
            if not isinstance(value, dict):
                continue
            is_action = len(value) == 1 and set(value) <= actions
            extra = dict(value, zz_unknown=1)
            want = jpath(keys) if is_action else jpath(keys + ("zz_unknown",))
            body = replaced(doc, keys, extra) if keys else extra
            refused(f"{what}: unknown key in {jpath(keys)}", method, path, 400,
                    "invalid_argument", want,
                    (r"exactly one",) if is_action else (r"unknown|no interface",),
                    body=body)
            if value:
                # Its first key in upper case.
                k0 = next(iter(value))
                renamed = {(k.upper() if k == k0 else k): v for k, v in value.items()}
                body = replaced(doc, keys, renamed) if keys else renamed
                refused(f"{what}: {jpath(keys + (k0.upper(),))}", method, path, 400,
                        "invalid_argument", jpath(keys + (k0.upper(),)), body=body)
    # Look-alikes of known keys.
    for key in ["\uff49\uff44", "i\u0064\u200b", "b\u0456ndings", "bindings ", " bindings"]:
        refused(f"PUT config: key {key!r}", "PUT", "/v1/slices/alpha/config", 400,
                "invalid_argument", f"$.{key}", (r"unknown",), body={key: []})


def test_deep_nesting():
    a = "/v1/slices/alpha"
    deep_a = b"[" * 10_000 + b"]" * 10_000
    deep_o = b'{"a":' * 10_000 + b"1" + b"}" * 10_000
    for method, path, _, _ in endpoints():
        for what, raw in [("10000 nested arrays", deep_a), ("10000 nested objects", deep_o),
                          ("10000 unclosed objects", b'{"a":' * 10_000)]:
            refused(f"{method} {path}: {what}", method, path, 400, "invalid_argument", "$",
                    (LINE_COL,), raw=raw)
        alive(f"{method} {path} after deep documents")

    def arr(n):
        return b"[" * n + b"]" * n

    def obj(n):
        return b'{"a":' * n + b"1" + b"}" * n

    for n, parse_ok in [(3000, False), (1000, True)]:
        cases = [
            ("in bindings", "PUT", f"{a}/config", b'{"bindings": [' + arr(n) + b"]}",
             "$.bindings[0]"),
            ("in a match", "PUT", f"{a}/config",
             b'{"filters": [{"id": 1, "priority": 1, "match": ' + obj(n) +
             b', "action": {"drop": {}}}]}', "$.filters[0].match.a"),
            ("in dst_port", "POST", f"{a}/filters",
             b'{"priority": 1, "match": {"dst_port": ' + arr(n) + b'}, '
             b'"action": {"drop": {}}}', "$.match.dst_port"),
            ("in a forward", "POST", f"{a}/routes",
             b'{"prefix": "10.9.0.0/16", "binding": ' + arr(n) +
             b', "peer": "198.51.100.9:9"}', "$.binding"),
            ("in bandwidth", "PUT", f"{a}/reservation",
             b'{"bandwidth": {"eth0": ' + arr(n) + b"}}", "$.bandwidth.eth0"),
            ("in an unknown key", "PUT", f"{a}/reservation",
             b'{"filters": 1, "deep": ' + obj(n) + b"}", "$.deep"),
            ("in a slice's reservation", "POST", "/v1/slices",
             b'{"name": "deep", "code_option": "ipv4", "reservation": {"queues": ' + arr(n) +
             b"}}", "$.reservation.queues"),
        ]
        for what, method, path, raw, epath in cases:
            refused(f"{n} levels {what}", method, path, 400, "invalid_argument",
                          epath if parse_ok else "$", () if parse_ok else (LINE_COL,),
                          raw=raw)
        alive(f"after {n} levels inside known fields")

    # Within max_body_bytes, but deeper than the parser goes.
    refused("60000 nested arrays (within the limit)", "PUT", f"{a}/config", 400,
            "invalid_argument", "$", (LINE_COL,), raw=arr(60_000))
    # Over it: the JSON 413 up to 4 x max_body_bytes + 64 KiB, libevent's past it.
    refused("100000 nested arrays (over the limit)", "PUT", f"{a}/config", 413,
            "payload_too_large", msg=(str(MAX_BODY),), raw=arr(100_000))
    refused("400000 unclosed arrays", "PUT", f"{a}/config", 413, "payload_too_large",
            raw=b"[" * 400_000)
    before = snapshot()
    st, _, _ = raw_request("PUT", f"{a}/config".encode(), body=b"[" * 1_000_000)
    c.check(st in (413, None), f"1000000 unclosed arrays: status {st} (413, or the "
            "connection closed)")
    unchanged("1000000 unclosed arrays", before)
    alive("after the deepest documents")


def test_body_limits():
    a = "/v1/slices/alpha"
    for method, path, valid, status in endpoints():
        text = json.dumps(valid).encode()
        over = text[:-1] + b" " * (MAX_BODY + 1 - len(text)) + b"}"
        c.equal(len(over), MAX_BODY + 1, "padded length")
        refused(f"{method} {path}: max_body_bytes + 1", method, path, 413,
                "payload_too_large", msg=(str(MAX_BODY),), raw=over)
    # Exactly max_body_bytes: accepted (the stored config does not change).
    text = json.dumps(ALPHA).encode()
    exact = text[:-1] + b" " * (MAX_BODY - len(text)) + b"}"
    got = ok("PUT config of exactly max_body_bytes", "PUT", f"{a}/config", 200, raw=exact)
    c.equal(got, {k: sorted(v, key=lambda x: x["id"]) for k, v in ALPHA.items()},
            "PUT config of exactly max_body_bytes: reply")
    restore("after the exact body")

    def chunked(what, parts, status, code=None):
        before = snapshot()
        conn = http.client.HTTPConnection("127.0.0.1", api.daemon.port, timeout=30)
        try:
            conn.request("PUT", f"{a}/reservation", body=iter(parts), encode_chunked=True,
                         headers={"Authorization": f"Bearer {ADMIN}",
                                  "Content-Type": "application/json"})
            resp = conn.getresponse()
            st, text = resp.status, resp.read()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
        except OSError as e:
            st, text, hdrs = repr(e), b"", {}
        finally:
            conn.close()
        try:
            body = json.loads(text)
        except ValueError:
            body = text.decode(errors="replace")
        if code is not None:
            check_error(what, (st, hdrs, body), status, code)
        else:
            c.equal(st, status, f"{what}: status ({body!r})")
        if status >= 400:
            unchanged(what, before)
        return body

    res = json.dumps(ALPHA_RES).encode()
    got = chunked("chunked reservation under the limit",
                  [res[:1], b" " * 1000, res[1:9], res[9:20], res[20:]], 200)
    c.equal(got.get("reservation") if isinstance(got, dict) else got, ALPHA_RES,
            "chunked reservation under the limit: reply")
    chunked("chunked reservation over the limit",
            [res[:-1]] + [b" " * 20_000] * 7 + [b"}"], 413, "payload_too_large")
    # Far over the limit libevent answers (its own 413) and closes the
    # connection while the client may still be sending: a reset instead of
    # the reply is the kernel's doing, not the daemon's.
    before = snapshot()
    conn = http.client.HTTPConnection("127.0.0.1", api.daemon.port, timeout=30)
    try:
        conn.request("PUT", f"{a}/reservation", encode_chunked=True,
                     body=iter([res[:-1]] + [b" " * 100_000] * 10 + [b"}"]),
                     headers={"Authorization": f"Bearer {ADMIN}",
                              "Content-Type": "application/json"})
        st = conn.getresponse().status
    except (OSError, http.client.HTTPException) as e:
        st = f"connection cut ({e!r})"
    finally:
        conn.close()
    c.check(st == 413 or str(st).startswith("connection cut"),
            f"chunked reservation far over the limit: {st}")
    unchanged("chunked reservation far over the limit", before)
    alive("after chunked bodies")
    restore("after the chunked bodies")
    before = snapshot()
    st, _, _ = raw_request("PUT", f"{a}/reservation".encode(), body=None,
                           headers=[b"Content-Type: application/json",
                                    b"Content-Length: 1000000000000"])
    c.equal(st, 413, "Content-Length 10**12 without a body")
    unchanged("Content-Length 10**12", before)
    alive("after an absurd Content-Length")


# Every route under /v1/slices/{name}: (method, rest of the path, body).
SLICE_ROUTES = [
    ("GET", "", None), ("DELETE", "", None),
    ("GET", "/config", None), ("PUT", "/config", {}),
    ("PUT", "/reservation", {}),
    ("GET", "/bindings", None), ("POST", "/bindings", {"interface": "eth0", "udp_port": 8300}),
    ("DELETE", "/bindings/1", None),
    ("GET", "/queues", None), ("POST", "/queues", {"binding": 1}),
    ("DELETE", "/queues/1", None),
    ("GET", "/filters", None),
    ("POST", "/filters", {"priority": 1, "match": {}, "action": {"drop": {}}}),
    ("DELETE", "/filters/3", None),
    ("GET", "/routes", None),
    ("POST", "/routes", {"prefix": "10.30.0.0/16", "binding": 1, "peer": "198.51.100.3:3"}),
    ("DELETE", "/routes/1", None),
    ("GET", "/stats", None),
]


def test_url_names():
    names = [b"a/b", b"alpha/x", b"..", b"%2e%2e", b"%2E%2E", b"%2F", b"alpha%2F..%2Fbeta",
             b"%00", b"alpha%00", b"%0a", b"alpha%0a", b"%0d%0a", b"%1b", b"%1b%5b31m",
             b"%7f", b"a\x1bb", b"a\x7fb", b"a\tb", b"%", b"%zz", b"%2", b"alpha;x",
             b"%20alpha", b"alpha%20", b"a" * 33, b"a" * 200, b"a" * 480, b"a" * 5000,
             b"%C3%A9", "\u00e9t\u00e9".encode(), "\u03b1lpha".encode(), b"%CE%B1lpha",
             "\u212blpha".encode(), b"ALPHA", b"Alpha", b"\xff\xfe", b"%ff",
             b"beta/../alpha", b"alpha/../beta"]
    for name in names:
        for method, sub, body in SLICE_ROUTES:
            target = b"/v1/slices/" + name + sub.encode()
            for who, token in (("admin", ADMIN), ("beta token", S["beta"])):
                what = f"{who}: {method} {target[:70]!r}"
                before = snapshot()
                resp = raw_request(method, target, token=token,
                                   body=None if body is None else json.dumps(body).encode())
                st = resp[0]
                # A slice token on an admin route is refused before the
                # name is looked at (403, which says nothing about names),
                # if the path has the route's shape at all.
                admin_only = (method, sub) in (("DELETE", ""), ("PUT", "/reservation"))
                shaped = b"/" not in name and len(target) < 512
                if token != ADMIN and admin_only and shaped:
                    check_error(what, resp, 403, "permission_denied")
                elif st == 400:
                    check_error(what, resp, 400, "invalid_argument")
                else:
                    check_error(what, resp, 404, "not_found")
                unchanged(what, before)
    # Percent-encoded ASCII of an existing name: either not found, or that
    # very slice, never another.
    for name in (b"alph%61", b"%61lpha"):
        st, _, body = raw_request("GET", b"/v1/slices/" + name)
        c.check(st == 404 or (st == 200 and isinstance(body, dict) and
                              body.get("name") == "alpha"),
                f"GET /v1/slices/{name.decode()}: {st} {body!r}")
    # A request line longer than the HTTP layer takes.
    before = snapshot()
    st, _, body = raw_request("GET", b"/v1/slices/" + b"a" * 20000)
    c.check(st in (400, 404, 414, 431), f"a 20000-character name: status {st} ({body!r})")
    unchanged("a 20000-character name", before)
    alive("after the odd names")


# Numeric fields: key tuple in a document -> (min, max).
def numeric_ranges(doc, id_range=None):
    ranges = {}
    for keys, v in nodes(doc):
        if not isinstance(v, int) or isinstance(v, bool):
            continue
        last = keys[-1]
        parent = keys[-2] if len(keys) > 1 else None
        if isinstance(last, int):                       # src_port[i], dst_port[i]
            r = (0, 65535)
        elif last == "id":
            r = id_range or {"bindings": (0, 63), "queues": (0, 65535)}.get(
                keys[0], (0, 4294967294))
        elif last == "udp_port":
            r = (1, 65535)
        elif last == "binding":
            r = (0, 63)
        elif last == "queue":
            r = (0, 65535)
        elif last == "weight":
            r = (1, 10000)
        elif last == "limit_packets":
            r = (1, 65536)
        elif last == "limit_bytes":
            r = (64, 1 << 30)
        elif last == "priority":
            r = (0, 2147483647)
        elif last == "protocol":
            r = (0, 255)
        elif last == "filters":
            r = (0, 1 << 24)
        elif last == "queues":
            r = (0, 1 << 16)
        elif last == "buffers":
            r = (0, 1 << 22)
        elif last in ("in_bps", "out_bps"):
            r = (0, RATE_MAX)
        else:
            raise KeyError(f"no range for {jpath(keys)} (parent {parent})")
        ranges[keys] = r
    return ranges


def test_numbers():
    docs = [("alpha config", "PUT", "/v1/slices/alpha/config", ALPHA),
            ("beta config", "PUT", "/v1/slices/beta/config", BETA),
            ("alpha reservation", "PUT", "/v1/slices/alpha/reservation",
             dict(ALPHA_RES, bandwidth={"eth0": {"in_bps": 5, "out_bps": 5},
                                         "eth1": {"in_bps": 5, "out_bps": 5}})),
            ("alpha queue", "POST", "/v1/slices/alpha/queues",
             {"id": 9, "binding": 1, "weight": 3, "limit_packets": 10, "limit_bytes": 999}),
            ("create", "POST", "/v1/slices",
             {"name": "hostile", "code_option": "ipv4",
              "reservation": {"filters": 1, "queues": 1, "buffers": 1,
                              "bandwidth": {"eth1": {"in_bps": 1, "out_bps": 1}}}})]
    for what, method, path, doc in docs:
        ids = (0, 65535) if what == "alpha queue" else None
        for keys, (lo, hi) in numeric_ranges(doc, ids).items():
            p = jpath(keys)
            vals = {hi + 1, -1, 2 ** 63 - 1, -(2 ** 63)}
            if lo > 0:
                vals.add(lo - 1)
            for v in sorted(vals):
                refused(f"{what}: {p} = {v}", method, path, 400, "invalid_argument", p,
                        (r"out of range",), body=replaced(doc, keys, v))
            sentinel = "__NUMBER__"
            text = json.dumps(replaced(doc, keys, sentinel))
            for lit, epath, pat in [("1.0", p, r"expected an integer"),
                                    ("1e3", p, r"expected an integer"),
                                    ("0.5e1", p, r"expected an integer"),
                                    (str(hi) + ".0", p, r"expected an integer"),
                                    ("18446744073709551616", "$", LINE_COL),
                                    ("-9223372036854775809", "$", LINE_COL),
                                    ("1E400", "$", LINE_COL),
                                    ("-1e400", "$", LINE_COL)]:
                refused(f"{what}: {p} = {lit}", method, path, 400, "invalid_argument", epath,
                        (pat,), raw=text.replace(f'"{sentinel}"', lit).encode())

    # Every field at an edge of its range, accepted and stored as sent.
    edges = {
        "bindings": [{"id": 0, "interface": "eth0", "udp_port": 1},
                     {"id": 63, "interface": "eth1", "udp_port": 65535,
                      "default_action": fwd(63, "198.51.100.1:65535", 65535)}],
        "queues": [{"id": 0, "binding": 0, "weight": 1, "limit_packets": 1, "limit_bytes": 64},
                   {"id": 65535, "binding": 63, "weight": 10000, "limit_packets": 65536,
                    "limit_bytes": 1 << 30}],
        "filters": [{"id": 0, "priority": 0,
                     "match": {"binding": 0, "protocol": 0, "src_port": [0, 0],
                               "dst_port": [65535, 65535]},
                     "action": fwd(0, "198.51.100.1:1", 0)},
                    {"id": 4294967294, "priority": 2147483647,
                     "match": {"binding": 63, "protocol": 255, "src": "0.0.0.0/0",
                               "dst": "255.255.255.255/32"},
                     "action": {"drop": {}}}],
        "routes": [{"id": 0, "prefix": "10.0.0.0/8", "binding": 63, "peer": "198.51.100.1:1",
                    "queue": 65535},
                   {"id": 4294967294, "prefix": "0.0.0.0/0", "binding": 0,
                    "peer": "1.0.0.1:65535"}],
    }
    got = ok("alpha: PUT config with every field at an edge", "PUT",
             "/v1/slices/alpha/config", 200, body=edges)
    c.equal(got, edges, "alpha: the edges, stored as sent")
    c.equal(req("GET", "/v1/slices/alpha/config")[2], edges, "alpha: GET config of the edges")
    full = {"filters": CAPACITY["filters"] - BETA_RES["filters"],
            "queues": CAPACITY["queues"] - BETA_RES["queues"],
            "buffers": CAPACITY["buffers"] - BETA_RES["buffers"],
            "bandwidth": {"eth0": {"in_bps": RATE, "out_bps": RATE},
                          "eth1": {"in_bps": 0, "out_bps": 0}}}
    got = ok("alpha: reservation at the node's capacity", "PUT", "/v1/slices/alpha/reservation",
             200, body=full)
    c.equal(got.get("reservation") if isinstance(got, dict) else got, full,
            "alpha: the reservation at the node's capacity, stored as sent")
    restore("after the edges")


def test_cross_slice():
    a, n = "/v1/slices/alpha", "/v1/slices/nosuch"
    for method, sub, body in SLICE_ROUTES + [("DELETE", "/bindings/0", None),
                                             ("DELETE", "/queues/0", None),
                                             ("DELETE", "/filters/7", None),
                                             ("DELETE", "/routes/0", None)]:
        if (method, sub) in (("DELETE", ""), ("PUT", "/reservation")):
            continue        # admin operations: below
        o = refused(f"beta token: {method} alpha{sub}", method, a + sub, 404, "not_found",
                    token=S["beta"], body=body)
        m = refused(f"beta token: {method} nosuch{sub}", method, n + sub, 404, "not_found",
                    token=S["beta"], body=body)
        c.equal(json.dumps(o).replace("alpha", "X"), json.dumps(m).replace("nosuch", "X"),
                f"beta token: {method} alpha{sub}: the 404 of a missing slice")
    for token_name in ("alpha", "beta"):
        t = S[token_name]
        for method, path, body in [
                ("PUT", "/v1/slices/alpha/reservation", ALPHA_RES),
                ("PUT", "/v1/slices/beta/reservation", BETA_RES),
                ("PUT", "/v1/slices/nosuch/reservation", {}),
                ("PUT", "/v1/slices/alpha/reservation", {"filters": 1000}),
                ("DELETE", "/v1/slices/alpha", None),
                ("DELETE", "/v1/slices/beta", None),
                ("DELETE", "/v1/slices/nosuch", None),
                ("GET", "/v1/slices", None),
                ("POST", "/v1/slices", {"name": "mine", "code_option": "ipv4",
                                        "reservation": {}}),
                ("GET", "/v1/node", None),
                ("GET", "/v1/stats", None)]:
            refused(f"{token_name} token: {method} {path}", method, path, 403,
                    "permission_denied", token=t, body=body)
    # Paths that walk from one's own slice to another's.
    for target in [b"/v1/slices/alpha/../beta", b"/v1/slices/alpha/../beta/config",
                   b"/v1/slices/alpha/%2e%2e/beta/config", b"/v1/slices/alpha%2f..%2fbeta",
                   b"/v1/slices/alpha/./config", b"/v1/slices//beta/config"]:
        before = snapshot()
        check_error(f"alpha token: GET {target!r}",
                    raw_request("GET", target, token=S["alpha"]), 404, "not_found")
        unchanged(f"alpha token: GET {target!r}", before)
    # After all of it alpha still has what beta's token tried to delete.
    c.equal(req("GET", "/v1/slices/alpha/config")[2],
            {k: sorted(v, key=lambda x: x["id"]) for k, v in ALPHA.items()},
            "alpha's config after beta's token tried everything")


# What a reservation counts, besides bandwidth.
FIELDS = ("filters", "queues", "buffers", "program_cycles_per_sec")


def test_admission():
    free = req("GET", "/v1/node")[2]["free"]
    base = {"name": "greedy", "code_option": "ipv4"}
    # POST /v1/slices over each capacity.
    for field in FIELDS:
        left = free[field]
        for want in (left + 1, left + 1000):
            refused(f"create: {field} {want} ({want - left} over)", "POST", "/v1/slices",
                    409, "conflict", f"$.reservation.{field}",
                    (rf"\b{want}\b", rf"\b{left}\b left", rf"\({want - left} short\)"),
                    body=dict(base, reservation={field: want}))
    for ifname in ("eth0", "eth1"):
        for d in ("in_bps", "out_bps"):
            left = free["bandwidth"][ifname][d]
            for want in (left + 1, RATE_MAX):
                other = "out_bps" if d == "in_bps" else "in_bps"
                refused(f"create: {ifname} {d} {want}", "POST", "/v1/slices", 409, "conflict",
                        f"$.reservation.bandwidth.{ifname}.{d}",
                        (rf"\b{want}\b", rf"\b{left}\b left", rf"\({want - left} short\)",
                         ifname),
                        body=dict(base, reservation={"bandwidth": {ifname: {d: want,
                                                                             other: 0}}}))
    # Exactly what is left fits.
    every = {**{f: free[f] for f in FIELDS}, "bandwidth": free["bandwidth"]}
    ok("create: exactly what is left", "POST", "/v1/slices", 201,
       body=dict(base, reservation=every))
    c.equal(req("GET", "/v1/node")[2]["free"],
            {**{f: 0 for f in FIELDS},
             "bandwidth": {i: {"in_bps": 0, "out_bps": 0} for i in ("eth0", "eth1")}},
            "nothing left")
    # On a full node, a reservation PUT of the same values fits (the slice's
    # own reservation is not counted against it) and one more does not.
    ok("alpha: same reservation on a full node", "PUT", "/v1/slices/alpha/reservation", 200,
       body=ALPHA_RES)
    refused("alpha: one more buffer on a full node", "PUT", "/v1/slices/alpha/reservation",
            409, "conflict", "$.buffers", (r"\b257\b", r"\b256\b left", r"\(1 short\)"),
            body=dict(ALPHA_RES, buffers=ALPHA_RES["buffers"] + 1))
    ok("delete greedy", "DELETE", "/v1/slices/greedy", 204)

    # PUT .../reservation growing past what is left: the slice's own
    # reservation counts as left for it.
    free = req("GET", "/v1/node")[2]["free"]
    for field in FIELDS:
        left = free[field] + ALPHA_RES.get(field, 0)
        for want in (left + 1, left + 500):
            refused(f"alpha: reservation {field} {want}", "PUT",
                    "/v1/slices/alpha/reservation", 409, "conflict", f"$.{field}",
                    (rf"\b{want}\b", rf"\b{left}\b left", rf"\({want - left} short\)"),
                    body=dict(ALPHA_RES, **{field: want}))
    for ifname in ("eth0", "eth1"):
        for d in ("in_bps", "out_bps"):
            own = ALPHA_RES["bandwidth"].get(ifname, {}).get(d, 0)
            left = free["bandwidth"][ifname][d] + own
            want = left + 1
            bw = copy.deepcopy(ALPHA_RES["bandwidth"])
            bw.setdefault(ifname, {"in_bps": 0, "out_bps": 0})[d] = want
            refused(f"alpha: reservation {ifname} {d} {want}", "PUT",
                    "/v1/slices/alpha/reservation", 409, "conflict",
                    f"$.bandwidth.{ifname}.{d}",
                    (rf"\b{want}\b", rf"\b{left}\b left", rf"\(1 short\)", ifname),
                    body=dict(ALPHA_RES, bandwidth=bw))
    # Exactly all that is left, then back.
    grown = {**{f: free[f] + ALPHA_RES.get(f, 0) for f in FIELDS},
             "bandwidth": {i: {d: free["bandwidth"][i][d] +
                               ALPHA_RES["bandwidth"].get(i, {}).get(d, 0)
                               for d in ("in_bps", "out_bps")} for i in ("eth0", "eth1")}}
    got = ok("alpha: reservation of all that is left", "PUT", "/v1/slices/alpha/reservation",
             200, body=grown)
    c.equal(got.get("reservation") if isinstance(got, dict) else got, grown,
            "alpha: the grown reservation")
    c.equal(req("GET", "/v1/node")[2]["free"],
            {**{f: 0 for f in FIELDS},
             "bandwidth": {i: {"in_bps": 0, "out_bps": 0} for i in ("eth0", "eth1")}},
            "nothing left after alpha grew")
    ok("alpha: back to its reservation", "PUT", "/v1/slices/alpha/reservation", 200,
       body=ALPHA_RES)
    c.equal(req("GET", "/v1/node")[2]["free"], free, "free after alpha shrank back")

    # Shrinking below what the configuration uses: alpha has 2 filters and
    # 2 routes (4 of "filters") and 2 queues; beta 2 filters and 1 queue.
    for name, res, field, used, want in [
            ("alpha", ALPHA_RES, "filters", 4, 3), ("alpha", ALPHA_RES, "filters", 4, 0),
            ("alpha", ALPHA_RES, "queues", 2, 1), ("beta", BETA_RES, "filters", 2, 1),
            ("beta", BETA_RES, "queues", 1, 0)]:
        refused(f"{name}: reservation {field} {want} below the {used} it uses", "PUT",
                f"/v1/slices/{name}/reservation", 409, "conflict", f"$.{field}",
                (rf"\b{used}\b", rf"\b{want}\b"), body=dict(res, **{field: want}))
    # Down to exactly what is used fits.
    ok("alpha: reservation down to what it uses", "PUT", "/v1/slices/alpha/reservation", 200,
       body={"filters": 4, "queues": 2})
    refused("alpha: then one more filter", "POST", "/v1/slices/alpha/filters", 409, "conflict",
            "$", body={"priority": 1, "match": {}, "action": {"drop": {}}})
    restore("after admission")


def test_end():
    restore("at the end")
    alive("at the end")


SECTIONS = [test_setup, test_malformed_json, test_wrong_types, test_unknown_fields,
            test_deep_nesting, test_body_limits, test_url_names, test_numbers,
            test_cross_slice, test_admission, test_end]


if __name__ == "__main__":
    api.main(SECTIONS, IFACES, VDEVS, max_body_bytes=MAX_BODY)
