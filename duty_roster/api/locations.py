"""Locations (tòa án, cơ quan điều tra, trại tạm giam, điểm cầu) with their shift patterns. Bodies are the centre
file's LocationSpec; a PUT replaces the location and its patterns (matched by code)."""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa

from duty_roster import centre_data
from duty_roster.api.blueprint import ID, bp
from duty_roster.api.common import PageQuery, page_of
from duty_roster.api.policy import current_user, get_in_centre, own_centre, require
from duty_roster.centre_file.schema import LocationSpec
from duty_roster.extensions import db
from duty_roster.models import Location, ShiftPattern


class LocationsQuery(PageQuery):
    active: bool | None = None
    kind: Literal["court", "investigation", "detention", "online_hearing_point"] | None = None


def pattern_json(p: ShiftPattern) -> dict[str, Any]:
    return {
        "code": p.code, "name": p.name, "duty_type": p.duty_type.value, "start": p.start_time.strftime("%H:%M"),
        "duration_hours": p.duration_minutes / 60, "days": p.days.value, "weekdays": p.weekdays,
        "demand": dict(p.demand), "holiday_demand": p.holiday_demand, "is_night": p.is_night,
        "required_skills": list(p.required_skills), "required_languages": list(p.required_languages),
        "valid_from": p.valid_from.isoformat() if p.valid_from else None,
        "valid_to": p.valid_to.isoformat() if p.valid_to else None,
    }


def location_json(loc: Location) -> dict[str, Any]:
    return {
        "id": loc.id, "code": loc.code, "name": loc.name, "kind": loc.kind.value, "branch": loc.branch.code,
        "address": loc.address, "phone": loc.phone, "active": loc.active,
        "shifts": [pattern_json(p) for p in sorted(loc.patterns, key=lambda p: (p.start_time, p.code))],
    }


@bp.get("/locations")
@require("location.read")
@bp.input(LocationsQuery, location="query")
@bp.doc(summary="List locations with their shift patterns")
def list_locations(query_data: LocationsQuery) -> dict[str, Any]:
    query = sa.select(Location).where(Location.centre_id == own_centre().id).order_by(Location.code, Location.id)
    if query_data.active is not None:
        query = query.where(Location.active.is_(query_data.active))
    if query_data.kind is not None:
        query = query.where(Location.kind == query_data.kind)
    return page_of(query, query_data, location_json)


@bp.get(f"/locations/<{ID}:location_id>")
@require("location.read")
@bp.doc(summary="Read a location", responses=[404])
def get_location(location_id: int) -> dict[str, Any]:
    return location_json(get_in_centre(Location, location_id, "location"))


@bp.post("/locations")
@require("location.write")
@bp.input(LocationSpec, location="json")
@bp.doc(summary="Create a location with its shift patterns", responses=[409])
def create_location(json_data: LocationSpec) -> tuple[dict[str, Any], int]:
    location = centre_data.save_location(db.session, own_centre(), json_data, user=current_user())
    db.session.commit()
    return location_json(location), 201


@bp.put(f"/locations/<{ID}:location_id>")
@require("location.write")
@bp.input(LocationSpec, location="json")
@bp.doc(summary="Replace a location and its shift patterns", responses=[404, 409])
def update_location(location_id: int, json_data: LocationSpec) -> dict[str, Any]:
    location = get_in_centre(Location, location_id, "location")
    location = centre_data.save_location(db.session, own_centre(), json_data, location=location, user=current_user())
    db.session.commit()
    return location_json(location)


@bp.delete(f"/locations/<{ID}:location_id>")
@require("location.write")
@bp.doc(summary="Delete a location never rostered (else deactivate it)", responses=[204, 404, 409])
def delete_location(location_id: int) -> tuple[str, int]:
    centre_data.delete_location(db.session, own_centre(), get_in_centre(Location, location_id, "location"),
                                user=current_user())
    db.session.commit()
    return "", 204
