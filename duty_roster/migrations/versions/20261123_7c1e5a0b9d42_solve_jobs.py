"""solve jobs: roster generation run outside the request, with progress

Revision ID: 7c1e5a0b9d42
Revises: e49da2a2790b
Create Date: 2026-11-23 10:20:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c1e5a0b9d42"
down_revision = "e49da2a2790b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "solve_job",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column(
            "status",
            sa.Enum("queued", "running", "succeeded", "failed", name="job_status", native_enum=False,
                    create_constraint=True, length=24),
            nullable=False,
        ),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("runner", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("objective", sa.Double(), nullable=True),
        sa.Column("best_bound", sa.Double(), nullable=True),
        sa.Column("elapsed", sa.Double(), nullable=False),
        sa.Column("fraction", sa.Double(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=2000), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], name=op.f("fk_solve_job_centre_id_centre"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_solve_job_created_by_id_user_account"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["roster_id"], ["roster.id"], name=op.f("fk_solve_job_roster_id_roster"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solve_job")),
    )
    with op.batch_alter_table("solve_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_solve_job_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_solve_job_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("solve_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solve_job_status"))
        batch_op.drop_index(batch_op.f("ix_solve_job_centre_id"))
    op.drop_table("solve_job")
