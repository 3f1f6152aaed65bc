#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""A slice's packets cross the node, checked by tshark.

slicepathd runs in a network namespace of the test's own, its port a
net_pcap device that reads one end of a veth pair and writes an output
pcap.  The test creates slices and bindings over REST, then sends a pcap
made by tools/pcapgen into the other end of the veth, so every packet
arrives after the configuration it is meant to meet.  tshark decodes what
the node sent; the counters must account for every packet sent.

usage: test_forward.py SLICEPATHD PCAPGEN
Needs root (network namespaces); otherwise it reports itself skipped (77).
"""

import os
import sys

import sptest

NODE_IP = "192.0.2.1"
PEER = ("198.51.100.2", 7000)
OUT_PORT = 6000
GW_MAC = "02:00:00:00:00:fe"

# (pcapgen flow, what must happen to it)
FLOWS = [
    ("dport=5000,count=40,size=100", "fwd"),           # r1 binding 0 -> peer
    ("dport=5000,count=6,size=50", "fwd"),             # padded to 60
    ("kind=ipopts,dport=5000,count=4,size=120", "fwd"),
    ("dport=5000,count=3,size=1514", "fwd"),
    ("dport=5002,count=10", "dropped"),                # r2: drop action
    ("dport=5003,count=7", "no_route"),                # r2: no default action
    ("dport=5004,count=5", "exception"),               # r2: exception action
    ("dport=5999,count=9", "no_binding"),
    ("dst=192.0.2.9,dport=5000,count=3", "no_binding"),  # not the node's address
    ("kind=tcp,dport=5000,count=5", "not_udp"),
    ("kind=icmp,count=2", "not_udp"),
    ("kind=arp,count=3", "not_ipv4"),
    ("kind=ipv6,count=2", "not_ipv4"),
    ("kind=truncated,dport=5000,count=4", "truncated"),
    ("kind=runt,count=2", "truncated"),
    ("kind=badcsum,dport=5000,count=3", "malformed"),
    ("kind=badudplen,dport=5000,count=2", "malformed"),
    ("kind=fragment,dport=5000,count=3", "fragment"),
]


def marker(payload):
    """(flow index, sequence) from pcapgen's payload marker."""
    return payload[2], int.from_bytes(payload[4:8], "big")


