# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Scenarios: their fields and checks, scenario and sweep files, and the
plan of what one invocation runs.

A scenario is one configuration of the node and its traffic:

  slices        N slices (1..1024); slice i binds UDP port 5000+i on eth0
                and 20000+i on eth1
  filters       F filters per slice: F - 1 that match none of the traffic,
                then one, the least preferred, that forwards everything out
                of eth1, so that every packet's lookup rules out every
                other filter of its slice first
                (0: the input binding's default action forwards it)
  queues        Q queues per slice on its output binding (it forwards into
                the first); the queue manager paces eth1 at 400 Gbit/s, far
                above what one worker sends
  queue_manager true or false (the node's "queue_manager")
  size          Ethernet frame length without FCS (60..1514; ipv4: 70..)
  code_option   passthrough, ipv4 or bpf
  program       a slice program (docs/bpf.md), given to every slice as its
                configuration's "program", e.g. {"pcap": "udp"}: the filter
                stage of passthrough and ipv4, the parse stage of bpf (whose
                key is then the program's return value)
  load          "max": the pcap replayed from memory as fast as the
                contender takes it; or packets per second (a number, or
                "500k", "2M"): slicepathd's paced generator, slicepath only
  seconds       the measured window of each run; warmup: seconds before it
  runs          runs per contender; contenders run interleaved
                (slicepath, testpmd, ovs, slicepath, ...), medians reported
  contenders    any of slicepath, testpmd, ovs
  testpmd_mode  testpmd's forwarding engine: "io" (the ceiling: the
                packets untouched), or one that works on every packet
                ("mac", "macswap", "5tswap", "csum"; common.TESTPMD_MODES)
  ovs_flows     "slices": OVS gets a rule set like the slices' (per slice,
                F OpenFlow rules on the outer headers: F - 1 that match
                nothing sent, then one that outputs to the sink); "port":
                one port-to-port flow
  mem_mb        DPDK memory of each contender (-m, dpdk-socket-mem)
  name          what the outputs call it (default: made from the above)

Every field is checked when the plan is made, before anything starts, and
an error names the file, the scenario and the field.
"""

import copy
import json
import os
import re

from .common import CONTENDERS, HERE, TESTPMD_MODES

DEFAULTS = {"name": None, "slices": 64, "filters": 1000, "queues": 0,
            "queue_manager": True, "size": 60, "code_option": "passthrough",
            "program": None, "load": "max", "seconds": 5.0, "warmup": 1.0, "runs": 3,
            "contenders": ["slicepath", "testpmd"], "testpmd_mode": "io",
            "ovs_flows": "slices", "mem_mb": 1024}

CODE_OPTIONS = ("passthrough", "ipv4", "bpf")
LOAD_MAX = 1_000_000_000        # the generator's highest rate, packets/s


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
    """"max", or packets per second: a number, or a string with k or M."""
    if v == "max":
        return v
    what = f'"max" or packets per second, 1..{LOAD_MAX} (e.g. 50000, "500k", "2M")'
    if isinstance(v, str):
        m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([kM]?)", v)
        if not m:
            raise ValueError(what)
        v = float(m.group(1)) * {"": 1, "k": 1e3, "M": 1e6}[m.group(2)]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 1 <= v <= LOAD_MAX:
        raise ValueError(what)
    return int(round(v))


def _program(v):
    if v is not None and not isinstance(v, dict):
        raise ValueError('a JSON object (the slices\' "program", e.g. {"pcap": "udp"}) or null')
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
          "code_option": _one_of(*CODE_OPTIONS), "program": _program, "load": _load,
          "seconds": _number_in(0.5, 3600), "warmup": _number_in(0, 600),
          "runs": _int_in(1, 100), "contenders": _contenders,
          "testpmd_mode": _one_of(*TESTPMD_MODES),
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
    if overlay(sc) and sc["size"] < 70:
        raise ValueError(f"{where}.size: the traffic is overlay (code option ipv4, or a "
                         f"program), 70 bytes at least")
    if sc["slices"] * max(sc["filters"], 1) > 16_777_216:
        raise ValueError(f"{where}: slices x filters is over the node's 16777216")
    if sc["load"] != "max" and sc["contenders"] != ["slicepath"]:
        raise ValueError(f"{where}.load: a paced load comes from slicepathd's own "
                         f"generator; contenders must be [\"slicepath\"] alone")
    if sc["name"] is None:
        sc["name"] = scenario_title(sc, short=True)
    return sc


def overlay(sc):
    """Whether the scenario's traffic carries an inner IPv4/UDP packet (to
    10.0.0.0/16) rather than a marker: for the ipv4 code option, and for a
    program, which sees the overlay payload as a raw IP packet."""
    return sc["code_option"] == "ipv4" or sc["program"] is not None


def load_text(load):
    """An offered load for people: "max", "50 kpps", "1.5 Mpps"."""
    if load == "max":
        return "max"
    return f"{load / 1e6:g} Mpps" if load >= 1_000_000 else f"{load / 1e3:g} kpps"


def scenario_title(sc, short=False):
    """One line that says what the scenario is."""
    if short:
        return (f"{sc['slices']}x{sc['filters']}x{sc['queues']}-{sc['code_option']}"
                f"-{sc['size']}B" + ("" if sc["queue_manager"] else "-noqm")
                + ("" if sc["load"] == "max" else f"-{sc['load']}pps")
                + ("" if sc["testpmd_mode"] == "io" else f"-testpmd-{sc['testpmd_mode']}"))
    qm = "" if sc["queue_manager"] else ", queue manager off"
    prog = f" {json.dumps(sc['program'])}" if sc["program"] is not None else ""
    return (f"{sc['slices']} slices x {sc['filters']} filters x {sc['queues']} queues, "
            f"{sc['code_option']}{prog}, {sc['size']}-byte frames, "
            f"load {load_text(sc['load'])}{qm}")


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
    path = os.path.join(HERE, f"sweep-{name}.json")
    if not os.path.exists(path):
        known = sorted(f[6:-5] for f in os.listdir(HERE)
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


def plan_make(sweep=None, values=None, scenario=None, cli=None):
    """What to run: {"name", "scenarios": [...], "sweep": None or {"param",
    "values", "plot", "file"}}, from a sweep (a name or file; 'values', a
    comma-separated string, replaces its values), a scenario file, or the
    options alone.  'cli' (a dict of fields) goes over the files' values.
    Raises ValueError."""
    cli = cli or {}
    if sweep:
        path = sweep_path(sweep)
        doc = read_plan_file(path, ("sweep", "plot"))
        sw = doc.get("sweep")
        if not isinstance(sw, dict) or sw.get("param") not in FIELDS \
                or not isinstance(sw.get("values"), list) or not sw["values"]:
            raise ValueError(f"{path}: needs \"sweep\": {{\"param\": FIELD, \"values\": [...]}}")
        param = sw["param"]
        vals = [_value(v) for v in values.split(",")] if values else sw["values"]
        scenarios = [scenario_make(doc.get("defaults", {}), cli, {param: v, "name": None},
                                   where=f"{path} ({param}={v})")
                     for v in vals]
        name = _plan_name(doc, path, os.path.basename(path)[6:-5])
        return {"name": name, "scenarios": scenarios,
                "sweep": {"param": param, "values": [sc[param] for sc in scenarios],
                          "plot": doc.get("plot", {}), "file": path}}
    if scenario:
        doc = read_plan_file(scenario, ("scenarios",))
        items = doc.get("scenarios", [{}])
        if not isinstance(items, list) or not items \
                or not all(isinstance(i, dict) for i in items):
            raise ValueError(f"{scenario}: needs \"scenarios\": [{{...}}, ...]")
        scenarios = [scenario_make(doc.get("defaults", {}), s, cli,
                                   where=f"{scenario}: scenarios[{i}]")
                     for i, s in enumerate(items)]
        name = _plan_name(doc, scenario, os.path.splitext(os.path.basename(scenario))[0])
        return {"name": name, "scenarios": scenarios, "sweep": None}
    return {"name": "benchrun", "scenarios": [scenario_make(cli, where="options")],
            "sweep": None}
