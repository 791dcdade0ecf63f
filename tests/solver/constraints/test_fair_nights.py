"""fair_nights: night shifts in proportion to capacity, in tenths of a shift."""

from __future__ import annotations

from collections import Counter

from duty_roster.solver.constraints import fair_nights, locked
from duty_roster.solver.problem import History, Weights
from tests.solver.builders import assign, make_person, make_problem, make_shift, no_rules, solve_with

NIGHTS = [make_shift(d, "22:00", 8, sid=f"n{d}", is_night=True) for d in (1, 3)]
DAY = make_shift(5, "07:30", 4, sid="day")


def test_nights_are_split_and_day_shifts_do_not_count() -> None:
    people = [make_person("an"), make_person("binh")]
    locks = (assign("an", "day"),)
    out = solve_with(make_problem(people, [*NIGHTS, DAY], rules=no_rules(), locked=locks), hard=[locked],
                     soft=[fair_nights])
    assert Counter(p for p, s in out.pairs if s != "day") == {"an": 1, "binh": 1}
    assert out.penalties["fair_nights"] == 0


def test_two_nights_on_one_person_cost_max_plus_sum_in_tenths() -> None:
    people = [make_person("an"), make_person("binh")]
    locks = (assign("an", "n1"), assign("an", "n3"))
    problem = make_problem(people, NIGHTS, rules=no_rules(), locked=locks, weights=Weights(fair_nights=10))
    out = solve_with(problem, hard=[locked], soft=[fair_nights])
    # target 1 each; an +1, binh -1 -> 10 tenths each: (max 10 + sum 20) * 10
    assert out.penalties["fair_nights"] == 300


def test_who_had_more_nights_last_month_gets_fewer() -> None:
    history = (History("an", nights=2, capacity_periods=1.0), History("binh", capacity_periods=1.0))
    out = solve_with(make_problem([make_person("an"), make_person("binh")], NIGHTS, rules=no_rules(),
                                  history=history), soft=[fair_nights])
    assert {p for p, _s in out.pairs} == {"binh"}
    assert out.penalties["fair_nights"] == 0
