"""Importing a people or unavailability workbook through the same use cases as the API (duty_roster.centre_data).

`import_people` / `import_unavailability` check every row, apply the valid ones to the session and return a report
of every bad row and of what was created, updated or left unchanged. They never commit: a preview rolls the
session back (a dry run that exercises every database check), a confirmation commits only when the report has no
errors — all or nothing, like the centre-file loader. Rows are matched by person code (people) and by person and
period (unavailability), so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import Session

from duty_roster import audit, centre_data
from duty_roster.centre_file.schema import PersonSpec, UnavailabilitySpec
from duty_roster.excel import people as people_sheet
from duty_roster.excel import unavailability as leave_sheet
from duty_roster.excel.sheets import RowError
from duty_roster.field_errors import FieldErrors
from duty_roster.models import Centre, Person, Unavailability, User


@dataclass(frozen=True)
class Change:
    row: int
    code: str  # the person's code
    label: str  # name, or the period of leave
    action: str  # create, update, unchanged
    fields: tuple[str, ...] = ()  # column headers whose value changes (updates)


@dataclass
class ImportReport:
    kind: str  # people, unavailability
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def writes(self) -> int:
        return self.count("create") + self.count("update")


def _spec_errors(row: int, exc: ValidationError, headers: dict[str, str]) -> list[RowError]:
    out = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        out.append(RowError(row, headers.get(name, name), name, error["type"], str(error["msg"]),
                            value=_show(error.get("input"))))
    return out


def _rule_errors(row: int, exc: FieldErrors, headers: dict[str, str]) -> list[RowError]:
    out = []
    for path, message in exc.errors:
        name = path.split(".")[0]
        out.append(RowError(row, headers.get(name, name), name, "conflict" if exc.status == 409 else "rule",
                            message))
    return out


def _show(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y %H:%M" if isinstance(value, datetime) else "%d/%m/%Y")
    return str(value)


def person_input(p: Person) -> dict[str, Any]:
    """A stored person as PersonSpec input: what an update starts from, and what "unchanged" compares with."""
    return {
        "code": p.code, "full_name": p.full_name, "kind": p.kind.value, "branch": p.branch.code,
        "areas": list(p.areas), "skills": list(p.skills), "languages": list(p.languages), "capacity": p.capacity,
        "max_shifts_per_week": p.max_shifts_per_week, "max_shifts_per_month": p.max_shifts_per_month,
        "contract_start": p.contract_start, "contract_end": p.contract_end, "phone": p.phone, "email": p.email,
        "sms_language": p.sms_language, "sms_ascii": p.sms_ascii, "active": p.active,
    }


def _people_by_code(session: Session, centre: Centre) -> dict[str, Person]:
    rows = session.scalars(sa.select(Person).where(Person.centre_id == centre.id))
    return {p.code: p for p in rows}


def import_people(session: Session, centre: Centre, data: bytes, *, user: User | None = None,
                  filename: str = "") -> ImportReport:
    headers = people_sheet.HEADERS
    records, cell_errors = people_sheet.parse(data)
    report = ImportReport("people", errors=list(cell_errors))
    bad_rows = {e.row for e in cell_errors}
    existing = _people_by_code(session, centre)
    first_row: dict[str, int] = {}
    for row, record in records:
        code = str(record.get("code", ""))
        if code and code in first_row:
            report.errors.append(RowError(row, headers["code"], "code", "duplicate_row", value=code,
                                          message=str(first_row[code])))
            continue
        first_row.setdefault(code, row)
        if row in bad_rows:
            continue
        person = existing.get(code)
        before = person_input(person) if person is not None else {}
        try:
            spec = PersonSpec.model_validate({**before, **record})
        except ValidationError as exc:
            report.errors.extend(_spec_errors(row, exc, headers))
            continue
        old: dict[str, Any] = {}
        if person is not None:
            try:
                old = PersonSpec.model_validate(before).model_dump()
            except ValidationError:  # stored data the rules no longer accept: any valid row is a change
                old = {}
            changed = tuple(headers[k] for k, v in spec.model_dump().items() if old.get(k, object()) != v)
            if not changed:
                report.changes.append(Change(row, code, spec.full_name, "unchanged"))
                continue
        try:
            centre_data.save_person(session, centre, spec, person=person, user=user)
        except FieldErrors as exc:
            report.errors.extend(_rule_errors(row, exc, headers))
            continue
        if person is None:
            report.changes.append(Change(row, code, spec.full_name, "create"))
        else:
            report.changes.append(Change(row, code, spec.full_name, "update", changed))
    _audit(session, centre, user, report, filename)
    return report


def _period(start: date | datetime, end: date | datetime) -> str:
    return f"{_show(start)} – {_show(end)}"


def import_unavailability(session: Session, centre: Centre, data: bytes, *, user: User | None = None,
                          filename: str = "") -> ImportReport:
    headers = leave_sheet.HEADERS
    records, cell_errors = leave_sheet.parse(data)
    report = ImportReport("unavailability", errors=list(cell_errors))
    bad_rows = {e.row for e in cell_errors}
    people = _people_by_code(session, centre)
    tz = ZoneInfo(centre.timezone)
    for row, record in records:
        if row in bad_rows:
            continue
        try:
            spec = UnavailabilitySpec.model_validate(record)
        except ValidationError as exc:
            report.errors.extend(_spec_errors(row, exc, headers))
            continue
        person = people.get(spec.person)
        if person is None:
            report.errors.append(RowError(row, headers["person"], "person", "unknown_person", value=spec.person))
            continue
        try:
            start_at = centre_data.instant(spec.start, tz, end=False, field="start")
            end_at = centre_data.instant(spec.end, tz, end=True, field="end")
            same = session.scalar(sa.select(Unavailability).where(
                Unavailability.person_id == person.id, Unavailability.start_at == start_at,
                Unavailability.end_at == end_at))
            if same is not None and same.reason.value == spec.reason and same.note == spec.note:
                report.changes.append(Change(row, person.code, _period(spec.start, spec.end), "unchanged"))
                continue
            centre_data.save_unavailability(session, centre, person, spec, entry=same, user=user)
        except FieldErrors as exc:
            report.errors.extend(_rule_errors(row, exc, headers))
            continue
        action = "create" if same is None else "update"
        fields = () if same is None else (headers["reason"], headers["note"])
        report.changes.append(Change(row, person.code, _period(spec.start, spec.end), action, fields))
    _audit(session, centre, user, report, filename)
    return report


def _audit(session: Session, centre: Centre, user: User | None, report: ImportReport, filename: str) -> None:
    if report.ok and report.writes:
        audit.record(session, f"import.{report.kind}", centre=centre, user=user, entity="centre",
                     entity_id=centre.id, file=filename, created=report.count("create"),
                     updated=report.count("update"), unchanged=report.count("unchanged"))


IMPORTERS = {"people": import_people, "unavailability": import_unavailability}
