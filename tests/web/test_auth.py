"""Login, logout, password change, language choice, CSRF and error pages of the web UI (test client)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session

from duty_roster.models import AuditLog, Centre
from tests.web.conftest import csrf, login
from tests.web.world import HOME, PASSWORD, user


def test_login_lands_each_role_on_its_home(app: Flask, world: Centre) -> None:
    for username, home in HOME.items():
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD,
                                               "csrf_token": csrf(client)})
        assert response.status_code == 302 and response.headers["Location"] == home
        assert client.get("/").headers["Location"] == home


def test_wrong_password_and_unknown_user_get_the_same_vietnamese_message(
    client: FlaskClient, world: Centre, session: scoped_session
) -> None:
    texts = []
    for username, password in (("dieuphoi", "sai-mat-khau"), ("khong-ai", PASSWORD)):
        response = client.post("/login", data={"username": username, "password": password,
                                               "csrf_token": csrf(client)})
        assert response.status_code == 401
        texts.append(response.get_data(as_text=True))
        assert "Sai tên đăng nhập hoặc mật khẩu." in texts[-1]
    assert 'value="khong-ai"' in texts[1]  # the username is kept, the password never
    assert session.scalar(sa.select(AuditLog.action).where(AuditLog.action == "user.login_failed")) is not None


def test_login_follows_a_safe_next_only(client: FlaskClient, world: Centre) -> None:
    token = csrf(client)
    data = {"username": "giamdoc", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login?next=/board", data=data).headers["Location"] == "/board"
    client.post("/logout", data={"csrf_token": csrf(client, "/account/password")})
    data["csrf_token"] = csrf(client)
    assert client.post("/login?next=https://evil.example/x", data=data).headers["Location"] == "/desk"


def test_pages_need_a_login_and_redirect_back(client: FlaskClient, world: Centre) -> None:
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/account/password"


def test_post_without_csrf_token_is_a_friendly_400(client: FlaskClient, world: Centre) -> None:
    response = client.post("/login", data={"username": "giamdoc", "password": PASSWORD})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Phiên làm việc đã hết hạn, vui lòng thử lại." in body and "Traceback" not in body
    english = client.post("/login?lang=en", data={"username": "giamdoc", "password": PASSWORD})
    assert "Your session has expired, please try again." in english.get_data(as_text=True)


def test_logout_is_post_only_and_audited(
    logged_in: Callable[[str], FlaskClient], session: scoped_session
) -> None:
    client = logged_in("trogiupvien")
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={"csrf_token": csrf(client, "/account/password")})
    assert response.headers["Location"] == "/login"
    assert client.get("/account/password").status_code == 302
    actions = set(session.scalars(sa.select(AuditLog.action)))
    assert {"user.login", "user.logout"} <= actions


def test_session_is_shared_with_the_json_api(logged_in: Callable[[str], FlaskClient]) -> None:
    client = logged_in("dieuphoi")
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.get_json()["username"] == "dieuphoi"
    page = client.get("/account/password").get_data(as_text=True)
    with client.session_transaction() as state:
        api_token = state["csrf"]
        assert state.permanent
    assert f'<meta name="api-csrf" content="{api_token}">' in page
    # A write through the API needs the API's header; the UI's form token is not enough.
    assert client.delete("/api/v1/session").status_code == 403
    assert client.delete("/api/v1/session", headers={"X-CSRF-Token": api_token}).status_code == 204


def test_password_change_checks_the_rules_and_ends_other_sessions(
    app: Flask, logged_in: Callable[[str], FlaskClient], session: scoped_session
) -> None:
    client = logged_in("dieuphoi")
    other = app.test_client()
    login(other, "dieuphoi")

    def change(current: str, new: str, repeat: str) -> tuple[int, str]:
        response = client.post("/account/password", data={"current": current, "new": new, "repeat": repeat,
                                                           "csrf_token": csrf(client, "/account/password")})
        return response.status_code, response.get_data(as_text=True)

    status, body = change("sai", "dieuphoi", "khac")
    assert status == 400
    for text in ("Mật khẩu hiện tại không đúng.", "Mật khẩu mới phải có ít nhất 10 ký tự.",
                 "Mật khẩu mới không được trùng tên đăng nhập.", "Hai lần nhập mật khẩu mới không giống nhau."):
        assert text in body
    status, _ = change(PASSWORD, "mot-mat-khau-moi", "mot-mat-khau-moi")
    assert status == 302
    assert client.get("/account/password").status_code == 200  # this browser goes on
    assert other.get("/account/password").status_code == 302  # the other one is logged out
    assert other.get("/api/v1/me").status_code == 401
    session.expire_all()
    assert user(session, "dieuphoi").password_hash != ""
    fresh = app.test_client()
    login(fresh, "dieuphoi", "mot-mat-khau-moi")


def test_language_switch_sets_session_and_account(
    logged_in: Callable[[str], FlaskClient], session: scoped_session
) -> None:
    client = logged_in("lienlac")
    assert 'lang="vi"' in client.get("/account/password").get_data(as_text=True)
    response = client.get("/lang/en?next=/account/password%3Flang%3Dvi")
    assert response.headers["Location"] == "/account/password"
    page = client.get("/account/password").get_data(as_text=True)
    assert '<html lang="en">' in page and "Change password" in page
    session.expire_all()
    assert user(session, "lienlac").locale == "en"
    assert client.get("/lang/en?next=//evil.example/").headers["Location"] == "/"
    assert client.get("/lang/fr").status_code == 404
    assert client.get("/account/password?lang=vi").get_data(as_text=True).count("Đổi mật khẩu") >= 1


def test_saved_locale_applies_at_the_next_login(
    app: Flask, world: Centre, session: scoped_session
) -> None:
    user(session, "giamdoc").locale = "en"
    session.commit()
    client = app.test_client()
    login(client, "giamdoc")
    assert '<html lang="en">' in client.get("/account/password").get_data(as_text=True)


def test_html_error_pages_and_api_problems(logged_in: Callable[[str], FlaskClient]) -> None:
    client = logged_in("trogiupvien")
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Không tìm thấy trang" in page.get_data(as_text=True)
    problem = client.get("/api/v1/no-such-thing")
    assert problem.status_code == 404 and problem.mimetype == "application/problem+json"
    assert problem.get_json()["status"] == 404
    forbidden = client.post("/account/centre", data={"csrf_token": csrf(client, "/account/password")})
    assert forbidden.status_code == 403 and "Không được phép" in forbidden.get_data(as_text=True)


def test_admin_chooses_a_centre(logged_in: Callable[[str], FlaskClient], world: Centre) -> None:
    client = logged_in("quantri")
    page = client.get("/account/password").get_data(as_text=True)
    assert f'<option value="{world.id}" selected>' in page
    response = client.post("/account/centre", data={"centre_id": str(world.id), "next": "/account/password",
                                                     "csrf_token": csrf(client, "/account/password")})
    assert response.headers["Location"] == "/account/password"
    with client.session_transaction() as state:
        assert state["centre_id"] == world.id
    bad = client.post("/account/centre", data={"centre_id": "x", "csrf_token": csrf(client, "/account/password")})
    assert bad.status_code == 400


def test_session_cookie_expires_after_the_configured_lifetime(
    app: Flask, logged_in: Callable[[str], FlaskClient]
) -> None:
    client = logged_in("giamdoc")
    response = client.get("/account/password")
    cookie = response.headers["Set-Cookie"]  # refreshed on every request: inactivity, not login time, counts
    assert "Expires=" in cookie
    lifetime = app.permanent_session_lifetime.total_seconds()
    assert lifetime == app.config["SETTINGS"].SESSION_LIFETIME_MINUTES * 60


def test_an_unexpected_error_shows_an_apology_page_not_a_traceback(app: Flask, world: Centre) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("kaboom")

    client = app.test_client()
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "Lỗi máy chủ" in body
    assert "kaboom" not in body and "Traceback" not in body
    assert client.get("/api/v1/boom").mimetype == "application/problem+json"  # API paths keep problem+json


def test_five_wrong_passwords_lock_the_account_for_a_while_then_it_opens(
    app: Flask, world: Centre, session: scoped_session
) -> None:
    def attempt(password: str, username: str = "dieuphoi") -> tuple[int, str]:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": password,
                                               "csrf_token": csrf(client)})
        return response.status_code, response.get_data(as_text=True)

    assert [attempt("sai-mat-khau")[0] for _ in range(5)] == [401] * 5
    status, html = attempt(PASSWORD)  # even the right password: no more guesses for now
    assert status == 429 and "quá nhiều lần" in html
    assert attempt(PASSWORD, "giamdoc")[0] == 302  # another account is not locked
    # 15 minutes after those failures the right password works again (the audit log is the record of them).
    for entry in session.scalars(sa.select(AuditLog).where(AuditLog.action == "user.login_failed")):
        entry.at -= timedelta(minutes=16)
    session.commit()
    assert attempt(PASSWORD)[0] == 302
    assert [attempt("sai-mat-khau")[0] for _ in range(5)] == [401] * 5  # the count started afresh at the success
    assert attempt(PASSWORD)[0] == 429
