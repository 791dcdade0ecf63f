"""min_consecutive_days: an inner stretch of working days lasts at least N days; border stretches are exempt."""

from __future__ import annotations

from duty_roster.solver.constraints.coverage import coverage
from duty_roster.solver.constraints.sequences import min_consecutive_days
from tests.solver.builders import day_of, make_person, make_problem, make_shift
from tests.solver.constraints.run_rules import solve_rules

UNCOVERED = 100_000


def problem_with(shift_days, horizon=(1, 5), limit=2):
    shifts = [make_shift(d, "07:30", 4, sid=f"s{d}") for d in shift_days]
    return make_problem([make_person("an", min_consecutive_days=limit)], shifts,
                        horizon_start=day_of(horizon[0]), horizon_end=day_of(horizon[1]))


def test_a_lone_inner_working_day_is_forbidden() -> None:
    # Only day 3 has a shift: working it would be a 1-day stretch between days off.
    out = solve_rules(problem_with([3]), coverage, min_consecutive_days)
    assert out.assigned == set()
    assert out.objective == UNCOVERED


def test_a_stretch_touching_the_horizon_border_is_exempt() -> None:
    assert solve_rules(problem_with([1]), coverage, min_consecutive_days).assigned == {("an", "s1")}
    assert solve_rules(problem_with([5]), coverage, min_consecutive_days).assigned == {("an", "s5")}


def test_a_long_enough_inner_stretch_is_allowed() -> None:
    assert solve_rules(problem_with([2, 3]), coverage, min_consecutive_days).objective == 0


def test_limit_three_forbids_inner_stretches_of_one_and_two_days() -> None:
    # Horizon days 1..5, limit 3: days 2-4 form a 3-day inner stretch (allowed); days 2-3 alone (2 days) or any
    # single day are too short, so with shifts only on days 2 and 3 nothing can be worked.
    out = solve_rules(problem_with([2, 3, 4], limit=3), coverage, min_consecutive_days)
    assert out.assigned == {("an", "s2"), ("an", "s3"), ("an", "s4")}
    out = solve_rules(problem_with([2, 3], limit=3), coverage, min_consecutive_days)
    assert out.assigned == set()
    assert out.objective == 2 * UNCOVERED


def test_without_the_rule_the_lone_day_is_covered() -> None:
    assert solve_rules(problem_with([3]), coverage).objective == 0
