"""Manual adjustment of a draft roster: add, move or remove one assignment, checked against the hard rules.

Each change is validated with the solver's independent validator on the whole resulting roster (the Problem of the
roster's period, built like a generation would build it); only violations the change introduces count, so a draft
that was already illegal elsewhere does not block an unrelated fix. A violating change is refused with the
validator's messages unless the director forces it with a stated reason, which the audit log keeps with the
violations. Published and superseded versions are immutable: change them by repair or swap, which publish a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.audit import record
from duty_roster.field_errors import FieldErrors
from duty_roster.models import Assignment, AssignmentSource, Person, Roster, RosterStatus, User
from duty_roster.rostering.errors import HardRuleViolation, RosteringError
from duty_roster.rostering.problem_builder import BuiltProblem, build_problem
from duty_roster.solver import problem as sp
from duty_roster.solver.validate import Violation, new_violations

ROLES = (sp.DUTY, sp.ASSISTANT)


@dataclass(frozen=True)
class Change:
    """The target of an add or a move: a person in a role on a shift."""

    shift_id: int
    person: Person
    role: str = sp.DUTY


@dataclass(frozen=True)
class Force:
    """A director's override of the hard rules, with the reason the audit log keeps."""

    reason: str


@dataclass(frozen=True)
class AdjustResult:
    roster: Roster
    assignment: Assignment | None  # the added or moved assignment; None after a removal
    forced: tuple[Violation, ...]  # the violations accepted by force (empty for a clean change)


def solver_assignments(rows: list[Assignment]) -> list[sp.Assignment]:
    return [sp.Assignment(a.person.code, str(a.shift_id), a.role) for a in rows]


def check_change(
    built: BuiltProblem, before: list[sp.Assignment], after: list[sp.Assignment], what: str, force: Force | None
) -> tuple[Violation, ...]:
    """The violations `after` adds to `before`: raised as HardRuleViolation unless forced, then returned."""
    introduced = new_violations(built.problem, before, after)
    if introduced and force is None:
        raise HardRuleViolation(what, introduced)
    return tuple(introduced)


def _locked_draft(session: Session, roster: Roster) -> Roster:
    """The roster row locked for the check-and-write (two concurrent edits cannot each pass alone)."""
    locked = session.scalar(sa.select(Roster).where(Roster.id == roster.id).with_for_update()
                            .execution_options(populate_existing=True))
    assert locked is not None
    if locked.status is not RosterStatus.DRAFT:
        raise RosteringError(
            f"Lịch trực #{roster.id} đã {'công bố' if locked.status is RosterStatus.PUBLISHED else 'bị thay thế'}, "
            f"không sửa được; hãy lập bản sửa (repair) hoặc đổi ca / roster {roster.id} is {locked.status.value} "
            "and cannot be changed: only drafts are edited by hand (repair it or use a swap instead)"
        )
    return locked


def _check_target(built: BuiltProblem, roster: Roster, change: Change) -> None:
    errors = []
    if str(change.shift_id) not in built.shifts or built.shifts[str(change.shift_id)].centre_id != roster.centre_id:
        errors.append(("shift_id", f"Ca #{change.shift_id} không thuộc kỳ trực {roster.period_start:%d/%m/%Y}–"
                                   f"{roster.period_end:%d/%m/%Y} / shift {change.shift_id} is not a shift of this "
                                   "roster's period"))
    if change.person.centre_id != roster.centre_id:
        errors.append(("person", "Không có người này trong trung tâm / no such person in your centre"))
    elif change.person.code not in built.people:
        errors.append(("person", f"{change.person.full_name} ({change.person.code}) không còn hoạt động / "
                                 f"person {change.person.code} is inactive"))
    if change.role not in ROLES:
        errors.append(("role", f"Vai trò phải là {' hoặc '.join(ROLES)} / role must be one of {', '.join(ROLES)}"))
    if errors:
        raise FieldErrors(errors)


def _duplicate(roster: Roster, change: Change, ignore: Assignment | None = None) -> None:
    for a in roster.assignments:
        if a is not ignore and (a.shift_id, a.person_id, a.role) == (change.shift_id, change.person.id, change.role):
            raise FieldErrors.one(
                "person", f"{change.person.code} đã có trong ca #{change.shift_id} với vai trò {change.role} / "
                          f"{change.person.code} already has this shift in this role (assignment {a.id})",
                status=409,
            )


