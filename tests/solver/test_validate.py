"""The independent validator: one small story per hard rule.

Each test builds a problem where only the rule under test can be broken, then shows the validator rejects the
violating roster (with that rule, that person, those shifts) and accepts the compliant one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from duty_roster.solver.problem import ASSISTANT, DUTY, Assignment, Person, Problem, Rules, Shift, Unavailability
from duty_roster.solver.solution import UncoveredSlot
from duty_roster.solver.validate import CONSTRAINT, RULES, Violation, new_violations, uncovered, validate

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = date(2026, 3, 2)

# Rules with every optional hard rule off, so a test turns on only the one it is about.
NO_RULES = Rules(min_rest=None, rest_after_long_shift=None, max_consecutive_nights=None)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    d = MONDAY + timedelta(days=day)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=TZ)


def shift(sid: str, day: int = 0, hour: int = 8, hours: float = 4, **kw: object) -> Shift:
    start = at(day, hour)
    return Shift(
        id=sid,
        start=start,
        end=start + timedelta(hours=hours),
        day=start.date(),
        type=str(kw.pop("type", "D")),
        **kw,  # type: ignore[arg-type]
    )


def days(n: int, **kw: object) -> tuple[Shift, ...]:
    """One 8-hour day shift per day for n days: s0, s1, ..."""
    return tuple(shift(f"s{d}", d, **kw) for d in range(n))


def problem(people: list[Person], shifts: tuple[Shift, ...] | list[Shift], rules: Rules = NO_RULES, **kw) -> Problem:
    return Problem(people=tuple(people), shifts=tuple(shifts), rules=rules, **kw)


def put(person: str, *shift_ids: str, role: str = DUTY) -> list[Assignment]:
    return [Assignment(person, s, role) for s in shift_ids]


def rules_of(violations: list[Violation]) -> list[str]:
    return [v.rule for v in violations]


def only(violations: list[Violation], rule: str) -> Violation:
    assert rules_of(violations) == [rule], violations
    v = violations[0]
    assert v.message.endswith(".") and (v.person is None or v.person in v.message)
    return v


P = Person("p")


# --- identities and coverage -----------------------------------------------------------------------------------------


def test_unknown_person_and_shift_are_reported_and_skipped() -> None:
    pb = problem([P], [shift("a")])
    assert validate(pb, put("p", "a")) == []
    v = validate(pb, [Assignment("ghost", "a"), Assignment("p", "nowhere")])
    assert rules_of(v) == ["unknown_person", "unknown_shift"]
    assert v[0].params["person"] == "ghost" and v[1].shifts == ("nowhere",)


def test_duplicate_assignment() -> None:
    pb = problem([P], [shift("a")])
    v = only(validate(pb, put("p", "a", "a")), "duplicate_assignment")
    assert v.person == "p" and v.shifts == ("a",)


def test_one_role_per_shift() -> None:
    pb = problem([Person("p", roles=frozenset({DUTY, ASSISTANT}))], [shift("a", demand={DUTY: 1, ASSISTANT: 1})])
    assert validate(pb, put("p", "a")) == []
    v = only(validate(pb, put("p", "a") + put("p", "a", role=ASSISTANT)), "one_role_per_shift")
    assert v.params["roles"] == "assistant, duty"


def test_over_coverage_is_a_violation_unless_the_shift_allows_it() -> None:
    people = [Person("p"), Person("q")]
    capped = problem(people, [shift("a")])
    assert validate(capped, put("p", "a")) == []
    v = only(validate(capped, put("p", "a") + put("q", "a")), "over_coverage")
    assert v.shifts == ("a",) and v.params["demand"] == "1" and v.params["assigned"] == "2"
    elastic = problem(people, [shift("a", over_weight=1)])
    assert validate(elastic, put("p", "a") + put("q", "a")) == []


def test_a_role_the_shift_does_not_demand_is_over_coverage() -> None:
    pb = problem([Person("p", roles=frozenset({ASSISTANT}))], [shift("a")])
    only(validate(pb, put("p", "a", role=ASSISTANT)), "over_coverage")


def test_missing_people_are_uncovered_not_violations() -> None:
    pb = problem([Person("p"), Person("q")], [shift("a", demand={DUTY: 2, ASSISTANT: 1}), shift("b")])
    roster = put("p", "a") + put("ghost", "b")
    assert validate(pb, put("p", "a")) == []
    assert uncovered(pb, roster) == (
        UncoveredSlot("a", DUTY, 1),
        UncoveredSlot("a", ASSISTANT, 1),
        UncoveredSlot("b", DUTY, 1),
    )
    assert uncovered(pb, put("p", "a", "b") + put("q", "a") + put("q", "a")) == (UncoveredSlot("a", ASSISTANT, 1),)


# --- eligibility -----------------------------------------------------------------------------------------------------


def test_role_not_held() -> None:
    pb = problem([Person("p", roles=frozenset({ASSISTANT}))], [shift("a", demand={DUTY: 1, ASSISTANT: 1})])
    assert validate(pb, put("p", "a", role=ASSISTANT)) == []
    v = only(validate(pb, put("p", "a")), "role_not_held")
    assert v.params["role"] == DUTY


def test_kind_not_allowed_per_duty_type_and_role() -> None:
    rules = Rules(
        min_rest=None,
        rest_after_long_shift=None,
        max_consecutive_nights=None,
        allowed_kinds={"investigation": {DUTY: frozenset({"officer", "lawyer"})}},
    )
    people = [Person("off", kind="officer"), Person("asst", kind="assistant")]
    shifts = [shift("inv", duty_type="investigation"), shift("court", 1, duty_type="court")]
    pb = problem(people, shifts, rules)
    assert validate(pb, put("off", "inv") + put("asst", "court")) == []  # court duty type is unrestricted
    v = only(validate(pb, put("asst", "inv")), "kind_not_allowed")
    assert v.params == {
        "person": "asst",
        "shift": "inv",
        "kind": "assistant",
        "role": DUTY,
        "duty_type": "investigation",
        "allowed": "lawyer, officer",
    }


def test_area_served_by_areas_then_branch_then_anywhere() -> None:
    people = [
        Person("home", branch="B1"),
        Person("wide", branch="B1", areas=frozenset({"B1", "B2"})),
        Person("free"),
    ]
    pb = problem(people, [shift("b2", area="B2"), shift("any", 1)])
    assert validate(pb, put("wide", "b2") + put("home", "any")) == []
    assert validate(pb, put("free", "b2")) == []
    v = only(validate(pb, put("home", "b2")), "area_not_served")
    assert "B1" in v.message and v.params["area"] == "B2"


def test_required_skills_and_languages() -> None:
    juvenile = shift("a", required_skills=frozenset({"juvenile"}))
    khmer = shift("b", 1, required_languages=frozenset({"km"}))
    people = [Person("p", skills=frozenset({"juvenile"})), Person("q", languages=frozenset({"km", "vi"}))]
    pb = problem(people, [juvenile, khmer])
    assert validate(pb, put("p", "a") + put("q", "b")) == []
    assert rules_of(validate(pb, put("q", "a") + put("p", "b"))) == ["missing_skill", "missing_language"]


def test_contract_dates_are_inclusive() -> None:
    person = Person("p", contract_start=MONDAY + timedelta(days=1), contract_end=MONDAY + timedelta(days=2))
    pb = problem([person], days(4))
    assert validate(pb, put("p", "s1", "s2")) == []
    v = validate(pb, put("p", "s0", "s3"))
    assert rules_of(v) == ["outside_contract", "outside_contract"]
    assert "contract_start" in v[0].params and "contract_end" in v[1].params


def test_unavailability_overlap_only() -> None:
    pb = problem(
        [P],
        [shift("am", 0, 7, 4), shift("pm", 0, 13, 4)],
        unavailability=(Unavailability("p", at(0, 11), at(0, 13), "training"),),
    )
    assert validate(pb, put("p", "am", "pm")) == []  # ends exactly at 11:00, next starts exactly at 13:00
    pb2 = problem([P], [shift("am", 0, 7, 4)], unavailability=(Unavailability("p", at(0, 10), at(0, 12)),))
    v = only(validate(pb2, put("p", "am")), "unavailable")
    assert v.params["reason"] == "leave"


def test_locked_assignments_must_stay() -> None:
    pb = problem([P, Person("q")], [shift("a")], locked=(Assignment("p", "a"),))
    assert validate(pb, put("p", "a")) == []
    assert rules_of(validate(pb, put("q", "a"))) == ["locked"]


# --- time between shifts ---------------------------------------------------------------------------------------------


def test_overlapping_shifts() -> None:
    pb = problem([P], [shift("a", 0, 8, 4), shift("b", 0, 11, 4), shift("c", 0, 12, 4)])
    assert validate(pb, put("p", "a", "c")) == []  # touching is not overlapping
    v = only(validate(pb, put("p", "a", "b")), "no_overlap")
    assert v.shifts == ("a", "b")


def test_minimum_rest_between_working_days_but_not_within_a_day() -> None:
    rules = Rules(min_rest=timedelta(hours=11), rest_after_long_shift=None, max_consecutive_nights=None)
    # Mon 07:30-11:30 and 13:30-17:00 (same day: exempt); Mon 19:00-23:00; Tue 07:00 (8 h after 23:00).
    am, pm = shift("am", 0, 7, 4), shift("pm", 0, 13, 4)
    late, early, fine = shift("late", 0, 19, 4), shift("early", 1, 7, 4), shift("fine", 1, 10, 4)
    pb = problem([P], [am, pm, late, early, fine], rules)
    assert validate(pb, put("p", "am", "pm", "late", "fine")) == []  # 23:00 -> 10:00 is exactly 11 h
    v = only(validate(pb, put("p", "am", "pm", "late", "early")), "minimum_rest")
    assert v.shifts == ("late", "early") and v.params["rest"] == "8 h" and v.params["required"] == "11 h"


def test_rest_after_long_shift() -> None:
    rules = Rules(min_rest=None, rest_after_long_shift=timedelta(hours=24), max_consecutive_nights=None)
    oncall = shift("oncall", 0, 7, 24)  # Mon 07:00 -> Tue 07:00
    pb = problem([P], [oncall, shift("tue", 1, 8, 4), shift("wed", 2, 7, 4), shift("short", 3, 7, 12)], rules)
    assert validate(pb, put("p", "oncall", "wed")) == []  # exactly 24 h later
    v = only(validate(pb, put("p", "oncall", "tue")), "rest_after_long_shift")
    assert v.shifts == ("oncall", "tue")
    pb2 = problem([P], [shift("short", 0, 7, 12), shift("next", 0, 20, 4)], rules)
    assert validate(pb2, put("p", "short", "next")) == []  # a 12-hour shift is not long


# --- per day and per period ------------------------------------------------------------------------------------------


def test_max_shifts_per_day() -> None:
    pb = problem([P], [shift("am", 0, 7, 4), shift("pm", 0, 13, 4)], Rules(max_shifts_per_day=1))
    assert validate(pb, put("p", "am")) == []
    v = only(validate(pb, put("p", "am", "pm")), "max_shifts_per_day")
    assert v.shifts == ("am", "pm")


def test_forbidden_successions_are_directional() -> None:
    rules = Rules(min_rest=None, rest_after_long_shift=None, forbidden_successions=frozenset({("N", "D")}))
    night, day = shift("n", 0, 20, 8, type="N"), shift("d", 1, 20, 8, type="D")
    pb = problem([P], [shift("d0", 0, 8, 8, type="D"), shift("n1", 1, 20, 8, type="N"), night, day], rules)
    assert validate(pb, put("p", "d0", "n1")) == []  # D then N is fine
    v = only(validate(pb, put("p", "n", "d")), "forbidden_successions")
    assert v.params["first_type"] == "N" and v.params["second_type"] == "D"


def test_max_consecutive_nights() -> None:
    rules = Rules(min_rest=None, rest_after_long_shift=None, max_consecutive_nights=2)
    nights = tuple(shift(f"n{d}", d, 22, 8, is_night=True) for d in range(4))
    pb = problem([P], nights, rules)
    assert validate(pb, put("p", "n0", "n1", "n3")) == []
    v = only(validate(pb, put("p", "n0", "n1", "n2")), "max_consecutive_nights")
    assert v.shifts == ("n0", "n1", "n2") and v.params["count"] == "3"


@pytest.mark.parametrize(
    ("week_start", "legal", "illegal", "week"),
    [
        (0, ["s5", "s6", "s7"], ["s1", "s2", "s3"], "2026-03-02"),  # Sat Sun | Mon; Tue Wed Thu
        (2, ["s1", "s2", "s3"], ["s5", "s6", "s7"], "2026-03-04"),  # Tue | Wed Thu; Sat Sun Mon
    ],
)
def test_max_shifts_per_week_follows_rules_week_start(
    week_start: int, legal: list[str], illegal: list[str], week: str
) -> None:
    rules = Rules(min_rest=None, rest_after_long_shift=None, week_start=week_start)
    pb = problem([Person("p", max_shifts_per_week=2)], days(10), rules)
    assert validate(pb, put("p", *legal)) == []
    v = only(validate(pb, put("p", *illegal)), "max_shifts_per_week")
    assert v.params["week_start"] == week and v.shifts == tuple(illegal)


def test_max_shifts_per_calendar_month() -> None:
    person = Person("p", max_shifts_per_month=2)
    shifts = [shift("feb", -2), shift("mar1", 0), shift("mar2", 1), shift("mar3", 2)]  # Feb 28, Mar 2, 3, 4
    pb = problem([person], shifts)
    assert validate(pb, put("p", "feb", "mar1", "mar2")) == []
    v = only(validate(pb, put("p", "mar1", "mar2", "mar3")), "max_shifts_per_month")
    assert v.params["month"] == "2026-03"


def test_max_shifts_per_type() -> None:
    pb = problem(
        [Person("p", max_shifts_per_type={"N": 1, "E": 0})],
        [shift("n0", 0, type="N"), shift("n1", 1, type="N"), shift("e2", 2, type="E"), shift("d3", 3, type="D")],
    )
    assert validate(pb, put("p", "n0", "d3")) == []  # no limit for D
    assert rules_of(validate(pb, put("p", "n0", "n1", "e2"))) == ["max_shifts_per_type", "max_shifts_per_type"]


def test_min_and_max_total_minutes() -> None:
    pb = problem([Person("p", min_total_minutes=8 * 60, max_total_minutes=16 * 60)], days(3, hours=8))
    assert validate(pb, put("p", "s0")) == []
    assert validate(pb, put("p", "s0", "s2")) == []
    only(validate(pb, []), "min_total_minutes")  # nobody worked at all: still below the minimum
    v = only(validate(pb, put("p", "s0", "s1", "s2")), "max_total_minutes")
    assert v.params["minutes"] == "1440"


# --- sequences of days -----------------------------------------------------------------------------------------------


def test_max_consecutive_days_counts_only_days_inside_the_horizon() -> None:
    pb = problem([Person("p", max_consecutive_days=2)], days(5))
    assert validate(pb, put("p", "s0", "s1", "s3", "s4")) == []
    v = only(validate(pb, put("p", "s1", "s2", "s3")), "max_consecutive_days")
    assert v.shifts == ("s1", "s2", "s3")
    # The horizon starts on day 2: days 0 and 1 lie outside and count as off.
    late = problem([Person("p", max_consecutive_days=2)], days(5), horizon_start=MONDAY + timedelta(days=2))
    assert validate(late, put("p", "s0", "s1", "s2", "s3")) == []


def test_min_consecutive_days_exempts_blocks_touching_the_border() -> None:
    pb = problem([Person("p", min_consecutive_days=2)], days(7))
    assert validate(pb, put("p", "s0", "s3", "s4", "s6")) == []  # single days only at the borders
    v = only(validate(pb, put("p", "s2", "s4", "s5")), "min_consecutive_days")
    assert v.shifts == ("s2",) and v.params["count"] == "1"


def test_min_consecutive_days_off_between_working_stretches() -> None:
    pb = problem([Person("p", min_consecutive_days_off=2)], days(7))
    assert validate(pb, put("p", "s1", "s4", "s5")) == []  # off 0 (border), off 2-3, off 6 (border)
    assert validate(pb, []) == []  # the whole horizon off touches both borders
    v = only(validate(pb, put("p", "s0", "s1", "s3", "s6")), "min_consecutive_days_off")
    assert v.params["first_day"] == v.params["last_day"] == "2026-03-04"
    assert v.shifts == ("s1", "s3")


def test_max_weekends_counts_saturday_and_sunday_as_one() -> None:
    sat, sun = shift("sat", 5, is_weekend=True), shift("sun", 6, is_weekend=True)
    sat2 = shift("sat2", 12, is_weekend=True)
    pb = problem([Person("p", max_weekends=1)], [shift("fri", 4), sat, sun, sat2])
    assert validate(pb, put("p", "fri", "sat", "sun")) == []
    v = only(validate(pb, put("p", "sun", "sat2")), "max_weekends")
    assert v.params["count"] == "2"


# --- the API use: what would this edit break? ------------------------------------------------------------------------


def test_new_violations_reports_only_what_an_edit_breaks() -> None:
    rules = Rules(min_rest=timedelta(hours=11), rest_after_long_shift=None, max_consecutive_nights=None)
    pb = problem(
        [P, Person("q", skills=frozenset({"juvenile"}))],
        [shift("a", 0, 19, 4), shift("b", 1, 7, 4), shift("j", 3, required_skills=frozenset({"juvenile"}))],
        rules,
    )
    before = put("p", "a", "j") + put("q", "b")  # p lacks the skill for j: an old problem
    after = put("p", "a", "b", "j")  # coordinator moves p onto b
    v = new_violations(pb, before, after)
    assert rules_of(v) == ["minimum_rest"]
    assert "only 8 h of rest" in v[0].message


def test_every_rule_name_is_listed() -> None:
    assert len(set(RULES)) == len(RULES) == 28
    assert set(CONSTRAINT) == set(RULES)


def test_every_hard_rule_of_the_model_has_a_check_here() -> None:
    """A hard rule added to constraints.HARD without an independent check here fails this test."""
    from duty_roster.solver.constraints import HARD

    assert {rule.__name__ for rule in HARD} == {c for c in CONSTRAINT.values() if c is not None}


def test_a_month_of_sixty_people_is_checked_whole() -> None:
    """60 people, 1,500 slots, every person far over the weekly limit: each breach is found (the speed of this case
    is measured in benchmarks/validator.py, not asserted here)."""
    from benchmarks.validator import month_case

    pb, roster = month_case()
    violations = validate(pb, roster)
    weekly = [v for v in violations if v.rule == "max_shifts_per_week"]
    assert len(roster) == 1500
    assert {v.person for v in weekly} == {p.id for p in pb.people}
