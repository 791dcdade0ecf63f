"""Twilio webhooks: POST /twilio/status (delivery receipts) and POST /twilio/inbound (an officer's SMS reply).

Both check X-Twilio-Signature (HMAC-SHA1 of the URL Twilio called plus the sorted form fields, keyed with the auth
token) before touching anything; a missing or wrong signature, or no TWILIO_AUTH_TOKEN configured, is a 403 and
nothing is recorded. The URL is rebuilt from PUBLIC_BASE_URL and the request path, never from the request's own
scheme and host: behind a TLS-terminating proxy Flask sees http://127.0.0.1:8000/... while Twilio signed
https://lichtruc.example.vn/..., and the two would never match.

Inbound replies: "OK", "XN", "CO", "YES", "Y" (also "DONG Y", "XAC NHAN") confirm the sender's next unanswered shift;
"KHONG", "NO", "K", "N" decline it (and alert the coordinators). Case, diacritics, punctuation and spacing do not
matter, but the whole message must be the word (so "No problem" is not a decline). The answer goes back as TwiML in
the same HTTP response, not through the outbox. Phone numbers appear in logs and the audit log masked only.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from duty_roster.audit import record
from duty_roster.config import Settings
from duty_roster.extensions import csrf, db
from duty_roster.models import Assignment, AuditLog, Person, utcnow
from duty_roster.notify import replies
from duty_roster.phones import InvalidPhone, mask_phone, normalise_phone
from duty_roster.rostering import confirmations
from duty_roster.rostering.errors import RosteringError

log = logging.getLogger(__name__)

bp = Blueprint("twilio", __name__, url_prefix="/twilio")
csrf.exempt(bp)  # Twilio cannot send a CSRF token; the signature authenticates it instead

CONFIRM_WORDS = frozenset({"OK", "XN", "CO", "YES", "Y", "DONG Y", "XAC NHAN"})
DECLINE_WORDS = frozenset({"KHONG", "NO", "K", "N"})
INBOUND_ACTION = "sms.inbound"
RETRY_WINDOW = timedelta(days=1)  # a MessageSid seen within this window was answered already


def _settings() -> Settings:
    return current_app.config["SETTINGS"]


def signed_url() -> str:
    """The URL Twilio signed: PUBLIC_BASE_URL (scheme, host, any mount prefix) + path inside the app + query."""
    query = request.query_string.decode("latin-1")
    return f"{_settings().PUBLIC_BASE_URL}{request.path}{'?' + query if query else ''}"


def signature_ok() -> bool:
    token = _settings().TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    return RequestValidator(token).validate(signed_url(), request.form, signature)


def _forbidden() -> Response:
    log.warning("twilio webhook %s refused: missing or invalid signature", request.path)
    return Response("invalid or missing X-Twilio-Signature\n", 403, mimetype="text/plain")


def _twiml(text: str | None) -> Response:
    reply = MessagingResponse()
    if text:
        reply.message(text)
    return Response(str(reply), 200, mimetype="text/xml")


def normalise_word(body: str) -> str:
    """" Không. " -> "KHONG", "có" -> "CO", "o.k" -> "OK", "đồng  ý" -> "DONG Y"."""
    text = replies.fold(body or "").upper()
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


@bp.post("/status")
def status_callback() -> Response:
    """Delivery receipt for a message we sent: moves its outbox row (sent -> delivered/failed); unknown SID: ignored."""
    if not signature_ok():
        return _forbidden()
    from duty_roster.notify.outbox import apply_status

    sid = request.form.get("MessageSid") or request.form.get("SmsSid") or ""
    status = (request.form.get("MessageStatus") or request.form.get("SmsStatus") or "").strip().lower()
    if sid and status:
        message = apply_status(db.session, sid, status, error_code=request.form.get("ErrorCode") or None)
        db.session.commit()
        if message is None:
            log.info("status %s for unknown or unchanged message %s", status, sid)
    return Response(status=204)


def _sender(people: list[Person], now: datetime) -> tuple[Person, Assignment | None]:
    """The person (of several centres sharing the number) whose next unanswered shift comes first."""
    best: Assignment | None = None
    chosen = people[0]
    for person in people:
        nxt = confirmations.next_unconfirmed(db.session, person, now=now)
        if nxt is not None and (best is None or nxt.shift.start_at < best.shift.start_at):
            chosen, best = person, nxt
    return chosen, best


def _answer(assignment: Assignment, action: str, now: datetime, lang: str, ascii_only: bool) -> tuple[str, str]:
    """Apply the word to the shift: (result for the audit log, reply text)."""
    if action == "confirm":
        confirmations.confirm(db.session, assignment, via="sms", now=now)
        return "confirmed", replies.confirmed_reply(assignment, lang, ascii_only)
    confirmations.decline(db.session, assignment, via="sms", now=now)
    return "declined", replies.declined_reply(assignment, lang, ascii_only)


@bp.post("/inbound")
def inbound() -> Response:
    """An SMS to our number: a confirm/decline word answers the sender's next shift; anything else gets help."""
    if not signature_ok():
        return _forbidden()
    sid = (request.form.get("MessageSid") or request.form.get("SmsSid") or "").strip()[:64]
    try:
        phone = normalise_phone(request.form.get("From", ""))
    except InvalidPhone:
        log.info("inbound SMS %s from an unreadable number", sid)
        return _twiml(replies.unknown_number_reply())
    people = list(db.session.scalars(
        sa.select(Person).where(Person.phone == phone, Person.active.is_(True)).order_by(Person.id)))
    if not people:
        log.info("inbound SMS %s from unknown number %s", sid, mask_phone(phone))
        return _twiml(replies.unknown_number_reply())
    word = normalise_word(request.form.get("Body", ""))
    if word not in CONFIRM_WORDS | DECLINE_WORDS:
        person = people[0]
        return _twiml(replies.help_reply(person.centre, person.sms_language,
                                         replies.ascii_for(person, person.centre)))
    now = utcnow()
    if sid and db.session.scalar(sa.select(AuditLog.id).where(  # `at` is indexed; Twilio retries within minutes
            AuditLog.at >= now - RETRY_WINDOW, AuditLog.action == INBOUND_ACTION, AuditLog.entity_id == sid).limit(1)):
        log.info("inbound SMS %s already handled (a retry): no second answer", sid)
        return _twiml(None)
    person, assignment = _sender(people, now)
    lang, ascii_only = person.sms_language, replies.ascii_for(person, person.centre)
    action = "confirm" if word in CONFIRM_WORDS else "decline"
    result, text = "nothing", replies.nothing_to_confirm_reply(lang, ascii_only)
    if assignment is not None:
        try:
            result, text = _answer(assignment, action, now, lang, ascii_only)
        except RosteringError as exc:  # a race with a publication or the shift's start: nothing left to answer
            db.session.rollback()
            log.info("inbound SMS %s could not be applied: %s", sid, exc)
            result = "refused"
    record(db.session, INBOUND_ACTION, centre=person.centre, entity="sms", entity_id=sid, phone=mask_phone(phone),
           person=person.code, word=word, answer=action, result=result,
           assignment=assignment.id if assignment is not None else None)
    db.session.commit()
    log.info("inbound SMS %s from %s: %s -> %s", sid, mask_phone(phone), word, result)
    return _twiml(text)
