"""The web UI speaks Vietnamese everywhere: every msgid has a translation with the same placeholders, and the
compiled catalogue is current. Fix failures with duty_roster/translations/parts/<area>.po and
`.venv/bin/python -m duty_roster.web.catalogue`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from duty_roster.web import catalogue

PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrs%])")


def placeholders(text: str) -> list[str]:
    return sorted(f"{name or ''}:{kind}" for name, kind in PLACEHOLDER.findall(text) if kind != "%")


@pytest.fixture(scope="module")
def built() -> catalogue.Built:
    return catalogue.build()


def test_the_web_ui_uses_translatable_strings(built: catalogue.Built) -> None:
    assert "Log in" in built.catalog and "Monday" in built.catalog  # extraction of .py and .html both work


def test_every_msgid_has_a_vietnamese_translation(built: catalogue.Built) -> None:
    if built.untranslated:  # pytest.fail: a readable list rather than an assertion's repr
        missing = "\n".join(f"  {catalogue.describe(m)}" for m in built.untranslated)
        pytest.fail(f"{len(built.untranslated)} msgid(s) lack a Vietnamese translation; add them to "
                    f"duty_roster/translations/parts/<area>.po:\n{missing}", pytrace=False)


def test_translations_keep_the_placeholders(built: catalogue.Built) -> None:
    wrong = []
    for message in built.catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = placeholders(ids[-1])
        wrong += [f"  {ids[0]!r} -> {s!r}" for s in strings if s and placeholders(s) != expected]
        if len(ids) == 1 and placeholders(ids[0]) != expected:
            wrong.append(f"  {ids[0]!r}")
    if wrong:
        pytest.fail("placeholders differ between msgid and msgstr:\n" + "\n".join(wrong), pytrace=False)


def test_parts_agree_with_each_other(built: catalogue.Built) -> None:
    if built.conflicts:
        pytest.fail("conflicting translations:\n" + "\n".join(built.conflicts), pytrace=False)


def test_the_catalogue_files_are_current(built: catalogue.Built) -> None:
    stale = [path.name for path in catalogue.stale_files(built)]
    if stale:
        pytest.fail(f"{', '.join(stale)} stale: run .venv/bin/python -m duty_roster.web.catalogue", pytrace=False)


def test_the_output_is_deterministic(built: catalogue.Built) -> None:
    again = catalogue.build()
    assert (again.po, again.mo) == (built.po, built.mo)
    assert b"#:" not in built.po  # no source locations: the file diffs cleanly


def test_a_new_babel_release_does_not_make_the_catalogue_stale(built: catalogue.Built, tmp_path: Path) -> None:
    """Only the tool's header line differs: the translations are the same, so nothing is stale."""
    po, mo = tmp_path / "messages.po", tmp_path / "messages.mo"
    for path, data in ((po, built.po), (mo, built.mo)):
        other = re.sub(rb"(Generated-By: Babel )([0-9.]+)",  # same length: the .mo's offsets stay valid
                       lambda m: m.group(1) + re.sub(rb"[0-8]", b"9", m.group(2)), data)
        assert other != data
        path.write_bytes(other)
    assert catalogue.stale_files(built, po, mo) == []


def test_a_changed_or_missing_translation_makes_the_catalogue_stale(built: catalogue.Built, tmp_path: Path) -> None:
    po, mo = tmp_path / "messages.po", tmp_path / "messages.mo"
    vietnamese = built.catalog["Log in"].string
    assert isinstance(vietnamese, str) and vietnamese.encode() in built.po
    po.write_bytes(built.po.replace(f'msgstr "{vietnamese}"'.encode(), 'msgstr "Vào"'.encode(), 1))
    assert catalogue.stale_files(built, po, mo) == [po, mo]  # the .po differs; the .mo is missing
