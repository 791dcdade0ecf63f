"""Time between shifts: no overlap, minimum rest, rest after a long on-call, consecutive nights."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from duty_roster.solver.model import RosterModel, describe_shift
from duty_roster.solver.problem import Shift


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:g}"


def _overlap_message(group: list[Shift]) -> str:
    return "overlapping shifts " + ", ".join(describe_shift(s) for s in group)


def _rest_message(rest: timedelta, first: Shift, second: Shift) -> str:
    return f"less than {_hours(rest)} h rest between {describe_shift(first)} and {describe_shift(second)}"


def _long_rest_message(rest: timedelta, first: Shift) -> str:
    return f"{_hours(rest)} h rest after the {_hours(first.duration)} h shift {describe_shift(first)}"


def no_overlap(m: RosterModel) -> None:
    """Nobody works two shifts at once: at most one shift in each group of mutually overlapping shifts."""
    for person in m.problem.people:
        for group in m.overlap_cliques(person.id):
            ids = tuple(s.id for s in group)
            m.at_most("no_overlap", [m.works(person.id, s.id) for s in group], 1, person=person.id, shifts=ids,
                      message=partial(_overlap_message, group),
                      params={"shifts": ",".join(ids)})


def minimum_rest(m: RosterModel) -> None:
    """At least `rules.min_rest` between working days: no shift may start less than that after the end of a shift
    that started on an earlier day. Shifts starting on the same local day form one working day and are exempt
    (the morning and afternoon court sessions of one day)."""
    rest = m.problem.rules.min_rest
    if rest is None or rest <= timedelta(0):
        return
    hours = _hours(rest)
    for person in m.problem.people:
        for first in m.shifts_of(person.id):
            for second in m.following_within(person.id, first, rest):
                if second.day == first.day:
                    continue
                m.forbid_together(
                    "minimum_rest", [m.works(person.id, first.id), m.works(person.id, second.id)],
                    person=person.id, shifts=(first.id, second.id),
                    message=partial(_rest_message, rest, first, second),
                    params={"first": first.id, "second": second.id, "hours": hours},
                )


def rest_after_long_shift(m: RosterModel) -> None:
    """No shift starts within `rules.rest_after_long_shift` after the end of a shift lasting at least
    `rules.long_shift` (default: a day off after a 24 h on-call)."""
    rules = m.problem.rules
    rest = rules.rest_after_long_shift
    if rest is None or rest <= timedelta(0):
        return
    hours = _hours(rest)
    for person in m.problem.people:
        for first in m.shifts_of(person.id):
            if first.duration < rules.long_shift:
                continue
            for second in m.following_within(person.id, first, rest):
                m.forbid_together(
                    "rest_after_long_shift", [m.works(person.id, first.id), m.works(person.id, second.id)],
                    person=person.id, shifts=(first.id, second.id),
                    message=partial(_long_rest_message, rest, first),
                    params={"first": first.id, "second": second.id, "hours": hours},
                )


def max_consecutive_nights(m: RosterModel) -> None:
    """At most `rules.max_consecutive_nights` nights (shifts with `is_night`) on consecutive days."""
    limit = m.problem.rules.max_consecutive_nights
    if limit is None or len(m.days) <= limit:
        return
    for person in m.problem.people:
        nights = []
        for day in m.days:
            lits = [m.works(person.id, s.id) for s in m.shifts_of_on_day(person.id, day) if s.is_night]
            nights.append(m.any_of(lits, f"night[{person.id},{day}]"))
        for i in range(len(m.days) - limit):
            window = nights[i : i + limit + 1]
            first, last = m.days[i], m.days[i + limit]
            m.at_most(
                "max_consecutive_nights", window, limit, person=person.id,
                message=f"at most {limit} nights in a row ({first} – {last})",
                params={"limit": str(limit), "from": str(first), "to": str(last)},
            )
