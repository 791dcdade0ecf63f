"""Manual adjustment of a draft roster: add, move (replace) or remove one assignment.

Every change is checked by the solver's independent validator on the whole resulting roster; a change that breaks a
hard rule is a 422 naming the rules, with the validator's messages in `violations`. The director may force it with
`force: true` and a `reason` (kept in the audit log with the violations); a coordinator asking to force is a 403.
Published and superseded versions are immutable (409): use repair or a swap, which publish a new version.
"""

from __future__ import annotations

from typing import Any, Literal
from zoneinfo import ZoneInfo

from flask import Response
from pydantic import BaseModel, ConfigDict, Field

from duty_roster.api.blueprint import ID, bp
from duty_roster.api.policy import DIRECTOR, current_user, get_in_centre, person_by_code, require
from duty_roster.api.problems import field_error, forbidden, not_found, problem_response
from duty_roster.api.rosters import _roster, assignment_json, roster_json
from duty_roster.centre_file.schema import Code
from duty_roster.extensions import db
from duty_roster.models import Assignment, Roster
from duty_roster.rostering.adjust import AdjustResult, Change, Force, add_assignment, move_assignment, remove_assignment
from duty_roster.rostering.errors import HardRuleViolation
from duty_roster.solver.validate import Violation


class ForceFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    force: bool = Field(False, description="director only: apply the change even if it breaks hard rules")
    reason: str = Field("", max_length=500, description="why the rules are overridden (required with force)")


class AssignmentIn(ForceFields):
    shift_id: int = Field(ge=1, le=2_147_483_647)
    person: Code  # a person code of the caller's centre
    role: Literal["duty", "assistant"] = "duty"


def violation_json(v: Violation) -> dict[str, Any]:
    return {"rule": v.rule, "message": v.message, "person": v.person, "shifts": list(v.shifts),
            "params": dict(v.params)}


def _hard_rules(exc: HardRuleViolation) -> Response:
    """422 naming each broken rule (the field is the rule's stable name, for a UI to translate)."""
    return problem_response(
        422, str(exc), errors=[{"field": f"rule.{v.rule}", "message": v.message} for v in exc.violations],
        extra={"rules": exc.rules, "violations": [violation_json(v) for v in exc.violations]},
    )


bp.register_error_handler(HardRuleViolation, _hard_rules)


def _force(data: ForceFields, location: str = "json") -> Force | None:
    if not data.force:
        return None
    if current_user().role is not DIRECTOR:
        raise forbidden("Chỉ Giám đốc được ép thay đổi vi phạm quy tắc / only the director may force a change past "
                        "the hard rules")
    if not data.reason.strip():
        raise field_error(f"{location}.reason", "Cần nêu lý do khi ép thay đổi / a reason is required with force")
    return Force(data.reason.strip())


def _draft_assignment(roster: Roster, assignment_id: int) -> Assignment:
    assignment = get_in_centre(Assignment, assignment_id, "assignment")
    if assignment.roster_id != roster.id:
        raise not_found("assignment")
    return assignment


def _change(data: AssignmentIn) -> Change:
    return Change(shift_id=data.shift_id, person=person_by_code(data.person), role=data.role)


def _result(result: AdjustResult) -> dict[str, Any]:
    tz = ZoneInfo(result.roster.centre.timezone)
    return {
        "roster": roster_json(result.roster),
        "assignment": assignment_json(result.assignment, tz) if result.assignment is not None else None,
        "forced": [violation_json(v) for v in result.forced],
    }


@bp.post(f"/rosters/<{ID}:roster_id>/assignments")
@require("roster.adjust")
@bp.input(AssignmentIn, location="json")
@bp.doc(summary="Add an assignment to a draft (checked against the hard rules)", responses=[404, 409, 422])
def add_to_draft(roster_id: int, json_data: AssignmentIn) -> tuple[dict[str, Any], int]:
    roster = _roster(roster_id)
    force = _force(json_data)
    result = add_assignment(db.session, roster, _change(json_data), user=current_user(), force=force)
    body = _result(result)
    db.session.commit()
    return body, 201


@bp.put(f"/rosters/<{ID}:roster_id>/assignments/<{ID}:assignment_id>")
@require("roster.adjust")
@bp.input(AssignmentIn, location="json")
@bp.doc(summary="Move an assignment of a draft: another person, shift or role (checked against the hard rules)",
        responses=[404, 409, 422])
def move_in_draft(roster_id: int, assignment_id: int, json_data: AssignmentIn) -> dict[str, Any]:
    roster = _roster(roster_id)
    assignment = _draft_assignment(roster, assignment_id)
    force = _force(json_data)
    result = move_assignment(db.session, roster, assignment, _change(json_data), user=current_user(), force=force)
    body = _result(result)
    db.session.commit()
    return body


@bp.delete(f"/rosters/<{ID}:roster_id>/assignments/<{ID}:assignment_id>")
@require("roster.adjust")
@bp.input(ForceFields, location="query")
@bp.doc(summary="Remove an assignment from a draft (checked against the hard rules; ?force=true&reason=...)",
        responses=[404, 409, 422])
def remove_from_draft(roster_id: int, assignment_id: int, query_data: ForceFields) -> dict[str, Any]:
    roster = _roster(roster_id)
    assignment = _draft_assignment(roster, assignment_id)
    force = _force(query_data, "query")
    result = remove_assignment(db.session, roster, assignment, user=current_user(), force=force)
    body = _result(result)
    db.session.commit()
    return body
