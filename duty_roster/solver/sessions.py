"""Counting work sessions (buổi) per Thông tư 02/2021/TT-BTP.

One session is 4 hours; what remains after the whole sessions counts as half a session when it is under 3 hours and as
a whole session when it is 3 hours or more. A 24 h on-call is 6 sessions, a 3 h 30 court afternoon is 1.
"""

from __future__ import annotations

from datetime import timedelta

SESSION = timedelta(hours=4)
FULL_REMAINDER = timedelta(hours=3)


def count_sessions(duration: timedelta) -> float:
    if duration <= timedelta(0):
        return 0.0
    whole, remainder = divmod(duration, SESSION)
    if remainder == timedelta(0):
        return float(whole)
    return whole + (1.0 if remainder >= FULL_REMAINDER else 0.5)
