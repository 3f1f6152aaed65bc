#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Self-test of ovs.py, the private Open vSwitch the end-to-end tests use.

In a network namespace of its own the test starts an Ovs, makes bridge br0
with two veth-backed ports (p1 as OpenFlow port 1, p2 as port 2), and sends
Ethernet/IPv4/UDP frames with a raw socket into h1, p1's peer, capturing on
h2, p2's peer:
  - with no flows nothing crosses (fail_mode=secure);
  - a flow by hand for udp to 192.0.2.1:5000 from port 1 to port 2 carries
    such frames, byte for byte, and only those; dump_flows shows it with its
    cookie and counters;
  - del_flows removes it and the frames stop;
  - restart_vswitchd() clears the flows and keeps bridge and ports;
  - set_controller("ptcp:PORT:127.0.0.1") makes the switch listen: a TCP
    client gets an OpenFlow 1.3 HELLO for its HELLO, and is seen connected;
    set_controller("tcp:127.0.0.1:PORT") makes it connect out to a listener;
  - stop() leaves none of the processes it started (checked by pid).
slicepathd is not run; the argument is there like the other tests'.

usage: test_ovs_harness.py SLICEPATHD
Needs root (a network namespace) and Open vSwitch; otherwise it reports
itself skipped (77) with the reason.
"""

import os
import socket
import struct
import sys
import time

import ovs
import sptest

NODE_IP = "192.0.2.1"
NODE_PORT = 5000
SRC_IP = "198.51.100.2"
COOKIE = 0x5E1CE00000000001
FLOW = (f"cookie={COOKIE:#x},priority=100,in_port=1,udp,nw_dst={NODE_IP},"
        f"tp_dst={NODE_PORT},actions=output:2")
HELLO13 = bytes.fromhex("0400000800000001")
QUIET = 1.0             # seconds to wait for a frame that must not come


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp_frame(tag, dst=NODE_IP, dport=NODE_PORT, size=60):
    """An Ethernet/IPv4/UDP frame of 'size' bytes (without FCS) with good
    checksums; its payload starts with 'tag'."""
    payload = tag + bytes(max(0, size - 42 - len(tag)))
    src_ip, dst_ip = socket.inet_aton(SRC_IP), socket.inet_aton(dst)
    udp = struct.pack("!HHHH", 7000, dport, 8 + len(payload), 0) + payload
    pseudo = src_ip + dst_ip + struct.pack("!BBH", 0, 17, len(udp))
    udp = udp[:6] + struct.pack("!H", csum(pseudo + udp) or 0xFFFF) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     src_ip, dst_ip)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return (bytes.fromhex("020000000001") + bytes.fromhex("020000000002") + b"\x08\x00"
            + ip + udp)


class Capture:
    """A raw AF_PACKET socket on a device, for frames carrying a tag."""

    def __init__(self, dev):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
        self.sock.bind((dev, 0))

    def drain(self):
        self.sock.setblocking(False)
        try:
            while True:
                self.sock.recv(65535)
        except BlockingIOError:
            pass
        self.sock.setblocking(True)

    def wait(self, tag, timeout):
        """The first frame with 'tag' in it, or None after 'timeout' s."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                fr = self.sock.recv(65535)
            except socket.timeout:
                return None
            if tag in fr:
                return fr

    def close(self):
        self.sock.close()


