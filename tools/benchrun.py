#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Benchmark runner: slicepathd next to dpdk-testpmd io and OVS-DPDK, on the same input.

A scenario is one configuration of the node and its traffic:

  slices        N slices (1..1024); slice i binds UDP port 5000+i on eth0
                and 20000+i on eth1
  filters       F filters per slice: F - 1 that match none of the traffic,
                then one, the least preferred, that forwards everything out
                of eth1, so that every packet walks its slice's whole ACL
                (0: the input binding's default action forwards it)
  queues        Q queues per slice on its output binding (it forwards into
                the first); the queue manager paces eth1 at 100 Gbit/s, far
                above what one worker sends
  queue_manager true or false (the node's "queue_manager")
  size          Ethernet frame length without FCS (60..1514; ipv4: 70..)
  code_option   passthrough or ipv4 (overlay traffic to 10.0.0.0/16)
  load          "max": the pcap is replayed from memory as fast as the
                contender takes it; the only load supported
  seconds       the measured window of each run; warmup: seconds before it
  runs          runs per contender; contenders run interleaved
                (slicepath, testpmd, ovs, slicepath, ...), medians reported
  contenders    any of slicepath, testpmd, ovs
  ovs_flows     "slices": OVS gets a rule set like the slices' (per slice,
                F OpenFlow rules on the outer headers: F - 1 that match
                nothing sent, then one that outputs to the sink); "port":
                one port-to-port flow
  mem_mb        DPDK memory of each contender (-m, dpdk-socket-mem)

Traffic is made by pcapgen: UDP frames to 192.0.2.1, round-robin over the
slices' ports, replayed from memory (net_pcap infinite_rx=1) into eth0;
eth1 is a net_null sink.  One worker (one PMD thread, one forwarding core)
on core 1, the control plane on core 0.

Each run is measured over its window from the contender's own counters:
slicepathd's GET /v1/stats (ports, node drops, the latency histogram) and
GET /v1/slices/{name}/stats (slice drops, bytes sent), testpmd's periodic
port statistics, OVS's OpenFlow port statistics (ovs-ofctl dump-ports,
read live from DPDK) and PMD statistics.  Latency is slicepathd's rx-to-tx
histogram, diffed over the window, with percentiles interpolated within
its buckets; "n/a" where the daemon has none.  Gbit/s count frames without
FCS, preamble or gap.

OVS-DPDK (Debian openvswitch-switch-dpdk) does not start without
hugepages.  When it is a contender, or with --memory huge, the runner (as
root) reserves 2 MB pages, mounts a private hugetlbfs, runs every
contender on hugepages so that they run alike, and releases both at the
end.  Otherwise everything runs with --no-huge.

Scenarios come from the options, or from a JSON file (--scenario FILE):
{"defaults": {...}, "scenarios": [{...}, ...]}, each scenario its fields
over the defaults.  --sweep NAME runs tools/benchrun/sweep-NAME.json (or a
file): {"defaults": {...}, "sweep": {"param": P, "values": [...]}, "plot":
{...}} and writes NAME.csv and NAME.png (gnuplot) into --out-dir.  Options
given on the command line override the files' values.  Every run's numbers
go to a JSON file (--json, default OUT_DIR/NAME.json); the table goes to
stdout.

usage: tools/benchrun.py [--scenario FILE | --sweep NAME [--values V,V,...]]
                         [--slices N] [--filters N] [--queues N] [--size B]
                         [--code-option passthrough|ipv4] [--queue-manager on|off]
                         [--seconds S] [--runs N] [--contenders LIST]
                         [--memory auto|nohuge|huge] [--out-dir DIR] [--json FILE]

Exit status: 0 when every run measured something, 1 when a run failed, 2
for bad arguments, 3 when the machine lacks what was asked for (testpmd,
OVS-DPDK, root or hugepages for OVS).
"""

import argparse
import copy
import ctypes
import http.client
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
SCENARIO_DIR = os.path.join(HERE, "benchrun")
HARNESS = os.path.join(TOP, "tests", "integration")     # ovs.py, the private OVS

TOKEN = "benchrun-admin-token-0123456789abcdef"
RATE = 100_000_000_000          # every interface's rate_bps
BUFFERS = 16384                 # node capacity.buffers, shared by the slices
IN_PORT, OUT_PORT = 5000, 20000
NODE_IP, OUT_IP = "192.0.2.1", "198.51.100.1"
CORES = "0,1"                   # main/control on 0, the worker on 1
PCT = (("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("p99.9", 0.999))
HUGE_DIR = "/sys/kernel/mm/hugepages/hugepages-2048kB"
OVS_VSWITCHD_DPDK = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
CONTENDERS = ("slicepath", "testpmd", "ovs")
LABEL = {"slicepath": "slicepath", "testpmd": "testpmd io", "ovs": "ovs-dpdk"}

DEFAULTS = {"name": None, "slices": 64, "filters": 1000, "queues": 0,
            "queue_manager": True, "size": 60, "code_option": "passthrough",
            "load": "max", "seconds": 5.0, "warmup": 1.0, "runs": 3,
            "contenders": ["slicepath", "testpmd"], "ovs_flows": "slices",
            "mem_mb": 1024}


class Unavailable(Exception):
    """The machine lacks something the scenario needs (exit status 3)."""


# ------------------------------------------------------------ scenarios

def _int_in(lo, hi):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            raise ValueError(f"an integer in {lo}..{hi}")
        return v
    return check


def _number_in(lo, hi):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
            raise ValueError(f"a number in {lo}..{hi}")
        return float(v)
    return check


def _one_of(*choices):
    def check(v):
        if v not in choices:
            raise ValueError("one of " + ", ".join(map(str, choices)))
        return v
    return check


def _bool(v):
    if not isinstance(v, bool):
        raise ValueError("true or false")
    return v


def _name(v):
    if v is not None and not (isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", v)):
        raise ValueError("letters, digits, _ . - (at most 64)")
    return v


def _load(v):
    if v != "max":
        raise ValueError('"max" (a paced load is not supported: see --help)')
    return v


def _contenders(v):
    if isinstance(v, str):
        v = [c for c in v.split(",") if c]
    if not isinstance(v, list) or not v or any(c not in CONTENDERS for c in v) \
            or len(set(v)) != len(v):
        raise ValueError("a non-empty list of distinct " + ", ".join(CONTENDERS))
    return [c for c in CONTENDERS if c in v] if "slicepath" in v else list(v)


FIELDS = {"name": _name, "slices": _int_in(1, 1024), "filters": _int_in(0, 1 << 20),
          "queues": _int_in(0, 64), "queue_manager": _bool, "size": _int_in(60, 1514),
          "code_option": _one_of("passthrough", "ipv4"), "load": _load,
          "seconds": _number_in(0.5, 3600), "warmup": _number_in(0, 600),
          "runs": _int_in(1, 100), "contenders": _contenders,
          "ovs_flows": _one_of("slices", "port"), "mem_mb": _int_in(256, 65536)}


def scenario_make(*layers, where="scenario"):
    """A complete, checked scenario: DEFAULTS, then each dict of 'layers'
    over it.  Raises ValueError naming the faulty field ('where' says whose)."""
    sc = copy.deepcopy(DEFAULTS)
    for layer in layers:
        for k, v in layer.items():
            if k not in FIELDS:
                raise ValueError(f"{where}: unknown field {k!r}")
            try:
                sc[k] = FIELDS[k](v)
            except ValueError as e:
                raise ValueError(f"{where}.{k}: {v!r} is not {e}") from None
    if sc["code_option"] == "ipv4" and sc["size"] < 70:
        raise ValueError(f"{where}.size: ipv4 traffic is overlay, 70 bytes at least")
    if sc["slices"] * max(sc["filters"], 1) > 16_777_216:
        raise ValueError(f"{where}: slices x filters is over the node's 16777216")
    if sc["name"] is None:
        sc["name"] = scenario_title(sc, short=True)
    return sc


def scenario_title(sc, short=False):
    """One line that says what the scenario is."""
    qm = "" if sc["queue_manager"] else ", queue manager off"
    if short:
        return (f"{sc['slices']}x{sc['filters']}x{sc['queues']}-{sc['code_option']}"
                f"-{sc['size']}B" + ("" if sc["queue_manager"] else "-noqm"))
    return (f"{sc['slices']} slices x {sc['filters']} filters x {sc['queues']} queues, "
            f"{sc['code_option']}, {sc['size']}-byte frames, load {sc['load']}{qm}")


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: {e}") from None


def sweep_path(name):
    """A sweep's file: NAME as a path, or tools/benchrun/sweep-NAME.json."""
    if os.path.exists(name) and name.endswith(".json"):
        return name
    path = os.path.join(SCENARIO_DIR, f"sweep-{name}.json")
    if not os.path.exists(path):
        known = sorted(f[6:-5] for f in os.listdir(SCENARIO_DIR)
                       if f.startswith("sweep-") and f.endswith(".json"))
        raise ValueError(f"no sweep {name!r} (known: {', '.join(known)})")
    return path


