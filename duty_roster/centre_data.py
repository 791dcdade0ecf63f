"""Use cases for editing one centre's data record by record: people, locations with their shift patterns,
unavailability, preferences and holiday overrides.

Entries are validated by the centre-file specs (`duty_roster.centre_file.schema`, checked by the API before these
functions run); the checks that need the database (references, duplicates, overlapping leave, records still used by
a roster) are here, mirror those of the centre-file loader (`centre_file.validate`), and report every problem at
once as `FieldErrors`. Nothing is committed here: the caller owns the transaction, so a request writes all or nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster import audit
from duty_roster.centre_file.schema import (
    BUILTIN_ROLES,
    HolidayOverrideSpec,
    LocationSpec,
    PersonSpec,
    PreferenceSpec,
    ShiftPatternSpec,
    UnavailabilitySpec,
)
from duty_roster.field_errors import Collector, FieldErrors
from duty_roster.models import (
    Assignment,
    Branch,
    Centre,
    DutyType,
    HolidayKind,
    HolidayOverride,
    Location,
    LocationKind,
    PatternDays,
    Person,
    PersonKind,
    Preference,
    Shift,
    ShiftPattern,
    Unavailability,
    UnavailabilityReason,
    User,
)


def _branches(session: Session, centre: Centre) -> dict[str, int]:
    rows = session.execute(sa.select(Branch.code, Branch.id).where(Branch.centre_id == centre.id))
    return {code: id_ for code, id_ in rows}


INT32_MAX = 2_147_483_647  # INTEGER columns on both databases
MAX_DEMAND = 50  # people one shift may need: a guard against typos that would blow up the solver's model


def _check_int32(errors: Collector, field: str, value: int | None) -> None:
    """The centre-file spec bounds these below only; the database column bounds them above."""
    if value is not None and value > INT32_MAX:
        errors.add(field, f"Giá trị quá lớn: {value} / too large (at most {INT32_MAX})")


def _unknown_branch(code: str) -> str:
    return f"Không có chi nhánh {code!r} / unknown branch {code!r}"


# --- people ------------------------------------------------------------------------------------------------------


def save_person(
    session: Session, centre: Centre, spec: PersonSpec, *, person: Person | None = None, user: User | None = None
) -> Person:
    """Create a person (person=None) or replace every field of `person` with `spec`."""
    errors = Collector()
    branches = _branches(session, centre)
    if spec.branch not in branches:
        errors.add("branch", _unknown_branch(spec.branch))
    for i, area in enumerate(spec.areas):
        if area not in branches:
            errors.add(f"areas.{i}", _unknown_branch(area))
    _check_int32(errors, "max_shifts_per_week", spec.max_shifts_per_week)
    _check_int32(errors, "max_shifts_per_month", spec.max_shifts_per_month)
    if spec.contract_start and spec.contract_end and spec.contract_end < spec.contract_start:
        errors.add("contract_end", f"Hợp đồng kết thúc ({spec.contract_end}) trước khi bắt đầu "
                                   f"({spec.contract_start}) / contract ends before it starts")
    clash = session.scalar(
        sa.select(Person.id).where(Person.centre_id == centre.id, Person.code == spec.code,
                                   Person.id != (person.id if person else -1))
    )
    if clash is not None:
        errors.add("code", f"Mã {spec.code!r} đã có người dùng / code {spec.code!r} is already used", conflict=True)
    errors.raise_if_any()
    values: dict[str, Any] = {
        "code": spec.code, "full_name": spec.full_name, "kind": PersonKind(spec.kind),
        "branch_id": branches[spec.branch], "areas": list(spec.areas), "skills": list(spec.skills),
        "languages": list(spec.languages), "capacity": spec.capacity,
        "max_shifts_per_week": spec.max_shifts_per_week, "max_shifts_per_month": spec.max_shifts_per_month,
        "contract_start": spec.contract_start, "contract_end": spec.contract_end, "phone": spec.phone,
        "email": spec.email, "sms_language": spec.sms_language, "sms_ascii": spec.sms_ascii, "active": spec.active,
    }
    if person is None:
        person = Person(centre_id=centre.id, **values)
        session.add(person)
    else:
        for key, value in values.items():
            setattr(person, key, value)
    session.flush()
    audit.record(session, "person.save", centre=centre, user=user, entity="person", entity_id=person.id,
                 code=person.code)
    return person


def _in_rosters(session: Session, condition: Any) -> int:
    """How many assignments (of any roster version) match `condition`."""
    return session.scalar(sa.select(sa.func.count()).select_from(Assignment).join(Shift).where(condition)) or 0


def delete_person(session: Session, centre: Centre, person: Person, *, user: User | None = None) -> None:
    """Remove a person who was never rostered; anyone in a roster is kept for the record (set active=false)."""
    if _in_rosters(session, Assignment.person_id == person.id):
        raise FieldErrors.one(
            "code", f"{person.code} có trong lịch trực; hãy đặt active=false thay vì xoá / {person.code} is in a "
                    "roster: deactivate them (active=false) instead of deleting", status=409)
    audit.record(session, "person.delete", centre=centre, user=user, entity="person", entity_id=person.id,
                 code=person.code)
    session.delete(person)
    session.flush()


# --- locations and shift patterns ----------------------------------------------------------------------------------


def _known_roles(centre: Centre) -> set[str]:
    by_kind = (centre.rules or {}).get("roles_by_kind") or {}
    return set(BUILTIN_ROLES) | {role for roles in by_kind.values() for role in roles}


def _check_pattern(errors: Collector, base: str, spec: ShiftPatternSpec, roles: set[str]) -> None:
    for key in ("demand", "holiday_demand"):
        demand = getattr(spec, key)
        if demand is None:
            continue
        for role, count in demand.items():
            if count > MAX_DEMAND:
                errors.add(f"{base}.{key}.{role}", f"Quá nhiều người: {count} (tối đa {MAX_DEMAND}) / too many "
                                                   f"people for one shift (at most {MAX_DEMAND})")
            if role not in roles:
                errors.add(f"{base}.{key}.{role}", f"Vai trò {role!r} không tồn tại / unknown role "
                                                   f"(known: {', '.join(sorted(roles))})")
        if sum(demand.values()) == 0:
            errors.add(f"{base}.{key}", "Ca trực cần ít nhất một người / a shift needs at least one person")
    if spec.valid_from and spec.valid_to and spec.valid_to < spec.valid_from:
        errors.add(f"{base}.valid_to", f"valid_to ({spec.valid_to}) trước valid_from ({spec.valid_from}) / "
                                       "valid_to is before valid_from")


def _pattern_values(spec: ShiftPatternSpec) -> dict[str, Any]:
    """The same mapping as the centre-file loader, so a pattern saved here equals one loaded from a file."""
    return {
        "code": spec.code, "name": spec.name, "duty_type": DutyType(spec.duty_type), "start_time": spec.start,
        "duration_minutes": spec.duration_minutes, "days": PatternDays(spec.days),
        "weekdays": sorted(set(spec.weekdays)) if spec.weekdays is not None else None,
        "demand": dict(spec.demand),
        "holiday_demand": dict(spec.holiday_demand) if spec.holiday_demand is not None else None,
        "is_night": spec.is_night, "required_skills": list(spec.required_skills),
        "required_languages": list(spec.required_languages), "valid_from": spec.valid_from,
        "valid_to": spec.valid_to,
    }


def save_location(
    session: Session, centre: Centre, spec: LocationSpec, *, location: Location | None = None,
    user: User | None = None,
) -> Location:
    """Create a location or replace it with `spec`. Its shift patterns are matched by code: changed in place, added,
    or removed — a pattern whose shifts are already in a roster cannot be removed (end it with valid_to)."""
    errors = Collector()
    branches = _branches(session, centre)
    if spec.branch not in branches:
        errors.add("branch", _unknown_branch(spec.branch))
    clash = session.scalar(
        sa.select(Location.id).where(Location.centre_id == centre.id, Location.code == spec.code,
                                     Location.id != (location.id if location else -1))
    )
    if clash is not None:
        errors.add("code", f"Mã {spec.code!r} đã có địa điểm dùng / code {spec.code!r} is already used", conflict=True)
    roles = _known_roles(centre)
    seen: dict[str, int] = {}
    for i, pattern in enumerate(spec.shifts):
        if pattern.code in seen:
            errors.add(f"shifts.{i}.code", f"Mã {pattern.code!r} bị trùng với shifts.{seen[pattern.code]} / "
                                           "duplicate shift pattern code")
        seen.setdefault(pattern.code, i)
        _check_pattern(errors, f"shifts.{i}", pattern, roles)
    existing = {p.code: p for p in location.patterns} if location is not None else {}
    for code in sorted(set(existing) - set(seen)):
        if _in_rosters(session, Shift.pattern_id == existing[code].id):
            errors.add("shifts", f"Mẫu ca {code!r} đã có trong lịch trực, không xoá được; hãy đặt valid_to / "
                                 f"shift pattern {code!r} is used by a roster: end it with valid_to instead",
                       conflict=True)
    errors.raise_if_any()
    values = {"code": spec.code, "name": spec.name, "kind": LocationKind(spec.kind), "branch_id": branches[spec.branch],
              "address": spec.address, "phone": spec.phone, "active": spec.active}
    if location is None:
        location = Location(centre_id=centre.id, **values)
        session.add(location)
    else:
        for key, value in values.items():
            setattr(location, key, value)
    for code in set(existing) - set(seen):
        location.patterns.remove(existing[code])
    for pattern in spec.shifts:
        row = existing.get(pattern.code)
        if row is None:
            location.patterns.append(ShiftPattern(**_pattern_values(pattern)))
        else:
            for key, value in _pattern_values(pattern).items():
                setattr(row, key, value)
    session.flush()
    audit.record(session, "location.save", centre=centre, user=user, entity="location", entity_id=location.id,
                 code=location.code)
    return location


def delete_location(session: Session, centre: Centre, location: Location, *, user: User | None = None) -> None:
    if _in_rosters(session, Shift.location_id == location.id):
        raise FieldErrors.one(
            "code", f"{location.code} có trong lịch trực; hãy đặt active=false / {location.code} is in a roster: "
                    "deactivate it (active=false) instead of deleting", status=409)
    audit.record(session, "location.delete", centre=centre, user=user, entity="location", entity_id=location.id,
                 code=location.code)
    session.delete(location)
    session.flush()


# --- unavailability ------------------------------------------------------------------------------------------------


def instant(value: date | datetime, tz: ZoneInfo, *, end: bool, field: str) -> datetime:
    """As in the centre file: a date is the whole local day (a start at its midnight, an end at the next midnight);
    a date-time without an offset is local time. Dates at the ends of the calendar (year 1, 9999) are refused."""
    try:
        if isinstance(value, datetime):
            moment = value if value.tzinfo is not None else value.replace(tzinfo=tz)
        else:
            moment = datetime.combine(value + timedelta(days=1) if end else value, time(0), tzinfo=tz)
        return moment.astimezone(UTC)
    except OverflowError:
        raise FieldErrors.one(field, f"Ngày ngoài phạm vi / {value} is out of range") from None


def save_unavailability(
    session: Session, centre: Centre, person: Person, spec: UnavailabilitySpec, *,
    entry: Unavailability | None = None, user: User | None = None,
) -> Unavailability:
    """Record leave (nghỉ phép, tập huấn, công tác...) for `person`; overlapping another entry of theirs is refused."""
    tz = ZoneInfo(centre.timezone)
    start_at = instant(spec.start, tz, end=False, field="start")
    end_at = instant(spec.end, tz, end=True, field="end")
    if end_at <= start_at:
        raise FieldErrors.one("end", f"Kết thúc ({spec.end}) không sau bắt đầu ({spec.start}) / end is not after start")
    overlapping = session.scalar(
        sa.select(Unavailability).where(
            Unavailability.person_id == person.id,
            Unavailability.id != (entry.id if entry else -1),
            Unavailability.start_at < end_at,
            Unavailability.end_at > start_at,
        ).order_by(Unavailability.start_at)
    )
    if overlapping is not None:
        begins, ends = overlapping.start_at.astimezone(tz), overlapping.end_at.astimezone(tz)
        when = f"{begins:%d/%m/%Y %H:%M}–{ends:%d/%m/%Y %H:%M}"
        raise FieldErrors.one(
            "start", f"Trùng với lịch vắng #{overlapping.id} ({when}) của {person.code} / overlaps unavailability "
                     f"{overlapping.id} of the same person", status=409)
    values = {"start_at": start_at, "end_at": end_at, "reason": UnavailabilityReason(spec.reason), "note": spec.note}
    if entry is None:
        entry = Unavailability(person_id=person.id, **values)
        session.add(entry)
    else:
        entry.person_id = person.id
        for key, value in values.items():
            setattr(entry, key, value)
    session.flush()
    audit.record(session, "unavailability.save", centre=centre, user=user, entity="unavailability",
                 entity_id=entry.id, person=person.code)
    return entry


# --- preferences ---------------------------------------------------------------------------------------------------


def save_preference(
    session: Session, centre: Centre, person: Person, spec: PreferenceSpec, *,
    entry: Preference | None = None, user: User | None = None,
) -> Preference:
    errors = Collector()
    if spec.weekday is None and spec.day is None and spec.shift_type is None:
        errors.add("weekday", "Cần ít nhất một trong weekday, day, shift_type / name a weekday, a day or a shift type")
    if spec.shift_type is not None:
        known = session.scalar(
            sa.select(ShiftPattern.id).join(Location).where(Location.centre_id == centre.id,
                                                            ShiftPattern.code == spec.shift_type).limit(1)
        )
        if known is None:
            errors.add("shift_type", f"Không có mẫu ca {spec.shift_type!r} / unknown shift pattern code")
    if spec.day is not None and spec.weekday is not None and spec.day.weekday() != spec.weekday:
        errors.add("weekday", f"{spec.day} không rơi vào thứ này / {spec.day} is not on that weekday: the preference "
                              "would never match")
    errors.raise_if_any()
    values = {"wanted": spec.wanted, "weight": spec.weight, "weekday": spec.weekday, "day": spec.day,
              "shift_type": spec.shift_type}
    if entry is None:
        entry = Preference(person_id=person.id, **values)
        session.add(entry)
    else:
        entry.person_id = person.id
        for key, value in values.items():
            setattr(entry, key, value)
    session.flush()
    audit.record(session, "preference.save", centre=centre, user=user, entity="preference", entity_id=entry.id,
                 person=person.code)
    return entry


# --- holiday overrides ---------------------------------------------------------------------------------------------


def save_holiday_override(
    session: Session, centre: Centre, spec: HolidayOverrideSpec, *, entry: HolidayOverride | None = None,
    user: User | None = None,
) -> HolidayOverride:
    """A compensatory day off or a swapped working day from the government's yearly announcement."""
    clash = session.scalar(
        sa.select(HolidayOverride.id).where(HolidayOverride.centre_id == centre.id, HolidayOverride.day == spec.day,
                                            HolidayOverride.id != (entry.id if entry else -1))
    )
    if clash is not None:
        raise FieldErrors.one("day", f"Ngày {spec.day} đã có điều chỉnh #{clash} / {spec.day} already has override "
                                     f"{clash}", status=409)
    values = {"day": spec.day, "kind": HolidayKind(spec.kind), "name": spec.name}
    if entry is None:
        entry = HolidayOverride(centre_id=centre.id, **values)
        session.add(entry)
    else:
        for key, value in values.items():
            setattr(entry, key, value)
    session.flush()
    audit.record(session, "holiday_override.save", centre=centre, user=user, entity="holiday_override",
                 entity_id=entry.id, day=spec.day.isoformat())
    return entry


def delete_entry(session: Session, centre: Centre, entry: Any, action: str, *, user: User | None = None) -> None:
    """Delete an unavailability, preference or holiday override (nothing else refers to them)."""
    audit.record(session, action, centre=centre, user=user, entity=type(entry).__tablename__, entity_id=entry.id)
    session.delete(entry)
    session.flush()
