"""`python -m duty_roster.web.catalogue [--check]`: the Vietnamese catalogue of the web UI, built from the code.

Extracts every msgid the web UI uses (babel.cfg: duty_roster/web/**.py and templates/**.html), takes Vietnamese
translations from the PO fragments each UI area keeps in duty_roster/translations/parts/*.po (they win) and from the
existing messages.po, writes vi/LC_MESSAGES/messages.po (sorted, no line numbers or dates: it diffs cleanly) and
compiles messages.mo. `--check` writes nothing and exits 1 when a msgid lacks a translation or a file is stale.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "duty_roster" / "translations"
PARTS = TRANSLATIONS / "parts"
PO_FILE = TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2)}
FIXED_DATE = datetime(2026, 1, 1)  # headers carry no real dates: the files change only when messages do

MsgId = str | tuple[str, ...]
MsgStr = str | tuple[str, ...]


@dataclass
class Built:
    catalog: Catalog
    untranslated: list[MsgId] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    po: bytes = b""
    mo: bytes = b""


def extract(root: Path = ROOT) -> dict[MsgId, set[str]]:
    """msgid → the files using it."""
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(BABEL_CFG))
    found: dict[MsgId, set[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS
    ):
        key: MsgId = tuple(message) if isinstance(message, (list, tuple)) else message
        if key:
            found.setdefault(key, set()).add(filename)
    return found


def _key(msgid: MsgId) -> MsgId:
    return tuple(msgid) if isinstance(msgid, (list, tuple)) else msgid


def read_translations(paths: Iterable[Path]) -> tuple[dict[MsgId, tuple[MsgStr, str]], list[str]]:
    """msgid → (msgstr, source file) for non-empty, non-fuzzy entries; the first file wins, others are conflicts."""
    found: dict[MsgId, tuple[MsgStr, str]] = {}
    conflicts: list[str] = []
    for path in paths:
        with path.open("rb") as fh:
            catalog = read_po(fh, locale="vi")
        for message in catalog:
            if not message.id or message.fuzzy or not translated(message.string):
                continue
            key = _key(message.id)
            string = tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string
            if key in found and found[key][0] != string:
                conflicts.append(f"{key!r}: {found[key][1]} and {path.name} disagree; using {found[key][1]}")
                continue
            found.setdefault(key, (string, path.name))
    return found, conflicts


def translated(string: MsgStr | None) -> bool:
    if isinstance(string, (list, tuple)):
        return bool(string) and all(s.strip() for s in string)
    return bool(string and string.strip())


def build(root: Path = ROOT) -> Built:
    used = extract(root)
    parts, conflicts = read_translations(sorted(PARTS.glob("*.po")))
    previous, _ = read_translations([PO_FILE] if PO_FILE.exists() else [])
    catalog = Catalog(locale="vi", domain="messages", project="duty-roster", version="1",
                      copyright_holder="duty-roster", charset="utf-8", creation_date=FIXED_DATE,
                      revision_date=FIXED_DATE, fuzzy=False, language_team="Vietnamese",
                      last_translator="duty-roster catalogue tool")
    built = Built(catalog, conflicts=conflicts)
    for msgid in sorted(used, key=lambda m: m if isinstance(m, str) else m[0]):
        string = parts.get(msgid, previous.get(msgid, ("", "")))[0]
        if not translated(string):
            built.untranslated.append(msgid)
            string = ("", "") if isinstance(msgid, tuple) else ""
        catalog[msgid] = Message(msgid, string)
    po = io.BytesIO()
    write_po(po, catalog, width=120, no_location=True, sort_output=True, ignore_obsolete=True,
             include_lineno=False)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    built.po, built.mo = po.getvalue(), mo.getvalue()
    return built


def _messages(catalog: Catalog, *, translated_only: bool) -> dict[MsgId, MsgStr]:
    """msgid → msgstr of every message but the header: what a catalogue says, whatever tool version wrote it."""
    found: dict[MsgId, MsgStr] = {}
    for message in catalog:
        if not message.id or (translated_only and not translated(message.string)):
            continue
        string = message.string
        found[_key(message.id)] = tuple(string) if isinstance(string, (list, tuple)) else (string or "")
    return found


def stale_files(built: Built, po_file: Path = PO_FILE, mo_file: Path = MO_FILE) -> list[Path]:
    """The catalogue files whose translations differ from what `build()` made (missing files included).

    Messages are compared, not bytes: a new Babel release rewrites the `Generated-By` header, which says nothing
    about the translations. The .mo holds translated messages only (write_mo leaves the others out)."""
    stale = []
    for path, read, translated_only in ((po_file, lambda fh: read_po(fh, locale="vi"), False),
                                        (mo_file, read_mo, True)):
        if not path.exists():
            stale.append(path)
            continue
        with path.open("rb") as fh:
            on_disk = read(fh)
        if _messages(on_disk, translated_only=translated_only) != _messages(built.catalog,
                                                                            translated_only=translated_only):
            stale.append(path)
    return stale


def describe(msgid: MsgId) -> str:
    return msgid if isinstance(msgid, str) else " | ".join(msgid)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m duty_roster.web.catalogue", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if untranslated or stale")
    args = parser.parse_args(argv)
    built = build()
    for line in built.conflicts:
        print(f"warning: conflicting translations for {line}", file=sys.stderr)
    problems = 0
    if built.untranslated:
        problems += 1
        print(f"{len(built.untranslated)} msgid(s) lack a Vietnamese translation "
              f"(add them to duty_roster/translations/parts/<area>.po):", file=sys.stderr)
        for msgid in built.untranslated:
            print(f"  {describe(msgid)}", file=sys.stderr)
    if args.check:
        for path in stale_files(built):
            problems += 1
            print(f"{path.relative_to(ROOT)} is stale: run python -m duty_roster.web.catalogue", file=sys.stderr)
        return 1 if problems else 0
    PO_FILE.parent.mkdir(parents=True, exist_ok=True)
    PO_FILE.write_bytes(built.po)
    MO_FILE.write_bytes(built.mo)
    print(f"wrote {PO_FILE.relative_to(ROOT)} and {MO_FILE.name}: {len(built.catalog)} messages, "
          f"{len(built.untranslated)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
