# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""From counters to numbers: rates over a window, latency percentiles from
the node's histogram, drops by reason, and the medians over a scenario's
runs.

A run's record (what each contender's run returns, and what the JSON
output holds for it) has:

  window_s   the measured window
  in, out    {"packets", "bytes", "mpps", "gbps"}: what eth0 received and
             eth1 sent (Gbit/s count frames without FCS, preamble or gap)
  drops      {group: {reason: packets}} (and "unsent": packets that came
             in and did not go out, for testpmd and OVS)
  latency    None, or {"packets", "p50_ns", ..., "histogram"}
  offered    with a paced load (slicepath's generator): the rate asked
             for and what the generator sent, refused and skipped
  program    with a program: the packets it ran on, its TSC cycles, and
             cycles a packet, summed over the slices
  series     {"out_mpps": [...]}: the output rate second by second
  setup_s    time from start to configured (None for testpmd)
"""

import math
import statistics

from .common import PCT


def delta(a, b, keys):
    """b - a for each of 'keys' (missing counts as 0)."""
    return {k: b.get(k, 0) - a.get(k, 0) for k in keys}


def nonzero(d):
    return {k: v for k, v in d.items() if v}


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


def median(xs):
    """The median of the numbers in 'xs' that are not None or NaN, or None."""
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
        if sc["load"] != "max":
            s["offered_mpps"] = median([r["offered"]["sent"]["mpps"] for r in ok
                                        if r.get("offered")])
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
