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

from ...messages import Msg
from ...models.fields import parse_date
from ..sources.yamlsrc import BoundedYAMLError, compose_bounded, read_limited, yaml_problem
from .results import InputIssue, Report

WAIVABLE = ("violation", "pending", "indeterminate")
COLUMNS = {
    "rule": "rule",
    "rule_id": "rule",
    "规则": "rule",
    "规则编号": "rule",
    "record": "record",
    "record_id": "record",
    "记录": "record",
    "记录编号": "record",
    "ruleset": "ruleset",
    "规则集": "ruleset",
    "reason": "reason",
    "理由": "reason",
    "approver": "approver",
    "批准人": "approver",
    "expires": "expires",
    "expires_on": "expires",
    "有效期至": "expires",
}
REQUIRED = ("rule", "record", "reason", "approver", "expires")


class WaiverError(ValueError):
    """A waiver file that cannot be used; names file, line and field (:meth:`issue`)."""

    def __init__(self, file: str | Path, line: int | None, field: str | None, message: Msg):
        self.file, self.line, self.field, self.problem = str(file), line, field, message
        super().__init__(str(self.issue()))

    def issue(self, not_applied: bool = False) -> InputIssue:
        """The error as an input issue of a report; ``not_applied``: saying that the file was not used."""
        message = Msg("waiver.not_applied", problem=self.problem) if not_applied else self.problem
        return InputIssue(self.file, self.line, self.field, message)


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
        return (
            fnmatch.fnmatchcase(rule_id, self.rule)
            and fnmatch.fnmatchcase(record_id, self.record)
            and self.ruleset in (None, "", ruleset)
        )

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "record": self.record,
            "ruleset": self.ruleset,
            "reason": self.reason,
            "approver": self.approver,
            "expires": self.expires.isoformat(),
            "file": self.file,
            "line": self.line,
        }


#: a waiver as read: its line and (field name as written, text, line of the value)
_Row = tuple[int, list[tuple[str, str, int]]]
_WHAT = "waiver files"


def load_waivers(path: str | Path) -> list[Waiver]:
    """Read a YAML or CSV waiver file; every problem is a :class:`WaiverError` naming file, line and
    field: an unreadable or oversized file (:data:`~fzcheck.engine.sources.yamlsrc.MAX_FILE_BYTES`), text that
    is not UTF-8, YAML or CSV that does not parse, anchors or aliases, a waiver that is not a mapping,
    an unknown or missing field, a value that is not text, an invalid ``expires`` date."""
    path = Path(path)
    try:
        data = read_limited(path, _WHAT)
    except OSError as exc:
        raise WaiverError(path, None, None, Msg("waiver.cannot_read", detail=str(exc.strerror or exc))) from exc
    except BoundedYAMLError as exc:
        raise WaiverError(path, None, None, yaml_problem(exc)) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise WaiverError(path, line, None, Msg("waiver.not_utf8", byte=f"{data[exc.start]:02x}")) from exc
    rows = _csv_rows(path, text) if path.suffix.lower() == ".csv" else _yaml_rows(path, text)
    waivers = []
    allowed = ", ".join(sorted(set(COLUMNS.values())))
    for line, items in rows:
        fields: dict[str, tuple[str, int]] = {}
        for key, value, value_line in items:
            if not key.strip() and not value.strip():
                continue  # a blank column (a trailing comma) with nothing in it
            name = COLUMNS.get(key.strip())
            if name is None:
                raise WaiverError(path, value_line, None, Msg("waiver.unknown_field", key=key, allowed=allowed))
            if name in fields:
                raise WaiverError(path, value_line, name, Msg("waiver.given_twice", key=key))
            fields[name] = (value.strip(), value_line)
        for name in REQUIRED:
            if not fields.get(name, ("", 0))[0]:
                raise WaiverError(path, fields[name][1] if name in fields else line, name, Msg("waiver.required"))
        expires_text, expires_line = fields["expires"]
        try:
            expires = parse_date(expires_text)
        except ValueError as exc:
            given = exc.args[0] if exc.args else None
            raise WaiverError(
                path,
                expires_line,
                "expires",
                given if isinstance(given, Msg) else Msg("value.date", value=expires_text),
            ) from exc
        waivers.append(
            Waiver(
                fields["rule"][0],
                fields["record"][0],
                fields["reason"][0],
                fields["approver"][0],
                expires,
                str(path),
                line,
                fields.get("ruleset", ("", 0))[0] or None,
            )
        )
    return waivers


