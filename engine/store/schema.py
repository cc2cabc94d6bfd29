"""The records database: one table per record kind (the fields of records.md), their previous versions,
imports with their quarantined rows and warnings, audit runs with their outcomes, counts, rules and waivers.

Record tables are derived from the record models (``FIELD_TYPES``) so a field added there is a
column here; the Alembic migrations in ``migrations/versions`` are the schema's history and a test
checks that they produce exactly this metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from ...models.kinds import KINDS, RECORD_KINDS
from ...models.records import FIELD_TYPES

metadata = MetaData()

#: record kind -> its table (models/kinds.py)
KIND_TABLES: dict[str, str] = {code: KINDS[code].table or code for code in RECORD_KINDS}
COLUMN_TYPES = {"date": Date, "bool": Boolean, "number": Float, "int": Integer, "str": Text, "list": JSON}
#: Fields every kind has, stored in the common columns of each record table.
COMMON_FIELDS = ("kind", "id", "region_code", "agency")


def record_fields(kind: str) -> dict[str, str]:
    """The kind's own fields (name -> type), in model order: the typed columns of its table."""
    return _RECORD_FIELDS[kind]


_RECORD_FIELDS = {
    kind: {name: kind_ for name, kind_ in types.items() if name not in COMMON_FIELDS}
    for kind, types in FIELD_TYPES.items()
}


imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file", Text, nullable=False),
    Column("file_sha256", String(64)),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("inserted", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("quarantined", Integer, nullable=False, default=0),
)


def _record_table(kind: str) -> Table:
    name = KIND_TABLES[kind]
    return Table(
        name,
        metadata,
        Column("pk", Integer, primary_key=True),
        Column("record_id", String(200), nullable=False),
        Column("region_code", String(6), nullable=False),
        Column("agency", Text),
        Column("key_date", Date),
        *(Column(field, COLUMN_TYPES[type_]) for field, type_ in record_fields(kind).items()),
        Column("version", Integer, nullable=False),
        Column("content_hash", String(32), nullable=False),
        Column("source_file", Text),
        Column("source_line", Integer),
        Column("import_id", Integer, ForeignKey("imports.id")),
        UniqueConstraint("record_id", name=f"uq_{name}_record_id"),
        Index(f"ix_{name}_region_key_date", "region_code", "key_date"),
    )


RECORD_TABLES: dict[str, Table] = {kind: _record_table(kind) for kind in KIND_TABLES}
Index("ix_normative_documents_doc_number_normalized", RECORD_TABLES["normative_document"].c.doc_number_normalized)

