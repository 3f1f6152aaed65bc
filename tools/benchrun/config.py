# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""What a scenario builds: the input pcap, the node's configuration, each
slice's reservation and configuration, and OVS's equivalent flows.

Slice i binds UDP port IN_PORT+i on eth0 and OUT_PORT+i on eth1 and has
F filters: F - 1 that match none of the traffic, then one, the least
preferred, that forwards everything out of eth1 (into its first queue if
it has queues), so that every packet's lookup rules out every other
filter of its slice first.  (The generic filters are masks, which the
node classifies in a tuple space; the ipv4 ones have port ranges, which
go to rte_acl.)  With no filters, the input binding's default action
forwards.  With a program, every slice runs it and reserves an equal
share of a program cycle budget far above what one worker can spend.
Traffic, made by pcapgen, goes round-robin over the slices' ports.
"""

import json
import os
import random
import subprocess

from .common import BUFFERS, GEN_DEVICE, IN_PORT, NODE_IP, OUT_IP, OUT_PORT, RATE, TOKEN
from .scenario import overlay

# The node's program cycle capacity with a program (the most it allows):
# the slices share it, so that no slice's budget binds.
PROGRAM_CYCLES = 1 << 40


def pcap_make(pcapgen, work, sc):
    """The scenario's input pcap in 'work' (made once per slices, size and
    code option); returns its path."""
    n = sc["slices"]
    count = max(4096, n) // n * n
    kind = "overlay,inner_dst=10.0.0.0/16,inner_dport=2000-2999" if overlay(sc) else "udp"
    path = os.path.join(work, f"in-{n}-{sc['size']}-{kind.split(',')[0]}.pcap")
    if not os.path.exists(path):
        subprocess.run([pcapgen, "-o", path, "--flow",
                        f"kind={kind},dst={NODE_IP},dport={IN_PORT}-{IN_PORT + n - 1},"
                        f"src=10.0.0.0/16,size={sc['size']},count={count}"],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def node_config(sc, work, api_port, generator=False):
    """The node file: eth0 the input (the pcap's net_pcap0, or the
    generator's net_ring), eth1 the net_null sink, both paced at RATE; one
    worker on lcore 1; capacity for the scenario's slices."""
    node = {"name": "bench",
            "interfaces": [{"name": "eth0", "device": GEN_DEVICE if generator else "net_pcap0",
                            "ipv4": NODE_IP, "rate_bps": RATE,
                            "gateway_mac": "02:00:00:00:00:fe"},
                           {"name": "eth1", "device": "net_null0", "ipv4": OUT_IP,
                            "rate_bps": RATE, "gateway_mac": "02:00:00:00:01:fe"}],
            "lcores": {"workers": [1]},
            "capacity": {"filters": max(sc["slices"] * sc["filters"], 1),
                         "queues": max(sc["slices"] * sc["queues"], 1), "buffers": BUFFERS},
            "queue_manager": sc["queue_manager"],
            "api": {"listen": f"127.0.0.1:{api_port}",
                    "admin_token_file": os.path.join(work, "admin.token"),
                    "max_body_bytes": 64 << 20},
            "state_dir": os.path.join(work, "state")}
    if sc["program"] is not None:
        node["capacity"]["program_cycles_per_sec"] = PROGRAM_CYCLES
    return node


def write_node_files(sc, work, api_port, generator=False):
    """Writes node.json and the admin token file into 'work'; returns the
    node file's path."""
    path = os.path.join(work, "node.json")
    with open(path, "w") as f:
        json.dump(node_config(sc, work, api_port, generator), f)
    fd = os.open(os.path.join(work, "admin.token"), os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, TOKEN.encode())
    os.close(fd)
    return path


def slice_create(i, sc):
    """POST /v1/slices for slice i: an equal share of buffers and bandwidth."""
    n = sc["slices"]
    res = {"filters": sc["filters"], "queues": sc["queues"], "buffers": BUFFERS // n,
           "bandwidth": {"eth0": {"in_bps": RATE // n}, "eth1": {"out_bps": RATE // n}}}
    if sc["program"] is not None:
        res["program_cycles_per_sec"] = PROGRAM_CYCLES // n
    return {"name": f"s{i}", "code_option": sc["code_option"], "reservation": res}


def slice_filters(i, sc, rng):
    """Slice i's filter list, and the OpenFlow equivalents of the ones that
    match nothing (nw_src /24s outside the traffic's 10.0.0.0/16), and the
    forward action.  'rng' makes the non-matching keys."""
    nf = sc["filters"]
    fwd = {"forward": {"binding": 1, "peer": f"203.0.113.{1 + i % 250}:7000"}}
    if sc["queues"]:
        fwd["forward"]["queue"] = 0
    filters, of_src = [], []
    for f in range(nf - 1):
        if sc["code_option"] == "ipv4":
            # Inner traffic goes to 10.0.0.0/16; these are elsewhere in 10/8.
            match = {"dst": f"10.{rng.randrange(1, 256)}.{rng.randrange(256)}.0/24",
                     "protocol": 17,
                     "dst_port": [rng.randrange(1024), 1024 + rng.randrange(1024)]}
        else:
            # The generic 112-bit key.  pcapgen's payloads start "SP", or
            # 0x45 (overlay); a bpf program's key, its return value,
            # starts with zero bytes.  These keys start otherwise.
            key = bytes([rng.randrange(0x54, 0x100)]) + rng.randbytes(3) + bytes(10)
            match = {"key": key.hex(), "mask": ("ff" * 4) + ("00" * 10)}
        filters.append({"id": f + 1, "priority": 10 + f, "match": match,
                        "action": {"drop": {}}})
        of_src.append(f"10.{rng.randrange(1, 256)}.{rng.randrange(256)}.0/24")
    catch = {"dst": "10.0.0.0/8"} if sc["code_option"] == "ipv4" else {}
    if nf:
        filters.append({"id": nf, "priority": 1_000_000, "match": catch, "action": fwd})
    return filters, of_src, fwd


def slice_config(i, sc, rng):
    """Slice i's whole configuration (PUT /v1/slices/s{i}/config), with the
    scenario's program, if it has one, as the slice's "program"."""
    filters, _, fwd = slice_filters(i, sc, rng)
    cfg = {"bindings": [{"id": 0, "interface": "eth0", "udp_port": IN_PORT + i,
                         "default_action": fwd},
                        {"id": 1, "interface": "eth1", "udp_port": OUT_PORT + i}],
           "queues": [{"id": q, "binding": 1, "weight": 10 * (q + 1)}
                      for q in range(sc["queues"])],
           "filters": filters}
    if sc["program"] is not None:
        cfg["program"] = sc["program"]
    return cfg


def slices_configure(api, sc):
    """Creates and configures every slice of the scenario through 'api'
    (a callable: method, path, body)."""
    rng = random.Random(1)
    for i in range(sc["slices"]):
        api("POST", "/v1/slices", slice_create(i, sc))
        api("PUT", f"/v1/slices/s{i}/config", slice_config(i, sc, rng))


def ovs_flows(sc):
    """OpenFlow 1.3 flows (ovs-ofctl add-flows lines) like the scenario's
    slices: per slice, its non-matching filters as drop rules on the outer
    source and, least preferred, the one that outputs to the sink.  Or, with
    ovs_flows "port", one port-to-port flow."""
    if sc["ovs_flows"] == "port":
        return ["priority=1,in_port=1,actions=output:2"]
    rng = random.Random(1)
    lines = []
    for i in range(sc["slices"]):
        _, of_src, _ = slice_filters(i, sc, rng)
        head = f"in_port=1,udp,nw_dst={NODE_IP},tp_dst={IN_PORT + i}"
        for f, src in enumerate(of_src):
            lines.append(f"priority={max(2, 65535 - f)},{head},nw_src={src},actions=drop")
        lines.append(f"priority=1,{head},actions=output:2")
    return lines
