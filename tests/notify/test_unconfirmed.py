"""Unconfirmed alerts: shifts starting soon whose person neither confirmed nor declined alert the coordinators
(the director without one) and the on-call shift's assistant, once each."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

from duty_roster.models import OutboxMessage
from duty_roster.notify.unconfirmed import alert_unconfirmed
from tests.notify.messages_world import HCM, World, published_world

NOW = datetime(2030, 12, 2, 20, 0, tzinfo=HCM)  # Monday evening: Tuesday 07:30 is within 12 h, 13:30 is not

pytestmark = pytest.mark.db  # also on PostgreSQL with DUTY_ROSTER_TEST_DATABASE_URL


@pytest.fixture
def world(session: scoped_session) -> World:
    return published_world(session)


def alerts(session: scoped_session) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "unconfirmed")
                                .order_by(OutboxMessage.id)))


def test_alerts_coordinator_and_on_call_assistant_once(session: scoped_session, world: World) -> None:
    soon = [a for a in world.roster.assignments if NOW < a.shift.start_at.astimezone(HCM) <= datetime(
        2030, 12, 3, 8, 0, tzinfo=HCM)]
    assert sorted((a.shift.location.code, a.role) for a in soon) == [
        ("COURT", "duty"), ("POLICE", "assistant"), ("POLICE", "duty")]
    court = next(a for a in soon if a.shift.location.code == "COURT")
    court.confirmed_at = NOW  # confirmed: no alert
    queued = alert_unconfirmed(session, now=NOW, hours=12)
    duty = next(a for a in soon if a.shift.location.code == "POLICE" and a.role == "duty")
    assistant = next(a for a in soon if a.role == "assistant")
    coordinator = world.coordinator.person
    assert coordinator is not None
    got = sorted((m.person_id, m.idempotency_key.split(":")[2]) for m in alerts(session))
    assert got == sorted([
        (coordinator.id, str(duty.person_id)),  # the duty person is unconfirmed: coordinator + assistant
        (assistant.person_id, str(duty.person_id)),
        (coordinator.id, str(assistant.person_id)),  # the assistant is unconfirmed: the coordinator only
    ])
    assert queued == 3
    assert all(m.urgent and m.not_before is None for m in alerts(session))
    body = next(m.body for m in alerts(session) if m.person_id == assistant.person_id)
    assert body.startswith(f"TGPL TST: {duty.person.full_name} 0912000")
    assert "CHƯA xác nhận ca T3 03/12 07:30–07:30 POLICE" in body
    assert alert_unconfirmed(session, now=NOW, hours=12) == 0  # idempotent


def test_director_when_no_coordinator_and_zero_hours(session: scoped_session, world: World) -> None:
    world.coordinator.active = False
    assert alert_unconfirmed(session, now=NOW, hours=0) == 0
    alert_unconfirmed(session, now=NOW, hours=12)
    director = world.director.person
    assert director is not None
    assert director.id in {m.person_id for m in alerts(session)}
    assert world.coordinator.person_id not in {m.person_id for m in alerts(session)}


def test_declined_and_started_are_not_alerted(session: scoped_session, world: World) -> None:
    for a in world.roster.assignments:
        a.declined_at = NOW
    assert alert_unconfirmed(session, now=NOW, hours=12) == 0
    assert alert_unconfirmed(session, now=datetime(2030, 12, 9, 0, 0, tzinfo=HCM), hours=48) == 0
