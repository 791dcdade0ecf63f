"""Build the solver's Problem for one centre and period from the database.

Solver ids are strings: a person is known by their code (stable, readable in explanations), a shift by its row id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from duty_roster.models import (
    Assignment,
    Centre,
    Person,
    PersonKind,
    Roster,
    RosterStatus,
    Shift,
    utcnow,
)
from duty_roster.rostering.shifts import materialise_shifts
from duty_roster.solver import problem as sp

# Which role each kind of person takes unless the centre's rules say otherwise.
DEFAULT_ROLES_BY_KIND: Mapping[str, frozenset[str]] = {
    PersonKind.OFFICER.value: frozenset({sp.DUTY}),
    PersonKind.LAWYER.value: frozenset({sp.DUTY}),
    PersonKind.ASSISTANT.value: frozenset({sp.ASSISTANT}),
}
HISTORY_DAYS = 365  # fairness counts the last year of published rosters


@dataclass(frozen=True)
class BuiltProblem:
    """A Problem plus the maps back to database rows."""

    problem: sp.Problem
    shifts: Mapping[str, Shift]  # solver shift id -> row
    people: Mapping[str, Person]  # solver person id (code) -> row


def rules_from_settings(settings: Mapping[str, Any]) -> sp.Rules:
    """Centre rules (docs/centre-file.md) -> solver Rules; absent keys keep the solver's defaults."""
    defaults = sp.Rules()

    def hours(key: str, default: timedelta | None) -> timedelta | None:
        if key not in settings:
            return default
        value = settings[key]
        return None if value is None else timedelta(hours=float(value))

    allowed = {
        duty_type: {role: frozenset(kinds) for role, kinds in roles.items()}
        for duty_type, roles in (settings.get("allowed_kinds") or {}).items()
    }
    return sp.Rules(
        min_rest=hours("min_rest_hours", defaults.min_rest),
        long_shift=hours("long_shift_hours", defaults.long_shift) or defaults.long_shift,
        rest_after_long_shift=hours("rest_after_long_shift_hours", defaults.rest_after_long_shift),
        max_consecutive_nights=settings.get("max_consecutive_nights", defaults.max_consecutive_nights),
        max_shifts_per_day=settings.get("max_shifts_per_day", defaults.max_shifts_per_day),
        forbidden_successions=frozenset(tuple(pair) for pair in settings.get("forbidden_successions", ())),
        allowed_kinds=allowed,
        week_start=settings.get("week_start", defaults.week_start),
    )


def weights_from_settings(settings: Mapping[str, Any]) -> sp.Weights:
    known = {f.name for f in fields(sp.Weights)}
    return sp.Weights(**{k: int(v) for k, v in (settings.get("weights") or {}).items() if k in known})


def roles_for(person: Person, settings: Mapping[str, Any]) -> frozenset[str]:
    configured = (settings.get("roles_by_kind") or {}).get(person.kind.value)
    return frozenset(configured) if configured else DEFAULT_ROLES_BY_KIND[person.kind.value]


def to_solver_person(person: Person, settings: Mapping[str, Any]) -> sp.Person:
    return sp.Person(
        id=person.code,
        name=person.full_name,
        kind=person.kind.value,
        branch=person.branch.code,
        areas=frozenset(person.areas) | {person.branch.code},
        roles=roles_for(person, settings),
        skills=frozenset(person.skills),
        languages=frozenset(person.languages),
        capacity=person.capacity,
        max_shifts_per_week=person.max_shifts_per_week,
        max_shifts_per_month=person.max_shifts_per_month,
        contract_start=person.contract_start,
        contract_end=person.contract_end,
    )


def to_solver_shift(shift: Shift, tz: ZoneInfo) -> sp.Shift:
    """Times in the centre's zone (the same instants): explanations then read in local time."""
    return sp.Shift(
        id=str(shift.id),
        start=shift.start_at.astimezone(tz),
        end=shift.end_at.astimezone(tz),
        day=shift.day,
        type=shift.pattern.code,
        location=shift.location.code,
        duty_type=shift.duty_type.value,
        area=shift.location.branch.code,
        demand={role: int(n) for role, n in shift.demand.items()},
        required_skills=frozenset(shift.required_skills),
        required_languages=frozenset(shift.required_languages),
        is_night=shift.is_night,
        is_weekend=shift.is_weekend,
        is_holiday=shift.is_holiday,
        is_tet=shift.is_tet,
        sessions=shift.sessions,
    )


def published_roster(session: Session, centre: Centre, start: date, end: date) -> Roster | None:
    """The published version covering exactly this period, if any."""
    return session.scalar(
        sa.select(Roster).where(
            Roster.centre_id == centre.id,
            Roster.status == RosterStatus.PUBLISHED,
            Roster.period_start == start,
            Roster.period_end == end,
        )
    )


