"""API test world: two centres loaded through the centre-file loader, one account per role in centre "CT", a
director in centre "HG" (the other tenant), rosters built by hand (no solver) unless a test generates one.

Requests carry the role's Bearer token: `api.get("director", "/api/v1/me")`.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session
from werkzeug.security import generate_password_hash

from duty_roster import accounts
from duty_roster.accounts import create_user, issue_token
from duty_roster.calendar.tokens import issue as issue_feed
from duty_roster.centre_file import load_centre_data
from duty_roster.extensions import db
from duty_roster.models import (
    Assignment,
    AssignmentSource,
    Centre,
    FeedKind,
    HolidayOverride,
    Location,
    Person,
    Preference,
    Role,
    Roster,
    RosterStatus,
    Shift,
    Unavailability,
)
from duty_roster.rostering.publish import publish
from duty_roster.rostering.queries import centre_by_code
from duty_roster.rostering.shifts import materialise_shifts
from duty_roster.solve_jobs import enqueue, run_pending
from tests.conftest import _uses_postgres, make_app

PERIOD = (date(2027, 3, 1), date(2027, 3, 3))  # Monday to Wednesday, far enough ahead not to be "late"
PASSWORD = "mat-khau-thu-nghiem"


def centre_file(code: str, name: str, *, location_prefix: str = "", phone_base: int = 912345670) -> dict[str, Any]:
    """A small centre: four duty people, an assistant and an inactive lawyer; a police on-call (24 h from 07:30),
    a court morning session and an inactive online-hearing point."""
    def phone(i: int) -> str:
        return f"0{phone_base + i}"

    return {
        "centre": {"code": code, "name": f"Trung tâm TGPL {name}", "duty_phone": phone(9)},
        "branches": [{"code": "HQ", "name": "Trụ sở", "is_head_office": True}],
        "people": [
            {"code": "OF1", "full_name": "Nguyễn Văn An", "kind": "officer", "branch": "HQ", "phone": phone(1)},
            {"code": "OF2", "full_name": "Trần Thị Bình", "kind": "officer", "branch": "HQ", "phone": phone(2)},
            {"code": "LS1", "full_name": "Lê Văn Cường", "kind": "lawyer", "branch": "HQ", "phone": phone(3)},
            {"code": "LS2", "full_name": "Đỗ Văn Giang", "kind": "lawyer", "branch": "HQ", "phone": phone(6)},
            {"code": "AS1", "full_name": "Phạm Thị Dung", "kind": "assistant", "branch": "HQ", "phone": phone(4)},
            {"code": "SPARE", "full_name": "Võ Văn Em", "kind": "lawyer", "branch": "HQ", "phone": phone(5),
             "active": False},
        ],
        "locations": [
            {"code": f"{location_prefix}CA", "name": "Cơ quan Cảnh sát điều tra", "kind": "investigation",
             "branch": "HQ", "shifts": [{"code": "oncall", "name": "Trực 24 giờ", "duty_type": "investigation",
                                         "start": "07:30", "duration_hours": 24, "days": "every_day"}]},
            {"code": f"{location_prefix}TA", "name": "Tòa án nhân dân", "kind": "court", "branch": "HQ",
             "shifts": [{"code": "court_am", "name": "Buổi sáng", "duty_type": "court", "start": "07:30",
                         "end": "11:30", "days": "working_days"}]},
            {"code": f"{location_prefix}SPARELOC", "name": "Điểm cầu dự phòng", "kind": "online_hearing_point",
             "branch": "HQ", "active": False},
        ],
        "holiday_overrides": [{"day": "2027-05-03", "kind": "day_off", "name": "Nghỉ bù"}],
        "unavailability": [{"person": "OF1", "start": "2027-04-05", "end": "2027-04-06", "reason": "training"}],
        "preferences": [{"person": "OF1", "wanted": False, "weekday": "sun"}],
    }


@dataclass
class Tenant:
    centre: Centre
    ids: dict[str, int] = field(default_factory=dict)


@dataclass
class World:
    app: Flask
    client: FlaskClient
    tokens: dict[str, str]
    ct: Tenant
    hg: Tenant

    def request(self, role: str | None, method: str, path: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}) or {})
        if role is not None:
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, role: str | None, path: str, **kwargs: Any) -> Any:
        return self.request(role, "GET", path, **kwargs)

    def post(self, role: str | None, path: str, **kwargs: Any) -> Any:
        return self.request(role, "POST", path, **kwargs)

    def put(self, role: str | None, path: str, **kwargs: Any) -> Any:
        return self.request(role, "PUT", path, **kwargs)

    def delete(self, role: str | None, path: str, **kwargs: Any) -> Any:
        return self.request(role, "DELETE", path, **kwargs)


def person(session: scoped_session, centre: Centre, code: str) -> Person:
    return session.scalars(sa.select(Person).where(Person.centre_id == centre.id, Person.code == code)).one()


def location(session: scoped_session, centre: Centre, code: str) -> Location:
    return session.scalars(sa.select(Location).where(Location.centre_id == centre.id, Location.code == code)).one()


def shifts_by_key(session: scoped_session, centre: Centre, start: date, end: date) -> dict[tuple[str, date], Shift]:
    """(location code, day) -> shift, materialised the way roster generation does."""
    return {(s.location.code, s.day): s for s in materialise_shifts(session, centre, start, end)}


def hand_roster(
    session: scoped_session, centre: Centre, plan: list[tuple[str, str, date, str]], *,
    period: tuple[date, date] = PERIOD, published: bool = False, now: datetime | None = None,
) -> Roster:
    """A roster from (location code, person code, day, role) rows, without the solver; published if asked."""
    shifts = shifts_by_key(session, centre, *period)
    roster = Roster(centre_id=centre.id, period_start=period[0], period_end=period[1], status=RosterStatus.DRAFT)
    roster.assignments = [
        Assignment(shift=shifts[(loc, day)], person=person(session, centre, code), role=role,
                   source=AssignmentSource.MANUAL)
        for loc, code, day, role in plan
    ]
    session.add(roster)
    session.flush()
    if published:
        publish(session, roster, now=now)
    session.flush()
    return roster


def standard_plan(prefix: str = "") -> list[tuple[str, str, date, str]]:
    d1, d2, d3 = PERIOD[0], date(2027, 3, 2), PERIOD[1]
    return [
        (f"{prefix}CA", "OF1", d1, "duty"), (f"{prefix}CA", "AS1", d1, "assistant"),
        (f"{prefix}CA", "OF2", d2, "duty"), (f"{prefix}CA", "LS1", d3, "duty"),
        (f"{prefix}TA", "OF2", d1, "duty"), (f"{prefix}TA", "LS1", d2, "duty"), (f"{prefix}TA", "OF1", d3, "duty"),
    ]


@pytest.fixture
def fast_app(app: Flask) -> Flask:
    """Tiny solver limits for tests (2 s, 2 workers); generation jobs wait for `run_jobs` (no runner thread)."""
    return _fast(app)


def _fast(app: Flask) -> Flask:
    settings = app.config["SETTINGS"]
    app.config["SETTINGS"] = dataclasses.replace(settings, SOLVER_TIME_LIMIT=2.0, SOLVER_WORKERS=2,
                                                 JOB_RUNNER="worker")
    return app


def _cheap_hash(password: str) -> str:
    # Accounts hash with scrypt; hundreds of test accounts do not need its cost.
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


def build_world(app: Flask, session: scoped_session) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    """Load both centres, their rosters and the accounts; commit. Returns the tokens and each tenant's ids."""
    tenants = {}
    for code, name, prefix, base in (("CT", "Cần Thơ", "", 912345670), ("HG", "Hậu Giang", "HG-", 913345670)):
        load_centre_data(session, centre_file(code, name, location_prefix=prefix, phone_base=base))
        centre = centre_by_code(session, code)
        published = hand_roster(session, centre, standard_plan(prefix), published=True)
        draft = hand_roster(session, centre, standard_plan(prefix)[::-1][:4])
        tenants[code] = {
            "centre": centre.id,
            "person": person(session, centre, "OF1").id,
            "other_person": person(session, centre, "OF2").id,
            "spare_person": person(session, centre, "SPARE").id,
            "location": location(session, centre, f"{prefix}CA").id,
            "spare_location": location(session, centre, f"{prefix}SPARELOC").id,
            "unavailability": session.scalars(sa.select(Unavailability.id).join(Person)
                                              .where(Person.centre_id == centre.id)).one(),
            "preference": session.scalars(sa.select(Preference.id).join(Person)
                                          .where(Person.centre_id == centre.id)).one(),
            "holiday": session.scalars(sa.select(HolidayOverride.id)
                                       .where(HolidayOverride.centre_id == centre.id)).one(),
            "shift": session.scalars(sa.select(Shift.id).join(Location, Shift.location_id == Location.id)
                                     .where(Location.centre_id == centre.id, Location.code == f"{prefix}CA")
                                     .order_by(Shift.day)).first(),
            "published": published.id,
            "draft": draft.id,
            "job": enqueue(session, centre, date(2027, 5, 3), date(2027, 5, 4), time_limit=1, workers=1,
                           max_days=92).id,
        }
    ct, hg = (session.get(Centre, tenants[code]["centre"]) for code in ("CT", "HG"))
    tokens = {}
    for role, centre, linked, locations in (
        ("admin", None, None, []),
        ("director", ct, "OF2", []),
        ("coordinator", ct, None, []),
        ("officer", ct, "OF1", []),
        ("liaison", ct, None, [location(session, ct, "CA")]),
        ("hg_director", hg, None, []),
    ):
        user = create_user(
            session, username=role, password=PASSWORD, role=Role(role.removeprefix("hg_")), centre=centre,
            full_name=role, person=person(session, centre, linked) if linked and centre else None,
            locations=locations,
        )
        tokens[role] = issue_token(session, user, name="test")
        if role in ("director", "hg_director"):  # a feed link each (API tests revoke it; ids for the matrices)
            ids = tenants["CT" if role == "director" else "HG"]
            feed, _ = issue_feed(session, secret_key=app.config["SECRET_KEY"], centre_id=ids["centre"],
                                 kind=FeedKind.CENTRE, target_id=ids["centre"], user=user)
            ids["feed"] = feed.id
    session.commit()
    return tokens, tenants


