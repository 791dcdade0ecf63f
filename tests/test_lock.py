"""The lock files (requirements/*.txt) install exactly what pyproject.toml asks for: every dependency is locked,
within its range, with hashes. Re-lock with `make lock` (or take new versions with `make upgrade`)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)
LOCKS = {"app.txt": (), "test.txt": ("test",), "dev.txt": ("test", "dev")}


def pinned(lock: str) -> dict[str, list[str]]:
    """name → the versions a lock pins (a universal lock may pin one per Python version, behind markers)."""
    found: dict[str, list[str]] = {}
    for name, version in PIN.findall((ROOT / "requirements" / lock).read_text(encoding="utf-8")):
        found.setdefault(canonicalize_name(name), []).append(version)
    return found


def wanted(extras: tuple[str, ...]) -> list[Requirement]:
    project = PYPROJECT["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines] + [Requirement(line.split("#")[0]) for line in
            (ROOT / "requirements" / "build.in").read_text(encoding="utf-8").splitlines() if line.split("#")[0].strip()]


@pytest.mark.parametrize(("lock", "extras"), LOCKS.items(), ids=list(LOCKS))
def test_every_dependency_is_locked_within_its_range(lock: str, extras: tuple[str, ...]) -> None:
    pins = pinned(lock)
    problems = []
    for requirement in wanted(extras):
        versions = pins.get(canonicalize_name(requirement.name))
        if not versions:
            problems.append(f"{requirement.name}: not in requirements/{lock}")
        elif not any(requirement.specifier.contains(v, prereleases=True) for v in versions):
            problems.append(f"{requirement.name}: locked {versions}, pyproject.toml wants {requirement.specifier}")
    assert not problems, "run `make lock`:\n" + "\n".join(problems)


@pytest.mark.parametrize("lock", list(LOCKS))
def test_every_locked_version_has_a_hash(lock: str) -> None:
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])  # after uv's two header lines
    assert entries and all("--hash=sha256:" in entry for entry in entries if PIN.match(entry))
