"""Audit benchmark: import N generated records (default 1,000,000) into SQLite, audit them with
--jobs processes, write the HTML report.

Prints records/s of the audit and peak memory (maxrss of this process + its worker processes,
summed: an upper bound). Targets: >= 10,000 records/s with 2 processes, < 1 GB.

Usage: python bench/bench_audit.py [--records 1000000] [--jobs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import tempfile
import time
from pathlib import Path


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None, help="keep the database and report in DIR")
    options = parser.parse_args()
    from fzcheck.engine.audit import AuditParams, run_audit
    from fzcheck.engine.db.database import connect
    from fzcheck.engine.db.importer import import_paths
    from fzcheck.engine.generator import write_sample
    from fzcheck.engine.reports import render_report

    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = options.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sample = folder / "sample.jsonl"
        start = time.perf_counter()
        write_sample(sample, options.records, seed=2026)
        print(f"generated {options.records:,} records in {time.perf_counter() - start:.1f} s")
        engine = connect(str(folder / "bench.db"), create=True)
        start = time.perf_counter()
        import_paths(engine, [sample])
        elapsed = time.perf_counter() - start
        print(f"import: {elapsed:.1f} s = {options.records / elapsed:,.0f} records/s")
        start = time.perf_counter()
        report = run_audit(engine, AuditParams(as_of=dt.date(2026, 11, 23)), jobs=options.jobs)
        elapsed = time.perf_counter() - start
        print(f"audit ({options.jobs} processes): {report.records:,} records, {report.subjects:,} subjects in "
              f"{elapsed:.1f} s = {report.records / elapsed:,.0f} records/s (target >= 10,000/s); "
              f"summary {report.summary()}")
        start = time.perf_counter()
        html = folder / f"audit-{report.run_id}.html"
        html.write_text(render_report(report, "html"), encoding="utf-8")
        print(f"HTML report: {html.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s")
        print(f"peak memory (self + children maxrss): {peak_mb():,.0f} MB (target < 1,024 MB)")


if __name__ == "__main__":
    main()
