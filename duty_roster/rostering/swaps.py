"""Swaps (đổi ca): an officer hands one of their published assignments to a colleague.

Flow: `offer` (open to any eligible colleague, or asked of a named one) -> `accept` by the colleague, which checks the
swap against the hard rules on the current published version -> `approve` by a coordinator or director (at once when
the centre's settings say `auto_approve_swaps`), or `reject` / `decline` / `cancel`. A swap whose shift has started
before approval is `expired`.

Approval is the simplest correct behaviour for everything downstream (calendar feeds, text messages, history): it
copies the current published version, applies the swap to the copy and publishes the copy through
`rostering.publish`, which supersedes the old version atomically. The publication's change list then names exactly
the two people concerned (one "removed", one "added"). Every step is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.audit import record
from duty_roster.models import (
    OPEN_SWAP_STATUSES,
    Assignment,
    AssignmentSource,
    Centre,
    Person,
    Roster,
    RosterStatus,
    SwapRequest,
    SwapStatus,
    User,
    utcnow,
)
from duty_roster.notify.announce import announce_swap
from duty_roster.rostering.adjust import solver_assignments
from duty_roster.rostering.errors import HardRuleViolation, RosteringError
from duty_roster.rostering.problem_builder import build_problem, published_roster
from duty_roster.rostering.publish import PublishResult, publish
from duty_roster.solver import problem as sp
from duty_roster.solver.validate import Violation, new_violations


class SwapForbidden(RosteringError):
    """The caller may not take this step on this swap (shown as 403)."""


@dataclass(frozen=True)
class Approval:
    swap: SwapRequest
    publication: PublishResult | None  # None when the swap was not approved (yet)


def _state_error(swap: SwapRequest, step: str) -> RosteringError:
    return RosteringError(
        f"Yêu cầu đổi ca #{swap.id} đang ở trạng thái {swap.status.value}, không thể {step} / swap {swap.id} is "
        f"{swap.status.value}: it cannot be {step}"
    )


def _started(swap: SwapRequest, now: datetime) -> bool:
    return swap.shift.start_at <= now


def expire_started(session: Session, centre_id: int, now: datetime | None = None) -> int:
    """Mark the open swaps of shifts that have already started as expired; returns how many."""
    from duty_roster.models import Shift

    now = now or utcnow()
    swaps = session.scalars(
        sa.select(SwapRequest).join(Shift, SwapRequest.shift_id == Shift.id)
        .where(SwapRequest.centre_id == centre_id, SwapRequest.status.in_(OPEN_SWAP_STATUSES), Shift.start_at <= now)
    ).all()
    for swap in swaps:
        swap.status = SwapStatus.EXPIRED
        swap.decided_at = now
        record(session, "swap.expire", centre=swap.roster.centre, entity="swap", entity_id=swap.id)
    session.flush()
    return len(swaps)


def _expire_if_started(session: Session, swap: SwapRequest, now: datetime) -> None:
    """An open swap whose shift began is expired for good; the caller commits that and reports the refusal."""
    if swap.status in OPEN_SWAP_STATUSES and _started(swap, now):
        swap.status = SwapStatus.EXPIRED
        swap.decided_at = now
        record(session, "swap.expire", centre=swap.roster.centre, entity="swap", entity_id=swap.id)
        session.flush()
    if swap.status is SwapStatus.EXPIRED:
        raise SwapExpired(
            f"Ca trực đã bắt đầu lúc {swap.shift.start_at:%d/%m/%Y %H:%M} UTC, yêu cầu đổi ca #{swap.id} đã hết hạn "
            f"/ the shift has already started: swap {swap.id} has expired"
        )


class SwapExpired(RosteringError):
    """The shift started before the swap was settled (the expiry itself is kept: the caller commits it)."""


def _current_version(session: Session, swap: SwapRequest) -> tuple[Roster, Assignment]:
    """The period's published version now, and the offered assignment in it (it may have moved on since the offer)."""
    old = swap.roster
    current = published_roster(session, old.centre, old.period_start, old.period_end)
    if current is None:
        raise RosteringError(f"Kỳ trực của yêu cầu #{swap.id} không còn lịch công bố / the roster of swap {swap.id} "
                             "is no longer published")
    for a in current.assignments:
        if (a.shift_id, a.person_id, a.role) == (swap.shift_id, swap.from_person_id, swap.role):
            return current, a
    raise RosteringError(
        f"Lịch đã công bố (bản {current.version}) không còn phân công này của {swap.from_person.code} / the published "
        f"version {current.version} no longer has this assignment of {swap.from_person.code}: the swap is moot"
    )


