#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""The node steers its slices' traffic through a real Open vSwitch.

In a network namespace of its own the test starts a userspace Open vSwitch
(tests/integration/ovs.py: netdev datapath, fail_mode secure, OpenFlow 1.3)
with bridge br0:

    source --veth-- port 1 (uplink)  br0  port 2 --veth-- slicepathd eth0

eth0 is a net_pcap port reading the veth (rx_iface_in) and writing what
the node sends to out.pcap.  The switch listens (ptcp) and the node
connects to it ("switch": "tcp:127.0.0.1:PORT").

1. Flows follow the slices: bindings become flows (cookie, priority,
   match, output port checked with ovs-ofctl dump-flows), removing a
   binding or a slice removes its flows, GET /v1/node shows the
   connection.
2. End to end: frames to a bound port cross the switch, reach the node and
   come out of it (out.pcap); frames to an unbound port never reach the
   node, nor do frames to a binding whose flow is gone.
3. ovs-vswitchd restarts (losing every flow): the node reconnects and the
   flows come back.
4. A stale flow added by hand in the node's cookie space goes at the next
   reconnect; a flow outside it stays.
5. A "switch" that sends garbage is disconnected, the node retries, and it
   keeps serving the API and forwarding meanwhile.

usage: test_openflow.py SLICEPATHD
Without root, a network namespace or Open vSwitch it reports itself
skipped (77).
"""

import os
import socket
import struct
import sys
import threading
import time
import traceback

import ovs
import sptest

NODE_IP = "192.0.2.1"
NODE_MAC = "02:00:00:00:00:01"
SRC_MAC = "02:00:00:00:00:99"
GW_MAC = "02:00:00:00:00:fe"
UPLINK, NODE_PORT = 1, 2
COOKIE_MASK = 0xffff000000000000


def of_cookie(name):
    """The node's cookie for slice 'name' (control/openflow.c)."""
    h = 0xcbf29ce484222325
    for b in name.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return 0x5370000000000000 | (h & ~COOKIE_MASK & 0xffffffffffffffff)


