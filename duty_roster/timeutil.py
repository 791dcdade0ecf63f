"""Time helpers: the database holds UTC, people see their centre's local time (Asia/Ho_Chi_Minh by default).

Everything here refuses naive datetimes instead of guessing a zone for them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


class HasTimezone(Protocol):
    timezone: str


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """A ZoneInfo by IANA name (cached); raises ZoneInfoNotFoundError for unknown names."""
    return ZoneInfo(name)


def app_timezone() -> ZoneInfo:
    """The configured TIMEZONE inside an app context, else the Vietnamese default."""
    from flask import current_app, has_app_context

    return zone(current_app.config.get("TIMEZONE", DEFAULT_TIMEZONE) if has_app_context() else DEFAULT_TIMEZONE)


def centre_timezone(centre: HasTimezone | None) -> ZoneInfo:
    """A centre's own zone, falling back to the configured one."""
    return zone(centre.timezone) if centre is not None and centre.timezone else app_timezone()


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: give a time zone")
    return value


def to_utc(value: datetime) -> datetime:
    return _require_aware(value).astimezone(UTC)


def to_local(value: datetime, tz: ZoneInfo | None = None) -> datetime:
    return _require_aware(value).astimezone(tz or app_timezone())


def local_datetime(day: date, at: time, tz: ZoneInfo | None = None) -> datetime:
    """The aware instant of wall-clock `at` on `day` in `tz` (e.g. a 07:30 shift start in Cần Thơ)."""
    if at.tzinfo is not None:
        raise ValueError(f"time {at!r} already has a zone; pass a wall-clock time")
    return datetime.combine(day, at, tzinfo=tz or app_timezone())


def parse_iso_aware(text: str) -> datetime:
    """Parse ISO 8601 with an offset or Z ("2026-03-02T07:30:00+07:00"); naive text is refused."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not an ISO 8601 date-time: {text!r}") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"date-time {text!r} has no offset; add +07:00 or Z")
    return value
