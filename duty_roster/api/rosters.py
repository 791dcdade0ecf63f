"""Rosters (lịch trực): list, read with assignments, generate a draft (a background job), publish, repair.

Officers see published and superseded versions only; drafts are the managers' (a draft id is a 404 for them).
Publishing is the director's. Generation is queued as a job (202 + the job to poll at /api/v1/jobs/<id>, see
duty_roster.solve_jobs); repair runs in the request, within the configured solver time limit.
"""

from __future__ import annotations

from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import selectinload

from duty_roster.api.blueprint import ID, bp
from duty_roster.api.common import PageQuery, local_iso, page_of
from duty_roster.api.policy import current_user, get_in_centre, is_officer, own_centre, require
from duty_roster.api.problems import not_found
from duty_roster.centre_file.schema import IsoDate
from duty_roster.config import Settings
from duty_roster.extensions import db
from duty_roster.field_errors import Collector
from duty_roster.models import Assignment, Roster, RosterStatus, Shift, SolveJob
from duty_roster.rostering.publish import publish
from duty_roster.rostering.repair import repair_draft
from duty_roster.solve_jobs import enqueue, notify_runner

Status = Literal["draft", "published", "superseded"]


def settings() -> Settings:
    return current_app.config["SETTINGS"]


class RostersQuery(PageQuery):
    status: Status | None = None
    start: IsoDate | None = None  # rosters whose period ends on or after this day
    end: IsoDate | None = None  # rosters whose period starts on or before this day


class GenerateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: IsoDate
    end: IsoDate  # inclusive
    time_limit: float | None = Field(None, gt=0, le=86_400, description="seconds; capped at SOLVER_TIME_LIMIT")
    seed: int = Field(0, ge=0, le=2_147_483_647)


class SolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_limit: float | None = Field(None, gt=0, le=86_400, description="seconds; capped at SOLVER_TIME_LIMIT")


def roster_json(r: Roster) -> dict[str, Any]:
    report = r.solve_report or {}
    return {
        "id": r.id, "status": r.status.value, "version": r.version,
        "period": {"start": r.period_start.isoformat(), "end": r.period_end.isoformat()},
        "based_on_id": r.based_on_id, "note": r.note,
        "created_at": r.created_at.isoformat(), "published_at": r.published_at.isoformat() if r.published_at else None,
        "superseded_at": r.superseded_at.isoformat() if r.superseded_at else None,
        "solver": {k: report.get(k) for k in ("status", "objective", "best_bound", "gap", "seconds", "time_limit",
                                              "changes")},
        "uncovered": report.get("uncovered", []),
    }


def assignment_json(a: Assignment, tz: ZoneInfo) -> dict[str, Any]:
    shift = a.shift
    return {
        "id": a.id, "shift_id": a.shift_id, "role": a.role, "locked": a.locked, "source": a.source.value,
        "person": {"id": a.person_id, "code": a.person.code, "full_name": a.person.full_name},
        "location": shift.location.code, "shift_type": shift.pattern.code, "duty_type": shift.duty_type.value,
        "day": shift.day.isoformat(), "start": local_iso(shift.start_at, tz), "end": local_iso(shift.end_at, tz),
    }


def _roster(roster_id: int) -> Roster:
    roster = get_in_centre(Roster, roster_id, "roster")
    if is_officer() and roster.status is RosterStatus.DRAFT:
        raise not_found("roster")
    return roster


def _assignments(roster: Roster) -> sa.Select[Any]:
    return (sa.select(Assignment).join(Shift).where(Assignment.roster_id == roster.id)
            .options(selectinload(Assignment.person), selectinload(Assignment.shift).selectinload(Shift.location),
                     selectinload(Assignment.shift).selectinload(Shift.pattern))
            .order_by(Shift.start_at, Shift.location_id, Assignment.role, Assignment.person_id))


def _time_limit(requested: float | None) -> float:
    limit = settings().SOLVER_TIME_LIMIT
    return min(requested, limit) if requested is not None else limit


@bp.get("/rosters")
@require("roster.read")
@bp.input(RostersQuery, location="query")
@bp.doc(summary="List rosters (officers: published and superseded only)")
def list_rosters(query_data: RostersQuery) -> dict[str, Any]:
    query = sa.select(Roster).where(Roster.centre_id == own_centre().id).order_by(Roster.period_start.desc(),
                                                                                  Roster.id.desc())
    if is_officer():
        query = query.where(Roster.status != RosterStatus.DRAFT)
    if query_data.status is not None:
        query = query.where(Roster.status == query_data.status)
    if query_data.start is not None:
        query = query.where(Roster.period_end >= query_data.start)
    if query_data.end is not None:
        query = query.where(Roster.period_start <= query_data.end)
    return page_of(query, query_data, roster_json)


@bp.get(f"/rosters/<{ID}:roster_id>")
@require("roster.read")
@bp.doc(summary="Read a roster with its assignments", responses=[404])
def get_roster(roster_id: int) -> dict[str, Any]:
    roster = _roster(roster_id)
    tz = ZoneInfo(roster.centre.timezone)
    return {**roster_json(roster),
            "assignments": [assignment_json(a, tz) for a in db.session.scalars(_assignments(roster))]}


