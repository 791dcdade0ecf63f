"""explain: reasons read from infeasibility cores of one-person sub-problems, never guessed."""

from __future__ import annotations

from dataclasses import replace

from duty_roster.solver.explain import NOT_CHECKED, NOT_PROVEN, explain_candidate, explain_uncovered
from duty_roster.solver.problem import DUTY
from duty_roster.solver.solution import UncoveredSlot
from tests.solver.builders import assign, make_person, make_problem, make_shift, no_rules


def reasons_for(problem, roster, shift_id: str, role: str = DUTY, **kw) -> dict[str, list]:
    (slot,) = explain_uncovered(problem, roster, [UncoveredSlot(shift_id, role, 1)], **kw)
    return {c.person: list(c.reasons) for c in slot.candidates}


def test_already_on_an_overlapping_shift() -> None:
    oncall = make_shift(1, "07:30", 24, sid="oncall", location="CSDT")
    court = make_shift(1, "13:30", 3.5, sid="court")
    problem = make_problem([make_person("an")], [oncall, court], rules=no_rules())
    (reason,) = reasons_for(problem, [assign("an", "oncall")], "court")["an"]
    assert reason.rule == "no_overlap"
    assert reason.message == "already on shift oncall (CSDT 2026-03-02 07:30)"
    assert reason.params["shift"] == "oncall"


def test_weekly_limit_reached() -> None:
    shifts = [make_shift(d, sid=f"s{d}") for d in (1, 2, 3)]
    problem = make_problem([make_person("an", max_shifts_per_week=2)], shifts, rules=no_rules())
    (reason,) = reasons_for(problem, [assign("an", "s1"), assign("an", "s2")], "s3")["an"]
    assert (reason.rule, reason.message) == ("capacity", "weekly limit 2 reached (week from 2026-03-02)")


def test_rules_written_elsewhere_are_explained_the_same_way() -> None:
    # max_shifts_per_day is another engineer's rule: it reaches explain through add_hard like every hard rule.
    am, pm = make_shift(2, "07:30", 4, sid="am"), make_shift(2, "13:30", 3.5, sid="pm")
    problem = make_problem([make_person("an")], [am, pm], rules=no_rules(max_shifts_per_day=1))
    (reason,) = reasons_for(problem, [assign("an", "am")], "pm")["an"]
    assert reason.rule == "max_shifts_per_day"


def test_independent_reasons_are_all_listed_and_each_is_minimal() -> None:
    oncall = make_shift(1, "07:30", 24, sid="oncall")
    court = make_shift(2, "13:30", 3.5, sid="court")
    problem = make_problem([make_person("an", max_shifts_per_week=1)], [oncall, court])
    rules = sorted(r.rule for r in reasons_for(problem, [assign("an", "oncall")], "court")["an"])
    assert rules == ["capacity", "minimum_rest", "rest_after_long_shift"]


def test_a_free_person_is_reported_honestly_as_not_proven() -> None:
    problem = make_problem([make_person("an")], [make_shift(1, sid="s")], rules=no_rules())
    (reason,) = reasons_for(problem, [], "s")["an"]
    assert reason.rule == NOT_PROVEN


def test_the_time_budget_bounds_the_work() -> None:
    people = [make_person(f"p{i}") for i in range(5)]
    problem = make_problem(people, [make_shift(1, sid="s")], rules=no_rules())
    got = reasons_for(problem, [], "s", time_limit=0.0)
    assert {r.rule for rs in got.values() for r in rs} == {NOT_CHECKED}


def test_a_locked_violation_elsewhere_does_not_hide_the_real_reason() -> None:
    # an's two locked shifts break the minimum rest (relaxed, locks win); the candidate is blocked by capacity only.
    night = make_shift(1, "22:00", 8, sid="night")
    early = make_shift(2, "13:00", 4, sid="early")
    late = make_shift(4, "07:30", 4, sid="late")
    person = make_person("an", max_shifts_per_week=2)
    problem = make_problem([person], [night, early, late], locked=(assign("an", "night"), assign("an", "early")))
    roster = [assign("an", "night"), assign("an", "early")]
    reasons = explain_candidate(problem, person, roster, assign("an", "late"))
    assert [r.rule for r in reasons] == ["capacity"]
    unlocked = replace(problem, locked=())
    assert "minimum_rest" in [r.rule for r in explain_candidate(unlocked, person, roster, assign("an", "late"))]
