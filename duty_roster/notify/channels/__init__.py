"""Delivery channels. Each is one module implementing `base.Channel`; adding email or Zalo later is one module more
plus a line in `duty_roster.notify.dispatch.channel_from_settings`."""

from duty_roster.notify.channels.base import (
    Channel,
    ChannelError,
    PermanentError,
    RetryableError,
    SendResult,
    scrub,
)

__all__ = ["Channel", "ChannelError", "PermanentError", "RetryableError", "SendResult", "scrub"]
