"""Every page each role can reach by following links: none answers 5xx, and a Vietnamese page shows no English
sentence the catalogue translates (a string rendered before the locale was known, or never passed through `_()`)."""

from __future__ import annotations

import re
from collections import deque
from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session

from duty_roster.models import Centre, utcnow
from duty_roster.web.catalogue import PO_FILE
from tests.web.conftest import login
from tests.web.world import HOME, ROLES, publish_period

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_PAGES = 120  # per role; the TST centre has far fewer distinct pages than this
# Links that leave the HTML UI, end the session (logout) or switch the language.
SKIP = re.compile(r"^/(logout|lang/|api/|feeds/|assets/|twilio/|healthz)|\.(ics|xlsx|csv|png|svg)(\?|$)|[?&]lang=")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip_depth += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.text.append(data)


def _english_sentences() -> list[str]:
    """Msgids of several words whose Vietnamese differs: seeing one on a Vietnamese page is a missed translation."""
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or "%" in message.id or "{" in message.id:
            continue
        if message.string and message.string != message.id and len(message.id.split()) >= 3:
            found.append(message.id)
    return found


ENGLISH = _english_sentences()


@pytest.fixture
def live_world(world: Centre, session: scoped_session) -> Centre:
    """A published week around today, so the desk, grid, board and /me all have something to show."""
    today = utcnow().astimezone(HCM).date()
    start, end = today - timedelta(days=1), today + timedelta(days=5)
    publish_period(session, world, start, end, now=datetime.combine(start - timedelta(days=1), time(0), HCM))
    return world


def crawl(client: FlaskClient, start: str) -> dict[str, tuple[int, str]]:
    """Breadth-first over same-site GET links: path → (status, visible text)."""
    seen: dict[str, tuple[int, str]] = {}
    queue = deque([start])
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        parser = _Links()
        if response.mimetype == "text/html":
            parser.feed(response.get_data(as_text=True))
        seen[path] = (response.status_code, " ".join(" ".join(parser.text).split()))
        for href in parser.links:
            href = urldefrag(href).url
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.search(href):
                continue
            if href not in seen:
                queue.append(href)
    return seen


@pytest.mark.parametrize("username", sorted(ROLES))
def test_every_reachable_page_renders_in_vietnamese(app: Flask, live_world: Centre, username: str) -> None:
    client = app.test_client()
    login(client, username)
    pages = crawl(client, HOME[username])
    assert len(pages) >= 3, pages.keys()  # the crawl really went somewhere
    errors = {path: status for path, (status, _text) in pages.items() if status >= 500}
    assert errors == {}
    untranslated = {path: [s for s in ENGLISH if s in text] for path, (_status, text) in pages.items()}
    assert {path: found for path, found in untranslated.items() if found} == {}
