"""The dispatcher against the fake Twilio server through the real SDK: send, retry with backoff, give up, and never
send twice (reconciliation after ambiguous failures and after a crash that left a row in `sending`)."""

from __future__ import annotations

import logging
from itertools import pairwise
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.models import OutboxMessage, OutboxState
from duty_roster.notify.channels.twilio_sms import TwilioChannel
from duty_roster.notify.dispatch import DispatchReport, Pacer, backoff, dispatch_pending
from duty_roster.notify.outbox import enqueue
from tests.notify.conftest import T0, FakeClock, SmsWorld, later
from tests.notify.fake_twilio import FakeTwilio

BASE = 30.0


def queue(session: Session, world: SmsWorld, n: int = 1, *, person: int = 0, body: str = "Tin {i}",
          **kwargs: Any) -> list[OutboxMessage]:
    messages = []
    for i in range(n):
        message = enqueue(session, centre=world.centre, key=f"k-{person}-{body}-{i}", kind="publish",
                          body=body.format(i=i), person=world.people[person], **kwargs)
        assert message is not None
        messages.append(message)
    session.commit()
    return messages


def run(session: Session, channel: TwilioChannel, clock: FakeClock, at: float = 0, **kwargs: Any) -> DispatchReport:
    options: dict[str, Any] = {"rate_per_second": 0, "max_attempts": 5, "retry_base_seconds": BASE, "jitter": 0,
                               "clock": clock, "sleep": clock.sleep, **kwargs}
    return dispatch_pending(session, channel, now=later(at), **options)


def test_sends_and_records_the_sid(session: Session, sms_world: SmsWorld, fake_twilio: FakeTwilio,
                                   twilio_channel: TwilioChannel, fake_clock: FakeClock) -> None:
    [message] = queue(session, sms_world, body="Lịch trực tháng 12 đã công bố")
    report = run(session, twilio_channel, fake_clock)
    assert (report.sent, report.retried, report.failed, report.reconciled) == (1, 0, 0, 0)
    [accepted] = fake_twilio.accepted()
    session.refresh(message)
    assert (message.state, message.provider_sid, message.attempts) == (OutboxState.SENT, accepted.sid, 1)
    assert message.provider_status == "queued" and message.sent_at == T0 and message.last_error is None
    assert (accepted.to, accepted.body, accepted.from_) == ("+84912345001", "Lịch trực tháng 12 đã công bố",
                                                             "+84900000001")
    assert accepted.status_callback == "http://127.0.0.1:5000/twilio/status"
    assert run(session, twilio_channel, fake_clock, at=60).handled == 0  # nothing left: nothing sent again
    assert fake_twilio.count(accepted.to, accepted.body) == 1


def test_500_then_429_then_success_with_backoff(session: Session, sms_world: SmsWorld, fake_twilio: FakeTwilio,
                                                twilio_channel: TwilioChannel, fake_clock: FakeClock) -> None:
    [message] = queue(session, sms_world)
    fake_twilio.script(500, 429, "ok")

    assert run(session, twilio_channel, fake_clock).retried == 1
    session.refresh(message)
    assert (message.state, message.attempts, message.uncertain) == (OutboxState.PENDING, 1, True)  # 5xx: ask first
    assert message.next_attempt_at == later(BASE) and "500" in (message.last_error or "")

    assert run(session, twilio_channel, fake_clock, at=BASE - 1).handled == 0  # not due yet
    assert run(session, twilio_channel, fake_clock, at=BASE).retried == 1  # looked up (nothing), sent, 429
    session.refresh(message)
    assert (message.attempts, message.uncertain) == (2, False)
    assert message.next_attempt_at == later(BASE + 2 * BASE)  # base * 2**(attempts-1)
    assert len(fake_twilio.requests_of("GET")) == 1

    assert run(session, twilio_channel, fake_clock, at=3 * BASE).sent == 1
    session.refresh(message)
    assert (message.state, message.attempts) == (OutboxState.SENT, 3)
    assert len(fake_twilio.requests_of("GET")) == 1  # after a 429 nothing can have gone through: no look-up
    assert fake_twilio.count(message.to_phone, message.body) == 1


