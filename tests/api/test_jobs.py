"""Roster generation as a background job: queued by POST, claimed once, progress on the row, the draft at the end;
run by the worker command or the embedded runner thread."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import scoped_session

from duty_roster.extensions import db
from duty_roster.models import JobStatus, Roster, SolveJob, utcnow
from duty_roster.solve_jobs import _progress_writer, claim_next, fail_stale, notify_runner
from duty_roster.solver.solution import Progress
from tests.api.conftest import World, run_jobs

PERIOD = {"start": "2027-04-12", "end": "2027-04-13", "time_limit": 1}


def queue(world: World) -> int:
    response = world.post("coordinator", "/api/v1/rosters/generate", json=PERIOD)
    assert response.status_code == 202, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "queued" and body["roster"] is None
    assert response.headers["Location"] == f"/api/v1/jobs/{body['id']}"
    return body["id"]


@pytest.mark.db
def test_post_returns_at_once_and_the_job_ends_with_a_draft(world: World, session: scoped_session) -> None:
    job_id = queue(world)
    assert session.scalar(sa.select(sa.func.count()).select_from(Roster)) == 4  # nothing solved in the request
    run_jobs(session)
    job = world.get("director", f"/api/v1/jobs/{job_id}").get_json()
    assert job["status"] == "succeeded", job
    assert job["roster"]["status"] == "draft" and job["roster"]["period"] == {"start": "2027-04-12",
                                                                              "end": "2027-04-13"}
    assert job["progress"]["objective"] is not None and job["progress"]["elapsed"] >= 0
    assert job["started_at"] and job["finished_at"]
    listed = world.get("director", "/api/v1/jobs").get_json()
    assert listed["items"][0]["id"] == job_id


@pytest.mark.db
def test_a_job_is_claimed_once(world: World, session: scoped_session) -> None:
    queue(world)  # with the fixture's one queued job per centre: three in the queue
    claimed = [claim_next(session, f"runner-{i}") for i in range(3)]
    assert all(job is not None and job.status is JobStatus.RUNNING for job in claimed)
    assert [job.runner for job in claimed] == ["runner-0", "runner-1", "runner-2"]  # type: ignore[union-attr]
    assert len({job.id for job in claimed}) == 3  # type: ignore[union-attr]
    assert claim_next(session, "runner-3") is None


@pytest.mark.db
def test_progress_is_written_on_the_row(world: World, session: scoped_session) -> None:
    job_id = queue(world)
    write = _progress_writer(db.engine, job_id)
    write(Progress(objective=120.0, best_bound=80.0, elapsed=0.4, fraction_of_time_limit=0.4))
    write(Progress(objective=100.0, best_bound=90.0, elapsed=0.5, fraction_of_time_limit=0.5))  # throttled
    progress = world.get("coordinator", f"/api/v1/jobs/{job_id}").get_json()["progress"]
    assert progress == {"objective": 120.0, "best_bound": 80.0, "elapsed": 0.4, "percent": 40.0}


@pytest.mark.db
def test_abandoned_jobs_are_failed(world: World, session: scoped_session) -> None:
    job = claim_next(session, "dead-runner")
    assert job is not None
    job.heartbeat_at = utcnow() - timedelta(hours=1)
    session.commit()
    assert fail_stale(session) == 1
    body = world.get("director", f"/api/v1/jobs/{job.id}").get_json()
    assert body["status"] == "failed" and "runner stopped" in body["error"]


@pytest.mark.db
def test_worker_command_runs_the_queue(world: World, cli_runner: FlaskCliRunner, session: scoped_session) -> None:
    job_id = queue(world)
    result = cli_runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Ran 3 job(s)" in result.output
    session.expire_all()
    assert session.get(SolveJob, job_id).status is JobStatus.SUCCEEDED


@pytest.mark.db
def test_jobs_of_another_centre_are_not_found(world: World) -> None:
    assert world.get("director", f"/api/v1/jobs/{world.hg.ids['job']}").status_code == 404
    assert world.get("hg_director", "/api/v1/jobs").get_json()["total"] == 1


@pytest.mark.db
@pytest.mark.slow
def test_embedded_runner_thread(world: World, session: scoped_session) -> None:
    """JOB_RUNNER = embedded: the process's own runner thread picks the job up; the client only polls."""
    app: Flask = world.app
    app.config["SETTINGS"] = app.config["SETTINGS"].__class__(**{**vars(app.config["SETTINGS"]),
                                                                 "JOB_RUNNER": "embedded"})
    session.commit()
    session.close()  # the runner writes from its own connection; do not hold SQLite's lock from the test
    job_id = queue(world)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body = world.get("coordinator", f"/api/v1/jobs/{job_id}").get_json()
        session.close()
        if body["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.2)
    assert body["status"] == "succeeded", body
    notify_runner(app)  # an idle runner can be woken again without starting a second thread
    assert app.extensions["duty_roster_jobs"].thread.is_alive()
