"""People pages: list with search, create, edit, deactivate/reactivate (never delete from here: people carry
rosters and history)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response

from duty_roster import centre_data
from duty_roster.centre_file.schema import PersonSpec
from duty_roster.excel.importing import person_input as stored_person_input
from duty_roster.extensions import db
from duty_roster.models import Branch, Person
from duty_roster.web import data_forms
from duty_roster.web.data import bp, can, centre, in_centre, paginate, save, search_condition, user, validate
from duty_roster.web.validation_messages import Errors

KINDS = {"officer": lazy_gettext("Legal aid officer"), "lawyer": lazy_gettext("Contracted lawyer"),
         "assistant": lazy_gettext("Duty assistant")}
SMS_LANGUAGES = {"vi": lazy_gettext("Vietnamese"), "en": lazy_gettext("English")}


def _branches() -> list[Branch]:
    return list(db.session.scalars(sa.select(Branch).where(Branch.centre_id == centre().id).order_by(Branch.code)))


@bp.get("/people")
@can("person.write")
def people() -> str:
    q = request.args.get("q", "").strip()[:100]
    status = request.args.get("status", "active")
    kind = request.args.get("kind", "")
    query = sa.select(Person).where(Person.centre_id == centre().id).order_by(Person.code, Person.id)
    if q:
        query = query.where(search_condition(q, Person.code, Person.full_name, Person.email,
                                             phone_column=Person.phone))
    if status in ("active", "inactive"):
        query = query.where(Person.active.is_(status == "active"))
    if kind in KINDS:
        query = query.where(Person.kind == kind)
    return render_template("data/people_list.html", page=paginate(query), q=q, status=status, kind=kind,
                           kinds=KINDS)


def _form_page(person: Person | None, values: dict[str, Any], errors: Errors, status: int = 200) -> Any:
    return render_template("data/person_form.html", person=person, values=values, errors=errors, kinds=KINDS,
                           branches=_branches(), sms_languages=SMS_LANGUAGES), status


def _submit(person: Person | None) -> Any:
    values = data_forms.person_values(request.form)
    errors: Errors = {}
    spec = validate(PersonSpec, data_forms.person_input(values), errors)
    saved = None
    if spec is not None and not errors:
        saved = save(lambda: centre_data.save_person(db.session, centre(), spec, person=person, user=user()), errors)
    if saved is None:
        flash(_("Nothing was saved: please correct the fields marked below."), "error")
        return _form_page(person, values, errors, 422)
    flash(_("Saved %(code)s – %(name)s.", code=saved.code, name=saved.full_name), "success")
    return redirect(url_for("data.people", q=saved.code))


@bp.route("/people/new", methods=["GET", "POST"])
@can("person.write")
def person_new() -> Any:
    if request.method == "POST":
        return _submit(None)
    return _form_page(None, data_forms.person_form(None), {})


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@can("person.write")
def person_edit(person_id: int) -> Any:
    person = in_centre(Person, person_id)
    if request.method == "POST":
        return _submit(person)
    return _form_page(person, data_forms.person_form(person), {})


@bp.post("/people/<int:person_id>/active")
@can("person.write")
def person_active(person_id: int) -> Response:
    """Deactivate (no more shifts; rosters and history kept) or reactivate, through the same use case."""
    person = in_centre(Person, person_id)
    wanted = request.form.get("active") == "1"
    errors: Errors = {}
    spec = validate(PersonSpec, {**stored_person_input(person), "active": wanted}, errors)
    if spec is None or save(lambda: centre_data.save_person(db.session, centre(), spec, person=person,
                                                            user=user()), errors) is None:
        abort(400)
    if wanted:
        flash(_("%(code)s is active again.", code=person.code), "success")
    else:
        flash(_("%(code)s is deactivated: no new shifts; past rosters are kept.", code=person.code), "success")
    return redirect(url_for("data.person_edit", person_id=person.id))
