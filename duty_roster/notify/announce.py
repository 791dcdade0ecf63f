"""Queue the messages a publication or a swap step owes people, in the caller's transaction (the outbox pattern).

- First version of a period: one "publish" message per person with their upcoming shifts and calendar feed link.
- Later versions: one "change" message per person whose assignments changed ("Bỏ:" / "Thêm:"), nobody else.
- Swaps: the named colleague hears of a request, the offering officer of an acceptance or a refusal, and both of an
  approval. An approval publishes a new version; its two change notices are replaced by the swap's own message.

Idempotency keys name what is announced (publish:<roster>:<person>, change:<roster>:<person>,
swap:<swap>:<event>:<person>), so running an announcement again never queues a message twice.

Urgency: a message about a shift starting within 24 hours is urgent (sent first, never held by quiet hours);
otherwise it waits out the centre's quiet hours.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.config import Settings
from duty_roster.models import (
    Assignment,
    Centre,
    FeedKind,
    FeedToken,
    OutboxMessage,
    Person,
    Roster,
    RosterStatus,
    Shift,
    SwapRequest,
    SwapStatus,
    User,
    utcnow,
)
from duty_roster.notify import texts
from duty_roster.notify.quiet import hold_until
from duty_roster.notify.texts import SegmentCount, ShiftItem

if TYPE_CHECKING:
    from duty_roster.rostering.publish import PublishResult

URGENT_WITHIN = timedelta(hours=24)
PLACEHOLDER_TOKEN = "fd_" + "X" * 43  # same length as a real token: previews count the same parts


def app_settings() -> Settings:
    """The app's settings inside an app context, else the built-in defaults (scripts, unit tests)."""
    from flask import current_app, has_app_context

    if has_app_context() and isinstance(current_app.config.get("SETTINGS"), Settings):
        return current_app.config["SETTINGS"]
    return Settings()


def _secret_key() -> str | None:
    from flask import current_app, has_app_context

    return current_app.config.get("SECRET_KEY") if has_app_context() else None


def calendar_link(session: Session, person: Person, *, create: bool = True) -> str | None:
    """PUBLIC_BASE_URL + the person's feed path. Reuses a live feed token of the person; otherwise issues one
    (owned by the person's user account when there is one) unless `create` is False, which returns a placeholder
    of the same length. None without an app context (no secret key to derive tokens with)."""
    from duty_roster.calendar import tokens

    if not _secret_key():
        return None
    token = person_feed_token(session, person, create=create)
    return tokens.links(app_settings().PUBLIC_BASE_URL, token or PLACEHOLDER_TOKEN)["url"]


def person_feed_token(session: Session, person: Person, *, create: bool = True) -> str | None:
    """The secret token of the person's live calendar feed, the one their SMS carry (issued if none and `create`).
    Re-issuing would revoke the link already sent, so everything showing "my calendar link" should come here."""
    from duty_roster.calendar import tokens

    secret = _secret_key()
    if not secret:
        return None
    feeds = session.scalars(
        sa.select(FeedToken).where(FeedToken.kind == FeedKind.PERSON, FeedToken.target_id == person.id,
                                   FeedToken.centre_id == person.centre_id, FeedToken.revoked_at.is_(None))
        .order_by(FeedToken.id.desc())
    ).all()
    for feed in feeds:
        token = tokens.token_of(feed, secret)
        if token is not None and tokens.still_entitled(feed):
            return token
    if not create:
        return None
    user = session.scalar(
        sa.select(User).where(User.person_id == person.id, User.centre_id == person.centre_id, User.active.is_(True))
        .order_by(User.id)
    )
    _feed, token = tokens.issue(session, secret_key=secret, centre_id=person.centre_id, kind=FeedKind.PERSON,
                                target_id=person.id, user=user)
    return token


# --- planning: what a publication says to whom (shared by announce and preview) ---


@dataclass
class _Planned:
    person: Person
    kind: str  # "publish" | "change"
    key: str
    body: str
    first_start: datetime  # the earliest shift the message is about (UTC), for urgency


