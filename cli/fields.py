"""``fzcheck fields``: which columns a register may have, as the models define them.

:func:`field_catalogue` is the one description of the record fields (kind, name, Chinese aliases,
type, accepted formats, an example value); the command renders it as a table, JSON or markdown, and
docs/gen_fields.py writes docs/records-fields.md with :func:`render_markdown`, so the two cannot drift.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass

import click
from pydantic import AliasChoices

from ..models.records import (
    COLUMN_SYNONYMS,
    FIELD_ALIASES,
    FIELD_MINIMUMS,
    FIELD_TYPES,
    KIND_LABELS,
    RECORD_MODELS,
    kind_code,
)

#: The forms a date may be written in (README, Records).
DATE_FORMATS = (
    "2019-03-04",
    "2019年3月4日",
    "2019/3/4",
    "2019.3.4",
    "2019-03-04 00:00:00",
    "20190304",
    "Excel date cell",
    "二○一九年三月四日",
)
BOOL_FORMATS = ("true/false", "是/否", "1/0", "Y/N")
LIST_FORMATS = ("a list, or one cell separated by ; ； 、 , ， or new lines",)
INT_FORMATS = ("a whole number",)
NUMBER_FORMATS = ("a number",)

#: Example values of text and list fields (other types take one of their type).
EXAMPLES = {
    "id": "nd-2018-001",
    "region_code": "532301",
    "agency": "楚雄州人民政府",
    "doc_number": "楚政发〔2018〕3号",
    "title": "楚雄州行政规范性文件管理办法",
    "comment_exempt": "依法不予公开",
    "comment_shortened_reason": "应对突发事件",
    "case_number": "楚市监罚〔2018〕12号",
    "officers": "张三；李四",
    "discretion_benchmark": "市场监管行政处罚裁量基准",
    "recorded_stages": "立案；调查；决定",
    "basis": "法律:中华人民共和国行政处罚法",
    "name": "张三",
    "cert_number": "53230018001",
    "officer_id": "off-1",
    "handlers": "张三；李四",
    "execution_subject": "州发展改革委",
    "execution_deadline": "2019年12月31日前",
    "feedback_mechanism": "每季度报告执行情况",
    "comment_start": "2018-03-01",
    "comment_end": "2018-03-31",
    "valid_until": "2023-05-31",
    "cert_valid_until": "2024-05-31",
    "days": "5",
    "hours": "40",
    "validity_years": "5",
    "fine_amount": "5000",
    "suspended_days": "10",
}
#: Examples of one kind's field (ids and titles differ by kind).
KIND_EXAMPLES = {
    ("normative_document", "id"): "nd-2018-001",
    ("enforcement_case", "id"): "ec-2018-001",
    ("officer", "id"): "off-1",
    ("training_session", "id"): "tr-2018-01",
    ("reconsideration_case", "id"): "rc-2018-001",
    ("major_decision", "id"): "md-2018-01",
    ("major_decision", "title"): "楚雄州城市总体规划修编",
    # the agency registry and its registers (issue #12)
    ("agency", "id"): "cx-gov",
    ("agency", "name"): "楚雄市人民政府",
    ("reconsideration_staff", "name"): "张丽",
    ("annual_report", "report_year"): "2018",
    ("publication", "covers_year"): "2018",
    ("publication", "title"): "2018年度规范性文件备案目录",
    ("plan_task", "title"): "建立行政执法全过程记录制度",
    ("study_session", "title"): "宪法专题讲座",
    ("supervision_activity", "title"): "2018年度行政执法案卷评查",
}
_TYPE_EXAMPLES = {"date": "2018-06-01", "bool": "是", "int": "10", "number": "5", "str": "…", "list": "…"}

#: The fields added with records.md's procedure / hearing / suspension update (database revision 0003).
NEW_FIELDS = (
    ("enforcement_case", "procedure"),
    ("enforcement_case", "hearing_eligible"),
    ("enforcement_case", "hearing_waived"),
    ("enforcement_case", "hearing_on"),
    ("reconsideration_case", "procedure"),
    ("reconsideration_case", "suspended_days"),
    ("normative_document", "comment_shortened_reason"),
    ("normative_document", "doc_number_suspect"),
)

#: What the models compute, for the computed fields.
COMPUTED_NOTES = {
    "doc_number_normalized": "the 文号 with 〔〕 around the year, ASCII digits, no spaces and traditional "
    "characters made simplified (OpenCC t2s: 號 → 号); `doc_number` keeps it as written",
    "doc_number_suspect": "true when the year in brackets or the serial before 号 holds letters that OCR puts for "
    "digits (O/o/〇/○ → 0, l/I/| → 1, Z → 2, S → 5, B → 8 …); the record is warned about, "
    "its 文号 never corrected",
}

_TYPE_ZH = {
    "date": "日期",
    "bool": "是否",
    "str": "文本",
    "int": "整数",
    "number": "数字",
    "list": "列表",
    "enum": "枚举",
}


@dataclass(frozen=True)
class FieldInfo:
    """One field of one kind, as ``fzcheck fields`` and docs/records-fields.md show it."""

    kind: str
    field: str
    type: str  # date, bool, str, int, number, list or enum
    aliases: tuple[str, ...]  # the Chinese column names
    formats: tuple[str, ...]  # what a value may be written as
    example: str | None  # None: computed, never read
    computed: str | None = None  # None: input; else what the models fill in ("" when no note)
    minimum: int | None = None
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()  # enums: (code, Chinese labels)


def _aliases(info) -> tuple[str, ...]:
    alias = info.validation_alias
    if not isinstance(alias, AliasChoices):
        return ()
    return tuple(name for name in alias.choices if isinstance(name, str) and not name.isascii())


def _field(kind: str, name: str) -> FieldInfo:
    info = RECORD_MODELS[kind].model_fields[name]
    parser = next((item for item in info.metadata if hasattr(item, "codes")), None)
    computed = None if name in FIELD_ALIASES[kind].values() else COMPUTED_NOTES.get(name, "")
    type_name = FIELD_TYPES[kind][name]
    values: tuple = ()
    if parser is not None:
        labels = getattr(parser, "labels", {})
        values = tuple((code, tuple(labels.get(code, ()))) for code in parser.codes)
        type_name = "enum"
        formats = tuple(" / ".join((code, *names)) for code, names in values)
        example = values[0][1][0] if values[0][1] else values[0][0]
    else:
        formats = {
            "date": DATE_FORMATS,
            "bool": BOOL_FORMATS,
            "list": LIST_FORMATS,
            "int": INT_FORMATS,
            "number": NUMBER_FORMATS,
        }.get(type_name, ())
        example = KIND_EXAMPLES.get((kind, name)) or EXAMPLES.get(name, _TYPE_EXAMPLES[type_name])
    return FieldInfo(
        kind,
        name,
        type_name,
        _aliases(info),
        formats,
        None if computed is not None else example,
        computed,
        FIELD_MINIMUMS[kind].get(name),
        values,
    )


def kind_fields(kind: str) -> list[FieldInfo]:
    return [_field(kind, name) for name in RECORD_MODELS[kind].model_fields if name not in ("source", "kind")]


def field_catalogue(kind: str | None = None) -> dict[str, list[FieldInfo]]:
    """kind -> its fields, in model order (every kind, or the one given)."""
    return {each: kind_fields(each) for each in RECORD_MODELS if kind in (None, each)}


def kind_labels(kind: str) -> tuple[str, ...]:
    """The Chinese labels a kind column may hold for ``kind``."""
    return tuple(kind_code.labels.get(kind, (KIND_LABELS[kind],)))


# --- markdown (docs/records-fields.md) ------------------------------------------------------------

HEADER = """\
# Record fields, as the models define them

