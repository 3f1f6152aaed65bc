#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Node configuration refusals: every bad node configuration stops start-up
with the file, the JSON path and the reason.

Usage: test_config.py PATH-TO-SLICEPATHD

Runs "slicepathd -l 0,1 --no-huge -m 512 --no-pci --file-prefix P --vdev ...
-- --config FILE" on a table of bad configurations, each a good document
with one change, and checks: exit status 1, stderr holding
"FILE: <JSON path>: <reason>" with a key word of the reason, and that it
stops within a few seconds.  Faults in the document are found before EAL
starts (so no EAL output and no DPDK runtime directory); each of those
cases also runs with --check.  Faults only EAL can find (devices, lcores),
the API socket, the admin token file and the state directory come after
EAL starts, in the same message format.  The positive paths: --check on a
good file, a missing admin token file created 0600 with a 64-hex-digit token
that then opens the API (and is kept across a restart), --help, and usage
errors on the command line.

Prints "N passed, M failed" as the last line; exits non-zero on any failure.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback

import sptest

VDEVS = ["net_null0,no-rx=1", "net_null1,no-rx=1"]
MAX_SECONDS = 8         # a refused start-up must end within this
RUN_TIMEOUT = 60

c = sptest.Checks()
BIN = None
TMP = None
_runs = 0


def new_prefix():
    global _runs
    _runs += 1
    return f"spcfg{os.getpid()}_{_runs}"


def command(config_path, prefix, app_args=(), lcores="0,1"):
    cmd = [BIN, "-l", lcores, *sptest.EAL_BASE, "--file-prefix", prefix]
    for v in VDEVS:
        cmd += ["--vdev", v]
    return cmd + ["--", "--config", config_path, *app_args]


def run(cmd, prefix=None):
    """Runs slicepathd to its end; returns (status, stdout, stderr, seconds)."""
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                           timeout=RUN_TIMEOUT)
        status, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        def text(v):
            return v.decode(errors="replace") if isinstance(v, bytes) else (v or "")
        status, out, err = "timeout", text(e.stdout), text(e.stderr)
    return status, out, err, time.monotonic() - t0


def cleanup_prefix(prefix):
    """Removes the DPDK runtime directory of one of our own runs."""
    shutil.rmtree(sptest.dpdk_runtime_dir(prefix), ignore_errors=True)


# --------------------------------------------------------------------------
# The good configuration every case starts from.

def good_config(port=None):
    return {
        "name": "node1",
        "interfaces": [sptest.iface("eth0", "net_null0", "192.0.2.1"),
                       sptest.iface("eth1", "net_null1", "198.51.100.1")],
        "lcores": {"workers": [1]},
        "capacity": {"filters": 1024, "queues": 64, "buffers": 4096},
        "api": {"listen": f"127.0.0.1:{port or sptest.free_port()}",
                "admin_token_file": os.path.join(TMP, "admin.token"),
                "max_body_bytes": 65536},
        "state_dir": os.path.join(TMP, "state"),
    }


def write_config(name, doc=None, text=None):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        if text is None:
            f.write(json.dumps(doc, indent=2).encode())
        else:
            f.write(text if isinstance(text, bytes) else text.encode())
    return path


def check_refused(what, path, cmd, prefix, jpath, reason, before_eal):
    status, out, err, secs = run(cmd)
    c.equal(status, 1, f"{what}: exit status (stderr: {err[-600:]!r})")
    c.check(secs < MAX_SECONDS, f"{what}: took {secs:.1f} s")
    want = f"{path}: {jpath}: "
    line = next((ln for ln in err.splitlines() if want in ln), None)
    if c.check(line is not None, f"{what}: stderr has no {want!r}:\n{err[-1500:]}"):
        c.check(re.search(reason, line[line.index(want) + len(want):], re.I),
                f"{what}: reason {line!r} does not match {reason!r}")
    if before_eal:
        c.check("EAL:" not in out + err, f"{what}: EAL started for a configuration fault")
        c.check(not os.path.exists(sptest.dpdk_runtime_dir(prefix)),
                f"{what}: a DPDK runtime directory was made")
    cleanup_prefix(prefix)


