"""fair_weekends: weekend DAYS worked (two shifts on one Saturday count once), in proportion to capacity."""

from __future__ import annotations

from duty_roster.solver.constraints import fair_weekends, locked
from duty_roster.solver.problem import Weights
from tests.solver.builders import assign, make_person, make_problem, make_shift, no_rules, solve_with

SAT_AM = make_shift(6, "07:30", 4, sid="sat_am", is_weekend=True)
SAT_PM = make_shift(6, "13:30", 3.5, sid="sat_pm", is_weekend=True)
SUN = make_shift(7, "07:30", 4, sid="sun", is_weekend=True)
PEOPLE = [make_person("an"), make_person("binh")]


def test_one_person_takes_the_whole_saturday_the_other_sunday() -> None:
    out = solve_with(make_problem(PEOPLE, [SAT_AM, SAT_PM, SUN], rules=no_rules()), soft=[fair_weekends])
    saturday = {p for p, s in out.pairs if s.startswith("sat")}
    sunday = {p for p, s in out.pairs if s == "sun"}
    assert len(saturday) == 1 and len(sunday) == 1 and saturday != sunday
    assert out.penalties["fair_weekends"] == 0


def test_splitting_saturday_costs_a_day() -> None:
    locks = (assign("an", "sat_am"), assign("binh", "sat_pm"), assign("an", "sun"))
    problem = make_problem(PEOPLE, [SAT_AM, SAT_PM, SUN], rules=no_rules(), locked=locks,
                           weights=Weights(fair_weekends=10))
    out = solve_with(problem, hard=[locked], soft=[fair_weekends])
    # Demand is one person-day on Saturday and one on Sunday: target 1 day each. an works 2 days (10 tenths over),
    # binh 1 (on target) -> (max 10 + sum 10) * 10
    assert out.penalties["fair_weekends"] == 200