def test_permanent_error_fails_with_the_reason(session: Session, sms_world: SmsWorld, fake_twilio: FakeTwilio,
                                               twilio_channel: TwilioChannel, fake_clock: FakeClock) -> None:
    [message] = queue(session, sms_world)
    fake_twilio.reject_number(message.to_phone, 21610, f"Attempt to send to unsubscribed recipient {message.to_phone}")
    report = run(session, twilio_channel, fake_clock)
    assert (report.failed, report.retried) == (1, 0)
    session.refresh(message)
    assert (message.state, message.attempts) == (OutboxState.FAILED, 1)
    assert "21610" in (message.last_error or "") and "unsubscribed" in (message.last_error or "")
    assert message.to_phone not in (message.last_error or "")  # the number quoted by Twilio is masked
    assert run(session, twilio_channel, fake_clock, at=3600).handled == 0


def test_gives_up_after_max_attempts(session: Session, sms_world: SmsWorld, fake_twilio: FakeTwilio,
                                     twilio_channel: TwilioChannel, fake_clock: FakeClock) -> None:
    [message] = queue(session, sms_world)
    fake_twilio.script(429, 429, 429)
    at = 0.0
    for _ in range(3):
        run(session, twilio_channel, fake_clock, at=at, max_attempts=3)
        at += 10 * BASE
    session.refresh(message)
    assert (message.state, message.attempts) == (OutboxState.FAILED, 3)
    assert "429" in (message.last_error or "")
    assert fake_twilio.count(message.to_phone, message.body) == 0


def test_ambiguous_last_attempt_is_checked_before_failing(session: Session, sms_world: SmsWorld,
                                                          fake_twilio: FakeTwilio, twilio_channel: TwilioChannel,
                                                          fake_clock: FakeClock) -> None:
    """A timeout on the last attempt may have been accepted: the next run asks, and finds it sent."""
    [message] = queue(session, sms_world)
    fake_twilio.script("timeout")  # stored, answer too late
    run(session, twilio_channel, fake_clock, max_attempts=1)
    session.refresh(message)
    assert (message.state, message.uncertain, message.attempts) == (OutboxState.PENDING, True, 1)
    report = run(session, twilio_channel, fake_clock, at=BASE * 2, max_attempts=1)
    assert report.reconciled == 1
    session.refresh(message)
    [accepted] = fake_twilio.accepted()
    assert (message.state, message.provider_sid) == (OutboxState.SENT, accepted.sid)
    assert fake_twilio.count(message.to_phone, message.body) == 1


def test_ambiguous_last_attempt_not_at_the_provider_fails(session: Session, sms_world: SmsWorld,
                                                          fake_twilio: FakeTwilio, twilio_channel: TwilioChannel,
                                                          fake_clock: FakeClock) -> None:
    [message] = queue(session, sms_world)
    fake_twilio.script(503)
    run(session, twilio_channel, fake_clock, max_attempts=1)
    run(session, twilio_channel, fake_clock, at=BASE * 2, max_attempts=1)
    session.refresh(message)
    assert message.state == OutboxState.FAILED and "503" in (message.last_error or "")
    assert fake_twilio.count(message.to_phone, message.body) == 0


def test_accept_then_drop_is_reconciled_not_resent(session: Session, sms_world: SmsWorld, fake_twilio: FakeTwilio,
                                                   twilio_channel: TwilioChannel, fake_clock: FakeClock) -> None:
    """Twilio stored the message, then our side saw a 500 / a closed connection: the retry finds it instead."""
    messages = queue(session, sms_world, 2)
    fake_twilio.script("drop", "close")
    assert run(session, twilio_channel, fake_clock).retried == 2
    report = run(session, twilio_channel, fake_clock, at=BASE)
    assert (report.reconciled, report.sent) == (2, 0)
    for message in messages:
        session.refresh(message)
        assert message.state == OutboxState.SENT and message.provider_sid is not None
        assert fake_twilio.count(message.to_phone, message.body) == 1
    assert sorted(m.provider_sid or "" for m in messages) == sorted(m.sid for m in fake_twilio.accepted())
    assert len(fake_twilio.requests_of("POST")) == 2


