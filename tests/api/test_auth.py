"""Authentication: Bearer tokens (good, malformed, revoked, expired), browser sessions with CSRF, and the
`duty-roster user` commands."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import scoped_session
from werkzeug.security import generate_password_hash

from duty_roster.accounts import issue_token, revoke_token
from duty_roster.models import ApiToken, User, utcnow
from tests.api.conftest import PASSWORD, World


@pytest.mark.db
def test_me_with_a_token(world: World) -> None:
    response = world.get("liaison", "/api/v1/me")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["username"], body["role"], body["centre"]["code"], body["locations"]) == ("liaison", "liaison",
                                                                                          "CT", ["CA"])


@pytest.mark.db
@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic abc", "Token dr_x", "Bearer dr_not-a-real-token"])
def test_bad_authorization_headers_are_401(world: World, header: str) -> None:
    response = world.client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["status"] == 401


@pytest.mark.db
def test_revoked_and_expired_tokens_are_401(world: World, session: scoped_session) -> None:
    user = session.scalars(sa.select(User).where(User.username == "director")).one()
    expired = issue_token(session, user, ttl=timedelta(days=1))
    session.scalars(sa.select(ApiToken).where(ApiToken.prefix == expired[:10])).one().expires_at = (
        utcnow() - timedelta(seconds=1))
    revoked = issue_token(session, user)
    assert revoke_token(session, revoked[:10]) == 1
    session.commit()
    for token in (expired, revoked):
        assert world.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.db
def test_session_login_csrf_and_logout(world: World) -> None:
    client = world.app.test_client()
    assert client.post("/api/v1/session", json={"username": "coordinator", "password": "wrong"}).status_code == 401
    assert client.post("/api/v1/session", json={"username": "nobody", "password": "wrong"}).status_code == 401
    login = client.post("/api/v1/session", json={"username": "coordinator", "password": PASSWORD})
    assert login.status_code == 201
    csrf = login.get_json()["csrf_token"]
    assert "HttpOnly" in login.headers["Set-Cookie"] and "SameSite=Lax" in login.headers["Set-Cookie"]
    assert client.get("/api/v1/me").get_json()["username"] == "coordinator"
    body = {"day": "2027-09-03", "kind": "day_off"}
    # A cookie alone never authorises a write: a cross-site form cannot send the header.
    assert client.post("/api/v1/holiday-overrides", json=body).status_code == 403
    assert client.post("/api/v1/holiday-overrides", json=body, headers={"X-CSRF-Token": "guess"}).status_code == 403
    assert client.post("/api/v1/holiday-overrides", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.db
def test_password_change_ends_browser_sessions(world: World, session: scoped_session) -> None:
    client = world.app.test_client()
    assert client.post("/api/v1/session", json={"username": "officer", "password": PASSWORD}).status_code == 201
    user = session.scalars(sa.select(User).where(User.username == "officer")).one()
    user.password_hash = generate_password_hash("another-password", method="pbkdf2:sha256:1000")
    session.commit()
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.db
def test_inactive_user_cannot_log_in_or_use_tokens(world: World, session: scoped_session) -> None:
    session.scalars(sa.select(User).where(User.username == "officer")).one().active = False
    session.commit()
    assert world.get("officer", "/api/v1/me").status_code == 401
    assert world.client.post("/api/v1/session", json={"username": "officer", "password": PASSWORD}).status_code == 401


@pytest.mark.db
def test_login_body_is_validated(world: World) -> None:
    response = world.client.post("/api/v1/session", json={"username": "x"})
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["json.password"]


@pytest.mark.db
def test_user_commands_create_token_and_revoke(world: World, cli_runner: FlaskCliRunner,
                                               session: scoped_session) -> None:
    result = cli_runner.invoke(args=["user", "create", "lienlac.toa", "--role", "liaison", "--centre", "CT",
                                     "--location", "TA", "--password", "mat-khau-123"])
    assert result.exit_code == 0, result.output
    result = cli_runner.invoke(args=["user", "token", "lienlac.toa", "--name", "màn hình tòa", "--days", "30"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("dr_")
    stored = session.scalars(sa.select(ApiToken).where(ApiToken.prefix == token[:10])).one()
    assert stored.token_hash != token  # only the hash is kept
    headers = {"Authorization": f"Bearer {token}"}
    assert world.client.get("/api/v1/on-duty?location=TA", headers=headers).status_code == 200
    assert world.client.get("/api/v1/on-duty?location=CA", headers=headers).status_code == 404
    result = cli_runner.invoke(args=["user", "revoke", token[:10]])
    assert result.exit_code == 0 and "Revoked 1 token" in result.output
    assert world.client.get("/api/v1/me", headers=headers).status_code == 401
    again = cli_runner.invoke(args=["user", "revoke", token[:10]])
    assert again.exit_code != 0 and "no active token" in again.output


@pytest.mark.db
@pytest.mark.parametrize(("args", "message"), [
    (["user", "create", "x1", "--role", "director", "--password", "mat-khau-123"], "needs --centre"),
    (["user", "create", "x2", "--role", "director", "--centre", "ZZ", "--password", "mat-khau-123"], "ZZ"),
    (["user", "create", "x3", "--role", "liaison", "--centre", "CT", "--password", "mat-khau-123"], "--location"),
    (["user", "create", "x4", "--role", "officer", "--centre", "CT", "--person", "NOPE", "--password",
      "mat-khau-123"], "NOPE"),
    (["user", "create", "director", "--role", "director", "--centre", "CT", "--password", "mat-khau-123"], "taken"),
    (["user", "create", "x5", "--role", "coordinator", "--centre", "CT", "--password", "short"], "8"),
    (["user", "create", "x6", "--role", "admin", "--centre", "CT", "--password", "mat-khau-123"], "no centre"),
    (["user", "token", "nobody"], "no user"),
])
def test_user_command_errors_are_one_clear_line(world: World, cli_runner: FlaskCliRunner, args: list[str],
                                                message: str) -> None:
    result = cli_runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.db
def test_session_login_is_locked_after_five_wrong_passwords(world: World) -> None:
    client = world.app.test_client()
    wrong = [client.post("/api/v1/session", json={"username": "coordinator", "password": "sai"}).status_code
             for _ in range(5)]
    assert wrong == [401] * 5
    locked = client.post("/api/v1/session", json={"username": "coordinator", "password": PASSWORD})
    assert locked.status_code == 429 and "try again after" in locked.get_json()["detail"]
    assert client.post("/api/v1/session", json={"username": "officer", "password": PASSWORD}).status_code == 201
    # Bearer tokens are not passwords: the locked account's programs keep working.
    assert world.get("coordinator", "/api/v1/me").status_code == 200
