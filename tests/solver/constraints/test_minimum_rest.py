"""minimum_rest: rules.min_rest between working days; shifts starting the same day are exempt."""

from __future__ import annotations

from datetime import timedelta

from duty_roster.solver.constraints import minimum_rest
from tests.solver.builders import make_person, make_problem, make_shift, no_rules, solve_with

RULES = no_rules(min_rest=timedelta(hours=11))


def test_seven_hours_after_a_night_is_too_little() -> None:
    night = make_shift(1, "22:00", 8, sid="night")  # ends day 2 at 06:00
    court = make_shift(2, "13:00", 4, sid="court")  # 7 h later
    out = solve_with(make_problem([make_person("an")], [night, court], rules=RULES), hard=[minimum_rest])
    assert len(out.pairs) == 1


def test_exactly_the_minimum_rest_is_enough() -> None:
    night = make_shift(1, "22:00", 8, sid="night")
    court = make_shift(2, "17:00", 4, sid="court")  # 11 h after 06:00
    out = solve_with(make_problem([make_person("an")], [night, court], rules=RULES), hard=[minimum_rest])
    assert out.pairs == {("an", "night"), ("an", "court")}


def test_morning_and_afternoon_sessions_of_one_day_are_one_working_day() -> None:
    am = make_shift(1, "07:30", 4, sid="am")
    pm = make_shift(1, "13:30", 3.5, sid="pm")  # 2 h after the morning ends, same day
    out = solve_with(make_problem([make_person("an")], [am, pm], rules=RULES), hard=[minimum_rest])
    assert out.pairs == {("an", "am"), ("an", "pm")}


def test_the_rule_switched_off_allows_it() -> None:
    night = make_shift(1, "22:00", 8, sid="night")
    court = make_shift(2, "13:00", 4, sid="court")
    out = solve_with(make_problem([make_person("an")], [night, court], rules=no_rules()), hard=[minimum_rest])
    assert len(out.pairs) == 2


def test_two_locked_shifts_too_close_stand_with_a_warning() -> None:
    from duty_roster.solver.constraints import locked
    from tests.solver.builders import assign

    night = make_shift(1, "22:00", 8, sid="night")
    court = make_shift(2, "13:00", 4, sid="court")
    problem = make_problem([make_person("an")], [night, court], rules=RULES,
                           locked=(assign("an", "night"), assign("an", "court")))
    out = solve_with(problem, hard=[minimum_rest, locked])
    assert out.pairs == {("an", "night"), ("an", "court")}
    assert [w.rule for w in out.warnings] == ["minimum_rest"]
