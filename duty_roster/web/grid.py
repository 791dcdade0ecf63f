"""The roster grid (lịch trực theo tháng): rosters list, month grid, reassigning one shift, per-person pages, fairness.

Thin views over the use cases: a reassignment goes through duty_roster.rostering.adjust, the same validated manual
edit the JSON API uses (only drafts; a change breaking a hard rule is refused with the validator's reasons unless the
director forces it with a reason). Fairness numbers come from duty_roster.rostering.fairness. Every page works
without JavaScript; grid.js only opens the shift page in a dialog and swaps the edited cell in place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from duty_roster.api.policy import PERMISSIONS
from duty_roster.extensions import db
from duty_roster.field_errors import FieldErrors
from duty_roster.models import Assignment, Person, Role, Roster, RosterStatus, Shift, Unavailability, User
from duty_roster.rostering.adjust import Change, Force, add_assignment, move_assignment, remove_assignment
from duty_roster.rostering.errors import HardRuleViolation, RosteringError
from duty_roster.rostering.fairness import MEASURES, Fairness, fairness, roster_assignments
from duty_roster.rostering.shifts import days as days_between
from duty_roster.solver.validate import Violation
from duty_roster.web.auth import DESK_ROLES, current_centre, current_user, roles_required
from duty_roster.web.formatting import WEEKDAYS_SHORT, ddmmyyyy, hhmm, local
from duty_roster.web.foundation import error_page
from duty_roster.web.grid_labels import (
    GROUP_LABELS,
    KIND_LABELS,
    MEASURE_LABELS,
    PERSON_KIND_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    in_language,
    number,
    rule_label,
    short_name,
)
from duty_roster.web.grid_month import month_grid, months_of, shift_cell
from duty_roster.web.i18n import locale_code

bp = Blueprint("grid", __name__, url_prefix="/desk/rosters")
EDIT_ROLES = PERMISSIONS["roster.adjust"]  # director and coordinator, as in the API
ROLES = ("duty", "assistant")


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"short_name": short_name, "number": number, "status_label": lambda s: STATUS_LABELS[s],
            "role_label": lambda r: ROLE_LABELS.get(r, r), "rule_label": rule_label, "measure_labels": MEASURE_LABELS,
            "kind_labels": KIND_LABELS, "person_kind": lambda p: PERSON_KIND_LABELS[p.kind],
            "group_label": lambda g: GROUP_LABELS[g], "measures": MEASURES, "weekdays": WEEKDAYS_SHORT,
            "desk_url": desk_url, "may": may}


def desk_url(endpoint: str, **values: Any) -> str | None:
    """A link to the desk's pages (publish, print, repair) once that blueprint is installed, else None."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def may(action: str) -> bool:
    """The API's permission table, for showing only the buttons the user's role may press."""
    user = current_user()
    return user is not None and user.role in PERMISSIONS[action]


# -- look-ups ----------------------------------------------------------------------------------------------------


def _roster(roster_id: int) -> Roster:
    roster = db.session.get(Roster, roster_id)
    if roster is None or roster.centre_id != current_centre().id:
        abort(404)
    return roster


def _user() -> User:
    user = current_user()
    assert user is not None  # roles_required ran first
    return user


def can_edit(roster: Roster) -> bool:
    return roster.status is RosterStatus.DRAFT and _user().role in EDIT_ROLES


def _month(roster: Roster) -> date | None:
    """The ?month=YYYY-MM asked for (the period's first month by default); None if malformed or outside."""
    asked = request.args.get("month")
    if not asked:
        return months_of(roster)[0]
    try:
        year, month = (int(part) for part in asked.split("-"))
        first = date(year, month, 1)
    except ValueError:
        return None
    return first if first in months_of(roster) else None


# -- pages -------------------------------------------------------------------------------------------------------


@bp.get("")
@roles_required(*DESK_ROLES)
def rosters() -> str:
    found = db.session.scalars(sa.select(Roster).where(Roster.centre_id == current_centre().id)
                               .order_by(Roster.period_start.desc(), Roster.id.desc()))
    return render_template("grid/rosters.html", rosters=list(found))


