"""`duty-roster scheduler --once`, the embedded variant of the demo, and jobs that fail without stopping anything."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import scoped_session

from duty_roster.extensions import db
from duty_roster.scheduler import jobs
from duty_roster.scheduler.leader import LeaderLock
from duty_roster.scheduler.process import EmbeddedScheduler, leader_lock
from tests.rostering.centre import covered_centre

STANDARD_JOBS = {"dispatch", "reminders", "unconfirmed", "expire-swaps"}


def test_once_sends_a_queued_message_to_the_console_log(
    session: scoped_session, cli_runner: FlaskCliRunner, caplog: pytest.LogCaptureFixture
) -> None:
    from duty_roster.centre_file import load_centre_data
    from duty_roster.models import Centre, OutboxMessage
    from duty_roster.notify.outbox import enqueue

    load_centre_data(session, covered_centre())
    centre = session.scalar(sa.select(Centre).where(Centre.code == "TST"))
    message = enqueue(session, centre=centre, key="scheduler-once-1", kind="alert", body="Kiểm tra bộ lập lịch",
                      to="0912 000 101", urgent=True)
    assert message is not None
    session.commit()
    caplog.set_level(logging.INFO, logger="duty_roster.sms")

    result = cli_runner.invoke(args=["scheduler", "--once"])

    assert result.exit_code == 0, result.output
    assert "dispatch: sent=1" in result.output
    logged = [r.getMessage() for r in caplog.records if r.name == "duty_roster.sms.console"]
    assert len(logged) == 1 and "Kiểm tra bộ lập lịch" in logged[0] and "scheduler-once-1" in logged[0]
    assert "0912000101" not in logged[0] and "+84912000101" not in logged[0]  # masked
    session.expire_all()
    assert session.get(OutboxMessage, message.id).provider_sid.startswith("LOG")

    again = cli_runner.invoke(args=["scheduler", "--once"])
    assert again.exit_code == 0, again.output
    assert "dispatch: sent=0" in again.output  # sent once, never twice


def test_once_refuses_a_database_that_is_not_migrated(empty_app: Flask) -> None:
    result = empty_app.test_cli_runner().invoke(args=["scheduler", "--once"])
    assert result.exit_code == 1
    assert "not migrated" in result.output and "duty-roster init" in result.output


def test_once_runs_nothing_while_another_scheduler_holds_the_lock(app: Flask, cli_runner: FlaskCliRunner) -> None:
    other = LeaderLock(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    assert other.acquire(wait=False, retry_seconds=1)
    try:
        result = cli_runner.invoke(args=["scheduler", "--once"])
    finally:
        other.release()
    assert result.exit_code == 1
    assert "another scheduler holds the lock" in result.output


def test_embedded_scheduler_runs_only_without_another_holder(app: Flask) -> None:
    first, second = EmbeddedScheduler(app), EmbeddedScheduler(app)
    try:
        assert first.start()
        assert first.scheduler is not None
        assert {job.id for job in first.scheduler.get_jobs()} == STANDARD_JOBS
        assert not second.start()  # the demo serves without jobs when a scheduler process is running
    finally:
        first.stop()
        second.stop()
    with app.app_context():
        stored = set(db.session.scalars(sa.text("SELECT id FROM apscheduler_jobs")))
    assert stored == STANDARD_JOBS
    lock = leader_lock(app)
    assert lock.acquire(wait=False, retry_seconds=1)  # released by stop()
    lock.release()


def test_a_failing_job_is_logged_and_returns_none(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    def broken(_settings: object, _now: object) -> int:
        raise RuntimeError("boom")

    jobs.use_app(app)
    try:
        assert jobs.run_job("broken", broken) is None
        assert jobs.run_job("fine", lambda _s, _n: 7) == 7
        jobs.set_leader_check(lambda: False)
        assert jobs.run_job("fine", lambda _s, _n: 7) is None  # no longer the leader: skipped
    finally:
        jobs.set_leader_check(None)
        jobs.use_app(None)
    messages = [r.getMessage() for r in caplog.records if r.name == "duty_roster.scheduler.jobs"]
    assert any("broken failed" in m for m in messages)
    assert any("no longer holds the scheduler lock" in m for m in messages)


def test_dispatch_stops_between_batches_on_shutdown(session: scoped_session, app: Flask) -> None:
    """A backlog is sent in batches of one second's worth (SMS_RATE_PER_SECOND=1 here: one message), and a shutdown
    or a lost lock ends the run after the current batch instead of after the whole backlog."""
    from duty_roster.centre_file import load_centre_data
    from duty_roster.models import Centre
    from duty_roster.notify.outbox import enqueue

    assert app.config["SETTINGS"].SMS_RATE_PER_SECOND == 1
    load_centre_data(session, covered_centre())
    centre = session.scalar(sa.select(Centre).where(Centre.code == "TST"))
    for i in range(3):
        enqueue(session, centre=centre, key=f"backlog-{i}", kind="alert", body=f"Tin {i}", to=f"0912 000 10{i + 1}",
                urgent=True)
    session.commit()

    jobs.use_app(app)
    try:
        jobs.request_stop()
        assert jobs.dispatch().sent == 1
        jobs.request_stop(False)
        assert jobs.dispatch().sent == 2
    finally:
        jobs.request_stop(False)
        jobs.use_app(None)
