"""Manual adjustment of drafts through the API: every change validated by the independent validator, refused with
the rule's name and message, forced only by the director with a reason (audit log), published versions immutable."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

from duty_roster.models import Assignment, AssignmentSource, AuditLog, Roster
from tests.api.conftest import World, shifts_by_key

D1, D2, D3 = date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 3)


def shift_id(world: World, session: scoped_session, location: str, day: date) -> int:
    return shifts_by_key(session, world.ct.centre, D1, D3)[(location, day)].id


def draft_rows(session: scoped_session, roster_id: int) -> set[tuple[str, int, str, str]]:
    session.expire_all()
    roster = session.get(Roster, roster_id)
    assert roster is not None
    return {(a.person.code, a.shift_id, a.role, a.source.value) for a in roster.assignments}


def assignment_of(session: scoped_session, roster_id: int, code: str, sid: int) -> Assignment:
    session.expire_all()
    return next(a for a in session.get(Roster, roster_id).assignments  # type: ignore[union-attr]
                if a.person.code == code and a.shift_id == sid)


def audit(session: scoped_session, action: str) -> list[AuditLog]:
    session.expire_all()
    return list(session.scalars(sa.select(AuditLog).where(AuditLog.action == action)))


def add(world: World, caller: str, roster_id: int, /, **body: Any) -> Any:
    return world.post(caller, f"/api/v1/rosters/{roster_id}/assignments", json=body)


@pytest.mark.db
def test_a_clean_addition_is_stored_as_manual_and_audited(world: World, session: scoped_session) -> None:
    draft = world.ct.ids["draft"]
    ca1 = shift_id(world, session, "CA", D1)
    response = add(world, "coordinator", draft, shift_id=ca1, person="LS2")
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["assignment"]["person"]["code"] == "LS2" and body["assignment"]["source"] == "manual"
    assert body["forced"] == []
    assert ("LS2", ca1, "duty", "manual") in draft_rows(session, draft)
    [entry] = audit(session, "assignment.add")
    assert entry.detail["person"] == "LS2" and entry.entity_id == str(draft)


@pytest.mark.db
def test_a_violating_addition_is_refused_with_the_rule_and_the_validators_message(
    world: World, session: scoped_session
) -> None:
    draft = world.ct.ids["draft"]
    before = draft_rows(session, draft)
    ca3 = shift_id(world, session, "CA", D3)  # OF1 already holds the court session of 3 March 07:30-11:30
    response = add(world, "director", draft, shift_id=ca3, person="OF1")
    assert response.status_code == 422, response.get_data(as_text=True)
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert "no_overlap" in problem["rules"]
    [overlap] = [v for v in problem["violations"] if v["rule"] == "no_overlap"]
    assert overlap["person"] == "OF1" and str(ca3) in overlap["shifts"]
    assert overlap["message"] in problem["detail"]
    assert {"field": "rule.no_overlap", "message": overlap["message"]} in problem["errors"]
    assert draft_rows(session, draft) == before  # nothing written
    # Only the violations the change introduces: an assistant (role not held as duty) adds a different rule.
    wrong_role = add(world, "director", draft, shift_id=shift_id(world, session, "CA", D1), person="AS1")
    assert wrong_role.status_code == 422
    assert wrong_role.get_json()["rules"] == ["role_not_held"]


@pytest.mark.db
def test_only_the_director_forces_and_only_with_a_reason(world: World, session: scoped_session) -> None:
    draft = world.ct.ids["draft"]
    ca3 = shift_id(world, session, "CA", D3)
    coordinator = add(world, "coordinator", draft, shift_id=ca3, person="OF1", force=True, reason="thiếu người")
    assert coordinator.status_code == 403
    no_reason = add(world, "director", draft, shift_id=ca3, person="OF1", force=True, reason="  ")
    assert no_reason.status_code == 422
    assert no_reason.get_json()["errors"][0]["field"] == "json.reason"
    forced = add(world, "director", draft, shift_id=ca3, person="OF1", force=True,
                 reason="Không còn ai trực; anh An đồng ý")
    assert forced.status_code == 201, forced.get_data(as_text=True)
    assert {v["rule"] for v in forced.get_json()["forced"]} >= {"no_overlap"}
    assert ("OF1", ca3, "duty", "manual") in draft_rows(session, draft)
    [entry] = audit(session, "assignment.add.force")
    assert entry.detail["reason"] == "Không còn ai trực; anh An đồng ý" and entry.detail["forced"] is True
    assert "no_overlap" in {v["rule"] for v in entry.detail["violations"]}
    # The roster now breaks a rule, which does not block an unrelated, clean change.
    clean = add(world, "coordinator", draft, shift_id=shift_id(world, session, "CA", D1), person="LS2")
    assert clean.status_code == 201, clean.get_data(as_text=True)


@pytest.mark.db
def test_move_replaces_person_shift_or_role_and_is_validated(world: World, session: scoped_session) -> None:
    draft = world.ct.ids["draft"]
    ta3 = shift_id(world, session, "TA", D3)
    moved = assignment_of(session, draft, "OF1", ta3)
    path = f"/api/v1/rosters/{draft}/assignments/{moved.id}"
    # LS2 has nothing in the draft: handing OF1's 3 March court session to LS2 is clean...
    response = world.put("coordinator", path, json={"shift_id": ta3, "person": "LS2"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["assignment"]["person"]["code"] == "LS2"
    rows = draft_rows(session, draft)
    assert ("LS2", ta3, "duty", "manual") in rows and not any(r[0] == "OF1" and r[1] == ta3 for r in rows)
    # ...handing it to LS1, who holds the 3 March on-call, overlaps: refused, nothing changed.
    refused = world.put("coordinator", path, json={"shift_id": ta3, "person": "LS1"})
    assert refused.status_code == 422 and "no_overlap" in refused.get_json()["rules"]
    assert draft_rows(session, draft) == rows
    [entry] = audit(session, "assignment.move")
    assert entry.detail["before"]["person"] == "OF1" and entry.detail["after"]["person"] == "LS2"


@pytest.mark.db
def test_remove_deletes_one_assignment(world: World, session: scoped_session) -> None:
    draft = world.ct.ids["draft"]
    ta3 = shift_id(world, session, "TA", D3)
    gone = assignment_of(session, draft, "OF1", ta3)
    response = world.delete("coordinator", f"/api/v1/rosters/{draft}/assignments/{gone.id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["assignment"] is None
    assert not any(r[0] == "OF1" for r in draft_rows(session, draft))
    assert audit(session, "assignment.remove")[0].detail["before"]["person"] == "OF1"
    again = world.delete("coordinator", f"/api/v1/rosters/{draft}/assignments/{gone.id}")
    assert again.status_code == 404
    forced = world.delete("coordinator", f"/api/v1/rosters/{draft}/assignments/999?force=true&reason=x")
    assert forced.status_code in (403, 404)


@pytest.mark.db
def test_published_and_superseded_versions_are_immutable(world: World, session: scoped_session) -> None:
    published = world.ct.ids["published"]
    ta3 = shift_id(world, session, "TA", D3)
    mine = assignment_of(session, published, "OF1", ta3)
    for response in (
        add(world, "director", published, shift_id=shift_id(world, session, "CA", D1), person="LS2"),
        world.put("director", f"/api/v1/rosters/{published}/assignments/{mine.id}",
                  json={"shift_id": ta3, "person": "LS2"}),
        world.delete("director", f"/api/v1/rosters/{published}/assignments/{mine.id}"),
        add(world, "director", published, shift_id=shift_id(world, session, "CA", D1), person="LS2", force=True,
            reason="ép"),
    ):
        assert response.status_code == 409, response.get_data(as_text=True)
        assert "published" in response.get_json()["detail"]
    assert assignment_of(session, published, "OF1", ta3).source is AssignmentSource.MANUAL
    # Superseded after the draft is published: still immutable.
    assert world.post("director", f"/api/v1/rosters/{world.ct.ids['draft']}/publish").status_code == 200
    old = add(world, "director", published, shift_id=shift_id(world, session, "CA", D1), person="LS2")
    assert old.status_code == 409 and "superseded" in old.get_json()["detail"]


@pytest.mark.db
def test_bad_targets_name_the_field(world: World, session: scoped_session) -> None:
    draft = world.ct.ids["draft"]
    ca1 = shift_id(world, session, "CA", D1)
    outside = shifts_by_key(session, world.ct.centre, date(2027, 3, 8), date(2027, 3, 8))[("CA", date(2027, 3, 8))]
    session.commit()
    cases = [
        ({"shift_id": outside.id, "person": "LS2"}, "json.shift_id", 422),
        ({"shift_id": 2_000_000, "person": "LS2"}, "json.shift_id", 422),
        ({"shift_id": ca1, "person": "NOBODY"}, "json.person", 422),
        ({"shift_id": ca1, "person": "SPARE"}, "json.person", 422),  # inactive
        ({"shift_id": ca1, "person": "LS2", "role": "boss"}, "json.role", 422),
        ({"shift_id": shift_id(world, session, "TA", D3), "person": "OF1"}, "json.person", 409),  # already there
    ]
    for body, field, status in cases:
        response = add(world, "director", draft, **body)
        assert response.status_code == status, (body, response.get_data(as_text=True))
        assert field in {e["field"] for e in response.get_json().get("errors", [])}, response.get_json()
    # Another centre's shift is outside this roster's period as far as the caller can tell.
    hg_shift = shifts_by_key(session, world.hg.centre, D1, D3)[("HG-CA", D1)].id
    session.commit()
    assert add(world, "director", draft, shift_id=hg_shift, person="LS2").status_code == 422
