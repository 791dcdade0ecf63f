"""Curtois & Qu benchmark: the parser, the independent evaluator, and the solver through the shared RosterModel."""

from __future__ import annotations

import pytest

from benchmarks.curtois import evaluator as ev
from benchmarks.curtois.parser import InstanceFormatError, default_dir, load, parse

INSTANCES = default_dir()
needs_instances = pytest.mark.skipif(
    not (INSTANCES / "Instance1.txt").is_file(),
    reason=f"Curtois instances not found in {INSTANCES} (set DUTY_ROSTER_CURTOIS_DIR or keep shared/ beside the repo)",
)

# A two-week toy instance: D (8 h) and N (10 h, no D the day after an N); weekends are days 5-6 and 12-13.
TINY = """\
# comment
SECTION_HORIZON
14

SECTION_SHIFTS
D,480,
N,600,D

SECTION_STAFF
A,D=10|N=2,6000,960,3,2,2,1
B,D=10|N=0,6000,0,5,1,1,2

SECTION_DAYS_OFF
A,13
B,0

SECTION_SHIFT_ON_REQUESTS
A,0,D,2
B,3,D,1

SECTION_SHIFT_OFF_REQUESTS
A,1,D,3

SECTION_COVER
""" + "".join(f"{d},D,1,100,1\n{d},N,0,100,1\n" for d in range(14))


def tiny():
    return parse(TINY.replace("\n", "\r\n"), name="tiny")


def roster(a: str, b: str) -> dict[str, list[str | None]]:
    """Two 14-character strings, one letter per day ('.' = off)."""
    return {"A": [None if c == "." else c for c in a], "B": [None if c == "." else c for c in b]}


# --- parser -----------------------------------------------------------------------------------------------------


@needs_instances
def test_parser_reads_instance1_exactly() -> None:
    inst = load(1)
    assert inst.name == "Instance1"
    assert inst.horizon == 14
    assert [(s.id, s.minutes, s.cannot_follow) for s in inst.shifts] == [("D", 480, ())]
    assert [s.id for s in inst.staff] == list("ABCDEFGH")
    a = inst.staff[0]
    assert (a.max_shifts, a.max_total_minutes, a.min_total_minutes) == ({"D": 14}, 4320, 3360)
    assert (a.max_consecutive_shifts, a.min_consecutive_shifts, a.min_consecutive_days_off, a.max_weekends) == (
        5, 2, 2, 1,
    )
    assert inst.days_off == {"A": (0,), "B": (5,), "C": (8,), "D": (2,), "E": (9,), "F": (5,), "G": (1,), "H": (7,)}
    assert len(inst.on_requests) == 21 and len(inst.off_requests) == 5
    assert inst.on_requests[0].staff == "A" and inst.on_requests[0].day == 2 and inst.on_requests[0].weight == 2
    assert (inst.off_requests[-1].staff, inst.off_requests[-1].day, inst.off_requests[-1].weight) == ("H", 3, 3)
    assert len(inst.cover) == 14
    assert [c.requirement for c in inst.cover] == [5, 7, 6, 4, 5, 5, 5, 6, 7, 4, 2, 5, 6, 4]
    assert {(c.weight_under, c.weight_over) for c in inst.cover} == {(100, 1)}


@needs_instances
def test_parser_reads_forbidden_successions_of_instance3() -> None:
    inst = load("Instance3")
    assert {s.id: s.cannot_follow for s in inst.shifts} == {"E": (), "D": ("E",), "L": ("E", "D")}
    assert inst.staff[0].max_shifts == {"E": 14, "D": 14, "L": 0}


def test_parser_rejects_unknown_shift_in_cover() -> None:
    with pytest.raises(InstanceFormatError, match="unknown shift 'X'"):
        parse(TINY + "0,X,1,100,1\n")


def test_parser_handles_crlf_and_comments() -> None:
    inst = tiny()
    assert inst.horizon == 14 and [s.id for s in inst.shifts] == ["D", "N"]
    assert inst.shifts[1].cannot_follow == ("D",)
    assert len(inst.cover) == 28


# --- evaluator ----------------------------------------------------------------------------------------------------

# A feasible roster: A works D on days 0-2 and N on the first weekend; B works D on days 1-5 and 7-11.
GOOD_A = "DDD..NN......."
GOOD_B = ".DDDDD.DDDDD.."


