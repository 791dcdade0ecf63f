"""max_weekends: at most N weekends worked; a weekend counts once whether Saturday, Sunday or both are worked."""

from __future__ import annotations

from duty_roster.solver.constraints.coverage import coverage
from duty_roster.solver.constraints.weekends import max_weekends
from tests.solver.builders import make_person, make_problem, make_shift
from tests.solver.constraints.run_rules import solve_rules

UNCOVERED = 100_000
# Day 1 is a Monday: days 6/7 are the first weekend, 13/14 the second.


def weekend_shifts(days):
    return [make_shift(d, "07:30", 4, sid=f"s{d}", is_weekend=True) for d in days]


def test_one_weekend_at_most_leaves_the_second_weekend_uncovered() -> None:
    out = solve_rules(make_problem([make_person("an", max_weekends=1)], weekend_shifts([6, 13])),
                      coverage, max_weekends)
    assert len(out.assigned) == 1
    assert out.objective == UNCOVERED


def test_saturday_and_sunday_of_one_weekend_count_once() -> None:
    out = solve_rules(make_problem([make_person("an", max_weekends=1)], weekend_shifts([6, 7])),
                      coverage, max_weekends)
    assert out.assigned == {("an", "s6"), ("an", "s7")}


def test_two_weekends_allowed_covers_both() -> None:
    out = solve_rules(make_problem([make_person("an", max_weekends=2)], weekend_shifts([6, 7, 13, 14])),
                      coverage, max_weekends)
    assert out.objective == 0


def test_zero_weekends_and_weekdays_unaffected() -> None:
    shifts = [*weekend_shifts([7]), make_shift(8, "07:30", 4, sid="mon")]
    out = solve_rules(make_problem([make_person("an", max_weekends=0)], shifts), coverage, max_weekends)
    assert out.assigned == {("an", "mon")}


def test_without_the_rule_both_weekends_are_covered() -> None:
    assert solve_rules(make_problem([make_person("an", max_weekends=1)], weekend_shifts([6, 13])),
                       coverage).objective == 0
