"""max_consecutive_nights: at most N nights on consecutive days."""

from __future__ import annotations

from duty_roster.solver.constraints import max_consecutive_nights
from tests.solver.builders import make_person, make_problem, make_shift, no_rules, solve_with

RULES = no_rules(max_consecutive_nights=2)


def nights(*days: int):
    return [make_shift(d, "22:00", 8, is_night=True) for d in days]


def test_three_nights_in_a_row_are_one_too_many() -> None:
    out = solve_with(make_problem([make_person("an")], nights(1, 2, 3), rules=RULES), hard=[max_consecutive_nights])
    assert len(out.pairs) == 2


def test_a_gap_day_resets_the_run() -> None:
    out = solve_with(make_problem([make_person("an")], nights(1, 2, 4, 5), rules=RULES),
                     hard=[max_consecutive_nights])
    assert len(out.pairs) == 4


def test_day_shifts_do_not_count_as_nights() -> None:
    shifts = [*nights(1, 2), make_shift(3, "07:30", 4)]
    out = solve_with(make_problem([make_person("an")], shifts, rules=RULES), hard=[max_consecutive_nights])
    assert len(out.pairs) == 3
