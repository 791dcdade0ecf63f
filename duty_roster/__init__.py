"""duty-roster: duty rosters (lịch trực) for Vietnam's state legal-aid centres.

`create_app()` is the application factory used by the CLI (`duty-roster`, `flask --app duty_roster`), gunicorn
(`gunicorn 'duty_roster:create_app()'`) and the tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings (defaults, file, environment, then `overrides`), extensions, blueprints, commands.

    Keys of `overrides` that are settings are validated like any other layer; other keys (TESTING, ...) go to
    Flask's config unchanged. Raises `ConfigError` on a bad setting.
    """
    from apiflask import APIFlask

    from duty_roster import api, commands, database, errors, web
    from duty_roster.calendar import web as calendar_web
    from duty_roster.config import finalize, load_settings, unknown_environment
    from duty_roster.extensions import db, migrate
    from duty_roster.logs import configure_logging

    overrides = dict(overrides or {})
    settings = load_settings(overrides=overrides)
    # APIFlask is a Flask subclass that builds the OpenAPI document of the JSON API (see duty_roster/api).
    app = APIFlask(
        __name__, instance_path=settings.INSTANCE_PATH, title=api.API_TITLE, version=api.API_VERSION,
        spec_path=api.SPEC_PATH, docs_path=api.DOCS_PATH, docs_oauth2_redirect_path=None, json_errors=False,
    )
    settings, notes = finalize(settings, Path(app.instance_path))
    app.config.update(settings.flask_config())
    app.config.update({k: v for k, v in overrides.items() if k not in settings.names()})

    configure_logging(app, settings.LOG_LEVEL)
    for level, line in notes:
        app.logger.log(level, line)
    for name in unknown_environment():
        app.logger.warning("ignoring %s: no such setting", name)

    database.configure(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    errors.register(app)
    web.register(app)
    api.register(app)
    calendar_web.register(app)
    commands.register(app)
    return app
