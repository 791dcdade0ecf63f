"""Locations (tòa án, cơ quan điều tra, trại tạm giam, điểm cầu) and their shift patterns.

Every change saves the whole location through centre_data.save_location, as the API's PUT does: patterns are
matched by code, and one still used by a roster cannot be removed (end it with "valid to" instead).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response

from duty_roster import centre_data
from duty_roster.centre_file.schema import BUILTIN_ROLES, LocationSpec, ShiftPatternSpec
from duty_roster.extensions import db
from duty_roster.models import Branch, Location, ShiftPattern
from duty_roster.web import data_forms
from duty_roster.web.data import bp, can, centre, in_centre, paginate, save, search_condition, user, validate
from duty_roster.web.validation_messages import Errors

KINDS = {"court": lazy_gettext("Court"), "investigation": lazy_gettext("Investigation agency"),
         "detention": lazy_gettext("Detention facility"),
         "online_hearing_point": lazy_gettext("Online hearing point")}
DUTY_TYPES = {"court": lazy_gettext("Court duty"), "investigation": lazy_gettext("Investigation on-call duty")}
DAYS = {"working_days": lazy_gettext("Working days (holidays excluded)"), "every_day": lazy_gettext("Every day")}
ROLE_NAMES = {"duty": lazy_gettext("Duty person"), "assistant": lazy_gettext("Assistant")}
WEEKDAY_NAMES = (lazy_gettext("Monday"), lazy_gettext("Tuesday"), lazy_gettext("Wednesday"),
                 lazy_gettext("Thursday"), lazy_gettext("Friday"), lazy_gettext("Saturday"), lazy_gettext("Sunday"))


def roles() -> list[str]:
    """The roles a shift may ask for: the built-in ones and any the centre's rules add (roles_by_kind)."""
    by_kind = (centre().rules or {}).get("roles_by_kind") or {}
    extra = sorted({role for names in by_kind.values() for role in names} - set(BUILTIN_ROLES))
    return [*BUILTIN_ROLES, *extra]


def _branches() -> list[Branch]:
    return list(db.session.scalars(sa.select(Branch).where(Branch.centre_id == centre().id).order_by(Branch.code)))


def _patterns(location: Location | None) -> list[ShiftPattern]:
    return sorted(location.patterns, key=lambda p: (p.start_time, p.code)) if location else []


@bp.get("/locations")
@can("location.write")
def locations() -> str:
    q = request.args.get("q", "").strip()[:100]
    query = sa.select(Location).where(Location.centre_id == centre().id).order_by(Location.code, Location.id)
    if q:
        query = query.where(search_condition(q, Location.code, Location.name, Location.address,
                                             phone_column=Location.phone))
    return render_template("data/locations_list.html", page=paginate(query), q=q, kinds=KINDS)


@bp.get("/patterns")
@can("location.write")
def patterns() -> str:
    """Every shift pattern of the centre, searchable by its code or name or its location's."""
    q = request.args.get("q", "").strip()[:100]
    query = (sa.select(ShiftPattern).join(Location).where(Location.centre_id == centre().id)
             .order_by(Location.code, ShiftPattern.start_time, ShiftPattern.code))
    if q:
        query = query.where(search_condition(q, ShiftPattern.code, ShiftPattern.name, Location.code, Location.name))
    return render_template("data/patterns_list.html", page=paginate(query), q=q, duty_types=DUTY_TYPES, days=DAYS)


def _location_page(location: Location | None, values: dict[str, Any], errors: Errors, status: int = 200) -> Any:
    return render_template("data/location_form.html", location=location, values=values, errors=errors, kinds=KINDS,
                           branches=_branches(), patterns=_patterns(location), duty_types=DUTY_TYPES), status


def _save_location(location: Location | None, values: dict[str, Any], shifts: list[dict[str, Any]],
                   errors: Errors, *, strip: str = "") -> Location | None:
    spec = validate(LocationSpec, data_forms.location_input(values, shifts), errors)
    if spec is None or errors:
        return None
    return save(lambda: centre_data.save_location(db.session, centre(), spec, location=location, user=user()),
                errors, strip=strip)


