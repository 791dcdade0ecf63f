"""Officer self-service (/me): my shifts, confirm or decline them, my absences, swaps, calendar link, SMS settings.

Every page works on the logged-in account's own person (User.person); there is no person id in any URL, so nobody
can reach a colleague's data by editing one. Writes go through the use cases the API and SMS replies use
(rostering.confirmations, rostering.swaps, centre_data, calendar.tokens).
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import segno
import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from markupsafe import Markup
from werkzeug.wrappers import Response

from duty_roster import audit, centre_data, clock
from duty_roster.calendar import tokens
from duty_roster.centre_file.schema import UnavailabilitySpec
from duty_roster.extensions import db
from duty_roster.models import (
    Assignment,
    FeedKind,
    FeedToken,
    Person,
    Roster,
    RosterStatus,
    Shift,
    SwapRequest,
    SwapStatus,
    Unavailability,
)
from duty_roster.models.swaps import OPEN_SWAP_STATUSES
from duty_roster.rostering import confirmations
from duty_roster.rostering import swaps as swap_cases
from duty_roster.rostering.errors import HardRuleViolation, RosteringError
from duty_roster.web import data_forms
from duty_roster.web.auth import current_user, login_required
from duty_roster.web.data import save, validate
from duty_roster.web.formatting import weekday_short
from duty_roster.web.validation_messages import Errors, add, bilingual

bp = Blueprint("me", __name__, url_prefix="/me")
F = TypeVar("F", bound=Callable[..., Any])

A_MONDAY = date(2024, 1, 1)
UPCOMING_DAYS = 62
PAST_DAYS = 14
REASONS = {"leave": lazy_gettext("Leave"), "sick": lazy_gettext("Sick"), "training": lazy_gettext("Training"),
           "business_trip": lazy_gettext("Business trip"), "other": lazy_gettext("Other")}
SWAP_STATUS = {
    "offered": lazy_gettext("Offered to everyone"), "requested": lazy_gettext("Asked of a colleague"),
    "accepted": lazy_gettext("Taken, awaiting approval"), "approved": lazy_gettext("Approved"),
    "rejected": lazy_gettext("Rejected"), "cancelled": lazy_gettext("Withdrawn"), "expired": lazy_gettext("Expired"),
}


def me() -> Person:
    """The account's own person (views are wrapped in `person_required`, so there is one)."""
    user = current_user()
    if user is None or user.person is None:
        abort(404)
    return user.person


def person_required(view: F) -> F:
    """Logged in (else to /login) with an account linked to a duty person (else a page saying whom to ask)."""

    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None or user.person is None:
            return render_template("me/no_person.html"), 404
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def now_utc() -> datetime:
    return clock.utcnow()


def tz_of(person: Person) -> ZoneInfo:
    return ZoneInfo(person.centre.timezone)


def _notice() -> int:
    return current_app.config["SETTINGS"].PUBLISH_NOTICE_WORKING_DAYS


def _published_assignments(person: Person, since: datetime, until: datetime) -> list[Assignment]:
    return list(db.session.scalars(
        sa.select(Assignment).join(Roster, Assignment.roster_id == Roster.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.person_id == person.id, Roster.status == RosterStatus.PUBLISHED,
               Shift.end_at > since, Shift.start_at < until)
        .order_by(Shift.start_at, Assignment.id)
    ))


def _own_assignment(assignment_id: int) -> Assignment:
    """One of my assignments in a published version (drafts are never shown to officers), else 404."""
    assignment = db.session.get(Assignment, assignment_id)
    if (assignment is None or assignment.person_id != me().id
            or assignment.roster.status is RosterStatus.DRAFT):
        abort(404)
    return assignment


def _message(exc: RosteringError) -> str:
    """A use case's bilingual "vi / en" message in the page's language, with the rule reasons if any."""
    text = bilingual(str(exc.args[0]) if exc.args else str(exc))
    if isinstance(exc, HardRuleViolation):
        reasons = "; ".join(bilingual(v.message) for v in exc.violations)
        return f"{text}: {reasons}" if reasons else text
    return text


def _back(default: str) -> Response:
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/me") else url_for(default))


