"""Quarantine reasons and import warnings kept as catalog messages

Beside its English text, a quarantined row's reason (quarantine.reason_data) and an import warning's
message (import_warnings.message_data) keep the catalog message id and its parameters
(fzcheck/messages.py), so that `fzcheck db quarantine` and `db import` show them in Chinese or English
with the same detail. Rows stored before this revision keep NULL there and show their text as stored.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_data", sa.JSON(), nullable=True))
    with op.batch_alter_table("import_warnings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_data", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_warnings", schema=None) as batch_op:
        batch_op.drop_column("message_data")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_column("reason_data")
