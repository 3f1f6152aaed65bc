#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
#
# usage: tools/demo.sh [BUILD_DIR]
#
# Runs slicepathd with config/node.json: eth0 is a net_pcap port replaying
# generated traffic from memory (infinite_rx), eth1 a net_null sink.  Creates
# two slices over REST, with slicectl: "demo" (passthrough; config/demo-slice.json, its
# bindings config/demo-bindings.json) and "router" (an ipv4 overlay router
# with filters and routes; config/demo-router-slice.json and, as one PUT,
# config/demo-router.json).  Shows the node's and the slices' counters every
# 2 seconds for DURATION seconds (default 10; 0 = until Ctrl-C), then stops
# the daemon with SIGTERM.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
duration=${DURATION:-10}
config=$top/config/node.json
slicectl=$build/tools/slicectl
work=$(mktemp -d /tmp/slicepath-demo.XXXXXX)
daemon=
started=

# DPDK's runtime directory for the demo's --file-prefix: root's, else the
# user's (as EAL picks it).
if [ "$(id -u)" -eq 0 ]; then
  runtime=/var/run/dpdk/slicepath-demo
else
  runtime=${XDG_RUNTIME_DIR:-/tmp}/dpdk/slicepath-demo
fi

cleanup() {
  if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
    kill -TERM "$daemon"
    wait "$daemon" || true
  fi
  # The daemon is gone: nothing uses its runtime files.
  if [ -n "$started" ]; then
    rm -rf "$runtime"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Traffic for the demo slice's bindings (UDP 5000 forwarded, 5001 dropped),
# plus packets the node must refuse: an unbound port, TCP, a bad checksum.
"$build/tools/pcapgen" -o "$work/traffic.pcap" \
  --flow dst=192.0.2.1,dport=5000,src=10.0.0.0/24,count=256,size=128 \
  --flow dst=192.0.2.1,dport=5001,count=32,size=64 \
  --flow dst=192.0.2.1,dport=5999,count=16 \
  --flow kind=tcp,dst=192.0.2.1,count=8 \
  --flow kind=badcsum,dst=192.0.2.1,count=8 \
  --flow kind=overlay,dst=192.0.2.1,dport=5100,count=64,inner_dst=10.1.0.0/24,inner_dport=53 \
  --flow kind=overlay,dst=192.0.2.1,dport=5100,count=64,inner_dst=10.2.0.0/20 \
  --flow kind=overlay,dst=192.0.2.1,dport=5100,count=64,inner_dst=10.9.0.0/20 \
  --flow kind=overlay,dst=192.0.2.1,dport=5100,count=16,inner_src=10.66.0.1 \
  --flow kind=overlay,dst=192.0.2.1,dport=5100,count=16,inner_dst=192.168.0.1 \
  --flow kind=overlay,dst=192.0.2.1,dport=5100,count=8,inner_ttl=1 >/dev/null

echo "demo: starting slicepathd with $config"
"$build/control/slicepathd" -l 0,1 --no-huge -m 512 --no-pci --file-prefix slicepath-demo \
  --vdev "net_pcap0,rx_pcap=$work/traffic.pcap,infinite_rx=1" --vdev net_null0,no-rx=1 \
  -- --config "$config" &
daemon=$!
started=1

# slicectl finds the API and the admin token through these.
SLICEPATH_API=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["api"]["listen"])' "$config")
SLICEPATH_TOKEN_FILE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["api"]["admin_token_file"])' "$config")
export SLICEPATH_API SLICEPATH_TOKEN_FILE
unset SLICEPATH_TOKEN
for _ in $(seq 100); do
  if [ -s "$SLICEPATH_TOKEN_FILE" ] && "$slicectl" node >/dev/null 2>&1; then
    break
  fi
  kill -0 "$daemon" 2>/dev/null || { echo "demo: slicepathd exited" >&2; exit 1; }
  sleep 0.2
done

# The node keeps its slices in its state_dir across restarts: start afresh.
for s in demo router; do
  if "$slicectl" slice show "$s" >/dev/null 2>&1; then
    echo "demo: deleting slice $s, left from an earlier run"
    "$slicectl" slice delete "$s" >/dev/null
  fi
done

echo "demo: creating slice demo"
# slicectl prints "slice demo created; its token: ...".
"$slicectl" slice create --file "$top/config/demo-slice.json" | sed 's/^/demo: /'
python3 -c 'import json,sys; [print(json.dumps(b)) for b in json.load(open(sys.argv[1]))]' \
  "$top/config/demo-bindings.json" | while read -r b; do
  "$slicectl" binding add demo "$b" >/dev/null
  echo "demo: binding $b"
done

echo "demo: creating slice router (ipv4) and putting its configuration"
"$slicectl" slice create --file "$top/config/demo-router-slice.json" >/dev/null
"$slicectl" config apply router "$top/config/demo-router.json" >/dev/null

show() {
  "$slicectl" --json stats > "$work/node.json"
  for s in demo router; do
    "$slicectl" --json stats "$s" > "$work/$s.json"
  done
  python3 - "$work" "$1" <<'PY'
import json, os, sys
node = json.load(open(os.path.join(sys.argv[1], "node.json")))
print(f"---- after {sys.argv[2]} s ----")
for p in node["ports"]:
    print(f"  port {p['interface']:5} rx {p['rx_packets']:>14,} pkts  tx {p['tx_packets']:>14,} pkts")
print("  node drops  " + "  ".join(f"{k} {v:,}" for k, v in node["drops"].items() if v))
for name in ("demo", "router"):
    sl = json.load(open(os.path.join(sys.argv[1], name + ".json")))
    for b in sl["bindings"]:
        print(f"  {name:6} binding {b['id']}  rx {b['rx_packets']:>14,}  tx {b['tx_packets']:>14,} pkts")
    queues = [(f"binding {b['id']} default", b["default_queue"]) for b in sl["bindings"]
              if b["default_queue"]["enqueued"]] + [(f"queue {q['id']}", q) for q in sl["queues"]]
    for label, q in queues:
        print(f"  {name:6} {label:17} out {q['dequeued']:>14,}  tail drops {q['dropped']:>14,}"
              f"  now {q['length_packets']} pkts")
    for f in sl["filters"]:
        print(f"  {name:6} filter {f['id']}   hits {f['hits']:>14,}")
    print(f"  {name:6} drops  " + ("  ".join(f"{k} {v:,}" for k, v in sl["drops"].items() if v) or "none"))
PY
}

elapsed=0
while [ "$duration" -eq 0 ] || [ "$elapsed" -lt "$duration" ]; do
  sleep 2
  elapsed=$((elapsed + 2))
  show "$elapsed"
done

kill -TERM "$daemon"
status=0
wait "$daemon" || status=$?
daemon=
echo "demo: slicepathd exited with status $status"
exit "$status"
