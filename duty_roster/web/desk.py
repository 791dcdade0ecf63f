"""The director's desk (bàn làm việc): the dashboard, roster generation with live progress, the publish preview and
publication, repair of declined shifts, and the printed roster and per-station lists.

Views are thin: they check the role (duty_roster/api/policy.py decides who may do what), call the same use cases as
the JSON API (solve_jobs.enqueue, rostering.publish.publish, rostering.repair.repair_draft) and render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy.orm import selectinload

from duty_roster import clock
from duty_roster.api.blueprint import ID
from duty_roster.api.policy import PERMISSIONS
from duty_roster.config import Settings
from duty_roster.extensions import db
from duty_roster.models import (
    Centre,
    JobStatus,
    Location,
    Person,
    Roster,
    RosterStatus,
    Shift,
    SolveJob,
    utcnow,
)
from duty_roster.phones import mask_phone
from duty_roster.rostering.errors import RosteringError
from duty_roster.rostering.publish import diff, publication_deadline, publish
from duty_roster.rostering.repair import repair_draft
from duty_roster.solve_jobs import enqueue, notify_runner
from duty_roster.web import desk_dashboard, desk_print
from duty_roster.web.auth import DESK_ROLES, current_centre, current_user, roles_required
from duty_roster.web.navigation import served

bp = Blueprint("desk", __name__, url_prefix="/desk")
# The outbox's message kinds (notify/), as the failed-messages list names them.
MESSAGE_KIND_LABELS = {
    "publish": lazy_gettext("publication"),
    "change": lazy_gettext("roster change"),
    "reminder": lazy_gettext("reminder"),
    "swap": lazy_gettext("swap"),
    "unconfirmed": lazy_gettext("unconfirmed shift alert"),
    "alert": lazy_gettext("declined shift alert"),
}

# Who may do what: the API's table, so the page and the API never disagree. Reading the desk is also open to an
# admin working on a chosen centre (DESK_ROLES); acting follows policy.py (admins do not roster).
READ = DESK_ROLES
GENERATE = tuple(PERMISSIONS["roster.generate"])
JOBS = tuple(PERMISSIONS["job.read"])
REPAIR = tuple(PERMISSIONS["roster.repair"])
PUBLISH = tuple(PERMISSIONS["roster.publish"])
MAX_FORM_TIME_LIMIT = 300.0  # seconds a director may ask for from the form (the setting may cap it lower)
_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")  # 05/03/2027, 5.3.2027, 05-03-2027


def settings() -> Settings:
    return current_app.config["SETTINGS"]


def may(action: str) -> bool:
    user = current_user()
    return user is not None and user.role in PERMISSIONS[action]


def today_here(centre: Centre) -> date:
    return clock.local_today(centre.timezone)


def roster_of_centre(roster_id: int) -> Roster:
    """The roster if it is the current centre's, else 404 (another centre's id is as good as absent)."""
    roster = db.session.get(Roster, roster_id)
    if roster is None or roster.centre_id != current_centre().id:
        abort(404)
    return roster


def grid_url(roster_id: int) -> str | None:
    """The month grid (another area of the UI) when it is installed."""
    path = f"/desk/rosters/{roster_id}"
    return path if served(path) else None


@bp.app_template_global("desk_may")
def desk_may(action: str) -> bool:
    return may(action)


@bp.app_template_filter("masked")
def masked(phone: str | None) -> str:
    """+84912345678 -> +8491****678: lists of failed messages show enough to tell numbers apart, no more."""
    return mask_phone(phone)


# --- dashboard ----------------------------------------------------------------------------------------------------


@bp.get("")
@roles_required(*READ)
def dashboard() -> str:
    centre = current_centre()
    today = today_here(centre)
    now = utcnow()
    days = desk_dashboard.coverage(db.session, centre, today)
    return render_template(
        "desk/dashboard.html",
        centre=centre, today=today, days=days, notice=settings().PUBLISH_NOTICE_WORKING_DAYS,
        gaps=[d for d in days if d.state in ("gap", "none")],
        deadline=desk_dashboard.next_deadline(db.session, centre, today, settings().PUBLISH_NOTICE_WORKING_DAYS),
        failed=desk_dashboard.failed_messages(db.session, centre), message_kinds=MESSAGE_KIND_LABELS,
        swaps=desk_dashboard.open_swaps(db.session, centre),
        declined=desk_dashboard.declined_upcoming(db.session, centre, now),
        rosters=desk_dashboard.latest_rosters(db.session, centre),
        grid_available=served("/desk/rosters/1"),
        tz=ZoneInfo(centre.timezone),
    )


# --- generation -----------------------------------------------------------------------------------------------------


def parse_day(text: str) -> date | None:
    """A date as people type it (dd/mm/yyyy, what the form shows: a browser's date input would follow the browser's
    locale, often mm/dd/yyyy) or as ISO (YYYY-MM-DD)."""
    text = (text or "").strip()
    found = _DMY.match(text)
    try:
        if found:
            return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def next_month(today: date) -> tuple[date, date]:
    start = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    after = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, after - timedelta(days=1)


def max_time_limit() -> float:
    """The form allows up to 300 s, and never more than the operator's SOLVER_TIME_LIMIT (the API's cap)."""
    return min(MAX_FORM_TIME_LIMIT, settings().SOLVER_TIME_LIMIT)


@dataclass
class GenerateForm:
    start: str
    end: str
    time_limit: str
    errors: dict[str, str] = field(default_factory=dict)
    period: tuple[date, date] | None = None
    seconds: float | None = None

    def validate(self) -> bool:
        start, end = parse_day(self.start), parse_day(self.end)
        self.start = f"{start:%d/%m/%Y}" if start else self.start  # shown again as people write dates
        self.end = f"{end:%d/%m/%Y}" if end else self.end
        if start is None:
            self.errors["start"] = _("Enter the first day as dd/mm/yyyy.")
        if end is None:
            self.errors["end"] = _("Enter the last day as dd/mm/yyyy.")
        if start is not None and end is not None:
            length = (end - start).days + 1
            if end < start:
                self.errors["end"] = _("The last day is before the first day.")
            elif length > settings().MAX_PERIOD_DAYS:
                self.errors["end"] = _("The period is %(n)d days long; at most %(max)d days are allowed.",
                                       n=length, max=settings().MAX_PERIOD_DAYS)
            else:
                self.period = (start, end)
        try:
            seconds = float(self.time_limit.strip().replace(",", "."))
        except ValueError:
            seconds = float("nan")
        if not 0 < seconds <= max_time_limit():  # NaN fails too
            self.errors["time_limit"] = _("Enter a number of seconds between 1 and %(max)d.", max=int(max_time_limit()))
        else:
            self.seconds = seconds
        return not self.errors


@bp.route("/generate", methods=["GET", "POST"])
@roles_required(*GENERATE)
def generate() -> Response | str | tuple[str, int]:
    centre = current_centre()
    if request.method == "GET":
        start, end = next_month(today_here(centre))
        form = GenerateForm(f"{start:%d/%m/%Y}", f"{end:%d/%m/%Y}", f"{max_time_limit():g}")
        return render_template("desk/generate.html", form=form, max_seconds=int(max_time_limit()))
    form = GenerateForm(request.form.get("start", "")[:20], request.form.get("end", "")[:20],
                        request.form.get("time_limit", "")[:20])
    if not form.validate():
        return render_template("desk/generate.html", form=form, max_seconds=int(max_time_limit())), 422
    assert form.period is not None and form.seconds is not None
    try:  # exactly what POST /api/v1/rosters/generate does
        job = enqueue(db.session, centre, *form.period, time_limit=form.seconds, workers=settings().SOLVER_WORKERS,
                      max_days=settings().MAX_PERIOD_DAYS, user=current_user())
    except RosteringError as exc:  # the use case's own check, should the form's ever drift from it
        db.session.rollback()
        form.errors["end"] = str(exc)
        return render_template("desk/generate.html", form=form, max_seconds=int(max_time_limit())), 422
    db.session.commit()
    notify_runner(current_app._get_current_object())  # type: ignore[attr-defined]
    return redirect(url_for("desk.job", job_id=job.id))


@bp.get(f"/jobs/<{ID}:job_id>")
@roles_required(*JOBS)
def job(job_id: int) -> str:
    found = db.session.get(SolveJob, job_id)
    if found is None or found.centre_id != current_centre().id:
        abort(404)
    params = found.params or {}
    return render_template(
        "desk/job.html", job=found, start=parse_day(str(params.get("start", ""))),
        end=parse_day(str(params.get("end", ""))), time_limit=float(params.get("time_limit") or 0),
        grid_available=served("/desk/rosters/1"), finished=found.status in (JobStatus.SUCCEEDED, JobStatus.FAILED),
        worker_mode=settings().JOB_RUNNER == "worker",
    )


# --- publish preview and publication ---------------------------------------------------------------------------------


@dataclass
class PersonChange:
    person: Person
    gains: list[tuple[Shift, str]] = field(default_factory=list)  # (shift, role)
    losses: list[tuple[Shift, str]] = field(default_factory=list)


def published_for(roster: Roster) -> list[Roster]:
    """Published rosters overlapping `roster`'s period (the same dates: the version it replaces; others: a clash)."""
    return list(db.session.scalars(
        sa.select(Roster).where(Roster.centre_id == roster.centre_id, Roster.status == RosterStatus.PUBLISHED,
                                Roster.period_start <= roster.period_end, Roster.period_end >= roster.period_start,
                                Roster.id != roster.id)
    ))


