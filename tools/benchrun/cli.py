# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""The command line, and the main loop: for each scenario, runs of each
contender interleaved (slicepath, testpmd, ovs, slicepath, ...), a line
per run, the JSON file kept up to date after each scenario, then the
tables and, for a sweep, its CSV and plots."""

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback

from . import config, ovsdpdk, slicepath, testpmd
from .common import TESTPMD_MODES, TOP, Unavailable
from .hugepages import Memory
from .measure import summarize
from .plot import write_sweep
from .report import build_info, host_info, run_line, table
from .scenario import CODE_OPTIONS, DEFAULTS, plan_make, scenario_title

RUNNERS = {"slicepath": slicepath.run, "testpmd": testpmd.run, "ovs": ovsdpdk.run}

USAGE_TAIL = """\
Scenarios come from the options, from a JSON file (--scenario FILE:
{"defaults": {...}, "scenarios": [{...}, ...]}), or from a sweep (--sweep
NAME runs tools/benchrun/sweep-NAME.json, or a file: {"defaults": {...},
"sweep": {"param": P, "values": [...]}, "plot": {...}}).  Options given on
the command line override the files.  See docs/benchmarks.md, "How to run".

Exit status: 0 when every run measured something, 1 when a run failed, 2
for bad arguments, 3 when the machine lacks what was asked for (testpmd,
OVS-DPDK, root or hugepages for OVS)."""


def parse_args(argv):
    """The arguments, and the scenario fields they set (a dict)."""
    ap = argparse.ArgumentParser(
        prog="tools/benchrun.py",
        description="Benchmark runner: slicepathd next to dpdk-testpmd io and OVS-DPDK, "
                    "on the same input.",
        epilog=USAGE_TAIL, formatter_class=argparse.RawDescriptionHelpFormatter)
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--scenario", metavar="FILE", help="scenarios from a JSON file")
    what.add_argument("--sweep", metavar="NAME",
                      help="run a sweep: tools/benchrun/sweep-NAME.json (size, filters, "
                           "slices, load) or a file; writes NAME.csv and NAME.png")
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
    ap.add_argument("--code-option", choices=CODE_OPTIONS,
                    help="the slices' code option (default passthrough)")
    ap.add_argument("--program", metavar="JSON",
                    help='a program every slice runs (docs/bpf.md), e.g. \'{"pcap": "udp"}\'')
    ap.add_argument("--queue-manager", choices=["on", "off"], help="(default on)")
    ap.add_argument("--load", metavar="PPS",
                    help='offered load: "max" (default: the pcap as fast as it is taken) '
                         'or packets per second (50000, 500k, 2M: slicepathd\'s paced '
                         'generator; slicepath alone)')
    ap.add_argument("--contenders", metavar="LIST",
                    help="comma-separated: slicepath,testpmd,ovs (default slicepath,testpmd)")
    ap.add_argument("--testpmd-mode", choices=TESTPMD_MODES,
                    help="testpmd's forwarding engine: io, the ceiling (default), or one "
                         "that works on every packet")
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
              "code_option", "load", "contenders", "testpmd_mode", "ovs_flows", "mem_mb"):
        v = getattr(a, k)
        if v is not None:
            cli[k] = v
    if a.queue_manager:
        cli["queue_manager"] = a.queue_manager == "on"
    if a.program is not None:
        try:
            cli["program"] = json.loads(a.program)
        except ValueError as e:
            ap.error(f"--program: not JSON: {e}")
    return a, cli


def check_tools(env, plan):
    """Raises Unavailable for a contender the machine cannot run."""
    wanted = {c for sc in plan["scenarios"] for c in sc["contenders"]}
    for path in (env["slicepathd"], env["pcapgen"]):
        if "slicepath" in wanted and not os.access(path, os.X_OK):
            raise Unavailable(f"{path} is not built (meson setup build && ninja -C build)")
    if "testpmd" in wanted and not env["testpmd"]:
        raise Unavailable("no dpdk-testpmd (Debian package dpdk-dev)")
    if "ovs" in wanted:
        why = ovsdpdk.missing()
        if why:
            raise Unavailable(f"OVS-DPDK: {why}")


def built_in(build, slicepathd):
    """Whether 'slicepathd' is build directory 'build''s: only then are
    that directory's build options the binary's."""
    own = os.path.join(build, "control", "slicepathd")
    try:
        return os.path.samefile(own, slicepathd)
    except OSError:
        return False


def run_scenario(env, sc, pcap):
    """Every run of one scenario, contenders interleaved; returns the
    records (a failed run's has "error")."""
    runs = []
    for r in range(sc["runs"]):
        for c in sc["contenders"]:
            try:
                rec = RUNNERS[c](env, sc, pcap)
            except Unavailable:
                raise
            except Exception as e:      # one failed run; the rest go on
                rec = {"error": f"{type(e).__name__}: {e}",
                       "traceback": traceback.format_exc()}
            rec = {"contender": c, "run": r, **rec}
            print(run_line(rec, sc), flush=True)
            if rec.get("warning"):
                print(f"       warning: {rec['warning']}", flush=True)
            runs.append(rec)
    return runs


def main(argv=None):
    a, cli = parse_args(argv)
    try:
        plan = plan_make(sweep=a.sweep, values=a.values, scenario=a.scenario, cli=cli)
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
    doc = {"tool": "tools/benchrun.py", "version": 2, "name": plan["name"],
           "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "host": host_info(),
           "build": build_info(a.build if built_in(a.build, env["slicepathd"]) else None,
                               env["slicepathd"]),
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
                pcap = config.pcap_make(env["pcapgen"], env["work"], sc)
                print(f"\n-- {scenario_title(sc)}", flush=True)
                runs = run_scenario(env, sc, pcap)
                failed += sum(1 for r in runs if r.get("error"))
                doc["results"].append({"scenario": sc, "summary": summarize(sc, runs),
                                       "runs": runs})
                with open(json_path, "w") as f:
                    json.dump(doc, f, indent=1)
            print()
            for res in doc["results"]:
                print(table(res["scenario"], res["summary"], doc["memory"], doc["build"]))
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
        for p in write_sweep(a.out_dir, plan["name"], plan["sweep"], doc["results"],
                             doc["memory"]):
            print(f"wrote {p}")
    return 1 if failed else 0
