"""Twilio Programmable Messaging through the official SDK.

`RedirectingHttpClient` is the SDK's own HTTP-client extension point, used to point every request at
TWILIO_API_BASE (a Twilio-compatible provider, or the fake server in tests) and to keep phone numbers out of the
SDK's request log. Errors are classified for the dispatcher: 429 and 5xx are retryable (5xx ambiguous: Twilio may
have stored the message before failing), connection errors and timeouts are retryable and ambiguous, any other 4xx
(21211 invalid number, 21610 unsubscribed, ...) is permanent.
"""

from __future__ import annotations

import logging
from collections.abc import Container
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from duty_roster.notify.channels.base import PermanentError, RetryableError, SendResult, scrub
from duty_roster.phones import mask_phone

log = logging.getLogger("duty_roster.sms.twilio")

DEFAULT_TIMEOUT = 10.0
LOOKUP_LIMIT = 200  # messages to one number since the row was created; more would be a flood, not a lookup
# 401/403 are a configuration problem (wrong credentials or account), not this message's fault: retry after the fix.
RETRYABLE_STATUSES = frozenset({401, 403, 429})
class MaskPhones(logging.Filter):
    """urllib3 logs every request line at DEBUG, and a message list query carries To=<phone> (URL-encoded)."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        masked = scrub(text.replace("%2B", "+"))
        if masked != text.replace("%2B", "+"):
            record.msg, record.args = masked, None
        return True


_URLLIB3_LOG = logging.getLogger("urllib3.connectionpool")
if not any(isinstance(f, MaskPhones) for f in _URLLIB3_LOG.filters):
    _URLLIB3_LOG.addFilter(MaskPhones())


class RedirectingHttpClient(TwilioHttpClient):
    """Sends every SDK request to `base_url` (scheme + host), keeping path and query."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._base = urlsplit(base_url)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        parts = urlsplit(url)
        target = urlunsplit((self._base.scheme, self._base.netloc, parts.path, parts.query, ""))
        return super().request(method, target, *args, **kwargs)

    def log_request(self, kwargs: dict[str, Any]) -> None:
        # The SDK logs query parameters at INFO, and a message list query carries To=<phone>: log the path only.
        self.logger.debug("Twilio %s %s", kwargs["method"], urlsplit(kwargs["url"]).path)

    def log_response(self, status_code: int, response: Any) -> None:
        self.logger.debug("Twilio response %s", status_code)


def _classify(exc: Exception, action: str) -> RetryableError | PermanentError:
    if isinstance(exc, requests.RequestException):
        return RetryableError(f"{action}: no answer from Twilio ({type(exc).__name__})", ambiguous=True)
    status = getattr(exc, "status", None)
    code = getattr(exc, "code", None)
    text = getattr(exc, "msg", None) or getattr(exc, "detail", None) or getattr(exc, "title", None) or ""
    if not text and exc.args and isinstance(exc.args[0], str):
        text = exc.args[0]  # a bare TwilioException, e.g. "Unable to fetch page" for a failed list page
    reason = scrub(f"{action}: Twilio {status or '?'}" + (f" code {code}" if code and code != status else "")
                   + (f": {text}" if text else ""))[:900]
    if not isinstance(status, int) or status >= 500:
        return RetryableError(reason, ambiguous=True)
    if status in RETRYABLE_STATUSES:
        return RetryableError(reason)
    return PermanentError(reason)


class TwilioChannel:
    """SMS through Twilio. `sender` is an E.164 number or brand name (sent as From) or a messaging service SID
    (MG..., sent as MessagingServiceSid)."""

    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sender: str,
        *,
        api_base: str = "https://api.twilio.com",
        status_callback: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.sender = sender
        self.status_callback = status_callback
        self.http_client = RedirectingHttpClient(api_base, timeout=timeout)
        self.client = Client(account_sid, auth_token, http_client=self.http_client)

    def _sender_args(self) -> dict[str, str]:
        if self.sender.startswith("MG") and len(self.sender) == 34:
            return {"messaging_service_sid": self.sender}
        return {"from_": self.sender}

    def send(self, to: str, body: str, *, key: str) -> SendResult:
        extra: dict[str, str] = dict(self._sender_args())
        if self.status_callback:
            extra["status_callback"] = self.status_callback
        try:
            message = self.client.messages.create(to=to, body=body, **extra)
        except (TwilioException, requests.RequestException) as exc:
            raise _classify(exc, "send") from None
        log.debug("Twilio accepted %s for %s: %s", key, mask_phone(to), message.sid)
        return SendResult(sid=str(message.sid), status=str(message.status or "queued"))

    def lookup(
        self, to: str, key: str, since: datetime, body: str | None = None, exclude: Container[str] = ()
    ) -> SendResult | None:
        """Twilio keeps no client reference on a message, so a message is recognised by number + body, newest
        first, never one whose SID another outbox row already holds."""
        if body is None:
            return None
        try:
            for message in self.client.messages.list(to=to, date_sent_after=since, limit=LOOKUP_LIMIT, page_size=50):
                if not str(message.direction or "outbound").startswith("outbound"):
                    continue
                text = message.body or ""
                # trial accounts prefix a notice; `exclude` may ask the database, so it is asked last
                if (text == body or text.endswith(body)) and message.sid not in exclude:
                    return SendResult(sid=str(message.sid), status=str(message.status or "sent"))
        except (TwilioException, requests.RequestException) as exc:
            error = _classify(exc, "lookup")
            raise RetryableError(error.reason, ambiguous=True) from None
        return None
