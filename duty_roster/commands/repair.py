"""`duty-roster repair`: a draft that fixes a published roster after new unavailability, with the fewest changes."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("repair")
@click.option("--roster", "roster_id", required=True, type=int, help="Id of the published roster to repair.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), help="Seconds the solver may search.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@with_appcontext
def command(roster_id: int, time_limit: float | None, as_json: bool) -> None:
    """Repair a published roster (sửa lịch trực) after someone becomes unavailable."""
    from duty_roster.commands.render import store_and_report
    from duty_roster.extensions import db
    from duty_roster.rostering.queries import roster_by_id
    from duty_roster.rostering.repair import repair_draft

    settings = current_app.config["SETTINGS"]
    store_and_report(
        lambda: repair_draft(
            db.session,
            roster_by_id(db.session, roster_id),
            time_limit=time_limit or settings.SOLVER_TIME_LIMIT,
            workers=settings.SOLVER_WORKERS,
        ),
        as_json=as_json,
    )
