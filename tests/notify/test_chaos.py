"""The issue's acceptance test: a flaky provider (~20 % of requests answered 500/503/429, timed out, accepted then
dropped or cut off) and a dispatcher that dies at random points and is restarted until the outbox is empty. Every
message must end sent/delivered or failed with a reason, none lost, none accepted twice by the provider.

Two kinds of death, sharing one SQLite file with the test:
- a worker thread whose life ends at a random moment (between any two SQL statements, at a commit, or just
  before/after the provider answers): the exception unwinds without committing, like a killed process. Cheap, so
  it dies ~20 times.
- a real subprocess killed with SIGKILL a few times (Python start-up makes each restart cost a second or more).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Container
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from duty_roster.models import OutboxMessage, OutboxState
from duty_roster.notify.channels.base import SendResult
from duty_roster.notify.channels.twilio_sms import TwilioChannel
from duty_roster.notify.dispatch import dispatch_pending
from duty_roster.notify.outbox import enqueue
from tests import clock
from tests.notify.chaos_worker import CLIENT_TIMEOUT, MAX_ATTEMPTS, RATE, RETRY_BASE
from tests.notify.conftest import SENDER, make_world
from tests.notify.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

ROOT = Path(__file__).resolve().parents[2]
FAILURES = (500, 503, 429, "timeout", "drop", "close")
OPEN_STATES = (OutboxState.PENDING, OutboxState.SENDING)
SEED = int(os.environ.get("CHAOS_SEED", "6"))  # fixed by default; CHAOS_SEED=<n> explores other schedules


class Killed(BaseException):
    """The worker's death: a BaseException, so no `except Exception` on the way out can handle it."""


class Mortal:
    """A kill switch checked at every step a process could die at."""

    def __init__(self) -> None:
        self.kill = threading.Event()

    def check(self, *_: object, **__: object) -> None:
        if self.kill.is_set():
            raise Killed


class MortalChannel:
    """The real Twilio channel, dying before or after the provider answers when the switch is thrown."""

    name = "twilio"

    def __init__(self, inner: TwilioChannel, mortal: Mortal) -> None:
        self.inner, self.mortal = inner, mortal

    def send(self, to: str, body: str, *, key: str) -> SendResult:
        self.mortal.check()
        result = self.inner.send(to, body, key=key)
        self.mortal.check()  # accepted by the provider, but we die before recording it
        return result

    def lookup(self, to: str, key: str, since: datetime, body: str | None = None,
               exclude: Container[str] = ()) -> SendResult | None:
        self.mortal.check()
        return self.inner.lookup(to, key, since, body=body, exclude=exclude)


def queue_messages(session: Session, count: int, *, same_text: bool = False) -> None:
    """`count` messages over 4 people; with `same_text`, each person gets the same text count/4 times (replies
    "Đã xác nhận ca." to several shifts): two rows, two messages, whatever the look-ups find."""
    world = make_world(session, people=4)
    for i in range(count):
        body = "Đã xác nhận ca." if same_text else f"Nhắc ca số {i}"
        enqueue(session, centre=world.centre, key=f"chaos-{i}", kind="reminder", body=body,
                person=world.people[i % len(world.people)])
    session.commit()


def dispatch_until_empty(session: Session, channel: object) -> None:
    while True:
        # lease 0: the previous life is dead before this one starts, so nothing in `sending` is still in flight;
        # the rate cap stretches a life over ~1 s so that deaths land mid-run
        dispatch_pending(session, channel, rate_per_second=RATE, max_attempts=MAX_ATTEMPTS,  # type: ignore[arg-type]
                         retry_base_seconds=RETRY_BASE, lease_seconds=0)
        left = session.scalar(sa.select(sa.func.count()).where(OutboxMessage.state.in_(OPEN_STATES)))
        session.commit()
        if not left:
            return
        time.sleep(RETRY_BASE)


def thread_life(url: str, api_base: str, mortal: Mortal, outcome: list[str]) -> None:
    """One 'process': its own engine, session and HTTP client; ends when done or killed."""
    engine = sa.create_engine(url, connect_args={"check_same_thread": False})
    sa.event.listen(engine, "before_cursor_execute", mortal.check)
    sa.event.listen(engine, "commit", mortal.check)
    channel = MortalChannel(TwilioChannel(ACCOUNT_SID, AUTH_TOKEN, SENDER, api_base=api_base,
                                          timeout=CLIENT_TIMEOUT), mortal)
    session = Session(engine)
    try:
        dispatch_until_empty(session, channel)
        outcome.append("done")
    except Killed:
        outcome.append("killed")
    finally:
        # What the database sees when a process dies: its open transaction rolled back, its connections gone.
        mortal.kill.clear()
        session.close()
        engine.dispose()


