"""max_consecutive_days: at most N working days in a row."""

from __future__ import annotations

from duty_roster.solver.constraints.coverage import coverage
from duty_roster.solver.constraints.sequences import max_consecutive_days
from tests.solver.builders import day_of, make_person, make_problem, make_shift
from tests.solver.constraints.run_rules import solve_rules

UNCOVERED = 100_000


def daily(days):
    return [make_shift(d, "07:30", 4, sid=f"s{d}") for d in days]


def test_two_in_a_row_at_most_leaves_one_of_three_days_uncovered() -> None:
    out = solve_rules(make_problem([make_person("an", max_consecutive_days=2)], daily([1, 2, 3])),
                      coverage, max_consecutive_days)
    assert len(out.assigned) == 2
    assert out.objective == UNCOVERED


def test_the_forced_day_off_is_the_middle_of_five_days() -> None:
    # Days 1..5 with at most 2 in a row: the only way to work 4 days is 1,2,_,4,5.
    out = solve_rules(make_problem([make_person("an", max_consecutive_days=2)], daily([1, 2, 3, 4, 5])),
                      coverage, max_consecutive_days)
    assert out.assigned == {("an", "s1"), ("an", "s2"), ("an", "s4"), ("an", "s5")}


def test_a_gap_day_without_shifts_breaks_the_run() -> None:
    out = solve_rules(make_problem([make_person("an", max_consecutive_days=2)], daily([1, 2, 4, 5])),
                      coverage, max_consecutive_days)
    assert out.objective == 0


def test_days_outside_the_horizon_count_as_off() -> None:
    # The horizon starts on day 2: day 1's shift is outside it, so days 2,3 are a run of 2, allowed.
    problem = make_problem([make_person("an", max_consecutive_days=2)], daily([2, 3]),
                           horizon_start=day_of(2), horizon_end=day_of(3))
    assert solve_rules(problem, coverage, max_consecutive_days).objective == 0


def test_without_the_rule_all_days_are_covered() -> None:
    assert solve_rules(make_problem([make_person("an", max_consecutive_days=2)], daily([1, 2, 3])),
                       coverage).objective == 0
