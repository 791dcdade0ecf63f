"""The outbox: idempotent enqueue in the caller's transaction, failed list, provider status callbacks."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.models import OutboxMessage, OutboxState, Person, PersonKind
from duty_roster.notify.outbox import apply_status, enqueue, failed_messages
from duty_roster.phones import InvalidPhone
from tests.notify.conftest import T0, SmsWorld, later


def rows(session: Session) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_enqueue_adds_a_pending_row_without_committing(session: Session, sms_world: SmsWorld) -> None:
    person = sms_world.people[0]
    message = enqueue(session, centre=sms_world.centre, key="publish:1:P1", kind="publish", body="Lịch trực mới",
                      person=person)
    assert message is not None
    assert (message.state, message.attempts, message.to_phone) == (OutboxState.PENDING, 0, "+84912345001")
    assert message.person_id == person.id and message.centre_id == sms_world.centre.id
    session.rollback()  # the caller's transaction decides: rolled back, the message never existed
    assert rows(session) == []


def test_enqueue_is_idempotent_per_key(session: Session, sms_world: SmsWorld) -> None:
    person = sms_world.people[0]
    first = enqueue(session, centre=sms_world.centre, key="k-1", kind="reminder", body="Nhắc ca", person=person)
    second = enqueue(session, centre=sms_world.centre, key="k-1", kind="reminder", body="Nhắc ca", person=person)
    session.commit()
    third = enqueue(session, centre=sms_world.centre.id, key="k-1", kind="reminder", body="other", person=person)
    assert first is not None and second is None and third is None
    assert [m.idempotency_key for m in rows(session)] == ["k-1"]


def test_enqueue_to_an_explicit_number_is_normalised(session: Session, sms_world: SmsWorld) -> None:
    message = enqueue(session, centre=sms_world.centre, key="alert-1", kind="alert", body="Cảnh báo",
                      to="0987 654 321", urgent=True, not_before=T0)
    assert message is not None and message.to_phone == "+84987654321" and message.person_id is None
    assert message.urgent and message.not_before == T0
    with pytest.raises(InvalidPhone):
        enqueue(session, centre=sms_world.centre, key="alert-2", kind="alert", body="x", to="12")


def test_person_without_phone_queues_nothing(session: Session, sms_world: SmsWorld,
                                             caplog: pytest.LogCaptureFixture) -> None:
    nobody = Person(code="NP", full_name="Không số", kind=PersonKind.LAWYER)  # never stored: phone is required
    with caplog.at_level(logging.INFO, logger="duty_roster.sms"):
        assert enqueue(session, centre=sms_world.centre, key="k-np", kind="publish", body="x", person=nobody) is None
    assert rows(session) == []
    assert "no phone number" in caplog.text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"kind": "spam"}, "unknown message kind"), ({"body": "  "}, "empty message body"), ({"key": ""}, "key")],
)
def test_enqueue_refuses_bad_input(session: Session, sms_world: SmsWorld, kwargs: dict[str, str],
                                   message: str) -> None:
    args = {"key": "k", "kind": "publish", "body": "x", **kwargs}
    with pytest.raises(ValueError, match=message):
        enqueue(session, centre=sms_world.centre, person=sms_world.people[0], **args)
    assert rows(session) == []


def sent_row(session: Session, world: SmsWorld, sid: str = "SM" + "1" * 32, key: str = "k") -> OutboxMessage:
    message = enqueue(session, centre=world.centre, key=key, kind="publish", body="x", person=world.people[0])
    assert message is not None
    message.state, message.provider_sid, message.provider_status, message.sent_at = OutboxState.SENT, sid, "queued", T0
    session.commit()
    return message


def test_apply_status_moves_forward_only(session: Session, sms_world: SmsWorld) -> None:
    message = sent_row(session, sms_world)
    assert apply_status(session, message.provider_sid or "", "sent", now=later(1)) is message
    assert (message.state, message.provider_status) == (OutboxState.SENT, "sent")
    assert apply_status(session, message.provider_sid or "", "queued", now=later(2)) is None  # out of order
    assert message.provider_status == "sent"
    assert apply_status(session, message.provider_sid or "", "delivered", now=later(3)) is message
    assert (message.state, message.delivered_at) == (OutboxState.DELIVERED, later(3))
    for late in ("sent", "failed", "undelivered", "delivered"):
        assert apply_status(session, message.provider_sid or "", late, error_code="30003", now=later(9)) is None
    assert (message.state, message.delivered_at, message.last_error) == (OutboxState.DELIVERED, later(3), None)


def test_apply_status_undelivered_records_the_reason(session: Session, sms_world: SmsWorld) -> None:
    message = sent_row(session, sms_world)
    assert apply_status(session, message.provider_sid or "", "undelivered", error_code="30003") is message
    assert message.state == OutboxState.FAILED
    assert message.last_error is not None and "30003" in message.last_error and "unreachable" in message.last_error
    session.commit()
    assert failed_messages(session, sms_world.centre.id) == [message]
    assert failed_messages(session, sms_world.centre.id + 1) == []


def test_apply_status_ignores_unknown_sids_and_words(session: Session, sms_world: SmsWorld) -> None:
    message = sent_row(session, sms_world)
    assert apply_status(session, "SM" + "9" * 32, "delivered") is None
    assert apply_status(session, message.provider_sid or "", "bogus") is None
    assert message.state == OutboxState.SENT
