"""A greedy first roster, to hint CP-SAT.

Why: with coverage elastic, CP-SAT's first solution is "nobody works" and on a province-sized month (60 people,
~600 slots) its search needed tens of seconds to fill the slots, before it could even start on fairness. A greedy
pass fills most slots in milliseconds; hinted with it, CP-SAT starts from a covered roster.

The greedy fills the scarcest slots first (fewest candidates), each with the candidate furthest below their
capacity-proportional share of hours, checking the time rules this module knows: overlap, minimum rest between
working days, rest after a long shift, consecutive nights, one shift per day when `max_shifts_per_day` is 1, weekly
and monthly capacity, one role per shift. Other hard rules are not checked here; a hint need not be feasible (CP-SAT
repairs it), it only has to be a good place to start.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import date, timedelta

from duty_roster.solver.constraints.capacity import week_of
from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import Assignment, Shift


class _Person:
    """What has been given to one person so far."""

    def __init__(self) -> None:
        self.starts: list = []  # sorted shift starts, parallel to `shifts`
        self.shifts: list[Shift] = []
        self.weeks: dict[date, int] = defaultdict(int)
        self.months: dict[tuple[int, int], int] = defaultdict(int)
        self.days: dict[date, int] = defaultdict(int)
        self.night_days: set[date] = set()
        self.minutes = 0

    def add(self, shift: Shift, week_start: int) -> None:
        i = bisect.bisect(self.starts, shift.start)
        self.starts.insert(i, shift.start)
        self.shifts.insert(i, shift)
        self.weeks[week_of(shift.day, week_start)] += 1
        self.months[shift.day.year, shift.day.month] += 1
        self.days[shift.day] += 1
        if shift.is_night:
            self.night_days.add(shift.day)
        self.minutes += shift.minutes


def greedy_roster(m: RosterModel) -> list[Assignment]:
    """Assignments for as many slots as the greedy can fill (see the module docstring)."""
    problem, rules = m.problem, m.problem.rules
    people = {p.id: p for p in problem.people}
    history = {h.person: h for h in problem.history}
    given = {pid: _Person() for pid in people}
    window = max(
        [d for d in (rules.min_rest, rules.rest_after_long_shift) if d is not None], default=timedelta(0)
    ) + max((s.duration for s in problem.shifts), default=timedelta(0))

    def allowed(pid: str, shift: Shift) -> bool:
        person, mine = people[pid], given[pid]
        if rules.max_shifts_per_day is not None and mine.days[shift.day] >= rules.max_shifts_per_day:
            return False
        if person.max_shifts_per_week is not None and \
                mine.weeks[week_of(shift.day, rules.week_start)] >= person.max_shifts_per_week:
            return False
        if person.max_shifts_per_month is not None and \
                mine.months[shift.day.year, shift.day.month] >= person.max_shifts_per_month:
            return False
        lo = bisect.bisect_left(mine.starts, shift.start - window)
        hi = bisect.bisect_right(mine.starts, shift.end + window)
        for other in mine.shifts[lo:hi]:
            if other.id == shift.id or (other.start < shift.end and shift.start < other.end):
                return False
            first, second = (other, shift) if other.start < shift.start else (shift, other)
            gap = second.start - first.end
            if rules.min_rest is not None and first.day != second.day and gap < rules.min_rest:
                return False
            if rules.rest_after_long_shift is not None and first.duration >= rules.long_shift \
                    and gap < rules.rest_after_long_shift:
                return False
        if shift.is_night and rules.max_consecutive_nights is not None:
            run = 1
            for step in (-1, 1):
                d = shift.day + timedelta(days=step)
                while d in mine.night_days:
                    run += 1
                    d += timedelta(days=step)
            if run > rules.max_consecutive_nights:
                return False
        return True

    def behind(pid: str) -> float:
        """Minutes worked (with history) per unit of capacity: lower means further below their share."""
        h = history.get(pid)
        capacity = people[pid].capacity + (h.capacity_periods if h is not None else 0.0)
        worked = given[pid].minutes + (h.minutes if h is not None else 0)
        return worked / capacity if capacity > 0 else float("inf")

    chosen: list[Assignment] = []
    filled: dict[tuple[str, str], int] = defaultdict(int)
    for pid, shift_id, role in sorted(m.locked_keys):  # locks first: they stand whatever the rules say
        given[pid].add(problem.shift(shift_id), rules.week_start)
        filled[shift_id, role] += 1
        chosen.append(Assignment(pid, shift_id, role))
    slots = []
    for shift in m.shifts_sorted:
        for role, demand in shift.demand.items():
            candidates = [person.id for person, _r, _v in m.vars_for_shift(shift.id, role)]
            for _ in range(demand - filled[shift.id, role]):
                slots.append((len(candidates), shift.start, shift.id, role, candidates))
    slots.sort(key=lambda s: (s[0], s[1], s[2], s[3]))
    for _n, _start, shift_id, role, candidates in slots:
        shift = problem.shift(shift_id)
        fitting = [pid for pid in candidates if allowed(pid, shift)]
        if not fitting:
            continue
        pid = min(fitting, key=lambda p: (behind(p), p))
        given[pid].add(shift, rules.week_start)
        chosen.append(Assignment(pid, shift_id, role))
    return chosen
