"""Channel choice from settings, the console channel, and the Twilio channel talking to the fake server."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from duty_roster.config import Settings
from duty_roster.models import OutboxState
from duty_roster.notify.channels import Channel, PermanentError, RetryableError
from duty_roster.notify.channels.console import ConsoleChannel
from duty_roster.notify.channels.twilio_sms import TwilioChannel
from duty_roster.notify.dispatch import channel_from_settings, dispatch_pending
from duty_roster.notify.outbox import enqueue
from tests.notify.conftest import SmsWorld
from tests.notify.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

SERVICE_SID = "MG" + "ab" * 16
TO = "+84912345678"


def twilio_settings(fake: FakeTwilio, sender: str = "+84900000001", **changes: object) -> Settings:
    settings = Settings(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN, TWILIO_FROM=sender,
                        TWILIO_API_BASE=fake.base_url, PUBLIC_BASE_URL="https://lichtruc.example.vn")
    return dataclasses.replace(settings, **changes)


def test_console_without_credentials(caplog: pytest.LogCaptureFixture) -> None:
    assert isinstance(channel_from_settings(Settings()), ConsoleChannel)
    with caplog.at_level(logging.WARNING):
        partial = channel_from_settings(Settings(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_FROM="+84900000001"))
    assert isinstance(partial, ConsoleChannel)
    assert "TWILIO_AUTH_TOKEN" in caplog.text


def test_twilio_with_credentials(fake_twilio: FakeTwilio) -> None:
    channel = channel_from_settings(twilio_settings(fake_twilio))
    assert isinstance(channel, TwilioChannel) and isinstance(channel, Channel)
    assert channel.status_callback == "https://lichtruc.example.vn/twilio/status"


def test_twilio_client_really_talks_to_the_fake(fake_twilio: FakeTwilio) -> None:
    channel = channel_from_settings(twilio_settings(fake_twilio))
    result = channel.send(TO, "Xin chào", key="k1")
    [request] = fake_twilio.requests_of("POST")
    assert request.auth_ok and request.path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    [message] = fake_twilio.accepted()
    assert result.sid == message.sid and result.sid.startswith("SM") and len(result.sid) == 34
    assert result.status == "queued"
    assert (message.to, message.from_, message.messaging_service_sid) == (TO, "+84900000001", None)
    assert message.status_callback == "https://lichtruc.example.vn/twilio/status"


def test_messaging_service_sender(fake_twilio: FakeTwilio) -> None:
    channel_from_settings(twilio_settings(fake_twilio, SERVICE_SID)).send(TO, "Xin chào", key="k1")
    [message] = fake_twilio.accepted()
    assert (message.from_, message.messaging_service_sid) == (None, SERVICE_SID)


def test_wrong_token_is_retryable_not_ambiguous(fake_twilio: FakeTwilio) -> None:
    channel = channel_from_settings(twilio_settings(fake_twilio, TWILIO_AUTH_TOKEN="wrong-token"))
    with pytest.raises(RetryableError) as caught:
        channel.send(TO, "x", key="k")
    assert not caught.value.ambiguous and "401" in caught.value.reason
    assert fake_twilio.requests_of("POST")[0].auth_ok is False and fake_twilio.accepted() == []


@pytest.mark.parametrize(
    ("outcome", "error", "ambiguous", "stored"),
    [
        (500, RetryableError, True, 0),
        (503, RetryableError, True, 0),
        (429, RetryableError, False, 0),
        ("timeout", RetryableError, True, 1),
        ("drop", RetryableError, True, 1),
        ("close", RetryableError, True, 1),
        ((400, 21211, f"Invalid 'To' Phone Number: {TO}"), PermanentError, None, 0),
    ],
)
def test_errors_are_classified(twilio_channel: TwilioChannel, fake_twilio: FakeTwilio, outcome: object,
                               error: type[Exception], ambiguous: bool | None, stored: int) -> None:
    fake_twilio.script(outcome)  # type: ignore[arg-type]
    with pytest.raises(error) as caught:
        twilio_channel.send(TO, "x", key="k")
    assert getattr(caught.value, "ambiguous", None) == ambiguous
    assert TO not in str(caught.value)
    assert len(fake_twilio.accepted()) == stored


def test_lookup_finds_by_body_pages_and_skips_known_sids(twilio_channel: TwilioChannel,
                                                         fake_twilio: FakeTwilio) -> None:
    since = datetime.now(UTC) - timedelta(minutes=5)
    first = twilio_channel.send(TO, "Nhắc ca", key="a")
    for i in range(60):  # more than one page of 50
        twilio_channel.send(TO, f"khác {i}", key=f"x{i}")
    twilio_channel.send("+84987654321", "Nhắc ca", key="other-number")
    assert twilio_channel.lookup(TO, "a", since, body="Nhắc ca") == first
    assert twilio_channel.lookup(TO, "a", since, body="Nhắc ca", exclude={first.sid}) is None
    assert twilio_channel.lookup(TO, "a", since + timedelta(hours=1), body="Nhắc ca") is None
    assert twilio_channel.lookup(TO, "a", since, body="không có") is None
    assert len(fake_twilio.requests_of("GET")) >= 5  # the misses read both pages
    fake_twilio.script(500, method="GET")
    with pytest.raises(RetryableError):
        twilio_channel.lookup(TO, "a", since, body="Nhắc ca")


def test_console_channel_logs_masked_and_delivers(session: Session, sms_world: SmsWorld,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    message = enqueue(session, centre=sms_world.centre, key="c1", kind="publish",
                      body="Lịch trực tháng 12. Trực cùng: 0987 654 321", person=sms_world.people[0])
    session.commit()
    assert message is not None
    with caplog.at_level(logging.INFO):
        report = dispatch_pending(session, ConsoleChannel(), rate_per_second=0, max_attempts=3,
                                  retry_base_seconds=30)
    assert report.sent == 1
    session.refresh(message)
    assert message.state == OutboxState.DELIVERED and (message.provider_sid or "").startswith("LOG")
    assert "Lịch trực tháng 12. Trực cùng: 09876**321" in caplog.text and "+8491****001" in caplog.text
    assert message.to_phone not in caplog.text and "0987 654 321" not in caplog.text


def test_fake_fetches_one_message_and_filters_by_day(twilio_channel: TwilioChannel, fake_twilio: FakeTwilio) -> None:
    """The fake answers the SDK's other calls like Twilio: fetch by SID (404 if unknown), DateSent as a day."""
    from twilio.base.exceptions import TwilioRestException

    result = twilio_channel.send(TO, "Xin chào", key="k")
    fake_twilio.set_status(result.sid, "delivered")
    fetched = twilio_channel.client.messages(result.sid).fetch()
    assert (fetched.sid, fetched.status, fetched.to, fetched.body) == (result.sid, "delivered", TO, "Xin chào")
    with pytest.raises(TwilioRestException) as caught:
        twilio_channel.client.messages("SM" + "0" * 32).fetch()
    assert caught.value.status == 404
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    listed = twilio_channel.client.messages.list(to=TO, date_sent_after=today)
    assert [m.sid for m in listed] == [result.sid]
    assert twilio_channel.client.messages.list(to="+84987654321") == []
