"""Migrations on both databases: upgrade from empty, downgrade to base, upgrade again; the result matches the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade

from duty_roster import MIGRATIONS_DIR
from duty_roster.commands.init import current_revision
from duty_roster.extensions import db
from duty_roster.models.library_tables import LIBRARY_TABLES, not_a_library_table
from tests.conftest import POSTGRES_HINT, postgres_url

pytestmark = pytest.mark.db


def head() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    revision = ScriptDirectory.from_config(config).get_current_head()
    assert revision is not None
    return revision


# Tables the migrations create for a library rather than for our models (so not in db.metadata): APScheduler's job
# store, created by migration d4b0f6a8c2e3 so schedulers never race on CREATE TABLE. tests/scheduler/test_migration.py
# compares it with APScheduler's own table definition instead.
def app_tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"} - LIBRARY_TABLES


def test_postgresql_configured() -> None:
    """Says, in the run's summary, when PostgreSQL was not tested."""
    url = postgres_url()
    if url is None:
        pytest.skip(POSTGRES_HINT)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.dialect.name == "postgresql"
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(empty_app: Flask) -> None:
    with empty_app.app_context():
        assert app_tables() == set()
        upgrade()
        assert current_revision() == head()
        assert app_tables() == set(db.metadata.tables)

        downgrade(revision="base")
        assert current_revision() is None
        assert app_tables() == set()

        upgrade()  # a downgrade must leave nothing behind that breaks the next upgrade (e.g. PostgreSQL types)
        assert current_revision() == head()
        assert app_tables() == set(db.metadata.tables)


def test_migrated_schema_matches_the_models(app: Flask) -> None:
    """Nobody changed a model without a migration (or the other way round)."""
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": not_a_library_table}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_revisions_do_not_import_application_code() -> None:
    """A revision must keep working after the models change, so it may only use alembic and sqlalchemy."""
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "duty_roster" not in text, path.name
        assert "UTCDateTime" not in text, path.name


def test_enum_columns_have_check_constraints(app: Flask) -> None:
    with app.app_context():
        checks = {c["name"] for c in sa.inspect(db.engine).get_check_constraints("location")}
    assert "ck_location_location_kind" in checks


def test_init_command_creates_then_reports_up_to_date(empty_app: Flask) -> None:
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert f"Created the schema (revision {head()})" in first.output

    second = runner.invoke(args=["init"])
    assert second.exit_code == 0, second.output
    assert f"Schema already up to date (revision {head()})" in second.output


def test_init_command_refuses_tables_without_history(empty_app: Flask) -> None:
    with empty_app.app_context():
        db.create_all()
    result = empty_app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 1
    assert "no migration history" in result.output
