"""A published week of the small test centre without the solver (fast): shifts materialised by the real use case,
people given in turn (D1..D7 on duty, A1..A3 assisting the on-call line), then `publish`; plus the coordinator and
director accounts of tests/rostering/published.py (same week, same accounts, another plan)."""

from __future__ import annotations

from datetime import datetime
from itertools import cycle

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.centre_file import load_centre_data
from duty_roster.models import Assignment, Centre, Person, Roster, RosterStatus
from duty_roster.rostering.publish import publish
from duty_roster.rostering.queries import centre_by_code
from duty_roster.rostering.shifts import materialise_shifts
from tests.rostering.centre import covered_centre
from tests.rostering.published import BEFORE, HCM, WEEK, office_accounts
from tests.rostering.published import Published as World

__all__ = ["BEFORE", "HCM", "WEEK", "World", "draft_in_turn", "published_world"]


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
    coordinator, director = office_accounts(session, centre)
    roster = draft_in_turn(session, centre)
    publish(session, roster, now=publish_at)
    session.commit()
    return World(centre, roster, coordinator, director)
