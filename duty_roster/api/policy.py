"""Who may do what: one table of actions per role, one decorator that enforces it, and the tenancy look-ups.

The three answers, in this order:
- 401: no valid credentials (no token, a bad/expired/revoked token, no session);
- 403: the caller's role may not do this action at all (a liaison listing people, a coordinator publishing);
- 404: the object is not the caller's to see: another centre's, or (for officers) another person's record, or a
  location outside a liaison's scope. Existence is never confirmed, whatever id is in the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import g

from duty_roster.api.problems import forbidden, not_found, unauthorized
from duty_roster.extensions import db
from duty_roster.models import Centre, Person, Role, User

ADMIN, DIRECTOR, COORDINATOR, OFFICER, LIAISON = (
    Role.ADMIN, Role.DIRECTOR, Role.COORDINATOR, Role.OFFICER, Role.LIAISON,
)
STAFF = frozenset({DIRECTOR, COORDINATOR, OFFICER})
MANAGERS = frozenset({DIRECTOR, COORDINATOR})

# action -> roles allowed. Officers' "own records only" is the second, object-level check (see `own_person_only`).
PERMISSIONS: dict[str, frozenset[Role]] = {
    "me.read": frozenset(Role),
    "centre.list": frozenset({ADMIN}),
    "centre.create": frozenset({ADMIN}),
    "centre.read": frozenset({ADMIN, *STAFF}),
    "person.read": STAFF,  # officers: their own record only
    "person.write": MANAGERS,
    "location.read": STAFF,
    "location.write": MANAGERS,
    "holiday.read": STAFF,
    "holiday.write": MANAGERS,
    "unavailability.read": STAFF,  # officers: their own only
    "unavailability.write": STAFF,  # officers: their own only
    "preference.read": STAFF,
    "preference.write": STAFF,
    "roster.read": STAFF,  # officers: published and superseded versions, never drafts
    "roster.generate": MANAGERS,
    "job.read": MANAGERS,
    "roster.repair": MANAGERS,
    "roster.publish": frozenset({DIRECTOR}),
    "roster.adjust": MANAGERS,  # drafts only; forcing past the hard rules is the director's (checked in the view)
    "swap.read": STAFF,  # officers: swaps they offered or were asked, and open offers
    "swap.offer": STAFF,  # officers: their own assignments only; managers on behalf of anyone
    "swap.respond": STAFF,  # accept / decline as the caller's own person; cancel: the offerer or a manager
    "swap.decide": MANAGERS,  # approve / reject
    "assignment.confirm": STAFF,  # confirm / decline a published assignment; officers: their own only
    "on_duty.read": frozenset({*STAFF, LIAISON}),  # liaisons: their locations only
    "report.read": STAFF,  # officers: their own row only
    "feed.read": frozenset({*STAFF, LIAISON}),  # one's own feed links
    "feed.write": frozenset({*STAFF, LIAISON}),  # kinds per role: see duty_roster/api/feeds.py
    "shift.read": frozenset({*STAFF, LIAISON}),  # one shift as .ics; liaisons: their locations only
}
SECURITY = ["BearerToken", "SessionCookie"]
SECURITY_SCHEMES = {
    "BearerToken": {"type": "http", "scheme": "bearer", "description": "API token from `duty-roster user token`"},
    "SessionCookie": {"type": "apiKey", "in": "cookie", "name": "session",
                      "description": "browser session from POST /api/v1/session (unsafe methods also need the "
                                     "X-CSRF-Token header it returns)"},
}

F = TypeVar("F", bound=Callable[..., Any])


def current_user() -> User:
    return g.user


def require(action: str) -> Callable[[F], F]:
    """Authenticate the caller and check that their role may do `action`; documents the security in OpenAPI."""
    roles = PERMISSIONS[action]

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from duty_roster.api.auth import authenticate

            user = authenticate()
            if user is None:
                raise unauthorized()
            if user.role not in roles:
                raise forbidden(
                    f"Vai trò {user.role.value} không được phép / the {user.role.value} role may not do "
                    f"{action} (allowed: {', '.join(sorted(r.value for r in roles))})"
                )
            g.user = user
            return view(*args, **kwargs)

        # Document the security and the 401/403 answers, keeping what @bp.doc said below this decorator.
        spec: dict[str, Any] = wrapper.__dict__.setdefault("_spec", {})
        spec["security"] = SECURITY
        responses = spec.get("responses") or []
        spec["responses"] = sorted({*responses, 401, 403}) if isinstance(responses, list) else responses
        return wrapper  # type: ignore[return-value]

    return decorator


def centre_id() -> int:
    """The caller's centre. Every role but admin has one; admin reaching a centre-scoped view is a 403 above."""
    user = current_user()
    if user.centre_id is None:
        raise forbidden("Tài khoản không thuộc trung tâm nào / this account belongs to no centre")
    return user.centre_id


def own_centre() -> Centre:
    centre = db.session.get(Centre, centre_id())
    if centre is None:  # the centre was deleted under a live session
        raise not_found("centre")
    return centre


def is_officer() -> bool:
    return current_user().role is OFFICER


def own_person_id() -> int | None:
    """For officers: the person record their account is linked to (None: they own nothing)."""
    return current_user().person_id


M = TypeVar("M")


def get_in_centre(model: type[M], object_id: int, what: str) -> M:
    """`model` row `object_id` if it belongs to the caller's centre (directly or through its person), else 404."""
    obj = db.session.get(model, object_id)
    if obj is None:
        raise not_found(what)
    owner = getattr(obj, "centre_id", None)
    if owner is None and hasattr(obj, "person"):
        owner = obj.person.centre_id
    if owner != centre_id():
        raise not_found(what)
    return obj


def own_person_only(person_id: int, what: str) -> None:
    """Officers see and change only records of their own person; anything else is as good as absent (404)."""
    if is_officer() and person_id != own_person_id():
        raise not_found(what)


def person_by_code(code: str, field: str = "person") -> Person:
    """A person of the caller's centre by code, for request bodies (unknown code: 422 naming `field`)."""
    from duty_roster.field_errors import FieldErrors

    person = db.session.scalar(sa.select(Person).where(Person.centre_id == centre_id(), Person.code == code))
    if person is None:
        raise FieldErrors.one(field, f"Không có người mã {code!r} / no person with code {code!r} in your centre")
    return person


def ensure_officer_owns(person: Person, field: str = "person") -> None:
    """An officer naming someone else's code in a body: the action is not theirs to do (403)."""
    if is_officer() and person.id != own_person_id():
        raise forbidden("Trợ giúp viên chỉ quản lý dữ liệu của chính mình / officers manage only their own records")
