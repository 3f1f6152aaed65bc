#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Tests for tools/pcapgen.

Usage: test_pcapgen.py PATH-TO-PCAPGEN

Generates pcap files into a temporary directory and checks them twice: with
a small pcap reader here (raw bytes) and with tshark's dissectors. Prints
"N passed, M failed" as the last line and exits non-zero on any failure.
"""

import os
import shutil
import struct
import subprocess
import sys
import tempfile

PCAPGEN = None
PASSED = 0
FAILED = 0

TS_EPOCH = 1700000000
DEF_SRC_MAC = bytes.fromhex("020000000099")
DEF_DST_MAC = bytes.fromhex("020000000001")

KIND = {"udp": 1, "tcp": 2, "icmp": 3, "arp": 4, "ipv6": 5, "truncated": 6,
        "runt": 7, "badcsum": 8, "fragment": 9, "badudplen": 10, "ipopts": 11}

TSHARK_FIELDS = ["frame.len", "ip.src", "ip.dst", "udp.srcport",
                 "udp.dstport", "ip.len", "udp.length", "ip.checksum.status",
                 "udp.checksum.status", "tcp.checksum.status",
                 "icmp.checksum.status", "ipv6.src", "ipv6.dst"]

# Wireshark's PROTO_CHECKSUM_E_* values as printed by "-T fields".
CSUM_BAD = "0"
CSUM_GOOD = "1"


def check(name, cond, detail=""):
    """Records one assertion."""
    global PASSED, FAILED
    if cond:
        PASSED += 1
    else:
        FAILED += 1
        print("FAIL: %s%s" % (name, ": " + str(detail) if detail else ""))


def run(args):
    """Runs pcapgen with args; returns (returncode, stdout, stderr)."""
    p = subprocess.run([PCAPGEN] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def generate(path, args):
    """Runs pcapgen -o path args and checks it succeeded."""
    rc, _, err = run(["-o", path] + args)
    check("generate %s exits 0" % os.path.basename(path), rc == 0,
          "rc=%d stderr=%r" % (rc, err))
    check("generate %s is silent" % os.path.basename(path), err == "", err)
    return rc == 0


def read_pcap(path):
    """Returns (global header dict, [(ts_sec, ts_usec, orig_len, bytes)])."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic == 0xa1b2c3d4:
        end = "<"
    elif magic == 0xd4c3b2a1:
        end = ">"
    else:
        raise ValueError("not a microsecond pcap file: magic %#x" % magic)
    vmaj, vmin, _, _, snaplen, linktype = struct.unpack(end + "HHiIII",
                                                        data[4:24])
    hdr = {"version": (vmaj, vmin), "snaplen": snaplen, "linktype": linktype}
    pkts = []
    off = 24
    while off < len(data):
        sec, usec, caplen, olen = struct.unpack(end + "IIII",
                                                data[off:off + 16])
        off += 16
        pkts.append((sec, usec, olen, data[off:off + caplen]))
        off += caplen
    return hdr, pkts


def tshark(path):
    """Decodes path with tshark; returns one dict of TSHARK_FIELDS per frame."""
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "separator=,"]
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    cmd += ["-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
            "-o", "tcp.check_checksum:TRUE"]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         check=True, timeout=120).stdout.decode()
    rows = []
    for line in out.splitlines():
        rows.append(dict(zip(TSHARK_FIELDS, line.split(","))))
    return rows


