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
        "runt": 7, "badcsum": 8, "fragment": 9, "badudplen": 10, "ipopts": 11,
        "overlay": 12, "inner_badcsum": 13, "inner_badver": 14,
        "inner_badlen": 15, "inner_short": 16, "inner_ihl": 17}
INNER_KEYS = ["inner_src=", "inner_dst=", "inner_proto=", "inner_sport=",
              "inner_dport=", "inner_ttl=", "inner_tos="]
# Inner L4 header length by inner protocol (others: 0).
INNER_L4 = {17: 8, 6: 20, 1: 8}

# Fields for decoding overlay packets with "decode as IP"; a field present
# in both the outer and the inner packet lists both values, outer first.
OVERLAY_FIELDS = ["frame.len", "ip.version", "ip.hdr_len", "ip.src",
                  "ip.dst", "ip.len", "ip.id", "ip.ttl", "ip.dsfield",
                  "ip.proto", "ip.checksum.status", "udp.srcport",
                  "udp.dstport", "udp.length", "udp.checksum.status",
                  "tcp.srcport", "tcp.dstport", "tcp.checksum.status",
                  "icmp.type", "icmp.checksum.status", "data.data",
                  "_ws.expert.message"]

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


def tshark_overlay(path, ports=(5000,)):
    """Decodes path with the UDP ports decoded as IPv4; one dict per frame
    mapping each OVERLAY_FIELDS entry to its list of values (outer first)."""
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=a", "-E", "aggregator=;"]
    for port in ports:
        cmd += ["-d", "udp.port==%d,ip" % port]
    for f in OVERLAY_FIELDS:
        cmd += ["-e", f]
    cmd += ["-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
            "-o", "tcp.check_checksum:TRUE"]
    out = subprocess.run(cmd, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=True,
                         timeout=120).stdout.decode()
    rows = []
    for line in out.splitlines():
        vals = line.split("\t")
        rows.append({f: (v.split(";") if v else [])
                     for f, v in zip(OVERLAY_FIELDS, vals)})
    return rows


def parse_overlay(frame):
    """Splits an overlay frame: the outer parse_udp4() dict plus "inner", a
    dict of the inner IPv4 header fields and its "l4" bytes."""
    p = parse_udp4(frame)
    ip = p["payload"]
    inner = {"raw": ip}
    if len(ip) >= 20:
        tot, ident, frag = struct.unpack("!HHH", ip[2:8])
        inner.update({"ver": ip[0] >> 4, "ihl": (ip[0] & 0x0f) * 4,
                      "tos": ip[1], "tot": tot, "id": ident, "frag": frag,
                      "ttl": ip[8], "proto": ip[9], "src": ip4_str(ip[12:16]),
                      "dst": ip4_str(ip[16:20]), "hdr": ip[:20],
                      "l4": ip[20:]})
    p["inner"] = inner
    return p


def inner_l4_ok(inner):
    """Verifies the checksum of an inner UDP/TCP/ICMP packet."""
    l4 = inner["l4"]
    if inner["proto"] == 1:
        return csum(l4) == 0xffff
    pseudo = (ip4(inner["src"]) + ip4(inner["dst"]) +
              struct.pack("!BBH", 0, inner["proto"], len(l4)))
    return csum(pseudo + l4) == 0xffff


def check_outer(name, frame, k, size, src="10.0.0.1", dst="192.0.2.1",
                sport=1024, dport=5000, ttl=64, tos=0):
    """Checks the outer Ethernet/IPv4/UDP of an overlay frame (like udp)."""
    p = parse_udp4(frame)
    check(name + " frame length", len(frame) == size, (len(frame), size))
    check(name + " outer EtherType, IHL 5, proto UDP",
          (p["ethertype"], p["ihl"], p["proto"]) == (0x0800, 20, 17),
          (p["ethertype"], p["ihl"], p["proto"]))
    check(name + " outer IPv4 total length", p["tot"] == size - 14,
          p["tot"])
    check(name + " outer UDP length", p["ulen"] == p["tot"] - 20,
          p["ulen"])
    check(name + " outer ID, flags", (p["id"], p["frag"]) == (k & 0xffff, 0),
          (p["id"], p["frag"]))
    check(name + " outer addresses, ports, ttl, tos",
          (p["src"], p["dst"], p["sport"], p["dport"], p["ttl"], p["tos"]) ==
          (src, dst, sport, dport, ttl, tos),
          (p["src"], p["dst"], p["sport"], p["dport"], p["ttl"], p["tos"]))
    check(name + " outer IPv4 checksum valid", csum(p["hdr"]) == 0xffff)
    check(name + " outer UDP checksum valid", udp4_csum_ok(frame))


