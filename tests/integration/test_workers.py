#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Two workers: what one receives, the queue manager the other owns sends.

slicepathd runs two workers, lcores 1 and 2 (lcore 2 shares CPU 0 with
the control plane: the machine may have two CPUs).  Ports go to the
workers in turn: eth0, the output, to the first, which owns the queue
manager; eth1, the input, to the second, which hands every packet it
forwards to the first through the queue manager's ring.  eth1 replays a
pcap from memory (net_pcap infinite_rx), far above what eth0, paced at
RATE_BPS, sends; eth0 writes a pcap.  (Each worker needs a tx queue of
its own on every port, so each port has two; only the owner's is used.)

Once the traffic has run, the input binding is removed, so that the node
drains and its counters stand still.  Then, from what the node sent
(tshark) and its counters:

- every frame out goes to the peer, from the output binding, unchanged
  in length, and there are as many as the output binding counted;
- the input binding counts what arrived and the output binding what left,
  neither the other's (a handed-off packet carries its counter slot);
- the default queue took and sent what the output binding counted, holds
  nothing, and tail-dropped (the input is far above the rate);
- the latency histogram counts every packet sent, within the time a
  full queue takes to drain at the rate (a handed-off packet carries its
  rx time; a stale one would read as seconds or ages).

Then the handoff ring's isolation: the second worker hands over slice A's
flood and, among it, a trickle of slice B's packets (1 in 1024); the first
is kept busy by slice C's flood on a port of its own (eth2), so it drains
the ring more slowly than the second fills it.  A packet in the ring counts
against its slice's buffer reservation, so A is refused at its own
reservation and B, far below its own, loses nothing: every B packet that
arrived is sent.  (With one ring shared first come, first served, A kept it
full and B lost most of its packets.)  The ring is still one FIFO: a B
packet waits behind as many of A's as A's reservation allows, and B's
reservation (1024: a tenth of a second of its packets here) covers that.

usage: test_workers.py SLICEPATHD PCAPGEN
"""

import os
import sys
import time

import sptest

IN_IP = "192.0.2.1"             # eth1
OUT_IP = "198.51.100.1"         # eth0
PEER = ("198.51.100.2", 7000)
IN_PORT, OUT_PORT = 5000, 6000
GW_MAC = "02:00:00:00:00:fe"
RATE_BPS = 50_000_000
SIZE = 100
RUN_S = 2.0
LCORES = "0@0,1@1,2@0"


def slice_stats(d):
    return d.request("GET", "/v1/slices/w/stats")[2]


def binding(s, i):
    return next(b for b in s["bindings"] if b["id"] == i)


def settled(d, timeout=10.0):
    """The slice's and the node's counters once two readings 0.2 s apart
    agree; None if they never do."""
    deadline = time.monotonic() + timeout
    prev = None
    while time.monotonic() < deadline:
        cur = (slice_stats(d), d.request("GET", "/v1/stats")[2])
        if prev is not None and cur[0] == prev[0] and \
                cur[1]["latency"] == prev[1]["latency"]:
            return cur
        prev = cur
        time.sleep(0.2)
    return None


def isolation(c, slicepathd, pcapgen):
    """Slice A floods the handoff ring; slice B, beside it, loses nothing."""
    own_ip = "192.0.2.3"        # eth2, the first worker's flood of slice C
    with sptest.tempdir() as tmp:
        mixed, flood = os.path.join(tmp, "mixed.pcap"), os.path.join(tmp, "flood.pcap")
        sptest.pcapgen(pcapgen, mixed,
                       [f"dst={IN_IP},dport={IN_PORT},size={SIZE},count=1023",
                        f"dst={IN_IP},dport={IN_PORT + 1},size={SIZE},count=1"])
        sptest.pcapgen(pcapgen, flood, [f"dst={own_ip},dport={IN_PORT},size={SIZE},count=64"])
        cfg = sptest.node_config(tmp, sptest.free_port(), [
            sptest.iface("eth0", "net_null0", OUT_IP, gw=GW_MAC),
            sptest.iface("eth1", "net_pcap1", IN_IP),
            sptest.iface("eth2", "net_pcap2", own_ip)], workers=(1, 2))
        unused = [os.path.join(tmp, f"unused{i}.pcap") for i in range(4)]
        d = sptest.Daemon(slicepathd, tmp, cfg, [
            "net_null0",
            f"net_pcap1,rx_pcap={mixed},infinite_rx=1,"
            f"tx_pcap={unused[0]},tx_pcap={unused[1]}",
            f"net_pcap2,rx_pcap={flood},infinite_rx=1,"
            f"tx_pcap={unused[2]},tx_pcap={unused[3]}"], lcores=LCORES)
        slices = {"a": ("eth1", IN_PORT, 1024), "b": ("eth1", IN_PORT + 1, 1024),
                  "c": ("eth2", IN_PORT, 1024)}
        with d:
            for i, (name, (iface, udp_port, buffers)) in enumerate(slices.items()):
                st, _, body = d.request("POST", "/v1/slices", {
                    "name": name, "code_option": "passthrough",
                    "reservation": {"buffers": buffers, "bandwidth": {
                        iface: {"in_bps": 4_000_000_000, "out_bps": 0},
                        "eth0": {"in_bps": 0, "out_bps": 1_000_000_000}}}})
                c.equal(st, 201, f"isolation: create slice {name} ({body})")
                st, _, body = d.request("PUT", f"/v1/slices/{name}/config", {
                    "bindings": [
                        {"id": 0, "interface": iface, "udp_port": udp_port,
                         "default_action": {"forward": {
                             "binding": 1, "peer": f"{PEER[0]}:{PEER[1]}"}}},
                        {"id": 1, "interface": "eth0", "udp_port": OUT_PORT + i}]})
                c.equal(st, 200, f"isolation: PUT {name}'s config ({body})")
            time.sleep(RUN_S)
            running = {n: d.request("GET", f"/v1/slices/{n}/stats")[2] for n in slices}
            for name in slices:
                st, _, body = d.request("DELETE", f"/v1/slices/{name}/bindings/0")
                c.equal(st, 204, f"isolation: remove {name}'s input binding ({body})")
            deadline, prev, b = time.monotonic() + 10, None, None
            while time.monotonic() < deadline:
                cur = d.request("GET", "/v1/slices/b/stats")[2]
                if cur == prev:
                    b = cur
                    break
                prev = cur
                time.sleep(0.2)
            c.check(b is not None, "isolation: B's counters stand still once the input is gone")
            c.equal(d.stop(), 0, "isolation: slicepathd exits 0 on SIGTERM")
    if b is None:
        return
    a_drops = running["a"]["drops"]
    c.check(a_drops["queue_full"] > 0,
            f"isolation: A flooded past its reservation and was refused: {a_drops}")
    c.check(binding(running["c"], 0)["rx_packets"] > 0,
            f"isolation: the first worker had C's flood: {binding(running['c'], 0)}")
    came = binding(running["b"], 0)["rx_packets"]
    c.check(came > 0, f"isolation: B's packets arrived: {came}")
    c.equal({k: v for k, v in b["drops"].items() if v}, {}, "isolation: B dropped nothing")
    c.check(binding(b, 1)["tx_packets"] >= came,
            f"isolation: every B packet that arrived was sent: "
            f"{binding(b, 1)['tx_packets']} of at least {came}")


def main():
    slicepathd, pcapgen = sys.argv[1:3]
    c = sptest.Checks()
    with sptest.tempdir() as tmp:
        inp, out = os.path.join(tmp, "in.pcap"), os.path.join(tmp, "out.pcap")
        sptest.pcapgen(pcapgen, inp, [f"dst={IN_IP},dport={IN_PORT},size={SIZE},count=64"])
        cfg = sptest.node_config(tmp, sptest.free_port(), [
            sptest.iface("eth0", "net_pcap0", OUT_IP, rate_bps=RATE_BPS, gw=GW_MAC),
            sptest.iface("eth1", "net_pcap1", IN_IP)], workers=(1, 2))
        unused = [os.path.join(tmp, f"unused{i}.pcap") for i in range(3)]
        d = sptest.Daemon(slicepathd, tmp, cfg, [
            f"net_pcap0,tx_pcap={out},tx_pcap={unused[0]}",
            f"net_pcap1,rx_pcap={inp},infinite_rx=1,"
            f"tx_pcap={unused[1]},tx_pcap={unused[2]}"], lcores=LCORES)
        with d:
            st, _, body = d.request("POST", "/v1/slices", {
                "name": "w", "code_option": "passthrough",
                "reservation": {"buffers": 1024, "bandwidth": {
                    "eth1": {"in_bps": 1_000_000_000, "out_bps": 0},
                    "eth0": {"in_bps": 0, "out_bps": RATE_BPS}}}})
            c.equal(st, 201, f"create slice ({body})")
            st, _, body = d.request("PUT", "/v1/slices/w/config", {
                "bindings": [
                    {"id": 0, "interface": "eth1", "udp_port": IN_PORT,
                     "default_action": {"forward": {"binding": 1,
                                                    "peer": f"{PEER[0]}:{PEER[1]}"}}},
                    {"id": 1, "interface": "eth0", "udp_port": OUT_PORT}]})
            c.equal(st, 200, f"PUT config ({body})")
            time.sleep(RUN_S)
            running = slice_stats(d)
            st, _, body = d.request("DELETE", "/v1/slices/w/bindings/0")
            c.equal(st, 204, f"remove the input binding ({body})")
            got = settled(d)
            c.check(got is not None, "the counters stand still once the input is gone")
            c.equal(d.stop(), 0, "slicepathd exits 0 on SIGTERM")
        if got is None:
            c.finish()
        s, node = got

        rows = sptest.tshark(out, ["ip.src", "ip.dst", "udp.srcport", "udp.dstport",
                                   "frame.len"])
        want = {"ip.src": OUT_IP, "ip.dst": PEER[0], "udp.srcport": str(OUT_PORT),
                "udp.dstport": str(PEER[1]), "frame.len": str(SIZE)}
        bad = [r for r in rows if any(r[k] != v for k, v in want.items())]
        c.check(rows and not bad, f"{len(rows)} frames out, all {want}; not: {bad[:3]}")

        # The input binding's counters went with it: they are read from
        # while the traffic ran.
        b_in, b_out = binding(running, 0), binding(s, 1)
        c.check(b_in["rx_packets"] > 0 and b_in["tx_packets"] == 0,
                f"the input binding counts what arrived only: {b_in}")
        c.check(all(b["id"] == 1 for b in s["bindings"]),
                f"the input binding is gone: {s['bindings']}")
        c.check(b_out["tx_packets"] > 0 and b_out["rx_packets"] == 0,
                f"the output binding counts what left only: {b_out}")
        c.equal(b_out["tx_packets"], len(rows), "frames in the pcap = output binding's tx")
        c.equal(b_out["tx_bytes"], SIZE * len(rows), "output binding's tx bytes")
        q = b_out["default_queue"]
        c.equal((q["enqueued"], q["dequeued"], q["length_packets"]),
                (b_out["tx_packets"], b_out["tx_packets"], 0),
                f"the default queue took and sent what left, and holds nothing: {q}")
        # The input runs far above the rate, so the slice holds its whole
        # buffer reservation: the second worker is refused at the handoff
        # (packets in the ring count against it too) or the queue
        # tail-drops, and queue_full counts both.  What it sends beyond
        # its in_bps is policed.
        drops = s["drops"]
        c.check(drops["queue_full"] > 0 and drops["queue_full"] >= q["dropped"],
                f"refused at the reservation, and queue_full counts it: {q}, {drops}")
        c.equal({k: v for k, v in drops.items() if v and k not in ("queue_full", "policed")},
                {}, "no other slice drop")

        lat = node["latency"]
        counts, bounds = lat["counts"], lat["bucket_ns"]
        c.equal(sum(counts), b_out["tx_packets"], "the latency histogram counts every packet")
        # A full queue (1024 packets by default) drains in about 20 ms at
        # the rate; allow for the machine taking a worker off its CPU.
        worst = max((bounds[i] for i, n in enumerate(counts) if n), default=0)
        c.check(0 < worst <= 1_000_000_000,
                f"latency within a second: the slowest bucket's bound is {worst} ns")
    isolation(c, slicepathd, pcapgen)
    c.finish()


if __name__ == "__main__":
    main()
