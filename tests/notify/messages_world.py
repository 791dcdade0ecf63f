"""A published week of the small test centre without the solver (fast): shifts materialised by the real use case,
people given in turn (D1..D7 on duty, A1..A3 assisting the on-call line), then `publish`; plus a coordinator and a
director account linked to people with phones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import cycle
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.centre_file import load_centre_data
from duty_roster.models import Assignment, Centre, Person, PersonKind, Role, Roster, RosterStatus, User
from duty_roster.rostering.publish import publish
from duty_roster.rostering.queries import centre_by_code
from duty_roster.rostering.shifts import materialise_shifts
from tests.rostering.centre import covered_centre

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = (date(2030, 12, 2), date(2030, 12, 8))  # Monday .. Sunday, no holiday
BEFORE = datetime(2030, 11, 20, 9, 0, tzinfo=HCM)  # publication time: 12 days before, outside quiet hours


@dataclass
class World:
    centre: Centre
    roster: Roster
    coordinator: User
    director: User


def office_person(session: Session, centre: Centre, code: str, name: str, phone: str) -> Person:
    branch_id = session.scalar(sa.select(Person.branch_id).where(Person.centre_id == centre.id).limit(1))
    person = Person(centre_id=centre.id, code=code, full_name=name, kind=PersonKind.OFFICER, branch_id=branch_id,
                    phone=phone, active=False)
    session.add(person)
    return person


def draft_in_turn(session: Session, centre: Centre) -> Roster:
    people = {p.code: p for p in session.scalars(sa.select(Person).where(Person.centre_id == centre.id))}
    duty = cycle([people[f"D{i}"] for i in range(1, 8)])
    assist = cycle([people[f"A{i}"] for i in range(1, 4)])
    roster = Roster(centre_id=centre.id, period_start=WEEK[0], period_end=WEEK[1], status=RosterStatus.DRAFT)
    for shift in sorted(materialise_shifts(session, centre, *WEEK), key=lambda s: (s.start_at, s.location_id)):
        for role, count in sorted(shift.demand.items(), reverse=True):  # duty first
            for _ in range(int(count)):
                roster.assignments.append(Assignment(shift=shift, person=next(duty if role == "duty" else assist),
                                                     role=role))
    session.add(roster)
    session.flush()
    return roster


def published_world(session: Session, *, publish_at: datetime = BEFORE) -> World:
    load_centre_data(session, covered_centre())
    centre = centre_by_code(session, "TST")
    coordinator = User(username="dieuphoi", password_hash="-", role=Role.COORDINATOR, centre_id=centre.id,
                       person=office_person(session, centre, "DP", "Điều Phối Viên", "+84912000200"))
    director = User(username="giamdoc", password_hash="-", role=Role.DIRECTOR, centre_id=centre.id,
                    person=office_person(session, centre, "GD", "Giám Đốc", "+84912000300"))
    session.add_all([coordinator, director])
    roster = draft_in_turn(session, centre)
    publish(session, roster, now=publish_at)
    session.commit()
    return World(centre, roster, coordinator, director)
