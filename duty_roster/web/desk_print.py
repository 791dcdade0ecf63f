"""The data of the printed roster (an official document of the centre) and of the one-page list per police station or
court that programme 5789/BTP-BCA asks to post at police premises. Pure reads; the templates lay them out.

These documents are always in Vietnamese, whatever the UI language: their words live in the templates and in
VI_WEEKDAYS below, not in the gettext catalogue.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from duty_roster.models import Assignment, Centre, Location, Role, Roster, Shift, ShiftPattern, User
from duty_roster.rostering.shifts import days, work_calendar

VI_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
KIND_ORDER = {"investigation": 0, "detention": 1, "court": 2, "online_hearing_point": 3}
# "Trung tâm Trợ giúp pháp lý nhà nước thành phố Cần Thơ" -> "thành phố Cần Thơ"; the place line says "Cần Thơ"
_PROVINCE = re.compile(r"\b(tỉnh|thành phố|tp\.?)\s+(.+)$", re.IGNORECASE)
_PLACE = re.compile(r"^(tỉnh|thành phố)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Letterhead:
    """The official header (Nghị định 30/2020 layout) and signature block of the centre's documents."""

    authority: str | None  # "SỞ TƯ PHÁP THÀNH PHỐ CẦN THƠ", or None when the centre data does not say
    centre_name: str
    place: str | None  # "Cần Thơ" for the "Cần Thơ, ngày .. tháng .. năm ...." line
    director: str | None


def letterhead(session: Session, centre: Centre) -> Letterhead:
    """From the centre's settings (`parent_authority`, `province`, `place`, `director_name`) when given, else read
    from its name ("... tỉnh X" / "... thành phố X") and from the director's account."""
    settings = centre.settings or {}
    province = str(settings.get("province") or "").strip()  # e.g. "thành phố Cần Thơ"
    if not province:
        found = _PROVINCE.search(centre.name.strip())
        if found:
            kind = "tỉnh" if found.group(1).lower() == "tỉnh" else "thành phố"
            province = f"{kind} {found.group(2).strip()}"
    authority = str(settings.get("parent_authority") or "").strip() or (f"Sở Tư pháp {province}" if province else "")
    place = str(settings.get("place") or "").strip() or _PLACE.sub("", province).strip()
    director = str(settings.get("director_name") or "").strip() or _director_name(session, centre)
    return Letterhead(
        authority=authority.upper() or None,
        centre_name=centre.name,
        place=place or None,
        director=director or None,
    )


def _director_name(session: Session, centre: Centre) -> str:
    user = session.scalar(
        sa.select(User).where(User.centre_id == centre.id, User.role == Role.DIRECTOR, User.active.is_(True))
        .order_by(User.id).limit(1)
    )
    if user is None:
        return ""
    return (user.person.full_name if user.person else "") or user.full_name or ""


@dataclass(frozen=True)
class Column:
    location: Location
    pattern: ShiftPattern

    @property
    def hours(self) -> str:
        """"07:30–11:30", "07:30–07:30 hôm sau" (local wall-clock time, as the pattern says; always Vietnamese)."""
        start = datetime.combine(date(2000, 1, 1), self.pattern.start_time)
        end = start + timedelta(minutes=self.pattern.duration_minutes)
        return f"{start:%H:%M}–{end:%H:%M}" + (" hôm sau" if end.date() > start.date() else "")


@dataclass
class Row:
    day: date
    weekday: str
    holiday: str | None
    cells: list[list[Assignment] | None] = field(default_factory=list)  # None: no such shift that day


def _period_shifts(session: Session, roster: Roster, location_id: int | None = None) -> list[Shift]:
    query = (sa.select(Shift).where(Shift.centre_id == roster.centre_id, Shift.day >= roster.period_start,
                                    Shift.day <= roster.period_end)
             .options(selectinload(Shift.location), selectinload(Shift.pattern)).order_by(Shift.start_at, Shift.id))
    if location_id is not None:
        query = query.where(Shift.location_id == location_id)
    return list(session.scalars(query))


def _assignments(session: Session, roster: Roster) -> dict[int, list[Assignment]]:
    by_shift: dict[int, list[Assignment]] = defaultdict(list)
    for a in session.scalars(sa.select(Assignment).where(Assignment.roster_id == roster.id)
                             .options(selectinload(Assignment.person))
                             .order_by(Assignment.role.desc(), Assignment.id)):  # "duty" before "assistant"
        by_shift[a.shift_id].append(a)
    return by_shift


def roster_table(session: Session, roster: Roster) -> tuple[list[Column], list[Row]]:
    """Days × (location, shift pattern): who is on duty. Columns are the active locations' shifts of the period and
    any other shift the roster fills (police first, then detention, courts, online-hearing points)."""
    assigned = _assignments(session, roster)
    shifts = [s for s in _period_shifts(session, roster) if s.location.active or s.id in assigned]
    patterns: dict[int, Column] = {}
    for s in shifts:
        patterns.setdefault(s.pattern_id, Column(s.location, s.pattern))
    columns = sorted(patterns.values(), key=lambda c: (KIND_ORDER.get(c.location.kind.value, 9), c.location.code,
                                                        c.pattern.start_time, c.pattern.code))
    by_key = {(s.pattern_id, s.day): s for s in shifts}
    calendar = work_calendar(roster.centre)
    rows = []
    for day in days(roster.period_start, roster.period_end):
        row = Row(day, VI_WEEKDAYS[day.weekday()], calendar.holiday_name(day, "vi") if calendar.is_holiday(day)
                  else None)
        for column in columns:
            shift = by_key.get((column.pattern.id, day))
            row.cells.append(None if shift is None else assigned.get(shift.id, []))
        rows.append(row)
    return columns, rows


@dataclass(frozen=True)
class StationLine:
    shift: Shift
    weekday: str
    duty: list[Assignment]
    assistants: list[Assignment]


def station_list(session: Session, roster: Roster, location: Location) -> list[StationLine]:
    """Each shift of `location` in the period with its duty person(s) and assistant(s), for the police or court."""
    assigned = _assignments(session, roster)
    lines = []
    for shift in _period_shifts(session, roster, location.id):
        people = assigned.get(shift.id, [])
        lines.append(StationLine(shift, VI_WEEKDAYS[shift.day.weekday()],
                                 [a for a in people if a.role != "assistant"],
                                 [a for a in people if a.role == "assistant"]))
    return lines


def roster_locations(session: Session, roster: Roster) -> list[Location]:
    """Locations with at least one shift in the roster's period (for the per-station print links)."""
    seen: dict[int, Location] = {}
    for shift in _period_shifts(session, roster):
        if shift.location.active:
            seen.setdefault(shift.location_id, shift.location)
    return sorted(seen.values(), key=lambda loc: (KIND_ORDER.get(loc.kind.value, 9), loc.code))


def local_zone(centre: Centre) -> ZoneInfo:
    return ZoneInfo(centre.timezone)
