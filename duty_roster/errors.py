"""Error responses: JSON (RFC 9457 problem details) under /api, and never a traceback for anybody."""

from __future__ import annotations

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

API_PREFIX = "/api"


def wants_json() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def problem(status: int, title: str, detail: str) -> Response:
    response = jsonify({"type": "about:blank", "title": title, "status": status, "detail": detail})
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _http_error(exc: HTTPException) -> Response | HTTPException:
    if not wants_json():
        return exc  # Flask renders its plain HTML page (the web UI may register nicer ones)
    response = problem(exc.code or 500, exc.name, exc.description or exc.name)
    allowed = getattr(exc, "valid_methods", None)  # set on 405 Method Not Allowed
    if allowed:
        response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


def _server_error(exc: InternalServerError) -> Response | tuple[str, int]:
    """Unhandled exceptions arrive here after Flask logged them with the traceback: show users only an apology."""
    if wants_json():
        return problem(500, "Internal Server Error", "Lỗi máy chủ; đã ghi nhật ký. / Server error; it has been logged.")
    return "Lỗi máy chủ; đã ghi nhật ký. / Server error; it has been logged.", 500


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
