"""Unavailability (nghỉ phép, tập huấn, công tác), preferences, and holiday overrides.

Officers manage only their own unavailability and preferences: listing shows theirs, another person's entry is a
404, and naming another person in a body is a 403. Bodies are the centre file's specs (a date is a whole local day;
a date-time without offset is local time).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import Field

from duty_roster import centre_data
from duty_roster.api.blueprint import ID, bp
from duty_roster.api.common import PageQuery, local_iso, page_of
from duty_roster.api.policy import (
    current_user,
    ensure_officer_owns,
    get_in_centre,
    is_officer,
    own_centre,
    own_person_id,
    own_person_only,
    person_by_code,
    require,
)
from duty_roster.centre_file.schema import Code, HolidayOverrideSpec, IsoDate, PreferenceSpec, UnavailabilitySpec
from duty_roster.extensions import db
from duty_roster.field_errors import FieldErrors
from duty_roster.models import HolidayOverride, Person, Preference, Unavailability


class PersonFilter(PageQuery):
    person: Code | None = None  # a person code


class UnavailabilityQuery(PersonFilter):
    start: IsoDate | None = None  # entries ending after this local day starts
    end: IsoDate | None = None  # entries starting before this local day ends


def _own_scope(query: sa.Select[Any], person_column: Any) -> sa.Select[Any]:
    if is_officer():
        return query.where(person_column == (own_person_id() or -1))
    return query


def _body_person(code: str) -> Person:
    person = person_by_code(code)
    ensure_officer_owns(person)
    return person


def _entry(model: type, entry_id: int, what: str) -> Any:
    entry = get_in_centre(model, entry_id, what)
    own_person_only(entry.person_id, what)
    return entry


# --- unavailability ------------------------------------------------------------------------------------------------


def unavailability_json(u: Unavailability, tz: ZoneInfo) -> dict[str, Any]:
    return {"id": u.id, "person": u.person.code, "person_id": u.person_id, "start": local_iso(u.start_at, tz),
            "end": local_iso(u.end_at, tz), "reason": u.reason.value, "note": u.note}


@bp.get("/unavailability")
@require("unavailability.read")
@bp.input(UnavailabilityQuery, location="query")
@bp.doc(summary="List unavailability (officers: their own)")
def list_unavailability(query_data: UnavailabilityQuery) -> dict[str, Any]:
    centre = own_centre()
    tz = ZoneInfo(centre.timezone)
    query = (sa.select(Unavailability).join(Person).where(Person.centre_id == centre.id)
             .order_by(Unavailability.start_at, Unavailability.id))
    query = _own_scope(query, Unavailability.person_id)
    if query_data.person is not None:
        query = query.where(Person.code == query_data.person)
    if query_data.start and query_data.end and query_data.end < query_data.start:
        raise FieldErrors.one("query.end", "Ngày kết thúc trước ngày bắt đầu / end is before start")
    if query_data.start is not None:
        since = centre_data.instant(query_data.start, tz, end=False, field="query.start")
        query = query.where(Unavailability.end_at > since)
    if query_data.end is not None:
        until = centre_data.instant(query_data.end, tz, end=True, field="query.end")
        query = query.where(Unavailability.start_at < until)
    return page_of(query, query_data, lambda u: unavailability_json(u, tz))


@bp.get(f"/unavailability/<{ID}:entry_id>")
@require("unavailability.read")
@bp.doc(summary="Read an unavailability entry", responses=[404])
def get_unavailability(entry_id: int) -> dict[str, Any]:
    return unavailability_json(_entry(Unavailability, entry_id, "unavailability"), ZoneInfo(own_centre().timezone))


@bp.post("/unavailability")
@require("unavailability.write")
@bp.input(UnavailabilitySpec, location="json")
@bp.doc(summary="Declare unavailability (overlapping entries of one person are refused)", responses=[409])
def create_unavailability(json_data: UnavailabilitySpec) -> tuple[dict[str, Any], int]:
    centre = own_centre()
    entry = centre_data.save_unavailability(db.session, centre, _body_person(json_data.person), json_data,
                                            user=current_user())
    db.session.commit()
    return unavailability_json(entry, ZoneInfo(centre.timezone)), 201


@bp.put(f"/unavailability/<{ID}:entry_id>")
@require("unavailability.write")
@bp.input(UnavailabilitySpec, location="json")
@bp.doc(summary="Replace an unavailability entry", responses=[404, 409])
def update_unavailability(entry_id: int, json_data: UnavailabilitySpec) -> dict[str, Any]:
    centre = own_centre()
    entry = _entry(Unavailability, entry_id, "unavailability")
    entry = centre_data.save_unavailability(db.session, centre, _body_person(json_data.person), json_data,
                                            entry=entry, user=current_user())
    db.session.commit()
    return unavailability_json(entry, ZoneInfo(centre.timezone))


@bp.delete(f"/unavailability/<{ID}:entry_id>")
@require("unavailability.write")
@bp.doc(summary="Delete an unavailability entry", responses=[204, 404])
def delete_unavailability(entry_id: int) -> tuple[str, int]:
    centre_data.delete_entry(db.session, own_centre(), _entry(Unavailability, entry_id, "unavailability"),
                             "unavailability.delete", user=current_user())
    db.session.commit()
    return "", 204


# --- preferences ---------------------------------------------------------------------------------------------------


def preference_json(p: Preference) -> dict[str, Any]:
    return {"id": p.id, "person": p.person.code, "person_id": p.person_id, "wanted": p.wanted, "weight": p.weight,
            "weekday": p.weekday, "day": p.day.isoformat() if p.day else None, "shift_type": p.shift_type}


@bp.get("/preferences")
@require("preference.read")
@bp.input(PersonFilter, location="query")
@bp.doc(summary="List preferences (officers: their own)")
def list_preferences(query_data: PersonFilter) -> dict[str, Any]:
    query = (sa.select(Preference).join(Person).where(Person.centre_id == own_centre().id)
             .order_by(Person.code, Preference.id))
    query = _own_scope(query, Preference.person_id)
    if query_data.person is not None:
        query = query.where(Person.code == query_data.person)
    return page_of(query, query_data, preference_json)


@bp.get(f"/preferences/<{ID}:entry_id>")
@require("preference.read")
@bp.doc(summary="Read a preference", responses=[404])
def get_preference(entry_id: int) -> dict[str, Any]:
    return preference_json(_entry(Preference, entry_id, "preference"))


@bp.post("/preferences")
@require("preference.write")
@bp.input(PreferenceSpec, location="json")
@bp.doc(summary="Add a preference", responses=[409])
def create_preference(json_data: PreferenceSpec) -> tuple[dict[str, Any], int]:
    entry = centre_data.save_preference(db.session, own_centre(), _body_person(json_data.person), json_data,
                                        user=current_user())
    db.session.commit()
    return preference_json(entry), 201


@bp.put(f"/preferences/<{ID}:entry_id>")
@require("preference.write")
@bp.input(PreferenceSpec, location="json")
@bp.doc(summary="Replace a preference", responses=[404])
def update_preference(entry_id: int, json_data: PreferenceSpec) -> dict[str, Any]:
    entry = _entry(Preference, entry_id, "preference")
    entry = centre_data.save_preference(db.session, own_centre(), _body_person(json_data.person), json_data,
                                        entry=entry, user=current_user())
    db.session.commit()
    return preference_json(entry)


@bp.delete(f"/preferences/<{ID}:entry_id>")
@require("preference.write")
@bp.doc(summary="Delete a preference", responses=[204, 404])
def delete_preference(entry_id: int) -> tuple[str, int]:
    centre_data.delete_entry(db.session, own_centre(), _entry(Preference, entry_id, "preference"),
                             "preference.delete", user=current_user())
    db.session.commit()
    return "", 204


# --- holiday overrides ---------------------------------------------------------------------------------------------


class HolidayQuery(PageQuery):
    year: int | None = Field(None, ge=1900, le=2200)


def holiday_json(o: HolidayOverride) -> dict[str, Any]:
    return {"id": o.id, "day": o.day.isoformat(), "kind": o.kind.value, "name": o.name}


@bp.get("/holiday-overrides")
@require("holiday.read")
@bp.input(HolidayQuery, location="query")
@bp.doc(summary="List the centre's holiday overrides (ngày nghỉ bù, ngày làm bù)")
def list_holiday_overrides(query_data: HolidayQuery) -> dict[str, Any]:
    query = (sa.select(HolidayOverride).where(HolidayOverride.centre_id == own_centre().id)
             .order_by(HolidayOverride.day))
    if query_data.year is not None:
        query = query.where(HolidayOverride.day >= date(query_data.year, 1, 1),
                            HolidayOverride.day <= date(query_data.year, 12, 31))
    return page_of(query, query_data, holiday_json)


@bp.get(f"/holiday-overrides/<{ID}:entry_id>")
@require("holiday.read")
@bp.doc(summary="Read a holiday override", responses=[404])
def get_holiday_override(entry_id: int) -> dict[str, Any]:
    return holiday_json(get_in_centre(HolidayOverride, entry_id, "holiday override"))


@bp.post("/holiday-overrides")
@require("holiday.write")
@bp.input(HolidayOverrideSpec, location="json")
@bp.doc(summary="Add a holiday override", responses=[409])
def create_holiday_override(json_data: HolidayOverrideSpec) -> tuple[dict[str, Any], int]:
    entry = centre_data.save_holiday_override(db.session, own_centre(), json_data, user=current_user())
    db.session.commit()
    return holiday_json(entry), 201


@bp.put(f"/holiday-overrides/<{ID}:entry_id>")
@require("holiday.write")
@bp.input(HolidayOverrideSpec, location="json")
@bp.doc(summary="Replace a holiday override", responses=[404, 409])
def update_holiday_override(entry_id: int, json_data: HolidayOverrideSpec) -> dict[str, Any]:
    entry = get_in_centre(HolidayOverride, entry_id, "holiday override")
    entry = centre_data.save_holiday_override(db.session, own_centre(), json_data, entry=entry, user=current_user())
    db.session.commit()
    return holiday_json(entry)


@bp.delete(f"/holiday-overrides/<{ID}:entry_id>")
@require("holiday.write")
@bp.doc(summary="Delete a holiday override", responses=[204, 404])
def delete_holiday_override(entry_id: int) -> tuple[str, int]:
    centre_data.delete_entry(db.session, own_centre(), get_in_centre(HolidayOverride, entry_id, "holiday override"),
                             "holiday_override.delete", user=current_user())
    db.session.commit()
    return "", 204
