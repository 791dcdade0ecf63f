"""HTML and service blueprints. `register` is what the application factory calls."""

from __future__ import annotations

from importlib import import_module

from flask import Flask

BLUEPRINTS: tuple[str, ...] = (
    "duty_roster.web.health",
    "duty_roster.notify.webhooks",  # Twilio status callbacks and inbound SMS (signature-checked, CSRF-exempt)
)


def register(app: Flask) -> None:
    for name in BLUEPRINTS:
        app.register_blueprint(import_module(name).bp)
