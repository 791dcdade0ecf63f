"""Who is on duty (ai đang trực) at a location at a moment, according to the published roster.

Only published versions count: a draft is a plan, and a superseded version is no longer what the police were told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from duty_roster.models import Assignment, Location, Roster, RosterStatus, Shift


@dataclass(frozen=True)
class DutyNow:
    assignments: list[Assignment]  # duty person(s) first, then assistants; by shift start
    next_handover: datetime | None  # the next instant the list changes (a shift here ends or starts), if known


def _published_here(location: Location) -> sa.Select[tuple[Assignment]]:
    return (
        sa.select(Assignment)
        .join(Shift, Assignment.shift_id == Shift.id)
        .join(Roster, Assignment.roster_id == Roster.id)
        .where(Roster.centre_id == location.centre_id, Roster.status == RosterStatus.PUBLISHED,
               Shift.location_id == location.id)
    )


def on_duty(session: Session, location: Location, at: datetime) -> DutyNow:
    """The people on duty at `location` at the aware instant `at`: shifts with start <= at < end."""
    current = session.scalars(
        _published_here(location)
        .where(Shift.start_at <= at, Shift.end_at > at)
        .options(selectinload(Assignment.person), selectinload(Assignment.shift))
    ).all()
    rows = sorted(current, key=lambda a: (a.role != "duty", a.role, a.shift.start_at, a.person.code))
    next_start = session.scalar(
        sa.select(sa.func.min(Shift.start_at)).where(Shift.id.in_(
            _published_here(location).where(Shift.start_at > at).with_only_columns(Shift.id)))
    )
    candidates = [a.shift.end_at for a in rows] + ([next_start] if next_start is not None else [])
    return DutyNow(rows, min(candidates) if candidates else None)
