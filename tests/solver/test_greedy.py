"""greedy_roster: a quick first roster for the hint, within the time rules, shares following capacity."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from duty_roster.solver.constraints import fair_load
from duty_roster.solver.greedy import greedy_roster
from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import DUTY, Rules
from duty_roster.solver.validate import validate
from tests.solver.builders import assign, make_leave, make_person, make_problem, make_shift, no_rules


def week_of_oncalls_and_sessions():
    people = [make_person(p, max_shifts_per_week=3) for p in ("an", "binh", "chi", "dung")]
    shifts = [make_shift(d, "07:30", 24, sid=f"oncall{d}", is_night=True) for d in range(1, 8)]
    shifts += [make_shift(d, "07:30", 4, sid=f"am{d}") for d in range(1, 6)]
    return make_problem(people, shifts, rules=Rules(max_consecutive_nights=1))


def test_the_greedy_roster_covers_everything_and_breaks_no_rule() -> None:
    problem = week_of_oncalls_and_sessions()
    roster = greedy_roster(RosterModel(problem))
    assert len(roster) == 12
    assert validate(problem, roster) == []


def test_load_goes_to_whoever_is_furthest_below_their_share() -> None:
    people = [make_person("an", capacity=1.0), make_person("binh", capacity=0.5)]
    shifts = [make_shift(d, "07:30", 4) for d in range(1, 7)]
    roster = greedy_roster(RosterModel(make_problem(people, shifts, rules=Rules(min_rest=timedelta(hours=11)))))
    assert Counter(a.person for a in roster) == {"an": 4, "binh": 2}


def test_locks_come_first_and_count() -> None:
    problem = make_problem([make_person("an", max_shifts_per_week=1), make_person("binh")],
                           [make_shift(1, sid="s1"), make_shift(2, sid="s2")], locked=(assign("an", "s2"),))
    roster = greedy_roster(RosterModel(problem))
    assert set(roster) == {assign("an", "s2"), assign("binh", "s1", DUTY)}


def test_the_greedy_aims_at_the_fairness_targets() -> None:
    # binh is on leave the last three days, so fair_load asks 16 h of an and 8 h of binh; shares by hours worked
    # alone would have given binh the three sessions he can take (12 h each).
    shifts = [make_shift(d, "07:30", 4, sid=f"s{d}") for d in range(1, 7)]
    problem = make_problem([make_person("an"), make_person("binh")], shifts, rules=no_rules(),
                           unavailability=(make_leave("binh", 4, 6),))
    m = RosterModel(problem)
    fair_load(m)
    assert Counter(a.person for a in greedy_roster(m)) == {"an": 4, "binh": 2}


def test_slots_are_handed_over_towards_the_targets_after_the_fill() -> None:
    # an (capacity 2) is due 24 h, binh 12 h. The fill gives an the first session (a tie) and, later, the on-call:
    # 28 h against 8 h. Handing the session over to binh reaches both targets exactly.
    shifts = [*(make_shift(d, "07:30", 4, sid=f"s{d}") for d in (1, 2, 4)), make_shift(3, "07:30", 24, sid="oncall")]
    people = [make_person("an", capacity=2.0), make_person("binh")]
    m = RosterModel(make_problem(people, shifts, rules=no_rules()))
    fair_load(m)
    assert sorted((a.person, a.shift) for a in greedy_roster(m)) == [
        ("an", "oncall"), ("binh", "s1"), ("binh", "s2"), ("binh", "s4")]


def test_keep_holds_the_published_roster_and_refills_only_what_became_impossible() -> None:
    """Repair's start: the sick person's sessions go to others, every other published assignment stays."""
    people = [make_person(p) for p in ("an", "binh", "chi")]
    shifts = [make_shift(d, "07:30", 4, sid=f"am{d}") for d in range(1, 6)]
    shifts += [make_shift(d, "13:30", 4, sid=f"pm{d}") for d in range(1, 6)]
    problem = make_problem(people, shifts)
    published = greedy_roster(RosterModel(problem))
    sick = next(a.person for a in published if a.shift == "am1")
    lost = {a for a in published if a.person == sick and a.shift in {"am1", "pm1", "am2", "pm2"}}
    problem = make_problem(people, shifts, unavailability=(make_leave(sick, 1, 2),), published=tuple(published))

    start = greedy_roster(RosterModel(problem), keep=problem.published)

    assert set(published) - set(start) == lost  # only what the sickness forbids is dropped ...
    assert len(start) == len(published) == 10  # ... and each dropped slot is refilled
    assert all(a.person != sick for a in set(start) - set(published))
    assert validate(problem, start) == []
