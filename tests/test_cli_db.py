"""`fzcheck db init / upgrade / status` speak Chinese by default and English with --lang en, with the
same URL, revisions and counts in both (issue #14); the database's errors likewise."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from fzcheck.cli.main import cli
from fzcheck.engine.store.database import DatabaseError, connect, head_revision, open_engine, upgrade


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(params=["sqlite", "duckdb"])
def file_db(request, tmp_path):
    """A database file by its name: what ``--db`` is given (a SQLite file's bare path, a DuckDB
    file's URL) and the URL fzcheck shows."""

    def named(name: str) -> tuple[str, str]:
        if request.param == "sqlite":
            path = tmp_path / f"{name}.db"
            return str(path), f"sqlite:///{path}"
        url = f"duckdb:///{tmp_path / f'{name}.duckdb'}"
        return url, url

    named.backend = request.param
    return named


def test_db_init_in_both_languages(file_db):
    head = head_revision()
    (first, shown), (second, second_shown) = file_db("a"), file_db("b")
    zh = _run("db", "init", "--db", first)
    assert (zh.exit_code, zh.stdout) == (0, f"已初始化 {shown}，表结构版本 {head}\n")
    en = _run("db", "init", "--db", second, "--lang", "en")
    assert (en.exit_code, en.stdout) == (0, f"initialised {second_shown} at schema revision {head}\n")
    again = _run("db", "init", "--db", first)
    assert again.exit_code == 2
    assert again.stderr == f"错误：数据库 {shown} 已初始化；请用 `fzcheck db upgrade` 升级\n"
    again = _run("db", "init", "--db", first, "--lang", "en")
    assert again.exit_code == 2
    assert again.stderr == f"Error: database {shown} already initialised; use `fzcheck db upgrade`\n"


def test_db_upgrade_in_both_languages(file_db):
    head = head_revision()
    path, shown = file_db("u")
    zh = _run("db", "upgrade", "--db", path)
    assert (zh.exit_code, zh.stdout) == (0, f"{shown}：表结构版本 无 -> {head}\n")
    en = _run("db", "upgrade", "--db", path, "--lang", "en")
    assert (en.exit_code, en.stdout) == (0, f"{shown}: schema revision {head} -> {head}\n")
    fresh, fresh_shown = file_db("fresh")
    en = _run("db", "upgrade", "--db", fresh, "--lang", "en")
    assert (en.exit_code, en.stdout) == (0, f"{fresh_shown}: schema revision none -> {head}\n")


def test_db_status_in_both_languages(file_db):
    head = head_revision()
    path, shown = file_db("s")
    connect(path, create=True).dispose()
    zh = _run("db", "status", "--db", path)
    assert zh.exit_code == 0, zh.output
    lines = zh.stdout.splitlines()
    assert lines[0] == f"{shown}（表结构版本 {head}）"
    assert "  行政规范性文件（normative_document）：0 条" in lines
    assert "  行政执法案件（enforcement_case）：0 条" in lines
    en = _run("db", "status", "--db", path, "--lang", "en")
    assert en.exit_code == 0, en.output
    english = en.stdout.splitlines()
    assert english[0] == f"{shown} (schema revision {head})"
    assert "  normative_document: 0" in english and "  enforcement_case: 0" in english
    assert len(lines) == len(english)


def test_a_database_without_the_schema_or_at_an_old_revision_says_what_to_run(file_db):
    empty, shown = file_db("empty")
    if file_db.backend == "sqlite":
        Path(empty).touch()
    else:
        duckdb.connect(make_url(empty).database).close()  # a DuckDB database with no table
    zh = _run("db", "status", "--db", empty)
    assert zh.exit_code == 2
    assert zh.stderr == f"错误：数据库 {shown} 中没有 fzcheck 的表结构；请先运行 `fzcheck db init`\n"
    en = _run("db", "status", "--db", empty, "--lang", "en")
    assert en.stderr == f"Error: database {shown} has no fzcheck schema; run `fzcheck db init` first\n"
    old, shown = file_db("old")
    engine = open_engine(old)
    upgrade(engine, "0003")
    engine.dispose()
    head = head_revision()
    zh = _run("db", "status", "--db", old)
    assert zh.exit_code == 2
    assert zh.stderr == (
        f"错误：数据库 {shown} 的表结构版本为 0003，本版 fzcheck 需要 {head}；请运行 `fzcheck db upgrade`\n"
    )
    en = _run("db", "status", "--db", old, "--lang", "en")
    assert en.stderr == (
        f"Error: database {shown} is at schema revision 0003, this fzcheck needs {head}; run `fzcheck db upgrade`\n"
    )
    upgraded = _run("db", "upgrade", "--db", old, "--lang", "en")
    assert (upgraded.exit_code, upgraded.stdout) == (0, f"{shown}: schema revision 0003 -> {head}\n")


def test_an_invalid_url_keeps_the_parser_detail_in_both_languages_without_the_password():
    url = "postgresql://auditor:s3cret@db.example:port/fz"
    zh = _run("db", "status", "--db", url)
    assert zh.exit_code == 2
    assert zh.stderr == (
        "错误：数据库 URL“postgresql://auditor:***@db.example:port/fz”无效：invalid literal for int() with base 10: "
        "'port'；请使用 sqlite:///文件（或文件路径）、postgresql://用户名:密码@主机/数据库名 或 duckdb:///文件\n"
    )
    en = _run("db", "status", "--db", url, "--lang", "en")
    assert en.stderr == (
        "Error: invalid database URL 'postgresql://auditor:***@db.example:port/fz': invalid literal for int() "
        "with base 10: 'port'; use sqlite:///FILE (or a file path), postgresql://USER:PASSWORD@HOST/DB or "
        "duckdb:///FILE\n"
    )


def test_a_database_error_is_english_as_a_string_and_either_language_as_text(tmp_path):
    missing = tmp_path / "missing.db"
    with pytest.raises(DatabaseError) as raised:
        connect(str(missing))
    assert str(raised.value) == f"database not found: {missing}; create it with fzcheck db init"
    assert raised.value.text("zh") == f"数据库不存在：{missing}；请用 fzcheck db init 创建"
    assert not missing.exists()


def test_audit_says_rule_file_errors_in_its_lang(tmp_path):
    from pathlib import Path

    broken = Path(__file__).parent / "data" / "rules" / "broken" / "unknown_param"
    db = tmp_path / "audit.db"
    connect(str(db), create=True).dispose()
    args = ["audit", "--db", str(db), "--as-of", "2020-01-01", "--rules-dir", str(broken)]
    where = f"{broken / 'demo' / 'normative_document.yaml'}:3: rules[0].params.limit_day: "
    zh = _run(*args)
    assert zh.exit_code == 2
    assert zh.stderr.endswith(f"错误：规则文件有误：\n{where}未知的参数“limit_day”；可用：limit_days\n")
    en = _run(*args, "--lang", "en")
    assert en.exit_code == 2
    assert en.stderr.endswith(
        f"Error: rule files are invalid:\n{where}unknown parameter 'limit_day'; allowed: limit_days\n"
    )
