# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The slicepath authors
"""DPDK memory for every contender of one invocation: --no-huge, or 2 MB
hugepages reserved for the runner on a private hugetlbfs mount, released
at the end even when interrupted (Memory is a context manager)."""

import os
import shutil
import subprocess
import tempfile

from .common import Unavailable

HUGE_DIR = "/sys/kernel/mm/hugepages/hugepages-2048kB"


class Memory:
    """DPDK memory for every contender: --no-huge, or hugepages on a private
    hugetlbfs mount with pages reserved for the runner and released after."""

    def __init__(self, mode, mb):
        self.mode = mode            # "nohuge" or "huge"
        self.mb = mb
        self.mnt = None
        self.added = 0

    @staticmethod
    def missing():
        """Why hugepages cannot be had here (a string), or None."""
        if os.geteuid() != 0:
            return "hugepages need root (to reserve 2 MB pages and mount hugetlbfs)"
        if not os.access(os.path.join(HUGE_DIR, "nr_hugepages"), os.W_OK):
            return f"{HUGE_DIR}/nr_hugepages is not writable"
        if shutil.which("mount") is None:
            return "no mount command"
        return None

    def __enter__(self):
        if self.mode != "huge":
            return self
        why = self.missing()
        if why:
            raise Unavailable(why)
        pages = self.mb // 2 + 64
        nr = os.path.join(HUGE_DIR, "nr_hugepages")
        try:
            before = int(open(nr).read())
            with open(nr, "w") as f:
                f.write(str(before + pages))
            self.added = int(open(nr).read()) - before
        except OSError as e:
            raise Unavailable(f"cannot reserve hugepages: {nr}: {e}") from None
        try:
            free = int(open(os.path.join(HUGE_DIR, "free_hugepages")).read())
            if free < pages:
                raise Unavailable(f"asked for {pages} 2 MB pages, {free} free "
                                  f"(memory too fragmented?)")
            self.mnt = tempfile.mkdtemp(prefix="benchrun-huge-")
            r = subprocess.run(["mount", "-t", "hugetlbfs", "-o",
                                f"pagesize=2M,size={pages * 2}M", "nodev", self.mnt],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise Unavailable(f"cannot mount hugetlbfs: {r.stderr.strip()}")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        print(f"hugepages: {pages} pages of 2 MB reserved, hugetlbfs on {self.mnt}",
              flush=True)
        return self

    def __exit__(self, *exc):
        if self.mnt:
            if os.path.ismount(self.mnt):
                r = subprocess.run(["umount", self.mnt], capture_output=True)
                if r.returncode != 0:
                    subprocess.run(["umount", "-l", self.mnt], capture_output=True)
            try:
                os.rmdir(self.mnt)
            except OSError:
                pass
            self.mnt = None
        if self.added:
            nr = os.path.join(HUGE_DIR, "nr_hugepages")
            now = int(open(nr).read())
            with open(nr, "w") as f:
                f.write(str(max(0, now - self.added)))
            self.added = 0

    def eal(self):
        """EAL memory options (for slicepathd and testpmd)."""
        if self.mode == "huge":
            return ["--huge-dir", self.mnt, "--huge-unlink", "-m", str(self.mb)]
        return ["--no-huge", "-m", str(self.mb)]

    def name(self):
        return "2 MB hugepages" if self.mode == "huge" else "no hugepages (--no-huge)"
