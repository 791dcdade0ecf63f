"""The small centre "TST" with one user per role, shared by the web tests and the browser tests' live server.

Users (password PASSWORD): giamdoc (director), dieuphoi (coordinator), trogiupvien (officer, person D1 with a
phone), lienlac (liaison for the POLICE location), quantri (admin, no centre).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.accounts import create_user
from duty_roster.centre_file import load_centre_data
from duty_roster.models import Centre, Location, Person, Role, Roster, User
from duty_roster.rostering.drafts import generate_draft
from duty_roster.rostering.publish import publish
from duty_roster.rostering.queries import centre_by_code
from tests.rostering.centre import covered_centre

PASSWORD = "matkhau-123"
CENTRE = "TST"
OFFICER_PERSON = "D1"
LIAISON_LOCATION = "POLICE"
ROLES: dict[str, Role] = {
    "giamdoc": Role.DIRECTOR,
    "dieuphoi": Role.COORDINATOR,
    "trogiupvien": Role.OFFICER,
    "lienlac": Role.LIAISON,
    "quantri": Role.ADMIN,
}
HOME = {"giamdoc": "/desk", "dieuphoi": "/desk", "quantri": "/desk", "trogiupvien": "/me", "lienlac": "/board"}


def build_world(session: Session) -> Centre:
    """Load the centre and create the five users; commits."""
    load_centre_data(session, covered_centre())
    session.flush()
    centre = centre_by_code(session, CENTRE)
    person = session.scalar(sa.select(Person).where(Person.centre_id == centre.id, Person.code == OFFICER_PERSON))
    police = session.scalar(sa.select(Location).where(Location.centre_id == centre.id,
                                                      Location.code == LIAISON_LOCATION))
    assert person is not None and person.phone and police is not None
    names = {"giamdoc": "Nguyễn Văn Giám", "dieuphoi": "Trần Thị Điều", "trogiupvien": person.full_name,
             "lienlac": "Lê Văn Liên", "quantri": "Quản trị hệ thống"}
    for username, role in ROLES.items():
        create_user(
            session, username=username, password=PASSWORD, role=role, full_name=names[username],
            centre=None if role is Role.ADMIN else centre,
            person=person if role is Role.OFFICER else None,
            locations=[police] if role is Role.LIAISON else [],
        )
    session.commit()
    return centre


def user(session: Session, username: str) -> User:
    found = session.scalar(sa.select(User).where(User.username == username))
    assert found is not None
    return found


def next_month(today: date) -> tuple[date, date]:
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def publish_period(session: Session, centre: Centre, start: date, end: date, *, now: datetime,
                   time_limit: float = 2.0) -> Roster:
    """Generate (≤ `time_limit` s) and publish a roster for start..end through the real use cases; commits."""
    draft = generate_draft(session, centre, start, end, time_limit=time_limit, workers=2, max_days=None, now=now,
                           created_by=user(session, "giamdoc"))
    session.flush()
    result = publish(session, draft, notice_working_days=0, user=user(session, "giamdoc"), now=now)
    session.commit()
    return result.roster
