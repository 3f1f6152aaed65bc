#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""slicectl, the command-line client, against a running slicepathd.

Usage: test_slicectl.py PATH-TO-SLICEPATHD PATH-TO-SLICECTL

Starts one slicepathd on virtual ports (no privileges needed): eth0 replays
one 100-byte UDP frame to 192.0.2.1:5300 from memory, over and over, and eth1
is a sink.  Runs slicectl as a subprocess for each of its commands.  Each check looks at what
the server did (read back over HTTP by the test itself) and at what slicectl
printed: --json output must equal the server's JSON, key order included,
tables must hold the expected rows, watched rates must fit the traffic, refusals must show the server's status, code, JSON path and
message with exit status 1, an unreachable API exit status 3, and a missing
or broken local file exit status 2 with nothing sent.

Prints "N passed, M failed" as the last line; exits non-zero on any failure.
"""

import json
import os
import re
import socket
import struct
import subprocess
import sys
import time

import sptest

ADMIN = sptest.ADMIN_TOKEN
CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "config")
IFACES = [sptest.iface("eth0", "net_pcap0", "192.0.2.1"),
          sptest.iface("eth1", "net_null0", "198.51.100.1")]
FRAME_LEN = 100         # of the frame eth0 replays, to udp port TRAFFIC_PORT
TRAFFIC_PORT = 5300
SLICECTL = None         # set from the command line
S = {}                  # state shared between sections: tokens, a scratch directory

# Refusals are checked against the server's own answer to the same request
# (see refused()), so the suite keeps no state snapshots.
api = sptest.ApiSuite(read_state=dict)
c = api.checks
req = api.req


def slicectl(*args, token=ADMIN, env=None, api_addr=None):
    """Runs slicectl with SLICEPATH_API set to the test daemon (or
    'api_addr') and SLICEPATH_TOKEN to 'token' (None: unset), plus 'env'.
    Returns (exit status, stdout, stderr); a sanitizer report is a failure."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("SLICEPATH_")}
    e["SLICEPATH_API"] = api_addr or f"127.0.0.1:{api.daemon.port}"
    if token is not None:
        e["SLICEPATH_TOKEN"] = token
    e.update(env or {})
    p = subprocess.run([SLICECTL, *args], env=e, capture_output=True, text=True,
                       timeout=60)
    c.check(not re.search(r"Sanitizer|runtime error", p.stderr),
            f"slicectl {' '.join(args)}: sanitizer report:\n{p.stderr}")
    return p.returncode, p.stdout, p.stderr


def ok(what, *args, **kw):
    """Runs slicectl, which must exit 0 and print nothing on stderr; returns stdout."""
    rc, out, err = slicectl(*args, **kw)
    c.equal((rc, err), (0, ""), f"{what}: exit status and stderr")
    return out


def same_json(what, args, path, token=ADMIN):
    """slicectl --json ARGS must print what GET 'path' returns."""
    out = ok(f"{what} --json", "--json", *args, token=token)
    try:
        got = json.loads(out)
    except ValueError:
        got = out
    want = req("GET", path, token=token)[2]
    c.equal(json.dumps(got), json.dumps(want), f"{what}: --json output is the server's JSON")


def has_row(what, out, *cells):
    """'out' must have a line made of 'cells' separated by table gaps."""
    pattern = r"^\s*" + r"\s{2,}".join(re.escape(str(x)) for x in cells) + r"\s*$"
    c.check(re.search(pattern, out, re.M), f"{what}: no row {cells!r} in:\n{out}")


def refused(what, args, method, path, body, status, code, token=ADMIN):
    """slicectl ARGS must exit 1 showing what the server answers to the same
    (refused, so repeatable) request: 'status', 'code', the path, the message."""
    rc, out, err = slicectl(*args, token=token)
    st, _, reply = req(method, path, body=body, token=token)
    e = reply.get("error", {}) if isinstance(reply, dict) else {}
    c.equal((st, e.get("code")), (status, code), f"{what}: the server's refusal")
    where = f"{e['path']}: " if "path" in e else ""
    c.equal(err, f"slicectl: {status} {code}: {where}{e.get('message')}\n", f"{what}: stderr")
    c.equal((rc, out), (1, ""), f"{what}: exit status and stdout")
    return e


