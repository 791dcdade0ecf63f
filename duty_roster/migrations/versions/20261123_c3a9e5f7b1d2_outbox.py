"""outbox: SMS messages waiting to be sent (outbox_message) and per-person reminder offsets

Revision ID: c3a9e5f7b1d2
Revises: b8f3d1e6a4c2
Create Date: 2026-11-23 12:40:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3a9e5f7b1d2"
down_revision = "b8f3d1e6a4c2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("to_phone", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "state",
            sa.Enum("pending", "sending", "sent", "delivered", "failed", name="outbox_state", native_enum=False,
                    create_constraint=True, length=24),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("provider_status", sa.String(length=24), nullable=True),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], name=op.f("fk_outbox_message_centre_id_centre"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_outbox_message_person_id_person"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_message_idempotency_key")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_message_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_message_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_message_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_message_provider_sid"), ["provider_sid"], unique=False)

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_offsets", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("reminder_offsets")

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_provider_sid"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_state"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_person_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_centre_id"))
    op.drop_table("outbox_message")
    # The state column is a VARCHAR + CHECK (native_enum=False), so PostgreSQL has no type to drop; this guards
    # against a database created by an older draft that used a native enum (harmless when there is none).
    if op.get_bind().dialect.name == "postgresql":
        sa.Enum(name="outbox_state").drop(op.get_bind(), checkfirst=True)
