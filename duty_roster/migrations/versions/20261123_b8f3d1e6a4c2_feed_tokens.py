"""feed tokens: secret calendar feed URLs (person, location, centre)

Revision ID: b8f3d1e6a4c2
Revises: a2b4c6d8e0f1
Create Date: 2026-11-23 10:45:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b8f3d1e6a4c2"
down_revision = "a2b4c6d8e0f1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_token",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("person", "location", "centre", name="feed_kind", native_enum=False, create_constraint=True,
                    length=24),
            nullable=False,
        ),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("alarm_minutes", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centre.id"], name=op.f("fk_feed_token_centre_id_centre"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_feed_token_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feed_token_token_hash")),
    )
    with op.batch_alter_table("feed_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_token_centre_id"), ["centre_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feed_token_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feed_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_token_user_id"))
        batch_op.drop_index(batch_op.f("ix_feed_token_centre_id"))
    op.drop_table("feed_token")
