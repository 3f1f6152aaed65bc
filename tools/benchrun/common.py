# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Constants and process helpers shared by the runner's modules."""

import ctypes
import os
import shutil
import signal
import socket
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
HARNESS = os.path.join(TOP, "tests", "integration")     # ovs.py, the private OVS

TOKEN = "benchrun-admin-token-0123456789abcdef"
# Every interface's rate_bps, the node's highest: the schedulers then pace
# above what one worker sends.  At 100 Gbit/s a Zen 5 worker met the pacer
# with 1024-byte frames and larger (94 Gbit/s out, packets waiting).
RATE = 400_000_000_000
BUFFERS = 16384                 # node capacity.buffers, shared by the slices
IN_PORT, OUT_PORT = 5000, 20000
NODE_IP, OUT_IP = "192.0.2.1", "198.51.100.1"
CORES = "0,1"                   # main/control on 0, the worker on 1
WORKER_CORE = 1
# With a generator: lcore 2, on CPU 0 beside the main lcore.
GEN_LCORES = "0@0,1@1,2@0"
GEN_DEVICE = "net_ring_gen0"
PCT = (("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("p99.9", 0.999))
CONTENDERS = ("slicepath", "testpmd", "ovs")
# testpmd's forwarding engines that send every packet of port 0 out of
# port 1: io touches nothing (the ceiling); mac and macswap write the
# Ethernet header, 5tswap swaps the addresses and ports of L2 to L4, and
# csum parses to L4 and sets the IP and UDP checksums in software.
TESTPMD_MODES = ("io", "mac", "macswap", "5tswap", "csum")


def label(c, sc=None):
    """What the outputs call contender 'c' in scenario 'sc' ("testpmd io",
    "testpmd csum", ...)."""
    if c == "testpmd":
        return f"testpmd {(sc or {}).get('testpmd_mode', 'io')}"
    return {"slicepath": "slicepath", "ovs": "ovs-dpdk"}[c]


class Unavailable(Exception):
    """The machine lacks something the scenario needs (exit status 3)."""


def die_with_parent():
    """preexec_fn: the child gets SIGTERM if the runner dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop_process(proc, sig=signal.SIGTERM, timeout=60):
    """Sends 'sig' and waits; kills it after 'timeout'.  Returns the exit
    status, or "hung" if it had to be killed."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return "hung"
    return proc.returncode


def dpdk_runtime_cleanup(prefix):
    """Removes the runtime directory DPDK leaves for --file-prefix 'prefix'."""
    for base in ("/var/run/dpdk", os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/nonexistent"),
                                               "dpdk")):
        shutil.rmtree(os.path.join(base, prefix), ignore_errors=True)


def file_prefix(what):
    """A DPDK --file-prefix of this runner's own for contender 'what'."""
    return f"benchrun{os.getpid()}{what}"


def eal_common(prefix, lcores=None):
    """EAL options every contender takes: the cores (-l 0,1, or --lcores
    'lcores'), no PCI, quiet, and its own file prefix."""
    cores = ["--lcores", lcores] if lcores else ["-l", CORES]
    return [*cores, "--no-pci", "--log-level", "lib.eal:error", "--file-prefix", prefix]


def vdevs(pcap):
    """The input (pcap replayed from memory) and the sink, as --vdev values."""
    return [f"net_pcap0,rx_pcap={pcap},infinite_rx=1", "net_null0,no-rx=1"]


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path, lines=20):
    """The last 'lines' lines of a log file ("" if it cannot be read)."""
    try:
        with open(path, errors="replace") as f:
            return "\n".join(f.read().splitlines()[-lines:])
    except OSError:
        return ""
