"""The Jinja filters: Vietnamese dates, weekdays, 24-hour times, local time and phone display."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask, render_template_string

from duty_roster.web import formatting

MONDAY = date(2026, 3, 2)


def test_dates_and_times_are_written_the_vietnamese_way() -> None:
    assert formatting.ddmmyyyy(date(2026, 3, 5)) == "05/03/2026"
    assert formatting.ddmmyyyy(datetime(2026, 12, 31, 23, 59)) == "31/12/2026"
    assert formatting.hhmm(datetime(2026, 3, 5, 7, 5)) == "07:05"
    assert formatting.hhmm(datetime(2026, 3, 5, 19, 30)) == "19:30"
    assert formatting.ddmmyyyy(None) == formatting.hhmm(None) == ""


def test_local_turns_utc_into_the_centre_time(app: Flask) -> None:
    with app.test_request_context("/"):
        shown = formatting.local(datetime(2026, 3, 2, 0, 30, tzinfo=UTC))
        assert shown is not None and (shown.hour, shown.minute, shown.day) == (7, 30, 2)  # Asia/Ho_Chi_Minh, +07
        late = formatting.local(datetime(2026, 3, 1, 17, 0, tzinfo=UTC))
        assert formatting.ddmmyyyy(late) == "02/03/2026" and formatting.hhmm(late) == "00:00"
        assert formatting.hhmm(formatting.local(datetime(2026, 3, 2, 0, 30, tzinfo=UTC), "Europe/Paris")) == "01:30"
        assert formatting.local(None) is None


def test_weekdays_in_vietnamese_by_default(app: Flask) -> None:
    with app.test_request_context("/"):
        names = [formatting.weekday(date(2026, 3, 2 + i)) for i in range(7)]
        short = [formatting.weekday_short(date(2026, 3, 2 + i)) for i in range(7)]
    assert names == ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
    assert short == ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]


def test_weekdays_in_english_when_asked(app: Flask) -> None:
    with app.test_request_context("/?lang=en"):
        assert formatting.weekday(MONDAY) == "Monday"
        assert formatting.weekday_short(date(2026, 3, 8)) == "Sun"


def test_phone_display_and_tel_target() -> None:
    assert formatting.phone("+84912345678") == "0912 345 678"
    assert formatting.phone("") == ""
    assert formatting.phone("not a phone") == "not a phone"
    assert formatting.tel("+84 912 345 678") == "+84912345678"


def test_filters_are_registered_for_templates(app: Flask) -> None:
    with app.test_request_context("/"):
        text = render_template_string(
            "{{ d|weekday }} {{ d|ddmmyyyy }} {{ t|local|hhmm }} {{ p|phone }} {{ d|weekday_short }}",
            d=MONDAY, t=datetime(2026, 3, 2, 0, 30, tzinfo=UTC), p="+84912345678",
        )
    assert text == "Thứ Hai 02/03/2026 07:30 0912 345 678 T2"
