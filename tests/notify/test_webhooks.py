"""Twilio webhooks: signatures (also behind a TLS proxy), inbound confirm/decline replies, delivery receipts.

Requests are signed with the real SDK's RequestValidator over the public URL Twilio would call
(https://lichtruc.example.vn/...), while Flask's test client sees http://localhost/...: exactly the proxy case.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session
from twilio.request_validator import RequestValidator

from duty_roster.centre_file import load_centre_data
from duty_roster.models import Assignment, AuditLog, OutboxMessage, OutboxState, utcnow
from duty_roster.notify.channels.twilio_sms import TwilioChannel
from duty_roster.notify.dispatch import dispatch_pending
from duty_roster.notify.webhooks import normalise_word
from duty_roster.rostering.queries import centre_by_code
from tests.notify.fake_twilio import FakeTwilio
from tests.rostering.centre import covered_centre
from tests.rostering.published import (
    COORDINATOR_PHONE,
    WEEK,
    Published,
    assignments_of,
    published_roster,
    published_week,
)

pytestmark = pytest.mark.db  # also on PostgreSQL with DUTY_ROSTER_TEST_DATABASE_URL
TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "https://lichtruc.example.vn"
D1_PHONE = "+84912000101"  # tests/rostering/centre.py: D1 is "0912 000 101"
D7_PHONE = "+84912000107"  # D7 has no shift in the published week


@pytest.fixture
def world(app: Flask, session: scoped_session) -> Published:
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], TWILIO_AUTH_TOKEN=TOKEN,
                                                 PUBLIC_BASE_URL=PUBLIC)
    return published_week(session)


def signed_post(client: FlaskClient, path: str, params: dict[str, str], *, token: str = TOKEN,
                url: str | None = None, signature: str | None = None) -> Any:
    """POST form `params` to `path` (http://localhost as the test client sees it), signed as Twilio signs `url`."""
    if signature is None:
        signature = RequestValidator(token).compute_signature(url or PUBLIC + path, params)
    headers = {"X-Twilio-Signature": signature} if signature else {}
    return client.post(path, data=params, headers=headers)


def sms(client: FlaskClient, body: str, *, sender: str = D1_PHONE, sid: str = "SM" + "1" * 32, **kw: Any) -> Any:
    params = {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": sender, "To": "+84900000001",
              "Body": body, "NumMedia": "0"}
    return signed_post(client, "/twilio/inbound", params, **kw)


def snapshot(session: scoped_session) -> tuple[Any, ...]:
    """Everything a webhook could write: answers, audit entries, queued messages."""
    session.expire_all()
    answers = session.execute(sa.select(Assignment.id, Assignment.confirmed_at, Assignment.declined_at)
                              .order_by(Assignment.id)).all()
    audit = session.scalar(sa.select(sa.func.count(AuditLog.id)))
    outbox = session.execute(sa.select(OutboxMessage.id, OutboxMessage.state).order_by(OutboxMessage.id)).all()
    return tuple(answers), audit, tuple(outbox)


def message_of(response: Any) -> str:
    assert response.status_code == 200 and response.mimetype == "text/xml"
    text = response.get_data(as_text=True)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Message>'), text
    return text.split("<Message>", 1)[1].split("</Message>", 1)[0]


@pytest.mark.parametrize(("body", "word"), [
    ("OK", "OK"), (" ok. ", "OK"), ("có", "CO"), ("Có!", "CO"), ("xn", "XN"), ("Yes", "YES"), ("y", "Y"),
    ("Đồng  ý", "DONG Y"), ("Không", "KHONG"), ("không.", "KHONG"), ("KHÔNG", "KHONG"), ("no", "NO"), ("k", "K"),
    ("No problem", "NO PROBLEM"),
])
def test_reply_words_are_normalised(body: str, word: str) -> None:
    assert normalise_word(body) == word


def inbound_audit(session: scoped_session) -> list[AuditLog]:
    return list(session.scalars(sa.select(AuditLog).where(AuditLog.action == "sms.inbound").order_by(AuditLog.id)))


def test_ok_confirms_the_next_shift_and_says_which(client: FlaskClient, session: scoped_session, world: Published,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    first, second, third = assignments_of(session, world.roster, "D1")

    text = message_of(sms(client, "ok"))

    assert text == "Đã xác nhận ca trực Thứ Hai 02/12 07:30 Cơ quan Cảnh sát điều tra. Cảm ơn."
    session.expire_all()
    assert first.confirmed_at is not None and second.confirmed_at is None and third.confirmed_at is None
    # The next "có" answers the next shift (Thursday's court morning).
    text = message_of(sms(client, "Có", sid="SM" + "2" * 32))
    assert text.startswith("Đã xác nhận ca trực Thứ Năm 05/12 07:30 Tòa án nhân dân khu vực 1")
    session.expire_all()
    assert second.confirmed_at is not None and third.confirmed_at is None
    [entry, _] = inbound_audit(session)
    assert entry.detail["result"] == "confirmed" and entry.detail["assignment"] == first.id
    assert entry.entity_id == "SM" + "1" * 32 and entry.detail["phone"] == "+8491****101"
    stored = json.dumps([e.detail for e in session.scalars(sa.select(AuditLog))], ensure_ascii=False)
    assert D1_PHONE not in stored and "0912000101" not in stored
    assert D1_PHONE not in caplog.text and "0912000101" not in caplog.text


def test_khong_declines_and_alerts_the_coordinator(client: FlaskClient, session: scoped_session,
                                                   world: Published) -> None:
    first = assignments_of(session, world.roster, "D1")[0]

    text = message_of(sms(client, "Không"))

    assert text.startswith("Đã ghi nhận từ chối ca trực Thứ Hai 02/12 07:30")
    session.expire_all()
    assert first.declined_at is not None and first.confirmed_at is None
    [alert] = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "alert")).all()
    assert alert.to_phone == COORDINATOR_PHONE and alert.urgent and alert.state is OutboxState.PENDING
    assert "Trợ giúp viên 1" in alert.body and "TỪ CHỐI" in alert.body
    [entry] = session.scalars(sa.select(AuditLog).where(AuditLog.action == "assignment.decline")).all()
    assert entry.detail["via"] == "sms"


