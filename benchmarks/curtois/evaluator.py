"""An independent checker for Curtois & Qu rosters (README §3.1 hard constraints, §3.2 objective).

Deliberately shares no code with the solver: it reads the roster as plain data ({staff id: [shift id or None per
day]}) and re-derives everything with simple loops over runs of days, so a bug in the CP-SAT model cannot hide
behind the same bug here. A day may also hold a list of shift ids, so that "two shifts on one day" can be reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from benchmarks.curtois.parser import Instance

DayEntry = str | None | Sequence[str]
Roster = Mapping[str, Sequence[DayEntry]]

# Violation kinds, one per hard constraint of README §3.1 (plus the roster's own shape).
SHAPE = "roster_shape"
UNKNOWN_SHIFT = "unknown_shift"
ONE_SHIFT_PER_DAY = "one_shift_per_day"
SHIFT_ROTATION = "shift_rotation"
MAX_SHIFTS = "max_shifts_per_type"
MAX_MINUTES = "max_total_minutes"
MIN_MINUTES = "min_total_minutes"
MAX_CONSECUTIVE = "max_consecutive_shifts"
MIN_CONSECUTIVE = "min_consecutive_shifts"
MIN_DAYS_OFF = "min_consecutive_days_off"
MAX_WEEKENDS = "max_weekends"
DAYS_OFF = "days_off"


@dataclass(frozen=True)
class Violation:
    kind: str
    staff: str
    day: int | None
    message: str


@dataclass
class Evaluation:
    objective: int
    violations: list[Violation] = field(default_factory=list)
    breakdown: dict[str, int] = field(default_factory=dict)  # on_requests, off_requests, under_cover, over_cover

    @property
    def feasible(self) -> bool:
        return not self.violations

    def kinds(self) -> set[str]:
        return {v.kind for v in self.violations}


def _day_shifts(entry: DayEntry) -> tuple[str, ...]:
    if entry is None or entry == "":
        return ()
    if isinstance(entry, str):
        return (entry,)
    return tuple(entry)


def _runs(worked: list[bool]) -> list[tuple[bool, int, int]]:
    """Maximal runs as (worked?, first day, length)."""
    runs: list[tuple[bool, int, int]] = []
    start = 0
    for d in range(1, len(worked) + 1):
        if d == len(worked) or worked[d] != worked[start]:
            runs.append((worked[start], start, d - start))
            start = d
    return runs


def evaluate(instance: Instance, roster: Roster) -> Evaluation:
    """Check every hard constraint and compute the objective (computed even when the roster is infeasible)."""
    horizon = instance.horizon
    minutes = {s.id: s.minutes for s in instance.shifts}
    cannot_follow = {s.id: set(s.cannot_follow) for s in instance.shifts}
    violations: list[Violation] = []

    def flag(kind: str, staff: str, day: int | None, message: str) -> None:
        violations.append(Violation(kind, staff, day, message))

    staff_ids = [s.id for s in instance.staff]
    for extra in sorted(set(roster) - set(staff_ids)):
        flag(SHAPE, extra, None, f"{extra} is not an employee of {instance.name}")

    # days[staff][d] = shifts worked on d (known shift ids only)
    days: dict[str, list[tuple[str, ...]]] = {}
    for sid in staff_ids:
        entries = list(roster.get(sid, [None] * horizon))
        if sid not in roster:
            flag(SHAPE, sid, None, f"{sid} is missing from the roster")
        if len(entries) != horizon:
            flag(SHAPE, sid, None, f"{sid} has {len(entries)} days, the horizon has {horizon}")
            entries = (entries + [None] * horizon)[:horizon]
        row: list[tuple[str, ...]] = []
        for d, entry in enumerate(entries):
            shifts = _day_shifts(entry)
            for t in shifts:
                if t not in minutes:
                    flag(UNKNOWN_SHIFT, sid, d, f"{sid} day {d}: unknown shift {t!r}")
            row.append(tuple(t for t in shifts if t in minutes))
        days[sid] = row

    for person in instance.staff:
        sid = person.id
        row = days[sid]
        worked = [bool(shifts) for shifts in row]
        # 1. one shift per day
        for d, shifts in enumerate(row):
            if len(shifts) > 1:
                flag(ONE_SHIFT_PER_DAY, sid, d, f"{sid} day {d}: {len(shifts)} shifts {list(shifts)}")
        # 2. shift rotation
        for d in range(horizon - 1):
            for t in row[d]:
                for u in row[d + 1]:
                    if u in cannot_follow[t]:
                        flag(SHIFT_ROTATION, sid, d, f"{sid}: {t} on day {d} then {u} on day {d + 1}")
        # 3. max shifts per type
        counts: dict[str, int] = {}
        for shifts in row:
            for t in shifts:
                counts[t] = counts.get(t, 0) + 1
        for t, n in counts.items():
            limit = person.max_shifts.get(t, horizon)
            if n > limit:
                flag(MAX_SHIFTS, sid, None, f"{sid}: {n} shifts of type {t}, at most {limit}")
        # 4. total minutes
        total = sum(minutes[t] for shifts in row for t in shifts)
        if total > person.max_total_minutes:
            flag(MAX_MINUTES, sid, None, f"{sid}: {total} minutes, at most {person.max_total_minutes}")
        if total < person.min_total_minutes:
            flag(MIN_MINUTES, sid, None, f"{sid}: {total} minutes, at least {person.min_total_minutes}")
        # 5-7. runs of worked days and days off; runs touching a border are exempt from the minimums
        for is_work, first, length in _runs(worked):
            last = first + length - 1
            inner = first > 0 and last < horizon - 1
            if is_work and length > person.max_consecutive_shifts:
                flag(MAX_CONSECUTIVE, sid, first,
                     f"{sid}: {length} days in a row from day {first}, at most {person.max_consecutive_shifts}")
            if is_work and inner and length < person.min_consecutive_shifts:
                flag(MIN_CONSECUTIVE, sid, first,
                     f"{sid}: {length} days in a row from day {first}, at least {person.min_consecutive_shifts}")
            if not is_work and inner and length < person.min_consecutive_days_off:
                flag(MIN_DAYS_OFF, sid, first,
                     f"{sid}: {length} days off from day {first}, at least {person.min_consecutive_days_off}")
        # 8. weekends (Sat = 7k+5, Sun = 7k+6; worked if either)
        weekends = sum(
            1
            for k in range((horizon + 6) // 7)
            if any(worked[d] for d in (7 * k + 5, 7 * k + 6) if d < horizon)
        )
        if weekends > person.max_weekends:
            flag(MAX_WEEKENDS, sid, None, f"{sid}: {weekends} weekends worked, at most {person.max_weekends}")
        # 9. days off
        for d in instance.days_off.get(sid, ()):
            if worked[d]:
                flag(DAYS_OFF, sid, d, f"{sid} works {list(row[d])} on day off {d}")

    # Objective (README §3.2)
    on = sum(r.weight for r in instance.on_requests if r.shift not in days[r.staff][r.day])
    off = sum(r.weight for r in instance.off_requests if r.shift in days[r.staff][r.day])
    under = over = 0
    for c in instance.cover:
        n = sum(1 for sid in staff_ids if c.shift in days[sid][c.day])
        under += c.weight_under * max(0, c.requirement - n)
        over += c.weight_over * max(0, n - c.requirement)
    breakdown = {"on_requests": on, "off_requests": off, "under_cover": under, "over_cover": over}
    return Evaluation(objective=on + off + under + over, violations=violations, breakdown=breakdown)
