"""forbidden_successions: no type-B shift on the day after a type-A shift for each forbidden (A, B)."""

from __future__ import annotations

from duty_roster.solver.constraints.coverage import coverage
from duty_roster.solver.constraints.sequences import forbidden_successions
from tests.solver.builders import make_person, make_problem, make_shift, no_rules
from tests.solver.constraints.run_rules import solve_rules

UNCOVERED = 100_000
RULES = no_rules(forbidden_successions=frozenset({("N", "D")}))


def test_day_shift_after_night_is_forbidden() -> None:
    shifts = [make_shift(1, "22:00", 8, sid="n1", type="N"), make_shift(2, "14:00", 8, sid="d2", type="D")]
    out = solve_rules(make_problem([make_person("an")], shifts, rules=RULES), coverage, forbidden_successions)
    assert len(out.assigned) == 1
    assert out.objective == UNCOVERED


def test_the_reverse_order_is_allowed() -> None:
    shifts = [make_shift(1, "07:00", 8, sid="d1", type="D"), make_shift(2, "22:00", 8, sid="n2", type="N")]
    out = solve_rules(make_problem([make_person("an")], shifts, rules=RULES), coverage, forbidden_successions)
    assert out.assigned == {("an", "d1"), ("an", "n2")}


def test_only_the_next_day_counts() -> None:
    shifts = [make_shift(1, "22:00", 8, sid="n1", type="N"), make_shift(3, "14:00", 8, sid="d3", type="D")]
    out = solve_rules(make_problem([make_person("an")], shifts, rules=RULES), coverage, forbidden_successions)
    assert out.objective == 0


def test_two_people_share_it_out() -> None:
    shifts = [make_shift(1, "22:00", 8, sid="n1", type="N"), make_shift(2, "14:00", 8, sid="d2", type="D")]
    people = [make_person("an"), make_person("binh")]
    out = solve_rules(make_problem(people, shifts, rules=RULES), coverage, forbidden_successions)
    assert out.objective == 0
    assert {p for p, _s in out.assigned} == {"an", "binh"}


def test_without_the_rule_both_are_covered() -> None:
    shifts = [make_shift(1, "22:00", 8, sid="n1", type="N"), make_shift(2, "14:00", 8, sid="d2", type="D")]
    assert solve_rules(make_problem([make_person("an")], shifts, rules=RULES), coverage).objective == 0
