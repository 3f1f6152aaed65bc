#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""A short smoke run of the benchmark runner, tools/benchrun.py.

1. slicepath alone, without hugepages: 2 slices x 3 filters x 1 queue,
   one run of 1 s.  The runner exits 0, prints the table, and its JSON
   file holds the run: packets in and out, rates that agree with them,
   drops by group, and latency percentiles in order (or null where the
   daemon keeps no histogram).
2. A sweep of two frame sizes, slicepath alone: a CSV row per size, the
   gnuplot script, and where gnuplot is installed the PNGs (Mpps, and
   latency if the daemon keeps it).
3. A scenario file with a bad field: exit 2, naming the field.
4. Where the machine has them: one run each of slicepath, dpdk-testpmd io
   and OVS-DPDK on hugepages (root, Debian openvswitch-switch-dpdk), all
   measured; afterwards the 2 MB pages reserved and the hugetlbfs mount
   are gone.  With testpmd but not OVS-DPDK, slicepath and testpmd
   without hugepages.

usage: test_benchrun.py SLICEPATHD PCAPGEN
Whatever of part 4 the machine cannot run is skipped; then, if nothing
else failed, the test reports itself skipped (77).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import sptest

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BENCHRUN = os.path.join(TOP, "tools", "benchrun.py")
sys.path.insert(0, os.path.join(TOP, "tools"))
from benchrun import common, hugepages, ovsdpdk  # noqa: E402

NR_HUGEPAGES = os.path.join(hugepages.HUGE_DIR, "nr_hugepages")


