"""The suite's fixed "today" (tests/clock.py) and the product's one clock (duty_roster/clock.py)."""

from __future__ import annotations

import subprocess
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from duty_roster import clock as product_clock
from duty_roster.models import utcnow
from tests import clock

ROOT = Path(__file__).resolve().parents[1]


def test_the_suite_runs_at_its_fixed_day_and_the_clock_ticks() -> None:
    start = clock.suite_now()
    now = datetime.now(UTC)
    assert timedelta(0) <= now - start < timedelta(hours=3)  # the session so far, not the machine's date
    before = time.time()
    time.sleep(0.01)
    assert time.time() > before


def test_every_source_of_now_agrees() -> None:
    """datetime, date, time and the product's clock all read the same (test) time."""
    readings = [datetime.now(UTC), utcnow(), product_clock.utcnow(), datetime.fromtimestamp(time.time(), UTC)]
    assert max(readings) - min(readings) < timedelta(seconds=5)
    assert date.today() in {r.astimezone().date() for r in readings}


@pytest.mark.parametrize(("at", "today"), [
    (datetime(2026, 12, 31, 23, 30, tzinfo=clock.VIETNAM), date(2026, 12, 31)),
    (datetime(2027, 1, 1, 5, 0, tzinfo=clock.VIETNAM), date(2027, 1, 1)),  # still 31 December in UTC
    (datetime(2028, 2, 29, 6, 59, tzinfo=clock.VIETNAM), date(2028, 2, 29)),  # 28 February 23:59 in UTC
])
def test_today_is_the_centres_day_not_utcs(at: datetime, today: date) -> None:
    assert product_clock.local_today("Asia/Ho_Chi_Minh", at) == today
    with clock.frozen(at):
        assert product_clock.local_today("Asia/Ho_Chi_Minh") == today


def test_the_fixed_days_are_what_their_names_say() -> None:
    days = clock.FIXED_DAYS
    assert days["wednesday"].weekday() == 2
    assert (days["new-year-eve"].month, days["new-year-eve"].day, days["new-year-eve"].hour) == (12, 31, 23)
    assert days["tet-eve"].date() == date(2027, 2, 5)  # the eve of Tết Đinh Mùi (6 February 2027)
    assert (days["leap-day"].month, days["leap-day"].day) == (2, 29)
    assert all(at.utcoffset() == timedelta(hours=7) for at in days.values())


def test_a_day_is_chosen_by_name_or_iso_and_anything_else_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "tet-eve")
    assert clock.suite_now() == clock.FIXED_DAYS["tet-eve"]
    monkeypatch.setenv(clock.ENV, "2030-06-01T08:00:00+07:00")
    assert clock.suite_now() == datetime(2030, 6, 1, 1, 0, tzinfo=UTC)
    for bad in ("tomorrow", "2030-06-01T08:00:00"):
        monkeypatch.setenv(clock.ENV, bad)
        with pytest.raises(SystemExit, match=clock.ENV):
            clock.suite_now()


def test_a_child_process_starts_at_its_parents_test_time() -> None:
    result = subprocess.run(clock.python_command("tests.print_now"), cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=True)
    child = datetime.fromisoformat(result.stdout.strip())
    assert abs(child - datetime.now(UTC)) < timedelta(seconds=30)  # the parent's test time, not the machine's


def test_date_sensitive_tests_are_marked(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("dates") is not None  # this file is in DATE_SENSITIVE