def read_plan_file(path, keys):
    """A scenario or sweep file as a dict, with no key outside 'keys'."""
    doc = read_json(path)
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: not a JSON object")
    extra = sorted(set(doc) - set(keys) - {"name", "description", "defaults"})
    if extra:
        raise ValueError(f"{path}: unknown key {extra[0]!r}")
    if not isinstance(doc.get("defaults", {}), dict):
        raise ValueError(f"{path}: \"defaults\" is not an object")
    return doc


def _value(text):
    """A --values item: a JSON number or boolean, else the string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _plan_name(doc, path, fallback):
    """The name a plan file gives its outputs (NAME.json, NAME.csv, ...)."""
    try:
        return _name(doc.get("name", fallback)) or fallback
    except ValueError as e:
        raise ValueError(f"{path}: name: not {e}") from None


def plan_make(a, cli):
    """What to run, from the arguments: {"name", "scenarios": [...],
    "sweep": None or {"param", "values", "plot"}}."""
    if a.sweep:
        path = sweep_path(a.sweep)
        doc = read_plan_file(path, ("sweep", "plot"))
        sw = doc.get("sweep")
        if not isinstance(sw, dict) or sw.get("param") not in FIELDS \
                or not isinstance(sw.get("values"), list) or not sw["values"]:
            raise ValueError(f"{path}: needs \"sweep\": {{\"param\": FIELD, \"values\": [...]}}")
        param = sw["param"]
        values = sw["values"]
        if a.values:
            values = [_value(v) for v in a.values.split(",")]
        scenarios = []
        for v in values:
            sc = scenario_make(doc.get("defaults", {}), cli, {param: v, "name": None},
                               where=f"{path} ({param}={v})")
            scenarios.append(sc)
        name = _plan_name(doc, path, os.path.basename(path)[6:-5])
        return {"name": name, "scenarios": scenarios,
                "sweep": {"param": param, "values": values, "plot": doc.get("plot", {}),
                          "file": path}}
    if a.scenario:
        doc = read_plan_file(a.scenario, ("scenarios",))
        items = doc.get("scenarios", [{}])
        if not isinstance(items, list) or not items \
                or not all(isinstance(i, dict) for i in items):
            raise ValueError(f"{a.scenario}: needs \"scenarios\": [{{...}}, ...]")
        scenarios = [scenario_make(doc.get("defaults", {}), s, cli,
                                   where=f"{a.scenario}: scenarios[{i}]")
                     for i, s in enumerate(items)]
        name = _plan_name(doc, a.scenario,
                          os.path.splitext(os.path.basename(a.scenario))[0])
        return {"name": name, "scenarios": scenarios, "sweep": None}
    sc = scenario_make(cli, where="options")
    return {"name": "benchrun", "scenarios": [sc], "sweep": None}


# ------------------------------------------------------------ processes

def _die_with_parent():
    """preexec_fn: the child gets SIGTERM if the runner dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop_process(proc, sig=signal.SIGTERM, timeout=60):
    """Sends 'sig' and waits; kills it after 'timeout'.  Returns the exit
    status, or "hung" if it had to be killed."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return "hung"
    return proc.returncode


def dpdk_runtime_cleanup(prefix):
    """Removes the runtime directory DPDK leaves for --file-prefix 'prefix'."""
    for base in ("/var/run/dpdk", os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/nonexistent"),
                                               "dpdk")):
        shutil.rmtree(os.path.join(base, prefix), ignore_errors=True)


class Memory:
    """DPDK memory for every contender: --no-huge, or hugepages on a private
    hugetlbfs mount with pages reserved for the runner and released after."""

    def __init__(self, mode, mb):
        self.mode = mode            # "nohuge" or "huge"
        self.mb = mb
        self.mnt = None
        self.added = 0

    @staticmethod
    def missing():
        """Why hugepages cannot be had here (a string), or None."""
        if os.geteuid() != 0:
            return "hugepages need root (to reserve 2 MB pages and mount hugetlbfs)"
        if not os.access(os.path.join(HUGE_DIR, "nr_hugepages"), os.W_OK):
            return f"{HUGE_DIR}/nr_hugepages is not writable"
        if shutil.which("mount") is None:
            return "no mount command"
        return None

    def __enter__(self):
        if self.mode != "huge":
            return self
        why = self.missing()
        if why:
            raise Unavailable(why)
        pages = self.mb // 2 + 64
        nr = os.path.join(HUGE_DIR, "nr_hugepages")
        try:
            before = int(open(nr).read())
            with open(nr, "w") as f:
                f.write(str(before + pages))
            self.added = int(open(nr).read()) - before
        except OSError as e:
            raise Unavailable(f"cannot reserve hugepages: {nr}: {e}") from None
        try:
            free = int(open(os.path.join(HUGE_DIR, "free_hugepages")).read())
            if free < pages:
                raise Unavailable(f"asked for {pages} 2 MB pages, {free} free "
                                  f"(memory too fragmented?)")
            self.mnt = tempfile.mkdtemp(prefix="benchrun-huge-")
            r = subprocess.run(["mount", "-t", "hugetlbfs", "-o",
                                f"pagesize=2M,size={pages * 2}M", "nodev", self.mnt],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise Unavailable(f"cannot mount hugetlbfs: {r.stderr.strip()}")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        print(f"hugepages: {pages} pages of 2 MB reserved, hugetlbfs on {self.mnt}",
              flush=True)
        return self

    def __exit__(self, *exc):
        if self.mnt:
            if os.path.ismount(self.mnt):
                r = subprocess.run(["umount", self.mnt], capture_output=True)
                if r.returncode != 0:
                    subprocess.run(["umount", "-l", self.mnt], capture_output=True)
            try:
                os.rmdir(self.mnt)
            except OSError:
                pass
            self.mnt = None
        if self.added:
            nr = os.path.join(HUGE_DIR, "nr_hugepages")
            now = int(open(nr).read())
            with open(nr, "w") as f:
                f.write(str(max(0, now - self.added)))
            self.added = 0

    def eal(self):
        """EAL memory options (for slicepathd and testpmd)."""
        if self.mode == "huge":
            return ["--huge-dir", self.mnt, "--huge-unlink", "-m", str(self.mb)]
        return ["--no-huge", "-m", str(self.mb)]

    def name(self):
        return "2 MB hugepages" if self.mode == "huge" else "no hugepages (--no-huge)"


def eal_common(prefix):
    return ["-l", CORES, "--no-pci", "--log-level", "lib.eal:error", "--file-prefix", prefix]


def vdevs(pcap):
    return [f"net_pcap0,rx_pcap={pcap},infinite_rx=1", "net_null0,no-rx=1"]


# ------------------------------------------------------------ traffic

def pcap_make(env, sc):
    """The scenario's input pcap (made once per slices/size/code option)."""
    n = sc["slices"]
    count = max(4096, n) // n * n
    path = os.path.join(env["work"], f"in-{n}-{sc['size']}-{sc['code_option']}.pcap")
    if not os.path.exists(path):
        kind = "overlay,inner_dst=10.0.0.0/16,inner_dport=2000-2999" \
            if sc["code_option"] == "ipv4" else "udp"
        subprocess.run([env["pcapgen"], "-o", path, "--flow",
                        f"kind={kind},dst={NODE_IP},dport={IN_PORT}-{IN_PORT + n - 1},"
                        f"src=10.0.0.0/16,size={sc['size']},count={count}"],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def slice_filters(i, sc, rng):
    """Slice i's filter list: filters - 1 that match none of the traffic, the
    forward-everything one last (the worst priority).  Also returns the
    OpenFlow equivalents of the non-matching ones: nw_src /24s outside the
    traffic's 10.0.0.0/16."""
    nf = sc["filters"]
    fwd = {"forward": {"binding": 1, "peer": f"203.0.113.{1 + i % 250}:7000"}}
    if sc["queues"]:
        fwd["forward"]["queue"] = 0
    filters, of_src = [], []
    for f in range(nf - 1):
        if sc["code_option"] == "ipv4":
            # Inner traffic goes to 10.0.0.0/16; these are elsewhere in 10/8.
            match = {"dst": f"10.{rng.randrange(1, 256)}.{rng.randrange(256)}.0/24",
                     "protocol": 17,
                     "dst_port": [rng.randrange(1024), 1024 + rng.randrange(1024)]}
        else:
            # pcapgen payloads start "SP"; these keys start otherwise.
            key = bytes([rng.randrange(0x54, 0x100)]) + rng.randbytes(3) + bytes(10)
            match = {"key": key.hex(), "mask": ("ff" * 4) + ("00" * 10)}
        filters.append({"id": f + 1, "priority": 10 + f, "match": match,
                        "action": {"drop": {}}})
        of_src.append(f"10.{rng.randrange(1, 256)}.{rng.randrange(256)}.0/24")
    catch = {"dst": "10.0.0.0/8"} if sc["code_option"] == "ipv4" else {}
    if nf:
        filters.append({"id": nf, "priority": 1_000_000, "match": catch, "action": fwd})
    return filters, of_src, fwd


def slice_config(i, sc, rng):
    """Slice i's whole configuration (PUT /v1/slices/s{i}/config)."""
    filters, _, fwd = slice_filters(i, sc, rng)
    return {"bindings": [{"id": 0, "interface": "eth0", "udp_port": IN_PORT + i,
                          "default_action": fwd},
                         {"id": 1, "interface": "eth1", "udp_port": OUT_PORT + i}],
            "queues": [{"id": q, "binding": 1, "weight": 10 * (q + 1)}
                       for q in range(sc["queues"])],
            "filters": filters}


def ovs_flows(sc):
    """OpenFlow 1.3 flows (ovs-ofctl add-flows lines) like the scenario's
    slices: per slice, its non-matching filters as drop rules on the outer
    source and, least preferred, the one that outputs to the sink.  Or, with
    ovs_flows "port", one port-to-port flow."""
    if sc["ovs_flows"] == "port":
        return ["priority=1,in_port=1,actions=output:2"]
    rng = random.Random(1)
    lines = []
    for i in range(sc["slices"]):
        _, of_src, _ = slice_filters(i, sc, rng)
        head = f"in_port=1,udp,nw_dst={NODE_IP},tp_dst={IN_PORT + i}"
        for f, src in enumerate(of_src):
            lines.append(f"priority={max(2, 65535 - f)},{head},nw_src={src},actions=drop")
        lines.append(f"priority=1,{head},actions=output:2")
    return lines


# ------------------------------------------------------------ measurement

def delta(a, b, keys):
    return {k: b.get(k, 0) - a.get(k, 0) for k in keys}


def rate_block(packets, nbytes, dt):
    return {"packets": packets, "bytes": nbytes, "mpps": packets / dt / 1e6,
            "gbps": nbytes * 8 / dt / 1e9}


def latency_percentiles(h0, h1):
    """Percentiles (ns) of the window's latency: the difference of two
    cumulative histograms {"bucket_ns": upper bounds, "counts": [...]},
    interpolated linearly within each bucket (bucket b spans from bucket
    b - 1's bound, or 0, to its own).  None when there is no histogram or
    no packet in the window."""
    if not isinstance(h0, dict) or not isinstance(h1, dict):
        return None
    try:
        bounds = [float(b) for b in h1["bucket_ns"]]
        counts = [int(c1) - int(c0) for c0, c1 in zip(h0["counts"], h1["counts"])]
    except (KeyError, TypeError, ValueError):
        return None
    if len(counts) != len(bounds) or sum(counts) <= 0 or min(counts) < 0:
        return None
    total = sum(counts)
    out = {"packets": total}
    for name, q in PCT:
        target = q * total
        cum = 0
        for b, c in enumerate(counts):
            if c and cum + c >= target:
                lo = bounds[b - 1] if b else 0.0
                out[f"{name}_ns"] = lo + (bounds[b] - lo) * (target - cum) / c
                break
            cum += c
    out["histogram"] = {"bucket_ns": h1["bucket_ns"], "counts": counts}
    return out


def nonzero(d):
    return {k: v for k, v in d.items() if v}


class Api:
    """slicepathd's REST API.  GETs share one kept-alive connection (the
    stats are read many times a second); every other request, some of
    which build tables for a long time, has a connection of its own: the
    daemon closes a connection idle for 30 s."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def __call__(self, method, path, body=None, timeout=900):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        if method != "GET":
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                conn.request(method, path, body=data, headers=headers)
                r = conn.getresponse()
                text = r.read()
            finally:
                conn.close()
        else:
            for attempt in (0, 1):
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                           timeout=timeout)
                try:
                    self.conn.request(method, path, headers=headers)
                    r = self.conn.getresponse()
                    text = r.read()
                    break
                except (http.client.HTTPException, OSError):
                    # The daemon closed the kept-alive connection: again.
                    self.close()
                    if attempt:
                        raise
        if r.status >= 300:
            raise RuntimeError(f"{method} {path}: {r.status} {text[:300]!r}")
        return json.loads(text) if text else None

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_slicepath(env, sc, pcap):
    """One slicepathd run; returns the run's record (see measure docs)."""
    work = tempfile.mkdtemp(prefix="benchrun-sp-", dir=env["statebase"])
    port = free_port()
    node = {"name": "bench",
            "interfaces": [{"name": "eth0", "device": "net_pcap0", "ipv4": NODE_IP,
                            "rate_bps": RATE, "gateway_mac": "02:00:00:00:00:fe"},
                           {"name": "eth1", "device": "net_null0", "ipv4": OUT_IP,
                            "rate_bps": RATE, "gateway_mac": "02:00:00:00:01:fe"}],
            "lcores": {"workers": [1]},
            "capacity": {"filters": max(sc["slices"] * sc["filters"], 1),
                         "queues": max(sc["slices"] * sc["queues"], 1), "buffers": BUFFERS},
            "queue_manager": sc["queue_manager"],
            "api": {"listen": f"127.0.0.1:{port}",
                    "admin_token_file": os.path.join(work, "admin.token"),
                    "max_body_bytes": 64 << 20},
            "state_dir": os.path.join(work, "state")}
    with open(os.path.join(work, "node.json"), "w") as f:
        json.dump(node, f)
    fd = os.open(os.path.join(work, "admin.token"), os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, TOKEN.encode())
    os.close(fd)
    prefix = f"benchrun{os.getpid()}sp"
    log_path = os.path.join(work, "slicepathd.log")
    log = open(log_path, "w")
    cmd = [env["slicepathd"], *eal_common(prefix), *env["mem"].eal()]
    for v in vdevs(pcap):
        cmd += ["--vdev", v]
    cmd += ["--", "--config", os.path.join(work, "node.json")]
    t_start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    api = Api(port)
    rec = {}
    status = None
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                api("GET", "/v1/node", timeout=5)
                break
            except (OSError, RuntimeError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("slicepathd did not start") from None
                time.sleep(0.1)
        rng = random.Random(1)
        n = sc["slices"]
        for i in range(n):
            api("POST", "/v1/slices", {
                "name": f"s{i}", "code_option": sc["code_option"],
                "reservation": {"filters": sc["filters"], "queues": sc["queues"],
                                "buffers": BUFFERS // n,
                                "bandwidth": {"eth0": {"in_bps": RATE // n},
                                              "eth1": {"out_bps": RATE // n}}}})
            api("PUT", f"/v1/slices/s{i}/config", slice_config(i, sc, rng))
        rec["setup_s"] = time.monotonic() - t_start
        time.sleep(sc["warmup"])

        def slices_sample():
            tot = {"drops": {}, "tx_packets": 0, "tx_bytes": 0, "per_slice": {}}
            for i in range(n):
                st = api("GET", f"/v1/slices/s{i}/stats")
                for k, v in st["drops"].items():
                    tot["drops"][k] = tot["drops"].get(k, 0) + v
                tot["per_slice"][f"s{i}"] = st["drops"]
                for b in st["bindings"]:
                    if b["id"] == 1:
                        tot["tx_packets"] += b["tx_packets"]
                        tot["tx_bytes"] += b["tx_bytes"]
            return tot

        # The slices' counters are read right after the node's, at both
        # ends, so that they cover a window as long as the node's.
        s0 = api("GET", "/v1/stats")
        t0 = time.monotonic()
        sl0 = slices_sample()
        series, prev, tprev = [], s0, t0
        while True:
            left = t0 + sc["seconds"] - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(1.0, left))
            s = api("GET", "/v1/stats")
            t = time.monotonic()
            series.append((port_of(s, "eth1")["tx_packets"]
                           - port_of(prev, "eth1")["tx_packets"]) / (t - tprev) / 1e6)
            prev, tprev = s, t
        s1, t1 = prev, tprev
        sl1 = slices_sample()
        dt = t1 - t0
    except Exception as e:
        raise RuntimeError(f"{e}\n--- slicepathd's log:\n{tail(log_path)}") from None
    finally:
        api.close()
        status = stop_process(proc)
        log.close()
        log_tail = tail(log_path) if status not in (0, None) else ""
        dpdk_runtime_cleanup(prefix)
        shutil.rmtree(work, ignore_errors=True)
    e0, e1 = port_of(s0, "eth0"), port_of(s1, "eth0")
    o0, o1 = port_of(s0, "eth1"), port_of(s1, "eth1")
    rec["window_s"] = dt
    rec["in"] = rate_block(e1["rx_packets"] - e0["rx_packets"], e1["rx_bytes"] - e0["rx_bytes"], dt)
    out_pkts = o1["tx_packets"] - o0["tx_packets"]
    out_bytes = o1["tx_bytes"] - o0["tx_bytes"]
    if out_bytes == 0 and out_pkts:
        # net_null counts no bytes; the slices count the frames they send.
        bp = sl1["tx_packets"] - sl0["tx_packets"]
        out_bytes = round(out_pkts * (sl1["tx_bytes"] - sl0["tx_bytes"]) / bp) if bp else 0
    rec["out"] = rate_block(out_pkts, out_bytes, dt)
    port_keys = ("rx_missed", "rx_errors", "rx_nombuf", "tx_errors")
    ports = {f"eth0.{k}": v for k, v in delta(e0, e1, port_keys).items() if k.startswith("rx")}
    ports.update({f"eth1.{k}": v for k, v in delta(o0, o1, port_keys).items()
                  if k.startswith("tx")})
    rec["drops"] = {"node": nonzero(delta(s0["drops"], s1["drops"], s1["drops"])),
                    "slices": nonzero(delta(sl0["drops"], sl1["drops"], sl1["drops"])),
                    "ports": nonzero(ports)}
    per = {}
    for name, d1 in sl1["per_slice"].items():
        d = nonzero(delta(sl0["per_slice"][name], d1, d1))
        if d:
            per[name] = d
    if per:
        rec["drops"]["per_slice"] = per
    rec["latency"] = latency_percentiles(s0.get("latency"), s1.get("latency"))
    rec["series"] = {"out_mpps": series}
    if status not in (0, None):
        # The numbers stand; the unclean stop is the daemon's bug to show.
        rec["warning"] = f"slicepathd exited {status} on SIGTERM:\n{log_tail}"
    return rec


def port_of(stats, name):
    for p in stats["ports"]:
        if p.get("interface") == name:
            return p
    raise RuntimeError(f"no port {name} in /v1/stats")


def tail(path, lines=20):
    try:
        with open(path, errors="replace") as f:
            return "\n".join(f.read().splitlines()[-lines:])
    except OSError:
        return ""


TESTPMD_PORT = re.compile(r"NIC statistics for port (\d+)")
TESTPMD_NUMS = re.compile(r"([A-Za-z]+-[A-Za-z]+):\s+(\d+)")


def run_testpmd(env, sc, pcap):
    """One dpdk-testpmd io run.  Counters come from its port statistics,
    printed every second; the window runs between the first print after
    the warm-up and the first one 'seconds' later, timed on arrival."""
    prefix = f"benchrun{os.getpid()}tp"
    cmd = [env["testpmd"], *eal_common(prefix), *env["mem"].eal()]
    for v in vdevs(pcap):
        cmd += ["--vdev", v]
    cmd += ["--", "--forward-mode=io", "--total-num-mbufs=16384", "--stats-period", "1", "-a"]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, preexec_fn=_die_with_parent)
    snaps, cur, port, logtail = [], {}, None, []
    deadline = time.monotonic() + 120 + sc["warmup"] + sc["seconds"]
    t_flow = start = end = None
    rec = {}
    try:
        for line in p.stdout:
            logtail = (logtail + [line.rstrip()])[-30:]
            if time.monotonic() > deadline:
                raise RuntimeError("testpmd: no statistics in time:\n" + "\n".join(logtail))
            m = TESTPMD_PORT.search(line)
            if m:
                port = int(m.group(1))
                cur[port] = {}
                continue
            if port is None:
                continue
            for k, v in TESTPMD_NUMS.findall(line):
                cur[port][k] = int(v)
            if not re.fullmatch(r"\s*#{20,}\s*", line):
                continue
            # The end of one port's block; port 1's ends a print.
            if port == 1 and 0 in cur:
                snap = (time.monotonic(), cur)
                snaps.append(snap)
                if t_flow is None and cur[1].get("TX-packets", 0) > 0:
                    t_flow = snap[0]
                if start is None and t_flow is not None and snap[0] >= t_flow + sc["warmup"]:
                    start = snap
                elif start is not None and snap[0] >= start[0] + sc["seconds"] - 0.05:
                    end = snap
                    break
                cur = {}
            port = None
        else:
            raise RuntimeError("testpmd exited:\n" + "\n".join(logtail))
    finally:
        # testpmd prints its totals as it stops: read them off the pipe.
        p.send_signal(signal.SIGINT)
        try:
            p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
        status = p.returncode
        dpdk_runtime_cleanup(prefix)
    (t0, a), (t1, b) = start, end
    dt = t1 - t0
    rec["setup_s"] = None
    rec["window_s"] = dt
    d0 = delta(a[0], b[0], ("RX-packets", "RX-bytes", "RX-missed", "RX-errors", "RX-nombuf"))
    d1 = delta(a[1], b[1], ("TX-packets", "TX-bytes", "TX-errors"))
    rec["in"] = rate_block(d0["RX-packets"], d0["RX-bytes"], dt)
    size = d0["RX-bytes"] / d0["RX-packets"] if d0["RX-packets"] else 0
    # net_null counts no bytes: testpmd io sends the frames as it got them.
    rec["out"] = rate_block(d1["TX-packets"], d1["TX-bytes"] or round(d1["TX-packets"] * size), dt)
    rec["drops"] = {"ports": nonzero({"eth0.rx_missed": d0["RX-missed"],
                                      "eth0.rx_errors": d0["RX-errors"],
                                      "eth0.rx_nombuf": d0["RX-nombuf"],
                                      "eth1.tx_errors": d1["TX-errors"]}),
                    "unsent": max(0, d0["RX-packets"] - d1["TX-packets"])}
    rec["latency"] = None
    rec["series"] = {"out_mpps": [(s1[1][1]["TX-packets"] - s0[1][1]["TX-packets"])
                                  / (s1[0] - s0[0]) / 1e6
                                  for s0, s1 in zip(snaps, snaps[1:])
                                  if t0 <= s0[0] and s1[0] <= t1]}
    if status not in (0, None):
        rec["exit"] = status
    return rec


def ovs_missing():
    """Why OVS-DPDK cannot run here (a string), or None."""
    if HARNESS not in sys.path:
        sys.path.insert(0, HARNESS)
    try:
        import ovs
    except ImportError as e:
        return f"tests/integration/ovs.py: {e}"
    why = ovs.missing()
    if why:
        return why
    if not os.access(OVS_VSWITCHD_DPDK, os.X_OK):
        return (f"no {OVS_VSWITCHD_DPDK} (Debian package openvswitch-switch-dpdk)")
    return Memory.missing()


def ovs_class():
    """ovs.Ovs (tests/integration/ovs.py) running ovs-vswitchd-dpdk with
    DPDK initialised from its database before it starts."""
    if HARNESS not in sys.path:
        sys.path.insert(0, HARNESS)
    import ovs

    class OvsDpdk(ovs.Ovs):
        def __init__(self, dpdk_config, bindir, **kw):
            self.dpdk_config = dpdk_config
            self.bindir = bindir
            super().__init__(start=False, **kw)

        def _start_vswitchd(self):
            self.vsctl("set", "Open_vSwitch", ".",
                       *[f"other_config:{k}={json.dumps(v)}"
                         for k, v in self.dpdk_config.items()], wait=False)
            saved = ovs.SEARCH_PATH
            ovs.SEARCH_PATH = self.bindir + os.pathsep + saved
            try:
                super()._start_vswitchd()
            finally:
                ovs.SEARCH_PATH = saved

    return OvsDpdk, ovs


PMD_KEYS = {"packets received": "packets", "emc hits": "emc_hits",
            "smc hits": "smc_hits", "megaflow hits": "megaflow_hits",
            "miss with success upcall": "upcalls", "miss with failed upcall": "failed_upcalls",
            "avg cycles per packet": "cycles_per_packet",
            "simple match hits": "simple_match_hits"}


def parse_pmd_stats(text):
    """The PMD thread's numbers from dpif-netdev/pmd-stats-show."""
    out, in_pmd = {}, False
    for line in text.splitlines():
        if line.startswith("pmd thread"):
            in_pmd = True
            continue
        if not line.startswith(" "):
            in_pmd = False
        if in_pmd and ":" in line:
            k, _, v = line.strip().partition(":")
            if k in PMD_KEYS:
                m = re.match(r"\s*([0-9.]+)", v)
                if m:
                    out[PMD_KEYS[k]] = float(m.group(1))
    return out


def run_ovs(env, sc, pcap):
    """One OVS-DPDK run: a private ovsdb-server and ovs-vswitchd-dpdk, a
    netdev bridge with the two DPDK ports and the scenario's flows."""
    OvsDpdk, ovs = ovs_class()
    prefix = f"benchrun{os.getpid()}ovs"
    extra = ["--no-pci", "--huge-dir", env["mem"].mnt, "--huge-unlink",
             "--file-prefix", prefix, "--log-level", "lib.eal:error"]
    for v in vdevs(pcap):
        extra += ["--vdev", v]
    cfg = {"dpdk-init": "true", "dpdk-socket-mem": str(sc["mem_mb"]),
           "dpdk-lcore-mask": "0x1", "pmd-cpu-mask": "0x2", "dpdk-extra": " ".join(extra)}
    bindir = os.path.join(env["work"], "ovs-bin")
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, "ovs-vswitchd")
    if not os.path.lexists(link):
        os.symlink(OVS_VSWITCHD_DPDK, link)
    t_start = time.monotonic()
    rec = {}
    sw = OvsDpdk(cfg, bindir, timeout=120)
    try:
        sw.start()
        sw.add_bridge("br0")
        sw.add_port("br0", "in", 1, type="dpdk", **{"options:dpdk-devargs": "net_pcap0"})
        sw.add_port("br0", "sink", 2, type="dpdk", **{"options:dpdk-devargs": "net_null0"})
        flows = os.path.join(sw.dir, "flows.txt")
        lines = ovs_flows(sc)
        with open(flows, "w") as f:
            f.write("\n".join(lines) + "\n")
        sw.ofctl("add-flows", "br0", flows)
        sw.flush_datapath()
        rec["flows"] = len(lines)
        rec["setup_s"] = time.monotonic() - t_start
        time.sleep(sc["warmup"])
        sw.appctl("ovs-vswitchd", "dpif-netdev/pmd-stats-clear")
        p0 = sw.port_stats("br0")
        t0 = time.monotonic()
        series, prev, tprev = [], p0, t0
        while True:
            left = t0 + sc["seconds"] - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(1.0, left))
            s = sw.port_stats("br0")
            t = time.monotonic()
            series.append((s[2]["tx_pkts"] - prev[2]["tx_pkts"]) / (t - tprev) / 1e6)
            prev, tprev = s, t
        p1, t1 = prev, tprev
        pmd = parse_pmd_stats(sw.appctl("ovs-vswitchd", "dpif-netdev/pmd-stats-show"))
    except Exception as e:
        raise RuntimeError(f"{e}\n{sw.log_tail()}") from None
    finally:
        sw.stop()
        dpdk_runtime_cleanup(prefix)
    dt = t1 - t0
    i0, i1, o0, o1 = p0[1], p1[1], p0[2], p1[2]
    rec["window_s"] = dt
    rec["in"] = rate_block(i1["rx_pkts"] - i0["rx_pkts"], i1["rx_bytes"] - i0["rx_bytes"], dt)
    size = rec["in"]["bytes"] / rec["in"]["packets"] if rec["in"]["packets"] else 0
    out_pkts = o1["tx_pkts"] - o0["tx_pkts"]
    rec["out"] = rate_block(out_pkts, (o1["tx_bytes"] - o0["tx_bytes"]) or round(out_pkts * size),
                            dt)
    ports = {"eth0.rx_drop": i1.get("rx_drop", 0) - i0.get("rx_drop", 0),
             "eth0.rx_errors": i1.get("rx_errs", 0) - i0.get("rx_errs", 0),
             "eth1.tx_drop": o1.get("tx_drop", 0) - o0.get("tx_drop", 0),
             "eth1.tx_errors": o1.get("tx_errs", 0) - o0.get("tx_errs", 0)}
    rec["drops"] = {"ports": nonzero({k: v or 0 for k, v in ports.items()}),
                    "datapath": nonzero({"failed_upcall": int(pmd.get("failed_upcalls", 0))}),
                    "unsent": max(0, rec["in"]["packets"] - out_pkts)}
    rec["latency"] = None
    rec["pmd"] = pmd
    rec["series"] = {"out_mpps": series}
    return rec


RUNNERS = {"slicepath": run_slicepath, "testpmd": run_testpmd, "ovs": run_ovs}


# ------------------------------------------------------------ reporting

def median(xs):
    xs = [x for x in xs if x is not None and not (isinstance(x, float) and math.isnan(x))]
    return statistics.median(xs) if xs else None


def drop_rates(rec):
    """{reason: packets per second} of a run's drops (the 'unsent' of
    testpmd and OVS included: what came in and did not go out)."""
    out = {}
    for group, d in rec.get("drops", {}).items():
        if group == "per_slice":
            continue
        if isinstance(d, dict):
            for k, v in d.items():
                out[f"{group}.{k}"] = v / rec["window_s"]
        elif d:
            out[group] = d / rec["window_s"]
    return out


def summarize(sc, runs):
    """Medians over a scenario's runs, per contender, and the ratios of
    slicepath's output rate to each other contender's."""
    summ = {}
    for c in sc["contenders"]:
        ok = [r for r in runs if r["contender"] == c and not r.get("error")]
        s = {"runs": len(ok)}
        for side in ("in", "out"):
            for unit in ("mpps", "gbps"):
                s[f"{side}_{unit}"] = median([r[side][unit] for r in ok])
        for name, _ in PCT:
            s[f"{name}_ns"] = median([(r.get("latency") or {}).get(f"{name}_ns") for r in ok])
        reasons = sorted({k for r in ok for k in drop_rates(r)})
        s["drops_pps"] = {k: median([drop_rates(r).get(k, 0) for r in ok]) for k in reasons}
        s["drops_pps"] = {k: v for k, v in s["drops_pps"].items() if v}
        summ[c] = s
    if "slicepath" in summ:
        sp = summ["slicepath"]["out_mpps"]
        for c in sc["contenders"]:
            if c != "slicepath":
                other = summ[c]["out_mpps"]
                summ["slicepath"][f"vs_{c}"] = sp / other if sp and other else None
    return summ


def fmt_ns(v):
    if v is None:
        return "n/a"
    if v < 1000:
        return f"{v:.0f} ns"
    if v < 1_000_000:
        return f"{v / 1e3:.1f} us"
    return f"{v / 1e6:.1f} ms"


def fmt_num(v, spec=".2f"):
    return "n/a" if v is None else format(v, spec)


def table(sc, summ, mem):
    """The scenario's results as text."""
    lines = [f"== {scenario_title(sc)}",
             f"   {sc['runs']} run(s) of {sc['seconds']:g} s per contender, interleaved; "
             f"medians; one worker on core {CORES.split(',')[1]}; {mem}"]
    others = [c for c in sc["contenders"] if c != "slicepath"]
    head = (f"{'contender':<11} {'in Mpps':>8} {'in Gb/s':>8} {'out Mpps':>9} {'out Gb/s':>9} "
            f"{'drop Mpps':>9} " + " ".join(f"{n:>8}" for n, _ in PCT))
    if "slicepath" in summ:
        head += "".join(f" {'vs ' + LABEL[c].split()[0]:>11}" for c in others)
    lines.append(head)
    for c in sc["contenders"]:
        s = summ[c]
        drop = sum(s["drops_pps"].values()) / 1e6
        if drop < 1e-3 * (s["in_mpps"] or 0):
            drop = 0.0
        row = (f"{LABEL[c]:<11} {fmt_num(s['in_mpps']):>8} {fmt_num(s['in_gbps']):>8} "
               f"{fmt_num(s['out_mpps']):>9} {fmt_num(s['out_gbps']):>9} {drop:>9.2f} "
               + " ".join(f"{fmt_ns(s[n + '_ns']):>8}" for n, _ in PCT))
        if c == "slicepath":
            for o in others:
                v = s.get("vs_" + o)
                row += f" {'n/a' if v is None else format(100 * v, '.0f') + '%':>11}"
        if s["runs"] < sc["runs"]:
            row += f"  ({sc['runs'] - s['runs']} run(s) failed)"
        lines.append(row)
    for c in sc["contenders"]:
        # Less than 0.1% of the input is in-flight noise of "unsent".
        floor = 1e-3 * (summ[c]["in_mpps"] or 0) * 1e6
        d = {k: v for k, v in summ[c]["drops_pps"].items() if v >= floor}
        if d:
            lines.append(f"   {LABEL[c]} drops: " + ", ".join(
                f"{k} {v / 1e6:.3f} Mpps" for k, v in sorted(d.items(), key=lambda kv: -kv[1])))
    return "\n".join(lines)


SWEEP_LABELS = {"size": "frame size (bytes)", "filters": "filters per slice",
                "slices": "slices", "queues": "queues per slice"}


def write_sweep(out_dir, name, plan, results, memory):
    """NAME.csv (one row per value), NAME.gp and, with gnuplot, NAME.png
    (Mpps out of each contender) and NAME-latency.png (slicepath's latency
    percentiles).  Returns the paths written."""
    sw = plan["sweep"]
    param = sw["param"]
    contenders = [c for c in CONTENDERS if any(c in r["summary"] for r in results)]
    cols = [param]
    for c in contenders:
        cols += [f"{c}_in_mpps", f"{c}_out_mpps", f"{c}_out_gbps"]
    cols += [f"slicepath_{n}_ns" for n, _ in PCT]
    csv = os.path.join(out_dir, f"{name}.csv")
    with open(csv, "w") as f:
        f.write(",".join(cols) + "\n")
        for r in results:
            s = r["summary"]
            row = [str(r["scenario"][param])]
            for c in contenders:
                for k in ("in_mpps", "out_mpps", "out_gbps"):
                    v = s.get(c, {}).get(k)
                    row.append("NaN" if v is None else f"{v:.4f}")
            for n, _ in PCT:
                v = s.get("slicepath", {}).get(f"{n}_ns")
                row.append("NaN" if v is None else f"{v:.1f}")
            f.write(",".join(row) + "\n")
    written = [csv]
    plot = sw.get("plot", {})
    sc0 = results[0]["scenario"]
    fixed = ", ".join(f"{k} {sc0[k]}" for k in ("slices", "filters", "queues", "size",
                                                 "code_option") if k != param)
    how = f"{sc0['runs']} run(s) of {sc0['seconds']:g} s, {memory}, {time.strftime('%Y-%m-%d')}"
    xlabel = plot.get("xlabel", SWEEP_LABELS.get(param, param))
    base = os.path.basename(csv)

    def header(png, title, ylabel):
        lines = ["set terminal pngcairo size 960,600 font 'sans,11'",
                 f"set output {json.dumps(png)}",
                 f"set title {json.dumps(title + chr(10) + how)} noenhanced",
                 f"set xlabel {json.dumps(xlabel)} noenhanced",
                 f"set ylabel {json.dumps(ylabel)}",
                 "set grid", "set key outside right top"]
        if plot.get("logx"):
            lines.append(f"set logscale x {plot['logx']}")
        return lines

    # gnuplot runs in out_dir, so that the script can be run again there.
    script = ["set datafile separator ','"]
    script += header(f"{name}.png", plot.get("title") or
                     f"Mpps out vs {SWEEP_LABELS.get(param, param)}: {fixed}",
                     "Mpps out (median of runs)")
    script += ["set yrange [0:*]", "plot " + ", ".join(
        f"'{base}' using 1:{cols.index(c + '_out_mpps') + 1} skip 1 with linespoints lw 2 "
        f"title '{LABEL[c]}'" for c in contenders)]
    pngs = [f"{name}.png"]
    if any(r["summary"].get("slicepath", {}).get("p50_ns") for r in results):
        script += ["", "unset yrange", "set logscale y 10"]
        script += header(f"{name}-latency.png",
                         f"slicepath latency, rx round to tx burst, at full load: {fixed}",
                         "latency (us, median of runs)")
        script += ["plot " + ", ".join(
            f"'{base}' using 1:(${cols.index(f'slicepath_{n}_ns') + 1}/1000) skip 1 "
            f"with linespoints lw 2 title '{n}'" for n, _ in PCT)]
        pngs.append(f"{name}-latency.png")
    gp = os.path.join(out_dir, f"{name}.gp")
    with open(gp, "w") as f:
        f.write("\n".join(script) + "\n")
    written.append(gp)
    gnuplot = shutil.which("gnuplot")
    if gnuplot:
        r = subprocess.run([gnuplot, os.path.basename(gp)], cwd=out_dir, capture_output=True,
                           text=True)
        if r.returncode != 0:
            print(f"gnuplot failed: {r.stderr.strip()}", file=sys.stderr)
        written += [os.path.join(out_dir, p) for p in pngs
                    if os.path.exists(os.path.join(out_dir, p))]
    else:
        print("gnuplot is not installed (Debian gnuplot-nox): no PNG; "
              f"run 'gnuplot {os.path.basename(gp)}' in {out_dir} later", file=sys.stderr)
    return written


def host_info():
    info = {"kernel": platform.release(), "python": platform.python_version(),
            "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            info["cpu"] = m.group(1) if m else None
    except OSError:
        pass
    try:
        r = subprocess.run(["pkg-config", "--modversion", "libdpdk"], capture_output=True,
                           text=True)
        info["dpdk"] = r.stdout.strip() or None
    except OSError:
        pass
    return info


# ------------------------------------------------------------ main

def check_tools(env, plan):
    """Raises Unavailable for a contender the machine cannot run."""
    wanted = {c for sc in plan["scenarios"] for c in sc["contenders"]}
    for path in (env["slicepathd"], env["pcapgen"]):
        if "slicepath" in wanted and not os.access(path, os.X_OK):
            raise Unavailable(f"{path} is not built (meson setup build && ninja -C build)")
    if "testpmd" in wanted and not env["testpmd"]:
        raise Unavailable("no dpdk-testpmd (Debian package dpdk-dev)")
    if "ovs" in wanted:
        why = ovs_missing()
        if why:
            raise Unavailable(f"OVS-DPDK: {why}")


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="See the top of tools/benchrun.py and docs/benchmarks.md, \"How to run\".")
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--scenario", metavar="FILE", help="scenarios from a JSON file")
    what.add_argument("--sweep", metavar="NAME",
                    help="run a sweep: tools/benchrun/sweep-NAME.json (size, filters, "
                         "slices) or a file; writes NAME.csv and NAME.png")
    ap.add_argument("--values", metavar="V,V,...", help="the sweep's values instead of the file's")
    for name, kind, text in (
            ("slices", int, "slices, 1..1024"),
            ("filters", int, "filters per slice; all but the last match nothing sent"),
            ("queues", int, "queues per slice, on its output binding"),
            ("size", int, "frame size in bytes, without FCS"),
            ("seconds", float, "the measured window of a run"),
            ("warmup", float, "seconds of traffic before the window"),
            ("runs", int, "runs per contender"),
            ("mem-mb", int, "DPDK memory of each contender, MB")):
        default = DEFAULTS[name.replace("-", "_")]
        ap.add_argument(f"--{name}", type=kind, metavar="N",
                        help=f"{text} (default {default:g})")
    ap.add_argument("--code-option", choices=["passthrough", "ipv4"],
                    help="the slices' code option (default passthrough)")
    ap.add_argument("--queue-manager", choices=["on", "off"], help="(default on)")
    ap.add_argument("--load", help='offered load: "max" (the only one supported)')
    ap.add_argument("--contenders", metavar="LIST",
                    help="comma-separated: slicepath,testpmd,ovs (default slicepath,testpmd)")
    ap.add_argument("--ovs-flows", choices=["slices", "port"],
                    help="OVS rules like the slices' filters, or one port-to-port "
                         "flow (default slices)")
    ap.add_argument("--memory", choices=["auto", "nohuge", "huge"], default="auto",
                    help="auto: hugepages when OVS is a contender, else --no-huge")
    ap.add_argument("--build", default=os.path.join(TOP, "build"),
                    help="the build directory (slicepathd, pcapgen)")
    ap.add_argument("--slicepathd", help="slicepathd binary (default BUILD/control/slicepathd)")
    ap.add_argument("--pcapgen", help="pcapgen binary (default BUILD/tools/pcapgen)")
    ap.add_argument("--out-dir", default="benchrun-out",
                    help="where the JSON, CSV and PNG go (default ./benchrun-out)")
    ap.add_argument("--json", metavar="FILE", help="the JSON file (default OUT_DIR/NAME.json)")
    a = ap.parse_args(argv)
    cli = {}
    for k in ("slices", "filters", "queues", "size", "seconds", "warmup", "runs",
              "code_option", "load", "contenders", "ovs_flows", "mem_mb"):
        v = getattr(a, k)
        if v is not None:
            cli[k] = v
    if a.queue_manager:
        cli["queue_manager"] = a.queue_manager == "on"
    return a, cli


def main(argv=None):
    a, cli = parse_args(argv)
    try:
        plan = plan_make(a, cli)
    except ValueError as e:
        print(f"benchrun: {e}", file=sys.stderr)
        return 2
    # SIGTERM (meson's timeout, kill) unwinds like an error: daemons are
    # stopped and hugepages released.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = {"slicepathd": a.slicepathd or os.path.join(a.build, "control", "slicepathd"),
           "pcapgen": a.pcapgen or os.path.join(a.build, "tools", "pcapgen"),
           "testpmd": shutil.which("dpdk-testpmd")}
    mem_mb = max(sc["mem_mb"] for sc in plan["scenarios"])
    wants_ovs = any("ovs" in sc["contenders"] for sc in plan["scenarios"])
    mode = a.memory if a.memory != "auto" else ("huge" if wants_ovs else "nohuge")
    if wants_ovs and mode != "huge":
        print("benchrun: OVS-DPDK needs hugepages (--memory huge or auto)", file=sys.stderr)
        return 2
    try:
        check_tools(env, plan)
    except Unavailable as e:
        print(f"benchrun: {e}", file=sys.stderr)
        return 3
    os.makedirs(a.out_dir, exist_ok=True)
    json_path = a.json or os.path.join(a.out_dir, f"{plan['name']}.json")
    doc = {"tool": "tools/benchrun.py", "version": 1, "name": plan["name"],
           "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "host": host_info(),
           "sweep": plan["sweep"], "results": []}
    failed = 0
    env["work"] = tempfile.mkdtemp(prefix="benchrun-")
    # State directories on tmpfs: the node persists every change with fsync.
    env["statebase"] = "/dev/shm" if os.access("/dev/shm", os.W_OK) else env["work"]
    try:
        with Memory(mode, mem_mb) as mem:
            env["mem"] = mem
            doc["memory"] = mem.name()
            for sc in plan["scenarios"]:
                pcap = pcap_make(env, sc)
                print(f"\n-- {scenario_title(sc)}", flush=True)
                runs = []
                for r in range(sc["runs"]):
                    for c in sc["contenders"]:
                        try:
                            rec = RUNNERS[c](env, sc, pcap)
                        except Unavailable:
                            raise
                        except Exception as e:      # one failed run; the rest go on
                            rec = {"error": f"{type(e).__name__}: {e}"}
                        rec = {"contender": c, "run": r, **rec}
                        if rec.get("error"):
                            failed += 1
                            print(f"run {r}: {LABEL[c]:<10} FAILED: {rec['error']}", flush=True)
                        else:
                            lat = rec.get("latency")
                            drops = sum(drop_rates(rec).values())
                            print(f"run {r}: {LABEL[c]:<10} in {rec['in']['mpps']:6.2f} Mpps, "
                                  f"out {rec['out']['mpps']:6.2f} Mpps "
                                  f"({rec['out']['gbps']:.2f} Gbit/s)"
                                  + (f", p50 {fmt_ns(lat.get('p50_ns'))} "
                                     f"p99 {fmt_ns(lat.get('p99_ns'))}" if lat else "")
                                  + (f", drops {drops / 1e6:.3f} Mpps"
                                     if drops >= 1e-3 * rec["in"]["mpps"] * 1e6 else ""),
                                  flush=True)
                        if rec.get("warning"):
                            print(f"       warning: {rec['warning']}", flush=True)
                        runs.append(rec)
                summ = summarize(sc, runs)
                doc["results"].append({"scenario": sc, "summary": summ, "runs": runs})
                with open(json_path, "w") as f:
                    json.dump(doc, f, indent=1)
            print()
            for res in doc["results"]:
                print(table(res["scenario"], res["summary"], doc["memory"]))
                print()
    except Unavailable as e:
        print(f"benchrun: {e}", file=sys.stderr)
        return 3
    finally:
        shutil.rmtree(env["work"], ignore_errors=True)
    doc["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    with open(json_path, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"every run's numbers: {json_path}")
    if plan["sweep"]:
        for p in write_sweep(a.out_dir, plan["name"], plan, doc["results"], doc["memory"]):
            print(f"wrote {p}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
