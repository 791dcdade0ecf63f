"""Who is calling: a Bearer API token (programs) or a Flask session cookie (the browser UI), and the session
login/logout endpoints.

Tokens come from `duty-roster user token`; a bad, expired or revoked token is a 401 even when a session cookie is
present (a program should learn its token is wrong). Cookie-authenticated requests that change something must echo
the session's CSRF token in `X-CSRF-Token`: a cookie alone never authorises a write, whatever another site submits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

import sqlalchemy as sa
from flask import Flask, request, session
from pydantic import BaseModel, ConfigDict, Field
from werkzeug.security import check_password_hash, generate_password_hash

from duty_roster.accounts import check_password, login_locked_until, user_for_token
from duty_roster.api.blueprint import bp
from duty_roster.api.policy import SECURITY_SCHEMES, current_user, require
from duty_roster.api.problems import PROBLEM_SCHEMA, ApiError, forbidden, unauthorized
from duty_roster.audit import record
from duty_roster.extensions import db
from duty_roster.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
# Compared against when the username is unknown, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


def configure(app: Flask) -> None:
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:  # Flask's default is None: cookies on cross-site POSTs
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SECURITY_SCHEMES"] = SECURITY_SCHEMES
    app.config["HTTP_ERROR_SCHEMA"] = PROBLEM_SCHEMA
    app.config["VALIDATION_ERROR_SCHEMA"] = PROBLEM_SCHEMA


def _password_stamp(user: User) -> str:
    """Changes when the password does, which ends the user's browser sessions."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def authenticate() -> User | None:
    """The calling user, None without credentials; raises 401 for bad credentials, 403 for a missing CSRF token."""
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("Tiêu đề Authorization sai / malformed Authorization header: use 'Bearer <token>'")
        user = user_for_token(db.session, token.strip())
        if user is None:
            raise unauthorized("Mã truy cập sai, hết hạn hoặc đã thu hồi / invalid, expired or revoked token")
        db.session.commit()  # last_used_at; the request's own work is a transaction of its own
        return user
    user_id = session.get("user_id")
    if user_id is None:
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or session.get("stamp") != _password_stamp(user):
        session.clear()
        return None
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), str(session.get("csrf", "")).encode()):
            raise forbidden(f"Thiếu mã CSRF / missing or wrong {CSRF_HEADER} header (returned by POST /api/v1/session)")
    return user


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role.value,
        "centre": {"id": user.centre.id, "code": user.centre.code, "name": user.centre.name} if user.centre else None,
        "person": {"id": user.person.id, "code": user.person.code, "full_name": user.person.full_name}
        if user.person else None,
        "locations": sorted(loc.code for loc in user.locations),
        "locale": user.locale,
    }


@bp.post("/session")
@bp.input(LoginIn, location="json")
@bp.doc(summary="Log in (browser session)", responses=[401, 429])
def login(json_data: LoginIn) -> tuple[dict[str, Any], int]:
    """Start a browser session. Returns the user and the CSRF token to send as X-CSRF-Token on writes."""
    user = db.session.scalar(sa.select(User).where(User.username == json_data.username))
    if user is None:
        check_password_hash(_DUMMY_HASH, json_data.password)
        raise ApiError(401, "Sai tên đăng nhập hoặc mật khẩu / wrong username or password")
    locked_until = login_locked_until(db.session, user)
    if locked_until is not None:
        raise ApiError(429, "Nhập sai mật khẩu quá nhiều lần, hãy thử lại sau / too many wrong passwords for this "
                            f"account: try again after {locked_until.isoformat(timespec='seconds')}")
    if not check_password(user, json_data.password):
        record(db.session, "user.login_failed", centre=user.centre, user=user, entity="user", entity_id=user.id,
               via="api")
        db.session.commit()
        raise ApiError(401, "Sai tên đăng nhập hoặc mật khẩu / wrong username or password")
    record(db.session, "user.login", centre=user.centre, user=user, entity="user", entity_id=user.id, via="api")
    db.session.commit()
    session.clear()  # no session fixation: a fresh session for a fresh login
    session["user_id"] = user.id
    session["stamp"] = _password_stamp(user)
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = False
    return {"user": user_json(user), "csrf_token": session["csrf"]}, 201


@bp.delete("/session")
@bp.doc(summary="Log out", responses=[204])
def logout() -> tuple[str, int]:
    """End the browser session (idempotent: logging out twice is fine)."""
    if session.get("user_id") is not None and not hmac.compare_digest(
        request.headers.get(CSRF_HEADER, "").encode(), str(session.get("csrf", "")).encode()
    ):
        raise forbidden(f"Thiếu mã CSRF / missing or wrong {CSRF_HEADER} header")
    session.clear()
    return "", 204


@bp.get("/me")
@require("me.read")
@bp.doc(summary="The calling user")
def me() -> dict[str, Any]:
    return user_json(current_user())
