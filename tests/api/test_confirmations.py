"""Confirm / decline through the API: officers for themselves, managers for anyone of the centre, the decline alert,
changing one's mind, and the refusals (someone else's shift, a draft, a superseded version, bad bodies).

The world's published roster (1-3 March 2027): on-call CA OF1 / OF2 / LS1, court TA OF2 / LS1 / OF1. OF1 is the
officer's person, OF2 the director's; the coordinator's account has no person (so alerts fall back to the director).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

from duty_roster.models import Assignment, AuditLog, OutboxMessage, Roster
from tests.api.conftest import PASSWORD, World, hand_roster, standard_plan

pytestmark = pytest.mark.db
D1, D3 = date(2027, 3, 1), date(2027, 3, 3)
DIRECTOR_PHONE = "+84912345672"  # OF2, the director's person (centre_file phone_base 912345670 + 2)


def held(session: scoped_session, world: World, code: str, location: str, day: date, roster_key: str = "published"
         ) -> Assignment:
    roster = session.get(Roster, world.ct.ids[roster_key])
    assert roster is not None
    return next(a for a in roster.assignments
                if (a.person.code, a.shift.location.code, a.shift.day) == (code, location, day))


def url(assignment: Assignment, action: str) -> str:
    return f"/api/v1/assignments/{assignment.id}/{action}"


def alerts(session: scoped_session) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "alert")
                                .order_by(OutboxMessage.id)))


def test_officer_confirms_their_own_shift(world: World, session: scoped_session) -> None:
    own = held(session, world, "OF1", "CA", D1)

    response = world.post("officer", url(own, "confirm"))

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["id"] == own.id and body["changed"] is True and body["previous"] == "none"
    assert body["confirmed_at"].endswith("+07:00") and body["declined_at"] is None
    assert body["person"]["code"] == "OF1" and body["alerts_queued"] == 0
    again = world.post("officer", url(own, "confirm")).get_json()
    assert again["changed"] is False and again["previous"] == "confirmed"
    [entry] = session.scalars(sa.select(AuditLog).where(AuditLog.action == "assignment.confirm")).all()
    assert entry.detail["via"] == "api" and entry.entity_id == str(own.id)


def test_coordinator_declines_for_an_officer_and_the_director_is_alerted(world: World,
                                                                         session: scoped_session) -> None:
    shift = held(session, world, "OF1", "TA", D3)

    response = world.post("coordinator", url(shift, "decline"), json={"reason": "đi công tác"})

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["declined_at"] and body["confirmed_at"] is None and body["alerts_queued"] == 1
    [alert] = alerts(session)
    assert alert.to_phone == DIRECTOR_PHONE and alert.urgent
    assert "Nguyễn Văn An" in alert.body and "đi công tác" in alert.body
    [entry] = session.scalars(sa.select(AuditLog).where(AuditLog.action == "assignment.decline")).all()
    assert entry.detail["reason"] == "đi công tác"


def test_changing_ones_mind(world: World, session: scoped_session) -> None:
    own = held(session, world, "OF1", "CA", D1)

    declined = world.post("officer", url(own, "decline"), json={}).get_json()
    confirmed = world.post("officer", url(own, "confirm")).get_json()

    assert declined["changed"] and declined["previous"] == "none"
    assert confirmed["changed"] and confirmed["previous"] == "declined" and confirmed["declined_at"] is None
    assert confirmed["alerts_queued"] == 1  # the director hears the decline is withdrawn
    assert [("TỪ CHỐI" in a.body, "XÁC NHẬN lại" in a.body) for a in alerts(session)] == [(True, False),
                                                                                          (False, True)]


def test_officer_cannot_answer_for_a_colleague(world: World, session: scoped_session) -> None:
    theirs = held(session, world, "OF2", "CA", date(2027, 3, 2))

    response = world.post("officer", url(theirs, "decline"), json={"reason": "x"})

    assert response.status_code == 403
    assert "chính mình" in response.get_json()["detail"]
    session.expire_all()
    assert theirs.declined_at is None and alerts(session) == []


def test_drafts_are_not_the_officers_to_see(world: World, session: scoped_session) -> None:
    draft = held(session, world, "OF1", "TA", D3, roster_key="draft")

    assert world.post("officer", url(draft, "confirm")).status_code == 404
    response = world.post("coordinator", url(draft, "confirm"))
    assert response.status_code == 409 and "published" in response.get_json()["detail"]


def test_a_superseded_version_is_refused(world: World, session: scoped_session) -> None:
    old = held(session, world, "OF1", "CA", D1)
    hand_roster(session, world.ct.centre, standard_plan(), published=True)
    session.commit()

    response = world.post("officer", url(old, "confirm"))

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    session.expire_all()
    assert old.confirmed_at is None


@pytest.mark.parametrize("body", [{"reason": "x" * 501}, {"reason": "ốm", "extra": 1}, {"reason": 5}])
def test_bad_decline_bodies_are_422(world: World, session: scoped_session, body: dict[str, Any]) -> None:
    own = held(session, world, "OF1", "CA", D1)

    response = world.post("officer", url(own, "decline"), json=body)

    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["errors"][0]["field"].startswith("json.")
    session.expire_all()
    assert own.declined_at is None


def test_browser_session_is_recorded_as_web(world: World, session: scoped_session) -> None:
    client = world.app.test_client()
    login = client.post("/api/v1/session", json={"username": "officer", "password": PASSWORD})
    csrf = login.get_json()["csrf_token"]
    own = held(session, world, "OF1", "CA", D1)

    assert client.post(url(own, "confirm")).status_code == 403  # a cookie alone never authorises a write
    assert client.post(url(own, "confirm"), headers={"X-CSRF-Token": csrf}).status_code == 200
    [entry] = session.scalars(sa.select(AuditLog).where(AuditLog.action == "assignment.confirm")).all()
    assert entry.detail["via"] == "web"


def test_unknown_assignment_is_404(world: World) -> None:
    assert world.post("director", "/api/v1/assignments/2147483647/confirm").status_code == 404


def test_decline_needs_a_json_body(world: World, session: scoped_session) -> None:
    """Like the swap steps: `{}` (no reason) is fine, no body at all is a 400 and changes nothing."""
    own = held(session, world, "OF1", "CA", D1)

    response = world.post("officer", url(own, "decline"))

    assert response.status_code == 400 and response.get_json()["status"] == 400
    session.expire_all()
    assert own.declined_at is None and alerts(session) == []
