"""Swaps (đổi ca) end to end through the API: offer or ask, accept (checked against the hard rules), approve (a new
published version naming exactly the two people), auto-approval, refusals, expiry, officers acting for themselves.

The world's published roster (1-3 March 2027): on-call CA OF1 / OF2 / LS1, court TA OF2 / LS1 / OF1. LS2 is free,
and gets an officer account here; OF1 is the officer's person, OF2 the director's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

from duty_roster.accounts import create_user, issue_token
from duty_roster.models import (
    Assignment,
    AssignmentSource,
    AuditLog,
    Role,
    Roster,
    RosterStatus,
    SwapRequest,
    SwapStatus,
)
from duty_roster.rostering import swaps as use_case
from duty_roster.rostering.errors import RosteringError
from tests.api.conftest import PASSWORD, World, person

D1, D2, D3 = date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 3)


@pytest.fixture
def ls2(world: World, session: scoped_session) -> str:
    """An officer account for LS2, the free lawyer."""
    user = create_user(session, username="ls2", password=PASSWORD, role=Role.OFFICER, centre=world.ct.centre,
                       full_name="Đỗ Văn Giang", person=person(session, world.ct.centre, "LS2"))
    world.tokens["ls2"] = issue_token(session, user, name="test")
    session.commit()
    return "ls2"


def published_assignment(session: scoped_session, world: World, code: str, location: str, day: date) -> Assignment:
    session.expire_all()
    roster = session.scalars(sa.select(Roster).where(Roster.centre_id == world.ct.centre.id,
                                                     Roster.status == RosterStatus.PUBLISHED)).one()
    return next(a for a in roster.assignments
                if a.person.code == code and a.shift.location.code == location and a.shift.day == day)


def offer(world: World, caller: str, assignment_id: int, **extra: Any) -> Any:
    return world.post(caller, "/api/v1/swaps", json={"assignment_id": assignment_id, **extra})


def actions(session: scoped_session) -> list[str]:
    session.expire_all()
    return list(session.scalars(sa.select(AuditLog.action).where(AuditLog.action.like("swap.%"))
                                .order_by(AuditLog.id)))


@pytest.mark.db
def test_asked_colleague_accepts_and_the_coordinator_approves_a_new_version(
    world: World, session: scoped_session, ls2: str
) -> None:
    given = published_assignment(session, world, "OF1", "TA", D3)
    created = offer(world, "officer", given.id, to_person="LS2", note="Em bận việc gia đình")
    assert created.status_code == 201, created.get_data(as_text=True)
    swap = created.get_json()
    assert swap["status"] == "requested" and swap["to_person"]["code"] == "LS2"
    assert swap["shift"]["start"] == "2027-03-03T07:30:00+07:00"

    accepted = world.post(ls2, f"/api/v1/swaps/{swap['id']}/accept")
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    assert accepted.get_json()["status"] == "accepted" and accepted.get_json()["publication"] is None
    # Still the old version until a manager approves.
    assert published_assignment(session, world, "OF1", "TA", D3).id == given.id

    approved = world.post("coordinator", f"/api/v1/swaps/{swap['id']}/approve")
    assert approved.status_code == 200, approved.get_data(as_text=True)
    body = approved.get_json()
    assert body["status"] == "approved"
    publication = body["publication"]
    assert publication["superseded_id"] == world.ct.ids["published"]
    assert publication["roster"]["version"] == 2 and body["result_roster_id"] == publication["roster"]["id"]
    assert sorted((c["change"], c["person"]["code"]) for c in publication["changes"]) == [
        ("added", "LS2"), ("removed", "OF1")]
    taken = published_assignment(session, world, "LS2", "TA", D3)
    assert taken.source is AssignmentSource.SWAP and taken.roster_id == publication["roster"]["id"]
    old = session.get(Roster, world.ct.ids["published"])
    assert old is not None and old.status is RosterStatus.SUPERSEDED
    assert len(taken.roster.assignments) == len(old.assignments)  # nothing else changed
    assert actions(session) == ["swap.offer", "swap.accept", "swap.approve"]
    # Settled: no second approval, no cancel.
    assert world.post("director", f"/api/v1/swaps/{swap['id']}/approve").status_code == 409
    assert world.post("officer", f"/api/v1/swaps/{swap['id']}/cancel", json={}).status_code == 409


@pytest.mark.db
def test_open_offer_auto_approved_when_the_centre_says_so(world: World, session: scoped_session, ls2: str) -> None:
    world.ct.centre.settings = {**(world.ct.centre.settings or {}), "auto_approve_swaps": True}
    session.commit()
    given = published_assignment(session, world, "OF1", "TA", D3)
    swap = offer(world, "officer", given.id).get_json()
    assert swap["status"] == "offered" and swap["to_person"] is None
    # An open offer is visible to every officer; LS2 takes it.
    assert swap["id"] in {s["id"] for s in world.get(ls2, "/api/v1/swaps").get_json()["items"]}
    accepted = world.post(ls2, f"/api/v1/swaps/{swap['id']}/accept")
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    body = accepted.get_json()
    assert body["status"] == "approved" and body["to_person"]["code"] == "LS2"
    assert {c["person"]["code"] for c in body["publication"]["changes"]} == {"OF1", "LS2"}
    assert published_assignment(session, world, "LS2", "TA", D3).source is AssignmentSource.SWAP
    session.expire_all()
    entry = session.scalars(sa.select(AuditLog).where(AuditLog.action == "swap.approve")).one()
    assert entry.detail["auto"] is True and entry.user_id is None


@pytest.mark.db
def test_a_swap_breaking_a_hard_rule_is_refused_with_the_rule(world: World, session: scoped_session) -> None:
    # OF2 (the director's person) comes off the 24-hour on-call of 2 March at 07:30 on 3 March: taking OF1's court
    # session at 07:30 that morning leaves no rest after a long shift.
    given = published_assignment(session, world, "OF1", "TA", D3)
    swap = offer(world, "officer", given.id).get_json()
    refused = world.post("director", f"/api/v1/swaps/{swap['id']}/accept")
    assert refused.status_code == 422, refused.get_data(as_text=True)
    problem = refused.get_json()
    assert "rest_after_long_shift" in problem["rules"]
    assert any(v["person"] == "OF2" for v in problem["violations"])
    assert world.get("director", f"/api/v1/swaps/{swap['id']}").get_json()["status"] == "offered"


@pytest.mark.db
def test_officers_act_only_for_themselves(world: World, session: scoped_session, ls2: str) -> None:
    theirs = published_assignment(session, world, "OF2", "TA", D1)
    assert offer(world, "officer", theirs.id).status_code == 403  # not the officer's shift
    # The director asks on OF2's behalf that LS1 take it: a request between others is invisible to the officer.
    request = offer(world, "director", theirs.id, to_person="LS1")
    assert request.status_code == 201, request.get_data(as_text=True)
    swap_id = request.get_json()["id"]
    assert world.get("officer", f"/api/v1/swaps/{swap_id}").status_code == 404
    assert swap_id not in {s["id"] for s in world.get("officer", "/api/v1/swaps").get_json()["items"]}
    assert world.post("officer", f"/api/v1/swaps/{swap_id}/accept").status_code == 404
    assert world.post("officer", f"/api/v1/swaps/{swap_id}/approve").status_code == 403  # role
    # LS2 sees nothing either; the coordinator (no person of their own) cannot accept as anyone.
    assert world.post(ls2, f"/api/v1/swaps/{swap_id}/accept").status_code == 404
    assert world.post("coordinator", f"/api/v1/swaps/{swap_id}/accept").status_code == 403
    # A request asked of someone else is not anyone's to take.
    mine = published_assignment(session, world, "OF1", "TA", D3)
    asked = offer(world, "officer", mine.id, to_person="LS1").get_json()
    assert world.post(ls2, f"/api/v1/swaps/{asked['id']}/accept").status_code == 404
    assert world.post(ls2, f"/api/v1/swaps/{asked['id']}/decline", json={}).status_code == 404
    # One open swap per assignment; the offerer cannot take their own.
    assert offer(world, "officer", mine.id).status_code == 409
    assert world.post("director", f"/api/v1/swaps/{asked['id']}/decline", json={}).status_code == 403


@pytest.mark.db
def test_decline_cancel_reject(world: World, session: scoped_session, ls2: str) -> None:
    mine = published_assignment(session, world, "OF1", "TA", D3)
    asked = offer(world, "officer", mine.id, to_person="LS2").get_json()
    declined = world.post(ls2, f"/api/v1/swaps/{asked['id']}/decline", json={"note": "Tôi bận"})
    assert declined.status_code == 200 and declined.get_json()["status"] == "rejected"
    assert declined.get_json()["decision_note"] == "Tôi bận"
    again = offer(world, "officer", mine.id).get_json()
    assert world.post(ls2, f"/api/v1/swaps/{again['id']}/cancel", json={}).status_code == 403  # not the offerer
    cancelled = world.post("officer", f"/api/v1/swaps/{again['id']}/cancel", json={})
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    third = offer(world, "officer", mine.id, to_person="LS2").get_json()
    assert world.post(ls2, f"/api/v1/swaps/{third['id']}/accept").status_code == 200
    rejected = world.post("director", f"/api/v1/swaps/{third['id']}/reject", json={"note": "Cần luật sư"})
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "rejected"
    assert published_assignment(session, world, "OF1", "TA", D3).id == mine.id  # never applied
    assert actions(session) == ["swap.offer", "swap.rejected", "swap.offer", "swap.cancelled", "swap.offer",
                                "swap.accept", "swap.rejected"]
    listed = world.get("director", "/api/v1/swaps?status=rejected").get_json()
    assert listed["total"] == 2


@pytest.mark.db
def test_bad_offers(world: World, session: scoped_session) -> None:
    mine = published_assignment(session, world, "OF1", "TA", D3)
    assert offer(world, "officer", mine.id, to_person="OF1").status_code == 422  # oneself
    assert offer(world, "officer", mine.id, to_person="SPARE").status_code == 422  # inactive
    unknown = offer(world, "officer", mine.id, to_person="NOBODY")
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "json.to_person"
    assert offer(world, "officer", 2_000_000).status_code == 404
    draft = session.get(Roster, world.ct.ids["draft"])
    assert draft is not None
    draft_one = draft.assignments[0]
    assert offer(world, "officer", draft_one.id).status_code == 404  # officers never see drafts
    assert offer(world, "director", draft_one.id).status_code == 409  # only the published version
    hg_one = session.scalars(sa.select(Assignment).where(Assignment.roster_id == world.hg.ids["published"])).first()
    assert hg_one is not None
    assert offer(world, "director", hg_one.id).status_code == 404


@pytest.mark.db
def test_a_swap_expires_once_the_shift_has_started(world: World, session: scoped_session) -> None:
    mine = published_assignment(session, world, "OF1", "TA", D3)
    created = offer(world, "officer", mine.id, to_person="LS2").get_json()
    swap = session.get(SwapRequest, created["id"])
    assert swap is not None
    started = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội time, half an hour into the session
    with pytest.raises(RosteringError, match="expired"):
        use_case.accept(session, swap, person(session, world.ct.centre, "LS2"), now=started)
    assert swap.status is SwapStatus.EXPIRED
    session.commit()
    assert world.get("director", f"/api/v1/swaps/{swap.id}").get_json()["status"] == "expired"
    # The listing expires what is due as well.
    other = published_assignment(session, world, "OF1", "CA", D1)
    pending = use_case.offer(session, other, now=datetime(2027, 2, 1, tzinfo=UTC))
    assert use_case.expire_started(session, world.ct.centre.id, now=started) == 1
    assert pending.status is SwapStatus.EXPIRED
    actions_logged = actions(session)
    assert actions_logged.count("swap.expire") == 2


@pytest.mark.db
def test_approval_applies_to_the_current_version_and_rechecks_the_rules(
    world: World, session: scoped_session, ls2: str
) -> None:
    """Two swaps accepted against version 1: each approval starts from the version published at that moment, and
    one that has become illegal meanwhile (LS2 would hold two overlapping shifts) is refused at approval."""
    court_d3 = offer(world, "director", published_assignment(session, world, "OF1", "TA", D3).id,
                     to_person="LS2").get_json()
    court_d2 = offer(world, "director", published_assignment(session, world, "LS1", "TA", D2).id,
                     to_person="LS2").get_json()
    oncall_d3 = offer(world, "director", published_assignment(session, world, "LS1", "CA", D3).id,
                      to_person="LS2").get_json()
    for swap in (court_d3, court_d2, oncall_d3):
        assert world.post(ls2, f"/api/v1/swaps/{swap['id']}/accept").status_code == 200
    first = world.post("director", f"/api/v1/swaps/{court_d3['id']}/approve").get_json()
    second = world.post("director", f"/api/v1/swaps/{court_d2['id']}/approve")
    assert second.status_code == 200, second.get_data(as_text=True)
    publication = second.get_json()["publication"]
    assert publication["superseded_id"] == first["result_roster_id"] and publication["roster"]["version"] == 3
    assert sorted((c["change"], c["person"]["code"]) for c in publication["changes"]) == [
        ("added", "LS2"), ("removed", "LS1")]
    assert published_assignment(session, world, "LS2", "TA", D3).roster_id == publication["roster"]["id"]
    third = world.post("director", f"/api/v1/swaps/{oncall_d3['id']}/approve")
    assert third.status_code == 422 and "no_overlap" in third.get_json()["rules"]
    assert world.get("director", f"/api/v1/swaps/{oncall_d3['id']}").get_json()["status"] == "accepted"
