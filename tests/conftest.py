"""Shared fixtures: an app on a fresh, migrated database; its session; a test client and a CLI runner.

Database choice
- By default every test gets its own SQLite file (a copy of one database migrated to head once per session).
- With DUTY_ROSTER_TEST_DATABASE_URL=postgresql+psycopg://..., tests marked `db` run on that database instead
  (`make test-db` = `pytest -m db`). It must be a dedicated test database: schema `public` is dropped and recreated
  at the start of the session, and every table is emptied after each test.

Fixtures
- `app`: a Flask app (not inside a context). `session` / `db_session`: pushes an app context and yields db.session.
  Requests made with `client` inside a test that uses `session` share that app context, hence that session:
  commit what the request should see.
- `client`, `cli_runner`: Flask's test client and CLI runner for `app`.
- `empty_app`: an app on a database with no tables at all (migration tests).

Time
- The whole session runs at a fixed "today" (tests/clock.py): an ordinary Wednesday unless DUTY_ROSTER_TEST_TODAY
  names another fixed day. Tests in the folders of DATE_SENSITIVE are marked `dates`; `make test` runs them again at
  every other fixed day. A test that needs the machine's clock is marked `real_clock`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy.orm import scoped_session

from duty_roster import create_app
from duty_roster.config import ENV_PREFIX
from duty_roster.extensions import db
from tests import clock

TEST_DB_ENV = "DUTY_ROSTER_TEST_DATABASE_URL"
TEST_SECRET_KEY = "test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
POSTGRES_HINT = (
    f"set {TEST_DB_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the database tests on PostgreSQL"
)


def postgres_url() -> str | None:
    """The dedicated PostgreSQL test database, or None. Refuses URLs whose database name does not say "test"."""
    url = os.environ.get(TEST_DB_ENV, "").strip()
    if not url:
        return None
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "postgresql" or "test" not in (parsed.database or ""):
        raise pytest.UsageError(
            f"{TEST_DB_ENV} must name a dedicated PostgreSQL test database (its name containing 'test'); "
            f"got {parsed.render_as_string(hide_password=True)}"
        )
    return url


# Tests whose outcome could depend on the day they run: rosters and their periods, publication deadlines,
# reminders, quiet hours, confirmations, swaps, feeds, reports, the desk, the officer's and the liaison's pages.
DATE_SENSITIVE = (
    "tests/rostering/",
    "tests/notify/test_announce.py", "tests/notify/test_quiet.py", "tests/notify/test_reminders.py",
    "tests/notify/test_unconfirmed.py", "tests/notify/test_dispatch.py", "tests/notify/test_webhooks.py",
    "tests/calendar/",
    "tests/api/test_reports.py", "tests/api/test_on_duty.py", "tests/api/test_rosters.py", "tests/api/test_swaps.py",
    "tests/api/test_confirmations.py", "tests/api/test_jobs.py",
    "tests/web/test_desk.py", "tests/web/test_me.py", "tests/web/test_board.py", "tests/web/test_grid.py",
    "tests/test_workdays.py", "tests/test_clock.py",
)
ROOT = Path(__file__).resolve().parents[1]


def pytest_report_header(config: pytest.Config) -> list[str]:
    url = postgres_url()
    database = (f"database: SQLite only ({POSTGRES_HINT})" if url is None else
                f"database: tests marked db run on {sa.engine.make_url(url).render_as_string(hide_password=True)}")
    return [database, f"today: {clock.day_name()} = {clock.suite_now().isoformat()} ({clock.ENV}; tests/clock.py)"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        relative = Path(str(item.path)).resolve().relative_to(ROOT).as_posix()
        if relative.startswith(DATE_SENSITIVE) and item.get_closest_marker("real_clock") is None:
            item.add_marker(pytest.mark.dates)


@pytest.fixture(scope="session", autouse=True)
def _fixed_today() -> Iterator[None]:
    """Every test, and every session fixture, at the suite's fixed day (tests/clock.py), ticking from there."""
    with clock.frozen():
        yield


@pytest.fixture(scope="session", autouse=True)
def _clean_environment() -> Iterator[None]:
    """No DUTY_ROSTER_* variable from the developer's shell leaks into the tests (the test database URL aside)."""
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith(ENV_PREFIX) and name != TEST_DB_ENV:
                mp.delenv(name)
        yield


def make_app(database_url: str, instance_path: Path, **overrides: object) -> Flask:
    """An app for tests: explicit database, instance folder and secret, so nothing touches the real instance."""
    return create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(instance_path),
            "SECRET_KEY": TEST_SECRET_KEY,
            "TESTING": True,
            **overrides,
        }
    )


def migrate(app: Flask, revision: str = "head") -> None:
    with app.app_context():
        upgrade(revision=revision)
        db.engine.dispose()


def reset_postgres_schema(url: str) -> None:
    """Empty the dedicated test database completely (tables, sequences, leftovers of failed runs)."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


def _empty_all_tables(app: Flask) -> None:
    """DELETE, children first: for a handful of rows it is ~50x faster than TRUNCATE on PostgreSQL."""
    with app.app_context(), db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated to head; each test gets a copy (much faster than migrating per test)."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.sqlite3"
    migrate(make_app(f"sqlite:///{path}", folder))
    return path


@pytest.fixture(scope="session")
def _postgres_at_head(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The PostgreSQL test database, emptied once per session and migrated to head."""
    url = postgres_url()
    assert url is not None
    reset_postgres_schema(url)
    migrate(make_app(url, tmp_path_factory.mktemp("postgres-instance")))
    return url


def _uses_postgres(request: pytest.FixtureRequest) -> bool:
    return postgres_url() is not None and request.node.get_closest_marker("db") is not None


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """A fresh app on a migrated, empty database (PostgreSQL for `db` tests when configured, else SQLite)."""
    if _uses_postgres(request):
        url = request.getfixturevalue("_postgres_at_head")
    else:
        copy = tmp_path / "duty_roster.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), copy)
        url = f"sqlite:///{copy}"
    application = make_app(url, tmp_path / "instance")
    yield application
    with application.app_context():
        db.session.remove()
    if _uses_postgres(request):
        _empty_all_tables(application)
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def empty_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app on a database without any table. On PostgreSQL the schema is put back at head afterwards."""
    url = postgres_url() if _uses_postgres(request) else None
    if url is not None:
        request.getfixturevalue("_postgres_at_head")
        reset_postgres_schema(url)
    application = make_app(url or f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path / "instance")
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if url is not None:
        reset_postgres_schema(url)
        migrate(make_app(url, tmp_path / "instance"))


@pytest.fixture
def session(app: Flask) -> Iterator[scoped_session]:
    """db.session inside a pushed app context."""
    with app.app_context():
        yield db.session
        db.session.rollback()


@pytest.fixture
def db_session(session: scoped_session) -> scoped_session:
    return session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def cli_runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