def send(cap, tag, expect=True, **kw):
    frame = udp_frame(tag, **kw)
    sptest.send_frames([frame], dev="h1")
    return frame, cap.wait(tag, 5 if expect else QUIET)


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def connect_retry(port, timeout=20):
    """A TCP connection to 127.0.0.1:port, retried until the switch listens."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def inside(slicepathd):
    c = sptest.Checks()
    t_start = time.monotonic()
    times = {}
    sptest.setup_veth("h1", "p1")
    sptest.setup_veth("h2", "p2")
    cap = Capture("h2")

    t = time.monotonic()
    sw = ovs.Ovs()
    with sw:
        times["start"] = time.monotonic() - t
        first = {d: sw.read_pidfile(d) for d in ovs.DAEMONS}
        c.check(all(first.values()), f"both daemons wrote pidfiles: {first}")
        c.equal(sorted(p for _, p in sw.started), sorted(first.values()),
                "pidfiles name the processes started")
        c.check(sw.env["OVS_RUNDIR"] == sw.dir and os.environ.get("OVS_RUNDIR") != sw.dir,
                "OVS_RUNDIR set for the commands, not in os.environ")

        t = time.monotonic()
        sw.add_bridge("br0", dpid=0x5E1CE)
        c.equal(sw.add_port("br0", "p1", 1), 1, "p1 is OpenFlow port 1")
        c.equal(sw.add_port("br0", "p2", 2), 2, "p2 is OpenFlow port 2")
        times["bridge+ports"] = time.monotonic() - t
        c.check(os.path.exists(sw.mgmt("br0")), "br0.mgmt in the private run dir")
        show = sw.ofctl("show", "br0")
        c.check("dpid:000000000005e1ce" in show, "datapath ID as asked")
        c.check("OF1.3" in show, "bridge speaks OpenFlow 1.3")
        c.equal(sw.vsctl("get", "Bridge", "br0", "fail_mode", wait=False).strip(),
                "secure", "fail_mode")
        c.equal(sw.dump_flows("br0"), [], "a new bridge has no flows")

        # No flows: a secure bridge forwards nothing.
        c.check(send(cap, b"noflow-1", expect=False)[1] is None,
                "nothing crosses without flows")

        sw.add_flow("br0", FLOW)
        flows = sw.dump_flows("br0", cookie=COOKIE)
        c.equal(len(flows), 1, "dump_flows by cookie finds the flow")
        if flows:
            f = flows[0]
            c.equal(f["cookie"], COOKIE, "flow cookie")
            c.equal(f["priority"], 100, "flow priority")
            c.equal(f["match"], {"udp": None, "in_port": "1", "nw_dst": NODE_IP,
                                 "tp_dst": str(NODE_PORT)}, "flow match")
            c.equal(f["actions"], "output:2", "flow actions")
            c.equal(f["n_packets"], 0, "no packets yet")
        c.equal(sw.dump_flows("br0", cookie=COOKIE + 1), [], "another cookie: no flows")
        c.equal(len(sw.dump_flows("br0", cookie=0, mask=0)), 1, "cookie mask 0: all flows")

        t = time.monotonic()
        sent, got = send(cap, b"flow-small")
        times["first frame"] = time.monotonic() - t
        c.check(got is not None, "a 60-byte frame to the flow crosses p1 -> p2")
        c.equal(got, sent, "it arrives unchanged")
        sent, got = send(cap, b"flow-full", size=1514)
        c.equal(got, sent, "a 1514-byte frame crosses unchanged")
        sent, got = send(cap, b"runt", size=50)
        c.equal(got, sent, "a 50-byte frame crosses unchanged (no padding)")
        c.check(send(cap, b"other-port", dport=NODE_PORT + 1, expect=False)[1] is None,
                "another UDP port does not cross")
        c.check(send(cap, b"other-dst", dst="192.0.2.9", expect=False)[1] is None,
                "another destination does not cross")
        flows = sw.dump_flows("br0", cookie=COOKIE)
        c.equal([f["n_packets"] for f in flows], [3], "the flow counted 3 packets")
        c.equal([f["n_bytes"] for f in flows], [60 + 1514 + 50], "and their bytes")
        stats = sw.port_stats("br0")
        c.equal(stats.get(2, {}).get("tx_pkts"), 3, "port 2 sent 3 packets")
        c.check(stats.get(1, {}).get("rx_pkts", 0) >= 5, f"port 1 received 5: {stats.get(1)}")

        # Without the flow the frames stop.
        sw.del_flows("br0", f"cookie={COOKIE:#x}/-1")
        c.equal(sw.dump_flows("br0"), [], "del_flows by cookie removes the flow")
        c.check(send(cap, b"deleted", expect=False)[1] is None,
                "nothing crosses once the flow is deleted")

        # A switch restart loses the flows, keeps bridge and ports.
        sw.add_flow("br0", FLOW)
        sw.add_flow("br0", "cookie=0x2,priority=1,actions=drop")
        c.equal(len(sw.dump_flows("br0")), 2, "two flows before the restart")
        c.equal(len(sw.dump_flows("br0", spec="udp")), 1, "dump_flows with a spec")
        sw.del_flows("br0", "cookie=0x2/-1")
        old = sw.read_pidfile("ovs-vswitchd")
        t = time.monotonic()
        sw.restart_vswitchd()
        times["restart_vswitchd"] = time.monotonic() - t
        new = sw.read_pidfile("ovs-vswitchd")
        c.check(new and new != old and not ovs._alive(old),
                f"ovs-vswitchd replaced: {old} -> {new}")
        c.equal(sw.dump_flows("br0"), [], "restart_vswitchd clears the flows")
        c.equal((sw.ofport("p1"), sw.ofport("p2")), (1, 2), "ports kept their numbers")
        c.check(send(cap, b"restarted", expect=False)[1] is None,
                "nothing crosses after the restart")
        # As a controller would: the flow appears, wait_flows() sees it and
        # flushes the datapath's cache (the "restarted" frame left a drop there).
        sw.add_flow("br0", FLOW, sync=False)
        c.equal(len(sw.wait_flows("br0", cookie=COOKIE)), 1, "wait_flows sees the flow")
        sent, got = send(cap, b"after-restart")
        c.equal(got, sent, "a new flow forwards again after the restart")

        # Passive controller target: the switch listens, a client connects.
        port = sptest.free_port()
        sw.set_controller("br0", f"ptcp:{port}:127.0.0.1")
        c.equal([x["target"] for x in sw.controllers("br0")], [f"ptcp:{port}:127.0.0.1"],
                "controllers() lists the target")
        c.check(not sw.controller_connected("br0"), "no client yet")
        t = time.monotonic()
        try:
            conn = connect_retry(port)
        except OSError as e:
            c.check(False, f"TCP connect to the switch's ptcp port: {e}")
            conn = None
        times["ptcp listen"] = time.monotonic() - t
        if conn:
            with conn:
                c.check(True, "TCP connect to the switch's ptcp port")
                conn.sendall(HELLO13)
                head = recv_exact(conn, 8)
                c.equal(len(head), 8, "8 bytes of reply")
                if len(head) == 8:
                    version, kind, length, _ = struct.unpack("!BBHI", head)
                    c.equal((version, kind), (4, 0), "an OpenFlow 1.3 HELLO back")
                    rest = recv_exact(conn, length - 8) if length > 8 else b""
                    c.equal(len(rest), length - 8, "the HELLO's elements")
                t = time.monotonic()
                sw.wait_controller("br0", True)
                times["ptcp seen connected"] = time.monotonic() - t
                c.check(sw.passive_clients(port) == 1, "one passive client")
            sw.wait_controller("br0", False)
            c.check(True, "client gone after close")

        # Active controller target: the switch connects out.
        lport = sptest.free_port()
        with socket.socket() as lsn:
            lsn.bind(("127.0.0.1", lport))
            lsn.listen(1)
            lsn.settimeout(20)
            t = time.monotonic()
            sw.set_controller("br0", f"tcp:127.0.0.1:{lport}")
            try:
                conn, _ = lsn.accept()
            except socket.timeout:
                conn = None
            c.check(conn is not None, "the switch connects to a tcp: controller")
            if conn:
                with conn:
                    conn.settimeout(10)
                    head = recv_exact(conn, 8)
                    c.equal(head[:2], b"\x04\x00", "the switch says HELLO (OF1.3)")
                    recv_exact(conn, struct.unpack("!H", head[2:4])[0] - 8)
                    conn.sendall(HELLO13)
                    sw.wait_controller("br0", True)
                    times["tcp seen connected"] = time.monotonic() - t
                    ctl = sw.controllers("br0")
                    c.check(ctl and ctl[0]["is_connected"]
                            and ctl[0]["status"].get("state") == "ACTIVE",
                            f"is_connected and state ACTIVE: {ctl}")
                t = time.monotonic()
                sw.wait_controller("br0", False)
                times["tcp seen disconnected"] = time.monotonic() - t
                c.check(True, "seen disconnected after close")
        sw.del_controller("br0")
        c.equal(sw.controllers("br0"), [], "del_controller")

        t = time.monotonic()
        sw.stop()
        times["stop"] = time.monotonic() - t
        sw.stop()       # a second stop does nothing
    cap.close()

    started = sw.started
    c.equal(len(started), 3, "three daemons started (one a restart)")
    c.equal([(d, p) for d, p in started if ovs._alive(p)], [], "none left running")
    c.check(all(ovs._alive(p) is False for p in first.values()),
            "processes named by the first pidfiles are gone")
    c.check(not os.path.exists(sw.dir), "temporary directory removed")
    stray = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if sw.dir.encode() in f.read():
                        stray.append(int(pid))
            except OSError:
                pass
    c.equal(stray, [], "no process uses the harness's directory")
    times["total"] = time.monotonic() - t_start
    print("timing (s): " + ", ".join(f"{k} {v:.2f}" for k, v in times.items()), flush=True)
    c.finish()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] != "--inside":
        why = ovs.missing()
        if why:
            print(f"SKIP: {why}")
            sys.exit(sptest.SKIP)
    sptest.netns_main(inside)