def csum(data):
    """Returns the folded ones' complement sum of data (0xffff = verifies)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def ip4(s):
    """Returns the 4 bytes of dotted-quad s."""
    return bytes(int(x) for x in s.split("."))


def ip4_str(b):
    """Returns the dotted-quad form of 4 bytes."""
    return ".".join(str(x) for x in b)


def expected_payload(length, flow, kind, seq, gidx):
    """Returns the payload pcapgen documents for the given packet."""
    marker = b"SP" + bytes([flow, KIND[kind]]) + struct.pack("!II", seq, gidx)
    return bytes(marker[j] if j < 12 else (gidx + j) & 0xff
                 for j in range(length))


def parse_udp4(frame):
    """Splits an Ethernet/IPv4/UDP frame; returns a dict of its fields."""
    ip = frame[14:]
    ihl = (ip[0] & 0x0f) * 4
    tot, ident, frag = struct.unpack("!HHH", ip[2:8])
    udp = ip[ihl:]
    sport, dport, ulen, ucsum = struct.unpack("!HHHH", udp[:8])
    return {"ethertype": struct.unpack("!H", frame[12:14])[0], "ihl": ihl,
            "tot": tot, "id": ident, "frag": frag, "ttl": ip[8],
            "tos": ip[1], "proto": ip[9], "src": ip4_str(ip[12:16]),
            "dst": ip4_str(ip[16:20]), "hdr": ip[:ihl], "sport": sport,
            "dport": dport, "ulen": ulen, "ucsum": ucsum,
            "udp": udp[:tot - ihl], "payload": udp[8:tot - ihl]}


def marker_of(frame):
    """Returns (flow index, flow sequence) from an IPv4 UDP/TCP payload."""
    off = 14 + (frame[14] & 0x0f) * 4 + (20 if frame[23] == 6 else 8)
    return frame[off + 2], struct.unpack("!I", frame[off + 4:off + 8])[0]


def udp4_csum_ok(frame, ulen=None):
    """Verifies the UDP checksum of a frame's IPv4/UDP datagram."""
    p = parse_udp4(frame)
    length = p["ulen"] if ulen is None else ulen
    pseudo = ip4(p["src"]) + ip4(p["dst"]) + struct.pack("!BBH", 0, 17,
                                                         length)
    return csum(pseudo + p["udp"]) == 0xffff


