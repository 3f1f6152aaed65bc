# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Shared helpers for slicepath's integration tests.

Each test starts its own slicepathd with its own DPDK --file-prefix, a
temporary state directory and an API port on 127.0.0.1, talks to it over
HTTP, stops it with SIGTERM and checks that it exited 0.  Results are
counted by Checks and reported as "N passed, M failed" on the last line.
"""

import http.client
import uuid
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback

ADMIN_TOKEN = "integration-admin-token-0123456789"
EAL_BASE = ["--no-huge", "-m", "512", "--no-pci", "--log-level", "lib.eal:error"]


class Checks:
    """Counts assertions; a failed one is printed and the test goes on."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}", flush=True)
        return cond

    def equal(self, got, want, what):
        return self.check(got == want, f"{what}: got {got!r}, want {want!r}")

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        sys.exit(1 if self.failed or not self.passed else 0)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def node_config(tmp, port, interfaces, workers=(1,), buffers=4096, **extra):
    """A node configuration document for a test daemon."""
    doc = {
        "name": "test",
        "interfaces": interfaces,
        "lcores": {"workers": list(workers)},
        "capacity": {"filters": 1024, "queues": 64, "buffers": buffers},
        "api": {"listen": f"127.0.0.1:{port}",
                "admin_token_file": os.path.join(tmp, "admin.token")},
        "state_dir": os.path.join(tmp, "state"),
    }
    doc.update(extra)
    return doc


def iface(name, device, ipv4, rate_bps=10_000_000_000, gw="02:00:00:00:00:fe"):
    return {"name": name, "device": device, "ipv4": ipv4, "rate_bps": rate_bps,
            "gateway_mac": gw}


def dpdk_runtime_dir(prefix):
    """Where DPDK keeps the runtime files of --file-prefix 'prefix'."""
    base = "/var/run/dpdk" if os.geteuid() == 0 else \
        os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk")
    return os.path.join(base, prefix)


