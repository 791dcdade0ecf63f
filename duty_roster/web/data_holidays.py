"""Holiday overrides: the government's yearly announcement of compensatory days off (nghỉ bù) and swapped working
days (làm bù), corrected for this centre."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response

from duty_roster import centre_data
from duty_roster.centre_file.schema import HolidayOverrideSpec
from duty_roster.extensions import db
from duty_roster.models import HolidayOverride
from duty_roster.web import data_forms
from duty_roster.web.data import bp, can, centre, in_centre, paginate, save, user, validate
from duty_roster.web.validation_messages import Errors

KINDS = {"day_off": lazy_gettext("Day off (compensatory)"), "working_day": lazy_gettext("Working day (swapped)")}


@bp.get("/holidays")
@can("holiday.write")
def holidays() -> str:
    q = request.args.get("q", "").strip()[:100]
    year = request.args.get("year", "").strip()
    query = sa.select(HolidayOverride).where(HolidayOverride.centre_id == centre().id).order_by(HolidayOverride.day)
    if year.isdigit() and 1900 <= int(year) <= 2200:
        query = query.where(HolidayOverride.day >= date(int(year), 1, 1),
                            HolidayOverride.day <= date(int(year), 12, 31))
    if q:
        query = query.where(HolidayOverride.name.ilike(f"%{q.replace('%', '')}%"))
    return render_template("data/holidays_list.html", page=paginate(query), q=q, year=year, kinds=KINDS)


def _form_page(entry: HolidayOverride | None, values: dict[str, Any], errors: Errors, status: int = 200) -> Any:
    return render_template("data/holiday_form.html", entry=entry, values=values, errors=errors, kinds=KINDS), status


def _submit(entry: HolidayOverride | None) -> Any:
    values = data_forms.holiday_values(request.form)
    errors: Errors = {}
    spec = validate(HolidayOverrideSpec, data_forms.holiday_input(values), errors)
    saved = None
    if spec is not None:
        saved = save(lambda: centre_data.save_holiday_override(db.session, centre(), spec, entry=entry,
                                                               user=user()), errors)
    if saved is None:
        flash(_("Nothing was saved: please correct the fields marked below."), "error")
        return _form_page(entry, values, errors, 422)
    flash(_("Saved."), "success")
    return redirect(url_for("data.holidays", year=saved.day.year))


@bp.route("/holidays/new", methods=["GET", "POST"])
@can("holiday.write")
def holiday_new() -> Any:
    if request.method == "POST":
        return _submit(None)
    return _form_page(None, data_forms.holiday_form(None), {})


@bp.route("/holidays/<int:entry_id>", methods=["GET", "POST"])
@can("holiday.write")
def holiday_edit(entry_id: int) -> Any:
    entry = in_centre(HolidayOverride, entry_id)
    if request.method == "POST":
        return _submit(entry)
    return _form_page(entry, data_forms.holiday_form(entry), {})


@bp.post("/holidays/<int:entry_id>/delete")
@can("holiday.write")
def holiday_delete(entry_id: int) -> Response:
    entry = in_centre(HolidayOverride, entry_id)
    centre_data.delete_entry(db.session, centre(), entry, "holiday_override.delete", user=user())
    db.session.commit()
    flash(_("Deleted."), "success")
    return redirect(url_for("data.holidays"))
