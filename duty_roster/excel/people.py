"""The people workbook (danh sách người trực): export, blank template, and reading it back cell by cell.

Rows are turned into the centre file's PersonSpec by duty_roster.excel.importing, so a person valid in Excel is
valid in the centre file and through the API.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from duty_roster.excel import cells
from duty_roster.excel.sheets import Column, RowError, SheetError, SheetRow, read, write
from duty_roster.models import Centre, Person
from duty_roster.phones import display_phone

KIND_LABELS = {"officer": "Trợ giúp viên pháp lý", "lawyer": "Luật sư", "assistant": "Người hỗ trợ"}
YES, NO = "Có", "Không"

COLUMNS = (
    Column("code", "Mã", 10, required=True),
    Column("full_name", "Họ và tên", 26, required=True),
    Column("kind", "Loại", 20, required=True),
    Column("branch", "Chi nhánh", 12, required=True),
    Column("areas", "Khu vực phụ trách thêm", 16),
    Column("skills", "Kỹ năng", 18),
    Column("languages", "Ngôn ngữ", 14),
    Column("phone", "Số điện thoại", 16, required=True, kind="phone"),
    Column("email", "Email", 24),
    Column("sms_language", "Ngôn ngữ SMS", 10),
    Column("sms_ascii", "SMS không dấu", 10),
    Column("capacity", "Hệ số tải", 10),
    Column("max_shifts_per_week", "Tối đa ca/tuần", 10),
    Column("max_shifts_per_month", "Tối đa ca/tháng", 10),
    Column("contract_start", "Bắt đầu hợp đồng", 14, kind="date"),
    Column("contract_end", "Kết thúc hợp đồng", 14, kind="date"),
    Column("active", "Đang hoạt động", 10),
)
HEADERS = {c.field: c.header for c in COLUMNS}
NOTES = (
    ("Mã", "Mã người trực, duy nhất trong trung tâm (chữ, số, _ . -). Nhập lại cùng mã sẽ cập nhật người đó."),
    ("Loại", "Trợ giúp viên pháp lý, Luật sư hoặc Người hỗ trợ."),
    ("Chi nhánh", "Mã chi nhánh (ví dụ HQ)."),
    ("Khu vực phụ trách thêm, Kỹ năng, Ngôn ngữ", "Nhiều giá trị cách nhau bởi dấu phẩy: juvenile, khmer."),
    ("Số điện thoại", "Số Việt Nam, ví dụ 0912 345 678."),
    ("Ngôn ngữ SMS", "vi hoặc en (để trống: vi)."),
    ("SMS không dấu, Đang hoạt động", "Có hoặc Không."),
    ("Hệ số tải", "Phần tải trực, 0 < hệ số ≤ 10 (để trống: 1)."),
    ("Ngày", "dd/mm/yyyy, ví dụ 31/12/2026, hoặc ô ngày của Excel."),
)


def _row(p: Person) -> list[Any]:
    return [
        p.code, p.full_name, KIND_LABELS[p.kind.value], p.branch.code, ", ".join(p.areas), ", ".join(p.skills),
        ", ".join(p.languages), display_phone(p.phone), p.email or "", p.sms_language, YES if p.sms_ascii else NO,
        p.capacity, p.max_shifts_per_week, p.max_shifts_per_month, p.contract_start, p.contract_end,
        YES if p.active else NO,
    ]


def export(session: Session, centre: Centre) -> bytes:
    people = session.scalars(sa.select(Person).where(Person.centre_id == centre.id).order_by(Person.code))
    return write("Người trực", COLUMNS, (_row(p) for p in people), notes=NOTES)


def template() -> bytes:
    return write("Người trực", COLUMNS, [], notes=NOTES)


def _cell(field: str, value: Any) -> Any:
    """One cell as the PersonSpec input it stands for (blank optional cells give the spec's default)."""
    if field in ("areas", "skills", "languages"):
        return cells.items(value)
    if field == "kind":
        return cells.choice(value, KIND_LABELS) or ""
    if field == "phone":
        return cells.phone(value)
    if field in ("contract_start", "contract_end"):
        return cells.a_date(value)
    if field in ("max_shifts_per_week", "max_shifts_per_month"):
        return cells.integer(value)
    if field == "capacity":
        result = cells.number(value)
        return 1.0 if result is None else result
    if field == "sms_ascii":
        return cells.boolean(value, False)
    if field == "active":
        return cells.boolean(value, True)
    if field == "sms_language":
        return cells.text(value).lower() or "vi"
    if field == "email":
        return cells.text(value) or None
    return cells.text(value)


def parse_rows(rows: list[SheetRow]) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    records: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    for row in rows:
        record: dict[str, Any] = {}
        for field, value in row.values.items():
            try:
                record[field] = _cell(field, value)
            except cells.CellError as exc:
                errors.append(RowError(row.number, HEADERS[field], field, exc.code, value=cells.text(value)))
        records.append((row.number, record))
    return records, errors


def parse(data: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """(row number, PersonSpec input for the columns present) per data row, and the cells that cannot be read."""
    try:
        rows = read(data, COLUMNS)
    except SheetError as exc:
        return [], exc.errors
    return parse_rows(rows)
