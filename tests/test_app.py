"""The application factory's HTTP surface: health check and error responses."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from duty_roster.extensions import db


def test_healthz_reports_database_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ConnectionError("database is down")

    with app.app_context():
        monkeypatch.setattr(db.session, "execute", broken)
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}
    assert b"database is down" not in response.data


def test_unknown_api_path_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    body = response.get_json()
    assert body["status"] == 404
    assert body["title"] == "Not Found"


def test_wrong_method_under_api_is_a_json_405_with_allow(app: Flask) -> None:
    app.add_url_rule("/api/ping", "ping", lambda: {"pong": True}, methods=["GET"])
    response = app.test_client().delete("/api/ping")
    assert response.status_code == 405
    assert response.is_json
    assert response.get_json()["status"] == 405
    assert "GET" in response.headers["Allow"]


def test_pages_outside_api_keep_html_errors(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert not response.is_json


@pytest.mark.parametrize("path", ["/api/boom", "/boom"])
def test_unhandled_exception_is_a_500_without_traceback(
    app: Flask, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    def boom() -> str:
        raise RuntimeError("secret internals: password=hunter2")

    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production; TESTING would re-raise into the test
    app.add_url_rule(path, path.replace("/", "_"), boom)
    response = app.test_client().get(path)
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    assert "hunter2" not in text
    assert "RuntimeError" not in text
    assert response.is_json == path.startswith("/api")
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert logged, "the traceback belongs in the log"
