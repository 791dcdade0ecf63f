"""locked: locked assignments stay exactly as they are."""

from __future__ import annotations

from duty_roster.solver.constraints import locked
from duty_roster.solver.problem import DUTY
from tests.solver.builders import assign, make_person, make_problem, make_shift, no_rules, solve_with


def prefer_an(m) -> None:
    """Test-only goal: "binh" costs 1 per assignment, so without a lock "an" is chosen."""
    for (pid, _sid, _role), var in m.x.items():
        if pid == "binh":
            m.add_penalty("prefer_an", var, 1)


def test_without_a_lock_the_cheaper_person_is_chosen() -> None:
    problem = make_problem([make_person("an"), make_person("binh")], [make_shift(1, sid="s")], rules=no_rules())
    assert solve_with(problem, hard=[locked], soft=[prefer_an]).pairs == {("an", "s")}


def test_the_locked_person_keeps_the_shift() -> None:
    problem = make_problem([make_person("an"), make_person("binh")], [make_shift(1, sid="s")], rules=no_rules(),
                           locked=(assign("binh", "s"),))
    out = solve_with(problem, hard=[locked], soft=[prefer_an])
    assert out.pairs == {("binh", "s")}
    assert out.penalties["prefer_an"] == 1


def test_a_lock_on_an_unknown_shift_is_a_warning_not_a_crash() -> None:
    problem = make_problem([make_person("an")], [make_shift(1, sid="s")], rules=no_rules(),
                           locked=(assign("an", "gone"),))
    out = solve_with(problem, hard=[locked])
    assert out.pairs == {("an", "s")}
    assert [w.rule for w in out.warnings] == ["locked"]


def test_a_lock_in_a_role_the_shift_does_not_demand_is_kept() -> None:
    problem = make_problem([make_person("an", roles={"liaison"})], [make_shift(1, sid="s")], rules=no_rules(),
                           locked=(assign("an", "s", "liaison"),))
    out = solve_with(problem, hard=[locked])
    assert out.assignments == {assign("an", "s", "liaison")}
    assert out.uncovered == {("s", DUTY): 1}
