#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""The queue manager paces each interface and shares it by weight.

Each part starts its own slicepathd.  eth1's scheduler paces it at
rate_bps, counting every frame's length plus framing_overhead bytes, and
serves slices by their reserved out_bps and, within a slice, queues by
their weights (WDRR, work-conserving).  Output pcaps are decoded with
tshark; shares and rates are shares and rates of wire bytes.  Rates are
over the time the worker was on the CPU: on a shared machine it may be
descheduled for longer than the scheduler's burst allowance, and the link
time lost then is the machine's, not the scheduler's (see Window).

1. fig7: SPP's Figure 7.  Five flows of 200..1000-byte frames, replayed
   from memory far above the rate (net_pcap infinite_rx), go to five
   queues of weights 30/25/20/15/10 on a 20 Mbit/s interface.  Each gets
   its weight's share of the wire within 1 point, the total is the rate
   within 1%, and every queue tail-drops.
2. conserve: the same without the weight-15 flow (and framing_overhead
   0): the others share its part in proportion to their weights.
3. isolation (root, network namespace): slice A sends ~10x its
   reservation, slice B below its own; every B packet gets out, B drops
   nothing, A gets what B leaves of the link.
4. rest: the queues' REST contract (status codes, error paths, defaults,
   refused requests change nothing), then changes under load: a weight
   change flushes nothing, removing a queue flushes at most its own
   packets and the other queues keep going.
5. unpaced: with "queue_manager": false the output is not paced.

