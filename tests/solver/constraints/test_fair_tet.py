"""fair_tet: Tết shifts shared across years, weighted heavier than other holidays by default."""

from __future__ import annotations

from collections import Counter

from duty_roster.solver.constraints import fair_holidays, fair_tet
from duty_roster.solver.problem import History, Weights
from tests.solver.builders import make_person, make_problem, make_shift, no_rules, solve_with

TET = [make_shift(d, "07:30", 24, sid=f"tet{d}", is_tet=True, is_holiday=True) for d in (1, 3)]


def test_last_years_tet_duty_means_none_this_year() -> None:
    history = (History("an", tet=2, capacity_periods=1.0), History("binh", capacity_periods=1.0))
    out = solve_with(make_problem([make_person("an"), make_person("binh")], TET, rules=no_rules(), history=history),
                     soft=[fair_tet])
    assert Counter(p for p, _s in out.pairs) == {"binh": 2}
    assert out.penalties["fair_tet"] == 0


def test_tet_outweighs_ordinary_holidays_by_default() -> None:
    # History says an did 2 Tết shifts, binh 2 ordinary holidays: Tết fairness (30) beats holiday fairness (10).
    history = (History("an", tet=2, capacity_periods=1.0), History("binh", holidays=2, capacity_periods=1.0))
    problem = make_problem([make_person("an"), make_person("binh")], TET, rules=no_rules(), history=history,
                           weights=Weights())
    out = solve_with(problem, soft=[fair_tet, fair_holidays])
    assert Counter(p for p, _s in out.pairs) == {"binh": 2}
    assert Weights().fair_tet > Weights().fair_holidays
