"""cross_branch: an assignment outside the person's own branch costs weights.cross_branch."""

from __future__ import annotations

from duty_roster.solver.constraints import cross_branch, locked
from duty_roster.solver.problem import Weights
from tests.solver.builders import assign, make_person, make_problem, make_shift, no_rules, solve_with

TRAVELLER = make_person("an", branch="HO", areas={"HO", "B1"})
LOCAL = make_person("binh", branch="B1")
SHIFT = make_shift(1, sid="kv4", area="B1")


def test_the_local_person_is_preferred() -> None:
    out = solve_with(make_problem([TRAVELLER, LOCAL], [SHIFT], rules=no_rules()), soft=[cross_branch])
    assert out.pairs == {("binh", "kv4")}
    assert out.penalties == {"coverage": 0, "cross_branch": 0}


def test_travelling_costs_the_weight() -> None:
    problem = make_problem([TRAVELLER, LOCAL], [SHIFT], rules=no_rules(), locked=(assign("an", "kv4"),),
                           weights=Weights(cross_branch=3))
    out = solve_with(problem, hard=[locked], soft=[cross_branch])
    assert out.penalties["cross_branch"] == 3