def check_swap(session: Session, swap: SwapRequest, taker: Person) -> list[Violation]:
    """Violations the swap adds to the current published version (the validator's, on the whole roster)."""
    current, given = _current_version(session, swap)
    built = build_problem(session, current.centre, current.period_start, current.period_end)
    if taker.code not in built.people:
        return [Violation("unknown_person", f"{taker.full_name} ({taker.code}) is not an active person of the centre.",
                          taker.code, (str(swap.shift_id),))]
    before = solver_assignments(current.assignments)
    after = solver_assignments([a for a in current.assignments if a is not given])
    after.append(sp.Assignment(taker.code, str(swap.shift_id), swap.role))
    return new_violations(built.problem, before, after)


def offer(
    session: Session, assignment: Assignment, *, to_person: Person | None = None, note: str = "",
    user: User | None = None, now: datetime | None = None,
) -> SwapRequest:
    """Offer `assignment` (of a published version) openly, or ask `to_person` to take it."""
    now = now or utcnow()
    roster = assignment.roster
    if roster.status is not RosterStatus.PUBLISHED:
        raise RosteringError(f"Chỉ đổi được ca của lịch đang công bố; lịch #{roster.id} là {roster.status.value} / "
                             f"only assignments of the published version can be swapped (roster {roster.id} is "
                             f"{roster.status.value})")
    if assignment.shift.start_at <= now:
        raise RosteringError("Ca trực đã bắt đầu, không đổi được / the shift has already started")
    if to_person is not None and (to_person.id == assignment.person_id or to_person.centre_id != roster.centre_id
                                  or not to_person.active):
        raise SwapTargetError("to_person", "Phải là một đồng nghiệp khác đang hoạt động / must be another, active "
                                           "colleague")
    open_one = session.scalar(
        sa.select(SwapRequest.id).where(
            SwapRequest.shift_id == assignment.shift_id, SwapRequest.from_person_id == assignment.person_id,
            SwapRequest.role == assignment.role, SwapRequest.status.in_(OPEN_SWAP_STATUSES),
        )
    )
    if open_one is not None:
        raise RosteringError(f"Đã có yêu cầu đổi ca #{open_one} cho phân công này / swap {open_one} is already open "
                             "for this assignment")
    swap = SwapRequest(
        centre_id=roster.centre_id, roster_id=roster.id, shift_id=assignment.shift_id, role=assignment.role,
        from_person_id=assignment.person_id, to_person_id=to_person.id if to_person else None,
        status=SwapStatus.REQUESTED if to_person else SwapStatus.OFFERED, note=note,
        created_by_id=user.id if user else None,
    )
    session.add(swap)
    session.flush()
    record(session, "swap.offer", centre=roster.centre, user=user, entity="swap", entity_id=swap.id,
           assignment=assignment.id, person=assignment.person.code, to=to_person.code if to_person else None)
    announce_swap(session, swap, "requested", now=now)  # a named colleague hears; open offers are not broadcast
    return swap


class SwapTargetError(RosteringError):
    """A bad colleague in an offer (shown as 422 naming `field`)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def accept(
    session: Session, swap: SwapRequest, taker: Person, *, user: User | None = None, now: datetime | None = None,
    notice_working_days: int = 5,
) -> Approval:
    """`taker` takes the shift; refused with the validator's reasons if it breaks a hard rule. Auto-approved when the
    centre's settings say `auto_approve_swaps`."""
    now = now or utcnow()
    _expire_if_started(session, swap, now)
    if swap.status is SwapStatus.REQUESTED and swap.to_person_id != taker.id:
        raise SwapForbidden("Yêu cầu này gửi cho đồng nghiệp khác / this swap was asked of another colleague")
    if swap.status not in (SwapStatus.OFFERED, SwapStatus.REQUESTED):
        raise _state_error(swap, "accepted")
    if taker.id == swap.from_person_id:
        raise RosteringError("Không thể tự nhận ca của mình / you cannot take your own shift")
    violations = check_swap(session, swap, taker)
    if violations:
        raise HardRuleViolation(f"Đổi ca #{swap.id} cho {taker.code} / swap {swap.id} to {taker.code}", violations)
    swap.status = SwapStatus.ACCEPTED
    swap.to_person_id = taker.id
    swap.to_person = taker
    swap.accepted_at = now
    session.flush()
    record(session, "swap.accept", centre=swap.roster.centre, user=user, entity="swap", entity_id=swap.id,
           person=taker.code)
    centre: Centre = swap.roster.centre
    if (centre.settings or {}).get("auto_approve_swaps"):
        return approve(session, swap, user=None, now=now, notice_working_days=notice_working_days, auto=True)
    announce_swap(session, swap, "accepted", now=now)
    return Approval(swap, None)


