"""Web UI test helpers: the TST world (one user per role), logging a test client in, and CSRF tokens.

Flask-WTF's CSRF check is on in tests too: POST forms with `data={"csrf_token": csrf(client), ...}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session

from duty_roster.models import Centre
from tests.web.world import PASSWORD, build_world

_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture
def world(session: scoped_session) -> Centre:
    """Centre TST with users giamdoc, dieuphoi, trogiupvien, lienlac, quantri (password "matkhau-123")."""
    return build_world(session)


def csrf(client: FlaskClient, path: str = "/login") -> str:
    """The form CSRF token of this client's session (read from base.html's meta tag)."""
    match = _META.search(client.get(path).get_data(as_text=True))
    assert match, f"no csrf-token meta on {path}"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf(client)})
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]


@pytest.fixture
def logged_in(client: FlaskClient, world: Centre) -> Callable[[str], FlaskClient]:
    """`logged_in("dieuphoi")` logs the test client in as that user and returns the client."""

    def _login(username: str) -> FlaskClient:
        login(client, username)
        return client

    return _login
