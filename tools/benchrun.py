#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""Benchmark runner: slicepathd next to dpdk-testpmd io and OVS-DPDK, on the same input.

    python3 tools/benchrun.py --scenario tools/benchrun/table.json
    python3 tools/benchrun.py --sweep size|filters|slices|load --out-dir docs/img
    python3 tools/benchrun.py --slices 64 --filters 1000 --queues 4 --load 500k ...

The code is the package beside this file, tools/benchrun/ (its
__init__.py says which module does what); this script only runs it.  See
--help and docs/benchmarks.md, "How to run".
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchrun.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
