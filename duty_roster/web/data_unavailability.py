"""Absences (lịch vắng: nghỉ phép, ốm, tập huấn, công tác) of the centre's people, entered by the desk.

Dates are whole local days with the end day included; with times, exact instants. Overlaps with another absence of
the same person are refused by centre_data.save_unavailability, as through the API.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response

from duty_roster import centre_data, clock
from duty_roster.centre_file.schema import UnavailabilitySpec
from duty_roster.excel.unavailability import period_cells
from duty_roster.extensions import db
from duty_roster.models import Person, Unavailability
from duty_roster.web import data_forms
from duty_roster.web.data import bp, can, centre, in_centre, paginate, save, search_condition, user, validate
from duty_roster.web.validation_messages import Errors, add

REASONS = {"leave": lazy_gettext("Leave"), "sick": lazy_gettext("Sick"), "training": lazy_gettext("Training"),
           "business_trip": lazy_gettext("Business trip"), "other": lazy_gettext("Other")}


def _tz() -> ZoneInfo:
    return ZoneInfo(centre().timezone)


def _people() -> list[Person]:
    return list(db.session.scalars(sa.select(Person).where(Person.centre_id == centre().id)
                                   .order_by(Person.active.desc(), Person.code)))


@bp.get("/unavailability")
@can("unavailability.write")
def unavailability() -> str:
    q = request.args.get("q", "").strip()[:100]
    when = request.args.get("when", "upcoming")
    query = (sa.select(Unavailability).join(Person).where(Person.centre_id == centre().id)
             .order_by(Unavailability.start_at, Unavailability.id))
    if q:
        query = query.where(search_condition(q, Person.code, Person.full_name, Unavailability.note,
                                             phone_column=Person.phone))
    if when != "all":
        query = query.where(Unavailability.end_at > clock.utcnow())
    tz = _tz()
    page = paginate(query)
    periods = {u.id: period_cells(u.start_at, u.end_at, tz) for u in page["rows"]}
    return render_template("data/unavailability_list.html", page=page, q=q, when=when, reasons=REASONS,
                           periods=periods)


def _form_page(entry: Unavailability | None, values: dict[str, Any], errors: Errors, status: int = 200) -> Any:
    return render_template("data/unavailability_form.html", entry=entry, values=values, errors=errors,
                           reasons=REASONS, people=_people()), status


def _submit(entry: Unavailability | None) -> Any:
    values = data_forms.unavailability_values(request.form)
    errors: Errors = {}
    spec = validate(UnavailabilitySpec, data_forms.unavailability_input(values), errors)
    person = None
    if spec is not None:
        person = db.session.scalar(sa.select(Person).where(Person.centre_id == centre().id,
                                                           Person.code == spec.person))
        if person is None:
            add(errors, "person", _("No person with this code in the centre."))
    saved = None
    if spec is not None and person is not None and not errors:
        saved = save(lambda: centre_data.save_unavailability(db.session, centre(), person, spec, entry=entry,
                                                             user=user()), errors)
    if saved is None:
        flash(_("Nothing was saved: please correct the fields marked below."), "error")
        return _form_page(entry, values, errors, 422)
    flash(_("Saved the absence of %(code)s.", code=saved.person.code), "success")
    return redirect(url_for("data.unavailability", q=saved.person.code))


@bp.route("/unavailability/new", methods=["GET", "POST"])
@can("unavailability.write")
def unavailability_new() -> Any:
    if request.method == "POST":
        return _submit(None)
    return _form_page(None, data_forms.unavailability_form(None, _tz(), request.args.get("person", "")[:32]), {})


@bp.route("/unavailability/<int:entry_id>", methods=["GET", "POST"])
@can("unavailability.write")
def unavailability_edit(entry_id: int) -> Any:
    entry = in_centre(Unavailability, entry_id)
    if request.method == "POST":
        return _submit(entry)
    return _form_page(entry, data_forms.unavailability_form(entry, _tz()), {})


@bp.post("/unavailability/<int:entry_id>/delete")
@can("unavailability.write")
def unavailability_delete(entry_id: int) -> Response:
    entry = in_centre(Unavailability, entry_id)
    code = entry.person.code
    centre_data.delete_entry(db.session, centre(), entry, "unavailability.delete", user=user())
    db.session.commit()
    flash(_("Deleted the absence of %(code)s.", code=code), "success")
    return redirect(url_for("data.unavailability", q=code))
