"""The roster grid pages: who sits in which cell, weekend/holiday/Tết shading, uncovered slots with the solver's
reasons, reassigning through the validated manual-edit use case (refusals leave the database as it was), the
per-person page and the fairness numbers. Rosters are built by hand (no solver) over Tết 2027 (04/02–10/02)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session
from werkzeug.security import generate_password_hash

from duty_roster import accounts
from duty_roster.centre_file import load_centre_data
from duty_roster.models import (
    Assignment,
    AssignmentSource,
    AuditLog,
    Centre,
    Person,
    Roster,
    RosterStatus,
    Shift,
    Unavailability,
    UnavailabilityReason,
)
from duty_roster.rostering.publish import publish
from duty_roster.rostering.queries import centre_by_code
from duty_roster.rostering.shifts import materialise_shifts
from duty_roster.web.grid_labels import in_language, number, short_name
from tests.api.conftest import centre_file
from tests.web.conftest import csrf, login

PERIOD = (date(2027, 1, 25), date(2027, 2, 7))  # two months in the grid; Tết from Thursday 04/02
DEC = (date(2026, 12, 7), date(2026, 12, 8))  # an earlier published roster: the running totals' history
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = date(2027, 2, 1), date(2027, 2, 2), date(2027, 2, 3), date(2027, 2, 6)  # Mon, Tue, Wed, Sat (mùng 1 Tết)


# -- a tiny HTML reader ------------------------------------------------------------------------------------------


class Cells(HTMLParser):
    """<td data-shift> cells and <th class="day"> headers: attributes and text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.cells: dict[str, dict[str, Any]] = {}
        self.days: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "td" and "data-shift" in a:
            self._open = self.cells[a["data-shift"]] = {**a, "text": ""}
        elif tag == "th" and "day" in a.get("class", "").split():
            self._open = {**a, "text": ""}
            self.days.append(self._open)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data


def classes(cell: dict[str, Any]) -> set[str]:
    return set(cell["class"].split())


def text(cell: dict[str, Any]) -> str:
    return " ".join(cell["text"].split())


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no csrf_token in the page"
    return match.group(1)


# -- the world ---------------------------------------------------------------------------------------------------


def people(session: scoped_session, centre: Centre) -> dict[str, Person]:
    return {p.code: p for p in session.scalars(sa.select(Person).where(Person.centre_id == centre.id))}


def shifts(session: scoped_session, centre: Centre, start: date, end: date) -> dict[tuple[str, date], Shift]:
    """(pattern code, day) -> shift, materialised like generation does."""
    return {(s.pattern.code, s.day): s for s in materialise_shifts(session, centre, start, end)}


def roster(session: scoped_session, centre: Centre, period: tuple[date, date],
           plan: list[tuple[str, date, str, str]], report: dict[str, Any] | None = None) -> Roster:
    by_key, who = shifts(session, centre, *period), people(session, centre)
    made = Roster(centre_id=centre.id, period_start=period[0], period_end=period[1], status=RosterStatus.DRAFT,
                  solve_report=report or {})
    made.assignments = [Assignment(shift=by_key[(pattern, day)], person=who[code], role=role,
                                   source=AssignmentSource.SOLVER) for pattern, day, code, role in plan]
    session.add(made)
    session.flush()
    return made


