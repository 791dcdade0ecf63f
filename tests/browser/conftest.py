"""Browser tests: the real app behind a real HTTP server, driven by Debian's Chromium through Playwright.

Fixtures
- `live_server` (package): base URL of a werkzeug server in a thread; SQLite file in a temp folder; centre "TST"
  with users giamdoc, dieuphoi, trogiupvien, lienlac, quantri (password "matkhau-123", see tests/web/world.py) and
  one roster for next month, generated (≤ 2 s) and published. JOB_RUNNER is embedded, SOLVER_TIME_LIMIT 2 s.
- `live_app` (package): that Flask app (use `with live_app.app_context():` to look at the database).
- `browser` (package), `page` (new context per test, 1280×800, Vietnamese), `phone_page` (390×844, touch).
- `login(page, username)`, `shot(page, name)` → test-output/screenshots/<name>.png.

Why Playwright (verified here with /usr/bin/chromium as `executable_path`) rather than Selenium with Debian's
chromium-driver: its driver comes in the pip wheel, so nothing has to match Chromium's version besides the browser
itself; it waits for elements on its own (no sleeps in tests); and it emulates a phone (viewport, touch) directly.

Everything here is skipped, with the reason, when Chromium or playwright is missing (scripts/install-chromium).
Never run `playwright install`: it downloads a browser from a host this network refuses.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from duty_roster.extensions import db
from duty_roster.models import utcnow
from tests import clock
from tests.conftest import make_app, migrate
from tests.web.world import PASSWORD, build_world, next_month, publish_period

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
HERE = Path(__file__).resolve().parent


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (python) is not installed: pip install playwright (never `playwright install`)"
    if chromium_path() is None:
        return "Chromium not found at /usr/bin/chromium or on PATH: run scripts/install-chromium"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`, and skip them all with one clear reason when they cannot run."""
    reason = _skip_reason()
    if reason and os.environ.get("REQUIRE_BROWSER_TESTS") == "1" and any(
            HERE in Path(str(item.path)).resolve().parents for item in items):
        raise pytest.UsageError(f"REQUIRE_BROWSER_TESTS=1 (CI) but the browser tests cannot run: {reason}")
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.real_clock)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="package", autouse=True)
def _machine_clock() -> Iterator[None]:
    """Chromium keeps cookies (and their expiry) and runs page scripts on the machine's clock, which the suite's fixed
    day (tests/clock.py) cannot move: so the browser tests, their server and their roster run on the machine's clock
    too (package scope: set up before the server, undone when the folder's tests are over)."""
    with clock.frozen(clock.machine_now()):
        yield


@pytest.fixture(scope="package")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    folder = tmp_path_factory.mktemp("live-server")
    url = f"sqlite:///{folder / 'live.sqlite3'}"
    app = make_app(url, folder / "instance", TESTING=False, JOB_RUNNER="embedded", SOLVER_TIME_LIMIT=2.0,
                   SOLVER_WORKERS=2)
    migrate(app)
    with app.app_context():
        centre = build_world(db.session)
        start, end = next_month(utcnow().date())
        publish_period(db.session, centre, start, end, now=utcnow() - timedelta(minutes=1))
        db.session.remove()
    return app


@pytest.fixture(scope="package")
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with live_app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _new_page(browser: Any, live_server: str, **options: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the live server; relative URLs work: page.goto("/login")."""
    yield from _new_page(browser, live_server, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone_page(browser: Any, live_server: str) -> Iterator[Any]:
    """Like `page`, as a 390×844 phone with touch."""
    yield from _new_page(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True,
                         device_scale_factor=2)


def do_login(page: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the form and wait for the landing page (which may still be a 404 while an area is missing)."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")


def take_shot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def login() -> Callable[..., None]:
    return do_login


@pytest.fixture
def shot() -> Callable[..., Path]:
    return take_shot