def test_reply_in_the_persons_language_and_alphabet(client: FlaskClient, session: scoped_session,
                                                    world: Published) -> None:
    d1 = assignments_of(session, world.roster, "D1")[0].person
    d1.sms_language = "en"
    session.commit()
    assert message_of(sms(client, "YES")).startswith("Confirmed: duty shift Mon 02/12 07:30 Cơ quan")

    d1.sms_language, d1.sms_ascii = "vi", True
    session.commit()
    assert message_of(sms(client, "xn", sid="SM" + "2" * 32)).startswith(
        "Da xac nhan ca truc Thu Nam 05/12 07:30 Toa an nhan dan")


def test_nothing_to_confirm(client: FlaskClient, session: scoped_session, world: Published) -> None:
    text = message_of(sms(client, "OK", sender=D7_PHONE))

    assert text == "Không có ca trực sắp tới nào chờ xác nhận."
    [entry] = inbound_audit(session)
    assert entry.detail["result"] == "nothing" and entry.detail["assignment"] is None


@pytest.mark.parametrize(("sender", "body", "expected"), [
    ("+84912999999", "OK", "This number is not registered"),  # a valid number nobody has
    ("not-a-number", "OK", "This number is not registered"),
    (D1_PHONE, "hello", "Trả lời OK để xác nhận, KHONG để từ chối"),  # a known person, an unknown word
    (D1_PHONE, "No problem", "Trả lời OK để xác nhận"),  # the whole message must be the word
])
def test_unknown_number_or_word_gets_help_and_nothing_is_recorded(
    client: FlaskClient, session: scoped_session, world: Published, sender: str, body: str, expected: str,
) -> None:
    before = snapshot(session)

    text = message_of(sms(client, body, sender=sender))

    assert expected in text
    assert snapshot(session) == before


def test_a_retried_message_is_answered_once(client: FlaskClient, session: scoped_session, world: Published) -> None:
    first, second, _ = assignments_of(session, world.roster, "D1")
    message_of(sms(client, "OK"))
    session.expire_all()
    assert first.confirmed_at is not None
    before = snapshot(session)

    again = sms(client, "OK")  # same MessageSid: Twilio retrying

    assert again.status_code == 200 and "<Message>" not in again.get_data(as_text=True)
    assert snapshot(session) == before
    assert second.confirmed_at is None


