"""The director's desk in a real Chromium: generate a short roster and watch the progress bar finish, open the publish
preview, publish, and open the print views; the dashboard on a phone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from duty_roster.models import utcnow
from tests.web.world import next_month

pytestmark = pytest.mark.browser


def quiet_period() -> tuple[str, str]:
    """Three days in the month after next (dd/mm/yyyy): the live server's published roster for next month stays
    untouched."""
    _, end = next_month(utcnow().date())
    start = end + timedelta(days=12)
    return f"{start:%d/%m/%Y}", f"{start + timedelta(days=2):%d/%m/%Y}"


def test_director_generates_publishes_and_prints(page: Any, login: Callable[..., None],
                                                 shot: Callable[..., Path], live_server: str) -> None:
    login(page, "giamdoc")
    page.goto("/desk")
    assert page.locator("h1").inner_text() == "Điều phối"
    assert page.locator(".coverage-strip li").count() == 60
    shot(page, "desk-dashboard")

    page.click("text=Lập lịch trực")
    start, end = quiet_period()
    page.fill("#f-start", start)
    page.fill("#f-end", end)
    page.fill("#f-time_limit", "1")
    shot(page, "desk-generate")
    with page.expect_navigation():
        page.click("form.desk-form button[type=submit]")
    assert "/desk/jobs/" in page.url
    page.wait_for_selector("#job[data-state=succeeded]", timeout=30_000)
    assert page.locator("#job-progress").evaluate("el => el.value") == 100
    assert page.locator("#job-state").inner_text() == "Xong: bản nháp lịch trực đã sẵn sàng."
    assert page.locator("#job-done").is_visible()
    shot(page, "desk-job-done")

    with page.expect_navigation():
        page.click("#job-publish")
    assert "/publish" in page.url
    assert "đây sẽ là phiên bản 1" in page.locator("#changes").inner_text()
    assert page.locator("#sms-preview h2").inner_text() == "Tin nhắn SMS"
    shot(page, "desk-publish-preview")

    page.on("dialog", lambda dialog: dialog.accept())  # "Xuất bản lịch trực này ngay?"
    with page.expect_navigation():
        page.click("#publish-button")
    assert page.locator(".flash-success").inner_text() == "Đã xuất bản lịch trực, phiên bản 1."
    assert page.locator("#publish-button").count() == 0
    shot(page, "desk-published")

    with page.expect_navigation():
        page.click("#summary a:has-text('In')")
    page.emulate_media(media="print")
    assert page.locator(".doc-republic").inner_text() == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert page.locator(".doc-title").inner_text() == "LỊCH TRỰC TRỢ GIÚP PHÁP LÝ"
    assert not page.locator(".topbar").is_visible()  # the screen chrome is not printed
    shot(page, "desk-print")
    page.emulate_media(media="screen")

    page.click(".doc-toolbar summary")
    with page.expect_navigation():
        page.click(".doc-toolbar li a >> nth=0")
    assert page.locator(".doc-title").inner_text() == "DANH SÁCH NGƯỜI TRỰC TRỢ GIÚP PHÁP LÝ"
    assert page.locator(".doc-phone").count() > 0
    shot(page, "desk-print-station")


def test_dashboard_on_a_phone(phone_page: Any, login: Callable[..., None], shot: Callable[..., Path]) -> None:
    login(phone_page, "dieuphoi")
    phone_page.goto("/desk")
    strip = phone_page.locator(".coverage-strip").bounding_box()
    assert strip is not None and strip["width"] <= 390  # no sideways scrolling for the 60 days
    assert phone_page.locator("#deadline .countdown").inner_text().strip() != ""
    shot(phone_page, "desk-dashboard-phone")