def refused_doc(what, doc, jpath, reason, before_eal=True, also_check=True,
                lcores="0,1", text=None):
    """A bad document: refused at start-up (and by --check, if before EAL)."""
    fname = "case-" + re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")[:60] + ".json"
    path = write_config(fname, doc, text)
    prefix = new_prefix()
    check_refused(what, path, command(path, prefix, lcores=lcores), prefix, jpath, reason,
                  before_eal)
    if before_eal and also_check:
        prefix = new_prefix()
        check_refused(f"{what} (--check)", path, command(path, prefix, ["--check"]), prefix,
                      jpath, reason, True)


def changed(fn):
    doc = good_config()
    fn(doc)
    return doc


def drop(obj, key):
    del obj[key]


# --------------------------------------------------------------------------

def test_files():
    missing = os.path.join(TMP, "no-such-file.json")
    prefix = new_prefix()
    check_refused("missing file", missing, command(missing, prefix), prefix, "$",
                  r"unable to open|no such file", True)
    good = json.dumps(good_config(), indent=2)
    for what, text, jpath, reason in [
            ("empty file", "", "line 1, column 0", r"expected"),
            ("whitespace only", "  \n\n", r"line 3, column 0", r"expected"),
            ("syntax error", '{\n  "name": "node1",\n  oops\n}\n', "line 3, column 6",
             r"expected"),
            ("truncated file", good[:-2], None, r"expected|end of file"),
            ("trailing comma", good[:-1] + ",}", None, r"expected|string"),
            ("trailing garbage", good + "\n{}", None, r"end of file expected"),
            ("comment", "// node\n" + good, "line 1, column 1", r"expected"),
            ("duplicate key", '{"name": "node1",\n "name": "node2"}', "line 2, column 7",
             r"duplicate"),
            ("duplicate key in interfaces[0]",
             good.replace('"name": "eth0",', '"name": "eth0", "name": "eth2",', 1), None,
             r"duplicate"),
            ("invalid UTF-8", b'{"name": "node\xff1"}', "line 1, column 14", r"decode|utf"),
            ("array", "[" + good + "]", "$", r"expected an object"),
            ("string", '"node1"', "line 1, column 7", r"expected"),
            ("10000 nested arrays", '{"name": ' + "[" * 10000 + "]" * 10000 + "}", None,
             r"depth|nest")]:
        if jpath is None:
            jpath = r"line \d+, column \d+"
            path = write_config(f"text-{what.replace(' ', '-')}.json", text=text)
            prefix = new_prefix()
            status, out, err, secs = run(command(path, prefix))
            c.equal(status, 1, f"{what}: exit status")
            c.check(secs < MAX_SECONDS, f"{what}: took {secs:.1f} s")
            c.check(re.search(re.escape(path) + ": " + jpath + ": .*(" + reason + ")", err, re.I),
                    f"{what}: stderr lacks '{path}: line L, column C: {reason}':\n{err[-800:]}")
            c.check("EAL:" not in out + err, f"{what}: EAL started")
            cleanup_prefix(prefix)
        else:
            refused_doc(what, None, jpath, reason, text=text)

    # A directory is not a configuration file; saying it is empty misleads.
    path = os.path.join(TMP, "dir.json")
    os.mkdir(path)
    prefix = new_prefix()
    status, out, err, secs = run(command(path, prefix))
    c.equal(status, 1, "config is a directory: exit status")
    c.check(path in err and re.search(r"directory", err, re.I),
            f"config is a directory: stderr does not say so: {err.strip()!r}")
    cleanup_prefix(prefix)


