#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""A short smoke run of the benchmark runner, tools/benchrun.py (about 20 s).

No OVS-DPDK and no hugepages here: OVS busy-polls a core for minutes and
needs root, which the long runs of docs/benchmarks.md are for.

1. Arguments the runner refuses before it starts anything (exit 2): an
   unknown scenario field, a testpmd engine that does not forward, a
   paced load with testpmd, a program that is not an object, overlay
   traffic too short; and tools/pgo.sh given a directory that is not a
   meson build (exit 2, the directory untouched).
2. slicepath and dpdk-testpmd io (slicepath alone without testpmd), 2
   slices x 3 filters x 1 queue, one run of 1 s each, interleaved: exit 0,
   the table on stdout, and in the JSON output real numbers: packets in
   and out, rates that agree with them, a latency histogram that counts
   the packets sent, percentiles in order, and the ratio to testpmd.
   Then testpmd alone in csum mode (--testpmd-mode): the engine testpmd
   says it started is csum, and it forwarded packets.
3. A paced load, slicepathd's generator: a two-point load sweep (50 and
   100 kpps, 2 s each): the input rate at the node's port is within 30% of
   the rate asked for, the generator's counters are there, and the sweep's
   CSV, gnuplot script and (with gnuplot) PNGs are written.  The input
   rate at the port is what the worker received plus what the full ring
   refused (a NIC's rx_missed): on a shared machine the worker can be
   descheduled for longer than the ring lasts, which says nothing about
   the pacing.  What the worker received must be more than half of it.

usage: test_benchrun.py SLICEPATHD PCAPGEN
Without dpdk-testpmd, part 2 runs slicepath alone and, if nothing failed,
the test reports itself skipped (77).
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
from benchrun import common  # noqa: E402

PACED = (50_000, 100_000)       # packets per second
PACED_TOLERANCE = 0.30


def run(slicepathd, pcapgen, out, *args, timeout=120):
    """Runs the runner without hugepages; returns (exit status, stdout +
    stderr)."""
    cmd = [sys.executable, BENCHRUN, "--slicepathd", slicepathd, "--pcapgen", pcapgen,
           "--out-dir", out, "--memory", "nohuge", "--warmup", "0.5", *args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    text = r.stdout + r.stderr
    if r.returncode not in (0, 2):
        print(text, flush=True)
    return r.returncode, text


def check_run(c, rec, what):
    """The numbers of one run are real and agree with each other."""
    if not c.check(not rec.get("error"), f"{what}: {rec.get('error')}"):
        return False
    c.check(not rec.get("warning"), f"{what}: {rec.get('warning')}")
    dt = rec["window_s"]
    c.check(0.5 <= dt <= 5, f"{what}: window {dt} s")
    for side in ("in", "out"):
        b = rec[side]
        c.check(b["packets"] > 0, f"{what}: {side} packets {b['packets']}")
        c.check(abs(b["mpps"] - b["packets"] / dt / 1e6) < 1e-6, f"{what}: {side} Mpps")
        # Frames are 60 bytes or more.  A PMD's packet and byte counters,
        # and a slice's, are read one after the other while the lcore
        # writes them, so a window's two can disagree by a burst either
        # way: a fraction of a percent of any window here.
        c.check(b["bytes"] >= 0.99 * 60 * b["packets"], f"{what}: {side} bytes {b['bytes']}"
                f" for {b['packets']} packets")
    # What was in flight at either end of the window: a ring or two.
    c.check(rec["out"]["packets"] <= rec["in"]["packets"] + 4096,
            f"{what}: out {rec['out']['packets']} over in {rec['in']['packets']}")
    c.check(isinstance(rec["drops"], dict) and "ports" in rec["drops"], f"{what}: drops")
    return True


def check_latency(c, rec, what):
    """slicepath's latency: the histogram counts what the queue manager
    sent in the window, and the percentiles rise."""
    lat = rec.get("latency")
    if not c.check(lat is not None, f"{what}: no latency"):
        return
    out = rec["out"]["packets"]
    c.check(lat["packets"] > 0 and abs(lat["packets"] - out) <= 0.05 * out + 4096,
            f"{what}: latency counts {lat['packets']} packets, {out} went out")
    c.equal(sum(lat["histogram"]["counts"]), lat["packets"], f"{what}: histogram total")
    vals = [lat[f"{n}_ns"] for n, _ in common.PCT]
    c.check(all(v > 0 for v in vals) and vals == sorted(vals),
            f"{what}: latency percentiles {vals}")


def refused(c, slicepathd, pcapgen, tmp):
    """Part 1: what the runner refuses, before it starts anything."""
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        json.dump({"scenarios": [{"slices": 2, "frame": 60}]}, f)
    engine = os.path.join(tmp, "engine.json")
    with open(engine, "w") as f:
        json.dump({"scenarios": [{"testpmd_mode": "rxonly"}]}, f)
    for args, says in ((["--scenario", bad], ["'frame'", "scenarios[0]"]),
                       (["--scenario", engine],
                        ["scenarios[0].testpmd_mode", "'rxonly'", "csum"]),
                       (["--load", "50k", "--contenders", "slicepath,testpmd"],
                        ["options.load", "generator"]),
                       (["--program", '"udp"'], ["options.program", "JSON object"]),
                       (["--code-option", "ipv4", "--size", "60"],
                        ["options.size", "70 bytes"])):
        # Small, should one ever be accepted by mistake.
        st, text = run(slicepathd, pcapgen, os.path.join(tmp, "bad"), *args,
                       "--slices", "1", "--filters", "1", "--seconds", "0.5", "--runs", "1")
        c.equal(st, 2, f"{args}: exit status")
        c.check(all(s in text for s in says), f"{args}: message {text!r}")
    # tools/pgo.sh builds in the directory it is given: one that is not a
    # meson build directory it refuses, and leaves as it was.
    other = os.path.join(tmp, "not-a-build")
    os.mkdir(other)
    with open(os.path.join(other, "notes.txt"), "w") as f:
        f.write("mine\n")
    r = subprocess.run(["bash", os.path.join(TOP, "tools", "pgo.sh"), other],
                       capture_output=True, text=True, timeout=60)
    c.equal(r.returncode, 2, "pgo.sh on a directory that is not a build: exit status")
    c.check("not a meson build directory" in r.stderr, f"pgo.sh: message {r.stderr!r}")
    c.equal(sorted(os.listdir(other)), ["notes.txt"], "pgo.sh: the directory's files")
    c.equal(open(os.path.join(other, "notes.txt")).read(), "mine\n", "pgo.sh: notes.txt")


def side_by_side(c, slicepathd, pcapgen, tmp, contenders):
    """Part 2: slicepath (and testpmd), full load."""
    out = os.path.join(tmp, "one")
    # slicepathd is BUILD/control/slicepathd: the runner reads BUILD's options.
    build = os.path.dirname(os.path.dirname(os.path.abspath(slicepathd)))
    st, text = run(slicepathd, pcapgen, out, "--build", build,
                   "--contenders", ",".join(contenders),
                   "--slices", "2", "--filters", "3", "--queues", "1",
                   "--seconds", "1", "--runs", "1")
    c.equal(st, 0, f"{'+'.join(contenders)}: exit status")
    c.check("contender" in text and "slicepath" in text, f"table on stdout:\n{text}")
    doc = json.load(open(os.path.join(out, "benchrun.json")))
    c.check("no hugepages" in doc["memory"], f"memory {doc['memory']}")
    # What meson says the build was configured with (a profile-guided
    # build, tools/pgo.sh, runs this suite too).
    r = subprocess.run(["meson", "introspect", "--buildoptions", build],
                       capture_output=True, text=True, check=True)
    opts = {o["name"]: o["value"] for o in json.loads(r.stdout)}
    b = doc["build"]
    c.equal((b["b_pgo"], b["optimization"], b["b_lto"]),
            (opts["b_pgo"], opts["optimization"], opts["b_lto"]), "build options")
    c.check(b["commit"], f"build: commit {b}")
    c.check(f"slicepathd: {b['commit']}" in text, f"build in the table:\n{text}")
    res = doc["results"]
    c.equal(len(res), 1, "one scenario")
    sc = res[0]["scenario"]
    c.equal((sc["slices"], sc["filters"], sc["queues"], sc["load"]), (2, 3, 1, "max"),
            "scenario")
    runs = res[0]["runs"]
    c.equal([r["contender"] for r in runs], contenders, "interleaved runs")
    for r in runs:
        if check_run(c, r, r["contender"]) and r["contender"] == "slicepath":
            check_latency(c, r, "slicepath")
    summ = res[0]["summary"]
    c.check((summ["slicepath"]["out_mpps"] or 0) > 0, "summary: slicepath out Mpps")
    if "testpmd" in contenders:
        c.check((summ["testpmd"]["out_mpps"] or 0) > 0, "summary: testpmd out Mpps")
        c.check((summ["slicepath"].get("vs_testpmd") or 0) > 0,
                f"ratio to testpmd: {summ['slicepath'].get('vs_testpmd')}")


def engine(c, slicepathd, pcapgen, tmp):
    """Part 2, testpmd in another forwarding mode than io."""
    out = os.path.join(tmp, "csum")
    st, text = run(slicepathd, pcapgen, out, "--contenders", "testpmd",
                   "--testpmd-mode", "csum", "--slices", "2", "--filters", "1",
                   "--seconds", "1", "--runs", "1")
    c.equal(st, 0, f"testpmd csum: exit status\n{text}")
    c.check("testpmd csum" in text, f"testpmd csum in the table:\n{text}")
    res = json.load(open(os.path.join(out, "benchrun.json")))["results"][0]
    c.equal(res["scenario"]["testpmd_mode"], "csum", "testpmd csum: scenario")
    rec = res["runs"][0]
    if check_run(c, rec, "testpmd csum"):
        c.equal(rec.get("mode"), "csum", "testpmd csum: the engine testpmd started")


def paced(c, slicepathd, pcapgen, tmp, skipped):
    """Part 3: the generator, as a two-point load sweep."""
    out = os.path.join(tmp, "load")
    st, text = run(slicepathd, pcapgen, out, "--sweep", "load",
                   "--values", ",".join(map(str, PACED)), "--slices", "2", "--filters", "1",
                   "--seconds", "2", "--runs", "1")
    c.equal(st, 0, f"load sweep: exit status\n{text}")
    c.check("offered load: 50 kpps asked" in text, f"offered load in the table:\n{text}")
    res = json.load(open(os.path.join(out, "load.json")))["results"]
    c.equal([r["scenario"]["load"] for r in res], list(PACED), "load sweep: scenarios")
    for r, pps in zip(res, PACED):
        rec = r["runs"][0]
        what = f"{pps} pps"
        if not check_run(c, rec, what):
            continue
        check_latency(c, rec, what)
        off = rec.get("offered") or {}
        c.equal(off.get("requested_pps"), pps, f"{what}: rate asked")
        c.check(off.get("sent", {}).get("packets", 0) > 0, f"{what}: generator sent {off}")
        dt = rec["window_s"]
        got = rec["in"]["packets"] / dt
        at_port = got + off.get("refused", 0) / dt
        why = (f"(generator: sent {off.get('sent', {}).get('packets')}, refused "
               f"{off.get('refused')}, late {off.get('late')} in {dt:.2f} s)")
        c.check(abs(at_port - pps) <= PACED_TOLERANCE * pps,
                f"{what}: {at_port:.0f} pps came to the port {why}")
        c.check(got > at_port / 2, f"{what}: the worker received {got:.0f} pps {why}")
    rows = open(os.path.join(out, "load.csv")).read().splitlines()
    c.equal([r.split(",")[0] for r in rows], ["load"] + [str(p) for p in PACED],
            "load sweep: CSV rows")
    c.check(rows[0].endswith("slicepath_offered_mpps"), f"load sweep: CSV columns {rows[0]}")
    c.check(os.path.exists(os.path.join(out, "load.gp")), "load sweep: gnuplot script")
    if not shutil.which("gnuplot"):
        skipped.append("the sweep's PNGs (no gnuplot; Debian gnuplot-nox)")
        return
    for name in ("load.png", "load-latency.png"):
        png = os.path.join(out, name)
        c.check(os.path.exists(png) and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n",
                f"load sweep: {name}")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    slicepathd, pcapgen = (os.path.abspath(p) for p in sys.argv[1:3])
    c = sptest.Checks()
    skipped = []
    contenders = ["slicepath"]
    if shutil.which("dpdk-testpmd"):
        contenders.append("testpmd")
    else:
        skipped.append("testpmd (no dpdk-testpmd; Debian dpdk-dev)")
    tmp = tempfile.mkdtemp(prefix="sptest-benchrun-")
    try:
        refused(c, slicepathd, pcapgen, tmp)
        side_by_side(c, slicepathd, pcapgen, tmp, contenders)
        if "testpmd" in contenders:
            engine(c, slicepathd, pcapgen, tmp)
        paced(c, slicepathd, pcapgen, tmp, skipped)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if skipped and not c.failed:
        print("skipped: " + "; ".join(skipped), flush=True)
        print(f"{c.passed} passed, {c.failed} failed", flush=True)
        sys.exit(77)
    c.finish()


if __name__ == "__main__":
    main()