@pytest.fixture(autouse=True)
def _fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts hash with scrypt; test accounts do not need its cost."""
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"))


@pytest.fixture
def tet(session: scoped_session, world: Centre) -> dict[str, Any]:
    """Centre TST: a published December roster (D1 on call), and the draft of 25/01–07/02/2027 with gaps; D7 on leave
    on 03/02; the on-call of 03/02 uncovered with the solver's explanation."""
    centre = world
    who = people(session, centre)
    start = datetime(2027, 2, 3, tzinfo=TZ).astimezone(UTC)
    session.add(Unavailability(person=who["D7"], start_at=start, end_at=start + timedelta(days=1),
                               reason=UnavailabilityReason.LEAVE))
    december = roster(session, centre, DEC, [("oncall_24h", DEC[0], "D1", "duty")])
    publish(session, december, notice_working_days=0, now=datetime(2026, 11, 1, tzinfo=UTC))
    by_key = shifts(session, centre, *PERIOD)
    gap = by_key[("oncall_24h", D[2])]
    report = {"status": "FEASIBLE", "uncovered": [{"shift_id": gap.id, "role": "duty", "missing": 1, "candidates": [
        {"person": "D7", "reasons": [{"rule": "unavailability", "message": "on leave", "params": {}}]},
        {"person": "D2", "reasons": [{"rule": "rest_after_long_shift", "message": "rest after the 24 h shift",
                                      "params": {}}]},
    ]}]}
    draft = roster(session, centre, PERIOD, [
        ("oncall_24h", D[0], "D1", "duty"), ("oncall_24h", D[0], "A1", "assistant"),
        ("oncall_24h", D[1], "D2", "duty"),
        ("oncall_24h", D[3], "D3", "duty"), ("oncall_24h", D[3], "D4", "duty"), ("oncall_24h", D[3], "A2", "assistant"),
        ("court_am", D[1], "D5", "duty"), ("court_pm", D[1], "D6", "duty"),
    ], report)
    session.commit()
    return {"centre": centre, "draft": draft, "december": december, "people": who,
            "shift": {key: s.id for key, s in by_key.items()}}


def month_page(client: FlaskClient, roster_id: int, month: str = "2027-02") -> Cells:
    response = client.get(f"/desk/rosters/{roster_id}?month={month}")
    assert response.status_code == 200, response.get_data(as_text=True)[-800:]
    return Cells(response.get_data(as_text=True))


def rows(session: scoped_session, roster_id: int) -> set[tuple[str, int, str]]:
    session.expire_all()
    found = session.get(Roster, roster_id)
    assert found is not None
    return {(a.person.code, a.shift_id, a.role) for a in found.assignments}


# -- the grid ----------------------------------------------------------------------------------------------------


def test_grid_puts_people_in_their_cells_and_shades_weekends_holidays_and_tet(
    tet: dict[str, Any], logged_in: Callable[[str], FlaskClient]
) -> None:
    client = logged_in("dieuphoi")
    page = month_page(client, tet["draft"].id)
    who, ids = tet["people"], tet["shift"]
    first = page.cells[str(ids[("oncall_24h", D[0])])]
    assert short_name(who["D1"]) in text(first) and short_name(who["A1"]) in text(first)
    assert f"{short_name(who['A1'])}HT" in text(first)  # the assistant is marked
    html = client.get(f"/desk/rosters/{tet['draft'].id}?month=2027-02").get_data(as_text=True)
    assert f'href="/desk/rosters/{tet["draft"].id}/people/{who["D1"].id}"' in html  # names lead to the person
    assert short_name(who["D5"]) in text(page.cells[str(ids[("court_am", D[1])])])
    assert short_name(who["D1"]) not in text(page.cells[str(ids[("court_am", D[1])])])
    assert not classes(first) & {"wkd", "hol", "tet"}
    mung1 = page.cells[str(ids[("oncall_24h", D[3])])]  # Saturday 06/02/2027, mùng 1 Tết
    assert {"wkd", "hol", "tet"} <= classes(mung1)
    assert short_name(who["D3"]) in text(mung1) and short_name(who["D4"]) in text(mung1)
    sunday = page.cells[str(ids[("oncall_24h", D[3] + timedelta(days=1))])]
    assert {"wkd", "tet"} <= classes(sunday)
    # Column headers: dd + Vietnamese short weekday, Tết marked, only the period's days of February.
    assert [d["text"].split()[0] for d in page.days] == [f"{d:02d}" for d in range(1, 8)]
    assert "T2" in page.days[0]["text"] and "CN" in page.days[6]["text"]
    assert "tet" in page.days[3]["class"] and "tet" not in page.days[2]["class"]
    assert page.days[3].get("title")  # the holiday's name on hover


