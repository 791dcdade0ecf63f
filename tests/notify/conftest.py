"""Fixtures for the SMS tests: a fake Twilio server, a Twilio channel pointed at it, a small centre with people, and
a controllable clock for the dispatcher (its sleep advances it, so rate caps and backoff run instantly)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from duty_roster.models import Branch, Centre, Person, PersonKind
from duty_roster.notify.channels.twilio_sms import TwilioChannel
from tests.notify.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

SENDER = "+84900000001"
T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    """A monotonic clock that only moves when slept on (or told to)."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class SmsWorld:
    centre: Centre
    people: list[Person]


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio(seed=7, timeout_sleep=0.6) as fake:
        yield fake


@pytest.fixture
def twilio_channel(fake_twilio: FakeTwilio) -> TwilioChannel:
    """The real SDK against the fake; a short client timeout so injected timeouts cost little."""
    return TwilioChannel(ACCOUNT_SID, AUTH_TOKEN, SENDER, api_base=fake_twilio.base_url,
                         status_callback="http://127.0.0.1:5000/twilio/status", timeout=0.3)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


def make_world(session: Session, people: int = 3) -> SmsWorld:
    centre = Centre(code="SMS", name="Trung tâm thử SMS", short_name="TGPL SMS")
    head = Branch(code="HQ", name="Trụ sở", is_head_office=True)
    centre.branches.append(head)
    persons = [
        Person(code=f"P{i}", full_name=f"Người {i}", kind=PersonKind.OFFICER, branch=head,
               phone=f"0912 345 {i:03d}")
        for i in range(1, people + 1)
    ]
    centre.people.extend(persons)
    session.add(centre)
    session.commit()
    return SmsWorld(centre, persons)


@pytest.fixture
def sms_world(session: Session) -> SmsWorld:
    return make_world(session)


def later(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)
