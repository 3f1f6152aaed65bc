#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
#
# usage: tools/pgo.sh [BUILD]
#
# Builds slicepath with profile-guided optimisation (GCC's -fprofile-use)
# in BUILD (default build-pgo): an instrumented build, a training run of
# the benchmark runner on tools/benchrun/pgo.json (every code option, with
# and without queues and the queue manager, on a smaller node than the
# benchmark table's), then the build that uses the profile.  Code the
# training never ran is optimised as without a profile
# (-fprofile-partial-training), not for size.  About a minute and a half
# on two cores.  Needs what a build needs (not testpmd or OVS); runs
# without root (no hugepages).
#
# docs/operations.md ("Building for speed") and docs/benchmarks.md say
# what it gains and how the benchmark uses it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build-pgo}

if [ -e "$build" ] && [ ! -d "$build/meson-private" ]; then
  echo "pgo: $build exists and is not a meson build directory; not touching it" >&2
  exit 2
fi

# -Wmissing-profile: tools the training does not run (slicectl) have no
# profile, which is expected.
args=(-Db_pgo=generate -Dtests=disabled
      "-Dc_args=-fprofile-partial-training -Wno-missing-profile")
if [ -d "$build" ]; then
  # meson 1.0's "setup --reconfigure" keeps b_pgo as it was.
  meson configure "$build" "${args[@]}"
else
  meson setup "$build" "$top" "${args[@]}"
fi
# A profile of older sources would not match them.
find "$build" -name '*.gcda' -delete
ninja -C "$build"

echo "pgo: training (tools/benchrun/pgo.json)"
python3 "$top/tools/benchrun.py" --build "$build" --scenario "$top/tools/benchrun/pgo.json" \
  --out-dir "$build/pgo-training"
profiles=$(find "$build/dataplane" -name '*.gcda' | wc -l)
if [ "$profiles" -eq 0 ]; then
  echo "pgo: the training run left no profile of the packet path in $build/dataplane" >&2
  exit 1
fi

meson configure "$build" -Db_pgo=use
ninja -C "$build"
echo "pgo: $build/control/slicepathd is built with the profile ($profiles files of dataplane/)"
