# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""One slicepathd run: start the node, configure the scenario's slices,
warm up, measure a window from its own counters, stop it.

The input is the pcap replayed from memory (net_pcap infinite_rx=1) at
whatever rate the worker takes it, or, with a paced load, slicepathd's
own generator (--generator: lcore 2 on CPU 0, beside the control plane,
filling a net_ring at the scenario's rate; see dataplane/gen.h).
"""

import os
import shutil
import subprocess
import tempfile
import time

from . import config
from .api import Api, wait_up
from .common import (GEN_LCORES, die_with_parent, dpdk_runtime_cleanup, eal_common,
                     file_prefix, free_port, stop_process, tail, vdevs)
from .measure import delta, latency_percentiles, nonzero, rate_block

GEN_LCORE = 2


def command(env, sc, pcap, node_file):
    """slicepathd's command line for the scenario."""
    prefix = file_prefix("sp")
    if sc["load"] == "max":
        cmd = [env["slicepathd"], *eal_common(prefix), *env["mem"].eal()]
        for v in vdevs(pcap):
            cmd += ["--vdev", v]
        return prefix, cmd + ["--", "--config", node_file]
    cmd = [env["slicepathd"], *eal_common(prefix, GEN_LCORES), *env["mem"].eal(),
           "--vdev", vdevs(pcap)[1], "--", "--config", node_file,
           "--generator", f"pcap={pcap},rate={sc['load']},interface=eth0,lcore={GEN_LCORE}"]
    return prefix, cmd


def port_of(stats, name):
    for p in stats["ports"]:
        if p.get("interface") == name:
            return p
    raise RuntimeError(f"no port {name} in /v1/stats")


def slices_sample(api, n):
    """The slices' drops (summed and each), what they sent out of eth1, and
    what their programs ran on and cost."""
    tot = {"drops": {}, "tx_packets": 0, "tx_bytes": 0, "per_slice": {},
           "program": {"packets": 0, "cycles": 0}}
    for i in range(n):
        st = api("GET", f"/v1/slices/s{i}/stats")
        for k, v in st["drops"].items():
            tot["drops"][k] = tot["drops"].get(k, 0) + v
        tot["per_slice"][f"s{i}"] = st["drops"]
        for k in ("packets", "cycles"):
            tot["program"][k] += st.get("program", {}).get(k, 0)
        for b in st["bindings"]:
            if b["id"] == 1:
                tot["tx_packets"] += b["tx_packets"]
                tot["tx_bytes"] += b["tx_bytes"]
    return tot


def measure(api, sc):
    """Reads the node's counters at the start and end of a window of
    sc["seconds"], once a second in between; the slices' counters right
    after the node's at both ends, so that they cover as long a window.
    Returns (node at start, node at end, slices at start, slices at end,
    window in s, per-second input and output Mpps)."""
    n = sc["slices"]
    s0 = api("GET", "/v1/stats")
    t0 = time.monotonic()
    sl0 = slices_sample(api, n)
    series = {"in_mpps": [], "out_mpps": []}
    prev, tprev = s0, t0
    while True:
        left = t0 + sc["seconds"] - time.monotonic()
        # At least one sample: reading 64 slices' counters can take the
        # whole window when a paced generator shares the control core.
        if left <= 0 and series["in_mpps"]:
            break
        time.sleep(min(1.0, max(left, 0.0)))
        s = api("GET", "/v1/stats")
        t = time.monotonic()
        for key, name, side in (("in_mpps", "eth0", "rx_packets"),
                                ("out_mpps", "eth1", "tx_packets")):
            series[key].append((port_of(s, name)[side] - port_of(prev, name)[side])
                               / (t - tprev) / 1e6)
        prev, tprev = s, t
    sl1 = slices_sample(api, n)
    return s0, prev, sl0, sl1, tprev - t0, series


def record(sc, s0, s1, sl0, sl1, dt):
    """The run's record (see measure.py) from the counters of its window."""
    rec = {"window_s": dt}
    e0, e1 = port_of(s0, "eth0"), port_of(s1, "eth0")
    o0, o1 = port_of(s0, "eth1"), port_of(s1, "eth1")
    in_pkts = e1["rx_packets"] - e0["rx_packets"]
    in_bytes = e1["rx_bytes"] - e0["rx_bytes"]
    g0, g1 = s0.get("generator"), s1.get("generator")
    if g1 is not None:
        g = delta(g0, g1, ("sent_packets", "sent_bytes", "refused", "no_mbuf", "late"))
        rec["offered"] = {"requested_pps": g1["rate_pps"],
                          "sent": rate_block(g["sent_packets"], g["sent_bytes"], dt),
                          "refused": g["refused"], "no_mbuf": g["no_mbuf"],
                          "late": g["late"]}
        if in_bytes == 0 and g["sent_packets"]:
            # net_ring counts no bytes: the frames are the generator's.
            in_bytes = round(in_pkts * g["sent_bytes"] / g["sent_packets"])
    rec["in"] = rate_block(in_pkts, in_bytes, dt)
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
    if "offered" in rec:
        rec["drops"]["generator"] = nonzero({"refused": rec["offered"]["refused"],
                                             "no_mbuf": rec["offered"]["no_mbuf"]})
    per = {}
    for name, d1 in sl1["per_slice"].items():
        d = nonzero(delta(sl0["per_slice"][name], d1, d1))
        if d:
            per[name] = d
    if per:
        rec["drops"]["per_slice"] = per
    rec["latency"] = latency_percentiles(s0.get("latency"), s1.get("latency"))
    if sc["program"] is not None:
        p = delta(sl0["program"], sl1["program"], ("packets", "cycles"))
        p["cycles_per_packet"] = p["cycles"] / p["packets"] if p["packets"] else None
        rec["program"] = p
    return rec


def run(env, sc, pcap):
    """One slicepathd run of scenario 'sc' on input 'pcap'; returns its
    record.  Raises RuntimeError (with the daemon's log) if it fails."""
    work = tempfile.mkdtemp(prefix="benchrun-sp-", dir=env["statebase"])
    port = free_port()
    node_file = config.write_node_files(sc, work, port, generator=sc["load"] != "max")
    prefix, cmd = command(env, sc, pcap, node_file)
    log_path = os.path.join(work, "slicepathd.log")
    log = open(log_path, "w")
    t_start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
    api = Api(port)
    try:
        wait_up(api, proc)
        config.slices_configure(api, sc)
        setup_s = time.monotonic() - t_start
        time.sleep(sc["warmup"])
        s0, s1, sl0, sl1, dt, series = measure(api, sc)
    except Exception as e:
        raise RuntimeError(f"{e}\n--- slicepathd's log:\n{tail(log_path)}") from None
    finally:
        api.close()
        status = stop_process(proc)
        log.close()
        log_tail = tail(log_path) if status not in (0, None) else ""
        dpdk_runtime_cleanup(prefix)
        shutil.rmtree(work, ignore_errors=True)
    rec = record(sc, s0, s1, sl0, sl1, dt)
    rec["setup_s"] = setup_s
    rec["series"] = series
    if status not in (0, None):
        # The numbers stand; the unclean stop is the daemon's bug to show.
        rec["warning"] = f"slicepathd exited {status} on SIGTERM:\n{log_tail}"
    return rec
