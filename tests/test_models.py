"""The data model on the migrated schema: SQLite always, PostgreSQL too when DUTY_ROSTER_TEST_DATABASE_URL is set."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import scoped_session

from duty_roster.models import (
    Assignment,
    AssignmentSource,
    AuditLog,
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
    Role,
    Roster,
    RosterStatus,
    Shift,
    ShiftPattern,
    Unavailability,
    UnavailabilityReason,
    User,
)
from duty_roster.phones import InvalidPhone

pytestmark = pytest.mark.db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PLUS7 = timezone(timedelta(hours=7))


def make_centre(session: scoped_session) -> dict[str, object]:
    """A small centre with one of everything, built the way the loader will build it."""
    centre = Centre(code="CT", name="Trung tâm Trợ giúp pháp lý nhà nước thành phố Cần Thơ", short_name="TGPL CT")
    head = Branch(code="HO", name="Trụ sở chính", is_head_office=True)
    centre.branches.append(head)
    court = Location(code="TAKV1", name="Tòa án nhân dân khu vực 1 – Cần Thơ", kind=LocationKind.COURT, branch=head)
    centre.locations.append(court)
    morning = ShiftPattern(
        code="court_am",
        name="Buổi sáng",
        duty_type=DutyType.COURT,
        start_time=time(7, 30),
        duration_minutes=240,
        days=PatternDays.WORKING_DAYS,
    )
    court.patterns.append(morning)
    person = Person(code="TGV01", full_name="Nguyễn Văn An", kind=PersonKind.OFFICER, branch=head, phone="0912 345 678")
    centre.people.append(person)
    session.add(centre)
    session.flush()
    day = date(2026, 3, 2)
    start = datetime.combine(day, time(7, 30), tzinfo=HCM)
    shift = Shift(
        centre_id=centre.id,
        location=court,
        pattern=morning,
        day=day,
        start_at=start,
        end_at=start + timedelta(hours=4),
        duty_type=DutyType.COURT,
        demand={"duty": 1},
        sessions=1.0,
    )
    roster = Roster(centre_id=centre.id, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31))
    roster.assignments.append(Assignment(shift=shift, person=person))
    user = User(username="giamdoc", password_hash="x", role=Role.DIRECTOR, centre=centre, person=person)
    session.add_all([shift, roster, user])
    session.flush()
    return {"centre": centre, "branch": head, "location": court, "pattern": morning, "person": person,
            "shift": shift, "roster": roster, "user": user}  # fmt: skip


def test_a_whole_centre_round_trips(session: scoped_session) -> None:
    roster_id = make_centre(session)["roster"].id
    session.commit()
    session.expunge_all()

    centre = session.scalars(sa.select(Centre).where(Centre.code == "CT")).one()
    assert [b.code for b in centre.branches] == ["HO"]
    assert centre.locations[0].kind is LocationKind.COURT
    assert centre.locations[0].patterns[0].start_time == time(7, 30)
    roster = session.get(Roster, roster_id)
    assert roster is not None and roster.status is RosterStatus.DRAFT
    assignment = roster.assignments[0]
    assert assignment.person.full_name == "Nguyễn Văn An"
    assert assignment.source is AssignmentSource.SOLVER
    assert assignment.shift.demand == {"duty": 1}
    assert session.scalars(sa.select(User)).one().centre_id == centre.id


def test_aware_datetimes_come_back_as_the_same_instant_in_utc(session: scoped_session) -> None:
    objs = make_centre(session)
    start = datetime(2026, 3, 2, 19, 0, tzinfo=PLUS7)
    leave = Unavailability(
        person=objs["person"], start_at=start, end_at=start + timedelta(days=2), reason=UnavailabilityReason.SICK
    )
    session.add(leave)
    session.commit()
    leave_id, shift_id = leave.id, objs["shift"].id
    session.expunge_all()

    stored = session.get(Unavailability, leave_id)
    assert stored is not None
    assert stored.start_at == start  # the same instant...
    assert stored.start_at.utcoffset() == timedelta(0)  # ...given back in UTC, aware
    assert stored.start_at.replace(tzinfo=None) == datetime(2026, 3, 2, 12, 0)
    shift = session.get(Shift, shift_id)
    assert shift is not None and shift.start_at.astimezone(HCM).time() == time(7, 30)
    # The raw column holds the UTC wall time, so SQL comparisons across rows written in any zone agree.
    raw = session.execute(sa.text("SELECT start_at FROM unavailability")).scalar_one()
    assert "12:00" in str(raw)


def test_a_naive_datetime_is_refused(session: scoped_session) -> None:
    objs = make_centre(session)
    naive = datetime(2026, 3, 2, 19, 0)
    session.add(
        Unavailability(person=objs["person"], start_at=naive, end_at=naive + timedelta(hours=1), reason="leave")
    )
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_timestamps_are_aware_utc(session: scoped_session) -> None:
    objs = make_centre(session)
    session.commit()
    session.expire_all()
    centre = session.get(Centre, objs["centre"].id)
    assert centre is not None
    assert centre.created_at.tzinfo is not None
    assert abs(centre.created_at - datetime.now(UTC)) < timedelta(minutes=5)


def test_phone_is_stored_as_e164(session: scoped_session) -> None:
    make_centre(session)
    session.commit()
    assert session.execute(sa.text("SELECT phone FROM person")).scalar_one() == "+84912345678"


def test_an_invalid_phone_is_refused_before_it_reaches_the_database() -> None:
    with pytest.raises(InvalidPhone):
        Person(code="X", full_name="X", kind=PersonKind.LAWYER, phone="0123 456 789")


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Branch, {"code": "HO", "name": "Another head office"}),
        (Location, {"code": "TAKV1", "name": "Dup", "kind": LocationKind.COURT}),
        (Person, {"code": "TGV01", "full_name": "Dup", "kind": PersonKind.LAWYER, "phone": "0912345679"}),
    ],
)
def test_codes_are_unique_within_a_centre(session: scoped_session, model: type, values: dict[str, object]) -> None:
    objs = make_centre(session)
    session.commit()
    extra = {} if model is Branch else {"branch_id": objs["branch"].id}
    session.add(model(centre_id=objs["centre"].id, **values, **extra))
    with pytest.raises(IntegrityError):
        session.flush()


def test_the_same_code_is_fine_in_another_centre(session: scoped_session) -> None:
    make_centre(session)
    other = Centre(code="AG", name="Trung tâm TGPL tỉnh An Giang")
    other.branches.append(Branch(code="HO", name="Trụ sở chính"))
    session.add(other)
    session.flush()


def test_one_shift_per_pattern_and_day(session: scoped_session) -> None:
    objs = make_centre(session)
    shift = objs["shift"]
    session.add(
        Shift(
            centre_id=shift.centre_id,
            location_id=shift.location_id,
            pattern_id=shift.pattern_id,
            day=shift.day,
            start_at=shift.start_at,
            end_at=shift.end_at,
            duty_type=DutyType.COURT,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_a_person_is_assigned_once_per_shift_in_a_roster(session: scoped_session) -> None:
    objs = make_centre(session)
    session.add(Assignment(roster=objs["roster"], shift=objs["shift"], person=objs["person"], role="assistant"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_holiday_override_is_unique_per_centre_and_day(session: scoped_session) -> None:
    objs = make_centre(session)
    centre = objs["centre"]
    centre.holiday_overrides.append(HolidayOverride(day=date(2026, 2, 14), kind=HolidayKind.WORKING_DAY))
    session.flush()
    session.add(HolidayOverride(centre_id=centre.id, day=date(2026, 2, 14), kind=HolidayKind.DAY_OFF))
    with pytest.raises(IntegrityError):
        session.flush()


def test_check_constraints_hold_in_the_database(session: scoped_session) -> None:
    """Enum CHECKs and the end-after-start CHECK are in the schema, not only in Python."""
    make_centre(session)
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(sa.text("UPDATE location SET kind = 'moon_base'"))
    session.rollback()
    with pytest.raises(IntegrityError):
        session.execute(sa.text("UPDATE shift SET end_at = start_at"))
    session.rollback()


def test_foreign_keys_are_enforced(session: scoped_session) -> None:
    session.add(Branch(centre_id=999_999, code="HO", name="Nowhere"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_deleting_a_centre_cascades_in_the_database(session: scoped_session) -> None:
    """ON DELETE CASCADE works on both databases (SQLite needs the foreign_keys pragma for it)."""
    objs = make_centre(session)
    session.add(AuditLog(centre_id=objs["centre"].id, action="centre.load"))
    session.commit()
    session.execute(sa.delete(Centre))
    session.commit()
    for model in (Branch, Location, ShiftPattern, Person, Shift, Roster, Assignment, AuditLog, User):
        assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0, model.__name__


def test_deleting_a_person_through_the_orm_removes_their_leave(session: scoped_session) -> None:
    objs = make_centre(session)
    person = objs["person"]
    person.unavailability.append(
        Unavailability(
            start_at=datetime(2026, 3, 2, tzinfo=HCM), end_at=datetime(2026, 3, 3, tzinfo=HCM), reason="leave"
        )
    )
    session.commit()
    session.delete(person)
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(Unavailability)) == 0
    assert session.scalars(sa.select(User)).one().person_id is None  # ON DELETE SET NULL
