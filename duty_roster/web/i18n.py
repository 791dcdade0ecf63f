"""Which language a page is in (Vietnamese first) and the /lang/<code> switch shown on every page.

Order: ?lang=… (this request only) → the session's choice → the logged-in user's saved locale → Vietnamese.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, Response, abort, has_request_context, redirect, request, session
from flask_babel import get_locale

from duty_roster.extensions import db

bp = Blueprint("i18n", __name__)
LOCALES: tuple[str, ...] = ("vi", "en")
DEFAULT_LOCALE = "vi"


def select_locale() -> str:
    """Flask-Babel's locale selector (called at most once per request, then cached)."""
    from duty_roster.web.auth import current_user

    if not has_request_context():  # CLI, jobs: templates rendered outside a request speak Vietnamese
        return DEFAULT_LOCALE
    asked = request.args.get("lang")
    if asked in LOCALES:
        return asked
    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    user = current_user()
    if user is not None and user.locale in LOCALES:
        return user.locale
    return DEFAULT_LOCALE


def locale_code() -> str:
    """"vi" or "en" for the current request (for `<html lang>` and code that must branch on language)."""
    return str(get_locale() or DEFAULT_LOCALE)


def safe_next(target: str | None, fallback: str = "/") -> str:
    """A same-host path to go back to; anything absolute, protocol-relative or odd falls back (no open redirect)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        if parts.netloc != request.host or parts.scheme not in ("http", "https"):
            return fallback
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        parts = urlsplit(target)
    if not parts.path.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


@bp.get("/lang/<code>")
def switch(code: str) -> Response:
    """Remember the language in the session and, when logged in, on the account; then go back where we were."""
    from duty_roster.web.auth import current_user

    if code not in LOCALES:
        abort(404)
    session["lang"] = code
    user = current_user()
    if user is not None and user.locale != code:
        user.locale = code
        db.session.commit()
    back = urlsplit(safe_next(request.args.get("next") or request.referrer))
    query = urlencode([(k, v) for k, v in parse_qsl(back.query, keep_blank_values=True) if k != "lang"])
    return redirect(back.path + (f"?{query}" if query else ""))
