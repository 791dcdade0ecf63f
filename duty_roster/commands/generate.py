"""`duty-roster generate`: solve a period for a centre and store the result as a draft roster."""

from __future__ import annotations

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
    from duty_roster.commands.render import store_and_report
    from duty_roster.extensions import db
    from duty_roster.rostering.drafts import generate_draft
    from duty_roster.rostering.queries import centre_by_code

    settings = current_app.config["SETTINGS"]
    store_and_report(
        lambda: generate_draft(
            db.session, centre_by_code(db.session, centre_code), start, end,
            time_limit=time_limit or settings.SOLVER_TIME_LIMIT,
            workers=settings.SOLVER_WORKERS,
            max_days=settings.MAX_PERIOD_DAYS,
            seed=seed,
            on_progress=None if as_json else progress_printer(),
        ),
        as_json=as_json,
    )
