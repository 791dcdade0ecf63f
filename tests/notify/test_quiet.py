"""Quiet hours: what `hold_until` returns around a window that wraps midnight and one that does not."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from duty_roster.notify.quiet import hold_until, parse_window

TZ = "Asia/Ho_Chi_Minh"  # UTC+7, no daylight saving


def vn(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=ZoneInfo(TZ)).astimezone(UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (vn(10, 21, 59), None),  # before the window
        (vn(10, 22, 0), vn(11, 6, 0)),  # window opens: wait until 06:00 tomorrow
        (vn(10, 23, 30), vn(11, 6, 0)),
        (vn(11, 0, 5), vn(11, 6, 0)),  # after midnight: until 06:00 the same day
        (vn(11, 5, 59), vn(11, 6, 0)),
        (vn(11, 6, 0), None),  # window closed
        (vn(11, 12, 0), None),
    ],
)
def test_window_across_midnight(now: datetime, expected: datetime | None) -> None:
    assert hold_until(now, TZ, "22:00-06:00", urgent=False) == expected


def test_same_day_window() -> None:
    assert hold_until(vn(10, 12, 30), TZ, "12:00-13:30", urgent=False) == vn(10, 13, 30)
    assert hold_until(vn(10, 11, 59), TZ, "12:00-13:30", urgent=False) is None
    assert hold_until(vn(10, 13, 30), TZ, "12:00-13:30", urgent=False) is None


def test_urgent_and_empty_never_held() -> None:
    assert hold_until(vn(10, 23, 0), TZ, "22:00-06:00", urgent=True) is None
    assert hold_until(vn(10, 23, 0), TZ, "", urgent=False) is None
    assert hold_until(vn(10, 23, 0), TZ, "06:00-06:00", urgent=False) is None


def test_result_is_utc() -> None:
    held = hold_until(vn(10, 23, 0), TZ, "22:00-06:00", urgent=False)
    assert held == datetime(2026, 12, 10, 23, 0, tzinfo=UTC)  # 06:00 +07:00 on the 11th
    assert held is not None and held.utcoffset() is not None and held.utcoffset().total_seconds() == 0


def test_bad_window() -> None:
    with pytest.raises(ValueError, match="22:00-06:00"):
        parse_window("10pm-6am")
    assert parse_window("") is None
