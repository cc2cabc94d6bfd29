"""Values as a reader of a report sees them, in the report's language: booleans 是/否 (yes/no), missing
values —, lists joined, run parameters as labelled items and the holiday data as a sentence — never
``None``, ``True`` or a Python/JSON repr. Shared by the HTML and the XLSX report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...models.records import FIELD_LABELS_ZH
from ..outcomes.evidence_lists import UNITS, bounded_list
from .common import KIND_LABELS, OUTCOME_LABELS

MISSING = "—"
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}
SEPARATOR = {"zh": "、", "en": ", "}

PARAMETER_LABELS = {
    "zh": {
        "as_of": "基准日",
        "region": "地区",
        "year": "年份",
        "kinds": "记录类型",
        "rulesets": "规则集",
        "rules_dir": "规则目录",
        "holidays": "节假日文件",
        "waivers": "豁免文件",
        "absent_steps": "未见记录",
        "executor": "执行器",
        "scheduler": "Dask 调度器",
        "shown": "显示范围",
        "rules": "规则",
        "outcomes": "结果",
        "agency": "机关",
        "month": "月份",
    },
    "en": {
        "as_of": "As of",
        "region": "Region",
        "year": "Year",
        "kinds": "Record kinds",
        "rulesets": "Rulesets",
        "rules_dir": "Rules folder",
        "holidays": "Holiday file",
        "waivers": "Waiver file",
        "absent_steps": "Missing steps",
        "executor": "Executor",
        "scheduler": "Dask scheduler",
        "shown": "Shown",
        "rules": "Rules",
        "outcomes": "Outcomes",
        "agency": "Agency",
        "month": "Month",
    },
}
ABSENT_STEPS = {
    "zh": {"indeterminate": "视为无法判定", "violation": "视为未履行"},
    "en": {"indeterminate": "indeterminate", "violation": "violation"},
}


def display(value: Any, lang: str = "zh") -> str:
    """One value as text: 是/否, —, dates ISO, lists joined, mappings as ``key value`` pairs."""
    if value is None or value == "" or value == [] or value == ():
        return MISSING
    if isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return SEPARATOR[lang].join(display(item, lang) for item in items)
    if isinstance(value, dict):
        return ("；" if lang == "zh" else "; ").join(f"{k} {display(v, lang)}" for k, v in value.items())
    return str(value)


#: evidence keys that are not record fields (a record field is labelled as the records' templates label it)
EVIDENCE_LABELS_ZH = {
    "due_on": "截止日期",
    "days_late": "逾期天数",
    "limit_days": "期限（日）",
    "limit_working_days": "期限（工作日）",
    "provisional": "暂定",
    "provisional_years": "暂定年份",
    "min_days": "至少天数",
    "min_officers": "至少人数",
    "min_sessions": "至少次数",
    "comment_days": "征求意见天数",
    "sessions": "培训次数",
    "officer": "执法人员",
    "year": "年度",
    "days": "天数",
    "working_days": "工作日数",
    "as_of": "基准日",
    "key_date": "关键日期",
    "check_day": "核验日期",
    "officer_count": "执法人员人数",
    "uncertified": "无有效执法证人数",
    "uncertified_officers": "无有效执法证的执法人员",
    "unknown_officers": "无人员记录人数",
    "unknown_officer_ids": "无人员记录的执法人员编号",
    "docs_cited": "依据的规范性文件件数",
    "docs_not_in_force": "不具效力件数",
    "docs_not_in_force_refs": "不具效力的文件文号",
    "docs_unknown": "未找到件数",
    "docs_unknown_refs": "未找到的文件文号",
    "same_number_count": "同文号文件件数",
    "same_number_ids": "同文号的文件",
    "session_ids": "培训记录",
    "sessions_without_hours_ids": "未填学时的培训记录",
}


def evidence_label(key: str, kind: str | None = None, lang: str = "zh") -> str:
    """An evidence key as a reader's label: the record field's Chinese name, else a known key's, else the key
    (English: the key's words)."""
    if lang != "zh":
        return key.replace("_", " ")
    if kind and key in FIELD_LABELS_ZH.get(kind, {}):
        return FIELD_LABELS_ZH[kind][key]
    if key in EVIDENCE_LABELS_ZH:
        return EVIDENCE_LABELS_ZH[key]
    for labels in FIELD_LABELS_ZH.values():
        if key in labels:
            return labels[key]
    return key


def evidence_text(evidence: dict, lang: str = "zh", kind: str | None = None) -> str:
    """Evidence as labelled values; a list of whom or what a finding rests on (officers, 文号) shows its
    first names and how many in all ("等12人", engine/outcomes/evidence_lists.py)."""
    colon, separator = ("：", "；") if lang == "zh" else (": ", "; ")
    return separator.join(
        f"{evidence_label(key, kind, lang)}{colon}"
        f"{bounded_list(value, lang, key, show=lambda item: display(item, lang)) if key in UNITS and isinstance(value, (list, tuple)) else display(value, lang)}"
        for key, value in evidence.items()
    )


def parameter_items(parameters: dict, lang: str = "zh") -> list[tuple[str, str]]:
    """A run's parameters as (label, value) pairs in the report's language."""
    labels = PARAMETER_LABELS[lang]
    items = []
    for key, value in parameters.items():
        if key == "calendar":
            continue
        if key == "absent_steps" and isinstance(value, str):
            text = ABSENT_STEPS[lang].get(value, value)
        elif key == "kinds" and isinstance(value, (list, tuple)):
            text = display([KIND_LABELS[lang].get(k, k) for k in value], lang)
        elif key == "shown" and isinstance(value, dict):
            parts = []
            for name, part in value.items():
                if name == "kinds":
                    part = [KIND_LABELS[lang].get(k, k) for k in part]
                elif name == "outcomes":
                    part = [OUTCOME_LABELS[lang].get(o, o) for o in part]
                parts.append(f"{labels.get(name, name)} {display(part, lang)}")
            text = ("，" if lang == "zh" else ", ").join(parts) or MISSING
        else:
            text = display(value, lang)
        items.append((labels.get(key, key), text))
    return items


def parameters_text(parameters: dict, lang: str = "zh") -> str:
    return ("；" if lang == "zh" else "; ").join(
        f"{label} {value}" for label, value in parameter_items(parameters, lang)
    )


def calendar_sentence(calendar: dict, lang: str = "zh") -> str:
    """Where the holiday data came from, as a sentence."""
    package = " ".join(str(p) for p in (calendar.get("package"), calendar.get("package_version")) if p) or MISSING
    years = calendar.get("official_years") or []
    files = calendar.get("user_files") or []
    if lang == "zh":
        text = f"{package}"
        if len(years) == 2:
            text += f"（国务院放假安排 {years[0]}—{years[1]}年）"
        if files:
            text += "；用户文件 " + "、".join(
                f"{f.get('file')}" + (f"（{display(f.get('years'), lang)}年）" if f.get("years") else "") for f in files
            )
        else:
            text += "；无用户文件"
        if calendar.get("statutory_rule"):
            text += f"；法定节假日依{calendar['statutory_rule']}"
        return text
    text = package
    if len(years) == 2:
        text += f" (State Council schedules {years[0]}–{years[1]})"
    if files:
        text += "; user files " + ", ".join(
            f"{f.get('file')}" + (f" ({display(f.get('years'), lang)})" if f.get("years") else "") for f in files
        )
    else:
        text += "; no user files"
    if calendar.get("statutory_rule"):
        text += f"; statutory holidays per {calendar['statutory_rule']}"
    return text


def month_range(months: list[str]) -> list[str]:
    """Every month from the first to the last of ``months`` (``YYYY-MM``), gaps filled."""
    valid = sorted(
        m
        for m in months
        if isinstance(m, str)
        and len(m) == 7
        and m[4] == "-"
        and m[:4].isdigit()
        and m[5:].isdigit()
        and 1 <= int(m[5:]) <= 12
    )
    if not valid:
        return []
    year, month = int(valid[0][:4]), int(valid[0][5:])
    last = (int(valid[-1][:4]), int(valid[-1][5:]))
    out: list[str] = []
    while (year, month) <= last and len(out) < 1200:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