def run(c, slicepathd, pcapgen, out, *args, timeout=120):
    """Runs the runner; returns (exit status, stdout + stderr)."""
    cmd = [sys.executable, BENCHRUN, "--slicepathd", slicepathd, "--pcapgen", pcapgen,
           "--out-dir", out, "--warmup", "0.5", *args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    text = r.stdout + r.stderr
    if r.returncode not in (0, 2, 3):
        print(text, flush=True)
    return r.returncode, text


def check_run(c, rec, what):
    """The numbers of one run make sense."""
    if not c.check(not rec.get("error"), f"{what}: {rec.get('error')}"):
        return
    dt = rec["window_s"]
    c.check(0.5 <= dt <= 5, f"{what}: window {dt} s")
    for side in ("in", "out"):
        b = rec[side]
        c.check(b["packets"] > 1000, f"{what}: {side} packets {b['packets']}")
        c.check(abs(b["mpps"] - b["packets"] / dt / 1e6) < 1e-6, f"{what}: {side} Mpps")
        c.check(b["bytes"] >= 60 * b["packets"], f"{what}: {side} bytes {b['bytes']}")
    c.check(rec["out"]["packets"] <= rec["in"]["packets"] * 1.01 + 4096,
            f"{what}: out {rec['out']['packets']} over in {rec['in']['packets']}")
    c.check(isinstance(rec["drops"], dict) and "ports" in rec["drops"], f"{what}: drops")
    lat = rec["latency"]
    if lat is not None:
        vals = [lat[f"{n}_ns"] for n, _ in common.PCT]
        c.check(all(v > 0 for v in vals) and vals == sorted(vals),
                f"{what}: latency percentiles {vals}")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    slicepathd, pcapgen = (os.path.abspath(p) for p in sys.argv[1:3])
    c = sptest.Checks()
    skipped = []
    tmp = tempfile.mkdtemp(prefix="sptest-benchrun-")
    try:
        # 1. slicepath alone, no hugepages.
        out = os.path.join(tmp, "one")
        st, text = run(c, slicepathd, pcapgen, out, "--contenders", "slicepath",
                       "--memory", "nohuge", "--slices", "2", "--filters", "3",
                       "--queues", "1", "--seconds", "1", "--runs", "1")
        c.equal(st, 0, "slicepath alone: exit status")
        c.check("contender" in text and "slicepath" in text, f"table on stdout:\n{text}")
        doc = json.load(open(os.path.join(out, "benchrun.json")))
        res = doc["results"]
        c.equal(len(res), 1, "one scenario")
        sc = res[0]["scenario"]
        c.equal((sc["slices"], sc["filters"], sc["queues"]), (2, 3, 1), "scenario")
        c.equal([r["contender"] for r in res[0]["runs"]], ["slicepath"], "runs")
        check_run(c, res[0]["runs"][0], "slicepath alone")
        c.check(res[0]["summary"]["slicepath"]["out_mpps"] > 0, "summary: out Mpps")
        c.check("no hugepages" in doc["memory"], f"memory {doc['memory']}")

        # 2. a sweep of two sizes.
        out = os.path.join(tmp, "sweep")
        st, text = run(c, slicepathd, pcapgen, out, "--sweep", "size", "--values", "60,200",
                       "--contenders", "slicepath", "--slices", "2", "--filters", "2",
                       "--seconds", "1", "--runs", "1")
        c.equal(st, 0, f"sweep: exit status\n{text}")
        rows = open(os.path.join(out, "size.csv")).read().splitlines()
        c.equal([r.split(",")[0] for r in rows], ["size", "60", "200"], "sweep: CSV rows")
        c.check(os.path.exists(os.path.join(out, "size.gp")), "sweep: gnuplot script")
        sweep = json.load(open(os.path.join(out, "size.json")))["results"]
        if shutil.which("gnuplot"):
            pngs = ["size.png"]
            if any(r["summary"]["slicepath"]["p50_ns"] for r in sweep):
                pngs.append("size-latency.png")
            for name in pngs:
                png = os.path.join(out, name)
                c.check(os.path.exists(png)
                        and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n", f"sweep: {name}")
        else:
            skipped.append("the sweep's PNG (no gnuplot; Debian gnuplot-nox)")
        c.equal([r["scenario"]["size"] for r in sweep], [60, 200], "sweep: JSON scenarios")

        # 3. a bad scenario file.
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            json.dump({"scenarios": [{"slices": 2, "frame": 60}]}, f)
        st, text = run(c, slicepathd, pcapgen, os.path.join(tmp, "bad"), "--scenario", bad)
        c.equal(st, 2, "bad scenario: exit status")
        c.check("'frame'" in text and "scenarios[0]" in text, f"bad scenario: message {text!r}")

        # 4. the other contenders, where the machine has them.
        no_testpmd = shutil.which("dpdk-testpmd") is None
        no_ovs = ovsdpdk.missing()
        if no_testpmd:
            skipped.append("testpmd (no dpdk-testpmd; Debian dpdk-dev)")
        if no_ovs:
            skipped.append(f"OVS-DPDK ({no_ovs})")
        contenders = ["slicepath"] + (["testpmd"] if not no_testpmd else []) \
            + (["ovs"] if not no_ovs else [])
        if len(contenders) > 1:
            nr_before = open(NR_HUGEPAGES).read() if os.path.exists(NR_HUGEPAGES) else None
            out = os.path.join(tmp, "all")
            st, text = run(c, slicepathd, pcapgen, out, "--contenders", ",".join(contenders),
                           "--slices", "2", "--filters", "3", "--seconds", "1", "--runs", "1")
            if st == 3:
                # The machine said no when asked (hugepages, mount).
                skipped.append(f"{'+'.join(contenders)}: {text.strip()}")
                contenders = []
            else:
                c.equal(st, 0, f"{'+'.join(contenders)}: exit status\n{text}")
        if len(contenders) > 1:
            doc = json.load(open(os.path.join(out, "benchrun.json")))
            runs = doc["results"][0]["runs"]
            c.equal([r["contender"] for r in runs], contenders, "interleaved runs")
            for r in runs:
                check_run(c, r, r["contender"])
            summ = doc["results"][0]["summary"]["slicepath"]
            for o in contenders[1:]:
                c.check((summ.get(f"vs_{o}") or 0) > 0, f"ratio to {o}: {summ.get('vs_' + o)}")
            if "ovs" in contenders:
                c.check("hugepages" in doc["memory"] and "no" not in doc["memory"],
                        f"memory {doc['memory']}")
                c.check(runs[-1].get("flows", 0) == 2 * 3, f"OVS flows {runs[-1].get('flows')}")
                c.equal(open(NR_HUGEPAGES).read(), nr_before, "hugepages released")
                with open("/proc/mounts") as f:
                    c.check("benchrun-huge-" not in f.read(), "hugetlbfs unmounted")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if skipped and not c.failed:
        print("skipped: " + "; ".join(skipped), flush=True)
        print(f"{c.passed} passed, {c.failed} failed", flush=True)
        sys.exit(77)
    c.finish()


if __name__ == "__main__":
    main()
