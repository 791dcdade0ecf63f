"""/audit: the director reads the centre's audit log, newest first, filtered; phones masked; others are refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session
from werkzeug.security import generate_password_hash

from duty_roster import accounts, audit
from duty_roster.models import AuditLog, Centre, User

Login = Callable[[str], FlaskClient]


@pytest.fixture(autouse=True)
def _cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"))


@pytest.fixture
def entries(session: scoped_session, world: Centre) -> Centre:
    director = session.scalar(sa.select(User).where(User.username == "giamdoc"))
    coordinator = session.scalar(sa.select(User).where(User.username == "dieuphoi"))
    rows = [
        ("person.save", coordinator, datetime(2026, 10, 1, 2, 0, tzinfo=UTC), {"code": "OLDEST"}),
        ("roster.publish", director, datetime(2026, 10, 5, 2, 0, tzinfo=UTC), {"version": 2, "code": "MIDDLE"}),
        ("sms.sent", None, datetime(2026, 10, 9, 2, 0, tzinfo=UTC), {"to": "+84912345678", "code": "NEWEST",
                                                                      "people": {"phone": "0987 654 321"}}),
    ]
    for action, user, at, detail in rows:
        entry = audit.record(session, action, centre=world, user=user, entity="thing", entity_id=7, **detail)
        entry.at = at
    audit.record(session, "person.save", centre=None, entity="elsewhere", code="OTHER-CENTRE")
    session.commit()
    return world


def codes(html: str) -> list[str]:
    return re.findall(r"<dd>(OLDEST|MIDDLE|NEWEST|OTHER-CENTRE)</dd>", html)


def test_newest_first_with_readable_details_and_masked_phones(logged_in: Login, entries: Centre) -> None:
    html = logged_in("giamdoc").get("/audit").get_data(as_text=True)
    assert codes(html) == ["NEWEST", "MIDDLE", "OLDEST"]
    assert "<dt>version:</dt><dd>2</dd>" in html
    assert "+84912345678" not in html and "0987 654 321" not in html
    assert "+8491****678" in html
    assert "09/10/2026 09:00" in html  # local time (UTC+7)


def test_filters_by_action_user_and_dates(logged_in: Login, entries: Centre, session: scoped_session) -> None:
    client = logged_in("giamdoc")
    assert codes(client.get("/audit?action=roster.publish").get_data(as_text=True)) == ["MIDDLE"]
    coordinator = session.scalar(sa.select(User.id).where(User.username == "dieuphoi"))
    assert codes(client.get(f"/audit?user={coordinator}").get_data(as_text=True)) == ["OLDEST"]
    html = client.get("/audit?start=2026-10-02&end=2026-10-09").get_data(as_text=True)
    assert codes(html) == ["NEWEST", "MIDDLE"]
    assert codes(client.get("/audit?start=05/10/2026&end=05/10/2026").get_data(as_text=True)) == ["MIDDLE"]


def test_admin_sees_the_chosen_centre(logged_in: Login, entries: Centre) -> None:
    html = logged_in("quantri").get("/audit").get_data(as_text=True)
    assert codes(html) == ["NEWEST", "MIDDLE", "OLDEST"]


@pytest.mark.parametrize("username", ["dieuphoi", "trogiupvien", "lienlac"])
def test_others_are_refused(logged_in: Login, entries: Centre, username: str) -> None:
    assert logged_in(username).get("/audit").status_code == 403


def test_paginated(logged_in: Login, entries: Centre, session: scoped_session) -> None:
    for i in range(60):
        audit.record(session, "bulk.test", centre=entries, entity="n", entity_id=i)
    session.commit()
    client = logged_in("giamdoc")
    first = client.get("/audit?action=bulk.test").get_data(as_text=True)
    assert first.count('<td title="bulk.test">bulk.test</td>') == 50 and "page=2" in first
    second = client.get("/audit?action=bulk.test&page=2").get_data(as_text=True)
    assert second.count('<td title="bulk.test">bulk.test</td>') == 10
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) >= 64


def test_actions_are_named_in_vietnamese_and_unknown_ones_shown_as_stored(logged_in: Login, entries: Centre) -> None:
    html = logged_in("giamdoc").get("/audit").get_data(as_text=True)
    rows = [row for row in re.findall(r'<td title="([a-z_.]+)">([^<]+)</td>', html)
            if row[0] in ("sms.sent", "roster.publish", "person.save")]
    assert rows == [("sms.sent", "sms.sent"), ("roster.publish", "Công bố lịch trực"),
                    ("person.save", "Lưu thông tin người trực")]
    assert '<option value="roster.publish">Công bố lịch trực</option>' in html
