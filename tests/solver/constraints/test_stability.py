"""stability: each dropped published assignment, and each new person on a published slot, costs the weight."""

from __future__ import annotations

from duty_roster.solver.constraints import stability
from duty_roster.solver.problem import Weights
from tests.solver.builders import assign, make_leave, make_person, make_problem, make_shift, no_rules, solve_with

PEOPLE = [make_person("an"), make_person("binh")]
SHIFT = make_shift(2, sid="s")


def test_the_published_person_keeps_the_shift() -> None:
    out = solve_with(make_problem(PEOPLE, [SHIFT], rules=no_rules(), published=(assign("binh", "s"),)),
                     soft=[stability])
    assert out.pairs == {("binh", "s")}
    assert out.penalties["stability"] == 0


def test_replacing_a_person_on_leave_costs_a_drop_and_an_addition() -> None:
    problem = make_problem(PEOPLE, [SHIFT], rules=no_rules(), published=(assign("binh", "s"),),
                           unavailability=(make_leave("binh", 2),), weights=Weights(stability=1000))
    out = solve_with(problem, soft=[stability])
    assert out.pairs == {("an", "s")}
    assert out.penalties["stability"] == 2000


def test_filling_a_slot_that_was_published_empty_is_free() -> None:
    other = make_shift(3, sid="t")
    problem = make_problem(PEOPLE, [SHIFT, other], rules=no_rules(), published=(assign("binh", "s"),))
    out = solve_with(problem, soft=[stability])
    assert ("binh", "s") in out.pairs and len(out.pairs) == 2
    assert out.penalties["stability"] == 0