def test_mixed(tmp, have_tshark):
    """One flow of every kind: raw layout, marker, checksums, tshark view."""
    path = os.path.join(tmp, "mixed.pcap")
    kinds = ["udp", "tcp", "icmp", "arp", "ipv6", "truncated", "runt",
             "badcsum", "fragment", "badudplen", "ipopts"]
    args = []
    for k in kinds:
        args += ["--flow", "kind=%s" % k]
    if not generate(path, args):
        return
    hdr, pkts = read_pcap(path)
    check("mixed: pcap version 2.4", hdr["version"] == (2, 4), hdr)
    check("mixed: linktype EN10MB", hdr["linktype"] == 1, hdr)
    check("mixed: snaplen 65535", hdr["snaplen"] == 65535, hdr)
    check("mixed: one packet per flow", len(pkts) == len(kinds), len(pkts))
    if len(pkts) != len(kinds):
        return
    for k, (sec, usec, olen, frame) in enumerate(pkts):
        kind = kinds[k]
        check("mixed: %s timestamp" % kind,
              (sec, usec) == (TS_EPOCH, k), (sec, usec))
        check("mixed: %s caplen == len" % kind, olen == len(frame),
              (olen, len(frame)))
        check("mixed: %s source MAC" % kind, frame[6:12] == DEF_SRC_MAC,
              frame[6:12].hex())
        want_dst = b"\xff" * 6 if kind == "arp" else DEF_DST_MAC
        check("mixed: %s destination MAC" % kind, frame[0:6] == want_dst,
              frame[0:6].hex())

    by = dict(zip(kinds, (p[3] for p in pkts)))

    for kind in ("udp", "badcsum", "fragment", "ipopts", "truncated",
                 "badudplen"):
        k = kinds.index(kind)
        p = parse_udp4(by[kind])
        check("%s: IPv4 ID is packet index" % kind, p["id"] == k, p["id"])
        check("%s: DF clear" % kind, not p["frag"] & 0x4000, hex(p["frag"]))
        check("%s: ttl/tos defaults" % kind, (p["ttl"], p["tos"]) == (64, 0),
              (p["ttl"], p["tos"]))
        check("%s: default addresses" % kind,
              (p["src"], p["dst"]) == ("10.0.0.1", "192.0.2.1"),
              (p["src"], p["dst"]))
        check("%s: default ports" % kind,
              (p["sport"], p["dport"]) == (1024, 5000),
              (p["sport"], p["dport"]))
        plen = len(p["payload"])
        check("%s: marker and pattern" % kind,
              p["payload"] == expected_payload(plen, k, kind, 0, k),
              p["payload"][:16].hex())

    p = parse_udp4(by["udp"])
    check("udp: 64-byte frame", len(by["udp"]) == 64, len(by["udp"]))
    check("udp: IPv4 checksum valid", csum(p["hdr"]) == 0xffff)
    check("udp: UDP checksum valid", udp4_csum_ok(by["udp"]))
    check("udp: lengths", (p["tot"], p["ulen"]) == (50, 30),
          (p["tot"], p["ulen"]))

    p = parse_udp4(by["badcsum"])
    check("badcsum: IPv4 checksum invalid", csum(p["hdr"]) != 0xffff)
    check("badcsum: UDP checksum valid", udp4_csum_ok(by["badcsum"]))

    p = parse_udp4(by["fragment"])
    check("fragment: MF set, offset 0", p["frag"] == 0x2000, hex(p["frag"]))
    check("fragment: IPv4 checksum valid", csum(p["hdr"]) == 0xffff)

    p = parse_udp4(by["ipopts"])
    check("ipopts: IHL 6", p["ihl"] == 24, p["ihl"])
    check("ipopts: options NOP NOP NOP EOL",
          p["hdr"][20:24] == b"\x01\x01\x01\x00", p["hdr"][20:24].hex())
    check("ipopts: IPv4 checksum valid", csum(p["hdr"]) == 0xffff)
    check("ipopts: UDP checksum valid", udp4_csum_ok(by["ipopts"]))
    check("ipopts: lengths", (p["tot"], p["ulen"]) == (50, 26),
          (p["tot"], p["ulen"]))

    frame = by["truncated"]
    p = parse_udp4(frame)
    check("truncated: frame is 64 bytes", len(frame) == 64, len(frame))
    check("truncated: IPv4 total length 40 more than carried",
          p["tot"] == len(frame) - 14 + 40, p["tot"])
    check("truncated: UDP length matches claimed IPv4 length",
          p["ulen"] == p["tot"] - 20, p["ulen"])
    check("truncated: IPv4 checksum valid", csum(p["hdr"]) == 0xffff)
    k = kinds.index("truncated")
    full = frame[34:] + expected_payload(p["ulen"] - 8, k, "truncated", 0,
                                         k)[len(frame) - 42:]
    pseudo = ip4(p["src"]) + ip4(p["dst"]) + struct.pack("!BBH", 0, 17,
                                                         p["ulen"])
    check("truncated: UDP checksum is that of the full packet",
          csum(pseudo + full) == 0xffff)

    frame = by["badudplen"]
    p = parse_udp4(frame)
    check("badudplen: UDP length exceeds IPv4 payload",
          p["ulen"] == p["tot"] - 20 + 16, (p["ulen"], p["tot"]))
    check("badudplen: IPv4 checksum valid", csum(p["hdr"]) == 0xffff)
    check("badudplen: UDP checksum over bytes present",
          udp4_csum_ok(frame))

    frame = by["runt"]
    check("runt: exactly 24 bytes", len(frame) == 24, len(frame))
    check("runt: EtherType IPv4", frame[12:14] == b"\x08\x00",
          frame[12:14].hex())
    check("runt: 10 bytes of an IPv4/UDP header",
          frame[14] == 0x45 and frame[23] == 17 and
          struct.unpack("!H", frame[16:18])[0] == 50, frame[14:].hex())

    frame = by["tcp"]
    check("tcp: 64-byte IPv4/TCP frame",
          len(frame) == 64 and frame[23] == 6, frame[:34].hex())
    tcp = frame[34:]
    pseudo = frame[26:34] + struct.pack("!BBH", 0, 6, len(tcp))
    check("tcp: TCP checksum valid", csum(pseudo + tcp) == 0xffff)
    check("tcp: flags PSH|ACK", tcp[13] == 0x18, hex(tcp[13]))
    k = kinds.index("tcp")
    check("tcp: marker and pattern",
          tcp[20:] == expected_payload(len(tcp) - 20, k, "tcp", 0, k),
          tcp[20:].hex())

    frame = by["icmp"]
    icmp = frame[34:]
    check("icmp: echo request", frame[23] == 1 and icmp[0] == 8 and
          icmp[1] == 0, frame[:36].hex())
    check("icmp: ICMP checksum valid", csum(icmp) == 0xffff)
    check("icmp: identifier is flow index",
          struct.unpack("!H", icmp[4:6])[0] == kinds.index("icmp"))

    frame = by["arp"]
    k = kinds.index("arp")
    check("arp: 64-byte frame (default size)", len(frame) == 64, len(frame))
    check("arp: EtherType ARP", frame[12:14] == b"\x08\x06")
    want = (struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + DEF_SRC_MAC +
            ip4("10.0.0.1") + b"\0" * 6 + ip4("192.0.2.1"))
    check("arp: request who-has dst tell src", frame[14:42] == want,
          frame[14:42].hex())
    check("arp: zero after the ARP body", frame[42:] == b"\0" * 22,
          frame[42:].hex())

    frame = by["ipv6"]
    k = kinds.index("ipv6")
    check("ipv6: EtherType IPv6", frame[12:14] == b"\x86\xdd")
    ip6 = frame[14:54]
    check("ipv6: fd00::1 -> fd00::2, next header UDP",
          ip6[8:24] == bytes.fromhex("fd000000000000000000000000000001") and
          ip6[24:40] == bytes.fromhex("fd000000000000000000000000000002") and
          ip6[6] == 17, ip6.hex())
    udp = frame[54:]
    pseudo = ip6[8:40] + struct.pack("!IxxxB", len(udp), 17)
    check("ipv6: UDP checksum valid", csum(pseudo + udp) == 0xffff)
    check("ipv6: marker", udp[8:] == expected_payload(len(udp) - 8, k,
                                                      "ipv6", 0, k))

    if not have_tshark:
        return
    rows = tshark(path)
    check("tshark mixed: frame count", len(rows) == len(kinds), len(rows))
    if len(rows) != len(kinds):
        return
    t = dict(zip(kinds, rows))
    for kind in ("udp", "ipopts"):
        check("tshark %s: IPv4 checksum good" % kind,
              t[kind]["ip.checksum.status"] == CSUM_GOOD, t[kind])
        check("tshark %s: UDP checksum good" % kind,
              t[kind]["udp.checksum.status"] == CSUM_GOOD, t[kind])
    check("tshark tcp: checksums good",
          t["tcp"]["ip.checksum.status"] == CSUM_GOOD and
          t["tcp"]["tcp.checksum.status"] == CSUM_GOOD, t["tcp"])
    check("tshark icmp: checksums good",
          t["icmp"]["ip.checksum.status"] == CSUM_GOOD and
          t["icmp"]["icmp.checksum.status"] == CSUM_GOOD, t["icmp"])
    check("tshark ipv6: addresses and UDP checksum good",
          (t["ipv6"]["ipv6.src"], t["ipv6"]["ipv6.dst"],
           t["ipv6"]["udp.checksum.status"]) == ("fd00::1", "fd00::2",
                                                 CSUM_GOOD), t["ipv6"])
    check("tshark badcsum: IPv4 checksum bad, UDP good",
          t["badcsum"]["ip.checksum.status"] == CSUM_BAD and
          t["badcsum"]["udp.checksum.status"] == CSUM_GOOD, t["badcsum"])
    check("tshark truncated: ip.len = frame.len - 14 + 40",
          int(t["truncated"]["ip.len"]) ==
          int(t["truncated"]["frame.len"]) - 14 + 40, t["truncated"])
    check("tshark runt: 24-byte frame claiming IPv4 length 50",
          (t["runt"]["frame.len"], t["runt"]["ip.len"]) == ("24", "50"),
          t["runt"])
    check("tshark badudplen: udp.length > ip.len - 20",
          int(t["badudplen"]["udp.length"]) >
          int(t["badudplen"]["ip.len"]) - 20, t["badudplen"])


