"""max_shifts_per_day: at most N shifts starting on the same day per person."""

from __future__ import annotations

from duty_roster.solver.constraints.coverage import coverage
from duty_roster.solver.constraints.limits import max_shifts_per_day
from tests.solver.builders import make_person, make_problem, make_shift, no_rules
from tests.solver.constraints.run_rules import solve_rules

UNCOVERED = 100_000


def court_day():
    return [make_shift(1, "07:30", 4, sid="am"), make_shift(1, "13:30", 4, sid="pm"), make_shift(2, "07:30", 4,
                                                                                                  sid="next")]


def test_one_shift_per_day_leaves_the_afternoon_session_uncovered() -> None:
    problem = make_problem([make_person("an")], court_day(), rules=no_rules(max_shifts_per_day=1))
    out = solve_rules(problem, coverage, max_shifts_per_day)
    assert ("an", "next") in out.assigned
    assert len(out.assigned & {("an", "am"), ("an", "pm")}) == 1
    assert out.objective == UNCOVERED


def test_two_per_day_allows_both_sessions() -> None:
    problem = make_problem([make_person("an")], court_day(), rules=no_rules(max_shifts_per_day=2))
    out = solve_rules(problem, coverage, max_shifts_per_day)
    assert out.assigned == {("an", "am"), ("an", "pm"), ("an", "next")}


def test_no_limit_by_default() -> None:
    problem = make_problem([make_person("an")], court_day(), rules=no_rules())
    assert solve_rules(problem, coverage, max_shifts_per_day).objective == 0


def test_limit_one_links_working_day_to_the_sum_of_shifts() -> None:
    # With the limit 1 the day literal equals the number of shifts taken that day (the LP sees the exact link).
    problem = make_problem([make_person("an")], court_day(), rules=no_rules(max_shifts_per_day=1))
    out = solve_rules(problem, coverage, max_shifts_per_day)
    assert out.model.hard_count["max_shifts_per_day"] == 1  # only day 1 has two shifts