def _quiet_hours(centre: Centre, settings: Settings) -> str:
    value = (centre.settings or {}).get("sms_quiet_hours")
    return value if isinstance(value, str) else settings.SMS_QUIET_HOURS


def _swap_behind(session: Session, roster: Roster) -> SwapRequest | None:
    """The accepted swap this version applies (swaps.approve publishes a copy noted "swap #<id>: ...")."""
    match = re.match(r"swap #(\d+):", roster.note or "")
    if match is None:
        return None
    swap = session.get(SwapRequest, int(match[1]))
    return swap if swap is not None and swap.status is SwapStatus.ACCEPTED else None


def _plan(session: Session, roster: Roster, previous: Roster | None, *, now: datetime, create_links: bool,
          settings: Settings) -> list[_Planned]:
    from duty_roster.rostering.publish import diff

    centre = roster.centre
    tz = ZoneInfo(centre.timezone)
    people: dict[int, Person] = {}
    planned: list[_Planned] = []

    def ascii_for(person: Person) -> bool:
        return texts.wants_ascii(person, centre, settings.SMS_ASCII)

    if previous is None:
        mine: dict[int, list[Assignment]] = defaultdict(list)
        for a in roster.assignments:
            if a.shift.end_at > now:
                mine[a.person_id].append(a)
                people[a.person_id] = a.person
        for person_id, rows in sorted(mine.items()):
            person = people[person_id]
            rows.sort(key=lambda a: (a.shift.start_at, a.shift.location.code))
            body = texts.render_publish(
                lang=texts.language(person), ascii=ascii_for(person), centre=centre,
                period_start=roster.period_start, period_end=roster.period_end,
                items=[ShiftItem.of(a.shift, a.role, tz) for a in rows],
                link=calendar_link(session, person, create=create_links),
            )
            planned.append(_Planned(person, "publish", f"publish:{roster.id}:{person_id}", body,
                                    rows[0].shift.start_at))
        return planned
    changes = diff(previous.assignments, roster.assignments)
    swap = _swap_behind(session, roster)
    skip: set[int] = set()
    if swap is not None and swap.to_person_id is not None:
        mine_only = {(c.person_id, c.shift_id) for c in changes} == {(swap.from_person_id, swap.shift_id),
                                                                      (swap.to_person_id, swap.shift_id)}
        skip = {swap.from_person_id, swap.to_person_id} if mine_only else set()
    shifts = {s.id: s for s in session.scalars(sa.select(Shift).where(Shift.id.in_({c.shift_id for c in changes})))}
    by_person: dict[int, dict[str, list[tuple[Shift, str]]]] = defaultdict(lambda: {"removed": [], "added": []})
    for c in changes:
        shift = shifts[c.shift_id]
        if c.person_id in skip or shift.end_at <= now:
            continue
        by_person[c.person_id][c.change].append((shift, c.role))
    for person_id, sides in sorted(by_person.items()):
        person = session.get(Person, person_id)
        if person is None:
            continue

        def items(rows: list[tuple[Shift, str]]) -> list[ShiftItem]:
            return [ShiftItem.of(s, role, tz) for s, role in sorted(rows, key=lambda r: (r[0].start_at, r[1]))]

        body = texts.render_change(lang=texts.language(person), ascii=ascii_for(person), centre=centre,
                                   version=roster.version or (previous.version or 0) + 1,
                                   removed=items(sides["removed"]), added=items(sides["added"]))
        first = min(s.start_at for s, _ in sides["removed"] + sides["added"])
        planned.append(_Planned(person, "change", f"change:{roster.id}:{person_id}", body, first))
    return planned


def _urgent(first_start: datetime, now: datetime) -> bool:
    return first_start - now <= URGENT_WITHIN


def announce_publication(session: Session, result: PublishResult, *, now: datetime) -> list[OutboxMessage]:
    """Queue the publication's messages (publish or change); returns the rows added (none twice for one key)."""
    from duty_roster.notify.outbox import enqueue

    settings = app_settings()
    roster = result.roster
    centre = roster.centre
    tz = ZoneInfo(centre.timezone)
    quiet = _quiet_hours(centre, settings)
    queued: list[OutboxMessage] = []
    for p in _plan(session, roster, result.superseded, now=now, create_links=True, settings=settings):
        urgent = _urgent(p.first_start, now)
        message = enqueue(session, centre=centre, key=p.key, kind=p.kind, body=p.body, person=p.person,
                          urgent=urgent, not_before=hold_until(now, tz, quiet, urgent))
        if message is not None:
            queued.append(message)
    return queued