def test_ranges(tmp, have_tshark):
    """Round-robin interleaving and range walking of ports and addresses."""
    path = os.path.join(tmp, "ranges.pcap")
    args = ["--flow", "count=5,src=10.1.0.0/30,dst=198.51.100.8/31,"
            "sport=100-102,dport=7000-7001",
            "--flow", "count=2,sport=9,dport=9,src=203.0.113.7",
            "--flow", "kind=tcp,count=3,dport=80-81",
            "--src-mac", "0a:0B:0c:0d:0e:0f", "--dst-mac", "02:00:00:00:00:02"]
    if not generate(path, args):
        return
    _, pkts = read_pcap(path)
    want = [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1), (0, 2), (2, 2),
            (0, 3), (0, 4)]
    got = [marker_of(p[3]) for p in pkts]
    check("ranges: round-robin order (flow, seq)", got == want, got)
    check("ranges: timestamps 1 us apart",
          [(p[0], p[1]) for p in pkts] ==
          [(TS_EPOCH, k) for k in range(len(pkts))])
    check("ranges: MACs from --src-mac/--dst-mac",
          all(p[3][6:12] == bytes.fromhex("0a0b0c0d0e0f") and
              p[3][0:6] == bytes.fromhex("020000000002") for p in pkts))
    f0 = [parse_udp4(p[3]) for p, (f, _) in zip(pkts, got) if f == 0]
    check("ranges: src walks the /30",
          [p["src"] for p in f0] ==
          ["10.1.0.0", "10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.0"],
          [p["src"] for p in f0])
    check("ranges: dst walks the /31",
          [p["dst"] for p in f0] == ["198.51.100.8", "198.51.100.9"] * 2 +
          ["198.51.100.8"], [p["dst"] for p in f0])
    check("ranges: sport walks 100-102",
          [p["sport"] for p in f0] == [100, 101, 102, 100, 101],
          [p["sport"] for p in f0])
    check("ranges: dport walks 7000-7001",
          [p["dport"] for p in f0] == [7000, 7001, 7000, 7001, 7000],
          [p["dport"] for p in f0])
    f2 = [p[3] for p, (f, _) in zip(pkts, got) if f == 2]
    check("ranges: tcp dport walks 80-81",
          [struct.unpack("!H", fr[36:38])[0] for fr in f2] == [80, 81, 80])
    check("ranges: every IPv4 ID is the packet index",
          [struct.unpack("!H", p[3][18:20])[0] for p in pkts] ==
          list(range(len(pkts))))

    if not have_tshark:
        return
    rows = tshark(path)
    udp = [r for r in rows if r["udp.srcport"]]
    check("tshark ranges: udp rows", len(udp) == 7, len(udp))
    check("tshark ranges: udp (src, dst, sport, dport) in order",
          [(r["ip.src"], r["ip.dst"], r["udp.srcport"], r["udp.dstport"])
           for r in udp] ==
          [("10.1.0.0", "198.51.100.8", "100", "7000"),
           ("203.0.113.7", "192.0.2.1", "9", "9"),
           ("10.1.0.1", "198.51.100.9", "101", "7001"),
           ("203.0.113.7", "192.0.2.1", "9", "9"),
           ("10.1.0.2", "198.51.100.8", "102", "7000"),
           ("10.1.0.3", "198.51.100.9", "100", "7001"),
           ("10.1.0.0", "198.51.100.8", "101", "7000")],
          [(r["ip.src"], r["ip.dst"], r["udp.srcport"], r["udp.dstport"])
           for r in udp])
    check("tshark ranges: all checksums good",
          all(r["ip.checksum.status"] == CSUM_GOOD for r in rows) and
          all(r["udp.checksum.status"] == CSUM_GOOD for r in udp), rows)


