"""GET /api/v1/reports/sessions?start=&end=[&format=csv]: duty load per person (buổi per Thông tư 02/2021,
nights, weekend, holiday and Tết days), as JSON or CSV (UTF-8 with BOM, so spreadsheet programs show Vietnamese)."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

from flask import Response, current_app
from pydantic import BaseModel, ConfigDict

from duty_roster.api.blueprint import bp
from duty_roster.api.policy import is_officer, own_centre, own_person_id, require
from duty_roster.centre_file.schema import IsoDate
from duty_roster.duty_report import COLUMNS, duty_load
from duty_roster.extensions import db
from duty_roster.field_errors import Collector


class ReportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: IsoDate
    end: IsoDate  # inclusive
    format: Literal["json", "csv"] = "json"


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula (=, +, -, @ ...) gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@bp.get("/reports/sessions")
@require("report.read")
@bp.input(ReportQuery, location="query")
@bp.doc(summary="Duty sessions (buổi), nights, weekends, holidays per person (officers: their own row)")
def sessions_report(query_data: ReportQuery) -> Any:
    errors = Collector()
    limit = current_app.config["SETTINGS"].MAX_PERIOD_DAYS
    length = (query_data.end - query_data.start).days + 1
    if query_data.end < query_data.start:
        errors.add("query.end", "Ngày kết thúc trước ngày bắt đầu / end is before start")
    elif length > limit:
        errors.add("query.end", f"Kỳ {length} ngày, tối đa {limit} / the period is {length} days, at most {limit}")
    errors.raise_if_any()
    centre = own_centre()
    only = (own_person_id() or -1) if is_officer() else None
    rows = [load.row() for load in duty_load(db.session, centre, query_data.start, query_data.end,
                                             only_person_id=only)]
    if query_data.format == "json":
        return {"centre": centre.code, "start": query_data.start.isoformat(), "end": query_data.end.isoformat(),
                "people": rows}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    name = f"buoi-truc-{centre.code}-{query_data.start}-{query_data.end}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
