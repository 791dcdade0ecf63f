"""Shift reminders: parse the rules ("18:00-1d, 1h") and queue the reminders that are due, once each.

A scheduler calls `enqueue_due_reminders` every minute. A reminder is due when its time lies in (now - GRACE, now]:
a tick that runs late or a scheduler back from an outage of up to GRACE still sends it, a reminder older than that
is dropped (a stale "tomorrow at 07:30" arriving at 23:00 helps nobody), and a reminder is never sent once its shift
has started. The idempotency key names the shift, person, rule and start, not the assignment row: a republished
version copies assignments into new rows, and the person must not be reminded twice for the same shift.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from duty_roster.config import _reminders as validate_reminders
from duty_roster.models import Assignment, Centre, Person, Roster, RosterStatus, Shift
from duty_roster.notify import texts
from duty_roster.notify.quiet import hold_until

log = logging.getLogger(__name__)

GRACE = timedelta(hours=2)  # how late a reminder may still go out (scheduler outage, slow tick)


@dataclass(frozen=True)
class ReminderRule:
    """"18:00-1d": at 18:00 local time one day before the shift's day; "1h" / "90m": that long before the start."""

    text: str
    at: time | None = None
    days: int = 0
    before: timedelta | None = None

    def due(self, shift: Shift, tz: ZoneInfo) -> datetime:
        """When this rule reminds of `shift` (aware UTC-comparable datetime)."""
        if self.before is not None:
            return shift.start_at - self.before
        assert self.at is not None
        day: date = shift.day - timedelta(days=self.days)
        return datetime.combine(day, self.at, tzinfo=tz)

    @property
    def lead(self) -> timedelta:
        """The longest time this rule can fire before a shift starts (to bound the query)."""
        return self.before if self.before is not None else timedelta(days=self.days + 1)


def parse_reminders(text: str | None) -> list[ReminderRule]:
    """Parse "18:00-1d, 1h, 90m" (empty or None = no reminders). Raises ValueError with a readable message (the
    same check as the SMS_REMINDERS setting)."""
    if text is None or not text.strip():
        return []
    rules: list[ReminderRule] = []
    for item in validate_reminders(text).split(", "):
        clock = re.fullmatch(r"(\d{1,2}):(\d\d)-(\d)d", item)
        if clock:
            rule = ReminderRule(f"{int(clock[1]):02d}:{clock[2]}-{clock[3]}d", at=time(int(clock[1]), int(clock[2])),
                                days=int(clock[3]))
        else:
            amount, unit = int(item[:-1]), item[-1]
            rule = ReminderRule(item, before=timedelta(hours=amount) if unit == "h" else timedelta(minutes=amount))
        if rule not in rules:
            rules.append(rule)
    return rules


def rules_for(person: Person, centre: Centre, default: str) -> list[ReminderRule]:
    """The person's own rules, else the centre's `settings["sms_reminders"]`, else the SMS_REMINDERS setting."""
    for source in (getattr(person, "reminder_offsets", None), (centre.settings or {}).get("sms_reminders")):
        if isinstance(source, str):
            try:
                return parse_reminders(source)
            except ValueError as exc:  # validated on input; a bad stored value must not stop everyone's reminders
                log.warning("ignoring bad reminder rules of person %s / centre %s: %s", person.id, centre.code, exc)
    return parse_reminders(default)


def _partner(assignment: Assignment, siblings: Iterable[Assignment]) -> Assignment | None:
    """On an on-call shift: the duty assistant for the duty person, the duty person for the assistant."""
    wanted = "duty" if assignment.role == "assistant" else "assistant"
    return next((a for a in siblings if a.role == wanted and a.person_id != assignment.person_id), None)


