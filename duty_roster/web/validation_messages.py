"""Validation errors in the user's language, in one place.

The rules live in the centre-file specs (pydantic, English messages by error type), in duty_roster.centre_data
(bilingual "Vietnamese / English" messages) and in the Excel cell readers (error codes). Pages show all of them
through `describe`, so each kind of mistake is worded once, in the catalogue, whatever rule found it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from pydantic import ValidationError

from duty_roster.field_errors import FieldErrors
from duty_roster.web.i18n import locale_code

# Error type or code -> message without parameters.
FIXED: dict[str, Any] = {
    "missing": lazy_gettext("This field is required."),
    "string_too_short": lazy_gettext("This field is required."),
    "code": lazy_gettext("Invalid code: letters, digits, '_', '.', '-'; at most 32 characters."),
    "phone": lazy_gettext("Invalid phone number (e.g. 0912 345 678)"),
    "email": lazy_gettext("Invalid e-mail address (e.g. ten@example.vn)"),
    "date": lazy_gettext("Invalid date: write dd/mm/yyyy, e.g. 31/12/2026."),
    "datetime": lazy_gettext("Invalid date: write dd/mm/yyyy, or dd/mm/yyyy hh:mm for part of a day."),
    "date_or_datetime": lazy_gettext("Invalid date: write dd/mm/yyyy, or dd/mm/yyyy hh:mm for part of a day."),
    "clock": lazy_gettext("Invalid time of day: write HH:MM between 00:00 and 23:59."),
    "weekday": lazy_gettext("Invalid weekday."),
    "tag": lazy_gettext("The list contains an empty value."),
    "timezone": lazy_gettext("Unknown time zone (e.g. Asia/Ho_Chi_Minh)."),
    "literal_error": lazy_gettext("Choose one of the listed values."),
    "choice": lazy_gettext("Not one of the allowed values."),
    "bool": lazy_gettext("Write Có or Không."),
    "bool_parsing": lazy_gettext("Write Có or Không."),
    "bool_type": lazy_gettext("Write Có or Không."),
    "number": lazy_gettext("Enter a number."),
    "float_parsing": lazy_gettext("Enter a number."),
    "float_type": lazy_gettext("Enter a number."),
    "integer": lazy_gettext("Enter a whole number."),
    "int_parsing": lazy_gettext("Enter a whole number."),
    "int_type": lazy_gettext("Enter a whole number."),
    "int_from_float": lazy_gettext("Enter a whole number."),
    "extra_forbidden": lazy_gettext("Unknown column or field."),
    "file": lazy_gettext("This file is not an Excel workbook (.xlsx)."),
    "no_header": lazy_gettext("The first sheet is empty: the first row must hold the column names."),
    "missing_column": lazy_gettext("This column is missing from the first row."),
    "too_many_rows": lazy_gettext("Too many rows: split the file."),
    "unknown_person": lazy_gettext("No person with this code in the centre."),
    "length": lazy_gettext("Give either an end time or a length in hours (whole minutes), not both."),
    "file_too_large": lazy_gettext("The file is too large (at most 5 MB)."),
    "no_file": lazy_gettext("Choose an Excel file (.xlsx)."),
}
# Error type -> message built from pydantic's context (limits).
BOUNDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "string_too_long": lambda c: _("Too long: at most %(n)s characters.", n=c.get("max_length")),
    "greater_than": lambda c: _("Must be more than %(n)s.", n=c.get("gt")),
    "greater_than_equal": lambda c: _("Must be at least %(n)s.", n=c.get("ge")),
    "less_than": lambda c: _("Must be less than %(n)s.", n=c.get("lt")),
    "less_than_equal": lambda c: _("Must be at most %(n)s.", n=c.get("le")),
}


def bilingual(message: str) -> str:
    """The user's half of a "Vietnamese / English" message from the rules (the whole message if it has no half)."""
    vi, sep, en = message.partition(" / ")
    if not sep:
        return message
    return en if locale_code() == "en" else vi


def describe(code: str, message: str = "", ctx: dict[str, Any] | None = None, *, row: object = None) -> str:
    """One error in the user's language: by its type/code when we word it, else the rule's own bilingual text."""
    if code == "duplicate_row":
        return _("This code is already used in row %(row)s of this file.", row=message or row)
    if code in FIXED:
        return str(FIXED[code])
    if code in BOUNDS:
        return BOUNDS[code](ctx or {})
    if message:
        return bilingual(message)
    return _("Invalid value.")


Errors = dict[str, list[str]]


def add(errors: Errors, field: str, text: str) -> None:
    messages = errors.setdefault(field, [])
    if text not in messages:
        messages.append(text)


def from_validation(exc: ValidationError, *, prefix: Iterable[str | int] = ()) -> Errors:
    """pydantic errors by top-level field name (after stripping `prefix` from the location)."""
    skip = len(tuple(prefix))
    errors: Errors = {}
    for error in exc.errors():
        loc = error["loc"][skip:]
        field = str(loc[0]) if loc else ""
        add(errors, field, describe(error["type"], str(error["msg"]), error.get("ctx")))
    return errors


def from_field_errors(exc: FieldErrors, *, strip: str = "") -> Errors:
    """A use case's FieldErrors by top-level field ("areas.0" counts for "areas"); `strip` removes a path prefix
    ("shifts.2." for a pattern form)."""
    errors: Errors = {}
    for path, message in exc.errors:
        if strip and path.startswith(strip):
            path = path[len(strip):]
        add(errors, path.split(".")[0], bilingual(message))
    return errors
