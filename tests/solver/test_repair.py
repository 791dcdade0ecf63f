"""repair(): minimal changes first, then the other goals."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from duty_roster.solver.problem import DUTY
from duty_roster.solver.repair import lock_past, repair
from duty_roster.solver.solution import OPTIMAL
from duty_roster.solver.solve import solve
from tests.solver.builders import at, make_leave, make_person, make_problem, make_shift


def month_of_sessions(days: int = 10):
    people = [make_person(p) for p in ("an", "binh", "chi", "dung")]
    shifts = [make_shift(d, "07:30", 4, sid=f"am{d}", location="TA") for d in range(1, days + 1)]
    shifts += [make_shift(d, "07:30", 24, sid=f"oncall{d}", location="CSDT", type="oncall_24h")
               for d in range(1, days + 1, 2)]
    return make_problem(people, shifts, soft_goals=None)


def test_three_days_of_sickness_change_only_the_sick_persons_assignments() -> None:
    problem = month_of_sessions()
    roster = solve(problem, time_limit=2, explain=False)
    assert roster.uncovered == ()
    sick = next(a.person for a in roster.assignments if a.shift == "am5")
    leave = make_leave(sick, 4, 6)
    overlapping = {s.id for s in problem.shifts if s.start < leave.end and leave.start < s.end}
    affected = {a for a in roster.assignments if a.person == sick and a.shift in overlapping}
    assert affected
    sick_problem = replace(problem, published=roster.assignments, unavailability=(leave,))

    repaired = repair(sick_problem, time_limit=2, explain=False)

    assert repaired.uncovered == ()
    before, after = set(roster.assignments), set(repaired.assignments)
    assert before - after == affected  # exactly the sick person's shifts were dropped ...
    assert {a.shift for a in after - before} == {a.shift for a in affected}  # ... and refilled, nothing else moved
    assert repaired.changes == 2 * len(affected)
    assert repaired.penalties["stability"] == 2 * len(affected) * problem.weights.stability


def test_past_shifts_are_locked() -> None:
    problem = month_of_sessions(days=4)
    roster = solve(problem, time_limit=1, explain=False)
    locked = lock_past(replace(problem, published=roster.assignments), before=at(3, "00:00"))
    past = {s.id for s in problem.shifts if s.start < at(3, "00:00")}
    assert {a.shift for a in locked.locked} == {a.shift for a in roster.assignments if a.shift in past}


def test_a_repair_with_nothing_to_change_changes_nothing() -> None:
    problem = month_of_sessions(days=4)
    roster = solve(problem, time_limit=1, explain=False)
    repaired = repair(replace(problem, published=roster.assignments), time_limit=1, explain=False)
    assert repaired.status == OPTIMAL or repaired.changes == 0
    assert repaired.changes == 0
    assert set(repaired.assignments) == set(roster.assignments)
    assert all(a.role == DUTY for a in repaired.assignments)
    assert timedelta(seconds=repaired.seconds) < timedelta(seconds=10)


def test_a_repair_whose_first_stage_was_cut_short_is_not_called_optimal(monkeypatch) -> None:
    """Stage 2 is optimal only under stage 1's caps: if stage 1 stopped at its time limit, nothing is proven."""
    from ortools.sat.python import cp_model

    from duty_roster.solver import repair as repair_module
    from duty_roster.solver.solution import FEASIBLE

    problem = month_of_sessions(4)
    roster = solve(problem, time_limit=2, explain=False)
    sick = next(a.person for a in roster.assignments if a.shift == "am2")
    sick_problem = replace(problem, published=roster.assignments, unavailability=(make_leave(sick, 2, 2),))
    real_run, calls = repair_module.run, []

    def stage_one_cut_short(*args, **kwargs):
        solver, status, seconds = real_run(*args, **kwargs)
        calls.append(status)
        if len(calls) == 1 and status == cp_model.OPTIMAL:
            status = cp_model.FEASIBLE  # what CP-SAT answers when the limit stops it with a solution in hand
        return solver, status, seconds

    monkeypatch.setattr(repair_module, "run", stage_one_cut_short)
    repaired = repair(sick_problem, time_limit=2, explain=False)

    assert calls[1] == cp_model.OPTIMAL  # stage 2 proved its own optimum ...
    assert repaired.status == FEASIBLE  # ... which proves nothing overall
    assert repaired.uncovered == ()
