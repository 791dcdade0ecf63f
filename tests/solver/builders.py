"""Tiny problems for solver tests: people, shifts and problems in a line each.

    p = make_person("an", skills={"khmer"})
    s = make_shift(1, "07:30", 24, type="oncall_24h")        # day 1 of the base month, 07:30 + 24 h
    problem = make_problem([p], [s], rules=Rules(min_rest=None))

Days are integers (day 1 = `BASE`, a Monday) or dates; times are local Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from duty_roster.solver.problem import DUTY, Assignment, Person, Problem, Rules, Shift, Unavailability, Weights

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BASE = date(2026, 3, 2)  # a Monday; day 1 in the helpers below


def day_of(day: int | date) -> date:
    """Day 1 is BASE; a date passes through."""
    return day if isinstance(day, date) else BASE + timedelta(days=day - 1)


def at(day: int | date, hhmm: str = "00:00") -> datetime:
    """Aware local datetime on `day` at "HH:MM"."""
    h, m = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day_of(day), time(h, m), tzinfo=TZ)


def make_person(pid: str, *, roles: Iterable[str] = (DUTY,), skills: Iterable[str] = (),
                languages: Iterable[str] = (), areas: Iterable[str] = (), **kw: Any) -> Person:
    return Person(id=pid, name=kw.pop("name", pid), roles=frozenset(roles), skills=frozenset(skills),
                  languages=frozenset(languages), areas=frozenset(areas), **kw)


def make_shift(day: int | date, start: str = "07:30", hours: float = 4, *, sid: str | None = None,
               type: str | None = None, demand: dict[str, int] | None = None, skills: Iterable[str] = (),
               languages: Iterable[str] = (), **kw: Any) -> Shift:
    """A shift starting on `day` at `start`, lasting `hours`; id defaults to "d<day>-<HHMM>"."""
    begin = at(day, start)
    d = day_of(day)
    return Shift(
        id=sid or f"d{(d - BASE).days + 1}-{start.replace(':', '')}",
        start=begin,
        end=begin + timedelta(hours=hours),
        day=d,
        type=type or ("oncall_24h" if hours >= 24 else "court"),
        demand=demand if demand is not None else {DUTY: 1},
        required_skills=frozenset(skills),
        required_languages=frozenset(languages),
        **kw,
    )


def make_leave(pid: str, first_day: int | date, last_day: int | date | None = None, reason: str = "leave"
               ) -> Unavailability:
    """Whole days off from the start of `first_day` to the end of `last_day` (inclusive)."""
    last = last_day if last_day is not None else first_day
    return Unavailability(person=pid, start=at(first_day), end=at(day_of(last) + timedelta(days=1)), reason=reason)


def make_problem(people: Iterable[Person], shifts: Iterable[Shift], *, rules: Rules | None = None,
                 weights: Weights | None = None, soft_goals: tuple[str, ...] | None = (), **kw: Any) -> Problem:
    """A Problem with no soft goals by default (tests opt in), default rules and weights."""
    return Problem(people=tuple(people), shifts=tuple(shifts), rules=rules or Rules(), weights=weights or Weights(),
                   soft_goals=soft_goals, **kw)


def no_rules(**overrides: Any) -> Rules:
    """Rules with every time rule switched off, so a test can switch on only the one it checks."""
    base = Rules(min_rest=None, rest_after_long_shift=None, max_consecutive_nights=None)
    return replace(base, **overrides)


def assign(person: str, shift: str, role: str = DUTY) -> Assignment:
    return Assignment(person=person, shift=shift, role=role)


@dataclass(frozen=True)
class Outcome:
    """What a rule test looks at: status, the roster as (person, shift) pairs, penalties per rule, uncovered slots."""

    status: str
    pairs: frozenset[tuple[str, str]]
    assignments: frozenset[Assignment]
    penalties: dict[str, int]
    objective: int
    uncovered: dict[tuple[str, str], int]
    warnings: tuple[Any, ...]


def solve_with(problem: Problem, hard: Iterable[Any] = (), soft: Iterable[Any] = (), *,
               with_coverage: bool = True, time_limit: float = 2.0) -> Outcome:
    """Solve `problem` with only the given rule functions (plus `coverage`, unless told not to): the
    ConstraintVerifier shape, where the rule under test alone decides the outcome. One worker, fixed seed."""
    from ortools.sat.python import cp_model

    from duty_roster.solver.constraints import coverage
    from duty_roster.solver.model import RosterModel
    from duty_roster.solver.solve import assignments_of, uncovered_slots

    rules = [coverage, *hard] if with_coverage else list(hard)
    m = RosterModel.build(problem, hard=rules, soft=tuple(soft))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(m.model)
    name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(status, "no_solution")
    if name == "no_solution":
        return Outcome(name, frozenset(), frozenset(), {}, 0, {}, tuple(m.warnings))
    chosen = assignments_of(m, solver)
    return Outcome(
        status=name,
        pairs=frozenset((a.person, a.shift) for a in chosen),
        assignments=frozenset(chosen),
        penalties=m.penalty_breakdown(solver),
        objective=round(solver.objective_value) if m.penalties else 0,
        uncovered={(u.shift, u.role): u.missing for u in uncovered_slots(problem, chosen)},
        warnings=tuple(m.warnings),
    )
