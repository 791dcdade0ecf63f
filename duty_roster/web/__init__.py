"""HTML and service blueprints. `register` is what the application factory calls."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from duty_roster.web import health

    app.register_blueprint(health.bp)