def changes_by_person(previous: Roster, roster: Roster) -> list[PersonChange]:
    changes = diff(previous.assignments, roster.assignments)
    shifts = {s.id: s for s in db.session.scalars(
        sa.select(Shift).where(Shift.id.in_({c.shift_id for c in changes}))
        .options(selectinload(Shift.location), selectinload(Shift.pattern)))}
    people = {p.id: p for p in db.session.scalars(sa.select(Person).where(Person.id.in_({c.person_id
                                                                                         for c in changes})))}
    result: dict[int, PersonChange] = {}
    for c in changes:
        entry = result.setdefault(c.person_id, PersonChange(people[c.person_id]))
        (entry.gains if c.change == "added" else entry.losses).append((shifts[c.shift_id], c.role))
    for entry in result.values():
        entry.gains.sort(key=lambda x: x[0].start_at)
        entry.losses.sort(key=lambda x: x[0].start_at)
    return sorted(result.values(), key=lambda e: e.person.full_name)


def sms_preview(roster: Roster) -> Any | None:
    """The texts publication would queue (notify/announce.py), or None while the SMS module is not installed."""
    try:
        from duty_roster.notify.announce import preview_publication
    except ImportError:
        return None
    return preview_publication(db.session, roster)


@bp.get(f"/rosters/<{ID}:roster_id>/publish")
@roles_required(*JOBS)
def publish_preview(roster_id: int) -> str:
    roster = roster_of_centre(roster_id)
    centre = roster.centre
    today = today_here(centre)
    notice = settings().PUBLISH_NOTICE_WORKING_DAYS
    deadline = publication_deadline(centre, roster.period_start, notice)
    overlapping = published_for(roster)
    previous = next((r for r in overlapping if (r.period_start, r.period_end) == (roster.period_start,
                                                                                   roster.period_end)), None)
    clash = next((r for r in overlapping if r is not previous), None)
    is_draft = roster.status is RosterStatus.DRAFT
    return render_template(
        "desk/publish.html", roster=roster, centre=centre, today=today, deadline=deadline, notice=notice,
        late=is_draft and today > deadline, previous=previous, clash=clash, is_draft=is_draft,
        changes=changes_by_person(previous, roster) if (previous and is_draft) else [],
        assignment_count=len(roster.assignments), people_count=len({a.person_id for a in roster.assignments}),
        uncovered=len((roster.solve_report or {}).get("uncovered", [])),
        preview=sms_preview(roster) if is_draft else None, grid=grid_url(roster.id),
        locations=desk_print.roster_locations(db.session, roster), tz=ZoneInfo(centre.timezone),
    )


