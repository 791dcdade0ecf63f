"""Quiet hours: a non-urgent message queued at night waits until the window ends, in the centre's local time.

Callers of `outbox.enqueue` pass the result as `not_before`. Urgent messages (alerts, changes to shifts within 24 h,
reminders that would otherwise arrive after the shift starts) are never held.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

_WINDOW = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)-([01]?\d|2[0-3]):([0-5]\d)")


def parse_window(quiet_hours: str) -> tuple[time, time] | None:
    """"22:00-06:00" -> (22:00, 06:00); "" or an empty window ("06:00-06:00") -> None. ValueError if malformed."""
    text = (quiet_hours or "").strip()
    if not text:
        return None
    match = _WINDOW.fullmatch(text)
    if match is None:
        raise ValueError(f"quiet hours must look like 22:00-06:00 (empty = none), got {text!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = time(h1, m1), time(h2, m2)
    return None if start == end else (start, end)


def hold_until(now_utc: datetime, tz: ZoneInfo | str, quiet_hours: str, urgent: bool) -> datetime | None:
    """The UTC instant a message queued at `now_utc` may leave (the end of the current quiet window), or None when
    it may leave at once: urgent, no quiet hours, or outside the window. The window may wrap midnight."""
    if urgent:
        return None
    window = parse_window(quiet_hours)
    if window is None:
        return None
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = now_utc.astimezone(zone)
    start, end = window
    clock = local.time().replace(tzinfo=None)
    today_end = datetime.combine(local.date(), end, tzinfo=zone)
    if start < end:  # same-day window, e.g. 12:00-13:30
        inside = start <= clock < end
        until = today_end
    else:  # wraps midnight, e.g. 22:00-06:00
        inside = clock >= start or clock < end
        until = today_end if clock < end else datetime.combine(local.date() + timedelta(days=1), end, tzinfo=zone)
    return until.astimezone(UTC) if inside else None