def approve(
    session: Session, swap: SwapRequest, *, user: User | None = None, now: datetime | None = None,
    notice_working_days: int = 5, auto: bool = False,
) -> Approval:
    """Re-check the accepted swap on the current published version, then publish a copy with the swap applied."""
    now = now or utcnow()
    # Serialise with other publications of the centre (as `publish` does) before reading the current version, so
    # two approvals at once cannot both start from the same version and the second undo the first.
    session.scalar(sa.select(Centre).where(Centre.id == swap.centre_id).with_for_update())
    session.refresh(swap)
    _expire_if_started(session, swap, now)
    if swap.status is not SwapStatus.ACCEPTED:
        raise _state_error(swap, "approved")
    assert swap.to_person is not None
    violations = check_swap(session, swap, swap.to_person)
    if violations:
        raise HardRuleViolation(f"Đổi ca #{swap.id} / swap {swap.id}", violations)
    current, given = _current_version(session, swap)
    copy = Roster(
        centre_id=current.centre_id, period_start=current.period_start, period_end=current.period_end,
        status=RosterStatus.DRAFT, based_on_id=current.id, created_by_id=user.id if user else None,
        note=f"swap #{swap.id}: {swap.from_person.code} -> {swap.to_person.code}",
        solve_report=dict(current.solve_report or {}),
    )
    copy.assignments = [
        Assignment(shift_id=a.shift_id, person_id=a.person_id, role=a.role, locked=a.locked, source=a.source,
                   confirmed_at=a.confirmed_at, declined_at=a.declined_at)
        for a in current.assignments if a is not given
    ]
    copy.assignments.append(Assignment(shift_id=swap.shift_id, person_id=swap.to_person.id, role=swap.role,
                                       source=AssignmentSource.SWAP))
    session.add(copy)
    session.flush()
    result = publish(session, copy, notice_working_days=notice_working_days, user=user, now=now)
    swap.status = SwapStatus.APPROVED
    swap.decided_at = now
    swap.decided_by_id = user.id if user else None
    swap.result_roster_id = copy.id
    session.flush()
    record(session, "swap.approve", centre=current.centre, user=user, entity="swap", entity_id=swap.id,
           auto=auto, roster=copy.id, version=copy.version, superseded=current.id,
           person=swap.from_person.code, to=swap.to_person.code)
    announce_swap(session, swap, "approved", now=now)  # instead of the new version's two change notices
    return Approval(swap, result)


def _close(session: Session, swap: SwapRequest, status: SwapStatus, step: str, *, user: User | None,
           note: str, allowed: tuple[SwapStatus, ...], now: datetime | None) -> SwapRequest:
    if swap.status not in allowed:
        raise _state_error(swap, step)
    swap.status = status
    swap.decided_at = now or utcnow()
    swap.decided_by_id = user.id if user else None
    swap.decision_note = note
    session.flush()
    record(session, f"swap.{status.value}", centre=swap.roster.centre, user=user, entity="swap",
           entity_id=swap.id, note=note)
    return swap


def reject(session: Session, swap: SwapRequest, *, user: User | None = None, note: str = "",
           now: datetime | None = None) -> SwapRequest:
    """A coordinator or director turns the swap down (at any open step)."""
    _close(session, swap, SwapStatus.REJECTED, "rejected", user=user, note=note, allowed=OPEN_SWAP_STATUSES, now=now)
    announce_swap(session, swap, "rejected", now=swap.decided_at or utcnow())
    return swap


def decline(session: Session, swap: SwapRequest, person: Person, *, user: User | None = None, note: str = "",
            now: datetime | None = None) -> SwapRequest:
    """The named colleague says no to a request."""
    if swap.to_person_id != person.id:
        raise SwapForbidden("Chỉ người được đề nghị mới từ chối được / only the colleague asked can decline")
    _close(session, swap, SwapStatus.REJECTED, "declined", user=user, note=note, allowed=(SwapStatus.REQUESTED,),
           now=now)
    announce_swap(session, swap, "declined", now=swap.decided_at or utcnow())
    return swap


def cancel(session: Session, swap: SwapRequest, *, user: User | None = None, note: str = "",
           now: datetime | None = None) -> SwapRequest:
    """The offering officer (or a manager) withdraws the swap before it is approved."""
    return _close(session, swap, SwapStatus.CANCELLED, "cancelled", user=user, note=note,
                  allowed=OPEN_SWAP_STATUSES, now=now)
