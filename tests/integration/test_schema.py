#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""The JSON Schemas in config/schema/ against the examples and the daemon.

Usage: test_schema.py PATH-TO-SLICEPATHD  (needs the jsonschema module,
Debian's python3-jsonschema; without it the test is skipped: 77)

 1. Each schema is valid draft 2020-12 with $id, title and description; every
    property has a description; every object schema sets additionalProperties.
 2. The examples validate: config/node.json, the demo slices, the demo router
    configuration, each of config/demo-bindings.json, and every JSON block of
    docs/api.md marked <!-- schema: NAME[#/$defs/DEF] -->, which every POST and
    PUT section there must have.
 3. The schema's verdict is the daemon's, on tables of documents (valid, at
    both edges of each range, and invalid: types, ranges, unknown keys,
    patterns, missing keys): POST /v1/slices, PUT /v1/slices/{name}/config and
    .../reservation on one slicepathd with two net_null ports (accepted: 2xx
    or 409; refused: 400), and "slicepathd --check" on node files (exit 0 or
    1).  Faults a schema cannot express (the schemas' descriptions name them)
    must pass the schema and be refused by the daemon.

Prints "N passed, M failed" as the last line; exits non-zero on any failure.
"""

import copy
import glob
import inspect
import json
import os
import re
import subprocess
import sys

import sptest

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError as e:
    print(f"SKIP: the jsonschema module is missing ({e}); install python3-jsonschema")
    sys.exit(sptest.SKIP)

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMAS = {os.path.basename(p)[:-len(".schema.json")]: json.load(open(p))
           for p in sorted(glob.glob(os.path.join(TOP, "config", "schema", "*.schema.json")))}
IFACES = [sptest.iface("eth0", "net_null0", "192.0.2.1"),
          sptest.iface("eth1", "net_null1", "198.51.100.1")]
VDEVS = ["net_null0,no-rx=1", "net_null1,no-rx=1"]
DEL = object()          # "leave this key out" in mutations

api = sptest.ApiSuite(lambda: {})
c = api.checks

if "registry" in inspect.signature(Draft202012Validator).parameters:    # jsonschema >= 4.18
    from referencing import Registry, Resource
    _REGISTRY = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in SCHEMAS.values())

    def _validator(schema):
        return Draft202012Validator(schema, registry=_REGISTRY)
else:                                                       # Debian 12's 4.10
    def _validator(schema):
        resolver = jsonschema.RefResolver("", {}, store={s["$id"]: s for s in SCHEMAS.values()})
        return Draft202012Validator(schema, resolver=resolver)


def errors(ref, doc):
    """The schema's faults in 'doc'; 'ref' is NAME or NAME#/$defs/DEF."""
    name, _, frag = ref.partition("#")
    v = _validator({"$ref": SCHEMAS[name]["$id"] + (f"#{frag}" if frag else "")})
    return [f"{'/'.join(map(str, e.absolute_path)) or '$'}: {e.message}"
            for e in v.iter_errors(doc)]


def mut(doc, path, value):
    """A deep copy of 'doc' with the value at 'path' (keys and indices)
    replaced by 'value' (appended, one past a list's end), or removed if it
    is DEL."""
    doc = copy.deepcopy(doc)
    obj = doc
    for p in path[:-1]:
        obj = obj[p]
    if value is DEL:
        del obj[path[-1]]
    elif isinstance(obj, list) and path[-1] == len(obj):
        obj.append(value)
    else:
        obj[path[-1]] = value
    return doc


def what(path, value):
    s = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return f"${s} " + ("removed" if value is DEL else f"= {json.dumps(value)}")[:70]


# --------------------------------------------------------------------------
# 1. The schemas themselves.

def walk(node, where, found):
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append((where, "additionalProperties" in node))
        for key, sub in node.get("properties", {}).items():
            c.check(isinstance(sub, dict) and sub.get("description"),
                    f"{where}/properties/{key} has no description")
        for k, v in node.items():
            walk(v, f"{where}/{k}", found)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, f"{where}/{i}", found)


def test_schemas():
    c.check({"node", "slice", "slice-config", "reservation"} <= set(SCHEMAS),
            f"config/schema/ has node, slice, slice-config, reservation: {sorted(SCHEMAS)}")
    for name, s in SCHEMAS.items():
        try:
            Draft202012Validator.check_schema(s)
            c.check(True, f"{name}: valid schema")
        except jsonschema.exceptions.SchemaError as e:
            c.check(False, f"{name}: not a valid schema: {e.message}")
        c.equal(s.get("$schema"), "https://json-schema.org/draft/2020-12/schema",
                f"{name}: $schema")
        c.check(str(s.get("$id", "")).endswith(f"/{name}.schema.json"), f"{name}: $id")
        c.check(s.get("title") and s.get("description"), f"{name}: title and description")
        found = []
        walk(s, name, found)
        for where, has in found:
            c.check(has, f"{where}: an object without additionalProperties")


# --------------------------------------------------------------------------
# 2. The examples.

def test_examples():
    def example(ref, path, doc):
        errs = errors(ref, doc)
        c.check(not errs, f"{path} does not validate against {ref}: {errs}")

    cfg = os.path.join(TOP, "config")
    for ref, fname in [("node", "node.json"), ("node", "node-openflow.json"),
                       ("slice", "demo-slice.json"),
                       ("slice", "demo-router-slice.json"),
                       ("slice-config", "demo-router.json")]:
        example(ref, f"config/{fname}", json.load(open(os.path.join(cfg, fname))))
    for i, b in enumerate(json.load(open(os.path.join(cfg, "demo-bindings.json")))):
        example("slice-config#/$defs/binding", f"config/demo-bindings.json[{i}]", b)

    with open(os.path.join(TOP, "docs", "api.md")) as f:
        md = f.read()
    blocks = re.findall(r"<!-- schema: (\S+) -->\n```json\n(.*?)\n```", md, re.S)
    c.check(len(blocks) >= 8, f"docs/api.md has {len(blocks)} marked request bodies")
    for i, (ref, text) in enumerate(blocks):
        try:
            doc = json.loads(text)
        except ValueError as e:
            c.check(False, f"docs/api.md block {i} ({ref}) is not JSON: {e}")
            continue
        example(ref, f"docs/api.md block {i} ({ref})", doc)
    for section in re.split(r"\n(?=### )", md):
        head = section.splitlines()[0]
        if re.match(r"### `(POST|PUT) ", head):
            c.check("<!-- schema: " in section,
                    f"docs/api.md: {head!r} has no marked request example")


# --------------------------------------------------------------------------
# 3. The daemon's verdicts.

SLICE = {"name": "s1", "code_option": "ipv4",
         "reservation": {"filters": 8, "queues": 4, "buffers": 64,
                         "bandwidth": {"eth0": {"in_bps": 1000, "out_bps": 1000}}}}
BW = ("reservation", "bandwidth", "eth0")
SLICE_CASES = [
    ((), None), (("name",), "a" + "b" * 31), (("code_option",), "passthrough"),
    (("reservation",), {}), (BW, {}), (BW + ("in_bps",), 0),
    (("reservation", "filters"), 16777216), (("reservation", "queues"), 65536),
    (("reservation", "buffers"), 4194304), (BW + ("out_bps",), 400000000000),
    (("code_option",), "bpf"), (("reservation", "program_cycles_per_sec"), 0),
    (("reservation", "program_cycles_per_sec"), 1 << 40),
    (("name",), "a" + "b" * 32), (("name",), "1abc"), (("name",), "Abc"), (("name",), 5),
    (("name",), DEL), (("code_option",), "i3"), (("code_option",), 1),
    (("code_option",), DEL), (("reservation",), DEL), (("reservation",), []),
    (("color",), "red"), (("reservation", "cpu"), 1), (BW + ("burst_bps",), 1),
    (("reservation", "filters"), -1), (("reservation", "filters"), 16777217),
    (("reservation", "queues"), 65537), (("reservation", "buffers"), 4194305),
    (BW + ("in_bps",), 400000000001), (BW + ("out_bps",), -1), (BW + ("in_bps",), "1"),
    (BW, 5), (("reservation", "bandwidth", "Eth0"), {}), (("reservation", "bandwidth"), []),
    (("reservation", "program_cycles_per_sec"), -1),
    (("reservation", "program_cycles_per_sec"), (1 << 40) + 1),
    (("reservation", "program_cycles_per_sec"), "1")]

BIND = ("bindings", 0)
FWD = ("filters", 0, "action", "forward")
MATCH = ("filters", 0, "match")
CONFIG = {
    "bindings": [{"id": 0, "interface": "eth0", "udp_port": 5000,
                  "default_action": {"forward": {"binding": 1, "peer": "198.51.100.2:6000"}}},
                 {"id": 1, "interface": "eth1", "udp_port": 6000}],
    "queues": [{"id": 0, "binding": 1}],
    "filters": [{"id": 7, "priority": 10,
                 "match": {"binding": 0, "dst": "10.0.0.0/8", "protocol": 17,
                           "dst_port": [53, 53]},
                 "action": {"forward": {"binding": 1, "peer": "203.0.113.5:53", "queue": 0}}}],
    "routes": [{"id": 0, "prefix": "10.1.0.0/16", "binding": 1, "peer": "203.0.113.7:5000"}]}
KEYED = {"bindings": [{"id": 0, "interface": "eth0", "udp_port": 5500}],
         "filters": [{"id": 1, "priority": 5,
                      "match": {"binding": 0, "key": "53500000000000000000000000FF",
                                "mask": "ffff00000000000000000000ffff"},
                      "action": {"drop": {}}}]}
BPF_KEYED = mut(KEYED, ("bindings", 0, "udp_port"), 5600)
Q = ("queues", 0)
PROG = ("program",)
ELF = "f0VMRg=="        # base64 of the ELF magic: the right shape, not an object
CONFIG_CASES = [("ipv4", CONFIG, p, v) for p, v in [
    ((), None), (("routes",), DEL), (BIND + ("udp_port",), 65535), (BIND + ("udp_port",), 1),
    (("bindings", 2), {"id": 63, "interface": "eth0", "udp_port": 5063}),
    (Q + ("weight",), 10000), (Q + ("limit_packets",), 65536), (Q + ("limit_bytes",), 64),
    (Q + ("limit_bytes",), 1073741824), (("queues", 1), {"id": 65535, "binding": 0}),
    (("filters", 0, "id"), 4294967294), (("filters", 0, "priority"), 2147483647),
    (("filters", 0, "priority"), 0), (MATCH, {}), (MATCH + ("src",), "10.1.2.3"),
    (MATCH + ("src_port",), [0, 65535]), (("routes", 0, "prefix"), "0.0.0.0/0"),
    (("routes", 0, "id"), 4294967294), (FWD + ("peer",), "0.1.2.3:80"),
    (FWD + ("peer",), "203.0.113.5:00053"), (("filters", 0, "action"), {"exception": {}}),
    (("extra",), 1), (("program",), {"pcap": "udp dst port 53"}), (("bindings",), {}),
    (BIND + ("mtu",), 1500), (BIND + ("id",), DEL), (BIND + ("udp_port",), DEL),
    (BIND + ("interface",), DEL), (BIND + ("udp_port",), 0), (BIND + ("udp_port",), 65536),
    (BIND + ("udp_port",), "5000"), (BIND + ("id",), 64), (BIND + ("id",), -1),
    (BIND + ("interface",), "Eth0"), (Q + ("weight",), 0), (Q + ("weight",), 10001),
    (Q + ("limit_packets",), 0), (Q + ("limit_packets",), 65537), (Q + ("limit_bytes",), 63),
    (Q + ("limit_bytes",), 1073741825), (Q + ("id",), 65536), (Q + ("binding",), DEL),
    (("filters", 0, "id"), 4294967295), (("filters", 0, "priority"), 2147483648),
    (("filters", 0, "priority"), -1), (("filters", 0, "priority"), DEL),
    (("filters", 0, "action"), {"drop": {}, "exception": {}}),
    (("filters", 0, "action"), {"reject": {}}), (("filters", 0, "action"), {}),
    (("filters", 0, "action"), {"drop": {"x": 1}}), (FWD + ("peer",), DEL),
    (FWD + ("peer",), "198.51.100.2"), (FWD + ("peer",), "127.0.0.1:80"),
    (FWD + ("peer",), "224.0.0.1:80"), (FWD + ("peer",), "0.0.0.0:80"),
    (FWD + ("peer",), "203.0.113.5:0"), (FWD + ("queue",), 65536),
    (MATCH + ("dst",), "10.0.0.0/33"), (MATCH + ("dst",), "10.0.0.0/08"),
    (MATCH + ("src",), "10.0.0.01/8"), (MATCH + ("protocol",), 256),
    (MATCH + ("dst_port",), [1]), (MATCH + ("dst_port",), [1, 2, 3]),
    (MATCH + ("dst_port",), [0, 65536]), (MATCH + ("tos",), 0),
    (("routes", 0, "prefix"), "10.1.0.0/"), (("routes", 0, "peer"), "203.0.113.7:65536"),
    (("routes", 0, "binding"), DEL),
    # The slice reserved no program cycles: a program in the right shape is a 409.
    (PROG, {"pcap": "udp dst port 53", "jit": False}), (PROG, {"pcap": "udp" + " " * 4093}),
    (PROG, {}), (PROG, "udp"), (PROG, {"pcap": ""}), (PROG, {"pcap": "udp" + " " * 4094}),
    (PROG, {"pcap": 53}), (PROG, {"pcap": "udp", "jit": "no"}), (PROG, {"pcap": "udp", "maps": []}),
    (PROG, {"pcap": "udp", "section": "dns"}), (PROG, {"pcap": "udp", "elf_base64": ELF}),
    (PROG, {"elf_base64": ELF}), (PROG, {"section": "dns"}),
    (PROG, {"elf_base64": ELF, "section": ""}), (PROG, {"elf_base64": ELF, "section": "s" * 65}),
    (PROG, {"elf_base64": "", "section": "dns"}), (PROG, {"elf_base64": "f0V@", "section": "dns"}),
    (PROG, {"elf_base64": ELF + "=", "section": "dns"})]] + [("passthrough", KEYED, p, v) for p, v in [
        ((), None), (("filters", 0, "match"), {"binding": 0}),
        (("filters", 0, "match", "key"), "0" * 27), (("filters", 0, "match", "key"), "g" * 28),
        (("filters", 0, "match", "mask"), DEL), (("filters", 0, "match", "key"), 0)]] + [
    ("bpf", BPF_KEYED, p, v) for p, v in [
        ((), None), (("filters", 0, "match"), {"binding": 0}),
        (PROG, {"pcap": "udp"}), (("filters", 0, "match", "key"), "0" * 27)]]

# Faults only the daemon finds (cross-references, uniqueness, host bits, ...).
BEYOND = [
    ("slice", (("reservation", "bandwidth", "eth9"), {})),
    ("ipv4", (("bindings", 1, "id"), 0)), ("ipv4", ((FWD + ("binding",)), 5)),
    ("ipv4", (BIND + ("interface",), "eth9")), ("ipv4", (MATCH + ("dst",), "10.0.0.1/8")),
    ("ipv4", (MATCH + ("dst_port",), [53, 1])), ("ipv4", ((FWD + ("queue",)), 3)),
    ("ipv4", (("bindings", 1), {"id": 1, "interface": "eth0", "udp_port": 5000})),
    ("ipv4", (MATCH, {"key": "0" * 28, "mask": "0" * 28})),
    ("passthrough", (("routes",), [{"id": 0, "prefix": "10.1.0.0/16", "binding": 0,
                                    "peer": "203.0.113.7:5000"}])),
    ("passthrough", (("filters", 0, "match", "key"), "1" * 28)),
    ("ipv4", (PROG, {"pcap": "udp dst port"})), ("ipv4", (PROG, {"elf_base64": ELF, "section": "dns"})),
    ("bpf", (("routes",), [{"id": 0, "prefix": "10.1.0.0/16", "binding": 0,
                            "peer": "203.0.113.7:5000"}])),
    ("bpf", (("filters", 0, "match"), {"dst": "10.0.0.0/8"})),
]


def post_slice(doc, name):
    st, _, body = api.req("POST", "/v1/slices", body=doc)
    if st == 201:
        api.req("DELETE", f"/v1/slices/{doc['name']}")
    c.check(st in (201, 409, 400), f"POST /v1/slices {name}: status {st} {body!r}")
    return st != 400


def put_config(slice_name, doc):
    st, _, body = api.req("PUT", f"/v1/slices/{slice_name}/config", body=doc)
    c.check(st in (200, 409, 400), f"PUT config {slice_name} {doc}: status {st} {body!r}")
    return st != 400, body


def agree(name, ref, doc, daemon_ok, body=None):
    errs = errors(ref, doc)
    c.check(daemon_ok == (not errs),
            f"{name}: daemon {'accepts' if daemon_ok else 'refuses'} "
            f"{body or ''}, schema says {errs or 'valid'}:\n    {json.dumps(doc)}")


def test_slices():
    for p, v in SLICE_CASES:
        doc = SLICE if not p else mut(SLICE, p, v)
        name = "the base slice" if not p else what(p, v)
        agree(f"POST /v1/slices {name}", "slice", doc, post_slice(doc, name))


def test_configs():
    for name, option in [("ipv4", "ipv4"), ("passthrough", "passthrough"), ("bpf", "bpf")]:
        api.ok(f"create {name}", "POST", "/v1/slices", 201,
               body={"name": name, "code_option": option,
                     "reservation": {"filters": 64, "queues": 16, "buffers": 256}})
    for slice_name, base, p, v in CONFIG_CASES:
        doc = base if not p else mut(base, p, v)
        ok, body = put_config(slice_name, doc)
        agree(f"PUT {slice_name} config {what(p, v) if p else 'base'}", "slice-config",
              doc, ok, None if ok else body)
    for slice_name, (p, v) in BEYOND:
        ref, base = (("slice", SLICE) if slice_name == "slice" else
                     ("slice-config", {"ipv4": CONFIG, "bpf": BPF_KEYED}.get(slice_name, KEYED)))
        doc = mut(base, p, v)
        c.check(not errors(ref, doc), f"beyond the schema: {what(p, v)}: the schema refuses")
        if slice_name == "slice":
            ok = post_slice(doc, what(p, v))
        else:
            ok, _ = put_config(slice_name, doc)
        c.check(not ok, f"beyond the schema: {slice_name} {what(p, v)}: the daemon accepts")


def test_reservations():
    """The reservation cases of SLICE_CASES, as PUT /v1/slices/ipv4/reservation."""
    for p, v in SLICE_CASES:
        if p[:1] == ("reservation",) and v is not DEL:
            doc = v if len(p) == 1 else mut(SLICE["reservation"], p[1:], v)
            st, _, body = api.req("PUT", "/v1/slices/ipv4/reservation", body=doc)
            c.check(st in (200, 409, 400), f"PUT reservation {doc}: status {st} {body!r}")
            agree(f"PUT reservation {what(p[1:], v)}", "reservation", doc, st != 400, body)


def check_node(doc):
    """(exit status, stderr) of "slicepathd --check" on 'doc'."""
    path = os.path.join(api.daemon.tmp, "check.json")
    with open(path, "w") as f:
        json.dump(doc, f)
    p = subprocess.run([BIN, "--", "--config", path, "--check"], capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stderr.strip()


def test_node_files():
    base = json.load(open(os.path.join(TOP, "config", "node.json")))
    I0 = ("interfaces", 0)
    cases = [((), None), (("queue_manager",), False), (I0 + ("framing_overhead",), 256),
             (I0 + ("framing_overhead",), 0), (I0 + ("rate_bps",), 1000),
             (I0 + ("rate_bps",), 400000000000), (("capacity", "buffers"), 512),
             (("capacity", "buffers"), 4194304), (("lcores", "workers"), [1, 127]),
             (("api", "max_body_bytes"), 1024), (I0 + ("gateway_mac",), "0A:00:00:00:00:FE"),
             (I0 + ("framing_overhead",), 257), (I0 + ("framing_overhead",), -1),
             (I0 + ("rate_bps",), 999), (I0 + ("rate_bps",), 400000000001),
             (("capacity", "buffers"), 511), (("capacity", "buffers"), 4194305),
             (("lcores", "workers"), [1, 1]), (("lcores", "workers"), [128]),
             (("lcores", "workers"), []), (("api", "max_body_bytes"), 67108865),
             (("queue_manager",), "yes"), (("openflow",), {}),
             (("openflow",), {"switch": "tcp:127.0.0.1:6653", "node_port": 2,
                              "uplink_port": 1}),
             (I0 + ("gateway_mac",), "01:00:5e:00:00:01"),
             (I0 + ("gateway_mac",), "00:00:00:00:00:00"), (I0 + ("ipv4",), "127.0.0.1"),
             (I0 + ("ipv4",), "192.0.2.01"), (("api", "listen"), "127.0.0.1:0"),
             (I0 + ("device",), "n" * 64), (("state_dir",), ""), (("state_dir",), DEL),
             (("capacity", "tables"), 1), (I0 + ("mtu",), 1500),
             (("capacity", "program_cycles_per_sec"), 1),
             (("capacity", "program_cycles_per_sec"), 1 << 40),
             (("capacity", "program_cycles_per_sec"), 0),
             (("capacity", "program_cycles_per_sec"), (1 << 40) + 1),
             (("program_max_instructions",), 16), (("program_max_instructions",), 65536),
             (("program_max_instructions",), 15), (("program_max_instructions",), 65537)]
    for p, v in cases:
        doc = base if not p else mut(base, p, v)
        status, err = check_node(doc)
        c.check(status in (0, 1), f"--check {what(p, v) if p else ''}: exit {status}: {err}")
        agree(f"node file {what(p, v) if p else 'config/node.json'}", "node", doc,
              status == 0, err)
    for p, v in [(("interfaces", 1, "name"), "eth0"), (("interfaces", 1, "ipv4"), "192.0.2.1"),
                 (I0 + ("rate_bps",), 1e10)]:
        doc = mut(base, p, v)
        c.check(not errors("node", doc), f"beyond the schema: node {what(p, v)}: the schema "
                "refuses")
        c.equal(check_node(doc)[0], 1, f"beyond the schema: node {what(p, v)}: --check")


def main():
    global BIN
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} PATH-TO-SLICEPATHD")
    BIN = os.path.abspath(sys.argv[1])
    for section in (test_schemas, test_examples):
        try:
            section()
        except Exception as e:      # count it, go on to the daemon
            c.check(False, f"{section.__name__} raised {e!r}")
    api.run(BIN, lambda tmp, port: sptest.node_config(tmp, port, IFACES), VDEVS,
            [test_slices, test_configs, test_reservations, test_node_files])


if __name__ == "__main__":
    main()
