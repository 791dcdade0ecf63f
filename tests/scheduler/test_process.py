"""Several real scheduler processes on one database: each job runs once per tick, and a standby takes over."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.scheduler.conftest import BACKENDS, require_backend
from tests.scheduler.procs import RETRY_SECONDS, Child, child_env

WAITING = "waiting for the scheduler lock (another scheduler is active)"
TOOK_OVER = "took over the scheduler lock"


def ticks(path: Path) -> list[tuple[int, float]]:
    if not path.exists():
        return []
    rows = [line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(int(pid), float(at)) for pid, at in rows]


def wait_for_ticks(path: Path, enough: int, children: list[Child], *, after: float = 0, timeout: float = 60) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = [row for row in ticks(path) if row[1] > after]
        if len(rows) >= enough:
            return rows
        time.sleep(0.2)
    output = "\n".join(f"--- pid {c.pid}:\n{''.join(c.output)}" for c in children)
    pytest.fail(f"fewer than {enough} ticks after {timeout} s: {ticks(path)}\n{output}")


def at_most_one_run_per_tick(rows: list[tuple[int, float]]) -> None:
    """A 1 s job seen over `span` seconds ran at most about span + 1 times (3 schedulers would give ~3x that)."""
    span = rows[-1][1] - rows[0][1]
    assert len(rows) <= span + 3, rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_three_schedulers_run_each_job_once_and_a_standby_takes_over(
    backend: str, clean_job_store: Flask, tmp_path: Path, children: list[Child]
) -> None:
    require_backend(backend)
    url = clean_job_store.config["SQLALCHEMY_DATABASE_URI"]
    tick_file = tmp_path / "ticks.txt"
    env = child_env(url, tmp_path / "instance")
    children.extend(Child("tests.scheduler.runner", str(tick_file), env=env) for _ in range(3))
    by_pid = {child.pid: child for child in children}

    rows = wait_for_ticks(tick_file, 3, children)
    leaders = {pid for pid, _at in rows}
    assert len(leaders) == 1, rows
    leader = by_pid[leaders.pop()]
    standbys = [child for child in children if child is not leader]
    for standby in standbys:
        standby.wait_for(WAITING)
    rows = ticks(tick_file)
    assert {pid for pid, _at in rows} == {leader.pid}
    at_most_one_run_per_tick(rows)
    assert leader.seen(TOOK_OVER)

    killed_at = time.time()
    leader.kill()
    after = wait_for_ticks(tick_file, 2, children, after=killed_at + 0.5, timeout=RETRY_SECONDS * 20)
    successors = {pid for pid, _at in after}
    assert len(successors) == 1 and successors <= {s.pid for s in standbys}, after
    successor = by_pid[successors.pop()]
    assert successor.seen(TOOK_OVER)
    at_most_one_run_per_tick(after)

    for child in standbys:  # SIGTERM: the leader stops its jobs and releases the lock, the standby stops waiting
        assert child.terminate() == 0, "".join(child.output)
    assert successor.seen("releasing the scheduler lock")


@pytest.mark.db
def test_leader_stops_when_its_postgresql_session_dies(
    clean_job_store: Flask, tmp_path: Path, children: list[Child]
) -> None:
    """The server ending the lock session (restart, failover, pg_terminate_backend) frees the lock for a standby, so
    the old leader must stop scheduling: it exits with 75 for the service manager to restart it as a standby."""
    require_backend("postgresql")
    app = clean_job_store
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    tick_file = tmp_path / "ticks.txt"
    leader = Child("tests.scheduler.runner", str(tick_file), env=child_env(url, tmp_path / "instance"))
    children.append(leader)
    wait_for_ticks(tick_file, 1, children)

    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            ended = conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"
            ), {"name": "duty-roster scheduler lock"}).scalars().all()
    finally:
        engine.dispose()
    assert ended == [True]
    assert leader.wait(timeout=RETRY_SECONDS * 20) == 75, "".join(leader.output)
    assert leader.seen("lost the scheduler lock")
