"""Waivers: recorded, approved exceptions that turn a covered outcome into ``waived``.

A waiver never hides anything: the outcome stays in the report as ``waived`` with the waiver's
reason, approver and expiry attached, and waivers that expired or matched nothing are reported as
warnings so stale exceptions get noticed.

YAML::

    waivers:
      - rule: ND-FILING-DEADLINE       # rule id (规则编号)
        record: cx-nd-2018-*           # record id or glob (记录编号)
        ruleset: chuxiong-2016         # optional: only in this pack
        reason: 系统故障，已补报          # 理由
        approver: 张三                  # 批准人
        expires: 2027-06-30            # 有效期至 (inclusive)

CSV: the same columns (English or the Chinese names in brackets), header in row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from fzcheck.engine.results import InputIssue, Report

WAIVABLE = ("violation", "pending", "indeterminate")
COLUMNS = {
    "rule": "rule", "rule_id": "rule", "规则": "rule", "规则编号": "rule",
    "record": "record", "record_id": "record", "记录": "record", "记录编号": "record",
    "ruleset": "ruleset", "规则集": "ruleset",
    "reason": "reason", "理由": "reason",
    "approver": "approver", "批准人": "approver",
    "expires": "expires", "expires_on": "expires", "有效期至": "expires",
}
REQUIRED = ("rule", "record", "reason", "approver", "expires")


class WaiverError(ValueError):
    """A waiver file that cannot be used; names file, line and field."""


@dataclass(frozen=True)
class Waiver:
    rule: str
    record: str
    reason: str
    approver: str
    expires: dt.date
    file: str
    line: int
    ruleset: str | None = None

    def covers(self, rule_id: str, record_id: str, ruleset: str) -> bool:
        return (fnmatch.fnmatchcase(rule_id, self.rule) and fnmatch.fnmatchcase(record_id, self.record)
                and self.ruleset in (None, "", ruleset))

    def to_dict(self) -> dict:
        return {"rule": self.rule, "record": self.record, "ruleset": self.ruleset, "reason": self.reason,
                "approver": self.approver, "expires": self.expires.isoformat(), "file": self.file, "line": self.line}


def load_waivers(path: str | Path) -> list[Waiver]:
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        rows = [(index + 2, row) for index, row in enumerate(csv.DictReader(io.StringIO(text)))]
    else:
        rows = _yaml_rows(path, text)
    waivers = []
    for line, row in rows:
        fields: dict[str, str] = {}
        for key, value in row.items():
            name = COLUMNS.get(str(key).strip())
            if name is None:
                raise WaiverError(f"{path}:{line}: unknown field '{key}'; allowed: {', '.join(sorted(set(COLUMNS.values())))}")
            fields[name] = "" if value is None else str(value).strip()
        for name in REQUIRED:
            if not fields.get(name):
                raise WaiverError(f"{path}:{line}: {name}: required")
        try:
            from fzcheck.models.fields import parse_date

            expires = parse_date(fields["expires"])
        except ValueError as exc:
            raise WaiverError(f"{path}:{line}: expires: {exc}") from exc
        waivers.append(Waiver(fields["rule"], fields["record"], fields["reason"], fields["approver"], expires,
                              str(path), line, fields.get("ruleset") or None))
    return waivers


def _yaml_rows(path: Path, text: str) -> list[tuple[int, dict]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise WaiverError(f"{path}: not valid YAML: {exc}") from exc
    if node is None:
        return []
    data = yaml.safe_load(text)
    items_node = node
    if isinstance(node, yaml.MappingNode):
        if not isinstance(data, dict) or set(data) != {"waivers"}:
            raise WaiverError(f"{path}:1: expected a list or a mapping with the single key 'waivers'")
        items_node = node.value[0][1]
        data = data["waivers"]
    if not isinstance(data, list):
        raise WaiverError(f"{path}:1: 'waivers' must be a list")
    rows = []
    for item_node, item in zip(items_node.value, data):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            raise WaiverError(f"{path}:{line}: each waiver must be a mapping")
        rows.append((line, item))
    return rows


def apply_waivers(report: Report, waivers: list[Waiver], as_of: dt.date) -> None:
    """Mark covered outcomes ``waived``; warn about expired waivers and waivers that matched nothing."""
    used: set[Waiver] = set()
    for waiver in waivers:
        if waiver.expires < as_of:
            report.warnings.append(InputIssue(waiver.file, waiver.line, "expires",
                                              f"waiver expired on {waiver.expires.isoformat()}; not applied"))
    active = [w for w in waivers if w.expires >= as_of]
    for outcome in report.outcomes:
        if outcome.outcome not in WAIVABLE:
            continue
        waiver = next((w for w in active if w.covers(outcome.rule_id, outcome.record_id, outcome.ruleset)), None)
        if waiver is None:
            continue
        used.add(waiver)
        outcome.waiver = {**waiver.to_dict(), "original_outcome": outcome.outcome}
        outcome.outcome = "waived"
    for waiver in active:
        if waiver not in used:
            report.warnings.append(InputIssue(waiver.file, waiver.line, "record",
                                              f"waiver for {waiver.rule} / {waiver.record} matched no outcome"))
