"""Materialise the shifts (ca trực) of a period from the locations' shift patterns.

A shift row is keyed by (pattern, day) and updated in place, so the same slot keeps its id — and its calendar UID —
across drafts and published versions.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from duty_roster.models import Centre, Location, PatternDays, Shift, ShiftPattern
from duty_roster.solver.sessions import count_sessions
from duty_roster.workdays import WorkCalendar


def work_calendar(centre: Centre) -> WorkCalendar:
    """The national calendar with this centre's announced overrides."""
    return WorkCalendar((o.day, o.kind.value, o.name) for o in centre.holiday_overrides)


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def pattern_applies(pattern: ShiftPattern, day: date, calendar: WorkCalendar) -> bool:
    if pattern.valid_from and day < pattern.valid_from:
        return False
    if pattern.valid_to and day > pattern.valid_to:
        return False
    if pattern.weekdays is not None and day.weekday() not in pattern.weekdays:
        return False
    if pattern.days is PatternDays.WORKING_DAYS:
        return calendar.is_working_day(day)
    return True


def materialise_shifts(session: Session, centre: Centre, start: date, end: date) -> list[Shift]:
    """Create or update the shift rows the centre's active patterns need from `start` to `end` (inclusive)."""
    tz = ZoneInfo(centre.timezone)
    calendar = work_calendar(centre)
    locations = session.scalars(
        sa.select(Location)
        .where(Location.centre_id == centre.id, Location.active.is_(True))
        .options(selectinload(Location.patterns))
        .order_by(Location.code)
    ).all()
    pattern_ids = [p.id for loc in locations for p in loc.patterns]
    existing = {
        (s.pattern_id, s.day): s
        for s in session.scalars(
            sa.select(Shift).where(Shift.pattern_id.in_(pattern_ids), Shift.day >= start, Shift.day <= end)
        )
    }
    result: list[Shift] = []
    for location in locations:
        for pattern in sorted(location.patterns, key=lambda p: (p.start_time, p.code)):
            for day in days(start, end):
                if not pattern_applies(pattern, day, calendar):
                    continue
                is_holiday = calendar.is_holiday(day)
                is_tet = calendar.is_tet(day)
                begins = datetime.combine(day, pattern.start_time, tzinfo=tz)
                duration = timedelta(minutes=pattern.duration_minutes)
                demand = pattern.holiday_demand if (is_holiday and pattern.holiday_demand) else pattern.demand
                values = {
                    "centre_id": centre.id,
                    "location_id": location.id,
                    "start_at": begins,
                    "end_at": begins + duration,
                    "duty_type": pattern.duty_type,
                    "demand": dict(demand),
                    "required_skills": sorted(pattern.required_skills),
                    "required_languages": sorted(pattern.required_languages),
                    "is_night": pattern.is_night,
                    "is_weekend": day.weekday() >= 5,
                    "is_holiday": is_holiday,
                    "is_tet": is_tet,
                    "sessions": count_sessions(duration),
                }
                shift = existing.get((pattern.id, day))
                if shift is None:
                    shift = Shift(pattern_id=pattern.id, day=day, **values)
                    session.add(shift)
                else:
                    for key, value in values.items():
                        if getattr(shift, key) != value:
                            setattr(shift, key, value)
                result.append(shift)
    session.flush()
    return result
