"""People (trợ giúp viên, luật sư, người hỗ trợ): list, read, create, replace, delete. Bodies are the centre file's
PersonSpec, so a person valid in the file is valid here and the reverse."""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa

from duty_roster import centre_data
from duty_roster.api.blueprint import ID, bp
from duty_roster.api.common import PageQuery, page_of
from duty_roster.api.policy import (
    current_user,
    get_in_centre,
    is_officer,
    own_centre,
    own_person_id,
    own_person_only,
    require,
)
from duty_roster.centre_file.schema import PersonSpec
from duty_roster.extensions import db
from duty_roster.models import Person


class PeopleQuery(PageQuery):
    active: bool | None = None
    kind: Literal["officer", "lawyer", "assistant"] | None = None


def person_json(p: Person) -> dict[str, Any]:
    return {
        "id": p.id, "code": p.code, "full_name": p.full_name, "kind": p.kind.value, "branch": p.branch.code,
        "areas": list(p.areas), "skills": list(p.skills), "languages": list(p.languages), "capacity": p.capacity,
        "max_shifts_per_week": p.max_shifts_per_week, "max_shifts_per_month": p.max_shifts_per_month,
        "contract_start": p.contract_start.isoformat() if p.contract_start else None,
        "contract_end": p.contract_end.isoformat() if p.contract_end else None,
        "phone": p.phone, "email": p.email, "sms_language": p.sms_language, "sms_ascii": p.sms_ascii,
        "active": p.active,
    }


def _person(person_id: int) -> Person:
    person = get_in_centre(Person, person_id, "person")
    own_person_only(person.id, "person")
    return person


@bp.get("/people")
@require("person.read")
@bp.input(PeopleQuery, location="query")
@bp.doc(summary="List people (officers: only themselves)")
def list_people(query_data: PeopleQuery) -> dict[str, Any]:
    centre = own_centre()
    query = sa.select(Person).where(Person.centre_id == centre.id).order_by(Person.code, Person.id)
    if is_officer():
        query = query.where(Person.id == (own_person_id() or -1))
    if query_data.active is not None:
        query = query.where(Person.active.is_(query_data.active))
    if query_data.kind is not None:
        query = query.where(Person.kind == query_data.kind)
    return page_of(query, query_data, person_json)


@bp.get(f"/people/<{ID}:person_id>")
@require("person.read")
@bp.doc(summary="Read a person", responses=[404])
def get_person(person_id: int) -> dict[str, Any]:
    return person_json(_person(person_id))


@bp.post("/people")
@require("person.write")
@bp.input(PersonSpec, location="json")
@bp.doc(summary="Create a person", responses=[409])
def create_person(json_data: PersonSpec) -> tuple[dict[str, Any], int]:
    person = centre_data.save_person(db.session, own_centre(), json_data, user=current_user())
    db.session.commit()
    return person_json(person), 201


@bp.put(f"/people/<{ID}:person_id>")
@require("person.write")
@bp.input(PersonSpec, location="json")
@bp.doc(summary="Replace a person", responses=[404, 409])
def update_person(person_id: int, json_data: PersonSpec) -> dict[str, Any]:
    person = centre_data.save_person(db.session, own_centre(), json_data, person=_person(person_id),
                                     user=current_user())
    db.session.commit()
    return person_json(person)


@bp.delete(f"/people/<{ID}:person_id>")
@require("person.write")
@bp.doc(summary="Delete a person never rostered (else deactivate them)", responses=[204, 404, 409])
def delete_person(person_id: int) -> tuple[str, int]:
    centre_data.delete_person(db.session, own_centre(), _person(person_id), user=current_user())
    db.session.commit()
    return "", 204
