"""docs/records-fields.md is what docs/gen_fields.py writes from the models (a cog block)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_fields", DOCS / "gen_fields.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_field_table_equals_the_generated_one():
    """The file is one cog block: the generator's code, then its text (tests/test_docs_generated.py checks it)."""
    generator = load_generator()
    text = (DOCS / "records-fields.md").read_text(encoding="utf-8")
    code, _, rest = text.partition("]]] -->\n")
    assert code.startswith("<!-- [[[cog\n") and "gen_fields.render()" in code
    assert rest == generator.render() + "<!-- [[[end]]] -->\n", (
        "docs/records-fields.md is out of date: run python docs/gen_fields.py"
    )


def test_field_table_lists_every_field_and_the_new_ones_with_their_aliases():
    from fzcheck.models.records import RECORD_MODELS

    text = load_generator().render()
    for kind, model in RECORD_MODELS.items():
        assert f"## `{kind}`" in text
        assert all(f"`{name}`" in text for name in model.model_fields if name not in ("source", "kind"))
    for row in (
        "| `enforcement_case` | `procedure` | enum: `simple` 简易程序 / 当场处罚 / 简易, `ordinary` 普通程序",
        "| `enforcement_case` | `hearing_eligible` | bool | 可申请听证 | input |",
        "| `reconsideration_case` | `suspended_days` | int ≥ 0 | 中止天数 | input |",
        "| `normative_document` | `comment_shortened_reason` | str | 缩短征求意见期限理由 | input |",
        "| `normative_document` | `doc_number_suspect` | bool | — | computed: ",
        "| `published_on` | date | 公布日期 | input | `2018-06-01` |",
        "| 发布日期 | 公布日期 |",
    ):
        assert row in text


def test_generator_and_fields_command_share_one_renderer():
    from fzcheck.cli.fields import render_markdown

    assert load_generator().render() == render_markdown(None, "en")


def test_generator_check_mode_accepts_the_committed_file():
    assert load_generator().main(["--check"]) == 0
