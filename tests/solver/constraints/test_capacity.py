"""capacity: person.max_shifts_per_week (weeks from rules.week_start) and max_shifts_per_month (calendar)."""

from __future__ import annotations

from datetime import date

from duty_roster.solver.constraints import capacity
from tests.solver.builders import make_person, make_problem, make_shift, no_rules, solve_with


def sessions(*days):
    return [make_shift(d, "07:30", 4) for d in days]


def test_two_a_week_leaves_the_third_uncovered() -> None:
    out = solve_with(make_problem([make_person("an", max_shifts_per_week=2)], sessions(1, 2, 3), rules=no_rules()),
                     hard=[capacity])
    assert len(out.pairs) == 2


def test_the_week_boundary_follows_week_start() -> None:
    person = make_person("an", max_shifts_per_week=2)
    shifts = sessions(6, 7, 8)  # Saturday, Sunday, Monday
    monday_weeks = solve_with(make_problem([person], shifts, rules=no_rules(week_start=0)), hard=[capacity])
    sunday_weeks = solve_with(make_problem([person], shifts, rules=no_rules(week_start=6)), hard=[capacity])
    wednesday_weeks = solve_with(make_problem([person], shifts, rules=no_rules(week_start=2)), hard=[capacity])
    assert len(monday_weeks.pairs) == 3  # Sat+Sun | Mon
    assert len(sunday_weeks.pairs) == 3  # Sat | Sun+Mon
    assert len(wednesday_weeks.pairs) == 2  # Wed..Tue holds all three


def test_monthly_limit_counts_calendar_months() -> None:
    person = make_person("an", max_shifts_per_month=1)
    across = solve_with(make_problem([person], sessions(date(2026, 3, 31), date(2026, 4, 1)), rules=no_rules()),
                        hard=[capacity])
    within = solve_with(make_problem([person], sessions(date(2026, 3, 30), date(2026, 3, 31)), rules=no_rules()),
                        hard=[capacity])
    assert len(across.pairs) == 2
    assert len(within.pairs) == 1


def test_no_limit_means_no_constraint() -> None:
    out = solve_with(make_problem([make_person("an")], sessions(1, 2, 3, 4, 5, 6, 7), rules=no_rules()),
                     hard=[capacity])
    assert len(out.pairs) == 7