def test_sizes(tmp, have_tshark):
    """Frame lengths, length fields and zero padding to 60 bytes."""
    path = os.path.join(tmp, "sizes.pcap")
    # (kind, size, headers before the payload, IPv4 header length)
    cases = [("udp", 42, 42, 20), ("udp", 43, 42, 20), ("udp", 50, 42, 20),
             ("udp", 59, 42, 20), ("udp", 60, 42, 20), ("udp", 61, 42, 20),
             ("udp", 1500, 42, 20), ("udp", 9000, 42, 20),
             ("ipopts", 46, 46, 24), ("tcp", 54, 54, 20), ("icmp", 42, 42, 20),
             ("ipv6", 62, 62, 0), ("badcsum", 50, 42, 20),
             ("fragment", 44, 42, 20), ("badudplen", 42, 42, 20),
             ("truncated", 42, 42, 20), ("arp", 42, 42, 0),
             ("arp", 100, 42, 0)]
    args = []
    for kind, size, _, _ in cases:
        args += ["--flow", "kind=%s,size=%d" % (kind, size)]
    if not generate(path, args):
        return
    _, pkts = read_pcap(path)
    check("sizes: packet count", len(pkts) == len(cases), len(pkts))
    if len(pkts) != len(cases):
        return
    for k, ((kind, size, hdrs, ihl), pkt) in enumerate(zip(cases, pkts)):
        frame = pkt[3]
        name = "sizes: %s size=%d" % (kind, size)
        check(name + " frame length", len(frame) == max(size, 60),
              len(frame))
        if kind == "truncated":
            check(name + " no zero padding, pattern fills the frame",
                  frame[42:] == expected_payload(len(frame) - 42, k, kind, 0,
                                                 k)[:len(frame) - 42],
                  frame[42:].hex())
            continue
        check(name + " padding is zero", frame[size:] == b"\0" * (60 - size)
              if size < 60 else True, frame[size:].hex())
        if kind == "arp":
            check(name + " zero after the ARP body",
                  frame[42:] == b"\0" * (len(frame) - 42), frame[42:].hex())
            continue
        if ihl:
            tot = struct.unpack("!H", frame[16:18])[0]
            check(name + " IPv4 total length excludes padding",
                  tot == size - 14, tot)
        if kind in ("udp", "ipopts", "badcsum", "fragment"):
            ulen = struct.unpack("!H", frame[14 + ihl + 4:14 + ihl + 6])[0]
            check(name + " UDP length", ulen == size - 14 - ihl, ulen)
            check(name + " UDP checksum valid", udp4_csum_ok(frame))
        if kind in ("udp", "ipopts", "tcp", "icmp", "ipv6"):
            pay = frame[hdrs:size]
            check(name + " payload (truncated marker)",
                  pay == expected_payload(size - hdrs, k, kind, 0, k),
                  pay.hex())

    if not have_tshark:
        return
    rows = tshark(path)
    check("tshark sizes: frame count", len(rows) == len(cases), len(rows))
    for (kind, size, _, _), r in zip(cases, rows):
        name = "tshark sizes: %s size=%d" % (kind, size)
        check(name + " frame.len", r["frame.len"] == str(max(size, 60)), r)
        if kind == "udp":
            check(name + " ip.len/udp.length",
                  (r["ip.len"], r["udp.length"]) ==
                  (str(size - 14), str(size - 34)), r)
            check(name + " checksums good",
                  r["ip.checksum.status"] == CSUM_GOOD and
                  r["udp.checksum.status"] == CSUM_GOOD, r)