def test_uncovered_slot_is_red_with_the_solvers_reasons(
    tet: dict[str, Any], logged_in: Callable[[str], FlaskClient]
) -> None:
    client = logged_in("giamdoc")
    page = month_page(client, tet["draft"].id)
    gap = page.cells[str(tet["shift"][("oncall_24h", D[2])])]
    assert "uncovered" in classes(gap)
    assert "Đang nghỉ" in gap["title"] and short_name(tet["people"]["D7"]) in gap["title"]
    assert "Phải nghỉ sau ca trực dài" in gap["title"]
    # Demand not met now counts too (no assistant on 02/02), without a solver explanation.
    assert "uncovered" in classes(page.cells[str(tet["shift"][("oncall_24h", D[1])])])
    assert "uncovered" not in classes(page.cells[str(tet["shift"][("court_am", D[1])])])
    shift_page = client.get(f"/desk/rosters/{tet['draft'].id}/shifts/{tet['shift'][('oncall_24h', D[2])]}")
    body = shift_page.get_data(as_text=True)
    assert shift_page.status_code == 200 and "Phải nghỉ sau ca trực dài" in body and "Đang nghỉ" in body
    assert tet["people"]["D7"].full_name in body and "rest after the 24 h shift" not in body
    english = client.get(f"/desk/rosters/{tet['draft'].id}/shifts/{tet['shift'][('oncall_24h', D[2])]}?lang=en")
    assert "rest after the 24 h shift" in english.get_data(as_text=True)  # the solver's own words, in English


def test_month_navigation_and_bad_months(tet: dict[str, Any], logged_in: Callable[[str], FlaskClient]) -> None:
    client = logged_in("dieuphoi")
    january = client.get(f"/desk/rosters/{tet['draft'].id}")  # the period's first month by default
    html = january.get_data(as_text=True)
    assert january.status_code == 200 and "?month=2027-02" in html and "01/2027" in html
    assert len(Cells(html).days) == 7  # 25..31 January
    for bad in ("2027-03", "2027-13", "tháng-hai", "2027-02-01"):
        response = client.get(f"/desk/rosters/{tet['draft'].id}?month={bad}")
        assert response.status_code == 400, bad
        assert "25/01/2027" in response.get_data(as_text=True)
    listing = client.get("/desk/rosters").get_data(as_text=True)
    assert f"/desk/rosters/{tet['draft'].id}" in listing and "nháp" in listing and "đã xuất bản" in listing


# -- reassigning -------------------------------------------------------------------------------------------------


def post_edit(client: FlaskClient, roster_id: int, shift_id: int, fragment: bool = False, **form: Any) -> Any:
    page = client.get(f"/desk/rosters/{roster_id}/shifts/{shift_id}").get_data(as_text=True)
    query = "?fragment=1" if fragment else ""
    return client.post(f"/desk/rosters/{roster_id}/shifts/{shift_id}{query}",
                       data={"csrf_token": form_token(page), **form})


