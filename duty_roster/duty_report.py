"""The duty-load report per person and period: shifts, hours, work sessions (buổi) counted per Thông tư
02/2021/TT-BTP, nights, weekend days, holiday and Tết days — from published rosters only (what was really planned)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.models import Assignment, Centre, Person, Roster, RosterStatus, Shift
from duty_roster.solver.sessions import count_sessions

COLUMNS = ("code", "full_name", "kind", "shifts", "hours", "sessions", "nights", "weekend_days", "holiday_days",
           "tet_days")


@dataclass
class PersonLoad:
    person: Person
    shifts: int = 0
    minutes: int = 0
    sessions: float = 0.0
    nights: int = 0
    weekend_days: set[date] = field(default_factory=set)
    holiday_days: set[date] = field(default_factory=set)
    tet_days: set[date] = field(default_factory=set)

    def add(self, shift: Shift) -> None:
        """Count one shift: its minutes, its sessions (buổi) and whether it is a night, weekend, holiday, Tết."""
        duration = shift.end_at - shift.start_at
        self.shifts += 1
        self.minutes += int(duration.total_seconds() // 60)
        self.sessions += count_sessions(duration)
        self.nights += shift.is_night
        if shift.is_weekend:
            self.weekend_days.add(shift.day)
        if shift.is_holiday:
            self.holiday_days.add(shift.day)
        if shift.is_tet:
            self.tet_days.add(shift.day)

    def row(self) -> dict[str, object]:
        return {
            "person_id": self.person.id, "code": self.person.code, "full_name": self.person.full_name,
            "kind": self.person.kind.value, "shifts": self.shifts, "hours": round(self.minutes / 60, 2),
            "sessions": self.sessions, "nights": self.nights, "weekend_days": len(self.weekend_days),
            "holiday_days": len(self.holiday_days), "tet_days": len(self.tet_days),
        }


def duty_load(
    session: Session, centre: Centre, start: date, end: date, *, only_person_id: int | None = None
) -> list[PersonLoad]:
    """Every active person of `centre` (and anyone rostered in the period), with their load from shifts starting
    on days `start`..`end` (inclusive) in published rosters; sessions counted per shift, then summed."""
    people_query = sa.select(Person).where(Person.centre_id == centre.id)
    rows = session.execute(
        sa.select(Assignment.person_id, Shift)
        .join(Shift, Assignment.shift_id == Shift.id)
        .join(Roster, Assignment.roster_id == Roster.id)
        .where(Roster.centre_id == centre.id, Roster.status == RosterStatus.PUBLISHED,
               Shift.day >= start, Shift.day <= end)
    ).all()
    rostered = {person_id for person_id, _ in rows}
    people_query = people_query.where(sa.or_(Person.active.is_(True), Person.id.in_(rostered)))
    if only_person_id is not None:
        people_query = people_query.where(Person.id == only_person_id)
    loads = {p.id: PersonLoad(p) for p in session.scalars(people_query.order_by(Person.code))}
    for person_id, shift in rows:
        load = loads.get(person_id)
        if load is not None:
            load.add(shift)
    return list(loads.values())