def test_determinism(tmp):
    """Same arguments give byte-identical files; --seed does not matter."""
    args = ["--flow", "count=50,src=10.0.0.0/28,dport=1-7,size=333",
            "--flow", "kind=tcp,count=20", "--flow", "kind=ipv6,count=3",
            "--flow", "kind=truncated,count=4"]
    outs = []
    for i, extra in enumerate([[], [], ["--seed", "12345"]]):
        path = os.path.join(tmp, "det%d.pcap" % i)
        if not generate(path, args + extra):
            return
        with open(path, "rb") as f:
            outs.append(f.read())
    check("determinism: two runs byte-identical", outs[0] == outs[1])
    check("determinism: --seed does not change output", outs[0] == outs[2])
    _, pkts = read_pcap(os.path.join(tmp, "det0.pcap"))
    check("determinism: 77 packets", len(pkts) == 77, len(pkts))

    path = os.path.join(tmp, "stdout.pcap")
    rc, out, _ = run(["-o", "-"] + args)
    check("stdout: -o - writes the same bytes", rc == 0 and out == outs[0])


def test_bad_flows(tmp):
    """Every invalid --flow exits 2, names the flow and writes no file."""
    bad = ["kind=bogus", "foo=1", "kind", "src=", "kind=udp,",
           ",kind=udp", "kind=udp,,count=2", "kind=udp,kind=tcp",
           "src=10.0.0.256", "src=10.0.0.1/33", "src=10.0.0.1/24",
           "dst=abc", "dst=10.0.0.0/", "sport=2000-1000", "dport=70000",
           "dport=1-", "dport=-5", "sport=a-b", "size=9001", "size=0",
           "size=41", "kind=tcp,size=53", "kind=ipv6,size=61",
           "kind=ipopts,size=45", "kind=runt,size=64", "kind=icmp,dport=1",
           "kind=arp,ttl=3", "kind=ipv6,src=10.0.0.1", "count=0",
           "count=abc", "count=100000001", "ttl=256", "tos=-1",
           "size=99999999999999999999"]
    for spec in bad:
        path = os.path.join(tmp, "bad.pcap")
        rc, _, err = run(["-o", path, "--flow", "count=2", "--flow", spec])
        name = "bad flow %r" % spec
        check(name + " exits 2", rc == 2, rc)
        check(name + " message names flow 2",
              err.startswith("pcapgen: --flow 2: ") and
              err.count("\n") == 1, err)
        check(name + " writes no file", not os.path.exists(path))
        if os.path.exists(path):
            os.unlink(path)


