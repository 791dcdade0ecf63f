"""GET /: everyone starts on their role's page (desk, my duties, duty board); strangers go to the login page."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, url_for

from duty_roster.web.auth import current_user, home_path

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> Response:
    user = current_user()
    if user is None:
        return redirect(url_for("auth.login"))
    return redirect(home_path(user))