def reminder_body(assignment: Assignment, siblings: Iterable[Assignment], *, ascii: bool) -> str:
    shift, person, centre = assignment.shift, assignment.person, assignment.roster.centre
    item = texts.ShiftItem.of(shift, assignment.role, ZoneInfo(centre.timezone))
    partner = _partner(assignment, siblings) if item.on_call else None
    return texts.render_reminder(
        lang=texts.language(person), ascii=ascii, centre=centre, item=item,
        partner_name=partner.person.full_name if partner else None, partner_phone=partner.person.phone if partner
        else None, ask_confirm=assignment.confirmed_at is None,
    )


def reminder_key(assignment: Assignment, rule: ReminderRule) -> str:
    return (f"reminder:{assignment.shift_id}:{assignment.person_id}:{rule.text}:"
            f"{assignment.shift.start_at.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%MZ}")


def enqueue_due_reminders(
    session: Session, *, now: datetime, default_rules: str | None = None, quiet_hours: str | None = None,
    grace: timedelta = GRACE,
) -> int:
    """Queue every reminder due in (now - grace, now] for the current published rosters; returns how many were
    queued (an already queued one is not counted again). Runs in the caller's transaction; never commits."""
    from duty_roster.notify.announce import app_settings
    from duty_roster.notify.outbox import enqueue

    settings = app_settings()
    default = settings.SMS_REMINDERS if default_rules is None else default_rules
    quiet_default = settings.SMS_QUIET_HOURS if quiet_hours is None else quiet_hours
    texts_of = {default} | set(session.scalars(sa.select(Person.reminder_offsets).distinct()).all())
    texts_of |= {c.get("sms_reminders") for c in session.scalars(sa.select(Centre.settings)) if c}
    lead = timedelta(0)
    for text in texts_of:
        if isinstance(text, str):
            try:
                lead = max([lead, *(r.lead for r in parse_reminders(text))])
            except ValueError:
                continue
    if lead == timedelta(0):
        return 0
    rows = session.scalars(
        sa.select(Assignment)
        .join(Roster, Assignment.roster_id == Roster.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(Roster.status == RosterStatus.PUBLISHED, Assignment.declined_at.is_(None),
               Shift.start_at > now, Shift.start_at <= now + lead + grace)
        .options(joinedload(Assignment.shift).joinedload(Shift.location), joinedload(Assignment.person),
                 joinedload(Assignment.roster).joinedload(Roster.centre))
        .order_by(Shift.start_at, Assignment.id)
    ).unique().all()
    queued = 0
    for assignment in rows:
        roster, person, shift = assignment.roster, assignment.person, assignment.shift
        centre = roster.centre
        tz = ZoneInfo(centre.timezone)
        rules = rules_for(person, centre, default)
        past = [r.due(shift, tz) for r in rules if r.due(shift, tz) <= now]
        # Only the latest rule already due counts: after an outage, "18:00-1d" and "1h" never both go out.
        due_rules = [r for r in rules if past and r.due(shift, tz) == max(past) and now - grace < max(past)]
        # A reminder older than the version's publication is covered by the publication / change notice itself.
        due_rules = [r for r in due_rules if roster.published_at is None or r.due(shift, tz) >= roster.published_at]
        if not due_rules:
            continue
        siblings = [a for a in roster.assignments if a.shift_id == shift.id and a is not assignment]
        body = reminder_body(assignment, siblings, ascii=texts.wants_ascii(person, centre, settings.SMS_ASCII))
        quiet = (centre.settings or {}).get("sms_quiet_hours", quiet_default)
        urgent = bool(shift.is_night)  # night / on-call shifts: the reminder is the point, never held
        not_before = hold_until(now, tz, quiet if isinstance(quiet, str) else quiet_default, urgent)
        if not_before is not None and not_before >= shift.start_at:
            urgent, not_before = True, None  # held past the start it would be useless: send now
        for rule in due_rules:
            if enqueue(session, centre=centre, key=reminder_key(assignment, rule), kind="reminder", body=body,
                       person=person, urgent=urgent, not_before=not_before) is not None:
                queued += 1
    return queued
