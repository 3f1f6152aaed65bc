# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""One Open vSwitch with DPDK run, the peer: a private ovsdb-server and
ovs-vswitchd-dpdk (tests/integration/ovs.py's harness), a netdev bridge
with the same pcap input and sink as DPDK ports, the PMD thread on core 1,
and flows like the scenario's slices (config.ovs_flows).  It needs
hugepages, so everything runs on them when OVS takes part."""

import json
import os
import re
import sys
import time

from . import config
from .common import HARNESS, dpdk_runtime_cleanup, file_prefix, vdevs
from .hugepages import Memory
from .measure import nonzero, rate_block

OVS_VSWITCHD_DPDK = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"


def missing():
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

    return OvsDpdk


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


def run(env, sc, pcap):
    """One OVS-DPDK run: a private ovsdb-server and ovs-vswitchd-dpdk, a
    netdev bridge with the two DPDK ports and the scenario's flows."""
    OvsDpdk = ovs_class()
    prefix = file_prefix("ovs")
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
        lines = config.ovs_flows(sc)
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
