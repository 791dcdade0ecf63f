"""The access matrix: every role (and no credentials) against every endpoint, then every endpoint that takes an id
against the other centre's objects. Expected answers: the success code for allowed roles, 403 for a role that may
not do the action, 401 without credentials, and 404 for another centre's objects whatever the role."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import scoped_session

from tests.api.conftest import World, body_of
from tests.api.swap_world import add_swaps

ROLES = ("admin", "director", "coordinator", "officer", "liaison")
STAFF = {"director", "coordinator", "officer"}
MANAGERS = {"director", "coordinator"}

# (method, path with {id} keys from the tenant's ids, body name or None, roles allowed, success status)
ENDPOINTS: list[tuple[str, str, str | None, set[str], int]] = [
    ("GET", "/api/v1/me", None, set(ROLES), 200),
    ("GET", "/api/v1/centres", None, {"admin"}, 200),
    ("POST", "/api/v1/centres", "centre_new", {"admin"}, 201),
    ("GET", "/api/v1/centres/{centre}", None, {"admin", *STAFF}, 200),
    ("GET", "/api/v1/people", None, STAFF, 200),
    ("GET", "/api/v1/people/{person}", None, STAFF, 200),
    ("POST", "/api/v1/people", "person_new", MANAGERS, 201),
    ("PUT", "/api/v1/people/{person}", "person_put", MANAGERS, 200),
    ("DELETE", "/api/v1/people/{spare_person}", None, MANAGERS, 204),
    ("GET", "/api/v1/locations", None, STAFF, 200),
    ("GET", "/api/v1/locations/{location}", None, STAFF, 200),
    ("POST", "/api/v1/locations", "location_new", MANAGERS, 201),
    ("PUT", "/api/v1/locations/{location}", "location_put", MANAGERS, 200),
    ("DELETE", "/api/v1/locations/{spare_location}", None, MANAGERS, 204),
    ("GET", "/api/v1/unavailability", None, STAFF, 200),
    ("GET", "/api/v1/unavailability/{unavailability}", None, STAFF, 200),
    ("POST", "/api/v1/unavailability", "unavailability_new", STAFF, 201),
    ("PUT", "/api/v1/unavailability/{unavailability}", "unavailability_put", STAFF, 200),
    ("DELETE", "/api/v1/unavailability/{unavailability}", None, STAFF, 204),
    ("GET", "/api/v1/preferences", None, STAFF, 200),
    ("GET", "/api/v1/preferences/{preference}", None, STAFF, 200),
    ("POST", "/api/v1/preferences", "preference_new", STAFF, 201),
    ("PUT", "/api/v1/preferences/{preference}", "preference_put", STAFF, 200),
    ("DELETE", "/api/v1/preferences/{preference}", None, STAFF, 204),
    ("GET", "/api/v1/holiday-overrides", None, STAFF, 200),
    ("GET", "/api/v1/holiday-overrides/{holiday}", None, STAFF, 200),
    ("POST", "/api/v1/holiday-overrides", "holiday_new", MANAGERS, 201),
    ("PUT", "/api/v1/holiday-overrides/{holiday}", "holiday_put", MANAGERS, 200),
    ("DELETE", "/api/v1/holiday-overrides/{holiday}", None, MANAGERS, 204),
    ("GET", "/api/v1/rosters", None, STAFF, 200),
    ("GET", "/api/v1/rosters/{published}", None, STAFF, 200),
    ("GET", "/api/v1/rosters/{published}/assignments", None, STAFF, 200),
    ("POST", "/api/v1/rosters/generate", "generate", MANAGERS, 202),
    ("GET", "/api/v1/jobs", None, MANAGERS, 200),
    ("GET", "/api/v1/jobs/{job}", None, MANAGERS, 200),
    ("POST", "/api/v1/rosters/{draft}/publish", None, {"director"}, 200),
    ("POST", "/api/v1/rosters/{published}/repair", None, MANAGERS, 201),
    ("GET", "/api/v1/on-duty?location=CA&at=2027-03-02T08:00:00%2B07:00", None, {*STAFF, "liaison"}, 200),
    ("GET", "/api/v1/reports/sessions?start=2027-03-01&end=2027-03-03", None, STAFF, 200),
    ("GET", "/api/v1/feeds", None, {*STAFF, "liaison"}, 200),
    ("POST", "/api/v1/feeds", "feed_location", {*STAFF, "liaison"}, 201),
    ("GET", "/api/v1/shifts/{shift}.ics", None, {*STAFF, "liaison"}, 200),
    ("POST", "/api/v1/rosters/{draft}/assignments", "assignment_new", MANAGERS, 201),
    ("PUT", "/api/v1/rosters/{draft}/assignments/{draft_assignment}", "assignment_put", MANAGERS, 200),
    ("DELETE", "/api/v1/rosters/{draft}/assignments/{draft_assignment}", None, MANAGERS, 200),
    ("GET", "/api/v1/swaps", None, STAFF, 200),
    ("GET", "/api/v1/swaps/{swap}", None, STAFF, 200),
    ("POST", "/api/v1/swaps", "swap_new", STAFF, 201),
    ("POST", "/api/v1/swaps/{swap}/accept", None, STAFF, 200),
    ("POST", "/api/v1/swaps/{swap_to_officer}/decline", "note", STAFF, 200),
    ("POST", "/api/v1/swaps/{swap}/cancel", "note", STAFF, 200),
    ("POST", "/api/v1/swaps/{swap_accepted}/approve", None, MANAGERS, 200),
    ("POST", "/api/v1/swaps/{swap_accepted}/reject", "note", MANAGERS, 200),
    ("POST", "/api/v1/assignments/{swap_assignment}/confirm", None, STAFF, 200),  # OF1's (the officer's) own
    ("POST", "/api/v1/assignments/{swap_assignment}/decline", "decline", STAFF, 200),
]
SOLVES = {"/api/v1/rosters/{published}/repair"}
# Swap steps taken as oneself: the role may, but who the caller's person is decides. The open offer {swap} is the
# officer's own (OF1: taking it is a 409); the director's person OF2 would break the rest rule taking it (422); the
# coordinator has no person (403). {swap_to_officer} was asked of OF1, so only the officer may decline it.
OUTCOMES: dict[tuple[str, str], int] = {
    ("/api/v1/swaps/{swap}/accept", "officer"): 409,
    ("/api/v1/swaps/{swap}/accept", "director"): 422,
    ("/api/v1/swaps/{swap}/accept", "coordinator"): 403,
    ("/api/v1/swaps/{swap_to_officer}/decline", "director"): 403,
    ("/api/v1/swaps/{swap_to_officer}/decline", "coordinator"): 403,
}


@pytest.fixture
def world(world: World, session: scoped_session) -> World:
    """The API world plus swaps at each step and the ids the adjustment and swap rows need (see swap_world)."""
    return add_swaps(world, session)


BODIES: dict[str, dict[str, Any]] = {
    "assignment_new": {"shift_id": "{first_shift}", "person": "LS2"},  # nobody holds the draft's 1 March on-call
    "assignment_put": {"shift_id": "{draft_shift}", "person": "LS2"},
    "swap_new": {"assignment_id": "{swap_assignment}"},
    "note": {"note": "kiểm thử"},
    "decline": {"reason": "ốm"},
}


def _body(name: str, ids: dict[str, int]) -> dict[str, Any]:
    """A request body; "{key}" values are the tenant's ids (a shift or assignment of that centre)."""
    if name not in BODIES:
        return body_of(name)
    return {k: ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v for k, v in BODIES[name].items()}


