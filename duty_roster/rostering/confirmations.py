"""Confirming and declining published assignments (xác nhận / từ chối ca trực), by SMS reply, web page or API.

Rules:
- Only assignments of the current published version whose shift has not started can be answered; a superseded
  version's assignment (the roster was repaired or swapped since) or a started shift is refused.
- A person may change their mind until the shift starts: confirming after a decline withdraws the decline (the
  coordinators are told, so nobody repairs for nothing); declining after a confirmation declines. Giving the same
  answer twice changes nothing (no second audit entry, no second alert).
- Every decline queues an urgent alert SMS (through the outbox, in the caller's transaction) to the centre's
  coordinators whose account is linked to a person with a phone; when there is none, to the director(s).
Nothing here commits: the caller does, so the answer, its audit entry and its alerts are written together.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.audit import record
from duty_roster.models import Assignment, OutboxMessage, Person, Role, Roster, RosterStatus, Shift, User
from duty_roster.notify import replies
from duty_roster.phones import mask_phone
from duty_roster.rostering.errors import RosteringError

log = logging.getLogger(__name__)

CHANNELS = ("sms", "web", "api")
MAX_REASON = 500


class NotAnswerable(RosteringError):
    """The assignment is not one of the current published version (a draft, or superseded since)."""


class ShiftStarted(RosteringError):
    """The shift has started (or is over): its answer is frozen."""


@dataclass(frozen=True)
class Answer:
    """What a confirm/decline did: `changed` is False when the same answer was already given."""

    assignment: Assignment
    changed: bool
    previous: str  # "none" | "confirmed" | "declined"
    alerts: tuple[OutboxMessage, ...] = ()  # the messages queued for the coordinators


def _check(assignment: Assignment, now: datetime, via: str) -> None:
    if via not in CHANNELS:
        raise ValueError(f"via must be one of {CHANNELS}, got {via!r}")
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    roster = assignment.roster
    if roster.status is not RosterStatus.PUBLISHED:
        raise NotAnswerable(
            f"Phân công #{assignment.id} không thuộc lịch trực đang công bố (lịch #{roster.id} là "
            f"{roster.status.value}) / assignment {assignment.id} is not in the current published roster (roster "
            f"{roster.id} is {roster.status.value}): reload the roster"
        )
    if assignment.shift.start_at <= now:
        raise ShiftStarted(
            f"Ca trực của phân công #{assignment.id} đã bắt đầu, không thể xác nhận hay từ chối nữa / the shift of "
            f"assignment {assignment.id} has already started: it can no longer be confirmed or declined"
        )


def _previous(assignment: Assignment) -> str:
    if assignment.declined_at is not None:
        return "declined"
    return "confirmed" if assignment.confirmed_at is not None else "none"


def alert_recipients(session: Session, assignment: Assignment) -> list[Person]:
    """The centre's coordinators' people with a phone (the decliner aside); the director(s) when there is none."""
    centre_id = assignment.roster.centre_id
    for role in (Role.COORDINATOR, Role.DIRECTOR):
        people = session.scalars(
            sa.select(Person).join(User, User.person_id == Person.id)
            .where(User.centre_id == centre_id, User.role == role, User.active.is_(True),
                   Person.id != assignment.person_id, Person.phone != "")
            .order_by(User.id)
        ).all()
        unique = list({p.phone: p for p in people}.values())
        if unique:
            return unique
    return []


def _alert(
    session: Session, assignment: Assignment, now: datetime, kind: str, reason: str = ""
) -> tuple[OutboxMessage, ...]:
    from duty_roster.notify.outbox import enqueue

    recipients = alert_recipients(session, assignment)
    if not recipients:
        log.warning("no coordinator or director with a phone to alert about assignment %s", assignment.id)
    queued: list[OutboxMessage] = []
    for person in recipients:
        if kind == "decline":
            body = replies.decline_alert(assignment, person, reason)
        else:
            body = replies.decline_withdrawn_alert(assignment, person)
        message = enqueue(
            session, centre=assignment.roster.centre, person=person, kind="alert", body=body, urgent=True,
            key=f"{kind}:{assignment.id}:{person.id}:{now.astimezone(UTC):%Y%m%dT%H%M%S.%f}",
        )
        if message is not None:
            queued.append(message)
        log.info("queued %s alert for assignment %s to %s", kind, assignment.id, mask_phone(person.phone))
    return tuple(queued)


def confirm(session: Session, assignment: Assignment, *, via: str, user: User | None = None,
            now: datetime) -> Answer:
    """The person will do this shift. After a decline it withdraws the decline and tells the coordinators."""
    _check(assignment, now, via)
    previous = _previous(assignment)
    if previous == "confirmed":
        return Answer(assignment, changed=False, previous=previous)
    assignment.confirmed_at = now
    assignment.declined_at = None
    session.flush()
    record(session, "assignment.confirm", centre=assignment.roster.centre, user=user, entity="assignment",
           entity_id=assignment.id, via=via, person=assignment.person.code, shift=assignment.shift_id,
           previous=previous)
    alerts = _alert(session, assignment, now, "withdrawn") if previous == "declined" else ()
    return Answer(assignment, changed=True, previous=previous, alerts=alerts)


def decline(session: Session, assignment: Assignment, *, via: str, reason: str = "", user: User | None = None,
            now: datetime) -> Answer:
    """The person cannot do this shift: recorded, audited, and the coordinators get an urgent SMS to repair."""
    _check(assignment, now, via)
    reason = (reason or "").strip()[:MAX_REASON]
    previous = _previous(assignment)
    if previous == "declined":
        return Answer(assignment, changed=False, previous=previous)
    assignment.declined_at = now
    assignment.confirmed_at = None
    session.flush()
    record(session, "assignment.decline", centre=assignment.roster.centre, user=user, entity="assignment",
           entity_id=assignment.id, via=via, person=assignment.person.code, shift=assignment.shift_id,
           previous=previous, reason=reason)
    alerts = _alert(session, assignment, now, "decline", reason)
    return Answer(assignment, changed=True, previous=previous, alerts=alerts)


def next_unconfirmed(session: Session, person: Person, *, now: datetime) -> Assignment | None:
    """The person's next not-started assignment of a published roster that awaits an answer (first by start)."""
    return session.scalar(
        sa.select(Assignment)
        .join(Roster, Assignment.roster_id == Roster.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.person_id == person.id, Roster.status == RosterStatus.PUBLISHED, Shift.start_at > now,
               Assignment.confirmed_at.is_(None), Assignment.declined_at.is_(None))
        .order_by(Shift.start_at, Assignment.id)
        .limit(1)
    )
