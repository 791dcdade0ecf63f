"""What every web page relies on, wired once by `duty_roster.web.register`: Babel (Vietnamese default), CSRF on
HTML forms (the JSON API and the calendar feeds are exempt: they authenticate otherwise), Jinja filters and globals,
and friendly HTML error pages outside /api (the API keeps its problem+json answers from duty_roster/errors.py)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, render_template, request, session
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from duty_roster import errors
from duty_roster.extensions import babel, csrf, db
from duty_roster.web import formatting
from duty_roster.web.i18n import LOCALES, locale_code, select_locale

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
log = logging.getLogger(__name__)
# Serves duty_roster/web/static at /assets (the app object owns /static; use url_for("ui.static", filename=...))
# and puts duty_roster/web/templates on every blueprint's template path.
bp = Blueprint("ui", __name__, static_folder="static", static_url_path="/assets", template_folder="templates")


def init_app(app: Flask) -> None:
    from duty_roster.api.blueprint import bp as api_bp
    from duty_roster.calendar.web import bp as feeds_bp

    app.before_request(_forget_request_caches)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "vi")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
    # The form token lives as long as the session does (the session itself expires: PERMANENT_SESSION_LIFETIME).
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
    csrf.exempt(api_bp)
    csrf.exempt(feeds_bp)
    formatting.init_app(app)
    app.context_processor(_page_context)
    # Replaces duty_roster.errors' HTTPException handler, which stays in charge of /api paths (delegated to).
    app.register_error_handler(HTTPException, _http_error_page)
    app.register_error_handler(CSRFError, _csrf_error_page)
    app.register_error_handler(InternalServerError, _server_error_page)


def _forget_request_caches() -> None:
    """The user, locale and form token are cached in `g`, which lives as long as the app context. A context spans one
    request in production, but tests reuse one context for many requests: start each request clean."""
    for name in ("_web_user", "_flask_babel", app_csrf_field()):
        g.pop(name, None)


def app_csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _page_context() -> dict[str, Any]:
    from duty_roster.web.auth import admin_centres, current_centre, current_user
    from duty_roster.web.navigation import nav_for

    def nav_items() -> list[dict[str, object]]:
        return nav_for(current_user())

    return {
        "current_user": current_user,
        "current_centre": current_centre,
        "admin_centres": admin_centres,
        "nav_items": nav_items,
        "locale_code": locale_code,
        "locales": LOCALES,
        "api_csrf": lambda: session.get("csrf", ""),
        "here_path": lambda: request.full_path.rstrip("?"),
    }


def error_page(code: int, title: str, message: str, *, bare: bool = False) -> tuple[str, int]:
    return render_template("errors/error.html", code=code, title=title, message=message, bare=bare), code


def _http_error_page(exc: HTTPException) -> Response | HTTPException:
    if errors.wants_json():
        return errors._http_error(exc)
    code = exc.code or 500
    titles = {
        400: (_("Bad request"), _("The request could not be understood. Please check what you entered.")),
        403: (_("Not allowed"), _("Your account may not open this page.")),
        404: (_("Page not found"), _("This page does not exist or is not yours to see.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        401: (_("Please log in"), _("This page needs a login.")),
        413: (_("File too large"), _("The file is too large to upload.")),
    }
    title, message = titles.get(code, (exc.name, exc.description or exc.name))
    body, status = error_page(code, title, message)
    allowed = getattr(exc, "valid_methods", None)  # 405 answers say which methods would do
    return Response(body, status, headers={"Allow": ", ".join(sorted(allowed))} if allowed else None,
                    mimetype="text/html")


def _csrf_error_page(exc: CSRFError) -> Response | HTTPException | tuple[str, int]:
    if errors.wants_json():
        return errors._http_error(exc)
    log.info("CSRF check failed on %s %s: %s", request.method, request.path, exc.description)
    return error_page(400, _("Session expired"), _("Your session has expired, please try again."))


def _server_error_page(exc: InternalServerError) -> Response | tuple[str, int]:
    if errors.wants_json():
        return errors._server_error(exc)
    db.session.rollback()  # the page below must not trip over the failed transaction
    try:
        return error_page(500, _("Server error"), _("Something went wrong on our side; it has been logged."),
                          bare=True)
    except Exception:  # the error page itself failed (templates or catalogue broken): plain text, never a traceback
        log.exception("the 500 page failed")
        return "Lỗi máy chủ; đã ghi nhật ký. / Server error; it has been logged.", 500
