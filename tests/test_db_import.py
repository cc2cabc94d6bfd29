"""Records database: schema, import idempotence and versions, quarantine, all-or-nothing files."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from sqlalchemy import func, select, text

from fzcheck.engine.db import importer
from fzcheck.engine.db.database import DatabaseError, connect, current_revision, head_revision, open_engine
from fzcheck.engine.db.importer import import_paths, quarantined_rows, record_counts, record_from_row, record_history
from fzcheck.engine.db.schema import RECORD_TABLES, imports, metadata
from fzcheck.engine.readers import read_paths

DOC = {"kind": "normative_document", "id": "nd-1", "region_code": "532301", "agency": "楚雄市人民政府",
       "doc_number": "楚市政发[2019]3号", "title": "楚雄市某某管理暂行办法", "published_on": "2019年3月4日",
       "filed_on": "2019-03-10", "validity_years": 2}
CASE = {"kind": "enforcement_case", "id": "ec-1", "region_code": "532301", "officers": ["of-1", "of-2"],
        "basis": [{"type": "normative_document", "ref": "楚市政发〔2019〕3号"}], "decided_on": "2019-05-06",
        "recorded_stages": "立案、调查、决定"}
OFFICER = {"kind": "officer", "id": "of-1", "region_code": "532301", "cert_valid_until": "2020-12-31"}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


PG_URL = os.environ.get("FZCHECK_TEST_PG_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """Each import test on SQLite (rows through the driver) and on PostgreSQL (rows through Core)."""
    if request.param == "sqlite":
        engine = connect(str(tmp_path / "records.db"), create=True)
    elif not PG_URL:
        pytest.skip("FZCHECK_TEST_PG_URL is not set (CI sets it after .ci/services.sh starts PostgreSQL)")
    else:
        with open_engine(PG_URL).begin() as connection:
            metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        engine = connect(PG_URL, create=True)
    yield engine
    engine.dispose()


def test_new_database_is_at_head_and_migrations_match_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = connect(str(tmp_path / "fresh.db"), create=True)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_database_without_schema_is_refused_with_advice(tmp_path):
    with pytest.raises(DatabaseError, match="fzcheck db init"):
        connect(str(tmp_path / "empty.db"))


def test_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("FZCHECK_DB", str(tmp_path / "env.db"))
    assert open_engine().url.database == str(tmp_path / "env.db")


def test_stored_records_read_back_equal_to_the_parsed_ones(engine, tmp_path):
    inline = {**CASE, "id": "ec-2", "officers": ["of-1", {"name": "张三", "cert_valid_until": "2021-12-31"}],
              "basis": ["法律:中华人民共和国行政处罚法", {"ref": "楚市政发[2019]3号"}], "fine_amount": 200}
    path = write_jsonl(tmp_path / "mixed.jsonl", [DOC, CASE, OFFICER, inline])
    import_paths(engine, [path])
    parsed = {(r.kind, r.id): r for r in read_paths([path]).records}
    with engine.connect() as connection:
        for kind, table in RECORD_TABLES.items():
            for row in connection.execute(select(table)):
                assert record_from_row(kind, row) == parsed[(kind, row.record_id)]
    assert record_counts(engine)["normative_document"] == 1


def test_reimport_changes_nothing_and_changed_record_keeps_previous_version(engine, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [DOC, CASE, OFFICER])
    first = import_paths(engine, [path])
    assert (first.total("inserted"), first.total("unchanged")) == (3, 0)
    with engine.connect() as connection:
        stored_hash = connection.execute(select(imports.c.file_sha256)).scalar_one()
    assert stored_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    again = import_paths(engine, [path])
    assert (again.total("inserted"), again.total("updated"), again.total("unchanged")) == (0, 0, 3)

    write_jsonl(path, [{**DOC, "filed_on": "2019-03-30"}, CASE, OFFICER])
    changed = import_paths(engine, [path])
    assert (changed.total("updated"), changed.total("unchanged")) == (1, 2)
    table = RECORD_TABLES["normative_document"]
    with engine.connect() as connection:
        row = connection.execute(select(table)).one()
    assert (row.version, str(row.filed_on)) == (2, "2019-03-30")
    history = record_history(engine, "normative_document", "nd-1")
    assert [(item["version"], item["data"]["filed_on"]) for item in history] == [(1, "2019-03-10")]


def test_bad_rows_are_quarantined_and_good_rows_stored(engine, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [
        DOC,
        {**CASE, "id": "ec-bad-date", "decided_on": "2019-02-30"},
        {"kind": "press_release", "id": "x", "region_code": "532301"},
        {**DOC, "title": "again"},
        CASE,
    ])
    (tmp_path / "bad.jsonl").write_text((tmp_path / "bad.jsonl").read_text(encoding="utf-8") + "{broken\n",
                                        encoding="utf-8")
    result = import_paths(engine, [path])
    assert (result.total("inserted"), result.total("quarantined")) == (2, 4)
    rows = quarantined_rows(engine)
    reasons = {(row["line"], row["field"]): row["reason"] for row in rows}
    assert "invalid date '2019-02-30'" in reasons[(2, "decided_on")]
    assert "unknown kind 'press_release'" in reasons[(3, "kind")]
    assert reasons[(4, "id")].startswith("duplicate id 'nd-1'")
    raw = {(row["line"], row["field"]): row["raw"] for row in rows}
    assert raw[(4, "id")] == {**DOC, "title": "again"} and raw[(6, None)] is None
    assert raw[(2, "decided_on")]["id"] == "ec-bad-date"
    assert "invalid JSON" in reasons[(6, None)]
    assert all(row["file"] == str(path) for row in rows)


def test_interrupted_import_leaves_the_database_as_it_was(engine, tmp_path, monkeypatch):
    first = write_jsonl(tmp_path / "a.jsonl", [DOC])
    import_paths(engine, [first])
    many = write_jsonl(tmp_path / "b.jsonl", [{**CASE, "id": f"ec-{i}"} for i in range(50)] + [{**DOC, "title": "x"}])
    monkeypatch.setattr(importer, "CHUNK_ROWS", 10)
    original = importer._FileWriter._store
    calls = []

    def store_then_fail(self, kind, items):
        calls.append(kind)
        original(self, kind, items)
        if len(calls) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(importer._FileWriter, "_store", store_then_fail)

    def snapshot():
        with engine.connect() as connection:
            return {name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in metadata.tables.items()}

    before = snapshot()
    with pytest.raises(KeyboardInterrupt):
        import_paths(engine, [many])
    assert len(calls) == 3
    assert snapshot() == before


def test_parallel_import_gives_the_same_counts(engine, tmp_path):
    path = write_jsonl(tmp_path / "many.jsonl", [{**CASE, "id": f"ec-{i}"} for i in range(300)] + [DOC])
    result = import_paths(engine, [path], jobs=2)
    assert result.total("inserted") == 301
    assert import_paths(engine, [path], jobs=2).total("unchanged") == 301


def test_construct_builds_what_model_construct_builds():
    from fzcheck.models.records import Basis, EnforcementCase

    values = {"kind": "enforcement_case", "id": "ec-1", "region_code": "532301", "fine_amount": 5.0,
              "basis": [importer.construct(Basis, {"type": "law", "ref": "x", "ref_normalized": "x"})]}
    built, expected = importer.construct(EnforcementCase, values), EnforcementCase.model_construct(**values)
    assert built == expected and built.model_dump() == expected.model_dump()
    assert built.__pydantic_fields_set__ == expected.__pydantic_fields_set__
    assert (built.__pydantic_extra__, built.__pydantic_private__) == (expected.__pydantic_extra__,
                                                                      expected.__pydantic_private__)


def test_quarantined_raw_keeps_what_json_cannot_hold_as_text(engine, tmp_path):
    path = tmp_path / "nan.jsonl"
    path.write_text('{"kind": "training_session", "id": "t-1", "region_code": "532301", "days": NaN, '
                    '"hours": 123456789012345678901234567890}\n', encoding="utf-8")
    result = import_paths(engine, [path])
    assert result.total("quarantined") == 1
    [row] = quarantined_rows(engine)
    assert row["field"] == "days" and row["raw"]["days"] == "nan"
    assert row["raw"]["hours"] == "123456789012345678901234567890"
