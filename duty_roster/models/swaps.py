"""Swaps (đổi ca): an officer hands one published assignment to a colleague.

An officer either offers the assignment to anyone eligible (an open offer) or asks a named colleague; the colleague
accepts; the change is checked against the hard rules and then approved by a coordinator or director (or at once, when
the centre's settings say `auto_approve_swaps`). Approval publishes a new version of the roster with the swap applied,
so feeds and text messages see exactly that change.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duty_roster.models.base import Base, IdMixin, TimestampMixin, str_enum

if TYPE_CHECKING:
    from duty_roster.models.people import Person
    from duty_roster.models.rosters import Roster, Shift


class SwapStatus(enum.StrEnum):
    OFFERED = "offered"  # open offer: any eligible colleague may accept
    REQUESTED = "requested"  # asked of a named colleague
    ACCEPTED = "accepted"  # a colleague took it; waits for approval
    APPROVED = "approved"  # applied: a new published version carries it
    REJECTED = "rejected"  # by the colleague, or by the coordinator/director
    CANCELLED = "cancelled"  # withdrawn by the offering officer
    EXPIRED = "expired"  # the shift started before the swap was approved


OPEN_SWAP_STATUSES = (SwapStatus.OFFERED, SwapStatus.REQUESTED, SwapStatus.ACCEPTED)


class SwapRequest(IdMixin, TimestampMixin, Base):
    __tablename__ = "swap_request"

    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    # The published version the offer was made on, and the slot (shift + role) handed over.
    roster_id: Mapped[int] = mapped_column(sa.ForeignKey("roster.id", ondelete="CASCADE"), index=True)
    shift_id: Mapped[int] = mapped_column(sa.ForeignKey("shift.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(24), default="duty")
    from_person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # The named colleague of a request, or whoever accepted an open offer.
    to_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    status: Mapped[SwapStatus] = mapped_column(str_enum(SwapStatus, "swap_status"), index=True)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(sa.String(500), default="")
    # The published version that carries the swap, once approved.
    result_roster_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roster.id", ondelete="SET NULL"))

    roster: Mapped[Roster] = relationship(foreign_keys=[roster_id])
    result_roster: Mapped[Roster | None] = relationship(foreign_keys=[result_roster_id])
    shift: Mapped[Shift] = relationship()
    from_person: Mapped[Person] = relationship(foreign_keys=[from_person_id])
    to_person: Mapped[Person | None] = relationship(foreign_keys=[to_person_id])