def test_document():
    R = r"out of range"
    cases = [
        # Unknown keys.
        ("unknown top-level key", changed(lambda d: d.update(color="red")), "$.color",
         r"unknown key"),
        ("unknown key in interfaces[0]",
         changed(lambda d: d["interfaces"][0].update(speed=1)), "$.interfaces[0].speed",
         r"unknown key"),
        ("unknown key in interfaces[1]",
         changed(lambda d: d["interfaces"][1].update(mtu=1500)), "$.interfaces[1].mtu",
         r"unknown key"),
        ("unknown key in api", changed(lambda d: d["api"].update(tls=True)), "$.api.tls",
         r"unknown key"),
        ("unknown key in capacity", changed(lambda d: d["capacity"].update(tables=1)),
         "$.capacity.tables", r"unknown key"),
        ("unknown key in lcores", changed(lambda d: d["lcores"].update(rx=[1])),
         "$.lcores.rx", r"unknown key"),
        # The OpenFlow switch: where, and the two ports.
        ("openflow empty", changed(lambda d: d.update(openflow={})), "$.openflow.switch",
         r"missing"),
        ("openflow udp", changed(lambda d: d.update(openflow={
            "switch": "udp:127.0.0.1:6653", "node_port": 2, "uplink_port": 1})),
         "$.openflow.switch", r"tcp:a\.b\.c\.d:port"),
        ("openflow tcp without a port", changed(lambda d: d.update(openflow={
            "switch": "tcp:127.0.0.1", "node_port": 2, "uplink_port": 1})),
         "$.openflow.switch", r"expected tcp:a\.b\.c\.d:port"),
        ("openflow ptcp port 0", changed(lambda d: d.update(openflow={
            "switch": "ptcp:0", "node_port": 2, "uplink_port": 1})),
         "$.openflow.switch", r"ptcp:port"),
        ("openflow ptcp bad address", changed(lambda d: d.update(openflow={
            "switch": "ptcp:6653:1.2.3", "node_port": 2, "uplink_port": 1})),
         "$.openflow.switch", r"IPv4 address"),
        ("openflow same ports", changed(lambda d: d.update(openflow={
            "switch": "tcp:127.0.0.1:6653", "node_port": 2, "uplink_port": 2})),
         "$.openflow.uplink_port", r"the same as node_port"),
        ("openflow port 0", changed(lambda d: d.update(openflow={
            "switch": "tcp:127.0.0.1:6653", "node_port": 0, "uplink_port": 1})),
         "$.openflow.node_port", r"out of range"),
        ("openflow missing uplink", changed(lambda d: d.update(openflow={
            "switch": "tcp:127.0.0.1:6653", "node_port": 2})),
         "$.openflow.uplink_port", r"missing"),
        ("openflow unknown key", changed(lambda d: d.update(openflow={
            "switch": "tcp:127.0.0.1:6653", "node_port": 2, "uplink_port": 1,
            "dpid": 1})), "$.openflow.dpid", r"unknown key"),
        ("openflow not an object", changed(lambda d: d.update(openflow=1)), "$.openflow",
         r"expected an object"),
        ("not an object", [], "$", r"expected an object"),
    ]
    for key in ["name", "interfaces", "lcores", "capacity", "api", "state_dir"]:
        cases.append((f"missing {key}", changed(lambda d, k=key: drop(d, k)), f"$.{key}",
                      r"missing"))
    for key in ["name", "device", "ipv4", "rate_bps", "gateway_mac"]:
        cases.append((f"missing interfaces[0].{key}",
                      changed(lambda d, k=key: drop(d["interfaces"][0], k)),
                      f"$.interfaces[0].{key}", r"missing"))
    cases.append(("missing interfaces[1].device",
                  changed(lambda d: drop(d["interfaces"][1], "device")),
                  "$.interfaces[1].device", r"missing"))
    cases.append(("missing lcores.workers", changed(lambda d: drop(d["lcores"], "workers")),
                  "$.lcores.workers", r"missing"))
    for key in ["filters", "queues", "buffers"]:
        cases.append((f"missing capacity.{key}",
                      changed(lambda d, k=key: drop(d["capacity"], k)), f"$.capacity.{key}",
                      r"missing"))
    for key in ["listen", "admin_token_file"]:
        cases.append((f"missing api.{key}", changed(lambda d, k=key: drop(d["api"], k)),
                      f"$.api.{key}", r"missing"))

    def setp(path, value):
        def fn(d):
            obj = d
            for p in path[:-1]:
                obj = obj[p]
            obj[path[-1]] = value
        return changed(fn)

    def jp(path):
        s = "$"
        for p in path:
            s += f"[{p}]" if isinstance(p, int) else f".{p}"
        return s

    wrong = [
        (("name",), 5, r"expected a string"),
        (("name",), None, r"expected a string"),
        (("name",), "Node1", r"invalid name"),
        (("name",), "", r"invalid name"),
        (("name",), "a" * 33, r"invalid name"),
        (("name",), "1node", r"invalid name"),
        (("interfaces",), {}, r"expected an array"),
        (("interfaces",), "eth0", r"expected an array"),
        (("interfaces",), [], r"items"),
        (("interfaces",), [sptest.iface(f"e{i}", f"net_null{i}", f"10.0.0.{i + 1}")
                           for i in range(33)], r"items"),
        (("interfaces", 0), "eth0", r"expected an object"),
        (("interfaces", 0), None, r"expected an object"),
        (("interfaces", 0, "name"), "eth 0", r"invalid name"),
        (("interfaces", 0, "name"), "Eth0", r"invalid name"),
        (("interfaces", 0, "name"), 0, r"expected a string"),
        (("interfaces", 0, "device"), "", r"bytes"),
        (("interfaces", 0, "device"), "n" * 64, r"bytes"),
        (("interfaces", 0, "device"), 0, r"expected a string"),
        (("interfaces", 0, "rate_bps"), "10G", r"expected an integer"),
        (("interfaces", 0, "rate_bps"), 1e10, r"expected an integer"),
        (("interfaces", 0, "rate_bps"), 0, R),
        (("interfaces", 0, "rate_bps"), 999, R),
        (("interfaces", 0, "rate_bps"), -1, R),
        (("interfaces", 0, "rate_bps"), 10 ** 12, R),
        (("interfaces", 0, "rate_bps"), 400_000_000_001, R),
        (("interfaces", 1, "rate_bps"), 10 ** 12, R),
        (("lcores",), [], r"expected an object"),
        (("lcores", "workers"), 1, r"expected an array"),
        (("lcores", "workers"), [], r"items"),
        (("lcores", "workers"), list(range(1, 18)), r"items"),
        (("lcores", "workers", 0), "1", r"expected an integer"),
        (("lcores", "workers", 0), 1.0, r"expected an integer"),
        (("lcores", "workers", 0), -1, R),
        (("lcores", "workers", 0), 128, R),
        (("capacity",), [], r"expected an object"),
        (("capacity", "filters"), "1024", r"expected an integer"),
        (("capacity", "filters"), -1, R),
        (("capacity", "filters"), (1 << 24) + 1, R),
        (("capacity", "queues"), (1 << 16) + 1, R),
        (("capacity", "buffers"), 10, R),
        (("capacity", "buffers"), 511, R),
        (("capacity", "buffers"), (1 << 22) + 1, R),
        (("capacity", "buffers"), 4096.5, r"expected an integer"),
        (("api",), "127.0.0.1:8080", r"expected an object"),
        (("api", "listen"), 8080, r"expected a string"),
        (("api", "admin_token_file"), 0, r"expected a string"),
        (("api", "admin_token_file"), "", r"bytes"),
        (("api", "max_body_bytes"), "1", r"expected an integer"),
        (("api", "max_body_bytes"), 1, R),
        (("api", "max_body_bytes"), 1023, R),
        (("api", "max_body_bytes"), 64 * 1024 * 1024 + 1, R),
        (("state_dir",), 1, r"expected a string"),
        (("state_dir",), "", r"bytes"),
        (("state_dir",), None, r"expected a string"),
    ]
    for ip in ["192.0.2", "192.0.2.256", "192.0.2.1/24", "192.0.2.1 ", "::1", "",
               "192.0.2.01", "eth0", "1.2.3.4.5"]:
        wrong.append((("interfaces", 0, "ipv4"), ip, r"IPv4"))
    for ip in ["0.0.0.0", "127.0.0.1", "224.0.0.1", "239.1.1.1", "255.255.255.255",
               "240.0.0.1"]:
        wrong.append((("interfaces", 0, "ipv4"), ip, r"unicast"))
    wrong.append((("interfaces", 0, "ipv4"), 3221225985, r"expected a string"))
    for mac in ["02:00:00:00:00", "02-00-00-00-00-fe", "02:00:00:00:00:fg",
                "2:0:0:0:0:fe", "02:00:00:00:00:fe:00", "0200.0000.00fe", "",
                "02:00:00:00:00:+e", " 2:00:00:00:00:fe"]:
        wrong.append((("interfaces", 0, "gateway_mac"), mac, r"MAC"))
    for mac in ["01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00",
                "03:00:00:00:00:01"]:
        wrong.append((("interfaces", 0, "gateway_mac"), mac, r"unicast"))
    for listen in ["127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                   "localhost:8080", ":8080", "127.0.0.1:80x", "127.0.0.1:-1",
                   "[::1]:8080", ""]:
        wrong.append((("api", "listen"), listen, r"port|address"))
    for path, value, reason in wrong:
        cases.append((f"{jp(path)} = {value!r}"[:80], setp(path, value), jp(path), reason))

    # Duplicates: the second is at fault and the message names the first.
    def dup(key, value, index=1):
        def fn(d):
            if index == 2:
                d["interfaces"].append(sptest.iface("eth2", "net_null2", "203.0.113.1"))
            d["interfaces"][index][key] = value
        return changed(fn)
    cases += [
        ("duplicate interface name", dup("name", "eth0"), "$.interfaces[1].name",
         re.escape("duplicate of $.interfaces[0].name")),
        ("duplicate interface device", dup("device", "net_null0"), "$.interfaces[1].device",
         re.escape("duplicate of $.interfaces[0].device")),
        ("duplicate interface ipv4", dup("ipv4", "192.0.2.1"), "$.interfaces[1].ipv4",
         re.escape("duplicate of $.interfaces[0].ipv4")),
        ("third interface repeats the first's name", dup("name", "eth0", 2),
         "$.interfaces[2].name", re.escape("duplicate of $.interfaces[0].name")),
        ("third interface repeats the second's ipv4", dup("ipv4", "198.51.100.1", 2),
         "$.interfaces[2].ipv4", re.escape("duplicate of $.interfaces[1].ipv4")),
        ("duplicate worker", setp(("lcores", "workers"), [1, 1]), "$.lcores.workers[1]",
         r"twice|duplicate"),
        ("duplicate worker later", setp(("lcores", "workers"), [1, 2, 3, 2]),
         "$.lcores.workers[3]", r"twice|duplicate"),
    ]
    for what, doc, jpath, reason in cases:
        refused_doc(what, doc, jpath, reason)