def test_overlay(tmp, have_tshark):
    """kind=overlay: outer headers, inner headers, ranges, checksums."""
    path = os.path.join(tmp, "overlay.pcap")
    # (spec, size, inner proto)
    flows = [
        ("kind=overlay,count=6,size=128,src=198.18.0.0/31,dst=198.19.0.7,"
         "sport=4000-4001,ttl=33,tos=4,inner_src=10.1.0.0/30,"
         "inner_dst=10.9.8.0/31,inner_sport=100-102,inner_dport=7000-7001,"
         "inner_ttl=9,inner_tos=184", 128, 17),
        ("kind=overlay,inner_proto=tcp,count=3,size=200,inner_dport=80-81",
         200, 6),
        ("kind=overlay,inner_proto=icmp,count=2,size=100", 100, 1),
        ("kind=overlay,inner_proto=47,count=2,size=90", 90, 47),
        ("kind=overlay", 82, 17),
        ("kind=overlay,size=70", 70, 17),
        ("kind=overlay,size=75,inner_proto=17", 75, 17),
        ("kind=overlay,inner_proto=6", 94, 6),
        ("kind=overlay,inner_proto=icmp", 82, 1),
        ("kind=overlay,inner_proto=0", 74, 0),
        ("kind=overlay,inner_proto=255,size=62", 62, 255),
        ("kind=overlay,inner_proto=tcp,size=82", 82, 6),
        ("kind=overlay,size=9000,dport=4789", 9000, 17),
    ]
    args = []
    for spec, _, _ in flows:
        args += ["--flow", spec]
    if not generate(path, args):
        return
    _, pkts = read_pcap(path)
    want_n = 6 + 3 + 2 + 2 + 9
    check("overlay: packet count", len(pkts) == want_n, len(pkts))
    if len(pkts) != want_n:
        return
    order = []  # (flow, seq) of packet k: round-robin
    counts = [int(s.split("count=")[1].split(",")[0]) if "count=" in s else 1
              for s, _, _ in flows]
    for i in range(max(counts)):
        order += [(fi, i) for fi in range(len(flows)) if i < counts[fi]]

    seen = {}
    for k, ((fi, i), pkt) in enumerate(zip(order, pkts)):
        spec, size, proto = flows[fi]
        frame = pkt[3]
        name = "overlay flow %d pkt %d" % (fi, i)
        seen.setdefault(fi, []).append(parse_overlay(frame))
        if fi == 0:
            check_outer(name, frame, k, size, src="198.18.0.%d" % (i % 2),
                        dst="198.19.0.7", sport=4000 + i % 2, ttl=33, tos=4)
        else:
            check_outer(name, frame, k, size,
                        dport=4789 if "dport=4789" in spec else 5000)
        p = parse_overlay(frame)
        inner = p["inner"]
        check(name + " inner fills the UDP payload",
              inner["tot"] == p["ulen"] - 8 == len(inner["raw"]),
              (inner["tot"], p["ulen"], len(inner["raw"])))
        check(name + " inner version 4, IHL 5, DF/MF clear, offset 0",
              (inner["ver"], inner["ihl"], inner["frag"]) == (4, 20, 0),
              (inner["ver"], inner["ihl"], inner["frag"]))
        check(name + " inner ID is packet index", inner["id"] == k & 0xffff,
              inner["id"])
        check(name + " inner protocol", inner["proto"] == proto,
              inner["proto"])
        check(name + " inner ttl/tos",
              (inner["ttl"], inner["tos"]) == ((9, 184) if fi == 0 else
                                               (64, 0)),
              (inner["ttl"], inner["tos"]))
        check(name + " inner IPv4 checksum valid",
              csum(inner["hdr"]) == 0xffff)
        l4 = inner["l4"]
        hl = INNER_L4.get(proto, 0)
        if fi != 0:
            check(name + " inner default addresses",
                  (inner["src"], inner["dst"]) == ("10.1.0.1", "10.2.0.1"),
                  (inner["src"], inner["dst"]))
        if proto in (6, 17):
            check(name + " inner L4 checksum valid (inner pseudo-header)",
                  inner_l4_ok(inner))
            sp, dp = struct.unpack("!HH", l4[:4])
            if fi == 0:
                want = (100 + i % 3, 7000 + i % 2)
            elif fi == 1:
                want = (1000, 80 + i % 2)
            else:
                want = (1000, 2000)
            check(name + " inner ports", (sp, dp) == want, (sp, dp))
        if proto == 17:
            check(name + " inner UDP length", struct.unpack(
                "!H", l4[4:6])[0] == inner["tot"] - 20, l4[:8].hex())
        if proto == 6:
            check(name + " inner TCP PSH|ACK, data offset 5, seq",
                  (l4[12], l4[13]) == (0x50, 0x18) and
                  struct.unpack("!I", l4[4:8])[0] ==
                  1 + i * (len(l4) - 20), l4[:20].hex())
        if proto == 1:
            check(name + " inner ICMP echo request, id flow, seq i",
                  (l4[0], l4[1]) == (8, 0) and
                  struct.unpack("!HH", l4[4:8]) == (fi, i), l4[:8].hex())
            check(name + " inner ICMP checksum valid", inner_l4_ok(inner))
        pay = l4[hl:]
        check(name + " inner payload length",
              len(pay) == size - 42 - 20 - hl, len(pay))
        check(name + " inner payload marker and pattern",
              pay == expected_payload(len(pay), fi, "overlay", i, k),
              pay[:16].hex())

    f0 = seen[0]
    check("overlay: inner_src walks the /30",
          [p["inner"]["src"] for p in f0] ==
          ["10.1.0.0", "10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.0",
           "10.1.0.1"], [p["inner"]["src"] for p in f0])
    check("overlay: inner_dst walks the /31",
          [p["inner"]["dst"] for p in f0] == ["10.9.8.0", "10.9.8.1"] * 3,
          [p["inner"]["dst"] for p in f0])
    check("overlay: inner sport walks 100-102",
          [struct.unpack("!H", p["inner"]["l4"][:2])[0] for p in f0] ==
          [100, 101, 102] * 2)
    check("overlay: default size is MIN + 12",
          [len(p[3]) for p, (fi, _) in zip(pkts, order) if fi in (4, 7, 8, 9)]
          == [82, 94, 82, 74])

    if not have_tshark:
        return
    rows = tshark_overlay(path, (5000, 4789))
    check("tshark overlay: frame count", len(rows) == len(pkts), len(rows))
    if len(rows) != len(pkts):
        return
    for k, ((fi, i), r) in enumerate(zip(order, rows)):
        spec, size, proto = flows[fi]
        name = "tshark overlay flow %d pkt %d" % (fi, i)
        check(name + " two IPv4 headers, both checksums good",
              r["ip.version"] == ["4", "4"] and
              r["ip.checksum.status"] == [CSUM_GOOD, CSUM_GOOD], r)
        check(name + " inner ip.len = outer udp.length - 8",
              len(r["ip.len"]) == 2 and len(r["udp.length"]) >= 1 and
              int(r["ip.len"][1]) == int(r["udp.length"][0]) - 8 and
              int(r["ip.len"][0]) == size - 14, r)
        check(name + " ip.proto outer 17, inner %d" % proto,
              r["ip.proto"] == ["17", str(proto)], r["ip.proto"])
        check(name + " inner ip.id is the packet index",
              r["ip.id"] == ["0x%04x" % (k & 0xffff)] * 2, r["ip.id"])
        if fi == 0:
            check(name + " inner addresses, ttl, tos",
                  (r["ip.src"][1], r["ip.dst"][1], r["ip.ttl"],
                   r["ip.dsfield"]) ==
                  ("10.1.0.%d" % (i % 4), "10.9.8.%d" % (i % 2),
                   ["33", "9"], ["0x04", "0xb8"]), r)
            check(name + " inner ports",
                  (r["udp.srcport"][1:], r["udp.dstport"][1:]) ==
                  ([str(100 + i % 3)], [str(7000 + i % 2)]), r)
        else:
            check(name + " inner default addresses and ttl",
                  (r["ip.src"], r["ip.dst"], r["ip.ttl"]) ==
                  (["10.0.0.1", "10.1.0.1"], ["192.0.2.1", "10.2.0.1"],
                   ["64", "64"]), r)
        if proto == 17:
            check(name + " outer and inner UDP checksums good",
                  r["udp.checksum.status"] == [CSUM_GOOD, CSUM_GOOD], r)
        else:
            check(name + " outer UDP checksum good",
                  r["udp.checksum.status"] == [CSUM_GOOD], r)
        if proto == 6:
            check(name + " inner TCP checksum good, ports",
                  r["tcp.checksum.status"] == [CSUM_GOOD] and
                  r["tcp.srcport"] == ["1000"], r)
        if proto == 1:
            check(name + " inner ICMP echo request, checksum good",
                  r["icmp.type"] == ["8"] and
                  r["icmp.checksum.status"] == [CSUM_GOOD], r)
        if proto in (1, 17, 255):  # tshark dissects the others' payload
            check(name + " no expert warnings",
                  r["_ws.expert.message"] == [], r["_ws.expert.message"])


