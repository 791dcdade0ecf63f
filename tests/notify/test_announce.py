"""Publication and swap announcements: the outbox rows a publication or a swap step leaves, and only those."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

from duty_roster.calendar import tokens
from duty_roster.models import Assignment, FeedKind, OutboxMessage, Person, Roster, RosterStatus, Shift
from duty_roster.notify.announce import announce_publication, announce_swap, preview_publication
from duty_roster.rostering import swaps
from duty_roster.rostering.adjust import Change, Force, move_assignment
from duty_roster.rostering.publish import PublishResult, publish
from tests.notify.messages_world import BEFORE, HCM, World, published_world

WEEKDAY = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")

pytestmark = pytest.mark.db  # also on PostgreSQL with DUTY_ROSTER_TEST_DATABASE_URL


@pytest.fixture
def world(session: scoped_session) -> World:
    return published_world(session)


def outbox(session: scoped_session, kind: str | None = None) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(session.scalars(query))


def expected_line(a: Assignment) -> str:
    start, end = a.shift.start_at.astimezone(HCM), a.shift.end_at.astimezone(HCM)
    role = " (hỗ trợ)" if a.role == "assistant" else ""
    return f"{WEEKDAY[start.weekday()]} {start:%d/%m} {start:%H:%M}–{end:%H:%M} {a.shift.location.code}{role}"


def test_publish_sends_one_message_per_person_with_their_shifts(session: scoped_session, world: World) -> None:
    mine: dict[int, list[Assignment]] = defaultdict(list)
    for a in world.roster.assignments:
        mine[a.person_id].append(a)
    messages = outbox(session, "publish")
    assert sorted(m.person_id for m in messages) == sorted(mine)  # one each, nobody else (no office accounts)
    assert outbox(session) == messages  # nothing but the publication
    for message in messages:
        person = session.get(Person, message.person_id)
        assert person is not None and message.to_phone == person.phone
        rows = sorted(mine[person.id], key=lambda a: (a.shift.start_at, a.shift.location.code))
        lines = message.body.splitlines()
        assert lines[0] == "Lịch trực TGPL TST 02/12–08/12:"
        assert lines[1:-1] == [expected_line(a) for a in rows]
        assert lines[-1].startswith("Lịch: http://127.0.0.1:5000/feeds/fd_") and lines[-1].endswith(".ics")
        token = lines[-1].rsplit("/", 1)[1].removesuffix(".ics")
        feed = tokens.active_feed(session, token)  # the link opens this person's own feed
        assert feed is not None and (feed.kind, feed.target_id) == (FeedKind.PERSON, person.id)
        assert message.idempotency_key == f"publish:{world.roster.id}:{person.id}"
        assert message.urgent is False  # the week starts 12 days later
        assert message.not_before is None  # published at 09:00, outside quiet hours


def test_announcing_again_queues_nothing(session: scoped_session, world: World) -> None:
    before = len(outbox(session))
    result = PublishResult(world.roster, None, (), world.roster.period_start, None)
    assert announce_publication(session, result, now=BEFORE) == []
    assert len(outbox(session)) == before


def _second_version(session: scoped_session, world: World) -> tuple[Roster, set[int]]:
    """A copy of the published week with two court assignments moved to other people; returns the draft and the
    ids of the people whose assignments changed."""
    current = world.roster
    draft = Roster(centre_id=current.centre_id, period_start=current.period_start, period_end=current.period_end,
                   status=RosterStatus.DRAFT, based_on_id=current.id)
    draft.assignments = [Assignment(shift_id=a.shift_id, person_id=a.person_id, role=a.role)
                         for a in current.assignments]
    session.add(draft)
    session.flush()
    court = sorted((a for a in draft.assignments if a.shift.location.code == "COURT"),
                   key=lambda a: a.shift.start_at)[:2]
    duty_people = session.scalars(sa.select(Person).where(Person.centre_id == world.centre.id,
                                                          Person.code.like("D%")).order_by(Person.code)).all()
    affected: set[int] = set()
    for a in court:
        on_shift = {b.person_id for b in draft.assignments if b.shift_id == a.shift_id}
        other = next(p for p in duty_people if p.id not in on_shift and p.id not in affected)
        affected |= {a.person_id, other.id}
        move_assignment(session, draft, a, Change(a.shift_id, other, a.role), force=Force("test"))
    return draft, affected


def test_republish_messages_only_the_affected_people(session: scoped_session, world: World) -> None:
    draft, affected = _second_version(session, world)
    preview = preview_publication(session, draft, now=BEFORE + timedelta(days=1))
    assert {m.person.id for m in preview.messages} == affected
    assert all(m.kind == "change" for m in preview.messages)
    assert preview.total_parts == sum(m.segments.parts for m in preview.messages) > 0
    assert preview.ascii is False
    count = len(outbox(session))
    result = publish(session, draft, now=BEFORE + timedelta(days=1))
    changes = outbox(session, "change")
    assert len(outbox(session)) == count + len(changes)
    assert {m.person_id for m in changes} == affected
    assert [m.body for m in sorted(changes, key=lambda m: m.person_id)] == [
        m.body for m in sorted(preview.messages, key=lambda m: m.person.id)]  # the preview said exactly this
    by_change = {(c.person_id, c.change) for c in result.changes}
    for message in changes:
        lines = message.body.splitlines()
        assert lines[0] == "TGPL TST: Lịch trực thay đổi (v2)"
        assert any(line.startswith("Bỏ: ") for line in lines) == ((message.person_id, "removed") in by_change)
        assert any(line.startswith("Thêm: ") for line in lines) == ((message.person_id, "added") in by_change)
        assert message.idempotency_key == f"change:{draft.id}:{message.person_id}"


def test_preview_writes_nothing(session: scoped_session, world: World) -> None:
    session.commit()
    feeds = session.scalar(sa.select(sa.func.count()).select_from(tokens.FeedToken))
    draft = Roster(centre_id=world.centre.id, period_start=world.roster.period_start,
                   period_end=world.roster.period_end, status=RosterStatus.DRAFT)
    draft.assignments = [Assignment(shift_id=a.shift_id, person_id=a.person_id, role=a.role)
                         for a in world.roster.assignments]
    session.add(draft)
    session.flush()
    preview = preview_publication(session, draft, now=BEFORE)
    assert preview.messages == []  # same assignments as the published version: nothing to tell
    assert session.scalar(sa.select(sa.func.count()).select_from(tokens.FeedToken)) == feeds
    assert not session.new and not session.dirty


def test_ascii_centre_and_urgent_change(session: scoped_session, world: World) -> None:
    world.centre.settings = {**(world.centre.settings or {}), "sms_ascii": True}
    draft, affected = _second_version(session, world)
    first = min(a.shift.start_at for a in draft.assignments)
    now = first - timedelta(hours=30)  # the first moved court session (Tuesday) is within 24 h? not yet
    preview = preview_publication(session, draft, now=now)
    assert preview.ascii is True
    assert all(m.segments.encoding == "GSM-7" for m in preview.messages)
    late = min(a.shift.start_at for a in draft.assignments if a.shift.location.code == "COURT") - timedelta(hours=2)
    publish(session, draft, now=late)
    changes = outbox(session, "change")
    assert {m.person_id for m in changes} == affected
    assert all(m.urgent and m.not_before is None for m in changes)  # a shift within 24 h: never held
    assert all(m.body.isascii() for m in changes)


def _swap_partner(session: scoped_session, given: Assignment, now: datetime) -> Person:
    """A colleague who may take `given` without breaking a hard rule (asked through a throw-away open offer)."""
    probe = swaps.offer(session, given, now=now)
    try:
        for person in session.scalars(sa.select(Person).where(Person.code.like("D%")).order_by(Person.code)):
            if person.id != given.person_id and not swaps.check_swap(session, probe, person):
                return person
    finally:
        swaps.cancel(session, probe, now=now)
    raise AssertionError("no colleague can take the shift")


def test_swap_steps_announced_once_each(session: scoped_session, world: World) -> None:
    now = BEFORE + timedelta(hours=1)
    given = next(a for a in sorted(world.roster.assignments, key=lambda a: a.shift.start_at, reverse=True)
                 if a.shift.location.code == "COURT")
    taker = _swap_partner(session, given, now)
    assert outbox(session, "swap") == []  # an open offer is not broadcast
    swap = swaps.offer(session, given, to_person=taker, now=now)
    requested = outbox(session, "swap")
    assert [(m.person_id, m.idempotency_key) for m in requested] == [(taker.id, f"swap:{swap.id}:requested:{taker.id}")]
    assert "đề nghị bạn nhận ca" in requested[0].body and "/me/swaps" in requested[0].body
    swaps.accept(session, swap, taker, now=now)
    accepted = outbox(session, "swap")[1:]
    assert [m.person_id for m in accepted] == [given.person_id]
    assert "đã nhận ca" in accepted[0].body
    before_changes = len(outbox(session, "change"))
    swaps.approve(session, swap, now=now)
    approved = outbox(session, "swap")[2:]
    assert sorted(m.person_id for m in approved) == sorted([given.person_id, taker.id])
    assert all("Đổi ca đã duyệt" in m.body for m in approved)
    assert len(outbox(session, "change")) == before_changes  # the swap message replaces the two change notices
    assert announce_swap(session, swap, "approved", now=now) == []  # idempotent


def test_rejected_swap_tells_both_sides(session: scoped_session, world: World) -> None:
    now = BEFORE + timedelta(hours=1)
    given = next(a for a in world.roster.assignments if a.shift.location.code == "COURT")
    taker = _swap_partner(session, given, now)
    swap = swaps.offer(session, given, to_person=taker, now=now)
    swaps.reject(session, swap, note="không", now=now)
    rejected = [m for m in outbox(session, "swap") if ":rejected:" in m.idempotency_key]
    assert sorted(m.person_id for m in rejected) == sorted([given.person_id, taker.id])
    assert any("Bạn vẫn trực ca này" in m.body for m in rejected)


def test_only_shifts_not_yet_over_are_listed(session: scoped_session, world: World) -> None:
    shifts = session.scalars(sa.select(Shift).order_by(Shift.start_at)).all()
    mid_week = shifts[len(shifts) // 2].start_at
    session.execute(sa.delete(OutboxMessage))
    announce_publication(session, PublishResult(world.roster, None, (), world.roster.period_start, None),
                         now=mid_week)
    left: dict[int, int] = defaultdict(int)
    for a in world.roster.assignments:
        if a.shift.end_at > mid_week:
            left[a.person_id] += 1
    messages = outbox(session, "publish")
    assert {m.person_id: len(m.body.splitlines()) - 2 for m in messages} == dict(left)


def test_publication_at_night_waits_for_the_end_of_quiet_hours(session: scoped_session) -> None:
    published_world(session, publish_at=datetime(2030, 11, 20, 23, 15, tzinfo=HCM))
    messages = outbox(session, "publish")
    assert messages and all(m.not_before == datetime(2030, 11, 21, 6, 0, tzinfo=HCM) for m in messages)
    assert not any(m.urgent for m in messages)


def test_person_ascii_forces_plain_text(session: scoped_session, world: World) -> None:
    draft, affected = _second_version(session, world)
    for person_id in affected:
        person = session.get(Person, person_id)
        assert person is not None
        person.sms_ascii = True
    preview = preview_publication(session, draft, now=BEFORE)
    assert preview.ascii is False  # the centre's default is unchanged
    assert all(m.segments.encoding == "GSM-7" and m.body.startswith("TGPL TST: Lich truc thay doi (v2)")
               for m in preview.messages)


def test_calendar_link_is_reused(session: scoped_session, world: World) -> None:
    from duty_roster.notify.announce import calendar_link

    person = world.roster.assignments[0].person
    feeds = session.scalar(sa.select(sa.func.count()).select_from(tokens.FeedToken))
    first = calendar_link(session, person)
    assert first is not None and first == calendar_link(session, person)
    assert first in next(m.body for m in outbox(session, "publish") if m.person_id == person.id)
    assert session.scalar(sa.select(sa.func.count()).select_from(tokens.FeedToken)) == feeds
