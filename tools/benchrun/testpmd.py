# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""One dpdk-testpmd run: the same pcap and sink as slicepathd, the
forwarding core on core 1, in io mode (the ceiling) or the scenario's
testpmd_mode.  Its counters are its port statistics, printed every second
(--stats-period 1) and timed as they arrive."""

import re
import signal
import subprocess
import time

from .common import die_with_parent, dpdk_runtime_cleanup, eal_common, file_prefix, vdevs
from .measure import delta, nonzero, rate_block


TESTPMD_PORT = re.compile(r"NIC statistics for port (\d+)")
TESTPMD_NUMS = re.compile(r"([A-Za-z]+-[A-Za-z]+):\s+(\d+)")
# What testpmd prints as it starts forwarding: the engine it runs.
TESTPMD_STARTED = re.compile(r"^(\S+) packet forwarding - ports=")


def run(env, sc, pcap):
    """One dpdk-testpmd run.  Counters come from its port statistics,
    printed every second; the window runs between the first print after
    the warm-up and the first one 'seconds' later, timed on arrival.  The
    record's "mode" is the forwarding engine testpmd said it started."""
    mode = sc["testpmd_mode"]
    prefix = file_prefix("tp")
    cmd = [env["testpmd"], *eal_common(prefix), *env["mem"].eal()]
    for v in vdevs(pcap):
        cmd += ["--vdev", v]
    cmd += ["--", f"--forward-mode={mode}", "--total-num-mbufs=16384", "--stats-period", "1", "-a"]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, preexec_fn=die_with_parent)
    snaps, cur, port, logtail = [], {}, None, []
    deadline = time.monotonic() + 120 + sc["warmup"] + sc["seconds"]
    t_flow = start = end = None
    rec = {"mode": None}
    try:
        for line in p.stdout:
            logtail = (logtail + [line.rstrip()])[-30:]
            if time.monotonic() > deadline:
                raise RuntimeError("testpmd: no statistics in time:\n" + "\n".join(logtail))
            m = TESTPMD_STARTED.match(line)
            if m:
                rec["mode"] = m.group(1)
                if rec["mode"] != mode:
                    raise RuntimeError(f"testpmd started {rec['mode']!r} forwarding, "
                                       f"not {mode!r}")
                continue
            m = TESTPMD_PORT.search(line)
            if m:
                port = int(m.group(1))
                cur[port] = {}
                continue
            if port is None:
                continue
            for k, v in TESTPMD_NUMS.findall(line):
                cur[port][k] = int(v)
            if not re.fullmatch(r"\s*#{20,}\s*", line):
                continue
            # The end of one port's block; port 1's ends a print.
            if port == 1 and 0 in cur:
                snap = (time.monotonic(), cur)
                snaps.append(snap)
                if t_flow is None and cur[1].get("TX-packets", 0) > 0:
                    t_flow = snap[0]
                if start is None and t_flow is not None and snap[0] >= t_flow + sc["warmup"]:
                    start = snap
                elif start is not None and snap[0] >= start[0] + sc["seconds"] - 0.05:
                    end = snap
                    break
                cur = {}
            port = None
        else:
            raise RuntimeError("testpmd exited:\n" + "\n".join(logtail))
    finally:
        # testpmd prints its totals as it stops: read them off the pipe.
        p.send_signal(signal.SIGINT)
        try:
            p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
        status = p.returncode
        dpdk_runtime_cleanup(prefix)
    # Statistics without the line that names the engine would be a run
    # of an engine nobody checked.
    if rec["mode"] is None:
        raise RuntimeError(f"testpmd never said which engine it started ({mode!r} asked):\n"
                           + "\n".join(logtail))
    (t0, a), (t1, b) = start, end
    dt = t1 - t0
    rec["setup_s"] = None
    rec["window_s"] = dt
    d0 = delta(a[0], b[0], ("RX-packets", "RX-bytes", "RX-missed", "RX-errors", "RX-nombuf"))
    d1 = delta(a[1], b[1], ("TX-packets", "TX-bytes", "TX-errors"))
    rec["in"] = rate_block(d0["RX-packets"], d0["RX-bytes"], dt)
    size = d0["RX-bytes"] / d0["RX-packets"] if d0["RX-packets"] else 0
    # net_null counts no bytes: every engine sends frames as long as it got.
    rec["out"] = rate_block(d1["TX-packets"], d1["TX-bytes"] or round(d1["TX-packets"] * size), dt)
    rec["drops"] = {"ports": nonzero({"eth0.rx_missed": d0["RX-missed"],
                                      "eth0.rx_errors": d0["RX-errors"],
                                      "eth0.rx_nombuf": d0["RX-nombuf"],
                                      "eth1.tx_errors": d1["TX-errors"]}),
                    "unsent": max(0, d0["RX-packets"] - d1["TX-packets"])}
    rec["latency"] = None
    rec["series"] = {"out_mpps": [(s1[1][1]["TX-packets"] - s0[1][1]["TX-packets"])
                                  / (s1[0] - s0[0]) / 1e6
                                  for s0, s1 in zip(snaps, snaps[1:])
                                  if t0 <= s0[0] and s1[0] <= t1]}
    if status not in (0, None):
        rec["exit"] = status
    return rec