def _call(world: World, role: str | None, method: str, template: str, body: str | None, ids: dict[str, int]) -> Any:
    kwargs: dict[str, Any] = {"json": _body(body, ids)} if body else {}
    return world.request(role, method, template.format(**ids), **kwargs)


def _cases() -> list[Any]:
    cases = []
    for method, path, body, allowed, ok in ENDPOINTS:
        for role in (*ROLES, None):
            expected = 401 if role is None else OUTCOMES.get((path, role), ok) if role in allowed else 403
            marks = [pytest.mark.slow] if path in SOLVES and expected == ok else []
            cases.append(pytest.param(role, method, path, body, expected, marks=marks,
                                      id=f"{role or 'anonymous'}-{method}-{path}"))
    return cases


# Not marked `db`: who may call what is decided in Python (api/policy.py), the same on any database, and the 330
# cases would double the PostgreSQL pass. What the database does decide, the other centre's objects staying out of
# reach, runs on PostgreSQL below.
@pytest.mark.parametrize(("role", "method", "path", "body", "expected"), _cases())
def test_role_against_endpoint(world: World, role: str | None, method: str, path: str, body: str | None,
                               expected: int) -> None:
    response = _call(world, role, method, path, body, world.ct.ids)
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected >= 400:
        problem = response.get_json()
        assert problem["status"] == expected and problem["detail"]
        assert response.mimetype == "application/problem+json"


def _cross_cases() -> list[Any]:
    cases = []
    for method, path, body, allowed, _ok in ENDPOINTS:
        if "{" not in path:
            continue
        for role in ("director", "coordinator", "officer"):
            if role in allowed:
                cases.append(pytest.param(role, method, path, body, id=f"{role}-{method}-{path}"))
    return cases


@pytest.mark.db
@pytest.mark.parametrize(("role", "method", "path", "body"), _cross_cases())
def test_other_centres_objects_are_not_found(world: World, role: str, method: str, path: str,
                                              body: str | None) -> None:
    before = world.get("hg_director", "/api/v1/rosters?per_page=200").get_json()
    response = _call(world, role, method, path, body, world.hg.ids)
    assert response.status_code == 404, response.get_data(as_text=True)
    assert "Nguyễn" not in response.get_data(as_text=True)  # no data of the other centre leaks
    assert world.get("hg_director", "/api/v1/rosters?per_page=200").get_json() == before


@pytest.mark.db
@pytest.mark.parametrize("role", ["director", "coordinator", "officer", "liaison"])
def test_on_duty_for_another_centres_location_is_not_found(world: World, role: str) -> None:
    response = world.get(role, "/api/v1/on-duty?location=HG-CA")
    assert response.status_code == 404


@pytest.mark.db
def test_body_naming_another_centres_person_is_refused(world: World) -> None:
    body = {"person": "OF1", "start": "2027-06-01", "end": "2027-06-02"}
    # OF1 exists in both centres: the HG director's request lands on HG's OF1, never on CT's.
    response = world.post("hg_director", "/api/v1/unavailability", json=body)
    assert response.status_code == 201
    assert response.get_json()["person_id"] != world.ct.ids["person"]
    listed = world.get("director", "/api/v1/unavailability").get_json()
    assert all(item["start"] != "2027-06-01T00:00:00+07:00" for item in listed["items"])
