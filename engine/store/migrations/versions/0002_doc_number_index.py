"""Index normative documents by normalised 文号: audits look up the documents each unit's cases cite

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("normative_documents", schema=None) as batch_op:
        batch_op.create_index("ix_normative_documents_doc_number_normalized", ["doc_number_normalized"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("normative_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_normative_documents_doc_number_normalized")
