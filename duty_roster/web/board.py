"""The liaison duty board (bảng trực): who is on duty now and next at the police stations and courts a liaison
works with, with a big tap-to-call button, readable on a phone at 3 a.m.; and a printable A4 version.

Liaisons see their own locations (User.locations); directors, coordinators and admins see every active court,
investigation and detention location of the centre. Only published rosters count (duty_roster.on_duty).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext
from sqlalchemy.orm import selectinload

from duty_roster.extensions import db
from duty_roster.models import Assignment, Location, LocationKind, Roster, RosterStatus, Shift, utcnow
from duty_roster.on_duty import on_duty
from duty_roster.web.auth import ADMIN, COORDINATOR, DIRECTOR, LIAISON, current_centre, current_user, roles_required

bp = Blueprint("board", __name__)
BOARD_KINDS = (LocationKind.INVESTIGATION, LocationKind.DETENTION, LocationKind.COURT)
ROLE_LABELS = {"duty": lazy_gettext("Duty person"), "assistant": lazy_gettext("Duty assistant")}
REFRESH_SECONDS = 60
LOOKAHEAD_STEPS = 4  # handovers to step over when looking for the next people (a shift may end with none starting)
PRINT_DAYS = 7


@dataclass
class LocationBoard:
    location: Location
    now: list[Assignment] = field(default_factory=list)
    next: list[Assignment] = field(default_factory=list)
    next_at: datetime | None = None
    handover: datetime | None = None


def board_locations() -> list[Location]:
    user = current_user()
    assert user is not None
    if user.role is LIAISON:
        return sorted((loc for loc in user.locations if loc.active), key=lambda loc: (loc.name, loc.code))
    centre = current_centre()
    return list(db.session.scalars(
        sa.select(Location)
        .where(Location.centre_id == centre.id, Location.active.is_(True), Location.kind.in_(BOARD_KINDS))
        .order_by(Location.kind, Location.name)
    ))


def location_board(location: Location, at: datetime) -> LocationBoard:
    """Now: on_duty at `at`. Next: the first people at a later handover who are not already on duty."""
    current = on_duty(db.session, location, at)
    board = LocationBoard(location, now=current.assignments, handover=current.next_handover)
    seen = {a.id for a in current.assignments}
    moment = current.next_handover
    for _ in range(LOOKAHEAD_STEPS):
        if moment is None:
            break
        later = on_duty(db.session, location, moment)
        fresh = [a for a in later.assignments if a.id not in seen]
        if fresh:
            board.next, board.next_at = fresh, moment
            break
        seen.update(a.id for a in later.assignments)
        moment = later.next_handover
    return board


def upcoming(locations: list[Location], start: datetime, days: int) -> list[Assignment]:
    """Published assignments at `locations` whose shift ends after `start` and starts within `days`."""
    if not locations:
        return []
    return list(db.session.scalars(
        sa.select(Assignment)
        .join(Shift, Assignment.shift_id == Shift.id)
        .join(Roster, Assignment.roster_id == Roster.id)
        .where(Roster.status == RosterStatus.PUBLISHED, Shift.location_id.in_([loc.id for loc in locations]),
               Shift.end_at > start, Shift.start_at < start + timedelta(days=days))
        .options(selectinload(Assignment.person), selectinload(Assignment.shift))
        .order_by(Shift.start_at, Shift.location_id, Assignment.role.desc())
    ))


def _context(at: datetime) -> dict[str, object]:
    locations = board_locations()
    return {
        "centre": current_centre(),
        "boards": [location_board(loc, at) for loc in locations],
        "role_labels": ROLE_LABELS,
        "at": at,
    }


@bp.get("/board")
@roles_required(LIAISON, DIRECTOR, COORDINATOR, ADMIN)
def board() -> str:
    return render_template("board/board.html", refresh=REFRESH_SECONDS, **_context(utcnow()))


@bp.get("/board/print")
@roles_required(LIAISON, DIRECTOR, COORDINATOR, ADMIN)
def print_board() -> str:
    at = utcnow()
    days = request.args.get("days", type=int) or PRINT_DAYS
    days = max(1, min(days, 31))
    context = _context(at)
    locations = [b.location for b in context["boards"]]  # type: ignore[attr-defined]
    return render_template("board/print.html", days=days, rows=upcoming(locations, at, days), **context)
