"""The product's one clock: every "now" and "today" is read here.

Rows, messages, deadlines and look-ups must agree on what time it is, so nothing else calls `datetime.now()`,
`date.today()` or `time.time()` for a business decision. Functions that decide by time still take `now=` (tests and
the scheduler pass one); their default comes from here. Times are aware: UTC for storage, the centre's zone
(Asia/Ho_Chi_Minh, no daylight saving) for days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(UTC)


def local_now(zone: str | ZoneInfo, now: datetime | None = None) -> datetime:
    """Now (or `now`) on the wall clock of `zone`."""
    return (now or utcnow()).astimezone(zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone))


def local_today(zone: str | ZoneInfo, now: datetime | None = None) -> date:
    """Today's date in `zone`: at 23:30 on 31 December in Vietnam it is still the 31st, though UTC says 16:30."""
    return local_now(zone, now).date()

