"""min_consecutive_days_off: an inner stretch of days off lasts at least N days; border stretches are exempt."""

from __future__ import annotations

from duty_roster.solver.constraints.coverage import coverage
from duty_roster.solver.constraints.sequences import min_consecutive_days_off
from tests.solver.builders import day_of, make_person, make_problem, make_shift
from tests.solver.constraints.run_rules import solve_rules

UNCOVERED = 100_000


def problem_with(shift_days, last_day, limit=2):
    shifts = [make_shift(d, "07:30", 4, sid=f"s{d}") for d in shift_days]
    return make_problem([make_person("an", min_consecutive_days_off=limit)], shifts,
                        horizon_start=day_of(1), horizon_end=day_of(last_day))


def test_a_single_day_off_between_working_days_is_forbidden() -> None:
    out = solve_rules(problem_with([1, 3], 3), coverage, min_consecutive_days_off)
    assert len(out.assigned) == 1
    assert out.objective == UNCOVERED


def test_two_days_off_between_working_days_are_enough() -> None:
    assert solve_rules(problem_with([1, 4], 4), coverage, min_consecutive_days_off).objective == 0


def test_days_off_touching_the_horizon_border_are_exempt() -> None:
    out = solve_rules(problem_with([2], 3, limit=3), coverage, min_consecutive_days_off)
    assert out.assigned == {("an", "s2")}


def test_limit_three_counts_every_shorter_gap() -> None:
    # Shifts on days 1, 3 and 6 (horizon 1..6), limit 3: days 1+3 leave a 1-day gap, 3+6 a 2-day gap, both too
    # short; days 1+6 (a 4-day gap) is the best, leaving day 3 uncovered.
    out = solve_rules(problem_with([1, 3, 6], 6, limit=3), coverage, min_consecutive_days_off)
    assert out.assigned == {("an", "s1"), ("an", "s6")}
    assert out.objective == UNCOVERED


def test_without_the_rule_both_are_covered() -> None:
    assert solve_rules(problem_with([1, 3], 3), coverage).objective == 0
