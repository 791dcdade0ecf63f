"""The scheduler's jobs: module-level functions without arguments, referenced as text ("duty_roster.scheduler.jobs:
dispatch") so APScheduler's SQLAlchemy job store can pickle them.

Each job runs in an app context of its own (one app per process, reused), commits its work, and never raises: a
failure is logged and the next tick tries again, so one bad message or a database hiccup never stops the scheduler.
The notify and rostering modules are imported inside the jobs: the web process imports none of this.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from flask import Flask

log = logging.getLogger(__name__)
T = TypeVar("T")

UNCAPPED_BATCH = 20  # messages per dispatch batch when SMS_RATE_PER_SECOND is 0 (no cap)

_app: Flask | None = None
_app_guard = threading.Lock()
_leader_check: Callable[[], bool] | None = None
_stopping = threading.Event()


def use_app(app: Flask | None) -> None:
    """Run the jobs in this app (the scheduler command's own) instead of creating one; None forgets it."""
    global _app
    with _app_guard:
        _app = app


def set_leader_check(check: Callable[[], bool] | None) -> None:
    """A job first asks `check()` whether this process still holds the scheduler lock, and skips its run if not."""
    global _leader_check
    _leader_check = check


def request_stop(stop: bool = True) -> None:
    """Ask long-running jobs to return at their next checkpoint (shutdown); `False` clears it (start)."""
    if stop:
        _stopping.set()
    else:
        _stopping.clear()


def keep_going(name: str) -> bool:
    """Whether a job should go on: no shutdown requested and (if checked) this process still holds the lock."""
    if _stopping.is_set():
        log.info("scheduler job %s: stopping early (shutdown)", name)
        return False
    check = _leader_check
    if check is not None and not check():
        log.error("scheduler job %s stopped: this process no longer holds the scheduler lock", name)
        return False
    return True


def application() -> Flask:
    """The app the jobs run in: the one given to `use_app`, else `create_app()` once per process."""
    global _app
    with _app_guard:
        if _app is None:
            from duty_roster import create_app

            _app = create_app()
        return _app


def run_job(name: str, work: Callable[[Any, datetime], T]) -> T | None:
    """Run `work(settings, now)` inside an app context and commit; log and swallow any error (None then)."""
    check = _leader_check
    if check is not None and not check():
        log.error("scheduler job %s skipped: this process no longer holds the scheduler lock", name)
        return None
    try:
        app = application()
        with app.app_context():
            from duty_roster.extensions import db
            from duty_roster.models import utcnow

            try:
                result = work(app.config["SETTINGS"], utcnow())
                db.session.commit()
                return result
            except Exception:
                db.session.rollback()
                raise
    except Exception:
        log.exception("scheduler job %s failed; it runs again on its next tick", name)
        return None


def _dispatch(settings: Any, now: datetime) -> Any:
    """Send in batches of about one second's worth, asking between batches whether to go on: a backlog (a whole
    centre's publication at SMS_RATE_PER_SECOND) then neither delays a shutdown nor outlives a lost lock by more than
    a batch."""
    import dataclasses
    import math

    from duty_roster.extensions import db
    from duty_roster.models import utcnow
    from duty_roster.notify.dispatch import channel_from_settings, dispatch_pending

    channel = channel_from_settings(settings)
    rate = settings.SMS_RATE_PER_SECOND
    batch = max(1, math.ceil(rate)) if rate > 0 else UNCAPPED_BATCH
    total = None
    while True:
        report = dispatch_pending(
            db.session,
            channel,
            now=now,
            rate_per_second=rate,
            max_attempts=settings.SMS_MAX_ATTEMPTS,
            retry_base_seconds=settings.SMS_RETRY_BASE_SECONDS,
            limit=batch,
        )
        if total is None:
            total = report
        else:
            for f in dataclasses.fields(total):
                setattr(total, f.name, getattr(total, f.name) + getattr(report, f.name))
        if report.handled < batch or not keep_going("dispatch"):
            return total
        now = utcnow()


def _reminders(settings: Any, now: datetime) -> int:
    from duty_roster.extensions import db
    from duty_roster.notify.reminders import enqueue_due_reminders

    return enqueue_due_reminders(db.session, now=now)


def _unconfirmed(settings: Any, now: datetime) -> int:
    from duty_roster.extensions import db
    from duty_roster.notify.unconfirmed import alert_unconfirmed

    return alert_unconfirmed(db.session, now=now, hours=settings.SMS_UNCONFIRMED_ALERT_HOURS)


def _expire_swaps(settings: Any, now: datetime) -> int:
    import sqlalchemy as sa

    from duty_roster.extensions import db
    from duty_roster.models import Centre
    from duty_roster.rostering.swaps import expire_started

    return sum(expire_started(db.session, centre_id, now) for centre_id in db.session.scalars(sa.select(Centre.id)))


def dispatch() -> Any:
    """Send what the outbox holds (due, not in quiet hours), retrying failures with backoff."""
    return run_job("dispatch", _dispatch)


def reminders() -> int | None:
    """Queue the reminders that are due before upcoming shifts."""
    return run_job("reminders", _reminders)


def unconfirmed() -> int | None:
    """Alert coordinators about assignments still unconfirmed close to their shift."""
    return run_job("unconfirmed", _unconfirmed)


def expire_swaps() -> int | None:
    """Expire open swap requests whose shift has started, in every centre."""
    return run_job("expire-swaps", _expire_swaps)
