"""GET /feeds/<token>.ics: the secret feed URL calendar apps poll, without an account.

Answers 404 for anything but a live token (unknown, revoked, its person/location gone, or its owner no longer
entitled: see `tokens.still_entitled`), never saying which.
Conditional requests (If-None-Match / If-Modified-Since) are answered from `feeds.stamp` without building the body;
the body for unchanged data is byte-identical, so the strong ETag is honest.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app, request

from duty_roster.calendar.feeds import FeedNotFound, FeedOptions, FeedSpec, build, stamp
from duty_roster.calendar.tokens import active_feed, still_entitled
from duty_roster.extensions import db
from duty_roster.models import FeedToken, utcnow

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_CONTROL = "private, no-cache"  # apps may keep it but must revalidate: a 304 costs next to nothing


def options() -> FeedOptions:
    settings = current_app.config["SETTINGS"]
    return FeedOptions(base_url=settings.PUBLIC_BASE_URL, window_past_days=settings.FEED_WINDOW_PAST_DAYS,
                       cancelled_days=settings.FEED_CANCELLED_DAYS, refresh_minutes=settings.FEED_REFRESH_MINUTES)


def spec_of(feed: FeedToken) -> FeedSpec:
    return FeedSpec(centre_id=feed.centre_id, kind=feed.kind, target_id=feed.target_id,
                    alarm_minutes=feed.alarm_minutes)


def calendar_response(spec: FeedSpec, filename: str) -> Response:
    """200 with the feed, or 304 when the client's ETag / date still holds. 404 when the target is gone."""
    now = utcnow()
    opts = options()
    try:
        tag = stamp(db.session, spec, opts, now)
    except FeedNotFound:
        abort(404)
    response = Response(status=200, content_type=CONTENT_TYPE)
    response.set_etag(tag.etag)
    response.last_modified = tag.last_modified
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.make_conditional(request)
    if response.status_code == 304:
        return response
    try:
        response.set_data(build(db.session, spec, opts, now))
    except FeedNotFound:
        abort(404)
    return response


@bp.get("/<string:token>.ics")
def feed(token: str) -> Response:
    row = active_feed(db.session, token)
    if row is None or not still_entitled(row):
        abort(404)
    return calendar_response(spec_of(row), f"lich-truc-{row.kind.value}.ics")


def register(app: Flask) -> None:
    app.register_blueprint(bp)