usage: test_qm.py SLICEPATHD PCAPGEN
As root it runs in a network namespace of its own; without root part 3
is skipped and, if nothing else failed, the test reports itself skipped
(77).
"""

import os
import socket
import struct
import sys
import time
import traceback

import sptest

NODE_IP = "192.0.2.1"           # eth0
OUT_IP = "198.51.100.1"         # eth1
PEER_IP = "198.51.100.2"
GW_MAC = "02:00:00:00:00:fe"
OVERHEAD = 24                   # framing_overhead's default
IN_BPS = 4_000_000_000          # input reserved on eth0 (of 10 Gbit/s): far
                                # above what the output tests need

FIG7_RATE = 20_000_000
WEIGHTS = (30, 25, 20, 15, 10)
SIZES = (200, 400, 600, 800, 1000)
FIG7_LIMIT = 256                # limit_packets of the fig7 queues
DEEP_LIMIT = 1024               # a queue that holds ~100 ms at its share
OUT_BINDING = 5                 # the fig7 slice's eth1 binding
RUN_S = 4.0                     # traffic after configuration
SKIP_S = 0.5                    # output left out of the measurement
SHARE_TOL = 1.0                 # percentage points
RATE_TOL = 0.01
STALL_S = 0.010                 # the scheduler's burst allowance, QM_DEPTH_US

ISO_RATE = 10_000_000
ISO_RESERVE = 4_000_000         # each slice's out_bps on eth1
ISO_SIZE = 1000
ISO_A_PPS, ISO_B_PPS = 5000, 250
ISO_SEND_S = 3.0
ISO_TOL = 0.03                  # the sender and the worker share two cores

QUEUE_KEYS = {"id", "enqueued", "dequeued", "dropped", "length_packets", "length_bytes"}
DEFAULT_QUEUE_KEYS = QUEUE_KEYS - {"id"}


# ---------------------------------------------------------------- helpers

def interfaces(eth0_dev, rate_bps, overhead=None):
    """eth0 (input, unpaced in practice) and eth1 paced at 'rate_bps'."""
    eth1 = sptest.iface("eth1", "net_pcap1", OUT_IP, rate_bps=rate_bps, gw=GW_MAC)
    if overhead is not None:
        eth1["framing_overhead"] = overhead
    return [sptest.iface("eth0", eth0_dev, NODE_IP), eth1]


def start(binary, tmp, ifaces, vdevs, **node_extra):
    """Starts a daemon in 'tmp' (a directory of its own) with 'ifaces'."""
    os.makedirs(tmp)
    cfg = sptest.node_config(tmp, sptest.free_port(), ifaces, **node_extra)
    return sptest.Daemon(binary, tmp, cfg, vdevs)


def stop(c, d, what):
    """Stops 'd' (SIGTERM flushes its pcaps), checks it exited 0 and
    removes its DPDK runtime directory."""
    c.equal(d.stop(), 0, f"{what}: slicepathd exits 0 on SIGTERM")


def create_slice(c, d, name, out_bps, buffers, queues=8, filters=0, in_bps=IN_BPS):
    """Creates a passthrough slice reserving 'out_bps' on eth1 and 'in_bps'
    on eth0 (input is policed at it); returns its token."""
    st, _, body = d.request("POST", "/v1/slices", {
        "name": name, "code_option": "passthrough",
        "reservation": {"filters": filters, "queues": queues, "buffers": buffers,
                        "bandwidth": {"eth0": {"in_bps": in_bps, "out_bps": 0},
                                      "eth1": {"in_bps": 0, "out_bps": out_bps}}}})
    c.equal(st, 201, f"create slice {name} ({body})")
    return body["token"] if st == 201 else None


def forward(binding, peer_port, queue=None):
    fwd = {"binding": binding, "peer": f"{PEER_IP}:{peer_port}"}
    if queue is not None:
        fwd["queue"] = queue
    return {"forward": fwd}


def fig7_config(weights=WEIGHTS, with_queues=True):
    """Bindings 0..4 (UDP 5000+i on eth0) forward to peer port 6000+i through
    queue i of binding 5 (eth1); queue i has weights[i]."""
    n = len(weights)
    doc = {"bindings": [{"id": i, "interface": "eth0", "udp_port": 5000 + i,
                         "default_action": forward(OUT_BINDING, 6000 + i,
                                                   i if with_queues else None)}
                        for i in range(n)]
               + [{"id": OUT_BINDING, "interface": "eth1", "udp_port": 6000}]}
    if with_queues:
        doc["queues"] = [{"id": i, "binding": OUT_BINDING, "weight": w,
                          "limit_packets": FIG7_LIMIT} for i, w in enumerate(weights)]
    return doc


def fig7_input(pcapgen, path, flows):
    """One packet of each flow in 'flows' (indices into SIZES) in turn,
    64 rounds; infinite_rx replays the file for ever."""
    return sptest.pcapgen(pcapgen, path, [f"dport={5000 + i},size={SIZES[i]},count=64"
                                          for i in flows])


def output_rows(pcap):
    """(time, peer port, frame length, IPv4 destination) of each output frame."""
    rows = sptest.tshark(pcap, ["frame.time_epoch", "udp.dstport", "frame.len", "ip.dst"])
    return [(float(r["frame.time_epoch"]), int(r["udp.dstport"] or 0),
             int(r["frame.len"]), r["ip.dst"]) for r in rows]


class Window:
    """The output frames stamped in (t_from, t_to], with the link backlogged.

    by_port: their wire bytes by peer port.  span: seconds from the first
    to the last.  stalled: the seconds the worker cannot have sent in, off
    the CPU on a shared machine: in each gap between two frames, what is
    longer than the usual (median) gap plus the scheduler's burst allowance
    (STALL_S), which by design it does not make up for afterwards.  rate:
    the wire bit/s of the frames after the first over span - stalled, the
    time the scheduler ran."""

    def __init__(self, rows, t_from, t_to, overhead):
        inside = [r for r in rows if t_from < r[0] <= t_to]
        self.by_port = {}
        for _, port, length, _ in inside:
            self.by_port[port] = self.by_port.get(port, 0) + length + overhead
        self.span = inside[-1][0] - inside[0][0] if len(inside) > 1 else 0.0
        gaps = sorted(b[0] - a[0] for a, b in zip(inside, inside[1:]))
        usual = gaps[len(gaps) // 2] if gaps else 0.0
        self.stalled = sum(max(0.0, g - usual - STALL_S) for g in gaps)
        self.serving = self.span - self.stalled
        carried = sum(r[2] + overhead for r in inside[1:])
        self.rate = carried * 8 / self.serving if self.serving > 0 else 0.0

    def port_rate(self, port):
        return self.by_port.get(port, 0) * 8 / self.serving if self.serving > 0 else 0.0

    def __str__(self):
        return (f"{self.rate / 1e6:.3f} Mbit/s over {self.span:.2f} s "
                f"({self.stalled * 1e3:.0f} ms stalled)")


def stats(d, name, token=sptest.ADMIN_TOKEN):
    return d.request("GET", f"/v1/slices/{name}/stats", token=token)[2]


def queue_stats(s):
    return {q["id"]: q for q in s.get("queues", [])}


def check_stats_shape(c, what, s):
    """The queue fields of slice stats: queues[], default_queue, flushed."""
    c.check(all(set(q) == QUEUE_KEYS for q in s.get("queues", [])),
            f"{what}: queue stats have exactly {sorted(QUEUE_KEYS)}: {s.get('queues')}")
    c.check(all(set(b.get("default_queue", {})) == DEFAULT_QUEUE_KEYS
                for b in s["bindings"]),
            f"{what}: every binding has default_queue {sorted(DEFAULT_QUEUE_KEYS)}: "
            f"{s['bindings']}")
    c.check("flushed" in s["drops"] and "queue_full" in s["drops"],
            f"{what}: drops has flushed and queue_full: {s['drops']}")
    ids = [q["id"] for q in s.get("queues", [])]
    c.equal(ids, sorted(ids), f"{what}: stats queues sorted by id")


# ---------------------------------------------------------- parts 1 and 2

def weighted_shares(c, binary, pcapgen, tmp, what, flows, overhead=None):
    """Runs the fig7 slice with input for 'flows' only; checks each one's
    wire share against its weight among them, the total against the rate,
    the frames' sizes and the queues' counters."""
    wire_overhead = OVERHEAD if overhead is None else overhead
    inp, out = os.path.join(tmp, "in.pcap"), os.path.join(tmp, "out.pcap")
    os.makedirs(tmp)
    fig7_input(pcapgen, inp, flows)
    d = start(binary, os.path.join(tmp, "d"), interfaces("net_pcap0", FIG7_RATE, overhead),
              [f"net_pcap0,rx_pcap={inp},infinite_rx=1", f"net_pcap1,tx_pcap={out}"])
    with d:
        create_slice(c, d, "fig7", 10_000_000, 2048)
        st, _, body = d.request("PUT", "/v1/slices/fig7/config", fig7_config())
        c.equal(st, 200, f"{what}: PUT config ({body})")
        t_cfg = time.time()
        time.sleep(RUN_S)
        s = stats(d, "fig7")
        t_stop = time.time()
        stop(c, d, what)

    rows = output_rows(out)
    c.check(all(r[3] == PEER_IP and r[1] in {6000 + i for i in flows} for r in rows),
            f"{what}: every output frame goes to a peer port of a flow sent")
    for i in flows:
        lens = {r[2] for r in rows if r[1] == 6000 + i}
        c.equal(lens, {SIZES[i]}, f"{what}: frame sizes to peer port {6000 + i}")
    w = Window(rows, t_cfg + SKIP_S, t_stop, wire_overhead)
    total = sum(w.by_port.values()) or 1
    weight_sum = sum(WEIGHTS[i] for i in flows)
    shares = []
    for i in flows:
        got = 100 * w.by_port.get(6000 + i, 0) / total
        want = 100 * WEIGHTS[i] / weight_sum
        shares.append(f"q{i} {got:.2f}% (want {want:.2f})")
        c.check(abs(got - want) <= SHARE_TOL,
                f"{what}: queue {i} (weight {WEIGHTS[i]}, {SIZES[i]}-byte frames) has "
                f"{got:.2f}% of the wire bytes, want {want:.2f} +- {SHARE_TOL}")
    print(f"{what}: {', '.join(shares)}; total {w} (rate_bps {FIG7_RATE / 1e6:g})",
          flush=True)
    c.check(w.span >= RUN_S - SKIP_S - 1 and w.stalled < w.span / 2,
            f"{what}: the output spans {w.span:.2f} s of the window, "
            f"{w.stalled:.2f} s of it stalled")
    c.check(abs(w.rate - FIG7_RATE) <= RATE_TOL * FIG7_RATE,
            f"{what}: wire rate {w}, want {FIG7_RATE} +- {RATE_TOL:.0%}")

    check_stats_shape(c, what, s)
    qs = queue_stats(s)
    c.equal(sorted(qs), list(range(len(WEIGHTS))), f"{what}: queues in the stats")
    out_count = {}
    for r in rows:
        out_count[r[1]] = out_count.get(r[1], 0) + 1
    for i, q in qs.items():
        if i in flows:
            c.check(q["dropped"] > 0 and q["enqueued"] > 0,
                    f"{what}: overloaded queue {i} tail-drops: {q}")
            c.check(out_count.get(6000 + i, 0) >= q["dequeued"] > 0,
                    f"{what}: queue {i} dequeued {q['dequeued']} by the time the "
                    f"output pcap held {out_count.get(6000 + i, 0)} of its frames")
        else:
            c.equal((q["enqueued"], q["dropped"]), (0, 0), f"{what}: idle queue {i}")
    c.check(s["drops"]["queue_full"] >= sum(q["dropped"] for q in qs.values()) > 0,
            f"{what}: queue_full counts the tail drops: {s['drops']}")
    c.equal(s["drops"]["flushed"], 0, f"{what}: nothing flushed")


def part_fig7(c, binary, pcapgen, tmp):
    """SPP Figure 7: five weighted queues, all overloaded."""
    weighted_shares(c, binary, pcapgen, os.path.join(tmp, "fig7"), "fig7",
                    range(len(WEIGHTS)))


def part_conserve(c, binary, pcapgen, tmp):
    """Work conservation: queue 3 idle; framing_overhead 0 this time."""
    weighted_shares(c, binary, pcapgen, os.path.join(tmp, "conserve"), "conserve",
                    [0, 1, 2, 4], overhead=0)


# ------------------------------------------------------------------ part 3

def send_paced(sock, a_frames, b_frames, seconds):
    """Sends A's frames (cycling) at ISO_A_PPS and B's (in order, each once)
    at ISO_B_PPS for 'seconds'; returns (A sent, B sent, seconds taken)."""
    a = b = 0
    t0 = time.monotonic()
    while True:
        now = time.monotonic() - t0
        if now >= seconds:
            break
        while a < now * ISO_A_PPS:
            sock.send(a_frames[a % len(a_frames)])
            a += 1
        while b < now * ISO_B_PPS and b < len(b_frames):
            sock.send(b_frames[b])
            b += 1
        time.sleep(0.0005)
    return a, b, time.monotonic() - t0


def iso_config(i):
    """Slice i (0: A, 1: B): UDP 5000+i in, 6000+i out through queue 0 to
    peer port 7000+i."""
    return {"bindings": [{"id": 0, "interface": "eth0", "udp_port": 5000 + i,
                          "default_action": forward(1, 7000 + i, 0)},
                         {"id": 1, "interface": "eth1", "udp_port": 6000 + i}],
            "queues": [{"id": 0, "binding": 1}]}


def part_isolation(c, binary, pcapgen, tmp):
    """Two slices on one paced link: B within its reservation loses nothing
    while A floods; A gets the rest of the link.  run() made the veth pair."""
    out = os.path.join(tmp, "iso-out.pcap")
    d = start(binary, os.path.join(tmp, "iso"),
              interfaces("net_af_packet0", ISO_RATE),
              ["net_af_packet0,iface=vnode", f"net_pcap1,tx_pcap={out}"])
    with d:
        mac = d.request("GET", "/v1/node")[2]["interfaces"][0]["mac"]
        n_b = int(ISO_B_PPS * ISO_SEND_S) + 1
        a_frames = sptest.pcapgen(pcapgen, os.path.join(tmp, "a.pcap"),
                                  [f"dport=5000,size={ISO_SIZE},count=256"], dst_mac=mac)
        b_frames = sptest.pcapgen(pcapgen, os.path.join(tmp, "b.pcap"),
                                  [f"dport=5001,size={ISO_SIZE},count={n_b}"], dst_mac=mac)
        for i, name in enumerate("ab"):
            create_slice(c, d, name, ISO_RESERVE, 512, queues=1)
            st, _, body = d.request("PUT", f"/v1/slices/{name}/config", iso_config(i))
            c.equal(st, 200, f"isolation: PUT {name} config ({body})")
        with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
            sock.bind(("vsrc", 0))
            t_start = time.time()
            a_sent, b_sent, took = send_paced(sock, a_frames, b_frames, ISO_SEND_S)
            t_end = time.time()
        # Wait until both queues have drained, so the pcap has every packet.
        sptest.wait_for(lambda: all(q["length_packets"] == 0 for n in "ab"
                                    for q in stats(d, n)["queues"]), timeout=10)
        sa, sb = stats(d, "a"), stats(d, "b")
        stop(c, d, "isolation")

    wire = (ISO_SIZE + OVERHEAD) * 8
    a_bps, b_bps = a_sent * wire / took, b_sent * wire / took
    print(f"isolation: sent A {a_sent} ({a_bps / 1e6:.2f} Mbit/s), B {b_sent} "
          f"({b_bps / 1e6:.2f} Mbit/s) in {took:.2f} s", flush=True)
    c.check(a_bps >= 5 * ISO_RESERVE, f"isolation: A sent {a_bps:.0f} bit/s, at least 5x "
            f"its reservation (the sender was too slow otherwise)")
    c.check(b_bps <= 0.6 * ISO_RESERVE, f"isolation: B sent {b_bps:.0f} bit/s")
    ba, bb = ({b["id"]: b for b in s["bindings"]} for s in (sa, sb))
    c.equal((ba[0]["rx_packets"], bb[0]["rx_packets"]), (a_sent, b_sent),
            "isolation: the node received every frame sent (A, B)")

    rows = output_rows(out)
    b_out = [fr for fr in sptest.read_pcap(out)
             if int.from_bytes(fr[36:38], "big") == 7001]
    b_seq = sorted(int.from_bytes(sptest.udp_payload(fr)[4:8], "big") for fr in b_out)
    c.equal(b_seq, list(range(b_sent)), "isolation: every B packet sent came out, once")
    qa, qb = sa["queues"][0], sb["queues"][0]
    c.equal((qb["dropped"], sb["drops"]["queue_full"]), (0, 0),
            "isolation: B's queue dropped nothing (dropped, queue_full)")
    c.check(qa["dropped"] > 0 and sa["drops"]["queue_full"] > 0,
            f"isolation: A's queue tail-drops: {qa}, {sa['drops']}")

    w = Window(rows, t_start + SKIP_S, t_end, OVERHEAD)
    a_rate, b_rate = w.port_rate(7000), w.port_rate(7001)
    print(f"isolation: out A {a_rate / 1e6:.3f} Mbit/s, B {b_rate / 1e6:.3f} Mbit/s, "
          f"total {w}", flush=True)
    c.check(abs(a_rate - (ISO_RATE - b_rate)) <= ISO_TOL * ISO_RATE,
            f"isolation: A gets the rest of the link: {a_rate:.0f} bit/s, want "
            f"{ISO_RATE - b_rate:.0f} +- {ISO_TOL:.0%} of {ISO_RATE}")
    c.check(abs(w.rate - ISO_RATE) <= ISO_TOL * ISO_RATE,
            f"isolation: wire rate {w}, want {ISO_RATE} +- {ISO_TOL:.0%}")


# ------------------------------------------------------------------ part 4

def rest_contract(c, suite, tok, other_tok):
    """The queues collection and its place in the configuration."""
    q = "/v1/slices/crud/queues"
    listed = suite.ok("list queues", "GET", q, 200)
    c.equal(listed, [{"id": 0, "binding": 5, "weight": 30, "limit_packets": FIG7_LIMIT,
                      "limit_bytes": 1048576},
                     {"id": 1, "binding": 5, "weight": 10, "limit_packets": FIG7_LIMIT,
                      "limit_bytes": 1048576}], "GET queues: sorted, with defaults")
    cfg = suite.ok("GET config", "GET", "/v1/slices/crud/config", 200)
    c.equal(cfg.get("queues"), listed, "GET config has the same queues")

    body = suite.ok("POST a queue with defaults (slice token)", "POST", q, 201,
                    body={"binding": 5}, token=tok)
    c.equal(body, {"id": 2, "binding": 5, "weight": 1, "limit_packets": 1024,
                   "limit_bytes": 1048576}, "POST without id: lowest free id, defaults")
    c.equal(suite.req("GET", q)[2][-1], body, "GET queues has the new queue")
    suite.refused("POST an id that exists", "POST", q, 409, "conflict",
                  body={"id": 1, "binding": 5})
    for field, bad in (("binding", 99), ("id", 65536), ("id", -1), ("weight", 0),
                       ("weight", 10001), ("weight", "3"), ("limit_packets", 0),
                       ("limit_packets", 65537), ("limit_bytes", 63),
                       ("limit_bytes", 1073741825), ("colour", 1)):
        suite.refused(f"POST queue {field}={bad!r}", "POST", q, 400, "invalid_argument",
                      epath=f"$.{field}", body={"binding": 5, field: bad})
    suite.refused("POST a queue without binding", "POST", q, 400, "invalid_argument",
                  epath="$.binding", body={"weight": 2})
    body = suite.ok("POST id 9", "POST", q, 201,
                    body={"id": 9, "binding": 5, "weight": 10000, "limit_packets": 65536,
                          "limit_bytes": 64})
    c.equal(body, {"id": 9, "binding": 5, "weight": 10000, "limit_packets": 65536,
                   "limit_bytes": 64}, "POST stores the extremes")
    suite.refused("POST past reservation.queues", "POST", q, 409, "conflict",
                  body={"binding": 5})
    suite.refused("DELETE a queue an action names", "DELETE", f"{q}/0", 409, "conflict")
    suite.refused("DELETE a binding queues use", "DELETE",
                  "/v1/slices/crud/bindings/5", 409, "conflict")
    suite.refused("DELETE a queue that does not exist", "DELETE", f"{q}/77", 404,
                  "not_found")
    suite.refused("another slice's token", "GET", q, 404, "not_found",
                  token=other_tok)
    c.equal(suite.req("DELETE", f"{q}/9")[0], 204, "DELETE queue 9")
    c.equal(suite.req("DELETE", f"{q}/2")[0], 204, "DELETE queue 2")
    c.equal([x["id"] for x in suite.req("GET", q)[2]], [0, 1], "queues 2, 9 are gone")

    def put_refused(what, status, code, epath, change):
        doc = crud_config(30)
        change(doc)
        suite.refused(f"PUT config: {what}", "PUT", "/v1/slices/crud/config", status,
                      code, epath=epath, body=doc)

    out6 = {"id": 6, "interface": "eth1", "udp_port": 6001}
    put_refused("a queue on a missing binding", 400, "invalid_argument",
                "$.queues[2].binding",
                lambda doc: doc["queues"].append({"id": 3, "binding": 42}))
    put_refused("a queue without id", 400, "invalid_argument", "$.queues[0].id",
                lambda doc: doc["queues"][0].pop("id"))
    put_refused("weight 0", 400, "invalid_argument", "$.queues[0].weight",
                lambda doc: doc["queues"][0].update(weight=0))
    put_refused("an action names a missing queue", 400, "invalid_argument",
                "$.bindings[0].default_action.forward.queue",
                lambda doc: doc["bindings"][0]["default_action"]["forward"]
                .update(queue=7))
    put_refused("an action's queue is on another binding", 400, "invalid_argument",
                "$.bindings[0].default_action.forward.queue",
                lambda doc: (doc["bindings"].append(out6),
                             doc["queues"].append({"id": 3, "binding": 6}),
                             doc["bindings"][0]["default_action"]["forward"]
                             .update(queue=3)))
    put_refused("a filter names a missing queue", 400, "invalid_argument",
                "$.filters[0].action.forward.queue",
                lambda doc: doc.update(filters=[{
                    "id": 1, "priority": 1, "match": {"key": "00" * 14, "mask": "00" * 14},
                    "action": forward(5, 6009, 5)}]))
    put_refused("more queues than reserved", 409, "conflict", sptest.ANY,
                lambda doc: doc["queues"].extend({"id": 10 + k, "binding": 5}
                                                 for k in range(3)))


def crud_config(weight0, limit0=FIG7_LIMIT, queue1_named=True, with_queue1=True):
    """Bindings 0 and 1 forward to queues 0 and 1 of binding 5; queue 0 has
    'weight0' and 'limit0' packets."""
    doc = fig7_config(weights=(weight0, 10))
    doc["queues"][0]["limit_packets"] = limit0
    if not queue1_named:
        doc["bindings"][1]["default_action"]["forward"].pop("queue")
    if not with_queue1:
        doc["queues"].pop(1)
    return doc


def part_rest(c, binary, pcapgen, tmp):
    """The REST contract, then weight changes and removals under load."""
    inp, out = os.path.join(tmp, "rest-in.pcap"), os.path.join(tmp, "rest-out.pcap")
    fig7_input(pcapgen, inp, [0, 1])
    d = start(binary, os.path.join(tmp, "rest"), interfaces("net_pcap0", FIG7_RATE),
              [f"net_pcap0,rx_pcap={inp},infinite_rx=1", f"net_pcap1,tx_pcap={out}"])
    with d:
        tok = create_slice(c, d, "crud", 10_000_000, 3072, queues=4, filters=1)
        suite = sptest.ApiSuite(lambda: {
            "config": d.request("GET", "/v1/slices/crud/config")[2],
            "queues": d.request("GET", "/v1/slices/crud/queues")[2]})
        suite.checks, suite.daemon = c, d
        other_tok = create_slice(c, d, "other", 0, 0, queues=0)
        c.equal(d.request("PUT", "/v1/slices/crud/config", crud_config(30))[0], 200,
                "rest: PUT config")
        rest_contract(c, suite, tok, other_tok)
        changes_under_load(c, d)
        node = d.request("GET", "/v1/stats")[2]
        c.check("orphaned" in node["drops"], f"node drops count orphaned: {node['drops']}")
        stop(c, d, "rest")


def changes_under_load(c, d):
    """Weight and limit changes keep a queue's packets; removing a queue
    flushes at most its own."""
    c.check(sptest.wait_for(lambda: all(q["length_packets"] > 0
                                        for q in stats(d, "crud")["queues"]), 5),
            "load: both queues backlogged")
    s0 = stats(d, "crud")
    c.equal(d.request("PUT", "/v1/slices/crud/config", crud_config(5, 128))[0], 200,
            "load: PUT config: queue 0's weight 30 -> 5, limit_packets 256 -> 128")
    q0 = d.request("GET", "/v1/slices/crud/queues")[2][0]
    c.equal((q0["weight"], q0["limit_packets"]), (5, 128), "load: queue 0 changed")
    time.sleep(0.5)
    s1 = stats(d, "crud")
    c.equal(s1["drops"]["flushed"], s0["drops"]["flushed"],
            "load: a weight change flushes nothing")
    for i in (0, 1):
        a, b = queue_stats(s0)[i], queue_stats(s1)[i]
        c.check(b["enqueued"] > a["enqueued"] and b["dequeued"] > a["dequeued"]
                and b["dropped"] >= a["dropped"],
                f"load: queue {i} keeps counting across the change: {a} -> {b}")

    # The action leaves queue 1 (its traffic goes to binding 5's default
    # queue), then queue 1 goes.
    c.equal(d.request("PUT", "/v1/slices/crud/config",
                      crud_config(5, 128, queue1_named=False))[0], 200,
            "load: PUT config: binding 1 forwards without a queue")
    s2 = stats(d, "crud")
    c.equal(s2["drops"]["flushed"], s0["drops"]["flushed"],
            "load: an action leaving a queue flushes nothing")
    c.equal(d.request("DELETE", "/v1/slices/crud/queues/1")[0], 204,
            "load: DELETE queue 1")
    time.sleep(0.5)
    s3 = stats(d, "crud")
    unnamed = s3["drops"]["flushed"] - s2["drops"]["flushed"]
    c.check(0 <= unnamed <= FIG7_LIMIT,
            f"load: removing queue 1 flushed {unnamed}, at most its limit {FIG7_LIMIT}")
    c.equal(sorted(queue_stats(s3)), [0], "load: queue 1 left the stats")
    a, b = queue_stats(s2)[0], queue_stats(s3)[0]
    c.check(b["dequeued"] > a["dequeued"] and b["enqueued"] > a["enqueued"],
            f"load: queue 0 keeps going: {a} -> {b}")
    dq = {x["id"]: x["default_queue"] for x in s3["bindings"]}[5]
    c.check(dq["dequeued"] > 0, f"load: binding 5's default queue carries binding 1: {dq}")

    # Removing a backlogged queue together with the action naming it.  Its
    # backlog, far more than the scheduler sends in a burst after the worker
    # was off the CPU, cannot have drained when the change lands.
    s4 = stats(d, "crud")
    c.equal(d.request("PUT", "/v1/slices/crud/config",
                      crud_config(5, DEEP_LIMIT, queue1_named=False,
                                  with_queue1=False))[0], 200,
            f"load: PUT config: queue 0's limit_packets 128 -> {DEEP_LIMIT}")
    c.check(sptest.wait_for(lambda: queue_stats(stats(d, "crud"))[0]["length_packets"]
                            > DEEP_LIMIT // 2, 5), "load: queue 0 deeply backlogged")
    s5 = stats(d, "crud")
    c.equal(s5["drops"]["flushed"], s4["drops"]["flushed"],
            "load: raising a limit flushes nothing")
    doc = crud_config(5, DEEP_LIMIT, queue1_named=False, with_queue1=False)
    doc["bindings"][0]["default_action"]["forward"].pop("queue")
    doc["queues"] = []
    c.equal(d.request("PUT", "/v1/slices/crud/config", doc)[0], 200,
            "load: PUT config without queue 0 or the action naming it")
    time.sleep(0.3)
    s6 = stats(d, "crud")
    flushed = s6["drops"]["flushed"] - s5["drops"]["flushed"]
    c.check(0 < flushed <= DEEP_LIMIT,
            f"load: removing backlogged queue 0 flushed {flushed}: some, at most "
            f"its limit {DEEP_LIMIT}")
    c.equal(s6.get("queues"), [], "load: no queue left in the stats")
    print(f"load: removing queue 1 (no longer named) flushed {unnamed}, queue 0 "
          f"(length {queue_stats(s5)[0]['length_packets']} just before) {flushed}",
          flush=True)


# ------------------------------------------------------------------ part 5

def pcap_records(path):
    """(time, frame length) of each record of a classic pcap, without the
    frames: part 5's file is too big for tshark in the time we have."""
    recs = []
    with open(path, "rb") as f:
        magic = struct.unpack("<I", f.read(24)[:4])[0]
        endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
        frac = 1e-9 if magic in (0xa1b23c4d, 0x4d3cb2a1) else 1e-6
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            sec, sub, incl, orig = struct.unpack(endian + "IIII", rec)
            recs.append((sec + sub * frac, orig))
            f.seek(incl, os.SEEK_CUR)
    return recs


