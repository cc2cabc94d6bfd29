"""Initial schema: records, versions, imports, quarantine, audit runs

Revision ID: 0001
Revises:
Create Date: 2026-11-23 13:10:56.865147
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("rulesets", sa.JSON(), nullable=True),
        sa.Column("tool_version", sa.String(length=40), nullable=False),
        sa.Column("records", sa.Integer(), nullable=True),
        sa.Column("subjects", sa.Integer(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("ruleset", sa.String(length=80), nullable=False),
        sa.Column("rule_id", sa.String(length=80), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_runs.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_counts", schema=None) as batch_op:
        batch_op.create_index("ix_audit_counts_run", ["run_id"], unique=False)

    op.create_table(
        "audit_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("rule_id", sa.String(length=80), nullable=False),
        sa.Column("ruleset", sa.String(length=80), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=220), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=True),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("waiver", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_runs.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_outcomes", schema=None) as batch_op:
        batch_op.create_index("ix_audit_outcomes_run", ["run_id", "seq"], unique=False)

    op.create_table(
        "audit_rules",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("ruleset", sa.String(length=80), nullable=False),
        sa.Column("rule_id", sa.String(length=80), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("citation", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_runs.id"],
        ),
        sa.PrimaryKeyConstraint("run_id", "ruleset", "rule_id"),
    )
    op.create_table(
        "enforcement_cases",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("case_number", sa.Text(), nullable=True),
        sa.Column("action_type", sa.Text(), nullable=True),
        sa.Column("officers", sa.JSON(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("extension_approved", sa.Boolean(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("major", sa.Boolean(), nullable=True),
        sa.Column("legal_review_on", sa.Date(), nullable=True),
        sa.Column("legal_review_passed", sa.Boolean(), nullable=True),
        sa.Column("discretion_benchmark", sa.Text(), nullable=True),
        sa.Column("recorded_stages", sa.JSON(), nullable=True),
        sa.Column("basis", sa.JSON(), nullable=True),
        sa.Column("fine_amount", sa.Float(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("record_id", name="uq_enforcement_cases_record_id"),
    )
    with op.batch_alter_table("enforcement_cases", schema=None) as batch_op:
        batch_op.create_index("ix_enforcement_cases_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "major_decisions",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("public_participation", sa.Boolean(), nullable=True),
        sa.Column("comment_start", sa.Date(), nullable=True),
        sa.Column("comment_end", sa.Date(), nullable=True),
        sa.Column("comment_shortened_reason", sa.Text(), nullable=True),
        sa.Column("expert_review", sa.Boolean(), nullable=True),
        sa.Column("risk_level", sa.Text(), nullable=True),
        sa.Column("risk_mitigated", sa.Boolean(), nullable=True),
        sa.Column("legality_review_on", sa.Date(), nullable=True),
        sa.Column("legality_review_passed", sa.Boolean(), nullable=True),
        sa.Column("collective_discussion_on", sa.Date(), nullable=True),
        sa.Column("hearing_required", sa.Boolean(), nullable=True),
        sa.Column("hearing_on", sa.Date(), nullable=True),
        sa.Column("execution_subject", sa.Text(), nullable=True),
        sa.Column("execution_deadline", sa.Text(), nullable=True),
        sa.Column("feedback_mechanism", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("record_id", name="uq_major_decisions_record_id"),
    )
    with op.batch_alter_table("major_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_major_decisions_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "normative_documents",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("doc_number", sa.Text(), nullable=True),
        sa.Column("doc_number_normalized", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("interim", sa.Boolean(), nullable=True),
        sa.Column("comment_start", sa.Date(), nullable=True),
        sa.Column("comment_end", sa.Date(), nullable=True),
        sa.Column("comment_exempt", sa.Text(), nullable=True),
        sa.Column("legality_review_on", sa.Date(), nullable=True),
        sa.Column("legality_review_passed", sa.Boolean(), nullable=True),
        sa.Column("collective_discussion_on", sa.Date(), nullable=True),
        sa.Column("hearing_required", sa.Boolean(), nullable=True),
        sa.Column("hearing_on", sa.Date(), nullable=True),
        sa.Column("sets_license", sa.Boolean(), nullable=True),
        sa.Column("sets_penalty", sa.Boolean(), nullable=True),
        sa.Column("sets_compulsion", sa.Boolean(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("validity_years", sa.Float(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("record_id", name="uq_normative_documents_record_id"),
    )
    with op.batch_alter_table("normative_documents", schema=None) as batch_op:
        batch_op.create_index("ix_normative_documents_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "officers",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("exam_passed_on", sa.Date(), nullable=True),
        sa.Column("cert_number", sa.Text(), nullable=True),
        sa.Column("cert_issued_on", sa.Date(), nullable=True),
        sa.Column("cert_valid_until", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("record_id", name="uq_officers_record_id"),
    )
    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.create_index("ix_officers_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("field", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=True),
        sa.Column("record_id", sa.String(length=200), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.create_index("ix_quarantine_import", ["import_id"], unique=False)

    op.create_table(
        "reconsideration_cases",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("extension_approved", sa.Boolean(), nullable=True),
        sa.Column("handlers", sa.JSON(), nullable=True),
        sa.Column("major", sa.Boolean(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("record_id", name="uq_reconsideration_cases_record_id"),
    )
    with op.batch_alter_table("reconsideration_cases", schema=None) as batch_op:
        batch_op.create_index("ix_reconsideration_cases_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "record_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("superseded_by_import", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_import"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("record_versions", schema=None) as batch_op:
        batch_op.create_index("ix_record_versions_record", ["kind", "record_id"], unique=False)

    op.create_table(
        "training_sessions",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("officer_id", sa.Text(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("training_kind", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("record_id", name="uq_training_sessions_record_id"),
    )
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_training_sessions_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "waivers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("record", sa.String(length=220), nullable=False),
        sa.Column("ruleset", sa.String(length=80), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approver", sa.Text(), nullable=False),
        sa.Column("expires", sa.Date(), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["audit_runs.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("waivers")
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_training_sessions_region_key_date")

    op.drop_table("training_sessions")
    with op.batch_alter_table("record_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_record_versions_record")

    op.drop_table("record_versions")
    with op.batch_alter_table("reconsideration_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_reconsideration_cases_region_key_date")

    op.drop_table("reconsideration_cases")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_index("ix_quarantine_import")

    op.drop_table("quarantine")
    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.drop_index("ix_officers_region_key_date")

    op.drop_table("officers")
    with op.batch_alter_table("normative_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_normative_documents_region_key_date")

    op.drop_table("normative_documents")
    with op.batch_alter_table("major_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_major_decisions_region_key_date")

    op.drop_table("major_decisions")
    with op.batch_alter_table("enforcement_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_enforcement_cases_region_key_date")

    op.drop_table("enforcement_cases")
    op.drop_table("audit_rules")
    with op.batch_alter_table("audit_outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_outcomes_run")

    op.drop_table("audit_outcomes")
    with op.batch_alter_table("audit_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_counts_run")

    op.drop_table("audit_counts")
    op.drop_table("imports")
    op.drop_table("audit_runs")