def write(name, text):
    path = os.path.join(S["tmp"], name)
    with open(path, "w") as f:
        f.write(text)
    return path


def write_traffic(path):
    """A pcap file of one Ethernet/IPv4/UDP frame of FRAME_LEN bytes from
    10.0.0.1:1024 to 192.0.2.1:TRAFFIC_PORT."""
    payload = bytes(FRAME_LEN - 42)
    udp = struct.pack("!HHHH", 1024, TRAFFIC_PORT, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     socket.inet_aton("10.0.0.1"), socket.inet_aton("192.0.2.1"))
    csum = sum(struct.unpack("!10H", ip))
    csum = (csum & 0xFFFF) + (csum >> 16)
    ip = ip[:10] + struct.pack("!H", ~csum & 0xFFFF) + ip[12:]
    frame = bytes.fromhex("020000000001" "020000000002" "0800") + ip + udp
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        f.write(struct.pack("<IIII", 0, 0, len(frame), len(frame)) + frame)


# --------------------------------------------------------------------------

def test_help_and_usage():
    out = ok("--help", "--help")
    for cmd in ("node", "stats", "slice create", "config apply", "binding add",
                "queue remove", "filter list", "route add"):
        c.check(f"  {cmd}" in out, f"--help lists {cmd}")
    out = ok("slice create --help", "slice", "create", "--help")
    c.check(out.startswith("usage: slicectl [OPTIONS] slice create NAME --code-option"),
            f"slice create --help: {out!r}")
    for args, msg in [(["slice", "show"], "missing arguments"),
                      (["slice", "frob"], "unknown command 'slice frob'"),
                      (["nonsense"], "unknown command 'nonsense'"),
                      (["slice", "list", "--watch"], "does not take --watch"),
                      (["--api", "nocolon", "node"], "expected HOST:PORT"),
                      (["binding", "remove", "r", "x"], "ID must be a number")]:
        rc, out, err = slicectl(*args)
        c.equal(rc, 2, f"{args}: exit status")
        c.check(msg in err and "usage: slicectl" in err, f"{args}: stderr {err!r}")


def test_node():
    out = ok("node", "node")
    node = req("GET", "/v1/node")[2]
    for i in node["interfaces"]:
        has_row("node", out, i["name"], i["device"], i["ipv4"], i["mac"], i["port_id"],
                "10,000,000,000", "10,000,000,000", "10,000,000,000")
    has_row("node", out, "queue manager", "on" if node.get("queue_manager") else "off")
    has_row("node", out, "filters", "1,024", "1,024")
    same_json("node", ["node"], "/v1/node")
    # eth0's traffic moves the node's counters: compare the shape.
    out = ok("stats", "stats")
    c.check(re.search(r"^no_binding\s+[\d,]+$", out, re.M), f"stats: no_binding row:\n{out}")
    got, want = json.loads(ok("stats --json", "--json", "stats")), req("GET", "/v1/stats")[2]
    c.equal([list(got), [p["interface"] for p in got["ports"]], list(got["drops"])],
            [list(want), [p["interface"] for p in want["ports"]], list(want["drops"])],
            "stats --json: the server's document")


