"""The sample generator: deterministic, valid records of every kind, a few percent of violations."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from click.testing import CliRunner

from fzcheck.cli.main import cli
from fzcheck.engine.evaluate.check import check_records
from fzcheck.engine.sources.files import read_paths
from fzcheck.engine.sources.generator import REGIONS, generate_records


def test_same_seed_same_records_and_every_kind_and_region(tmp_path):
    first = list(generate_records(2000, seed=3))
    assert first == list(generate_records(2000, seed=3))
    assert first != list(generate_records(2000, seed=4))
    assert len(first) == 2000
    kinds = Counter(record["kind"] for record in first)
    assert set(kinds) == {
        "normative_document",
        "enforcement_case",
        "officer",
        "training_session",
        "reconsideration_case",
        "major_decision",
    }
    assert kinds["enforcement_case"] > 1000
    assert {record["region_code"] for record in first} == {region.code for region in REGIONS}


def test_generated_file_reads_cleanly_and_has_a_few_percent_violations(tmp_path):
    output = tmp_path / "sample.jsonl"
    result = CliRunner().invoke(cli, ["sample", "generate", "--records", "3000", "--seed", "5", "-o", str(output)])
    assert result.exit_code == 0, result.output
    read = read_paths([output])
    assert not read.errors and len(read.records) == 3000
    report = check_records(read.records, as_of=dt.date(2026, 11, 23))
    rules = Counter(o.rule_id for o in report.outcomes if o.outcome == "violation")
    assert len(rules) >= 15
    summary = report.summary()
    assert 0.01 < summary["violation"] / (summary["pass"] + summary["violation"]) < 0.15
    moved = [
        r
        for r in read.records
        if r.kind == "normative_document" and r.filed_on and r.published_on and (r.filed_on - r.published_on).days > 15
    ]
    assert moved, "some filing deadlines should fall on holidays and move to the next working day"
