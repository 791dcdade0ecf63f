"""The shape of a centre file (docs/centre-file.md), as pydantic v2 models.

These models check each entry on its own: types, required fields, allowed values, formats (times, dates, phones,
time zones). Checks that need several entries (references, duplicates, overlapping leave) live in validate.py, so
every mistake in a file is reported in one go.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, fields
from datetime import date, datetime, time
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NonNegativeFloat,
    PositiveFloat,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from duty_roster.phones import InvalidPhone, normalise_phone
from duty_roster.solver import problem as sp

FORMAT_VERSION = 1
PersonKind = Literal["officer", "lawyer", "assistant"]
LocationKind = Literal["court", "investigation", "detention", "online_hearing_point"]
DutyType = Literal["court", "investigation"]
PatternDays = Literal["working_days", "every_day"]
OverrideKind = Literal["day_off", "working_day"]
UnavailabilityReason = Literal["leave", "sick", "training", "business_trip", "other"]
SmsLanguage = Literal["vi", "en"]
PERSON_KINDS: tuple[str, ...] = get_args(PersonKind)
BUILTIN_ROLES = (sp.DUTY, sp.ASSISTANT)
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
_CLOCK_RE = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _error(kind: str, message: str) -> PydanticCustomError:
    # The message goes through the context so that braces in user text cannot break the template.
    return PydanticCustomError(kind, "{message}", {"message": message})


def _code(value: Any) -> Any:
    if isinstance(value, str) and not _CODE_RE.match(value.strip()):
        raise _error(
            "code",
            f"Mã không hợp lệ: {value!r} (chữ, số, '_', '.', '-'; tối đa 32 ký tự) / not a valid code "
            "(letters, digits, '_', '.', '-'; at most 32 characters)",
        )
    return value.strip() if isinstance(value, str) else value


def _phone(value: str) -> str:
    try:
        return normalise_phone(value)
    except InvalidPhone as exc:
        raise _error("phone", str(exc)) from None


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _error(
            "timezone", f"Múi giờ không tồn tại: {value!r} / unknown time zone (use an IANA name: Asia/Ho_Chi_Minh)"
        ) from None
    return value


def _clock(value: Any) -> Any:
    if isinstance(value, time):
        return value
    match = _CLOCK_RE.match(value.strip()) if isinstance(value, str) else None
    if match is None or int(match["h"]) > 23 or int(match["m"]) > 59:
        raise _error("clock", f"Giờ không hợp lệ: {value!r} (HH:MM, 00:00–23:59) / not a valid time of day")
    return time(int(match["h"]), int(match["m"]))


def _iso_date(value: Any) -> Any:
    """Dates only as "YYYY-MM-DD" text: a bare number is never silently read as a Unix timestamp."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _error("date", f"Ngày không hợp lệ: {value!r} (YYYY-MM-DD) / not a valid date")


def _date_or_datetime(value: Any) -> Any:
    """"2026-12-21" (a whole local day) or "2026-12-21T13:30" (local time, or with an offset)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            pass
    raise _error(
        "date_or_datetime",
        f"Thời điểm không hợp lệ: {value!r} (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM) / not a valid date or date-time",
    )


def _weekday(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower()[:3] in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(value.strip().lower()[:3])
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
        return value
    raise _error("weekday", f"Thứ không hợp lệ: {value!r} (0 = Thứ Hai … 6 = Chủ Nhật, hoặc mon…sun) / not a weekday")


def _email(value: str) -> str:
    if not _EMAIL_RE.match(value):
        raise _error("email", f"Email không hợp lệ: {value!r} / not a valid e-mail address")
    return value


def _tags(values: list[str]) -> list[str]:
    """Skills and languages: free text, compared case-insensitively, so stored lower-case and without repeats."""
    seen: list[str] = []
    for value in values:
        tag = value.strip().casefold()
        if not tag:
            raise _error("tag", "Giá trị trống / empty value")
        if tag not in seen:
            seen.append(tag)
    return seen


Code = Annotated[str, BeforeValidator(_code)]
Text = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=300)]
Phone = Annotated[str, AfterValidator(_phone)]
Email = Annotated[str, Field(max_length=200), AfterValidator(_email)]
Clock = Annotated[time, BeforeValidator(_clock)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Moment = Annotated[date | datetime, BeforeValidator(_date_or_datetime)]
Weekday = Annotated[int, BeforeValidator(_weekday)]
Tags = Annotated[list[str], AfterValidator(_tags)]
Timezone = Annotated[str, AfterValidator(_timezone)]


# Bounded integers: a number a centre could mean, and one every database column can hold (10**40 is a typo).
SmallCount = Annotated[int, Field(ge=1, le=31)]
Weight = Annotated[int, Field(ge=0, le=10_000_000)]


class Strict(BaseModel):
    """Unknown keys are mistakes (a misspelt key would otherwise be ignored silently)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CentreSpec(Strict):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=200)]
    short_name: Annotated[str, Field(max_length=40)] = ""  # SMS prefix, e.g. "TGPL CT"
    timezone: Timezone = "Asia/Ho_Chi_Minh"
    duty_phone: Phone | None = None  # the centre's own duty number, sent to the police with the list
    address: LongText = ""


