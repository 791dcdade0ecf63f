"""HTML and service blueprints. `register` is what the application factory calls.

Each web UI area is one module with a blueprint `bp`; add it to BLUEPRINTS (one line each). `foundation.init_app` runs
first: Babel (Vietnamese first), CSRF, Jinja filters/globals and the HTML error pages every page relies on.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

BLUEPRINTS: tuple[str, ...] = (
    "duty_roster.web.health",
    "duty_roster.web.foundation",
    "duty_roster.web.auth",
    "duty_roster.web.i18n",
    "duty_roster.web.home",
    "duty_roster.web.board",
    "duty_roster.notify.webhooks",  # Twilio status callbacks and inbound SMS (signature-checked, CSRF-exempt)
    # UI areas: one line each below (module path; the module defines `bp`).
    "duty_roster.web.grid",  # /desk/rosters: month grid, reassign, people, fairness
    "duty_roster.web.desk",  # /desk: dashboard, generate + job progress, publish preview, print views
    "duty_roster.web.data",  # /data: people, locations, patterns, absences, holidays, Excel import/export
    "duty_roster.web.me",  # /me: an officer's shifts, confirm/decline, absences, swaps, calendar link, settings
    "duty_roster.web.audit_log",  # /audit: the centre's audit log (director, admin)
)


def register(app: Flask) -> None:
    from duty_roster.web import foundation

    foundation.init_app(app)
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(name).bp)
