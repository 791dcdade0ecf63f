"""Generate -> publish -> repair through the rostering use cases, on a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

from duty_roster.models import (
    AuditLog,
    Centre,
    Person,
    Roster,
    RosterStatus,
    Shift,
    Unavailability,
    UnavailabilityReason,
)
from duty_roster.rostering.drafts import generate_draft
from duty_roster.rostering.errors import RosteringError
from duty_roster.rostering.problem_builder import build_problem
from duty_roster.rostering.publish import publish
from duty_roster.rostering.repair import repair_draft
from duty_roster.rostering.shifts import materialise_shifts
from duty_roster.solver.problem import Assignment as SolverAssignment
from duty_roster.solver.validate import validate
from tests.rostering.centre import covered_centre
from tests.rostering.conftest import load

pytestmark = pytest.mark.db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = (date(2026, 12, 7), date(2026, 12, 13))  # Monday .. Sunday, no holiday
BEFORE = datetime(2026, 11, 20, 9, 0, tzinfo=HCM)  # well before the period: nothing is past, publication on time


def generate(session: scoped_session, centre: Centre, period: tuple[date, date] = WEEK, **kw: object) -> Roster:
    options: dict = {"time_limit": 2.0, "workers": 2, "max_days": 92, "now": BEFORE, **kw}
    roster = generate_draft(session, centre, *period, **options)
    session.commit()
    return roster


def keys(roster: Roster) -> set[tuple[str, int, str]]:
    return {(a.person.code, a.shift_id, a.role) for a in roster.assignments}


def test_generated_draft_covers_every_slot_and_breaks_no_rule(session: scoped_session, centre: Centre) -> None:
    roster = generate(session, centre)

    assert roster.status is RosterStatus.DRAFT and roster.version is None
    shifts = session.scalars(sa.select(Shift).where(Shift.centre_id == centre.id)).all()
    # Court on Tuesday and Thursday, morning and afternoon; the police line every day with a duty person and an
    # assistant.
    assert len(shifts) == 4 + 7
    assert len(roster.assignments) == 4 + 7 * 2
    assert roster.solve_report["uncovered"] == []
    assert roster.solve_report["status"] in {"optimal", "feasible"}
    built = build_problem(session, centre, *WEEK, now=BEFORE)
    solver_view = [SolverAssignment(a.person.code, str(a.shift_id), a.role) for a in roster.assignments]
    assert validate(built.problem, solver_view) == []
    assistants = {a.person.code for a in roster.assignments if a.role == "assistant"}
    assert assistants <= {"A1", "A2", "A3"}
    assert session.scalar(sa.select(AuditLog.action).where(AuditLog.entity_id == str(roster.id))) == "roster.generate"


def test_shifts_keep_their_ids_when_materialised_again(session: scoped_session, centre: Centre) -> None:
    first = {(s.pattern_id, s.day): s.id for s in materialise_shifts(session, centre, *WEEK)}
    session.commit()
    again = {(s.pattern_id, s.day): s.id for s in materialise_shifts(session, centre, *WEEK)}
    assert first == again


def test_tet_shifts_use_the_holiday_demand_and_courts_close(session: scoped_session, centre: Centre) -> None:
    # Tết 2027: 4-10 February (29th, eve and the days of Tết) are public holidays.
    shifts = materialise_shifts(session, centre, date(2027, 2, 8), date(2027, 2, 12))
    by_day = {(s.day, s.location.code): s for s in shifts}
    assert (date(2027, 2, 9), "COURT") not in by_day  # a Tuesday inside Tết: no court session
    on_call = by_day[date(2027, 2, 9), "POLICE"]
    assert on_call.is_tet and on_call.is_holiday
    assert on_call.demand == {"duty": 2, "assistant": 1}
    assert by_day[date(2027, 2, 11), "COURT"].is_tet is False  # Thursday after Tết: court again
    assert by_day[date(2027, 2, 11), "POLICE"].demand == {"duty": 1, "assistant": 1}
    # 24 h on-call: 07:30 to 07:30 the next day, local time, stored in UTC.
    assert on_call.start_at == datetime(2027, 2, 9, 0, 30, tzinfo=UTC)
    assert on_call.end_at - on_call.start_at == timedelta(hours=24)
    assert on_call.sessions == 6


def test_a_saturday_made_a_working_day_gets_court_sessions(session: scoped_session) -> None:
    data = covered_centre()
    for pattern in data["locations"][0]["shifts"]:
        pattern.pop("weekdays")  # the court sits on every working day
    data["holiday_overrides"] = [{"day": "2026-12-12", "kind": "working_day", "name": "Làm bù"}]
    centre = load(session, data)
    days = {s.day for s in materialise_shifts(session, centre, *WEEK) if s.location.code == "COURT"}
    assert days == {date(2026, 12, d) for d in (7, 8, 9, 10, 11, 12)}  # Monday..Friday and the Saturday


def test_publish_supersedes_the_previous_version_and_lists_changes(session: scoped_session, centre: Centre) -> None:
    first = generate(session, centre)
    result = publish(session, first, now=BEFORE)
    session.commit()
    assert (first.status, first.version, result.superseded, result.changes) == (RosterStatus.PUBLISHED, 1, None, ())
    assert result.late_warning is None

    second = generate(session, centre, seed=7)
    # Make the second draft differ by one assignment, as a coordinator's edit would.
    moved = next(a for a in second.assignments if a.role == "duty" and a.shift.location.code == "COURT")
    old_person = moved.person
    replacement = session.scalar(
        sa.select(Person).where(Person.code.not_in({a.person.code for a in second.assignments
                                                    if a.shift_id == moved.shift_id}), Person.kind != "assistant")
        .order_by(Person.code)
    )
    moved.person = replacement
    session.commit()
    result = publish(session, second, now=BEFORE)
    session.commit()

    assert second.version == 2 and second.status is RosterStatus.PUBLISHED
    assert first.status is RosterStatus.SUPERSEDED and first.superseded_at is not None
    published = session.scalars(sa.select(Roster).where(Roster.status == RosterStatus.PUBLISHED)).all()
    assert [r.id for r in published] == [second.id]
    changed = {(c.change, c.person_id, c.shift_id) for c in result.changes}
    expected_diff = keys(first) ^ keys(second)
    assert len(changed) == len(expected_diff)
    assert ("added", replacement.id, moved.shift_id) in changed
    if (old_person.code, moved.shift_id, "duty") in keys(first):
        assert ("removed", old_person.id, moved.shift_id) in changed


def test_publishing_late_warns_with_the_deadline(session: scoped_session, centre: Centre) -> None:
    roster = generate(session, centre)
    late = datetime(2026, 12, 3, 9, 0, tzinfo=HCM)  # Thursday before a Monday start: 2 working days' notice
    result = publish(session, roster, now=late)
    assert result.deadline == date(2026, 11, 30)  # 5 working days before Monday 7 December
    assert result.late_warning is not None and "5789" in result.late_warning


def test_only_a_draft_can_be_published(session: scoped_session, centre: Centre) -> None:
    roster = generate(session, centre)
    publish(session, roster, now=BEFORE)
    session.commit()
    with pytest.raises(RosteringError, match="only a draft"):
        publish(session, roster, now=BEFORE)


def test_an_overlapping_period_with_other_dates_is_refused(session: scoped_session, centre: Centre) -> None:
    publish(session, generate(session, centre), now=BEFORE)
    session.commit()
    other = generate(session, centre, period=(date(2026, 12, 10), date(2026, 12, 16)))
    with pytest.raises(RosteringError, match="overlaps published roster"):
        publish(session, other, now=BEFORE)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 12, 13), date(2026, 12, 7), "ends .* before it starts"),
        (date(2026, 1, 1), date(2026, 12, 31), "at most 92"),
    ],
)
def test_bad_periods_are_refused_before_solving(
    session: scoped_session, centre: Centre, start: date, end: date, message: str
) -> None:
    with pytest.raises(RosteringError, match=message):
        generate(session, centre, period=(start, end))
    assert session.scalar(sa.select(sa.func.count()).select_from(Roster)) == 0


def sick(session: scoped_session, code: str, start: datetime, end: datetime) -> Person:
    person = session.scalar(sa.select(Person).where(Person.code == code))
    session.add(Unavailability(person=person, start_at=start, end_at=end, reason=UnavailabilityReason.SICK))
    session.commit()
    return person


def test_repair_changes_only_the_sick_persons_shifts(session: scoped_session, centre: Centre) -> None:
    published = generate(session, centre)
    publish(session, published, now=BEFORE)
    session.commit()
    start, end = datetime(2026, 12, 8, 0, 0, tzinfo=HCM), datetime(2026, 12, 11, 0, 0, tzinfo=HCM)
    victim = max(
        {a.person for a in published.assignments if a.role == "duty"},
        key=lambda p: sum(1 for a in published.assignments if a.person == p and a.shift.start_at < end
                          and a.shift.end_at > start),
    )
    lost = {
        (a.person.code, a.shift_id, a.role)
        for a in published.assignments
        if a.person == victim and a.shift.start_at < end and a.shift.end_at > start
    }
    assert lost, "the test needs the sick person to have shifts in the sick days"
    sick(session, victim.code, start, end)

    draft = repair_draft(session, published, time_limit=2.0, workers=2, now=BEFORE)
    session.commit()

    assert draft.status is RosterStatus.DRAFT and draft.based_on_id == published.id
    assert draft.solve_report["uncovered"] == []
    removed = keys(published) - keys(draft)
    assert removed == lost  # nobody else loses a shift
    assert len(keys(draft) - keys(published)) == len(lost)  # one replacement per lost assignment
    assert draft.solve_report["changes"] == 2 * len(lost)


def test_repair_keeps_shifts_that_have_started(session: scoped_session, centre: Centre) -> None:
    published = generate(session, centre)
    publish(session, published, now=BEFORE)
    session.commit()
    now = datetime(2026, 12, 10, 12, 0, tzinfo=HCM)
    on_call = sorted(
        (a for a in published.assignments if a.role == "duty" and a.shift.location.code == "POLICE"),
        key=lambda a: a.shift.start_at,
    )
    past = next(a for a in on_call if a.shift.start_at <= now < a.shift.end_at)  # under way at `now`
    sick(session, past.person.code, datetime(2026, 12, 10, 0, 0, tzinfo=HCM), datetime(2026, 12, 13, 0, 0, tzinfo=HCM))

    draft = repair_draft(session, published, time_limit=2.0, workers=2, now=now)
    session.commit()

    kept = {(a.person.code, a.shift_id) for a in draft.assignments if a.locked}
    assert (past.person.code, past.shift_id) in kept  # the shift under way stays with them
    before_now = {k for k in keys(published) if session.get(Shift, k[1]).start_at <= now}
    assert before_now <= keys(draft)
    future_of_victim = [
        a for a in draft.assignments
        if a.person.code == past.person.code and a.shift.start_at > now
        and a.shift.start_at < datetime(2026, 12, 13, 0, 0, tzinfo=HCM)
    ]
    assert future_of_victim == []


def test_only_a_published_roster_can_be_repaired(session: scoped_session, centre: Centre) -> None:
    draft = generate(session, centre)
    with pytest.raises(RosteringError, match="only a published roster"):
        repair_draft(session, draft, time_limit=1.0, workers=1, now=BEFORE)
