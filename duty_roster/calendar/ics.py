"""Render plain feed data as iCalendar bytes (icalendar 7.3), deterministically: the same data gives the same bytes,
so an ETag over the body is meaningful and calendar apps polling an unchanged feed see nothing new.

Traps handled (docs: stack.md §2): `Calendar.new()` / `Event.new()` invent a random UID and stamp DTSTAMP with the
current time unless given both; REFRESH-INTERVAL needs the VALUE=DURATION parameter icalendar omits; X-PUBLISHED-TTL
must be a vDuration (a bare timedelta serialises as "1:00:00"). VTIMEZONE comes from `add_missing_timezones()`:
without it ical.js and others read local times as floating, 7 hours off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from icalendar import STATUS, Alarm, Calendar, Event, Timezone, vDuration, vText
from icalendar.parser import Contentline

PRODID = "-//duty-roster//Lich truc TGPL//VI"
_PLAIN = re.compile(r"[^\\;,\r\n]*")  # TEXT that needs no escaping


@dataclass(frozen=True)
class FeedMeta:
    uid: str  # stable per feed: "feed-location-7@host"
    name: str  # NAME / X-WR-CALNAME
    description: str
    timezone: str  # IANA zone the events are written in (Asia/Ho_Chi_Minh)
    refresh: timedelta  # REFRESH-INTERVAL and X-PUBLISHED-TTL
    last_modified: datetime | None = None


class FeedEvent(NamedTuple):
    """One VEVENT. A NamedTuple rather than a frozen dataclass: a year's feed creates a thousand of them per build,
    and frozen dataclasses pay a setattr per field."""

    uid: str
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    description: str
    location: str
    sequence: int
    stamp: datetime  # DTSTAMP: from the data (a publication time), never the request time
    last_modified: datetime
    cancelled: bool = False
    alarm_minutes: int | None = None  # a display reminder this many minutes before the start


def _utc(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo("UTC")).replace(microsecond=0)


@lru_cache(maxsize=4096)
def _utc_text(value: datetime) -> str:
    """DTSTAMP / LAST-MODIFIED text: a handful of publication times repeat across a feed's events."""
    return _utc(value).strftime("%Y%m%dT%H%M%SZ")


def event_component(ev: FeedEvent, tz: ZoneInfo) -> Event:
    """The VEVENT through icalendar's component API: the reference `event_bytes` is tested against."""
    component = Event.new(
        uid=ev.uid,
        stamp=_utc(ev.stamp),
        last_modified=_utc(ev.last_modified),
        start=ev.start.astimezone(tz),
        end=ev.end.astimezone(tz),
        summary=ev.summary,
        description=ev.description or None,
        location=ev.location or None,
        sequence=ev.sequence,
        status=STATUS.CANCELLED if ev.cancelled else STATUS.CONFIRMED,
    )
    if ev.alarm_minutes is not None and not ev.cancelled:
        alarm = Alarm.new(description=f"Nhắc lịch trực: {ev.summary}")
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", timedelta(minutes=-ev.alarm_minutes))
        component.add_component(alarm)
    return component


def _line(name: str, value: str) -> str:
    line = f"{name}:{value}"
    if (len(line) < 75 and line.isascii()) or len(line.encode()) < 75:  # icalendar folds 75+ octets only
        return line + "\r\n"
    return _folded(line)


@lru_cache(maxsize=8192)
def _text_line(name: str, text: str) -> str:
    """A TEXT property, escaped and folded: summaries, descriptions and places repeat across a feed's events."""
    return _line(name, escape_char(text))


@lru_cache(maxsize=8192)
def _folded(line: str) -> str:
    """Long lines (descriptions, names) repeat across a feed's events: fold each once (folding is per character)."""
    return Contentline(line).to_ical().decode() + "\r\n"


