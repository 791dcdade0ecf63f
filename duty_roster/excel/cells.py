"""Reading one Excel cell into a Python value, the way centres type them: dates as Excel dates or dd/mm/yyyy text,
phone numbers that Excel turned into numbers, "Có"/"Không" for yes/no, lists separated by commas.

A reader raises `CellError(code)`; the code is what the web layer turns into a Vietnamese reason (see
duty_roster/web/validation_messages.py), so the wording lives in one place.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

TRUE_WORDS = frozenset({"có", "co", "x", "yes", "y", "true", "1", "đúng", "dung"})
FALSE_WORDS = frozenset({"không", "khong", "no", "n", "false", "0", "sai"})
_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2}):(\d{2}))?$")


class CellError(ValueError):
    """A cell that cannot be read; `code` names the problem (date, datetime, bool, number, integer, choice)."""

    def __init__(self, code: str, value: Any) -> None:
        self.code = code
        self.value = value
        super().__init__(f"{code}: {value!r}")


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """Text as typed; whole numbers Excel stored as floats (12.0) come back as "12"."""
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def phone(value: Any) -> str:
    """A phone number cell: Excel drops the leading 0 of 0912345678 typed as a number, so put it back."""
    raw = text(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and raw.isdigit() and len(raw) == 9:
        return "0" + raw
    return raw


def a_date(value: Any) -> date | None:
    """An Excel date, or "dd/mm/yyyy" (also "yyyy-mm-dd") text. A time of day is refused: this is a date."""
    moment = moment_or_date(value, with_time=False)
    assert moment is None or not isinstance(moment, datetime)
    return moment


def moment_or_date(value: Any, *, with_time: bool = True, time_shown: bool = False) -> date | datetime | None:
    """A date (a whole local day) or, when `with_time`, a local date-time ("dd/mm/yyyy hh:mm").

    An Excel date-time cell at midnight is a date unless its number format shows the time (`time_shown`), so
    a whole-day entry exported as a date comes back as a date."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        if value.time() == time(0) and not time_shown:
            return value.date()
        if not with_time:
            raise CellError("date", value)
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        raw = value.strip()
        match = _DATE_RE.match(raw)
        try:
            if match:
                day, month, year, hour, minute = match.groups()
                if hour is None:
                    return date(int(year), int(month), int(day))
                if with_time:
                    return datetime(int(year), int(month), int(day), int(hour), int(minute))
            elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                return date.fromisoformat(raw)
        except ValueError:
            pass
    raise CellError("datetime" if with_time else "date", value)


def boolean(value: Any, default: bool) -> bool:
    if blank(value):
        return default
    if isinstance(value, bool):
        return value
    word = text(value).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError("bool", value)


def number(value: Any) -> float | None:
    if blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(text(value).replace(",", "."))
    except ValueError:
        raise CellError("number", value) from None


def integer(value: Any) -> int | None:
    result = number(value)
    if result is None:
        return None
    if not result.is_integer():
        raise CellError("integer", value)
    return int(result)


def items(value: Any) -> list[str]:
    """"juvenile, khmer" or "juvenile; khmer" -> ["juvenile", "khmer"]."""
    return [part.strip() for part in re.split(r"[,;\n]", text(value)) if part.strip()]


def choice(value: Any, labels: dict[str, str]) -> str | None:
    """A stored value from its Vietnamese label or the value itself (both case-insensitive); None when blank."""
    if blank(value):
        return None
    word = text(value).casefold()
    for stored, label in labels.items():
        if word in (stored.casefold(), label.casefold()):
            return stored
    raise CellError("choice", value)
