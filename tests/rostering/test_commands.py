"""The generate, repair and demo commands: clear errors, JSON output, an idempotent demo."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import scoped_session

from duty_roster.accounts import user_for_token
from duty_roster.models import (
    Centre,
    OutboxMessage,
    Person,
    Roster,
    RosterStatus,
    Unavailability,
    UnavailabilityReason,
    User,
)
from duty_roster.rostering.problem_builder import build_problem
from duty_roster.solver.problem import Assignment as SolverAssignment
from duty_roster.solver.validate import validate

pytestmark = pytest.mark.db
BEFORE_ANY_SHIFT = datetime(2000, 1, 1, tzinfo=UTC)  # nothing is locked as past


def test_generate_for_an_unknown_centre_says_so(cli_runner: FlaskCliRunner, centre: Centre) -> None:
    result = cli_runner.invoke(args=["generate", "--centre", "NOPE", "--start", "2026-12-07", "--end", "2026-12-13"])
    assert result.exit_code == 1
    assert "no centre with code 'NOPE' (known: TST)" in result.output
    assert "Traceback" not in result.output


def test_generate_rejects_a_malformed_date(cli_runner: FlaskCliRunner, centre: Centre) -> None:
    result = cli_runner.invoke(args=["generate", "--centre", "TST", "--start", "07/12/2026", "--end", "2026-12-13"])
    assert result.exit_code == 2
    assert "'07/12/2026' is not a date in the form YYYY-MM-DD" in result.output


def test_generate_json_reports_the_draft(
    cli_runner: FlaskCliRunner, session: scoped_session, centre: Centre
) -> None:
    result = cli_runner.invoke(
        args=["generate", "--centre", "TST", "--start", "2026-12-07", "--end", "2026-12-13", "--time-limit", "1",
              "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    roster = session.get(Roster, summary["roster_id"])
    assert roster is not None and roster.status is RosterStatus.DRAFT
    assert summary["centre"] == "TST" and summary["status"] == "draft"
    assert summary["assignments"] == len(roster.assignments) == 18
    assert summary["uncovered"] == []
    assert summary["solver"]["status"] in {"optimal", "feasible"}
    by_person = {row["person"]: row for row in summary["fairness"]}
    assert sum(row["shifts"] for row in by_person.values()) == 18
    assert by_person["A1"]["name"] == "Người hỗ trợ 1" or by_person["A1"]["shifts"] == 0


def test_generate_text_lists_uncovered_slots_with_reasons(
    cli_runner: FlaskCliRunner, session: scoped_session, centre: Centre
) -> None:
    # Only three assistants, all in training on Wednesday: the police line lacks its assistant for that day's
    # on-call (07:30 Wednesday to 07:30 Thursday), and only that one.
    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    for code in ("A1", "A2", "A3"):
        person = session.scalar(sa.select(Person).where(Person.code == code))
        session.add(Unavailability(person=person, reason=UnavailabilityReason.TRAINING,
                                   start_at=datetime(2026, 12, 9, 8, 0, tzinfo=hcm),
                                   end_at=datetime(2026, 12, 9, 17, 0, tzinfo=hcm)))
    session.commit()
    result = cli_runner.invoke(
        args=["generate", "--centre", "TST", "--start", "2026-12-07", "--end", "2026-12-13", "--time-limit", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "UNCOVERED slots: 1" in result.output
    assert "POLICE 2026-12-09T07:30:00+07:00 assistant: 1 missing" in result.output
    assert "A1: training 2026-12-09 08:00 – 2026-12-09 17:00" in result.output  # local time
    assert "D1: does not take the role assistant" in result.output


def test_repair_of_an_unknown_roster_says_so(cli_runner: FlaskCliRunner, centre: Centre) -> None:
    result = cli_runner.invoke(args=["repair", "--roster", "999"])
    assert result.exit_code == 1
    assert "no roster with id 999" in result.output


def test_demo_json_then_again_changes_nothing(
    cli_runner: FlaskCliRunner, client: FlaskClient, session: scoped_session
) -> None:
    first = cli_runner.invoke(args=["demo", "--no-serve", "--json", "--time-limit", "2"])
    assert first.exit_code == 0, first.output
    out = json.loads(first.output)
    assert out["centre"] == "CT"
    roster = session.get(Roster, out["roster_id"])
    assert roster is not None and roster.status is RosterStatus.PUBLISHED and roster.version == 1
    assert out["summary"]["uncovered"] == []  # the demo month is fully covered ...
    built = build_problem(session, roster.centre, roster.period_start, roster.period_end, now=BEFORE_ANY_SHIFT)
    view = [SolverAssignment(a.person.code, str(a.shift_id), a.role) for a in roster.assignments]
    assert validate(built.problem, view) == []  # ... and breaks no hard rule, per the independent validator
    queued = session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                            .where(OutboxMessage.kind == "publish"))
    assert queued and out["sms"]["pending"] == queued  # one publication SMS per person on the roster, not sent yet
    assert 0 <= out["sms"]["held"] <= queued and (out["sms"]["held_until"] is None) == (out["sms"]["held"] == 0)
    roles = {acc["role"] for acc in out["accounts"]}
    assert roles == {"admin", "director", "coordinator", "officer", "liaison"}
    for acc in out["accounts"]:
        user = user_for_token(session, acc["token"])
        assert user is not None and user.username == acc["username"] and user.role.value == acc["role"]
    liaison = session.scalar(sa.select(User).where(User.role == "liaison"))
    assert [loc.kind.value for loc in liaison.locations] == ["investigation"]
    tokens = {acc["role"]: acc["token"] for acc in out["accounts"]}
    for name, path in out["paths"].items():
        response = client.get(path, headers={"Authorization": f"Bearer {tokens['director']}"})
        assert response.status_code == 200, (name, path, response.get_data(as_text=True)[:300])
    officer = session.scalar(sa.select(User).where(User.role == "officer"))
    assert ("person_feed" in out["paths"]) == (officer.person_id is not None)  # the officer account's person
    for name in ("person_feed", "location_feed", "centre_feed"):  # secret feed URLs: no token needed
        if name not in out["paths"]:
            continue
        feed = client.get(out["paths"][name])
        assert feed.mimetype == "text/calendar" and feed.data.startswith(b"BEGIN:VCALENDAR\r\n"), name
    if roster.assignments:
        assert client.get(out["paths"]["centre_feed"]).data.count(b"BEGIN:VEVENT") == len(
            {a.shift_id for a in roster.assignments})
    on_duty = client.get(out["paths"]["on_duty_first_day"], headers={"Authorization": f"Bearer {tokens['liaison']}"})
    assert on_duty.status_code == 200
    assert "duty" in {p["role"] for p in on_duty.get_json()["on_duty"]}
    counts = {t: session.scalar(sa.select(sa.func.count()).select_from(t)) for t in (Person, Roster, User)}

    second = cli_runner.invoke(args=["demo", "--no-serve", "--json", "--time-limit", "2"])
    assert second.exit_code == 0, second.output
    again = json.loads(second.output)
    assert again["roster_id"] == out["roster_id"]  # the published roster is reused, not solved again
    assert {t: session.scalar(sa.select(sa.func.count()).select_from(t)) for t in (Person, Roster, User)} == counts
    if "person_feed" in out["paths"]:  # the link the officer got by SMS is the one printed, and it stays valid
        assert again["paths"]["person_feed"] == out["paths"]["person_feed"]
        assert client.get(out["paths"]["person_feed"]).status_code == 200
        sms = session.scalars(sa.select(OutboxMessage.body).where(OutboxMessage.person_id == officer.person_id,
                                                                  OutboxMessage.kind == "publish")).all()
        assert sms and all(out["paths"]["person_feed"] in body for body in sms)
