"""API errors as RFC 9457 problem details (application/problem+json), the same shape as duty_roster.errors.

Validation errors add `errors: [{"field": "json.phone", "message": "..."}]` so a client can point at the field.
Every error response rolls the session back first: a request either commits everything or nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from apiflask.exceptions import HTTPError
from flask import Flask, Response, jsonify
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.http import HTTP_STATUS_CODES

from duty_roster.api.blueprint import bp
from duty_roster.extensions import db
from duty_roster.field_errors import FieldErrors
from duty_roster.rostering.errors import RosteringError

log = logging.getLogger(__name__)


# The error body in the OpenAPI document (what `problem_response` writes).
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {"type": "object", "required": ["field", "message"],
                      "properties": {"field": {"type": "string"}, "message": {"type": "string"}}},
        },
    },
}


class ApiError(HTTPError):
    """An error a view raises on purpose; rendered by `render_http_error`."""


def problem_response(
    status: int, detail: str, *, errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    db.session.rollback()
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def unauthorized(detail: str = "Cần đăng nhập / authentication required: send 'Authorization: Bearer <token>' "
                               "or log in at POST /api/v1/session") -> ApiError:
    return ApiError(401, detail, headers={"WWW-Authenticate": 'Bearer realm="duty-roster"'})


def forbidden(detail: str = "Không có quyền / your role may not do this") -> ApiError:
    return ApiError(403, detail)


def not_found(what: str = "resource") -> ApiError:
    return ApiError(404, f"Không tìm thấy / no such {what}")


def field_error(field: str, message: str, status: int = 422) -> ApiError:
    return ApiError(status, message, detail={"errors": [{"field": field, "message": message}]})


def _flatten(location: str, detail: Any) -> list[dict[str, str]]:
    """APIFlask's {location: {field.path: [messages]}} -> [{"field": "location.field.path", "message": ...}]."""
    errors: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for field, messages in detail.items():
            for message in messages if isinstance(messages, list) else [messages]:
                errors.append({"field": f"{location}.{field}" if location else str(field), "message": str(message)})
    return errors


def render_http_error(error: HTTPError) -> Response:
    """APIFlask's errors: request validation (pydantic) and the ApiErrors our views raise."""
    detail = error.detail or {}
    errors: list[dict[str, str]] = []
    if isinstance(detail, dict) and "errors" in detail:
        errors = list(detail["errors"])
    elif isinstance(detail, dict):
        for location, fields in detail.items():
            errors.extend(_flatten(location, fields))
    message = error.message or HTTP_STATUS_CODES.get(error.status_code, "Error")
    if errors and not isinstance(error, ApiError):
        message = "Dữ liệu không hợp lệ / invalid request: " + "; ".join(f"{e['field']}: {e['message']}"
                                                                            for e in errors)
    return problem_response(error.status_code, message, errors=errors, headers=dict(error.headers or {}))


def _field_errors(exc: FieldErrors) -> Response:
    errors = [{"field": f"json.{field}" if not field.startswith(("json.", "query.")) else field, "message": msg}
              for field, msg in exc.errors]
    return problem_response(exc.status, str(exc), errors=errors)


def _rostering_error(exc: RosteringError) -> Response:
    return problem_response(409, str(exc))


def _integrity_error(exc: IntegrityError) -> Response:
    """A uniqueness or reference race the checks before the write could not see (e.g. two requests at once)."""
    log.warning("integrity error turned into 409: %s", exc.orig)
    return problem_response(409, "Xung đột với dữ liệu đã có / the change conflicts with stored data; reload and retry")


def _data_error(exc: DataError) -> Response:
    log.warning("data error turned into 422: %s", exc.orig)
    return problem_response(422, "Giá trị không lưu được (quá lớn hoặc ký tự không hợp lệ) / a value is out of range "
                                 "or contains characters the database refuses")


def _overflow(exc: OverflowError) -> Response:
    """SQLite refuses integers beyond 64 bits with a bare OverflowError (PostgreSQL's is a DataError above)."""
    log.warning("overflow turned into 422: %s", exc)
    return problem_response(422, "Số quá lớn / a number is too large to store")


# The use-case and database errors are mapped on the API blueprint only (once, at import: a blueprint's setup is
# frozen after its first registration), so HTML pages keep their own error pages.
bp.register_error_handler(FieldErrors, _field_errors)
bp.register_error_handler(RosteringError, _rostering_error)
bp.register_error_handler(IntegrityError, _integrity_error)
bp.register_error_handler(DataError, _data_error)
bp.register_error_handler(OverflowError, _overflow)


def register(app: Flask) -> None:
    """APIFlask routes HTTPError (request validation, ApiError) to `error_callback`; werkzeug's own HTTP errors keep
    going through duty_roster.errors, which already answers problem+json under /api."""
    app.error_callback = render_http_error  # type: ignore[attr-defined]
