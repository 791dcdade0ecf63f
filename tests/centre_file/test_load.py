"""Loading centre files into the database: all or nothing, idempotent by codes, every error reported, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import scoped_session

from duty_roster.centre_file import CentreFileError, load_centre_data, load_centre_file
from duty_roster.extensions import db
from duty_roster.models import (
    AuditLog,
    Branch,
    Centre,
    HolidayKind,
    HolidayOverride,
    Location,
    Person,
    PersonKind,
    Preference,
    ShiftPattern,
    Unavailability,
)
from tests import clock
from tests.centre_file.samples import DEMO_FILE, MISTAKES, centre_with_mistakes, small_centre
from tests.conftest import TEST_SECRET_KEY

pytestmark = pytest.mark.db

REPO = Path(__file__).resolve().parents[2]


def row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) or 0
            for t in db.metadata.sorted_tables}


@contextmanager
def writes() -> Iterator[list[str]]:
    """Collect the INSERT/UPDATE/DELETE statements sent to the database inside the block."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


# -- idempotence ---------------------------------------------------------------------------------------------------


def test_loading_the_demo_centre_twice_changes_nothing_the_second_time(session: scoped_session) -> None:
    first = load_centre_file(session, DEMO_FILE)
    session.commit()
    assert first.counts["people"].created == 60
    assert first.counts["locations"].created == 17
    assert first.changed == sum(c.created for c in first.counts.values())
    counts = row_counts()
    assert counts["person"] == 60 and counts["branch"] == 3 and counts["audit_log"] == 1

    session.expunge_all()  # a fresh start, as in a second process
    with writes() as statements:
        second = load_centre_file(session, DEMO_FILE)
        session.commit()
    assert statements == []
    assert second.changed == 0
    assert str(second).startswith("centre CT: 0 changed (0 created, 0 updated, 0 deleted), ")
    assert {kind: c.unchanged for kind, c in second.counts.items()} == {
        kind: c.created for kind, c in first.counts.items()
    }
    assert row_counts() == counts


def test_the_loaded_rows_match_the_file(session: scoped_session) -> None:
    load_centre_file(session, DEMO_FILE)
    session.commit()
    centre = session.scalars(sa.select(Centre).where(Centre.code == "CT")).one()
    assert centre.duty_phone == "+842923812399"
    assert centre.rules["min_rest_hours"] == 11 and centre.rules["weights"]["fair_tet"] == 30
    director = session.scalars(sa.select(Person).where(Person.code == "TGV01")).one()
    assert director.kind is PersonKind.OFFICER and director.branch.code == "NK" and director.capacity == 0.5
    oncall = session.scalars(
        sa.select(ShiftPattern).join(Location).where(Location.code == "CSDT", ShiftPattern.code == "oncall_24h")
    ).one()
    assert (oncall.start_time, oncall.duration_minutes, oncall.demand) == (time(7, 30), 1440,
                                                                         {"duty": 1, "assistant": 1})
    leave = session.scalars(sa.select(Unavailability).join(Person).where(Person.code == "TGV05")).one()
    assert leave.start_at == datetime(2026, 12, 13, 17, tzinfo=UTC)  # 14/12 00:00 in Cần Thơ
    assert leave.end_at == datetime(2026, 12, 18, 17, tzinfo=UTC)  # end of 18/12
    entry = session.scalars(sa.select(AuditLog)).one()
    assert entry.action == "centre.load" and entry.detail["file"] == "centre.json"
    assert entry.detail["counts"]["people"]["created"] == 60


def test_a_changed_file_updates_in_place_by_code(session: scoped_session) -> None:
    data = small_centre()
    load_centre_data(session, data)
    session.commit()
    ids = {p.code: p.id for p in session.scalars(sa.select(Person))}

    data["people"][0]["phone"] = "0912 999 888"
    data["people"][1]["branch"] = "HQ"
    data["people"].append({"code": "P4", "full_name": "Võ Thị Dung", "kind": "lawyer", "branch": "B2",
                           "phone": "0918 111 222"})
    data["locations"][0]["shifts"][0]["start"] = "08:00"
    data["unavailability"][1]["note"] = "Phiên tòa dời"  # changed: one row out, one in
    data["unavailability"].append({"person": "P4", "start": "2026-12-01", "end": "2026-12-01"})
    data["holiday_overrides"] = [{"day": "2026-12-31", "kind": "day_off", "name": "Nghỉ bù cuối năm"}]
    data["preferences"] = []
    data["weights"] = {"fair_tet": 50}
    summary = load_centre_data(session, data)
    session.commit()

    c = summary.counts
    assert (c["people"].created, c["people"].updated, c["people"].unchanged) == (1, 2, 1)
    assert (c["shift_patterns"].updated, c["shift_patterns"].unchanged) == (1, 1)
    assert (c["unavailability"].created, c["unavailability"].deleted, c["unavailability"].unchanged) == (2, 1, 1)
    assert (c["holiday_overrides"].updated, c["holiday_overrides"].deleted) == (1, 1)
    assert c["preferences"].deleted == 1
    assert c["centre"].updated == 1 and c["branches"].unchanged == 2
    people = {p.code: p for p in session.scalars(sa.select(Person))}
    assert {code: people[code].id for code in ids} == ids  # same rows, updated in place
    assert people["P1"].phone == "+84912999888" and people["P2"].branch.code == "HQ"
    assert session.scalar(sa.select(sa.func.count()).select_from(Unavailability)) == 3
    assert session.scalars(sa.select(HolidayOverride)).one().kind is HolidayKind.DAY_OFF
    assert session.scalar(sa.select(sa.func.count()).select_from(Preference)) == 0
    assert session.scalars(sa.select(Centre)).one().rules == {"min_rest_hours": 11.0, "max_shifts_per_day": None,
                                                              "weights": {"fair_tet": 50}}
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == 2