@bp.get("/<int:roster_id>")
@roles_required(*DESK_ROLES)
def month(roster_id: int) -> str | tuple[str, int]:
    roster = _roster(roster_id)
    first = _month(roster)
    if first is None:
        return error_page(400, _("No such month"), _("Choose a month of this roster's period (%(start)s – %(end)s).",
                                                      start=f"{roster.period_start:%d/%m/%Y}",
                                                      end=f"{roster.period_end:%d/%m/%Y}"))
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    days, groups = month_grid(roster, max(first, roster.period_start), min(last, roster.period_end))
    months = months_of(roster)
    at = months.index(first)
    return render_template(
        "grid/month.html", roster=roster, days=days, groups=groups, month=first, months=months,
        previous=months[at - 1] if at > 0 else None, next=months[at + 1] if at + 1 < len(months) else None,
        editable=can_edit(roster),
    )


# -- one shift: reassign -----------------------------------------------------------------------------------------


@dataclass
class Candidate:
    person: Person
    notes: list[str]  # "on leave", "busy: …": hints; the validator decides


def candidates(roster: Roster, shift: Shift, assigned: list[Assignment]) -> list[Candidate]:
    """Active people of the centre, with what may keep them off this shift (leave, another shift at that time)."""
    people = db.session.scalars(sa.select(Person).where(Person.centre_id == roster.centre_id,
                                                        Person.active.is_(True)).order_by(Person.full_name))
    away = set(db.session.scalars(sa.select(Unavailability.person_id).join(Person).where(
        Person.centre_id == roster.centre_id, Unavailability.start_at < shift.end_at,
        Unavailability.end_at > shift.start_at)))
    busy: dict[int, list[str]] = defaultdict(list)
    overlapping = (sa.select(Assignment).join(Shift, Assignment.shift_id == Shift.id)
                   .where(Assignment.roster_id == roster.id, Shift.start_at < shift.end_at,
                          Shift.end_at > shift.start_at, Shift.id != shift.id))
    for a in db.session.scalars(overlapping):
        busy[a.person_id].append(a.shift.location.name)
    here = {a.person_id for a in assigned}
    out = []
    for person in people:
        notes = []
        if person.id in here:
            notes.append(_("on this shift"))
        if person.id in away:
            notes.append(_("unavailable"))
        notes += [_("busy: %(where)s", where=where) for where in busy.get(person.id, [])]
        out.append(Candidate(person, notes))
    return out


def explanation_rows(roster: Roster, shift: Shift, names: dict[str, str]) -> list[dict[str, Any]]:
    """The solver's full explanation for this shift's uncovered slots: per role, per candidate, every reason (the
    solver's own English sentence for English readers)."""
    english = locale_code() == "en"
    rows = []
    for slot in (roster.solve_report or {}).get("uncovered", []):
        if int(slot["shift_id"]) != shift.id:
            continue
        for candidate in slot.get("candidates", []):
            rows.append({"role": slot["role"], "person": names.get(candidate["person"], candidate["person"]),
                         "reasons": [(rule_label(r.get("rule", "")), r.get("message", "") if english else "")
                                     for r in candidate.get("reasons", [])]})
    return rows


def _shift_of(roster: Roster, shift_id: int) -> Shift:
    shift = db.session.get(Shift, shift_id)
    if (shift is None or shift.centre_id != roster.centre_id or not roster.period_start <= shift.day
            <= roster.period_end):
        abort(404)
    return shift


def fragment() -> bool:
    return request.args.get("fragment") == "1"


def render_shift(roster: Roster, shift: Shift, status: int = 200, **outcome: Any) -> tuple[str, int]:
    cell = shift_cell(roster, shift)
    names = {p.code: p.full_name for p in db.session.scalars(sa.select(Person)
                                                             .where(Person.centre_id == roster.centre_id))}
    context = dict(
        roster=roster, shift=shift, cell=cell, candidates=candidates(roster, shift, cell.assignments),
        explanations=explanation_rows(roster, shift, names), editable=can_edit(roster),
        can_force=_user().role is Role.DIRECTOR, roles=[r for r in ROLES if r in (shift.demand or {})] or ["duty"],
        fragment=fragment(), **outcome,
    )
    return render_template("grid/shift_panel.html" if fragment() else "grid/shift.html", **context), status


