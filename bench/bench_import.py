"""Import benchmark: N generated records from one JSON Lines file into a fresh SQLite database.

Prints records/s for the first import and for a re-import (all unchanged), and peak memory
(maxrss of this process + its worker processes). Target: >= 20,000 records/s.

Usage: python bench/bench_import.py [--records 200000] [--jobs 1]
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, default=1)
    options = parser.parse_args()
    from fzcheck.engine.sources.generator import write_sample
    from fzcheck.engine.store.database import connect
    from fzcheck.engine.store.importer import import_paths

    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.jsonl"
        write_sample(sample, options.records, seed=2026)
        engine = connect(str(Path(tmp) / "bench.db"), create=True)
        for label in ("first import", "re-import (unchanged)"):
            start = time.perf_counter()
            result = import_paths(engine, [sample], jobs=options.jobs)
            elapsed = time.perf_counter() - start
            print(
                f"{label}: {options.records:,} records in {elapsed:.1f} s = {options.records / elapsed:,.0f} records/s "
                f"(inserted {result.total('inserted')}, unchanged {result.total('unchanged')}; target >= 20,000/s)"
            )
        print(f"peak memory (self + children maxrss): {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
