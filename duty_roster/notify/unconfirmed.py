"""Alerts for assignments nobody confirmed: a shift starting within SMS_UNCONFIRMED_ALERT_HOURS whose person neither
confirmed nor declined alerts the centre's coordinators (the director's phone when the centre has no coordinator
with one) and, on an on-call investigation shift, the shift's duty assistant, who may have to cover the first calls.

Once per assignment and recipient: the key names the shift, person and recipient (not the assignment row, which a
republication copies). Alerts are urgent: never held by quiet hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from duty_roster.models import Assignment, Centre, Person, Role, Roster, RosterStatus, Shift, User
from duty_roster.notify import texts


def centre_alert_recipients(session: Session, centre: Centre) -> list[Person]:
    """People who hear centre alerts: active coordinators with a linked person, else the director(s)."""
    for role in (Role.COORDINATOR, Role.DIRECTOR):
        people = session.scalars(
            sa.select(Person).join(User, User.person_id == Person.id)
            .where(User.centre_id == centre.id, User.role == role, User.active.is_(True), Person.phone != "")
            .order_by(User.id)
        ).unique().all()
        if people:
            return list(dict.fromkeys(people))
    return []


def alert_unconfirmed(session: Session, *, now: datetime, hours: int | None = None) -> int:
    """Queue an alert per unconfirmed assignment of the published rosters starting in (now, now + hours]; returns
    how many messages were queued. `hours` defaults to SMS_UNCONFIRMED_ALERT_HOURS (0 = never)."""
    from duty_roster.notify.announce import app_settings
    from duty_roster.notify.outbox import enqueue

    settings = app_settings()
    hours = settings.SMS_UNCONFIRMED_ALERT_HOURS if hours is None else hours
    if hours <= 0:
        return 0
    rows = session.scalars(
        sa.select(Assignment)
        .join(Roster, Assignment.roster_id == Roster.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(Roster.status == RosterStatus.PUBLISHED, Assignment.confirmed_at.is_(None),
               Assignment.declined_at.is_(None), Shift.start_at > now,
               Shift.start_at <= now + timedelta(hours=hours))
        .options(joinedload(Assignment.shift).joinedload(Shift.location), joinedload(Assignment.person),
                 joinedload(Assignment.roster).joinedload(Roster.centre))
        .order_by(Shift.start_at, Assignment.id)
    ).unique().all()
    queued = 0
    managers: dict[int, list[Person]] = {}
    for assignment in rows:
        roster, person, shift = assignment.roster, assignment.person, assignment.shift
        centre = roster.centre
        if centre.id not in managers:
            managers[centre.id] = centre_alert_recipients(session, centre)
        recipients = list(managers[centre.id])
        item = texts.ShiftItem.of(shift, assignment.role, ZoneInfo(centre.timezone))
        if item.on_call and assignment.role != "assistant":
            recipients += [a.person for a in roster.assignments
                           if a.shift_id == shift.id and a.role == "assistant" and a.person_id != person.id]
        for recipient in dict.fromkeys(recipients):
            if recipient.id == person.id:
                continue
            body = texts.render_unconfirmed_alert(
                lang=texts.language(recipient), ascii=texts.wants_ascii(recipient, centre, settings.SMS_ASCII),
                centre=centre, person_name=person.full_name, person_phone=person.phone, item=item,
            )
            key = f"unconfirmed:{shift.id}:{person.id}:{assignment.role}:{recipient.id}"
            if enqueue(session, centre=centre, key=key, kind="unconfirmed", body=body, person=recipient,
                       urgent=True) is not None:
                queued += 1
    return queued
