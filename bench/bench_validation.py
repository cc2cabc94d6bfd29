"""Benchmark: record validation alone (parse_record), which must be far faster than the
3,000 records/s the whole check pipeline needs. Was a timed test; timing belongs here.

Usage: python bench/bench_validation.py [--records 50000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

from fzcheck.models.records import SourceRef, parse_record

DOCUMENT = {
    "kind": "normative_document",
    "region_code": "532300",
    "agency": "楚雄州人民政府",
    "title": "楚雄州某某管理暂行办法",
    "published_on": "2018-06-01",
    "filed_on": "2018-06-10",
    "status": "in_force",
    "comment_start": "2018-04-01",
    "comment_end": "2018-05-01",
    "legality_review_on": "2018年5月10日",
    "legality_review_passed": "是",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    rows = [{**DOCUMENT, "id": f"cx-nd-{i}", "doc_number": f"楚政发[2018]{i}号"} for i in range(options.records)]
    rates = []
    for _ in range(options.runs):
        started = time.perf_counter()
        for number, row in enumerate(rows, start=2):
            parse_record(row, SourceRef("docs.csv", number))
        rates.append(len(rows) / (time.perf_counter() - started))
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"parse_record {statistics.median(rates):,.0f} records/s (median of {options.runs}; "
        f"runs {', '.join(f'{rate:,.0f}' for rate in rates)})"
    )


if __name__ == "__main__":
    main()