@bp.get(f"/rosters/<{ID}:roster_id>/assignments")
@require("roster.read")
@bp.input(PageQuery, location="query")
@bp.doc(summary="A roster's assignments, by start time", responses=[404])
def list_assignments(roster_id: int, query_data: PageQuery) -> dict[str, Any]:
    roster = _roster(roster_id)
    tz = ZoneInfo(roster.centre.timezone)
    return page_of(_assignments(roster), query_data, lambda a: assignment_json(a, tz))


def job_json(job: SolveJob) -> dict[str, Any]:
    return {
        "id": job.id, "kind": job.kind, "status": job.status.value,
        "period": {"start": job.params.get("start"), "end": job.params.get("end")},
        "time_limit": job.params.get("time_limit"),
        "progress": {"objective": job.objective, "best_bound": job.best_bound, "elapsed": round(job.elapsed, 3),
                     "percent": round(100 * job.fraction, 1)},
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "roster": roster_json(job.roster) if job.roster is not None else None,
        "error": job.error or None,
    }


@bp.get("/jobs")
@require("job.read")
@bp.input(PageQuery, location="query")
@bp.doc(summary="Roster generation jobs, newest first")
def list_jobs(query_data: PageQuery) -> dict[str, Any]:
    query = sa.select(SolveJob).where(SolveJob.centre_id == own_centre().id).order_by(SolveJob.id.desc())
    return page_of(query, query_data, job_json)


@bp.get(f"/jobs/<{ID}:job_id>")
@require("job.read")
@bp.doc(summary="A generation job: status, progress (objective, bound, elapsed, percent) and, at the end, the draft",
        responses=[404])
def get_job(job_id: int) -> dict[str, Any]:
    return job_json(get_in_centre(SolveJob, job_id, "job"))


@bp.post("/rosters/generate")
@require("roster.generate")
@bp.input(GenerateIn, location="json")
@bp.doc(summary="Queue the generation of a draft roster for a period (202: poll the job)", responses=[202, 409])
def generate(json_data: GenerateIn) -> tuple[dict[str, Any], int, dict[str, str]]:
    errors = Collector()
    length = (json_data.end - json_data.start).days + 1
    if json_data.end < json_data.start:
        errors.add("end", f"Ngày kết thúc {json_data.end} trước ngày bắt đầu {json_data.start} / the period ends "
                          "before it starts")
    elif length > settings().MAX_PERIOD_DAYS:
        errors.add("end", f"Kỳ trực {length} ngày, tối đa {settings().MAX_PERIOD_DAYS} / the period is {length} "
                          f"days long, at most {settings().MAX_PERIOD_DAYS} (MAX_PERIOD_DAYS)")
    errors.raise_if_any()
    job = enqueue(
        db.session, own_centre(), json_data.start, json_data.end, time_limit=_time_limit(json_data.time_limit),
        workers=settings().SOLVER_WORKERS, max_days=settings().MAX_PERIOD_DAYS, seed=json_data.seed,
        user=current_user(),
    )
    db.session.commit()
    notify_runner(current_app._get_current_object())  # type: ignore[attr-defined]
    return job_json(job), 202, {"Location": f"/api/v1/jobs/{job.id}"}


@bp.post(f"/rosters/<{ID}:roster_id>/publish")
@require("roster.publish")
@bp.doc(summary="Publish a draft: it supersedes the period's published version atomically", responses=[404, 409])
def publish_roster(roster_id: int) -> dict[str, Any]:
    roster = _roster(roster_id)
    tz = ZoneInfo(roster.centre.timezone)
    result = publish(db.session, roster, notice_working_days=settings().PUBLISH_NOTICE_WORKING_DAYS,
                     user=current_user())
    shifts = {s.id: s for s in db.session.scalars(sa.select(Shift).where(Shift.id.in_({c.shift_id for c in
                                                                                       result.changes})))}
    people = {a.person_id: a.person for a in (result.superseded.assignments if result.superseded else [])}
    people.update({a.person_id: a.person for a in roster.assignments})
    changes = [
        {"change": c.change, "person": {"id": c.person_id, "code": people[c.person_id].code,
                                        "full_name": people[c.person_id].full_name},
         "shift_id": c.shift_id, "role": c.role, "location": shifts[c.shift_id].location.code,
         "start": local_iso(shifts[c.shift_id].start_at, tz), "end": local_iso(shifts[c.shift_id].end_at, tz)}
        for c in result.changes
    ]
    body = {
        "roster": roster_json(roster),
        "superseded_id": result.superseded.id if result.superseded else None,
        "changes": changes,
        "deadline": result.deadline.isoformat(),
        "late_warning": result.late_warning,
    }
    db.session.commit()
    return body


@bp.post(f"/rosters/<{ID}:roster_id>/repair")
@require("roster.repair")
@bp.input(SolveIn, location="query")
@bp.doc(summary="A repair draft of a published roster, changing as few assignments as possible",
        responses=[404, 409])
def repair(roster_id: int, query_data: SolveIn) -> tuple[dict[str, Any], int]:
    roster = _roster(roster_id)
    draft = repair_draft(db.session, roster, time_limit=_time_limit(query_data.time_limit),
                         workers=settings().SOLVER_WORKERS, created_by=current_user())
    db.session.commit()
    return roster_json(draft), 201

