"""Swaps (đổi ca) under /api/v1/swaps: offer, accept, decline, cancel, approve, reject.

Officers act only for themselves: they offer their own published assignments and accept or decline as their own
person (the account's linked person); they see the swaps they offered or were asked, and the open offers. Managers
see every swap of the centre, may offer on anyone's behalf, cancel any open swap, and approve or reject. Approval
publishes a new version with the swap applied (see duty_roster.rostering.swaps).
"""

from __future__ import annotations

from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, current_app
from pydantic import BaseModel, ConfigDict, Field

from duty_roster.api.blueprint import ID, bp
from duty_roster.api.common import PageQuery, local_iso, page_of
from duty_roster.api.policy import (
    current_user,
    get_in_centre,
    is_officer,
    own_centre,
    own_person_id,
    person_by_code,
    require,
)
from duty_roster.api.problems import ApiError, forbidden, not_found, problem_response
from duty_roster.api.rosters import roster_json
from duty_roster.centre_file.schema import Code
from duty_roster.extensions import db
from duty_roster.models import Assignment, Person, RosterStatus, SwapRequest, SwapStatus
from duty_roster.rostering import swaps as use_case
from duty_roster.rostering.publish import PublishResult
from duty_roster.rostering.swaps import SwapExpired, SwapForbidden, SwapTargetError


class SwapsQuery(PageQuery):
    status: Literal["offered", "requested", "accepted", "approved", "rejected", "cancelled", "expired"] | None = None


class OfferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignment_id: int = Field(ge=1, le=2_147_483_647, description="an assignment of the published version")
    to_person: Code | None = Field(None, description="the colleague asked (a person code); omit for an open offer")
    note: str = Field("", max_length=500)


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=500)


def _forbidden_step(exc: SwapForbidden) -> Response:
    return problem_response(403, str(exc))


def _bad_target(exc: SwapTargetError) -> Response:
    return problem_response(422, str(exc), errors=[{"field": f"json.{exc.field}", "message": str(exc)}])


bp.register_error_handler(SwapForbidden, _forbidden_step)
bp.register_error_handler(SwapTargetError, _bad_target)


def _person_ref(p: Person | None) -> dict[str, Any] | None:
    return {"id": p.id, "code": p.code, "full_name": p.full_name} if p is not None else None


def swap_json(s: SwapRequest) -> dict[str, Any]:
    tz = ZoneInfo(s.roster.centre.timezone)
    return {
        "id": s.id, "status": s.status.value, "roster_id": s.roster_id, "result_roster_id": s.result_roster_id,
        "shift": {"id": s.shift_id, "location": s.shift.location.code, "shift_type": s.shift.pattern.code,
                  "start": local_iso(s.shift.start_at, tz), "end": local_iso(s.shift.end_at, tz)},
        "role": s.role, "from_person": _person_ref(s.from_person), "to_person": _person_ref(s.to_person),
        "note": s.note, "decision_note": s.decision_note,
        "created_at": s.created_at.isoformat(), "accepted_at": s.accepted_at.isoformat() if s.accepted_at else None,
        "decided_at": s.decided_at.isoformat() if s.decided_at else None,
    }