@pytest.fixture(scope="session")
def _sqlite_world(_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """On SQLite the world is built once and each test gets a copy of the file: building it per test cost ~0.3 s
    for each of some 600 tests. Same data, same ids, same tokens (TEST_SECRET_KEY everywhere)."""
    folder = tmp_path_factory.mktemp("api-world")
    path = folder / "world.sqlite3"
    shutil.copyfile(_sqlite_template, path)
    app = _fast(make_app(f"sqlite:///{path}", folder / "instance"))
    with pytest.MonkeyPatch.context() as patch, app.app_context():
        patch.setattr(accounts, "generate_password_hash", _cheap_hash)
        built = build_world(app, db.session)
        db.session.remove()
        db.engine.dispose()
    return path, built


@pytest.fixture
def world(fast_app: Flask, session: scoped_session, monkeypatch: pytest.MonkeyPatch,
          request: pytest.FixtureRequest) -> Iterator[World]:
    monkeypatch.setattr(accounts, "generate_password_hash", _cheap_hash)
    if _uses_postgres(request):
        tokens, tenants = build_world(fast_app, session)
    else:
        template, (tokens, tenants) = request.getfixturevalue("_sqlite_world")
        session.remove()
        db.engine.dispose()
        database = sa.engine.make_url(fast_app.config["SQLALCHEMY_DATABASE_URI"]).database
        assert database and Path(database).name == "duty_roster.sqlite3"  # the test's own copy (tests/conftest.py)
        shutil.copyfile(template, database)
    ct, hg = (Tenant(session.get(Centre, tenants[code]["centre"]), dict(tenants[code])) for code in ("CT", "HG"))
    yield World(fast_app, fast_app.test_client(), dict(tokens), ct, hg)


def run_jobs(session: scoped_session) -> int:
    """What the worker process does: run every queued generation job."""
    return run_pending(session, db.engine)


def body_of(what: str) -> dict[str, Any]:
    """Valid request bodies (the centre-file shapes) for create and replace requests in centre CT."""
    data = centre_file("CT", "Cần Thơ")
    bodies: dict[str, Any] = {
        "person_new": {**data["people"][0], "code": "NEW1", "phone": "0987654321"},
        "person_put": {**data["people"][0], "full_name": "Nguyễn Văn An (sửa)"},
        "location_new": {**data["locations"][1], "code": "TA2", "name": "Tòa án khu vực 2"},
        "location_put": {**data["locations"][0], "name": "Công an tỉnh"},
        "unavailability_new": {"person": "OF1", "start": "2027-06-01", "end": "2027-06-02", "reason": "leave"},
        "unavailability_put": {"person": "OF1", "start": "2027-04-05", "end": "2027-04-07", "reason": "training"},
        "preference_new": {"person": "OF1", "wanted": True, "weekday": "mon", "weight": 2},
        "preference_put": {"person": "OF1", "wanted": False, "weekday": "sat"},
        "holiday_new": {"day": "2027-09-03", "kind": "day_off", "name": "Nghỉ bù Quốc khánh"},
        "holiday_put": {"day": "2027-05-03", "kind": "day_off", "name": "Nghỉ bù 30/4"},
        "centre_new": {"centre": {"code": "ST", "name": "Trung tâm TGPL Sóc Trăng"},
                       "branches": [{"code": "HQ", "name": "Trụ sở", "is_head_office": True}]},
        "generate": {"start": "2027-03-01", "end": "2027-03-02"},
        "feed_location": {"kind": "location", "location": "CA"},
    }
    return bodies[what]
