"""Rosters through the API: generate (tiny solver runs), publish atomically with the changes and the late warning,
repair after new leave, end to end."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

from duty_roster.models import Roster, RosterStatus, utcnow
from duty_roster.rostering import publish as publish_module
from tests.api.conftest import World, hand_roster, run_jobs, standard_plan


def statuses(session: scoped_session, centre_id: int) -> dict[int, tuple[str, int | None]]:
    session.expire_all()
    rows = session.scalars(sa.select(Roster).where(Roster.centre_id == centre_id))
    return {r.id: (r.status.value, r.version) for r in rows}


@pytest.mark.db
def test_publish_supersedes_the_previous_version_and_lists_changes(world: World, session: scoped_session) -> None:
    ids = world.ct.ids
    response = world.post("director", f"/api/v1/rosters/{ids['draft']}/publish")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["roster"]["status"] == "published" and body["roster"]["version"] == 2
    assert body["superseded_id"] == ids["published"]
    assert body["late_warning"] is None
    assert body["deadline"] == "2027-02-22"  # 5 working days before Monday 1 March 2027
    removed = {(c["person"]["code"], c["location"], c["start"]) for c in body["changes"] if c["change"] == "removed"}
    assert ("OF1", "CA", "2027-03-01T07:30:00+07:00") in removed
    assert all(c["change"] == "removed" for c in body["changes"])  # the draft is a subset of version 1
    state = statuses(session, ids["centre"])
    assert state[ids["published"]] == ("superseded", 1)
    assert state[ids["draft"]] == ("published", 2)
    # Publishing again is refused: only drafts are published.
    again = world.post("director", f"/api/v1/rosters/{ids['draft']}/publish")
    assert again.status_code == 409


@pytest.mark.db
def test_a_failed_publication_leaves_the_old_version_published(
    world: World, session: scoped_session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The superseding and the new version are one transaction: a failure after the first step undoes both."""
    def broken_audit(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(publish_module, "record", broken_audit)
    world.app.config["PROPAGATE_EXCEPTIONS"] = False
    ids = world.ct.ids
    response = world.post("director", f"/api/v1/rosters/{ids['draft']}/publish")
    assert response.status_code == 500
    assert "audit log unavailable" not in response.get_data(as_text=True)
    session.rollback()
    state = statuses(session, ids["centre"])
    assert state[ids["published"]] == ("published", 1)
    assert state[ids["draft"]] == ("draft", None)


@pytest.mark.db
def test_the_database_refuses_two_published_versions(world: World, session: scoped_session) -> None:
    draft = session.get(Roster, world.ct.ids["draft"])
    draft.status = RosterStatus.PUBLISHED  # bypassing publish(): the partial unique index still says no
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


@pytest.mark.db
def test_late_publication_warns(world: World, session: scoped_session) -> None:
    start = utcnow().date() + timedelta(days=2)
    roster = hand_roster(session, world.ct.centre, [("CA", "OF1", start, "duty")], period=(start, start))
    session.commit()
    body = world.post("director", f"/api/v1/rosters/{roster.id}/publish").get_json()
    assert "5789" in body["late_warning"]


@pytest.mark.db
def test_coordinator_may_not_publish(world: World, session: scoped_session) -> None:
    response = world.post("coordinator", f"/api/v1/rosters/{world.ct.ids['draft']}/publish")
    assert response.status_code == 403
    assert statuses(session, world.ct.ids["centre"])[world.ct.ids["draft"]] == ("draft", None)


@pytest.mark.db
def test_officers_do_not_see_drafts(world: World) -> None:
    assert world.get("officer", f"/api/v1/rosters/{world.ct.ids['draft']}").status_code == 404
    listed = world.get("officer", "/api/v1/rosters").get_json()
    assert [r["status"] for r in listed["items"]] == ["published"]
    assert world.get("director", f"/api/v1/rosters/{world.ct.ids['draft']}").status_code == 200


@pytest.mark.db
def test_roster_with_assignments_and_paginated_assignments(world: World) -> None:
    roster = world.get("officer", f"/api/v1/rosters/{world.ct.ids['published']}").get_json()
    assert len(roster["assignments"]) == len(standard_plan())
    first = roster["assignments"][0]
    assert first["start"].endswith("+07:00") and first["location"] in {"CA", "TA"}
    page = world.get("officer", f"/api/v1/rosters/{world.ct.ids['published']}/assignments?per_page=3").get_json()
    assert page["total"] == 7 and page["pages"] == 3
    assert page["items"] == roster["assignments"][:3]


@pytest.mark.db
@pytest.mark.parametrize(("body", "field"), [
    ({"start": "2027-03-05", "end": "2027-03-01"}, "json.end"),
    ({"start": "2027-01-01", "end": "2027-12-31"}, "json.end"),  # longer than MAX_PERIOD_DAYS (92)
    ({"start": "2027-03-01"}, "json.end"),
    ({"start": "first of March", "end": "2027-03-02"}, "json.start"),
    ({"start": "2027-03-01", "end": "2027-03-02", "time_limit": -1}, "json.time_limit"),
    ({"start": "2027-03-01", "end": "2027-03-02", "seed": "x"}, "json.seed"),
])
def test_generate_validation_names_the_field(world: World, body: dict, field: str, session: scoped_session) -> None:
    before = statuses(session, world.ct.ids["centre"])
    response = world.post("coordinator", "/api/v1/rosters/generate", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert [e["field"] for e in response.get_json()["errors"]] == [field]
    assert statuses(session, world.ct.ids["centre"]) == before


@pytest.mark.db
@pytest.mark.slow
def test_generate_then_repair_after_new_leave_end_to_end(world: World, session: scoped_session) -> None:
    """Generate a draft, publish it, someone on call falls ill, repair, publish: only their shift moves."""
    period = {"start": "2027-04-12", "end": "2027-04-14", "time_limit": 2}
    queued = world.post("coordinator", "/api/v1/rosters/generate", json=period)
    assert queued.status_code == 202, queued.get_data(as_text=True)
    assert queued.get_json()["status"] == "queued"
    assert run_jobs(session) == 3  # the fixture's queued job of each centre, then ours
    job = world.get("coordinator", queued.headers["Location"]).get_json()
    assert job["status"] == "succeeded" and job["progress"]["percent"] == 100.0
    draft = job["roster"]
    assert draft["status"] == "draft" and draft["solver"]["status"] in {"optimal", "feasible"}
    assert draft["uncovered"] == []
    published = world.post("director", f"/api/v1/rosters/{draft['id']}/publish").get_json()
    assert published["roster"]["version"] == 1 and published["changes"] == []
    on_call = world.get("director", "/api/v1/on-duty?location=CA&at=" + quote("2027-04-13T12:00:00+07:00")).get_json()
    sick = on_call["on_duty"][0]["person_code"]
    leave = {"person": sick, "start": "2027-04-13", "end": "2027-04-13", "reason": "sick"}
    assert world.post("coordinator", "/api/v1/unavailability", json=leave).status_code == 201
    repaired = world.post("coordinator", f"/api/v1/rosters/{draft['id']}/repair?time_limit=2")
    assert repaired.status_code == 201, repaired.get_data(as_text=True)
    repaired = repaired.get_json()
    assert repaired["based_on_id"] == draft["id"] and repaired["status"] == "draft"
    result = world.post("director", f"/api/v1/rosters/{repaired['id']}/publish").get_json()
    assert result["superseded_id"] == draft["id"] and result["roster"]["version"] == 2
    removed = [c for c in result["changes"] if c["change"] == "removed"]
    # Exactly the changes the repair solve counted, and fewer than rewriting the roster would be.
    assert len(result["changes"]) == repaired["solver"]["changes"]
    first_version = world.get("director", f"/api/v1/rosters/{draft['id']}").get_json()
    assert len(result["changes"]) < len(first_version["assignments"])
    assert any(c["person"]["code"] == sick and c["location"] == "CA" and c["start"] == "2027-04-13T07:30:00+07:00"
               for c in removed)
    now_on_call = world.get("director",
                            "/api/v1/on-duty?location=CA&at=" + quote("2027-04-13T12:00:00+07:00")).get_json()
    assert now_on_call["on_duty"] and now_on_call["on_duty"][0]["person_code"] != sick


@pytest.mark.db
def test_repair_of_a_draft_is_refused(world: World) -> None:
    response = world.post("director", f"/api/v1/rosters/{world.ct.ids['draft']}/repair")
    assert response.status_code == 409
    assert response.get_json()["detail"]


@pytest.mark.db
def test_generate_without_shifts_fails_with_the_reason(world: World, session: scoped_session) -> None:
    """A period with nothing to fill (every location deactivated): the job fails saying why, no roster stored."""
    for location_id in (world.ct.ids["location"],):
        body = world.get("director", f"/api/v1/locations/{location_id}").get_json()
        body = {k: v for k, v in body.items() if k != "id"} | {"active": False}
        assert world.put("director", f"/api/v1/locations/{location_id}", json=body).status_code == 200
    response = world.post("director", "/api/v1/rosters/generate", json={"start": "2027-03-06", "end": "2027-03-07"})
    assert response.status_code == 202  # a weekend: no court session, and the police on-call is inactive
    run_jobs(session)
    job = world.get("director", response.headers["Location"]).get_json()
    assert job["status"] == "failed" and "no shifts" in job["error"] and job["roster"] is None
    assert session.scalar(sa.select(Roster).where(Roster.period_start == date(2027, 3, 6))) is None