def _publication_json(result: PublishResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    people = {p.id: p for p in db.session.scalars(sa.select(Person).where(
        Person.id.in_({c.person_id for c in result.changes})))}
    return {
        "roster": roster_json(result.roster),
        "superseded_id": result.superseded.id if result.superseded else None,
        "changes": [{"change": c.change, "person": _person_ref(people[c.person_id]), "shift_id": c.shift_id,
                     "role": c.role} for c in result.changes],
        "late_warning": result.late_warning,
    }


def _own_person() -> Person:
    """The caller's linked person: accepting or declining is always done as oneself."""
    person_id = own_person_id()
    person = db.session.get(Person, person_id) if person_id is not None else None
    if person is None or person.centre_id != own_centre().id:
        raise forbidden("Tài khoản chưa gắn với người trực nào / your account is not linked to a duty person")
    return person


def _visible(query: sa.Select[Any]) -> sa.Select[Any]:
    if is_officer():
        me = own_person_id() or -1
        return query.where(sa.or_(SwapRequest.from_person_id == me, SwapRequest.to_person_id == me,
                                  SwapRequest.status == SwapStatus.OFFERED))
    return query


def _swap(swap_id: int) -> SwapRequest:
    swap = get_in_centre(SwapRequest, swap_id, "swap")
    if is_officer():
        me = own_person_id()
        if me not in (swap.from_person_id, swap.to_person_id) and swap.status is not SwapStatus.OFFERED:
            raise not_found("swap")
    return swap


def _notice() -> int:
    return current_app.config["SETTINGS"].PUBLISH_NOTICE_WORKING_DAYS


def _expired(exc: SwapExpired) -> ApiError:
    """The expiry is a fact worth keeping: commit it, then answer 409."""
    db.session.commit()
    return ApiError(409, str(exc))


@bp.get("/swaps")
@require("swap.read")
@bp.input(SwapsQuery, location="query")
@bp.doc(summary="List swaps, newest first (officers: theirs and the open offers)")
def list_swaps(query_data: SwapsQuery) -> dict[str, Any]:
    centre = own_centre()
    if use_case.expire_started(db.session, centre.id):
        db.session.commit()
    query = _visible(sa.select(SwapRequest).where(SwapRequest.centre_id == centre.id)
                     .order_by(SwapRequest.id.desc()))
    if query_data.status is not None:
        query = query.where(SwapRequest.status == query_data.status)
    return page_of(query, query_data, swap_json)


@bp.get(f"/swaps/<{ID}:swap_id>")
@require("swap.read")
@bp.doc(summary="A swap", responses=[404])
def get_swap(swap_id: int) -> dict[str, Any]:
    return swap_json(_swap(swap_id))


@bp.post("/swaps")
@require("swap.offer")
@bp.input(OfferIn, location="json")
@bp.doc(summary="Offer a published assignment (open offer) or ask a named colleague to take it",
        responses=[404, 409, 422])
def offer_swap(json_data: OfferIn) -> tuple[dict[str, Any], int, dict[str, str]]:
    assignment = get_in_centre(Assignment, json_data.assignment_id, "assignment")
    if is_officer() and assignment.roster.status is RosterStatus.DRAFT:
        raise not_found("assignment")  # officers never see drafts
    if is_officer() and assignment.person_id != own_person_id():
        raise forbidden("Trợ giúp viên chỉ đổi ca của chính mình / officers can only offer their own shifts")
    to_person = person_by_code(json_data.to_person, "to_person") if json_data.to_person else None
    swap = use_case.offer(db.session, assignment, to_person=to_person, note=json_data.note, user=current_user())
    body = swap_json(swap)
    db.session.commit()
    return body, 201, {"Location": f"/api/v1/swaps/{swap.id}"}


@bp.post(f"/swaps/<{ID}:swap_id>/accept")
@require("swap.respond")
@bp.doc(summary="Take the shift as yourself (checked against the hard rules; auto-approved if the centre says so)",
        responses=[404, 409, 422])
def accept_swap(swap_id: int) -> dict[str, Any]:
    swap = _swap(swap_id)
    try:
        approval = use_case.accept(db.session, swap, _own_person(), user=current_user(),
                                   notice_working_days=_notice())
    except SwapExpired as exc:
        raise _expired(exc) from exc
    body = {**swap_json(approval.swap), "publication": _publication_json(approval.publication)}
    db.session.commit()
    return body


@bp.post(f"/swaps/<{ID}:swap_id>/decline")
@require("swap.respond")
@bp.input(NoteIn, location="json")
@bp.doc(summary="Decline a swap you were asked to take", responses=[404, 409])
def decline_swap(swap_id: int, json_data: NoteIn) -> dict[str, Any]:
    swap = _swap(swap_id)
    use_case.decline(db.session, swap, _own_person(), user=current_user(), note=json_data.note)
    body = swap_json(swap)
    db.session.commit()
    return body


@bp.post(f"/swaps/<{ID}:swap_id>/cancel")
@require("swap.respond")
@bp.input(NoteIn, location="json")
@bp.doc(summary="Withdraw a swap (the officer who offered it, or a manager)", responses=[404, 409])
def cancel_swap(swap_id: int, json_data: NoteIn) -> dict[str, Any]:
    swap = _swap(swap_id)
    if is_officer() and swap.from_person_id != own_person_id():
        raise forbidden("Chỉ người đề nghị mới rút được / only the officer who offered the swap can withdraw it")
    use_case.cancel(db.session, swap, user=current_user(), note=json_data.note)
    body = swap_json(swap)
    db.session.commit()
    return body


@bp.post(f"/swaps/<{ID}:swap_id>/approve")
@require("swap.decide")
@bp.doc(summary="Approve an accepted swap: publishes a new version with the swap applied", responses=[404, 409, 422])
def approve_swap(swap_id: int) -> dict[str, Any]:
    swap = _swap(swap_id)
    try:
        approval = use_case.approve(db.session, swap, user=current_user(), notice_working_days=_notice())
    except SwapExpired as exc:
        raise _expired(exc) from exc
    body = {**swap_json(approval.swap), "publication": _publication_json(approval.publication)}
    db.session.commit()
    return body


@bp.post(f"/swaps/<{ID}:swap_id>/reject")
@require("swap.decide")
@bp.input(NoteIn, location="json")
@bp.doc(summary="Reject a swap", responses=[404, 409])
def reject_swap(swap_id: int, json_data: NoteIn) -> dict[str, Any]:
    swap = _swap(swap_id)
    use_case.reject(db.session, swap, user=current_user(), note=json_data.note)
    body = swap_json(swap)
    db.session.commit()
    return body
