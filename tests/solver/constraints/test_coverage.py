"""coverage: demand per (shift, role), elastic with a named penalty; over-cover forbidden unless priced."""

from __future__ import annotations

from duty_roster.solver.constraints import coverage, locked
from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import ASSISTANT, DUTY, Weights
from tests.solver.builders import assign, make_person, make_problem, make_shift, solve_with


def reward_everyone(m: RosterModel) -> None:
    """A test-only goal that wants as many assignments as possible (pushes against the demand cap)."""
    for var in m.x.values():
        m.add_penalty("reward", var, -5)


def test_exactly_the_demand_is_filled() -> None:
    people = [make_person(p) for p in ("an", "binh", "chi")]
    shift = make_shift(1, demand={DUTY: 2})
    out = solve_with(make_problem(people, [shift]))
    assert len(out.pairs) == 2
    assert out.uncovered == {}
    assert out.penalties == {"coverage": 0}


def test_missing_people_cost_the_uncovered_weight() -> None:
    shift = make_shift(1, demand={DUTY: 2, ASSISTANT: 1})
    out = solve_with(make_problem([make_person("an")], [shift], weights=Weights(uncovered=1000)))
    assert out.pairs == {("an", shift.id)}
    assert out.uncovered == {(shift.id, DUTY): 1, (shift.id, ASSISTANT): 1}
    assert out.penalties["coverage"] == 2000


def test_shift_under_weight_overrides_the_default() -> None:
    shift = make_shift(1, under_weight=7)
    out = solve_with(make_problem([], [shift]))
    assert out.penalties["coverage"] == 7


def test_over_cover_is_forbidden_without_an_over_weight() -> None:
    people = [make_person(p) for p in ("an", "binh", "chi")]
    shift = make_shift(1)
    out = solve_with(make_problem(people, [shift]), soft=[reward_everyone])
    assert len(out.pairs) == 1  # the reward would like three


def test_over_cover_costs_the_over_weight_per_extra_person() -> None:
    people = [make_person(p) for p in ("an", "binh", "chi")]
    cheap = make_shift(1, sid="cheap", over_weight=3)  # reward 5 > cost 3: everyone comes
    dear = make_shift(2, sid="dear", over_weight=6)  # reward 5 < cost 6: only the demand
    out = solve_with(make_problem(people, [cheap, dear]), soft=[reward_everyone])
    assert sum(1 for _p, s in out.pairs if s == "cheap") == 3
    assert sum(1 for _p, s in out.pairs if s == "dear") == 1
    assert out.penalties["coverage"] == 2 * 3


def test_more_locked_people_than_demand_stay_with_a_warning() -> None:
    people = [make_person("an"), make_person("binh")]
    shift = make_shift(1)
    problem = make_problem(people, [shift], locked=(assign("an", shift.id), assign("binh", shift.id)))
    out = solve_with(problem, hard=[locked])
    assert out.status == "optimal"
    assert out.pairs == {("an", shift.id), ("binh", shift.id)}
    assert [w.rule for w in out.warnings] == ["coverage"]


def test_coverage_penalty_terms_are_named_coverage() -> None:
    m = RosterModel(make_problem([make_person("an")], [make_shift(1)]))
    coverage(m)
    assert {t.rule for t in m.penalties} == {"coverage"}
