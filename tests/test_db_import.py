"""Records database: schema, import idempotence and versions, quarantine, all-or-nothing files."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from pg_reset import drop_every_table
from sqlalchemy import Float, UniqueConstraint, func, select, text

from fzcheck.engine.sources.files import read_paths
from fzcheck.engine.store import importer
from fzcheck.engine.store.database import DatabaseError, connect, current_revision, head_revision, open_engine
from fzcheck.engine.store.importer import import_paths, quarantined_rows, record_counts, record_from_row, record_history
from fzcheck.engine.store.schema import RECORD_TABLES, imports, metadata

DOC = {
    "kind": "normative_document",
    "id": "nd-1",
    "region_code": "532301",
    "agency": "楚雄市人民政府",
    "doc_number": "楚市政发[2019]3号",
    "title": "楚雄市某某管理暂行办法",
    "published_on": "2019年3月4日",
    "filed_on": "2019-03-10",
    "validity_years": 2,
}
CASE = {
    "kind": "enforcement_case",
    "id": "ec-1",
    "region_code": "532301",
    "officers": ["of-1", "of-2"],
    "basis": [{"type": "normative_document", "ref": "楚市政发〔2019〕3号"}],
    "decided_on": "2019-05-06",
    "recorded_stages": "立案、调查、决定",
}
OFFICER = {"kind": "officer", "id": "of-1", "region_code": "532301", "cert_valid_until": "2020-12-31"}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


PG_URL = os.environ.get("FZCHECK_TEST_PG_URL")


@pytest.fixture(params=["sqlite", "postgresql", "duckdb"])
def engine(request, tmp_path):
    """Each import test on SQLite (rows through the driver), on PostgreSQL and on a DuckDB file (rows
    through Core)."""
    if request.param == "sqlite":
        engine = connect(str(tmp_path / "records.db"), create=True)
    elif request.param == "duckdb":
        engine = connect(f"duckdb:///{tmp_path / 'records.duckdb'}", create=True)
    elif not PG_URL:
        pytest.skip("FZCHECK_TEST_PG_URL is not set (CI sets it after .ci/services.sh starts PostgreSQL)")
    else:
        drop_every_table(PG_URL)
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
    inline = {
        **CASE,
        "id": "ec-2",
        "officers": ["of-1", {"name": "张三", "cert_valid_until": "2021-12-31"}],
        "basis": ["法律:中华人民共和国行政处罚法", {"ref": "楚市政发[2019]3号"}],
        "fine_amount": 200,
    }
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
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [
            DOC,
            {**CASE, "id": "ec-bad-date", "decided_on": "2019-02-30"},
            {"kind": "press_release", "id": "x", "region_code": "532301"},
            {**DOC, "title": "again"},
            CASE,
        ],
    )
    (tmp_path / "bad.jsonl").write_text(
        (tmp_path / "bad.jsonl").read_text(encoding="utf-8") + "{broken\n", encoding="utf-8"
    )
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
            return {
                name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in metadata.tables.items()
            }

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

    values = {
        "kind": "enforcement_case",
        "id": "ec-1",
        "region_code": "532301",
        "fine_amount": 5.0,
        "basis": [importer.construct(Basis, {"type": "law", "ref": "x", "ref_normalized": "x"})],
    }
    built, expected = importer.construct(EnforcementCase, values), EnforcementCase.model_construct(**values)
    assert built == expected and built.model_dump() == expected.model_dump()
    assert built.__pydantic_fields_set__ == expected.__pydantic_fields_set__
    assert (built.__pydantic_extra__, built.__pydantic_private__) == (
        expected.__pydantic_extra__,
        expected.__pydantic_private__,
    )


def test_quarantined_raw_keeps_what_json_cannot_hold_as_text(engine, tmp_path):
    path = tmp_path / "nan.jsonl"
    path.write_text(
        '{"kind": "training_session", "id": "t-1", "region_code": "532301", "days": NaN, '
        '"hours": 123456789012345678901234567890}\n',
        encoding="utf-8",
    )
    result = import_paths(engine, [path])
    assert result.total("quarantined") == 1
    [row] = quarantined_rows(engine)
    assert row["field"] == "days" and row["raw"]["days"] == "nan"
    assert row["raw"]["hours"] == "123456789012345678901234567890"


# --- procedure/hearing/suspension fields, doc_number_suspect, import warnings (revision 0003) ---

NEW_CASE = {
    **CASE,
    "id": "ec-new",
    "procedure": "当场处罚",
    "hearing_eligible": "是",
    "hearing_waived": False,
    "hearing_on": "20190501",
}
NEW_RECONSIDERATION = {
    "kind": "reconsideration_case",
    "id": "rc-1",
    "region_code": "220106",
    "received_on": "2022-03-01",
    "decided_on": "2022-05-05",
    "procedure": "simple",
    "suspended_days": 10,
}
SUSPECT_DOC = {**DOC, "id": "nd-ocr", "doc_number": "楚政发〔2O18〕12號", "comment_shortened_reason": "紧急"}


def test_new_fields_are_stored_in_their_columns_and_read_back_equal(engine, tmp_path):
    path = write_jsonl(tmp_path / "new.jsonl", [NEW_CASE, NEW_RECONSIDERATION, SUSPECT_DOC, DOC])
    result = import_paths(engine, [path])
    assert (result.total("inserted"), result.total("quarantined")) == (4, 0)
    parsed = {(r.kind, r.id): r for r in read_paths([path]).records}
    with engine.connect() as connection:
        case = connection.execute(select(RECORD_TABLES["enforcement_case"])).one()
        reconsideration = connection.execute(select(RECORD_TABLES["reconsideration_case"])).one()
        documents = {row.record_id: row for row in connection.execute(select(RECORD_TABLES["normative_document"]))}
        for kind, table in RECORD_TABLES.items():
            for row in connection.execute(select(table)):
                assert record_from_row(kind, row) == parsed[(kind, row.record_id)]
    assert (case.procedure, case.hearing_eligible, case.hearing_waived, str(case.hearing_on)) == (
        "simple",
        True,
        False,
        "2019-05-01",
    )
    assert (reconsideration.procedure, reconsideration.suspended_days) == ("simple", 10)
    suspect = documents["nd-ocr"]
    assert (suspect.doc_number, suspect.doc_number_normalized, suspect.doc_number_suspect) == (
        "楚政发〔2O18〕12號",
        "楚政发〔2O18〕12号",
        True,
    )
    assert suspect.comment_shortened_reason == "紧急"
    assert documents["nd-1"].doc_number_suspect is False


def test_ocr_suspect_doc_number_is_a_warning_of_the_import_never_quarantined(engine, tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [DOC, SUSPECT_DOC, {**SUSPECT_DOC, "id": "nd-ocr-2", "备注": "x"}])
    result = import_paths(engine, [path])
    assert (result.total("inserted"), result.total("quarantined")) == (3, 0)
    message = "文号“楚政发〔2O18〕12號”中“O”疑为识别错误（数字0？），请核对原件"
    expected = [
        (2, "doc_number", message, "nd-ocr"),
        (3, "备注", "未知字段“备注”，已忽略", None),
        (3, "doc_number", message, "nd-ocr-2"),
    ]
    assert [(w.line, w.field, w.text("zh"), w.record_id) for w in result.warnings] == expected
    rows = importer.import_warning_rows(engine)  # stored with their message data: shown in either language
    assert [(row["line"], row["field"], row["message"].text("zh"), row["record_id"]) for row in rows] == expected
    assert rows[1]["message"].text("en") == "unknown key '备注' ignored"
    assert all(row["file"] == str(path) and row["record_kind"] == "normative_document" for row in rows)
    assert quarantined_rows(engine) == []
    assert read_paths([path]).warnings[0].text("zh") == message  # check and import say the same


def test_clean_rows_give_no_import_warnings_and_parallel_workers_send_warnings_back(engine, tmp_path):
    clean = write_jsonl(tmp_path / "clean.jsonl", [DOC, CASE, OFFICER, NEW_CASE, NEW_RECONSIDERATION])
    assert import_paths(engine, [clean]).warnings == []
    many = write_jsonl(tmp_path / "many.jsonl", [{**SUSPECT_DOC, "id": f"nd-ocr-{i}"} for i in range(30)])
    result = import_paths(engine, [many], jobs=2)
    assert result.total("inserted") == 30 and len(result.warnings) == 30
    assert len(importer.import_warning_rows(engine, file=str(many))) == 30


def test_csv_unknown_column_is_warned_once_per_file(engine, tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(
        "kind,id,region_code,doc_number,备注\nnormative_document,a,532301,楚政发〔2018〕1号,x\n"
        "normative_document,b,532301,楚政发〔2018〕2号,y\n",
        encoding="utf-8",
    )
    result = import_paths(engine, [path])
    assert result.total("inserted") == 2
    assert [(w.line, w.field, w.message) for w in result.warnings] == [(1, "备注", "unknown column '备注' ignored")]


def test_xlsx_compact_dates_are_imported(engine, tmp_path):
    import openpyxl

    path = tmp_path / "台账.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["类型", "编号", "行政区划代码", "公布日期", "报送备案日期"])
    book.active.append(["规范性文件", "nd-1", 532301, 20171116, 43069])
    book.active.append(["规范性文件", "nd-2", 532301, 20170230, None])
    book.save(path)
    result = import_paths(engine, [path])
    assert (result.total("inserted"), result.total("quarantined")) == (1, 1)
    with engine.connect() as connection:
        row = connection.execute(select(RECORD_TABLES["normative_document"])).one()
    assert (str(row.published_on), str(row.filed_on)) == ("2017-11-16", "2017-11-30")
    assert [(row["line"], row["reason"]) for row in quarantined_rows(engine)] == [(3, "invalid date '20170230'")]


def test_hashes_of_records_not_using_the_new_fields_are_those_stored_before():
    """Hashes stored by the version before revision 0003 (computed with it): a re-import after the
    upgrade finds these records unchanged instead of versioning every stored record."""
    from fzcheck.models.records import parse_record

    before = {
        "nd-1": "3524b9b6ec20b2cbd72e2a9421115e5a",
        "ec-1": "9e6de7954779da91e84c7e1ce6d37af0",
        "rc-1": "eca217eec32774d9707d3d154c476d7c",
    }
    plain_reconsideration = {
        key: value for key, value in NEW_RECONSIDERATION.items() if key not in ("procedure", "suspended_days")
    }
    plain_reconsideration["handlers"] = ["张三"]
    for row in (DOC, CASE, plain_reconsideration):
        assert importer.content_hash(importer.record_data(parse_record(row))) == before[row["id"]]
    for row in (
        {**DOC, "comment_shortened_reason": "x"},
        {**DOC, "doc_number": "楚政发〔2O18〕12号"},
        {**CASE, "hearing_eligible": False},
        {**plain_reconsideration, "suspended_days": 0},
    ):
        assert importer.content_hash(importer.record_data(parse_record(row))) != before[row["id"]]


def test_migration_0003_adds_the_columns_and_derives_stored_doc_number_values(tmp_path):
    from alembic import command

    from fzcheck.engine.store.database import _alembic_config, upgrade

    engine = open_engine(str(tmp_path / "old.db"))
    upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO imports (id, file, started_at, inserted, updated, unchanged, quarantined) "
                "VALUES (1, 'old.jsonl', '2024-01-01 00:00:00', 3, 0, 0, 0)"
            )
        )
        for pk, number in ((1, "楚政发〔2018〕12号"), (2, "楚政发〔2O18〕12號"), (3, None)):
            connection.execute(
                text(
                    "INSERT INTO normative_documents (pk, record_id, region_code, doc_number, doc_number_normalized, "
                    "version, content_hash, import_id) VALUES (:pk, :id, '532301', :number, :number, 1, 'x', 1)"
                ),
                {"pk": pk, "id": f"nd-{pk}", "number": number},
            )
    upgrade(engine, "0003")
    assert current_revision(engine) == "0003"
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT record_id, doc_number_normalized, doc_number_suspect FROM normative_documents ORDER BY pk")
        ).all()
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(reconsideration_cases)"))}
    assert [tuple(row) for row in rows] == [
        ("nd-1", "楚政发〔2018〕12号", 0),
        ("nd-2", "楚政发〔2O18〕12号", 1),
        ("nd-3", None, None),
    ]
    assert {"procedure", "suspended_days"} <= columns
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "0002")
    with engine.connect() as connection:
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(reconsideration_cases)"))}
        tables = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert "suspended_days" not in columns and "import_warnings" not in tables
    engine.dispose()


def test_db_import_prints_the_warnings_of_stored_rows(tmp_path):
    """A clerk sees what to look at without querying the warnings table; the row is stored (exit 0)."""
    from click.testing import CliRunner

    from fzcheck.cli.main import cli

    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps(
            {
                "kind": "normative_document",
                "id": "w1",
                "region_code": "532301",
                "doc_number": "楚政发〔2O18〕12号",
                "published_on": "2018-05-02",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["db", "import", str(path), "--db", f"sqlite:///{tmp_path / 'w.db'}"])
    assert result.exit_code == 0, result.output
    assert (
        f"警告：{path}:1: doc_number: 文号“楚政发〔2O18〕12号”中“O”疑为识别错误（数字0？），请核对原件" in result.stderr
    )


# --- issue #16: how rows come from files — exact integers, skipped files, failures kept to their row ---


def test_integers_beyond_64_bits_are_stored_exactly_also_by_workers(engine, tmp_path):
    big = 12345678901234567890123
    rows = [{**OFFICER, "id": big + i, "cert_number": big} for i in range(3)]
    path = write_jsonl(tmp_path / "officers.jsonl", rows)
    listed = tmp_path / "officers.json"
    listed.write_text(json.dumps([{**OFFICER, "id": -big}]), encoding="utf-8")
    result = import_paths(engine, [path, listed], jobs=2)
    assert (result.total("inserted"), result.total("quarantined")) == (4, 0)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT record_id, cert_number FROM officers ORDER BY pk")).all()
    assert [tuple(row) for row in stored] == [(str(big + i), str(big)) for i in range(3)] + [(str(-big), None)]


def test_unreadable_file_is_skipped_with_its_reason_and_the_next_files_are_imported(engine, tmp_path):
    bad = tmp_path / "a_gbk.json"
    bad.write_bytes(json.dumps([OFFICER], ensure_ascii=False).replace("of-1", "张三").encode("gb18030"))
    not_a_workbook = tmp_path / "b.xlsx"
    not_a_workbook.write_bytes(b"PK\x03\x04 not really")
    good = write_jsonl(tmp_path / "c.jsonl", [DOC])
    result = import_paths(engine, [bad, not_a_workbook, good])
    assert [item.file for item in result.files] == [str(good)]
    assert (result.total("inserted"), result.total("quarantined")) == (1, 0)
    assert [(issue.file, issue.line) for issue in result.skipped] == [(str(bad), None), (str(not_a_workbook), None)]
    assert result.skipped[0].message.startswith("not UTF-8 text (byte ")
    assert result.skipped[1].message.startswith("not a readable XLSX workbook")
    with engine.connect() as connection:
        assert connection.execute(select(imports.c.file)).scalars().all() == [str(good)]
    assert quarantined_rows(engine) == []


def test_a_file_whose_reading_fails_midway_keeps_its_rows_and_quarantines_the_failure(engine, tmp_path, monkeypatch):
    from fzcheck.engine.sources import files as readers

    path = tmp_path / "docs.csv"
    path.write_text("kind,id,region_code\nofficer,of-1,532301\nofficer,of-2,532301\n", encoding="utf-8")

    def fails_after_one(path, encoding):
        yield 1, ["kind", "id", "region_code"]
        yield 2, ["officer", "of-1", "532301"]
        raise RecursionError

    monkeypatch.setattr(readers, "_csv_records", fails_after_one)
    result = import_paths(engine, [path])
    assert (result.total("inserted"), result.total("quarantined"), result.skipped) == (1, 1, [])
    [row] = quarantined_rows(engine)
    assert (row["line"], row["reason"]) == (
        None,
        "cannot read the file past line 2: nested more than 64 levels deep (lists and objects in one another)",
    )


def test_db_import_of_a_hostile_file_exits_2_and_imports_the_others(tmp_path):
    from click.testing import CliRunner

    from fzcheck.cli.main import cli

    deep = tmp_path / "a_deep.jsonl"
    deep.write_text('{"kind": "officer", "id": "x", "name": ' + "[" * 10_000 + "]" * 10_000 + "}\n", encoding="utf-8")
    empty_zip = tmp_path / "b.xlsx"
    with __import__("zipfile").ZipFile(empty_zip, "w"):
        pass
    good = write_jsonl(tmp_path / "c.jsonl", [OFFICER])
    url = f"sqlite:///{tmp_path / 'h.db'}"
    result = CliRunner().invoke(cli, ["db", "import", str(deep), str(empty_zip), str(good), "--db", url])
    assert result.exit_code == 2, result.output
    assert f"已跳过：{empty_zip}: 不是可读取的 XLSX 工作簿" in result.stderr
    engine = connect(url.removeprefix("sqlite:///"))
    assert record_counts(engine)["officer"] == 1
    assert [(row["line"], row["reason"]) for row in quarantined_rows(engine)] == [
        (1, "nested more than 64 levels deep (lists and objects in one another)")
    ]


def test_db_import_and_quarantine_show_control_characters_escaped(tmp_path):
    """An ANSI escape in a register value must not reach the clerk's terminal."""
    from click.testing import CliRunner

    from fzcheck.cli.main import cli

    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps({"kind": "normative_document", "id": "x1", "region_code": "532301", "published_on": "\x1b[31m2018"})
        + "\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'q.db'}"
    imported = CliRunner().invoke(cli, ["db", "import", str(path), "--db", url])
    assert imported.exit_code == 2
    listed = CliRunner().invoke(cli, ["db", "quarantine", "--db", url])
    assert listed.exit_code == 0
    assert "\x1b" not in imported.output + listed.output
    assert "published_on: 日期“\\x1b[31m2018”无效" in listed.output


