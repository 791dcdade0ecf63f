"""Migration d4b0f6a8c2e3 creates APScheduler's job table exactly as its SQLAlchemyJobStore declares it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from flask import Flask
from flask_migrate import downgrade

from duty_roster.extensions import db


@pytest.mark.db
def test_job_table_matches_apscheduler(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as conn:
        store = SQLAlchemyJobStore(engine=db.engine)
        context = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_object": lambda _obj, name, type_, _r, _c: type_ != "table" or name == "apscheduler_jobs",
        })
        differences = compare_metadata(context, store.jobs_t.metadata)
    assert differences == []


def test_downgrade_removes_the_job_table(empty_app: Flask) -> None:
    """SQLite only: tests/test_migrations.py runs the whole chain down and up again on PostgreSQL."""
    from flask_migrate import upgrade

    with empty_app.app_context():
        upgrade(revision="d4b0f6a8c2e3")
        assert "apscheduler_jobs" in sa.inspect(db.engine).get_table_names()
        downgrade(revision="-1")
        assert "apscheduler_jobs" not in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
