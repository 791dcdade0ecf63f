"""The default channel without Twilio credentials: writes each message to the log (phone numbers masked, in the
body too) and reports it delivered, so a development or demo install behaves like a real one without sending."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Container
from datetime import datetime

from duty_roster.notify.channels.base import SendResult, scrub
from duty_roster.phones import mask_phone

log = logging.getLogger("duty_roster.sms.console")


class ConsoleChannel:
    name = "console"

    def send(self, to: str, body: str, *, key: str) -> SendResult:
        sid = "LOG" + secrets.token_hex(16)
        log.info("SMS to %s [%s] (%s): %s", mask_phone(to), key, sid, scrub(body))
        return SendResult(sid=sid, status="delivered")

    def lookup(
        self, to: str, key: str, since: datetime, body: str | None = None, exclude: Container[str] = ()
    ) -> SendResult | None:
        # A log line cannot be taken back or lost half-way: anything we "sent" here is in the log, nothing else is.
        return None
