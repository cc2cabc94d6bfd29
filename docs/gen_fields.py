"""Writes docs/records-fields.md: every record field as the models define it (name, type, Chinese
aliases, input or computed, enum codes with their labels, an example), so the table cannot drift
from the code. The text is :func:`fzcheck.cli.fields.render_markdown`, which ``fzcheck fields
--format markdown`` prints too.

    python docs/gen_fields.py           # rewrite docs/records-fields.md
    python docs/gen_fields.py --check   # exit 1 if the file is not what the models give

tests/test_docs_fields.py holds the committed file equal to :func:`render`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fzcheck.cli.fields import render_markdown

TARGET = Path(__file__).with_name("records-fields.md")


def render() -> str:
    return render_markdown(None, "en")


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
