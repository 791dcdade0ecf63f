"""Two dispatchers at once (two scheduler processes during a hand-over, or an operator's manual run): no row is
claimed by both, so no message is sent twice. PostgreSQL only: SQLite serialises writers, and a deployment with
several dispatchers runs on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from duty_roster.extensions import db
from duty_roster.models import OutboxMessage, OutboxState
from duty_roster.notify.channels.twilio_sms import TwilioChannel
from duty_roster.notify.dispatch import DispatchReport, dispatch_pending
from duty_roster.notify.outbox import enqueue
from tests.notify.conftest import SENDER, make_world
from tests.notify.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

pytestmark = pytest.mark.db
MESSAGES = 120


def test_two_dispatchers_never_claim_the_same_row(app: Flask, session: Session) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent dispatchers need PostgreSQL (set DUTY_ROSTER_TEST_DATABASE_URL)")
    world = make_world(session, people=4)
    for i in range(MESSAGES):
        enqueue(session, centre=world.centre, key=f"race-{i}", kind="publish", body=f"Tin {i}",
                person=world.people[i % 4])
    session.commit()
    engine = db.engine
    start = threading.Barrier(2)
    reports: list[DispatchReport] = []
    errors: list[BaseException] = []

    with FakeTwilio() as fake:
        def dispatcher() -> None:
            channel = TwilioChannel(ACCOUNT_SID, AUTH_TOKEN, SENDER, api_base=fake.base_url, timeout=5)
            with Session(engine) as own:
                start.wait()
                try:
                    reports.append(dispatch_pending(own, channel, rate_per_second=0, max_attempts=3,
                                                    retry_base_seconds=30))
                except BaseException as exc:  # surfaced below
                    errors.append(exc)

        threads = [threading.Thread(target=dispatcher) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        counts = fake.counts()

    assert errors == []
    assert sorted(r.sent for r in reports) and sum(r.sent for r in reports) == MESSAGES
    assert all(r.sent > 0 for r in reports), reports  # both really worked at the same time
    assert len(counts) == MESSAGES and set(counts.values()) == {1}
    session.expire_all()
    rows = list(session.scalars(sa.select(OutboxMessage)))
    assert {(r.state, r.attempts) for r in rows} == {(OutboxState.SENT, 1)}


def test_concurrent_enqueue_of_one_key_keeps_the_callers_transaction(app: Flask, session: Session) -> None:
    """Two transactions queue the same key at once: the second gets None (caught in a savepoint) and the rest of
    its transaction still commits."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (set DUTY_ROSTER_TEST_DATABASE_URL)")
    world = make_world(session, people=2)
    centre_id = world.centre.id
    engine = db.engine
    with Session(engine) as a, Session(engine) as b:
        assert enqueue(a, centre=centre_id, key="same", kind="alert", body="A", to="+84912345001") is not None
        results: list[object] = []

        def other() -> None:
            enqueue(b, centre=centre_id, key="mine", kind="alert", body="mine", to="+84912345002")
            results.append(enqueue(b, centre=centre_id, key="same", kind="alert", body="B", to="+84912345002"))
            b.commit()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(1.0)
        assert thread.is_alive()  # b waits on a's uncommitted key
        a.commit()
        thread.join(30)
        assert results == [None]
    session.expire_all()
    keys = {m.idempotency_key: m.body for m in session.scalars(sa.select(OutboxMessage))}
    assert keys == {"same": "A", "mine": "mine"}
