#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Changes under load lose nothing and are seen whole, in order.

An ipv4 slice gets its configuration replaced (PUT .../config) many times,
with filters and routes added and removed between, while overlay traffic
streams through it.  Version v of the configuration sends everything to
peer port 8000 + v: through a filter among 200 others when v is odd,
through a route when v is even.  Afterwards:
- every packet is accounted for: port rx = binding rx = binding tx =
  frames in the output pcap, and no drop of any reason;
- no packet met a half-built table: every output went to the port of a
  version that was published whole, with a valid decremented TTL;
- the one worker never went back to an older table: the versions in the
  output are non-decreasing, and several of them carried traffic.

usage: test_churn.py SLICEPATHD PCAPGEN   (root; else skipped, exit 77)
"""

import os
import sys
import threading
import time

import sptest

NODE_IP = "192.0.2.1"
PEER = "198.51.100.9"
PACKETS = 24000
CHUNK = 400
BASE_PORT = 8000


def config(v):
    """Version v: 200 filters that match nothing sent, and one way to the
    peer port 8000 + v."""
    fwd = {"binding": 1, "peer": f"{PEER}:{BASE_PORT + v}"}
    doc = {
        "bindings": [{"id": 0, "interface": "eth0", "udp_port": 5000},
                     {"id": 1, "interface": "eth0", "udp_port": 6000}],
        "filters": [{"id": 10 + i, "priority": 100 + i,
                     "match": {"dst": f"10.200.{i}.0/24", "protocol": 17},
                     "action": {"drop": {}}} for i in range(200)],
        "routes": [],
    }
    if v % 2:
        doc["filters"].append({"id": 1, "priority": 1, "match": {"dst": "10.0.0.0/8"},
                               "action": {"forward": fwd}})
    else:
        doc["routes"].append({"id": 1, "prefix": "10.0.0.0/8", **fwd})
    return doc


def inside(slicepathd, pcapgen):
    c = sptest.Checks()
    sptest.setup_veth()
    with sptest.tempdir() as tmp:
        out = os.path.join(tmp, "out.pcap")
        frames = sptest.pcapgen(pcapgen, os.path.join(tmp, "in.pcap"), [
            f"kind=overlay,dst={NODE_IP},dport=5000,size=96,count={PACKETS},"
            "inner_dst=10.1.0.0/16,inner_sport=1-60000"])
        cfg = sptest.node_config(tmp, sptest.free_port(),
                                 [sptest.iface("eth0", "net_pcap0", NODE_IP)])
        d = sptest.Daemon(slicepathd, tmp, cfg,
                          [f"net_pcap0,rx_iface_in=vnode,tx_pcap={out}"])
        with d:
            st, _, _ = d.request("POST", "/v1/slices", {
                "name": "churn", "code_option": "ipv4", "reservation": {"filters": 256, "buffers": 2048,
                                                      "bandwidth": {"eth0": {"in_bps": 1_000_000_000, "out_bps": 1_000_000_000}}}})
            c.equal(st, 201, "create the slice")
            c.equal(d.request("PUT", "/v1/slices/churn/config", config(0))[0], 200,
                    "PUT version 0")

            def send():
                for i in range(0, len(frames), CHUNK):
                    sptest.send_frames(frames[i:i + CHUNK])
                    time.sleep(0.01)

            sender = threading.Thread(target=send)
            sender.start()
            v, refused = 0, 0
            while sender.is_alive():
                v += 1
                refused += d.request("PUT", "/v1/slices/churn/config", config(v))[0] != 200
                # The single-object actions publish through the same path.
                extra = {"id": 5, "priority": 50, "match": {"dst": "10.201.0.0/16"},
                         "action": {"drop": {}}}
                refused += d.request("POST", "/v1/slices/churn/filters", extra)[0] != 201
                refused += d.request("DELETE", "/v1/slices/churn/filters/5")[0] != 204
            sender.join()
            c.equal(refused, 0, "every change was accepted")
            c.check(v >= 5, f"configuration replaced {v} times during the traffic")
            sptest.wait_for(lambda: d.request("GET", "/v1/stats")[2]["ports"][0]
                            ["rx_packets"] >= len(frames))
            _, _, node = d.request("GET", "/v1/stats")
            _, _, stats = d.request("GET", "/v1/slices/churn/stats")
            c.equal(d.stop(), 0, "slicepathd exits 0")

        b = {x["id"]: x for x in stats["bindings"]}
        c.equal(node["ports"][0]["rx_packets"], PACKETS, "port rx")
        c.equal(sum(node["drops"].values()), 0, "no node drops")
        c.equal(sum(stats["drops"].values()), 0, f"no slice drops: {stats['drops']}")
        c.equal(b[0]["rx_packets"], PACKETS, "binding 0 rx")
        c.equal(b[1]["tx_packets"], PACKETS, "binding 1 tx = rx: nothing lost")

        outs = sptest.read_pcap(out)
        c.equal(len(outs), PACKETS, "frames in the output pcap")
        versions, bad = [], 0
        for fr in outs:
            p = sptest.udp_payload(fr)
            port = int.from_bytes(fr[36:38], "big")
            versions.append(port - BASE_PORT)
            if not (0 <= port - BASE_PORT <= v and p[8] == 63):
                bad += 1
        c.equal(bad, 0, "outputs with a port of no published version, or a wrong TTL")
        c.check(all(a <= b for a, b in zip(versions, versions[1:])),
                "versions never go backwards")
        seen = len(set(versions))
        c.check(seen >= 3, f"{seen} versions carried traffic")
        print(f"{v} versions published, {seen} carried traffic", flush=True)
    c.finish()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sptest.netns_main(inside)
