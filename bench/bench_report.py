"""Report-rendering benchmark: a Report with N synthetic findings (default 200,000, spread over N/4
records), rendered in each format to a file by `emit_report` — the path `fzcheck check -o` takes —
each format in a fresh process, with its wall time, peak memory and the file's size.

The `build` line is the baseline: the same process building the Report and rendering nothing, so
the memory a format adds is its line's peak minus that one.

Targets (issue #16): json peak < 300 MB and < 20 s; table < 30 s.

Usage: python bench/bench_report.py [--outcomes 200000] [--formats table,json,...] [--keep DIR]
       python bench/bench_report.py --child FORMAT OUTPUT --outcomes N   (one measured run)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
from pathlib import Path

from measure import run

FORMATS = ("table", "json", "jsonl", "csv", "markdown", "junit", "sarif", "github")
SUFFIX = {"table": "txt", "markdown": "md", "junit": "xml", "github": "txt"}


def synthetic_report(findings: int):
    """A Report like a large register's: four findings per record (most of them violations), shared
    citations as a rule catalogue has them, evidence with dates, a few provisional outcomes."""
    from fzcheck.engine.outcomes.results import Citation, Outcome, Report, RulesetInfo, SourceRef

    citations = [
        Citation(
            document="楚雄州法治政府建设规划暨实施方案(2016—2020年)",
            doc_number="楚委〔2016〕31号",
            clause=f"措施{n}",
            quote="制定机关在规范性文件公布或者印发之日起15日内依法报送上级行政机关备案",
        )
        for n in range(10, 30)
    ]
    rules = [(f"ND-RULE-{n:02d}", "chuxiong-2016" if n % 3 else "national") for n in range(20)]
    outcomes_cycle = ("violation", "violation", "indeterminate", "pending", "waived")
    outcomes = []
    source = None
    for index in range(findings):
        record = index // 4
        if index % 4 == 0:
            source = SourceRef(f"台账/规范性文件{record // 10000}.xlsx", record % 10000 + 2)
        rule_id, ruleset = rules[index % len(rules)]
        kind = outcomes_cycle[index % len(outcomes_cycle)]
        day = dt.date(2018, 1, 1) + dt.timedelta(days=record % 700)
        evidence = {
            "published_on": day,
            "due_on": (day + dt.timedelta(days=15)).isoformat(),
            "filed_on": (day + dt.timedelta(days=16 + index % 9)).isoformat(),
            "days_late": 1 + index % 9,
            "limit_days": 15,
        }
        if index % 97 == 0:
            evidence.update(provisional=True, provisional_years=[2019])
        outcomes.append(
            Outcome(
                outcome=kind,
                rule_id=rule_id,
                ruleset=ruleset,
                severity="error" if index % 5 else "warning",
                record_kind="normative_document",
                record_id=f"cx-nd-{record:07d}",
                source=source,
                messages={
                    "zh": f"备案逾期：应于{evidence['due_on']}前报送备案，实际{evidence['filed_on']}报送"
                    f"（逾期{evidence['days_late']}日）",
                    "en": f"Filed late: due by {evidence['due_on']}, filed on {evidence['filed_on']} "
                    f"({evidence['days_late']} days late)",
                },
                evidence=evidence,
                citation=citations[index % len(citations)],
                title={"zh": "规范性文件备案期限", "en": "Filing deadline"},
                waiver={"reason": "经批准", "approver": "州司法局", "expires_on": "2030-12-31"}
                if kind == "waived"
                else None,
            )
        )
    records = (findings + 3) // 4
    return Report(
        tool_version="0.0.0-bench",
        as_of=dt.date(2026, 11, 23),
        rulesets=[RulesetInfo("chuxiong-2016", "1.0.0", "a" * 64), RulesetInfo("national", "1.0.0", "b" * 64)],
        records=records,
        outcomes=outcomes,
        packs_applied={f"normative_document:cx-nd-{r:07d}": ["chuxiong-2016", "national"] for r in range(records)},
    )


def child(fmt: str, output: Path, findings: int) -> None:
    report = synthetic_report(findings)
    if fmt == "build":
        return
    from fzcheck.cli.common import emit_report

    emit_report(report, fmt, output, lang="zh", include_pass=False, fail_on="error")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outcomes", type=int, default=200_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--keep", type=Path, default=None, help="keep the rendered files in DIR")
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "OUTPUT"), default=None, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child[0], Path(options.child[1]), options.outcomes)
        return
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{options.outcomes:,} findings over {(options.outcomes + 3) // 4:,} records")
    with tempfile.TemporaryDirectory() as tmp:
        folder = options.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for fmt in ("build", *options.formats.split(",")):
            output = folder / f"report.{SUFFIX.get(fmt, fmt)}"
            elapsed, _pss, rss, _ = run(
                [sys.executable, __file__, "--child", fmt, str(output), "--outcomes", str(options.outcomes)]
            )
            size = f"{output.stat().st_size / 1e6:8.1f} MB" if output.exists() else "        -"
            print(f"{fmt:9} {elapsed:6.1f} s  peak {rss:7,.0f} MB RSS  output {size}", flush=True)


if __name__ == "__main__":
    main()