@pytest.mark.db
def test_a_valid_reassignment_changes_the_cell(
    tet: dict[str, Any], logged_in: Callable[[str], FlaskClient], session: scoped_session
) -> None:
    client = logged_in("dieuphoi")
    draft, who, gap = tet["draft"].id, tet["people"], tet["shift"][("oncall_24h", D[2])]
    response = post_edit(client, draft, gap, action="add", person_id=who["D6"].id, role="duty")
    assert response.status_code == 302
    assert ("D6", gap, "duty") in rows(session, draft)
    assert f"Đã thêm {who['D6'].full_name}." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert "uncovered" in classes(month_page(client, draft).cells[str(gap)])  # the assistant is still missing
    assert post_edit(client, draft, gap, action="add", person_id=who["A3"].id, role="assistant").status_code == 302
    cell = month_page(client, draft).cells[str(gap)]
    assert short_name(who["D6"]) in text(cell) and "uncovered" not in classes(cell)
    # Replace through the dialog (fragment): the answer carries the new cell for the grid.
    court = tet["shift"][("court_am", D[1])]
    [held] = [a for a in session.get(Roster, draft).assignments if a.shift_id == court]  # type: ignore[union-attr]
    response = post_edit(client, draft, court, fragment=True, action="replace", assignment_id=held.id,
                         person_id=who["D7"].id)
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[-800:]
    assert 'class="cell-update"' in body and short_name(who["D7"]) in body
    assert ("D7", court, "duty") in rows(session, draft) and ("D5", court, "duty") not in rows(session, draft)
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog)
                          .where(AuditLog.action == "assignment.move")) == 1


@pytest.mark.db
def test_a_reassignment_breaking_a_hard_rule_is_refused_with_the_reason(
    tet: dict[str, Any], logged_in: Callable[[str], FlaskClient], session: scoped_session
) -> None:
    client = logged_in("dieuphoi")
    draft, who = tet["draft"].id, tet["people"]
    before = rows(session, draft)
    gap = tet["shift"][("oncall_24h", D[2])]
    on_leave = post_edit(client, draft, gap, action="add", person_id=who["D7"].id, role="duty")
    body = on_leave.get_data(as_text=True)
    assert on_leave.status_code == 422
    assert 'data-rule="unavailable"' in body and "Đang nghỉ phép hoặc vắng mặt" in body
    rejection = body.split('class="flash flash-error rejection"')[1].split("</ul>")[0]
    assert who["D7"].full_name in rejection and "03/02/2027 07:30" in rejection  # who and which shift, local time
    assert "Ép thay đổi" not in body  # forcing is the director's
    # Double-booking: D2 holds the on-call of 02/02 07:30, which overlaps the court morning.
    court = tet["shift"][("court_am", D[1])]
    [held] = [a for a in session.get(Roster, draft).assignments if a.shift_id == court]  # type: ignore[union-attr]
    twice = post_edit(client, draft, court, action="replace", assignment_id=held.id, person_id=who["D2"].id)
    assert twice.status_code == 422 and 'data-rule="no_overlap"' in twice.get_data(as_text=True)
    english = client.post(f"/desk/rosters/{draft}/shifts/{gap}?lang=en", data={
        "csrf_token": form_token(client.get(f"/desk/rosters/{draft}/shifts/{gap}").get_data(as_text=True)),
        "action": "add", "person_id": who["D7"].id})
    assert "On leave or otherwise unavailable" in english.get_data(as_text=True)
    assert "is unavailable (leave)" in english.get_data(as_text=True)  # the validator's own sentence, in English
    assert "is unavailable (leave)" not in body
    assert rows(session, draft) == before
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog)
                          .where(AuditLog.action.like("assignment.%"))) == 0


@pytest.mark.db
def test_only_the_director_forces_and_only_with_a_reason(
    tet: dict[str, Any], logged_in: Callable[[str], FlaskClient], session: scoped_session
) -> None:
    draft, who, gap = tet["draft"].id, tet["people"], tet["shift"][("oncall_24h", D[2])]
    client = logged_in("dieuphoi")
    forced = dict(action="add", person_id=who["D7"].id, role="duty", force="1", reason="thiếu người")
    assert post_edit(client, draft, gap, **forced).status_code == 403
    client.post("/logout", data={"csrf_token": form_token(client.get("/desk/rosters").get_data(as_text=True))})
    client = logged_in("giamdoc")
    refused = post_edit(client, draft, gap, action="add", person_id=who["D7"].id, role="duty")
    assert refused.status_code == 422 and "force-form" in refused.get_data(as_text=True)
    no_reason = post_edit(client, draft, gap, **{**forced, "reason": "  "})
    assert no_reason.status_code == 422 and ("D7", gap, "duty") not in rows(session, draft)
    assert post_edit(client, draft, gap, **forced).status_code == 302
    assert ("D7", gap, "duty") in rows(session, draft)
    entry = session.scalar(sa.select(AuditLog).where(AuditLog.action == "assignment.add.force"))
    assert entry is not None and entry.detail["reason"] == "thiếu người"


