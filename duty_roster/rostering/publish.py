"""Publish a draft: freeze it as the new version of its period, atomically, and list what changed.

Programme 5789/BTP-BCA asks that the police receive the duty list at least 5 working days before the period starts;
publishing later is allowed (a roster must exist) but returns a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.audit import record
from duty_roster.models import Assignment, Centre, Roster, RosterStatus, User, utcnow
from duty_roster.rostering.errors import RosteringError
from duty_roster.rostering.shifts import work_calendar


@dataclass(frozen=True)
class AssignmentChange:
    """One person's assignment that appeared or disappeared between two versions."""

    change: str  # "added" | "removed"
    person_id: int
    shift_id: int
    role: str


@dataclass(frozen=True)
class PublishResult:
    roster: Roster
    superseded: Roster | None
    changes: tuple[AssignmentChange, ...]
    deadline: date  # last day to publish on time (5 working days before the period)
    late_warning: str | None


def publication_deadline(centre: Centre, period_start: date, notice_working_days: int) -> date:
    return work_calendar(centre).working_days_before(period_start, notice_working_days)


def diff(old: list[Assignment], new: list[Assignment]) -> tuple[AssignmentChange, ...]:
    def keys(rows: list[Assignment]) -> set[tuple[int, int, str]]:
        return {(a.person_id, a.shift_id, a.role) for a in rows}

    before, after = keys(old), keys(new)
    removed = [AssignmentChange("removed", *k) for k in sorted(before - after)]
    added = [AssignmentChange("added", *k) for k in sorted(after - before)]
    return tuple(removed + added)


def publish(
    session: Session,
    roster: Roster,
    *,
    notice_working_days: int = 5,
    user: User | None = None,
    now: datetime | None = None,
) -> PublishResult:
    """Make `roster` the published version of its period; the previous version becomes superseded.

    Runs inside the caller's transaction; the centre row is locked first (SELECT ... FOR UPDATE on PostgreSQL) so two
    publications of one centre are serialised and readers see the old version or the new one, never a mix.
    """
    now = now or utcnow()
    centre = session.scalar(sa.select(Centre).where(Centre.id == roster.centre_id).with_for_update())
    assert centre is not None
    if roster.status is not RosterStatus.DRAFT:
        raise RosteringError(
            f"Lịch trực #{roster.id} đang ở trạng thái {roster.status.value}, chỉ bản nháp mới được công bố "
            f"/ roster {roster.id} is {roster.status.value}: only a draft can be published"
        )
    published = session.scalars(
        sa.select(Roster).where(
            Roster.centre_id == centre.id,
            Roster.status == RosterStatus.PUBLISHED,
            Roster.period_start <= roster.period_end,
            Roster.period_end >= roster.period_start,
        )
    ).all()
    clash = [r for r in published if (r.period_start, r.period_end) != (roster.period_start, roster.period_end)]
    if clash:
        other = clash[0]
        raise RosteringError(
            f"Kỳ trực chồng lấn với lịch đã công bố #{other.id} ({other.period_start:%d/%m/%Y}–"
            f"{other.period_end:%d/%m/%Y}) / the period overlaps published roster {other.id} with other dates: "
            "repair that roster instead, or publish a roster for the same dates"
        )
    previous = published[0] if published else None
    last_version = session.scalar(
        sa.select(sa.func.max(Roster.version)).where(
            Roster.centre_id == centre.id,
            Roster.period_start == roster.period_start,
            Roster.period_end == roster.period_end,
        )
    )
    if previous is not None:
        previous.status = RosterStatus.SUPERSEDED
        previous.superseded_at = now
        session.flush()  # before the new version turns published: the unique index allows one at a time
    roster.status = RosterStatus.PUBLISHED
    roster.version = (last_version or 0) + 1
    roster.published_at = now
    roster.published_by = user
    changes = diff(previous.assignments if previous else [], roster.assignments)
    deadline = publication_deadline(centre, roster.period_start, notice_working_days)
    today = now.astimezone(ZoneInfo(centre.timezone)).date()
    warning = None
    if today > deadline:
        warning = (
            f"Công bố muộn: chương trình 5789/BTP-BCA yêu cầu gửi danh sách trực cho cơ quan Công an trước "
            f"{notice_working_days} ngày làm việc (hạn {deadline:%d/%m/%Y}) / published late: the police should "
            f"get the list {notice_working_days} working days before the period (deadline {deadline})"
        )
    session.flush()
    record(
        session, "roster.publish", centre=centre, user=user, entity="roster", entity_id=roster.id,
        version=roster.version, superseded=previous.id if previous else None, changes=len(changes),
        late=warning is not None,
    )
    result = PublishResult(roster, previous, changes if previous else (), deadline, warning)
    from duty_roster.notify.announce import announce_publication  # the SMS join this transaction (outbox pattern)

    announce_publication(session, result, now=now)
    return result
