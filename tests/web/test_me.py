"""Officer self-service (/me): my shifts, confirm/decline (own only, CSRF-protected), absences with Vietnamese
validation messages, swaps between two officers, the calendar link with its QR code, and notification settings.

A week starting in 8 days is published by hand (no solver): D1, the officer "trogiupvien", holds its first two shifts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session

from duty_roster.accounts import create_user
from duty_roster.models import (
    Assignment,
    AssignmentSource,
    AuditLog,
    Centre,
    FeedToken,
    Person,
    Role,
    Roster,
    RosterStatus,
    Shift,
    SwapRequest,
    SwapStatus,
    Unavailability,
)
from duty_roster.rostering.publish import publish
from duty_roster.rostering.shifts import materialise_shifts
from tests.web.conftest import csrf, login
from tests.web.world import PASSWORD

Login = Callable[[str], FlaskClient]


def person(session: scoped_session, centre: Centre, code: str) -> Person:
    found = session.scalar(sa.select(Person).where(Person.centre_id == centre.id, Person.code == code))
    assert found is not None
    return found


@pytest.fixture
def week(session: scoped_session, world: Centre) -> Roster:
    """Published hand roster of the week starting in 8 days: D1 takes the first two duty slots, D2/D3 the others."""
    start = date.today() + timedelta(days=8)
    end = start + timedelta(days=6)
    d1, d2, d3 = (person(session, world, code) for code in ("D1", "D2", "D3"))
    helper = person(session, world, "A1")
    roster = Roster(centre_id=world.id, period_start=start, period_end=end, status=RosterStatus.DRAFT)
    shifts = sorted(materialise_shifts(session, world, start, end), key=lambda s: (s.start_at, s.id))
    rows, given = [], 0
    for i, shift in enumerate(shifts):
        for role, count in shift.demand.items():
            for _ in range(int(count)):
                if role == "assistant":
                    who = helper
                elif given < 2:
                    who, given = d1, given + 1
                else:
                    who = d2 if i % 2 else d3
                rows.append(Assignment(shift=shift, person=who, role=role, source=AssignmentSource.MANUAL))
    roster.assignments = rows
    session.add(roster)
    session.flush()
    publish(session, roster, notice_working_days=0)
    session.commit()
    return roster


def mine(session: scoped_session, roster: Roster, code: str) -> list[Assignment]:
    return list(session.scalars(
        sa.select(Assignment).join(Shift, Assignment.shift_id == Shift.id).join(Person)
        .where(Assignment.roster_id == roster.id, Person.code == code).order_by(Shift.start_at, Assignment.id)))


def test_my_shifts_lists_my_published_shifts_in_vietnamese(logged_in: Login, session: scoped_session,
                                                          week: Roster) -> None:
    client = logged_in("trogiupvien")
    html = client.get("/me").get_data(as_text=True)
    first = mine(session, week, "D1")[0]
    assert f'id="assignment-{first.id}"' in html
    assert len(re.findall(r'id="assignment-\d+"', html)) == 2  # only mine, only published
    assert "Chờ bạn xác nhận" in html and "Xác nhận" in html
    assert first.shift.location.name in html
    day = first.shift.start_at.astimezone(first.shift.start_at.tzinfo).strftime("%d/%m/%Y")
    assert day[:5] in html  # dd/mm


def test_confirm_and_decline_my_shift(logged_in: Login, session: scoped_session, week: Roster) -> None:
    client = logged_in("trogiupvien")
    first, second = mine(session, week, "D1")
    token = csrf(client, "/me")
    response = client.post(f"/me/assignments/{first.id}/confirm", data={"csrf_token": token})
    assert response.status_code == 302
    response = client.post(f"/me/assignments/{second.id}/decline",
                           data={"csrf_token": token, "reason": "ốm"}, follow_redirects=True)
    assert "điều phối" in response.get_data(as_text=True)
    session.expire_all()
    assert first.confirmed_at is not None and first.declined_at is None
    assert second.declined_at is not None and second.confirmed_at is None
    actions = set(session.scalars(sa.select(AuditLog.action)))
    assert {"assignment.confirm", "assignment.decline"} <= actions


def test_cannot_answer_someone_elses_shift_or_post_without_csrf(logged_in: Login, session: scoped_session,
                                                                week: Roster) -> None:
    client = logged_in("trogiupvien")
    other = mine(session, week, "D2")[0]
    own = mine(session, week, "D1")[0]
    assert client.post(f"/me/assignments/{other.id}/confirm", data={"csrf_token": csrf(client, "/me")}
                       ).status_code == 404
    assert client.post(f"/me/assignments/{own.id}/confirm", data={}).status_code == 400
    session.expire_all()
    assert other.confirmed_at is None and own.confirmed_at is None


def test_accounts_without_a_person_get_a_clear_page(logged_in: Login, world: Centre) -> None:
    client = logged_in("giamdoc")
    response = client.get("/me")
    assert response.status_code == 404
    assert "không gắn với người trực" in response.get_data(as_text=True)


def test_declare_absence_validates_in_vietnamese_and_writes_nothing_when_wrong(
        logged_in: Login, session: scoped_session, world: Centre) -> None:
    client = logged_in("trogiupvien")
    token = csrf(client, "/me/unavailability")
    start = date.today() + timedelta(days=20)
    bad = client.post("/me/unavailability", data={
        "csrf_token": token, "reason": "leave", "start": start.isoformat(),
        "end": (start - timedelta(days=3)).isoformat(), "note": "phép năm"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Chưa lưu gì" in html and 'value="phép năm"' in html  # kept what was typed
    assert session.scalar(sa.select(sa.func.count()).select_from(Unavailability)) == 0
    good = client.post("/me/unavailability", data={
        "csrf_token": token, "reason": "training", "start": start.isoformat(),
        "end": (start + timedelta(days=2)).isoformat(), "note": ""})
    assert good.status_code == 302
    entry = session.scalar(sa.select(Unavailability))
    assert entry is not None and entry.person.code == "D1" and entry.reason.value == "training"


def test_swap_offered_by_one_officer_is_taken_by_another(logged_in: Login, client: FlaskClient,
                                                        session: scoped_session, world: Centre,
                                                        week: Roster) -> None:
    create_user(session, username="trogiupvien2", password=PASSWORD, role=Role.OFFICER, centre=world,
                person=person(session, world, "D4"))
    session.commit()
    offering = logged_in("trogiupvien")
    own = mine(session, week, "D1")[0]
    response = offering.post(f"/me/assignments/{own.id}/offer", data={"csrf_token": csrf(offering, "/me")})
    assert response.status_code == 302
    swap = session.scalar(sa.select(SwapRequest))
    assert swap is not None and swap.status is SwapStatus.OFFERED
    offering.post("/logout", data={"csrf_token": csrf(offering, "/me")})
    login(client, "trogiupvien2")
    assert f'id="swap-{swap.id}"' in client.get("/me/swaps").get_data(as_text=True)
    client.post(f"/me/swaps/{swap.id}/accept", data={"csrf_token": csrf(client, "/me/swaps")})
    session.expire_all()
    assert swap.status in (SwapStatus.ACCEPTED, SwapStatus.APPROVED)
    assert swap.to_person.code == "D4"


def test_calendar_link_with_qr_code_opens_my_feed_and_replacing_it_ends_the_old_one(
        logged_in: Login, session: scoped_session, world: Centre) -> None:
    client = logged_in("trogiupvien")
    assert "Tạo liên kết lịch" in client.get("/me/calendar").get_data(as_text=True)
    html = client.post("/me/calendar", data={"csrf_token": csrf(client, "/me/calendar")},
                       follow_redirects=True).get_data(as_text=True)
    assert "<svg" in html
    webcal = re.search(r'value="(webcal://[^"]+)"', html)
    assert webcal is not None
    path = "/" + webcal.group(1).split("://", 1)[1].split("/", 1)[1]
    feed = client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    client.post("/me/calendar", data={"csrf_token": csrf(client, "/me/calendar")})
    assert client.get(path).status_code == 404
    assert session.scalar(sa.select(sa.func.count()).select_from(FeedToken)
                          .where(FeedToken.revoked_at.is_(None))) == 1


def test_calendar_page_shows_the_link_sent_by_sms_at_publication(logged_in: Login, week: Roster) -> None:
    client = logged_in("trogiupvien")
    webcal = re.search(r'value="(webcal://[^"]+)"', client.get("/me/calendar").get_data(as_text=True))
    assert webcal is not None
    feed = client.get("/" + webcal.group(1).split("://", 1)[1].split("/", 1)[1])
    assert feed.get_data(as_text=True).count("BEGIN:VEVENT") == 2  # my two shifts


def test_notification_settings_validate_reminders(logged_in: Login, session: scoped_session,
                                                  world: Centre) -> None:
    client = logged_in("trogiupvien")
    token = csrf(client, "/me/settings")
    bad = client.post("/me/settings", data={"csrf_token": token, "sms_language": "en", "reminders": "tomorrow",
                                            "locale": "vi"})
    assert bad.status_code == 422 and "18:00-1d" in bad.get_data(as_text=True)
    d1 = person(session, world, "D1")
    session.expire_all()
    assert d1.sms_language == "vi" and d1.reminder_offsets is None
    good = client.post("/me/settings", data={"csrf_token": token, "sms_language": "en", "sms_ascii": "on",
                                             "reminders": "19:00-1d ,2h", "locale": "en"})
    assert good.status_code == 302
    session.expire_all()
    assert (d1.sms_language, d1.sms_ascii, d1.reminder_offsets) == ("en", True, "19:00-1d, 2h")
    assert "Notification settings" in client.get("/me/settings").get_data(as_text=True)  # the page follows