def claimed_then_crashed(session: Session, message: OutboxMessage, claimed_at_s: float) -> None:
    """What a dispatcher killed mid-send leaves behind: `sending`, attempts counted, no SID."""
    message.state, message.attempts, message.claimed_at = OutboxState.SENDING, 1, later(claimed_at_s)
    session.commit()


def test_row_left_sending_after_the_provider_accepted(session: Session, sms_world: SmsWorld,
                                                      fake_twilio: FakeTwilio, twilio_channel: TwilioChannel,
                                                      fake_clock: FakeClock) -> None:
    [message] = queue(session, sms_world)
    claimed_then_crashed(session, message, -600)
    sid = twilio_channel.send(message.to_phone, message.body, key=message.idempotency_key).sid  # before the crash
    report = run(session, twilio_channel, fake_clock, lease_seconds=120)
    assert (report.released, report.reconciled, report.sent) == (1, 1, 0)
    session.refresh(message)
    assert (message.state, message.provider_sid) == (OutboxState.SENT, sid)
    assert fake_twilio.count(message.to_phone, message.body) == 1


def test_row_left_sending_before_the_provider_heard_is_sent_once(session: Session, sms_world: SmsWorld,
                                                                 fake_twilio: FakeTwilio,
                                                                 twilio_channel: TwilioChannel,
                                                                 fake_clock: FakeClock) -> None:
    [message] = queue(session, sms_world)
    claimed_then_crashed(session, message, -600)
    report = run(session, twilio_channel, fake_clock, lease_seconds=120)
    assert (report.released, report.reconciled, report.sent) == (1, 0, 1)
    session.refresh(message)
    assert message.state == OutboxState.SENT and message.attempts == 2
    assert fake_twilio.count(message.to_phone, message.body) == 1


def test_a_fresh_sending_row_is_left_to_its_dispatcher(session: Session, sms_world: SmsWorld,
                                                       fake_twilio: FakeTwilio, twilio_channel: TwilioChannel,
                                                       fake_clock: FakeClock) -> None:
    [message] = queue(session, sms_world)
    claimed_then_crashed(session, message, -30)  # within the lease: another dispatcher may be sending it now
    assert run(session, twilio_channel, fake_clock, lease_seconds=120).handled == 0
    session.refresh(message)
    assert message.state == OutboxState.SENDING and fake_twilio.accepted() == []


def test_same_text_twice_is_not_mistaken_for_the_earlier_message(session: Session, sms_world: SmsWorld,
                                                                 fake_twilio: FakeTwilio,
                                                                 twilio_channel: TwilioChannel,
                                                                 fake_clock: FakeClock) -> None:
    """Two rows with the same body to the same person: the second's look-up must not claim the first's SID."""
    first, second = _two_same(session, sms_world)
    run(session, twilio_channel, fake_clock, limit=1)
    fake_twilio.script(500)  # refused, not stored, but ambiguous: the next run asks first
    run(session, twilio_channel, fake_clock)
    run(session, twilio_channel, fake_clock, at=BASE)
    session.refresh(first)
    session.refresh(second)
    assert first.state == second.state == OutboxState.SENT
    assert first.provider_sid != second.provider_sid
    assert fake_twilio.count(first.to_phone, first.body) == 2


def test_same_text_twice_on_the_product_clock(session: Session, sms_world: SmsWorld, fake_twilio: FakeTwilio,
                                              twilio_channel: TwilioChannel) -> None:
    """The same story with no injected clock: rows, run stamps and the look-up window all from duty_roster.clock."""
    first, second = _two_same(session, sms_world)
    options: dict[str, Any] = {"rate_per_second": 0, "max_attempts": 5, "retry_base_seconds": 0, "jitter": 0}
    assert dispatch_pending(session, twilio_channel, limit=1, **options).sent == 1
    fake_twilio.script(500)
    assert dispatch_pending(session, twilio_channel, **options).retried == 1
    assert dispatch_pending(session, twilio_channel, **options).sent == 1  # looked up: only the first's SID
    session.refresh(first)
    session.refresh(second)
    assert first.state == second.state == OutboxState.SENT
    assert first.provider_sid != second.provider_sid
    assert fake_twilio.count(first.to_phone, first.body) == 2


