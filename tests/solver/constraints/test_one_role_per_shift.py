"""one_role_per_shift: nobody is both người trực and người hỗ trợ trực on one shift."""

from __future__ import annotations

from duty_roster.solver.constraints import one_role_per_shift
from duty_roster.solver.problem import ASSISTANT, DUTY
from tests.solver.builders import make_person, make_problem, make_shift, solve_with

SHIFT = make_shift(1, "07:30", 24, demand={DUTY: 1, ASSISTANT: 1})
BOTH = make_person("an", roles={DUTY, ASSISTANT})


def test_without_the_rule_one_person_would_fill_both_roles() -> None:
    out = solve_with(make_problem([BOTH], [SHIFT]))
    assert len(out.assignments) == 2


def test_with_the_rule_one_role_stays_uncovered() -> None:
    out = solve_with(make_problem([BOTH], [SHIFT]), hard=[one_role_per_shift])
    assert len(out.assignments) == 1
    assert sum(out.uncovered.values()) == 1


def test_two_people_share_the_roles() -> None:
    people = [BOTH, make_person("binh", roles={DUTY, ASSISTANT})]
    out = solve_with(make_problem(people, [SHIFT]), hard=[one_role_per_shift])
    assert {a.person for a in out.assignments} == {"an", "binh"}
    assert {a.role for a in out.assignments} == {DUTY, ASSISTANT}