def part_unpaced(c, binary, pcapgen, tmp):
    """"queue_manager": false: the fig7 traffic leaves far above rate_bps."""
    inp, out = os.path.join(tmp, "np-in.pcap"), os.path.join(tmp, "np-out.pcap")
    fig7_input(pcapgen, inp, range(len(SIZES)))
    d = start(binary, os.path.join(tmp, "unpaced"), interfaces("net_pcap0", FIG7_RATE),
              [f"net_pcap0,rx_pcap={inp},infinite_rx=1", f"net_pcap1,tx_pcap={out}"],
              queue_manager=False)
    with d:
        create_slice(c, d, "np", 10_000_000, 2048)
        c.equal(d.request("PUT", "/v1/slices/np/config", fig7_config(with_queues=False))[0],
                200, "unpaced: PUT config")
        time.sleep(0.3)
        t1, n1 = time.time(), d.request("GET", "/v1/stats")[2]["ports"][1]
        time.sleep(0.3)
        t2, n2 = time.time(), d.request("GET", "/v1/stats")[2]["ports"][1]
        s = stats(d, "np")
        stop(c, d, "unpaced")
    counted = ((n2["tx_bytes"] - n1["tx_bytes"]) + OVERHEAD
               * (n2["tx_packets"] - n1["tx_packets"])) * 8 / (t2 - t1)
    recs = [r for r in pcap_records(out) if t1 < r[0] <= t2]
    in_pcap = (sum(r[1] + OVERHEAD for r in recs[1:]) * 8 / (recs[-1][0] - recs[0][0])
               if len(recs) > 1 else 0)
    print(f"unpaced: {counted / 1e6:.0f} Mbit/s by the counters, {in_pcap / 1e6:.0f} "
          f"Mbit/s in the pcap (rate_bps {FIG7_RATE / 1e6:g})", flush=True)
    c.check(counted > 5 * FIG7_RATE, f"unpaced: port counters say {counted:.0f} bit/s, "
            f"want far above {FIG7_RATE}")
    c.check(in_pcap > 5 * FIG7_RATE, f"unpaced: the pcap says {in_pcap:.0f} bit/s")
    c.equal(s["drops"]["queue_full"], 0, "unpaced: no queue, no tail drop")


# ------------------------------------------------------------------- main

def run(slicepathd, pcapgen, netns):
    """Runs every part (part 3 only in a network namespace); a part that
    raises counts as one failure and the next one runs."""
    c = sptest.Checks()
    parts = [part_fig7, part_conserve, part_rest, part_unpaced]
    if netns:
        parts.insert(2, part_isolation)
    if netns:
        sptest.setup_veth()     # and loopback, for the API
    with sptest.tempdir() as tmp:
        for part in parts:
            try:
                part(c, slicepathd, pcapgen, tmp)
            except Exception:
                c.check(False, f"{part.__name__} raised:\n{traceback.format_exc()}")
    if not netns and not c.failed:
        print("SKIP: part 3 (isolation) needs root for a network namespace")
        print(f"{c.passed} passed, {c.failed} failed", flush=True)
        sys.exit(sptest.SKIP)
    c.finish()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    if os.geteuid() == 0:
        sptest.netns_main(lambda binary, gen: run(binary, gen, True))
    else:
        run(sys.argv[1], sys.argv[2], False)
