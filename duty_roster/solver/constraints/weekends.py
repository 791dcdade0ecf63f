"""Weekends: how many weekends a person may work in the period."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from duty_roster.solver.model import RosterModel


def max_weekends(m: RosterModel) -> None:
    """At most `person.max_weekends` weekends worked. A weekend is the Saturday and Sunday of one Monday-week; it is
    worked when the person takes any weekend shift (`Shift.is_weekend`) in it, one day or both (the same reading
    as validate.py and the Curtois & Qu benchmark)."""
    for person in m.problem.people:
        limit = person.max_weekends
        if limit is None:
            continue
        weekends: dict[date, list] = defaultdict(list)
        for shift in m.shifts_of(person.id):
            if shift.is_weekend:
                weekends[shift.day - timedelta(days=shift.day.weekday())].append(m.works(person.id, shift.id))
        if len(weekends) <= limit:
            continue
        worked = [m.any_of(lits, f"weekend[{person.id},{monday}]") for monday, lits in sorted(weekends.items())]
        m.at_most(
            "max_weekends", worked, limit, person=person.id,
            message=f"at most {limit} weekend(s) worked",
            params={"limit": str(limit)},
        )
