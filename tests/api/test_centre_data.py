"""Managing a centre's data through the API: validation naming fields (the centre-file rules), all-or-nothing
writes, pagination, and officers limited to their own unavailability and preferences."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

from duty_roster.models import AuditLog, Person, ShiftPattern, Unavailability
from tests.api.conftest import World, body_of, centre_file


def fields(response: Any) -> list[str]:
    return [e["field"] for e in response.get_json()["errors"]]


@pytest.mark.db
@pytest.mark.parametrize(("change", "field"), [
    ({"phone": "0123 456 789"}, "json.phone"),  # old prefix: parses, but is not a valid number
    ({"phone": "call me"}, "json.phone"),
    ({"capacity": "a lot"}, "json.capacity"),
    ({"kind": "judge"}, "json.kind"),
    ({"code": "has space"}, "json.code"),
    ({"contract_start": 20270101}, "json.contract_start"),  # a number is never read as a timestamp
    ({"branch": "NOWHERE"}, "json.branch"),
    ({"areas": ["HQ", "NOWHERE"]}, "json.areas.1"),
    ({"contract_start": "2027-06-01", "contract_end": "2027-01-01"}, "json.contract_end"),
    ({"nickname": "An"}, "json.nickname"),
])
def test_person_validation_names_the_field(world: World, change: dict[str, Any], field: str) -> None:
    response = world.post("director", "/api/v1/people", json={**body_of("person_new"), **change})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert fields(response) == [field]
    assert response.get_json()["errors"][0]["message"]


@pytest.mark.db
def test_every_error_is_reported_at_once_and_nothing_is_written(world: World, session: scoped_session) -> None:
    before = session.scalar(sa.select(sa.func.count()).select_from(Person))
    body = {**body_of("person_new"), "branch": "NOWHERE", "areas": ["ALSO"], "code": "OF2"}
    response = world.post("director", "/api/v1/people", json=body)
    assert response.status_code == 409  # a duplicate code is a conflict with stored data
    assert sorted(fields(response)) == ["json.areas.0", "json.branch", "json.code"]
    assert session.scalar(sa.select(sa.func.count()).select_from(Person)) == before


@pytest.mark.db
def test_phone_is_stored_in_e164(world: World) -> None:
    response = world.post("coordinator", "/api/v1/people", json={**body_of("person_new"), "phone": "091-234-5000"})
    assert response.status_code == 201
    assert response.get_json()["phone"] == "+84912345000"


@pytest.mark.db
def test_person_round_trip_get_then_put(world: World) -> None:
    person = world.get("director", f"/api/v1/people/{world.ct.ids['person']}").get_json()
    body = {k: v for k, v in person.items() if k != "id"} | {"email": "an@tgpl.example.vn"}
    response = world.put("director", f"/api/v1/people/{person['id']}", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == person | {"email": "an@tgpl.example.vn"}


@pytest.mark.db
def test_a_rostered_person_cannot_be_deleted(world: World) -> None:
    response = world.delete("director", f"/api/v1/people/{world.ct.ids['person']}")
    assert response.status_code == 409
    assert "active=false" in response.get_json()["detail"]


@pytest.mark.db
def test_location_patterns_are_validated_and_kept_when_used(world: World, session: scoped_session) -> None:
    body = body_of("location_new")
    bad = {**body, "shifts": [
        {**body["shifts"][0], "demand": {"duty": 0}},
        {**body["shifts"][0], "end": None, "duration_hours": None},
        {**body["shifts"][0], "start": "25:00"},
    ]}
    response = world.post("director", "/api/v1/locations", json=bad)
    assert response.status_code == 422
    assert {"json.shifts.1", "json.shifts.2.start"} <= set(fields(response))
    dup = {**body, "shifts": [body["shifts"][0], body["shifts"][0] | {"demand": {"duty": 0}}]}
    response = world.post("director", "/api/v1/locations", json=dup)
    assert sorted(fields(response)) == ["json.shifts.1.code", "json.shifts.1.demand"]
    # Removing the on-call pattern that the published roster uses is refused; ending it with valid_to is the way.
    used = {**centre_file("CT", "Cần Thơ")["locations"][0], "shifts": []}
    response = world.put("director", f"/api/v1/locations/{world.ct.ids['location']}", json=used)
    assert response.status_code == 409 and fields(response) == ["json.shifts"]
    assert session.scalar(sa.select(sa.func.count()).select_from(ShiftPattern)
                          .where(ShiftPattern.location_id == world.ct.ids["location"])) == 1


@pytest.mark.db
def test_location_with_patterns_round_trip(world: World) -> None:
    response = world.post("director", "/api/v1/locations", json=body_of("location_new"))
    assert response.status_code == 201
    created = response.get_json()
    assert created["shifts"][0] | {} == {
        "code": "court_am", "name": "Buổi sáng", "duty_type": "court", "start": "07:30", "duration_hours": 4.0,
        "days": "working_days", "weekdays": None, "demand": {"duty": 1}, "holiday_demand": None, "is_night": False,
        "required_skills": [], "required_languages": [], "valid_from": None, "valid_to": None,
    }
    body = {k: v for k, v in created.items() if k != "id"}
    again = world.put("director", f"/api/v1/locations/{created['id']}", json=body)
    assert again.status_code == 200 and again.get_json() == created


@pytest.mark.db
@pytest.mark.parametrize(("body", "status", "field"), [
    ({"person": "OF1", "start": "2027-06-02", "end": "2027-06-01"}, 422, "json.end"),
    ({"person": "OF1", "start": "2027-06-01T12:00", "end": "2027-06-01T12:00"}, 422, "json.end"),
    ({"person": "OF1", "start": "2027-04-06", "end": "2027-04-08"}, 409, "json.start"),  # overlaps 5–6 April
    ({"person": "NOBODY", "start": "2027-06-01", "end": "2027-06-02"}, 422, "json.person"),
    ({"person": "OF1", "start": "soon", "end": "2027-06-02"}, 422, "json.start"),
    ({"person": "OF1", "start": "2027-06-01", "end": "9999-12-31"}, 422, "json.end"),
    ({"person": "OF1", "start": "2027-06-01", "end": "2027-06-02", "reason": "holiday"}, 422, "json.reason"),
])
def test_unavailability_validation(world: World, body: dict[str, Any], status: int, field: str) -> None:
    response = world.post("coordinator", "/api/v1/unavailability", json=body)
    assert response.status_code == status, response.get_data(as_text=True)
    assert fields(response) == [field]


@pytest.mark.db
def test_unavailability_dates_are_whole_local_days(world: World) -> None:
    body = {"person": "OF2", "start": "2027-06-01", "end": "2027-06-02", "note": "nghỉ phép"}
    created = world.post("director", "/api/v1/unavailability", json=body).get_json()
    assert (created["start"], created["end"]) == ("2027-06-01T00:00:00+07:00", "2027-06-03T00:00:00+07:00")
    # Right after it ends is not an overlap.
    after = {"person": "OF2", "start": "2027-06-03T00:00:00+07:00", "end": "2027-06-03T12:00"}
    assert world.post("director", "/api/v1/unavailability", json=after).status_code == 201


@pytest.mark.db
def test_officers_manage_only_their_own_wishes(world: World, session: scoped_session) -> None:
    other = world.post("director", "/api/v1/unavailability",
                       json={"person": "OF2", "start": "2027-06-01", "end": "2027-06-02"}).get_json()
    listed = world.get("officer", "/api/v1/unavailability").get_json()
    assert {item["person"] for item in listed["items"]} == {"OF1"}
    assert world.get("officer", f"/api/v1/unavailability/{other['id']}").status_code == 404
    assert world.delete("officer", f"/api/v1/unavailability/{other['id']}").status_code == 404
    for_colleague = {"person": "OF2", "start": "2027-07-01", "end": "2027-07-02"}
    assert world.post("officer", "/api/v1/unavailability", json=for_colleague).status_code == 403
    # Moving their own entry onto a colleague is refused too, and changes nothing.
    own = world.ct.ids["unavailability"]
    assert world.put("officer", f"/api/v1/unavailability/{own}", json=for_colleague).status_code == 403
    assert session.get(Unavailability, own).person.code == "OF1"
    assert world.post("officer", "/api/v1/preferences",
                      json={"person": "OF2", "wanted": True, "weekday": 0}).status_code == 403
    people = world.get("officer", "/api/v1/people").get_json()
    assert [p["code"] for p in people["items"]] == ["OF1"]
    assert world.get("officer", f"/api/v1/people/{world.ct.ids['other_person']}").status_code == 404


@pytest.mark.db
@pytest.mark.parametrize(("body", "field"), [
    ({"person": "OF1", "wanted": True}, "json.weekday"),
    ({"person": "OF1", "wanted": True, "shift_type": "evening"}, "json.shift_type"),
    ({"person": "OF1", "wanted": True, "weekday": 9}, "json.weekday"),
    ({"person": "OF1", "wanted": "maybe", "weekday": 1}, "json.wanted"),
    ({"person": "OF1", "wanted": True, "weekday": 1, "weight": 11}, "json.weight"),
    ({"person": "OF1", "wanted": True, "day": "2027-03-01", "weekday": "tue"}, "json.weekday"),
])
def test_preference_validation(world: World, body: dict[str, Any], field: str) -> None:
    response = world.post("officer", "/api/v1/preferences", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert fields(response) == [field]


@pytest.mark.db
def test_holiday_override_day_is_unique(world: World) -> None:
    response = world.post("director", "/api/v1/holiday-overrides", json={"day": "2027-05-03", "kind": "day_off"})
    assert response.status_code == 409 and fields(response) == ["json.day"]


@pytest.mark.db
def test_pagination(world: World) -> None:
    for i in range(7):
        body = {**body_of("person_new"), "code": f"P{i:02d}", "phone": f"09876543{i:02d}"}
        assert world.post("director", "/api/v1/people", json=body).status_code == 201
    first = world.get("director", "/api/v1/people?per_page=5").get_json()
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 5, 13, 3)
    seen = [p["code"] for p in first["items"]]
    for page in (2, 3):
        seen += [p["code"] for p in world.get("director", f"/api/v1/people?per_page=5&page={page}").get_json()["items"]]
    assert len(seen) == 13 and len(set(seen)) == 13 and seen == sorted(seen)
    assert world.get("director", "/api/v1/people?page=9").get_json()["items"] == []
    filtered = world.get("director", "/api/v1/people?active=false").get_json()
    assert [p["code"] for p in filtered["items"]] == ["SPARE"]


@pytest.mark.db
@pytest.mark.parametrize(("query", "field"), [
    ("per_page=0", "query.per_page"), ("per_page=201", "query.per_page"), ("page=abc", "query.page"),
    ("kind=judge", "query.kind"), ("sort=name", "query.sort"),
])
def test_bad_pagination_names_the_field(world: World, query: str, field: str) -> None:
    response = world.get("director", f"/api/v1/people?{query}")
    assert response.status_code == 422
    assert fields(response) == [field]


@pytest.mark.db
def test_changes_are_audited_with_the_user(world: World, session: scoped_session) -> None:
    world.post("coordinator", "/api/v1/holiday-overrides", json=body_of("holiday_new"))
    entry = session.scalars(sa.select(AuditLog).where(AuditLog.action == "holiday_override.save")).one()
    assert entry.user_id is not None and entry.centre_id == world.ct.ids["centre"]


@pytest.mark.db
@pytest.mark.parametrize("payload", [b"{not json", b"[1, 2]", b"null", b'"text"', b""])
def test_malformed_bodies_are_4xx(world: World, payload: bytes) -> None:
    response = world.post("director", "/api/v1/people", data=payload, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.get_json()["status"] == response.status_code


@pytest.mark.db
def test_admin_creates_a_centre_through_the_loader(world: World) -> None:
    body = centre_file("ST", "Sóc Trăng", phone_base=914345670)
    response = world.post("admin", "/api/v1/centres", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["code"] == "ST"
    assert world.post("admin", "/api/v1/centres", json=body).status_code == 409
    bad = centre_file("KG", "Kiên Giang")
    bad["people"][1]["branch"] = "NOWHERE"
    bad["branches"].append({"code": "B2", "name": "Chi nhánh 2", "is_head_office": True})
    response = world.post("admin", "/api/v1/centres", json=bad)
    assert response.status_code == 422
    assert sorted(fields(response)) == ["json.branches[1].is_head_office", "json.people[1].branch"]
    listed = world.get("admin", "/api/v1/centres").get_json()
    assert [c["code"] for c in listed["items"]] == ["CT", "HG", "ST"]


@pytest.mark.db
def test_numbers_too_large_for_the_database_are_4xx(world: World) -> None:
    person = {**body_of("person_new"), "max_shifts_per_week": 10**40}
    response = world.post("director", "/api/v1/people", json=person)
    assert response.status_code == 422 and fields(response) == ["json.max_shifts_per_week"]
    location = body_of("location_new")
    location["shifts"] = [location["shifts"][0] | {"demand": {"duty": 10**6}}]
    response = world.post("director", "/api/v1/locations", json=location)
    assert response.status_code == 422 and fields(response) == ["json.shifts.0.demand.duty"]
    # Through the centre-file loader (admin creating a centre) the database's own refusal is still a 4xx.
    centre = centre_file("ST", "Sóc Trăng", phone_base=914345670)
    centre["people"][0]["max_shifts_per_week"] = 10**40
    response = world.post("admin", "/api/v1/centres", json=centre)
    assert 400 <= response.status_code < 500
    assert world.get("admin", "/api/v1/centres").get_json()["total"] == 2
