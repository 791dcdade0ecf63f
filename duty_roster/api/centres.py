"""Centres: the system admin lists and creates them; centre staff read their own centre.

Creating a centre takes a centre file's sections as the body (`centre` and `branches` required; `rules`,
`weights`, `people`, `locations`, ... optional) and loads it with the centre-file loader, so an API-created centre
passes exactly the checks a loaded file does, all or nothing.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import request
from pydantic import BaseModel, ConfigDict, Field

from duty_roster.api.blueprint import ID, bp
from duty_roster.api.common import PageQuery, page_of
from duty_roster.api.policy import ADMIN, current_user, require
from duty_roster.api.policy import centre_id as callers_centre_id
from duty_roster.api.problems import not_found, problem_response
from duty_roster.centre_file import CentreFileError, load_centre_data
from duty_roster.centre_file.schema import (
    BranchSpec,
    CentreSpec,
    HolidayOverrideSpec,
    LocationSpec,
    PersonSpec,
    PreferenceSpec,
    RulesSpec,
    UnavailabilitySpec,
    WeightsSpec,
)
from duty_roster.extensions import db
from duty_roster.field_errors import FieldErrors
from duty_roster.models import Centre


class CentreFileIn(BaseModel):
    """A centre file (docs/centre-file.md) as a request body."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    format_version: int = 1
    comment: str | None = Field(None, alias="$comment")
    centre: CentreSpec
    rules: RulesSpec | None = None
    weights: WeightsSpec | None = None  # type: ignore[valid-type]
    branches: list[BranchSpec] = Field(min_length=1)
    people: list[PersonSpec] = []
    locations: list[LocationSpec] = []
    holiday_overrides: list[HolidayOverrideSpec] | None = None
    unavailability: list[UnavailabilitySpec] | None = None
    preferences: list[PreferenceSpec] | None = None


def centre_json(c: Centre) -> dict[str, Any]:
    return {
        "id": c.id, "code": c.code, "name": c.name, "short_name": c.short_name, "timezone": c.timezone,
        "duty_phone": c.duty_phone, "address": c.address, "rules": c.rules,
        "branches": [{"code": b.code, "name": b.name, "address": b.address, "phone": b.phone,
                      "is_head_office": b.is_head_office} for b in sorted(c.branches, key=lambda b: b.code)],
    }


@bp.get("/centres")
@require("centre.list")
@bp.input(PageQuery, location="query")
@bp.doc(summary="List centres (admin)")
def list_centres(query_data: PageQuery) -> dict[str, Any]:
    return page_of(sa.select(Centre).order_by(Centre.code), query_data, centre_json)


@bp.get(f"/centres/<{ID}:centre_id>")
@require("centre.read")
@bp.doc(summary="Read a centre (admin: any; staff: their own)", responses=[404])
def get_centre(centre_id: int) -> dict[str, Any]:
    if current_user().role is not ADMIN and centre_id != callers_centre_id():
        raise not_found("centre")
    centre = db.session.get(Centre, centre_id)
    if centre is None:
        raise not_found("centre")
    return centre_json(centre)


@bp.post("/centres")
@require("centre.create")
@bp.input(CentreFileIn, location="json")
@bp.doc(summary="Create a centre from centre-file sections (admin)", responses=[409])
def create_centre(json_data: CentreFileIn) -> Any:
    code = json_data.centre.code
    if db.session.scalar(sa.select(Centre.id).where(Centre.code == code)) is not None:
        raise FieldErrors.one("centre.code", f"Đã có trung tâm mã {code!r} / centre {code!r} already exists",
                              status=409)
    raw = dict(request.get_json(force=True))  # the loader reads the file as written (its own dates, clocks ...)
    raw.setdefault("people", [])
    raw.setdefault("locations", [])
    try:
        load_centre_data(db.session, raw, user=current_user(), source="api")
    except CentreFileError as exc:
        errors = [{"field": f"json.{issue.path}" if issue.path else "json", "message": issue.message}
                  for issue in exc.errors]
        return problem_response(422, str(exc), errors=errors)
    centre = db.session.scalars(sa.select(Centre).where(Centre.code == code)).one()
    db.session.commit()
    return centre_json(centre), 201
