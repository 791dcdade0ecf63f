"""The Vietnamese working-day calendar: national holidays plus a centre's announced overrides.

Pure (no Flask, no database). The national part comes from the `holidays` package (country "VN"): lunar Tết
Nguyên đán with its eve and 29th, Giỗ Tổ Hùng Vương (10/3 lunar), 30/4, 1/5, 2/9 with its adjacent day, Vietnamese
Culture Day 24/11 from 2026, the observed days and the Saturdays it knows were worked in exchange
(`weekend_workdays`). The package's list of swapped days ends where its maintainers stopped; every year the
government announces compensatory days off and Saturdays worked in exchange, so a centre adds them as overrides:

- ``day_off``: an extra or compensatory day off (ngày nghỉ bù), e.g. a bridge day next to Tết;
- ``working_day``: a day worked although it is a weekend (or a holiday) (ngày làm bù).

An override wins over the package for its date. Weekends are Saturday and Sunday (the civil-service week).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

import holidays

DAY_OFF = "day_off"
WORKING_DAY = "working_day"
OVERRIDE_KINDS = (DAY_OFF, WORKING_DAY)
WEEKEND = frozenset({5, 6})  # Saturday, Sunday
# An override day off this close to mùng 1 Tết counts as Tết: the government's extra Tết days are always next to it.
TET_OVERRIDE_WINDOW = timedelta(days=7)
# Marker of the Tết entries in the package's English names ("29 of Lunar New Year", "Lunar New Year's Eve",
# "Lunar New Year", "Second Day of Lunar New Year", ...), and the name of mùng 1 itself.
_TET_MARKER = "lunar new year"
_TET_FIRST_DAY = "Lunar New Year"
_DEFAULT_OVERRIDE_NAME = {"vi": "Ngày nghỉ theo thông báo", "en": "Announced day off"}
_PACKAGE_LANGUAGE = {"vi": "vi", "en": "en_US"}
# Scanning further than this for working days means the calendar is broken (e.g. every day overridden as off).
_MAX_SCAN_DAYS = 3 * 366

Lang = Literal["vi", "en"]


class CalendarError(ValueError):
    """Overrides that contradict each other, or an impossible request."""


class WorkCalendar:
    """Working days and holidays for one centre.

    `overrides` are `(day, kind, name)` triples, kind "day_off" or "working_day" (a `HolidayKind` works too, being a
    str enum). Two overrides for the same day are refused unless identical.
    """

    def __init__(self, overrides: Iterable[tuple[date, str, str]] = ()) -> None:
        self._overrides: dict[date, tuple[str, str]] = {}
        for day, kind, name in overrides:
            kind = str(kind.value if hasattr(kind, "value") else kind)
            if kind not in OVERRIDE_KINDS:
                raise CalendarError(f"unknown override kind {kind!r} for {day}: expected one of {OVERRIDE_KINDS}")
            previous = self._overrides.get(day)
            if previous is not None and previous[0] != kind:
                raise CalendarError(f"{day} is overridden both as {previous[0]} and as {kind}")
            self._overrides[day] = (kind, name or (previous[1] if previous else ""))
        # One instance per language: names differ, dates do not. Years are filled in lazily (expand=True).
        self._national = {lang: holidays.country_holidays("VN", language=code) for lang, code in
                          _PACKAGE_LANGUAGE.items()}
        self._tet_first_day: dict[int, date | None] = {}

    # -- single days ---------------------------------------------------------------------------------------------

    def override(self, day: date) -> tuple[str, str] | None:
        """The centre's (kind, name) for `day`, if any."""
        return self._overrides.get(day)

    def is_weekend(self, day: date) -> bool:
        return day.weekday() in WEEKEND

    def is_national_holiday(self, day: date) -> bool:
        """A holiday in the package's national calendar (before the centre's overrides)."""
        return day in self._national["en"]

    def is_holiday(self, day: date) -> bool:
        """A public holiday or an announced day off — not an ordinary weekend, not a day overridden as working."""
        found = self._overrides.get(day)
        if found is not None:
            return found[0] == DAY_OFF
        return self.is_national_holiday(day)

    def is_working_day(self, day: date) -> bool:
        found = self._overrides.get(day)
        if found is not None:
            return found[0] == WORKING_DAY
        # The package's own rule: a weekend day is working only if swapped; a weekday unless it is a holiday.
        return self._national["en"].is_working_day(day)

    def holiday_name(self, day: date, lang: Lang = "vi") -> str | None:
        """The holiday's name in Vietnamese or English, or None on a day that is no holiday."""
        if lang not in _PACKAGE_LANGUAGE:
            raise CalendarError(f"unsupported language {lang!r}: use 'vi' or 'en'")
        found = self._overrides.get(day)
        if found is not None:
            if found[0] != DAY_OFF:
                return None
            return found[1] or self._national[lang].get(day) or _DEFAULT_OVERRIDE_NAME[lang]
        return self._national[lang].get(day)

    def tet_first_day(self, year: int) -> date | None:
        """Mùng 1 Tết (lunar new year's day) of `year`, as the package computes it."""
        if year not in self._tet_first_day:
            national = self._national["en"]
            national.get(date(year, 1, 1))  # fills in the year
            self._tet_first_day[year] = next(
                (d for d, name in sorted(national.items()) if d.year == year and name == _TET_FIRST_DAY), None
            )
        return self._tet_first_day[year]

    def is_tet(self, day: date) -> bool:
        """A day of the Tết Nguyên đán holiday: the package's Tết entries (29th, eve, mùng 1-5 as it lists them)
        plus any override day off within a week of mùng 1 (the government's extra Tết days). Tết shifts weigh more
        in fairness than other holidays."""
        found = self._overrides.get(day)
        if found is not None:
            if found[0] != DAY_OFF:
                return False
            first = self.tet_first_day(day.year)
            return first is not None and abs(day - first) <= TET_OVERRIDE_WINDOW
        return _TET_MARKER in (self._national["en"].get(day) or "").lower()

    # -- ranges --------------------------------------------------------------------------------------------------

    def working_days(self, start: date, end: date) -> list[date]:
        """The working days from `start` to `end`, both included."""
        return [d for d in _days(start, end) if self.is_working_day(d)]

    def count_working_days(self, start: date, end: date) -> int:
        return len(self.working_days(start, end))

    def holidays_between(self, start: date, end: date, lang: Lang = "vi") -> list[tuple[date, str]]:
        """(day, name) of every holiday or announced day off from `start` to `end`, both included."""
        result = []
        for d in _days(start, end):
            if self.is_holiday(d):
                result.append((d, self.holiday_name(d, lang) or ""))
        return result

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n > 0) or before it (n < 0), `day` itself not counted; n = 0 gives
        `day` unchanged."""
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        current = day
        scanned = 0
        while remaining:
            current += step
            scanned += 1
            if scanned > _MAX_SCAN_DAYS + 7 * abs(n):
                raise CalendarError(f"no {abs(n)} working days found around {day}: check the overrides")
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_before(self, day: date, n: int) -> date:
        """The date `n` working days before `day` (`day` not counted).

        Programme 5789/BTP-BCA asks for the duty list at least 5 working days before the duty period starts:
        `working_days_before(period_start, 5)` is that deadline.
        """
        if n < 0:
            raise CalendarError(f"n must not be negative, got {n}")
        return self.add_working_days(day, -n)

    def next_working_day(self, day: date) -> date:
        """`day` if it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)


def _days(start: date, end: date) -> Iterable[date]:
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)
