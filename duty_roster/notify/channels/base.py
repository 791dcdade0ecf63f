"""The channel protocol: what the dispatcher needs from a provider, and the two kinds of failure it acts on.

A channel turns provider-specific errors into `RetryableError` (try again later; `ambiguous` when the provider may
have accepted the message anyway) or `PermanentError` (this message can never be sent: bad or unsubscribed number).
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from duty_roster.phones import mask_phone

# 8-15 digits, optionally after "+", optionally grouped by spaces, dots or hyphens ("0912 345 678", "+84912345678").
_PHONE = re.compile(r"(?<![\w/:])\+?\d(?:[ .-]?\d){7,14}(?![\w/:])")


def scrub(text: str) -> str:
    """Mask anything that looks like a phone number, for logs and stored error texts (Twilio's errors quote the
    number; message bodies carry colleagues' and the centre's numbers)."""
    return _PHONE.sub(lambda m: mask_phone(("+" if m.group(0).startswith("+") else "") + re.sub(r"\D", "", m.group(0))),
                      text)


@dataclass(frozen=True)
class SendResult:
    """The provider's id for the message and its status word (Twilio: queued, sent, delivered, ...)."""

    sid: str
    status: str


class ChannelError(Exception):
    """A send or lookup that did not succeed. `reason` is short, readable and free of full phone numbers."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryableError(ChannelError):
    """Worth another attempt later. `ambiguous`: the request may have reached the provider (timeout, dropped
    connection, 5xx), so the dispatcher must ask the provider before sending again."""

    def __init__(self, reason: str, *, ambiguous: bool = False) -> None:
        super().__init__(reason)
        self.ambiguous = ambiguous


class PermanentError(ChannelError):
    """The provider refused this message for good (invalid number, unsubscribed, ...)."""


@runtime_checkable
class Channel(Protocol):
    """Something that delivers a text to a phone number."""

    name: str

    def send(self, to: str, body: str, *, key: str) -> SendResult:
        """Send `body` to `to` (E.164). `key` is the outbox idempotency key (for providers that accept one).
        Raises RetryableError or PermanentError."""
        ...

    def lookup(
        self, to: str, key: str, since: datetime, body: str | None = None, exclude: Container[str] = ()
    ) -> SendResult | None:
        """The message this key/body already became at the provider (sent to `to` since `since`), if any, skipping
        provider ids in `exclude` (already recorded for other rows). Raises RetryableError when it cannot tell."""
        ...