def _audit(session: Session, action: str, roster: Roster, user: User | None, force: Force | None,
           forced: tuple[Violation, ...], **detail: object) -> None:
    if force is not None and forced:
        detail.update(reason=force.reason, forced=True,
                      violations=[{"rule": v.rule, "message": v.message, "person": v.person,
                                   "shifts": list(v.shifts)} for v in forced])
        action = f"{action}.force"
    record(session, action, centre=roster.centre, user=user, entity="roster", entity_id=roster.id, **detail)


def add_assignment(
    session: Session, roster: Roster, change: Change, *, user: User | None = None, force: Force | None = None
) -> AdjustResult:
    roster = _locked_draft(session, roster)
    built = build_problem(session, roster.centre, roster.period_start, roster.period_end)
    _check_target(built, roster, change)
    _duplicate(roster, change)
    before = solver_assignments(roster.assignments)
    after = [*before, sp.Assignment(change.person.code, str(change.shift_id), change.role)]
    forced = check_change(built, before, after, f"Thêm {change.person.code} / adding {change.person.code}", force)
    assignment = Assignment(shift_id=change.shift_id, person=change.person, role=change.role,
                            source=AssignmentSource.MANUAL)
    roster.assignments.append(assignment)
    session.flush()
    _audit(session, "assignment.add", roster, user, force, forced, assignment=assignment.id,
           shift=change.shift_id, person=change.person.code, role=change.role)
    return AdjustResult(roster, assignment, forced)


def _draft_holding(session: Session, roster: Roster, assignment: Assignment) -> tuple[Roster, BuiltProblem]:
    """The locked draft that holds `assignment` (404 otherwise) and the Problem of its period, to validate against."""
    roster = _locked_draft(session, roster)
    if assignment.roster_id != roster.id:
        raise FieldErrors.one("assignment", f"Phân công #{assignment.id} không thuộc lịch #{roster.id} / assignment "
                                            f"{assignment.id} is not in roster {roster.id}", status=404)
    return roster, build_problem(session, roster.centre, roster.period_start, roster.period_end)


def move_assignment(
    session: Session, roster: Roster, assignment: Assignment, change: Change, *, user: User | None = None,
    force: Force | None = None,
) -> AdjustResult:
    """Put another person, shift or role on `assignment` (what a drag and drop in the UI does)."""
    roster, built = _draft_holding(session, roster, assignment)
    _check_target(built, roster, change)
    _duplicate(roster, change, ignore=assignment)
    before = solver_assignments(roster.assignments)
    others = solver_assignments([a for a in roster.assignments if a is not assignment])
    after = [*others, sp.Assignment(change.person.code, str(change.shift_id), change.role)]
    old = {"shift": assignment.shift_id, "person": assignment.person.code, "role": assignment.role}
    forced = check_change(built, before, after, f"Chuyển phân công #{assignment.id} / moving assignment "
                                                f"{assignment.id}", force)
    assignment.shift_id = change.shift_id
    assignment.person = change.person
    assignment.role = change.role
    assignment.source = AssignmentSource.MANUAL
    session.flush()
    session.refresh(assignment)
    _audit(session, "assignment.move", roster, user, force, forced, assignment=assignment.id, before=old,
           after={"shift": change.shift_id, "person": change.person.code, "role": change.role})
    return AdjustResult(roster, assignment, forced)


def remove_assignment(
    session: Session, roster: Roster, assignment: Assignment, *, user: User | None = None, force: Force | None = None
) -> AdjustResult:
    """Removing can break a rule too (a minimum of days in a row, a locked slot), so it is validated like the rest."""
    roster, built = _draft_holding(session, roster, assignment)
    before = solver_assignments(roster.assignments)
    after = solver_assignments([a for a in roster.assignments if a is not assignment])
    forced = check_change(built, before, after, f"Bỏ phân công #{assignment.id} / removing assignment "
                                                f"{assignment.id}", force)
    old = {"shift": assignment.shift_id, "person": assignment.person.code, "role": assignment.role}
    roster.assignments.remove(assignment)
    session.flush()
    _audit(session, "assignment.remove", roster, user, force, forced, assignment=assignment.id, before=old)
    return AdjustResult(roster, None, forced)