def test_after_eal():
    """Faults that only show once EAL is up, in the same format."""
    token_file = os.path.join(TMP, "admin.token")
    if not os.path.exists(token_file):
        fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, (sptest.ADMIN_TOKEN + "\n").encode())
        os.close(fd)

    def case(what, doc, jpath, reason, lcores="0,1"):
        refused_doc(what, doc, jpath, reason, before_eal=False, lcores=lcores)

    case("device that does not exist",
         changed(lambda d: d["interfaces"][0].update(device="net_null9")),
         "$.interfaces[0].device", r"no DPDK device")
    case("second device that does not exist",
         changed(lambda d: d["interfaces"][1].update(device="0000:00:1f.7")),
         "$.interfaces[1].device", r"no DPDK device")
    case("worker lcore not enabled",
         changed(lambda d: d["lcores"].update(workers=[5])),
         "$.lcores.workers[0]", r"not enabled")
    case("second worker lcore not enabled",
         changed(lambda d: d["lcores"].update(workers=[1, 2])),
         "$.lcores.workers[1]", r"not enabled")
    case("worker is the main lcore",
         changed(lambda d: d["lcores"].update(workers=[0])),
         "$.lcores.workers[0]", r"main lcore")
    case("workers [0, 1]: the main lcore first",
         changed(lambda d: d["lcores"].update(workers=[0, 1])),
         "$.lcores.workers[0]", r"main lcore", lcores="0,1")

    # The API port is taken.
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        case("API port in use", good_config(port), "$.api.listen",
             rf"cannot listen.*{port}.*(in use|address)")
    case("API address not on this host",
         changed(lambda d: d["api"].update(listen="192.0.2.200:8080")), "$.api.listen",
         r"cannot listen")

    # The admin token file.
    def token_case(what, name, content=None, mode=0o600, reason="", make=None):
        path = os.path.join(TMP, name)
        if make is not None:
            make(path)
        elif content is not None:
            with open(path, "w") as f:
                f.write(content)
            os.chmod(path, mode)
        doc = changed(lambda d: d["api"].update(admin_token_file=path))
        case(what, doc, "$.api.admin_token_file", re.escape(path) + r": .*" + reason)
        if content is not None and make is None:
            with open(path) as f:
                c.equal(f.read(), content, f"{what}: the token file was left alone")

    tok = "t" * 32 + "\n"
    token_case("token file mode 0644", "t644", tok, 0o644, r"chmod")
    token_case("token file mode 0640", "t640", tok, 0o640, r"chmod")
    token_case("token file mode 0604", "t604", tok, 0o604, r"chmod")
    token_case("token file mode 0610", "t610", tok, 0o610, r"chmod")
    token_case("token of 15 characters", "tshort", "t" * 15 + "\n", 0o600,
               r"16 to 128 characters")
    token_case("empty token file", "tempty", "", 0o600, r"16 to 128 characters")
    token_case("token of 129 characters", "tlong", "t" * 129 + "\n", 0o600,
               r"16 to 128 characters")
    token_case("token with a space", "tspace", "t" * 10 + " " + "t" * 10 + "\n", 0o600,
               r"visible ASCII")
    token_case("token with a tab", "ttab", "t" * 10 + "\t" + "t" * 10, 0o600,
               r"visible ASCII")
    token_case("token file is a directory", "tdir", make=lambda p: os.mkdir(p, 0o700),
               reason=r"regular file")
    token_case("token file is a symlink", "tlink",
               make=lambda p: os.symlink(token_file, p), reason=r"cannot open")
    token_case("token file in a missing directory", "nodir/admin.token",
               make=lambda p: None, reason=r"cannot create")

    # The state directory.
    plain = os.path.join(TMP, "plainfile")
    with open(plain, "w") as f:
        f.write("x")
    case("state_dir is a file", changed(lambda d: d.update(state_dir=plain)), "$.state_dir",
         r"not a directory")
    case("state_dir under a missing directory",
         changed(lambda d: d.update(state_dir=os.path.join(TMP, "a", "b", "c"))),
         "$.state_dir", r"cannot create")


