"""Queue text messages in the caller's transaction (the outbox pattern) and record what the provider says about them.

`enqueue` never commits: the message exists exactly when the change it announces is committed. Its idempotency key
is unique, so announcing the same thing twice (a retried request, a scheduler tick run twice) queues it once.
"""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from duty_roster.models import Centre, OutboxMessage, OutboxState, Person, utcnow
from duty_roster.phones import mask_phone, normalise_phone

log = logging.getLogger("duty_roster.sms.outbox")

KINDS = frozenset({"publish", "change", "reminder", "swap", "alert", "reply", "unconfirmed"})
MAX_KEY_LENGTH = 200

# Twilio message statuses, by how far along they are. A status never moves a row backwards; a delivery receipt is
# the strongest fact there is, so it wins even over an earlier "undelivered".
_RANK = {OutboxState.PENDING: 0, OutboxState.SENDING: 0, OutboxState.SENT: 1, OutboxState.FAILED: 2,
         OutboxState.DELIVERED: 3}
_PROVIDER_STATES = {
    "delivered": OutboxState.DELIVERED,
    "read": OutboxState.DELIVERED,
    "undelivered": OutboxState.FAILED,
    "failed": OutboxState.FAILED,
    "sent": OutboxState.SENT,
    "sending": OutboxState.SENT,
    "queued": OutboxState.SENT,
    "accepted": OutboxState.SENT,
    "scheduled": OutboxState.SENT,
}
_SENT_STEPS = {"accepted": 1, "scheduled": 1, "queued": 2, "sending": 3, "sent": 4}
# The delivery errors people can act on (Twilio error codes 30xxx).
_DELIVERY_ERRORS = {
    30003: "máy không liên lạc được / unreachable handset",
    30004: "người nhận chặn tin / message blocked",
    30005: "số không tồn tại / unknown destination",
    30006: "số cố định hoặc không nhận SMS / landline or unreachable carrier",
    30007: "bị nhà mạng lọc / filtered by the carrier",
    30008: "lỗi không rõ / unknown error",
}


def enqueue(
    session: Session,
    *,
    centre: Centre | int,
    key: str,
    kind: str,
    body: str,
    person: Person | None = None,
    to: str | None = None,
    urgent: bool = False,
    not_before: datetime | None = None,
) -> OutboxMessage | None:
    """Add a pending message in the caller's transaction (flushed, never committed).

    Returns None, adding nothing, when `key` was queued before or there is no number to send to (`to` defaults to
    the person's phone). Raises ValueError for an unknown kind, an empty body or key, or an invalid `to`.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}; use one of {', '.join(sorted(KINDS))}")
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"idempotency key must be 1..{MAX_KEY_LENGTH} characters")
    if not body or not body.strip():
        raise ValueError("empty message body")
    phone = to if to is not None else (person.phone if person is not None else None)
    if not phone:
        who = f"person {person.id}" if person is not None else "no person"
        log.info("SMS %s not queued: %s has no phone number", key, who)
        return None
    phone = normalise_phone(phone)
    centre_id = centre if isinstance(centre, int) else centre.id
    if session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)) is not None:
        return None
    message = OutboxMessage(
        centre_id=centre_id, person_id=person.id if person is not None else None, to_phone=phone, kind=kind,
        body=body, idempotency_key=key, urgent=urgent, not_before=not_before, state=OutboxState.PENDING, attempts=0,
    )
    if session.get_bind().dialect.name == "sqlite":
        # SQLite runs one writer at a time, and pysqlite would turn a SAVEPOINT opened before any write into a
        # commit of the caller's transaction: add the row plainly.
        session.add(message)
        session.flush()
    else:
        session.flush()  # the caller's own pending rows first, so an error in them is not taken for a duplicate key
        try:
            with session.begin_nested():  # a concurrent transaction may have queued the same key since the check
                session.add(message)
        except IntegrityError:
            log.info("SMS %s already queued by a concurrent transaction", key)
            return None
    log.debug("SMS %s queued for %s (%s)", key, mask_phone(phone), kind)
    return message


def failed_messages(session: Session, centre_id: int, limit: int = 50) -> list[OutboxMessage]:
    """Messages of a centre that gave up (last_error says why), most recent first: for the coordinator's desk."""
    return list(session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.centre_id == centre_id, OutboxMessage.state == OutboxState.FAILED)
        .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    ))


def describe_error(error_code: str | int | None) -> str:
    """A readable reason for a Twilio delivery error code."""
    try:
        code = int(error_code) if error_code not in (None, "") else None
    except (TypeError, ValueError):
        return f"mã lỗi {error_code} / error {error_code}"
    if code is None:
        return "không rõ lý do / no reason given"
    return f"{_DELIVERY_ERRORS.get(code, 'xem mã lỗi / see the error code')} (Twilio {code})"


def record_provider_status(
    message: OutboxMessage, status: str, at: datetime, error_code: str | int | None = None
) -> bool:
    """Move `message` forward to what the provider's `status` means; never backwards. True if it changed."""
    status = (status or "").strip().lower()
    target = _PROVIDER_STATES.get(status)
    if target is None or _RANK[target] < _RANK[message.state]:
        return False
    if target == message.state and (
        target != OutboxState.SENT or _SENT_STEPS.get(status, 0) <= _SENT_STEPS.get(message.provider_status or "", 0)
    ):
        return False  # delivered stays delivered, failed stays failed; within sent only queued -> sending -> sent
    message.provider_status = status
    message.state = target
    if target == OutboxState.DELIVERED:
        message.delivered_at = message.delivered_at or at
        message.last_error = None
    elif target == OutboxState.FAILED:
        message.last_error = f"Twilio: {status}, {describe_error(error_code)}"
    return True


def apply_status(
    session: Session, sid: str, status: str, error_code: str | int | None = None, *, now: datetime | None = None
) -> OutboxMessage | None:
    """A status callback for provider message `sid`: sent -> delivered/failed. Returns the row if it changed, None
    for an unknown SID or a status that would not move it forward. The caller commits."""
    message = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.provider_sid == sid))
    if message is None:
        return None
    if message.state not in (OutboxState.SENT, OutboxState.DELIVERED, OutboxState.FAILED):
        return None  # pending/sending with a SID cannot happen; never guess
    changed = record_provider_status(message, status, now or utcnow(), error_code)
    if changed:
        log.info("SMS %s to %s: %s", sid, mask_phone(message.to_phone), status)
    return message if changed else None
