"""Build a feed from the database: read the published versions into plain data, fold their history, render.

Reads only. Which versions count: published and superseded ones (the history calendar apps have already seen);
drafts never. What a feed shows is the latest published version; SEQUENCE, LAST-MODIFIED and cancellations come
from the older versions of the same period (`history.fold`). No detainee or case data exists in these tables, and
none is ever selected: a feed says who, where, when and which duty.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.calendar.history import Version, fold
from duty_roster.calendar.ics import FeedEvent, FeedMeta, render
from duty_roster.models import (
    Assignment,
    Centre,
    DutyType,
    FeedKind,
    Location,
    Person,
    Roster,
    RosterStatus,
    Shift,
    ShiftPattern,
)

ROLE_LABELS = {"duty": "Trực chính", "assistant": "Hỗ trợ trực"}
DUTY_LABELS = {DutyType.COURT: "Trực TGPL tại Tòa án", DutyType.INVESTIGATION: "Trực TGPL trong điều tra hình sự"}
CANCELLED_PREFIX = "Đã hủy – "
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedSpec:
    """Which feed: kind and target (person, location or centre id) in a centre, and its reminder."""

    centre_id: int
    kind: FeedKind
    target_id: int
    alarm_minutes: int | None = None
    shift_id: int | None = None  # one shift only (the "add to my calendar" download)


@dataclass(frozen=True)
class FeedOptions:
    base_url: str  # PUBLIC_BASE_URL: its host names the UIDs
    window_past_days: int = 60
    cancelled_days: int = 30
    refresh_minutes: int = 60


@dataclass(frozen=True)
class Stamp:
    """What a conditional request is answered from without building the body."""

    etag: str
    last_modified: datetime


class FeedNotFound(LookupError):
    """The feed's target no longer exists."""


def _role_order(role: str) -> tuple[int, str]:
    return (0 if role == "duty" else 1, role)


def _today(centre_tz: ZoneInfo, now: datetime) -> date:
    return now.astimezone(centre_tz).date()


@lru_cache(maxsize=1)
def _stamp_query() -> sa.Select[Any]:
    """Built once: constructing this statement costs more Python time than running it (the 2 ms budget)."""
    centre = sa.bindparam("centre", type_=sa.Integer)
    seen = (RosterStatus.PUBLISHED, RosterStatus.SUPERSEDED)
    in_rosters = sa.and_(Roster.centre_id == centre, Roster.status.in_(seen))

    def rosters(column: Any) -> Any:
        return sa.select(column).where(in_rosters).scalar_subquery()

    def assignments(column: Any) -> Any:
        return (sa.select(column).join(Roster, Assignment.roster_id == Roster.id).where(in_rosters)
                .scalar_subquery())

    return sa.select(  # one round trip: this is the path every poll of an unchanged feed takes
        Centre.updated_at, Centre.timezone,
        rosters(sa.func.count(Roster.id)), rosters(sa.func.max(Roster.updated_at)),
        rosters(sa.func.max(Roster.published_at)),
        assignments(sa.func.count(Assignment.id)), assignments(sa.func.max(Assignment.id)),
        assignments(sa.func.max(Assignment.updated_at)),
        sa.select(sa.func.max(Person.updated_at)).where(Person.centre_id == centre).scalar_subquery(),
        sa.select(sa.func.max(Location.updated_at)).where(Location.centre_id == centre).scalar_subquery(),
        sa.select(sa.func.max(ShiftPattern.updated_at)).join(Location, ShiftPattern.location_id == Location.id)
        .where(Location.centre_id == centre).scalar_subquery(),
    ).where(Centre.id == centre)


def stamp(session: Session, spec: FeedSpec, options: FeedOptions, now: datetime) -> Stamp:
    """ETag and Last-Modified from the data a feed depends on, in one aggregate query (the 304 path).

    Inputs: the centre's published/superseded rosters and their assignments (ids, counts, update times), people,
    locations and patterns (names, phones, addresses), the centre row, the feed spec, the settings, and today's date
    (the window and the cancelled-event cut-off move by whole days). Same inputs -> same body, byte for byte.
    """
    row = session.execute(_stamp_query(), {"centre": spec.centre_id}).one_or_none()
    if row is None:
        raise FeedNotFound("centre")
    values = [_aware(v) if isinstance(v, datetime) else v for v in row]
    today = _today(ZoneInfo(row[1]), now)
    times = [v for v in values if isinstance(v, datetime)]
    key = repr((spec, options, today, [str(v) for v in values], FEED_FORMAT))
    return Stamp(hashlib.sha256(key.encode()).hexdigest()[:32], max(times, default=EPOCH).replace(microsecond=0))


