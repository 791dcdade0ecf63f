"""Roster generation as a background job (issue 4): the request queues a `SolveJob` row and returns at once; a job
runner claims it, solves, writes progress on the row while CP-SAT searches, and links the draft at the end.

Runners (setting JOB_RUNNER):
- "worker": the `duty-roster worker` process polls the queue. Any number of workers may run: a job is claimed with
  one conditional UPDATE (queued -> running), so two workers never run the same job. This is the production set-up
  (DESIGN §2: web processes are stateless and never run long work).
- "embedded": one daemon thread per process (`EmbeddedRunner`), woken when a job is queued: the one-process install
  (`duty-roster demo`, SQLite) needs no second process.

Progress is written from CP-SAT's callback thread on its own short connection (throttled), so it is visible to
pollers while the job's own transaction is open; the shifts of the period are committed before the search for the
same reason (SQLite has one writer at a time). Shifts are idempotent rows (one per pattern and day), so committing
them early writes nothing a failed job would need to undo.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from duty_roster.audit import record
from duty_roster.models import Centre, JobStatus, SolveJob, User, utcnow
from duty_roster.rostering.drafts import check_period
from duty_roster.rostering.errors import RosteringError
from duty_roster.solver.solution import Progress

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between progress writes
STALE_GRACE = timedelta(minutes=5)  # a running job silent this long past its time limit has lost its runner


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:100]


def enqueue(
    session: Session, centre: Centre, start: date, end: date, *, time_limit: float, workers: int, max_days: int,
    seed: int = 0, user: User | None = None,
) -> SolveJob:
    """Queue the generation of a draft for `centre` from `start` to `end`; the period is checked now, so a bad
    request fails at once rather than in the job."""
    check_period(start, end, max_days)
    job = SolveJob(
        centre_id=centre.id, kind="generate", status=JobStatus.QUEUED, created_by_id=user.id if user else None,
        params={"start": start.isoformat(), "end": end.isoformat(), "time_limit": time_limit, "workers": workers,
                "seed": seed},
    )
    session.add(job)
    session.flush()
    record(session, "roster.generate.queued", centre=centre, user=user, entity="solve_job", entity_id=job.id,
           period=f"{start}..{end}")
    return job


def claim_next(session: Session, runner: str) -> SolveJob | None:
    """Take the oldest queued job, or None. The conditional UPDATE makes the claim atomic across processes."""
    while True:
        job_id = session.scalar(
            sa.select(SolveJob.id).where(SolveJob.status == JobStatus.QUEUED).order_by(SolveJob.id).limit(1)
        )
        if job_id is None:
            session.rollback()
            return None
        now = utcnow()
        claimed = session.execute(
            sa.update(SolveJob)
            .where(SolveJob.id == job_id, SolveJob.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, runner=runner, started_at=now, heartbeat_at=now)
        ).rowcount
        session.commit()
        if claimed:
            return session.get(SolveJob, job_id)
        # another runner won this one: look again


def fail_stale(session: Session, now: datetime | None = None) -> int:
    """Mark running jobs whose runner went silent (crash, kill) as failed, so a poller is not left waiting."""
    now = now or utcnow()
    count = 0
    for job in session.scalars(sa.select(SolveJob).where(SolveJob.status == JobStatus.RUNNING)):
        limit = timedelta(seconds=float(job.params.get("time_limit", 0)))
        if job.heartbeat_at is not None and job.heartbeat_at < now - limit - STALE_GRACE:
            job.status, job.finished_at = JobStatus.FAILED, now
            job.error = "Tiến trình chạy đã dừng / the job runner stopped before finishing; queue the job again"
            count += 1
    session.commit()
    return count


def _progress_writer(engine: Engine, job_id: int) -> Callable[[Progress], None]:
    """A CP-SAT progress callback that stores at most one update per PROGRESS_EVERY seconds on the job row."""
    last = [0.0]
    table = SolveJob.__table__

    def write(progress: Progress) -> None:
        if time.monotonic() - last[0] < PROGRESS_EVERY:
            return
        last[0] = time.monotonic()
        try:
            with engine.begin() as conn:
                conn.execute(
                    table.update().where(table.c.id == job_id).values(
                        objective=progress.objective, best_bound=progress.best_bound, elapsed=progress.elapsed,
                        fraction=min(1.0, progress.fraction_of_time_limit), heartbeat_at=utcnow(),
                    )
                )
        except sa.exc.SQLAlchemyError:  # progress is best effort: never let it break the search
            log.warning("could not store the progress of solve job %s", job_id, exc_info=True)

    return write


def run(session: Session, engine: Engine, job: SolveJob) -> None:
    """Run a claimed job to its end: a draft roster linked on success, the reason on failure. Commits."""
    from duty_roster.rostering.drafts import generate_draft  # OR-Tools loads only where jobs run

    params: dict[str, Any] = dict(job.params)
    job_id = job.id
    try:
        centre = session.get(Centre, job.centre_id)
        if centre is None:
            raise RosteringError("Trung tâm đã bị xoá / the centre no longer exists")
        user = session.get(User, job.created_by_id) if job.created_by_id else None
        time_limit = float(params["time_limit"])
        roster = generate_draft(
            session, centre, date.fromisoformat(params["start"]), date.fromisoformat(params["end"]),
            time_limit=time_limit, workers=int(params["workers"]), max_days=None, seed=int(params.get("seed", 0)),
            on_progress=_progress_writer(engine, job_id),
            before_search=session.commit,  # the materialised shifts: lets progress writes through (see above)
            created_by=user, job=job_id,
        )
        report = roster.solve_report
        job = session.get(SolveJob, job_id)  # type: ignore[assignment]
        job.status, job.roster_id, job.finished_at = JobStatus.SUCCEEDED, roster.id, utcnow()
        job.objective = float(report["objective"]) if report["objective"] is not None else None
        job.best_bound, job.elapsed, job.fraction = report["best_bound"], report["seconds"], 1.0
        job.heartbeat_at = utcnow()
        session.commit()
    except Exception as exc:
        session.rollback()
        if isinstance(exc, RosteringError):
            message = str(exc)
        else:
            log.exception("solve job %s failed", job_id)
            message = "Lỗi khi chạy; đã ghi nhật ký / the job failed on a server error; it has been logged"
        failed = session.get(SolveJob, job_id)
        if failed is not None:
            failed.status, failed.finished_at, failed.error = JobStatus.FAILED, utcnow(), message[:2000]
            session.commit()


def run_pending(session: Session, engine: Engine, *, runner: str | None = None, limit: int | None = None) -> int:
    """Run queued jobs until the queue is empty (or `limit` jobs ran); returns how many ran."""
    done = 0
    runner = runner or runner_name()
    while limit is None or done < limit:
        job = claim_next(session, runner)
        if job is None:
            break
        run(session, engine, job)
        done += 1
    return done


class EmbeddedRunner:
    """One daemon thread that runs queued jobs inside this process (JOB_RUNNER = "embedded")."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def notify(self) -> None:
        """A job was committed: start the thread if needed and wake it."""
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._loop, name="duty-roster-jobs", daemon=True)
                self.thread.start()
        self.wake.set()

    def _loop(self) -> None:
        from duty_roster.extensions import db

        while True:
            self.wake.wait(timeout=30)
            self.wake.clear()
            try:
                with self.app.app_context():
                    fail_stale(db.session)
                    run_pending(db.session, db.engine)
                    db.session.remove()
            except Exception:  # the thread must survive a bad moment (database restart ...)
                log.exception("embedded job runner: error; retrying on the next job")
                time.sleep(1)


def notify_runner(app: Flask) -> None:
    """Tell this process's embedded runner about a new job (a no-op with JOB_RUNNER = "worker")."""
    if app.config["SETTINGS"].JOB_RUNNER != "embedded":
        return
    runner = app.extensions.get("duty_roster_jobs")
    if runner is None:
        runner = app.extensions["duty_roster_jobs"] = EmbeddedRunner(app)
    runner.notify()
