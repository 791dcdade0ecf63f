"""no_overlap: never two shifts at once."""

from __future__ import annotations

from duty_roster.solver.constraints import no_overlap
from duty_roster.solver.model import RosterModel
from tests.solver.builders import make_person, make_problem, make_shift, solve_with


def test_a_court_session_inside_an_on_call_cannot_both_go_to_one_person() -> None:
    oncall = make_shift(1, "07:30", 24, sid="oncall")
    court = make_shift(1, "13:30", 3.5, sid="court")
    out = solve_with(make_problem([make_person("an")], [oncall, court]), hard=[no_overlap])
    assert len(out.pairs) == 1


def test_back_to_back_shifts_do_not_overlap() -> None:
    first = make_shift(1, "07:30", 4, sid="am")
    second = make_shift(1, "11:30", 4, sid="noon")
    out = solve_with(make_problem([make_person("an")], [first, second]), hard=[no_overlap])
    assert out.pairs == {("an", "am"), ("an", "noon")}


def test_without_the_rule_both_would_be_taken() -> None:
    oncall = make_shift(1, "07:30", 24, sid="oncall")
    court = make_shift(1, "13:30", 3.5, sid="court")
    out = solve_with(make_problem([make_person("an")], [oncall, court]))
    assert len(out.pairs) == 2


def test_one_constraint_per_maximal_group_from_the_sweep() -> None:
    # a 24 h on-call overlaps both court sessions; the sessions do not overlap each other.
    oncall = make_shift(1, "07:30", 24, sid="oncall")
    am = make_shift(1, "07:30", 4, sid="am")
    pm = make_shift(1, "13:30", 3.5, sid="pm")
    m = RosterModel(make_problem([make_person("an")], [oncall, am, pm]))
    groups = [sorted(s.id for s in g) for g in m.overlap_cliques("an")]
    assert sorted(groups) == [["am", "oncall"], ["oncall", "pm"]]
    out = solve_with(make_problem([make_person("an")], [oncall, am, pm]), hard=[no_overlap])
    assert out.pairs == {("an", "am"), ("an", "pm")}  # two sessions beat one on-call for coverage
