"""Generate a draft roster for a period: materialise shifts, build the Problem, solve, store the draft."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.orm import Session

from duty_roster.audit import record
from duty_roster.models import Assignment, AssignmentSource, Centre, Roster, RosterStatus, User
from duty_roster.rostering.errors import RosteringError
from duty_roster.rostering.problem_builder import BuiltProblem, build_problem
from duty_roster.rostering.report import solve_report
from duty_roster.solver.solution import NO_SOLUTION, Progress, Solution


def check_period(start: date, end: date, max_days: int | None) -> None:
    if end < start:
        raise RosteringError(
            f"Kỳ trực không hợp lệ: ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y} "
            f"/ the period ends ({end}) before it starts ({start})"
        )
    length = (end - start).days + 1
    if max_days is not None and length > max_days:
        raise RosteringError(
            f"Kỳ trực quá dài: {length} ngày, tối đa {max_days} / the period is {length} days long, at most {max_days}"
        )


def store_draft(
    session: Session,
    centre: Centre,
    built: BuiltProblem,
    solution: Solution,
    *,
    time_limit: float,
    created_by: User | None = None,
    based_on: Roster | None = None,
    note: str = "",
) -> Roster:
    problem = built.problem
    locked = {(a.person, a.shift, a.role) for a in problem.locked}
    roster = Roster(
        centre_id=centre.id,
        period_start=problem.first_day,
        period_end=problem.last_day,
        status=RosterStatus.DRAFT,
        based_on=based_on,
        created_by=created_by,
        note=note,
        solve_report=solve_report(solution, time_limit=time_limit),
    )
    roster.assignments = [
        Assignment(
            shift=built.shifts[a.shift],
            person=built.people[a.person],
            role=a.role,
            locked=(a.person, a.shift, a.role) in locked,
            source=AssignmentSource.SOLVER,
        )
        for a in solution.assignments
    ]
    session.add(roster)
    session.flush()
    return roster


def generate_draft(
    session: Session,
    centre: Centre,
    start: date,
    end: date,
    *,
    time_limit: float,
    workers: int,
    max_days: int | None,
    seed: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    before_search: Callable[[], None] | None = None,
    created_by: User | None = None,
    now: datetime | None = None,
    **audit_detail: object,
) -> Roster:
    """Solve the period and store the result as a new draft (earlier drafts stay; only one version is published).

    `before_search` runs once the problem is built (its shifts materialised) and before CP-SAT starts: the job
    runner commits there so that its progress writes are not blocked. `max_days` None skips the length check (a
    queued job was checked when it was queued).
    """
    from duty_roster.solver.solve import solve  # OR-Tools loads where rosters are solved, not in every process

    check_period(start, end, max_days)
    built = build_problem(session, centre, start, end, now=now)
    if not built.problem.shifts:
        raise RosteringError(
            f"Không có ca trực nào từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} / no shifts to fill in this period: "
            "check the locations' shift patterns"
        )
    if before_search is not None:
        before_search()
    solution = solve(built.problem, time_limit=time_limit, workers=workers, seed=seed, on_progress=on_progress)
    if solution.status == NO_SOLUTION:
        reasons = "; ".join(w.message for w in solution.warnings)
        raise RosteringError(
            f"Không tìm được lịch trực trong {time_limit:g} giây / no roster found within {time_limit:g} s"
            + (f": {reasons}" if reasons else ": allow a longer time limit")
        )
    roster = store_draft(session, centre, built, solution, time_limit=time_limit, created_by=created_by)
    record(
        session, "roster.generate", centre=centre, user=created_by, entity="roster", entity_id=roster.id,
        period=f"{start}..{end}", status=solution.status, uncovered=len(solution.uncovered), **audit_detail,
    )
    return roster