def test_evaluator_objective_of_a_feasible_roster() -> None:
    result = ev.evaluate(tiny(), roster(GOOD_A, GOOD_B))
    assert result.violations == []
    # On-requests A,0,D and B,3,D are met; off-request A,1,D is violated (3).
    # Cover D (1 a day): days 1 and 2 have A and B (over 2 x 1); days 6, 12, 13 have nobody (under 3 x 100).
    # Cover N (0 a day): A on days 5 and 6 (over 2 x 1).
    assert result.breakdown == {"on_requests": 0, "off_requests": 3, "under_cover": 300, "over_cover": 4}
    assert result.objective == 307
    assert result.feasible


def test_evaluator_on_request_is_violated_by_a_different_shift() -> None:
    result = ev.evaluate(tiny(), roster("NDD..NN.......", GOOD_B))
    assert result.breakdown["on_requests"] == 2  # A asked for D on day 0 and got N


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("DDD..NN..D....", GOOD_B, ev.MIN_CONSECUTIVE),  # A's one-day block on day 9 (min 2)
        ("DDDD..NN......", GOOD_B, ev.MAX_CONSECUTIVE),  # 4 days in a row, at most 3
        ("DDD..NND......", GOOD_B, ev.SHIFT_ROTATION),  # D the day after an N
        ("DDD..NNN......", GOOD_B, ev.MAX_SHIFTS),  # 3 N, at most 2
        ("D.DD..NN......", GOOD_B, ev.MIN_DAYS_OFF),  # a single day off inside the horizon (min 2)
        ("D.............", GOOD_B, ev.MIN_MINUTES),  # 480 < 960 minutes
        ("DDD..NN....DD.", GOOD_B, ev.MAX_WEEKENDS),  # two weekends, at most 1
        ("DDD..NN.....DD", GOOD_B, ev.DAYS_OFF),  # A's day off 13
        (GOOD_A, ".DDDDD.DDDDN..", ev.MAX_SHIFTS),  # B may never work N
        (GOOD_A, "DDDDDD.DDDD...", ev.DAYS_OFF),  # B's day off 0
        (GOOD_A, ".DDDDDDDDDD...", ev.MAX_CONSECUTIVE),  # 10 days for B, at most 5
    ],
)
def test_evaluator_flags_each_violation(a: str, b: str, kind: str) -> None:
    result = ev.evaluate(tiny(), roster(a, b))
    assert kind in result.kinds(), result.violations
    assert not result.feasible


def test_evaluator_flags_only_the_broken_rule() -> None:
    result = ev.evaluate(tiny(), roster("DDD..NN....DD.", GOOD_B))  # A works weekends 0 and 1
    assert [v.kind for v in result.violations] == [ev.MAX_WEEKENDS]
    assert result.violations[0].staff == "A"


def test_evaluator_flags_max_total_minutes() -> None:
    inst = parse(TINY.replace("A,D=10|N=2,6000,960", "A,D=10|N=2,1400,960"))
    result = ev.evaluate(inst, roster(GOOD_A, GOOD_B))  # 3 x 480 + 2 x 600 = 2640 > 1400
    assert result.kinds() == {ev.MAX_MINUTES}


def test_evaluator_flags_two_shifts_on_one_day_and_shape_errors() -> None:
    bad = roster(GOOD_A, GOOD_B)
    bad["A"][10] = ["D", "N"]  # type: ignore[call-overload]
    assert ev.ONE_SHIFT_PER_DAY in ev.evaluate(tiny(), bad).kinds()
    short = {"A": [None] * 13, "B": list(roster(GOOD_A, GOOD_B)["B"])}
    assert ev.SHAPE in ev.evaluate(tiny(), short).kinds()
    unknown = roster(GOOD_A, GOOD_B)
    unknown["B"][7] = "X"
    assert ev.UNKNOWN_SHIFT in ev.evaluate(tiny(), unknown).kinds()


def test_evaluator_exempts_border_blocks_from_minimums() -> None:
    # A (min 2 worked, min 2 off) works only day 0: both its one-day block and the off block touch a border.
    result = ev.evaluate(tiny(), roster("D.............", GOOD_B))
    assert ev.MIN_CONSECUTIVE not in result.kinds()
    assert ev.MIN_DAYS_OFF not in result.kinds()  # days 1..13 off touch the end border


# --- mapping and the solver through the shared model -----------------------------------------------------------