class RulesSpec(Strict):
    """Hard-rule parameters, mapped onto the solver's `Rules` (durations in hours). null disables a rule;
    a key left out keeps the solver's default."""

    min_rest_hours: NonNegativeFloat | None = sp.Rules().min_rest.total_seconds() / 3600  # type: ignore[union-attr]
    long_shift_hours: PositiveFloat = sp.Rules().long_shift.total_seconds() / 3600
    rest_after_long_shift_hours: NonNegativeFloat | None = (
        sp.Rules().rest_after_long_shift.total_seconds() / 3600  # type: ignore[union-attr]
    )
    max_consecutive_nights: SmallCount | None = sp.Rules().max_consecutive_nights
    max_shifts_per_day: SmallCount | None = sp.Rules().max_shifts_per_day
    forbidden_successions: list[tuple[Code, Code]] = []  # (shift pattern code on day d, code on day d+1)
    # duty type -> role -> person kinds allowed; a duty type left out has no restriction.
    allowed_kinds: dict[DutyType, dict[str, list[PersonKind]]] = {}
    # person kind -> roles that kind takes (default: officer and lawyer "duty", assistant "assistant").
    roles_by_kind: dict[PersonKind, list[str]] = {}
    week_start: Annotated[int, Field(ge=0, le=6)] = sp.Rules().week_start


# Which solver Rules field each file key feeds (tests check that every solver field is reachable).
RULES_TO_SOLVER = {
    "min_rest_hours": "min_rest",
    "long_shift_hours": "long_shift",
    "rest_after_long_shift_hours": "rest_after_long_shift",
    "max_consecutive_nights": "max_consecutive_nights",
    "max_shifts_per_day": "max_shifts_per_day",
    "forbidden_successions": "forbidden_successions",
    "allowed_kinds": "allowed_kinds",
    "week_start": "week_start",
}


def _weights_model() -> type[BaseModel]:
    """One non-negative integer per solver `Weights` field, with the solver's default: never out of step."""
    spec: dict[str, Any] = {}
    for f in fields(sp.Weights):
        default = f.default if f.default is not MISSING else 0
        spec[f.name] = (Weight, default)
    return create_model("WeightsSpec", __base__=Strict, __doc__="Soft-goal weights (solver `Weights`).", **spec)


WeightsSpec = _weights_model()


class BranchSpec(Strict):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=200)]
    address: LongText = ""
    phone: Phone | None = None
    is_head_office: bool = False


class PersonSpec(Strict):
    code: Code
    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: PersonKind
    branch: Code
    areas: list[Code] = []  # branch codes served besides the own branch
    skills: Tags = []  # e.g. "juvenile" (người chưa thành niên)
    languages: Tags = []  # e.g. "khmer"
    capacity: Annotated[float, Field(gt=0, le=10)] = 1.0
    max_shifts_per_week: Annotated[int, Field(ge=0, le=21)] | None = None  # 3 a day at most
    max_shifts_per_month: Annotated[int, Field(ge=0, le=93)] | None = None
    contract_start: IsoDate | None = None
    contract_end: IsoDate | None = None  # inclusive
    phone: Phone
    email: Email | None = None
    sms_language: SmsLanguage = "vi"
    sms_ascii: bool = False
    active: bool = True


Demand = dict[str, Annotated[int, Field(ge=0, le=50)]]  # people per role on one shift


class ShiftPatternSpec(Strict):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=200)]
    duty_type: DutyType
    start: Clock
    end: Clock | None = None  # at or before `start` means the next day; equal to `start` means 24 h
    duration_hours: Annotated[float, Field(gt=0, le=48)] | None = None
    days: PatternDays
    weekdays: list[Weekday] | None = None  # only these weekdays (0 = Monday, or "mon"..."sun")
    demand: Demand = {sp.DUTY: 1}
    holiday_demand: Demand | None = None  # on public holidays and Tết, if different
    is_night: bool = False
    required_skills: Tags = []
    required_languages: Tags = []
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None

    @model_validator(mode="after")
    def _one_length(self) -> ShiftPatternSpec:
        if (self.end is None) == (self.duration_hours is None):
            raise _error("length", "Cần đúng một trong hai: end hoặc duration_hours / give exactly one of end or "
                                   "duration_hours")
        if self.duration_hours is not None and abs(self.duration_hours * 60 - round(self.duration_hours * 60)) > 1e-6:
            raise _error("length", "duration_hours phải tròn phút / duration_hours must be a whole number of minutes")
        return self

    @property
    def duration_minutes(self) -> int:
        if self.duration_hours is not None:
            return round(self.duration_hours * 60)
        assert self.end is not None
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return (end - start) % (24 * 60) or 24 * 60


class LocationSpec(Strict):
    code: Code
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: LocationKind
    branch: Code
    address: LongText = ""
    phone: Phone | None = None
    active: bool = True
    shifts: list[ShiftPatternSpec] = []


class HolidayOverrideSpec(Strict):
    day: IsoDate
    kind: OverrideKind
    name: Text = ""


class UnavailabilitySpec(Strict):
    """[start, end): a date alone means the whole local day, so start "2026-12-21", end "2026-12-25" is five days."""

    person: Code
    start: Moment
    end: Moment
    reason: UnavailabilityReason = "leave"
    note: LongText = ""


class PreferenceSpec(Strict):
    person: Code
    wanted: bool
    weight: Annotated[int, Field(ge=1, le=10)] = 1
    weekday: Weekday | None = None
    day: IsoDate | None = None
    shift_type: Code | None = None  # a shift pattern code


# Sections of the file: name -> model of one entry (lists) or of the whole section (objects).
OBJECT_SECTIONS: dict[str, type[BaseModel]] = {"centre": CentreSpec, "rules": RulesSpec, "weights": WeightsSpec}
LIST_SECTIONS: dict[str, type[BaseModel]] = {
    "branches": BranchSpec,
    "people": PersonSpec,
    "locations": LocationSpec,
    "holiday_overrides": HolidayOverrideSpec,
    "unavailability": UnavailabilitySpec,
    "preferences": PreferenceSpec,
}
TOP_LEVEL_KEYS = ("format_version", "$comment", *OBJECT_SECTIONS, *LIST_SECTIONS)
