"""GET /api/v1/reports/sessions: buổi (Thông tư 02/2021: 4 h = 1; a remainder under 3 h = ½, else 1), nights,
weekend and holiday days per person, from published rosters, as JSON and CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy.orm import scoped_session

from tests.api.conftest import World, hand_roster


def rows(world: World, role: str = "director", query: str = "start=2027-03-01&end=2027-03-31") -> dict[str, dict]:
    response = world.get(role, f"/api/v1/reports/sessions?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return {r["code"]: r for r in response.get_json()["people"]}


@pytest.mark.db
def test_sessions_per_person(world: World, session: scoped_session) -> None:
    # Saturday 6 March: OF1 on the police on-call (a weekend day); 30 April 2027 (Reunification Day): LS2.
    hand_roster(session, world.ct.centre, [("CA", "OF1", date(2027, 3, 6), "duty")],
                period=(date(2027, 3, 6), date(2027, 3, 7)), published=True)
    hand_roster(session, world.ct.centre, [("CA", "LS2", date(2027, 4, 30), "duty")],
                period=(date(2027, 4, 30), date(2027, 4, 30)), published=True)
    hand_roster(session, world.ct.centre, [("CA", "LS2", date(2027, 3, 7), "duty")],
                period=(date(2027, 3, 7), date(2027, 3, 7)))  # a draft: not counted
    session.commit()
    report = rows(world)
    assert set(report) == {"OF1", "OF2", "LS1", "LS2", "AS1"}  # the inactive, never rostered SPARE is left out
    of1 = report["OF1"]
    # 24 h on-call (6 buổi) on 1 March, court morning 07:30–11:30 (1 buổi) on 3 March, 24 h on Saturday 6 March.
    assert (of1["shifts"], of1["hours"], of1["sessions"], of1["weekend_days"], of1["holiday_days"]) == (
        3, 52.0, 13.0, 1, 0)
    assert (report["AS1"]["shifts"], report["AS1"]["sessions"]) == (1, 6.0)
    assert report["LS2"]["shifts"] == 0
    april = rows(world, query="start=2027-04-01&end=2027-04-30")
    assert (april["LS2"]["sessions"], april["LS2"]["holiday_days"]) == (6.0, 1)


@pytest.mark.db
def test_csv_export(world: World) -> None:
    response = world.get("coordinator", "/api/v1/reports/sessions?start=2027-03-01&end=2027-03-03&format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "buoi-truc-CT-2027-03-01-2027-03-03.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    by_code = {r["code"]: r for r in table}
    assert by_code["OF1"]["full_name"] == "Nguyễn Văn An"
    assert (by_code["OF1"]["sessions"], by_code["OF1"]["shifts"]) == ("7.0", "2")


@pytest.mark.db
def test_officer_sees_only_their_own_row(world: World) -> None:
    assert set(rows(world, role="officer")) == {"OF1"}


@pytest.mark.db
@pytest.mark.parametrize(("query", "field"), [
    ("start=2027-03-05&end=2027-03-01", "query.end"),
    ("start=2027-01-01&end=2027-12-31", "query.end"),
    ("start=2027-03-01", "query.end"),
    ("start=March&end=2027-03-02", "query.start"),
    ("start=2027-03-01&end=2027-03-02&format=xlsx", "query.format"),
])
def test_bad_periods_name_the_field(world: World, query: str, field: str) -> None:
    response = world.get("director", f"/api/v1/reports/sessions?{query}")
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == [field]
