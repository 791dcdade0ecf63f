"""The scheduler process: wait for the LeaderLock, then run the jobs on APScheduler until stopped.

Only the lock holder ever builds a scheduler, so the shared SQLAlchemy job store is never used by two running
schedulers (APScheduler 3 does not support that: notes/stack.md §3). Jobs get stable ids and are re-added with
`replace_existing=True` on every start; jobs in the store that this process does not define (an old job id, a
test's extra job) are removed, so the store always holds exactly the jobs of the running leader.

The scheduler runs in a background thread while the main thread supervises: it checks the lock every
SCHEDULER_LOCK_RETRY_SECONDS (and every job checks it before running) and handles SIGTERM/SIGINT. Losing the lock
(PostgreSQL session gone) stops scheduling at once and exits with EXIT_LOST_LOCK, for the service manager to restart
the process, which then waits for the lock again like any standby.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from flask import Flask

from duty_roster.scheduler import jobs
from duty_roster.scheduler.leader import LeaderLock

log = logging.getLogger(__name__)

JOBS_MODULE = "duty_roster.scheduler.jobs"
MISFIRE_GRACE_SECONDS = 60  # a run delayed longer than this is skipped (coalesce: the next tick does the work)
EXIT_LOST_LOCK = 75  # EX_TEMPFAIL: the service manager restarts us and we queue up for the lock again
WAITING = "Đang chờ khoá bộ lập lịch / waiting for the scheduler lock (another scheduler is active)"
TOOK_OVER = "Đã nhận khoá bộ lập lịch / took over the scheduler lock"


class SchedulerError(Exception):
    """The scheduler cannot start (schema not migrated, database unreachable); the message says what to do."""


@dataclass(frozen=True)
class JobSpec:
    """One interval job: `func` is a "module:function" text reference, `args` must be picklable."""

    id: str
    func: str
    seconds: int
    args: tuple[Any, ...] = field(default=())


def standard_jobs(settings: Any) -> list[JobSpec]:
    return [
        JobSpec("dispatch", f"{JOBS_MODULE}:dispatch", settings.SCHEDULER_TICK_SECONDS),
        JobSpec("reminders", f"{JOBS_MODULE}:reminders", 60),
        JobSpec("unconfirmed", f"{JOBS_MODULE}:unconfirmed", 300),
        JobSpec("expire-swaps", f"{JOBS_MODULE}:expire_swaps", 300),
    ]


def check_schema(app: Flask) -> None:
    """Refuse to schedule against a database that is not at the newest migration (the job table, the outbox)."""
    import sqlalchemy as sa
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from duty_roster import MIGRATIONS_DIR
    from duty_roster.commands.init import current_revision
    from duty_roster.database import describe_url

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    where = describe_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        try:
            current = current_revision()
        except sa.exc.SQLAlchemyError as exc:
            raise SchedulerError(
                f"Không kết nối được cơ sở dữ liệu / cannot reach the database {where}: {str(exc).splitlines()[0]}"
            ) from None
    if current != head:
        raise SchedulerError(
            f"Cơ sở dữ liệu chưa được nâng cấp / the database {where} is not migrated (revision {current or 'none'}, "
            f"this version needs {head}): run `duty-roster init` first"
        )


def leader_lock(app: Flask) -> LeaderLock:
    return LeaderLock(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)


def build_scheduler(app: Flask) -> BackgroundScheduler:
    """A scheduler on the app's engine; only ever call this while holding the LeaderLock."""
    from duty_roster.extensions import db

    with app.app_context():
        engine = db.engine
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine)},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        timezone=app.config["SETTINGS"].TIMEZONE,
    )


def install_jobs(scheduler: BaseScheduler, specs: Sequence[JobSpec]) -> None:
    """Make the job store hold exactly `specs` (stable ids, replaced on every start)."""
    wanted = {spec.id for spec in specs}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            log.info("scheduler: removing job %s, which this version does not define", job.id)
            scheduler.remove_job(job.id)
    for spec in specs:
        scheduler.add_job(spec.func, "interval", seconds=spec.seconds, args=list(spec.args), id=spec.id,
                          name=spec.id, replace_existing=True)


