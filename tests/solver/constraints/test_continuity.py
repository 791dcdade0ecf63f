"""continuity: fewer distinct people per location, role and ISO week."""

from __future__ import annotations

from duty_roster.solver.constraints import continuity, locked
from duty_roster.solver.problem import Weights
from tests.solver.builders import assign, make_person, make_problem, make_shift, no_rules, solve_with

PEOPLE = [make_person("an"), make_person("binh"), make_person("chi")]
WEEK = [make_shift(d, "07:30", 4, sid=f"ta{d}", location="TA-KV1") for d in (1, 3, 5)]


def test_one_person_serves_the_court_all_week() -> None:
    out = solve_with(make_problem(PEOPLE, WEEK, rules=no_rules()), soft=[continuity])
    assert len({p for p, _s in out.pairs}) == 1
    assert out.penalties["continuity"] == 0


def test_each_extra_face_costs_the_weight() -> None:
    locks = (assign("an", "ta1"), assign("binh", "ta3"), assign("chi", "ta5"))
    problem = make_problem(PEOPLE, WEEK, rules=no_rules(), locked=locks, weights=Weights(continuity_people=2))
    out = solve_with(problem, hard=[locked], soft=[continuity])
    assert out.penalties["continuity"] == 2 * 2


def test_different_weeks_and_locations_are_counted_apart() -> None:
    shifts = [make_shift(1, sid="w1", location="TA"), make_shift(8, sid="w2", location="TA"),
              make_shift(2, sid="other", location="CA")]
    locks = (assign("an", "w1"), assign("binh", "w2"), assign("chi", "other"))
    out = solve_with(make_problem(PEOPLE, shifts, rules=no_rules(), locked=locks), hard=[locked], soft=[continuity])
    assert out.penalties.get("continuity", 0) == 0
