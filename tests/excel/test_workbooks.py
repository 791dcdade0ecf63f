"""Excel round trips and all-or-nothing imports of the people and unavailability workbooks."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import scoped_session

from duty_roster.centre_file import load_centre_data
from duty_roster.excel import importing, people, unavailability
from duty_roster.models import AuditLog, Centre, Person, Unavailability
from duty_roster.rostering.queries import centre_by_code
from tests.rostering.centre import covered_centre

pytestmark = pytest.mark.db  # also on PostgreSQL (make test-db): timestamp matching, JSON lists


@pytest.fixture
def centre(session: scoped_session) -> Centre:
    data = covered_centre()
    data["people"][0].update(skills=["juvenile"], languages=["khmer"], contract_start="2026-01-01",
                             contract_end="2027-12-31", email="d1@example.vn", sms_ascii=True)
    data["people"][1]["active"] = False
    data["unavailability"] = [
        {"person": "D1", "start": "2026-12-21", "end": "2026-12-25", "reason": "training", "note": "Tập huấn"},
        {"person": "D2", "start": "2026-12-10T13:30", "end": "2026-12-10T17:00", "reason": "other"},
    ]
    load_centre_data(session, data)
    session.commit()
    return centre_by_code(session, "TST")


def sheet(rows: list[list[Any]], headers: list[str]) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def audit_count(session: scoped_session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) or 0


def test_people_export_has_vietnamese_headers_and_dd_mm_yyyy_dates(session: scoped_session, centre: Centre) -> None:
    ws = load_workbook(io.BytesIO(people.export(session, centre))).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["Mã", "Họ và tên", "Loại", "Chi nhánh"]
    assert "Số điện thoại" in headers and "Email" in headers and "Kỹ năng" in headers
    d1 = next(row for row in ws.iter_rows(min_row=2) if row[0].value == "D1")
    start = d1[headers.index("Bắt đầu hợp đồng")]
    assert start.value == datetime(2026, 1, 1) and start.number_format == "dd/mm/yyyy"
    assert d1[headers.index("Số điện thoại")].value == "0912 000 101"
    assert d1[headers.index("Loại")].value == "Trợ giúp viên pháp lý"


def test_people_round_trip_changes_nothing(session: scoped_session, centre: Centre) -> None:
    before = audit_count(session)
    report = importing.import_people(session, centre, people.export(session, centre))
    assert report.ok, report.errors
    assert report.writes == 0 and report.count("unchanged") == 10
    session.commit()
    assert audit_count(session) == before


def test_unavailability_round_trip_changes_nothing(session: scoped_session, centre: Centre) -> None:
    data = unavailability.export(session, centre)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0][2:4] == [datetime(2026, 12, 21), datetime(2026, 12, 25)]  # whole days, end included
    assert rows[1][2:4] == [datetime(2026, 12, 10, 13, 30), datetime(2026, 12, 10, 17, 0)]
    report = importing.import_unavailability(session, centre, data)
    assert report.ok, report.errors
    assert [c.action for c in report.changes] == ["unchanged", "unchanged"]


def test_people_import_creates_and_updates_by_code(session: scoped_session, centre: Centre) -> None:
    headers = ["Mã", "Họ và tên", "Loại", "Chi nhánh", "Số điện thoại", "Bắt đầu hợp đồng", "Kỹ năng"]
    data = sheet([["N1", "Người Mới", "Luật sư", "HQ", 912555666, "01/02/2027", "khmer, juvenile"],
                  ["D3", "Trợ giúp viên 3 (sửa)", "officer", "HQ", "0912 000 103", None, None]], headers)
    report = importing.import_people(session, centre, data)
    assert report.ok, report.errors
    assert [(c.code, c.action) for c in report.changes] == [("N1", "create"), ("D3", "update")]
    assert report.changes[1].fields == ("Họ và tên",)
    session.commit()
    new = session.scalars(sa.select(Person).where(Person.code == "N1")).one()
    assert (new.phone, new.contract_start, new.skills) == ("+84912555666", date(2027, 2, 1), ["khmer", "juvenile"])
    again = importing.import_people(session, centre, data)
    assert again.ok and again.writes == 0


def test_bad_people_rows_are_all_reported_and_nothing_is_written(session: scoped_session,
                                                                   centre: Centre) -> None:
    headers = ["Mã", "Họ và tên", "Loại", "Chi nhánh", "Số điện thoại", "Kết thúc hợp đồng", "Đang hoạt động"]
    data = sheet([
        ["OK1", "Đúng", "Luật sư", "HQ", "0912 777 888", None, "Có"],
        ["BAD1", "Sai điện thoại", "Luật sư", "HQ", "0123 456", None, None],
        ["BAD2", "Sai ngày", "Luật sư", "HQ", "0912 777 889", "31/02/2027", None],
        ["BAD3", "Sai chi nhánh", "Bác sĩ", "XX", "0912 777 890", None, "có lẽ"],
        ["OK1", "Trùng mã", "Luật sư", "HQ", "0912 777 891", None, None],
    ], headers)
    before = audit_count(session)
    report = importing.import_people(session, centre, data)
    session.rollback()
    found = {(e.row, e.column, e.code) for e in report.errors}
    assert (3, "Số điện thoại", "phone") in found
    assert (4, "Kết thúc hợp đồng", "date") in found
    assert (5, "Loại", "choice") in found and (5, "Đang hoạt động", "bool") in found
    assert (6, "Mã", "duplicate_row") in found
    assert not report.ok
    assert session.scalar(sa.select(Person).where(Person.code.in_(["OK1", "BAD1"]))) is None
    assert audit_count(session) == before


def test_unknown_branch_comes_from_the_use_case(session: scoped_session, centre: Centre) -> None:
    data = sheet([["Z1", "Ai đó", "Luật sư", "XX", "0912 777 892"]],
                 ["Mã", "Họ và tên", "Loại", "Chi nhánh", "Số điện thoại"])
    report = importing.import_people(session, centre, data)
    session.rollback()
    assert [(e.row, e.column, e.code) for e in report.errors] == [(2, "Chi nhánh", "rule")]
    assert "Không có chi nhánh" in report.errors[0].message


def test_unavailability_import_reports_overlaps_and_unknown_people(session: scoped_session,
                                                                   centre: Centre) -> None:
    headers = ["Mã", "Từ ngày", "Đến ngày", "Lý do", "Ghi chú"]
    data = sheet([["D3", "01/03/2027", "03/03/2027", "Nghỉ phép", ""],
                  ["D3", "02/03/2027", "05/03/2027", "Ốm", ""],
                  ["P9", "01/03/2027", "02/03/2027", None, ""],
                  ["D4", "hôm qua", "02/03/2027", None, ""]], headers)
    report = importing.import_unavailability(session, centre, data)
    session.rollback()
    found = {(e.row, e.column, e.code) for e in report.errors}
    assert found == {(3, "Từ ngày", "conflict"), (4, "Mã", "unknown_person"), (5, "Từ ngày", "datetime")}
    assert session.scalar(sa.select(sa.func.count()).select_from(Unavailability)) == 2


def test_not_a_workbook_and_missing_columns(session: scoped_session, centre: Centre) -> None:
    report = importing.import_people(session, centre, b"not a zip file")
    assert [e.code for e in report.errors] == ["file"]
    report = importing.import_people(session, centre, sheet([["X"]], ["Mã", "Họ và tên"]))
    assert {e.column for e in report.errors if e.code == "missing_column"} == {"Loại", "Chi nhánh", "Số điện thoại"}


def test_templates_have_headers_only() -> None:
    for module in (people, unavailability):
        ws = load_workbook(io.BytesIO(module.template())).worksheets[0]
        assert ws.max_row == 1 and ws["A1"].value == "Mã"


def test_text_that_looks_like_a_formula_stays_text(session: scoped_session, centre: Centre) -> None:
    entry = session.scalars(sa.select(Unavailability)).first()
    assert entry is not None
    entry.note = '=HYPERLINK("http://example.com","x")'
    session.commit()
    ws = load_workbook(io.BytesIO(unavailability.export(session, centre))).worksheets[0]
    cell = next(row[5] for row in ws.iter_rows(min_row=2) if row[5].value and str(row[5].value).startswith("="))
    assert cell.data_type == "s"
