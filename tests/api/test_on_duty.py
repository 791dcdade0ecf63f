"""GET /api/v1/on-duty: who is on duty at a location at a moment, from the published roster only.

The CT roster (see conftest.standard_plan) has the police on-call (24 h from 07:30) taken by OF1 with assistant AS1
on 1 March 2027, OF2 on the 2nd and LS1 on the 3rd.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from sqlalchemy.orm import scoped_session

from duty_roster.rostering.publish import publish
from tests.api.conftest import World, hand_roster, standard_plan


def on_duty(world: World, at: str | None = None, role: str = "liaison", location: str = "CA") -> dict:
    path = f"/api/v1/on-duty?location={location}" + (f"&at={quote(at)}" if at else "")
    response = world.get(role, path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def people(body: dict) -> list[tuple[str, str]]:
    return [(p["person_code"], p["role"]) for p in body["on_duty"]]


@pytest.mark.db
def test_handover_boundary(world: World) -> None:
    before = on_duty(world, "2027-03-02T07:29:59+07:00")
    assert people(before) == [("OF1", "duty"), ("AS1", "assistant")]
    assert before["next_handover"] == "2027-03-02T07:30:00+07:00"
    duty = before["on_duty"][0]
    assert duty["name"] == "Nguyễn Văn An"
    assert duty["phone"] == "+84912345671"
    assert duty["shift"] == {"id": duty["shift"]["id"], "start": "2027-03-01T07:30:00+07:00",
                             "end": "2027-03-02T07:30:00+07:00"}
    at_handover = on_duty(world, "2027-03-02T07:30:00+07:00")
    assert people(at_handover) == [("OF2", "duty")]
    assert at_handover["next_handover"] == "2027-03-03T07:30:00+07:00"
    assert at_handover["at"] == "2027-03-02T07:30:00+07:00"


@pytest.mark.db
def test_instants_in_other_offsets_are_the_same_moment(world: World) -> None:
    assert people(on_duty(world, "2027-03-02T00:30:00Z")) == [("OF2", "duty")]
    assert people(on_duty(world, "2027-03-02T00:29:00+00:00")) == [("OF1", "duty"), ("AS1", "assistant")]


@pytest.mark.db
def test_before_the_roster_nobody_is_on_duty_and_the_first_shift_is_the_next_handover(world: World) -> None:
    body = on_duty(world, "2027-02-28T12:00:00+07:00")
    assert body["on_duty"] == []
    assert body["next_handover"] == "2027-03-01T07:30:00+07:00"
    after = on_duty(world, "2027-03-10T12:00:00+07:00")
    assert after["on_duty"] == [] and after["next_handover"] is None


@pytest.mark.db
def test_drafts_do_not_count_and_a_new_version_replaces_the_old(world: World, session: scoped_session) -> None:
    hand_roster(session, world.ct.centre, [("CA", "LS1", date(2027, 3, 1), "duty")])  # a draft only
    session.commit()
    assert people(on_duty(world, "2027-03-01T12:00:00+07:00")) == [("OF1", "duty"), ("AS1", "assistant")]
    plan = [row if row[2] != date(2027, 3, 2) or row[0] != "CA" else ("CA", "LS1", row[2], "duty")
            for row in standard_plan()]
    hand_roster(session, world.ct.centre, plan, published=True)
    session.commit()
    assert people(on_duty(world, "2027-03-02T12:00:00+07:00")) == [("LS1", "duty")]


@pytest.mark.db
def test_etag_and_304(world: World, session: scoped_session) -> None:
    path = "/api/v1/on-duty?location=CA&at=" + quote("2027-03-02T08:00:00+07:00")
    first = world.get("liaison", path)
    etag = first.headers["ETag"]
    assert etag and first.headers["Cache-Control"] == "private, no-cache"
    again = world.get("liaison", path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    # A new published version that changes who is on duty changes the ETag.
    plan = [row if row[2] != date(2027, 3, 2) or row[0] != "CA" else ("CA", "LS1", row[2], "duty")
            for row in standard_plan()]
    hand_roster(session, world.ct.centre, plan, published=True)
    session.commit()
    changed = world.get("liaison", path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


@pytest.mark.db
def test_polling_without_at_has_a_stable_etag(world: World) -> None:
    first = world.get("liaison", "/api/v1/on-duty?location=CA")
    second = world.get("liaison", "/api/v1/on-duty?location=CA", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 304


@pytest.mark.db
def test_liaison_sees_only_their_locations(world: World) -> None:
    assert world.get("liaison", "/api/v1/on-duty?location=TA").status_code == 404
    assert world.get("director", "/api/v1/on-duty?location=TA").status_code == 200
    assert world.get("liaison", "/api/v1/on-duty?location=NOPE").status_code == 404


@pytest.mark.db
@pytest.mark.parametrize(("query", "field"), [
    ("location=CA&at=2027-03-02T08:00:00", "query.at"),  # no offset: ambiguous, refused
    ("location=CA&at=yesterday", "query.at"),
    ("at=2027-03-02T08:00:00%2B07:00", "query.location"),
    ("location=CA&colour=red", "query.colour"),
    ("location=CA&at=0001-01-01T00:00:00%2B14:00", "query.at"),
])
def test_bad_queries_name_the_field(world: World, query: str, field: str) -> None:
    response = world.get("director", f"/api/v1/on-duty?{query}")
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in [e["field"] for e in response.get_json()["errors"]]


@pytest.mark.db
def test_publish_changes_are_seen_at_once(world: World, session: scoped_session) -> None:
    draft = hand_roster(session, world.ct.centre, standard_plan()[1:])  # OF1 no longer on call on the 1st
    publish(session, draft)
    session.commit()
    assert people(on_duty(world, "2027-03-01T12:00:00+07:00")) == [("AS1", "assistant")]
