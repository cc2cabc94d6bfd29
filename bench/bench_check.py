"""Benchmarks for `fzcheck check` (issue targets in README "Performance").

Measures, each in a fresh process so start-up and peak memory are real:
  1. one document from a cold shell (target < 1 s);
  2. N normative documents in one JSON Lines file (target >= 3,000 documents/s, peak < 500 MB);
  3. N mixed records of all six kinds (target >= 3,000 records/s, peak < 1 GB).

Usage: python bench/bench_check.py [--documents 100000] [--mixed 100000] [--runs 5] [--jobs N] [--engine NAME]

The script runs ``sys.executable -m fzcheck``: run it with another checkout's interpreter to measure
that checkout's code with the same inputs (README, Performance: before and after a change).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
from pathlib import Path

from measure import run

FZCHECK = [sys.executable, "-m", "fzcheck"]
AS_OF = "2026-11-23"
REGIONS = [
    ("532301", "楚雄市人民政府", "楚市政发"),
    ("211100", "盘锦市人民政府", "盘政发"),
    ("220106", "长春市绿园区人民政府", "绿政发"),
    ("430582", "邵东市人民政府", "邵政发"),
]


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def document(rng: random.Random, index: int) -> dict:
    region, agency, prefix = rng.choice(REGIONS)
    year = {"532301": 2018, "211100": 2012, "220106": 2022, "430582": 2023}[region]
    published = _day(rng, year)
    discussed = published - dt.timedelta(days=rng.randrange(3, 20))
    comment_end = discussed - dt.timedelta(days=rng.randrange(1, 10))
    record = {
        "kind": "normative_document",
        "id": f"nd-{index}",
        "region_code": region,
        "agency": agency,
        "doc_number": f"{prefix}〔{year}〕{index + 1}号",
        "title": f"{agency}关于加强第{index}项工作的{'暂行' if index % 7 == 0 else ''}办法",
        "comment_start": (comment_end - dt.timedelta(days=rng.choice([25, 30, 35, 40]))).isoformat(),
        "comment_end": comment_end.isoformat(),
        "legality_review_on": (discussed - dt.timedelta(days=rng.choice([-1, 2, 5]))).isoformat(),
        "legality_review_passed": rng.random() > 0.03,
        "collective_discussion_on": discussed.isoformat(),
        "sets_license": rng.random() < 0.02,
        "sets_penalty": False,
        "sets_compulsion": False,
        "signed_on": (published - dt.timedelta(days=2)).isoformat(),
        "published_on": published.isoformat(),
        "validity_years": rng.choice([2, 3, 5, 5, 6]),
        "filed_on": (published + dt.timedelta(days=rng.choice([3, 10, 14, 16, 20]))).isoformat(),
        "status": "in_force",
    }
    if rng.random() < 0.05:
        del record["filed_on"]
    return record


def mixed(rng: random.Random, count: int) -> list[dict]:
    """Documents, officers with trainings, cases citing documents, reconsiderations, major decisions."""
    records: list[dict] = []
    documents = [document(rng, i) for i in range(count // 10)]
    records.extend(documents)
    officers = []
    for i in range(count // 20):
        region, agency, _ = rng.choice(REGIONS)
        year = {"532301": 2018, "211100": 2012, "220106": 2022, "430582": 2023}[region]
        officer = {
            "kind": "officer",
            "id": f"off-{i}",
            "region_code": region,
            "agency": agency,
            "name": f"执法人员{i}",
            "exam_passed_on": f"{year - 2}-03-01",
            "cert_number": f"ZF{i:06d}",
            "cert_issued_on": f"{year - 2}-04-01",
            "cert_valid_until": f"{year + rng.choice([0, 2])}-06-30",
        }
        officers.append(officer)
        records.append(officer)
        for s in range(rng.choice([0, 1, 2, 3])):
            start = _day(rng, year)
            records.append(
                {
                    "kind": "training_session",
                    "id": f"tr-{i}-{s}",
                    "region_code": region,
                    "agency": agency,
                    "officer_id": officer["id"],
                    "start_on": start.isoformat(),
                    "end_on": (start + dt.timedelta(days=rng.choice([1, 2, 3, 4]))).isoformat(),
                    "hours": rng.choice([8, 16, 24, 32]),
                    "training_kind": rng.choice(["legal", "professional", "political"]),
                }
            )
    kinds = ["enforcement_case", "reconsideration_case", "major_decision"]
    index = 0
    while len(records) < count:
        kind = kinds[index % 3]
        region, agency, _ = rng.choice(REGIONS)
        year = {"532301": 2018, "211100": 2012, "220106": 2022, "430582": 2023}[region]
        opened = _day(rng, year)
        decided = opened + dt.timedelta(days=rng.choice([20, 60, 89, 91, 120]))
        base = {"kind": kind, "id": f"{kind[:2]}-{index}", "region_code": region, "agency": agency}
        if kind == "enforcement_case":
            cited = rng.choice(documents)
            officers_on_case = [o["id"] for o in rng.sample(officers, rng.choice([1, 2, 2, 3]))]
            base.update(
                case_number=f"{agency}罚字〔{year}〕{index}号",
                action_type=rng.choice(["penalty", "inspection", "license"]),
                officers=officers_on_case,
                opened_on=opened.isoformat(),
                notified_on=(decided - dt.timedelta(days=rng.choice([-1, 5, 10]))).isoformat(),
                decided_on=decided.isoformat(),
                served_on=(decided + dt.timedelta(days=rng.choice([2, 5, 12]))).isoformat(),
                major=rng.random() < 0.1,
                legal_review_on=(decided - dt.timedelta(days=3)).isoformat(),
                legal_review_passed=True,
                discretion_benchmark="行政处罚裁量基准" if rng.random() > 0.1 else "",
                recorded_stages=["filing", "investigation", "decision"][: rng.choice([2, 3, 3])],
                basis=[
                    {"type": "normative_document", "ref": cited["doc_number"]},
                    {"type": "law", "ref": "中华人民共和国行政处罚法"},
                ],
                fine_amount=rng.choice([500, 2000, 10000]),
            )
        elif kind == "reconsideration_case":
            base.update(
                received_on=opened.isoformat(),
                decided_on=(opened + dt.timedelta(days=rng.choice([30, 59, 61, 88]))).isoformat(),
                extension_approved=rng.random() < 0.2,
                handlers=["甲", "乙", "丙"][: rng.choice([1, 2, 3])],
                major=rng.random() < 0.2,
            )
        else:
            base.update(
                title=f"{agency}第{index}项重大行政决策",
                decided_on=decided.isoformat(),
                public_participation=rng.random() > 0.05,
                comment_start=(opened - dt.timedelta(days=40)).isoformat(),
                comment_end=(opened - dt.timedelta(days=rng.choice([5, 15]))).isoformat(),
                expert_review=rng.random() > 0.05,
                risk_level=rng.choice(["none", "low", "medium", "high"]),
                risk_mitigated=rng.random() > 0.2,
                legality_review_on=(decided - dt.timedelta(days=10)).isoformat(),
                legality_review_passed=True,
                collective_discussion_on=(decided - dt.timedelta(days=2)).isoformat(),
                execution_subject="县人民政府办公室",
                execution_deadline="2年",
                feedback_mechanism="季度报告",
            )
        records.append(base)
        index += 1
    return records


def write_jsonl(records: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--mixed", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs N to fzcheck check")
    parser.add_argument("--engine", default=None, help="pass --engine NAME to fzcheck check (durable, sqlite, ...)")
    options = parser.parse_args()
    options.check_args = ["--jobs", str(options.jobs)] if options.jobs else []
    if options.engine:
        options.check_args += ["--engine", options.engine]
    rng = random.Random(20261123)
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        one = tmp_path / "draft.json"
        one.write_text(json.dumps(document(rng, 1), ensure_ascii=False), encoding="utf-8")
        times = [run([*FZCHECK, "check", str(one), "--as-of", AS_OF])[0] for _ in range(options.runs)]
        print(
            f"one document, cold process: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
            f"(target < 1 s) over {options.runs} runs"
        )
        if options.documents:
            big = tmp_path / "documents.jsonl"
            write_jsonl([document(rng, i) for i in range(options.documents)], big)
            elapsed, total, single, _ = run(
                [
                    *FZCHECK,
                    "check",
                    str(big),
                    "--as-of",
                    AS_OF,
                    "--format",
                    "jsonl",
                    "--output",
                    str(tmp_path / "out.jsonl"),
                    *options.check_args,
                ]
            )
            print(
                f"{options.documents:,} documents: {elapsed:.1f} s, {options.documents / elapsed:,.0f} documents/s, "
                f"peak {total:,.0f} MB for all processes (PSS), {single:,.0f} MB largest process (RSS) "
                f"(targets >= 3,000/s, < 500 MB)"
            )
        if options.mixed:
            mixed_path = tmp_path / "mixed.jsonl"
            write_jsonl(mixed(rng, options.mixed), mixed_path)
            elapsed, total, single, _ = run(
                [
                    *FZCHECK,
                    "check",
                    str(mixed_path),
                    "--as-of",
                    AS_OF,
                    "--format",
                    "jsonl",
                    "--output",
                    str(tmp_path / "out-mixed.jsonl"),
                    *options.check_args,
                ]
            )
            print(
                f"{options.mixed:,} mixed records: {elapsed:.1f} s, {options.mixed / elapsed:,.0f} records/s, "
                f"peak {total:,.0f} MB for all processes (PSS), {single:,.0f} MB largest process (RSS) "
                f"(targets >= 3,000/s, < 1 GB)"
            )


if __name__ == "__main__":
    main()
