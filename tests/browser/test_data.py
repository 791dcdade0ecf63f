"""Excel import in a real Chromium: a file with one bad row is previewed with the error and cannot be imported;
the corrected file is previewed and imported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

pytestmark = pytest.mark.browser
HEADERS = ["Mã", "Họ và tên", "Loại", "Chi nhánh", "Số điện thoại", "Kỹ năng", "Bắt đầu hợp đồng"]


def workbook(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_with_a_bad_row_then_the_fixed_file(page: Any, login: Callable[..., None],
                                                   shot: Callable[..., Path], tmp_path: Path) -> None:
    good_row = ["XL1", "Đặng Thị Excel", "Luật sư", "HQ", "0912 888 001", "khmer", "01/01/2027"]
    bad = workbook(tmp_path / "nguoi-truc.xlsx", [good_row, ["XL2", "Võ Văn Sai", "Luật sư", "HQ", "0123 45", "", ""]])
    login(page, "dieuphoi")
    page.goto("/data/excel")
    page.select_option("#f-kind", "people")
    page.set_input_files("#f-file", str(bad))
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1
    assert errors.first.inner_text().split("\t")[:2] == ["3", "Số điện thoại"]
    assert "Số điện thoại không hợp lệ (ví dụ 0912 345 678)" in errors.first.inner_text()
    assert page.locator("button:has-text('Nhập dữ liệu')").is_disabled()
    shot(page, "data-import-preview-error")

    fixed = workbook(tmp_path / "nguoi-truc-sua.xlsx",
                     [good_row, ["XL2", "Võ Văn Sai", "Luật sư", "HQ", "0912 888 002", "", ""]])
    page.set_input_files("#f-file", str(fixed))
    with page.expect_navigation():
        page.click("button:has-text('Kiểm tra tệp')")
    assert page.locator("#import-errors").count() == 0
    assert page.locator("#import-summary").inner_text().startswith("2 mới")
    shot(page, "data-import-preview-ok")
    with page.expect_navigation():
        page.click("button:has-text('Nhập dữ liệu')")
    assert "Đã nhập: 2 mới" in page.locator(".flash-success").inner_text()
    page.goto("/data/people?q=XL")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "0912 888 001" in rows.first.inner_text()
    shot(page, "data-people-after-import")


def test_person_form_shows_the_phone_error_next_to_the_field(page: Any, login: Callable[..., None],
                                                              shot: Callable[..., Path]) -> None:
    login(page, "giamdoc")
    page.goto("/data/people/new")
    page.fill("#f-code", "FORM1")
    page.fill("#f-full_name", "Người Gõ Tay")
    page.select_option("#f-kind", "officer")
    page.select_option("#f-branch", "HQ")
    page.fill("#f-phone", "12345")
    with page.expect_navigation():
        page.click("button:has-text('Lưu')")
    assert page.locator("#err-phone").inner_text() == "Số điện thoại không hợp lệ (ví dụ 0912 345 678)"
    assert page.input_value("#f-full_name") == "Người Gõ Tay"
    shot(page, "data-person-phone-error", full_page=False)


def test_audit_log_and_shift_form(page: Any, login: Callable[..., None], shot: Callable[..., Path]) -> None:
    login(page, "giamdoc")
    page.goto("/audit")
    assert page.locator("#audit-entries tbody tr").count() >= 1
    assert page.locator("h1").inner_text() == "Nhật ký"
    shot(page, "data-audit-log", full_page=False)
    page.goto("/data/patterns?q=oncall")
    with page.expect_navigation():
        page.click("a:has-text('oncall_24h')")
    assert page.input_value("#f-duration_hours") == "24"
    shot(page, "data-pattern-form")
