"""The month grid of a roster as data for the template: columns are days (weekend, holiday, Tết), rows are the
shift patterns grouped by location kind, cells hold the assignments and the demand not met, with the solver's
reasons for the slots it reported uncovered (the roster's solve_report)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from duty_roster.extensions import db
from duty_roster.models import Assignment, Location, LocationKind, Person, Roster, Shift
from duty_roster.rostering.fairness import roster_assignments
from duty_roster.rostering.shifts import days as days_between
from duty_roster.rostering.shifts import work_calendar
from duty_roster.web.grid_labels import KIND_ORDER, ROLE_LABELS, rule_label, short_name
from duty_roster.web.i18n import locale_code


def months_of(roster: Roster) -> list[date]:
    """First day of every month the roster's period touches."""
    months, current = [], roster.period_start.replace(day=1)
    while current <= roster.period_end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months



@dataclass
class Day:
    day: date
    weekend: bool
    holiday: str | None  # the holiday's name
    tet: bool

    @property
    def css(self) -> str:
        return " ".join(c for c, on in (("wkd", self.weekend), ("hol", self.holiday is not None), ("tet", self.tet))
                        if on)


@dataclass
class Missing:
    role: str
    count: int
    reasons: list[tuple[str, list[str]]]  # (rule label, short names of the people it kept off), from the solver


@dataclass
class Cell:
    day: Day
    shift: Shift | None = None
    assignments: list[Assignment] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    @property
    def css(self) -> str:
        flags = [self.day.css]
        if self.shift is not None:
            flags += [c for c, on in (("wkd", self.shift.is_weekend), ("hol", self.shift.is_holiday),
                                      ("tet", self.shift.is_tet)) if on]
        if self.missing:
            flags.append("uncovered")
        if self.shift is None:
            flags.append("none")
        return " ".join(sorted(set(" ".join(flags).split())))

    @property
    def explanation(self) -> str:
        """One line per missing slot, for the cell's tooltip."""
        lines = []
        for m in self.missing:
            lines.append(_("Missing %(count)d × %(role)s", count=m.count, role=ROLE_LABELS.get(m.role, m.role)))
            lines += [f"• {label}: {', '.join(names)}" for label, names in m.reasons]
        return "\n".join(lines)


@dataclass
class Row:
    location: Location
    label: str
    order: str  # the pattern's start time, then its code
    cells: list[Cell]


@dataclass
class Group:
    kind: LocationKind
    rows: list[Row]


def calendar_days(roster: Roster, first: date, last: date) -> list[Day]:
    calendar = work_calendar(roster.centre)
    lang = "en" if locale_code() == "en" else "vi"
    return [Day(d, calendar.is_weekend(d), calendar.holiday_name(d, lang) if calendar.is_holiday(d) else None,
                calendar.is_tet(d)) for d in days_between(first, last)]


def uncovered_reasons(roster: Roster, names: dict[str, str]) -> dict[tuple[int, str], list[tuple[str, list[str]]]]:
    """(shift id, role) → the solver's explanation, grouped by rule: who each rule kept off the slot."""
    out: dict[tuple[int, str], list[tuple[str, list[str]]]] = {}
    for slot in (roster.solve_report or {}).get("uncovered", []):
        by_rule: dict[str, list[str]] = defaultdict(list)
        for candidate in slot.get("candidates", []):
            for reason in candidate.get("reasons", [])[:1]:  # the first reason is enough for a tooltip
                by_rule[rule_label(reason.get("rule", ""))].append(names.get(candidate["person"], candidate["person"]))
        out[int(slot["shift_id"]), slot["role"]] = sorted(by_rule.items())
    return out


def missing_of(shift: Shift, assigned: list[Assignment],
               reasons: dict[tuple[int, str], list[tuple[str, list[str]]]]) -> list[Missing]:
    """Demand not met now (after any manual edit), with the solver's reasons when it reported the slot."""
    out = []
    for role, need in sorted((shift.demand or {}).items(), key=lambda item: (item[0] != "duty", item[0])):
        have = sum(1 for a in assigned if a.role == role)
        if int(need) > have:
            out.append(Missing(role, int(need) - have, reasons.get((shift.id, role), [])))
    return out


def centre_names(roster: Roster) -> dict[str, str]:
    return {p.code: short_name(p) for p in db.session.scalars(sa.select(Person)
                                                              .where(Person.centre_id == roster.centre_id))}


def month_grid(roster: Roster, first: date, last: date) -> tuple[list[Day], list[Group]]:
    """Rows = the shift patterns with shifts in these days, grouped by location kind; columns = the days."""
    days = calendar_days(roster, first, last)
    index = {d.day: i for i, d in enumerate(days)}
    shifts = list(db.session.scalars(sa.select(Shift).where(Shift.centre_id == roster.centre_id,
                                                            Shift.day >= first, Shift.day <= last)))
    by_shift: dict[int, list[Assignment]] = defaultdict(list)
    for a in roster_assignments(db.session, roster):
        by_shift[a.shift_id].append(a)
    reasons = uncovered_reasons(roster, centre_names(roster))
    rows: dict[int, Row] = {}
    for shift in shifts:
        pattern = shift.pattern
        row = rows.get(pattern.id)
        if row is None:
            label = f"{pattern.name} {pattern.start_time:%H:%M}"
            order = f"{pattern.start_time:%H:%M} {pattern.code}"
            row = rows[pattern.id] = Row(shift.location, label, order, [Cell(d) for d in days])
        assigned = sorted(by_shift.get(shift.id, []), key=lambda a: (a.role != "duty", a.person.full_name))
        row.cells[index[shift.day]] = Cell(days[index[shift.day]], shift, assigned,
                                           missing_of(shift, assigned, reasons))
    groups: dict[LocationKind, list[Row]] = defaultdict(list)
    for row in sorted(rows.values(), key=lambda r: (r.location.name, r.location.id, r.order)):
        groups[row.location.kind].append(row)
    return days, [Group(kind, groups[kind]) for kind in KIND_ORDER if kind in groups]


def shift_cell(roster: Roster, shift: Shift) -> Cell:
    """The grid cell of one shift (after an edit, to swap it in place)."""
    [day] = calendar_days(roster, shift.day, shift.day)
    assigned = sorted((a for a in roster_assignments(db.session, roster) if a.shift_id == shift.id),
                      key=lambda a: (a.role != "duty", a.person.full_name))
    return Cell(day, shift, assigned, missing_of(shift, assigned, uncovered_reasons(roster, centre_names(roster))))
