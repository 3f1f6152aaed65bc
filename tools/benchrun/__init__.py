# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""The benchmark runner (tools/benchrun.py), as a package.

  scenario    what a scenario is: its fields, their checks, scenario and
              sweep files, the plan of what to run
  config      what each scenario builds: the input pcap, the node's and
              the slices' configuration, OVS's flows
  common      constants and process helpers the others share
  hugepages   2 MB pages and a private hugetlbfs for a whole run
  api         slicepathd's REST API
  slicepath, testpmd, ovsdpdk
              one run of each contender, returning its record
  measure     counters into rates, drops and latency percentiles; medians
  report      the table and the per-run lines
  plot        a sweep's CSV, gnuplot script and PNGs
  cli         the command line and the main loop

The JSON files beside these modules are the scenario and sweep files the
documented commands name (docs/benchmarks.md, "How to run").
"""
