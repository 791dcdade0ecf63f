"""The liaison duty board on a phone (390×844): readable, with a visible tap-to-call link."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_board_on_a_phone_has_big_call_buttons(phone_page: Any, login: Callable[..., None],
                                               shot: Callable[..., Path], live_server: str) -> None:
    login(phone_page, "lienlac")
    assert phone_page.url == live_server + "/board"
    assert phone_page.locator("h2").first.inner_text() == "Cơ quan Cảnh sát điều tra"
    # Next month's roster is published: the next duty person and the centre's number are one tap away.
    calls = phone_page.locator("a.call[href^='tel:+84']")
    assert calls.count() >= 2
    first = calls.first
    assert first.is_visible()
    box = first.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300  # a thumb-sized, full-width button
    assert phone_page.locator(".board-name").first.is_visible()
    # Nothing overflows sideways on a phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone_page, "board-phone")
    phone_page.emulate_media(color_scheme="dark")  # 3 a.m.: the phone is in dark mode
    background = phone_page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(14, 17, 22)"
    shot(phone_page, "board-phone-dark")


def test_board_print_version(page: Any, login: Callable[..., None], shot: Callable[..., Path]) -> None:
    login(page, "lienlac")
    page.goto("/board/print?days=31")
    assert page.locator("table tbody tr").count() >= 2
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    shot(page, "board-print")
