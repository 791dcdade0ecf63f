"""GET /api/v1/on-duty?location=CODE[&at=ISO-8601]: who is on duty there (ai đang trực), for liaisons and staff.

The body depends only on the published roster and the moment's shifts (not on the request time), so it carries a
strong ETag and a poller that sends If-None-Match gets 304 until the duty list or a person's details change.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, jsonify, request
from pydantic import AwareDatetime, BaseModel, ConfigDict

from duty_roster.api.blueprint import bp
from duty_roster.api.common import local_iso
from duty_roster.api.policy import LIAISON, current_user, own_centre, require
from duty_roster.api.problems import not_found
from duty_roster.centre_file.schema import Code
from duty_roster.extensions import db
from duty_roster.field_errors import FieldErrors
from duty_roster.models import Location, utcnow
from duty_roster.on_duty import on_duty as who_is_on_duty


class OnDutyQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: Code
    at: AwareDatetime | None = None  # with an offset, e.g. 2026-03-02T07:30:00+07:00; default: now


@bp.get("/on-duty")
@require("on_duty.read")
@bp.input(OnDutyQuery, location="query")
@bp.doc(summary="Who is on duty at a location now (or at `at`), with the next handover", responses=[304, 404])
def on_duty(query_data: OnDutyQuery) -> Response:
    centre = own_centre()
    tz = ZoneInfo(centre.timezone)
    location = db.session.scalar(sa.select(Location).where(Location.centre_id == centre.id,
                                                            Location.code == query_data.location))
    user = current_user()
    if location is None or (user.role is LIAISON and location.id not in {loc.id for loc in user.locations}):
        raise not_found("location")
    try:
        at = query_data.at.astimezone(UTC) if query_data.at is not None else utcnow()
    except OverflowError:
        raise FieldErrors.one("query.at", "Thời điểm ngoài phạm vi / the instant is out of range") from None
    now = who_is_on_duty(db.session, location, at)
    body: dict[str, Any] = {
        "location": {"code": location.code, "name": location.name, "kind": location.kind.value,
                     "phone": location.phone},
        "centre": {"code": centre.code, "name": centre.name, "duty_phone": centre.duty_phone},
        "timezone": centre.timezone,
        "on_duty": [
            {
                "role": a.role,
                "name": a.person.full_name,
                "person_code": a.person.code,
                "phone": a.person.phone,
                "shift": {"id": a.shift_id, "start": local_iso(a.shift.start_at, tz),
                          "end": local_iso(a.shift.end_at, tz)},
                "roster": {"id": a.roster_id, "version": a.roster.version},
            }
            for a in now.assignments
        ],
        "next_handover": local_iso(now.next_handover, tz),
    }
    if query_data.at is not None:
        body["at"] = local_iso(at, tz)
    response = jsonify(body)
    response.set_etag(hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32])
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)
