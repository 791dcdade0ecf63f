"""Confirm / decline published assignments: the rules, the audit entries and the coordinators' alerts (outbox rows)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

from duty_roster.models import AuditLog, OutboxMessage, Roster, RosterStatus, User
from duty_roster.rostering.confirmations import (
    NotAnswerable,
    ShiftStarted,
    alert_recipients,
    confirm,
    decline,
    next_unconfirmed,
)
from duty_roster.rostering.errors import RosteringError
from tests.rostering.published import (
    BEFORE,
    COORDINATOR_PHONE,
    DIRECTOR_PHONE,
    Published,
    assignments_of,
    busiest,
    published_week,
)

pytestmark = pytest.mark.db  # also on PostgreSQL with DUTY_ROSTER_TEST_DATABASE_URL


@pytest.fixture
def world(session: scoped_session) -> Published:
    return published_week(session)


def audit(session: scoped_session, action: str) -> list[AuditLog]:
    return list(session.scalars(sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def alerts(session: scoped_session) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "alert")
                                .order_by(OutboxMessage.id)))


def test_confirm_records_time_and_audit_once(session: scoped_session, world: Published) -> None:
    code = busiest(session, world.roster)
    first = assignments_of(session, world.roster, code)[0]

    answer = confirm(session, first, via="web", user=world.coordinator, now=BEFORE)
    again = confirm(session, first, via="sms", now=BEFORE + timedelta(hours=1))
    session.commit()

    assert answer.changed and answer.previous == "none" and answer.alerts == ()
    assert not again.changed and again.previous == "confirmed"
    assert first.confirmed_at == BEFORE and first.declined_at is None
    entries = audit(session, "assignment.confirm")
    assert len(entries) == 1
    assert entries[0].detail["via"] == "web" and entries[0].user_id == world.coordinator.id
    assert alerts(session) == []


def test_decline_alerts_the_coordinator_urgently(session: scoped_session, world: Published) -> None:
    code = busiest(session, world.roster)
    first = assignments_of(session, world.roster, code)[0]

    answer = decline(session, first, via="api", reason="ốm", now=BEFORE)
    session.commit()

    assert answer.changed and first.declined_at == BEFORE and first.confirmed_at is None
    [message] = alerts(session)
    assert answer.alerts == (message,)
    assert message.to_phone == COORDINATOR_PHONE and message.urgent
    assert first.person.full_name in message.body and "TỪ CHỐI" in message.body and "ốm" in message.body
    assert "repair" in message.body
    [entry] = audit(session, "assignment.decline")
    assert entry.detail["reason"] == "ốm" and entry.detail["via"] == "api"

    # The same answer again: nothing new.
    assert not decline(session, first, via="sms", now=BEFORE + timedelta(minutes=5)).changed
    assert len(alerts(session)) == 1


def test_director_is_alerted_when_no_coordinator_has_a_phone(session: scoped_session, world: Published) -> None:
    world.coordinator.person_id = None
    session.commit()
    first = assignments_of(session, world.roster, busiest(session, world.roster))[0]

    decline(session, first, via="web", now=BEFORE)

    assert [m.to_phone for m in alerts(session)] == [DIRECTOR_PHONE]


def test_nobody_to_alert_still_records_the_decline(session: scoped_session, world: Published) -> None:
    world.coordinator.person_id = None
    world.director.active = False
    session.commit()
    first = assignments_of(session, world.roster, busiest(session, world.roster))[0]

    answer = decline(session, first, via="web", now=BEFORE)

    assert answer.changed and answer.alerts == () and first.declined_at is not None
    assert alert_recipients(session, first) == []


def test_changing_ones_mind_before_the_shift(session: scoped_session, world: Published) -> None:
    first = assignments_of(session, world.roster, busiest(session, world.roster))[0]

    confirm(session, first, via="sms", now=BEFORE)
    declined = decline(session, first, via="sms", now=BEFORE + timedelta(hours=1))
    assert declined.changed and declined.previous == "confirmed"
    assert first.confirmed_at is None and first.declined_at is not None

    withdrawn = confirm(session, first, via="web", now=BEFORE + timedelta(hours=2))
    session.commit()
    assert withdrawn.changed and withdrawn.previous == "declined"
    assert first.declined_at is None and first.confirmed_at is not None
    # One alert for the decline, one telling the coordinator the decline is withdrawn.
    bodies = [m.body for m in alerts(session)]
    assert len(bodies) == 2 and "TỪ CHỐI" in bodies[0] and "XÁC NHẬN lại" in bodies[1]


def test_started_shift_is_frozen(session: scoped_session, world: Published) -> None:
    first = assignments_of(session, world.roster, busiest(session, world.roster))[0]
    started = first.shift.start_at

    with pytest.raises(ShiftStarted, match="đã bắt đầu"):
        confirm(session, first, via="sms", now=started)
    with pytest.raises(ShiftStarted, match="already started"):
        decline(session, first, via="sms", now=started + timedelta(hours=1))
    assert first.confirmed_at is None and first.declined_at is None


def test_only_the_current_published_version_is_answerable(session: scoped_session, world: Published) -> None:
    first = assignments_of(session, world.roster, busiest(session, world.roster))[0]
    world.roster.status = RosterStatus.SUPERSEDED
    session.commit()

    with pytest.raises(NotAnswerable, match="not in the current published roster"):
        confirm(session, first, via="api", now=BEFORE)
    assert issubclass(NotAnswerable, RosteringError)
    assert next_unconfirmed(session, first.person, now=BEFORE) is None


def test_draft_assignment_is_refused(session: scoped_session, world: Published) -> None:
    draft = Roster(centre_id=world.centre.id, period_start=world.roster.period_start,
                   period_end=world.roster.period_end, status=RosterStatus.DRAFT)
    first = assignments_of(session, world.roster, busiest(session, world.roster))[0]
    first.roster = draft
    session.flush()

    with pytest.raises(NotAnswerable):
        decline(session, first, via="web", now=BEFORE)
    assert alerts(session) == []


def test_next_unconfirmed_skips_answered_and_started_shifts(session: scoped_session, world: Published) -> None:
    code = busiest(session, world.roster)
    first, second = assignments_of(session, world.roster, code)[:2]
    person = first.person

    assert next_unconfirmed(session, person, now=BEFORE) is first
    confirm(session, first, via="sms", now=BEFORE)
    assert next_unconfirmed(session, person, now=BEFORE) is second
    decline(session, second, via="sms", now=BEFORE)
    rest = assignments_of(session, world.roster, code)[2:]
    assert next_unconfirmed(session, person, now=BEFORE) is (rest[0] if rest else None)
    # After the last shift has started there is nothing left to answer.
    last = assignments_of(session, world.roster, code)[-1]
    assert next_unconfirmed(session, person, now=last.shift.start_at) is None


def test_bad_arguments(session: scoped_session, world: Published) -> None:
    first = assignments_of(session, world.roster, busiest(session, world.roster))[0]
    with pytest.raises(ValueError, match="via"):
        confirm(session, first, via="fax", now=BEFORE)
    with pytest.raises(ValueError, match="aware"):
        confirm(session, first, via="web", now=BEFORE.replace(tzinfo=None))


def test_decliners_own_coordinator_account_is_not_alerted(session: scoped_session, world: Published) -> None:
    """A coordinator who is also on the roster and declines gets no alert about themselves: the director does."""
    first = assignments_of(session, world.roster, busiest(session, world.roster))[0]
    world.coordinator.person = first.person
    session.add(User(username="dp2", password_hash="-", role=world.coordinator.role, centre_id=world.centre.id))
    session.commit()

    decline(session, first, via="web", now=BEFORE)

    assert [m.to_phone for m in alerts(session)] == [DIRECTOR_PHONE]
