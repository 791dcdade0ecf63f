"""The SMS outbox: every text message is first a row here, written in the same transaction as the change it reports.

A dispatcher sends the rows later (duty_roster.notify.dispatch). The row is the only record of what was promised to
whom, so a crash between "the provider accepted it" and "we noted that" can be reconciled instead of resent, and the
unique idempotency key stops the same announcement from being queued twice.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from duty_roster.models.base import Base, IdMixin, TimestampMixin, str_enum


class OutboxState(enum.StrEnum):
    PENDING = "pending"  # waiting for its turn (or for next_attempt_at / not_before)
    SENDING = "sending"  # claimed by a dispatcher, which committed this before calling the provider
    SENT = "sent"  # the provider accepted it (provider_sid recorded)
    DELIVERED = "delivered"  # the provider reported delivery to the handset
    FAILED = "failed"  # given up: last_error says why


class OutboxMessage(IdMixin, TimestampMixin, Base):
    __tablename__ = "outbox_message"

    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"), index=True)
    to_phone: Mapped[str] = mapped_column(sa.String(20))  # E.164
    kind: Mapped[str] = mapped_column(sa.String(24))  # publish/change/reminder/swap/alert/reply/unconfirmed
    body: Mapped[str] = mapped_column(sa.Text())
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    urgent: Mapped[bool] = mapped_column(default=False)  # goes first; callers skip quiet hours for it
    not_before: Mapped[datetime | None]  # e.g. the end of quiet hours
    state: Mapped[OutboxState] = mapped_column(
        str_enum(OutboxState, "outbox_state"), default=OutboxState.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)  # calls made to the provider's send endpoint
    next_attempt_at: Mapped[datetime | None]  # backoff after a retryable failure
    claimed_at: Mapped[datetime | None]  # when a dispatcher moved it to sending (the lease starts here)
    # The last attempt may have reached the provider (timeout, dropped connection, 5xx): ask before resending.
    uncertain: Mapped[bool] = mapped_column(default=False)
    # Unique: one provider message is one row (a look-up never adopts a SID another row holds).
    provider_sid: Mapped[str | None] = mapped_column(sa.String(64), index=True, unique=True)
    provider_status: Mapped[str | None] = mapped_column(sa.String(24))  # the provider's own word (queued, ...)
    last_error: Mapped[str | None] = mapped_column(sa.String(1000))
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
