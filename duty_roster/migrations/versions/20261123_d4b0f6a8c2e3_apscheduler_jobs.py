"""apscheduler_jobs: the table of APScheduler's job store

Created here so that scheduler processes never race on CREATE TABLE.

The columns are exactly what apscheduler.jobstores.sqlalchemy.SQLAlchemyJobStore declares (3.x): the store's own
`create(checkfirst=True)` then finds the table and does nothing. Several processes creating it at once crashed one of
them with a unique violation on pg_type (notes/stack.md §3). The table is not in the models' metadata: it belongs to
APScheduler, which reads and writes it through its own Table object.

Revision ID: d4b0f6a8c2e3
Revises: c3a9e5f7b1d2
Create Date: 2026-11-23 12:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d4b0f6a8c2e3"
down_revision = "c3a9e5f7b1d2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(length=191), nullable=False),
        sa.Column("next_run_time", sa.Float(precision=25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apscheduler_jobs")),
    )
    with op.batch_alter_table("apscheduler_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_apscheduler_jobs_next_run_time"), ["next_run_time"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("apscheduler_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_apscheduler_jobs_next_run_time"))
    op.drop_table("apscheduler_jobs")