def inside(slicepathd, pcapgen):
    c = sptest.Checks()
    sptest.setup_veth()
    with sptest.tempdir() as tmp:
        out = os.path.join(tmp, "out.pcap")
        # pcapgen's default destination is NODE_IP.
        frames = sptest.pcapgen(pcapgen, os.path.join(tmp, "in.pcap"),
                                [spec for spec, _ in FLOWS])

        port = sptest.free_port()
        cfg = sptest.node_config(tmp, port, [sptest.iface("eth0", "net_pcap0", NODE_IP,
                                                          gw=GW_MAC)])
        d = sptest.Daemon(slicepathd, tmp, cfg,
                          [f"net_pcap0,rx_iface_in=vnode,tx_pcap={out}"])
        with d:
            req = d.request
            st, _, r1 = req("POST", "/v1/slices", {"name": "r1", "code_option": "passthrough",
                                                   "reservation": {"buffers": 512, "bandwidth": {"eth0": {"in_bps": 1_000_000_000, "out_bps": 1_000_000_000}}}})
            c.equal(st, 201, "create r1")
            st, _, _ = req("POST", "/v1/slices", {
                "name": "r2", "code_option": "passthrough",
                "reservation": {"bandwidth": {"eth0": {"in_bps": 1_000_000_000}}}})
            c.equal(st, 201, "create r2")
            # The slice owner configures r1 with its own token.
            tok = r1["token"]
            c.equal(req("POST", "/v1/slices/r1/bindings",
                        {"id": 1, "interface": "eth0", "udp_port": OUT_PORT},
                        token=tok)[0], 201, "r1 binding 1")
            c.equal(req("POST", "/v1/slices/r1/bindings",
                        {"id": 0, "interface": "eth0", "udp_port": 5000,
                         "default_action": {"forward": {"binding": 1,
                                                        "peer": f"{PEER[0]}:{PEER[1]}"}}},
                        token=tok)[0], 201, "r1 binding 0")
            for bid, udp, act in ((0, 5002, {"drop": {}}), (1, 5003, None),
                                  (2, 5004, {"exception": {}})):
                body = {"id": bid, "interface": "eth0", "udp_port": udp}
                if act:
                    body["default_action"] = act
                c.equal(req("POST", "/v1/slices/r2/bindings", body)[0], 201,
                        f"r2 binding {bid}")

            _, _, node = req("GET", "/v1/node")
            node_mac = node["interfaces"][0]["mac"]
            sptest.send_frames(frames)
            sptest.wait_for(lambda: req("GET", "/v1/stats")[2]["ports"][0]["rx_packets"]
                            >= len(frames))
            _, _, stats = req("GET", "/v1/stats")
            _, _, s1 = req("GET", "/v1/slices/r1/stats", token=tok)
            _, _, s2 = req("GET", "/v1/slices/r2/stats")

            # Changes apply to the next packet: without r1's binding 0 its
            # traffic has no binding any more.
            c.equal(req("DELETE", "/v1/slices/r1/bindings/0", token=tok)[0], 204,
                    "remove r1 binding 0")
            sptest.send_frames(frames[:1])
            sptest.wait_for(lambda: req("GET", "/v1/stats")[2]["drops"]["no_binding"]
                            > stats["drops"]["no_binding"])
            _, _, after = req("GET", "/v1/stats")
            c.equal(after["drops"]["no_binding"], stats["drops"]["no_binding"] + 1,
                    "a packet to a removed binding counts as no_binding")
            c.equal(d.stop(), 0, "slicepathd exits 0 on SIGTERM")

        expect = {}
        for spec, what in FLOWS:
            expect[what] = expect.get(what, 0) + sptest.flow_count(spec)

        port0 = stats["ports"][0]
        c.equal(port0["rx_packets"], len(frames), "port rx = frames sent")
        for reason in ("not_ipv4", "not_udp", "truncated", "malformed", "fragment",
                       "no_binding"):
            c.equal(stats["drops"][reason], expect.get(reason, 0), f"node drops {reason}")
        for reason in ("dropped", "no_route", "exception"):
            c.equal(s2["drops"][reason], expect[reason], f"r2 drops {reason}")
        c.equal(sum(s1["drops"].values()), 0, "r1 dropped nothing")

        # Input frames to the forwarded binding, by their payload marker.
        sent = {}
        sent_bytes = 0
        for fr in frames:
            if sptest.is_udp4(fr):
                p = sptest.udp_payload(fr)
                if len(p) >= 8 and FLOWS[p[2]][1] == "fwd":
                    sent[marker(p)] = p
                    sent_bytes += len(fr)
        c.equal(len(sent), expect["fwd"], "forwardable frames generated")

        b0 = next(b for b in s1["bindings"] if b["id"] == 0)
        b1 = next(b for b in s1["bindings"] if b["id"] == 1)
        c.equal(b0["rx_packets"], expect["fwd"], "r1 binding 0 rx_packets")
        c.equal(b0["rx_bytes"], sent_bytes, "r1 binding 0 rx_bytes = bytes of its frames")
        c.equal(b1["tx_packets"], expect["fwd"], "r1 binding 1 tx_packets")
        # Every forwarded packet's time through the node is in the histogram,
        # and none took a second.
        lat = stats["latency"]
        c.equal(sum(lat["counts"]), expect["fwd"], "latency samples = packets sent")
        slow = sum(n for ns, n in zip(lat["bucket_ns"], lat["counts"]) if ns > 10**9)
        c.equal(slow, 0, "no packet took a second through the node")
        c.check(all(a < b for a, b in zip(lat["bucket_ns"], lat["bucket_ns"][1:])),
                "latency bucket bounds rise")

        rows = sptest.tshark(out, ["frame.len", "eth.src", "eth.dst", "ip.src", "ip.dst",
                                   "ip.ttl", "ip.len", "ip.hdr_len", "ip.checksum.status",
                                   "udp.srcport", "udp.dstport", "udp.length",
                                   "udp.checksum.status"])
        outs = sptest.read_pcap(out)
        c.equal(len(rows), expect["fwd"], "frames out = frames to a bound port")
        c.equal(b1["tx_bytes"], sum(len(f) for f in outs), "tx_bytes = bytes in the pcap")
        seen = set()
        for row, fr in zip(rows, outs):
            p = sptest.udp_payload(fr)
            key = marker(p)
            seen.add(key)
            want = sent.get(key)
            ok = (want == p and row["eth.src"] == node_mac and row["eth.dst"] == GW_MAC
                  and row["ip.src"] == NODE_IP and row["ip.dst"] == PEER[0]
                  and row["ip.hdr_len"] == "20" and row["ip.ttl"] == "64"
                  and int(row["ip.len"]) == 28 + len(p)
                  and int(row["udp.length"]) == 8 + len(p)
                  and int(row["frame.len"]) == 42 + len(p)
                  and row["udp.srcport"] == str(OUT_PORT)
                  and row["udp.dstport"] == str(PEER[1])
                  and row["ip.checksum.status"] == "1"
                  and row["udp.checksum.status"] == "1")
            c.check(ok, f"output frame {key}: {row}")
        c.equal(len(seen), expect["fwd"], "every forwardable frame came out once")
        in_order = []
        for fr in frames:
            if sptest.is_udp4(fr):
                p = sptest.udp_payload(fr)
                if len(p) >= 8 and marker(p) in sent:
                    in_order.append(marker(p))
        c.equal([marker(sptest.udp_payload(f)) for f in outs], in_order,
                "frames leave in the order they arrived")
    c.finish()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sptest.netns_main(inside)