class _RacingChannel:
    """Twilio, and a second dispatcher that records the SID the look-up is about to return for a row of its own
    (committed on its own connection) before the first dispatcher can record it."""

    name = "twilio"

    def __init__(self, inner: TwilioChannel, session: Session, rival_id: int) -> None:
        self.inner, self.session, self.rival_id = inner, session, rival_id

    def send(self, to: str, body: str, *, key: str) -> Any:
        return self.inner.send(to, body, key=key)

    def lookup(self, to: str, key: str, since: Any, body: str | None = None, exclude: Any = ()) -> Any:
        found = self.inner.lookup(to, key, since, body=body, exclude=exclude)
        if found is not None:
            with self.session.get_bind().connect() as rival:
                rival.execute(sa.update(OutboxMessage).where(OutboxMessage.id == self.rival_id)
                              .values(provider_sid=found.sid, state=OutboxState.SENT))
                rival.commit()
        return found


def test_a_sid_recorded_by_another_dispatcher_meanwhile_is_not_adopted(session: Session, sms_world: SmsWorld,
                                                                       fake_twilio: FakeTwilio,
                                                                       twilio_channel: TwilioChannel,
                                                                       fake_clock: FakeClock) -> None:
    """The unique SID is the last word: the look-up found a message, but another row recorded it first, so this
    row takes nothing, is asked about again, and is then sent as a message of its own."""
    first, second = _two_same(session, sms_world)
    fake_twilio.script("timeout")  # stored at the provider, but the answer never comes: uncertain
    run(session, twilio_channel, fake_clock, limit=1)
    session.refresh(first)
    assert first.uncertain and first.provider_sid is None
    racing = _RacingChannel(twilio_channel, session, second.id)
    report = run(session, racing, fake_clock, at=BASE, limit=1)  # type: ignore[arg-type]
    assert (report.reconciled, report.retried) == (0, 1)
    session.refresh(first)
    assert first.state == OutboxState.PENDING and first.uncertain and first.provider_sid is None
    assert run(session, twilio_channel, fake_clock, at=3 * BASE).sent == 1  # the rival's SID is excluded now
    session.refresh(first)
    session.refresh(second)
    assert first.state == OutboxState.SENT and first.provider_sid not in (None, second.provider_sid)


def test_two_rows_cannot_hold_one_provider_sid(session: Session, sms_world: SmsWorld) -> None:
    first, second = _two_same(session, sms_world)
    first.provider_sid = second.provider_sid = "SM0123"
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()
    session.rollback()


def _two_same(session: Session, world: SmsWorld) -> tuple[OutboxMessage, OutboxMessage]:
    made = [enqueue(session, centre=world.centre, key=f"reply-{i}", kind="reply", body="Đã xác nhận ca.",
                    person=world.people[0]) for i in range(2)]
    session.commit()
    assert made[0] is not None and made[1] is not None
    return made[0], made[1]


def test_due_rows_only_urgent_first(session: Session, sms_world: SmsWorld, fake_twilio: FakeTwilio,
                                    twilio_channel: TwilioChannel, fake_clock: FakeClock) -> None:
    normal = queue(session, sms_world, body="thường {i}")[0]
    held = queue(session, sms_world, body="đêm {i}", not_before=later(3600))[0]
    urgent = queue(session, sms_world, body="khẩn {i}", urgent=True)[0]
    assert run(session, twilio_channel, fake_clock).sent == 2
    assert [m.body for m in fake_twilio.accepted()] == [urgent.body, normal.body]
    session.refresh(held)
    assert held.state == OutboxState.PENDING
    assert run(session, twilio_channel, fake_clock, at=3600).sent == 1