def test_published_versions_are_not_edited_here(
    tet: dict[str, Any], logged_in: Callable[[str], FlaskClient], session: scoped_session
) -> None:
    client = logged_in("giamdoc")
    december, who = tet["december"], tet["people"]
    shift_id = next(iter(a.shift_id for a in december.assignments))
    page = client.get(f"/desk/rosters/{december.id}/shifts/{shift_id}").get_data(as_text=True)
    assert "bản sửa" in page and 'name="action"' not in page
    grid = client.get(f"/desk/rosters/{december.id}").get_data(as_text=True)
    assert f'action="/desk/rosters/{december.id}/repair"' in grid  # the desk's repair, offered where it is needed
    assert f'/desk/rosters/{december.id}/print"' in grid
    before = rows(session, december.id)
    response = client.post(f"/desk/rosters/{december.id}/shifts/{shift_id}",
                           data={"csrf_token": form_token(page), "action": "add", "person_id": who["D2"].id})
    assert response.status_code == 409 and "bản sửa" in response.get_data(as_text=True)
    assert rows(session, december.id) == before


def test_bad_forms_and_foreign_objects(tet: dict[str, Any], logged_in: Callable[[str], FlaskClient],
                                       session: scoped_session) -> None:
    load_centre_data(session, centre_file("HG", "Hậu Giang", phone_base=913345670))
    other = centre_by_code(session, "HG")
    stranger = people(session, other)["OF1"]
    foreign = roster(session, other, (date(2027, 3, 1), date(2027, 3, 1)), [])
    session.commit()
    client = logged_in("dieuphoi")
    draft, gap = tet["draft"].id, tet["shift"][("oncall_24h", D[2])]
    assert client.get(f"/desk/rosters/{foreign.id}").status_code == 404
    assert client.get(f"/desk/rosters/{draft}/shifts/{gap + 100000}").status_code == 404
    assert client.get(f"/desk/rosters/{draft}/people/{stranger.id}").status_code == 404
    assert post_edit(client, draft, gap, action="add", person_id="x").status_code == 400
    assert post_edit(client, draft, gap, action="add", person_id=stranger.id).status_code == 422
    assert post_edit(client, draft, gap, action="remove", assignment_id="999999").status_code == 404
    assert post_edit(client, draft, gap, action="explode").status_code == 400
    assert client.post(f"/desk/rosters/{draft}/shifts/{gap}", data={"action": "add"}).status_code == 400  # no CSRF


def test_officers_and_liaisons_may_not_open_or_change_the_grid(
    tet: dict[str, Any], app: Flask, session: scoped_session
) -> None:
    draft, gap = tet["draft"].id, tet["shift"][("oncall_24h", D[2])]
    before = rows(session, draft)
    for username in ("trogiupvien", "lienlac"):
        client = app.test_client()
        login(client, username)
        for path in ("", f"/{draft}", f"/{draft}/shifts/{gap}", f"/{draft}/people", f"/{draft}/fairness",
                     f"/{draft}/people/{tet['people']['D1'].id}"):
            assert client.get("/desk/rosters" + path).status_code == 403, (username, path)
        token = csrf(client, "/desk/rosters")  # the 403 page carries the session's token too
        response = client.post(f"/desk/rosters/{draft}/shifts/{gap}",
                               data={"csrf_token": token, "action": "add", "person_id": tet["people"]["D6"].id})
        assert response.status_code == 403
    assert rows(session, draft) == before


# -- people and fairness -----------------------------------------------------------------------------------------