def test_slices():
    res = write("res.json", '{"filters": 10, "queues": 2, "buffers": 256,\n'
                ' "bandwidth": {"eth0": {"in_bps": 1500000000, "out_bps": 0}}}\n')
    out = ok("create alpha", "slice", "create", "alpha", "--code-option", "passthrough",
             "--reservation", "@" + res)
    m = re.fullmatch(r"slice alpha created; its token: ([0-9a-f]{64})\n", out)
    if c.check(m, f"create alpha prints the token: {out!r}"):
        S["alpha"] = m.group(1)
        c.equal(req("GET", "/v1/slices/alpha", token=S["alpha"])[0], 200,
                "alpha's printed token reads alpha")
    got = req("GET", "/v1/slices/alpha")[2]
    c.equal(got.get("reservation", {}).get("filters"), 10, "alpha: reservation from @FILE")
    out = ok("create router --json", "--json", "slice", "create", "--file",
             os.path.join(CONFIG, "demo-router-slice.json"))
    reply = json.loads(out) if out.startswith("{") else {}
    c.equal(sorted(reply), ["name", "token"], f"create --file --json: {out!r}")
    S["router"] = reply.get("token")
    c.equal(req("GET", "/v1/slices/router")[2].get("code_option"), "ipv4",
            "router created from config/demo-router-slice.json")

    out = ok("slice list", "slice", "list")
    has_row("slice list", out, "alpha", "passthrough", 10, 2, 256, "eth0 1.5G/0")
    has_row("slice list", out, "router", "ipv4", 64, 4, "2,048", "eth0 1G/0, eth1 0/300M")
    same_json("slice list", ["slice", "list"], "/v1/slices")
    out = ok("slice show", "slice", "show", "alpha")
    has_row("slice show", out, "code option", "passthrough")
    has_row("slice show", out, "reservation", "filters 10, queues 2, buffers 256")
    same_json("slice show", ["slice", "show", "router"], "/v1/slices/router")

    ok("create beta", "slice", "create", "beta", "--code-option", "passthrough")
    c.equal(req("GET", "/v1/slices/beta")[2].get("reservation"),
            {"filters": 0, "queues": 0, "buffers": 0, "program_cycles_per_sec": 0,
             "bandwidth": {}},
            "beta: no --reservation is an empty one")
    out = ok("delete beta", "slice", "delete", "beta")
    c.equal(out, "slice beta deleted\n", "delete beta: output")
    c.equal(req("GET", "/v1/slices/beta")[0], 404, "beta is gone")


def test_config():
    path = os.path.join(CONFIG, "demo-router.json")
    with open(path) as f:
        doc = json.load(f)
    out = ok("config apply", "config", "apply", "router", path)
    c.equal(out, "slice router: configuration applied: bindings 2, queues 2, filters 2,"
            " routes 2\n", "config apply: output")
    stored = req("GET", "/v1/slices/router/config")[2]
    for coll in ("bindings", "queues", "filters", "routes"):
        c.equal([x["id"] for x in stored.get(coll, [])], [x["id"] for x in doc[coll]],
                f"config apply: stored {coll}")
    c.equal(stored.get("routes"), doc["routes"], "config apply: routes as in the file")
    out = ok("config show", "config", "show", "router")
    has_row("config show", out, 1, "10.2.0.0/16", 1, "203.0.113.2:7000", 0)
    has_row("config show", out, 1, 10, "binding=0 dst=10.1.0.0/16 protocol=17 dst_port=53",
            "forward binding=1 peer=203.0.113.53:5353 queue=1")
    has_row("config show", out, 1, 1, 3, 256, "65,536")
    same_json("config show", ["config", "show", "router"], "/v1/slices/router/config")


COLLECTIONS = [   # (command, collection, object added, a row of its table)
    ("binding", "bindings", {"id": 5, "interface": "eth0", "udp_port": 5200,
                             "default_action": {"drop": {}}}, (5, "eth0", 5200, "drop")),
    ("queue", "queues", {"id": 3, "binding": 5, "weight": 2},
     (3, 5, 2, "1,024", "1,048,576")),
    ("filter", "filters", {"id": 9, "priority": 5,
                           "match": {"binding": 5, "src_port": [10, 20]},
                           "action": {"drop": {}}}, (9, 5, "binding=5 src_port=10-20", "drop")),
    ("route", "routes", {"id": 7, "prefix": "10.7.0.0/16", "binding": 5,
                         "peer": "203.0.113.9:9000", "queue": 3},
     (7, "10.7.0.0/16", 5, "203.0.113.9:9000", 3)),
]


