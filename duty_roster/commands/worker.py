"""`duty-roster worker`: the process that runs roster generation jobs queued through the API (JOB_RUNNER=worker).

Run one (or more: a job is claimed atomically) next to the web processes, e.g. as a systemd service. `--once` runs
what is queued and exits (cron, tests).
"""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the queued jobs, then exit.")
@click.option("--poll", type=click.FloatRange(min=0.2), default=2.0, show_default=True,
              help="Seconds between looks at an empty queue.")
@with_appcontext
def command(once: bool, poll: float) -> None:
    """Run queued roster generation jobs (lịch trực nháp) until stopped."""
    from duty_roster.extensions import db
    from duty_roster.solve_jobs import fail_stale, run_pending, runner_name

    name = runner_name()
    click.echo(f"Job worker {name} started.", err=True)
    try:
        while True:
            stale = fail_stale(db.session)
            if stale:
                click.echo(f"Marked {stale} abandoned job(s) as failed.", err=True)
            ran = run_pending(db.session, db.engine, runner=name)
            if ran:
                click.echo(f"Ran {ran} job(s).", err=True)
            if once:
                return
            db.session.remove()
            time.sleep(poll)
    except KeyboardInterrupt:
        click.echo("Job worker stopped.", err=True)
