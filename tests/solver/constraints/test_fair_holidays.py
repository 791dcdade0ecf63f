"""fair_holidays: holiday shifts in proportion to capacity."""

from __future__ import annotations

from collections import Counter

from duty_roster.solver.constraints import fair_holidays, locked
from duty_roster.solver.problem import Weights
from tests.solver.builders import assign, make_person, make_problem, make_shift, no_rules, solve_with

HOLIDAYS = [make_shift(d, "07:30", 4, sid=f"h{d}", is_holiday=True) for d in (1, 2, 3, 4)]


def test_holidays_follow_capacity() -> None:
    people = [make_person("an", capacity=1.0), make_person("binh", capacity=0.333)]
    out = solve_with(make_problem(people, HOLIDAYS, rules=no_rules()), soft=[fair_holidays])
    assert Counter(p for p, _s in out.pairs) == {"an": 3, "binh": 1}


def test_an_imbalance_is_priced_in_tenths() -> None:
    locks = tuple(assign("an", s.id) for s in HOLIDAYS)
    problem = make_problem([make_person("an"), make_person("binh")], HOLIDAYS, rules=no_rules(), locked=locks,
                           weights=Weights(fair_holidays=1))
    out = solve_with(problem, hard=[locked], soft=[fair_holidays])
    # target 2 each: 20 tenths off each -> max 20 + sum 40
    assert out.penalties["fair_holidays"] == 60
