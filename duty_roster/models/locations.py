"""Where duty is done (courts, investigation agencies, detention facilities, online-hearing points) and the
shift patterns that say which shifts each location needs."""

from __future__ import annotations

import enum
from datetime import date, time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duty_roster.models.base import Base, IdMixin, TimestampMixin, str_enum

if TYPE_CHECKING:
    from duty_roster.models.centre import Branch, Centre


class LocationKind(enum.StrEnum):
    COURT = "court"  # Tòa án nhân dân (tỉnh / khu vực)
    INVESTIGATION = "investigation"  # Cơ quan điều tra Công an
    DETENTION = "detention"  # Trại tạm giam, nhà tạm giữ
    ONLINE_HEARING_POINT = "online_hearing_point"  # Điểm cầu phiên tòa trực tuyến


class DutyType(enum.StrEnum):
    COURT = "court"  # trực TGPL tại Tòa án (1603/BTP-TANDTC)
    INVESTIGATION = "investigation"  # trực TGPL trong điều tra hình sự 24/24 giờ (5789/BTP-BCA)


class Location(IdMixin, TimestampMixin, Base):
    __tablename__ = "location"
    __table_args__ = (sa.UniqueConstraint("centre_id", "code"),)

    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[LocationKind] = mapped_column(str_enum(LocationKind, "location_kind"))
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branch.id"), index=True)  # the branch whose area it is in
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True)

    centre: Mapped[Centre] = relationship(back_populates="locations")
    branch: Mapped[Branch] = relationship()
    patterns: Mapped[list[ShiftPattern]] = relationship(back_populates="location", cascade="all, delete-orphan")


class PatternDays(enum.StrEnum):
    WORKING_DAYS = "working_days"  # Vietnamese working days (holidays and swaps applied)
    EVERY_DAY = "every_day"  # 24/7 duty: weekends, nights and Tết included


class ShiftPattern(IdMixin, TimestampMixin, Base):
    """A recurring shift a location needs, e.g. "morning session on working days" or "24 h on-call every day"."""

    __tablename__ = "shift_pattern"
    __table_args__ = (
        sa.UniqueConstraint("location_id", "code"),
        sa.CheckConstraint("duration_minutes > 0", name="positive_duration"),
    )

    location_id: Mapped[int] = mapped_column(sa.ForeignKey("location.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))  # also the solver's shift type, e.g. "court_am", "oncall"
    name: Mapped[str] = mapped_column(sa.String(200))  # "Buổi sáng", "Trực 24 giờ"
    duty_type: Mapped[DutyType] = mapped_column(str_enum(DutyType, "duty_type"))
    start_time: Mapped[time]  # local wall-clock time
    duration_minutes: Mapped[int]
    days: Mapped[PatternDays] = mapped_column(str_enum(PatternDays, "pattern_days"))
    weekdays: Mapped[list[int] | None] = mapped_column(sa.JSON())  # restrict to these weekdays (0 = Monday)
    demand: Mapped[dict[str, Any]] = mapped_column(default=lambda: {"duty": 1})  # role -> people
    holiday_demand: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON())  # on holidays / Tết, if different
    is_night: Mapped[bool] = mapped_column(default=False)
    required_skills: Mapped[list[str]] = mapped_column(default=list)
    required_languages: Mapped[list[str]] = mapped_column(default=list)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]

    location: Mapped[Location] = relationship(back_populates="patterns")
