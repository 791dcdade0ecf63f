"""Reminders: the rule parser, and a controllable clock walked across days to see exactly which reminders are
queued when (per-person rules, grace after an outage, never after the start, quiet hours)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

from duty_roster.models import Assignment, OutboxMessage, Person
from duty_roster.notify.reminders import ReminderRule, enqueue_due_reminders, parse_reminders
from tests.notify.messages_world import HCM, World, published_world

pytestmark = pytest.mark.db  # also on PostgreSQL with DUTY_ROSTER_TEST_DATABASE_URL


@pytest.fixture
def world(session: scoped_session) -> World:
    return published_world(session)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 12, day, hour, minute, tzinfo=HCM)


def walk(session: scoped_session, start: datetime, end: datetime, step: timedelta, **kwargs: object
         ) -> dict[str, datetime]:
    """Run the reminder job at every step in [start, end); return each new reminder key with the step it appeared."""
    seen: dict[str, datetime] = {}
    now = start
    while now < end:
        count = enqueue_due_reminders(session, now=now, **kwargs)  # type: ignore[arg-type]
        keys = session.scalars(sa.select(OutboxMessage.idempotency_key).where(OutboxMessage.kind == "reminder"))
        new = {k: now for k in keys if k not in seen}
        assert count == len(new)
        seen.update(new)
        now += step
    return seen


def key(a: Assignment, rule: str) -> str:
    return f"reminder:{a.shift_id}:{a.person_id}:{rule}:{a.shift.start_at:%Y%m%dT%H%MZ}"


def test_parse_reminders() -> None:
    assert parse_reminders("18:00-1d, 1h, 90m") == [
        ReminderRule("18:00-1d", at=time(18, 0), days=1), ReminderRule("1h", before=timedelta(hours=1)),
        ReminderRule("90m", before=timedelta(minutes=90))]
    assert parse_reminders("7:05-2d") == [ReminderRule("07:05-2d", at=time(7, 5), days=2)]
    assert parse_reminders("") == [] and parse_reminders(None) == [] and parse_reminders("1h,1h") == parse_reminders(
        "1h")
    for bad in ("18:00", "25:00-1d", "1d", "0h", "18:00-9d", "soon"):
        with pytest.raises(ValueError, match="bad reminder"):
            parse_reminders(bad)


def test_walk_a_day_default_rules(session: scoped_session, world: World) -> None:
    """Settings default "18:00-1d, 1h": Tuesday 3 December's shifts are reminded at 18:00 on Monday and one hour
    before each start, at exactly those ticks, and nothing else is queued between Monday 12:00 and Tuesday 12:00."""
    seen = walk(session, at(2, 12), at(3, 12), timedelta(minutes=10))
    expected: dict[str, datetime] = {}
    for a in world.roster.assignments:
        start = a.shift.start_at.astimezone(HCM)
        if a.shift.day == at(3, 0).date():
            expected[key(a, "18:00-1d")] = at(2, 18)
        if at(2, 12) <= start - timedelta(hours=1) < at(3, 12):
            expected[key(a, "1h")] = start - timedelta(hours=1)
    assert seen == expected
    assert {t.astimezone(HCM).time() for t in seen.values()} == {time(18, 0), time(6, 30)}
    tuesday_court = [a for a in world.roster.assignments if a.shift.day == at(3, 0).date()
                     and a.shift.location.code == "COURT"]
    assert len(tuesday_court) == 2  # morning and afternoon sessions
    assert key(tuesday_court[1], "1h") not in seen  # 12:30 is outside the walk


def test_walk_with_a_minute_tick_and_person_rules(session: scoped_session, world: World) -> None:
    """A person's own rules replace the default; "" means no reminders at all."""
    tuesday = sorted((a for a in world.roster.assignments if a.shift.day == at(3, 0).date()),
                     key=lambda a: (a.shift.start_at, a.role))
    custom, silent = tuesday[0].person, tuesday[1].person
    custom.reminder_offsets = "90m"
    silent.reminder_offsets = ""
    seen = walk(session, at(3, 5), at(3, 7, 30), timedelta(minutes=1), default_rules="1h")
    mine = {k: v for k, v in seen.items() if f":{custom.id}:" in k}
    assert mine == {key(a, "90m"): a.shift.start_at.astimezone(HCM) - timedelta(minutes=90)
                    for a in tuesday if a.person_id == custom.id}
    assert custom.id != silent.id
    assert not any(k.split(":")[2] == str(silent.id) for k in seen)
    others = {a.person_id for a in tuesday if a.shift.start_at <= at(3, 8, 30)} - {custom.id, silent.id}
    assert {int(k.split(":")[2]) for k in seen} == others | {custom.id}  # everyone else: the default "1h"


