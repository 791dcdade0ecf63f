"""HTML form values <-> centre-file spec input, for the centre data pages.

A form is a flat dict of strings (what the user typed, so a rejected form is shown again exactly as typed). `*_input`
turns it into the input of a centre-file spec, leaving out blank required fields so the spec reports them as
missing; the spec and the use case decide what is valid. `*_form` turns a stored record into form values.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict

from duty_roster.excel import cells
from duty_roster.models import HolidayOverride, Location, Person, ShiftPattern, Unavailability
from duty_roster.phones import display_phone

Form = dict[str, Any]


def _text(form: MultiDict[str, str], name: str, limit: int = 400) -> str:
    return (form.get(name) or "").strip()[:limit]


def _list(value: str) -> list[str]:
    return cells.items(value)


def _date(value: str) -> str | None:
    """ISO from a date input, or dd/mm/yyyy typed by hand; anything else is passed on for the spec to refuse."""
    if not value:
        return None
    try:
        parsed = cells.a_date(value)
    except cells.CellError:
        return value
    return parsed.isoformat() if parsed else None


def _optional(value: str) -> str | None:
    return value or None


def _flag(form: MultiDict[str, str], name: str) -> bool:
    return form.get(name) in ("on", "1", "true", "yes")


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    """Required text left blank stays out, so the spec says "required" rather than something odd."""
    if value not in ("", None):
        target[key] = value


# --- people --------------------------------------------------------------------------------------------------------

PERSON_TEXT = ("code", "full_name", "kind", "branch", "areas", "skills", "languages", "phone", "email",
               "sms_language", "capacity", "max_shifts_per_week", "max_shifts_per_month", "contract_start",
               "contract_end")


def person_values(form: MultiDict[str, str]) -> Form:
    values: Form = {name: _text(form, name) for name in PERSON_TEXT}
    values["sms_ascii"] = _flag(form, "sms_ascii")
    values["active"] = _flag(form, "active")
    return values


def person_input(values: Form) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in ("code", "full_name", "kind", "branch", "phone"):
        _put(data, key, values[key])
    for key in ("areas", "skills", "languages"):
        data[key] = _list(values[key])
    data["email"] = _optional(values["email"])
    data["sms_language"] = values["sms_language"] or "vi"
    data["capacity"] = values["capacity"].replace(",", ".") or 1.0
    for key in ("max_shifts_per_week", "max_shifts_per_month"):
        data[key] = _optional(values[key])
    for key in ("contract_start", "contract_end"):
        data[key] = _date(values[key])
    data["sms_ascii"] = values["sms_ascii"]
    data["active"] = values["active"]
    return data


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def person_form(p: Person | None) -> Form:
    if p is None:
        return {**{name: "" for name in PERSON_TEXT}, "sms_language": "vi", "capacity": "1", "sms_ascii": False,
                "active": True}
    return {
        "code": p.code, "full_name": p.full_name, "kind": p.kind.value, "branch": p.branch.code,
        "areas": ", ".join(p.areas), "skills": ", ".join(p.skills), "languages": ", ".join(p.languages),
        "phone": display_phone(p.phone), "email": p.email or "", "sms_language": p.sms_language,
        "capacity": _num(p.capacity),
        "max_shifts_per_week": _num(p.max_shifts_per_week), "max_shifts_per_month": _num(p.max_shifts_per_month),
        "contract_start": p.contract_start.isoformat() if p.contract_start else "",
        "contract_end": p.contract_end.isoformat() if p.contract_end else "",
        "sms_ascii": p.sms_ascii, "active": p.active,
    }


# --- locations and shift patterns ------------------------------------------------------------------------------------

LOCATION_TEXT = ("code", "name", "kind", "branch", "address", "phone")


def location_values(form: MultiDict[str, str]) -> Form:
    values: Form = {name: _text(form, name) for name in LOCATION_TEXT}
    values["active"] = _flag(form, "active")
    return values


def location_input(values: Form, shifts: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in ("code", "name", "kind", "branch"):
        _put(data, key, values[key])
    data["address"] = values["address"]
    data["phone"] = _optional(values["phone"])
    data["active"] = values["active"]
    data["shifts"] = shifts
    return data


def location_form(loc: Location | None) -> Form:
    if loc is None:
        return {**{name: "" for name in LOCATION_TEXT}, "active": True}
    return {"code": loc.code, "name": loc.name, "kind": loc.kind.value, "branch": loc.branch.code,
            "address": loc.address, "phone": loc.phone or "", "active": loc.active}


def pattern_input_of(p: ShiftPattern) -> dict[str, Any]:
    """A stored pattern as ShiftPatternSpec input (to save a location without touching its patterns)."""
    return {
        "code": p.code, "name": p.name, "duty_type": p.duty_type.value, "start": p.start_time.strftime("%H:%M"),
        "duration_hours": p.duration_minutes / 60, "days": p.days.value, "weekdays": p.weekdays,
        "demand": dict(p.demand), "holiday_demand": dict(p.holiday_demand) if p.holiday_demand else None,
        "is_night": p.is_night, "required_skills": list(p.required_skills),
        "required_languages": list(p.required_languages), "valid_from": p.valid_from, "valid_to": p.valid_to,
    }


PATTERN_TEXT = ("code", "name", "duty_type", "start", "end", "duration_hours", "days", "required_skills",
                "required_languages", "valid_from", "valid_to")


def pattern_values(form: MultiDict[str, str], roles: list[str]) -> Form:
    values: Form = {name: _text(form, name) for name in PATTERN_TEXT}
    values["is_night"] = _flag(form, "is_night")
    values["weekdays"] = [d for d in form.getlist("weekdays") if d in {str(i) for i in range(7)}]
    for role in roles:
        values[f"demand.{role}"] = _text(form, f"demand.{role}", 8)
        values[f"holiday_demand.{role}"] = _text(form, f"holiday_demand.{role}", 8)
    return values


def _demand(values: Form, prefix: str, roles: list[str]) -> dict[str, Any] | None:
    demand = {role: values[f"{prefix}.{role}"] for role in roles if values[f"{prefix}.{role}"] != ""}
    return demand or None


def pattern_input(values: Form, roles: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in ("code", "name", "duty_type", "start", "days"):
        _put(data, key, values[key])
    if values["end"]:
        data["end"] = values["end"]
    if values["duration_hours"]:
        data["duration_hours"] = values["duration_hours"].replace(",", ".")
    data["weekdays"] = [int(d) for d in values["weekdays"]] or None
    data["demand"] = _demand(values, "demand", roles) or {}
    data["holiday_demand"] = _demand(values, "holiday_demand", roles)
    data["is_night"] = values["is_night"]
    data["required_skills"] = _list(values["required_skills"])
    data["required_languages"] = _list(values["required_languages"])
    data["valid_from"] = _date(values["valid_from"])
    data["valid_to"] = _date(values["valid_to"])
    return data


def pattern_form(p: ShiftPattern | None, roles: list[str]) -> Form:
    if p is None:
        values: Form = {name: "" for name in PATTERN_TEXT}
        values.update(days="working_days", is_night=False, weekdays=[])
        for role in roles:
            values[f"demand.{role}"] = "1" if role == "duty" else ""
            values[f"holiday_demand.{role}"] = ""
        return values
    minutes = p.duration_minutes
    values = {
        "code": p.code, "name": p.name, "duty_type": p.duty_type.value, "start": p.start_time.strftime("%H:%M"),
        "end": "" if minutes >= 24 * 60 else (datetime.combine(date(2000, 1, 1), p.start_time)
                                            + timedelta(minutes=minutes)).strftime("%H:%M"),
        "duration_hours": _num(minutes / 60) if minutes >= 24 * 60 else "", "days": p.days.value,
        "required_skills": ", ".join(p.required_skills), "required_languages": ", ".join(p.required_languages),
        "valid_from": p.valid_from.isoformat() if p.valid_from else "",
        "valid_to": p.valid_to.isoformat() if p.valid_to else "",
        "is_night": p.is_night, "weekdays": [str(d) for d in (p.weekdays or [])],
    }
    for role in roles:
        values[f"demand.{role}"] = _num(p.demand.get(role))
        values[f"holiday_demand.{role}"] = _num((p.holiday_demand or {}).get(role))
    return values


# --- unavailability and holiday overrides -----------------------------------------------------------------------------


UNAVAILABILITY_TEXT = ("person", "start", "start_time", "end", "end_time", "reason", "note")


def unavailability_values(form: MultiDict[str, str]) -> Form:
    return {name: _text(form, name) for name in UNAVAILABILITY_TEXT}


def _moment(day: str, clock: str) -> str | None:
    iso = _date(day)
    if iso is None:
        return None
    return f"{iso}T{clock}" if clock else iso


def unavailability_input(values: Form) -> dict[str, Any]:
    """Dates alone are whole days (the end day included); with a time, exact instants (the end excluded)."""
    data: dict[str, Any] = {}
    _put(data, "person", values["person"])
    _put(data, "start", _moment(values["start"], values["start_time"]))
    _put(data, "end", _moment(values["end"], values["end_time"]))
    data["reason"] = values["reason"] or "leave"
    data["note"] = values["note"]
    return data


def unavailability_form(u: Unavailability | None, tz: ZoneInfo, person_code: str = "") -> Form:
    if u is None:
        return {**{name: "" for name in UNAVAILABILITY_TEXT}, "person": person_code, "reason": "leave"}
    start, end = u.start_at.astimezone(tz), u.end_at.astimezone(tz)
    whole_days = start.time() == time(0) and end.time() == time(0)
    last = (end - timedelta(days=1)) if whole_days else end
    return {
        "person": u.person.code, "start": start.date().isoformat(), "end": last.date().isoformat(),
        "start_time": "" if whole_days else start.strftime("%H:%M"),
        "end_time": "" if whole_days else end.strftime("%H:%M"), "reason": u.reason.value, "note": u.note,
    }


def holiday_values(form: MultiDict[str, str]) -> Form:
    return {name: _text(form, name) for name in ("day", "kind", "name")}


def holiday_input(values: Form) -> dict[str, Any]:
    data: dict[str, Any] = {"name": values["name"]}
    _put(data, "day", _date(values["day"]))
    _put(data, "kind", values["kind"])
    return data


def holiday_form(o: HolidayOverride | None) -> Form:
    if o is None:
        return {"day": "", "kind": "day_off", "name": ""}
    return {"day": o.day.isoformat(), "kind": o.kind.value, "name": o.name}
