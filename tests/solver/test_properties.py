"""Property tests: whatever small legal-aid problem hypothesis invents, the solver's roster breaks no hard rule.

The judge is validate.py, written apart from the CP-SAT model on purpose: a rule the model forgets or gets subtly
wrong (an off-by-one in a window, a border case of the rest rule) shows up as a violation here, with the problem
that produced it shrunk to a handful of people and shifts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from duty_roster.solver import constraints
from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import (
    ASSISTANT,
    DUTY,
    Assignment,
    Person,
    Problem,
    Rules,
    Shift,
    Unavailability,
)
from duty_roster.solver.repair import repair
from duty_roster.solver.solution import NO_SOLUTION, Solution
from duty_roster.solver.solve import solve
from duty_roster.solver.validate import (
    CONSTRAINT,
    MIN_CONSECUTIVE_DAYS,
    MIN_CONSECUTIVE_DAYS_OFF,
    MIN_TOTAL_MINUTES,
    Violation,
    uncovered,
    validate,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = date(2026, 3, 2)
TIME_LIMIT = 1.0
WORKERS = 2  # tiny models: the portfolio of 8 only costs start-up time here

# (type, start, hours, night, duty type): court sessions, an evening, a night, a 24 h on-call (07:30-07:30).
TEMPLATES = (
    ("court_am", time(7, 30), 4.0, False, "court"),
    ("court_pm", time(13, 30), 3.5, False, "court"),
    ("evening", time(18, 0), 4.0, False, "court"),
    ("night", time(22, 0), 8.0, True, "investigation"),
    ("oncall_24h", time(7, 30), 24.0, True, "investigation"),
)
TYPES = tuple(t[0] for t in TEMPLATES)
# Rules a partial roster (the locks alone) may break and a fuller one can repair: locks are not checked for them.
MIN_RULES = {MIN_TOTAL_MINUTES, MIN_CONSECUTIVE_DAYS, MIN_CONSECUTIVE_DAYS_OFF}

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def maybe(strategy: st.SearchStrategy, p_none: int = 1) -> st.SearchStrategy:
    """None or a value: with p_none = 1 about half the time."""
    return st.one_of(*([st.none()] * p_none), strategy)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    first = MONDAY + timedelta(days=draw(st.integers(0, 6)))  # any weekday, so weekends come and go
    n_days = draw(st.sampled_from((1, 2, 3, 3, 4, 5)))
    areas = ("A", "B")

    shifts = []
    for i in range(draw(st.integers(3, 12))):
        kind, start, hours, night, duty_type = draw(st.sampled_from(TEMPLATES))
        day = first + timedelta(days=draw(st.integers(0, n_days - 1)))
        begin = datetime.combine(day, start, tzinfo=TZ)
        demand = {DUTY: draw(st.integers(1, 2))}
        if duty_type == "investigation" and draw(st.booleans()):
            demand[ASSISTANT] = 1
        shifts.append(
            Shift(
                id=f"s{i}",
                start=begin,
                end=begin + timedelta(hours=hours),
                day=day,
                type=kind,
                location=f"L{draw(st.integers(0, 2))}",
                duty_type=duty_type,
                area=draw(maybe(st.sampled_from(areas), 2)),
                demand=demand,
                required_skills=draw(st.sampled_from((frozenset(), frozenset(), frozenset({"juvenile"})))),
                required_languages=draw(st.sampled_from((frozenset(), frozenset(), frozenset({"km"})))),
                is_night=night,
                is_weekend=day.weekday() >= 5,
                is_holiday=draw(st.booleans()) and draw(st.booleans()),
                over_weight=draw(st.sampled_from((None, None, None, 1))),
            )
        )
    last = first + timedelta(days=n_days - 1)

    # Minimum rules (total minutes, stretches of work and rest) can leave no legal roster at all; keep them to a
    # quarter of the problems so that most examples do produce a roster to check.
    minimums = draw(st.integers(0, 3)) == 0
    people = []
    for i in range(draw(st.integers(2, 6))):
        branch = draw(maybe(st.sampled_from(areas)))
        contract_start = draw(maybe(st.integers(0, n_days - 1), 3))
        contract_end = draw(maybe(st.integers(0, n_days - 1), 3))
        people.append(
            Person(
                id=f"p{i}",
                kind=draw(st.sampled_from(("officer", "officer", "lawyer", "assistant"))),
                branch=branch,
                areas=draw(st.sampled_from((frozenset(), frozenset(), frozenset(areas)))),
                roles=draw(st.sampled_from((frozenset({DUTY}), frozenset({ASSISTANT}), frozenset({DUTY, ASSISTANT})))),
                skills=draw(st.sampled_from((frozenset(), frozenset({"juvenile"})))),
                languages=draw(st.sampled_from((frozenset(), frozenset(), frozenset({"km"})))),
                max_shifts_per_week=draw(maybe(st.integers(1, 4), 2)),
                max_shifts_per_month=draw(maybe(st.integers(1, 5), 2)),
                contract_start=None if contract_start is None else first + timedelta(days=contract_start),
                contract_end=None if contract_end is None else first + timedelta(days=contract_end),
                max_shifts_per_type=draw(st.sampled_from(({}, {}, {"night": 1}, {"court_am": 1, "oncall_24h": 0}))),
                min_total_minutes=draw(maybe(st.sampled_from((60, 240, 480)), 2)) if minimums else None,
                max_total_minutes=draw(maybe(st.sampled_from((240, 480, 960, 1440)), 2)),
                max_consecutive_days=draw(maybe(st.integers(1, 3), 2)),
                min_consecutive_days=draw(maybe(st.integers(2, 3), 2)) if minimums else None,
                min_consecutive_days_off=draw(maybe(st.integers(2, 3), 2)) if minimums else None,
                max_weekends=draw(maybe(st.integers(0, 1), 2)),
            )
        )

    unavailability = []
    for p in people:
        if draw(st.booleans()):
            begin = datetime.combine(first + timedelta(days=draw(st.integers(0, n_days - 1))), time(0), tzinfo=TZ)
            begin += timedelta(hours=draw(st.integers(0, 23)))
            unavailability.append(Unavailability(p.id, begin, begin + timedelta(hours=draw(st.integers(2, 30)))))

    rules = Rules(
        min_rest=draw(st.sampled_from((None, timedelta(hours=8), timedelta(hours=11)))),
        long_shift=draw(st.sampled_from((timedelta(hours=24), timedelta(hours=8)))),
        rest_after_long_shift=draw(st.sampled_from((None, timedelta(hours=24), timedelta(hours=12)))),
        max_consecutive_nights=draw(maybe(st.integers(1, 2))),
        max_shifts_per_day=draw(maybe(st.integers(1, 2))),
        forbidden_successions=draw(
            st.sampled_from(
                (
                    frozenset(),
                    frozenset({("night", "court_am"), ("oncall_24h", "court_am")}),
                    frozenset({("evening", "court_am"), ("night", "court_pm"), ("court_pm", "court_am")}),
                )
            )
        ),
        allowed_kinds=draw(
            st.sampled_from(
                (
                    {},
                    {
                        "investigation": {DUTY: frozenset({"officer", "lawyer"}), ASSISTANT: frozenset({"assistant"})},
                        "court": {DUTY: frozenset({"officer", "lawyer"})},
                    },
                )
            )
        ),
        week_start=draw(st.integers(0, 6)),
    )
    problem = Problem(
        people=tuple(people),
        shifts=tuple(shifts),
        unavailability=tuple(unavailability),
        rules=rules,
        horizon_start=first,
        horizon_end=last,
        # Without fairness the solver takes any covering roster rather than a spread-out one, which runs into the
        # rules far more often: both kinds of objective are worth checking.
        soft_goals=draw(st.sampled_from((None, ()))),
    )

    # Locks consistent with the rules: candidates kept one by one while the locks alone stay legal.
    locks: list[Assignment] = []
    for _ in range(draw(st.integers(0, 3))):
        p = draw(st.sampled_from(people))
        s = draw(st.sampled_from(shifts))
        candidate = Assignment(p.id, s.id, draw(st.sampled_from(sorted(s.demand))))
        trial = replace(problem, locked=(*locks, candidate))
        if all(v.rule in MIN_RULES for v in validate(trial, trial.locked)):
            locks.append(candidate)
    return replace(problem, locked=tuple(locks))


def real_violations(problem: Problem, solution: Solution) -> list[Violation]:
    """Violations of the roster, minus the minimum rules the solver relaxed with a warning, as documented: a minimum
    of total minutes the person cannot reach even by taking every shift open to them (constraints/limits.py), or a
    short stretch the locks alone force (locks win, constraints/sequences.py). The generated locks never break any
    other rule, so no other violation is excused."""
    warned = {(r.rule, r.params.get("person")) for r in solution.warnings}
    return [
        v
        for v in validate(problem, solution.assignments)
        if not (v.rule in MIN_RULES and (v.constraint, v.person) in warned)
    ]


def slots(solution_slots) -> set[tuple[str, str, int]]:
    return {(u.shift, u.role, u.missing) for u in solution_slots}


def has_min_rules(problem: Problem) -> bool:
    return any(p.min_total_minutes or p.min_consecutive_days or p.min_consecutive_days_off for p in problem.people)


def check(problem: Problem, solution: Solution) -> None:
    if solution.status == NO_SOLUTION:
        # Only minimum rules (or locks) can leave no legal roster: without them the empty roster plus the locks is
        # legal, and a tiny model finds it at once.
        assert has_min_rules(problem) or problem.locked, solution
        return
    assert real_violations(problem, solution) == []
    assert slots(solution.uncovered) == slots(uncovered(problem, solution.assignments))
    assert set(problem.locked) <= set(solution.assignments)


@SETTINGS
@given(problems())
def test_every_roster_respects_every_hard_rule(problem: Problem) -> None:
    check(problem, solve(problem, time_limit=TIME_LIMIT, workers=WORKERS, seed=0, explain=False))


@SETTINGS
@given(problems(), st.data())
def test_repair_after_sickness_respects_every_hard_rule(problem: Problem, data: st.DataObject) -> None:
    first = solve(problem, time_limit=TIME_LIMIT, workers=WORKERS, seed=0, explain=False)
    movable = sorted(set(first.assignments) - set(problem.locked), key=lambda a: (a.shift, a.person, a.role))
    if not movable:
        return
    # Someone falls sick over one of their (unlocked) shifts.
    victim = data.draw(st.sampled_from(movable))
    shift = problem.shift(victim.shift)
    sick = Unavailability(victim.person, shift.start, shift.end, "sick")
    changed = replace(problem, unavailability=(*problem.unavailability, sick), published=first.assignments)
    solution = repair(changed, time_limit=TIME_LIMIT, workers=WORKERS, seed=0, explain=False)
    check(changed, solution)
    if solution.status != NO_SOLUTION:
        assert victim not in solution.assignments
        published, now = set(changed.published), set(solution.assignments)
        published_slots = {(a.shift, a.role) for a in published}
        dropped = len(published - now)
        added_on_published = sum(1 for a in now - published if (a.shift, a.role) in published_slots)
        assert solution.changes == dropped + added_on_published >= 1


# Rules the model enforces by construction (no variable for an ineligible person), not by a constraint that a
# forced roster could break; the roster below only draws assignments that pass them.
STATIC_CONSTRAINTS = {"eligibility", "unavailability"}
STATIC = {rule for rule, constraint in CONSTRAINT.items() if constraint in STATIC_CONSTRAINTS}


@settings(SETTINGS, max_examples=100)  # a model per rule, but tiny ones: ~5 s; 25 examples miss some removed rules
@given(problems(), st.data())
def test_each_hard_rule_of_the_model_agrees_with_the_validator(problem: Problem, data: st.DataObject) -> None:
    """Differential check on arbitrary rosters, legal or not. For every hard rule of the model, force a random roster
    into a model holding that rule alone (every other assignment off) and compare its verdict with the validator's
    violations of the same rule. Random rosters hit every rule, and checking one rule at a time means a rule the
    model forgets or reads differently shows up even when the roster breaks other rules too."""
    # Fill each slot with one of the people who may take it, or leave it empty, now and then adding one too many.
    # A favourite person takes whatever they may whenever the draw says so: their dense schedule brings the rest,
    # sequence and count rules into play.
    favourite = data.draw(st.sampled_from([p.id for p in problem.people]))
    roster: list[Assignment] = []
    for s in problem.shifts:
        for role in sorted(s.demand):
            candidates = [
                Assignment(p.id, s.id, role)
                for p in problem.people
                if not any(v.rule in STATIC for v in validate(problem, [Assignment(p.id, s.id, role)]))
            ]
            mine = [a for a in candidates if a.person == favourite]
            if mine and data.draw(st.booleans()):
                roster.append(mine[0])
            for _ in range(s.demand[role] + data.draw(st.sampled_from((0, 0, 1)))):
                pick = data.draw(st.sampled_from([None, *candidates])) if candidates else None
                if pick is not None and pick not in roster:
                    roster.append(pick)
    violations = validate(problem, roster)
    hard = {rule.__name__: rule for rule in constraints.HARD}
    for name in sorted({c for c in CONSTRAINT.values() if c is not None} - STATIC_CONSTRAINTS):
        m = RosterModel.build(problem, hard=(hard[name],), soft=(), forced=roster)
        if not roster:  # `forced=()` means "nothing forced"; the empty roster needs every assignment off
            for var in m.x.values():
                m.model.add(var == 0)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = TIME_LIMIT
        status = solver.solve(m.model)
        assert status != cp_model.UNKNOWN
        # Relaxations the model documents, each with a warning: an unreachable minimum of minutes is lowered to what
        # the person can reach (constraints/limits.py), and a minimum stretch the locks alone break is left alone.
        warned = {(r.rule, r.params.get("person")) for r in m.warnings}
        reachable = {r.params["person"]: int(r.params["reachable"]) for r in m.warnings if "reachable" in r.params}
        expected = [
            v
            for v in violations
            if v.constraint == name
            and not (v.rule == MIN_TOTAL_MINUTES and int(v.params["minutes"]) >= reachable.get(v.person, 1 << 60))
            and not (v.rule in MIN_RULES - {MIN_TOTAL_MINUTES} and (name, v.person) in warned)
        ]
        accepted = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        assert accepted == (not expected), (name, expected, roster)