Generated from `models/records.py` by `docs/gen_fields.py` (do not edit by hand; run
`python docs/gen_fields.py` after changing a model; `fzcheck fields --format markdown` prints the
same). The meaning of each field is in [records.md](../../shared/spec/records.md). Any column or
key may be the field name or one of its Chinese aliases; enum values may be the code or one of its
Chinese labels. *Computed* fields are filled in by the models and never read from the input. The
kind column (`kind`, 类型) holds the kind's code or Chinese label; a register of one kind may go
without it (`fzcheck check FILE --kind normative_document`, or read from its columns).

Types: `date` (ISO `2019-03-04`, `2019年3月4日`, `2019/3/4`, `2019.3.4`, `2019-03-04 00:00:00`,
compact `20190304`, Excel date cells, `二○一九年三月四日`), `bool` (`true/false`, `是/否`, `1/0`,
`Y/N`), `str`, `int` (a whole number), `number`, `list` (one cell separated by `;` `；` `、` `,` `，`
or new lines), `enum`.
"""

_MD_HEADINGS = {
    "en": ("field", "type", "Chinese alias", "input / computed", "example"),
    "zh": ("字段", "类型", "中文列名", "输入 / 计算", "示例"),
}


def _md_type(item: FieldInfo) -> str:
    if item.type == "enum":
        return "enum: " + ", ".join(f"`{code}` {' / '.join(names)}".rstrip() for code, names in item.values)
    return f"{item.type} ≥ {item.minimum}" if item.minimum is not None else item.type


def _md_row(item: FieldInfo, with_kind: bool = False, lang: str = "en") -> str:
    words = ("input", "computed") if lang == "en" else ("输入", "计算")
    origin = words[0] if item.computed is None else f"{words[1]}: {item.computed}" if item.computed else words[1]
    example = f"`{item.example}`" if item.example is not None else "—"
    cells = ([f"`{item.kind}`"] if with_kind else []) + [
        f"`{item.field}`",
        _md_type(item),
        "、".join(item.aliases) or "—",
        origin,
        example,
    ]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |\n"


def _md_table_head(lang: str, with_kind: bool = False) -> str:
    headings = (("kind" if lang == "en" else "记录类型",) if with_kind else ()) + _MD_HEADINGS[lang]
    return "| " + " | ".join(headings) + " |\n" + "|---" * len(headings) + "|\n"


def render_markdown(kind: str | None = None, lang: str = "en") -> str:
    """docs/records-fields.md (every kind, English), or the section of one kind."""
    catalogue = field_catalogue(kind)
    parts = []
    if kind is None:
        parts += [
            HEADER,
            "\n## Column names read as another field's\n\n",
            "An unknown column is warned about with the closest field or alias of the record's kind "
            '("did you mean"); these names, none of them an alias, are proposed as the alias given '
            "(`COLUMN_SYNONYMS` in `models/records.py`). They are not read: rename the column.\n\n",
            "| column | did you mean |\n|---|---|\n",
        ]
        parts += [f"| {synonym} | {alias} |\n" for synonym, alias in COLUMN_SYNONYMS.items()]
        parts.append(
            "\n## Fields added with the procedure, hearing and suspension update\n\n"
            + _md_table_head(lang, with_kind=True)
        )
        fields = {(item.kind, item.field): item for items in catalogue.values() for item in items}
        parts += [_md_row(fields[key], True, lang) for key in NEW_FIELDS]
    for each, items in catalogue.items():
        parts.append(
            f"{'' if kind else chr(10)}## `{each}` {KIND_LABELS[each]}\n\n"
            f"{'类型列' if lang == 'zh' else 'Kind column'}: `{each}` / {' / '.join(kind_labels(each))}\n\n"
            + _md_table_head(lang)
        )
        parts += [_md_row(item, False, lang) for item in items]
    return "".join(parts)


# --- table and JSON -------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


_TABLE_HEADINGS = {
    "en": ("field", "type", "Chinese columns", "example", "accepted"),
    "zh": ("字段", "类型", "中文列名", "示例", "可接受的写法"),
}


def _table_cells(item: FieldInfo, lang: str) -> tuple[str, ...]:
    type_name = _TYPE_ZH[item.type] if lang == "zh" else item.type
    if item.minimum is not None:
        type_name += f" ≥ {item.minimum}"
    if item.computed is not None:
        type_name += "（计算）" if lang == "zh" else " (computed)"
    if item.type in ("date", "bool"):
        accepted = "见上" if lang == "zh" else "see above"
    elif item.type == "list":
        accepted = "; ； 、 , ，"
    else:
        accepted = ", ".join(item.formats) if item.type == "enum" else ""
    return (item.field, type_name, "、".join(item.aliases) or "—", item.example or "—", accepted)


def render_table(kind: str | None = None, lang: str = "en") -> str:
    lines = (
        [f"日期：{'、'.join(DATE_FORMATS)}", f"是否：{'、'.join(BOOL_FORMATS)}"]
        if lang == "zh"
        else [f"dates: {', '.join(DATE_FORMATS)}", f"booleans: {', '.join(BOOL_FORMATS)}"]
    )
    for each, items in field_catalogue(kind).items():
        rows = [_TABLE_HEADINGS[lang]] + [_table_cells(item, lang) for item in items]
        widths = [max(_width(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
        lines += [
            "",
            f"{each} {KIND_LABELS[each]}  ({'类型列' if lang == 'zh' else 'kind column'}: "
            f"{each} / {' / '.join(kind_labels(each))})",
        ]
        lines += ["  ".join(_pad(cell, width) for cell, width in zip(row, widths)) + "  " + row[-1] for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_json(kind: str | None = None) -> str:
    data = {
        "date_formats": list(DATE_FORMATS),
        "bool_formats": list(BOOL_FORMATS),
        "column_synonyms": COLUMN_SYNONYMS,
        "kinds": [
            {
                "kind": each,
                "label": KIND_LABELS[each],
                "kind_labels": list(kind_labels(each)),
                "fields": [
                    {
                        **{k: v for k, v in asdict(item).items() if k not in ("kind", "values")},
                        "aliases": list(item.aliases),
                        "formats": list(item.formats),
                        **({"values": {code: list(names) for code, names in item.values}} if item.values else {}),
                    }
                    for item in items
                ],
            }
            for each, items in field_catalogue(kind).items()
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _kind_argument(ctx, param, value):
    if value is None:
        return None
    try:
        return kind_code(value)
    except ValueError as exc:  # in --lang (an eager option: read before KIND)
        from ..messages import text

        raise click.BadParameter(text(exc.args[0], ctx.params.get("lang") or "zh")) from None


@click.command("fields")
@click.argument("kind", required=False, callback=_kind_argument)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="Output format (markdown: what docs/records-fields.md holds).",
)
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, is_eager=True, help="Heading language."
)
def fields_command(kind, fmt, lang):
    """列出记录字段 / Which columns a register may have: every kind's fields, their Chinese column
    names, types, accepted values and an example.

    KIND is a kind code or its Chinese label (normative_document, 行政规范性文件, 规范性文件 …);
    without it every kind is listed.

    \b
    Examples:
      fzcheck fields                               # 全部记录类型的字段
      fzcheck fields 行政规范性文件                 # 规范性文件台账可用的列
      fzcheck fields normative_document --lang en
      fzcheck fields --format json                 # for tools
      fzcheck fields --format markdown             # = docs/records-fields.md
    """
    if fmt == "json":
        text = render_json(kind)
    elif fmt == "markdown":
        text = render_markdown(kind, lang)
    else:
        text = render_table(kind, lang)
    click.echo(text, nl=False)
