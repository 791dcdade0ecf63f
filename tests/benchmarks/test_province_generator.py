"""Smoke test of the province-scale generator: deterministic, the right counts, and an S centre solves cleanly."""

from __future__ import annotations

from datetime import date, timedelta

from benchmarks.province.generator import JUVENILE, KHMER, describe, generate, generate_xl
from benchmarks.province.runner import markdown, plan
from duty_roster.solver.problem import ASSISTANT, DUTY
from duty_roster.solver.validate import uncovered, validate


def test_same_seed_same_centre_other_seed_other_centre() -> None:
    assert generate("S", 7) == generate("S", 7)
    assert generate("S", 7) != generate("S", 8)


def test_s_centre_counts_in_the_tet_month() -> None:
    p = generate("S", 0)
    assert describe(p) | {"unavailability": 0, "preferences": 0} == {
        "people": 15,
        "officers": 6,
        "lawyers": 6,
        "assistants": 3,
        "locations": 3,
        "days": 28,  # February 2026
        "shifts": 88,
        "slots": 117,  # 60 court sessions + 28 on-calls x (duty + assistant) + a second duty person on Tết eve
        "court_shifts": 60,  # 2 courts x 2 sessions x 15 working days (20 weekdays minus Tết 16-20/2)
        "oncall_shifts": 28,
        "tet_shifts": 5,
        "juvenile_shifts": 12,
        "khmer_shifts": 6,
        "unavailability": 0,
        "preferences": 0,
    }
    assert (p.first_day, p.last_day) == (date(2026, 2, 1), date(2026, 2, 28))
    assert len(p.history) == 15 and p.unavailability and p.preferences


def test_shifts_follow_the_calendar_and_the_programmes() -> None:
    p = generate("S", 0)
    tet = {date(2026, 2, 16) + timedelta(days=i) for i in range(5)}
    for s in p.shifts:
        assert s.start.utcoffset() == timedelta(hours=7) and s.day == s.start.date()
        assert s.is_tet == (s.day in tet) and s.is_weekend == (s.day.weekday() >= 5)
        if s.duty_type == "court":
            assert s.day.weekday() < 5 and s.day not in tet
            assert (s.start.time().isoformat(), s.end.time().isoformat()) in {
                ("07:30:00", "11:30:00"),
                ("13:30:00", "17:00:00"),
            }
            assert dict(s.demand) == {DUTY: 1} and s.sessions == 1.0
        else:
            assert s.duration == timedelta(hours=24) and s.is_night and s.sessions == 6.0
            assert dict(s.demand) == {DUTY: 2 if s.day == date(2026, 2, 16) else 1, ASSISTANT: 1}
    # Some sessions need juvenile training or Khmer, and someone eligible exists for each.
    for s in p.shifts:
        for skill in s.required_skills:
            assert skill == JUVENILE and any(skill in x.skills for x in p.people)
        for lang in s.required_languages:
            assert lang == KHMER and any(lang in x.languages for x in p.people)


def test_m_and_xl_sizes() -> None:
    m = describe(generate("M", 0))
    assert (m["people"], m["locations"], m["days"]) == (60, 12, 31)
    assert m["court_shifts"] == 9 * 2 * 22 and m["oncall_shifts"] == 3 * 31  # March 2026: 22 working days
    centres = generate_xl(0)
    assert len(centres) == 34
    ids = [p.people[0].id for p in centres]
    assert len(set(ids)) == 34 and centres[0] != centres[1]


def test_plan_and_report_shapes() -> None:
    cases = plan(
        sizes=["S", "repair", "workers", "XL"],
        seed=0,
        workers=8,
        limits={"S": 1, "M": 2, "L": 3, "XL": 4, "repair": 5},
        compare_workers=[1, 2, 8],
        repeats=3,
        xl_jobs=2,
    )
    assert [c["name"] for c in cases][:2] == ["S", "M repair"]
    assert sum(c.get("group") == "workers" for c in cases) == 9 and sum(c.get("group") == "XL" for c in cases) == 2
    assert "error" in markdown([{**cases[0], "error": "boom"}])


def test_s_centre_solves_cleanly_in_two_seconds() -> None:
    from duty_roster.solver.solve import solve

    p = generate("S", 0)
    solution = solve(p, time_limit=2, workers=2, seed=0)
    assert solution.status in ("optimal", "feasible")
    assert validate(p, solution.assignments) == []
    assert {(u.shift, u.role, u.missing) for u in solution.uncovered} == {
        (u.shift, u.role, u.missing) for u in uncovered(p, solution.assignments)
    }
