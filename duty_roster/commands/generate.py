"""`duty-roster generate`: solve a period for a centre and store the result as a draft roster."""

from __future__ import annotations

import json
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from duty_roster.commands.options import ISO_DATE, progress_printer


@click.command("generate")
@click.option("--centre", "centre_code", required=True, help="Centre code, e.g. CT.")
@click.option("--start", required=True, type=ISO_DATE, help="First day, YYYY-MM-DD.")
@click.option("--end", required=True, type=ISO_DATE, help="Last day (inclusive), YYYY-MM-DD.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), help="Seconds the solver may search.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same roster).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@with_appcontext
def command(centre_code: str, start: date, end: date, time_limit: float | None, seed: int, as_json: bool) -> None:
    """Generate a draft roster (lịch trực nháp) for a period."""
    from duty_roster.commands.render import print_summary, roster_summary
    from duty_roster.extensions import db
    from duty_roster.rostering.drafts import generate_draft
    from duty_roster.rostering.errors import RosteringError
    from duty_roster.rostering.queries import centre_by_code

    settings = current_app.config["SETTINGS"]
    try:
        centre = centre_by_code(db.session, centre_code)
        roster = generate_draft(
            db.session, centre, start, end,
            time_limit=time_limit or settings.SOLVER_TIME_LIMIT,
            workers=settings.SOLVER_WORKERS,
            max_days=settings.MAX_PERIOD_DAYS,
            seed=seed,
            on_progress=None if as_json else progress_printer(),
        )
        db.session.commit()
    except RosteringError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    summary = roster_summary(roster)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        print_summary(summary, click.echo)
