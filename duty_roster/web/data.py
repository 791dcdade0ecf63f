"""Centre data pages (/data): people, locations and shift patterns, unavailability, holiday overrides, Excel.

One blueprint, one module per record type (data_people, data_locations, data_unavailability, data_holidays,
data_excel) attaching its views here. Views are thin: form values -> centre-file spec -> the use case the API uses
(duty_roster.centre_data), errors worded by web.validation_messages, the form shown again as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, request, url_for
from pydantic import BaseModel, ValidationError
from werkzeug.wrappers import Response

from duty_roster.api.policy import PERMISSIONS
from duty_roster.extensions import db
from duty_roster.field_errors import FieldErrors
from duty_roster.models import Centre, Role, User
from duty_roster.web import validation_messages
from duty_roster.web.auth import current_centre, current_user, roles_required
from duty_roster.web.validation_messages import Errors

bp = Blueprint("data", __name__, url_prefix="/data")
F = TypeVar("F", bound=Callable[..., Any])
S = TypeVar("S", bound=BaseModel)
PER_PAGE = 50


def editors(action: str) -> tuple[Role, ...]:
    """The API's roles for `action` (duty_roster/api/policy.py) who work at the desk, plus the admin working on a
    chosen centre (web/auth.py DESK_ROLES). Officers manage their own absences under /me, not here."""
    return tuple(sorted((PERMISSIONS[action] - {Role.OFFICER, Role.LIAISON}) | {Role.ADMIN}))


def can(action: str) -> Callable[[F], F]:
    return roles_required(*editors(action))


def centre() -> Centre:
    return current_centre()


def user() -> User | None:
    return current_user()


def in_centre(model: type[Any], object_id: int) -> Any:
    """A record of the current centre (directly or through its person), else 404: ids of other centres do not
    exist here."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    owner = getattr(obj, "centre_id", None)
    if owner is None and hasattr(obj, "person"):
        owner = obj.person.centre_id
    if owner is None and hasattr(obj, "location"):
        owner = obj.location.centre_id
    if owner != centre().id:
        abort(404)
    return obj


def validate(spec: type[S], data: dict[str, Any], errors: Errors) -> S | None:
    """The spec built from form input, or None with the problems added to `errors` by field."""
    try:
        return spec.model_validate(data)
    except ValidationError as exc:
        for field, messages in validation_messages.from_validation(exc).items():
            for message in messages:
                validation_messages.add(errors, field, message)
        return None


def save(action: Callable[[], Any], errors: Errors, *, strip: str = "") -> Any:
    """Run a use case; on FieldErrors roll back (nothing half-written) and add its messages to `errors`."""
    try:
        result = action()
    except FieldErrors as exc:
        db.session.rollback()
        for field, messages in validation_messages.from_field_errors(exc, strip=strip).items():
            for message in messages:
                validation_messages.add(errors, field, message)
        return None
    db.session.commit()
    return result


def search_condition(q: str, *text_columns: Any, phone_column: Any = None) -> Any:
    """Case-insensitive match on the text columns; digits also match phone numbers however they were typed
    (0912 345 678 finds +84912345678)."""
    like = f"%{q.replace('%', '').replace('_', '')}%"
    conditions = [column.ilike(like) for column in text_columns]
    digits = re.sub(r"\D", "", q)
    if phone_column is not None and len(digits) >= 3:
        conditions.append(phone_column.contains(digits.lstrip("0") or digits))
    return sa.or_(*conditions)


def page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        return 1


def paginate(query: sa.Select[Any]) -> dict[str, Any]:
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    page = min(page_number(), pages)
    rows = list(db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return {"rows": rows, "page": page, "pages": pages, "total": total}


@bp.get("/")
@can("person.write")
def index() -> Response:
    return redirect(url_for("data.people"))


# The views of each record type attach themselves to `bp`.
from duty_roster.web import (  # noqa: E402
    data_excel,  # noqa: F401
    data_holidays,  # noqa: F401
    data_locations,  # noqa: F401
    data_people,  # noqa: F401
    data_unavailability,  # noqa: F401
)