record_versions = Table(
    "record_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("record_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content_hash", String(32), nullable=False),
    Column("data", JSON, nullable=False),
    Column("source_file", Text),
    Column("source_line", Integer),
    Column("import_id", Integer, ForeignKey("imports.id")),
    Column("superseded_by_import", Integer, ForeignKey("imports.id")),
    Index("ix_record_versions_record", "kind", "record_id"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    Column("file", Text, nullable=False),
    Column("line", Integer),
    Column("field", Text),
    Column("reason", Text, nullable=False),
    Column("record_kind", String(40)),
    Column("record_id", String(200)),
    Column("raw", JSON),
    #: the reason as a catalog message (id and parameters: fzcheck/messages.py), shown in either language
    Column("reason_data", JSON),
    Index("ix_quarantine_import", "import_id"),
)

#: Warnings of an import: the row was stored, yet something in it needs a look (an ignored column, a
#: 文号 with letters where OCR misread digits). A warning never quarantines its row.
import_warnings = Table(
    "import_warnings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    Column("file", Text, nullable=False),
    Column("line", Integer),
    Column("field", Text),
    Column("message", Text, nullable=False),
    Column("record_kind", String(40)),
    Column("record_id", String(200)),
    Column("message_data", JSON),
    Index("ix_import_warnings_import", "import_id"),
)

audit_runs = Table(
    "audit_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("duration_seconds", Float),
    Column("status", String(20), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("rulesets", JSON),
    Column("tool_version", String(40), nullable=False),
    Column("records", Integer),
    Column("subjects", Integer),
    Column("summary", JSON),
    Column("warnings", JSON),
    #: the process running the audit, and when it last said it was alive (UTC, every few seconds):
    #: a run marked running whose process is gone is shown as interrupted (``runs.run_state``)
    Column("pid", Integer),
    Column("host", String(255)),
    Column("heartbeat_at", DateTime),
    #: work done so far, {"done": rows, "total": rows} (rows of the run's work units)
    Column("progress", JSON),
    #: why a run did not finish: the signal (SIGTERM, SIGINT) or the error
    Column("status_detail", Text),
    #: the data the run read: imports up to this id, less those not finished at its start
    Column("snapshot_import", Integer),
    Column("snapshot_excluded", JSON),
    #: the run this one re-ran with the same parameters (`fzcheck audit rerun`)
    Column("rerun_of", Integer),
)

audit_rules = Table(
    "audit_rules",
    metadata,
    Column("run_id", Integer, ForeignKey("audit_runs.id"), primary_key=True),
    Column("ruleset", String(80), primary_key=True),
    Column("rule_id", String(80), primary_key=True),
    Column("severity", String(20), nullable=False),
    Column("title", JSON, nullable=False),
    Column("citation", JSON, nullable=False),
)

audit_outcomes = Table(
    "audit_outcomes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("audit_runs.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("rule_id", String(80), nullable=False),
    Column("ruleset", String(80), nullable=False),
    Column("severity", String(20), nullable=False),
    Column("record_kind", String(40), nullable=False),
    Column("record_id", String(220), nullable=False),
    Column("region_code", String(6)),
    Column("agency", Text),
    Column("month", String(7)),
    Column("source_file", Text),
    Column("source_line", Integer),
    Column("messages", JSON, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("waiver", JSON),
    Index("ix_audit_outcomes_run", "run_id", "seq"),
)

#: Every outcome counted (passes included) by rule, agency and month: the summary tables and charts.
audit_counts = Table(
    "audit_counts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("audit_runs.id"), nullable=False),
    Column("ruleset", String(80), nullable=False),
    Column("rule_id", String(80), nullable=False),
    Column("record_kind", String(40), nullable=False),
    Column("agency", Text),
    Column("month", String(7)),
    Column("outcome", String(20), nullable=False),
    Column("count", Integer, nullable=False),
    #: the records' region, so that a region's account counts only its own (``runs.Scope``)
    Column("region_code", String(6)),
    Index("ix_audit_counts_run", "run_id"),
)

waivers = Table(
    "waivers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("audit_runs.id"), nullable=False),
    Column("rule", String(80), nullable=False),
    Column("record", String(220), nullable=False),
    Column("ruleset", String(80)),
    Column("reason", Text, nullable=False),
    Column("approver", Text, nullable=False),
    Column("expires", Date, nullable=False),
    Column("file", Text),
    Column("line", Integer),
)


#: Accounts of ``fzcheck serve`` (``fzcheck user``): a role, and for agency accounts the agency and/or
#: region whose findings they may see. Passwords are argon2 hashes; nothing here can log anyone in.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("agency", Text),
    Column("region", String(6)),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

#: API tokens: only the SHA-256 of each token is kept (a token is 32 random bytes, so no slow hash is
#: needed); the token itself is shown once, when issued.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
)

#: Who did what, when, from where: logins (failed ones too, which the login rate limit counts), checks,
#: imports, audits, downloads, account changes.
access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("user_name", String(80)),
    Column("action", String(40), nullable=False),
    Column("target", Text),
    Column("client", String(64)),
    Column("ok", Boolean, nullable=False),
    Index("ix_access_log_at", "at"),
    Index("ix_access_log_user_action", "user_name", "action"),
)

#: Imports and audits started from ``fzcheck serve``, run in the background: their progress and result
#: in the database, so that any server worker process can show them.
web_jobs = Table(
    "web_jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("user_name", String(80), nullable=False),
    Column("state", String(20), nullable=False),
    Column("progress", JSON),
    Column("result", JSON),
    Column("error", Text),
    Column("created_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
)
