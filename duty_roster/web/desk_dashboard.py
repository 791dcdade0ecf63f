"""What the director's desk shows at a glance: coverage of the coming days, the next publication deadline
(programme 5789/BTP-BCA: the police get the list 5 working days ahead), and what waits for a decision (declined
shifts, open swaps, failed text messages). Read-only queries; the views render them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from duty_roster.models import (
    OPEN_SWAP_STATUSES,
    Assignment,
    Centre,
    Location,
    Person,
    Roster,
    RosterStatus,
    Shift,
    SwapRequest,
)
from duty_roster.rostering.publish import publication_deadline
from duty_roster.rostering.shifts import pattern_applies, work_calendar

COVERAGE_DAYS = 60
LIST_LIMIT = 20


@dataclass(frozen=True)
class DayCoverage:
    """Slots (people × shifts) a day needs, and how many the roster in force that day fills."""

    day: date
    required: int
    covered: int
    roster_id: int | None  # the published roster covering the day, else the latest draft, else None
    published: bool

    @property
    def state(self) -> str:
        """"free" (nothing needed), "none" (no roster), "gap" (slots open) or "ok"."""
        if self.required == 0:
            return "free"
        if self.roster_id is None:
            return "none"
        return "gap" if self.covered < self.required else "ok"


@dataclass(frozen=True)
class Deadline:
    """The next period without a published roster and the last day to publish it on time."""

    period_start: date
    period_end: date | None
    deadline: date
    working_days_left: int  # working days after today up to the deadline (0: today is the last day or it passed)
    days_late: int  # calendar days past the deadline (0: on time)
    draft_id: int | None  # the latest draft for that period, to publish


def _rosters_overlapping(session: Session, centre: Centre, first: date, last: date,
                         statuses: tuple[RosterStatus, ...]) -> list[Roster]:
    return list(session.scalars(
        sa.select(Roster).where(Roster.centre_id == centre.id, Roster.status.in_(statuses),
                                Roster.period_start <= last, Roster.period_end >= first)
        .order_by(Roster.period_start, Roster.id)
    ))


def _roster_per_day(rosters: list[Roster], days: list[date]) -> dict[date, Roster]:
    """The roster in force each day: the published version, else the newest draft (highest id)."""
    chosen: dict[date, Roster] = {}
    for day in days:
        covering = [r for r in rosters if r.period_start <= day <= r.period_end]
        published = [r for r in covering if r.status is RosterStatus.PUBLISHED]
        pick = published[0] if published else max(covering, key=lambda r: r.id, default=None)
        if pick is not None:
            chosen[day] = pick
    return chosen


def _demand(pattern_demand: dict[str, Any] | None) -> dict[str, int]:
    return {str(role): int(n) for role, n in (pattern_demand or {}).items()}


def coverage(session: Session, centre: Centre, today: date, days: int = COVERAGE_DAYS) -> list[DayCoverage]:
    """Per day from `today`: slots required (the shift rows' demand, or the patterns' for days not materialised
    yet — computed, never written) and slots filled by non-declined assignments of the roster in force."""
    window = [today + timedelta(days=i) for i in range(days)]
    first, last = window[0], window[-1]
    calendar = work_calendar(centre)
    locations = session.scalars(
        sa.select(Location).where(Location.centre_id == centre.id, Location.active.is_(True))
        .options(selectinload(Location.patterns))
    ).all()
    shifts = {(s.pattern_id, s.day): s for s in session.scalars(
        sa.select(Shift).where(Shift.centre_id == centre.id, Shift.day >= first, Shift.day <= last))}
    slots: dict[date, list[tuple[int | None, dict[str, int]]]] = defaultdict(list)  # day -> (shift id, demand)
    for location in locations:
        for pattern in location.patterns:
            for day in window:
                if not pattern_applies(pattern, day, calendar):
                    continue
                shift = shifts.get((pattern.id, day))
                if shift is not None:
                    slots[day].append((shift.id, _demand(shift.demand)))
                else:
                    holiday = calendar.is_holiday(day) and pattern.holiday_demand
                    slots[day].append((None, _demand(pattern.holiday_demand if holiday else pattern.demand)))
    rosters = _rosters_overlapping(session, centre, first, last, (RosterStatus.PUBLISHED, RosterStatus.DRAFT))
    in_force = _roster_per_day(rosters, window)
    filled: dict[tuple[int, int, str], int] = defaultdict(int)  # (roster, shift, role) -> people
    roster_ids = {r.id for r in in_force.values()}
    if roster_ids:
        rows = session.execute(
            sa.select(Assignment.roster_id, Assignment.shift_id, Assignment.role)
            .join(Shift, Assignment.shift_id == Shift.id)
            .where(Assignment.roster_id.in_(roster_ids), Assignment.declined_at.is_(None),
                   Shift.day >= first, Shift.day <= last)
        ).all()
        for roster_id, shift_id, role in rows:
            filled[(roster_id, shift_id, role)] += 1
    result = []
    for day in window:
        roster = in_force.get(day)
        required = sum(sum(demand.values()) for _, demand in slots[day])
        covered = 0
        if roster is not None:
            covered = sum(min(filled[(roster.id, shift_id, role)], n)
                          for shift_id, demand in slots[day] if shift_id is not None for role, n in demand.items())
        result.append(DayCoverage(day, required, covered, roster.id if roster else None,
                                  bool(roster and roster.status is RosterStatus.PUBLISHED)))
    return result


def _first_unpublished_day(published: list[Roster], day: date) -> date:
    moved = True
    while moved:
        moved = False
        for roster in published:
            if roster.period_start <= day <= roster.period_end:
                day, moved = roster.period_end + timedelta(days=1), True
    return day


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def next_deadline(session: Session, centre: Centre, today: date, notice_working_days: int) -> Deadline:
    """The first day from today that no published roster covers starts "the next period". When today itself is
    uncovered and no draft is being prepared for it, the next period is taken to start on the next month's first
    uncovered day (the centre's monthly rhythm), so a new install is not reported as overdue forever."""
    published = _rosters_overlapping(session, centre, today, date.max, (RosterStatus.PUBLISHED,))
    drafts = _rosters_overlapping(session, centre, today, date.max, (RosterStatus.DRAFT,))

    def draft_for(day: date) -> Roster | None:
        return max((r for r in drafts if r.period_start <= day <= r.period_end), key=lambda r: r.id, default=None)

    start = _first_unpublished_day(published, today)
    draft = draft_for(start)
    if draft is None and start == today:
        start = _first_unpublished_day(published, _next_month(today))
        draft = draft_for(start)
    deadline = publication_deadline(centre, start, notice_working_days)
    calendar = work_calendar(centre)
    left = calendar.count_working_days(today + timedelta(days=1), deadline) if deadline > today else 0
    late = max(0, (today - deadline).days)
    return Deadline(start, draft.period_end if draft else None, deadline, left, late, draft.id if draft else None)


@dataclass(frozen=True)
class FailedSms:
    message: Any  # duty_roster.models.OutboxMessage (the SMS area's model)
    person: Person | None


def failed_messages(session: Session, centre: Centre) -> list[FailedSms] | None:
    """Text messages that gave up (notify/outbox.py) with their person, or None while SMS is not installed."""
    try:
        from duty_roster.notify.outbox import failed_messages as failed
    except ImportError:
        return None
    messages = list(failed(session, centre.id, limit=LIST_LIMIT))
    ids = {m.person_id for m in messages if m.person_id is not None}
    people = {p.id: p for p in session.scalars(sa.select(Person).where(Person.id.in_(ids)))} if ids else {}
    return [FailedSms(m, people.get(m.person_id)) for m in messages]


def open_swaps(session: Session, centre: Centre) -> list[SwapRequest]:
    """Swaps offered, asked or accepted: the accepted ones wait for a coordinator's or director's approval."""
    return list(session.scalars(
        sa.select(SwapRequest).join(Shift, SwapRequest.shift_id == Shift.id)
        .where(SwapRequest.centre_id == centre.id, SwapRequest.status.in_(OPEN_SWAP_STATUSES))
        .options(selectinload(SwapRequest.shift).selectinload(Shift.location),
                 selectinload(SwapRequest.from_person), selectinload(SwapRequest.to_person))
        .order_by(Shift.start_at, SwapRequest.id).limit(LIST_LIMIT)
    ))


def declined_upcoming(session: Session, centre: Centre, now: datetime) -> list[Assignment]:
    """Assignments of published rosters that their person declined, on shifts not over yet: each needs a repair."""
    return list(session.scalars(
        sa.select(Assignment).join(Roster, Assignment.roster_id == Roster.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(Roster.centre_id == centre.id, Roster.status == RosterStatus.PUBLISHED,
               Assignment.declined_at.is_not(None), Shift.end_at > now)
        .options(selectinload(Assignment.person), selectinload(Assignment.shift).selectinload(Shift.location))
        .order_by(Shift.start_at, Assignment.id).limit(LIST_LIMIT)
    ))


def latest_rosters(session: Session, centre: Centre, limit: int = 10) -> list[Roster]:
    return list(session.scalars(
        sa.select(Roster).where(Roster.centre_id == centre.id).order_by(Roster.id.desc()).limit(limit)
    ))
