"""Look-ups shared by the use cases and their front ends (CLI, API, UI)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.models import Centre, Roster
from duty_roster.rostering.errors import RosteringError


def centre_by_code(session: Session, code: str) -> Centre:
    centre = session.scalar(sa.select(Centre).where(Centre.code == code))
    if centre is None:
        known = ", ".join(session.scalars(sa.select(Centre.code).order_by(Centre.code))) or "none loaded yet"
        raise RosteringError(f"Không có trung tâm mã {code!r} / no centre with code {code!r} (known: {known})")
    return centre


def roster_by_id(session: Session, roster_id: int) -> Roster:
    roster = session.get(Roster, roster_id)
    if roster is None:
        raise RosteringError(f"Không có lịch trực #{roster_id} / no roster with id {roster_id}")
    return roster