def test_mapping_builds_one_shift_per_day_and_type_with_the_benchmark_rules() -> None:
    from benchmarks.curtois.mapping import DAY0, to_problem

    mapped = to_problem(tiny())
    problem = mapped.problem
    assert DAY0.weekday() == 0
    assert len(problem.shifts) == 28 and problem.first_day == DAY0 and (problem.last_day - DAY0).days == 13
    n4 = problem.shift("d004-N")
    assert (n4.type, n4.minutes, dict(n4.demand), n4.under_weight, n4.over_weight) == ("N", 600, {"duty": 0}, 100, 1)
    assert problem.shift("d005-D").is_weekend and not problem.shift("d004-D").is_weekend
    a = problem.person("A")
    assert (a.max_shifts_per_type, a.min_total_minutes, a.max_total_minutes) == ({"D": 10, "N": 2}, 960, 6000)
    assert (a.max_consecutive_days, a.min_consecutive_days, a.min_consecutive_days_off, a.max_weekends) == (3, 2, 2, 1)
    assert problem.rules.forbidden_successions == frozenset({("N", "D")})
    assert problem.rules.max_shifts_per_day == 1 and problem.rules.min_rest is None
    assert problem.soft_goals == ("preferences",)
    assert [(u.person, (u.start.date() - DAY0).days, u.reason) for u in problem.unavailability] == [
        ("A", 13, "day_off"), ("B", 0, "day_off"),
    ]
    assert len(problem.preferences) == 3 and sum(p.wanted for p in problem.preferences) == 2


def test_solver_on_the_tiny_instance_matches_the_evaluator() -> None:
    # B may not work N, N has requirement 0: the optimum leaves D uncovered only where A and B cannot both reach.
    from benchmarks.curtois.runner import solve_instance

    record = solve_instance(tiny(), time_limit=5, workers=2)
    assert record["status"] == "optimal"
    assert record["evaluator_feasible"], record["evaluator_violations"]
    assert record["evaluator_objective"] == record["objective"]


def test_a_zero_requirement_shift_can_be_worked_at_the_over_cover_price() -> None:
    # A must work 960 minutes but only the N shifts (requirement 0, over-cover 1 each) are open to A.
    from benchmarks.curtois.runner import solve_instance

    text = TINY.replace("A,D=10|N=2,6000,960,3,2,2,1", "A,D=0|N=2,6000,1200,3,1,1,1")
    record = solve_instance(parse(text, name="zero"), time_limit=5, workers=2)
    worked = [t for t in record["roster"]["A"] if t]
    assert worked == ["N", "N"]
    assert record["evaluator_feasible"] and record["evaluator_objective"] == record["objective"]


@needs_instances
@pytest.mark.slow
def test_solver_on_instance1_is_confirmed_by_the_evaluator() -> None:
    from benchmarks.curtois.runner import best_known, solve_instance

    record = solve_instance(load(1), time_limit=10, workers=8, known=best_known())
    assert record["evaluator_feasible"], record["evaluator_violations"]
    assert record["evaluator_objective"] == record["objective"]
    assert record["best_known"] == 607
    assert record["objective"] == 607  # proven optimal in ~1-5 s on 2 busy cores


def test_instances_directory_comes_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DUTY_ROSTER_CURTOIS_DIR", str(tmp_path))
    assert default_dir() == tmp_path
    monkeypatch.delenv("DUTY_ROSTER_CURTOIS_DIR")
    assert default_dir().parts[-3:] == ("shared", "benchmarks", "curtois")


def test_command_line_prints_one_json_object(tmp_path, capsys) -> None:
    import json

    from benchmarks.curtois.__main__ import main, parse_range

    assert parse_range("1-3,7") == [1, 2, 3, 7]
    (tmp_path / "Instance99.txt").write_text(TINY.replace("\n", "\r\n"), encoding="ascii")
    (tmp_path / "best_known.csv").write_text("instance,days,staff,shifts,lower_bound,best_known,note\n"
                                             "Instance99,14,2,2,0,307,made up\n", encoding="utf-8")
    assert main(["99", "--time-limit", "5", "--workers", "2", "--json", "--dir", str(tmp_path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) >= {"instance", "objective", "best_bound", "status", "seconds", "evaluator_feasible",
                           "evaluator_objective", "best_known", "gap_to_best", "roster"}
    assert record["instance"] == "Instance99" and record["best_known"] == 307
    assert record["evaluator_feasible"] and record["evaluator_objective"] == record["objective"]
    assert record["objective"] <= 307  # the hand-made feasible roster costs 307; the optimum is no worse
    assert sorted(record["roster"]) == ["A", "B"] and len(record["roster"]["A"]) == 14
