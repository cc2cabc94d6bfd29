"""The agency registry and the agency-level registers (issue #12)

A table per new record kind — agencies, annual_reports, administrative_lawsuits, publications,
supervision_activities, study_sessions, legal_counsels, reconsideration_staff, recommendations,
disclosure_requests, plan_tasks — shaped like every record table (schema._record_table), and the
reconsideration cases' agency_id, decision_published_on and dispute_resolved (hunan-2021 cl.67, cl.68).
Existing rows are left as they are: the new columns are empty (unknown), which the rules read as
indeterminate, never as a violation.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "administrative_lawsuits",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.Text(), nullable=True),
        sa.Column("case_number", sa.Text(), nullable=True),
        sa.Column("court", sa.Text(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("hearing_on", sa.Date(), nullable=True),
        sa.Column("appearance_required", sa.Boolean(), nullable=True),
        sa.Column("appeared_role", sa.Text(), nullable=True),
        sa.Column("appeared_person", sa.Text(), nullable=True),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("lawsuit_outcome", sa.Text(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_administrative_lawsuits_record_id"),
    )
    with op.batch_alter_table("administrative_lawsuits", schema=None) as batch_op:
        batch_op.create_index("ix_administrative_lawsuits_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "agencies",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("level", sa.Text(), nullable=True),
        sa.Column("agency_type", sa.Text(), nullable=True),
        sa.Column("existed_from", sa.Date(), nullable=True),
        sa.Column("existed_until", sa.Date(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_agencies_record_id"),
    )
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.create_index("ix_agencies_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "annual_reports",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.Text(), nullable=True),
        sa.Column("report_year", sa.Integer(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("submitted_to", sa.Text(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_annual_reports_record_id"),
    )
    with op.batch_alter_table("annual_reports", schema=None) as batch_op:
        batch_op.create_index("ix_annual_reports_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "disclosure_requests",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.Text(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("extension_approved", sa.Boolean(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_disclosure_requests_record_id"),
    )
    with op.batch_alter_table("disclosure_requests", schema=None) as batch_op:
        batch_op.create_index("ix_disclosure_requests_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "legal_counsels",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.Text(), nullable=True),
        sa.Column("counsel_name", sa.Text(), nullable=True),
        sa.Column("counsel_type", sa.Text(), nullable=True),
        sa.Column("engaged_from", sa.Date(), nullable=True),
        sa.Column("engaged_until", sa.Date(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_legal_counsels_record_id"),
    )
    with op.batch_alter_table("legal_counsels", schema=None) as batch_op:
        batch_op.create_index("ix_legal_counsels_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "plan_tasks",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.Text(), nullable=True),
        sa.Column("task_code", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_plan_tasks_record_id"),
    )
    with op.batch_alter_table("plan_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_plan_tasks_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "publications",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.Text(), nullable=True),
        sa.Column("publication_type", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("covers_year", sa.Integer(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_publications_record_id"),
    )
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.create_index("ix_publications_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "recommendations",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.Text(), nullable=True),
        sa.Column("recommendation_type", sa.Text(), nullable=True),
        sa.Column("issued_by", sa.Text(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("reply_days", sa.Integer(), nullable=True),
        sa.Column("replied_on", sa.Date(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_recommendations_record_id"),
    )
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.create_index("ix_recommendations_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "reconsideration_staff",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("full_time", sa.Boolean(), nullable=True),
        sa.Column("serving_from", sa.Date(), nullable=True),
        sa.Column("serving_until", sa.Date(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_reconsideration_staff_record_id"),
    )
    with op.batch_alter_table("reconsideration_staff", schema=None) as batch_op:
        batch_op.create_index("ix_reconsideration_staff_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "study_sessions",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.Text(), nullable=True),
        sa.Column("study_type", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_study_sessions_record_id"),
    )
    with op.batch_alter_table("study_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_study_sessions_region_key_date", ["region_code", "key_date"], unique=False)

    op.create_table(
        "supervision_activities",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("key_date", sa.Date(), nullable=True),
        sa.Column("agency_id", sa.Text(), nullable=True),
        sa.Column("activity_type", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("finished_on", sa.Date(), nullable=True),
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
        sa.UniqueConstraint("record_id", name="uq_supervision_activities_record_id"),
    )
    with op.batch_alter_table("supervision_activities", schema=None) as batch_op:
        batch_op.create_index("ix_supervision_activities_region_key_date", ["region_code", "key_date"], unique=False)

    with op.batch_alter_table("reconsideration_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("decision_published_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("dispute_resolved", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reconsideration_cases", schema=None) as batch_op:
        batch_op.drop_column("dispute_resolved")
        batch_op.drop_column("decision_published_on")
        batch_op.drop_column("agency_id")

    with op.batch_alter_table("supervision_activities", schema=None) as batch_op:
        batch_op.drop_index("ix_supervision_activities_region_key_date")

    op.drop_table("supervision_activities")
    with op.batch_alter_table("study_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_study_sessions_region_key_date")

    op.drop_table("study_sessions")
    with op.batch_alter_table("reconsideration_staff", schema=None) as batch_op:
        batch_op.drop_index("ix_reconsideration_staff_region_key_date")

    op.drop_table("reconsideration_staff")
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_index("ix_recommendations_region_key_date")

    op.drop_table("recommendations")
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.drop_index("ix_publications_region_key_date")

    op.drop_table("publications")
    with op.batch_alter_table("plan_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_tasks_region_key_date")

    op.drop_table("plan_tasks")
    with op.batch_alter_table("legal_counsels", schema=None) as batch_op:
        batch_op.drop_index("ix_legal_counsels_region_key_date")

    op.drop_table("legal_counsels")
    with op.batch_alter_table("disclosure_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_disclosure_requests_region_key_date")

    op.drop_table("disclosure_requests")
    with op.batch_alter_table("annual_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_annual_reports_region_key_date")

    op.drop_table("annual_reports")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_index("ix_agencies_region_key_date")

    op.drop_table("agencies")
    with op.batch_alter_table("administrative_lawsuits", schema=None) as batch_op:
        batch_op.drop_index("ix_administrative_lawsuits_region_key_date")

    op.drop_table("administrative_lawsuits")
