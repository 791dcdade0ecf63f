"""total_minutes: min_total_minutes <= minutes worked <= max_total_minutes per person."""

from __future__ import annotations

from duty_roster.solver.constraints.coverage import coverage
from duty_roster.solver.constraints.limits import total_minutes
from tests.solver.builders import make_person, make_problem, make_shift
from tests.solver.constraints.run_rules import solve_rules

UNCOVERED = 100_000


def four_hour_shifts(days, **kw):
    return [make_shift(d, "07:30", 4, sid=f"s{d}", **kw) for d in days]


def test_max_minutes_caps_the_shifts_taken() -> None:
    problem = make_problem([make_person("an", max_total_minutes=480)], four_hour_shifts([1, 2, 3]))
    out = solve_rules(problem, coverage, total_minutes)
    assert len(out.assigned) == 2  # 2 x 240 = 480
    assert out.objective == UNCOVERED


def test_min_minutes_forces_over_cover_at_its_price() -> None:
    # Both must work 480 minutes but each shift needs one person: both take both shifts, 2 people too many.
    people = [make_person("an", min_total_minutes=480), make_person("binh", min_total_minutes=480)]
    out = solve_rules(make_problem(people, four_hour_shifts([1, 2], over_weight=1)), coverage, total_minutes)
    assert out.assigned == {("an", "s1"), ("an", "s2"), ("binh", "s1"), ("binh", "s2")}
    assert out.objective == 2


def test_without_the_rule_no_over_cover() -> None:
    people = [make_person("an", min_total_minutes=480), make_person("binh", min_total_minutes=480)]
    assert solve_rules(make_problem(people, four_hour_shifts([1, 2], over_weight=1)), coverage).objective == 0


def test_unreachable_minimum_is_lowered_with_a_warning() -> None:
    problem = make_problem([make_person("an", min_total_minutes=10_000)], four_hour_shifts([1, 2], over_weight=1))
    out = solve_rules(problem, total_minutes)
    assert out.status == "OPTIMAL"
    assert out.assigned == {("an", "s1"), ("an", "s2")}  # everything reachable, not infeasible
    assert [w.rule for w in out.model.warnings] == ["total_minutes"]
