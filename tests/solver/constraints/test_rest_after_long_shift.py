"""rest_after_long_shift: no shift within rules.rest_after_long_shift after a shift of rules.long_shift or more."""

from __future__ import annotations

from datetime import timedelta

from duty_roster.solver.constraints import rest_after_long_shift
from tests.solver.builders import make_person, make_problem, make_shift, no_rules, solve_with

RULES = no_rules(long_shift=timedelta(hours=24), rest_after_long_shift=timedelta(hours=24))


def test_a_court_session_the_morning_after_a_24h_on_call_is_refused() -> None:
    oncall = make_shift(1, "07:30", 24, sid="oncall")  # ends day 2 07:30
    court = make_shift(2, "13:30", 3.5, sid="court")
    out = solve_with(make_problem([make_person("an")], [oncall, court], rules=RULES), hard=[rest_after_long_shift])
    assert len(out.pairs) == 1


def test_the_next_on_call_a_full_day_later_is_fine() -> None:
    first = make_shift(1, "07:30", 24, sid="first")
    third = make_shift(3, "07:30", 24, sid="third")  # starts 24 h after the first ends
    out = solve_with(make_problem([make_person("an")], [first, third], rules=RULES), hard=[rest_after_long_shift])
    assert out.pairs == {("an", "first"), ("an", "third")}


def test_a_shorter_shift_is_not_long() -> None:
    twelve = make_shift(1, "07:30", 12, sid="twelve")
    court = make_shift(2, "07:30", 4, sid="court")
    out = solve_with(make_problem([make_person("an")], [twelve, court], rules=RULES), hard=[rest_after_long_shift])
    assert out.pairs == {("an", "twelve"), ("an", "court")}