def test_sections_left_out_are_left_alone_and_missing_rows_are_kept(session: scoped_session) -> None:
    load_centre_data(session, small_centre())
    session.commit()
    before = row_counts()
    data = small_centre()
    for section in ("rules", "weights", "holiday_overrides", "unavailability", "preferences"):
        del data[section]
    data["people"] = data["people"][1:]  # P1 left out
    data["people"][0]["areas"] = []
    summary = load_centre_data(session, data)
    session.commit()
    assert summary.changed == 1  # P2's areas
    assert [str(w) for w in summary.warnings] == [
        "people: Có trong cơ sở dữ liệu nhưng không có trong tệp, được giữ nguyên / in the database but not in the "
        "file, kept: P1"
    ]
    assert row_counts() == {**before, "audit_log": before["audit_log"] + 1}
    assert session.scalars(sa.select(Centre)).one().rules["weights"] == {"fair_tet": 40}


def test_dry_run_counts_without_writing(session: scoped_session) -> None:
    with writes() as statements:
        summary = load_centre_data(session, small_centre(), dry_run=True)
        session.commit()
    assert statements == []
    assert summary.dry_run and summary.counts["people"].created == 3 and "would change" in str(summary)
    assert row_counts()["person"] == 0
    load_centre_data(session, small_centre())
    session.commit()
    data = small_centre()
    data["people"][2]["branch"] = "B2"  # a move, seen by code in a dry run
    assert load_centre_data(session, data, dry_run=True).counts["people"].updated == 1
    assert session.scalars(sa.select(Person).where(Person.code == "P3")).one().branch.code == "HQ"


# -- all or nothing ------------------------------------------------------------------------------------------------


def test_a_file_with_mistakes_writes_nothing_on_an_empty_database(session: scoped_session) -> None:
    with writes() as statements, pytest.raises(CentreFileError) as caught:
        load_centre_data(session, centre_with_mistakes())
    session.commit()
    assert statements == []
    assert {e.path for e in caught.value.errors} == set(MISTAKES)
    assert set(row_counts().values()) == {0}


def test_a_file_with_mistakes_leaves_a_loaded_centre_as_it_was(session: scoped_session) -> None:
    load_centre_data(session, small_centre())
    session.commit()
    before = row_counts()
    bad = centre_with_mistakes()
    bad["centre"]["name"] = "Tên mới"  # a valid change next to the mistakes must not be written either
    with pytest.raises(CentreFileError):
        load_centre_data(session, bad)
    session.commit()
    assert row_counts() == before
    assert session.scalars(sa.select(Centre)).one().name == "Trung tâm thử nghiệm"


# -- the command ---------------------------------------------------------------------------------------------------


def run_cli(app: Flask, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTY_ROSTER_")}
    env.update(
        DUTY_ROSTER_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        DUTY_ROSTER_SECRET_KEY=TEST_SECRET_KEY,
        DUTY_ROSTER_INSTANCE_PATH=app.instance_path,
        DUTY_ROSTER_LOG_LEVEL="WARNING",
    )
    return subprocess.run(clock.python_command("duty_roster.cli", *args), cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_the_command_lists_every_error_and_exits_1_without_traceback(app: Flask, tmp_path: Path) -> None:
    bad = write_json(tmp_path / "bad.json", centre_with_mistakes())
    result = run_cli(app, "load", str(bad))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ") and "warning" not in line]
    assert [line.split(": ", 1)[0] for line in lines] == list(MISTAKES)
    assert f"{len(MISTAKES)} errors, nothing written" in result.stderr
    with app.app_context():
        assert set(row_counts().values()) == {0}


def test_the_command_loads_then_reports_nothing_changed(app: Flask, tmp_path: Path) -> None:
    good = write_json(tmp_path / "good.json", small_centre())
    first = run_cli(app, "load", str(good))
    assert first.returncode == 0, first.stderr
    assert "good.json: centre TST: 15 changed (15 created, 0 updated, 0 deleted), 0 unchanged" in first.stdout
    second = run_cli(app, "load", "--json", str(good))
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert report["changed"] == 0 and report["errors"] == [] and report["counts"]["people"]["unchanged"] == 3
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Branch)) == 2


def test_the_command_in_process_dry_run_and_json_errors(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    good = write_json(tmp_path / "good.json", small_centre())
    result = runner.invoke(args=["load", "--dry-run", str(good)])
    assert result.exit_code == 0, result.output
    assert "15 would change" in result.output and "dry run, nothing written" in result.output
    bad = write_json(tmp_path / "bad.json", centre_with_mistakes())
    result = runner.invoke(args=["load", "--json", str(bad)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [e["path"] for e in report["errors"]] == list(MISTAKES)
    with app.app_context():
        assert set(row_counts().values()) == {0}