def test_bad_usage(tmp):
    """Invalid global options exit 2; I/O errors exit 1; --help works."""
    path = os.path.join(tmp, "usage.pcap")
    cases = [
        ["-o", path, "--src-mac", "02:00:00:00:00", "--flow", ""],
        ["-o", path, "--dst-mac", "zz:00:00:00:00:01", "--flow", ""],
        ["-o", path, "--src-mac", "02:00:00:00:00:01:", "--flow", ""],
        ["-o", path, "--seed", "-1", "--flow", ""],
        ["-o", path, "--bogus", "--flow", ""],
        ["-o", path, "-x", "--flow", ""],
        ["-o", path, "--flow", "", "stray"],
        ["-o", path],
        ["--flow", ""],
        ["-o", path, "--flow"],
    ]
    for args in cases:
        rc, _, err = run(args)
        name = "usage %r" % args[2:]
        check(name + " exits 2", rc == 2, rc)
        check(name + " says pcapgen:", err.startswith("pcapgen: "), err)
        check(name + " writes no file", not os.path.exists(path))
        if os.path.exists(path):
            os.unlink(path)

    rc, _, err = run(["-o", os.path.join(tmp, "no", "such", "dir.pcap"),
                      "--flow", ""])
    check("unwritable output exits 1", rc == 1, rc)
    check("unwritable output says pcapgen:", err.startswith("pcapgen: "), err)

    if os.path.exists("/dev/full"):
        rc, _, err = run(["-o", "/dev/full", "--flow", "count=100,size=1500"])
        check("write error (/dev/full) exits 1", rc == 1, rc)
        check("write error says pcapgen:", err.startswith("pcapgen: "), err)

    rc, out, _ = run(["--help"])
    text = out.decode()
    check("--help exits 0", rc == 0, rc)
    for word in list(KIND) + ["kind=", "src=", "dst=", "sport=", "dport=",
                              "count=", "size=", "ttl=", "tos=", "--seed",
                              "--src-mac", "--dst-mac", "padded"]:
        check("--help mentions %s" % word, word in text)

    path = os.path.join(tmp, "empty-spec.pcap")
    if generate(path, ["--flow", ""]):
        _, pkts = read_pcap(path)
        check("empty spec is one default udp packet",
              len(pkts) == 1 and len(pkts[0][3]) == 64 and
              parse_udp4(pkts[0][3])["dport"] == 5000)

    path = os.path.join(tmp, "slash0.pcap")
    if generate(path, ["--flow", "src=0.0.0.0/0,dst=10.0.0.9/32,count=3"]):
        _, pkts = read_pcap(path)
        check("src=0.0.0.0/0 walks from 0.0.0.0",
              [parse_udp4(p[3])["src"] for p in pkts] ==
              ["0.0.0.0", "0.0.0.1", "0.0.0.2"] and
              all(parse_udp4(p[3])["dst"] == "10.0.0.9" for p in pkts))


def main():
    """Runs every test; returns the exit status."""
    global PCAPGEN
    if len(sys.argv) != 2:
        print("usage: %s PATH-TO-PCAPGEN" % sys.argv[0], file=sys.stderr)
        return 2
    PCAPGEN = os.path.abspath(sys.argv[1])
    have_tshark = shutil.which("tshark") is not None
    if not have_tshark:
        print("SKIP: tshark not found, dissector checks not run")
    with tempfile.TemporaryDirectory() as tmp:
        for test in (lambda: test_mixed(tmp, have_tshark),
                     lambda: test_ranges(tmp, have_tshark),
                     lambda: test_sizes(tmp, have_tshark),
                     lambda: test_determinism(tmp),
                     lambda: test_bad_flows(tmp),
                     lambda: test_bad_usage(tmp)):
            try:
                test()
            except Exception as e:  # a crash in one test is one failure
                check("exception", False, repr(e))
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