def test_limit_caps_one_run(session: Session, sms_world: SmsWorld, fake_twilio: FakeTwilio,
                            twilio_channel: TwilioChannel, fake_clock: FakeClock) -> None:
    queue(session, sms_world, 5)
    assert run(session, twilio_channel, fake_clock, limit=2).sent == 2
    assert run(session, twilio_channel, fake_clock).sent == 3
    assert len(fake_twilio.accepted()) == 5


def test_rate_cap_spaces_sends(session: Session, sms_world: SmsWorld, fake_twilio: FakeTwilio,
                               twilio_channel: TwilioChannel, fake_clock: FakeClock) -> None:
    queue(session, sms_world, 5)
    report = run(session, twilio_channel, fake_clock, rate_per_second=2)
    assert report.sent == 5
    # 0.5 s apart, and never more than 2 within 1 s + the 25 ms margin; the fake clock only moves when slept on
    starts = [0, 0.5, 1.025, 1.525, 2.05]
    assert fake_clock.sleeps == pytest.approx([b - a for a, b in pairwise(starts)])
    sent_at = [m.sent_at for m in session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))]
    assert sent_at == [later(t) for t in starts]  # timestamps follow the run's clock


def test_pacer_keeps_the_gap_across_runs() -> None:
    clock = FakeClock()
    pacer = Pacer(4, clock, clock.sleep)
    pacer.wait()
    clock.advance(0.1)
    pacer.wait()  # a new run right after the last send of the previous one still waits
    assert clock.sleeps == pytest.approx([0.15])
    for _ in range(3):
        pacer.wait()
    assert clock.now - 1000.0 == pytest.approx(1.025)  # the 5th send: 1 s + margin after the 1st
    assert Pacer(0, clock, clock.sleep).interval == 0


def test_backoff_doubles_caps_and_jitters() -> None:
    assert [backoff(a, 30, jitter=0) for a in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30, 30, cap=3600, jitter=0) == 3600
    assert all(30 <= backoff(1, 30) <= 33 for _ in range(50))


def test_logs_mask_phone_numbers(session: Session, sms_world: SmsWorld, fake_twilio: FakeTwilio,
                                 twilio_channel: TwilioChannel, fake_clock: FakeClock,
                                 caplog: pytest.LogCaptureFixture) -> None:
    [message] = queue(session, sms_world)
    fake_twilio.script("timeout", method="POST")
    with caplog.at_level(logging.DEBUG):
        run(session, twilio_channel, fake_clock)
        run(session, twilio_channel, fake_clock, at=BASE)
    assert "+8491****001" in caplog.text
    assert message.to_phone not in caplog.text and "912345001" not in caplog.text
    session.refresh(message)
    assert message.state == OutboxState.SENT and fake_twilio.count(message.to_phone, message.body) == 1


class BrokenChannel:
    """A channel with a bug: it raises something that is not a ChannelError."""

    name = "broken"

    def send(self, to: str, body: str, *, key: str) -> None:
        raise ValueError(f"bug while sending to {to}")

    def lookup(self, *args: object, **kwargs: object) -> None:
        raise KeyError("bug while looking up")


def test_a_channel_bug_never_leaves_a_row_in_sending(session: Session, sms_world: SmsWorld,
                                                     fake_clock: FakeClock) -> None:
    [message] = queue(session, sms_world)
    channel: Any = BrokenChannel()
    assert run(session, channel, fake_clock, max_attempts=2).retried == 1
    session.refresh(message)
    assert (message.state, message.uncertain, message.attempts) == (OutboxState.PENDING, True, 1)
    assert "ValueError" in (message.last_error or "") and message.to_phone not in (message.last_error or "")
    run(session, channel, fake_clock, at=BASE, max_attempts=2)  # the look-up fails too: the last attempt is used
    session.refresh(message)
    assert (message.state, message.attempts) == (OutboxState.FAILED, 2)
    assert "may or may not have been sent" in (message.last_error or "")
