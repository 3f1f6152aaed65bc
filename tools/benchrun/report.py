# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""What the runner prints: a line per run as it ends, and a table per
scenario of the medians, the ratios and the drops by reason."""

import json
import os
import platform
import re
import subprocess

from .common import PCT, TOP, WORKER_CORE, label
from .measure import drop_rates
from .scenario import load_text, scenario_title


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


def fmt_mpps(v):
    """Mpps with two decimals, three below 1 (paced loads are low)."""
    return fmt_num(v, ".3f" if v is not None and v < 1 else ".2f")


def table(sc, summ, mem, build=None):
    """The scenario's results as text; 'build' is build_info()'s."""
    lines = [f"== {scenario_title(sc)}",
             f"   {sc['runs']} run(s) of {sc['seconds']:g} s per contender, interleaved; "
             f"medians; one worker on core {WORKER_CORE}; {mem}"]
    if build and "slicepath" in sc["contenders"]:
        lines.append(f"   slicepathd: {build_title(build)}")
    others = [c for c in sc["contenders"] if c != "slicepath"]
    w = max(11, *(len(label(c, sc)) + 1 for c in sc["contenders"]))
    head = (f"{'contender':<{w}} {'in Mpps':>8} {'in Gb/s':>8} {'out Mpps':>9} {'out Gb/s':>9} "
            f"{'drop Mpps':>9} " + " ".join(f"{n:>8}" for n, _ in PCT))
    if "slicepath" in summ:
        head += "".join(f" {'vs ' + label(c).split()[0]:>11}" for c in others)
    lines.append(head)
    for c in sc["contenders"]:
        s = summ[c]
        drop = sum(s["drops_pps"].values()) / 1e6
        if drop < 1e-3 * (s["in_mpps"] or 0):
            drop = 0.0
        row = (f"{label(c, sc):<{w}} {fmt_mpps(s['in_mpps']):>8} {fmt_num(s['in_gbps']):>8} "
               f"{fmt_mpps(s['out_mpps']):>9} {fmt_num(s['out_gbps']):>9} {drop:>9.3f} "
               + " ".join(f"{fmt_ns(s[n + '_ns']):>8}" for n, _ in PCT))
        if c == "slicepath":
            for o in others:
                v = s.get("vs_" + o)
                row += f" {'n/a' if v is None else format(100 * v, '.0f') + '%':>11}"
        if s["runs"] < sc["runs"]:
            row += f"  ({sc['runs'] - s['runs']} run(s) failed)"
        lines.append(row)
    off = summ.get("slicepath", {}).get("offered_mpps")
    if sc["load"] != "max":
        lines.append(f"   offered load: {load_text(sc['load'])} asked, "
                     f"{fmt_num(off, '.3f')} Mpps sent by slicepathd's generator")
    for c in sc["contenders"]:
        # Less than 0.1% of the input is in-flight noise of "unsent".
        floor = 1e-3 * (summ[c]["in_mpps"] or 0) * 1e6
        d = {k: v for k, v in summ[c]["drops_pps"].items() if v >= floor}
        if d:
            lines.append(f"   {label(c, sc)} drops: " + ", ".join(
                f"{k} {v / 1e6:.3f} Mpps" for k, v in sorted(d.items(), key=lambda kv: -kv[1])))
    return "\n".join(lines)


def run_line(rec, sc):
    """One line for a run of scenario 'sc' as it ends."""
    c, r, name = rec["contender"], rec["run"], label(rec["contender"], sc)
    if rec.get("error"):
        return f"run {r}: {name:<10} FAILED: {rec['error']}"
    lat = rec.get("latency")
    drops = sum(drop_rates(rec).values())
    off = rec.get("offered")
    return (f"run {r}: {name:<10} in {fmt_mpps(rec['in']['mpps']):>6} Mpps, "
            f"out {fmt_mpps(rec['out']['mpps']):>6} Mpps ({rec['out']['gbps']:.2f} Gbit/s)"
            + (f", offered {off['sent']['mpps']:.3f} Mpps" if off else "")
            + (f", p50 {fmt_ns(lat.get('p50_ns'))} p99 {fmt_ns(lat.get('p99_ns'))}"
               if lat else "")
            + (f", program {rec['program']['cycles_per_packet']:.0f} cycles/packet"
               if (rec.get("program") or {}).get("cycles_per_packet") else "")
            + (f", drops {drops / 1e6:.3f} Mpps"
               if drops >= 1e-3 * rec["in"]["mpps"] * 1e6 else ""))


def build_info(build_dir, slicepathd):
    """What the slicepathd binary was built with: the optimisation options
    and whether it uses a profile (tools/pgo.sh), from its meson build
    directory (None: not known), and the commit of the source tree the
    runner runs from, which is the binary's if the build is up to date.
    Fields it cannot read are None."""
    info = {"slicepathd": os.path.abspath(slicepathd), "commit": None,
            "optimization": None, "b_lto": None, "b_pgo": None}
    r = subprocess.run(["git", "-C", TOP, "describe", "--always", "--dirty", "--abbrev=12"],
                       capture_output=True, text=True, check=False)
    info["commit"] = r.stdout.strip() or None
    if build_dir is None:
        return info
    try:
        with open(os.path.join(build_dir, "meson-info", "intro-buildoptions.json")) as f:
            opts = {o["name"]: o["value"] for o in json.load(f)}
    except (OSError, ValueError, KeyError, TypeError):
        return info
    for k in ("optimization", "b_lto", "b_pgo"):
        info[k] = opts.get(k)
    return info


def build_title(b):
    """build_info() in a few words."""
    opts = [f"-O{b['optimization']}" if b.get("optimization") else None,
            "LTO" if b.get("b_lto") else None,
            "profile-guided (tools/pgo.sh)" if b.get("b_pgo") == "use" else None]
    words = ", ".join(o for o in opts if o) or "build options unknown"
    return f"{b.get('commit') or 'commit unknown'}; {words}"


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
