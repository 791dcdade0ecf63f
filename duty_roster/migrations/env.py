"""Alembic environment: runs against the Flask app's engine and the models' metadata."""

from __future__ import annotations

import logging
from typing import Any

from alembic import context
from flask import current_app

from duty_roster.models.base import UTCDateTime
from duty_roster.models.library_tables import not_a_library_table

config = context.config
_alembic_log = logging.getLogger("alembic")
if not logging.getLogger().handlers and all(isinstance(h, logging.NullHandler) for h in _alembic_log.handlers):
    # Alone on the command line (no host logging): show what alembic does, e.g. "Detected added table ...".
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)s [%(name)s] %(message)s"))
    _alembic_log.addHandler(_handler)
    _alembic_log.setLevel(logging.INFO)
migrate_ext = current_app.extensions["migrate"]
target_metadata = migrate_ext.db.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our column types as plain SQLAlchemy types, so revisions never import application code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def process_revision_directives(ctx: Any, revision: Any, directives: list[Any]) -> None:
    """Do not write an empty revision when autogenerate finds no change."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []


def options() -> dict[str, Any]:
    opts = dict(migrate_ext.configure_args)  # render_as_batch=True from create_app
    opts.update(
        target_metadata=target_metadata,
        render_item=render_item,
        process_revision_directives=process_revision_directives,
        compare_type=True,
        include_object=not_a_library_table,
    )
    return opts


def run_migrations_offline() -> None:
    context.configure(url=migrate_ext.db.engine.url, literal_binds=True, **options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with migrate_ext.db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy and drop tables; with foreign keys on, dropping a referenced table would
            # cascade. SQLite ignores this pragma inside a transaction, so it is set (and committed) first.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(connection=connection, **options())
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")  # the pooled connection goes back as it came
                connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