def test_collections():
    for i, (cmd, coll, obj, row) in enumerate(COLLECTIONS):
        path = f"/v1/slices/router/{coll}"
        # Alternate inline JSON and @FILE, and the admin's and the slice's token.
        arg = json.dumps(obj) if i % 2 == 0 else "@" + write(f"{cmd}.json", json.dumps(obj))
        token = ADMIN if i % 2 == 0 else S.get("router")
        out = ok(f"{cmd} add", cmd, "add", "router", arg, token=token)
        has_row(f"{cmd} add", out, *row)
        stored = [x for x in req("GET", path)[2] if x.get("id") == obj["id"]]
        c.check(len(stored) == 1 and all(stored[0].get(k) == v for k, v in obj.items()),
                f"{cmd} add: the server holds {obj}: {stored}")
        has_row(f"{cmd} list", ok(f"{cmd} list", cmd, "list", "router"), *row)
        same_json(f"{cmd} list", [cmd, "list", "router"], path, token=token)
    for cmd, coll, obj, _ in reversed(COLLECTIONS):
        out = ok(f"{cmd} remove", cmd, "remove", "router", str(obj["id"]))
        c.equal(out, f"{cmd} {obj['id']} removed from slice router\n", f"{cmd} remove: output")
        ids = [x["id"] for x in req("GET", f"/v1/slices/router/{coll}")[2]]
        c.check(obj["id"] not in ids, f"{cmd} remove: {obj['id']} still in {ids}")


def test_refusals():
    big = {"filters": 5000}
    refused("admission", ["slice", "create", "huge", "--code-option", "ipv4",
                          "--reservation", json.dumps(big)],
            "POST", "/v1/slices", {"name": "huge", "code_option": "ipv4", "reservation": big},
            409, "conflict")
    c.equal(req("GET", "/v1/slices/huge")[0], 404, "admission: no slice huge")
    bad = {"interface": "eth0", "udp_port": 70000}
    e = refused("bad port", ["binding", "add", "router", json.dumps(bad)],
                "POST", "/v1/slices/router/bindings", bad, 400, "invalid_argument")
    c.equal(e.get("path"), "$.udp_port", "bad port: the server names the path")
    refused("remove a missing filter", ["filter", "remove", "router", "4242"],
            "DELETE", "/v1/slices/router/filters/4242", None, 404, "not_found")
    # Another slice looks like a missing one.
    e = refused("alpha's token on router", ["slice", "show", "router"],
                "GET", "/v1/slices/router", None, 404, "not_found", token=S.get("alpha"))
    none = req("GET", "/v1/slices/nosuch", token=S.get("alpha"))[2]["error"]["message"]
    c.equal(e.get("message", "").replace("router", "X"), none.replace("nosuch", "X"),
            "alpha's token on router: the message of a missing slice")
    refused("alpha's token lists slices", ["slice", "list"], "GET", "/v1/slices", None,
            403, "permission_denied", token=S.get("alpha"))
    refused("wrong token", ["node"], "GET", "/v1/node", None, 401, "unauthenticated",
            token="not-the-token-0123456789")


