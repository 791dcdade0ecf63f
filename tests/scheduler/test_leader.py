"""LeaderLock: one holder at a time, the others wait and take over when the holder dies (kill -9)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from duty_roster.scheduler.leader import LeaderLock
from tests.scheduler.conftest import BACKENDS
from tests.scheduler.procs import RETRY_SECONDS, Child, child_env


@pytest.mark.parametrize("lock_url", BACKENDS, indirect=True)
def test_one_holder_at_a_time(lock_url: str, tmp_path: Path) -> None:
    first, second = LeaderLock(lock_url, tmp_path), LeaderLock(lock_url, tmp_path)
    try:
        assert first.acquire(wait=False, retry_seconds=1)
        assert first.healthy()
        assert not second.acquire(wait=False, retry_seconds=1)
        assert not second.healthy()
        first.release()
        assert not first.healthy()
        assert second.acquire(wait=False, retry_seconds=1)
        assert second.healthy()
    finally:
        first.release()
        second.release()


@pytest.mark.parametrize("lock_url", BACKENDS, indirect=True)
def test_waiting_stops_when_asked(lock_url: str, tmp_path: Path) -> None:
    holder, waiter = LeaderLock(lock_url, tmp_path), LeaderLock(lock_url, tmp_path)
    stop, waited = threading.Event(), threading.Event()
    try:
        assert holder.acquire(wait=False, retry_seconds=1)
        result: list[bool] = []
        thread = threading.Thread(target=lambda: result.append(
            waiter.acquire(wait=True, retry_seconds=0.1, stop=stop, on_wait=waited.set)
        ))
        thread.start()
        assert waited.wait(10)
        stop.set()
        thread.join(10)
        assert result == [False]
    finally:
        holder.release()
        waiter.release()


def test_sqlite_lock_file_sits_next_to_the_database(tmp_path: Path) -> None:
    lock = LeaderLock(f"sqlite:///{tmp_path / 'data' / 'roster.sqlite3'}", tmp_path / "instance")
    assert lock.path == tmp_path / "data" / "roster.sqlite3.scheduler.lock"
    assert LeaderLock("sqlite://", tmp_path / "instance").path == tmp_path / "instance" / "scheduler.lock"


def test_deleting_the_lock_file_loses_the_lock(tmp_path: Path) -> None:
    """Else a second process could lock a new file at the same path and both would schedule."""
    lock = LeaderLock(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    assert lock.acquire(wait=False, retry_seconds=1)
    assert lock.path is not None
    lock.path.unlink()
    assert not lock.healthy()
    other = LeaderLock(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)
    assert other.acquire(wait=False, retry_seconds=1)
    other.release()


@pytest.mark.parametrize("lock_url", BACKENDS, indirect=True)
def test_standby_takes_over_when_the_holder_is_killed(lock_url: str, tmp_path: Path, children: list[Child]) -> None:
    env = child_env(lock_url, tmp_path)
    first = Child("tests.scheduler.holder", lock_url, str(tmp_path), env=env)
    children.append(first)
    first.wait_for(f"acquired {first.pid}")
    second = Child("tests.scheduler.holder", lock_url, str(tmp_path), env=env)
    children.append(second)
    second.wait_for("waiting")
    assert not second.seen("acquired")

    first.kill()
    second.wait_for(f"acquired {second.pid}", timeout=RETRY_SECONDS * 10)
