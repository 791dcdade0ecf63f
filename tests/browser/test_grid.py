"""The roster grid in a real Chromium: the director opens a draft's month grid, clicks a cell, tries a reassignment
that breaks a hard rule and reads the rejection in Vietnamese (nothing changes), then makes a valid one and sees the
cell update in place; the fairness chart fits a phone's width."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from duty_roster.extensions import db
from duty_roster.models import Assignment, AssignmentSource, Person, Roster, RosterStatus, Shift
from duty_roster.rostering.queries import centre_by_code
from duty_roster.rostering.shifts import materialise_shifts
from duty_roster.web.grid_labels import short_name
from tests.web.world import CENTRE

pytestmark = pytest.mark.browser
DAY1, DAY2 = date(2027, 2, 5), date(2027, 2, 6)  # Tết Đinh Mùi: the eve and mùng 1 (two on call, holiday demand)


@pytest.fixture
def draft(live_app: Flask) -> Iterator[dict[str, Any]]:
    """A two-day Tết draft of centre TST: D1, D3 and A1 on the first on-call (full), nobody on the second; removed
    afterwards."""
    with live_app.app_context():
        centre = centre_by_code(db.session, CENTRE)
        shifts = {(s.pattern.code, s.day): s for s in materialise_shifts(db.session, centre, DAY1, DAY2)}
        people = {p.code: p for p in db.session.scalars(sa.select(Person).where(Person.centre_id == centre.id))}
        roster = Roster(centre_id=centre.id, period_start=DAY1, period_end=DAY2, status=RosterStatus.DRAFT)
        roster.assignments = [
            Assignment(shift=shifts[("oncall_24h", DAY1)], person=people["D1"], role="duty",
                       source=AssignmentSource.MANUAL),
            Assignment(shift=shifts[("oncall_24h", DAY1)], person=people["D3"], role="duty",
                       source=AssignmentSource.MANUAL),
            Assignment(shift=shifts[("oncall_24h", DAY1)], person=people["A1"], role="assistant",
                       source=AssignmentSource.MANUAL),
        ]
        db.session.add(roster)
        db.session.commit()
        world = {"roster": roster.id, "centre": centre.id, "full": shifts[("oncall_24h", DAY1)].id,
                 "empty": shifts[("oncall_24h", DAY2)].id,
                 "ids": {code: p.id for code, p in people.items()},
                 "short": {code: short_name(p) for code, p in people.items()}}
        db.session.remove()
    yield world
    with live_app.app_context():
        roster = db.session.get(Roster, world["roster"])
        if roster is not None:
            db.session.delete(roster)
        db.session.execute(sa.delete(Shift).where(Shift.centre_id == world["centre"], Shift.day.between(DAY1, DAY2)))
        db.session.commit()
        db.session.remove()


def assignments(live_app: Flask, roster_id: int) -> set[tuple[int, int, str]]:
    with live_app.app_context():
        found = {(a.person_id, a.shift_id, a.role) for a in db.session.scalars(
            sa.select(Assignment).where(Assignment.roster_id == roster_id))}
        db.session.remove()
        return found


def test_director_reassigns_in_the_grid_and_sees_the_rule_rejection(
    page: Any, login: Callable[..., None], shot: Callable[..., Path], live_app: Flask, draft: dict[str, Any]
) -> None:
    login(page, "giamdoc")
    page.goto("/lang/vi")
    page.goto(f"/desk/rosters/{draft['roster']}?month=2027-02")
    full = page.locator(f'td[data-shift="{draft["full"]}"]')
    assert draft["short"]["D1"] in full.inner_text() and draft["short"]["D3"] in full.inner_text()
    assert {"hol", "tet"} <= set((full.get_attribute("class") or "").split())
    assert "uncovered" in (page.locator(f'td[data-shift="{draft["empty"]}"]').get_attribute("class") or "")
    shot(page, "grid-month-draft")
    before = assignments(live_app, draft["roster"])

    # D2 onto the full on-call: one duty person too many (Tết eve needs two).
    full.locator("a.cell-link").click()
    dialog = page.locator("#shift-dialog")
    dialog.locator("form.add-form select[name=person_id]").select_option(str(draft["ids"]["D2"]))
    dialog.locator("form.add-form select[name=role]").select_option("duty")
    dialog.locator("form.add-form button[type=submit]").click()
    rejection = dialog.locator(".rejection")
    rejection.wait_for()
    assert "Không thay đổi: vi phạm quy tắc bắt buộc." in rejection.inner_text()
    assert "Nhiều người hơn số ca trực cần" in rejection.inner_text()
    assert dialog.locator(".force-form").count() == 1  # the director may force it, with a reason
    shot(page, "grid-reassign-rejected")
    assert assignments(live_app, draft["roster"]) == before

    # A valid one: D2 onto the empty on-call of the second day; the cell updates without a reload.
    dialog.locator("[data-close]").click()
    page.locator(f'td[data-shift="{draft["empty"]}"] a.cell-link').click()
    dialog.locator("form.add-form select[name=person_id]").select_option(str(draft["ids"]["D2"]))
    dialog.locator("form.add-form select[name=role]").select_option("duty")
    dialog.locator("form.add-form button[type=submit]").click()
    dialog.locator(".flash-success").wait_for()
    dialog.locator("[data-close]").click()
    assert draft["short"]["D2"] in page.locator(f'td[data-shift="{draft["empty"]}"]').inner_text()
    assert (draft["ids"]["D2"], draft["empty"], "duty") in assignments(live_app, draft["roster"])
    shot(page, "grid-reassign-done")


def test_fairness_chart_on_a_phone(phone_page: Any, login: Callable[..., None], shot: Callable[..., Path],
                                   live_app: Flask) -> None:
    with live_app.app_context():
        published = db.session.scalar(sa.select(Roster.id).where(Roster.status == RosterStatus.PUBLISHED)
                                      .order_by(Roster.id))
        db.session.remove()
    assert published is not None
    login(phone_page, "giamdoc")
    phone_page.goto("/lang/vi")
    phone_page.goto(f"/desk/rosters/{published}/fairness?sort=nights")
    assert phone_page.locator("h1").inner_text().startswith("Công bằng")
    assert phone_page.locator(".fair-person").count() >= 7
    assert "Chênh lệch" in phone_page.locator(".verdict").first.inner_text()
    width = phone_page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways on a phone: {width}"
    shot(phone_page, "grid-fairness-phone")
    phone_page.goto(f"/desk/rosters/{published}")
    assert phone_page.locator(".roster-grid .rowhead").first.evaluate("e => getComputedStyle(e).position") == "sticky"
    shot(phone_page, "grid-month-phone", full_page=False)
