"""Procedure, hearing and suspension fields of cases, doc_number_suspect, import warnings

Enforcement cases gain procedure, hearing_eligible, hearing_waived, hearing_on; reconsideration cases
procedure and suspended_days; normative documents comment_shortened_reason and the computed
doc_number_suspect. Import warnings get a table of their own. Stored documents get the derived values
of their 文号 as the models now compute them: doc_number_suspect, and doc_number_normalized with
traditional characters made simplified.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BATCH = 10_000


def upgrade() -> None:
    op.create_table(
        "import_warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("field", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=True),
        sa.Column("record_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_warnings", schema=None) as batch_op:
        batch_op.create_index("ix_import_warnings_import", ["import_id"], unique=False)

    with op.batch_alter_table("enforcement_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("procedure", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("hearing_eligible", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("hearing_waived", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("hearing_on", sa.Date(), nullable=True))

    with op.batch_alter_table("normative_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("doc_number_suspect", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("comment_shortened_reason", sa.Text(), nullable=True))

    with op.batch_alter_table("reconsideration_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("procedure", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("suspended_days", sa.Integer(), nullable=True))

    _derive_doc_number_values()


def _derive_doc_number_values() -> None:
    """The stored documents' doc_number_suspect and doc_number_normalized, by the models' own helpers
    (a stored row holds what the parse gave; a document imported before this revision would otherwise
    read back with no doc_number_suspect), in batches of 10,000 rows."""
    from fzcheck.models.fields import doc_number_suspect, normalize_doc_number  # noqa: PLC0415 (app code loaded only when this step runs)

    documents = sa.table(
        "normative_documents",
        sa.column("pk", sa.Integer()),
        sa.column("doc_number", sa.Text()),
        sa.column("doc_number_normalized", sa.Text()),
        sa.column("doc_number_suspect", sa.Boolean()),
    )
    connection = op.get_bind()
    change = (
        documents.update()
        .where(documents.c.pk == sa.bindparam("_pk"))
        .values(doc_number_normalized=sa.bindparam("_normalized"), doc_number_suspect=sa.bindparam("_suspect"))
    )
    last = None
    while True:
        query = (
            sa.select(documents.c.pk, documents.c.doc_number)
            .where(documents.c.doc_number.is_not(None))
            .order_by(documents.c.pk)
            .limit(_BATCH)
        )
        if last is not None:
            query = query.where(documents.c.pk > last)
        rows = connection.execute(query).all()
        if not rows:
            break
        connection.execute(
            change,
            [
                {"_pk": pk, "_normalized": normalize_doc_number(number), "_suspect": doc_number_suspect(number)}
                for pk, number in rows
            ],
        )
        last = rows[-1].pk


def downgrade() -> None:
    with op.batch_alter_table("reconsideration_cases", schema=None) as batch_op:
        batch_op.drop_column("suspended_days")
        batch_op.drop_column("procedure")

    with op.batch_alter_table("normative_documents", schema=None) as batch_op:
        batch_op.drop_column("comment_shortened_reason")
        batch_op.drop_column("doc_number_suspect")

    with op.batch_alter_table("enforcement_cases", schema=None) as batch_op:
        batch_op.drop_column("hearing_on")
        batch_op.drop_column("hearing_waived")
        batch_op.drop_column("hearing_eligible")
        batch_op.drop_column("procedure")

    with op.batch_alter_table("import_warnings", schema=None) as batch_op:
        batch_op.drop_index("ix_import_warnings_import")

    op.drop_table("import_warnings")