def _attempt(action: Callable[[], Any], success: str) -> bool:
    """Run a use case and commit; on a rule refusal roll back, flash why, and report False."""
    try:
        action()
    except RosteringError as exc:
        db.session.rollback()
        flash(_message(exc), "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True


# --- my shifts -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCell:
    day: date | None
    assignments: tuple[Assignment, ...] = ()


def _month_weeks(month: date, assignments: list[Assignment], tz: ZoneInfo) -> list[list[MonthCell]]:
    """Weeks Monday..Sunday of `month`, each day with my shifts starting that (local) day."""
    by_day: dict[date, list[Assignment]] = {}
    for a in assignments:
        by_day.setdefault(a.shift.start_at.astimezone(tz).date(), []).append(a)
    weeks = []
    for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append([MonthCell(d, tuple(by_day.get(d, ()))) if d.month == month.month else MonthCell(None)
                      for d in week])
    return weeks


def _month_arg(today: date) -> date:
    raw = request.args.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-", 1))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@bp.get("")
@person_required
def shifts() -> str:
    """Upcoming shifts (with confirm / decline / swap) and a month calendar of mine."""
    person = me()
    tz = tz_of(person)
    now = now_utc()
    today = now.astimezone(tz).date()
    month = _month_arg(today)
    upcoming = _published_assignments(person, now, now + timedelta(days=UPCOMING_DAYS))
    recent = [a for a in _published_assignments(person, now - timedelta(days=PAST_DAYS), now)
              if a.shift.end_at <= now]
    month_start = datetime.combine(month, datetime.min.time(), tz)
    next_month = (month + timedelta(days=32)).replace(day=1)
    in_month = _published_assignments(person, month_start, datetime.combine(next_month, datetime.min.time(), tz))
    open_swaps = {s.shift_id for s in db.session.scalars(sa.select(SwapRequest).where(
        SwapRequest.from_person_id == person.id, SwapRequest.status.in_(OPEN_SWAP_STATUSES)))}
    waiting = confirmations.next_unconfirmed(db.session, person, now=now)
    colleagues = list(db.session.scalars(sa.select(Person).where(
        Person.centre_id == person.centre_id, Person.active.is_(True), Person.id != person.id
    ).order_by(Person.full_name)))
    return render_template(
        "me/shifts.html", person=person, upcoming=upcoming, recent=recent, weeks=_month_weeks(month, in_month, tz),
        month=month, prev_month=(month - timedelta(days=1)).replace(day=1), next_month=next_month,
        open_swaps=open_swaps, waiting=waiting, colleagues=colleagues, today=today,
        weekday_heads=[weekday_short(A_MONDAY + timedelta(days=i)) for i in range(7)],
    )


@bp.post("/assignments/<int:assignment_id>/confirm")
@person_required
def confirm(assignment_id: int) -> Response:
    assignment = _own_assignment(assignment_id)
    _attempt(lambda: confirmations.confirm(db.session, assignment, via="web", user=current_user(), now=now_utc()),
             _("Thank you: the shift is confirmed."))
    return _back("me.shifts")


@bp.post("/assignments/<int:assignment_id>/decline")
@person_required
def decline(assignment_id: int) -> Response:
    assignment = _own_assignment(assignment_id)
    reason = request.form.get("reason", "").strip()[:300]
    _attempt(lambda: confirmations.decline(db.session, assignment, via="web", reason=reason, user=current_user(),
                                           now=now_utc()),
             _("The shift is declined; the coordinator has been told."))
    return _back("me.shifts")


# --- swaps ---------------------------------------------------------------------------------------------------------


@bp.get("/swaps")
@person_required
def swaps() -> str:
    """Mine (offered by me or asked of me) and the colleagues' open offers I could take."""
    person = me()
    swap_cases.expire_started(db.session, person.centre_id, now_utc())
    db.session.commit()
    mine = list(db.session.scalars(sa.select(SwapRequest).where(
        SwapRequest.centre_id == person.centre_id,
        sa.or_(SwapRequest.from_person_id == person.id, SwapRequest.to_person_id == person.id),
    ).order_by(SwapRequest.id.desc()).limit(50)))
    offers = list(db.session.scalars(sa.select(SwapRequest).where(
        SwapRequest.centre_id == person.centre_id, SwapRequest.status == SwapStatus.OFFERED,
        SwapRequest.from_person_id != person.id,
    ).order_by(SwapRequest.id)))
    return render_template("me/swaps.html", person=person, mine=mine, offers=offers, status_names=SWAP_STATUS)


def _own_swap(swap_id: int) -> SwapRequest:
    swap = db.session.get(SwapRequest, swap_id)
    if swap is None or swap.centre_id != me().centre_id:
        abort(404)
    return swap


@bp.post("/assignments/<int:assignment_id>/offer")
@person_required
def offer(assignment_id: int) -> Response:
    """Offer my shift to everyone, or ask one colleague (chosen by code) to take it."""
    assignment = _own_assignment(assignment_id)
    code = request.form.get("to_person", "").strip()
    to_person = None
    if code:
        to_person = db.session.scalar(sa.select(Person).where(Person.centre_id == assignment.person.centre_id,
                                                              Person.code == code))
        if to_person is None:
            flash(_("No colleague with this code."), "error")
            return _back("me.swaps")
    note = request.form.get("note", "").strip()[:300]
    _attempt(lambda: swap_cases.offer(db.session, assignment, to_person=to_person, note=note, user=current_user()),
             _("Your swap request is sent."))
    return _back("me.swaps")


@bp.post("/swaps/<int:swap_id>/accept")
@person_required
def accept(swap_id: int) -> Response:
    swap = _own_swap(swap_id)
    _attempt(lambda: swap_cases.accept(db.session, swap, me(), user=current_user(), notice_working_days=_notice()),
             _("You took the shift; the coordinator will approve the swap."))
    return _back("me.swaps")


@bp.post("/swaps/<int:swap_id>/refuse")
@person_required
def refuse(swap_id: int) -> Response:
    swap = _own_swap(swap_id)
    _attempt(lambda: swap_cases.decline(db.session, swap, me(), user=current_user(),
                                        note=request.form.get("note", "")[:300]),
             _("You declined the swap request."))
    return _back("me.swaps")


@bp.post("/swaps/<int:swap_id>/cancel")
@person_required
def cancel(swap_id: int) -> Response:
    swap = _own_swap(swap_id)
    if swap.from_person_id != me().id:
        abort(403)
    _attempt(lambda: swap_cases.cancel(db.session, swap, user=current_user()), _("Your swap request is withdrawn."))
    return _back("me.swaps")


# --- absences ------------------------------------------------------------------------------------------------------


def _absences(person: Person) -> list[Unavailability]:
    since = now_utc() - timedelta(days=PAST_DAYS)
    return list(db.session.scalars(sa.select(Unavailability).where(
        Unavailability.person_id == person.id, Unavailability.end_at > since,
    ).order_by(Unavailability.start_at)))


def _absence_page(values: dict[str, Any], errors: Errors, status: int = 200) -> tuple[str, int]:
    person = me()
    return render_template("me/unavailability.html", person=person, entries=_absences(person), values=values,
                           errors=errors, reasons=REASONS, tz=tz_of(person)), status


@bp.route("/unavailability", methods=["GET", "POST"])
@person_required
def unavailability() -> Any:
    """Declare when I cannot take shifts (the next roster respects it; a published one needs a repair)."""
    person = me()
    if request.method == "GET":
        return _absence_page(data_forms.unavailability_form(None, tz_of(person), person.code), {})
    values = {**data_forms.unavailability_values(request.form), "person": person.code}
    errors: Errors = {}
    spec = validate(UnavailabilitySpec, data_forms.unavailability_input(values), errors)
    saved = None
    if spec is not None:
        saved = save(lambda: centre_data.save_unavailability(db.session, person.centre, person, spec,
                                                             user=current_user()), errors)
    if saved is None:
        flash(_("Nothing was saved: please correct the fields marked below."), "error")
        return _absence_page(values, errors, 422)
    flash(_("Your absence is recorded. If it falls in a published roster, tell the coordinator."), "success")
    return redirect(url_for("me.unavailability"))


@bp.post("/unavailability/<int:entry_id>/delete")
@person_required
def unavailability_delete(entry_id: int) -> Response:
    person = me()
    entry = db.session.get(Unavailability, entry_id)
    if entry is None or entry.person_id != person.id:
        abort(404)
    centre_data.delete_entry(db.session, person.centre, entry, "unavailability.delete", user=current_user())
    db.session.commit()
    flash(_("The absence is deleted."), "success")
    return redirect(url_for("me.unavailability"))


# --- calendar subscription -----------------------------------------------------------------------------------------


def _my_feed(person: Person) -> FeedToken | None:
    user = current_user()
    return db.session.scalar(sa.select(FeedToken).where(
        FeedToken.user_id == user.id, FeedToken.kind == FeedKind.PERSON, FeedToken.target_id == person.id,
        FeedToken.revoked_at.is_(None),
    ).order_by(FeedToken.id.desc()).limit(1))


def qr_svg(text: str) -> Markup:
    """An inline SVG QR code (segno, error correction M) scaled by CSS; no image request leaks the secret link."""
    svg = segno.make(text, error="m").svg_inline(scale=4, dark="#000", light="#fff", border=2, omitsize=True)
    return Markup(svg)  # segno escapes nothing user-controlled: the input only becomes modules


@bp.get("/calendar")
@person_required
def calendar() -> str:
    person = me()
    feed = _my_feed(person)
    token = tokens.token_of(feed, current_app.config["SECRET_KEY"]) if feed else None
    links = tokens.links(current_app.config["SETTINGS"].PUBLIC_BASE_URL, token) if token else None
    return render_template("me/calendar.html", person=person, feed_links=links,
                           qr=qr_svg(links["webcal"]) if links else None)


@bp.post("/calendar")
@person_required
def calendar_issue() -> Response:
    """Create my link, or replace it (the old link stops working: use it if the link was shared by mistake)."""
    person = me()
    replacing = _my_feed(person) is not None
    feed, _token = tokens.issue(db.session, secret_key=current_app.config["SECRET_KEY"], centre_id=person.centre_id,
                                kind=FeedKind.PERSON, target_id=person.id, user=current_user())
    audit.record(db.session, "feed.issue", centre=person.centre, user=current_user(), entity="feed",
                 entity_id=feed.id, kind="person", person=person.code, via="web")
    db.session.commit()
    flash(_("A new calendar link is ready; the old one no longer works.") if replacing
          else _("Your calendar link is ready."), "success")
    return redirect(url_for("me.calendar"))


# --- notification settings -----------------------------------------------------------------------------------------


def _settings_values(person: Person) -> dict[str, Any]:
    return {"sms_language": person.sms_language or "vi", "sms_ascii": bool(person.sms_ascii),
            "reminders": person.reminder_offsets or "", "locale": current_user().locale or "vi"}


@bp.route("/settings", methods=["GET", "POST"])
@person_required
def settings() -> Any:
    """SMS language, diacritics, reminder times (blank = the centre's) and the page language."""
    from duty_roster.notify.reminders import parse_reminders

    person = me()
    default_reminders = current_app.config["SETTINGS"].SMS_REMINDERS
    if request.method == "GET":
        return render_template("me/settings.html", person=person, values=_settings_values(person), errors={},
                               default_reminders=default_reminders)
    values = {
        "sms_language": request.form.get("sms_language", ""), "sms_ascii": request.form.get("sms_ascii") == "on",
        "reminders": request.form.get("reminders", "").strip()[:100], "locale": request.form.get("locale", ""),
    }
    errors: Errors = {}
    if values["sms_language"] not in ("vi", "en"):
        add(errors, "sms_language", _("Choose Vietnamese or English."))
    if values["locale"] not in ("vi", "en"):
        add(errors, "locale", _("Choose Vietnamese or English."))
    if values["reminders"]:
        try:
            parse_reminders(values["reminders"])
        except ValueError:
            add(errors, "reminders", _("Use times such as 18:00-1d (18:00 the day before) or 1h, 90m before the "
                                       "shift, separated by commas."))
    if errors:
        flash(_("Nothing was saved: please correct the fields marked below."), "error")
        return render_template("me/settings.html", person=person, values=values, errors=errors,
                               default_reminders=default_reminders), 422
    user = current_user()
    person.sms_language = values["sms_language"]
    person.sms_ascii = values["sms_ascii"]
    person.reminder_offsets = ", ".join(r.strip() for r in values["reminders"].split(",") if r.strip()) or None
    user.locale = values["locale"]
    audit.record(db.session, "person.notification_settings", centre=person.centre, user=user, entity="person",
                 entity_id=person.id, sms_language=person.sms_language, sms_ascii=person.sms_ascii,
                 reminders=person.reminder_offsets)
    db.session.commit()
    session["lang"] = user.locale
    flash(_("Your settings are saved."), "success")
    return redirect(url_for("me.settings"))