def start_jobs(app: Flask, lock: LeaderLock, specs: Sequence[JobSpec]) -> BackgroundScheduler:
    """Build the scheduler, replace its jobs while paused, then let it run."""
    jobs.use_app(app)
    jobs.set_leader_check(lock.healthy)
    jobs.request_stop(False)
    scheduler = build_scheduler(app)
    scheduler.start(paused=True)
    try:
        install_jobs(scheduler, specs)
    except Exception:
        scheduler.shutdown(wait=False)
        raise
    scheduler.resume()
    plan = ", ".join(f"{spec.id} /{spec.seconds}s" for spec in specs)
    log.info("%s (pid %d, %s); jobs: %s", TOOK_OVER, os.getpid(), lock.describe(), plan)
    return scheduler


def stop_jobs(scheduler: BaseScheduler, *, wait: bool) -> None:
    jobs.request_stop()  # a running dispatch returns after its current batch
    try:
        scheduler.shutdown(wait=wait)
    except Exception:  # already stopped
        log.debug("scheduler already stopped", exc_info=True)
    jobs.set_leader_check(None)
    jobs.use_app(None)


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set `stop`; the previous handlers come back afterwards. Outside the main thread (where
    Python allows no handlers) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: Any) -> None:
        log.info("scheduler: %s received, stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def serve(app: Flask, *, extra_jobs: Sequence[JobSpec] = (), stop: threading.Event | None = None) -> int:
    """The `duty-roster scheduler` process: wait for the lock, run the jobs, return an exit code.

    `extra_jobs` are added to the standard ones (tests use it for a job they can observe). Raises SchedulerError
    before waiting when the schema is not migrated.
    """
    settings = app.config["SETTINGS"]
    retry = settings.SCHEDULER_LOCK_RETRY_SECONDS
    check_schema(app)
    stop = stop or threading.Event()
    lock = leader_lock(app)
    with stop_on_signals(stop):
        try:
            if not lock.acquire(wait=True, retry_seconds=retry, stop=stop, on_wait=lambda: log.info(WAITING)):
                log.info("scheduler: stopped while waiting for the lock")
                return 0
            check_schema(app)  # a standby may have waited through a deploy
            scheduler = start_jobs(app, lock, [*standard_jobs(settings), *extra_jobs])
            lost = False
            try:
                while not stop.wait(retry):
                    if not lock.healthy():
                        lost = True
                        log.error("scheduler: lost the scheduler lock; stopped scheduling, exiting for a restart")
                        return EXIT_LOST_LOCK
            finally:
                stop_jobs(scheduler, wait=not lost)
            log.info("scheduler: stopped; releasing the scheduler lock")
            return 0
        finally:
            lock.release()


def run_once(app: Flask) -> dict[str, Any] | None:
    """Run every standard job once, now, if no other scheduler holds the lock (None if one does)."""
    check_schema(app)
    lock = leader_lock(app)
    if not lock.acquire(wait=False, retry_seconds=0):
        return None
    jobs.use_app(app)
    jobs.set_leader_check(lock.healthy)
    jobs.request_stop(False)
    try:
        return {
            "dispatch": jobs.dispatch(),
            "reminders": jobs.reminders(),
            "unconfirmed": jobs.unconfirmed(),
            "expire-swaps": jobs.expire_swaps(),
        }
    finally:
        jobs.set_leader_check(None)
        jobs.use_app(None)
        lock.release()


class EmbeddedScheduler:
    """The scheduler as a background thread of a one-process install (the demo): same lock, same jobs.

    `start` never waits for the lock: when another scheduler holds it, that one runs the jobs and this process
    serves only. A supervisor thread stops the jobs if the lock is lost (the web process itself keeps serving).
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.lock = leader_lock(app)
        self.scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()

    def start(self) -> bool:
        check_schema(self.app)
        if not self.lock.acquire(wait=False, retry_seconds=0):
            log.info("scheduler: another scheduler holds the lock; this process serves only (no scheduled jobs)")
            return False
        self.scheduler = start_jobs(self.app, self.lock, standard_jobs(self.app.config["SETTINGS"]))
        threading.Thread(target=self._supervise, name="scheduler-lock", daemon=True).start()
        return True

    def _supervise(self) -> None:
        retry = self.app.config["SETTINGS"].SCHEDULER_LOCK_RETRY_SECONDS
        while not self._stop.wait(retry):
            if not self.lock.healthy():
                log.error("scheduler: lost the scheduler lock; scheduled jobs stopped in this process")
                if self.scheduler is not None:
                    stop_jobs(self.scheduler, wait=False)
                return

    def stop(self) -> None:
        self._stop.set()
        if self.scheduler is not None:
            stop_jobs(self.scheduler, wait=True)
        self.lock.release()