@bp.get("/<int:roster_id>/shifts/<int:shift_id>")
@roles_required(*DESK_ROLES)
def shift_page(roster_id: int, shift_id: int) -> tuple[str, int]:
    roster = _roster(roster_id)
    return render_shift(roster, _shift_of(roster, shift_id))


class BadForm(Exception):
    """A form value that is missing or not ours: answered with the message and `status`."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _form_id(name: str, missing: str) -> int:
    """A database id from the form; `missing` (a 400) when absent or not a number."""
    try:
        value = int(request.form.get(name, ""))
    except ValueError:
        raise BadForm(missing) from None
    if not 1 <= value <= 2_147_483_647:
        raise BadForm(missing)
    return value


def _person(roster: Roster) -> Person:
    person = db.session.get(Person, _form_id("person_id", _("Please choose a person.")))
    if person is None or person.centre_id != roster.centre_id:
        raise BadForm(_("Please choose a person of your centre."), 422)
    return person


def _assignment(roster: Roster, shift: Shift) -> Assignment:
    gone = _("This assignment is no longer on this shift; reload the page.")
    assignment = db.session.get(Assignment, _form_id("assignment_id", gone))
    if assignment is None or assignment.roster_id != roster.id or assignment.shift_id != shift.id:
        raise BadForm(gone, 404)
    return assignment


def _force() -> Force | None:
    if request.form.get("force") != "1":
        return None
    if _user().role is not Role.DIRECTOR:
        abort(403)
    reason = request.form.get("reason", "").strip()[:500]
    if not reason:
        raise BadForm(_("Give a reason to force a change past the hard rules."), 422)
    return Force(reason)


def _apply(roster: Roster, shift: Shift, action: str) -> str:
    """Run the validated manual edit; returns what was done, for the confirmation."""
    force = _force()
    user = _user()
    if action == "add":
        role = request.form.get("role", "duty")
        if role not in ROLES:
            raise BadForm(_("Please choose a role."), 422)
        person = _person(roster)
        add_assignment(db.session, roster, Change(shift.id, person, role), user=user, force=force)
        return _("%(name)s added.", name=person.full_name)
    if action == "replace":
        assignment = _assignment(roster, shift)
        person = _person(roster)
        old = assignment.person.full_name
        move_assignment(db.session, roster, assignment, Change(shift.id, person, assignment.role), user=user,
                        force=force)
        return _("%(old)s replaced by %(new)s.", old=old, new=person.full_name)
    if action == "remove":
        assignment = _assignment(roster, shift)
        name = assignment.person.full_name
        remove_assignment(db.session, roster, assignment, user=user, force=force)
        return _("%(name)s removed.", name=name)
    raise BadForm(_("Unknown action."))


@bp.post("/<int:roster_id>/shifts/<int:shift_id>")
@roles_required(*EDIT_ROLES)
def reassign(roster_id: int, shift_id: int) -> Response | tuple[str, int]:
    roster = _roster(roster_id)
    shift = _shift_of(roster, shift_id)
    action = request.form.get("action", "")
    if roster.status is not RosterStatus.DRAFT:
        return render_shift(roster, shift, 409, errors=[_published_message(roster)])
    try:
        done = _apply(roster, shift, action)
    except HardRuleViolation as exc:
        db.session.rollback()
        violations = [describe_violation(roster, v) for v in exc.violations]
        return render_shift(roster, shift, 422, violations=violations, retry=dict(request.form))
    except FieldErrors as exc:
        db.session.rollback()
        return render_shift(roster, shift, exc.status, errors=[in_language(m) for _f, m in exc.errors])
    except RosteringError:
        db.session.rollback()
        db.session.refresh(roster)
        return render_shift(roster, shift, 409, errors=[_published_message(roster)])
    except BadForm as exc:
        db.session.rollback()
        return render_shift(roster, shift, exc.status, errors=[str(exc)])
    db.session.commit()
    if fragment():
        return render_shift(roster, shift, 200, saved=True, done=done)
    flash(done, "success")  # shown by base.html on the page the redirect leads to
    return redirect(url_for("grid.shift_page", roster_id=roster.id, shift_id=shift.id))


def shift_text(shift: Shift, tz: str) -> str:
    """"Cơ quan Cảnh sát điều tra · Trực 24 giờ, 04/03/2030 07:30" (the centre's local time)."""
    start = local(shift.start_at, tz)
    return f"{shift.location.name} · {shift.pattern.name}, {ddmmyyyy(start)} {hhmm(start)}"


def describe_violation(roster: Roster, violation: Violation) -> dict[str, Any]:
    """A broken rule for the page: its translated name, who and which shifts (in any language), and the
    validator's English sentence for English readers."""
    person = None
    if violation.person:
        person = db.session.scalar(sa.select(Person).where(Person.centre_id == roster.centre_id,
                                                           Person.code == violation.person))
    shifts = [db.session.get(Shift, int(s)) for s in violation.shifts if s.isdigit()]
    return {"rule": violation.rule, "label": rule_label(violation.rule),
            "person": person.full_name if person is not None else (violation.person or ""),
            "shifts": [shift_text(s, roster.centre.timezone) for s in shifts
                       if s is not None and s.centre_id == roster.centre_id],
            "message": violation.message if locale_code() == "en" else ""}


def _published_message(roster: Roster) -> str:
    if roster.status is RosterStatus.PUBLISHED:
        return _("This version is published and cannot be edited. Create a repair draft to change it.")
    return _("This version has been superseded and cannot be edited.")


# -- people ------------------------------------------------------------------------------------------------------


@bp.get("/<int:roster_id>/people")
@roles_required(*DESK_ROLES)
def people_page(roster_id: int) -> str:
    roster = _roster(roster_id)
    return render_template("grid/people.html", roster=roster, report=fairness(db.session, roster))


def month_calendars(roster: Roster, busy: dict[date, list[Assignment]]) -> list[dict[str, Any]]:
    """Small Monday-first month calendars of the period, each day with the person's assignments."""
    out = []
    for first in months_of(roster):
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        weeks: list[list[dict[str, Any] | None]] = [[None] * first.weekday()]
        for d in days_between(first, last):
            if len(weeks[-1]) == 7:
                weeks.append([])
            weeks[-1].append({"day": d, "in_period": roster.period_start <= d <= roster.period_end,
                              "assignments": busy.get(d, [])})
        weeks[-1] += [None] * (7 - len(weeks[-1]))
        out.append({"month": first, "weeks": weeks})
    return out


@bp.get("/<int:roster_id>/people/<int:person_id>")
@roles_required(*DESK_ROLES)
def person_page(roster_id: int, person_id: int) -> str:
    roster = _roster(roster_id)
    found = db.session.get(Person, person_id)
    if found is None or found.centre_id != roster.centre_id:
        abort(404)
    assignments = roster_assignments(db.session, roster, person_id=found.id)
    busy: dict[date, list[Assignment]] = defaultdict(list)
    for a in assignments:
        busy[a.shift.day].append(a)
    report = fairness(db.session, roster)
    return render_template("grid/person.html", roster=roster, person=found, assignments=assignments,
                           calendars=month_calendars(roster, busy), row=report.row(found.id), report=report)


# -- fairness ----------------------------------------------------------------------------------------------------


def sorted_groups(report: Fairness, sort: str, running: bool) -> list[tuple[Any, list[Any]]]:
    out = []
    for group in report.groups:
        rows = list(group.rows)
        if sort in MEASURES:
            rows.sort(key=lambda r: (-r.value(sort, running=running), r.person.full_name))
        else:
            rows.sort(key=lambda r: r.person.full_name)
        out.append((group, rows))
    return out


def scale(report: Fairness) -> dict[str, dict[str, float]]:
    """Per group and measure, the largest value shown (bars are a share of it)."""
    return {g.name: {m: max(g.running[m].maximum, 1.0) for m in MEASURES} for g in report.groups}


@bp.get("/<int:roster_id>/fairness")
@roles_required(*DESK_ROLES)
def fairness_page(roster_id: int) -> str:
    roster = _roster(roster_id)
    sort = request.args.get("sort", "name")
    sort = sort if sort in MEASURES else "name"
    running = request.args.get("by") == "running"
    report = fairness(db.session, roster)
    return render_template("grid/fairness.html", roster=roster, report=report, sort=sort, running=running,
                           groups=sorted_groups(report, sort, running), scale=scale(report))
