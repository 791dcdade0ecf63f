"""The unavailability workbook (lịch vắng: nghỉ phép, ốm, tập huấn, công tác): export, template, reading.

"Từ ngày" and "Đến ngày" are whole local days, both included, as people write leave ("21/12/2026 – 25/12/2026" is
five days); a cell with a time ("10/12/2026 13:30") is an exact instant, the end excluded, as in the centre file.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.excel import cells
from duty_roster.excel.sheets import Column, RowError, SheetError, read, write
from duty_roster.models import Centre, Person, Unavailability

REASON_LABELS = {"leave": "Nghỉ phép", "sick": "Ốm", "training": "Tập huấn", "business_trip": "Công tác",
                 "other": "Khác"}

COLUMNS = (
    Column("person", "Mã", 10, required=True),
    Column("", "Họ và tên", 26),  # informative: the code decides
    Column("start", "Từ ngày", 16, required=True, kind="moment"),
    Column("end", "Đến ngày", 16, required=True, kind="moment"),
    Column("reason", "Lý do", 14),
    Column("note", "Ghi chú", 30),
)
HEADERS = {c.field: c.header for c in COLUMNS if c.field}
NOTES = (
    ("Mã", "Mã người trực (phải có trong trung tâm)."),
    ("Từ ngày, Đến ngày", "dd/mm/yyyy, cả hai ngày đều tính: 21/12/2026 đến 25/12/2026 là năm ngày. "
                          "Vắng một buổi: ghi cả giờ, 10/12/2026 13:30 đến 10/12/2026 17:00."),
    ("Lý do", "Nghỉ phép, Ốm, Tập huấn, Công tác hoặc Khác (để trống: Nghỉ phép)."),
    ("Nhập lại", "Một dòng trùng hẳn với lịch vắng đã có thì bỏ qua; trùng thời gian thì cập nhật lý do, ghi chú."),
)


def period_cells(start_at: datetime, end_at: datetime, tz: ZoneInfo) -> tuple[date | datetime, date | datetime]:
    """Whole local days as dates (end included), anything else as local date-times (end excluded)."""
    start, end = start_at.astimezone(tz), end_at.astimezone(tz)
    if start.time() == time(0) and end.time() == time(0):
        return start.date(), end.date() - timedelta(days=1)
    return start.replace(tzinfo=None), end.replace(tzinfo=None)


def _row(u: Unavailability, tz: ZoneInfo) -> list[Any]:
    start, end = period_cells(u.start_at, u.end_at, tz)
    return [u.person.code, u.person.full_name, start, end, REASON_LABELS[u.reason.value], u.note]


def export(session: Session, centre: Centre) -> bytes:
    tz = ZoneInfo(centre.timezone)
    entries = session.scalars(
        sa.select(Unavailability).join(Person).where(Person.centre_id == centre.id)
        .order_by(Person.code, Unavailability.start_at)
    )
    return write("Lịch vắng", COLUMNS, (_row(u, tz) for u in entries), notes=NOTES)


def template() -> bytes:
    return write("Lịch vắng", COLUMNS, [], notes=NOTES)


def parse(data: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """(row number, UnavailabilitySpec input) per data row, and the cells that cannot be read."""
    try:
        rows = read(data, COLUMNS)
    except SheetError as exc:
        return [], exc.errors
    records: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    for row in rows:
        record: dict[str, Any] = {}
        for field in ("person", "start", "end", "reason", "note"):
            value = row.values.get(field)
            try:
                if field == "person":
                    record[field] = cells.text(value)
                elif field in ("start", "end"):
                    moment = cells.moment_or_date(value, time_shown=row.time_shown.get(field, False))
                    if moment is not None:  # left out: the spec reports the missing value
                        record[field] = moment
                elif field == "reason":
                    record[field] = cells.choice(value, REASON_LABELS) or "leave"
                else:
                    record[field] = cells.text(value)
            except cells.CellError as exc:
                errors.append(RowError(row.number, HEADERS[field], field, exc.code, value=cells.text(value)))
        records.append((row.number, record))
    return records, errors
