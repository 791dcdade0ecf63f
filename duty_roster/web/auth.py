"""Who is using the web UI: session login shared with the JSON API, role checks, and the centre being worked on.

The session keys are the API's (duty_roster/api/auth.py): session["user_id"], session["stamp"] (changes with the
password, which ends every other session) and session["csrf"] (the X-CSRF-Token for fetch() calls to /api/v1). So
a browser logged in here may also call the API. HTML forms carry Flask-WTF's own csrf_token instead.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from duty_roster import audit
from duty_roster.accounts import check_password, login_locked_until
from duty_roster.api.auth import _DUMMY_HASH, _password_stamp
from duty_roster.extensions import db
from duty_roster.models import Centre, Role, User
from duty_roster.web.formatting import hhmm, local
from duty_roster.web.i18n import safe_next

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])

ADMIN, DIRECTOR, COORDINATOR, OFFICER, LIAISON = (
    Role.ADMIN, Role.DIRECTOR, Role.COORDINATOR, Role.OFFICER, Role.LIAISON,
)
# Roles that work at the coordination desk (/desk, /desk/rosters, /data, /audit). Admin works on a chosen centre.
DESK_ROLES: tuple[Role, ...] = (ADMIN, DIRECTOR, COORDINATOR)
HOME_BY_ROLE: dict[Role, str] = {
    ADMIN: "/desk", DIRECTOR: "/desk", COORDINATOR: "/desk", OFFICER: "/me", LIAISON: "/board",
}
MIN_PASSWORD_LENGTH = 10
_MISSING = object()


def current_user() -> User | None:
    """The logged-in, active user whose password has not changed since login; None otherwise (cached per request)."""
    cached = g.get("_web_user", _MISSING)
    if cached is not _MISSING:
        return cached  # type: ignore[return-value]
    user: User | None = None
    user_id = session.get("user_id")
    if isinstance(user_id, int):
        user = db.session.get(User, user_id)
        if user is None or not user.active or session.get("stamp") != _password_stamp(user):
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            user = None
    g._web_user = user
    return user


def admin_centres() -> list[Centre]:
    return list(db.session.scalars(sa.select(Centre).order_by(Centre.code)))


def current_centre() -> Centre:
    """The user's centre; an admin works on the centre chosen in the nav (the first one until they choose). 404 when
    there is none (an admin before any centre exists, or a user without a centre)."""
    user = current_user()
    if user is None:
        abort(401)
    if user.role is not ADMIN:
        if user.centre is None:
            abort(404)
        return user.centre
    chosen = session.get("centre_id")
    centre = db.session.get(Centre, chosen) if isinstance(chosen, int) else None
    if centre is None:
        centre = db.session.scalar(sa.select(Centre).order_by(Centre.code).limit(1))
        if centre is None:
            abort(404)
        session["centre_id"] = centre.id
    return centre


def login_url() -> str:
    target = request.full_path if request.method == "GET" else request.path
    return url_for("auth.login", next=target.rstrip("?"))


def login_required(view: F) -> F:
    """Redirect to /login?next=… unless somebody is logged in."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(login_url())
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def roles_required(*roles: Role | str) -> Callable[[F], F]:
    """Logged in (else redirect to /login?next=…) with one of `roles` (else the 403 page). Admin is not implied."""
    allowed = frozenset(Role(r) for r in roles)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(login_url())
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def home_path(user: User) -> str:
    return HOME_BY_ROLE.get(user.role, "/")


def start_session(user: User) -> None:
    """A fresh session (no fixation) with the API's keys; permanent so it expires after SESSION_LIFETIME_MINUTES of
    inactivity (the cookie is refreshed on every request). A language chosen before login is kept."""
    lang = session.get("lang")
    session.clear()
    session["user_id"] = user.id
    session["stamp"] = _password_stamp(user)
    session["csrf"] = secrets.token_urlsafe(32)
    if lang:
        session["lang"] = lang
    session.permanent = True
    g._web_user = user


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    user = current_user()
    if request.method == "GET":
        if user is not None:
            return redirect(safe_next(request.args.get("next"), home_path(user)))
        return render_template("auth/login.html", username="")
    username = request.form.get("username", "").strip()[:80]
    password = request.form.get("password", "")[:200]
    found = db.session.scalar(sa.select(User).where(User.username == username)) if username else None
    locked_until = login_locked_until(db.session, found) if found is not None else None
    if found is not None and locked_until is not None:
        zone = found.centre.timezone if found.centre else current_app.config["SETTINGS"].TIMEZONE
        flash(_("Too many wrong passwords for this account. Try again after %(time)s.",
                time=hhmm(local(locked_until, zone))), "error")
        return render_template("auth/login.html", username=username), 429
    if found is None:
        check_password_hash(_DUMMY_HASH, password)  # a wrong username costs as long as a wrong password
    elif check_password(found, password):
        start_session(found)
        audit.record(db.session, "user.login", centre=found.centre, user=found, entity="user", entity_id=found.id,
                     via="web")
        db.session.commit()
        return redirect(safe_next(request.args.get("next"), home_path(found)))
    else:
        audit.record(db.session, "user.login_failed", centre=found.centre, user=found, entity="user",
                     entity_id=found.id, via="web")
        db.session.commit()
    flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", username=username), 401


@bp.post("/logout")
def logout() -> Response:
    """POST only (with the form's CSRF token): a link or an image on another site cannot log anybody out."""
    user = current_user()
    lang = session.get("lang")
    if user is not None:
        audit.record(db.session, "user.logout", centre=user.centre, user=user, entity="user", entity_id=user.id,
                     via="web")
        db.session.commit()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have logged out."), "success")
    return redirect(url_for("auth.login"))


def password_problems(user: User, current: str, new: str, repeat: str) -> list[str]:
    problems: list[str] = []
    if not check_password(user, current):
        problems.append(_("The current password is wrong."))
    if len(new) < MIN_PASSWORD_LENGTH:
        problems.append(_("The new password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if new.strip().casefold() == user.username.casefold():
        problems.append(_("The new password must not be your username."))
    if new != repeat:
        problems.append(_("The two new passwords are not the same."))
    return problems


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> Response | str | tuple[str, int]:
    """Change one's password; other browsers' sessions end (their stamp no longer matches), this one goes on."""
    user = current_user()
    assert user is not None
    if request.method == "GET":
        return render_template("auth/password.html")
    problems = password_problems(user, request.form.get("current", ""), request.form.get("new", "")[:200],
                                 request.form.get("repeat", "")[:200])
    if problems:
        for problem in problems:
            flash(problem, "error")
        return render_template("auth/password.html"), 400
    user.password_hash = generate_password_hash(request.form["new"][:200])
    audit.record(db.session, "user.password", centre=user.centre, user=user, entity="user", entity_id=user.id,
                 via="web")
    db.session.commit()
    session["stamp"] = _password_stamp(user)
    flash(_("Your password has been changed. Other sessions have been logged out."), "success")
    return redirect(home_path(user))


@bp.post("/account/centre")
@roles_required(ADMIN)
def choose_centre() -> Response:
    """An admin picks the centre the desk pages work on (kept in the session)."""
    try:
        centre = db.session.get(Centre, int(request.form.get("centre_id", "")))
    except ValueError:
        centre = None
    if centre is None:
        abort(400)
    session["centre_id"] = centre.id
    return redirect(safe_next(request.form.get("next") or request.referrer))