@bp.route("/locations/new", methods=["GET", "POST"])
@can("location.write")
def location_new() -> Any:
    if request.method == "GET":
        return _location_page(None, data_forms.location_form(None), {})
    values = data_forms.location_values(request.form)
    errors: Errors = {}
    saved = _save_location(None, values, [], errors)
    if saved is None:
        flash(_("Nothing was saved: please correct the fields marked below."), "error")
        return _location_page(None, values, errors, 422)
    flash(_("Saved %(code)s – %(name)s. Now add its shifts.", code=saved.code, name=saved.name), "success")
    return redirect(url_for("data.location_edit", location_id=saved.id))


@bp.route("/locations/<int:location_id>", methods=["GET", "POST"])
@can("location.write")
def location_edit(location_id: int) -> Any:
    location = in_centre(Location, location_id)
    if request.method == "GET":
        return _location_page(location, data_forms.location_form(location), {})
    values = data_forms.location_values(request.form)
    errors: Errors = {}
    shifts = [data_forms.pattern_input_of(p) for p in location.patterns]
    if _save_location(location, values, shifts, errors) is None:
        flash(_("Nothing was saved: please correct the fields marked below."), "error")
        return _location_page(location, values, errors, 422)
    flash(_("Saved %(code)s – %(name)s.", code=location.code, name=location.name), "success")
    return redirect(url_for("data.location_edit", location_id=location.id))


def _pattern_page(location: Location, pattern: ShiftPattern | None, values: dict[str, Any], errors: Errors,
                  status: int = 200) -> Any:
    return render_template("data/pattern_form.html", location=location, pattern=pattern, values=values,
                           errors=errors, duty_types=DUTY_TYPES, days=DAYS, roles=roles(), role_names=ROLE_NAMES,
                           weekday_names=WEEKDAY_NAMES), status


def _submit_pattern(location: Location, pattern: ShiftPattern | None) -> Any:
    values = data_forms.pattern_values(request.form, roles())
    errors: Errors = {}
    spec = validate(ShiftPatternSpec, data_forms.pattern_input(values, roles()), errors)
    if spec is not None:
        others = [data_forms.pattern_input_of(p) for p in location.patterns if p is not pattern]
        index = len(others)
        shifts = [*others, spec.model_dump(exclude_unset=True)]
        if _save_location(location, data_forms.location_form(location), shifts, errors,
                          strip=f"shifts.{index}.") is not None:
            flash(_("Saved the shift %(code)s.", code=spec.code), "success")
            return redirect(url_for("data.location_edit", location_id=location.id))
    flash(_("Nothing was saved: please correct the fields marked below."), "error")
    return _pattern_page(location, pattern, values, errors, 422)


@bp.route("/locations/<int:location_id>/patterns/new", methods=["GET", "POST"])
@can("location.write")
def pattern_new(location_id: int) -> Any:
    location = in_centre(Location, location_id)
    if request.method == "POST":
        return _submit_pattern(location, None)
    return _pattern_page(location, None, data_forms.pattern_form(None, roles()), {})


def _pattern(location: Location, pattern_id: int) -> ShiftPattern:
    pattern = in_centre(ShiftPattern, pattern_id)
    if pattern.location_id != location.id:
        from flask import abort

        abort(404)
    return pattern


@bp.route("/locations/<int:location_id>/patterns/<int:pattern_id>", methods=["GET", "POST"])
@can("location.write")
def pattern_edit(location_id: int, pattern_id: int) -> Any:
    location = in_centre(Location, location_id)
    pattern = _pattern(location, pattern_id)
    if request.method == "POST":
        return _submit_pattern(location, pattern)
    return _pattern_page(location, pattern, data_forms.pattern_form(pattern, roles()), {})


@bp.post("/locations/<int:location_id>/patterns/<int:pattern_id>/delete")
@can("location.write")
def pattern_delete(location_id: int, pattern_id: int) -> Response:
    location = in_centre(Location, location_id)
    pattern = _pattern(location, pattern_id)
    code = pattern.code
    errors: Errors = {}
    shifts = [data_forms.pattern_input_of(p) for p in location.patterns if p is not pattern]
    if _save_location(location, data_forms.location_form(location), shifts, errors) is None:
        for messages in errors.values():
            for message in messages:
                flash(message, "error")
    else:
        flash(_("Removed the shift %(code)s.", code=code), "success")
    return redirect(url_for("data.location_edit", location_id=location_id))
