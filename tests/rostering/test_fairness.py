"""Fairness totals of a roster: this version's nights, weekend and holiday days and sessions per person, plus the
published rosters of the months before (drafts and superseded versions never count as history)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import scoped_session

from duty_roster.centre_file import load_centre_data
from duty_roster.models import Centre
from duty_roster.rostering.fairness import ASSISTANTS, DUTY, fairness, months_before
from duty_roster.rostering.queries import centre_by_code
from tests.api.conftest import centre_file, hand_roster

JAN = (date(2027, 1, 4), date(2027, 1, 5))  # Monday, Tuesday: ordinary working days
TET = (date(2027, 2, 5), date(2027, 2, 7))  # Friday to Sunday of Tết Đinh Mùi (holidays 04/02–10/02/2027)


@pytest.fixture
def centre(session: scoped_session) -> Centre:
    data = centre_file("CT", "Cần Thơ")
    data["locations"][0]["shifts"][0]["is_night"] = True  # the 24 h police on-call counts as a night
    load_centre_data(session, data)
    session.commit()
    return centre_by_code(session, "CT")


@pytest.mark.db
def test_period_and_running_totals_per_person(session: scoped_session, centre: Centre) -> None:
    hand_roster(session, centre, [("CA", "OF1", JAN[0], "duty"), ("CA", "OF2", JAN[1], "duty")], period=JAN,
                published=True)
    hand_roster(session, centre, [("CA", "LS2", JAN[0], "duty")], period=JAN)  # a January draft: not history
    d5, d6, d7 = TET[0], date(2027, 2, 6), TET[1]
    roster = hand_roster(session, centre, [
        ("CA", "OF1", d5, "duty"), ("CA", "LS1", d6, "duty"), ("CA", "AS1", d6, "assistant"),
        ("CA", "OF1", d7, "duty"),
    ], period=TET)

    report = fairness(session, roster)

    assert report.history_start == date(2026, 8, 1)
    [duty, assistants] = report.groups
    assert duty.name == DUTY and assistants.name == ASSISTANTS
    assert sorted(r.person.code for r in duty.rows) == ["LS1", "LS2", "OF1", "OF2"]  # SPARE is inactive
    assert [r.person.code for r in assistants.rows] == ["AS1"]
    of1 = next(r for r in duty.rows if r.person.code == "OF1")
    of2 = next(r for r in duty.rows if r.person.code == "OF2")
    ls1 = next(r for r in duty.rows if r.person.code == "LS1")
    assert {m: of1.value(m) for m in ("nights", "weekends", "holidays", "sessions")} == {
        "nights": 2, "weekends": 1, "holidays": 2, "sessions": 12.0}
    assert {m: of1.value(m, running=True) for m in ("nights", "weekends", "holidays", "sessions")} == {
        "nights": 3, "weekends": 1, "holidays": 2, "sessions": 18.0}
    assert of2.value("nights") == 0 and of2.value("nights", running=True) == 1
    assert report.row(ls1.person.id) is ls1
    assert (ls1.value("weekends"), ls1.value("holidays"), ls1.value("sessions")) == (1, 1, 6.0)
    ls2 = next(r for r in duty.rows if r.person.code == "LS2")
    assert ls2.value("nights", running=True) == 0  # the January draft does not count
    nights = duty.period["nights"]
    assert (nights.mean, nights.minimum, nights.maximum, nights.spread) == (0.75, 0, 2, 2)
    assert duty.running["nights"].mean == 1.25 and duty.running["sessions"].spread == 18.0
    assert assistants.period["holidays"].mean == 1.0


def test_months_before_crosses_years() -> None:
    assert months_before(date(2027, 2, 5), 6) == date(2026, 8, 1)
    assert months_before(date(2027, 7, 31), 6) == date(2027, 1, 1)
    assert months_before(date(2027, 1, 1), 0) == date(2027, 1, 1)