def test_overlay_example(tmp):
    """The worked example of --help gives what the help says."""
    path = os.path.join(tmp, "ov.pcap")
    if not generate(path, ["--flow", "kind=overlay,count=4,size=128,"
                           "inner_proto=tcp,inner_src=10.1.0.0/31,"
                           "inner_dport=80-81"]):
        return
    _, pkts = read_pcap(path)
    p = [parse_overlay(x[3]) for x in pkts]
    check("example: 4 frames of 128 bytes",
          [len(x[3]) for x in pkts] == [128] * 4)
    check("example: packet 0 outer", (p[0]["src"], p[0]["dst"], p[0]["tot"],
                                      p[0]["id"], p[0]["sport"],
                                      p[0]["dport"], p[0]["ulen"]) ==
          ("10.0.0.1", "192.0.2.1", 114, 0, 1024, 5000, 94))
    i0 = p[0]["inner"]
    check("example: packet 0 inner IPv4",
          (i0["src"], i0["dst"], i0["tot"], i0["id"], i0["ttl"],
           i0["proto"]) == ("10.1.0.0", "10.2.0.1", 86, 0, 64, 6), i0)
    check("example: packet 0 inner TCP 1000 -> 80, 46-byte payload",
          struct.unpack("!HH", i0["l4"][:4]) == (1000, 80) and
          len(i0["l4"]) == 66)
    check("example: packet 0 payload bytes",
          i0["l4"][20:34] == bytes.fromhex("5350000c0000000000000000"
                                           "0c0d") and i0["l4"][-1] == 0x2d,
          i0["l4"][20:].hex())
    check("example: packets 1, 2 addresses and ports",
          [(x["inner"]["src"], struct.unpack("!H", x["inner"]["l4"][2:4])[0])
           for x in p[1:3]] == [("10.1.0.1", 81), ("10.1.0.0", 80)])