def udp_frame(dport, payload=b"SP-openflow-test"):
    """An Ethernet/IPv4/UDP frame to NODE_IP:dport with correct checksums."""
    src, dst = socket.inet_aton("10.0.0.1"), socket.inet_aton(NODE_IP)
    udp_len = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 1, 0, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    pseudo = src + dst + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", 4000, dport, udp_len, 0) + payload
    csum = checksum(pseudo + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", csum) + udp[8:]
    eth = bytes.fromhex(NODE_MAC.replace(":", "")) + bytes.fromhex(SRC_MAC.replace(":", ""))
    return eth + b"\x08\x00" + ip + udp


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def node_flows(sw):
    return sw.dump_flows("br0", cookie=0x5370000000000000, mask=COOKIE_MASK)


def flow_keys(flows):
    return sorted((f["cookie"], f["priority"], f["match"].get("tp_dst"), f["actions"])
                  for f in flows)


def wait_keys(c, sw, want, what, timeout=20):
    """Waits until the node's flows are exactly 'want' (flow_keys form)."""
    deadline = time.monotonic() + timeout
    while True:
        got = flow_keys(node_flows(sw))
        if got == sorted(want) or time.monotonic() > deadline:
            c.equal(got, sorted(want), what)
            sw.flush_datapath()
            return
        time.sleep(0.2)


def binding_flow(name, port):
    return (of_cookie(name), 1000, str(port), f"output:{NODE_PORT}")


def node_rx(d):
    return d.request("GET", "/v1/stats")[2]["ports"][0]["rx_packets"]


def wait_state(d, want, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        of = d.request("GET", "/v1/node")[2]["openflow"]
        if of["state"] == want:
            return of
        time.sleep(0.1)
    return d.request("GET", "/v1/node")[2]["openflow"]


def part_switch(c, slicepathd, tmp):
    sptest.setup_veth("up1", "up0")
    sptest.setup_veth("nd1", "nd0")
    out = os.path.join(tmp, "out.pcap")
    with ovs.Ovs() as sw:
        sw.add_bridge("br0")
        sw.add_port("br0", "up0", ofport=UPLINK)
        sw.add_port("br0", "nd0", ofport=NODE_PORT)
        of_port = sptest.free_port()
        sw.set_controller("br0", f"ptcp:{of_port}:127.0.0.1")

        port = sptest.free_port()
        cfg = sptest.node_config(tmp, port, [sptest.iface("eth0", "net_pcap0", NODE_IP,
                                                          gw=GW_MAC)],
                                 openflow={"switch": f"tcp:127.0.0.1:{of_port}",
                                           "node_port": NODE_PORT, "uplink_port": UPLINK})
        d = sptest.Daemon(slicepathd, tmp, cfg,
                          [f"net_pcap0,rx_iface_in=nd1,tx_pcap={out}"])
        with d:
            of = wait_state(d, "connected")
            c.equal(of["state"], "connected", f"GET /v1/node: openflow connected ({of})")
            c.equal((of["node_port"], of["uplink_port"]), (NODE_PORT, UPLINK), "ports shown")
            c.equal(flow_keys(node_flows(sw)), [], "no flows before any binding")

            res = {"buffers": 256, "bandwidth": {"eth0": {"in_bps": 1_000_000_000,
                                                          "out_bps": 1_000_000_000}}}
            for name in ("alpha", "beta"):
                st, _, body = d.request("POST", "/v1/slices", {
                    "name": name, "code_option": "passthrough", "reservation": res})
                c.equal(st, 201, f"create {name}: {body}")
            fwd = {"forward": {"binding": 1, "peer": "198.51.100.2:7000"}}
            st, _, body = d.request("PUT", "/v1/slices/alpha/config", {"bindings": [
                {"id": 0, "interface": "eth0", "udp_port": 5000, "default_action": fwd},
                {"id": 1, "interface": "eth0", "udp_port": 5001}]})
            c.equal(st, 200, f"alpha's bindings: {body}")
            st, _, body = d.request("POST", "/v1/slices/beta/bindings",
                                    {"id": 0, "interface": "eth0", "udp_port": 6000})
            c.equal(st, 201, f"beta's binding: {body}")
            want = [binding_flow("alpha", 5000), binding_flow("alpha", 5001),
                    binding_flow("beta", 6000)]
            wait_keys(c, sw, want, "one flow per binding, cookie per slice")
            flows = node_flows(sw)
            for f in flows:
                m = f["match"]
                c.equal((m.get("in_port"), m.get("nw_dst"), "udp" in m),
                        (str(UPLINK), NODE_IP, True), f"match of {f['raw']}")
            c.equal(wait_state(d, "connected")["flows"], 3, "GET /v1/node: 3 flows")

            # End to end: through the switch to the node and out of it.
            rx0 = node_rx(d)
            sptest.send_frames([udp_frame(5000, b"SP-e2e-%03d" % i) for i in range(20)],
                               dev="up1")
            sptest.wait_for(lambda: node_rx(d) >= rx0 + 20, timeout=10)
            c.equal(node_rx(d) - rx0, 20, "20 frames to a bound port reached the node")
            st = d.request("GET", "/v1/slices/alpha/stats")[2]
            c.equal(st["bindings"][0]["rx_packets"], 20, "binding 0 received them")
            sptest.wait_for(lambda: d.request("GET", "/v1/slices/alpha/stats")[2]
                            ["bindings"][1]["tx_packets"] >= 20, timeout=10)
            rx1 = node_rx(d)
            sptest.send_frames([udp_frame(5999) for _ in range(10)], dev="up1")
            time.sleep(1.0)
            c.equal(node_rx(d), rx1, "frames to an unbound port never reach the node")

            # Removing a binding, then a slice, removes their flows.
            st, _, _ = d.request("DELETE", "/v1/slices/beta/bindings/0")
            c.equal(st, 204, "delete beta's binding")
            wait_keys(c, sw, want[:2], "beta's flow gone with its binding")
            st, _, _ = d.request("PUT", "/v1/slices/beta/config", {"bindings": [
                {"id": 3, "interface": "eth0", "udp_port": 6003}]})
            wait_keys(c, sw, want[:2] + [binding_flow("beta", 6003)], "beta's new binding")
            st, _, _ = d.request("DELETE", "/v1/slices/beta")
            c.equal(st, 204, "delete beta")
            wait_keys(c, sw, want[:2], "beta's flows gone with the slice")
            rx2 = node_rx(d)
            sptest.send_frames([udp_frame(6003) for _ in range(10)], dev="up1")
            time.sleep(1.0)
            c.equal(node_rx(d), rx2, "frames to a deleted slice's port stop at the switch")

            # The switch restarts and forgets every flow: they come back.
            connects = wait_state(d, "connected")["connects"]
            sw.restart_vswitchd()
            wait_keys(c, sw, want[:2], "flows back after ovs-vswitchd restarted")
            of = wait_state(d, "connected")
            c.check(of["connects"] > connects, f"the node reconnected ({of})")
            rx3 = node_rx(d)
            sptest.send_frames([udp_frame(5001) for _ in range(5)], dev="up1")
            sptest.wait_for(lambda: node_rx(d) >= rx3 + 5, timeout=10)
            c.equal(node_rx(d) - rx3, 5, "traffic flows again after the restart")

            # A stale flow in the node's cookie space goes at the next
            # reconnect; someone else's flow stays.
            stale = of_cookie("gone")
            sw.add_flow("br0", f"cookie={stale:#x},priority=1000,in_port={UPLINK},udp,"
                        f"nw_dst={NODE_IP},tp_dst=7777,actions=output:{NODE_PORT}")
            sw.add_flow("br0", f"cookie=0x1234,priority=10,in_port={NODE_PORT},"
                        f"actions=drop")
            sw.set_controller("br0", f"ptcp:{of_port}:127.0.0.1", max_backoff_ms=1000)
            sw.del_controller("br0")
            sw.set_controller("br0", f"ptcp:{of_port}:127.0.0.1")
            wait_keys(c, sw, want[:2], "the stale flow with the node's cookie is removed")
            others = sw.dump_flows("br0", cookie=0x1234)
            c.equal(len(others), 1, "a flow outside the node's cookie space stays")
            c.equal(d.stop(), 0, "slicepathd exits 0 on SIGTERM")


def garbage_switch(port, stop, accepted):
    """A TCP server that answers every connection with bytes that are no
    OpenFlow message (a header claiming 4 bytes) and then closes."""
    with socket.socket() as srv:
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", port))
        srv.listen(4)
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except socket.timeout:
                continue
            with conn:
                accepted.append(time.monotonic())
                conn.settimeout(2)
                try:
                    conn.recv(64)
                    conn.sendall(b"\x04\x00\x00\x04garbage\xff" * 4)
                    conn.recv(64)
                except OSError:
                    pass


def part_garbage(c, slicepathd, tmp):
    """Needs no switch: a fake one that sends garbage."""
    sptest.setup_veth("gs1", "gs0")
    of_port = sptest.free_port()
    stop, accepted = threading.Event(), []
    t = threading.Thread(target=garbage_switch, args=(of_port, stop, accepted), daemon=True)
    t.start()
    out = os.path.join(tmp, "garbage-out.pcap")
    port = sptest.free_port()
    cfg = sptest.node_config(tmp, port, [sptest.iface("eth0", "net_pcap0", NODE_IP, gw=GW_MAC)],
                             openflow={"switch": f"tcp:127.0.0.1:{of_port}",
                                       "node_port": NODE_PORT, "uplink_port": UPLINK})
    cfg["state_dir"] = os.path.join(tmp, "garbage-state")
    d = sptest.Daemon(slicepathd, tmp, cfg, [f"net_pcap0,rx_iface_in=gs0,tx_pcap={out}"])
    try:
        with d:
            sptest.wait_for(lambda: len(accepted) >= 3, timeout=20)
            c.check(len(accepted) >= 3, f"the node retries after garbage ({len(accepted)})")
            of = d.request("GET", "/v1/node")[2]["openflow"]
            c.check(of["state"] != "connected", f"never connected to garbage ({of})")
            c.check("malformed" in of["last_error"] or "lost" in of["last_error"],
                    f"the reason is shown: {of['last_error']!r}")
            st, _, body = d.request("POST", "/v1/slices", {
                "name": "g", "code_option": "passthrough",
                "reservation": {"buffers": 64, "bandwidth": {"eth0": {"in_bps": 10**9}}}})
            c.equal(st, 201, f"the API serves meanwhile: {body}")
            st, _, _ = d.request("PUT", "/v1/slices/g/config", {"bindings": [
                {"id": 0, "interface": "eth0", "udp_port": 5000,
                 "default_action": {"forward": {"binding": 0, "peer": "198.51.100.2:7"}}}]})
            c.equal(st, 200, "configured meanwhile")
            sptest.send_frames([udp_frame(5000) for _ in range(10)], dev="gs1")
            sptest.wait_for(lambda: d.request("GET", "/v1/slices/g/stats")[2]
                            ["bindings"][0]["tx_packets"] >= 10, timeout=10)
            c.equal(d.request("GET", "/v1/slices/g/stats")[2]["bindings"][0]["tx_packets"],
                    10, "the dataplane forwards without a switch")
            c.equal(d.stop(), 0, "slicepathd exits 0 on SIGTERM")
    finally:
        stop.set()
        t.join(5)


def inside(slicepathd):
    c = sptest.Checks()
    why = ovs.missing()
    with sptest.tempdir() as tmp:
        try:
            part_garbage(c, slicepathd, tmp)
            if why is None:
                part_switch(c, slicepathd, tmp)
        except Exception:
            traceback.print_exc()
            c.check(False, "no exception")
    if why is not None and c.failed == 0:
        print(f"SKIP (the switch parts): {why}")
        sys.exit(sptest.SKIP)
    c.finish()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    sptest.netns_main(inside)
