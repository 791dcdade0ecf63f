"""How evenly a roster spreads the heavy duties: per person, nights, weekend days, holiday days and work sessions
(buổi) in one roster version (a draft too), next to the running total that adds the centre's published rosters of
the preceding months (what the solver's fairness goals also count as history).

A pure query over the database (no Flask): the grid's fairness chart and per-person page read it. Loads are counted
like the duty-load report (duty_roster/duty_report.py): nights per shift, weekend/holiday/Tết as distinct days,
sessions per Thông tư 02/2021/TT-BTP from each shift's duration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from duty_roster.duty_report import PersonLoad, duty_load
from duty_roster.models import Assignment, Person, PersonKind, Roster, Shift

MEASURES: tuple[str, ...] = ("nights", "weekends", "holidays", "sessions")
HISTORY_MONTHS = 6
DUTY, ASSISTANTS = "duty", "assistants"  # groups compared among themselves (an assistant's load is another job)


def measure(load: PersonLoad, name: str) -> float:
    """One of MEASURES for `load`."""
    values = {"nights": load.nights, "weekends": len(load.weekend_days), "holidays": len(load.holiday_days),
              "sessions": load.sessions}
    return float(values[name])


def months_before(day: date, months: int) -> date:
    """The first day of the month `months` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def roster_assignments(session: Session, roster: Roster, person_id: int | None = None) -> list[Assignment]:
    """The roster's assignments with their shift (location, pattern) and person loaded, in time order."""
    query = (sa.select(Assignment).join(Shift, Assignment.shift_id == Shift.id)
             .where(Assignment.roster_id == roster.id)
             .options(selectinload(Assignment.person), selectinload(Assignment.shift).selectinload(Shift.location),
                      selectinload(Assignment.shift).selectinload(Shift.pattern))
             .order_by(Shift.start_at, Shift.location_id, Assignment.role, Assignment.person_id))
    if person_id is not None:
        query = query.where(Assignment.person_id == person_id)
    return list(session.scalars(query))


def roster_loads(session: Session, roster: Roster) -> dict[int, PersonLoad]:
    """Every active person of the roster's centre and everyone the roster assigns, with their load in it."""
    assignments = roster_assignments(session, roster)
    rostered = {a.person_id for a in assignments}
    people = session.scalars(
        sa.select(Person).where(Person.centre_id == roster.centre_id,
                                sa.or_(Person.active.is_(True), Person.id.in_(rostered)))
        .order_by(Person.code)
    )
    loads = {p.id: PersonLoad(p) for p in people}
    for a in assignments:
        loads[a.person_id].add(a.shift)
    return loads


@dataclass(frozen=True)
class Summary:
    """One measure across a group: its mean and extremes, for the mean line and the verdict (max − min)."""

    measure: str
    mean: float
    minimum: float
    maximum: float

    @property
    def spread(self) -> float:
        return self.maximum - self.minimum


@dataclass(frozen=True)
class FairnessRow:
    person: Person
    period: PersonLoad  # this roster
    previous: PersonLoad  # published rosters of the months before the period

    def value(self, name: str, *, running: bool = False) -> float:
        return measure(self.period, name) + (measure(self.previous, name) if running else 0.0)


@dataclass(frozen=True)
class FairnessGroup:
    name: str  # DUTY or ASSISTANTS
    rows: tuple[FairnessRow, ...]
    period: dict[str, Summary]
    running: dict[str, Summary]


@dataclass(frozen=True)
class Fairness:
    roster: Roster
    history_start: date  # the running total counts published rosters from this day to the day before the period
    groups: tuple[FairnessGroup, ...]

    def row(self, person_id: int) -> FairnessRow | None:
        return next((r for g in self.groups for r in g.rows if r.person.id == person_id), None)


def summarise(rows: Iterable[FairnessRow], *, running: bool) -> dict[str, Summary]:
    rows = list(rows)
    out = {}
    for name in MEASURES:
        values = [r.value(name, running=running) for r in rows] or [0.0]
        out[name] = Summary(name, sum(values) / len(values), min(values), max(values))
    return out


def group_of(person: Person) -> str:
    return ASSISTANTS if person.kind is PersonKind.ASSISTANT else DUTY


def fairness(session: Session, roster: Roster, *, months: int = HISTORY_MONTHS) -> Fairness:
    """Per person: this roster's load and the published load of the `months` months before its period."""
    history_start = months_before(roster.period_start, months)
    history_end = date.fromordinal(roster.period_start.toordinal() - 1)
    previous = {load.person.id: load for load in duty_load(session, roster.centre, history_start, history_end)}
    rows: dict[str, list[FairnessRow]] = {DUTY: [], ASSISTANTS: []}
    for person_id, load in roster_loads(session, roster).items():
        row = FairnessRow(load.person, load, previous.get(person_id) or PersonLoad(load.person))
        rows[group_of(load.person)].append(row)
    groups = tuple(
        FairnessGroup(name, tuple(members), summarise(members, running=False), summarise(members, running=True))
        for name, members in rows.items() if members
    )
    return Fairness(roster, history_start, groups)