def test_overlay_bad(tmp, have_tshark):
    """Each bad-inner kind breaks exactly what it says."""
    path = os.path.join(tmp, "overlay-bad.pcap")
    flows = ["kind=overlay,size=100",
             "kind=inner_badcsum,size=100",
             "kind=inner_badver,size=100",
             "kind=inner_badlen,size=100",
             "kind=inner_short",
             "kind=inner_ihl,size=100",
             "kind=inner_short,inner_proto=tcp,inner_ttl=7,inner_tos=3,"
             "inner_src=10.7.0.0/24,count=2",
             "kind=inner_badcsum,inner_proto=tcp",
             "kind=inner_badlen,inner_proto=icmp,size=70",
             "kind=inner_ihl,inner_proto=47"]
    args = []
    for spec in flows:
        args += ["--flow", spec]
    if not generate(path, args):
        return
    _, pkts = read_pcap(path)
    check("overlay-bad: packet count", len(pkts) == len(flows) + 1,
          len(pkts))
    if len(pkts) != len(flows) + 1:
        return
    frames = [x[3] for x in pkts]
    by = {}
    for k, frame in enumerate(frames[:len(flows)]):
        by[k] = (flows[k].split(",")[0][5:], frame, parse_overlay(frame))

    for k, (kind, frame, p) in by.items():
        name = "%s (flow %d)" % (kind, k)
        check(name + " outer IPv4 checksum valid", csum(p["hdr"]) == 0xffff)
        check(name + " outer UDP checksum valid", udp4_csum_ok(frame))
        check(name + " outer lengths",
              p["tot"] == min(len(frame), 54 if kind == "inner_short" else
                              9000) - 14 and p["ulen"] == p["tot"] - 20,
              (p["tot"], p["ulen"]))
        inner = p["inner"]
        if kind == "inner_short":
            continue
        hl = INNER_L4.get(inner["proto"], 0)
        pay = inner["l4"][hl:]
        check(name + " marker names the kind",
              pay == expected_payload(len(pay), k, kind, 0, k), pay.hex())
        if inner["proto"] in (1, 6, 17):
            check(name + " inner L4 checksum still valid", inner_l4_ok(inner))

    for k in (1, 7):
        inner = by[k][2]["inner"]
        check("inner_badcsum (flow %d): inner IPv4 checksum wrong" % k,
              csum(inner["hdr"]) != 0xffff)
        fixed = bytearray(inner["hdr"])
        struct.pack_into("!H", fixed, 10,
                         struct.unpack("!H", fixed[10:12])[0] ^ 0x5aa5)
        check("inner_badcsum (flow %d): it is the right one XOR 0x5aa5" % k,
              csum(bytes(fixed)) == 0xffff)
        check("inner_badcsum (flow %d): otherwise a valid inner header" % k,
              (inner["ver"], inner["ihl"], inner["tot"]) ==
              (4, 20, len(inner["raw"])), inner)

    inner = by[2][2]["inner"]
    check("inner_badver: first byte 0x65", inner["raw"][0] == 0x65,
          inner["raw"][:1].hex())
    check("inner_badver: checksum valid for the bytes sent",
          csum(inner["hdr"]) == 0xffff)
    check("inner_badver: length right", inner["tot"] == len(inner["raw"]))

    for k in (3, 8):
        p = by[k][2]
        inner = p["inner"]
        check("inner_badlen (flow %d): total length = payload + 16" % k,
              inner["tot"] == p["ulen"] - 8 + 16 == len(inner["raw"]) + 16,
              (inner["tot"], p["ulen"]))
        check("inner_badlen (flow %d): header checksum valid" % k,
              csum(inner["hdr"]) == 0xffff)
    l4 = by[8][2]["inner"]["l4"]
    check("inner_badlen: inner ICMP echo, checksum over the bytes present",
          l4[0] == 8 and csum(l4) == 0xffff, l4.hex())
    l4 = by[3][2]["inner"]["l4"]
    check("inner_badlen: inner UDP length = bytes present",
          struct.unpack("!H", l4[4:6])[0] == len(l4), l4[:8].hex())

    # inner_short: flows 4 (udp) and 6 (tcp, two packets: k = 6 and 10)
    for k, seq, proto, tot, ttl, tos, src in (
            (4, 0, 17, 40, 64, 0, "10.1.0.1"),
            (6, 0, 6, 52, 7, 3, "10.7.0.0"),
            (10, 1, 6, 52, 7, 3, "10.7.0.1")):
        frame = frames[k]
        p = parse_udp4(frame)
        name = "inner_short (packet %d)" % k
        check(name + ": 60-byte frame, 54 bytes of packet, zero padding",
              len(frame) == 60 and frame[54:] == b"\0" * 6 and
              (p["tot"], p["ulen"]) == (40, 20),
              (len(frame), p["tot"], p["ulen"], frame[54:].hex()))
        want = bytearray(struct.pack("!BBHHHBBH", 0x45, tos, tot, k, 0, ttl,
                                     proto, 0) + ip4(src) + ip4("10.2.0.1"))
        struct.pack_into("!H", want, 10, 0xffff - csum(bytes(want)))
        check(name + ": payload is the first 12 bytes of the inner header",
              p["payload"] == bytes(want[:12]),
              (p["payload"].hex(), want[:12].hex()))
        check(name + ": ...whose full header checksum is right",
              csum(bytes(want)) == 0xffff)

    for k in (5, 9):
        inner = by[k][2]["inner"]
        check("inner_ihl (flow %d): first byte 0x44" % k,
              inner["raw"][0] == 0x44, inner["raw"][:1].hex())
        check("inner_ihl (flow %d): checksum valid over 20 bytes" % k,
              csum(inner["raw"][:20]) == 0xffff)
        check("inner_ihl (flow %d): 20 header bytes, then L4" % k,
              inner["tot"] == len(inner["raw"]) and
              inner["l4"][INNER_L4.get(inner["proto"], 0):][:2] == b"SP",
              inner["raw"][:24].hex())

    if not have_tshark:
        return
    rows = tshark_overlay(path)
    check("tshark overlay-bad: frame count", len(rows) == len(pkts),
          len(rows))
    if len(rows) != len(pkts):
        return
    for k, r in enumerate(rows):
        check("tshark overlay-bad %d: outer IPv4 and UDP checksums good" % k,
              r["ip.checksum.status"][:1] == [CSUM_GOOD] and
              r["udp.checksum.status"][:1] == [CSUM_GOOD], r)
    r = rows[0]
    check("tshark overlay (reference): inner checksums good",
          r["ip.checksum.status"] == [CSUM_GOOD] * 2 and
          r["udp.checksum.status"] == [CSUM_GOOD] * 2, r)
    for k in (1, 7):
        check("tshark inner_badcsum %d: inner IPv4 checksum bad" % k,
              rows[k]["ip.checksum.status"] == [CSUM_GOOD, CSUM_BAD],
              rows[k])
    check("tshark inner_badver: inner version 6",
          rows[2]["ip.version"] == ["4", "6"], rows[2])
    for k in (3, 8):
        check("tshark inner_badlen %d: total length exceeds packet" % k,
              any("total length exceeds packet length" in m
                  for m in rows[k]["_ws.expert.message"]) and
              rows[k]["ip.checksum.status"] == [CSUM_GOOD] * 2, rows[k])
    for k in (4, 6, 10):
        check("tshark inner_short %d: 12-byte inner packet" % k,
              rows[k]["frame.len"] == ["60"] and
              rows[k]["udp.length"] == ["20"] and
              any("(12 bytes)" in m for m in rows[k]["_ws.expert.message"]),
              rows[k])
    for k in (5, 9):
        check("tshark inner_ihl %d: bogus header length 16" % k,
              rows[k]["ip.hdr_len"] == ["20", "16"] and
              any("Bogus IP header length (16" in m
                  for m in rows[k]["_ws.expert.message"]), rows[k])


