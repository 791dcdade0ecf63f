"""/audit: the centre's audit log (nhật ký) for the director (and the admin), newest first, filtered by action,
user and dates. Details are shown as "key: value" lines with phone numbers masked."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext

from duty_roster.excel import cells
from duty_roster.extensions import db
from duty_roster.models import AuditLog, Role, User
from duty_roster.phones import InvalidPhone, mask_phone, normalise_phone
from duty_roster.web.auth import current_centre, roles_required

bp = Blueprint("audit", __name__)
PER_PAGE = 50
# What each audited action means, for people who do not read "swap.accept". An action missing here is shown as is.
ACTION_LABELS = {
    "assignment.add": lazy_gettext("Shift assigned"),
    "assignment.add.force": lazy_gettext("Shift assigned (rule overridden)"),
    "assignment.move": lazy_gettext("Shift moved"),
    "assignment.move.force": lazy_gettext("Shift moved (rule overridden)"),
    "assignment.remove": lazy_gettext("Shift removed"),
    "assignment.remove.force": lazy_gettext("Shift removed (rule overridden)"),
    "assignment.confirm": lazy_gettext("Shift confirmed"),
    "assignment.decline": lazy_gettext("Shift declined"),
    "centre.load": lazy_gettext("Centre data loaded"),
    "feed.issue": lazy_gettext("Calendar link issued"),
    "holiday_override.save": lazy_gettext("Holiday saved"),
    "holiday_override.delete": lazy_gettext("Holiday deleted"),
    "import.people": lazy_gettext("People imported from Excel"),
    "import.unavailability": lazy_gettext("Leave imported from Excel"),
    "location.save": lazy_gettext("Court or agency saved"),
    "location.delete": lazy_gettext("Court or agency deleted"),
    "person.save": lazy_gettext("Person saved"),
    "person.delete": lazy_gettext("Person deleted"),
    "person.notification_settings": lazy_gettext("SMS settings changed"),
    "preference.save": lazy_gettext("Preference saved"),
    "preference.delete": lazy_gettext("Preference deleted"),
    "roster.generate": lazy_gettext("Roster generated"),
    "roster.generate.queued": lazy_gettext("Roster generation started"),
    "roster.publish": lazy_gettext("Roster published"),
    "roster.repair": lazy_gettext("Roster repaired"),
    "sms.inbound": lazy_gettext("SMS reply received"),
    "swap.offered": lazy_gettext("Swap offered"),
    "swap.offer": lazy_gettext("Swap offered"),
    "swap.accepted": lazy_gettext("Swap accepted"),
    "swap.accept": lazy_gettext("Swap accepted"),
    "swap.approved": lazy_gettext("Swap approved"),
    "swap.approve": lazy_gettext("Swap approved"),
    "swap.rejected": lazy_gettext("Swap rejected"),
    "swap.cancelled": lazy_gettext("Swap cancelled"),
    "swap.expired": lazy_gettext("Swap expired"),
    "swap.expire": lazy_gettext("Swap expired"),
    "token.issue": lazy_gettext("API token issued"),
    "token.revoke": lazy_gettext("API token revoked"),
    "unavailability.save": lazy_gettext("Leave saved"),
    "unavailability.delete": lazy_gettext("Leave deleted"),
    "user.create": lazy_gettext("User created"),
    "user.login": lazy_gettext("Signed in"),
    "user.login_failed": lazy_gettext("Failed sign-in"),
    "user.logout": lazy_gettext("Signed out"),
    "user.password": lazy_gettext("Password changed"),
}
_PHONE_LIKE = re.compile(r"^\+?[\d .()-]{9,}$")


def mask(value: Any, key: str = "") -> Any:
    """Phone numbers (by key name or by look) masked, through nested lists and objects."""
    if isinstance(value, dict):
        return {k: mask(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v, key) for v in value]
    if isinstance(value, str) and ("phone" in key.lower() or key.lower() in ("to", "to_phone")
                                   or _PHONE_LIKE.match(value.strip())):
        try:
            return mask_phone(normalise_phone(value))
        except InvalidPhone:
            return mask_phone(value) if "phone" in key.lower() else value
    return value


def action_label(action: str) -> str:
    """The translated name of an audited action; an unknown one (from a newer version) as it is stored."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def detail_lines(detail: dict[str, Any] | None) -> list[tuple[str, str]]:
    lines = []
    for key, value in sorted((detail or {}).items()):
        shown = mask(value, str(key))
        if isinstance(shown, dict | list):
            shown = json.dumps(shown, ensure_ascii=False, sort_keys=True)
        lines.append((str(key), "" if shown is None else str(shown)))
    return lines


def _day(name: str) -> date | None:
    try:
        return cells.a_date(request.args.get(name, "").strip()[:20])
    except cells.CellError:
        return None


@bp.get("/audit")
@roles_required(Role.DIRECTOR, Role.ADMIN)
def audit_log() -> str:
    centre = current_centre()
    tz = ZoneInfo(centre.timezone)
    action = request.args.get("action", "").strip()[:64]
    user_id = request.args.get("user", "").strip()
    start, end = _day("start"), _day("end")
    query = (sa.select(AuditLog).where(AuditLog.centre_id == centre.id)
             .order_by(AuditLog.at.desc(), AuditLog.id.desc()))
    if action:
        query = query.where(AuditLog.action == action)
    if user_id.isdigit():
        query = query.where(AuditLog.user_id == int(user_id))
    if start is not None:
        query = query.where(AuditLog.at >= datetime.combine(start, time(0), tzinfo=tz))
    if end is not None:
        query = query.where(AuditLog.at < datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    try:
        page = max(1, min(int(request.args.get("page", "1")), pages))
    except ValueError:
        page = 1
    entries = list(db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    users = list(db.session.scalars(sa.select(User).where(User.centre_id == centre.id).order_by(User.username)))
    names = {u.id: u.full_name or u.username for u in users}
    missing = {e.user_id for e in entries if e.user_id is not None and e.user_id not in names}
    for other in db.session.scalars(sa.select(User).where(User.id.in_(missing))) if missing else ():
        names[other.id] = other.full_name or other.username  # e.g. the admin who acted on this centre
    actions = list(db.session.scalars(sa.select(AuditLog.action).where(AuditLog.centre_id == centre.id)
                                      .distinct().order_by(AuditLog.action)))
    filters = {"action": action, "user": user_id, "start": request.args.get("start", "")[:20],
               "end": request.args.get("end", "")[:20]}
    return render_template("audit/list.html", entries=entries, names=names, users=users, actions=actions,
                           filters=filters, page=page, pages=pages, total=total, detail_lines=detail_lines,
                           action_label=action_label,
                           bad_dates=(filters["start"] and start is None) or (filters["end"] and end is None))
