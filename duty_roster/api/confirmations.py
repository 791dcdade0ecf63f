"""Confirm or decline a published assignment: POST /api/v1/assignments/<id>/confirm and /decline.

Officers answer for their own assignments only (someone else's is a 403; a draft's is a 404: officers never see
drafts); coordinators and the director answer for anyone of their centre (a phone call taken down, say). The rules
(current published version only, before the shift starts, changing one's mind) are duty_roster.rostering.
confirmations'; a refusal there is a 409. A decline queues the coordinators' urgent alert in the same commit.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import request
from pydantic import BaseModel, ConfigDict, Field

from duty_roster.api.blueprint import ID, bp
from duty_roster.api.common import local_iso
from duty_roster.api.policy import current_user, get_in_centre, is_officer, own_person_id, require
from duty_roster.api.problems import forbidden, not_found
from duty_roster.api.rosters import assignment_json
from duty_roster.extensions import db
from duty_roster.models import Assignment, RosterStatus, utcnow
from duty_roster.rostering import confirmations as use_case


class DeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=use_case.MAX_REASON, description="why (shown to the coordinators)")


def _assignment(assignment_id: int) -> Assignment:
    assignment = get_in_centre(Assignment, assignment_id, "assignment")
    if is_officer():
        if assignment.roster.status is RosterStatus.DRAFT:
            raise not_found("assignment")
        if assignment.person_id != own_person_id():
            raise forbidden("Trợ giúp viên chỉ xác nhận hoặc từ chối ca của chính mình / officers can only confirm "
                            "or decline their own shifts")
    return assignment


def _via() -> str:
    """A Bearer token is a program ("api"); a session cookie is the browser UI ("web")."""
    return "api" if request.headers.get("Authorization", "").lower().startswith("bearer ") else "web"


def _answer_json(answer: use_case.Answer) -> dict[str, Any]:
    a = answer.assignment
    tz = ZoneInfo(a.roster.centre.timezone)
    return {
        **assignment_json(a, tz), "roster_id": a.roster_id,
        "confirmed_at": local_iso(a.confirmed_at, tz), "declined_at": local_iso(a.declined_at, tz),
        "changed": answer.changed, "previous": answer.previous, "alerts_queued": len(answer.alerts),
    }


@bp.post(f"/assignments/<{ID}:assignment_id>/confirm")
@require("assignment.confirm")
@bp.doc(summary="Confirm a published assignment (officers: their own); withdraws an earlier decline",
        responses=[404, 409])
def confirm_assignment(assignment_id: int) -> dict[str, Any]:
    assignment = _assignment(assignment_id)
    answer = use_case.confirm(db.session, assignment, via=_via(), user=current_user(), now=utcnow())
    body = _answer_json(answer)
    db.session.commit()
    return body


@bp.post(f"/assignments/<{ID}:assignment_id>/decline")
@require("assignment.confirm")
@bp.input(DeclineIn, location="json")
@bp.doc(summary="Decline a published assignment (officers: their own); alerts the coordinators by SMS",
        responses=[404, 409])
def decline_assignment(assignment_id: int, json_data: DeclineIn) -> dict[str, Any]:
    assignment = _assignment(assignment_id)
    answer = use_case.decline(db.session, assignment, via=_via(), reason=json_data.reason, user=current_user(),
                              now=utcnow())
    body = _answer_json(answer)
    db.session.commit()
    return body
