# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""A private userspace Open vSwitch for the integration tests.

    with ovs.Ovs() as sw:
        sw.add_bridge("br0", dpid=1)
        sw.add_port("br0", "p1", 1)
        sw.add_flow("br0", "cookie=0x1,priority=100,in_port=1,udp,"
                           "nw_dst=192.0.2.1,tp_dst=5000,actions=output:2")
        flows = sw.dump_flows("br0", cookie=0x1)

Ovs runs its own ovsdb-server and ovs-vswitchd as child processes of the
test, with every file they use (database, sockets, pidfiles, logs) in a
temporary directory: OVS_RUNDIR, OVS_DBDIR, OVS_LOGDIR and OVS_SYSCONFDIR
point there in the environment of every command it runs (os.environ is left
alone), so the system's /var/run/openvswitch is never touched.  Bridges use
the userspace datapath (datapath_type=netdev: no kernel module; a port on a
Linux device is read and written with an AF_PACKET socket), fail_mode=secure
(no flows, no forwarding) and OpenFlow 1.3 only.

ovs-vswitchd must run in the network namespace of the devices it is given:
start Ovs inside the test's namespace, after or before making the veths.

Errors raise OvsError with the failed command, its output and the last lines
of both daemons' logs.  stop() (and leaving the with block, however) stops
both daemons with SIGTERM, then SIGKILL, reaps them and checks by pid that
neither is left.
"""

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

SCHEMA = os.environ.get("OVS_SCHEMA", "/usr/share/openvswitch/vswitch.ovsschema")
PROGRAMS = ("ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl",
            "ovs-appctl")
# ovs-vswitchd and ovsdb-server live in /usr/sbin, which a non-root PATH lacks.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin",
                               "/usr/local/sbin"])

DAEMONS = ("ovsdb-server", "ovs-vswitchd")
MAX_COOKIE = 0xFFFFFFFFFFFFFFFF


class OvsError(RuntimeError):
    pass


def missing():
    """Why this machine cannot run Ovs (a string), or None if it can."""
    gone = [p for p in PROGRAMS if shutil.which(p, path=SEARCH_PATH) is None]
    if gone:
        return ("Open vSwitch is not installed (no " + ", ".join(gone)
                + "; Debian package openvswitch-switch)")
    if not os.path.exists(SCHEMA):
        return f"Open vSwitch schema {SCHEMA} is missing"
    return None


def disable_offloads(dev):
    """Turns off TX checksum offload (and so TSO/GSO) on a Linux device.

    Needed on a veth end where the *kernel* sends UDP or TCP into an OVS
    netdev port: the kernel leaves the checksum partial (pseudo-header
    only) for an offloading device, OVS reads the frame with AF_PACKET and
    forwards it as it is, and the receiver sees a bad checksum.  Frames
    written whole with a raw socket (or by DPDK) are not affected."""
    ethtool = shutil.which("ethtool", path=SEARCH_PATH)
    if ethtool is None:
        raise OvsError(f"cannot disable offloads on {dev}: no ethtool")
    r = subprocess.run([ethtool, "-K", dev, "tx", "off"], capture_output=True,
                       text=True, timeout=20)
    if r.returncode != 0:
        raise OvsError(f"ethtool -K {dev} tx off: {r.stderr.strip()}")


def _die_with_parent():
    """preexec_fn: the daemon gets SIGTERM if the test process dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)           # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _alive(pid):
    """True if pid is a process that has not exited (a zombie has)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _ovsdb_value(v):
    """An OVSDB JSON datum as Python: maps as dicts, sets as lists, uuids as
    strings, an empty optional as None."""
    if isinstance(v, list) and len(v) == 2 and isinstance(v[0], str):
        kind, data = v
        if kind == "map":
            return {k: _ovsdb_value(x) for k, x in data}
        if kind == "set":
            items = [_ovsdb_value(x) for x in data]
            return items
        if kind in ("uuid", "named-uuid"):
            return data
    return v


def _optional(v):
    """An optional column (a set of 0 or 1) as its value or None."""
    if isinstance(v, list):
        return v[0] if v else None
    return v


# Words that dump-flows prints before the match that are not match fields.
_FLOW_STATS = {"cookie", "duration", "table", "n_packets", "n_bytes", "idle_timeout",
               "hard_timeout", "idle_age", "hard_age", "importance", "priority"}
_FLOW_FLAGS = {"send_flow_rem", "check_overlap", "reset_counts", "no_packet_counts",
               "no_byte_counts"}


def parse_flow(line):
    """One line of 'ovs-ofctl dump-flows' as a dict: cookie, table, priority,
    n_packets, n_bytes (ints), duration (float seconds), flags (list), match
    (dict field -> value; a bare word such as 'udp' maps to None), actions
    (str, as printed) and raw (the line)."""
    text = line.strip()
    head, sep, actions = text.partition(" actions=")
    if not sep:
        if text.startswith("actions="):
            head, actions = "", text[len("actions="):]
        else:
            raise OvsError(f"not a flow: {line!r}")
    flow = {"cookie": 0, "table": 0, "priority": 32768, "n_packets": 0, "n_bytes": 0,
            "duration": 0.0, "flags": [], "match": {}, "actions": actions.strip(),
            "raw": text}
    for tok in head.replace(",", " ").split():
        key, eq, value = tok.partition("=")
        if key in _FLOW_STATS and eq:
            if key == "duration":
                flow[key] = float(value.rstrip("s"))
            else:
                flow[key] = int(value, 0)
        elif key in _FLOW_FLAGS and not eq:
            flow["flags"].append(key)
        else:
            flow["match"][key] = value if eq else None
    return flow


class Ovs:
    """ovsdb-server and ovs-vswitchd of a test's own, in a temporary directory.

    timeout: seconds allowed for one command or one wait (default 30).
    keep: leave the directory (database, logs) behind after stop()."""

    def __init__(self, timeout=30, keep=False, start=True):
        why = missing()
        if why:
            raise OvsError(why)
        self.timeout = timeout
        self.keep = keep
        self.dir = tempfile.mkdtemp(prefix="slicepath-ovs-")
        self.db = os.path.join(self.dir, "conf.db")
        self.db_sock = os.path.join(self.dir, "db.sock")
        self.env = dict(os.environ)
        self.env["PATH"] = SEARCH_PATH
        for var in ("OVS_RUNDIR", "OVS_DBDIR", "OVS_LOGDIR", "OVS_SYSCONFDIR"):
            self.env[var] = self.dir
        self.procs = {}             # daemon name -> Popen, while it runs
        self.started = []           # (name, pid) of every daemon ever started
        self._outs = {}
        self._ready_serial = 0
        self._stopped = False
        if start:
            try:
                self.start()
            except BaseException:
                self.stop()
                raise

    # --- files -------------------------------------------------------------

    def path(self, name):
        return os.path.join(self.dir, name)

    def pidfile(self, daemon):
        return self.path(daemon + ".pid")

    def logfile(self, daemon):
        return self.path(daemon + ".log")

    def mgmt(self, bridge):
        """The bridge's OpenFlow management socket (ovs-ofctl's way in)."""
        return self.path(bridge + ".mgmt")

    def read_pidfile(self, daemon):
        try:
            with open(self.pidfile(daemon)) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def log_tail(self, lines=15):
        """The last lines of each daemon's log (and of its stderr, if any)."""
        out = []
        for d in DAEMONS:
            for name in (d + ".log", d + ".out"):
                try:
                    with open(self.path(name), errors="replace") as f:
                        tail = f.read().splitlines()[-lines:]
                except OSError:
                    continue
                if tail or name.endswith(".log"):
                    out.append(f"--- {self.path(name)} (last {len(tail)} lines)")
                    out.extend(tail)
        return "\n".join(out)

    def _fail(self, msg):
        raise OvsError(f"{msg}\n{self.log_tail()}")

    # --- commands ----------------------------------------------------------

    def run(self, *cmd, check=True, timeout=None, input=None):
        """Runs one command in the private environment; returns the
        CompletedProcess (text).  check: raise OvsError on a non-zero exit."""
        try:
            r = subprocess.run(list(cmd), env=self.env, cwd=self.dir, capture_output=True,
                               text=True, timeout=timeout or self.timeout, input=input)
        except subprocess.TimeoutExpired as e:
            self._fail(f"{' '.join(cmd)}: no answer in {e.timeout} s")
        except FileNotFoundError as e:
            raise OvsError(f"{cmd[0]}: {e}") from None
        if check and r.returncode != 0:
            self._fail(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stdout}{r.stderr}".rstrip())
        return r

    def _cmd_timeout(self):
        # The tools' own timeout, a little under the subprocess limit.
        return str(max(1, int(self.timeout) - 5))

    def vsctl(self, *args, wait=True, check=True):
        """ovs-vsctl against the private database; returns its stdout.
        wait: wait for ovs-vswitchd to apply the change (ovs-vsctl's default)."""
        cmd = ["ovs-vsctl", f"--db=unix:{self.db_sock}", f"--timeout={self._cmd_timeout()}"]
        if not wait:
            cmd.append("--no-wait")
        return self.run(*cmd, *args, check=check).stdout

    def ofctl(self, command, bridge, *args, check=True):
        """ovs-ofctl -O OpenFlow13 COMMAND on the bridge's mgmt socket."""
        return self.run("ovs-ofctl", "-O", "OpenFlow13", "--no-names",
                        f"--timeout={self._cmd_timeout()}", command,
                        f"unix:{self.mgmt(bridge)}", *args, check=check).stdout

    def appctl(self, daemon, *args, check=True):
        """ovs-appctl to one of the daemons (e.g. "ovs-vswitchd", "ofproto/trace", ...)."""
        return self.run("ovs-appctl", f"--timeout={self._cmd_timeout()}", "-t",
                        self.path(daemon + ".ctl"), *args, check=check).stdout

    # --- daemons -----------------------------------------------------------

    def _spawn(self, daemon, args):
        out = open(self.path(daemon + ".out"), "a")
        self._outs[daemon] = out
        try:
            os.unlink(self.pidfile(daemon))
        except FileNotFoundError:
            pass
        cmd = [shutil.which(daemon, path=SEARCH_PATH), *args,
               f"--pidfile={self.pidfile(daemon)}",
               f"--log-file={self.logfile(daemon)}",
               f"--unixctl={self.path(daemon + '.ctl')}",
               "--no-chdir", "-vconsole:off", "-vfile:info"]
        proc = subprocess.Popen(cmd, env=self.env, cwd=self.dir, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT,
                                preexec_fn=_die_with_parent)
        self.procs[daemon] = proc
        self.started.append((daemon, proc.pid))
        return proc

    def _wait(self, what, daemon, ready):
        """Polls ready() until true; fails if the daemon exits or time runs out."""
        proc = self.procs[daemon]
        deadline = time.monotonic() + self.timeout
        err = ""
        while True:
            if proc.poll() is not None:
                self._fail(f"{daemon} exited {proc.returncode} before {what}")
            try:
                if ready():
                    break
            except OvsError as e:
                err = str(e).split("\n", 1)[0]
            if time.monotonic() > deadline:
                self._fail(f"{daemon}: not {what} after {self.timeout} s ({err})")
            time.sleep(0.1)
        pid = self.read_pidfile(daemon)
        if pid != proc.pid:
            self._fail(f"{daemon}: pidfile says {pid}, started {proc.pid}")

    def _start_vswitchd(self):
        self._spawn("ovs-vswitchd", [f"unix:{self.db_sock}"])

        # A write through ovs-vsctl returns once ovs-vswitchd has applied
        # the configuration (cur_cfg caught up with next_cfg).
        def applied():
            self._ready_serial += 1
            r = self.run("ovs-vsctl", f"--db=unix:{self.db_sock}", "--timeout=3", "set",
                         "Open_vSwitch", ".",
                         f"external_ids:slicepath-harness={self._ready_serial}",
                         check=False, timeout=10)
            return r.returncode == 0
        self._wait("applying its configuration", "ovs-vswitchd", applied)

    def start(self):
        """Creates the database and starts both daemons (done by __init__
        unless start=False)."""
        if self.procs:
            raise OvsError("already started")
        self._stopped = False
        if not os.path.exists(self.db):
            self.run("ovsdb-tool", "create", self.db, SCHEMA)
        self._spawn("ovsdb-server", [self.db, f"--remote=punix:{self.db_sock}"])

        def answers():
            return self.run("ovs-vsctl", f"--db=unix:{self.db_sock}", "--no-wait",
                            "--timeout=3", "show", check=False,
                            timeout=10).returncode == 0
        self._wait("answering on db.sock", "ovsdb-server", answers)
        self.vsctl("init", wait=False)
        self._start_vswitchd()

    def _stop_daemon(self, daemon, timeout=None):
        proc = self.procs.pop(daemon, None)
        if proc is not None:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout or self.timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        out = self._outs.pop(daemon, None)
        if out:
            out.close()
        # A pidfile left by an instance of ours we have no handle on (should
        # not happen): end it too, but only if it is our binary with our files.
        pid = self.read_pidfile(daemon)
        if pid and _alive(pid) and self._ours(pid):
            os.kill(pid, signal.SIGKILL)

    def _ours(self, pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            return False
        return any(self.dir.encode() in a for a in argv)

    def restart_vswitchd(self):
        """Stops ovs-vswitchd and starts it again on the same database, as a
        switch restart: bridges, ports and controllers come back from the
        database, flows (which live only in ovs-vswitchd) are gone."""
        self._stop_daemon("ovs-vswitchd")
        self._start_vswitchd()

    def leftover(self):
        """(daemon, pid) of anything this instance started that still runs."""
        return [(d, p) for d, p in self.started if _alive(p)]

    def stop(self):
        """Stops both daemons (only those this instance started); safe to call
        again.  Raises OvsError if one of them is still alive afterwards."""
        if self._stopped:
            return
        self._stopped = True
        for daemon in ("ovs-vswitchd", "ovsdb-server"):
            self._stop_daemon(daemon)
        left = self.leftover()
        if left:
            raise OvsError(f"still running after stop: {left}")
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and not isinstance(exc, OvsError):
            # The test failed: show what the switch said before it goes.
            try:
                print(self.log_tail(), flush=True)
            except Exception:
                pass
        self.stop()

    # --- configuration -----------------------------------------------------

    def add_bridge(self, name, dpid=None):
        """A userspace bridge that forwards nothing without flows and speaks
        OpenFlow 1.3 only.  dpid: int (or hex string) for the datapath ID."""
        sets = ["datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow13",
                # In-band control would add hidden flows and look for a route
                # to each controller; the tests' controllers are on loopback.
                "other_config:disable-in-band=true"]
        if dpid is not None:
            if isinstance(dpid, str):
                dpid = int(dpid.replace(":", ""), 16)
            sets.append(f"other_config:datapath-id={dpid:016x}")
        self.vsctl("add-br", name, "--", "set", "Bridge", name, *sets)

    def del_bridge(self, name):
        self.vsctl("del-br", name)

    def add_port(self, bridge, ifname, ofport=None, **columns):
        """Adds Linux device ifname as a port (ovs-vswitchd opens it with
        AF_PACKET).  ofport: the OpenFlow port number to ask for.  Other
        Interface columns as keywords (e.g. mtu_request=1500).  Returns the
        port number it got."""
        sets = [f"{k}={v}" for k, v in columns.items()]
        if ofport is not None:
            sets.append(f"ofport_request={ofport}")
        args = ["add-port", bridge, ifname]
        if sets:
            args += ["--", "set", "Interface", ifname, *sets]
        self.vsctl(*args)
        got = self.ofport(ifname)
        if got < 0:
            # ovs-vsctl only warns; the Interface row keeps the reason.
            err = self.vsctl("get", "Interface", ifname, "error", wait=False).strip()
            self._fail(f"{ifname}: ovs-vswitchd could not open it: {err} (is it in "
                       f"this network namespace?)")
        if ofport is not None and got != ofport:
            self._fail(f"{ifname}: asked for OpenFlow port {ofport}, got {got}")
        return got

    def del_port(self, bridge, ifname):
        self.vsctl("del-port", bridge, ifname)

    def ofport(self, ifname):
        """The OpenFlow port number of an interface (-1 if it failed to open)."""
        return int(self.vsctl("get", "Interface", ifname, "ofport", wait=False).strip())

    def set_controller(self, bridge, *targets, out_of_band=True, max_backoff_ms=1000,
                       inactivity_probe_ms=None):
        """Replaces the bridge's controllers.  A target is "ptcp:PORT:127.0.0.1"
        (the switch listens; a client connects to it) or "tcp:127.0.0.1:PORT"
        (the switch connects out, retrying at most every max_backoff_ms)."""
        args = []
        refs = []
        for i, t in enumerate(targets):
            cols = [f'target="{t}"']
            if out_of_band:
                cols.append("connection_mode=out-of-band")
            if max_backoff_ms is not None:
                cols.append(f"max_backoff={max_backoff_ms}")
            if inactivity_probe_ms is not None:
                cols.append(f"inactivity_probe={inactivity_probe_ms}")
            args += ["--", f"--id=@c{i}", "create", "Controller", *cols]
            refs.append(f"@c{i}")
        args += ["--", "set", "Bridge", bridge, f"controller=[{','.join(refs)}]"]
        self.vsctl(*args)

    def del_controller(self, bridge):
        self.vsctl("del-controller", bridge)

    # --- controller connection state ---------------------------------------

    def controllers(self, bridge=None):
        """The Controller rows (of one bridge, or all): dicts with uuid,
        target, is_connected (bool), role (str or None) and status (dict,
        e.g. {"state": "ACTIVE", "sec_since_connect": "2"}).

        For a passive target (ptcp:, punix:) OVS 3.1 leaves is_connected false
        and status empty even with a client connected: see passive_clients().
        For an active one (tcp:) the columns lag the connection by up to a few
        seconds."""
        out = self.vsctl("--format=json", "--columns=_uuid,target,is_connected,status,role",
                         "list", "Controller", wait=False)
        doc = json.loads(out)
        rows = []
        for data in doc["data"]:
            r = dict(zip(doc["headings"], (_ovsdb_value(v) for v in data)))
            rows.append({"uuid": r["_uuid"], "target": r["target"],
                         "is_connected": bool(r["is_connected"]),
                         "status": r["status"] or {}, "role": _optional(r["role"])})
        if bridge is not None:
            doc = json.loads(self.vsctl("--format=json", "--columns=controller", "list",
                                        "Bridge", bridge, wait=False))
            mine = _ovsdb_value(doc["data"][0][0])
            if isinstance(mine, str):
                mine = [mine]
            rows = [r for r in rows if r["uuid"] in mine]
        return rows

    def passive_clients(self, port):
        """How many TCP connections ovs-vswitchd has accepted on local port
        'port' (its ptcp: controller listener) and still holds open, read from
        /proc (this network namespace's sockets, ovs-vswitchd's descriptors)."""
        proc = self.procs.get("ovs-vswitchd")
        if proc is None or proc.poll() is not None:
            return 0
        inodes = set()
        for name in ("tcp", "tcp6"):
            try:
                with open(f"/proc/net/{name}") as f:
                    next(f)
                    for line in f:
                        fields = line.split()
                        local, state, inode = fields[1], fields[3], fields[9]
                        if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                            inodes.add(inode)
            except OSError:
                continue
        if not inodes:
            return 0
        n = 0
        fd_dir = f"/proc/{proc.pid}/fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            return 0
        for fd in fds:
            try:
                link = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] in inodes:
                n += 1
        return n

    def controller_connected(self, bridge):
        """True if any controller of the bridge is connected: an active target
        by its is_connected column, a ptcp: one by passive_clients()."""
        for c in self.controllers(bridge):
            t = c["target"]
            if t.startswith("ptcp:"):
                if self.passive_clients(int(t.split(":")[1])) > 0:
                    return True
            elif c["is_connected"]:
                return True
        return False

    def wait_controller(self, bridge, connected=True, timeout=None):
        """Waits until controller_connected(bridge) is 'connected'."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while self.controller_connected(bridge) != connected:
            if time.monotonic() > deadline:
                self._fail(f"{bridge}: controller {'not ' if connected else 'still '}"
                           f"connected after {timeout or self.timeout} s: "
                           f"{self.controllers(bridge)}")
            time.sleep(0.2)

    # --- flows -------------------------------------------------------------

    def flush_datapath(self):
        """Empties the datapath's flow cache (ovs-appctl revalidator/purge).

        A frame that met no flow leaves a cached datapath flow (often a
        wide "drop") behind, and a flow_mod only marks it for revalidation,
        which the revalidator threads do some time later (up to ~0.5 s here):
        a frame sent right after a flow is added can still be dropped, one
        sent right after a flow is deleted can still be forwarded, while the
        OpenFlow counters credit the new rule.  After the purge every frame
        is looked up in the current OpenFlow tables.  add_flow and del_flows
        do this unless sync=False; after flows pushed by a controller, call
        it (or wait_flows()) before sending traffic."""
        self.appctl("ovs-vswitchd", "revalidator/purge")

    def add_flow(self, bridge, spec, sync=True):
        """ovs-ofctl add-flow, e.g. "cookie=0x1,priority=100,in_port=1,udp,
        nw_dst=192.0.2.1,tp_dst=5000,actions=output:2"; then flush_datapath()."""
        self.ofctl("add-flow", bridge, spec)
        if sync:
            self.flush_datapath()

    def del_flows(self, bridge, spec=None, sync=True):
        """ovs-ofctl del-flows: all flows, or those matching spec (a cookie
        needs a mask there: "cookie=0x1/-1"); then flush_datapath()."""
        self.ofctl("del-flows", bridge, *([spec] if spec else []))
        if sync:
            self.flush_datapath()

    def wait_flows(self, bridge, predicate=bool, cookie=None, mask=None, spec=None,
                   timeout=None):
        """Polls dump_flows(bridge, cookie, mask, spec) until predicate(flows)
        is true (by default: until there is one), e.g. for the flows a
        controller pushes; then flush_datapath() so that traffic meets them.
        Returns the flows."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            flows = self.dump_flows(bridge, cookie, mask, spec)
            if predicate(flows):
                self.flush_datapath()
                return flows
            if time.monotonic() > deadline:
                self._fail(f"{bridge}: flows not as awaited after "
                           f"{timeout or self.timeout} s: {[f['raw'] for f in flows]}")
            time.sleep(0.2)

    def dump_flows(self, bridge, cookie=None, mask=None, spec=None):
        """The bridge's flows as parse_flow() dicts.  cookie (and mask, by
        default all ones) select by cookie; spec adds other match fields."""
        sel = []
        if cookie is not None:
            sel.append(f"cookie={cookie:#x}/{(MAX_COOKIE if mask is None else mask):#x}")
        if spec:
            sel.append(spec)
        out = self.ofctl("dump-flows", bridge, *([",".join(sel)] if sel else []))
        return [parse_flow(line) for line in out.splitlines()
                if line.startswith(" ") and "actions=" in line]

    def port_stats(self, bridge):
        """ovs-ofctl dump-ports: {port (int, or "LOCAL"): {"rx_pkts": n,
        "tx_pkts": n, "rx_drop": n, "tx_drop": n, ...}}."""
        out = self.ofctl("dump-ports", bridge)
        stats = {}
        cur = None
        for line in out.splitlines():
            line = line.strip()
            if line.startswith("port"):
                name, _, rest = line[4:].partition(":")
                name = name.strip().strip('"')
                cur = stats.setdefault(int(name) if name.isdigit() else name, {})
                line = rest.strip()
            elif not (line.startswith("tx ") and cur is not None):
                continue
            if not line.startswith(("rx", "tx")):
                continue
            direction = "tx" if line.startswith("tx") else "rx"
            for part in line.replace(" ", "").replace(direction, "", 1).split(","):
                k, eq, v = part.partition("=")
                if eq and k:
                    cur[f"{direction}_{k}"] = int(v) if v.isdigit() else None
        return stats