def test_outage_within_grace_still_sends_once_but_not_after_start(session: scoped_session, world: World) -> None:
    tuesday = [a for a in world.roster.assignments if a.shift.day == at(3, 0).date()]
    # Scheduler down from 17:55 to 19:30: the 18:00 reminder goes out at 19:30, once.
    assert enqueue_due_reminders(session, now=at(2, 17, 55), default_rules="18:00-1d") == 0
    assert enqueue_due_reminders(session, now=at(2, 19, 30), default_rules="18:00-1d") == len(tuesday)
    assert enqueue_due_reminders(session, now=at(2, 19, 31), default_rules="18:00-1d") == 0
    # Down until 20:30: older than the grace window, dropped.
    session.execute(sa.delete(OutboxMessage))
    assert enqueue_due_reminders(session, now=at(2, 20, 30), default_rules="18:00-1d") == 0
    # A "1h" reminder is never sent once the shift began, however short the outage.
    assert enqueue_due_reminders(session, now=at(3, 7, 30), default_rules="1h") == 0
    morning = [a for a in tuesday if a.shift.start_at == at(3, 7, 30)]
    assert len(morning) == 3  # court session, on-call duty person and assistant
    assert enqueue_due_reminders(session, now=at(3, 7, 29), default_rules="1h") == len(morning)


def test_after_an_outage_only_the_latest_rule_goes(session: scoped_session, world: World) -> None:
    morning = [a for a in world.roster.assignments if a.shift.start_at == at(3, 7, 30)]
    # Down from 05:00 to 07:00: "18:00-1d" is past the grace, "2h" (05:30) and "1h" (06:30) are both due.
    assert enqueue_due_reminders(session, now=at(3, 7, 0), default_rules="18:00-1d, 2h, 1h") == len(morning)
    keys = set(session.scalars(sa.select(OutboxMessage.idempotency_key)
                               .where(OutboxMessage.kind == "reminder")))
    assert keys == {key(a, "1h") for a in morning}
    assert enqueue_due_reminders(session, now=at(3, 7, 1), default_rules="18:00-1d, 2h, 1h") == 0


def test_on_call_reminder_names_the_partner_and_duty_phone(session: scoped_session, world: World) -> None:
    enqueue_due_reminders(session, now=at(3, 6, 30), default_rules="1h")
    oncall = [a for a in world.roster.assignments if a.shift.start_at == at(3, 7, 30)
              and a.shift.location.code == "POLICE"]
    duty = next(a for a in oncall if a.role == "duty")
    assistant = next(a for a in oncall if a.role == "assistant")
    # Only the reminders: the publication queued its own message to the same people (unordered rows on PostgreSQL).
    bodies = {m.person_id: m.body for m in session.scalars(sa.select(OutboxMessage)
                                                           .where(OutboxMessage.kind == "reminder"))}
    assert bodies[duty.person_id].startswith("TGPL TST: Nhắc trực TGPL điều tra hình sự T3 03/12 07:30–T4 04/12 07:30")
    assert f"Hỗ trợ trực: {assistant.person.full_name} 0987000" in bodies[duty.person_id]
    assert "SĐT trực TT: 02923812399." in bodies[duty.person_id]
    assert f"Người trực: {duty.person.full_name} 0912000" in bodies[assistant.person_id]
    assert bodies[duty.person_id].endswith("Trả lời OK để xác nhận, KHONG để từ chối")


def test_quiet_hours_hold_day_shifts_only_until_useful(session: scoped_session, world: World) -> None:
    court = next(a for a in world.roster.assignments if a.shift.start_at == at(3, 7, 30)
                 and a.shift.location.code == "COURT")
    police = next(a for a in world.roster.assignments if a.shift.start_at == at(3, 7, 30)
                  and a.shift.location.code == "POLICE" and a.role == "duty")
    enqueue_due_reminders(session, now=at(3, 5, 30), default_rules="2h", quiet_hours="22:00-06:00")
    rows = {m.person_id: m for m in session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "reminder"))}
    assert rows[court.person_id].urgent is False and rows[court.person_id].not_before == at(3, 6, 0)
    assert rows[police.person_id].urgent is True and rows[police.person_id].not_before is None  # night/on-call
    session.execute(sa.delete(OutboxMessage))
    enqueue_due_reminders(session, now=at(3, 5, 30), default_rules="2h", quiet_hours="22:00-08:00")
    row = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.person_id == court.person_id)).one()
    assert row.urgent is True and row.not_before is None  # held until 08:00 it would come after the 07:30 start


def test_declined_and_unpublished_are_not_reminded(session: scoped_session, world: World) -> None:
    target = next(a for a in world.roster.assignments if a.shift.start_at == at(3, 7, 30))
    target.declined_at = at(2, 10)
    enqueue_due_reminders(session, now=at(3, 6, 30), default_rules="1h")
    reminded = set(session.scalars(sa.select(OutboxMessage.person_id).where(OutboxMessage.kind == "reminder")))
    assert target.person_id not in reminded and reminded
    assert session.get(Person, target.person_id) is not None