def escape_char(text: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11) exactly as icalendar writes it."""
    return vText(text).to_ical().decode()


def _local(value: datetime, tz: ZoneInfo) -> str:
    t = value.astimezone(tz)  # formatted by hand: strftime costs several times more, twice per event
    return f"{t.year:04d}{t.month:02d}{t.day:02d}T{t.hour:02d}{t.minute:02d}{t.second:02d}"


def event_bytes(ev: FeedEvent, tz: ZoneInfo) -> bytes:
    """The VEVENT as `event_component(ev, tz).to_ical()` writes it, byte for byte (a test holds the two together),
    without building the component tree: icalendar's component API costs ~0.25 ms per event, which would put a
    year of a location (~1,100 events) far over the 50 ms budget. Escaping and folding are icalendar's own (vText,
    Contentline)."""
    zone = tz.key
    parts = [
        "BEGIN:VEVENT\r\n",
        _text_line("SUMMARY", ev.summary),
        _line(f"DTSTART;TZID={zone}", _local(ev.start, tz)),
        _line(f"DTEND;TZID={zone}", _local(ev.end, tz)),
        _line("DTSTAMP", _utc_text(ev.stamp)),
        _line("UID", ev.uid if _PLAIN.fullmatch(ev.uid) else escape_char(ev.uid)),
        _line("SEQUENCE", str(ev.sequence)),
    ]
    if ev.description:
        parts.append(_text_line("DESCRIPTION", ev.description))
    parts.append(_line("LAST-MODIFIED", _utc_text(ev.last_modified)))
    if ev.location:
        parts.append(_text_line("LOCATION", ev.location))
    parts.append(_line("STATUS", "CANCELLED" if ev.cancelled else "CONFIRMED"))
    if ev.alarm_minutes is not None and not ev.cancelled:
        trigger = vDuration(timedelta(minutes=-ev.alarm_minutes)).to_ical().decode()
        parts += [
            "BEGIN:VALARM\r\n",
            _line("ACTION", "DISPLAY"),
            _text_line("DESCRIPTION", f"Nhắc lịch trực: {ev.summary}"),
            _line("TRIGGER", trigger),
            "END:VALARM\r\n",
        ]
    parts.append("END:VEVENT\r\n")
    return "".join(parts).encode()


def calendar_shell(meta: FeedMeta) -> Calendar:
    """The VCALENDAR properties, without VTIMEZONE or events."""
    cal = Calendar.new(
        prodid=PRODID,
        uid=meta.uid,
        name=meta.name,
        description=meta.description,
        refresh_interval=meta.refresh,
        method="PUBLISH",
        calscale="GREGORIAN",
        last_modified=_utc(meta.last_modified) if meta.last_modified else None,
    )
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # RFC 7986 requires it; icalendar omits it
    cal.add("X-PUBLISHED-TTL", vDuration(meta.refresh))  # a bare timedelta would serialise as "1:00:00"
    cal.add("X-WR-TIMEZONE", meta.timezone)
    return cal


@lru_cache(maxsize=16)
def vtimezone(tzid: str) -> bytes:
    """What add_missing_timezones() adds for events in `tzid` (1970-2038 from zoneinfo). Building it costs ~60 ms,
    and it never changes while the process runs, so it is built once per zone."""
    return Timezone.from_tzid(tzid).to_ical()


def render(meta: FeedMeta, events: Iterable[FeedEvent]) -> bytes:
    """The VCALENDAR: properties, VTIMEZONE, then one VEVENT per event in the given order."""
    tz = ZoneInfo(meta.timezone)
    shell = calendar_shell(meta).to_ical()
    end = b"END:VCALENDAR\r\n"
    assert shell.endswith(end)
    return b"".join([shell[: -len(end)], vtimezone(meta.timezone), *(event_bytes(ev, tz) for ev in events), end])


def render_with_components(meta: FeedMeta, events: Iterable[FeedEvent]) -> bytes:
    """The same calendar with its events added through icalendar's component API and add_missing_timezones()
    (the reference that `render`'s hand-written events and cached VTIMEZONE are tested against)."""
    tz = ZoneInfo(meta.timezone)
    cal = calendar_shell(meta)
    for ev in events:
        cal.add_component(event_component(ev, tz))
    cal.add_missing_timezones()
    return cal.to_ical()
