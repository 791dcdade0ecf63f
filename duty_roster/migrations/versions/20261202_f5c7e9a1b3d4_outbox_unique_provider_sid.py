"""outbox_unique_provider_sid: one outbox row per provider message

A provider message (Twilio SID) is one SMS on one phone: two rows holding the same SID mean one of them was marked sent
without ever being sent (the look-up after an uncertain attempt adopted another row's message). The index becomes
unique, so no dispatcher, however its clock or its timing, can record that again.

Rows that already share a SID are repaired first: the oldest row keeps it (it is the message the provider sent), the
others are marked failed with the reason, so a coordinator sees them; they are not resent, since they may be old.

Revision ID: f5c7e9a1b3d4
Revises: d4b0f6a8c2e3
Create Date: 2026-12-02 19:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f5c7e9a1b3d4"
down_revision = "d4b0f6a8c2e3"
branch_labels = None
depends_on = None

REASON = ("mã tin của nhà mạng trùng với một tin khác: có thể tin này chưa được gửi / "
          "provider SID also held by an earlier message: this one may never have been sent")


def upgrade() -> None:
    outbox = sa.table("outbox_message", sa.column("id", sa.Integer), sa.column("provider_sid", sa.String),
                      sa.column("state", sa.String), sa.column("last_error", sa.String))
    keeper = sa.select(sa.func.min(outbox.c.id)).where(outbox.c.provider_sid.is_not(None)).group_by(
        outbox.c.provider_sid)
    op.execute(
        outbox.update()
        .where(outbox.c.provider_sid.is_not(None), outbox.c.id.not_in(keeper))
        .values(state="failed", provider_sid=None, last_error=REASON)
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_provider_sid"))
        batch_op.create_index(batch_op.f("ix_outbox_message_provider_sid"), ["provider_sid"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_provider_sid"))
        batch_op.create_index(batch_op.f("ix_outbox_message_provider_sid"), ["provider_sid"], unique=False)