class Daemon:
    """One slicepathd under test."""

    def __init__(self, binary, tmp, config, vdevs, lcores="0,1", eal_extra=()):
        self.tmp = tmp
        self.port = int(config["api"]["listen"].rsplit(":", 1)[1])
        self.config_path = os.path.join(tmp, "node.json")
        with open(self.config_path, "w") as f:
            json.dump(config, f)
        token_file = config["api"]["admin_token_file"]
        if not os.path.exists(token_file):
            fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.write(fd, (ADMIN_TOKEN + "\n").encode())
            os.close(fd)
        self.prefix = f"sptest{os.getpid()}_{self.port}"
        # "0,1" is a list of lcores, each on the CPU of its number;
        # "0@0,1@1,2@0" maps lcores onto CPUs (EAL --lcores).
        lcore_opt = "--lcores" if "@" in lcores else "-l"
        self.cmd = [binary, lcore_opt, lcores, *EAL_BASE, "--file-prefix", self.prefix,
                    *eal_extra]
        for v in vdevs:
            self.cmd += ["--vdev", v]
        self.cmd += ["--", "--config", self.config_path]
        self.log_path = os.path.join(tmp, "slicepathd.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"slicepathd exited {self.proc.returncode}:\n"
                                   + self.read_log())
            try:
                status, _, _ = self.request("GET", "/v1/node")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.proc.kill()
        raise RuntimeError("slicepathd did not answer:\n" + self.read_log())

    def read_log(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def request(self, method, path, body=None, token=ADMIN_TOKEN,
                content_type="application/json", raw=None, headers=None):
        """Sends one request; returns (status, headers dict, parsed JSON or None)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None and content_type is not None:
            hdrs["Content-Type"] = content_type
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            text = resp.read()
            rh = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        parsed = None
        if text:
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = text.decode(errors="replace")
        return resp.status, rh, parsed

    def stop(self, timeout=30):
        """SIGTERM, then wait; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.log.close()
                self._remove_runtime_dir()
                return "hung"
        self.log.close()
        self._remove_runtime_dir()
        return self.proc.returncode

    def _remove_runtime_dir(self):
        """DPDK leaves its runtime directory behind; this daemon's is ours,
        and it has exited."""
        shutil.rmtree(dpdk_runtime_dir(self.prefix), ignore_errors=True)

    def __enter__(self):
        return self

    def kill(self):
        """SIGKILL if it still runs, as a test that failed leaves it."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._remove_runtime_dir()

    def __exit__(self, *exc):
        self.kill()


ANY = object()          # ApiSuite.check_error: "do not check the error path"


class ApiSuite:
    """One daemon, a list of test sections, and the checks a REST test makes.

    For the API tests (test_rest.py, test_lookup_api.py): run() starts one
    slicepathd, calls each section in turn and stops the daemon; between,
    the sections send requests with req(), ok() and refused() and count the
    results in self.checks.

    'read_state' is the test's own idea of the stored state a refused request
    must not change: a function of no arguments that returns a dict, each
    key naming one part of the state (e.g. "GET /v1/slices") and each value
    what was read there.  refused() compares what it returns before and after
    the request.  With 'cache_state', a state read is reused until the next
    non-GET request through req(), so that a run of refusals reads it once
    per refusal instead of twice; leave it off where the state can change
    other than by a non-GET request through req() (a raw socket, traffic).
    """

    def __init__(self, read_state, cache_state=False):
        self.checks = Checks()
        self.daemon = None          # set by run()
        self._read_state = read_state
        self._cache_state = cache_state
        self._state = None          # the cached state, while nothing changed it

    def req(self, method, path, body=None, token=ADMIN_TOKEN, **kw):
        """Daemon.request() as admin unless 'token' says otherwise."""
        if method != "GET":
            self._state = None
        return self.daemon.request(method, path, body=body, token=token, **kw)

    def snapshot(self):
        """The stored state now (see read_state in the class docstring)."""
        if self._state is not None:
            return self._state
        state = self._read_state()
        if self._cache_state:
            self._state = state
        return state

    def unchanged(self, what, before):
        """Checks that the state is still what snapshot() gave as 'before':
        one pass if nothing changed, else one failure per changed part."""
        self._state = None
        after = self.snapshot()
        c = self.checks
        if before == after:
            c.check(True, f"{what}: state unchanged")
            return
        for k in sorted(set(before) | set(after)):
            if before.get(k) != after.get(k):
                c.check(False, f"{what}: a refused request changed {k}:\n"
                        f"    before {before.get(k)!r}\n    after  {after.get(k)!r}")

    def check_error(self, what, resp, status, code, path=ANY, msg=()):
        """Checks an error reply (status, headers, body) against the contract
        (../shared/API.md): 'status', a JSON body {"error": {"code",
        "message", "path"?}} with error.code 'code', a non-empty message that
        matches every regular expression in 'msg' and, unless 'path' is ANY,
        error.path 'path'.  Returns the "error" object (or {})."""
        c = self.checks
        st, hdrs, body = resp
        c.equal(st, status, f"{what}: status (body {body!r})")
        ok = (isinstance(body, dict) and set(body) == {"error"}
              and isinstance(body["error"], dict))
        if not c.check(ok, f"{what}: body is not {{\"error\": {{...}}}}: {body!r}"):
            return {}
        err = body["error"]
        c.check(set(err) <= {"code", "message", "path"},
                f"{what}: unexpected keys in error: {sorted(err)}")
        c.equal(err.get("code"), code, f"{what}: error.code")
        message = err.get("message")
        c.check(isinstance(message, str) and message != "",
                f"{what}: error.message is not a non-empty string: {message!r}")
        if path is not ANY:
            c.equal(err.get("path"), path, f"{what}: error.path (message {message!r})")
        for pattern in msg:
            c.check(isinstance(message, str) and re.search(pattern, message),
                    f"{what}: error.message {message!r} does not match {pattern!r}")
        c.check(hdrs.get("content-type", "").startswith("application/json"),
                f"{what}: content-type {hdrs.get('content-type')!r}")
        return err

    def refused(self, what, method, path, status, code, epath=ANY, msg=(), **kw):
        """Sends a request that must be refused (req() arguments in 'kw');
        checks the error as check_error() does, with 'epath' its path, and
        that the stored state did not change.  Returns the error object."""
        before = self.snapshot()
        err = self.check_error(what, self.req(method, path, **kw), status, code,
                               epath, msg)
        self.unchanged(what, before)
        return err

    def ok(self, what, method, path, status, **kw):
        """Sends a request that must succeed with 'status'; returns the body."""
        st, _, body = self.req(method, path, **kw)
        self.checks.equal(st, status, f"{what}: status (body {body!r})")
        return body

    def main(self, sections, interfaces, vdevs, **api_options):
        """A test script's main(): runs 'sections' (see run()) on the daemon
        named on the command line (PATH-TO-SLICEPATHD), configured with
        'interfaces' (see iface()) and 'api_options' added to the
        configuration's "api" object (e.g. max_body_bytes=...)."""
        if len(sys.argv) != 2:
            sys.exit(f"usage: {sys.argv[0]} PATH-TO-SLICEPATHD")

        def config(tmp, port):
            cfg = node_config(tmp, port, interfaces)
            cfg["api"].update(api_options)
            return cfg
        self.run(sys.argv[1], config, vdevs, sections)

    def run(self, binary, config, vdevs, sections):
        """Starts 'binary' with config(tmp, port), a node configuration for a
        temporary directory and an API port (see node_config()), and the
        --vdev arguments 'vdevs'; calls each of 'sections' in turn (one that
        raises counts as a failure and the next one runs); then checks that
        the daemon still answers, exits 0 on SIGTERM and has no sanitizer
        report or panic in its log.  Ends the process with Checks.finish()."""
        c = self.checks
        with tempdir() as tmp:
            cfg = config(tmp, free_port())
            try:
                self.daemon = d = Daemon(binary, tmp, cfg, vdevs)
            except RuntimeError as e:
                c.check(False, f"slicepathd did not start: {e}")
                c.finish()
            with d:
                for section in sections:
                    try:
                        section()
                    except Exception:       # a crash or a surprise: count it, go on
                        c.check(False, f"{section.__name__} raised:\n"
                                f"{traceback.format_exc()}")
                try:
                    st, _, _ = d.request("GET", "/v1/node")
                except OSError as e:
                    st = repr(e)
                c.equal(st, 200, "the daemon still answers")
                c.equal(d.stop(), 0, "exit status after SIGTERM")
                with open(d.log_path, errors="replace") as f:
                    log = f.read()
                c.check(not re.search(r"AddressSanitizer|runtime error|Segmentation|PANIC",
                                      log),
                        "no sanitizer report or panic in the log:\n" + log[-3000:])
        c.finish()


def read_pcap(path):
    """The frames of a classic pcap file, as bytes."""
    frames = []
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            _, _, incl, _ = struct.unpack(endian + "IIII", rec)
            frames.append(f.read(incl))
    return frames


def tshark(pcap, fields, extra=(), occurrence="f"):
    """Decodes 'pcap' with tshark (checksums verified); one dict per frame.
    occurrence "f" takes each field's first occurrence, "a" all of them,
    comma-separated (outer, then inner with a decode-as in 'extra')."""
    cmd = ["tshark", "-r", pcap, "-o", "ip.check_checksum:TRUE",
           "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=|",
           "-E", f"occurrence={occurrence}", *extra]
    for fld in fields:
        cmd += ["-e", fld]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        rows.append(dict(zip(fields, line.split("|"))))
    return rows


def wait_for(predicate, timeout=20.0, interval=0.1):
    """Polls predicate() until it is true or 'timeout' seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def tempdir():
    return tempfile.TemporaryDirectory(prefix="slicepath-test-")


SKIP = 77       # meson's exit status for a skipped test


def _run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True)


def netns_main(inside):
    """Runs inside(*sys.argv[2:]) in a network namespace of the test's own.

    The script calls this from __main__; it re-executes itself under
    'ip netns exec' with "--inside" and deletes the namespace afterwards.
    Without root, or where namespaces cannot be made, it exits SKIP."""
    if len(sys.argv) > 1 and sys.argv[1] == "--inside":
        inside(*sys.argv[2:])
        return
    if os.geteuid() != 0:
        print("SKIP: needs root to create a network namespace")
        sys.exit(SKIP)
    ns = "sptest-" + uuid.uuid4().hex[:8]
    try:
        _run("ip", "netns", "add", ns)
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        print(f"SKIP: cannot create a network namespace: {e}")
        sys.exit(SKIP)
    try:
        r = subprocess.run(["ip", "netns", "exec", ns, sys.executable, sys.argv[0],
                            "--inside", *sys.argv[1:]])
        sys.exit(r.returncode)
    finally:
        subprocess.run(["ip", "netns", "del", ns])


def setup_veth(src="vsrc", node="vnode"):
    """Loopback for the API, and a quiet veth pair: the test sends into
    'src', the node reads 'node'."""
    _run("ip", "link", "set", "lo", "up")
    _run("ip", "link", "add", src, "type", "veth", "peer", "name", node)
    for dev in (src, node):
        # No IPv6, so the kernel sends nothing of its own on the pair.
        with open(f"/proc/sys/net/ipv6/conf/{dev}/disable_ipv6", "w") as f:
            f.write("1")
        _run("ip", "link", "set", dev, "up")


def send_frames(frames, dev="vsrc"):
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((dev, 0))
        for fr in frames:
            s.send(fr)


def is_udp4(frame):
    return len(frame) >= 42 and frame[12:14] == b"\x08\x00" and frame[23] == 17


def udp_payload(frame):
    """The UDP payload of an Ethernet/IPv4/UDP frame (by the UDP length)."""
    ihl = (frame[14] & 0x0F) * 4
    udp = 14 + ihl
    udp_len = int.from_bytes(frame[udp + 4:udp + 6], "big")
    return frame[udp + 8:udp + udp_len]


def pcapgen(binary, out, flows, dst_mac="02:00:00:00:00:01"):
    """Runs tools/pcapgen; returns the frames it wrote."""
    args = [binary, "-o", out, "--dst-mac", dst_mac]
    for f in flows:
        args += ["--flow", f]
    _run(*args)
    return read_pcap(out)


def flow_count(spec):
    return int(spec.split("count=")[1].split(",")[0]) if "count=" in spec else 1