def _csv_rows(path: Path, text: str) -> list[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""))  # rows end at \n, \r\n or \r; quoted cells may hold them
    rows: list[_Row] = []
    try:
        header = next(reader, None)
        if header is None:
            return []
        columns = [cell.strip() for cell in header]
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                raise WaiverError(path, line, None, Msg("waiver.cells", cells=len(cells), columns=len(columns)))
            rows.append((line, [(column, cell, line) for column, cell in zip(columns, cells)]))
    except csv.Error as exc:
        raise WaiverError(path, reader.line_num or None, None, Msg("waiver.invalid_csv", detail=str(exc))) from exc
    return rows


_NULLS = ("", "~", "null", "Null", "NULL")


def _yaml_rows(path: Path, text: str) -> list[_Row]:
    """The waivers as written: every value is taken as its text (``expires: 2019-02-30`` is then an
    invalid date of that field, ``record: 010`` stays ``010``), from a list or ``{waivers: [...]}``."""
    try:
        root = compose_bounded(text, _WHAT)
    except BoundedYAMLError as exc:
        raise WaiverError(path, exc.line, None, yaml_problem(exc)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise WaiverError(
            path, mark.line + 1 if mark else None, None, Msg("waiver.invalid_yaml", detail=problem)
        ) from exc
    if root is None:
        return []
    items = root
    if isinstance(root, yaml.MappingNode):
        keys = [key for key, _ in root.value]
        if len(keys) != 1 or not isinstance(keys[0], yaml.ScalarNode) or keys[0].value != "waivers":
            bad = next(
                (key for key in keys if not (isinstance(key, yaml.ScalarNode) and key.value == "waivers")),
                keys[-1] if keys else root,
            )
            raise WaiverError(path, bad.start_mark.line + 1, None, Msg("waiver.root"))
        items = root.value[0][1]
        if _is_null(items):
            return []
        if not isinstance(items, yaml.SequenceNode):
            raise WaiverError(path, items.start_mark.line + 1, None, Msg("waiver.not_list"))
    elif not isinstance(root, yaml.SequenceNode):
        raise WaiverError(path, root.start_mark.line + 1, None, Msg("waiver.root"))
    rows: list[_Row] = []
    for item in items.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            raise WaiverError(path, line, None, Msg("waiver.not_mapping"))
        fields = []
        for key_node, value_node in item.value:
            value_line = value_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise WaiverError(path, key_node.start_mark.line + 1, None, Msg("waiver.key_not_text"))
            if not isinstance(value_node, yaml.ScalarNode):
                shape = Msg("shown.list") if isinstance(value_node, yaml.SequenceNode) else Msg("shown.mapping")
                raise WaiverError(
                    path,
                    value_line,
                    COLUMNS.get(key_node.value.strip(), key_node.value),
                    Msg("waiver.value_not_text", shape=shape),
                )
            fields.append((key_node.value, "" if _is_null(value_node) else value_node.value, value_line))
        rows.append((line, fields))
    return rows


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null" and node.value in _NULLS


def apply_waivers(report: Report, waivers: list[Waiver], as_of: dt.date) -> None:
    """Mark covered outcomes ``waived``; warn about expired waivers and waivers that matched nothing."""
    used: set[Waiver] = set()
    for waiver in waivers:
        if waiver.expires < as_of:
            report.warnings.append(
                InputIssue(waiver.file, waiver.line, "expires", Msg("waiver.expired", date=waiver.expires.isoformat()))
            )
    active = [w for w in waivers if w.expires >= as_of]
    for outcome in report.outcomes:
        if outcome.outcome not in WAIVABLE:
            continue
        covering = next((w for w in active if w.covers(outcome.rule_id, outcome.record_id, outcome.ruleset)), None)
        if covering is None:
            continue
        used.add(covering)
        outcome.waiver = {**covering.to_dict(), "original_outcome": outcome.outcome}
        outcome.outcome = "waived"
    for waiver in active:
        if waiver not in used:
            report.warnings.append(
                InputIssue(
                    waiver.file,
                    waiver.line,
                    "record",
                    Msg("waiver.matched_none", rule=waiver.rule, record=waiver.record),
                )
            )
