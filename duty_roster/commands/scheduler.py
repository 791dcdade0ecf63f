"""`duty-roster scheduler`: the one process that sends SMS, queues reminders and alerts, and expires swaps.

Run it next to the web processes (docs/scheduler.md). Several may run, on one or more machines: one holds the lock
and runs the jobs, the others wait and take over within SCHEDULER_LOCK_RETRY_SECONDS when it dies. `--once` runs
every job once now and exits (trials, cron without a daemon, tests).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext


def describe(result: Any) -> str:
    """A job's result on one line: a count, a report's fields, or "error" (None: the job failed and logged why)."""
    if result is None:
        return "lỗi / error (see the log)"
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        fields = dataclasses.asdict(result)
        return " ".join(f"{k}={v}" for k, v in fields.items() if isinstance(v, int | float | str))
    return str(result)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run each job once now, then exit.")
@with_appcontext
def command(once: bool) -> None:
    """Run scheduled jobs: SMS sending, reminders, unconfirmed alerts (bộ lập lịch gửi tin nhắn)."""
    from duty_roster.scheduler.process import SchedulerError, run_once, serve

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        if not once:
            click.echo("Bộ lập lịch khởi động / scheduler starting (Ctrl+C to stop)", err=True)
            raise SystemExit(serve(app))
        results = run_once(app)
    except SchedulerError as exc:
        raise click.ClickException(str(exc)) from None
    if results is None:
        raise click.ClickException(
            "Một bộ lập lịch khác đang chạy, không chạy gì / another scheduler holds the lock and runs the jobs; "
            "nothing was run"
        )
    click.echo("Đã chạy / ran: " + "; ".join(f"{name}: {describe(result)}" for name, result in results.items()))
    if any(result is None for result in results.values()):
        raise SystemExit(1)
