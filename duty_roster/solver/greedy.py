"""A greedy first roster, to hint CP-SAT.

Why: with coverage elastic, CP-SAT's first solution is "nobody works" and on a province-sized month (60 people,
~600 slots) its search needed tens of seconds to fill the slots, before it could even start on fairness. A greedy
pass fills most slots in milliseconds; hinted with it, CP-SAT starts from a covered roster.

The greedy fills the scarcest slots first (fewest candidates), each with the candidate whom it brings closest to
their fairness targets (`RosterModel.fair_goals`, built by constraints/fairness.py; ties and models without fairness
goals: the one furthest below their capacity-proportional share of hours), then improves the roster with a few
passes of hand-overs and two-person exchanges towards those targets. On province M that first roster is 2.5x closer
to the targets than capacity-share filling, and CP-SAT, which barely improves a hint of this size in 10 s, keeps
it. The fill and the passes check the time rules this module knows: overlap, minimum rest between
working days, rest after a long shift, consecutive nights, one shift per day when `max_shifts_per_day` is 1, weekly
and monthly capacity, one role per shift. Other hard rules are not checked here; a hint need not be feasible (CP-SAT
repairs it), it only has to be a good place to start.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from duty_roster.solver.constraints.capacity import week_of
from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import Assignment, Shift

IMPROVE_PASSES = 3  # hand-over and exchange passes after the greedy fill
# Exchanges weighed per pass: SWAP_WORK per assignment, at most SWAP_CAP (counted, not timed, so deterministic).
# Province M (loaded 2-core machine): 3 passes ~1.2 s, the roster 17.4k from the targets (31.1k without
# exchanges; SWAP_WORK 120: 15.1k in 2.4 s, too much of a 10 s solve). A year (L): an unbounded pass took minutes
# in Python and one of 800k found no exchange in 14 s, hence the cap. Filtering pairs (only people above / below
# target) was cheaper but left M 15-20 % further from the targets.
SWAP_WORK = 60
SWAP_CAP = 100_000


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

    def remove(self, shift: Shift, week_start: int) -> None:
        i = self.shifts.index(shift)
        del self.starts[i], self.shifts[i]
        self.weeks[week_of(shift.day, week_start)] -= 1
        self.months[shift.day.year, shift.day.month] -= 1
        self.days[shift.day] -= 1
        if shift.is_night and not any(s.is_night and s.day == shift.day for s in self.shifts):
            self.night_days.discard(shift.day)
        self.minutes -= shift.minutes


def greedy_roster(m: RosterModel, keep: Iterable[Assignment] = ()) -> list[Assignment]:
    """Assignments for as many slots as the greedy can fill (see the module docstring).

    `keep` (repair): assignments of the published roster, kept wherever they are still allowed before the rest is
    filled; the exchange passes are skipped then, so the start changes the published roster only where it must."""
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

    goals = [g for g in m.fair_goals if g.targets]
    counted = {pid: [0] * len(goals) for pid in people}  # per person, per goal: scaled units so far
    # per person and per-day goal: day -> shifts counted that day (a day counts once)
    counted_days: dict[tuple[str, int], dict[date, int]] = defaultdict(lambda: defaultdict(int))

    def change(pid: str, shift: Shift, sign: int) -> list[int]:
        """What each fairness goal adds (sign 1) or loses (sign -1) if `pid` takes or gives up `shift`."""
        out = []
        for k, g in enumerate(goals):
            amount = g.amount(shift)
            if amount and g.per_day and counted_days[pid, k][shift.day] > (0 if sign > 0 else 1):
                amount = 0
            out.append(sign * amount)
        return out

    def cost(pid: str, shift: Shift, sign: int = 1) -> int:
        """How much further from their fairness targets (weighted) taking (giving up) `shift` moves `pid`."""
        total = 0
        for k, (g, add) in enumerate(zip(goals, change(pid, shift, sign), strict=True)):
            if add:
                t, c = g.targets.get(pid, 0), counted[pid][k]
                total += g.weight * (abs(c + add - t) - abs(c - t))
        return total

    def book(pid: str, shift: Shift, sign: int) -> None:
        for k, add in enumerate(change(pid, shift, sign)):
            counted[pid][k] += add
        for k, g in enumerate(goals):
            if g.per_day and g.amount(shift):
                counted_days[pid, k][shift.day] += sign
        if sign > 0:
            given[pid].add(shift, rules.week_start)
        else:
            given[pid].remove(shift, rules.week_start)

    def give(pid: str, shift: Shift, role: str) -> None:
        book(pid, shift, 1)
        chosen.append(Assignment(pid, shift.id, role))

    chosen: list[Assignment] = []
    filled: dict[tuple[str, str], int] = defaultdict(int)
    for pid, shift_id, role in sorted(m.locked_keys):  # locks first: they stand whatever the rules say
        give(pid, problem.shift(shift_id), role)
        filled[shift_id, role] += 1
    keep = [a for a in keep if (a.person, a.shift, a.role) in m.x and (a.person, a.shift, a.role) not in m.locked_keys]
    for a in keep:
        shift = problem.shift(a.shift)
        if filled[a.shift, a.role] < shift.demand.get(a.role, 0) and allowed(a.person, shift):
            give(a.person, shift, a.role)
            filled[a.shift, a.role] += 1
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
        pid = min(fitting, key=lambda p: (cost(p, shift), behind(p), p))
        give(pid, shift, role)
    def delta(pid: str, out: Shift, into: Shift) -> int:
        """How much `pid` swapping `out` for `into` changes their weighted distance to the targets."""
        total = 0
        for k, g in enumerate(goals):
            lose, add = g.amount(out), g.amount(into)
            if not lose and not add:
                continue
            if g.per_day:
                on_day = counted_days[pid, k]
                left = on_day[out.day] - (1 if lose else 0)
                lose = lose if left == 0 else 0
                add = add if (on_day[into.day] - (1 if lose and into.day == out.day else 0)) <= 0 else 0
                if into.day == out.day and left > 0:
                    add = 0
            if lose != add:
                t, c = g.targets.get(pid, 0), counted[pid][k]
                total += g.weight * (abs(c - lose + add - t) - abs(c - t))
        return total

    if goals and not keep:
        _improve(chosen, m, allowed, cost, book, delta)
    return chosen


def _improve(chosen: list[Assignment], m: RosterModel, allowed: Callable[[str, Shift], bool],
             cost: Callable[..., int], book: Callable[[str, Shift, int], None],
             delta: Callable[[str, Shift, Shift], int]) -> None:
    """Hand single slots over to whoever it brings closer to the fairness targets, while that helps (a few
    passes, counted, never timed, so the hint and hence the solve stay deterministic). Measured on province M:
    see fairness.py."""
    problem = m.problem
    candidates: dict[tuple[str, str], list[str]] = {}
    swapping = True
    for _ in range(IMPROVE_PASSES):
        moved = 0
        for i, a in enumerate(chosen):
            if (a.person, a.shift, a.role) in m.locked_keys:
                continue
            shift = problem.shift(a.shift)
            key = (a.shift, a.role)
            if key not in candidates:
                candidates[key] = [person.id for person, _r, _v in m.vars_for_shift(a.shift, a.role)]
            book(a.person, shift, -1)
            keep = cost(a.person, shift)
            best, best_gain = a.person, 0
            for pid in candidates[key]:
                if pid != a.person:
                    gain = keep - cost(pid, shift)
                    if gain > best_gain and allowed(pid, shift):
                        best, best_gain = pid, gain
            book(best, shift, 1)
            if best != a.person:
                chosen[i] = Assignment(best, a.shift, a.role)
                moved += 1
        exchanged = _swap_pass(chosen, m, allowed, book, delta, candidates) if swapping else 0
        swapping = exchanged > 0
        if not moved + exchanged:
            break


def _swap_pass(chosen: list[Assignment], m: RosterModel, allowed: Callable[[str, Shift], bool],
               book: Callable[[str, Shift, int], None], delta: Callable[[str, Shift, Shift], int],
               candidates: dict[tuple[str, str], list[str]]) -> int:
    """Two people exchange one slot each when that brings both sides together closer to the targets: a single
    hand-over is often blocked by a monthly shift limit (someone at 20 court sessions needs to give one up to take a
    24 h on-call)."""
    problem = m.problem
    eligible = {key: set(pids) for key, pids in candidates.items()}
    where: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(chosen):
        where[a.person].append(i)
    moved = 0
    budget = min(SWAP_WORK * len(chosen), SWAP_CAP)
    for i in range(len(chosen)):
        a = chosen[i]
        if budget <= 0:
            break
        if (a.person, a.shift, a.role) in m.locked_keys or (a.shift, a.role) not in eligible:
            continue
        sa = problem.shift(a.shift)
        best: tuple[int, int] | None = None
        for q in candidates[a.shift, a.role]:
            if q == a.person:
                continue
            for j in where[q]:
                b = chosen[j]
                if b.person != q or b.shift == a.shift or (b.person, b.shift, b.role) in m.locked_keys:
                    continue
                if a.person not in eligible.get((b.shift, b.role), ()):
                    continue
                sb = problem.shift(b.shift)
                budget -= 1
                change = delta(a.person, sa, sb) + delta(q, sb, sa)
                if change < (best[0] if best else 0):
                    best = (change, j)
        if best is None:
            continue
        b = chosen[best[1]]
        sb = problem.shift(b.shift)
        book(a.person, sa, -1)
        book(b.person, sb, -1)
        if allowed(a.person, sb):
            book(a.person, sb, 1)
            if allowed(b.person, sa):
                book(b.person, sa, 1)
                chosen[i] = Assignment(a.person, b.shift, b.role)
                chosen[best[1]] = Assignment(b.person, a.shift, a.role)
                where[a.person].append(best[1])
                where[b.person].append(i)
                moved += 1
                continue
            book(a.person, sb, -1)
        book(a.person, sa, 1)
        book(b.person, sb, 1)
    return moved
