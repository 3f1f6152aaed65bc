#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""The ipv4 code option routes a slice's overlay packets, checked by tshark.

slicepathd runs in a network namespace of the test's own on a veth pair (see
test_forward.py).  One ipv4 slice has filters (TCAM semantics: lower
priority wins), routes (longest prefix) and a default action; overlay
traffic made by pcapgen exercises each, plus inner packets the option must
refuse.  tshark decodes what the node sent, outer and inner (decode-as IPv4
on the peers' ports); the test checks the peer each packet went to, the
decremented inner TTL, every checksum, the per-filter hit counters and the
drops by reason.

usage: test_ipv4.py SLICEPATHD PCAPGEN   (root; else skipped, exit 77)
"""

import os
import sys

import sptest

NODE_IP = "192.0.2.1"
PEER_IP = "198.51.100.9"
OV = f"kind=overlay,dst={NODE_IP},dport=5000,size=120"

# (flow, where it must go: a peer port, or the slice drop reason)
FLOWS = [
    (f"{OV},count=8,inner_dst=10.1.2.0/30,inner_dport=53", 7001),      # filter 1
    (f"{OV},count=5,inner_dst=10.1.2.5,inner_dport=80", "dropped"),     # filter 2
    (f"{OV},count=2,inner_proto=tcp,inner_dst=10.1.2.2,inner_dport=53", "dropped"),
    (f"{OV},count=3,inner_src=10.66.0.1,inner_dst=10.1.2.1,inner_dport=53",
     "exception"),                                                      # filter 3
    (f"{OV},count=4,inner_dst=10.2.3.4", 7003),                         # route /24
    (f"{OV},count=2,inner_proto=icmp,inner_dst=10.2.3.9", 7003),
    (f"{OV},count=4,inner_dst=10.2.9.9", 7002),                         # route /16
    (f"{OV},count=6,inner_dst=10.9.0.1,inner_ttl=2", 7000),             # default
    (f"{OV},count=2,inner_dst=10.9.0.1,inner_ttl=1", "ttl_expired"),
    (f"{OV},count=1,inner_dst=10.9.0.1,inner_ttl=0", "ttl_expired"),
    (f"kind=inner_badcsum,dst={NODE_IP},dport=5000,count=2", "malformed"),
    (f"kind=inner_badver,dst={NODE_IP},dport=5000,count=1", "malformed"),
    (f"kind=inner_badlen,dst={NODE_IP},dport=5000,count=1", "malformed"),
    (f"kind=inner_short,dst={NODE_IP},dport=5000,count=1", "malformed"),
    (f"kind=inner_ihl,dst={NODE_IP},dport=5000,count=1", "malformed"),
]
HITS = {1: 8, 2: 7, 3: 3}

CONFIG = {
    "bindings": [
        {"id": 0, "interface": "eth0", "udp_port": 5000,
         "default_action": {"forward": {"binding": 1, "peer": f"{PEER_IP}:7000"}}},
        {"id": 1, "interface": "eth0", "udp_port": 6000},
    ],
    "filters": [
        {"id": 1, "priority": 10,
         "match": {"binding": 0, "dst": "10.1.2.0/24", "protocol": 17,
                   "dst_port": [53, 53]},
         "action": {"forward": {"binding": 1, "peer": f"{PEER_IP}:7001"}}},
        {"id": 2, "priority": 20, "match": {"dst": "10.1.0.0/16"},
         "action": {"drop": {}}},
        {"id": 3, "priority": 5, "match": {"src": "10.66.0.0/16"},
         "action": {"exception": {}}},
    ],
    "routes": [
        {"id": 0, "prefix": "10.2.0.0/16", "binding": 1, "peer": f"{PEER_IP}:7002"},
        {"id": 1, "prefix": "10.2.3.0/24", "binding": 1, "peer": f"{PEER_IP}:7003"},
    ],
}


def inner_cksum_ok(hdr):
    s = sum(int.from_bytes(hdr[i:i + 2], "big") for i in range(0, len(hdr), 2))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s == 0xFFFF


def inside(slicepathd, pcapgen):
    c = sptest.Checks()
    sptest.setup_veth()
    with sptest.tempdir() as tmp:
        out = os.path.join(tmp, "out.pcap")
        frames = sptest.pcapgen(pcapgen, os.path.join(tmp, "in.pcap"),
                                [f for f, _ in FLOWS])
        cfg = sptest.node_config(tmp, sptest.free_port(),
                                 [sptest.iface("eth0", "net_pcap0", NODE_IP)])
        d = sptest.Daemon(slicepathd, tmp, cfg,
                          [f"net_pcap0,rx_iface_in=vnode,tx_pcap={out}"])
        with d:
            st, _, sl = d.request("POST", "/v1/slices", {
                "name": "rt", "code_option": "ipv4", "reservation": {"filters": 8, "buffers": 1024,
                                                   "bandwidth": {"eth0": {"in_bps": 1_000_000_000, "out_bps": 1_000_000_000}}}})
            c.equal(st, 201, "create the ipv4 slice")
            tok = sl["token"]
            st, _, body = d.request("PUT", "/v1/slices/rt/config", CONFIG, token=tok)
            c.equal(st, 200, f"PUT config: {body}")
            sptest.send_frames(frames)
            sptest.wait_for(lambda: d.request("GET", "/v1/stats")[2]["ports"][0]
                            ["rx_packets"] >= len(frames))
            _, _, node = d.request("GET", "/v1/stats")
            _, _, stats = d.request("GET", "/v1/slices/rt/stats", token=tok)
            c.equal(d.stop(), 0, "slicepathd exits 0")

        expect_drops, expect_port = {}, {}
        for spec, where in FLOWS:
            n = sptest.flow_count(spec)
            if isinstance(where, int):
                expect_port[where] = expect_port.get(where, 0) + n
            else:
                expect_drops[where] = expect_drops.get(where, 0) + n
        forwarded = sum(expect_port.values())

        c.equal(node["ports"][0]["rx_packets"], len(frames), "frames received")
        c.equal(sum(node["drops"].values()), 0, "no node drops: all reach the slice")
        for reason in ("dropped", "exception", "ttl_expired", "malformed", "no_route"):
            c.equal(stats["drops"][reason], expect_drops.get(reason, 0),
                    f"slice drops {reason}")
        hits = {f["id"]: f["hits"] for f in stats["filters"]}
        c.equal(hits, HITS, "filter hits")
        b = {x["id"]: x for x in stats["bindings"]}
        c.equal(b[0]["rx_packets"], len(frames), "binding 0 rx")
        c.equal(b[1]["tx_packets"], forwarded, "binding 1 tx")

        # Input inner packets by their IPv4 ID (pcapgen: the global index).
        sent = {}
        for fr in frames:
            p = sptest.udp_payload(fr)
            if len(p) >= 20 and p[0] == 0x45:
                sent[int.from_bytes(p[4:6], "big")] = p
        outs = sptest.read_pcap(out)
        c.equal(len(outs), forwarded, "frames out")
        ports = ",".join(str(p) for p in sorted(expect_port))
        rows = sptest.tshark(out, ["ip.src", "ip.dst", "udp.srcport", "udp.dstport",
                                   "ip.checksum.status", "udp.checksum.status"],
                             extra=["-d", f"udp.port=={min(expect_port)}-"
                                          f"{max(expect_port)},ip"],
                             occurrence="a")
        got_port = {}
        for row, fr in zip(rows, outs):
            p = sptest.udp_payload(fr)
            want = sent.get(int.from_bytes(p[4:6], "big"))
            dport = int(row["udp.dstport"].split(",")[0])
            got_port[dport] = got_port.get(dport, 0) + 1
            ok = (want is not None and len(p) == len(want)
                  and p[8] == want[8] - 1                      # TTL
                  and p[:8] == want[:8] and p[9:10] == want[9:10]
                  and p[12:] == want[12:]                      # all but TTL, csum
                  and inner_cksum_ok(p[:20])
                  and row["ip.src"].split(",")[0] == NODE_IP
                  and row["ip.dst"].split(",")[0] == PEER_IP
                  and row["udp.srcport"].split(",")[0] == "6000"
                  and row["ip.checksum.status"] == "1,1"       # outer, inner
                  and row["udp.checksum.status"].split(",")[0] == "1")
            c.check(ok, f"forwarded packet {row} (ports {ports})")
        c.equal(got_port, expect_port, "packets per peer port")
    c.finish()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sptest.netns_main(inside)