# --- issue #14: `db import` shows the quarantined rows, whole file names, and quarantines a file's bad rows once ---

BAD = [DOC, {**DOC, "id": "nd-2", "published_on": "2019-02-30"}, {**DOC, "id": None}]


def test_reimporting_the_same_bad_file_quarantines_nothing_again(engine, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", BAD)
    first = import_paths(engine, [path]).files[0]
    assert (first.quarantined, first.already_quarantined) == (2, 0)
    assert [str(issue) for issue in first.quarantine_issues] == [
        f"{path}:2: published_on: invalid date '2019-02-30'",
        f"{path}:3: id: missing id",
    ]
    again = import_paths(engine, [path]).files[0]
    assert (again.unchanged, again.quarantined, again.already_quarantined) == (1, 0, 2)
    assert again.already_by == [first.import_id] and again.quarantine_issues == []
    rows = quarantined_rows(engine)
    assert [(row["import_id"], row["line"]) for row in rows] == [(first.import_id, 2), (first.import_id, 3)]
    with engine.connect() as connection:
        stored = connection.execute(select(imports.c.quarantined).where(imports.c.id == again.import_id)).scalar_one()
    assert stored == 0


def test_a_changed_file_quarantines_its_bad_rows_anew_and_keeps_the_earlier_ones(engine, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", BAD)
    first = import_paths(engine, [path]).files[0]
    write_jsonl(path, [*BAD, {**DOC, "id": "nd-4", "filed_on": "2019-13-01"}])
    changed = import_paths(engine, [path]).files[0]
    assert (changed.quarantined, changed.already_quarantined) == (3, 0)
    rows = quarantined_rows(engine)
    assert [(row["import_id"], row["line"]) for row in rows] == [
        (changed.import_id, 2),
        (changed.import_id, 3),
        (changed.import_id, 4),
        (first.import_id, 2),
        (first.import_id, 3),
    ]
    # the same content again: known bad rows of the import that quarantined them last
    third = import_paths(engine, [path]).files[0]
    assert (third.quarantined, third.already_quarantined, third.already_by) == (0, 3, [changed.import_id])


def _invoke(*args):
    from click.testing import CliRunner

    from fzcheck.cli.main import cli

    return CliRunner().invoke(cli, ["db", "import", *map(str, args)], terminal_width=80)


def test_db_import_prints_the_quarantined_rows_and_a_reimport_names_the_import_that_holds_them(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", BAD)
    url = f"sqlite:///{tmp_path / 'q.db'}"
    first = _invoke(path, "--db", url)
    assert first.exit_code == 2, first.output
    assert f"{path}:2: published_on: 日期“2019-02-30”无效\n{path}:3: id: 缺少编号\n" in first.stderr
    again = _invoke(path, "--db", url)
    assert again.exit_code == 2, again.output  # nothing new, yet the data is still bad
    assert "日期“2019-02-30”无效" not in again.stderr
    assert (
        f"{path}：2 行已被第 1 次导入隔离（文件内容相同），不再重复隔离：fzcheck db quarantine --import-id 1"
        in again.stderr
    )
    english = _invoke(path, "--db", url, "--lang", "en")
    assert (
        f"{path}: 2 row(s) already quarantined by import 1 (same file content); not quarantined "
        "again: fzcheck db quarantine --import-id 1" in english.stderr
    )
    assert "已隔离过" in again.stdout and "known bad" in english.stdout
    assert len(quarantined_rows(connect(url.removeprefix("sqlite:///")))) == 2


def test_db_import_shows_at_most_n_messages_and_quiet_none(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [{**DOC, "id": f"b{i}", "published_on": "2019-02-30"} for i in range(5)])
    shown = _invoke(path, "--db", f"sqlite:///{tmp_path / 'a.db'}", "--show", "2")
    assert shown.exit_code == 2
    assert shown.stderr.count("日期“2019-02-30”无效") == 2
    assert "… 另有 3 条隔离行消息：fzcheck db quarantine --import-id 1" in shown.stderr
    quiet = _invoke(path, "--db", f"sqlite:///{tmp_path / 'b.db'}", "--quiet")
    assert quiet.exit_code == 2
    assert "无效" not in quiet.stderr and "另有" not in quiet.stderr


def test_db_import_table_shows_whole_file_names_at_width_80(tmp_path):
    folder = tmp_path / "sample_cases" / "normative_documents" / "chuxiong-2016"
    folder.mkdir(parents=True)
    path = write_jsonl(folder / "州级规范性文件备案登记_2016年度_第二季度_补报.jsonl", [DOC])
    result = _invoke(path, "--db", f"sqlite:///{tmp_path / 'w.db'}")
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    cells = "".join(
        line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│") and "合计" not in line
    )
    assert str(path) in cells
    assert max(map(len, result.stdout.splitlines())) <= 80


def test_db_import_counts_table_speaks_the_lang(tmp_path):
    path = write_jsonl(tmp_path / "docs.jsonl", [DOC])
    url = f"sqlite:///{tmp_path / 'h.db'}"
    chinese, english = _invoke(path, "--db", url), _invoke(path, "--db", url, "--lang", "en")
    assert chinese.exit_code == english.exit_code == 0, chinese.output + english.output

    def cells(output: str) -> list[list[str]]:
        return [
            [cell.strip() for cell in line.strip("┃│").split("┃" if "┃" in line else "│")]
            for line in output.splitlines()
            if line.startswith(("┃", "│"))
        ]

    zh_rows, en_rows = cells(chinese.stdout), cells(english.stdout)
    assert zh_rows[0] == ["文件", "新增", "更新", "未变", "隔离", "已隔离过"]
    assert en_rows[0] == ["file", "inserted", "updated", "unchanged", "quarantined", "known bad"]
    assert zh_rows[-1] == ["合计", "1", "0", "0", "0", "0"] and en_rows[-1] == ["total", "0", "0", "1", "0", "0"]


def test_db_quarantine_shows_stored_reasons_in_either_language(tmp_path):
    """A quarantined row's reason is stored with its message id (quarantine.reason_data): `db quarantine`
    shows it in Chinese by default and in English with --lang en, and its CSV in the same language."""
    from click.testing import CliRunner

    from fzcheck.cli.main import cli

    path = write_jsonl(tmp_path / "bad.jsonl", BAD)
    url = f"sqlite:///{tmp_path / 'q.db'}"
    assert _invoke(path, "--db", url).exit_code == 2
    zh = CliRunner().invoke(cli, ["db", "quarantine", "--db", url])
    en = CliRunner().invoke(cli, ["db", "quarantine", "--db", url, "--lang", "en"])
    assert zh.stdout == f"{path}:2: published_on: 日期“2019-02-30”无效\n{path}:3: id: 缺少编号\n"
    assert en.stdout == f"{path}:2: published_on: invalid date '2019-02-30'\n{path}:3: id: missing id\n"
    assert (zh.stderr, en.stderr) == ("共 2 条隔离行\n", "2 quarantined rows\n")
    fixes = tmp_path / "fix.csv"
    CliRunner().invoke(cli, ["db", "quarantine", "--db", url, "--csv", str(fixes)])
    assert "日期“2019-02-30”无效" in fixes.read_text(encoding="utf-8-sig")


def test_migration_0005_keeps_rows_stored_before_it_as_their_text(tmp_path):
    """Quarantined rows stored before revision 0005 have no message data: they show the reason as stored;
    the migration adds the columns and takes them away again."""
    from alembic import command
    from sqlalchemy import text as sql

    from fzcheck.engine.store.database import _alembic_config, current_revision, open_engine, upgrade

    engine = open_engine(str(tmp_path / "old.db"))
    upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(
            sql(
                "INSERT INTO imports (id, file, started_at, inserted, updated, unchanged, quarantined) "
                "VALUES (1, 'old.jsonl', '2024-01-01 00:00:00', 0, 0, 0, 1)"
            )
        )
        connection.execute(
            sql(
                "INSERT INTO quarantine (id, import_id, file, line, field, reason) "
                "VALUES (1, 1, 'old.jsonl', 2, 'published_on', 'invalid date ''2019-02-30''')"
            )
        )
    upgrade(engine, "0005")
    assert current_revision(engine) == "0005"
    [row] = quarantined_rows(engine)
    assert row["reason"] == "invalid date '2019-02-30'" and not hasattr(row["reason"], "text")
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "0004")
    with engine.connect() as connection:
        columns = {found[1] for found in connection.execute(sql("PRAGMA table_info(quarantine)"))}
    assert "reason_data" not in columns and "reason" in columns
    engine.dispose()


def test_migration_0006_adds_accounts_and_counted_regions_and_back(tmp_path):
    """Counts stored before revision 0006 have no region (NULL); the accounts tables come and go."""
    from alembic import command
    from sqlalchemy import text as sql

    from fzcheck.engine.store.database import _alembic_config, current_revision, open_engine, upgrade

    engine = open_engine(str(tmp_path / "old.db"))
    upgrade(engine, "0005")
    with engine.begin() as connection:
        connection.execute(
            sql(
                "INSERT INTO audit_runs (id, started_at, status, as_of, parameters, tool_version) "
                "VALUES (1, '2024-01-01 00:00:00', 'done', '2023-12-31', '{}', '0.0.9')"
            )
        )
        connection.execute(
            sql(
                "INSERT INTO audit_counts (run_id, ruleset, rule_id, record_kind, outcome, count) "
                "VALUES (1, 'national', 'ND-X', 'normative_document', 'pass', 3)"
            )
        )
    upgrade(engine, "0006")
    assert current_revision(engine) == "0006"
    with engine.connect() as connection:
        assert connection.execute(sql("SELECT region_code, count FROM audit_counts")).one() == (None, 3)
        tables = {row[0] for row in connection.execute(sql("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert {"users", "api_tokens", "access_log", "web_jobs"} <= tables
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "0005")
    with engine.connect() as connection:
        columns = {found[1] for found in connection.execute(sql("PRAGMA table_info(audit_counts)"))}
        tables = {row[0] for row in connection.execute(sql("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert "region_code" not in columns and "users" not in tables and "web_jobs" not in tables
    engine.dispose()


def test_an_unknown_column_of_an_import_gets_the_readers_did_you_mean(engine, tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text("类型,编号,行政区划代码,发布日期\n规范性文件,nd-1,532301,2019-01-02\n", encoding="utf-8")
    result = import_paths(engine, [path])
    assert result.total("inserted") == 1
    [warning] = result.warnings
    assert (warning.line, warning.field) == (1, "发布日期")
    assert warning.text("zh") == "未知列“发布日期”，已忽略；是否应为“公布日期”（published_on）？"
    assert warning.text("en") == "unknown column '发布日期' ignored; did you mean '公布日期' (published_on)?"
    assert warning.message == read_paths([path]).warnings[0].message  # check and import say the same


def test_migrations_on_duckdb_upgrade_stored_rows_and_give_the_models_schema(tmp_path):
    """A DuckDB file at revision 0002 with rows in it, upgraded to the head: the stored documents'
    doc_number values derived (revision 0003's data step), each integer key's sequence going on where
    the rows left it, and the schema the models' (duckdb-engine cannot reflect it for alembic's
    comparison: DuckDB's own catalog is read)."""
    from fzcheck.engine.store.database import upgrade

    engine = open_engine(f"duckdb:///{tmp_path / 'old.duckdb'}")
    upgrade(engine, "0002")
    with engine.begin() as connection:
        import_id = connection.execute(
            text(
                "INSERT INTO imports (file, started_at, inserted, updated, unchanged, quarantined) "
                "VALUES ('old.jsonl', '2024-01-01 00:00:00', 3, 0, 0, 0) RETURNING id"
            )
        ).scalar_one()
        for number in ("楚政发〔2018〕12号", "楚政发〔2O18〕12號", None):
            connection.execute(
                text(
                    "INSERT INTO normative_documents (record_id, region_code, doc_number, doc_number_normalized, "
                    "version, content_hash, import_id) VALUES (:id, '532301', :number, :number, 1, 'x', :import)"
                ),
                {"id": f"nd-{number}", "number": number, "import": import_id},
            )
    before, after = upgrade(engine)
    assert (before, after) == ("0002", head_revision())
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT pk, doc_number_normalized, doc_number_suspect FROM normative_documents ORDER BY pk")
        ).all()
    assert [tuple(row) for row in rows] == [
        (1, "楚政发〔2018〕12号", False),
        (2, "楚政发〔2O18〕12号", True),
        (3, None, None),
    ]
    engine.dispose()

    engine = connect(f"duckdb:///{tmp_path / 'old.duckdb'}")
    imported = import_paths(engine, [write_jsonl(tmp_path / "new.jsonl", [DOC, CASE, OFFICER])])
    assert imported.total("inserted") == 3 and [f.import_id for f in imported.files] == [2]
    with engine.connect() as connection:
        pks = select(RECORD_TABLES["normative_document"].c.pk).order_by(RECORD_TABLES["normative_document"].c.pk)
        assert connection.execute(pks).scalars().all() == [1, 2, 3, 4]
        catalog = _duckdb_catalog(connection)
    engine.dispose()

    for table in metadata.tables.values():
        columns = catalog["columns"][table.name]
        assert set(columns) == {column.name for column in table.columns}, table.name  # (added ones last)
        for column in table.columns:
            nullable, data_type, default = columns[column.name]
            assert nullable == (column.nullable and not column.primary_key), (table.name, column.name)
            if isinstance(column.type, Float):
                assert data_type == "DOUBLE", (table.name, column.name)  # not DuckDB's 4-byte FLOAT
        key = table.autoincrement_column
        if key is not None:
            assert columns[key.name][2] == f"nextval('{table.name}_{key.name}_seq')", table.name
        indexes = {(index.name, tuple(c.name for c in index.columns)) for index in table.indexes}
        assert indexes == catalog["indexes"].get(table.name, set()), table.name
        unique = {tuple(c.name for c in u.columns) for u in table.constraints if isinstance(u, UniqueConstraint)}
        unique |= {(column.name,) for column in table.columns if column.unique}
        assert unique == catalog["unique"].get(table.name, set()), table.name
        foreign = {(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys}
        assert foreign == catalog["foreign"].get(table.name, set()), table.name
        assert tuple(c.name for c in table.primary_key) == catalog["primary"][table.name], table.name
    assert set(catalog["columns"]) == {*metadata.tables, "alembic_version"}


def _duckdb_catalog(connection) -> dict:
    """A DuckDB database's tables as DuckDB lists them: columns (name -> nullable, type, default),
    indexes (name, columns), unique and primary keys, foreign keys (column, referenced table)."""
    catalog: dict = {"columns": {}, "indexes": {}, "unique": {}, "foreign": {}, "primary": {}}
    for table, name, nullable, data_type, default in connection.execute(
        text(
            "SELECT table_name, column_name, is_nullable, data_type, column_default FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal "
            "ORDER BY table_name, column_index"
        )
    ):
        catalog["columns"].setdefault(table, {})[name] = (nullable, data_type, default)
    for table, name, expressions in connection.execute(
        text("SELECT table_name, index_name, expressions FROM duckdb_indexes() WHERE schema_name = 'main'")
    ):
        columns = tuple(item.strip(" '\"") for item in expressions.strip("[]").split(","))  # '[a, b]'
        catalog["indexes"].setdefault(table, set()).add((name, columns))
    for table, kind, columns, referenced in connection.execute(
        text(
            "SELECT table_name, constraint_type, constraint_column_names, referenced_table FROM duckdb_constraints() "
            "WHERE schema_name = 'main' AND constraint_type IN ('UNIQUE', 'PRIMARY KEY', 'FOREIGN KEY')"
        )
    ):
        if kind == "UNIQUE":
            catalog["unique"].setdefault(table, set()).add(tuple(columns))
        elif kind == "PRIMARY KEY":
            catalog["primary"][table] = tuple(columns)
        else:
            catalog["foreign"].setdefault(table, set()).add((columns[0], referenced))
    return catalog
