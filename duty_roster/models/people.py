"""People who do duty (officers, contracted lawyers, duty assistants), their unavailability and preferences."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from duty_roster.models.base import Base, IdMixin, TimestampMixin, str_enum
from duty_roster.phones import normalise_phone

if TYPE_CHECKING:
    from duty_roster.models.centre import Branch, Centre


class PersonKind(enum.StrEnum):
    OFFICER = "officer"  # trợ giúp viên pháp lý
    LAWYER = "lawyer"  # luật sư ký hợp đồng thực hiện TGPL
    ASSISTANT = "assistant"  # người hỗ trợ trực (a centre specialist backing the duty person)


class Person(IdMixin, TimestampMixin, Base):
    __tablename__ = "person"
    __table_args__ = (sa.UniqueConstraint("centre_id", "code"),)

    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    full_name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[PersonKind] = mapped_column(str_enum(PersonKind, "person_kind"))
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branch.id"), index=True)
    areas: Mapped[list[str]] = mapped_column(default=list)  # branch codes served besides the own branch
    skills: Mapped[list[str]] = mapped_column(default=list)  # e.g. "juvenile" (người chưa thành niên)
    languages: Mapped[list[str]] = mapped_column(default=list)  # e.g. "khmer"
    capacity: Mapped[float] = mapped_column(default=1.0)  # FTE share of the duty load
    max_shifts_per_week: Mapped[int | None]
    max_shifts_per_month: Mapped[int | None]
    contract_start: Mapped[date | None]
    contract_end: Mapped[date | None]
    phone: Mapped[str] = mapped_column(sa.String(20))  # E.164
    email: Mapped[str | None] = mapped_column(sa.String(200))
    sms_language: Mapped[str] = mapped_column(sa.String(2), default="vi")
    sms_ascii: Mapped[bool] = mapped_column(default=False)  # send without diacritics (GSM-7)
    active: Mapped[bool] = mapped_column(default=True)
    # SMS reminders before each shift, same syntax as the SMS_REMINDERS setting; None = the centre/global default.
    reminder_offsets: Mapped[str | None] = mapped_column(sa.String(100))

    centre: Mapped[Centre] = relationship(back_populates="people")
    branch: Mapped[Branch] = relationship()
    unavailability: Mapped[list[Unavailability]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Unavailability.start_at"
    )
    preferences: Mapped[list[Preference]] = relationship(back_populates="person", cascade="all, delete-orphan")

    @validates("phone")
    def _phone_is_e164(self, _key: str, value: str) -> str:
        return normalise_phone(value)


class UnavailabilityReason(enum.StrEnum):
    LEAVE = "leave"  # nghỉ phép
    SICK = "sick"  # ốm
    TRAINING = "training"  # tập huấn
    BUSINESS_TRIP = "business_trip"  # công tác
    OTHER = "other"


class Unavailability(IdMixin, TimestampMixin, Base):
    """A period [start_at, end_at) in which a person takes no shift."""

    __tablename__ = "unavailability"
    __table_args__ = (sa.CheckConstraint("end_at > start_at", name="end_after_start"),)

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    reason: Mapped[UnavailabilityReason] = mapped_column(str_enum(UnavailabilityReason, "unavailability_reason"))
    note: Mapped[str] = mapped_column(sa.String(300), default="")

    person: Mapped[Person] = relationship(back_populates="unavailability")


class Preference(IdMixin, TimestampMixin, Base):
    """A wish: a wanted or avoided weekday, date or shift type, with a weight (1 = mild ... 3 = strong)."""

    __tablename__ = "preference"

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    wanted: Mapped[bool]
    weight: Mapped[int] = mapped_column(default=1)
    weekday: Mapped[int | None]  # 0 = Monday (Thứ Hai) ... 6 = Sunday (Chủ Nhật)
    day: Mapped[date | None]
    shift_type: Mapped[str | None] = mapped_column(sa.String(32))  # a shift pattern code

    person: Mapped[Person] = relationship(back_populates="preferences")
