from datetime import timedelta

import pytest

from duty_roster.solver.sessions import count_sessions


@pytest.mark.parametrize(
    ("hours", "sessions"),
    [
        (4, 1.0),  # one morning session 07:30-11:30
        (3.5, 1.0),  # afternoon 13:30-17:00: remainder >= 3 h counts whole
        (2, 0.5),  # under 3 h: half a session
        (2.99, 0.5),
        (3, 1.0),
        (8, 2.0),
        (10, 2.5),  # 2 sessions + 2 h, and 2 h < 3 h is half a session
        (24, 6.0),  # a 24 h on-call
        (0, 0.0),
    ],
)
def test_sessions_follow_circular_02_2021(hours: float, sessions: float) -> None:
    assert count_sessions(timedelta(hours=hours)) == sessions
