"""Writes docs/records-fields.md: every record field as the models define it (name, type, Chinese
aliases, input or computed, enum codes with their labels), so the table cannot drift from the code.

    python docs/gen_fields.py           # rewrite docs/records-fields.md
    python docs/gen_fields.py --check   # exit 1 if the file is not what the models give

tests/test_docs_fields.py holds the committed file equal to :func:`render`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import AliasChoices

from fzcheck.models.records import FIELD_ALIASES, FIELD_MINIMUMS, FIELD_TYPES, KIND_LABELS, RECORD_MODELS

TARGET = Path(__file__).with_name("records-fields.md")

HEADER = """\
# Record fields, as the models define them

Generated from `models/records.py` by `docs/gen_fields.py` (do not edit by hand; run
`python docs/gen_fields.py` after changing a model). The meaning of each field is in
[records.md](../../shared/spec/records.md). Any column or key may be the field name or one of
its Chinese aliases; enum values may be the code or one of its Chinese labels. *Computed* fields
are filled in by the models and never read from the input.

Types: `date` (ISO `2019-03-04`, `2019年3月4日`, `2019/3/4`, `2019.3.4`, compact `20190304`,
Excel date cells, `二○一九年三月四日`), `bool` (`true/false`, `是/否`, `1/0`, `Y/N`), `str`,
`int` (a whole number), `number`, `list`, `enum`.
"""


def _aliases(info) -> list[str]:
    alias = info.validation_alias
    return [name for name in alias.choices if not name.isascii()] if isinstance(alias, AliasChoices) else []


def _type(kind: str, name: str, info) -> str:
    parser = next((item for item in info.metadata if hasattr(item, "codes")), None)
    if parser is not None and name != "kind":
        labels = getattr(parser, "labels", {})
        values = ", ".join(f"`{code}` {' / '.join(labels.get(code, ()))}".rstrip() for code in parser.codes)
        return f"enum: {values}"
    type_name = FIELD_TYPES[kind][name]
    minimum = FIELD_MINIMUMS[kind].get(name)
    return f"{type_name} ≥ {minimum}" if minimum is not None else type_name


#: The fields added with records.md's procedure / hearing / suspension update (database revision 0003).
NEW_FIELDS = (("enforcement_case", "procedure"), ("enforcement_case", "hearing_eligible"),
              ("enforcement_case", "hearing_waived"), ("enforcement_case", "hearing_on"),
              ("reconsideration_case", "procedure"), ("reconsideration_case", "suspended_days"),
              ("normative_document", "comment_shortened_reason"), ("normative_document", "doc_number_suspect"))

#: What the models compute, for the computed fields.
COMPUTED_NOTES = {
    "doc_number_normalized": "the 文号 with 〔〕 around the year, ASCII digits, no spaces and traditional "
                             "characters made simplified (OpenCC t2s: 號 → 号); `doc_number` keeps it as written",
    "doc_number_suspect": "true when the year in brackets or the serial before 号 holds letters that OCR puts for "
                          "digits (O/o/〇/○ → 0, l/I/| → 1, Z → 2, S → 5, B → 8 …); the record is warned about, "
                          "its 文号 never corrected",
}


def _row(kind: str, name: str, with_kind: bool = False) -> str:
    info = RECORD_MODELS[kind].model_fields[name]
    aliases = "、".join(_aliases(info)) or "—"
    if name in FIELD_ALIASES[kind].values():
        origin = "input"
    else:
        origin = f"computed: {COMPUTED_NOTES[name]}" if name in COMPUTED_NOTES else "computed"
    cells = ([f"`{kind}`"] if with_kind else []) + [f"`{name}`", _type(kind, name, info), aliases, origin]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |\n"


def render() -> str:
    parts = [HEADER, ("\n## Fields added with the procedure, hearing and suspension update\n\n"
                      "| kind | field | type | Chinese alias | input / computed |\n|---|---|---|---|---|\n")]
    parts += [_row(kind, name, with_kind=True) for kind, name in NEW_FIELDS]
    for kind, model in RECORD_MODELS.items():
        parts.append(f"\n## `{kind}` {KIND_LABELS[kind]}\n\n| field | type | Chinese alias | input / computed |\n"
                     "|---|---|---|---|\n")
        parts += [_row(kind, name) for name in model.model_fields if name not in ("source", "kind")]
    return "".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date; run python docs/gen_fields.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
