"""The web UI speaks Vietnamese everywhere: every msgid has a translation with the same placeholders, and the
compiled catalogue is current. Fix failures with duty_roster/translations/parts/<area>.po and
`.venv/bin/python -m duty_roster.web.catalogue`."""

from __future__ import annotations

import re

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
    stale = [path.name for path, data in ((catalogue.PO_FILE, built.po), (catalogue.MO_FILE, built.mo))
             if not path.exists() or path.read_bytes() != data]
    if stale:
        pytest.fail(f"{', '.join(stale)} stale: run .venv/bin/python -m duty_roster.web.catalogue", pytrace=False)


def test_the_output_is_deterministic(built: catalogue.Built) -> None:
    again = catalogue.build()
    assert (again.po, again.mo) == (built.po, built.mo)
    assert b"#:" not in built.po  # no source locations: the file diffs cleanly
