"""`duty-roster init`: create the schema or upgrade it to the newest migration. Safe to run on every deploy."""

from __future__ import annotations

import click
import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from duty_roster.database import describe_url
from duty_roster.extensions import db


def current_revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@click.command("init")
@with_appcontext
def command() -> None:
    """Create or upgrade the database schema to the newest version."""
    where = describe_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    before = current_revision()
    if before is None:
        tables = set(sa.inspect(db.engine).get_table_names()) & set(db.metadata.tables)
        if tables:
            raise click.ClickException(
                f"{where} already has tables ({', '.join(sorted(tables))}) but no migration history "
                "(alembic_version); it was not created by `duty-roster init`. Use an empty database."
            )
    upgrade()
    after = current_revision()
    if before == after:
        click.echo(f"Schema already up to date (revision {after}) in {where}.")
    elif before is None:
        click.echo(f"Created the schema (revision {after}) in {where}.")
    else:
        click.echo(f"Upgraded the schema from revision {before} to {after} in {where}.")