def test_overlay_misc(tmp):
    """Overlay IDs wrap at 65536; overlay output is deterministic."""
    path = os.path.join(tmp, "overlay-wrap.pcap")
    if generate(path, ["--flow", "kind=overlay,size=70,count=65538"]):
        _, pkts = read_pcap(path)
        ids = [(parse_udp4(x[3])["id"], parse_overlay(x[3])["inner"]["id"])
               for x in pkts[-3:]]
        check("overlay: IDs are k & 0xffff (outer and inner)",
              ids == [(65535, 65535), (0, 0), (1, 1)], ids)
        pay = parse_overlay(pkts[-1][3])["inner"]["l4"]
        check("overlay: UDP min size has an empty inner payload",
              len(pay) == 8, len(pay))
    args = ["--flow", "kind=overlay,count=20,inner_src=10.0.0.0/29,"
            "inner_proto=tcp,inner_sport=1-3,size=300",
            "--flow", "kind=inner_short,count=3", "--flow", "count=2"]
    outs = []
    for i in range(2):
        path = os.path.join(tmp, "ovdet%d.pcap" % i)
        if not generate(path, args):
            return
        with open(path, "rb") as f:
            outs.append(f.read())
    check("overlay determinism: two runs byte-identical", outs[0] == outs[1])


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
           "size=99999999999999999999",
           # overlay kinds and inner_* keys
           "inner_src=10.1.0.1", "kind=tcp,inner_ttl=3",
           "kind=runt,inner_proto=udp", "kind=ipv6,inner_dst=10.0.0.1",
           "kind=badcsum,inner_tos=1", "kind=arp,inner_sport=1",
           "kind=overlay,inner_src=10.1.0.256",
           "kind=overlay,inner_src=10.1.0.1/24",
           "kind=overlay,inner_dst=x", "kind=overlay,inner_dst=10.0.0.0/33",
           "kind=overlay,inner_proto=gre", "kind=overlay,inner_proto=256",
           "kind=overlay,inner_proto=-1", "kind=overlay,inner_proto=",
           "kind=overlay,inner_proto=UDP",
           "kind=overlay,inner_sport=9-1", "kind=overlay,inner_dport=70000",
           "kind=overlay,inner_sport=a", "kind=overlay,inner_ttl=256",
           "kind=overlay,inner_tos=x", "kind=overlay,inner_ttl=-1",
           "kind=overlay,inner_proto=icmp,inner_sport=1",
           "kind=overlay,inner_proto=47,inner_dport=1",
           "kind=inner_badcsum,inner_dport=5,inner_proto=1",
           "kind=overlay,size=69", "kind=overlay,inner_proto=tcp,size=81",
           "kind=overlay,inner_proto=icmp,size=69",
           "kind=overlay,inner_proto=99,size=61", "kind=overlay,size=9001",
           "kind=inner_short,size=60", "kind=inner_short,inner_sport=1",
           "kind=inner_short,inner_dport=1", "kind=inner_ihl,size=69",
           "kind=inner_badver,inner_proto=tcp,size=81",
           "kind=inner_badlen,size=41",
           "kind=overlay,inner_src=10.0.0.1,inner_src=10.0.0.2",
           "kind=overlay,inner=1", "kind=overlay_x"]
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

    for spec, text in (
            ("inner_src=10.1.0.1", "key 'inner_src' does not apply to "
             "kind=udp"),
            ("kind=overlay,inner_proto=icmp,inner_dport=1",
             "'inner_dport' needs inner_proto udp or tcp"),
            ("kind=overlay,inner_proto=tcp,size=81", "minimum 82"),
            ("kind=overlay,inner_proto=gre", "inner_proto=gre: expected udp, "
             "tcp, icmp or a number in 0..255"),
            ("kind=inner_short,size=60",
             "does not apply to kind=inner_short")):
        rc, _, err = run(["-o", os.path.join(tmp, "bad.pcap"), "--flow",
                          spec])
        check("bad flow %r message" % spec,
              rc == 2 and err.startswith("pcapgen: --flow 1: ") and
              text in err, err)


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
                              "--src-mac", "--dst-mac", "padded"] + \
            INNER_KEYS + ["udp.port==5000,ip", "Example", "MIN + 12"]:
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
                     lambda: test_overlay(tmp, have_tshark),
                     lambda: test_overlay_example(tmp),
                     lambda: test_overlay_bad(tmp, have_tshark),
                     lambda: test_overlay_misc(tmp),
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
