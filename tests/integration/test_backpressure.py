#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""A port that takes only part of what it is offered.

eth0, the output, is a net_ring device: DPDK makes it one ring of 1024
slots per queue pair, so what the node sends on it comes back as its
input (and is dropped there: it is addressed to the peer, not the node).
The worker empties that ring by at most a vector (512 packets) a round.
Two inputs, eth1 and eth2, replay a pcap from memory (net_pcap
infinite_rx), so they offer up to twice that: the ring fills, and the
port takes bursts in part, or not at all.  eth0's rate is far above what
one worker forwards, so it is the port, not the scheduler, that holds the
packets back.

Once the traffic has run, the input bindings are removed so that the
counters stand still.  Then, with the queue manager (part 1) and without
it (part 2, "queue_manager": false, DPDK's tx buffers):

- the output binding counts as sent exactly what the port took (its
  ethdev counter), and exactly the bytes of those frames: every frame is
  SIZE bytes, so a packet counted twice, or a held packet's bytes counted
  before it left, shows;
- what came in is what left plus what was dropped for want of room: the
  queue's tail drops (part 1) or the slice's tx_full (part 2), and there
  were some;
- with the queue manager, the latency histogram counts every packet sent.

usage: test_backpressure.py SLICEPATHD PCAPGEN
"""

import os
import sys
import time

import sptest

OUT_IP = "198.51.100.1"         # eth0
IN_IPS = ("192.0.2.1", "192.0.2.2")     # eth1, eth2
PEER = ("198.51.100.2", 7000)
LINE_BPS = 100_000_000_000
IN_PORT, OUT_PORT = 5000, 6000
SIZE = 100
RUN_S = 2.0


def slice_stats(d):
    return d.request("GET", "/v1/slices/b/stats")[2]


def binding(s, i):
    return next(b for b in s["bindings"] if b["id"] == i)


def port(node, name):
    return next(p for p in node["ports"] if p.get("interface") == name)


def settled(d, timeout=10.0):
    """The slice's and the node's counters once two readings 0.2 s apart
    agree on the slice and eth0; None if they never do."""
    deadline = time.monotonic() + timeout
    prev = None
    while time.monotonic() < deadline:
        node = d.request("GET", "/v1/stats")[2]
        cur = (slice_stats(d), node, port(node, "eth0"))
        if prev is not None and cur[0] == prev[0] and cur[2] == prev[2] and \
                cur[1]["latency"] == prev[1]["latency"]:
            return cur
        prev = cur
        time.sleep(0.2)
    return None


def run(c, slicepathd, inp, queue_manager):
    what = "queue manager" if queue_manager else "tx buffers"
    with sptest.tempdir() as tmp:
        extra = {} if queue_manager else {"queue_manager": False}
        # Rates no worker reaches (125 Mpps of 100-byte frames), so that
        # neither the meters nor the scheduler hold anything back, however
        # fast the build: only the port does.
        cfg = sptest.node_config(tmp, sptest.free_port(), [
            sptest.iface("eth0", "net_ring0", OUT_IP, rate_bps=LINE_BPS),
            sptest.iface("eth1", "net_pcap1", IN_IPS[0], rate_bps=LINE_BPS),
            sptest.iface("eth2", "net_pcap2", IN_IPS[1], rate_bps=LINE_BPS)], **extra)
        unused = [os.path.join(tmp, f"unused{i}.pcap") for i in range(2)]
        d = sptest.Daemon(slicepathd, tmp, cfg, [
            "net_ring0",
            f"net_pcap1,rx_pcap={inp[0]},infinite_rx=1,tx_pcap={unused[0]}",
            f"net_pcap2,rx_pcap={inp[1]},infinite_rx=1,tx_pcap={unused[1]}"])
        with d:
            fwd = {"forward": {"binding": 1, "peer": f"{PEER[0]}:{PEER[1]}"}}
            st, _, body = d.request("POST", "/v1/slices", {
                "name": "b", "code_option": "passthrough",
                "reservation": {"buffers": 2048, "bandwidth": {
                    "eth1": {"in_bps": LINE_BPS, "out_bps": 0},
                    "eth2": {"in_bps": LINE_BPS, "out_bps": 0},
                    "eth0": {"in_bps": 0, "out_bps": LINE_BPS}}}})
            c.equal(st, 201, f"{what}: create slice ({body})")
            st, _, body = d.request("PUT", "/v1/slices/b/config", {
                "bindings": [
                    {"id": 0, "interface": "eth1", "udp_port": IN_PORT,
                     "default_action": fwd},
                    {"id": 1, "interface": "eth0", "udp_port": OUT_PORT},
                    {"id": 2, "interface": "eth2", "udp_port": IN_PORT,
                     "default_action": fwd}]})
            c.equal(st, 200, f"{what}: PUT config ({body})")
            time.sleep(RUN_S)
            running = slice_stats(d)
            for b in (0, 2):
                st, _, body = d.request("DELETE", f"/v1/slices/b/bindings/{b}")
                c.equal(st, 204, f"{what}: remove input binding {b} ({body})")
            got = settled(d)
            c.check(got is not None, f"{what}: the counters stand still once the input is gone")
            c.equal(d.stop(), 0, f"{what}: slicepathd exits 0 on SIGTERM")
    if got is None:
        return
    s, node, eth0 = got
    out = binding(s, 1)
    # The inputs' counters went with their bindings: read while it ran,
    # they are a floor for what came in.
    came = sum(binding(running, b)["rx_packets"] for b in (0, 2))

    c.check(out["tx_packets"] > 0, f"{what}: something was sent: {out}")
    c.equal(out["tx_packets"], eth0["tx_packets"],
            f"{what}: the output binding's tx = what the port took")
    c.equal(out["tx_bytes"], SIZE * out["tx_packets"],
            f"{what}: the output binding's tx bytes = {SIZE} a frame")
    c.equal(eth0["rx_packets"], eth0["tx_packets"],
            f"{what}: all the port took came back round its ring")
    drops = s["drops"]
    if queue_manager:
        q = out["default_queue"]
        c.check(q["dropped"] > 0, f"{what}: the port held packets back until the "
                f"queue was full: {q}")
        c.equal((q["dequeued"], q["length_packets"]), (out["tx_packets"], 0),
                f"{what}: the queue sent what left, and holds nothing: {q}")
        c.check(q["enqueued"] + q["dropped"] >= came,
                f"{what}: what came in ({came}) was sent or tail-dropped: {q}")
        c.equal(drops["queue_full"], q["dropped"], f"{what}: queue_full is the tail drops")
        lat = node["latency"]
        c.equal(sum(lat["counts"]), out["tx_packets"],
                f"{what}: the latency histogram counts every packet sent")
    else:
        c.check(drops["tx_full"] > 0, f"{what}: the port refused packets: {drops}")
        c.check(out["tx_packets"] + drops["tx_full"] >= came,
                f"{what}: what came in ({came}) was sent or counted tx_full: "
                f"{out}, {drops}")
    c.equal({k: v for k, v in drops.items()
             if v and k not in ("queue_full", "tx_full")},
            {}, f"{what}: no other slice drop")


def main():
    slicepathd, pcapgen = sys.argv[1:3]
    c = sptest.Checks()
    with sptest.tempdir() as tmp:
        inp = [os.path.join(tmp, f"in{i}.pcap") for i in range(2)]
        for i, ip in enumerate(IN_IPS):
            sptest.pcapgen(pcapgen, inp[i],
                           [f"dst={ip},dport={IN_PORT},size={SIZE},count=64"])
        run(c, slicepathd, inp, queue_manager=True)
        run(c, slicepathd, inp, queue_manager=False)
    c.finish()


if __name__ == "__main__":
    main()