def test_person_page_lists_shifts_and_totals(tet: dict[str, Any], logged_in: Callable[[str], FlaskClient]) -> None:
    client = logged_in("dieuphoi")
    d1 = tet["people"]["D1"]
    html = client.get(f"/desk/rosters/{tet['draft'].id}/people/{d1.id}").get_data(as_text=True)
    assert "01/02/2027" in html and "Thứ Hai" in html and "07:30" in html
    this = re.search(r'<tr class="this-period">(.*?)</tr>', html, re.S)
    running = re.search(r'<tr class="running">(.*?)</tr>', html, re.S)
    assert this and running
    assert re.findall(r"<td>([^<]*)</td>", this.group(1)) == ["1", "1", "0", "0", "6"]  # shifts, n, w, h, sessions
    assert re.findall(r"<td>([^<]*)</td>", running.group(1)) == ["2", "2", "0", "0", "12"]
    assert 'class="on"' in html  # the day is marked in the small calendar
    index = client.get(f"/desk/rosters/{tet['draft'].id}/people").get_data(as_text=True)
    assert f"/people/{d1.id}" in index and d1.full_name in index


def test_fairness_numbers_for_a_hand_built_roster(tet: dict[str, Any],
                                                  logged_in: Callable[[str], FlaskClient]) -> None:
    client = logged_in("giamdoc")
    response = client.get(f"/desk/rosters/{tet['draft'].id}/fairness?sort=sessions&by=running")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    duty = html.split('data-group="assistants"')[0]
    assert re.search(r'data-spread="nights">1<', duty) and re.search(r'data-spread="sessions">6<', duty)
    assert re.search(r'data-running-spread="nights">2<', duty)
    assert re.search(r'data-mean="sessions">3,71<', duty)  # (6+6+6+6+1+1+0)/7
    order = re.findall(r'<li class="fair-person" data-person="(\w+)"', duty)
    assert order[0] == "D1" and order[-1] == "D7"  # most sessions including history first
    d3 = duty.split('data-person="D3"')[1].split("</li>")[0]
    values = dict(re.findall(r'data-measure="(\w+)".*?class="v-period" data-value="([\d.]+)"', d3, re.S))
    assert values == {"nights": "1.0", "weekends": "1.0", "holidays": "1.0", "sessions": "6.0"}
    assistants = html.split('data-group="assistants"')[1]
    assert re.findall(r'data-person="(\w+)"', assistants) == ["A1", "A2", "A3"]


def test_admin_reads_the_chosen_centres_grid_but_does_not_edit(
    tet: dict[str, Any], logged_in: Callable[[str], FlaskClient], session: scoped_session
) -> None:
    client = logged_in("quantri")
    draft, gap = tet["draft"].id, tet["shift"][("oncall_24h", D[2])]
    page = client.get(f"/desk/rosters/{draft}/shifts/{gap}")
    assert page.status_code == 200 and 'name="action"' not in page.get_data(as_text=True)
    before = rows(session, draft)
    response = client.post(f"/desk/rosters/{draft}/shifts/{gap}", data={
        "csrf_token": form_token(page.get_data(as_text=True)), "action": "add", "person_id": tet["people"]["D6"].id})
    assert response.status_code == 403 and rows(session, draft) == before


def test_short_names_numbers_and_bilingual_messages(app: Flask) -> None:
    with app.test_request_context("/?lang=vi"):
        assert short_name(Person(code="X", full_name="Nguyễn Văn An")) == "N.V. An"
        assert short_name(Person(code="X", full_name="An")) == "An"
        assert number(12.0) == "12" and number(12.5) == "12,5" and number(4 / 7) == "0,57"
        assert in_language("Tiếng Việt / English") == "Tiếng Việt" and in_language("chỉ một") == "chỉ một"
    with app.test_request_context("/?lang=en"):
        assert number(12.5) == "12.5" and in_language("Tiếng Việt / English") == "English"
