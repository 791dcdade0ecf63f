"""max_shifts_per_type: at most N shifts of a type per person over the horizon; 0 = never."""

from __future__ import annotations

from duty_roster.solver.constraints.coverage import coverage
from duty_roster.solver.constraints.limits import max_shifts_per_type
from tests.solver.builders import make_person, make_problem, make_shift
from tests.solver.constraints.run_rules import solve_rules

UNCOVERED = 100_000


def shifts():
    return [
        make_shift(1, "19:00", 10, sid="n1", type="night"),
        make_shift(2, "19:00", 10, sid="n2", type="night"),
        make_shift(3, "07:30", 4, sid="c3", type="court"),
    ]


def test_one_night_at_most_leaves_the_second_night_uncovered() -> None:
    problem = make_problem([make_person("an", max_shifts_per_type={"night": 1})], shifts())
    out = solve_rules(problem, coverage, max_shifts_per_type)
    assert ("an", "c3") in out.assigned
    assert len(out.assigned & {("an", "n1"), ("an", "n2")}) == 1
    assert out.objective == UNCOVERED


def test_zero_means_never_that_type() -> None:
    problem = make_problem([make_person("an", max_shifts_per_type={"night": 0})], shifts())
    out = solve_rules(problem, coverage, max_shifts_per_type)
    assert out.assigned == {("an", "c3")}
    assert out.objective == 2 * UNCOVERED


def test_other_types_and_other_people_are_not_limited() -> None:
    people = [make_person("an", max_shifts_per_type={"court": 0}), make_person("binh")]
    out = solve_rules(make_problem(people, shifts()), coverage, max_shifts_per_type)
    assert out.objective == 0
    assert ("an", "c3") not in out.assigned


def test_without_the_rule_everything_is_covered() -> None:
    problem = make_problem([make_person("an", max_shifts_per_type={"night": 0})], shifts())
    assert solve_rules(problem, coverage).objective == 0
