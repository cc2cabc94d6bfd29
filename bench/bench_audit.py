"""Auditor's-path benchmark: generate N records (default 1,000,000), then measure, each as its own
`fzcheck` process, the import into SQLite, the audit with --jobs processes, and the HTML report,
and open that report in headless Chromium.

Targets (issue #4): import >= 20,000 records/s; audit >= 10,000 records/s using both cores with
peak memory < 1 GB; the HTML report opens in the browser.

``--executor local,dask`` audits the same database once with each executor, side by side (dask: a
LocalCluster of --jobs worker processes started by the audit, its start-up included in the time; or
the cluster at ``--scheduler ADDRESS``); ``--no-report`` skips the HTML report.

Usage: python bench/bench_audit.py [--records 1000000] [--jobs 2] [--executor local[,dask]]
       [--scheduler ADDRESS] [--no-report] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import run

FZCHECK = [sys.executable, "-m", "fzcheck"]
AS_OF = "2026-11-23"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--executor", default="local", help="local, dask, or both comma-separated (local,dask)")
    parser.add_argument("--scheduler", default=None, help="the Dask scheduler for --executor dask")
    parser.add_argument("--no-report", action="store_true", help="skip the HTML report and the browser")
    parser.add_argument("--keep", type=Path, default=None, help="keep the sample, database and report in DIR")
    options = parser.parse_args()
    from fzcheck.engine.sources.generator import write_sample

    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = options.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sample, database, html = folder / "sample.jsonl", folder / "bench.db", folder / "report.html"
        database.unlink(missing_ok=True)
        start = time.perf_counter()
        write_sample(sample, options.records, seed=2026)
        print(f"generated {options.records:,} records in {time.perf_counter() - start:.1f} s")
        db = ["--db", f"sqlite:///{database}"]
        run([*FZCHECK, "db", "init", *db])
        elapsed, pss, rss, _ = run([*FZCHECK, "db", "import", str(sample), *db])
        print(
            f"import: {elapsed:.1f} s = {options.records / elapsed:,.0f} records/s, peak {pss:,.0f} MB "
            f"(target >= 20,000/s)"
        )
        for executor in options.executor.split(","):
            where = ["--executor", executor] + (["--scheduler", options.scheduler] if options.scheduler else [])
            how = f"{options.jobs} processes" if executor == "local" else f"dask, {options.jobs} workers"
            if executor == "dask" and options.scheduler:
                how = f"dask at {options.scheduler}"
            elapsed, pss, rss, _ = run([*FZCHECK, "audit", *db, "--as-of", AS_OF, "--jobs", str(options.jobs), *where])
            inside = _last_run_seconds(database)
            print(
                f"audit ({how}): {elapsed:.1f} s = {options.records / elapsed:,.0f} records/s, "
                f"peak {pss:,.0f} MB for all processes (PSS), {rss:,.0f} MB largest process "
                f"(targets >= 10,000/s, < 1 GB); the run itself {inside:.1f} s = {options.records / inside:,.0f} "
                "records/s (without the process's and the cluster's start)"
            )
        if options.no_report:
            return
        elapsed, pss, rss, _ = run([*FZCHECK, "report", "1", *db, "--format", "html", "--output", str(html)])
        print(f"HTML report: {html.stat().st_size / 1e6:.1f} MB written in {elapsed:.1f} s, peak {pss:,.0f} MB")
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium:
            start = time.perf_counter()
            dom = subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    f"--user-data-dir={folder / 'chromium-profile'}",
                    "--dump-dom",
                    html.as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=600,
            ).stdout
            opened = 'id="findings"' in dom and "<tr" in dom
            print(
                f"HTML report in headless Chromium: {'opened and rendered' if opened else 'did NOT render'} "
                f"in {time.perf_counter() - start:.1f} s"
            )
        else:
            print("HTML report in headless Chromium: chromium not installed, not tried")


def _last_run_seconds(database: Path) -> float:
    """The stored duration of the last audit run (from its start to its outcomes computed)."""
    from fzcheck.engine.store.database import connect
    from fzcheck.engine.store.runs import list_runs

    engine = connect(str(database))
    try:
        return float(max(list_runs(engine), key=lambda run: run["id"])["duration_seconds"])
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
