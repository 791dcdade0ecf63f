"""The OpenAPI document, and malformed input fed to every operation it lists: nothing may answer 5xx.

schemathesis (issue 4's suggestion) is not installed here; this is a deterministic stand-in driven by the same
document: each operation gets bad path ids, bad query values, and bodies where each field in turn is replaced by a
wrong type, an extreme value or removed, starting from a valid body so the request reaches the deep checks.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import scoped_session

from tests.api.conftest import World, body_of
from tests.api.swap_world import add_swaps

BAD_VALUES: list[Any] = [None, 10**40, -(10**40), "", "x" * 5000, [], {}, True, "\x00", 1.5e308, "2027-02-30",
                         "0001-01-01", "9999-12-31", "25:61", "+84", [None], {"a": {"b": []}}]
BAD_IDS = ["0", "-1", "2147483648", "99999999999999999999", "abc", "1.5", "%00"]
BAD_QUERY = ["", "x" * 300, "-1", "99999999999999999999", "%00", "[]", "2027-13-45", "true", "9999-12-31",
             "0001-01-01T00:00:00%2B14:00"]
# A valid body per operation, so the mutations reach the use cases (rosters use a one-day period: fast solves).
VALID_BODIES = {
    ("POST", "/api/v1/centres"): "centre_new",
    ("POST", "/api/v1/people"): "person_new",
    ("PUT", "/api/v1/people/{person_id}"): "person_put",
    ("POST", "/api/v1/locations"): "location_new",
    ("PUT", "/api/v1/locations/{location_id}"): "location_put",
    ("POST", "/api/v1/unavailability"): "unavailability_new",
    ("PUT", "/api/v1/unavailability/{entry_id}"): "unavailability_put",
    ("POST", "/api/v1/preferences"): "preference_new",
    ("PUT", "/api/v1/preferences/{entry_id}"): "preference_put",
    ("POST", "/api/v1/holiday-overrides"): "holiday_new",
    ("PUT", "/api/v1/holiday-overrides/{entry_id}"): "holiday_put",
}
EXTRA_BODIES = {
    ("POST", "/api/v1/rosters/generate"): {"start": "2027-03-06", "end": "2027-03-06", "time_limit": 0.2},
    ("POST", "/api/v1/session"): {"username": "director", "password": "x"},
}
ID_FOR = {"person_id": "person", "location_id": "location", "roster_id": "published", "centre_id": "centre",
          "job_id": "job", "feed_id": "feed", "shift_id": "shift", "assignment_id": "draft_assignment",
          "swap_id": "swap_accepted"}
ENTRY_FOR = {"unavailability": "unavailability", "preferences": "preference", "holiday-overrides": "holiday"}


def spec_of(app: Flask) -> dict[str, Any]:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations() -> list[tuple[str, str]]:
    from duty_roster import create_app
    from tests.conftest import TEST_SECRET_KEY

    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": TEST_SECRET_KEY, "TESTING": True})
    spec = spec_of(app)
    return [(method.upper(), path) for path, item in spec["paths"].items() for method in item]


def test_document_lists_every_endpoint_with_its_schemas(app: Flask) -> None:
    spec = spec_of(app)
    assert spec["openapi"].startswith("3.")
    assert {"BearerToken", "SessionCookie"} <= set(spec["components"]["securitySchemes"])
    people = spec["paths"]["/api/v1/people"]["post"]
    assert people["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/PersonSpec")
    phone = spec["components"]["schemas"]["PersonSpec"]["properties"]["phone"]
    assert phone["type"] == "string"
    assert {"401", "403", "422"} <= set(people["responses"])
    assert "/api/v1/on-duty" in spec["paths"] and "/api/v1/reports/sessions" in spec["paths"]
    assert len(operations()) >= 37
    assert app.test_client().get("/api/v1/docs").status_code == 200


@pytest.fixture
def world(world: World, session: scoped_session) -> World:
    """With swaps and a draft assignment, so every {id} of the swap and adjustment paths names a real object."""
    return add_swaps(world, session)


def _path(world: World, template: str, value: str | None = None) -> str:
    def sub(match: re.Match[str]) -> str:
        if value is not None:
            return value
        name = match.group(1)
        if name == "entry_id":
            return str(world.ct.ids[ENTRY_FOR[template.split("/")[3]]])
        return str(world.ct.ids[ID_FOR[name]])

    return re.sub(r"\{(\w+)\}", sub, template)


def _role(path: str) -> str:
    return "admin" if path.startswith("/api/v1/centres") and "{" not in path else "director"


def _check(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.get_data(as_text=True)[:300]}"
    if response.status_code >= 400:
        assert response.is_json and response.get_json()["status"] == response.status_code, what


# SQLite only: malformed requests are refused by validation before any query; the schemathesis fuzz
# (test_schemathesis.py) sends well-formed edge cases through to PostgreSQL.
@pytest.mark.slow
@pytest.mark.parametrize(("method", "template"), operations())
def test_malformed_requests_never_get_a_5xx(world: World, method: str, template: str) -> None:
    spec = spec_of(world.app)
    operation = spec["paths"][template][method.lower()]
    role = _role(template)
    # Bad ids in the path.
    if "{" in template:
        for bad in BAD_IDS:
            _check(world.request(role, method, _path(world, template, bad), json={}), f"{method} {template} id={bad}")
    # Bad values for every query parameter, and an unknown parameter.
    for param in [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"] + ["unknown"]:
        for bad in BAD_QUERY:
            url = f"{_path(world, template)}?{param}={bad}"
            _check(world.request(role, method, url), f"{method} {url}")
    # Each field of a valid body replaced by a bad value, or dropped; then bodies that are not objects.
    if "requestBody" in operation:
        name = VALID_BODIES.get((method, template))
        base = body_of(name) if name else EXTRA_BODIES.get((method, template), {})
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        properties = spec["components"]["schemas"][ref].get("properties", {})
        for field in [*base, *(f for f in properties if f not in base)]:
            for bad in BAD_VALUES:
                _check(world.request(role, method, _path(world, template), json={**base, field: bad}),
                       f"{method} {template} {field}={json.dumps(bad)[:40]}")
            _check(world.request(role, method, _path(world, template),
                                 json={k: v for k, v in base.items() if k != field}), f"{method} {template} -{field}")
        for raw in (b"[]", b"1", b"{", b"\xff\xfe", b'{"a": NaN}'):
            _check(world.request(role, method, _path(world, template), data=raw, content_type="application/json"),
                   f"{method} {template} body={raw!r}")
