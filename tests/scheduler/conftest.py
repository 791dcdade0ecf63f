"""Fixtures for the scheduler tests: a lock database per backend (SQLite file or the PostgreSQL test database)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from duty_roster.extensions import db
from tests.conftest import POSTGRES_HINT, postgres_url
from tests.scheduler.procs import Child

# Each scheduler test runs on SQLite, and on PostgreSQL too when DUTY_ROSTER_TEST_DATABASE_URL is set.
BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="postgresql", marks=pytest.mark.db)]


def require_backend(backend: str) -> None:
    if backend == "postgresql" and postgres_url() is None:
        pytest.skip(POSTGRES_HINT)


@pytest.fixture
def lock_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for the lock alone (no schema needed): a SQLite file path or the PostgreSQL test database."""
    require_backend(request.param)
    url = postgres_url() if request.param == "postgresql" else None
    return url or f"sqlite:///{tmp_path / 'lock.sqlite3'}"


@pytest.fixture
def children() -> Iterator[list[Child]]:
    """Child processes started by a test; any still running afterwards are killed."""
    started: list[Child] = []
    yield started
    for child in started:
        child.cleanup()


@pytest.fixture
def clean_job_store(app: Flask) -> Iterator[Flask]:
    """The app, with APScheduler's table emptied afterwards (the shared PostgreSQL test database keeps it)."""
    yield app
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM apscheduler_jobs"))