def _aware(value: datetime) -> datetime:
    """Belt and braces: an aggregate that lost the UTC column type would come back naive (UTC) from SQLite."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


FEED_FORMAT = 1  # bump when the rendering changes, so cached ETags stop matching


@dataclass(frozen=True)
class _Row:
    roster_id: int
    shift_id: int
    person_id: int
    role: str


def build(session: Session, spec: FeedSpec, options: FeedOptions, now: datetime) -> bytes:
    """The feed's iCalendar bytes. Raises FeedNotFound when its person / location / centre is gone."""
    centre = session.get(Centre, spec.centre_id)
    if centre is None:
        raise FeedNotFound("centre")
    tz = ZoneInfo(centre.timezone)
    today = _today(tz, now)
    window_start = today - timedelta(days=options.window_past_days)
    cancelled_since = today - timedelta(days=options.cancelled_days)
    domain = urlsplit(options.base_url).hostname or "duty-roster"

    target_person: Person | None = None
    target_location: Location | None = None
    if spec.kind is FeedKind.PERSON:
        target_person = session.get(Person, spec.target_id)
        if target_person is None or target_person.centre_id != centre.id:
            raise FeedNotFound("person")
    elif spec.kind is FeedKind.LOCATION:
        target_location = session.get(Location, spec.target_id)
        if target_location is None or target_location.centre_id != centre.id:
            raise FeedNotFound("location")
    elif spec.target_id != centre.id:
        raise FeedNotFound("centre")

    rosters = session.execute(
        sa.select(Roster.id, Roster.period_start, Roster.period_end, Roster.version, Roster.published_at)
        .where(Roster.centre_id == centre.id, Roster.status.in_((RosterStatus.PUBLISHED, RosterStatus.SUPERSEDED)),
               Roster.period_end >= (window_start if spec.shift_id is None else date.min),
               Roster.published_at.is_not(None))
        .order_by(Roster.period_start, Roster.period_end, Roster.version, Roster.id)
    ).all()
    query = (
        sa.select(Assignment.roster_id, Assignment.shift_id, Assignment.person_id, Assignment.role)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.roster_id.in_([r.id for r in rosters]))
    )
    if spec.shift_id is None:
        query = query.where(Shift.day >= window_start)
    if spec.kind is FeedKind.PERSON:
        query = query.where(Assignment.person_id == spec.target_id)
    elif spec.kind is FeedKind.LOCATION:
        query = query.where(Shift.location_id == spec.target_id)
    if spec.shift_id is not None:
        query = query.where(Assignment.shift_id == spec.shift_id)
    by_roster: dict[int, list[_Row]] = defaultdict(list)
    for row in session.execute(query):
        by_roster[row.roster_id].append(_Row(*row))

    # One chain of versions per period; the event keys and contents depend on the feed kind.
    chains: dict[tuple[date, date], list[Version]] = defaultdict(list)
    for r in rosters:
        contents: dict[Hashable, Hashable] = {}
        if spec.kind is FeedKind.PERSON:
            for a in by_roster.get(r.id, ()):
                contents[a.shift_id] = a.role
        else:
            grouped: dict[int, list[tuple[tuple[int, str], int]]] = defaultdict(list)
            for a in by_roster.get(r.id, ()):
                grouped[a.shift_id].append((_role_order(a.role), a.person_id))
            contents = {shift_id: tuple(sorted(v)) for shift_id, v in grouped.items()}
        chains[(r.period_start, r.period_end)].append(Version(r.published_at, contents))

    states = []
    last_published = EPOCH
    for versions in chains.values():
        latest = versions[-1].published_at
        last_published = max(last_published, latest)
        for state in fold(versions).values():
            if state.cancelled and state.last_modified.astimezone(tz).date() < cancelled_since:
                continue
            states.append(state)

    shift_ids = {int(state.key) for state in states}  # type: ignore[call-overload]
    shifts = {s.id: s for s in session.execute(
        sa.select(Shift.id, Shift.start_at, Shift.end_at, Shift.location_id, Shift.duty_type, ShiftPattern.name)
        .join(ShiftPattern, Shift.pattern_id == ShiftPattern.id).where(Shift.id.in_(shift_ids))
    )} if shift_ids else {}
    location_ids = {s.location_id for s in shifts.values()}
    locations = {loc.id: loc for loc in session.execute(
        sa.select(Location.id, Location.name, Location.address, Location.phone).where(Location.id.in_(location_ids))
    )} if location_ids else {}
    people = {p.id: p for p in session.execute(
        sa.select(Person.id, Person.full_name, Person.phone).where(Person.centre_id == centre.id)
    )}

    texts: dict[tuple[Any, ...], tuple[str, str, str]] = {}  # crews and places repeat: word them once

    def words(shift: Any, content: Any, cancelled: bool) -> tuple[str, str, str]:
        loc = locations[shift.location_id]
        where = ", ".join(part for part in (loc.name, loc.address) if part)
        lines = []
        if spec.kind is FeedKind.PERSON:
            label = ROLE_LABELS.get(str(content), str(content))
            summary = f"{label} TGPL – {loc.name} ({shift.name})"
            lines += [f"Vai trò: {label}", f"Ca: {shift.name}"]
        else:  # content: ((order, role), person id) pairs
            names = [people[pid].full_name + ("" if role == "duty" else f" ({ROLE_LABELS.get(role, role)})")
                     for (_, role), pid in content]
            head = f"Trực TGPL: {', '.join(names)}"
            summary = head if spec.kind is FeedKind.LOCATION else f"{loc.name} – {head}"
            lines.append(f"Ca: {shift.name}")
            lines += [f"{ROLE_LABELS.get(role, role)}: {people[pid].full_name} – ĐT {people[pid].phone}"
                      for (_, role), pid in content]
        lines.append(f"Loại trực: {DUTY_LABELS.get(shift.duty_type, str(shift.duty_type))}")
        lines.append(f"Địa điểm: {where}" + (f" – ĐT {loc.phone}" if loc.phone else ""))
        if centre.duty_phone:
            lines.append(f"Đường dây trực {centre.name}: {centre.duty_phone}")
        if cancelled:
            summary = CANCELLED_PREFIX + summary
            lines.insert(0, "Ca trực này không còn trong lịch trực đã công bố.")
        return summary, "\n".join(lines), where

    events = []
    person_alarm = spec.alarm_minutes if spec.kind is FeedKind.PERSON else None
    uid_suffix = (f"-person-{spec.target_id}@{domain}" if spec.kind is FeedKind.PERSON
                  else f"-{spec.kind.value}@{domain}")
    for state in states:
        shift = shifts[state.key]  # type: ignore[index]
        text_key = (shift.location_id, shift.name, shift.duty_type, state.content, state.cancelled)
        if text_key not in texts:
            texts[text_key] = words(shift, state.content, state.cancelled)
        summary, description, where = texts[text_key]
        uid = f"shift-{shift.id}{uid_suffix}"
        events.append(FeedEvent(
            uid=uid, start=shift.start_at, end=shift.end_at, summary=summary, description=description,
            location=where, sequence=state.sequence,
            # DTSTAMP = LAST-MODIFIED: an event no version changed stays byte-identical when others change
            stamp=state.last_modified, last_modified=state.last_modified,
            cancelled=state.cancelled, alarm_minutes=person_alarm,
        ))
    events.sort(key=lambda ev: (ev.start.timestamp(), ev.uid))

    if target_person is not None:
        name = f"Lịch trực – {target_person.full_name}"
        about = f"Các ca trực trợ giúp pháp lý của {target_person.full_name} ({centre.name})"
    elif target_location is not None:
        name = f"Lịch trực TGPL – {target_location.name}"
        about = f"Người trực trợ giúp pháp lý tại {target_location.name} ({centre.name})"
    else:
        name = f"Lịch trực – {centre.name}"
        about = f"Toàn bộ lịch trực trợ giúp pháp lý của {centre.name}"
    meta = FeedMeta(
        uid=f"feed-{spec.kind.value}-{spec.target_id}@{domain}" if spec.shift_id is None
        else f"shift-{spec.shift_id}@{domain}",
        name=name, description=about, timezone=centre.timezone,
        refresh=timedelta(minutes=options.refresh_minutes),
        last_modified=last_published if last_published > EPOCH else None,
    )
    return render(meta, events)
