"""Jinja filters for dates, times and phones as Vietnamese users write them: 05/03/2026, 07:30, Thứ Hai, 0912 345 678.

Times are stored as aware UTC; `|local` turns them into the centre's wall-clock time before `|hhmm` / `|ddmmyyyy`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException

from duty_roster.phones import display_phone

WEEKDAYS = (
    lazy_gettext("Monday"), lazy_gettext("Tuesday"), lazy_gettext("Wednesday"), lazy_gettext("Thursday"),
    lazy_gettext("Friday"), lazy_gettext("Saturday"), lazy_gettext("Sunday"),
)
# "Mon" … "Sun" in English; T2 … T7, CN in Vietnamese (Thứ Hai is the second day: Sunday is Chủ Nhật).
WEEKDAYS_SHORT = (
    lazy_gettext("Mon"), lazy_gettext("Tue"), lazy_gettext("Wed"), lazy_gettext("Thu"), lazy_gettext("Fri"),
    lazy_gettext("Sat"), lazy_gettext("Sun"),
)


def centre_timezone() -> ZoneInfo:
    """The current centre's zone when somebody is logged in to one, else the TIMEZONE setting."""
    if has_request_context():
        from duty_roster.web.auth import current_centre, current_user

        if current_user() is not None:
            try:
                return ZoneInfo(current_centre().timezone)
            except HTTPException:  # an admin before any centre exists
                pass
    return ZoneInfo(current_app.config["SETTINGS"].TIMEZONE)


def local(value: datetime | None, tz: str | ZoneInfo | None = None) -> datetime | None:
    """Aware UTC (or any aware) datetime → the centre's (or `tz`'s) local time. Naive values are taken as UTC."""
    if value is None:
        return None
    zone = ZoneInfo(tz) if isinstance(tz, str) else (tz or centre_timezone())
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone)


def ddmmyyyy(value: date | datetime | None) -> str:
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def hhmm(value: datetime | None) -> str:
    return "" if value is None else f"{value.hour:02d}:{value.minute:02d}"


def weekday(value: date | datetime | None) -> str:
    return "" if value is None else str(WEEKDAYS[value.weekday()])


def weekday_short(value: date | datetime | None) -> str:
    return "" if value is None else str(WEEKDAYS_SHORT[value.weekday()])


def phone(value: str | None) -> str:
    """E.164 → national display (0912 345 678); anything unparsable is shown as stored."""
    if not value:
        return ""
    try:
        return display_phone(value)
    except Exception:  # phonenumbers.NumberParseException and friends: show what we have rather than fail a page
        return value


def tel(value: str | None) -> str:
    """A `tel:` URI target (E.164 without spaces)."""
    return "".join(ch for ch in (value or "") if ch.isdigit() or ch == "+")


FILTERS = {
    "ddmmyyyy": ddmmyyyy, "hhmm": hhmm, "weekday": weekday, "weekday_short": weekday_short, "local": local,
    "phone": phone, "tel": tel,
}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
