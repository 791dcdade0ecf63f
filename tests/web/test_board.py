"""The liaison duty board: who is on duty now and next at the liaison's locations, with tap-to-call links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session

from duty_roster.models import Centre, Location, utcnow
from duty_roster.on_duty import on_duty
from tests.web.world import publish_period

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def live_roster(world: Centre, session: scoped_session) -> Centre:
    """A published roster from yesterday to tomorrow (local), so somebody is on duty at the police line now."""
    today = utcnow().astimezone(HCM).date()
    start, end = today - timedelta(days=1), today + timedelta(days=1)
    publish_period(session, world, start, end, now=datetime.combine(start - timedelta(days=1), time(0), HCM))
    return world


def police(session: scoped_session, centre: Centre) -> Location:
    location = session.scalar(sa.select(Location).where(Location.centre_id == centre.id, Location.code == "POLICE"))
    assert location is not None
    return location


def test_liaison_sees_who_is_on_duty_now_with_tap_to_call(
    logged_in: Callable[[str], FlaskClient], live_roster: Centre, session: scoped_session
) -> None:
    client = logged_in("lienlac")
    response = client.get("/board")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    now = on_duty(session, police(session, live_roster), utcnow())
    assert {a.role for a in now.assignments} == {"duty", "assistant"}
    for assignment in now.assignments:
        assert assignment.person.full_name in html
        assert f'href="tel:{assignment.person.phone}"' in html
    assert "Trực chính" in html and "Hỗ trợ trực" in html
    assert 'href="tel:+842923812399"' in html  # the centre's duty phone
    assert "Tiếp theo, từ" in html  # the next people
    assert '<meta http-equiv="refresh" content="60">' in html
    assert "Cơ quan Cảnh sát điều tra" in html
    assert "Tòa án nhân dân" not in html  # not one of this liaison's locations


def test_managers_see_every_court_and_police_location(
    logged_in: Callable[[str], FlaskClient], live_roster: Centre
) -> None:
    html = logged_in("dieuphoi").get("/board").get_data(as_text=True)
    assert "Cơ quan Cảnh sát điều tra" in html and "Tòa án nhân dân khu vực 1 – Cần Thơ" in html


def test_board_says_so_when_nobody_is_on_duty(logged_in: Callable[[str], FlaskClient], world: Centre) -> None:
    html = logged_in("lienlac").get("/board").get_data(as_text=True)
    assert "Hiện không có ai trực tại đây." in html and "Chưa có lịch trực nào được công bố sắp tới." in html


def test_board_is_for_liaisons_and_managers_only(
    client: FlaskClient, logged_in: Callable[[str], FlaskClient]
) -> None:
    assert client.get("/board").headers["Location"] == "/login?next=/board"
    assert logged_in("trogiupvien").get("/board").status_code == 403


def test_print_version_lists_the_coming_days(
    logged_in: Callable[[str], FlaskClient], live_roster: Centre, session: scoped_session
) -> None:
    response = logged_in("lienlac").get("/board/print?days=3")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "refresh" not in html
    assert "Trực trợ giúp pháp lý: Trung tâm thử nghiệm" in html
    now = on_duty(session, police(session, live_roster), utcnow())
    assert all(a.person.full_name in html for a in now.assignments)
    assert html.count("<tr>") >= 3  # header + at least today's duty person and assistant