def test_local_errors():
    # A listener that is never accepted from: slicectl must not connect.
    with socket.socket() as lsn:
        lsn.bind(("127.0.0.1", 0))
        lsn.listen(8)
        lsn.setblocking(False)
        addr = "127.0.0.1:%d" % lsn.getsockname()[1]
        broken = write("broken.json", '{"bindings": [}\n')
        missing = os.path.join(S["tmp"], "missing.json")
        for what, args, name in [
                ("missing config", ["config", "apply", "router", missing], missing),
                ("broken config", ["config", "apply", "router", broken], broken),
                ("missing @FILE", ["filter", "add", "router", "@" + missing], missing),
                ("broken inline", ["route", "add", "router", "{nope"], "route"),
                ("missing --file", ["slice", "create", "--file", missing], missing),
                ("missing token file", ["node"], missing)]:
            env = {"SLICEPATH_TOKEN_FILE": missing} if what == "missing token file" else {}
            rc, out, err = slicectl(*args, api_addr=addr, env=env,
                                    token=None if env else ADMIN)
            c.equal((rc, out), (2, ""), f"{what}: exit status and stdout")
            c.check(err.startswith(f"slicectl: {name}: ") and
                    ("No such file" in err or "not valid JSON" in err),
                    f"{what}: stderr names the file and the fault: {err!r}")
            try:
                lsn.accept()[0].close()
                c.check(False, f"{what}: slicectl connected")
            except BlockingIOError:
                pass
    port = sptest.free_port()
    rc, out, err = slicectl("node", api_addr=f"127.0.0.1:{port}")
    c.equal((rc, err), (3, f"slicectl: cannot connect to 127.0.0.1:{port}: "
                        "Connection refused\n"), "unreachable API")


def test_tokens():
    path = write("admin.token", ADMIN + "\n")
    has_row("--token-file", ok("--token-file", "--token-file", path, "slice", "list",
                               token=None), "alpha", "passthrough", 10, 2, 256, "eth0 1.5G/0")
    ok("$SLICEPATH_TOKEN_FILE", "slice", "list", token=None,
       env={"SLICEPATH_TOKEN_FILE": path})
    # --token-file wins over the environment.
    ok("--token-file over $SLICEPATH_TOKEN", "--token-file", path, "slice", "list",
       token="wrong-token-0123456789")
    out = ok("slice token", "config", "show", "router", token=S.get("router"))
    has_row("slice token", out, 0, "eth0", 5100, "-")
    rc, _, err = slicectl("node", token=None)
    c.check(rc == 2 and "no token" in err, f"no token: {rc} {err!r}")


def test_program():
    ok("create prog", "slice", "create", "prog", "--code-option", "passthrough",
       "--reservation", json.dumps({"program_cycles_per_sec": 1_000_000}))
    out = ok("program pcap", "program", "pcap", "prog", "udp[8:2] = 0x5350")
    stored = req("GET", "/v1/slices/prog/program")[2]
    c.equal((stored.get("pcap"), stored.get("jit")), ("udp[8:2] = 0x5350", True),
            "program pcap: the server holds the expression")
    loaded = stored.get("loaded", {})
    c.equal(out, f"slice prog: program loaded, {loaded.get('instructions')} instructions, "
            f"{'JIT-compiled' if loaded.get('jit') else 'interpreted'}\n",
            "program pcap: output")
    same_json("program show", ["program", "show", "prog"], "/v1/slices/prog/program")
    # An ELF file goes up as base64; this one is not ELF, and the refusal
    # leaves the program as it was.
    junk = write("junk.o", "not an object\n")
    e = refused("program elf", ["program", "elf", "prog", junk, "filter"],
                "PUT", "/v1/slices/prog/program",
                {"elf_base64": "bm90IGFuIG9iamVjdAo=", "section": "filter"},
                400, "invalid_argument")
    c.equal(e.get("path"), "$.elf_base64", "program elf: the server names the object")
    c.equal(req("GET", "/v1/slices/prog/program")[2], stored, "program elf: nothing changed")
    out = ok("program remove", "program", "remove", "prog")
    c.equal(out, "slice prog: program removed\n", "program remove: output")
    c.equal(req("GET", "/v1/slices/prog/program")[0], 404, "program remove: it is gone")
    ok("delete prog", "slice", "delete", "prog")


def rate_row(part, label):
    """The numbers of the row 'label' in a refresh, commas removed."""
    m = re.search(rf"^{re.escape(label)}\s+(.*)$", part, re.M)
    return [int(x.replace(",", "")) if x != "-" else None
            for x in (m.group(1).split() if m else [])]


