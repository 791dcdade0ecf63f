"""The centre aggregate: Centre (Trung tâm TGPL), its branches (chi nhánh) and holiday overrides."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duty_roster.models.base import Base, IdMixin, TimestampMixin, str_enum

if TYPE_CHECKING:
    from duty_roster.models.locations import Location
    from duty_roster.models.people import Person


class Centre(IdMixin, TimestampMixin, Base):
    """A state legal-aid centre (Trung tâm trợ giúp pháp lý nhà nước), one per province."""

    __tablename__ = "centre"

    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    short_name: Mapped[str] = mapped_column(sa.String(40), default="")  # SMS prefix, e.g. "TGPL CT"
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Ho_Chi_Minh")
    duty_phone: Mapped[str | None] = mapped_column(sa.String(20))  # the centre's own duty number (E.164)
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    # Roster rules and soft-goal weights, validated by the centre-file schema (see docs/centre-file.md).
    rules: Mapped[dict[str, Any]] = mapped_column(default=dict)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)

    branches: Mapped[list[Branch]] = relationship(back_populates="centre", cascade="all, delete-orphan")
    people: Mapped[list[Person]] = relationship(back_populates="centre", cascade="all, delete-orphan")
    locations: Mapped[list[Location]] = relationship(back_populates="centre", cascade="all, delete-orphan")
    holiday_overrides: Mapped[list[HolidayOverride]] = relationship(
        back_populates="centre", cascade="all, delete-orphan"
    )


class Branch(IdMixin, TimestampMixin, Base):
    """The head office or a branch office (chi nhánh) of a centre."""

    __tablename__ = "branch"
    __table_args__ = (sa.UniqueConstraint("centre_id", "code"),)

    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    is_head_office: Mapped[bool] = mapped_column(default=False)

    centre: Mapped[Centre] = relationship(back_populates="branches")


class HolidayKind(enum.StrEnum):
    DAY_OFF = "day_off"  # an extra or compensatory day off (ngày nghỉ bù)
    WORKING_DAY = "working_day"  # a weekend day worked in exchange (làm bù)


class HolidayOverride(IdMixin, TimestampMixin, Base):
    """A centre's correction to the national calendar from the yearly government announcement."""

    __tablename__ = "holiday_override"
    __table_args__ = (sa.UniqueConstraint("centre_id", "day"),)

    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    kind: Mapped[HolidayKind] = mapped_column(str_enum(HolidayKind, "holiday_kind"))
    name: Mapped[str] = mapped_column(sa.String(200), default="")

    centre: Mapped[Centre] = relationship(back_populates="holiday_overrides")
