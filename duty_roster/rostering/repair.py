"""Repair a published roster after new unavailability, changing as few assignments as possible."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from duty_roster.audit import record
from duty_roster.models import Roster, RosterStatus, User
from duty_roster.rostering.drafts import store_draft
from duty_roster.rostering.errors import RosteringError
from duty_roster.rostering.problem_builder import build_problem


def _carry_answers(base: Roster, draft: Roster) -> None:
    """Confirmations survive a repair: an assignment the repair keeps (same shift, person and role) stays confirmed.
    Declined ones are never kept (build_problem makes the person unavailable for that shift)."""
    confirmed = {(a.shift_id, a.person_id, a.role): a.confirmed_at for a in base.assignments if a.confirmed_at}
    for assignment in draft.assignments:
        assignment.confirmed_at = confirmed.get((assignment.shift_id, assignment.person_id, assignment.role))


def repair_draft(
    session: Session,
    roster: Roster,
    *,
    time_limit: float,
    workers: int,
    created_by: User | None = None,
    now: datetime | None = None,
) -> Roster:
    """A new draft based on the published `roster`: past shifts kept, the future changed as little as possible."""
    from duty_roster.solver.repair import repair  # OR-Tools loads where rosters are solved

    if roster.status is not RosterStatus.PUBLISHED:
        raise RosteringError(
            f"Chỉ sửa được lịch đã công bố; lịch #{roster.id} đang là {roster.status.value} "
            f"/ only a published roster can be repaired; roster {roster.id} is {roster.status.value}"
        )
    centre = roster.centre
    built = build_problem(session, centre, roster.period_start, roster.period_end, base=roster, now=now)
    solution = repair(built.problem, time_limit=time_limit, workers=workers)
    draft = store_draft(
        session, centre, built, solution, time_limit=time_limit, created_by=created_by, based_on=roster,
        note=f"repair of version {roster.version}",
    )
    _carry_answers(roster, draft)
    record(
        session, "roster.repair", centre=centre, user=created_by, entity="roster", entity_id=draft.id,
        based_on=roster.id, changes=solution.changes, uncovered=len(solution.uncovered),
    )
    return draft