def check_outcome(session: Session, fake: FakeTwilio, count: int) -> None:
    counts: Counter[tuple[str, str]] = fake.counts()
    by_sid = {m.sid: m for m in fake.accepted()}
    session.expire_all()
    rows = list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))
    assert len(rows) == count  # none lost
    asked = Counter((row.to_phone, row.body) for row in rows)
    sent = Counter((row.to_phone, row.body) for row in rows if row.state != OutboxState.FAILED)
    assert all(n <= asked[k] for k, n in counts.items()), [k for k, n in counts.items() if n > asked[k]]  # never twice
    for row in rows:
        assert row.state in (OutboxState.SENT, OutboxState.DELIVERED, OutboxState.FAILED), (row.id, row.state)
        if row.state == OutboxState.FAILED:
            assert row.last_error, row.id
        else:
            assert counts[(row.to_phone, row.body)] >= sent[(row.to_phone, row.body)], row.id
            held = by_sid.get(row.provider_sid or "")
            assert held is not None and (held.to, held.body) == (row.to_phone, row.body), row.id
    sids = [row.provider_sid for row in rows if row.provider_sid]
    assert len(sids) == len(set(sids))  # no provider message counted for two rows
    assert sum(1 for r in fake.requests if r.outcome != "ok") >= count // 10  # the provider really was flaky


@pytest.mark.parametrize(("count", "same_text"), [(100, False), (40, True)], ids=["distinct", "same-text"])
def test_dispatcher_dying_at_random_points_never_sends_twice(app: Flask, session: Session, count: int,
                                                             same_text: bool) -> None:
    queue_messages(session, count, same_text=same_text)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    rng = random.Random(SEED)
    progress: list[int] = []  # messages the provider held at each death
    with FakeTwilio(failure_rate=0.2, failure_kinds=FAILURES, timeout_sleep=0.5, seed=rng.randrange(1 << 30)) as fake:
        for life in range(200):
            mortal, outcome = Mortal(), []
            worker = threading.Thread(target=thread_life, args=(url, fake.base_url, mortal, outcome), daemon=True)
            worker.start()
            if life < 20:  # the first twenty lives end at a random moment; then one runs to the end
                worker.join(rng.uniform(0.01, 0.4))
                mortal.kill.set()
            worker.join(60)
            assert not worker.is_alive() and outcome, "a worker life hung"
            if outcome == ["done"]:
                break
            progress.append(len(fake.accepted()))
        check_outcome(session, fake, count)
    # deaths at distinct points of the run: 5 of 20 for 100 messages (fewer messages, fewer distinct points)
    assert len({n for n in progress if 0 < n < count}) >= count // 20, f"deaths did not land mid-run: {progress}"


@pytest.mark.slow
def test_dispatcher_process_killed_never_sends_twice(app: Flask, session: Session, tmp_path: Path) -> None:
    count, kills = 60, 2
    queue_messages(session, count)
    rng = random.Random(SEED + 1)
    progress: list[int] = []
    with FakeTwilio(failure_rate=0.2, failure_kinds=FAILURES, timeout_sleep=0.5, seed=rng.randrange(1 << 30)) as fake:
        command = clock.python_command("tests.notify.chaos_worker", app.config["SQLALCHEMY_DATABASE_URI"],
                                       str(tmp_path / "worker-instance"), fake.base_url)
        while True:
            worker = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            assert worker.stdout is not None
            worker.stdout.readline()  # "ready": the app is up, dispatching starts now
            try:
                _, stderr = worker.communicate(timeout=None if len(progress) >= kills else rng.uniform(0.1, 0.6))
            except subprocess.TimeoutExpired:
                worker.send_signal(signal.SIGKILL)
                worker.communicate()
                progress.append(len(fake.accepted()))
                continue
            assert worker.returncode == 0, stderr.decode(errors="replace")[-3000:]
            break
        check_outcome(session, fake, count)
    assert any(0 < n < count for n in progress), f"no kill landed mid-run: {progress}"
