"""The import's fast lane: rows already in canonical form, validated by pydantic-core alone.

Most rows of a bulk load are machine-written: English keys, ISO dates, enum codes, JSON numbers
and booleans (``fzcheck sample generate``, exports of other systems). For them, a strict TypedDict
built from the record models (no Python validators, unknown keys forbidden) is checked by
pydantic-core in Rust, straight from the JSON Lines bytes; the few derived values (the normalised
文号 and ``doc_number_suspect``, ``interim`` from the title, ``effective_from``, a basis item's
type) are then filled in by the same helpers the models use.

:func:`clean_record_data` returns exactly what ``record.model_dump(mode="json")`` of
:func:`~fzcheck.models.records.parse_record` would, or ``None``: anything it does not accept —
Chinese keys or labels, other date forms, numbers as text, blank values, surrounding spaces, a
bad value — takes the full path, which also gives the error messages. A differential property
test holds the two paths equal.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any, Literal, NotRequired, Required, Union

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from ...models.fields import parse_date_text
from ...models.records import (
    ENUM_VALUES,
    FIELD_BOUNDS,
    FIELD_TYPES,
    LATEST_END_DATE,
    LATEST_EVENT_DATE,
    RECORD_MODELS,
    Basis,
    InlineOfficer,
    _basis_type,
    _recorded_stage,
    date_in_range,
    derive_basis_values,
    derive_document_values,
)

#: Characters Python's str.strip() removes (str.isspace); a clean text neither starts nor ends with one,
#: so the full path's blank test and whitespace stripping would leave it as it is.
_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_CLEAN_TEXT = rf"^[^{_SPACE}](?s:.*[^{_SPACE}])?$"
CleanText = Annotated[str, StringConstraints(pattern=_CLEAN_TEXT)]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
RegionCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
_CONFIG = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
#: Fields the models derive, never read from the input.
_DERIVED = {"doc_number_normalized", "doc_number_suspect", "ref_normalized"}


def _scalar(type_name: str, codes: tuple[str, ...] | None) -> Any:
    if codes:
        return Literal[codes]
    return {"date": IsoDate, "bool": bool, "number": float, "int": int, "str": CleanText}[type_name]


def _typed_dict(name: str, fields: dict[str, Any], required: tuple[str, ...] = ()) -> type:
    annotations = {
        field: (Required[type_] if field in required else NotRequired[type_ | None]) for field, type_ in fields.items()
    }
    typed = TypedDict(name, annotations)  # type: ignore[misc]
    typed.__pydantic_config__ = _CONFIG  # type: ignore[attr-defined]
    return typed


_CleanInlineOfficer = _typed_dict(
    "CleanInlineOfficer", {"name": CleanText, "cert_number": CleanText, "cert_valid_until": IsoDate}
)
_CleanBasis = _typed_dict(
    "CleanBasis",
    {"type": Literal[_basis_type.codes], "ref": CleanText},
    required=("ref",),
)
# types built at run time from the models: mypy reads list[...] as a static type and cannot follow them
_LISTS = {
    "officers": list[CleanText | _CleanInlineOfficer],  # type: ignore[valid-type]
    "recorded_stages": list[Literal[_recorded_stage.codes]],  # type: ignore[name-defined]
    "basis": list[_CleanBasis],  # type: ignore[valid-type]
    "handlers": list[CleanText],
}


def _clean_kind(kind: str) -> type:
    fields: dict[str, Any] = {"kind": Literal[kind], "id": CleanText, "region_code": RegionCode}
    for name, type_name in FIELD_TYPES[kind].items():
        if name in fields or name in _DERIVED:
            continue
        fields[name] = _LISTS[name] if type_name == "list" else _scalar(type_name, ENUM_VALUES[kind].get(name))
        bounds = FIELD_BOUNDS[kind].get(name)
        if bounds is not None:  # e.g. a negative fine or 2**63 days: the full path's error
            low, high = bounds
            fields[name] = Annotated[fields[name], Field(ge=low) if high is None else Field(ge=low, le=high)]
    return _typed_dict(f"Clean_{kind}", fields, required=("kind", "id", "region_code"))


_ROW: TypeAdapter[dict[str, Any]] = TypeAdapter(
    Annotated[  # type: ignore[arg-type]  # a union of types built at run time, which mypy cannot follow
        # a Union over a computed tuple of kinds: `X | Y` has no spelling for it
        Union[tuple(_clean_kind(kind) for kind in RECORD_MODELS)],  # noqa: UP007
        Field(discriminator="kind"),
    ]
)
_ORDER = {kind: tuple(name for name in model.model_fields if name != "source") for kind, model in RECORD_MODELS.items()}
_DATES = {kind: tuple(name for name, type_ in FIELD_TYPES[kind].items() if type_ == "date") for kind in RECORD_MODELS}
#: the latest date each date field may hold (a validity end may be far ahead; events may not)
_LATEST = defaultdict(
    lambda: LATEST_EVENT_DATE,
    {name: LATEST_END_DATE for dates in _DATES.values() for name in dates if name.endswith("valid_until")},
)
_INLINE_ORDER = tuple(InlineOfficer.model_fields)
_BASIS_ORDER = tuple(Basis.model_fields)


def clean_record_data(raw: bytes | dict[str, Any]) -> dict[str, Any] | None:
    """The record's JSON data (as ``model_dump(mode="json")``) if the row is clean, else None."""
    try:
        values = _ROW.validate_json(raw) if raw.__class__ is bytes else _ROW.validate_python(raw)
        kind = values["kind"]
        for name in _DATES[kind]:
            day = values.get(name)
            if day is not None:
                # 2019-02-30 has the shape but is no date, 9999-12-31 no decision day: the full path says so
                date_in_range(parse_date_text(day), _LATEST[name])
    except (ValidationError, ValueError):
        return None
    data = {name: values.get(name) for name in _ORDER[kind]}
    if kind == "normative_document":
        derive_document_values(data)
    elif kind == "enforcement_case":
        if data["officers"]:
            data["officers"] = [
                item if item.__class__ is str else {name: item.get(name) for name in _INLINE_ORDER}
                for item in data["officers"]
            ]
        if data["basis"]:
            data["basis"] = [_basis_data(item) for item in data["basis"]]
    return data


def _basis_data(item: dict[str, Any]) -> dict[str, Any]:
    data = {name: item.get(name) for name in _BASIS_ORDER}
    derive_basis_values(data)
    return data
