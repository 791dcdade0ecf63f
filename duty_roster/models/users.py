"""Accounts: users with one role in one centre (or system admins), liaison scopes, and API tokens."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duty_roster.models.base import Base, IdMixin, TimestampMixin, str_enum

if TYPE_CHECKING:
    from duty_roster.models.centre import Centre
    from duty_roster.models.locations import Location
    from duty_roster.models.people import Person


class Role(enum.StrEnum):
    ADMIN = "admin"  # system admin: creates centres
    DIRECTOR = "director"  # Giám đốc: everything in the centre, approves and publishes
    COORDINATOR = "coordinator"  # edits data and drafts, cannot publish
    OFFICER = "officer"  # a duty person or assistant
    LIAISON = "liaison"  # cán bộ đầu mối Tòa án / Công an: sees who is on duty at named locations


liaison_location = sa.Table(
    "liaison_location",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("location_id", sa.ForeignKey("location.id", ondelete="CASCADE"), primary_key=True),
)


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"))
    centre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    locale: Mapped[str] = mapped_column(sa.String(5), default="vi")
    active: Mapped[bool] = mapped_column(default=True)

    centre: Mapped[Centre | None] = relationship()
    person: Mapped[Person | None] = relationship()
    locations: Mapped[list[Location]] = relationship(secondary=liaison_location)
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")


class ApiToken(IdMixin, TimestampMixin, Base):
    """A Bearer token for programs: shown once, stored as a SHA-256 hash, revocable, with an expiry."""

    __tablename__ = "api_token"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))  # first characters, to recognise a token in a list
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")
