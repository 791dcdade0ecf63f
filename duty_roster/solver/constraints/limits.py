"""Per-person and per-day count limits: shifts of a type, total minutes, shifts per day.

Centres use them for contracts ("at most 4 night on-calls a month", "between 120 and 160 hours"), and they are also
rules 1, 3 and 4 of the Curtois & Qu benchmark.
"""

from __future__ import annotations

from collections import defaultdict

from duty_roster.solver.model import RosterModel


def max_shifts_per_type(m: RosterModel) -> None:
    """`person.max_shifts_per_type[type]` bounds how many shifts of that type a person takes over the horizon;
    0 means never (e.g. a lawyer who does no night on-call). Types not listed are unbounded."""
    for person in m.problem.people:
        if not person.max_shifts_per_type:
            continue
        by_type: dict[str, list] = defaultdict(list)
        for shift in m.shifts_of(person.id):
            by_type[shift.type].append(m.works(person.id, shift.id))
        for shift_type, limit in sorted(person.max_shifts_per_type.items()):
            lits = by_type.get(shift_type, [])
            m.at_most(
                "max_shifts_per_type", lits, limit, person=person.id,
                message=f"at most {limit} {shift_type} shifts",
                params={"type": shift_type, "limit": str(limit)},
            )


def total_minutes(m: RosterModel) -> None:
    """`person.min_total_minutes <= minutes worked <= person.max_total_minutes` over the horizon (contract hours).

    A minimum the person cannot reach even by taking every shift open to them (long leave, say) is lowered to that
    reachable total with a warning, instead of making the whole roster infeasible."""
    for person in m.problem.people:
        low, high = person.min_total_minutes, person.max_total_minutes
        if low is None and high is None:
            continue
        shifts = m.shifts_of(person.id)
        lits = [m.works(person.id, s.id) for s in shifts]
        minutes = [s.minutes for s in shifts]
        if high is not None:
            m.at_most(
                "total_minutes", lits, high, coefficients=minutes, person=person.id,
                message=f"at most {high} minutes in total",
                params={"bound": "max", "minutes": str(high)},
            )
        if low is not None and low > 0:
            reachable = sum(minutes)
            if reachable < low:
                m.warn(
                    "total_minutes",
                    f"{person.id} can work at most {reachable} minutes, less than the minimum {low}",
                    {"person": person.id, "minutes": str(low), "reachable": str(reachable)},
                )
                low = reachable
            if low > 0:
                m.add_hard(
                    "total_minutes", sum(c * lit for c, lit in zip(minutes, lits, strict=True)) >= low,
                    person=person.id, message=f"at least {low} minutes in total",
                    params={"bound": "min", "minutes": str(low)},
                )


def max_shifts_per_day(m: RosterModel) -> None:
    """At most `rules.max_shifts_per_day` shifts starting on the same day per person (1 in the benchmark; centres
    usually leave it off so one person can sit both court sessions of a day).

    With a limit of 1 "works on day d" equals the sum of that day's shift literals; stating that equality gives the
    LP relaxation the exact link between days and shifts, which the day-based rules (consecutive days, weekends)
    rely on for a useful objective bound."""
    limit = m.problem.rules.max_shifts_per_day
    if limit is None:
        return
    for person in m.problem.people:
        for day in m.days:
            shifts = m.shifts_of_on_day(person.id, day)
            lits = [m.works(person.id, s.id) for s in shifts]
            if len(lits) <= limit:
                continue
            message = f"at most {limit} shift(s) on {day}"
            params = {"day": str(day), "limit": str(limit)}
            if limit == 1 and not any(m.is_locked(lit) for lit in lits):
                m.add_hard(
                    "max_shifts_per_day", [sum(lits) <= 1, m.works_on_day(person.id, day) == sum(lits)],
                    person=person.id, shifts=tuple(s.id for s in shifts), message=message, params=params,
                )
            else:
                m.at_most(
                    "max_shifts_per_day", lits, limit, person=person.id, shifts=tuple(s.id for s in shifts),
                    message=message, params=params,
                )
