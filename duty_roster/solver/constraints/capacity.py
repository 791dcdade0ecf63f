"""Capacity: at most N shifts per week and per calendar month, per person (contract / FTE)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from duty_roster.solver.model import RosterModel


def week_of(day: date, week_start: int) -> date:
    """First day of the week containing `day`, weeks starting on weekday `week_start` (0 = Monday)."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def capacity(m: RosterModel) -> None:
    """`person.max_shifts_per_week` (weeks start on `rules.week_start`) and `person.max_shifts_per_month`
    (calendar months) bound the number of shifts a person takes; shifts are counted on their start day."""
    week_start = m.problem.rules.week_start
    for person in m.problem.people:
        if person.max_shifts_per_week is None and person.max_shifts_per_month is None:
            continue
        weeks: dict[date, list] = defaultdict(list)
        months: dict[tuple[int, int], list] = defaultdict(list)
        for shift in m.shifts_of(person.id):
            lit = m.works(person.id, shift.id)
            weeks[week_of(shift.day, week_start)].append(lit)
            months[shift.day.year, shift.day.month].append(lit)
        if person.max_shifts_per_week is not None:
            limit = person.max_shifts_per_week
            for week, lits in sorted(weeks.items()):
                m.at_most("capacity", lits, limit, person=person.id,
                          message=f"weekly limit {limit} reached (week from {week})",
                          params={"limit": str(limit), "period": "week", "week": str(week)})
        if person.max_shifts_per_month is not None:
            limit = person.max_shifts_per_month
            for (year, month), lits in sorted(months.items()):
                m.at_most("capacity", lits, limit, person=person.id,
                          message=f"monthly limit {limit} reached ({year}-{month:02d})",
                          params={"limit": str(limit), "period": "month", "month": f"{year}-{month:02d}"})