def http_get(port, path, token):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def start(doc, name):
    """Starts slicepathd on 'doc'; returns (process, prefix, log path)."""
    path = write_config(name, doc)
    prefix = new_prefix()
    log_path = os.path.join(TMP, name + ".log")
    log = open(log_path, "w")
    p = subprocess.Popen(command(path, prefix), stdout=log, stderr=subprocess.STDOUT)
    log.close()
    return p, prefix, log_path


def stop(p, prefix):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            cleanup_prefix(prefix)
            return "hung"
    cleanup_prefix(prefix)
    return p.returncode


def wait_listening(p, port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and p.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def test_positive():
    # --check on a good file.
    path = write_config("good.json", good_config())
    prefix = new_prefix()
    status, out, err, secs = run(command(path, prefix, ["--check"]))
    c.equal(status, 0, f"--check on a good file: exit status ({err[-400:]!r})")
    c.check("configuration ok" in out, f"--check prints 'configuration ok': {out!r}")
    c.check(path in out, f"--check names the file: {out!r}")
    c.check("EAL:" not in out + err and not os.path.exists(sptest.dpdk_runtime_dir(prefix)),
            "--check does not start EAL")
    c.check(secs < MAX_SECONDS, f"--check took {secs:.1f} s")
    cleanup_prefix(prefix)

    # A missing admin token file is made, 0600, with a 64-hex-digit token.
    sub = os.path.join(TMP, "fresh")
    os.mkdir(sub, 0o700)
    token_file = os.path.join(sub, "admin.token")
    port = sptest.free_port()
    doc = good_config(port)
    doc["api"]["admin_token_file"] = token_file
    doc["state_dir"] = os.path.join(sub, "state")
    p, prefix, log_path = start(doc, "fresh.json")
    try:
        up = wait_listening(p, port)
        with open(log_path) as f:
            log = f.read()
        if c.check(up, f"daemon with a new token file answers:\n{log[-1500:]}"):
            st = os.stat(token_file)
            c.equal(oct(st.st_mode & 0o777), oct(0o600), "new token file mode")
            with open(token_file) as f:
                content = f.read()
            c.check(re.fullmatch(r"[0-9a-f]{64}\n", content),
                    f"new token file holds 64 hex digits and a newline: {content!r}")
            token = content.strip()
            c.equal(http_get(port, "/v1/node", token)[0], 200, "GET /v1/node with the new token")
            c.equal(http_get(port, "/v1/node", sptest.ADMIN_TOKEN)[0], 401,
                    "GET /v1/node with another token")
            c.check(os.path.isdir(doc["state_dir"]), "state_dir was created")
            c.equal(oct(os.stat(doc["state_dir"]).st_mode & 0o777), oct(0o700),
                    "new state_dir mode")
    finally:
        c.equal(stop(p, prefix), 0, "daemon with a new token file: exit status after SIGTERM")

    # The token file, now there, is read and kept on the next start.
    if os.path.exists(token_file):
        with open(token_file) as f:
            token = f.read().strip()
        p, prefix, log_path = start(doc, "fresh-again.json")
        try:
            if c.check(wait_listening(p, port), "restarted daemon answers"):
                c.equal(http_get(port, "/v1/node", token)[0], 200,
                        "the token still opens the API after a restart")
            with open(token_file) as f:
                c.equal(f.read().strip(), token, "the token file was kept")
        finally:
            c.equal(stop(p, prefix), 0, "restarted daemon: exit status after SIGTERM")

    # --help after "--".
    status, out, err, _ = run([BIN, "--", "--help"])
    c.equal(status, 0, "-- --help: exit status")
    c.check("usage" in out.lower() and "--config" in out, f"-- --help prints usage: {out!r}")

    # Command-line mistakes: usage on stderr, non-zero, quickly, no EAL.
    for what, args in [("no arguments", []),
                       ("no --", ["--config", path]),
                       ("EAL options only", ["-l", "0,1", "--no-huge"]),
                       ("-- alone", ["--"]),
                       ("no --config", ["-l", "0,1", "--", "--check"]),
                       ("--config without a file", ["--", "--config"]),
                       ("an extra argument", ["--", "--config", path, "extra"]),
                       ("an unknown option", ["--", "--config", path, "--bogus"])]:
        status, out, err, secs = run([BIN, *args])
        c.check(status not in (0, "timeout"), f"{what}: exit status {status!r}")
        c.check("usage" in err.lower(), f"{what}: usage on stderr: {err!r}")
        c.check("EAL:" not in out + err, f"{what}: EAL started")
        c.check(secs < MAX_SECONDS, f"{what}: took {secs:.1f} s")


SECTIONS = [test_files, test_document, test_after_eal, test_positive]


def main():
    global BIN, TMP
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} PATH-TO-SLICEPATHD")
    BIN = os.path.abspath(sys.argv[1])
    with sptest.tempdir() as tmp:
        TMP = tmp
        for section in SECTIONS:
            try:
                section()
            except Exception:
                c.check(False, f"{section.__name__} raised:\n{traceback.format_exc()}")
    c.finish()


if __name__ == "__main__":
    main()
