"""The nav bar as data: (path, label, roles). A link shows only once some blueprint serves its path, so areas built
by different people appear as they land, and only to the roles that may use them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from duty_roster.models import Role, User

A, D, C, OFF, L = Role.ADMIN, Role.DIRECTOR, Role.COORDINATOR, Role.OFFICER, Role.LIAISON


@dataclass(frozen=True)
class NavItem:
    path: str
    label: object  # a lazy string
    roles: frozenset[Role]


NAV: tuple[NavItem, ...] = (
    NavItem("/desk", lazy_gettext("Desk"), frozenset({A, D, C})),
    NavItem("/desk/rosters", lazy_gettext("Rosters"), frozenset({A, D, C})),
    NavItem("/data/people", lazy_gettext("People"), frozenset({A, D, C})),
    NavItem("/data/locations", lazy_gettext("Locations"), frozenset({A, D, C})),
    NavItem("/data/unavailability", lazy_gettext("Absences"), frozenset({A, D, C})),
    NavItem("/data/holidays", lazy_gettext("Holidays"), frozenset({A, D, C})),
    NavItem("/audit", lazy_gettext("Audit log"), frozenset({A, D})),
    NavItem("/me", lazy_gettext("My duties"), frozenset({OFF})),
    NavItem("/me/swaps", lazy_gettext("Swaps"), frozenset({OFF})),
    NavItem("/me/unavailability", lazy_gettext("My absences"), frozenset({OFF})),
    NavItem("/me/calendar", lazy_gettext("Calendar"), frozenset({OFF})),
    NavItem("/me/settings", lazy_gettext("Settings"), frozenset({OFF})),
    NavItem("/board", lazy_gettext("Duty board"), frozenset({A, D, C, L})),
)


def served(path: str) -> bool:
    """True when a GET on `path` reaches a view (a redirect to a slash variant counts)."""
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(path, method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True


def nav_for(user: User | None) -> list[dict[str, object]]:
    """Links for `user`'s role, the current one marked active (the longest matching prefix wins)."""
    if user is None:
        return []
    items = [item for item in NAV if user.role in item.roles and served(item.path)]
    here = request.path
    matches = [item.path for item in items if here == item.path or here.startswith(item.path.rstrip("/") + "/")]
    active = max(matches, key=len, default=None)
    return [{"path": item.path, "label": item.label, "active": item.path == active} for item in items]