@dataclass(frozen=True)
class PreviewMessage:
    person: Person
    body: str
    segments: SegmentCount
    kind: str = "publish"


@dataclass(frozen=True)
class PublicationPreview:
    messages: list[PreviewMessage] = field(default_factory=list)
    total_parts: int = 0
    ascii: bool = False  # the centre's default (a person may still ask for ASCII)


def preview_publication(session: Session, roster: Roster, *, now: datetime | None = None) -> PublicationPreview:
    """What publishing `roster` now would send, without writing anything (no token issued: a placeholder link of
    the same length stands in for a person who has none yet)."""
    from duty_roster.rostering.problem_builder import published_roster

    settings = app_settings()
    now = now or utcnow()
    centre = roster.centre
    previous = None
    if roster.status is RosterStatus.DRAFT:
        previous = published_roster(session, centre, roster.period_start, roster.period_end)
    with session.no_autoflush:
        planned = _plan(session, roster, previous, now=now, create_links=False, settings=settings)
    messages = [PreviewMessage(p.person, p.body, texts.segments(p.body), p.kind) for p in planned]
    return PublicationPreview(messages, sum(m.segments.parts for m in messages),
                              texts.wants_ascii(None, centre, settings.SMS_ASCII))


# --- swaps ---

SWAP_ANNOUNCED = ("requested", "accepted", "approved", "rejected", "declined")


def _swap_recipients(swap: SwapRequest, event: str) -> list[tuple[Person, Person | None, bool, str]]:
    """(recipient, the other side, recipient gives the shift?, text event) for each message of `event`."""
    giver, taker = swap.from_person, swap.to_person
    if event == "requested":
        return [(taker, giver, False, "requested")] if taker is not None else []  # open offers: no broadcast
    if event == "accepted":
        return [(giver, taker, True, "accepted")] if taker is not None else []
    if event == "approved":
        return [(giver, taker, True, "approved"), (taker, giver, False, "approved")] if taker is not None else []
    if event == "rejected":  # by a coordinator or director: both sides hear
        both = [(giver, taker, True, "rejected")]
        return both + ([(taker, giver, False, "rejected")] if taker is not None else [])
    if event == "declined":  # the named colleague said no: the offering officer hears
        return [(giver, taker, True, "rejected")]
    raise ValueError(f"unknown swap event {event!r}; expected one of {', '.join(SWAP_ANNOUNCED)}")


def announce_swap(session: Session, swap: SwapRequest, event: str, *, now: datetime) -> list[OutboxMessage]:
    """Queue the messages of one swap step; `event` is requested (also for a named offer), accepted, approved,
    rejected (by a manager) or declined (by the colleague asked)."""
    from duty_roster.notify.outbox import enqueue

    settings = app_settings()
    centre: Centre = session.get(Centre, swap.centre_id)  # type: ignore[assignment]
    tz = ZoneInfo(centre.timezone)
    item = ShiftItem.of(swap.shift, swap.role, tz)
    urgent = _urgent(swap.shift.start_at, now)
    not_before = hold_until(now, tz, _quiet_hours(centre, settings), urgent)
    link = settings.PUBLIC_BASE_URL + "/me/swaps"
    queued: list[OutboxMessage] = []
    for person, other, giving, text_event in _swap_recipients(swap, event):
        body = texts.render_swap(
            lang=texts.language(person), ascii=texts.wants_ascii(person, centre, settings.SMS_ASCII), centre=centre,
            event=text_event, item=item, other_name=other.full_name if other is not None else "?", giving=giving,
            link=link if text_event == "requested" else None,
        )
        message = enqueue(session, centre=centre, key=f"swap:{swap.id}:{event}:{person.id}", kind="swap", body=body,
                          person=person, urgent=urgent, not_before=not_before)
        if message is not None:
            queued.append(message)
    return queued
