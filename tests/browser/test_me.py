"""The officer's self-service on a phone: confirm the next shift, then the calendar link's QR code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_officer_confirms_a_shift_and_scans_the_calendar_link(phone_page: Any, login: Callable[..., None],
                                                              shot: Callable[..., Path], live_server: str) -> None:
    login(phone_page, "trogiupvien")
    assert phone_page.url == live_server + "/me"
    items = phone_page.locator("li.shift-item")
    assert items.count() >= 1, "the officer has shifts in next month's published roster"
    shot(phone_page, "me-shifts-phone")
    waiting = phone_page.locator("li.shift-item:has(button:text('Xác nhận'))").first
    item_id = waiting.get_attribute("id")
    waiting.locator("button:text('Xác nhận')").click()
    phone_page.wait_for_load_state()
    assert "Cảm ơn" in phone_page.locator(".flashes").inner_text()
    assert "Đã xác nhận" in phone_page.locator(f"#{item_id}").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    phone_page.goto("/me/calendar")
    if phone_page.locator("button:text('Tạo liên kết lịch của tôi')").count():
        phone_page.locator("button:text('Tạo liên kết lịch của tôi')").click()
        phone_page.wait_for_load_state()
    qr = phone_page.locator(".qr svg")
    assert qr.is_visible()
    assert phone_page.locator("#webcal").input_value().startswith("webcal://")
    shot(phone_page, "me-calendar-qr-phone")
