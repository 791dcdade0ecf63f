"""Shifts (ca trực) materialised from patterns, rosters (lịch trực) and their assignments (phân công).

A Shift row is the same slot in every roster version (unique per pattern and day), which keeps calendar UIDs stable
across versions. A Roster is a draft, a published version, or a superseded one; only one version of a centre's period
is published at a time.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duty_roster.models.base import Base, IdMixin, TimestampMixin, str_enum
from duty_roster.models.locations import DutyType

if TYPE_CHECKING:
    from duty_roster.models.centre import Centre
    from duty_roster.models.locations import Location, ShiftPattern
    from duty_roster.models.people import Person
    from duty_roster.models.users import User


class Shift(IdMixin, TimestampMixin, Base):
    __tablename__ = "shift"
    __table_args__ = (
        sa.UniqueConstraint("pattern_id", "day"),
        sa.CheckConstraint("end_at > start_at", name="end_after_start"),
    )

    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("location.id", ondelete="CASCADE"), index=True)
    pattern_id: Mapped[int] = mapped_column(sa.ForeignKey("shift_pattern.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(index=True)  # local date the shift starts on
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    duty_type: Mapped[DutyType] = mapped_column(str_enum(DutyType, "duty_type"))
    demand: Mapped[dict[str, Any]] = mapped_column(default=dict)
    required_skills: Mapped[list[str]] = mapped_column(default=list)
    required_languages: Mapped[list[str]] = mapped_column(default=list)
    is_night: Mapped[bool] = mapped_column(default=False)
    is_weekend: Mapped[bool] = mapped_column(default=False)
    is_holiday: Mapped[bool] = mapped_column(default=False)
    is_tet: Mapped[bool] = mapped_column(default=False)
    sessions: Mapped[float] = mapped_column(default=0.0)  # buổi per Thông tư 02/2021

    location: Mapped[Location] = relationship()
    pattern: Mapped[ShiftPattern] = relationship()


class RosterStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class Roster(IdMixin, TimestampMixin, Base):
    __tablename__ = "roster"
    __table_args__ = (
        sa.CheckConstraint("period_end >= period_start", name="period_in_order"),
        # At most one published version of a centre's period, whatever races the application might lose.
        sa.Index(
            "uq_roster_one_published",
            "centre_id",
            "period_start",
            "period_end",
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        ),
    )

    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]  # inclusive
    status: Mapped[RosterStatus] = mapped_column(str_enum(RosterStatus, "roster_status"), default=RosterStatus.DRAFT)
    version: Mapped[int | None]  # 1, 2, ... per centre and period, given when published
    based_on_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roster.id"))  # the version a repair starts from
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    superseded_at: Mapped[datetime | None]
    # The solver's report: status, objective, bound, gap, seconds, uncovered slots with reasons, stats, penalties.
    solve_report: Mapped[dict[str, Any]] = mapped_column(default=dict)

    centre: Mapped[Centre] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="roster", cascade="all, delete-orphan")
    based_on: Mapped[Roster | None] = relationship(remote_side="Roster.id")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])


class AssignmentSource(enum.StrEnum):
    SOLVER = "solver"
    MANUAL = "manual"
    SWAP = "swap"


class Assignment(IdMixin, TimestampMixin, Base):
    __tablename__ = "assignment"
    __table_args__ = (sa.UniqueConstraint("roster_id", "shift_id", "person_id"),)

    roster_id: Mapped[int] = mapped_column(sa.ForeignKey("roster.id", ondelete="CASCADE"), index=True)
    shift_id: Mapped[int] = mapped_column(sa.ForeignKey("shift.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(24), default="duty")  # "duty" | "assistant"
    locked: Mapped[bool] = mapped_column(default=False)
    source: Mapped[AssignmentSource] = mapped_column(
        str_enum(AssignmentSource, "assignment_source"), default=AssignmentSource.SOLVER
    )
    confirmed_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]

    roster: Mapped[Roster] = relationship(back_populates="assignments")
    shift: Mapped[Shift] = relationship()
    person: Mapped[Person] = relationship()