@pytest.mark.parametrize("case", ["wrong token", "missing", "tampered body", "signed for the internal url",
                                  "no token configured"])
def test_bad_signature_is_refused_and_changes_nothing(
    app: Flask, client: FlaskClient, session: scoped_session, world: Published, case: str,
) -> None:
    before = snapshot(session)
    params = {"MessageSid": "SM" + "9" * 32, "From": D1_PHONE, "To": "+84900000001", "Body": "KHONG"}
    if case == "wrong token":
        response = signed_post(client, "/twilio/inbound", params, token="another-token")
    elif case == "missing":
        response = signed_post(client, "/twilio/inbound", params, signature="")
    elif case == "tampered body":
        signature = RequestValidator(TOKEN).compute_signature(PUBLIC + "/twilio/inbound", {**params, "Body": "OK"})
        response = signed_post(client, "/twilio/inbound", params, signature=signature)
    elif case == "signed for the internal url":  # what a naive request.url check would accept
        response = signed_post(client, "/twilio/inbound", params, url="http://localhost/twilio/inbound")
    else:
        app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], TWILIO_AUTH_TOKEN=None)
        response = signed_post(client, "/twilio/inbound", params)
    status = signed_post(client, "/twilio/status", {"MessageSid": "SM" + "9" * 32, "MessageStatus": "delivered"},
                         token="another-token")

    assert response.status_code == 403 and status.status_code == 403
    assert snapshot(session) == before


def test_no_csrf_token_needed(client: FlaskClient, world: Published) -> None:
    """The blueprint is CSRF-exempt: Twilio's signed POST is accepted without a form token."""
    assert sms(client, "OK").status_code == 200


def test_delivery_receipts_move_the_outbox_row_forward_only(
    client: FlaskClient, session: scoped_session, world: Published, fake_twilio: FakeTwilio,
    twilio_channel: TwilioChannel,
) -> None:
    message_of(sms(client, "KHONG"))  # queues the coordinator's alert
    dispatch_pending(session, twilio_channel, now=utcnow(), rate_per_second=0, max_attempts=3,
                     retry_base_seconds=1)
    session.commit()
    [alert] = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "alert")).all()
    assert alert.state is OutboxState.SENT and alert.provider_sid
    sid = alert.provider_sid

    def receipt(status: str, path: str = "/twilio/status") -> int:
        params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32,
                  "To": COORDINATOR_PHONE}
        return signed_post(client, path, params).status_code

    # Configured with a query string: the signature covers it, and it still validates behind the proxy.
    assert receipt("delivered", "/twilio/status?centre=TST") == 204
    session.expire_all()
    assert alert.state is OutboxState.DELIVERED and alert.delivered_at is not None
    assert receipt("sent") == 204  # a late, out-of-order callback
    session.expire_all()
    assert alert.state is OutboxState.DELIVERED

    before = snapshot(session)
    unknown = {"MessageSid": "SM" + "f" * 32, "MessageStatus": "delivered"}
    assert signed_post(client, "/twilio/status", unknown).status_code == 204
    assert snapshot(session) == before


def test_a_number_in_two_centres_answers_the_earlier_shift(client: FlaskClient, session: scoped_session,
                                                           world: Published) -> None:
    """D1's number is also a person of a second centre whose published week comes first: "OK" answers that one."""
    other_data = covered_centre()
    other_data["centre"] = {**other_data["centre"], "code": "TS2", "name": "Trung tâm thứ hai"}
    load_centre_data(session, other_data)
    other = centre_by_code(session, "TS2")
    earlier = published_roster(session, other, (WEEK[0] - timedelta(days=7), WEEK[1] - timedelta(days=7)))
    session.commit()
    there = assignments_of(session, earlier, "D1")[0]
    here = assignments_of(session, world.roster, "D1")[0]
    assert there.person.phone == here.person.phone == D1_PHONE and there.person_id > here.person_id

    text = message_of(sms(client, "OK"))

    assert text.startswith("Đã xác nhận ca trực Thứ Hai 25/11 07:30")
    session.expire_all()
    assert there.confirmed_at is not None and here.confirmed_at is None
