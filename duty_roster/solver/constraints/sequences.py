"""Day-sequence rules: runs of working days and of days off, and which shift type may follow which.

A person "works on day d" when they start a shift on d (`m.works_on_day`). Days outside the horizon count as off
for the maximum; for the two minimums a run touching the first or last day of the horizon is exempt, because it
may continue in the neighbouring period (the Curtois & Qu reading, also what a centre rostering month by month
wants: a 1-day stretch on the 31st is the start of a longer one in the next month).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from duty_roster.solver.model import Literal, RosterModel


def _forbid_pattern(
    m: RosterModel,
    rule: str,
    on: Sequence[Literal],
    off: Sequence[Literal],
    *,
    person: str,
    message: str,
    params: dict[str, str],
) -> None:
    """Forbid "every literal of `on` is 1 and every literal of `off` is 0" with one clause.

    Constant-0 literals are resolved first (an `on` literal that can never be 1 makes the pattern impossible; an
    `off` one is always satisfied), so a single remaining literal still gets its clause, e.g. a lone working day
    squeezed between two days of leave. When locks alone force the pattern it is left alone with a warning."""
    if any(lit is m.false for lit in on):
        return
    off = [lit for lit in off if lit is not m.false]
    if not off and on and all(m.is_locked(lit) for lit in on):
        m.warn(rule, f"locked assignments break {rule}: {message}", {"person": person, **params})
        return
    if not on and not off:
        return
    m.add_hard(
        rule, m.model.add_bool_or([*(~lit for lit in on), *off]),
        person=person, message=message, params=params,
    )


def _working_days(m: RosterModel, person_id: str) -> list[Literal]:
    return [m.works_on_day(person_id, day) for day in m.days]


def max_consecutive_days(m: RosterModel) -> None:
    """At most `person.max_consecutive_days` working days in a row: every window of limit + 1 consecutive days of
    the horizon holds a day off (days outside the horizon count as off)."""
    for person in m.problem.people:
        limit = person.max_consecutive_days
        if limit is None or len(m.days) <= limit:
            continue
        works = _working_days(m, person.id)
        for i in range(len(m.days) - limit):
            first, last = m.days[i], m.days[i + limit]
            m.at_most(
                "max_consecutive_days", works[i : i + limit + 1], limit, person=person.id,
                message=f"at most {limit} working days in a row ({first} – {last})",
                params={"limit": str(limit), "first_day": str(first), "last_day": str(last)},
            )


def min_consecutive_days(m: RosterModel) -> None:
    """A stretch of working days with a day off on both sides inside the horizon lasts at least
    `person.min_consecutive_days` days (no isolated single working days when the limit is 2)."""
    for person in m.problem.people:
        limit = person.min_consecutive_days
        if limit is None or limit <= 1:
            continue
        works = _working_days(m, person.id)
        for length in range(1, limit):
            for i in range(len(m.days) - length - 1):
                first = m.days[i + 1]
                _forbid_pattern(
                    m, "min_consecutive_days", works[i + 1 : i + 1 + length], [works[i], works[i + length + 1]],
                    person=person.id,
                    message=f"a working stretch of {length} day(s) from {first}; at least {limit} in a row",
                    params={"limit": str(limit), "first_day": str(first), "length": str(length)},
                )


def min_consecutive_days_off(m: RosterModel) -> None:
    """A stretch of days off with work on both sides inside the horizon lasts at least
    `person.min_consecutive_days_off` days (a real rest between working stretches)."""
    for person in m.problem.people:
        limit = person.min_consecutive_days_off
        if limit is None or limit <= 1:
            continue
        works = _working_days(m, person.id)
        for length in range(1, limit):
            for i in range(len(m.days) - length - 1):
                first = m.days[i + 1]
                _forbid_pattern(
                    m, "min_consecutive_days_off", [works[i], works[i + length + 1]], works[i + 1 : i + 1 + length],
                    person=person.id,
                    message=f"only {length} day(s) off from {first}; at least {limit} in a row",
                    params={"limit": str(limit), "first_day": str(first), "length": str(length)},
                )


def forbidden_successions(m: RosterModel) -> None:
    """No shift of type B on the day after a shift of type A for each (A, B) in `rules.forbidden_successions`
    (e.g. no morning court session the day after a night on-call). Nothing is assumed outside the horizon."""
    pairs = m.problem.rules.forbidden_successions
    if not pairs:
        return
    one_day = timedelta(days=1)
    for person in m.problem.people:
        for day in m.days:
            today = [s for s in m.shifts_of_on_day(person.id, day) if any(s.type == a for a, _b in pairs)]
            if not today:
                continue
            tomorrow: date = day + one_day
            for second in m.shifts_of_on_day(person.id, tomorrow):
                for first in today:
                    if (first.type, second.type) not in pairs:
                        continue
                    m.forbid_together(
                        "forbidden_successions",
                        [m.works(person.id, first.id), m.works(person.id, second.id)],
                        person=person.id, shifts=(first.id, second.id),
                        message=f"{second.type} on {tomorrow} may not follow {first.type} on {day}",
                        params={"first": first.id, "second": second.id, "first_type": first.type,
                                "second_type": second.type},
                    )
