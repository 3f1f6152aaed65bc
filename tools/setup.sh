#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
#
# usage: tools/setup.sh demo|test
#
#   demo  installs what is missing, builds, and runs slicepathd on virtual
#         ports with config/node.json and a demo slice carrying generated
#         traffic, showing its counters (tools/demo.sh; DURATION=seconds).
#   test  installs what is missing, builds the normal and the ASan+UBSan
#         builds, and runs the whole test suite (meson test) in both.
#
# Run as root on Debian 12 (apt-get installs; the tests make network
# namespaces).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

packages=(
  build-essential pkg-config meson ninja-build python3
  libdpdk-dev dpdk-dev libjansson-dev libevent-dev libcunit1-dev libpcap-dev
  libbpf-dev clang
  tshark iproute2 curl python3-jsonschema openvswitch-switch ethtool
  gnuplot-nox openvswitch-switch-dpdk
)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
      echo "setup: run as root to install packages" >&2
      exit 1
    fi
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

# build DIR [meson options...]: configure once, then compile.
build() {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@"
  fi
  ninja -C "$dir"
}

case "${1:-}" in
demo)
  install_missing
  build build
  exec tools/demo.sh build
  ;;
test)
  install_missing
  build build
  # The sanitizer build stays at -O2: with ASan's instrumentation, GCC 12's
  # -Wformat-overflow/-truncation at -O3 see null and long paths that the
  # code does not have (and -Werror makes them fatal).  It needs no LTO.
  build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Doptimization=2 \
    -Db_lto=false
  meson test -C build --print-errorlogs --num-processes 2
  ASAN_OPTIONS=abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3
  # One closing line over both builds (normal, ASan+UBSan), from meson's records.
  python3 - build/meson-logs/testlog.json build-asan/meson-logs/testlog.json <<'PY'
import json, sys
n = {"OK": 0, "FAIL": 0, "SKIP": 0}
for log in sys.argv[1:]:
    for line in open(log):
        r = json.loads(line)["result"]
        n[r if r in n else "FAIL"] += 1
print(f"tests: {n['OK']} passed, {n['FAIL']} failed, {n['SKIP']} skipped")
PY
  ;;
*)
  sed -n '5,14p' "$0" >&2
  exit 2
  ;;
esac
