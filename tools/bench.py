#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Throughput of one slicepathd worker, next to dpdk-testpmd io on the same input.

The input is a pcap made by pcapgen and replayed from memory
(net_pcap infinite_rx=1) into eth0; eth1 is a net_null sink.  Each of
--slices slices binds UDP port 5000+i on eth0 and 6000+i on eth1 and gets
--filters filters: --filters - 1 that match none of the traffic, and one,
the least preferred, that forwards everything out of eth1 (with
--filters 0, the input binding's default action forwards it).  So every
packet walks the slice's whole ACL.  Traffic goes round-robin over the
slices.  testpmd in io mode, on the same pcap and sink, is the ceiling.
Runs alternate (slicepath, testpmd, ...), because these machines are
shared, and the medians are reported.

With --queues N each slice has N queues on its output binding and
forwards into the first; the queue manager paces eth1 at 100 Gbit/s, far
above what one worker sends, so it schedules without limiting.
--queue-manager off takes it out of the path; "both" alternates runs with
and without it.

usage: tools/bench.py [--build DIR] [--slices N] [--filters N] [--queues N]
                      [--size BYTES] [--code-option passthrough|ipv4]
                      [--queue-manager on|off|both] [--seconds S] [--runs N]
                      [--no-testpmd]
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

TOKEN = "bench-admin-token-0123456789abcdef"
RATE = 100_000_000_000
BUFFERS = 16384
EAL = ["-l", "0,1", "--no-huge", "-m", "1024", "--no-pci", "--log-level", "lib.eal:error"]


def api(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {TOKEN}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        text = r.read()
    return json.loads(text) if text else None


def slice_config(i, nfilters, nqueues, option, rng):
    """Bindings in on eth0 and out on eth1; nfilters - 1 filters that match
    nothing sent, then a forward-everything filter with the worst priority;
    nqueues queues on the output binding, the first of which gets it all."""
    fwd = {"forward": {"binding": 1, "peer": f"203.0.113.{1 + i % 250}:7000"}}
    if nqueues:
        fwd["forward"]["queue"] = 0
    filters = []
    for f in range(nfilters - 1):
        if option == "ipv4":
            # Traffic goes to 10.0.0.0/16; these are elsewhere in 10/8.
            match = {"dst": f"10.{rng.randrange(1, 256)}.{rng.randrange(256)}.0/24",
                     "protocol": 17, "dst_port": [rng.randrange(1024), 1024 + rng.randrange(1024)]}
        else:
            # pcapgen payloads start "SP"; these keys start otherwise.
            key = bytes([rng.randrange(0x54, 0x100)]) + rng.randbytes(3) + bytes(10)
            match = {"key": key.hex(), "mask": ("ff" * 4) + ("00" * 10)}
        filters.append({"id": f + 1, "priority": 10 + f, "match": match,
                        "action": {"drop": {}}})
    catch = {"dst": "10.0.0.0/8"} if option == "ipv4" else {}
    filters.append({"id": nfilters, "priority": 1_000_000, "match": catch, "action": fwd})
    # With --filters 0 the default action does the forwarding.
    return {"bindings": [{"id": 0, "interface": "eth0", "udp_port": 5000 + i,
                          "default_action": fwd},
                         {"id": 1, "interface": "eth1", "udp_port": 6000 + i}],
            "queues": [{"id": q, "binding": 1, "weight": 10 * (q + 1)}
                       for q in range(nqueues)],
            "filters": filters if nfilters else []}


def run_slicepath(a, qm, work, pcap, port):
    node = {"name": "bench",
            "interfaces": [{"name": "eth0", "device": "net_pcap0", "ipv4": "192.0.2.1",
                            "rate_bps": RATE, "gateway_mac": "02:00:00:00:00:fe"},
                           {"name": "eth1", "device": "net_null0", "ipv4": "198.51.100.1",
                            "rate_bps": RATE, "gateway_mac": "02:00:00:00:01:fe"}],
            "lcores": {"workers": [1]},
            "capacity": {"filters": max(a.slices * a.filters, 1),
                         "queues": max(a.slices * a.queues, 1), "buffers": BUFFERS},
            "queue_manager": qm == "on",
            "api": {"listen": f"127.0.0.1:{port}",
                    "admin_token_file": os.path.join(work, "admin.token"),
                    "max_body_bytes": 64 << 20},
            "state_dir": os.path.join(work, "state")}
    with open(os.path.join(work, "node.json"), "w") as f:
        json.dump(node, f)
    tok = os.path.join(work, "admin.token")
    if not os.path.exists(tok):
        fd = os.open(tok, os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, TOKEN.encode())
        os.close(fd)
    log = open(os.path.join(work, "slicepathd.log"), "w")
    proc = subprocess.Popen([os.path.join(a.build, "control", "slicepathd"), *EAL,
                             "--file-prefix", "bench-sp",
                             "--vdev", f"net_pcap0,rx_pcap={pcap},infinite_rx=1",
                             "--vdev", "net_null0,no-rx=1",
                             "--", "--config", os.path.join(work, "node.json")],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                api(port, "GET", "/v1/node")
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(open(log.name).read())
                time.sleep(0.1)
        rng = random.Random(1)
        for i in range(a.slices):
            api(port, "POST", "/v1/slices", {
                "name": f"s{i}", "code_option": a.code_option,
                "reservation": {"filters": a.filters, "queues": a.queues,
                                "buffers": BUFFERS // a.slices,
                                "bandwidth": {"eth0": {"in_bps": RATE // a.slices},
                                              "eth1": {"out_bps": RATE // a.slices}}}})
            api(port, "PUT", f"/v1/slices/s{i}/config",
                slice_config(i, a.filters, a.queues, a.code_option, rng))
        time.sleep(1)
        s0 = api(port, "GET", "/v1/stats")
        t0 = time.monotonic()
        time.sleep(a.seconds)
        s1 = api(port, "GET", "/v1/stats")
        dt = time.monotonic() - t0
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        log.close()
    rx = (s1["ports"][0]["rx_packets"] - s0["ports"][0]["rx_packets"]) / dt / 1e6
    tx = (s1["ports"][1]["tx_packets"] - s0["ports"][1]["tx_packets"]) / dt / 1e6
    drops = {k: s1["drops"][k] - s0["drops"][k] for k in s1["drops"]
             if s1["drops"][k] != s0["drops"][k]}
    return rx, tx, drops


def run_testpmd(a, pcap):
    """Median port-1 Tx-pps over --seconds stats periods, counted from the
    first period in which testpmd forwarded anything."""
    cmd = ["dpdk-testpmd", *EAL, "--file-prefix", "bench-tp",
           "--vdev", f"net_pcap0,rx_pcap={pcap},infinite_rx=1", "--vdev", "net_null0,no-rx=1",
           "--", "--forward-mode=io", "--total-num-mbufs=16384", "--stats-period", "1", "-a"]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    rates, port, deadline = [], -1, time.monotonic() + 60
    try:
        for line in p.stdout:
            if "Port statistics" in line:
                port = -1
            m = re.search(r"Tx-pps:\s+(\d+)", line)
            if m:
                port += 1
                # Each period shows port 0, then port 1 (the sink's side).
                if port == 1 and (rates or int(m.group(1)) > 0):
                    rates.append(int(m.group(1)))
            if len(rates) > a.seconds or time.monotonic() > deadline:
                break
    finally:
        p.send_signal(signal.SIGINT)
        p.communicate(timeout=60)
    return statistics.median(rates[1:]) / 1e6 if len(rates) > 1 else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    ap.add_argument("--slices", type=int, default=64)
    ap.add_argument("--filters", type=int, default=1000)
    ap.add_argument("--queues", type=int, default=0)
    ap.add_argument("--queue-manager", default="on", choices=["on", "off", "both"])
    ap.add_argument("--size", type=int, default=60)
    ap.add_argument("--code-option", default="passthrough", choices=["passthrough", "ipv4"])
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-testpmd", action="store_true")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="slicepath-bench-")
    try:
        pcap = os.path.join(work, "in.pcap")
        kind = "overlay,inner_dst=10.0.0.0/16,inner_dport=2000-2999" \
            if a.code_option == "ipv4" else "udp"
        subprocess.run([os.path.join(a.build, "tools", "pcapgen"), "-o", pcap, "--flow",
                        f"kind={kind},dst=192.0.2.1,dport=5000-{5000 + a.slices - 1},"
                        f"src=10.0.0.0/16,size={a.size},count={max(4096, a.slices * 64)}"],
                       check=True, stdout=subprocess.DEVNULL)
        modes = ["on", "off"] if a.queue_manager == "both" else [a.queue_manager]
        sp, tp = {m: [] for m in modes}, []
        for r in range(a.runs):
            for m in modes:
                rx, tx, drops = run_slicepath(a, m, work, pcap, 18500 + r)
                sp[m].append(tx)
                print(f"run {r}: slicepath (queue manager {m}) rx {rx:.2f} Mpps, "
                      f"tx {tx:.2f} Mpps, drops {drops}", flush=True)
            if not a.no_testpmd:
                tp.append(run_testpmd(a, pcap))
                print(f"run {r}: testpmd io {tp[-1]:.2f} Mpps", flush=True)
        print(f"\n{a.slices} slices x {a.filters} filters x {a.queues} queues, "
              f"{a.code_option}, {a.size}-byte frames, one worker, "
              f"{a.runs} runs of {a.seconds:g} s")
        mtp = statistics.median(tp) if tp else None
        for m in modes:
            msp = statistics.median(sp[m])
            line = (f"slicepath, queue manager {m:3}  {msp:6.2f} Mpps  "
                    f"({msp * a.size * 8 / 1e3:.2f} Gbit/s)")
            if mtp:
                line += f"  = {100 * msp / mtp:.0f}% of testpmd"
            print(line)
        if mtp:
            print(f"testpmd io                    {mtp:6.2f} Mpps")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
