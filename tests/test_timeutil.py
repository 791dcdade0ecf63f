"""Time helpers: UTC in storage, local time for people, naive values refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from duty_roster.timeutil import (
    app_timezone,
    centre_timezone,
    local_datetime,
    parse_iso_aware,
    to_local,
    to_utc,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_shift_start_in_can_tho_is_half_past_midnight_utc() -> None:
    start = local_datetime(date(2026, 3, 2), time(7, 30), HCM)
    assert to_utc(start) == datetime(2026, 3, 2, 0, 30, tzinfo=UTC)
    assert to_local(to_utc(start), HCM).time() == time(7, 30)


def test_naive_values_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_utc(datetime(2026, 3, 2, 7, 30))
    with pytest.raises(ValueError, match="naive"):
        to_local(datetime(2026, 3, 2, 7, 30), HCM)
    with pytest.raises(ValueError, match="no offset"):
        parse_iso_aware("2026-03-02T07:30:00")
    with pytest.raises(ValueError, match="wall-clock"):
        local_datetime(date(2026, 3, 2), time(7, 30, tzinfo=UTC), HCM)


def test_parse_iso_aware_accepts_offsets_and_z() -> None:
    assert parse_iso_aware("2026-03-02T07:30:00+07:00") == datetime(2026, 3, 2, 0, 30, tzinfo=UTC)
    assert parse_iso_aware(" 2026-03-02T00:30:00Z ").utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="not an ISO 8601"):
        parse_iso_aware("2 March 2026")


def test_zones_come_from_the_centre_then_the_settings(app: Flask) -> None:
    assert app_timezone() == HCM  # outside an app: the Vietnamese default
    app.config["TIMEZONE"] = "Asia/Bangkok"
    with app.app_context():
        assert app_timezone() == ZoneInfo("Asia/Bangkok")
        assert centre_timezone(SimpleNamespace(timezone="Asia/Ho_Chi_Minh")) == HCM
        assert centre_timezone(None) == ZoneInfo("Asia/Bangkok")
        assert local_datetime(date(2026, 1, 1), time(8, 0)).tzinfo == ZoneInfo("Asia/Bangkok")
