"""The Vietnamese working-day calendar: lunar holidays from the `holidays` package plus a centre's overrides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from duty_roster.models import HolidayKind
from duty_roster.workdays import CalendarError, WorkCalendar


def span(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def test_tet_2026_is_16_to_20_february_and_those_are_no_working_days() -> None:
    cal = WorkCalendar()
    february = span(date(2026, 2, 1), date(2026, 2, 28))
    assert [d for d in february if cal.is_tet(d)] == span(date(2026, 2, 16), date(2026, 2, 20))
    assert [d for d in february if cal.is_holiday(d)] == span(date(2026, 2, 16), date(2026, 2, 20))
    assert not any(cal.is_working_day(d) for d in span(date(2026, 2, 14), date(2026, 2, 22)))
    assert cal.is_working_day(date(2026, 2, 13)) and cal.is_working_day(date(2026, 2, 23))
    assert cal.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert cal.holiday_name(date(2026, 2, 16), lang="en") == "Lunar New Year's Eve"
    assert cal.tet_first_day(2026) == date(2026, 2, 17)
    # 15 working days in February 2026: 20 weekdays minus the 5 Tết days.
    assert cal.count_working_days(date(2026, 2, 1), date(2026, 2, 28)) == 15


def test_tet_2027_is_4_to_10_february_per_the_package_with_the_29th_and_the_eve() -> None:
    cal = WorkCalendar()
    february = span(date(2027, 2, 1), date(2027, 2, 28))
    assert [d for d in february if cal.is_tet(d)] == span(date(2027, 2, 4), date(2027, 2, 10))
    assert cal.holiday_name(date(2027, 2, 4), lang="en") == "29 of Lunar New Year"
    assert cal.holiday_name(date(2027, 2, 5), lang="en") == "Lunar New Year's Eve"
    assert cal.tet_first_day(2027) == date(2027, 2, 6)
    assert [d for d in span(date(2027, 2, 1), date(2027, 2, 12)) if cal.is_working_day(d)] == [
        date(2027, 2, 1), date(2027, 2, 2), date(2027, 2, 3), date(2027, 2, 11), date(2027, 2, 12),
    ]


def test_hung_kings_2026_falls_on_sunday_26_april_and_monday_27_april_is_off() -> None:
    cal = WorkCalendar()
    assert cal.is_holiday(date(2026, 4, 26))
    assert cal.holiday_name(date(2026, 4, 26)) == "Ngày Giỗ Tổ Hùng Vương"
    assert cal.is_holiday(date(2026, 4, 27)) and not cal.is_working_day(date(2026, 4, 27))
    assert "nghỉ bù" in (cal.holiday_name(date(2026, 4, 27)) or "")
    assert not cal.is_tet(date(2026, 4, 26))
    assert cal.is_working_day(date(2026, 4, 28))


def test_vietnamese_culture_day_24_november_is_a_holiday_from_2026_only() -> None:
    cal = WorkCalendar()
    assert cal.is_holiday(date(2026, 11, 24)) and not cal.is_working_day(date(2026, 11, 24))
    assert cal.holiday_name(date(2026, 11, 24), lang="en") == "Vietnam Cultural Day"
    assert not cal.is_holiday(date(2025, 11, 24)) and cal.is_working_day(date(2025, 11, 24))


def test_ordinary_days_weekends_and_names() -> None:
    cal = WorkCalendar()
    assert cal.is_working_day(date(2026, 3, 4))  # a Wednesday
    assert not cal.is_working_day(date(2026, 3, 7)) and not cal.is_holiday(date(2026, 3, 7))  # a Saturday
    assert cal.holiday_name(date(2026, 3, 4)) is None
    assert cal.holiday_name(date(2026, 1, 1)) == "Tết Dương lịch"
    assert not cal.is_tet(date(2026, 1, 1))  # New Year's Day is "Tết Dương lịch", not Tết Nguyên đán
    with pytest.raises(CalendarError):
        cal.holiday_name(date(2026, 1, 1), lang="fr")  # type: ignore[arg-type]


def test_the_package_swapped_saturday_is_a_working_day() -> None:
    cal = WorkCalendar()
    # holidays 0.109 knows 22/08/2026 (Saturday) is worked in exchange for 31/08/2026 off.
    assert cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2026, 8, 31)) and cal.is_holiday(date(2026, 8, 31))


def test_a_saturday_made_a_working_day_by_override() -> None:
    saturday = date(2026, 3, 7)
    cal = WorkCalendar([(saturday, "working_day", "Làm bù cho ngày 30/3")])
    assert cal.is_working_day(saturday)
    assert not cal.is_holiday(saturday)
    assert cal.holiday_name(saturday) is None
    assert cal.working_days(date(2026, 3, 6), date(2026, 3, 9)) == [date(2026, 3, 6), saturday, date(2026, 3, 9)]
    assert not WorkCalendar().is_working_day(saturday)  # the override is the centre's, not global


def test_an_extra_day_off_by_override_accepts_the_model_enum() -> None:
    monday = date(2026, 3, 30)
    cal = WorkCalendar([(monday, HolidayKind.DAY_OFF, "Nghỉ bù")])
    assert not cal.is_working_day(monday)
    assert cal.is_holiday(monday)
    assert cal.holiday_name(monday) == "Nghỉ bù"
    assert cal.holiday_name(monday, lang="en") == "Nghỉ bù"  # one name given: used in both languages
    assert not cal.is_tet(monday)
    assert WorkCalendar([(monday, "day_off", "")]).holiday_name(monday, lang="en") == "Announced day off"


def test_an_extra_day_off_next_to_tet_counts_as_tet() -> None:
    friday = date(2026, 2, 13)
    cal = WorkCalendar([(friday, "day_off", "Nghỉ bù Tết")])
    assert cal.is_tet(friday)
    assert not cal.is_tet(date(2026, 2, 12))


def test_a_holiday_overridden_as_working_day_is_worked() -> None:
    cal = WorkCalendar([(date(2026, 11, 24), "working_day", "")])
    assert cal.is_working_day(date(2026, 11, 24))
    assert not cal.is_holiday(date(2026, 11, 24))
    assert cal.is_national_holiday(date(2026, 11, 24))


def test_contradicting_or_unknown_overrides_are_refused() -> None:
    day = date(2026, 3, 7)
    with pytest.raises(CalendarError, match="both"):
        WorkCalendar([(day, "working_day", ""), (day, "day_off", "")])
    with pytest.raises(CalendarError, match="unknown override kind"):
        WorkCalendar([(day, "holiday", "")])
    assert WorkCalendar([(day, "working_day", "a"), (day, "working_day", "")]).override(day) == ("working_day", "a")


def test_five_working_days_before_a_period_start_across_tet_2026() -> None:
    cal = WorkCalendar()
    # Period starting Monday 23/02/2026: counting back skips the weekend 21-22/2, Tết 16-20/2 and 14-15/2.
    assert cal.working_days_before(date(2026, 2, 23), 5) == date(2026, 2, 9)
    # ... and forwards again.
    assert cal.add_working_days(date(2026, 2, 9), 5) == date(2026, 2, 23)
    # Without Tết, five working days before Monday 02/03/2026 is the Monday before.
    assert cal.working_days_before(date(2026, 3, 2), 5) == date(2026, 2, 23)
    # An announced extra day off moves the deadline one working day earlier.
    extra = WorkCalendar([(date(2026, 2, 12), "day_off", "Nghỉ bù Tết")])
    assert extra.working_days_before(date(2026, 2, 23), 5) == date(2026, 2, 6)
    assert cal.working_days_before(date(2026, 2, 23), 0) == date(2026, 2, 23)
    with pytest.raises(CalendarError):
        cal.working_days_before(date(2026, 2, 23), -1)


def test_deadline_for_december_2026_skips_culture_day() -> None:
    # 1/12/2026 is a Tuesday; 24/11 (Tuesday) is a holiday, so five working days back land on Monday 23/11.
    assert WorkCalendar().working_days_before(date(2026, 12, 1), 5) == date(2026, 11, 23)


def test_holidays_between_and_next_working_day() -> None:
    cal = WorkCalendar([(date(2026, 5, 4), "day_off", "Nghỉ bù 30/4")])
    assert cal.holidays_between(date(2026, 4, 25), date(2026, 5, 4)) == [
        (date(2026, 4, 26), "Ngày Giỗ Tổ Hùng Vương"),
        (date(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (date(2026, 4, 30), "Ngày Chiến thắng"),
        (date(2026, 5, 1), "Ngày Quốc tế Lao động"),
        (date(2026, 5, 4), "Nghỉ bù 30/4"),
    ]
    assert cal.next_working_day(date(2026, 4, 30)) == date(2026, 5, 5)
    assert cal.next_working_day(date(2026, 5, 5)) == date(2026, 5, 5)


def test_a_calendar_with_every_day_off_fails_loudly() -> None:
    start = date(2026, 3, 1)
    cal = WorkCalendar([(start + timedelta(days=i), "day_off", "") for i in range(1, 1200)])
    with pytest.raises(CalendarError, match="no 1 working days"):
        cal.add_working_days(start, 1)
