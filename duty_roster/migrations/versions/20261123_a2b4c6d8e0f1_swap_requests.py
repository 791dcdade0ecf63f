"""swap requests: officers hand a published assignment to a colleague

Revision ID: a2b4c6d8e0f1
Revises: 7c1e5a0b9d42
Create Date: 2026-11-23 10:45:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a2b4c6d8e0f1"
down_revision = "7c1e5a0b9d42"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "swap_request",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("from_person_id", sa.Integer(), nullable=False),
        sa.Column("to_person_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("offered", "requested", "accepted", "approved", "rejected", "cancelled", "expired",
                    name="swap_status", native_enum=False, create_constraint=True, length=24),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=False),
        sa.Column("result_roster_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], name=op.f("fk_swap_request_centre_id_centre"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["roster_id"], ["roster.id"], name=op.f("fk_swap_request_roster_id_roster"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"], name=op.f("fk_swap_request_shift_id_shift"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["from_person_id"], ["person.id"],
                                name=op.f("fk_swap_request_from_person_id_person"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_person_id"], ["person.id"],
                                name=op.f("fk_swap_request_to_person_id_person"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_swap_request_created_by_id_user_account"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"],
                                name=op.f("fk_swap_request_decided_by_id_user_account"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["result_roster_id"], ["roster.id"],
                                name=op.f("fk_swap_request_result_roster_id_roster"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_request")),
    )
    with op.batch_alter_table("swap_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_swap_request_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_swap_request_roster_id"), ["roster_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_swap_request_shift_id"), ["shift_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_swap_request_from_person_id"), ["from_person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_swap_request_to_person_id"), ["to_person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_swap_request_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("swap_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_swap_request_status"))
        batch_op.drop_index(batch_op.f("ix_swap_request_to_person_id"))
        batch_op.drop_index(batch_op.f("ix_swap_request_from_person_id"))
        batch_op.drop_index(batch_op.f("ix_swap_request_shift_id"))
        batch_op.drop_index(batch_op.f("ix_swap_request_roster_id"))
        batch_op.drop_index(batch_op.f("ix_swap_request_centre_id"))
    op.drop_table("swap_request")
