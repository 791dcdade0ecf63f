"""The `duty-roster` command: Flask's CLI group bound to `create_app`, so `flask --app duty_roster ...` is the same.

Commands live in `duty_roster/commands/` (see its docstring for adding one).
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup, ScriptInfo

from duty_roster import create_app
from duty_roster.config import ConfigError


class DutyRosterGroup(FlaskGroup):
    """A FlaskGroup whose --help shows a configuration error as one line, not a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            ctx.ensure_object(ScriptInfo).load_app()  # cached on success, so Flask does not load it twice
        except ConfigError as exc:
            exc.show()
            self._load_plugin_commands()
            return sorted(click.Group.list_commands(self, ctx))  # the built-in commands still get listed
        return super().list_commands(ctx)


cli = DutyRosterGroup(create_app=create_app, help="Duty rosters (lịch trực) for Vietnam's state legal-aid centres.")


def main() -> None:
    cli.main(prog_name="duty-roster")


if __name__ == "__main__":
    main()
