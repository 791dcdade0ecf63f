"""Calendar feed tokens: the secret in a feed URL (/feeds/<token>.ics) that a calendar app polls without logging in.

The token itself is never stored: only its SHA-256 (for look-up) and a random salt from which the server re-derives it
with HMAC(SECRET_KEY), so the API can show a user their feed links again while a copy of the database alone cannot.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duty_roster.models.base import Base, IdMixin, TimestampMixin, str_enum

if TYPE_CHECKING:
    from duty_roster.models.users import User


class FeedKind(enum.StrEnum):
    PERSON = "person"  # my shifts (lịch trực của tôi); target = person id
    LOCATION = "location"  # who is on duty at a court / investigation agency; target = location id
    CENTRE = "centre"  # every shift of the centre, for coordinators; target = centre id


class FeedToken(IdMixin, TimestampMixin, Base):
    __tablename__ = "feed_token"

    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FeedKind] = mapped_column(str_enum(FeedKind, "feed_kind"))
    target_id: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(sa.String(64))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))  # first characters, to recognise a token in a list
    alarm_minutes: Mapped[int | None]  # person feeds: a VALARM this many minutes before each shift
    revoked_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()