@bp.post(f"/rosters/<{ID}:roster_id>/publish")
@roles_required(*PUBLISH)
def publish_post(roster_id: int) -> Response:
    """What POST /api/v1/rosters/<id>/publish does: the use case, then one commit (the SMS outbox rows queued by
    the use case go in the same transaction)."""
    roster = roster_of_centre(roster_id)
    try:
        result = publish(db.session, roster, notice_working_days=settings().PUBLISH_NOTICE_WORKING_DAYS,
                         user=current_user())
        version, late, deadline = result.roster.version, result.late_warning is not None, result.deadline
        db.session.commit()
    except RosteringError as exc:
        db.session.rollback()
        flash(_("The roster was not published: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for("desk.publish_preview", roster_id=roster_id))
    except sa.exc.IntegrityError:  # another publication of the period won the race (one published version at a time)
        db.session.rollback()
        flash(_("Another version of this period was published at the same moment: check it, then try again."),
              "error")
        return redirect(url_for("desk.publish_preview", roster_id=roster_id))
    flash(_("Version %(version)d of the roster is published.", version=version or 0), "success")
    if late:
        flash(_("Published late: the police should have received the list by %(day)s (programme 5789/BTP-BCA).",
                day=f"{deadline:%d/%m/%Y}"), "warning")
    return redirect(url_for("desk.publish_preview", roster_id=roster_id))


# --- repair of a declined shift -------------------------------------------------------------------------------------


@bp.post(f"/rosters/<{ID}:roster_id>/repair")
@roles_required(*REPAIR)
def repair(roster_id: int) -> Response:
    """A repair draft of a published roster, as POST /api/v1/rosters/<id>/repair makes it; then its preview."""
    roster = roster_of_centre(roster_id)
    try:
        draft = repair_draft(db.session, roster, time_limit=settings().SOLVER_TIME_LIMIT,
                             workers=settings().SOLVER_WORKERS, created_by=current_user())
    except RosteringError as exc:
        db.session.rollback()
        flash(_("The repair failed: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for("desk.dashboard"))
    db.session.commit()
    flash(_("A repair draft is ready: check the changes, then publish it."), "success")
    return redirect(url_for("desk.publish_preview", roster_id=draft.id))


# --- print views (official documents, always in Vietnamese) -------------------------------------------------------


@bp.get(f"/rosters/<{ID}:roster_id>/print")
@roles_required(*READ)
def print_roster(roster_id: int) -> str:
    roster = roster_of_centre(roster_id)
    columns, rows = desk_print.roster_table(db.session, roster)
    return render_template(
        "desk/print.html", roster=roster, columns=columns, rows=rows,
        head=desk_print.letterhead(db.session, roster.centre), tz=ZoneInfo(roster.centre.timezone),
        locations=desk_print.roster_locations(db.session, roster),
    )


@bp.get(f"/rosters/<{ID}:roster_id>/print/locations/<{ID}:location_id>")
@roles_required(*READ)
def print_location(roster_id: int, location_id: int) -> str:
    roster = roster_of_centre(roster_id)
    location = db.session.get(Location, location_id)
    if location is None or location.centre_id != roster.centre_id:
        abort(404)
    return render_template(
        "desk/print_location.html", roster=roster, location=location, centre=roster.centre,
        lines=desk_print.station_list(db.session, roster, location),
        head=desk_print.letterhead(db.session, roster.centre), tz=ZoneInfo(roster.centre.timezone),
    )

