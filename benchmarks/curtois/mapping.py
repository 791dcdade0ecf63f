"""Curtois & Qu instance <-> the solver's Problem/Solution: the benchmark is expressed with the ordinary fields.

Nothing here is a benchmark-only model: each benchmark rule maps onto a Person/Rules field that a legal-aid centre can
set too (max shifts per type, total minutes, consecutive-day limits, weekends, forbidden successions, days off as
unavailability, shift on/off requests as preferences, elastic coverage with per-shift under/over weights).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from benchmarks.curtois.parser import Instance
from duty_roster.solver.problem import DUTY, Person, Preference, Problem, Rules, Shift, Unavailability, Weights
from duty_roster.solver.solution import Solution

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY0 = date(2024, 1, 1)  # a Monday, as day 0 of every instance
SHIFT_START = time(8, 0)  # the benchmark has no clock times; 08:00 + at most 12 h stays within the day


def shift_id(day: int, shift_type: str) -> str:
    return f"d{day:03d}-{shift_type}"


@dataclass(frozen=True)
class Mapped:
    """A Problem plus the way back from its shift ids to (day index, shift type)."""

    instance: Instance
    problem: Problem
    slots: dict[str, tuple[int, str]]  # Shift.id -> (day, shift type)

    def roster(self, solution: Solution) -> dict[str, list[str | list[str] | None]]:
        return to_roster(self, solution)


def to_problem(instance: Instance) -> Mapped:
    """Instance -> Problem (one Shift per (day, shift type), demand {duty: requirement})."""
    minutes = {s.id: s.minutes for s in instance.shifts}
    shifts: list[Shift] = []
    slots: dict[str, tuple[int, str]] = {}
    for c in sorted(instance.cover, key=lambda c: (c.day, [s.id for s in instance.shifts].index(c.shift))):
        day = DAY0 + timedelta(days=c.day)
        start = datetime.combine(day, SHIFT_START, tzinfo=TZ)
        sid = shift_id(c.day, c.shift)
        shifts.append(
            Shift(
                id=sid,
                start=start,
                end=start + timedelta(minutes=minutes[c.shift]),
                day=day,
                type=c.shift,
                demand={DUTY: c.requirement},
                is_weekend=day.weekday() >= 5,
                under_weight=c.weight_under,
                over_weight=c.weight_over,
            )
        )
        slots[sid] = (c.day, c.shift)

    people = tuple(
        Person(
            id=s.id,
            name=s.id,
            max_shifts_per_type=dict(s.max_shifts),
            min_total_minutes=s.min_total_minutes,
            max_total_minutes=s.max_total_minutes,
            max_consecutive_days=s.max_consecutive_shifts,
            min_consecutive_days=s.min_consecutive_shifts,
            min_consecutive_days_off=s.min_consecutive_days_off,
            max_weekends=s.max_weekends,
        )
        for s in instance.staff
    )

    unavailability = tuple(
        Unavailability(
            person=sid,
            start=datetime.combine(DAY0 + timedelta(days=d), time(0), tzinfo=TZ),
            end=datetime.combine(DAY0 + timedelta(days=d + 1), time(0), tzinfo=TZ),
            reason="day_off",
        )
        for sid, days in instance.days_off.items()
        for d in days
    )

    preferences = tuple(
        Preference(person=r.staff, wanted=True, weight=r.weight, day=DAY0 + timedelta(days=r.day), type=r.shift)
        for r in instance.on_requests
    ) + tuple(
        Preference(person=r.staff, wanted=False, weight=r.weight, day=DAY0 + timedelta(days=r.day), type=r.shift)
        for r in instance.off_requests
    )

    rules = Rules(
        min_rest=None,
        rest_after_long_shift=None,
        max_consecutive_nights=None,
        max_shifts_per_day=1,
        forbidden_successions=frozenset((s.id, u) for s in instance.shifts for u in s.cannot_follow),
    )
    problem = Problem(
        people=people,
        shifts=tuple(shifts),
        unavailability=unavailability,
        preferences=preferences,
        rules=rules,
        weights=Weights(preference=1),
        horizon_start=DAY0,
        horizon_end=DAY0 + timedelta(days=instance.horizon - 1),
        soft_goals=("preferences",),
    )
    return Mapped(instance=instance, problem=problem, slots=slots)


def to_roster(mapped: Mapped, solution: Solution) -> dict[str, list[str | list[str] | None]]:
    """Solution -> {staff id: [shift type or None per day]} (a list when a day holds several shifts)."""
    horizon = mapped.instance.horizon
    roster: dict[str, list[str | list[str] | None]] = {s.id: [None] * horizon for s in mapped.instance.staff}
    for a in solution.assignments:
        day, shift_type = mapped.slots[a.shift]
        current = roster[a.person][day]
        if current is None:
            roster[a.person][day] = shift_type
        elif isinstance(current, list):
            current.append(shift_type)
        else:
            roster[a.person][day] = [current, shift_type]
    return roster
