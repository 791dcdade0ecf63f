"""Tables in our database that belong to libraries, not to our models: a migration creates them (so processes never
race on CREATE TABLE), and autogenerate must neither propose dropping them nor compare them with the models."""

from __future__ import annotations

LIBRARY_TABLES = frozenset({"apscheduler_jobs"})  # APScheduler's SQLAlchemyJobStore (scheduler/process.py)


def not_a_library_table(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's include_object hook: skip library tables (and their indexes) when comparing schemas."""
    if type_ == "table":
        return name not in LIBRARY_TABLES
    table = getattr(getattr(obj, "table", None), "name", None)
    return table not in LIBRARY_TABLES
