"""Audit runs with a lifecycle and a snapshot

A run records the process that runs it (pid, host) and a heartbeat, its progress, why it stopped
(status_detail: the signal or the error), the imports it read (snapshot_import, snapshot_excluded)
and the run it re-ran (rerun_of). Runs stored before this revision keep NULL there.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("progress", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("status_detail", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("snapshot_import", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("snapshot_excluded", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("rerun_of", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_runs", schema=None) as batch_op:
        batch_op.drop_column("rerun_of")
        batch_op.drop_column("snapshot_excluded")
        batch_op.drop_column("snapshot_import")
        batch_op.drop_column("status_detail")
        batch_op.drop_column("progress")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("host")
        batch_op.drop_column("pid")
