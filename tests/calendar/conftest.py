"""Calendar feed tests reuse the API test world (two centres, one account per role, a published roster for
2027-03-01..03 and a draft); helpers issue feeds through the API and read them with icalendar or ical.js."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from tests.api.conftest import World, _sqlite_world, fast_app, world  # noqa: F401  (fixtures)

ICALJS = Path(__file__).with_name("icaljs")  # package.json + package-lock.json (exact ical.js) + dump.mjs


def issue(in_world: World, role: str, **body: Any) -> dict[str, Any]:
    response = in_world.post(role, "/api/v1/feeds", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def path_of(feed: dict[str, Any]) -> str:
    """The server-relative path of a feed's https link."""
    url = feed["links"]["url"]
    return "/feeds/" + url.split("/feeds/", 1)[1]


def fetch(in_world: World, feed: dict[str, Any], **headers: str) -> Any:
    return in_world.client.get(path_of(feed), headers=headers)


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def events(body: bytes) -> dict[str, Any]:
    """UID -> VEVENT."""
    return {str(ev["UID"]): ev for ev in parse(body).walk("VEVENT")}


@pytest.fixture(scope="session")
def icaljs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the locked ical.js installed by `npm ci` and the dump script. The folder is a cache outside the
    repository named after the lock file's hash: a new lock gets a fresh install, an old one is reused."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to read the feeds with ical.js (the independent parser); not found")
    lock = (ICALJS / "package-lock.json").read_bytes()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "duty-roster"
    base = cache / f"icaljs-{hashlib.sha256(lock).hexdigest()[:16]}"
    base.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json", "dump.mjs"):  # ESM resolves ical.js next to the script
        shutil.copyfile(ICALJS / name, base / name)
    if not (base / "node_modules" / "ical.js" / "package.json").is_file():
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=base,
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            pytest.skip(f"npm ci could not install the locked ical.js (no registry access?): "
                        f"{result.stderr.strip()[:300]}")
    return base


def read_with_icaljs(folder: Path, body: bytes) -> dict[str, Any]:
    result = subprocess.run(["node", str(folder / "dump.mjs")], input=body, capture_output=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)
