"""Run a command in a fresh process and measure its wall time and peak memory (the benchmarks share it)."""

from __future__ import annotations

import os
import subprocess
import time

#: Reading smaps_rollup walks the page tables: at 20 reads a second the poller was seen using half a
#: core during a 2-core import benchmark (top); twice a second is plenty for runs of minutes.
POLL_SECONDS = 0.5


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """(PSS summed over the process tree, largest single RSS) in KB, read from /proc.

    PSS splits pages that forked workers share with the parent between them, so the sum is the
    memory the check really holds; summing RSS would count shared pages once per process.
    """
    total = largest = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as rollup:
                fields = {line.split(":")[0]: int(line.split()[1]) for line in rollup if line.endswith("kB\n")}
            for task in os.listdir(f"/proc/{current}/task"):  # a child started by any thread (Dask's nannies)
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (OSError, ValueError, IndexError):
            continue
        total += fields.get("Pss", 0)
        largest = max(largest, fields.get("Rss", 0))
    return total, largest


def run(args: list[str]) -> tuple[float, float, float, int]:
    """Wall seconds, peak memory (MB) of the whole process tree (PSS), peak RSS of one process, exit code."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_total = peak_single = 0
    while True:
        total, largest = _tree_memory_kb(process.pid)
        peak_total, peak_single = max(peak_total, total), max(peak_single, largest)
        try:
            process.wait(timeout=POLL_SECONDS)  # returns as soon as it exits: the wall time stays exact
            break
        except subprocess.TimeoutExpired:
            continue
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read() if process.stderr else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"fzcheck failed ({process.returncode}): {stderr[-2000:]}")
    return elapsed, peak_total / 1024, peak_single / 1024, process.returncode
