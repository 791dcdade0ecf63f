"""Login per role, the Vietnamese error on a wrong password, the language switch and logout, in a real Chromium."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.web.world import HOME

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("username", sorted(HOME))
def test_each_role_lands_on_its_home(page: Any, login: Callable[..., None], shot: Callable[..., Path],
                                     live_server: str, username: str) -> None:
    login(page, username)
    assert page.url.split("?")[0] == live_server + HOME[username]
    shot(page, f"foundation-home-{username}")


def test_wrong_password_is_refused_in_vietnamese(page: Any, login: Callable[..., None],
                                                 shot: Callable[..., Path]) -> None:
    login(page, "dieuphoi", "sai-mat-khau")
    assert page.locator(".flash-error").inner_text() == "Sai tên đăng nhập hoặc mật khẩu."
    assert page.locator("html").get_attribute("lang") == "vi"
    shot(page, "foundation-login-wrong-password")


def test_language_switch_and_logout(page: Any, login: Callable[..., None], shot: Callable[..., Path],
                                    live_server: str) -> None:
    login(page, "lienlac")
    page.goto("/account/password")
    assert page.locator("h1").inner_text() == "Đổi mật khẩu"
    page.click("a.lang-link[hreflang=en]")
    assert page.locator("h1").inner_text() == "Change password"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == live_server + "/account/password"
    shot(page, "foundation-password-en")
    page.goto("/account/password")  # the choice sticks for the session
    assert page.locator("h1").inner_text() == "Change password"
    page.click("a.lang-link[hreflang=vi]")
    assert page.locator("h1").inner_text() == "Đổi mật khẩu"

    page.click(".usermenu summary")
    with page.expect_navigation():
        page.click(".usermenu button[type=submit]")
    assert page.url == live_server + "/login"
    assert page.locator(".flash-success").inner_text() == "Bạn đã đăng xuất."
    shot(page, "foundation-logged-out")
    page.goto("/account/password")
    assert page.url.startswith(live_server + "/login?next=")


def test_login_page_fits_a_phone(phone_page: Any, shot: Callable[..., Path]) -> None:
    phone_page.goto("/login")
    assert phone_page.locator("html").get_attribute("lang") == "vi"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    button = phone_page.locator("form.stack button[type=submit]").bounding_box()
    assert button is not None and button["height"] >= 44
    shot(phone_page, "foundation-login-phone")