def history(session: Session, centre: Centre, people: Iterable[Person], before: date) -> tuple[sp.History, ...]:
    """Each person's load in the published rosters of the last year before `before`."""
    since = before - timedelta(days=HISTORY_DAYS)
    rows = session.execute(
        sa.select(Assignment.person_id, Shift)
        .join(Roster, Assignment.roster_id == Roster.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(
            Roster.centre_id == centre.id,
            Roster.status == RosterStatus.PUBLISHED,
            Shift.day >= since,
            Shift.day < before,
        )
    ).all()
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    first_day: date | None = None
    for person_id, shift in rows:
        t = totals[person_id]
        t["shifts"] += 1
        t["minutes"] += int((shift.end_at - shift.start_at).total_seconds() // 60)
        t["nights"] += shift.is_night
        t["weekends"] += shift.is_weekend
        t["holidays"] += shift.is_holiday
        t["tet"] += shift.is_tet
        first_day = shift.day if first_day is None else min(first_day, shift.day)
    if first_day is None:
        return ()
    months = max(1.0, (before - first_day).days / 30.0)
    return tuple(
        sp.History(person=p.code, capacity_periods=p.capacity * months, **totals[p.id])
        for p in people
        if p.id in totals
    )


def build_problem(
    session: Session,
    centre: Centre,
    start: date,
    end: date,
    *,
    base: Roster | None = None,
    now: datetime | None = None,
) -> BuiltProblem:
    """The Problem for `centre` from `start` to `end`.

    With `base` (a published roster being repaired), its assignments are the `published` ones to keep where possible,
    and those on shifts that have already started are locked: the past is not rewritten. A future assignment its
    person declined (by SMS reply or on the web) is neither kept nor allowed: the person is unavailable for that
    shift, so the repair moves it to someone else.
    """
    now = now or utcnow()
    settings = centre.rules or {}
    tz = ZoneInfo(centre.timezone)
    people = session.scalars(
        sa.select(Person)
        .where(Person.centre_id == centre.id, Person.active.is_(True))
        .options(selectinload(Person.unavailability), selectinload(Person.preferences), selectinload(Person.branch))
        .order_by(Person.code)
    ).all()
    shift_rows = sorted(materialise_shifts(session, centre, start, end), key=lambda s: (s.start_at, s.id))
    shifts = {str(s.id): s for s in shift_rows}
    by_code = {p.code: p for p in people}
    window_start, window_end = (min((s.start_at for s in shift_rows), default=now),
                                max((s.end_at for s in shift_rows), default=now))

    unavailability = tuple(
        sp.Unavailability(person=p.code, start=u.start_at.astimezone(tz), end=u.end_at.astimezone(tz),
                          reason=u.reason.value)
        for p in people
        for u in p.unavailability
        if u.end_at > window_start and u.start_at < window_end
    )
    preferences = tuple(
        sp.Preference(
            person=p.code, wanted=pref.wanted, weight=pref.weight, day=pref.day, weekday=pref.weekday,
            type=pref.shift_type,
        )
        for p in people
        for pref in p.preferences
    )
    published: tuple[sp.Assignment, ...] = ()
    locked: tuple[sp.Assignment, ...] = ()
    if base is not None:
        declined = [a for a in base.assignments if a.declined_at is not None and str(a.shift_id) in shifts
                    and shifts[str(a.shift_id)].start_at > now and a.person.code in by_code]
        unavailability += tuple(
            sp.Unavailability(person=a.person.code, start=shifts[str(a.shift_id)].start_at.astimezone(tz),
                              end=shifts[str(a.shift_id)].end_at.astimezone(tz), reason="declined")
            for a in declined
        )
        refused = {a.id for a in declined}
        kept = [a for a in base.assignments if str(a.shift_id) in shifts and a.person.code in by_code
                and a.id not in refused]
        published = tuple(sp.Assignment(a.person.code, str(a.shift_id), a.role) for a in kept)
        locked = tuple(
            sp.Assignment(a.person.code, str(a.shift_id), a.role)
            for a in kept
            if a.locked or shifts[str(a.shift_id)].start_at <= now
        )
    problem = sp.Problem(
        people=tuple(to_solver_person(p, settings) for p in people),
        shifts=tuple(to_solver_shift(s, tz) for s in shift_rows),
        unavailability=unavailability,
        preferences=preferences,
        rules=rules_from_settings(settings),
        weights=weights_from_settings(settings),
        history=history(session, centre, people, start),
        locked=locked,
        published=published,
        horizon_start=start,
        horizon_end=end,
    )
    return BuiltProblem(problem=problem, shifts=shifts, people=by_code)
