"""Where a record came from, and what was wrong with the input: the facts readers, models and every
report share (records.md, "Input errors")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a record came from: file and line (JSON Lines, YAML) or row (CSV/XLSX, header = 1)."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __reduce__(self) -> tuple:
        # sent to worker processes with every subject: the slots dataclass default (fields() and
        # setattr per field) cost ~30 µs per object unpickled, this a plain call
        return (SourceRef, (self.file, self.line))

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line}


@dataclass(frozen=True)
class InputIssue:
    """An input error (record not checked) or warning (record checked, something ignored).

    ``message`` is a catalog message (:class:`~fzcheck.messages.Msg`, whose ``str`` is the
    English text) or plain text; outputs show :meth:`text` in the report's language."""

    file: str
    line: int | None
    field: str | None
    message: str
    record_id: str | None = None
    #: what kind of issue, for formats that classify them: None (a reading problem) or "coverage"
    #: (a record no local pack covers, checked against national rules only: cli.md)
    code: str | None = None

    def text(self, lang: str = "zh") -> str:
        """The message in ``lang``: a catalog message (fzcheck/messages.py) is rendered in it."""
        message = self.message
        return message.text(lang) if hasattr(message, "text") else str(message)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        data = {"file": self.file, "line": self.line, "field": self.field, "message": self.text(lang)}
        if self.code is not None:
            data["code"] = self.code
            data["record_id"] = self.record_id
        return data

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
