"""Calendar feed links (GET/POST/DELETE /api/v1/feeds) and one shift as an .ics download.

Who may have which feed (on top of the permission table):
- person feed: one's own person (the account's linked person); directors and coordinators may issue one for any
  person of their centre (to hand the link over); officers naming someone else get 403; liaisons 403;
- location feed: staff for any location of their centre, liaisons for their own locations (others: 404);
- centre feed: directors and coordinators only (403 otherwise).
Re-issuing (POST again) revokes the caller's previous link for the same feed. A feed can be revoked by its owner or
by a director/coordinator of its centre; anyone else gets 404.
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from flask import current_app
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field

from duty_roster.api.blueprint import ID, bp
from duty_roster.api.policy import (
    LIAISON,
    MANAGERS,
    current_user,
    ensure_officer_owns,
    get_in_centre,
    own_centre,
    person_by_code,
    require,
)
from duty_roster.api.problems import forbidden, not_found
from duty_roster.calendar import tokens
from duty_roster.calendar.feeds import FeedSpec
from duty_roster.calendar.web import calendar_response
from duty_roster.centre_file.schema import Code
from duty_roster.extensions import db
from duty_roster.field_errors import FieldErrors
from duty_roster.models import FeedKind, FeedToken, Location, Person, Shift


class FeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["person", "location", "centre"]
    person: Code | None = None  # person feeds: a person code (default: the caller's own person)
    location: Code | None = None  # location feeds: the location code
    alarm_minutes: int | None = Field(None, ge=0, le=10_080)  # person feeds: a reminder this long before a shift


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def feed_json(feed: FeedToken) -> dict[str, Any]:
    token = tokens.token_of(feed, _secret())
    base = current_app.config["SETTINGS"].PUBLIC_BASE_URL
    target: dict[str, Any] = {"id": feed.target_id}
    if feed.kind is FeedKind.PERSON:
        person = db.session.get(Person, feed.target_id)
        target |= {"code": person.code, "name": person.full_name} if person else {}
    elif feed.kind is FeedKind.LOCATION:
        location = db.session.get(Location, feed.target_id)
        target |= {"code": location.code, "name": location.name} if location else {}
    return {
        "id": feed.id,
        "kind": feed.kind.value,
        "target": target,
        "alarm_minutes": feed.alarm_minutes,
        "prefix": feed.prefix,
        "created_at": feed.created_at.isoformat(),
        # None when SECRET_KEY changed since issue: POST again for a new link
        "links": tokens.links(base, token) if token else None,
    }


@bp.get("/feeds")
@require("feed.read")
@bp.doc(summary="My calendar feeds, with their https:// and webcal:// links")
def list_feeds() -> dict[str, Any]:
    user = current_user()
    rows = db.session.scalars(sa.select(FeedToken).where(
        FeedToken.user_id == user.id, FeedToken.centre_id == own_centre().id, FeedToken.revoked_at.is_(None)
    ).order_by(FeedToken.id)).all()
    return {"items": [feed_json(row) for row in rows]}


@bp.post("/feeds")
@require("feed.write")
@bp.input(FeedIn, location="json")
@bp.doc(summary="Issue (or re-issue) a calendar feed link: person, location or centre", responses=[201, 404, 422])
def issue_feed(json_data: FeedIn) -> tuple[dict[str, Any], int]:
    user = current_user()
    centre = own_centre()
    kind = FeedKind(json_data.kind)
    if kind is FeedKind.PERSON:
        if user.role is LIAISON:
            raise forbidden("Cán bộ đầu mối không có lịch trực cá nhân / liaisons have no personal duty feed")
        if json_data.person is not None:
            person = person_by_code(json_data.person, "person")
            ensure_officer_owns(person)
            if user.role not in MANAGERS and person.id != user.person_id:
                raise forbidden("Chỉ được lấy lịch của chính mình / only your own personal feed")
        else:
            if user.person is None:
                raise FieldErrors.one("person", "Tài khoản không gắn với người trực nào / this account is linked to "
                                                "no person: name one with `person`")
            person = user.person
        target = person.id
    elif kind is FeedKind.LOCATION:
        if json_data.location is None:
            raise FieldErrors.one("location", "Cần mã địa điểm / a location feed needs `location`")
        location = db.session.scalar(sa.select(Location).where(Location.centre_id == centre.id,
                                                                Location.code == json_data.location))
        if location is None or (user.role is LIAISON and location.id not in {loc.id for loc in user.locations}):
            raise not_found("location")
        target = location.id
    else:
        if user.role not in MANAGERS:
            raise forbidden("Lịch toàn trung tâm chỉ dành cho Giám đốc và điều phối / the centre feed is for "
                            "directors and coordinators")
        target = centre.id
    if json_data.alarm_minutes is not None and kind is not FeedKind.PERSON:
        raise FieldErrors.one("alarm_minutes", "Nhắc lịch chỉ cho lịch cá nhân / reminders are for person feeds only")
    feed, _token = tokens.issue(db.session, secret_key=_secret(), centre_id=centre.id, kind=kind, target_id=target,
                                user=user, alarm_minutes=json_data.alarm_minutes)
    db.session.commit()
    return feed_json(feed), 201


@bp.delete(f"/feeds/<{ID}:feed_id>")
@require("feed.write")
@bp.doc(summary="Revoke a calendar feed link (its URL answers 404 from now on)", responses=[204, 404])
def revoke_feed(feed_id: int) -> tuple[str, int]:
    user = current_user()
    feed = get_in_centre(FeedToken, feed_id, "feed")
    if feed.revoked_at is not None or (feed.user_id != user.id and user.role not in MANAGERS):
        raise not_found("feed")
    tokens.revoke(feed)
    db.session.commit()
    return "", 204


@bp.get(f"/shifts/<{ID}:shift_id>.ics")
@require("shift.read")
@bp.doc(summary="One shift as an iCalendar file (\"add to my calendar\"): who is on duty, where, when",
        responses=[304, 404])
def shift_ics(shift_id: int) -> ResponseReturnValue:
    user = current_user()
    shift = get_in_centre(Shift, shift_id, "shift")
    if user.role is LIAISON and shift.location_id not in {loc.id for loc in user.locations}:
        raise not_found("shift")
    spec = FeedSpec(centre_id=shift.centre_id, kind=FeedKind.LOCATION, target_id=shift.location_id,
                    shift_id=shift.id)
    return calendar_response(spec, f"ca-truc-{shift.id}.ics")
