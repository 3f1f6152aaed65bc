# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""A sweep's outputs: NAME.csv (a row per swept value), the gnuplot script
NAME.gp, and with gnuplot (Debian gnuplot-nox) NAME.png, the Mpps out of
each contender against the swept value, and NAME-latency.png, slicepath's
latency percentiles against it.  A load sweep's x axis is the offered load
in Mpps."""

import json
import os
import shutil
import subprocess
import sys
import time

from .common import CONTENDERS, PCT, label

LABELS = {"size": "frame size (bytes)", "filters": "filters per slice",
          "slices": "slices", "queues": "queues per slice",
          "load": "offered load (Mpps)"}


def _csv(path, param, contenders, results):
    """Writes the CSV; returns its columns."""
    cols = [param]
    for c in contenders:
        cols += [f"{c}_in_mpps", f"{c}_out_mpps", f"{c}_out_gbps"]
    cols += [f"slicepath_{n}_ns" for n, _ in PCT]
    if param == "load":
        cols.append("slicepath_offered_mpps")
    with open(path, "w") as f:
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
            if param == "load":
                v = s.get("slicepath", {}).get("offered_mpps")
                row.append("NaN" if v is None else f"{v:.4f}")
            f.write(",".join(row) + "\n")
    return cols


def _script(name, param, plot, cols, contenders, results, memory):
    """The gnuplot script's lines (run in the output directory)."""
    sc0 = results[0]["scenario"]
    fixed = ", ".join(f"{k} {sc0[k]}" for k in ("slices", "filters", "queues", "size",
                                                 "code_option") if k != param)
    how = f"{sc0['runs']} run(s) of {sc0['seconds']:g} s, {memory}, {time.strftime('%Y-%m-%d')}"
    xlabel = plot.get("xlabel", LABELS.get(param, param))
    x = "($1/1e6)" if param == "load" else "1"

    def col(c):
        return cols.index(c) + 1

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

    base = f"{name}.csv"
    lines = ["set datafile separator ','"]
    # The scenario on a line of its own: one line of both overflows the PNG.
    lines += header(f"{name}.png", plot.get("title") or
                    f"Mpps out vs {LABELS.get(param, param)}\n{fixed}",
                    "Mpps (median of runs)")
    curves = [f"'{base}' using {x}:{col(c + '_out_mpps')} skip 1 with linespoints lw 2 "
              f"title '{label(c, sc0)} out'" for c in contenders]
    if param == "load":
        curves += [f"'{base}' using {x}:{col('slicepath_in_mpps')} skip 1 with linespoints "
                   f"lw 1 dt 2 title 'slicepath in'",
                   f"'{base}' using {x}:{x} skip 1 with lines lw 1 dt 3 title 'offered'"]
    lines += ["set yrange [0:*]", "plot " + ", ".join(curves)]
    pngs = [f"{name}.png"]
    if any(r["summary"].get("slicepath", {}).get("p50_ns") for r in results):
        lines += ["", "unset yrange", "set logscale y 10"]
        where = "against offered load" if param == "load" else "at full load"
        lines += header(f"{name}-latency.png",
                        f"slicepath latency, rx round to tx burst, {where}\n{fixed}",
                        "latency (us, median of runs)")
        lines += ["plot " + ", ".join(
            f"'{base}' using {x}:(${col(f'slicepath_{n}_ns')}/1000) skip 1 "
            f"with linespoints lw 2 title '{n}'" for n, _ in PCT)]
        pngs.append(f"{name}-latency.png")
    return lines, pngs


def write_sweep(out_dir, name, sweep, results, memory):
    """Writes the sweep's CSV, script and (with gnuplot) PNGs into
    'out_dir'; returns the paths written."""
    param = sweep["param"]
    contenders = [c for c in CONTENDERS if any(c in r["summary"] for r in results)]
    csv = os.path.join(out_dir, f"{name}.csv")
    cols = _csv(csv, param, contenders, results)
    script, pngs = _script(name, param, sweep.get("plot", {}), cols, contenders, results,
                           memory)
    gp = os.path.join(out_dir, f"{name}.gp")
    with open(gp, "w") as f:
        f.write("\n".join(script) + "\n")
    written = [csv, gp]
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("gnuplot is not installed (Debian gnuplot-nox): no PNG; "
              f"run 'gnuplot {os.path.basename(gp)}' in {out_dir} later", file=sys.stderr)
        return written
    # gnuplot runs in out_dir, so that the script can be run again there.
    r = subprocess.run([gnuplot, os.path.basename(gp)], cwd=out_dir, capture_output=True,
                       text=True)
    if r.returncode != 0:
        print(f"gnuplot failed: {r.stderr.strip()}", file=sys.stderr)
    return written + [os.path.join(out_dir, p) for p in pngs
                      if os.path.exists(os.path.join(out_dir, p))]
