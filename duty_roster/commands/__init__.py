"""CLI commands, one module each. To add one: write `duty_roster/commands/<name>.py` defining a click command named
`command`, then add "<name>" to COMMANDS. They are registered on `app.cli`, so they work under both `duty-roster`
and `flask --app duty_roster`.

Command modules are imported whenever the app is created (web workers too): import heavy things (the solver, the
centre-file loader) inside the command function, not at module top.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

COMMANDS: tuple[str, ...] = ("init", "load", "generate", "repair", "demo", "user", "worker", "feed", "scheduler")


def register(app: Flask) -> None:
    for name in COMMANDS:
        app.cli.add_command(import_module(f"{__name__}.{name}").command)
