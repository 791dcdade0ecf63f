"""A published week of the small test centre, plus a coordinator and a director account linked to people with
phones: the world of the confirm/decline tests. The shifts are materialised and the version published by the real use
cases; the assignments are written by hand (like tests/api/conftest.hand_roster): the solver adds seconds per test
and nothing these tests check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.centre_file import load_centre_data
from duty_roster.models import (
    Assignment,
    AssignmentSource,
    Centre,
    Person,
    PersonKind,
    Role,
    Roster,
    RosterStatus,
    Shift,
    User,
)
from duty_roster.rostering.publish import publish
from duty_roster.rostering.queries import centre_by_code
from duty_roster.rostering.shifts import materialise_shifts
from tests.rostering.centre import covered_centre

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = (date(2030, 12, 2), date(2030, 12, 8))  # Monday .. Sunday, no holiday, years ahead of any test run
BEFORE = datetime(2030, 11, 20, 9, 0, tzinfo=HCM)  # before the week: nothing started, publication on time
COORDINATOR_PHONE = "+84912000200"
DIRECTOR_PHONE = "+84912000300"


@dataclass
class Published:
    centre: Centre
    roster: Roster
    coordinator: User
    director: User


def _office_person(session: Session, centre: Centre, code: str, name: str, phone: str) -> Person:
    """A person record for an office account (inactive: never rostered, still reachable by SMS)."""
    branch_id = session.scalar(sa.select(Person.branch_id).where(Person.centre_id == centre.id).limit(1))
    person = Person(centre_id=centre.id, code=code, full_name=name, kind=PersonKind.OFFICER, branch_id=branch_id,
                    phone=phone, active=False)
    session.add(person)
    return person


def office_accounts(session: Session, centre: Centre) -> tuple[User, User]:
    """The coordinator "dieuphoi" and the director "giamdoc" of `centre`, each linked to a person with a phone (the
    recipients of decline and unconfirmed alerts). Added to the session, not committed."""
    coordinator = User(username="dieuphoi", password_hash="-", role=Role.COORDINATOR, centre_id=centre.id,
                       person=_office_person(session, centre, "DP", "Điều Phối Viên", COORDINATOR_PHONE))
    director = User(username="giamdoc", password_hash="-", role=Role.DIRECTOR, centre_id=centre.id,
                    person=_office_person(session, centre, "GD", "Giám Đốc", DIRECTOR_PHONE))
    session.add_all([coordinator, director])
    return coordinator, director


def _plan(shifts: list[Shift]) -> list[tuple[Shift, str, str]]:
    """D1 holds the Monday on-call, the Thursday court morning and the Saturday on-call (three shifts to answer in
    order); the other on-call days go round D2..D7 with an assistant each; the other court sessions to D2/D3."""
    plan: list[tuple[Shift, str, str]] = []
    for i, shift in enumerate(sorted(shifts, key=lambda s: (s.start_at, s.pattern.code))):
        weekday = shift.day.weekday()
        if shift.pattern.code == "oncall_24h":
            plan.append((shift, "D1" if weekday in (0, 5) else f"D{2 + weekday % 6}", "duty"))
            plan.append((shift, f"A{1 + weekday % 3}", "assistant"))
        elif shift.pattern.code == "court_am" and weekday == 3:
            plan.append((shift, "D1", "duty"))
        else:
            plan.append((shift, "D2" if i % 2 else "D3", "duty"))
    return plan


def published_roster(session: Session, centre: Centre, week: tuple[date, date] = WEEK) -> Roster:
    """`week` of `centre` published as planned by `_plan` (the centre's people are covered_centre's)."""
    people = {p.code: p for p in session.scalars(sa.select(Person).where(Person.centre_id == centre.id))}
    roster = Roster(centre_id=centre.id, period_start=week[0], period_end=week[1], status=RosterStatus.DRAFT)
    roster.assignments = [Assignment(shift=shift, person=people[code], role=role, source=AssignmentSource.MANUAL)
                          for shift, code, role in _plan(materialise_shifts(session, centre, *week))]
    session.add(roster)
    session.flush()
    publish(session, roster, now=BEFORE)
    return roster


def published_week(session: Session) -> Published:
    load_centre_data(session, covered_centre())
    centre = centre_by_code(session, "TST")
    roster = published_roster(session, centre)
    coordinator, director = office_accounts(session, centre)
    session.commit()
    return Published(centre, roster, coordinator, director)


def assignments_of(session: Session, roster: Roster, code: str) -> list[Assignment]:
    """`code`'s assignments in `roster`, earliest first."""
    return list(session.scalars(
        sa.select(Assignment).join(Shift, Assignment.shift_id == Shift.id).join(Person)
        .where(Assignment.roster_id == roster.id, Person.code == code).order_by(Shift.start_at, Assignment.id)
    ))


def busiest(session: Session, roster: Roster) -> str:
    """The duty person with three assignments in the week, earliest on Monday (see `_plan`)."""
    return "D1"
