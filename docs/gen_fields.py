"""docs/records-fields.md: every record field as the models define it (name, type, Chinese aliases,
input or computed, enum codes with their labels, an example), so the table cannot drift from the
code. The file is one cog block calling :func:`render`, whose text is
:func:`fzcheck.cli.fields.render_markdown` (``fzcheck fields --format markdown`` prints it too).

    python docs/gen_fields.py           # rewrite docs/records-fields.md
    python docs/gen_fields.py --check   # exit 1 if the file is not what the models give

``make docs`` rewrites every generated block, ``make lint`` checks them (``cog --check``), and
tests/test_docs_generated.py fails when one is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fzcheck.cli.fields import render_markdown

TARGET = Path(__file__).with_name("records-fields.md")


def render() -> str:
    return render_markdown(None, "en")


def main(argv: list[str]) -> int:
    from cogapp import Cog

    return Cog().main(["cog", "-I", str(TARGET.parent), "--check" if "--check" in argv else "-r", str(TARGET)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
