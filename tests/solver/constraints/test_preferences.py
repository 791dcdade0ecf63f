"""preferences: a wanted shift/day not worked, or an unwanted shift worked, costs weights.preference * weight."""

from __future__ import annotations

from duty_roster.solver.constraints.coverage import coverage
from duty_roster.solver.constraints.eligibility import eligibility, unavailability
from duty_roster.solver.constraints.preferences import preferences
from duty_roster.solver.problem import Preference, Weights
from tests.solver.builders import day_of, make_leave, make_person, make_problem, make_shift
from tests.solver.constraints.run_rules import solve_rules


def test_unwanted_shift_costs_its_weight_times_the_factor() -> None:
    shifts = [make_shift(1, "07:30", 4, sid="s1")]
    prefs = (Preference("an", wanted=False, weight=2, shift="s1"),)
    problem = make_problem([make_person("an")], shifts, preferences=prefs, weights=Weights(preference=5))
    out = solve_rules(problem, coverage, preferences)  # coverage forces an onto s1
    assert out.assigned == {("an", "s1")}
    assert out.penalties["preferences"] == 10


def test_wanted_shift_goes_to_the_person_who_wants_it() -> None:
    shifts = [make_shift(1, "07:30", 4, sid="d1", type="D"), make_shift(1, "13:30", 4, sid="e1", type="E")]
    people = [make_person("an"), make_person("binh")]
    prefs = (Preference("an", wanted=True, weight=3, day=day_of(1), type="D"),
             Preference("an", wanted=False, weight=1, type="E"))
    out = solve_rules(make_problem(people, shifts, preferences=prefs), coverage, preferences)
    assert out.assigned == {("an", "d1"), ("binh", "e1")}
    assert out.penalties["preferences"] == 0


def test_wish_missed_by_working_another_shift_costs_its_weight() -> None:
    # an wants D on day 1 but D needs a skill an lacks: the wish can never be met, working E does not help.
    shifts = [make_shift(1, "07:30", 4, sid="d1", type="D", skills={"khmer"}),
              make_shift(1, "13:30", 4, sid="e1", type="E")]
    people = [make_person("an"), make_person("binh", skills={"khmer"})]
    prefs = (Preference("an", wanted=True, weight=2, day=day_of(1), type="D"),)
    out = solve_rules(make_problem(people, shifts, preferences=prefs), eligibility, coverage, preferences)
    assert ("binh", "d1") in out.assigned
    assert out.penalties["preferences"] == 2


def test_weekday_wish_costs_once_per_missed_matching_day() -> None:
    # an wants Mondays (days 1, 8, 15) and is on leave on day 8: one missed day.
    shifts = [make_shift(d, "07:30", 4, sid=f"s{d}") for d in (1, 8, 15)]
    prefs = (Preference("an", wanted=True, weight=4, weekday=0),)
    problem = make_problem([make_person("an")], shifts, preferences=prefs, unavailability=(make_leave("an", 8),))
    out = solve_rules(problem, unavailability, coverage, preferences)
    assert out.assigned == {("an", "s1"), ("an", "s15")}
    assert out.penalties["preferences"] == 4


def test_without_preferences_nothing_is_charged() -> None:
    shifts = [make_shift(1, "07:30", 4, sid="s1")]
    prefs = (Preference("an", wanted=False, weight=2, shift="s1"),)
    out = solve_rules(make_problem([make_person("an")], shifts, preferences=prefs), coverage)
    assert "preferences" not in out.penalties
