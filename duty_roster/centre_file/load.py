"""Load a centre file into the database: all or nothing, idempotent by codes.

- Everything is validated first (validate.py); with any error, CentreFileError lists them all and nothing is
  written.
- Rows are matched by code (centre, branches, people, locations, and shift patterns within their location) and
  updated in place; holiday overrides by day. A value is only written when it differs, so loading the same file
  twice writes nothing the second time and reports "0 changed".
- Unavailability and preferences are replaced per person in the file: rows equal to an entry are kept, the others
  deleted, missing ones added. Holiday overrides are replaced for the centre. A section left out of the file (rules,
  weights, holiday_overrides, unavailability, preferences) leaves that part of the database untouched.
- Branches, people, locations and shift patterns that are in the database but not in the file are kept (they may
  carry rosters and history) and reported as warnings: set `active: false` in the file to retire them.

The loader flushes but does not commit: the caller owns the transaction (the `load` command commits). On an
unexpected database error it rolls the session back and re-raises.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from duty_roster import audit
from duty_roster.centre_file.issues import CentreFileError, Issue
from duty_roster.centre_file.validate import Leave, ValidCentre, validate_centre_data
from duty_roster.models import (
    Branch,
    Centre,
    DutyType,
    HolidayKind,
    HolidayOverride,
    Location,
    LocationKind,
    PatternDays,
    Person,
    PersonKind,
    Preference,
    ShiftPattern,
    Unavailability,
    UnavailabilityReason,
    User,
)

KINDS = (
    "centre",
    "branches",
    "people",
    "locations",
    "shift_patterns",
    "holiday_overrides",
    "unavailability",
    "preferences",
)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass
class LoadSummary:
    """What a load did (or, with dry_run, would do), per kind of row."""

    centre: str
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    warnings: list[Issue] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.counts.values())

    def totals(self) -> Counts:
        total = Counts()
        for c in self.counts.values():
            total.created += c.created
            total.updated += c.updated
            total.deleted += c.deleted
            total.unchanged += c.unchanged
        return total

    def __str__(self) -> str:
        t = self.totals()
        verb = "would change" if self.dry_run else "changed"
        return (f"centre {self.centre}: {self.changed} {verb} ({t.created} created, {t.updated} updated, "
                f"{t.deleted} deleted), {t.unchanged} unchanged")

    def table(self) -> list[str]:
        lines = [f"{'':<18}{'created':>9}{'updated':>9}{'deleted':>9}{'unchanged':>11}"]
        for kind, c in self.counts.items():
            lines.append(f"{kind:<18}{c.created:>9}{c.updated:>9}{c.deleted:>9}{c.unchanged:>11}")
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {k: vars(c).copy() for k, c in self.counts.items()}


def read_centre_file(path: str | Path) -> Any:
    """The parsed JSON of `path`; a file that is not UTF-8 JSON is a CentreFileError (OSError passes through)."""
    return parse_centre_json(Path(path).read_bytes())


def parse_centre_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CentreFileError([Issue("", "Tệp không phải UTF-8 / the file is not UTF-8 text")]) from None
    except json.JSONDecodeError as exc:
        raise CentreFileError([Issue("", f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg} / "
                                         f"invalid JSON at line {exc.lineno}, column {exc.colno}")]) from None


def load_centre_file(
    session: Session, path: str | Path, *, dry_run: bool = False, user: User | None = None
) -> LoadSummary:
    """Validate and load the centre file at `path` (see the module docstring). The caller commits."""
    path = Path(path)
    data = path.read_bytes()
    raw = parse_centre_json(data)
    return load_centre_data(
        session, raw, dry_run=dry_run, user=user, source=path.name, digest=hashlib.sha256(data).hexdigest()
    )


def load_centre_data(
    session: Session,
    raw: Any,
    *,
    dry_run: bool = False,
    user: User | None = None,
    source: str = "",
    digest: str = "",
) -> LoadSummary:
    """Validate and load an already parsed centre file. With `dry_run`, count what would change, write nothing."""
    valid = validate_centre_data(raw)
    try:
        summary = _Loader(session, valid, apply=not dry_run).run()
        if summary.changed and not dry_run:
            centre = session.scalars(sa.select(Centre).where(Centre.code == valid.centre.code)).one()
            audit.record(session, "centre.load", centre=centre, user=user, entity="centre", entity_id=centre.code,
                         file=source, sha256=digest, changed=summary.changed, counts=summary.as_dict())
            session.flush()
    except Exception:
        session.rollback()
        raise
    return summary


def _differs(row: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(row, k) != v}


class _Loader:
    """Compares the file with the database and, when `apply`, writes the differences."""

    def __init__(self, session: Session, valid: ValidCentre, *, apply: bool) -> None:
        self.session = session
        self.valid = valid
        self.apply = apply
        self.summary = LoadSummary(centre=valid.centre.code, warnings=list(valid.warnings), dry_run=not apply)

    def upsert(
        self, kind: str, row: Any | None, values: Mapping[str, Any], factory: type, parent: list[Any] | None = None
    ) -> Any:
        """Create a row from `values` (appended to `parent`, its owner's collection), or update the fields that
        differ; count which it was. Without `apply`, only count."""
        counts = self.summary.counts[kind]
        if row is None:
            counts.created += 1
            if not self.apply:
                return None
            row = factory(**values)
            if parent is not None:
                parent.append(row)  # the owner's cascade adds it to the session with its foreign key set
            else:
                self.session.add(row)
            return row
        changes = _differs(row, values)
        if changes:
            counts.updated += 1
            if self.apply:
                for key, value in changes.items():
                    setattr(row, key, value)
        else:
            counts.unchanged += 1
        return row

    def flush(self) -> None:
        if self.apply:
            self.session.flush()

    def run(self) -> LoadSummary:
        v = self.valid
        centre = self.session.scalars(
            sa.select(Centre)
            .where(Centre.code == v.centre.code)
            .options(
                selectinload(Centre.branches),
                selectinload(Centre.people).selectinload(Person.unavailability),
                selectinload(Centre.people).selectinload(Person.preferences),
                selectinload(Centre.locations).selectinload(Location.patterns),
                selectinload(Centre.holiday_overrides),
            )
        ).one_or_none()
        centre = self.upsert("centre", centre, self.centre_values(centre), Centre)
        self.flush()
        self.branches(centre)
        self.people(centre)
        self.locations(centre)
        if v.holiday_overrides is not None:
            self.holiday_overrides(centre)
        people = {p.code: p for p in centre.people} if centre is not None else {}
        if v.unavailability is not None:
            self.unavailability(people)
        if v.preferences is not None:
            self.preferences(people)
        self.flush()
        return self.summary

    def centre_values(self, existing: Centre | None) -> dict[str, Any]:
        c = self.valid.centre
        rules: dict[str, Any] = dict(existing.rules or {}) if existing is not None else {}
        if self.valid.rules is not None:
            rules = {"weights": rules["weights"]} if "weights" in rules else {}
            rules.update(self.valid.rules)
        if self.valid.weights is not None:
            rules["weights"] = self.valid.weights
        return {
            "code": c.code,
            "name": c.name,
            "short_name": c.short_name,
            "timezone": c.timezone,
            "duty_phone": c.duty_phone,
            "address": c.address,
            "rules": rules,
        }

    def kept(self, what: str, codes: Iterable[str]) -> None:
        codes = sorted(codes)
        if codes:
            self.summary.warnings.append(Issue(what, f"Có trong cơ sở dữ liệu nhưng không có trong tệp, được giữ "
                                                     f"nguyên / in the database but not in the file, kept: "
                                                     f"{', '.join(codes)}"))

    def branches(self, centre: Centre | None) -> None:
        existing = {b.code: b for b in centre.branches} if centre is not None else {}
        for spec in self.valid.branches:
            values = {"code": spec.code, "name": spec.name, "address": spec.address, "phone": spec.phone,
                      "is_head_office": spec.is_head_office}
            self.upsert("branches", existing.get(spec.code), values, Branch, _collection(centre, "branches"))
        self.kept("branches", set(existing) - {b.code for b in self.valid.branches})
        self.flush()
        self.branch_ids = {b.code: b.id for b in centre.branches} if centre is not None else {}
        self.branch_codes = {i: c for c, i in self.branch_ids.items()}

    def branch_value(self, row: Any, code: str) -> dict[str, Any]:
        """Compare branches by code, so a dry run can tell a move to a branch that does not exist yet."""
        if self.apply:
            return {"branch_id": self.branch_ids[code]}
        current = self.branch_codes.get(row.branch_id) if row is not None else None
        return {} if current == code else {"branch_id": code}

    def people(self, centre: Centre | None) -> None:
        existing = {p.code: p for p in centre.people} if centre is not None else {}
        for spec in self.valid.people:
            row = existing.get(spec.code)
            values = {
                "code": spec.code,
                "full_name": spec.full_name,
                "kind": PersonKind(spec.kind),
                "areas": list(spec.areas),
                "skills": list(spec.skills),
                "languages": list(spec.languages),
                "capacity": spec.capacity,
                "max_shifts_per_week": spec.max_shifts_per_week,
                "max_shifts_per_month": spec.max_shifts_per_month,
                "contract_start": spec.contract_start,
                "contract_end": spec.contract_end,
                "phone": spec.phone,
                "email": spec.email,
                "sms_language": spec.sms_language,
                "sms_ascii": spec.sms_ascii,
                "active": spec.active,
                **self.branch_value(row, spec.branch),
            }
            self.upsert("people", row, values, Person, _collection(centre, "people"))
        self.kept("people", set(existing) - {p.code for p in self.valid.people})

    def locations(self, centre: Centre | None) -> None:
        existing = {loc.code: loc for loc in centre.locations} if centre is not None else {}
        for index, spec in enumerate(self.valid.locations):
            row = existing.get(spec.code)
            values = {
                "code": spec.code,
                "name": spec.name,
                "kind": LocationKind(spec.kind),
                "address": spec.address,
                "phone": spec.phone,
                "active": spec.active,
                **self.branch_value(row, spec.branch),
            }
            row = self.upsert("locations", row, values, Location, _collection(centre, "locations"))
            self.patterns(row, spec.shifts, index)
        self.kept("locations", set(existing) - {loc.code for loc in self.valid.locations})

    def patterns(self, location: Location | None, specs: list[Any], index: int) -> None:
        existing = {p.code: p for p in location.patterns} if location is not None else {}
        for spec in specs:
            values = {
                "code": spec.code,
                "name": spec.name,
                "duty_type": DutyType(spec.duty_type),
                "start_time": spec.start,
                "duration_minutes": spec.duration_minutes,
                "days": PatternDays(spec.days),
                "weekdays": sorted(set(spec.weekdays)) if spec.weekdays is not None else None,
                "demand": dict(spec.demand),
                "holiday_demand": dict(spec.holiday_demand) if spec.holiday_demand is not None else None,
                "is_night": spec.is_night,
                "required_skills": list(spec.required_skills),
                "required_languages": list(spec.required_languages),
                "valid_from": spec.valid_from,
                "valid_to": spec.valid_to,
            }
            self.upsert("shift_patterns", existing.get(spec.code), values, ShiftPattern,
                        _collection(location, "patterns"))
        self.kept(f"locations[{index}].shifts", set(existing) - {s.code for s in specs})

    def holiday_overrides(self, centre: Centre | None) -> None:
        existing = {o.day: o for o in centre.holiday_overrides} if centre is not None else {}
        specs = self.valid.holiday_overrides or []
        for spec in specs:
            values = {"day": spec.day, "kind": HolidayKind(spec.kind), "name": spec.name}
            self.upsert("holiday_overrides", existing.get(spec.day), values, HolidayOverride,
                        _collection(centre, "holiday_overrides"))
        for day in set(existing) - {s.day for s in specs}:
            self.summary.counts["holiday_overrides"].deleted += 1
            if self.apply:
                centre.holiday_overrides.remove(existing[day])  # type: ignore[union-attr]

    def replace_per_person(
        self,
        kind: str,
        people: Mapping[str, Person],
        wanted: Mapping[str, list[tuple[Any, ...]]],
        rows_of: Any,
        key_of: Any,
        make: Any,
    ) -> None:
        """Make each file person's rows equal the file's entries, touching only the rows that differ."""
        counts = self.summary.counts[kind]
        for spec in self.valid.people:
            person = people.get(spec.code)
            rows = list(rows_of(person)) if person is not None else []
            want = Counter(wanted.get(spec.code, []))
            for row in rows:
                key = key_of(row)
                if want[key] > 0:
                    want[key] -= 1
                    counts.unchanged += 1
                else:
                    counts.deleted += 1
                    if self.apply:
                        rows_of(person).remove(row)
            for key in sorted(want.elements(), key=repr):
                counts.created += 1
                if self.apply:
                    assert person is not None
                    rows_of(person).append(make(key))

    def unavailability(self, people: Mapping[str, Person]) -> None:
        wanted: dict[str, list[tuple[Any, ...]]] = {}
        for leave in self.valid.unavailability or []:
            wanted.setdefault(leave.spec.person, []).append(_leave_key(leave))

        def make(key: tuple[Any, ...]) -> Unavailability:
            start_at, end_at, reason, note = key
            return Unavailability(start_at=start_at, end_at=end_at, reason=UnavailabilityReason(reason), note=note)

        self.replace_per_person(
            "unavailability", people, wanted, lambda p: p.unavailability,
            lambda u: (u.start_at.astimezone(UTC), u.end_at.astimezone(UTC), u.reason.value, u.note), make,
        )

    def preferences(self, people: Mapping[str, Person]) -> None:
        wanted: dict[str, list[tuple[Any, ...]]] = {}
        for p in self.valid.preferences or []:
            wanted.setdefault(p.person, []).append((p.wanted, p.weight, p.weekday, p.day, p.shift_type))

        def make(key: tuple[Any, ...]) -> Preference:
            is_wanted, weight, weekday, day, shift_type = key
            return Preference(wanted=is_wanted, weight=weight, weekday=weekday, day=day, shift_type=shift_type)

        self.replace_per_person(
            "preferences", people, wanted, lambda p: p.preferences,
            lambda p: (p.wanted, p.weight, p.weekday, p.day, p.shift_type), make,
        )


def _leave_key(leave: Leave) -> tuple[datetime, datetime, str, str]:
    return (leave.start_at, leave.end_at, leave.spec.reason, leave.spec.note)


def _collection(owner: Any | None, name: str) -> list[Any] | None:
    return getattr(owner, name) if owner is not None else None