def test_watch():
    ok("create gamma", "slice", "create", "gamma", "--code-option", "passthrough")
    ok("bind gamma", "binding", "add", "gamma", json.dumps(
        {"id": 0, "interface": "eth0", "udp_port": TRAFFIC_PORT, "default_action": {"drop": {}}}))
    start = time.monotonic()
    out = ok("stats --watch", "stats", "gamma", "--watch", "0.2", "--count", "3")
    elapsed = time.monotonic() - start
    parts = re.split(r"^---- slice gamma, \d\d:\d\d:\d\d, every 0.2 s ----\n", out,
                     flags=re.M)
    c.equal(len(parts), 4, f"stats --watch --count 3: three refreshes:\n{out}")
    c.check(elapsed >= 0.4, f"stats --watch: 3 refreshes 0.2 s apart took {elapsed:.2f} s")
    reasons = list(req("GET", "/v1/slices/gamma/stats")[2]["drops"])
    prev = None
    for n, part in enumerate(parts[1:]):
        what = f"refresh {n + 1}"
        has_row(what, part, "BINDING", "RX PACKETS", "RX PPS", "RX BIT/S",
                "TX PACKETS", "TX PPS", "TX BIT/S")
        has_row(what, part, "QUEUE", "LENGTH", "LENGTH BYTES", "ENQUEUED", "DEQUEUED",
                "OUT PPS", "DROPPED", "DROPS/S")
        has_row(what, part, "DROP", "PACKETS", "PER S")
        row = rate_row(part, "0")
        drops = [(rate_row(part, r) + [None, None])[1] for r in reasons]
        if not c.equal(len(row), 6, f"{what}: binding 0's row:\n{part}"):
            continue
        rx, pps, bps = row[:3]
        if n == 0:
            c.equal((pps, bps, set(drops)), (None, None, {None}), f"{what}: no rates yet")
        else:
            c.check(pps and pps > 0 and abs(bps - 8 * FRAME_LEN * pps) <= 4 * FRAME_LEN,
                    f"{what}: {pps} pps of {FRAME_LEN}-byte frames at {bps} bit/s")
            c.check(pps and 0.1 < (rx - prev) / pps < 1.0,
                    f"{what}: {rx - prev} packets at {pps} pps: not ~0.2 s apart")
            # Every packet is dropped, by the action or by policing.
            c.check(None not in drops and pps and 0.9 < sum(drops) / pps < 1.1,
                    f"{what}: drops per second {drops} do not add up to {pps}")
        prev = rx
    out = ok("stats SLICE", "stats", "router")
    has_row("stats SLICE", out, "BINDING", "RX PACKETS", "RX BYTES", "TX PACKETS", "TX BYTES")
    has_row("stats SLICE", out, "binding 1 default", 0, 0, 0, 0, 0)
    has_row("stats SLICE", out, 2, 0)
    same_json("stats SLICE", ["stats", "router"], "/v1/slices/router/stats")
    rc, out, err = slicectl("--json", "stats", "--watch", "0.1", "--count", "2")
    docs, pos, dec = [], 0, json.JSONDecoder()
    while pos < len(out.rstrip()):
        doc, pos = dec.raw_decode(out, pos)
        docs.append(doc)
        pos += 1
    c.equal((rc, len(docs), sorted(docs[-1])), (0, 2, ["drops", "latency", "ports", "slices"]),
            "--json stats --watch --count 2: two documents")


def main():
    global SLICECTL
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} PATH-TO-SLICEPATHD PATH-TO-SLICECTL")
    SLICECTL = sys.argv[2]
    sections = [test_help_and_usage, test_node, test_slices, test_config,
                test_collections, test_refusals, test_local_errors, test_tokens,
                test_program, test_watch]
    with sptest.tempdir() as tmp:
        S["tmp"] = tmp
        pcap = os.path.join(tmp, "traffic.pcap")
        write_traffic(pcap)
        vdevs = [f"net_pcap0,rx_pcap={pcap},infinite_rx=1", "net_null0,no-rx=1"]
        api.run(sys.argv[1], lambda t, port: sptest.node_config(t, port, IFACES),
                vdevs, sections)


if __name__ == "__main__":
    main()
