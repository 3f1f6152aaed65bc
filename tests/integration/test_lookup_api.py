#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""REST API of a slice's lookup: filters, routes and the whole configuration.

Usage: test_lookup_api.py PATH-TO-SLICEPATHD

Starts one slicepathd on two net_null ports (no traffic, no privileges
needed) and exercises, against the contract (../shared/API.md):

- GET/POST /v1/slices/{n}/filters and DELETE .../filters/{id} on an ipv4
  slice (named match fields) and on a passthrough slice (112-bit key/mask);
- GET/POST /v1/slices/{n}/routes and DELETE .../routes/{id};
- GET/PUT /v1/slices/{n}/config, which replaces bindings, filters and routes
  at once, and the filters listed by GET /v1/slices/{n}/stats;
- the reservation (filters and routes count together), bindings in use by a
  filter or route, and who may do what (admin, own token, another slice's).

Every refusal is checked for status, error code and the exact JSON path
(paths of POST bodies start at "$", of PUT documents at the element,
"$.filters[2].match.dst_port"); around every refusal the raw bytes of every
slice's GET documents (slice, config, bindings, filters, routes, stats) and
of GET /v1/node must be identical.  At the end the daemon must still answer
and exit 0 on SIGTERM.

Prints "N passed, M failed" as the last line; exits non-zero on any failure.
"""

import copy
import http.client
import json
import random
import re

import sptest

ADMIN = sptest.ADMIN_TOKEN
MAX_BODY = 65536
IFACES = [sptest.iface("eth0", "net_null0", "192.0.2.1"),
          sptest.iface("eth1", "net_null1", "198.51.100.1")]
VDEVS = ["net_null0,no-rx=1", "net_null1,no-rx=1"]

ANY = sptest.ANY        # "do not check the error path"
DEL = object()          # "leave this key out"
S = {}                  # slice tokens


def get_raw(path):
    """GET as admin; returns (status, the body's bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", api.daemon.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {ADMIN}"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def read_state():
    """The raw bytes of every stored document a refusal must not change (the
    suite's read_state: api.snapshot() and api.refused() call it)."""
    st, body = get_raw("/v1/slices")
    snap = {"GET /v1/slices": (st, body), "GET /v1/node": get_raw("/v1/node")}
    try:
        names = [s["name"] for s in json.loads(body)]
    except (ValueError, KeyError, TypeError):
        names = []
    for n in names:
        for sub in ("", "/config", "/bindings", "/filters", "/routes", "/stats"):
            p = f"/v1/slices/{n}{sub}"
            snap[f"GET {p}"] = get_raw(p)
    return snap


# Only a non-GET request through req() changes the state: read it once while
# nothing has changed it.
api = sptest.ApiSuite(read_state, cache_state=True)
c = api.checks
req, ok, refused, check_error = api.req, api.ok, api.refused, api.check_error
snapshot, unchanged = api.snapshot, api.unchanged


def get(path, token=ADMIN):
    st, _, body = req("GET", path, token=token)
    c.equal(st, 200, f"GET {path}: status")
    return body


def edit(doc, *changes):
    """A deep copy of doc with (key path tuple, value) changes; DEL removes."""
    out = copy.deepcopy(doc)
    for keys, value in changes:
        o = out
        for k in keys[:-1]:
            o = o[k]
        if value is DEL:
            del o[keys[-1]]
        else:
            o[keys[-1]] = value
    return out


def by_id(items):
    return sorted(items, key=lambda x: x["id"])


def fwd(binding, peer):
    return {"forward": {"binding": binding, "peer": peer}}


# Prefixes an ipv4 filter or route must refuse, with a message pattern.
BAD_PREFIXES = [
    ("10.0.0.1/8", [r"10\.0\.0\.0/8"]),          # host bits: suggests the prefix
    ("10.0.0.0/0", [r"0\.0\.0\.0/0"]),
    ("192.168.1.1/24", [r"192\.168\.1\.0/24"]),
    ("10.0.0.0/33", []), ("10.0.0.0/", []), ("1.2.3/8", []), ("10.0.0.0/08", []),
    ("10.0.0.0/00", []), ("10.0.0.0/-1", []), ("10.0.0.0/+8", []),
    ("10.0.0.0/8 ", []), (" 10.0.0.0/8", []), ("10.0.0.0/8/8", []),
    ("10.0.0.0//8", []), ("10.0.0.0/x", []), ("10.0.0.0/1e1", []),
    ("010.0.0.0/8", []), ("256.0.0.0/8", []), ("10.0.0/8", []), ("/8", []),
    ("10.0.0.0.0/8", []), ("host.example/8", []), ("::/0", []), ("", []),
    ("255.255.255.255/32/", []), ("10.0.0.0/4294967304", []),
    (10, [r"string"]), (None, []), (["10.0.0.0/8"], []), ({"addr": "10.0.0.0"}, []),
]


# --------------------------------------------------------------------------

def test_setup():
    slices = [("r1", "ipv4", {"filters": 64}),
              ("p1", "passthrough", {"filters": 16}),
              ("small", "ipv4", {"filters": 3}),
              ("zero", "ipv4", {}),
              ("c1", "ipv4", {"filters": 16}),
              ("c2", "ipv4", {"filters": 16})]
    for name, opt, res in slices:
        body = ok(f"create {name}", "POST", "/v1/slices", 201,
                  body={"name": name, "code_option": opt, "reservation": res})
        S[name] = body.get("token") if isinstance(body, dict) else None
    for slice_, b in [("r1", {"id": 0, "interface": "eth0", "udp_port": 6000}),
                      ("r1", {"id": 1, "interface": "eth0", "udp_port": 6001}),
                      ("r1", {"id": 2, "interface": "eth1", "udp_port": 6000}),
                      ("r1", {"id": 3, "interface": "eth1", "udp_port": 6001}),
                      ("p1", {"id": 0, "interface": "eth0", "udp_port": 6100}),
                      ("p1", {"id": 1, "interface": "eth1", "udp_port": 6100}),
                      ("small", {"id": 0, "interface": "eth1", "udp_port": 6300}),
                      ("zero", {"id": 0, "interface": "eth1", "udp_port": 6400}),
                      ("c2", {"id": 0, "interface": "eth0", "udp_port": 7100})]:
        ok(f"binding {b['id']} of {slice_}", "POST", f"/v1/slices/{slice_}/bindings",
           201, body=b)
    for name, _, _ in slices:
        c.equal(get(f"/v1/slices/{name}/filters"), [], f"{name} starts without filters")
        c.equal(get(f"/v1/slices/{name}/routes"), [], f"{name} starts without routes")


# --------------------------------------------------------------------------

FULL = {"id": 10, "priority": 5,
        "match": {"binding": 0, "src": "10.0.0.0/8", "dst": "192.168.1.0/24",
                  "protocol": 17, "src_port": [0, 65535], "dst_port": [53, 53]},
        "action": fwd(1, "198.51.100.9:7000")}


def test_ipv4_filters():
    f = "/v1/slices/r1/filters"
    r1 = S["r1"]

    got = ok("POST the full filter", "POST", f, 201, body=FULL)
    c.equal(got, FULL, "POST reply: the filter as given")

    base = {"id": 30, "priority": 5, "match": {"dst": "10.1.0.0/16"},
            "action": {"drop": {}}}

    def m(**kw):
        mm = {"dst": "10.1.0.0/16"}
        for k, v in kw.items():
            if v is DEL:
                mm.pop(k, None)
            else:
                mm[k] = v
        return edit(base, (("match",), mm))

    cases = [
        # (what, body, path, message patterns)
        ("unknown key in filter", edit(base, (("color",), "red")), "$.color", []),
        ("unknown key 'routes' in filter", edit(base, (("routes",), [])), "$.routes", []),
        ("unknown key in match", m(color=1), "$.match.color", [r"unknown"]),
        ("key on an ipv4 slice", m(key="00" * 14), "$.match.key", [r"unknown"]),
        ("mask on an ipv4 slice", m(mask="ff" * 14), "$.match.mask", [r"unknown"]),
        ("key and mask on an ipv4 slice", m(dst=DEL, key="00" * 14, mask="00" * 14),
         "$.match.key", [r"unknown"]),
        ("unknown key in forward",
         edit(base, (("action",), {"forward": {"binding": 1, "peer": "198.51.100.9:7000",
                                               "ttl": 3}})),
         "$.action.forward.ttl", [r"unknown"]),
        ("unknown action", edit(base, (("action",), {"redirect": {}})),
         "$.action.redirect", []),
        ("two actions", edit(base, (("action",), {"drop": {}, "exception": {}})),
         "$.action", []),
        ("empty action", edit(base, (("action",), {})), "$.action", []),
        ("action a string", edit(base, (("action",), "drop")), "$.action", []),
        ("action null", edit(base, (("action",), None)), "$.action", []),
        ("action an array", edit(base, (("action",), [{"drop": {}}])), "$.action", []),
        ("drop with a key", edit(base, (("action",), {"drop": {"x": 1}})),
         "$.action.drop.x", []),
        ("drop an array", edit(base, (("action",), {"drop": []})), "$.action.drop", []),
        ("exception null", edit(base, (("action",), {"exception": None})),
         "$.action.exception", []),
        ("forward null", edit(base, (("action",), {"forward": None})),
         "$.action.forward", []),
        ("forward without binding",
         edit(base, (("action",), {"forward": {"peer": "198.51.100.9:7000"}})),
         "$.action.forward.binding", [r"missing"]),
        ("forward without peer", edit(base, (("action",), {"forward": {"binding": 1}})),
         "$.action.forward.peer", [r"missing"]),
        ("forward binding '1'", edit(base, (("action",), fwd("1", "198.51.100.9:7000"))),
         "$.action.forward.binding", []),
        ("forward binding -1", edit(base, (("action",), fwd(-1, "198.51.100.9:7000"))),
         "$.action.forward.binding", []),
        ("forward binding 64", edit(base, (("action",), fwd(64, "198.51.100.9:7000"))),
         "$.action.forward.binding", []),
        ("forward to a binding the slice lacks",
         edit(base, (("action",), fwd(5, "198.51.100.9:7000"))),
         "$.action.forward.binding", [r"no binding 5"]),
        ("forward with a queue",
         edit(base, (("action",), {"forward": {"binding": 1, "peer": "198.51.100.9:7000",
                                               "queue": 0}})),
         "$.action.forward.queue", []),
        ("forward with queue -1",
         edit(base, (("action",), {"forward": {"binding": 1, "peer": "198.51.100.9:7000",
                                               "queue": -1}})),
         "$.action.forward.queue", []),
        ("match missing", edit(base, (("match",), DEL)), "$.match", [r"missing"]),
        ("match null", edit(base, (("match",), None)), "$.match", []),
        ("match an array", edit(base, (("match",), [])), "$.match", []),
        ("match a string", edit(base, (("match",), "any")), "$.match", []),
        ("action missing", edit(base, (("action",), DEL)), "$.action", [r"missing"]),
        ("priority missing", edit(base, (("priority",), DEL)), "$.priority", [r"missing"]),
        ("match.binding the slice lacks", m(binding=7), "$.match.binding",
         [r"no binding 7"]),
        ("match.binding '0'", m(binding="0"), "$.match.binding", []),
        ("match.binding -1", m(binding=-1), "$.match.binding", []),
        ("match.binding 64", m(binding=64), "$.match.binding", []),
        ("match.binding null", m(binding=None), "$.match.binding", []),
        ("protocol 256", m(protocol=256), "$.match.protocol", [r"256"]),
        ("protocol -1", m(protocol=-1), "$.match.protocol", []),
        ("protocol '17'", m(protocol="17"), "$.match.protocol", []),
        ("protocol 17.0", m(protocol=17.0), "$.match.protocol", []),
        ("protocol true", m(protocol=True), "$.match.protocol", []),
        ("protocol null", m(protocol=None), "$.match.protocol", []),
    ]
    for v in (-1, 2 ** 31, 2 ** 32, 2 ** 63 - 1, "5", 5.0, 5.5, None, True, [5]):
        cases.append((f"priority {v!r}", edit(base, (("priority",), v)), "$.priority", []))
    for v in (-1, 4294967295, 2 ** 63 - 1, "30", 30.0, None, False, [30]):
        cases.append((f"id {v!r}", edit(base, (("id",), v)), "$.id", []))
    for key in ("src_port", "dst_port"):
        p = f"$.match.{key}"
        for what, v, path, pat in [
                ("inverted", [10, 5], p, [r"10 > 5"]),
                ("3 items", [1, 2, 3], p, [r"3"]),
                ("1 item", [1], p, []),
                ("no items", [], p, []),
                ("65536", [0, 65536], p + "[1]", [r"65536"]),
                ("65536 first", [65536, 65536], p + "[0]", []),
                ("-1", [-1, 5], p + "[0]", []),
                ("strings", ["1", "2"], p + "[0]", []),
                ("string second", [1, "2"], p + "[1]", []),
                ("float", [1.0, 2], p + "[0]", []),
                ("null", [None, 2], p + "[0]", []),
                ("bool", [1, True], p + "[1]", []),
                ("nested", [[1], 2], p + "[0]", []),
                ("a string", "1-2", p, []),
                ("a number", 53, p, []),
                ("an object", {"lo": 1, "hi": 2}, p, []),
                ("null", None, p, [])]:
            cases.append((f"{key} {what}", m(**{key: v}), path, pat))
    for key in ("src", "dst"):
        for v, pat in BAD_PREFIXES:
            cases.append((f"{key} {v!r}", m(**{key: v}), f"$.match.{key}", pat))

    for what, body, path, pat in cases:
        refused(f"ipv4 filter: {what}", "POST", f, 400, "invalid_argument", path, pat,
                body=body)
    # Bodies that are not a filter object.
    for what, raw in [("an array", b'[{"priority": 1, "match": {}, "action": {"drop": {}}}]'),
                      ("a string", b'"filter"'), ("null", b"null"), ("empty", b""),
                      ("truncated", b'{"priority": 1, "match": {'),
                      ("duplicate key", b'{"priority": 1, "priority": 2, "match": {}, '
                                        b'"action": {"drop": {}}}'),
                      ("id 2**64", b'{"id": 18446744073709551616, "priority": 1, '
                                   b'"match": {}, "action": {"drop": {}}}')]:
        refused(f"ipv4 filter body {what}", "POST", f, 400, "invalid_argument", "$", raw=raw)
    refused("ipv4 filter as text/plain", "POST", f, 415, "unsupported_media_type",
            raw=json.dumps(base).encode(), content_type="text/plain")
    refused("ipv4 filter over max_body_bytes", "POST", f, 413, "payload_too_large",
            raw=json.dumps(base).encode()[:-1] + b" " * MAX_BODY + b"}")
    refused("ipv4 filter: duplicate id", "POST", f, 409, "conflict", "$.id",
            body=edit(base, (("id",), 10)))
    refused("ipv4 filter: duplicate id (slice token)", "POST", f, 409, "conflict", "$.id",
            body=FULL, token=r1)

    # Good filters; "id" left out gets the lowest free id.
    goods = [
        ("match nothing, drop", {"id": 0, "priority": 100, "match": {},
                                 "action": {"drop": {}}}, None),
        ("exception on tcp/80", {"id": 1, "priority": 0,
                                 "match": {"protocol": 6, "dst_port": [80, 80]},
                                 "action": {"exception": {}}}, None),
        ("bare address, max priority", {"id": 3, "priority": 2147483647,
                                        "match": {"src": "10.1.2.3"},
                                        "action": {"drop": {}}},
         {"src": "10.1.2.3/32"}),
        ("no id: lowest free is 2", {"priority": 7,
                                     "match": {"dst": "0.0.0.0/0", "src_port": [0, 0],
                                               "protocol": 0},
                                     "action": fwd(0, "203.0.113.1:1")}, None),
        ("no id: lowest free is 4", {"priority": 7,
                                     "match": {"protocol": 255,
                                               "dst_port": [65535, 65535],
                                               "src": "255.255.255.255/32"},
                                     "action": {"drop": {}}}, None),
        ("id 4294967294", {"id": 4294967294, "priority": 1,
                           "match": {"dst": "172.16.0.0/12"}, "action": {"drop": {}}},
         None),
        ("no id: lowest free is 5 (slice token)",
         {"priority": 0, "match": {"src": "0.0.0.0/0", "dst": "10.0.0.0/32"},
          "action": fwd(0, "198.51.100.5:5")}, None),
        ("filter 20 matches binding 2", {"id": 20, "priority": 3, "match": {"binding": 2},
                                         "action": {"drop": {}}}, None),
        ("filter 21 forwards to binding 3", {"id": 21, "priority": 3,
                                             "match": {"protocol": 17},
                                             "action": fwd(3, "198.51.100.21:2100")}, None),
        ("filter 22 the same as 20", {"id": 22, "priority": 3, "match": {"binding": 2},
                                      "action": {"drop": {}}}, None),
    ]
    stored = [FULL]
    next_free = {"no id: lowest free is 2": 2, "no id: lowest free is 4": 4,
                 "no id: lowest free is 5 (slice token)": 5}
    for what, body, shown in goods:
        token = r1 if "slice token" in what else ADMIN
        got = ok(f"ipv4 filter: {what}", "POST", f, 201, body=body, token=token)
        want = dict(copy.deepcopy(body))
        if "id" not in want:
            want["id"] = next_free[what]
        if shown:
            want["match"].update(shown)
        c.equal(got, want, f"ipv4 filter: {what}: reply")
        stored.append(want)
    listed = get(f)
    c.equal(listed, by_id(stored), "GET filters: sorted by id, as given")
    c.equal([x.get("id") for x in listed] if isinstance(listed, list) else listed,
            [0, 1, 2, 3, 4, 5, 10, 20, 21, 22, 4294967294], "GET filters: ids")
    c.equal(get(f, token=r1), listed, "GET filters with the slice token")
    c.equal(get("/v1/slices/r1/config").get("filters"), listed, "GET config: filters")
    c.equal(get("/v1/slices/r1").get("config", {}).get("filters"), listed,
            "GET slice: config.filters")
    st = get("/v1/slices/r1/stats")
    c.equal(st.get("filters"), [{"id": x["id"], "hits": 0} for x in by_id(stored)],
            "stats: one counter per filter, by id")

    # DELETE: what is not a stored filter's id is 404.
    for fid in ["999", "6", "4294967295", "4294967296", "99999999999999999999999",
                "abc", "01", "00", "010", "-1", "+1", "1.0", "0x1", "1e0", "%31",
                "%201", "1%20", "1%00"]:
        refused(f"DELETE filter {fid!r}", "DELETE", f"{f}/{fid}", 404, "not_found")
    ok("DELETE filter 3", "DELETE", f"{f}/3", 204)
    refused("DELETE filter 3 again", "DELETE", f"{f}/3", 404, "not_found")
    stored = [x for x in stored if x["id"] != 3]
    c.equal(get(f), by_id(stored), "GET filters after deleting 3")
    got = ok("no id after deleting 3: gets 3", "POST", f, 201,
             body={"priority": 9, "match": {"dst": "10.3.0.0/16"}, "action": {"drop": {}}})
    c.equal(got.get("id") if isinstance(got, dict) else got, 3, "the freed id 3 is reused")
    ok("DELETE filter 3 (slice token)", "DELETE", f"{f}/3", 204, token=r1)
    ok("DELETE filter 4294967294", "DELETE", f"{f}/4294967294", 204)
    stored = [x for x in stored if x["id"] != 4294967294]
    c.equal(get(f), by_id(stored), "GET filters after the deletes")
    S["r1_filters"] = by_id(stored)


# --------------------------------------------------------------------------

KEY = "0123456789abcdef0123456789ab"
MASK = "ffffffffffffffffffffffff0000"


def test_passthrough_filters():
    f = "/v1/slices/p1/filters"
    p1 = S["p1"]
    good = {"id": 0, "priority": 1,
            "match": {"key": "0123456789abcdef012345670000", "mask": MASK},
            "action": {"drop": {}}}
    got = ok("passthrough filter: key and mask", "POST", f, 201, body=good)
    c.equal(got, good, "passthrough filter: reply")
    upper = {"id": 1, "priority": 2,
             "match": {"binding": 1, "key": "ABCDEF" + "0" * 22, "mask": "F" * 28},
             "action": fwd(0, "198.51.100.70:7000")}
    got = ok("passthrough filter: upper-case hex, binding", "POST", f, 201, body=upper,
             token=p1)
    want_upper = edit(upper, (("match", "key"), "abcdef" + "0" * 22),
                      (("match", "mask"), "f" * 28))
    c.equal(got, want_upper, "passthrough filter: hex shown in lower case")
    only_b = {"priority": 3, "match": {"binding": 0}, "action": {"exception": {}}}
    got = ok("passthrough filter: binding only, no id", "POST", f, 201, body=only_b)
    c.equal(got, dict(only_b, id=2), "passthrough filter: binding only: reply")
    wild = {"id": 9, "priority": 4, "match": {}, "action": {"drop": {}}}
    ok("passthrough filter: empty match", "POST", f, 201, body=wild)
    zero = {"id": 5, "priority": 4, "match": {"key": "0" * 28, "mask": "0" * 28},
            "action": {"drop": {}}}
    ok("passthrough filter: zero key and mask", "POST", f, 201, body=zero)
    stored = [good, want_upper, dict(only_b, id=2), zero, wild]

    base = {"id": 40, "priority": 1, "match": {"key": KEY, "mask": "f" * 28},
            "action": {"drop": {}}}

    def m(**kw):
        mm = dict(base["match"])
        for k, v in kw.items():
            if v is DEL:
                mm.pop(k, None)
            else:
                mm[k] = v
        return edit(base, (("match",), mm))

    cases = [
        ("key of 27 digits", m(key=KEY[:27]), "$.match.key", [r"28"]),
        ("key of 29 digits", m(key=KEY + "0"), "$.match.key", [r"28"]),
        ("mask of 27 digits", m(mask="f" * 27), "$.match.mask", [r"28"]),
        ("mask of 29 digits", m(mask="f" * 29), "$.match.mask", [r"28"]),
        ("empty key", m(key=""), "$.match.key", []),
        ("non-hex key", m(key="g" + KEY[1:]), "$.match.key", [r"hex"]),
        ("non-hex last key digit", m(key=KEY[:27] + "z"), "$.match.key", [r"hex"]),
        ("non-hex mask", m(mask="f" * 27 + "x"), "$.match.mask", [r"hex"]),
        ("key with 0x", m(key="0x" + KEY[2:]), "$.match.key", []),
        ("key with a space", m(key=KEY[:13] + " " + KEY[14:]), "$.match.key", []),
        ("key with a sign", m(key="+" + KEY[1:]), "$.match.key", []),
        ("mask with a sign", m(mask="-" + "f" * 27), "$.match.mask", []),
        ("key an integer", m(key=12345), "$.match.key", []),
        ("key null", m(key=None), "$.match.key", []),
        ("key an array", m(key=[KEY]), "$.match.key", []),
        ("key without mask", m(mask=DEL), "$.match.mask", [r"missing"]),
        ("mask without key", m(key=DEL), "$.match.key", [r"missing"]),
        ("key bits outside the mask (byte 0)", m(key="01" + "0" * 26, mask="fe" + "f" * 26),
         "$.match.key", [r"byte 0\b"]),
        ("key bits outside the mask (byte 13)", m(key="0" * 26 + "0f", mask="0" * 26 + "f0"),
         "$.match.key", [r"byte 13\b"]),
        ("key bits outside a zero mask", m(mask="0" * 28), "$.match.key", [r"mask"]),
        ("src on passthrough", m(src="10.0.0.0/8"), "$.match.src", [r"unknown"]),
        ("dst on passthrough", m(key=DEL, mask=DEL, dst="10.0.0.0/8"), "$.match.dst",
         [r"unknown"]),
        ("protocol on passthrough", m(protocol=17), "$.match.protocol", [r"unknown"]),
        ("dst_port on passthrough", m(dst_port=[1, 2]), "$.match.dst_port", [r"unknown"]),
        ("match.binding the slice lacks", m(binding=2), "$.match.binding",
         [r"no binding 2"]),
        ("forward to a binding the slice lacks",
         edit(base, (("action",), fwd(7, "198.51.100.70:7000"))),
         "$.action.forward.binding", [r"no binding 7"]),
        ("forward with a queue",
         edit(base, (("action",), {"forward": {"binding": 0, "peer": "198.51.100.70:7000",
                                               "queue": 1}})),
         "$.action.forward.queue", []),
        ("forward to multicast",
         edit(base, (("action",), fwd(0, "239.1.1.1:7000"))), "$.action.forward.peer", []),
        ("priority missing", edit(base, (("priority",), DEL)), "$.priority", []),
        ("unknown key", edit(base, (("prefix",), "10.0.0.0/8")), "$.prefix", []),
    ]
    for what, body, path, pat in cases:
        refused(f"passthrough filter: {what}", "POST", f, 400, "invalid_argument", path,
                pat, body=body)
    refused("passthrough filter: duplicate id", "POST", f, 409, "conflict", "$.id",
            body=edit(base, (("id",), 1)), token=p1)
    c.equal(get(f), by_id(stored), "passthrough filters: GET, sorted by id")
    ok("passthrough: DELETE filter 9", "DELETE", f"{f}/9", 204, token=p1)
    refused("passthrough: DELETE filter 9 again", "DELETE", f"{f}/9", 404, "not_found")
    stored = [x for x in stored if x["id"] != 9]
    c.equal(get(f), by_id(stored), "passthrough filters after a delete")
    c.equal(get("/v1/slices/p1/stats").get("filters"),
            [{"id": x["id"], "hits": 0} for x in by_id(stored)], "passthrough stats filters")

    # No routes on passthrough.
    rt = {"prefix": "10.0.0.0/8", "binding": 0, "peer": "198.51.100.7:5000"}
    for token in (ADMIN, p1):
        refused("passthrough: POST a route", "POST", "/v1/slices/p1/routes", 400,
                "invalid_argument", "$", [r"passthrough", r"no routes"], body=rt,
                token=token)
    refused("passthrough: POST a route with id", "POST", "/v1/slices/p1/routes", 400,
            "invalid_argument", "$", [r"passthrough"], body=dict(rt, id=3))
    c.equal(get("/v1/slices/p1/routes"), [], "passthrough: no routes")


# --------------------------------------------------------------------------

def test_routes():
    r = "/v1/slices/r1/routes"
    r1 = S["r1"]
    base = {"id": 50, "prefix": "10.50.0.0/16", "binding": 1, "peer": "198.51.100.7:5000"}
    good0 = {"id": 0, "prefix": "10.1.0.0/16", "binding": 1, "peer": "198.51.100.7:5000"}
    got = ok("route 0", "POST", r, 201, body=good0)
    c.equal(got, good0, "route 0: reply")
    noid = {"prefix": "0.0.0.0/0", "binding": 2, "peer": "203.0.113.9:65535"}
    got = ok("route without id: 1", "POST", r, 201, body=noid, token=r1)
    c.equal(got, dict(noid, id=1), "route without id gets 1")
    bare = {"id": 7, "prefix": "10.9.9.9", "binding": 0, "peer": "198.51.100.8:1"}
    got = ok("route to a bare address", "POST", r, 201, body=bare)
    c.equal(got, dict(bare, prefix="10.9.9.9/32"), "bare address route shown as /32")
    got = ok("route without id: 2", "POST", r, 201,
             body={"prefix": "10.1.2.0/24", "binding": 1, "peer": "198.51.100.9:9"})
    c.equal(got.get("id") if isinstance(got, dict) else got, 2, "next route id is 2")
    stored = [good0, dict(noid, id=1), dict(bare, prefix="10.9.9.9/32"),
              {"id": 2, "prefix": "10.1.2.0/24", "binding": 1, "peer": "198.51.100.9:9"}]

    cases = [
        ("unknown key", edit(base, (("color",), 1)), "$.color", [r"unknown"]),
        ("an action", edit(base, (("action",), {"drop": {}})), "$.action", [r"unknown"]),
        ("a match", edit(base, (("match",), {})), "$.match", [r"unknown"]),
        ("a priority", edit(base, (("priority",), 1)), "$.priority", [r"unknown"]),
        ("prefix missing", edit(base, (("prefix",), DEL)), "$.prefix", [r"missing"]),
        ("binding missing", edit(base, (("binding",), DEL)), "$.binding", [r"missing"]),
        ("peer missing", edit(base, (("peer",), DEL)), "$.peer", [r"missing"]),
        ("binding '1'", edit(base, (("binding",), "1")), "$.binding", []),
        ("binding -1", edit(base, (("binding",), -1)), "$.binding", []),
        ("binding 64", edit(base, (("binding",), 64)), "$.binding", []),
        ("binding null", edit(base, (("binding",), None)), "$.binding", []),
        ("queue -1", edit(base, (("queue",), -1)), "$.queue", []),
        ("queue 65536", edit(base, (("queue",), 65536)), "$.queue", []),
        ("queue '0'", edit(base, (("queue",), "0")), "$.queue", []),
        ("id -1", edit(base, (("id",), -1)), "$.id", []),
        ("id 4294967295", edit(base, (("id",), 4294967295)), "$.id", []),
        ("id '50'", edit(base, (("id",), "50")), "$.id", []),
        ("id 50.0", edit(base, (("id",), 50.0)), "$.id", []),
    ]
    for p in ["224.0.0.1:5000", "239.255.255.250:1900", "0.0.0.0:5000",
              "255.255.255.255:5000", "240.0.0.1:5000", "127.0.0.1:5000",
              "198.51.100.7", "198.51.100.7:0", "198.51.100.7:65536", ":5000",
              "198.51.100.7:x", "", 5000, None]:
        cases.append((f"peer {p!r}", edit(base, (("peer",), p)), "$.peer", []))
    for v, pat in BAD_PREFIXES:
        cases.append((f"prefix {v!r}", edit(base, (("prefix",), v)), "$.prefix", pat))
    for what, body, path, pat in cases:
        refused(f"route: {what}", "POST", r, 400, "invalid_argument", path, pat, body=body)

    # References the slice checks.
    refused("route: to a binding the slice lacks", "POST", r, 400, "invalid_argument",
            "$.binding", [r"no binding 5"], body=edit(base, (("binding",), 5)))
    refused("route: with a queue", "POST", r, 400, "invalid_argument", "$.queue",
            body=edit(base, (("queue",), 0)))

    refused("route: duplicate id", "POST", r, 409, "conflict", "$.id",
            body=edit(base, (("id",), 0)))
    err = refused("route: prefix of route 0 again (id 50)", "POST", r, 409, "conflict",
                  "$.prefix", body=edit(base, (("prefix",), "10.1.0.0/16")))
    c.check(re.search(r"\broute 0\b", err.get("message", "")),
            f"route clash names route 0: {err.get('message')!r}")
    err = refused("route: prefix of route 7 again (written /32, id 3)", "POST", r, 409,
                  "conflict", "$.prefix",
                  body=edit(base, (("id",), 3), (("prefix",), "10.9.9.9/32")))
    # The new route (3) has a lower id than the stored one (7) it clashes with:
    # the message must name the stored route, not the request's own id.
    c.check(re.search(r"\broute 7\b", err.get("message", "")),
            f"route clash (new id lower) names the stored route 7: {err.get('message')!r}")
    err = refused("route: default route again without id", "POST", r, 409, "conflict",
                  "$.prefix", body={"prefix": "0.0.0.0/0", "binding": 1,
                                    "peer": "198.51.100.7:5000"}, token=r1)
    c.check(re.search(r"\broute 1\b", err.get("message", "")),
            f"default route clash names route 1: {err.get('message')!r}")
    # Same address, other length: not a clash.
    got = ok("route 10.1.0.0/24 next to 10.1.0.0/16", "POST", r, 201,
             body=edit(base, (("prefix",), "10.1.0.0/24")))
    stored.append(edit(base, (("prefix",), "10.1.0.0/24")))
    c.equal(get(r), by_id(stored), "GET routes: sorted by id")
    c.equal(get(r, token=r1), by_id(stored), "GET routes with the slice token")
    c.equal(get("/v1/slices/r1/config").get("routes"), by_id(stored), "GET config: routes")

    # Filters and routes are separate id spaces: the stats list filters only.
    c.equal([x["id"] for x in get("/v1/slices/r1/stats").get("filters", [])],
            [x["id"] for x in S["r1_filters"]], "stats list filters, not routes")

    for rid in ["999", "3", "4294967295", "4294967296", "abc", "01", "00", "-1", "+1",
                "1.0", "0x1", "%30"]:
        refused(f"DELETE route {rid!r}", "DELETE", f"{r}/{rid}", 404, "not_found")
    ok("DELETE route 50", "DELETE", f"{r}/50", 204, token=r1)
    refused("DELETE route 50 again", "DELETE", f"{r}/50", 404, "not_found")
    stored = [x for x in stored if x["id"] != 50]
    c.equal(get(r), by_id(stored), "GET routes after a delete")
    S["r1_routes"] = by_id(stored)


# --------------------------------------------------------------------------

def test_bindings_in_use():
    b = "/v1/slices/r1/bindings"
    err = refused("DELETE binding 2, filter 20 matches on it", "DELETE", f"{b}/2", 409,
                  "conflict", msg=(r"\bfilter 20\b",))
    err = refused("DELETE binding 3, filter 21 forwards to it", "DELETE", f"{b}/3", 409,
                  "conflict", msg=(r"\bfilter 21\b",), token=S["r1"])
    ok("binding 4", "POST", b, 201, body={"id": 4, "interface": "eth1", "udp_port": 6004})
    got = ok("route 9 to binding 4", "POST", "/v1/slices/r1/routes", 201,
             body={"id": 9, "prefix": "10.99.0.0/16", "binding": 4,
                   "peer": "198.51.100.99:9"})
    refused("DELETE binding 4, route 9 forwards to it", "DELETE", f"{b}/4", 409,
            "conflict", msg=(r"\broute 9\b",))
    ok("DELETE route 9", "DELETE", "/v1/slices/r1/routes/9", 204)
    ok("DELETE binding 4 once unused", "DELETE", f"{b}/4", 204)
    # Filter 21 gone: binding 3 is free to go.
    ok("DELETE filter 21", "DELETE", "/v1/slices/r1/filters/21", 204)
    ok("DELETE binding 3 once unused", "DELETE", f"{b}/3", 204)
    refused("a filter forwarding to the deleted binding 3", "POST",
            "/v1/slices/r1/filters", 400, "invalid_argument", "$.action.forward.binding",
            body={"priority": 1, "match": {}, "action": fwd(3, "198.51.100.1:1")})
    # passthrough too
    refused("passthrough: DELETE binding 1, filter 1 matches on it", "DELETE",
            "/v1/slices/p1/bindings/1", 409, "conflict", msg=(r"\bfilter 1\b",))


# --------------------------------------------------------------------------

def test_reservation():
    small = "/v1/slices/small"
    t = S["small"]
    ok("small: filter 0", "POST", f"{small}/filters", 201,
       body={"priority": 1, "match": {}, "action": {"drop": {}}})
    ok("small: route 0", "POST", f"{small}/routes", 201, token=t,
       body={"prefix": "10.0.0.0/8", "binding": 0, "peer": "198.51.100.3:3"})
    ok("small: filter 1 (3 of 3)", "POST", f"{small}/filters", 201,
       body={"priority": 2, "match": {"protocol": 1}, "action": {"drop": {}}})
    filt = {"priority": 3, "match": {}, "action": {"exception": {}}}
    rt = {"prefix": "10.1.0.0/16", "binding": 0, "peer": "198.51.100.3:3"}
    # A POST body is one filter (route): its fault is at "$", the body has no
    # "filters" or "routes" member to point at.
    for token in (ADMIN, t):
        refused("small: a 4th entry (filter)", "POST", f"{small}/filters", 409, "conflict",
                "$", [r"\b3\b"], body=filt, token=token)
        refused("small: a 4th entry (route)", "POST", f"{small}/routes", 409, "conflict",
                "$", [r"\b3\b"], body=rt, token=token)
    refused("small: a 4th entry (filter with id)", "POST", f"{small}/filters", 409,
            "conflict", "$", body=dict(filt, id=7))
    ok("small: DELETE filter 1", "DELETE", f"{small}/filters/1", 204)
    ok("small: route 1 takes its place", "POST", f"{small}/routes", 201, body=rt)
    refused("small: a filter once routes fill it", "POST", f"{small}/filters", 409,
            "conflict", "$", body=filt)

    b = [{"id": 0, "interface": "eth1", "udp_port": 6300}]
    fs = [{"id": i, "priority": i, "match": {}, "action": {"drop": {}}} for i in range(4)]
    rs = [{"id": i, "prefix": f"10.{i}.0.0/16", "binding": 0, "peer": "198.51.100.3:3"}
          for i in range(4)]
    refused("small: PUT 4 filters", "PUT", f"{small}/config", 409, "conflict", "$.filters",
            body={"bindings": b, "filters": fs})
    refused("small: PUT 4 routes", "PUT", f"{small}/config", 409, "conflict", "$.routes",
            body={"bindings": b, "routes": rs})
    refused("small: PUT 2 filters and 2 routes", "PUT", f"{small}/config", 409, "conflict",
            "$.routes", body={"bindings": b, "filters": fs[:2], "routes": rs[:2]}, token=t)
    doc = {"bindings": b, "filters": fs[:1], "routes": rs[:2]}
    got = ok("small: PUT 1 filter and 2 routes", "PUT", f"{small}/config", 200, body=doc)
    c.equal(got, sorted_doc(doc), "small: PUT reply")
    c.equal(get(f"{small}/config"), sorted_doc(doc), "small: GET config after PUT")

    z = "/v1/slices/zero"
    refused("zero: a filter without a reservation", "POST", f"{z}/filters", 409,
            "conflict", "$", body=filt, token=S["zero"])
    refused("zero: a route without a reservation", "POST", f"{z}/routes", 409,
            "conflict", "$", body=dict(rt, binding=0))
    ok("zero: PUT only a binding", "PUT", f"{z}/config", 200,
       body={"bindings": [{"id": 0, "interface": "eth1", "udp_port": 6400}]})


# --------------------------------------------------------------------------

DOC = {
    "bindings": [
        {"id": 2, "interface": "eth1", "udp_port": 7002},
        {"id": 0, "interface": "eth0", "udp_port": 7000,
         "default_action": fwd(2, "198.51.100.50:5000")},
        {"id": 1, "interface": "eth0", "udp_port": 7001, "default_action": {"drop": {}}},
        {"id": 3, "interface": "eth1", "udp_port": 7000,
         "default_action": {"exception": {}}},
    ],
    "queues": [],
    "filters": [
        {"id": 7, "priority": 10,
         "match": {"binding": 0, "src": "10.0.0.0/8", "dst": "192.168.1.0/24",
                   "protocol": 17, "src_port": [0, 65535], "dst_port": [53, 53]},
         "action": fwd(1, "198.51.100.9:7000")},
        {"id": 3, "priority": 10, "match": {"dst": "10.2.0.0/16"}, "action": {"drop": {}}},
        {"id": 5, "priority": 10, "match": {"dst": "10.2.0.0/16"},
         "action": {"exception": {}}},
    ],
    "routes": [
        {"id": 4, "prefix": "10.1.0.0/16", "binding": 1, "peer": "198.51.100.7:5000"},
        {"id": 1, "prefix": "0.0.0.0/0", "binding": 3, "peer": "198.51.100.8:5000"},
    ],
}

# A valid document for the refusals: one element gets broken at a time.
BASE = {
    "bindings": [{"id": 0, "interface": "eth0", "udp_port": 7000},
                 {"id": 1, "interface": "eth0", "udp_port": 7001},
                 {"id": 2, "interface": "eth1", "udp_port": 7002}],
    "filters": [{"id": 1, "priority": 1, "match": {}, "action": {"drop": {}}},
                {"id": 2, "priority": 2, "match": {"protocol": 6},
                 "action": {"exception": {}}},
                {"id": 3, "priority": 3,
                 "match": {"binding": 0, "dst": "10.0.0.0/8", "dst_port": [1, 2]},
                 "action": fwd(1, "198.51.100.9:7000")}],
    "routes": [{"id": 0, "prefix": "10.1.0.0/16", "binding": 1, "peer": "198.51.100.7:1"},
               {"id": 1, "prefix": "10.2.0.0/16", "binding": 2, "peer": "198.51.100.7:2"}],
}


def sorted_doc(doc):
    return {"bindings": by_id(doc.get("bindings", [])),
            "queues": by_id(doc.get("queues", [])),
            "filters": by_id(doc.get("filters", [])),
            "routes": by_id(doc.get("routes", []))}


def test_config_put():
    cfg = "/v1/slices/c1/config"
    t = S["c1"]
    got = ok("PUT the full document", "PUT", cfg, 200, body=DOC, token=t)
    want = sorted_doc(DOC)
    c.equal(got, want, "PUT reply: the configuration, by id")
    c.equal(get(cfg), want, "GET config after PUT: the document by id")
    c.equal(get(cfg, token=t), want, "GET config with the slice token")
    c.equal(get("/v1/slices/c1/filters"), want["filters"], "GET filters after PUT")
    c.equal(get("/v1/slices/c1/routes"), want["routes"], "GET routes after PUT")
    c.equal(get("/v1/slices/c1/bindings"), want["bindings"], "GET bindings after PUT")
    c.equal(get("/v1/slices/c1").get("config"), want, "GET slice: config after PUT")
    st = get("/v1/slices/c1/stats")
    c.equal(st.get("filters"), [{"id": 3, "hits": 0}, {"id": 5, "hits": 0},
                                {"id": 7, "hits": 0}], "stats filters after PUT")
    c.equal([b.get("id") for b in st.get("bindings", [])], [0, 1, 2, 3],
            "stats bindings after PUT")
    # The GET document round-trips, byte for byte.
    before = get_raw(cfg)
    got = ok("PUT what GET returned", "PUT", cfg, 200, body=get(cfg))
    c.equal(get_raw(cfg), before, "GET config after PUT of GET: same bytes")

    # A PUT keeps filters 3 and 7 (and their counters), drops 5, adds 9.
    doc2 = copy.deepcopy(DOC)
    doc2["filters"] = [x for x in doc2["filters"] if x["id"] != 5] + [
        {"id": 9, "priority": 0, "match": {"src_port": [1024, 65535]},
         "action": fwd(0, "198.51.100.90:9000")}]
    got = ok("PUT: keep 3 and 7, drop 5, add 9", "PUT", cfg, 200, body=doc2)
    c.equal(got, sorted_doc(doc2), "PUT 2 reply")
    c.equal(get("/v1/slices/c1/stats").get("filters"),
            [{"id": 3, "hits": 0}, {"id": 7, "hits": 0}, {"id": 9, "hits": 0}],
            "stats filters after the second PUT")
    got = ok("PUT the full document again", "PUT", cfg, 200, body=DOC)
    c.equal(get(cfg), want, "GET config after the third PUT")
    stored = get_raw(cfg)

    def bad(what, doc, status, code, path, pat=(), token=ADMIN):
        refused(f"PUT config: {what}", "PUT", cfg, status, code, path, pat, body=doc,
                token=token)
        c.equal(get_raw(cfg), stored, f"PUT config: {what}: stored config, same bytes")

    B = BASE
    cases = [
        # bindings
        ("binding on a missing interface", edit(B, (("bindings", 1, "interface"), "eth9")),
         400, "$.bindings[1].interface", [r"eth9"]),
        ("binding udp_port 0", edit(B, (("bindings", 1, "udp_port"), 0)),
         400, "$.bindings[1].udp_port", []),
        ("binding udp_port 65536", edit(B, (("bindings", 2, "udp_port"), 65536)),
         400, "$.bindings[2].udp_port", []),
        ("binding without id", edit(B, (("bindings", 1, "id"), DEL)),
         400, "$.bindings[1].id", [r"missing"]),
        ("binding id 64", edit(B, (("bindings", 1, "id"), 64)), 400, "$.bindings[1].id", []),
        ("binding unknown key", edit(B, (("bindings", 2, "color"), 1)),
         400, "$.bindings[2].color", [r"unknown"]),
        ("binding not an object", edit(B, (("bindings", 1), 5)), 400, "$.bindings[1]", []),
        ("duplicate binding id", edit(B, (("bindings", 2, "id"), 0)),
         400, "$.bindings[2].id", [r"\$\.bindings\[0\]\.id"]),
        ("duplicate UDP port in the document", edit(B, (("bindings", 1, "udp_port"), 7000)),
         400, "$.bindings[1].udp_port", [r"7000"]),
        ("UDP port of another slice", edit(B, (("bindings", 1, "udp_port"), 7100)),
         409, "$.bindings[1].udp_port", [r"7100"]),
        ("default action to a binding not in the document",
         edit(B, (("bindings", 0, "default_action"), fwd(5, "198.51.100.1:1"))),
         400, "$.bindings[0].default_action.forward.binding", [r"no binding 5"]),
        ("default action with a queue",
         edit(B, (("bindings", 0, "default_action"),
                  {"forward": {"binding": 1, "peer": "198.51.100.1:1", "queue": 0}})),
         400, "$.bindings[0].default_action.forward.queue", []),
        ("default action peer multicast",
         edit(B, (("bindings", 2, "default_action"), fwd(1, "224.0.0.9:1"))),
         400, "$.bindings[2].default_action.forward.peer", []),
        # filters
        ("filter dst_port 65536", edit(B, (("filters", 2, "match", "dst_port"), [1, 65536])),
         400, "$.filters[2].match.dst_port[1]", []),
        ("filter dst_port inverted", edit(B, (("filters", 2, "match", "dst_port"), [2, 1])),
         400, "$.filters[2].match.dst_port", [r"2 > 1"]),
        ("filter src_port of 3", edit(B, (("filters", 1, "match", "src_port"), [1, 2, 3])),
         400, "$.filters[1].match.src_port", []),
        ("filter dst host bits", edit(B, (("filters", 2, "match", "dst"), "10.0.0.1/8")),
         400, "$.filters[2].match.dst", [r"10\.0\.0\.0/8"]),
        ("filter src /33", edit(B, (("filters", 0, "match", "src"), "10.0.0.0/33")),
         400, "$.filters[0].match.src", []),
        ("filter protocol 256", edit(B, (("filters", 1, "match", "protocol"), 256)),
         400, "$.filters[1].match.protocol", []),
        ("filter key on ipv4", edit(B, (("filters", 2, "match", "key"), "0" * 28)),
         400, "$.filters[2].match.key", [r"unknown"]),
        ("filter priority missing", edit(B, (("filters", 0, "priority"), DEL)),
         400, "$.filters[0].priority", [r"missing"]),
        ("filter priority negative", edit(B, (("filters", 2, "priority"), -1)),
         400, "$.filters[2].priority", []),
        ("filter without id", edit(B, (("filters", 1, "id"), DEL)),
         400, "$.filters[1].id", [r"missing"]),
        ("filter id too big", edit(B, (("filters", 1, "id"), 4294967295)),
         400, "$.filters[1].id", []),
        ("filter unknown key", edit(B, (("filters", 2, "hits"), 0)),
         400, "$.filters[2].hits", [r"unknown"]),
        ("filter peer multicast",
         edit(B, (("filters", 2, "action"), fwd(1, "239.0.0.1:9"))),
         400, "$.filters[2].action.forward.peer", []),
        ("filter two actions", edit(B, (("filters", 1, "action"), {"drop": {}, "exception": {}})),
         400, "$.filters[1].action", []),
        ("filter match.binding not in the document",
         edit(B, (("filters", 2, "match", "binding"), 9)),
         400, "$.filters[2].match.binding", [r"no binding 9"]),
        ("filter forward to a binding not in the document",
         edit(B, (("filters", 2, "action"), fwd(3, "198.51.100.9:7000"))),
         400, "$.filters[2].action.forward.binding", [r"no binding 3"]),
        ("filter forward with a queue",
         edit(B, (("filters", 2, "action"),
                  {"forward": {"binding": 1, "peer": "198.51.100.9:7000", "queue": 0}})),
         400, "$.filters[2].action.forward.queue", []),
        ("duplicate filter id", edit(B, (("filters", 2, "id"), 1)),
         400, "$.filters[2].id", [r"\$\.filters\[0\]\.id"]),
        ("filter not an object", edit(B, (("filters", 1), [])), 400, "$.filters[1]", []),
        # routes
        ("route bad prefix", edit(B, (("routes", 1, "prefix"), "10.2.0.1/16")),
         400, "$.routes[1].prefix", [r"10\.2\.0\.0/16"]),
        ("route prefix 1.2.3/8", edit(B, (("routes", 0, "prefix"), "1.2.3/8")),
         400, "$.routes[0].prefix", []),
        ("route without id", edit(B, (("routes", 1, "id"), DEL)),
         400, "$.routes[1].id", [r"missing"]),
        ("route without peer", edit(B, (("routes", 1, "peer"), DEL)),
         400, "$.routes[1].peer", [r"missing"]),
        ("route without binding", edit(B, (("routes", 0, "binding"), DEL)),
         400, "$.routes[0].binding", [r"missing"]),
        ("route peer multicast", edit(B, (("routes", 1, "peer"), "224.1.1.1:5")),
         400, "$.routes[1].peer", []),
        ("route unknown key", edit(B, (("routes", 1, "action"), {"drop": {}})),
         400, "$.routes[1].action", [r"unknown"]),
        ("duplicate route id", edit(B, (("routes", 1, "id"), 0)),
         400, "$.routes[1].id", [r"\$\.routes\[0\]\.id"]),
        ("two routes with one prefix", edit(B, (("routes", 1, "prefix"), "10.1.0.0/16")),
         400, "$.routes[1].prefix", [r"\broute 0\b"]),
        ("route to a binding not in the document", edit(B, (("routes", 1, "binding"), 7)),
         400, "$.routes[1].binding", [r"no binding 7"]),
        ("route with a queue", edit(B, (("routes", 1, "queue"), 0)),
         400, "$.routes[1].queue", []),
        # the document
        ("queue on a missing binding",
         edit(B, (("queues",), [{"id": 0, "binding": 9, "weight": 30}])),
         400, "$.queues[0].binding", []),
        ("queues an object", edit(B, (("queues",), {})), 400, "$.queues", []),
        ("program without program cycles",
         edit(B, (("program",), {"pcap": "udp dst port 53"})),
         409, "$.program", [r"program_cycles_per_sec"]),
        ("program not pcap", edit(B, (("program",), {"pcap": "udp dst port"})),
         400, "$.program.pcap", [r"syntax error"]),
        ("program empty", edit(B, (("program",), {})), 400, "$.program",
         [r"exactly one of"]),
        ("program null", edit(B, (("program",), None)), 400, "$.program", []),
        ("unknown top-level key", edit(B, (("name",), "c1")), 400, "$.name", [r"unknown"]),
        ("top-level 'config'", {"config": BASE}, 400, "$.config", [r"unknown"]),
        ("bindings an object", edit(B, (("bindings",), {})), 400, "$.bindings", []),
        ("filters null", edit(B, (("filters",), None)), 400, "$.filters", []),
        ("routes a string", edit(B, (("routes",), "none")), 400, "$.routes", []),
    ]
    for what, doc, status, path, pat in cases:
        code = "conflict" if status == 409 else "invalid_argument"
        bad(what, doc, status, code, path, pat)
    bad("duplicate UDP port (slice token)", edit(B, (("bindings", 2, "udp_port"), 7001),
                                                 (("bindings", 2, "interface"), "eth0")),
        400, "invalid_argument", "$.bindings[2].udp_port", token=t)
    bad("UDP port of another slice (slice token)",
        edit(B, (("bindings", 0, "udp_port"), 7100)), 409, "conflict",
        "$.bindings[0].udp_port", token=t)
    bad("filter forwarding to a stored binding the document lacks",
        edit(B, (("filters", 2, "action"), fwd(3, "198.51.100.9:7000"))), 400,
        "invalid_argument", "$.filters[2].action.forward.binding")
    for what, raw in [("an array", b"[]"), ("a string", b'"config"'), ("null", b"null"),
                      ("truncated", b'{"bindings": ['), ("empty", b""),
                      ("duplicate key", b'{"filters": [], "filters": []}')]:
        refused(f"PUT config body {what}", "PUT", cfg, 400, "invalid_argument", "$",
                raw=raw)
    refused("PUT config as text/plain", "PUT", cfg, 415, "unsupported_media_type",
            raw=json.dumps(BASE).encode(), content_type="text/plain")
    refused("PUT config over max_body_bytes", "PUT", cfg, 413, "payload_too_large",
            raw=json.dumps(BASE).encode()[:-1] + b" " * MAX_BODY + b"}")

    # Passthrough documents.
    pcfg = "/v1/slices/p1/config"
    pstored = get_raw(pcfg)
    pb = [{"id": 0, "interface": "eth0", "udp_port": 6100}]
    for what, doc, path, pat in [
            ("routes on passthrough",
             {"bindings": pb, "routes": [{"id": 0, "prefix": "10.0.0.0/8", "binding": 0,
                                          "peer": "198.51.100.7:5000"}]},
             "$.routes[0]", [r"passthrough", r"no routes"]),
            ("src on passthrough",
             {"bindings": pb, "filters": [{"id": 0, "priority": 1, "match": {"src": "10.0.0.0/8"},
                                           "action": {"drop": {}}}]},
             "$.filters[0].match.src", [r"unknown"]),
            ("key of 27 digits",
             {"bindings": pb, "filters": [
                 {"id": 0, "priority": 1, "match": {}, "action": {"drop": {}}},
                 {"id": 1, "priority": 1, "match": {"key": "0" * 27, "mask": "f" * 28},
                  "action": {"drop": {}}}]},
             "$.filters[1].match.key", []),
            ("key bits outside the mask",
             {"bindings": pb, "filters": [
                 {"id": 0, "priority": 1, "match": {"key": "f" * 28, "mask": "0" * 28},
                  "action": {"drop": {}}}]},
             "$.filters[0].match.key", [r"byte 0\b"])]:
        refused(f"PUT passthrough config: {what}", "PUT", pcfg, 400, "invalid_argument",
                path, pat, body=doc)
        c.equal(get_raw(pcfg), pstored, f"PUT passthrough config: {what}: same bytes")
    pdoc = {"bindings": pb, "filters": [
        {"id": 4, "priority": 1,
         "match": {"binding": 0, "key": KEY[:24] + "ab00", "mask": "f" * 26 + "00"},
         "action": fwd(0, "198.51.100.70:7000")}]}
    got = ok("PUT passthrough config", "PUT", pcfg, 200, body=pdoc, token=S["p1"])
    c.equal(got, sorted_doc(pdoc), "PUT passthrough config: reply")
    c.equal(get("/v1/slices/p1/bindings"), pb, "passthrough binding 1 is gone with the PUT")

    # {} clears the slice's configuration and frees its UDP ports.
    refused("c2 binds c1's eth0:7000", "POST", "/v1/slices/c2/bindings", 409, "conflict",
            "$.udp_port", body={"interface": "eth0", "udp_port": 7000})
    got = ok("PUT {}", "PUT", cfg, 200, body={}, token=t)
    empty = {"bindings": [], "queues": [], "filters": [], "routes": []}
    c.equal(got, empty, "PUT {} reply")
    c.equal(get(cfg), empty, "GET config after PUT {}")
    st = get("/v1/slices/c1/stats")
    c.equal((st.get("bindings"), st.get("filters")), ([], []), "stats after PUT {}")
    got = ok("c2 binds c1's old eth0:7000", "POST", "/v1/slices/c2/bindings", 201,
             body={"interface": "eth0", "udp_port": 7000})
    c.equal(got, {"id": 1, "interface": "eth0", "udp_port": 7000}, "c2's new binding")
    got = ok("c2 binds c1's old eth1:7000 by PUT", "PUT", "/v1/slices/c2/config", 200,
             body={"bindings": [{"id": 0, "interface": "eth0", "udp_port": 7100},
                                {"id": 1, "interface": "eth0", "udp_port": 7000},
                                {"id": 2, "interface": "eth1", "udp_port": 7000}],
                   "queues": []})
    c.equal(len(got.get("bindings", [])) if isinstance(got, dict) else got, 3,
            "c2 has three bindings")
    # c1 may not take its old ports back now.
    refused("c1 PUTs the full document, its ports now c2's", "PUT", cfg, 409, "conflict",
            "$.bindings[1].udp_port", body=DOC, token=t)
    # c2 lets eth0:7000 and eth1:7000 go again with a PUT.
    ok("c2 PUT keeps only eth0:7100", "PUT", "/v1/slices/c2/config", 200,
       body={"bindings": [{"id": 0, "interface": "eth0", "udp_port": 7100}]})
    # Swapping ids of a slice's own bindings is no clash with itself.
    ok("c1 PUT base", "PUT", cfg, 200, body=BASE)
    swapped = edit(BASE, (("bindings", 0, "id"), 1), (("bindings", 1, "id"), 0),
                   (("filters", 2, "match", "binding"), 1),
                   (("filters", 2, "action"), fwd(0, "198.51.100.9:7000")))
    got = ok("c1 PUT with binding ids swapped", "PUT", cfg, 200, body=swapped)
    c.equal(got, sorted_doc(swapped), "c1 PUT swapped: reply")
    c.equal([x["id"] for x in get("/v1/slices/c1/stats").get("filters", [])], [1, 2, 3],
            "c1 stats filters after PUT base")


# --------------------------------------------------------------------------

def test_permissions():
    r1, c1 = S["r1"], S["c1"]
    # Own slice: everything.
    got = ok("r1 token: POST filter", "POST", "/v1/slices/r1/filters", 201, token=r1,
             body={"id": 600, "priority": 6, "match": {}, "action": {"drop": {}}})
    ok("r1 token: DELETE filter", "DELETE", "/v1/slices/r1/filters/600", 204, token=r1)
    ok("r1 token: POST route", "POST", "/v1/slices/r1/routes", 201, token=r1,
       body={"id": 600, "prefix": "10.60.0.0/16", "binding": 0, "peer": "198.51.100.6:6"})
    ok("r1 token: DELETE route", "DELETE", "/v1/slices/r1/routes/600", 204, token=r1)
    conf = get("/v1/slices/r1/config", token=r1)
    got = ok("r1 token: PUT its own config back", "PUT", "/v1/slices/r1/config", 200,
             token=r1, body=conf)
    c.equal(got, conf, "r1 token: PUT config round-trips")
    c.equal(get("/v1/slices/r1/filters", token=r1), conf.get("filters"),
            "r1 token: GET filters")
    ok("r1 token: GET stats", "GET", "/v1/slices/r1/stats", 200, token=r1)

    # Another slice's objects look like a missing slice's.
    for method, sub, body in [
            ("GET", "filters", None),
            ("POST", "filters", {"priority": 1, "match": {}, "action": {"drop": {}}}),
            ("DELETE", "filters/0", None),
            ("DELETE", "filters/999", None),
            ("GET", "routes", None),
            ("POST", "routes", {"prefix": "10.70.0.0/16", "binding": 0,
                                "peer": "198.51.100.7:7"}),
            ("DELETE", "routes/0", None),
            ("GET", "config", None),
            ("PUT", "config", {}),
            ("PUT", "config", {"bindings": [{"id": 0, "interface": "eth0",
                                             "udp_port": 7777}]}),
            ("GET", "stats", None)]:
        o = refused(f"c1 token: {method} r1/{sub}", method, f"/v1/slices/r1/{sub}", 404,
                    "not_found", token=c1, body=body)
        n = refused(f"c1 token: {method} nosuch/{sub}", method, f"/v1/slices/nosuch/{sub}",
                    404, "not_found", token=c1, body=body)
        a = refused(f"admin: {method} nosuch/{sub}", method, f"/v1/slices/nosuch/{sub}",
                    404, "not_found", body=body)
        c.equal(o.get("message", "").replace("r1", "X"),
                n.get("message", "").replace("nosuch", "X"),
                f"c1 token: {method} r1/{sub}: the 404 of a missing slice")
        c.equal(sorted(o), sorted(n), f"c1 token: {method} r1/{sub}: same error keys")
        c.equal(n, a, f"{method} nosuch/{sub}: same 404 for admin and a slice")
        refused(f"no token: {method} r1/{sub}", method, f"/v1/slices/r1/{sub}", 401,
                "unauthenticated", token=None, body=body)
        refused(f"bad token: {method} r1/{sub}", method, f"/v1/slices/r1/{sub}", 401,
                "unauthenticated", token="0" * 64, body=body)

    # Methods the collections do not take.
    for method, sub, allow in [("PUT", "filters", {"GET", "POST"}),
                               ("DELETE", "filters", {"GET", "POST"}),
                               ("GET", "filters/0", {"DELETE"}),
                               ("PUT", "filters/0", {"DELETE"}),
                               ("PUT", "routes", {"GET", "POST"}),
                               ("GET", "routes/0", {"DELETE"}),
                               ("POST", "config", {"GET", "PUT"}),
                               ("DELETE", "config", {"GET", "PUT"})]:
        before = snapshot()
        resp = req(method, f"/v1/slices/r1/{sub}",
                   body=None if method == "GET" else {"priority": 1, "match": {},
                                                      "action": {"drop": {}}})
        check_error(f"{method} r1/{sub}", resp, 405, "method_not_allowed")
        got = {x.strip() for x in resp[1].get("allow", "").split(",") if x.strip()}
        c.equal(got, allow, f"{method} r1/{sub}: Allow")
        unchanged(f"{method} r1/{sub}", before)
    for sub in ("filters/0/x", "routes/0/x", "config/0", "filter", "route"):
        refused(f"GET r1/{sub}", "GET", f"/v1/slices/r1/{sub}", 404, "not_found")

    # Admin does everything on any slice.
    ok("admin: POST c1 filter", "POST", "/v1/slices/c1/filters", 201,
       body={"id": 600, "priority": 6, "match": {}, "action": {"drop": {}}})
    ok("admin: DELETE c1 filter", "DELETE", "/v1/slices/c1/filters/600", 204)
    ok("admin: PUT c1 config", "PUT", "/v1/slices/c1/config", 200, body=BASE)
    c.equal(get("/v1/slices/c1/config", token=c1), sorted_doc(BASE), "c1 reads admin's PUT")


def test_delete_slices():
    for name in ("r1", "p1", "small", "zero", "c1", "c2"):
        ok(f"DELETE slice {name}", "DELETE", f"/v1/slices/{name}", 204)
    c.equal(get("/v1/slices"), [], "no slices left")
    # Their ports are free again: a new slice binds one of each.
    ok("create again", "POST", "/v1/slices", 201,
       body={"name": "again", "code_option": "ipv4", "reservation": {"filters": 4}})
    got = ok("PUT again", "PUT", "/v1/slices/again/config", 200,
             body={"bindings": [{"id": 0, "interface": "eth0", "udp_port": 6000},
                                {"id": 1, "interface": "eth0", "udp_port": 7000},
                                {"id": 2, "interface": "eth0", "udp_port": 7100}],
                   "filters": [{"id": 0, "priority": 0, "match": {}, "action": {"drop": {}}}]})
    c.equal(get("/v1/slices/again/stats").get("filters"), [{"id": 0, "hits": 0}],
            "a new slice's filter counter starts at 0")
    ok("DELETE slice again", "DELETE", "/v1/slices/again", 204)


def test_too_complex():
    """A filter set whose classifier would outgrow the slice's share of
    memory is refused whole (409), and the slice keeps its filters."""
    ok("create cx", "POST", "/v1/slices", 201,
       body={"name": "cx", "code_option": "passthrough", "reservation": {"filters": 1000}})
    keep = [{"id": 1, "priority": 1, "match": {"key": "53" + "00" * 13, "mask": "ff" + "00" * 13},
             "action": {"drop": {}}}]
    ok("PUT cx simple", "PUT", "/v1/slices/cx/config", 200, body={"filters": keep})
    rng = random.Random(7)
    filters = []
    for i in range(200):
        key, mask = bytearray(14), bytearray(14)
        for _ in range(3):
            pos = rng.randrange(14)
            mask[pos] |= rng.randrange(1, 256)
            key[pos] = rng.randrange(256) & mask[pos]
        filters.append({"id": i, "priority": i, "match": {"key": key.hex(), "mask": mask.hex()},
                        "action": {"drop": {}}})
    refused("PUT cx too complex", "PUT", "/v1/slices/cx/config", 409, "conflict", "$.filters",
            ("classifier memory",), body={"filters": filters})
    c.equal(get("/v1/slices/cx/filters"), keep, "cx keeps its filters")
    ok("DELETE slice cx", "DELETE", "/v1/slices/cx", 204)


SECTIONS = [test_setup, test_ipv4_filters, test_passthrough_filters, test_routes,
            test_bindings_in_use, test_reservation, test_config_put, test_permissions,
            test_delete_slices, test_too_complex]


if __name__ == "__main__":
    api.main(SECTIONS, IFACES, VDEVS, max_body_bytes=MAX_BODY)
