"""The renderer (pure): byte-identical to icalendar's component API, the RFC 7986 properties right, the VTIMEZONE
there, deterministic output."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from duty_roster.calendar.ics import FeedEvent, FeedMeta, render, render_with_components

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2027, 2, 20, 3, 4, 5, 123456, tzinfo=UTC)
META = FeedMeta(uid="feed-location-7@lichtruc.example.vn", name="Lịch trực TGPL – Tòa án nhân dân",
                description="Người trực; tại Tòa án, Cần Thơ", timezone="Asia/Ho_Chi_Minh",
                refresh=timedelta(hours=1), last_modified=T0)


def sample_events() -> list[FeedEvent]:
    long = "Trực chính: Nguyễn Văn An – ĐT +84912345671\nHỗ trợ trực: Phạm Thị Dung – ĐT +84912345674; " * 3
    return [
        FeedEvent(uid=f"shift-{i}-location@lichtruc.example.vn" + (",;x" if i == 5 else ""),
                  start=datetime(2027, 3, 1, 7, 30, tzinfo=HCM) + timedelta(days=i),
                  end=datetime(2027, 3, 2, 7, 30, tzinfo=HCM) + timedelta(days=i),
                  summary="Trực TGPL: Nguyễn Văn An, Phạm Thị Dung (Hỗ trợ trực)" + "\\x,y;z" * (i % 2),
                  description=long[: 20 + 37 * i], location="Cơ quan Cảnh sát điều tra, 1 Đường Hòa Bình" * (i % 3),
                  sequence=i, stamp=T0, last_modified=T0 + timedelta(days=i), cancelled=i % 4 == 3,
                  alarm_minutes=[None, 60, 0, 1440][i % 4])
        for i in range(12)
    ]


def test_fast_renderer_is_byte_identical_to_the_icalendar_component_api() -> None:
    assert render(META, sample_events()) == render_with_components(META, sample_events())


def test_calendar_properties_follow_rfc_7986_and_the_traps_in_stack_md() -> None:
    text = render(META, sample_events()).decode()
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:PT1H\r\n" in text
    assert "\r\nMETHOD:PUBLISH\r\n" in text and "\r\nX-WR-CALNAME:Lịch trực TGPL – Tòa án nhân dân\r\n" in text
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh\r\n" in text
    assert "DTSTART;TZID=Asia/Ho_Chi_Minh:20270301T073000\r\n" in text
    assert "DTSTAMP:20270220T030405Z\r\n" in text  # microseconds dropped, UTC
    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75


def test_rendering_is_deterministic_and_parses_back() -> None:
    first, second = render(META, sample_events()), render(META, sample_events())
    assert first == second
    cal = Calendar.from_ical(first)
    parsed = list(cal.walk("VEVENT"))
    assert len(parsed) == 12
    assert parsed[0].DTSTART.astimezone(UTC) == datetime(2027, 3, 1, 0, 30, tzinfo=UTC)
    assert [str(ev["STATUS"]) for ev in parsed][:4] == ["CONFIRMED", "CONFIRMED", "CONFIRMED", "CANCELLED"]
    alarms = [a for ev in parsed for a in ev.walk("VALARM")]
    assert {a.TRIGGER for a in alarms} == {timedelta(hours=-1), timedelta(0)}  # none on cancelled events


@pytest.mark.parametrize("refresh", [timedelta(minutes=5), timedelta(hours=6), timedelta(days=1)])
def test_ttl_is_a_duration_whatever_its_length(refresh: timedelta) -> None:
    meta = FeedMeta(uid="u@x", name="n", description="d", timezone="Asia/Ho_Chi_Minh", refresh=refresh)
    text = render(meta, []).decode()
    line = next(line for line in text.split("\r\n") if line.startswith("X-PUBLISHED-TTL:"))
    assert line.split(":", 1)[1].startswith("P") and ":" not in line.split(":", 1)[1]
