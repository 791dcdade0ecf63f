"""The director's desk: who may open which page, the dashboard's coverage and deadline, generation requests (bad ones
write nothing), publication through the preview (director only, CSRF-protected), repair of a declined shift, and the
official print views. Rosters are built by hand (no solver) except in the repair test (1 s, three days)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session
from werkzeug.security import generate_password_hash

from duty_roster import accounts
from duty_roster.models import (
    Assignment,
    AssignmentSource,
    Centre,
    JobStatus,
    Location,
    Person,
    Roster,
    RosterStatus,
    SolveJob,
    utcnow,
)
from duty_roster.rostering.publish import publish
from duty_roster.rostering.shifts import materialise_shifts
from duty_roster.web import desk_dashboard, desk_print
from duty_roster.web.desk import next_month, parse_day
from tests.web.conftest import csrf
from tests.web.world import build_world

Login = Callable[[str], FlaskClient]


@pytest.fixture
def world(session: scoped_session, monkeypatch: pytest.MonkeyPatch) -> Centre:
    """tests/web's world, with cheap password hashes (scrypt costs seconds per account on a busy machine)."""
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"))
    return build_world(session)


@pytest.fixture(autouse=True)
def _no_job_thread(app: Flask) -> None:
    """Queued jobs stay queued (no embedded runner thread); a repair may search for 1 s at most."""
    app.config["SETTINGS"] = dataclasses.replace(app.config["SETTINGS"], JOB_RUNNER="worker", SOLVER_TIME_LIMIT=1.0,
                                                 SOLVER_WORKERS=2)


def people(session: scoped_session, centre: Centre, prefix: str) -> list[Person]:
    return list(session.scalars(sa.select(Person).where(Person.centre_id == centre.id, Person.code.startswith(prefix))
                                .order_by(Person.code)))


def hand_roster(session: scoped_session, centre: Centre, start: date, end: date, *, shift_people: int = 0,
                published: bool = False) -> Roster:
    """Every slot filled round-robin (duty: D1…, assistant: A1…), people rotated by `shift_people`; commits."""
    duty, helpers = people(session, centre, "D"), people(session, centre, "A")
    roster = Roster(centre_id=centre.id, period_start=start, period_end=end, status=RosterStatus.DRAFT)
    rows, i = [], shift_people
    for shift in materialise_shifts(session, centre, start, end):
        for role, count in shift.demand.items():
            pool = helpers if role == "assistant" else duty
            for _ in range(int(count)):
                rows.append(Assignment(shift=shift, person=pool[i % len(pool)], role=role,
                                       source=AssignmentSource.MANUAL))
                i += 1
    roster.assignments = rows
    session.add(roster)
    session.flush()
    if published:
        publish(session, roster, notice_working_days=0)
    session.commit()
    return roster


def period() -> tuple[date, date]:
    start, _ = next_month(utcnow().date())
    return start, start + timedelta(days=6)


def police(session: scoped_session, centre: Centre) -> Location:
    return session.scalars(sa.select(Location).where(Location.centre_id == centre.id, Location.code == "POLICE")).one()


def text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined]


# -- access ------------------------------------------------------------------------------------------------------


def test_every_page_renders_for_the_director(session: scoped_session, world: Centre, logged_in: Login) -> None:
    draft = hand_roster(session, world, *period())
    job = SolveJob(centre_id=world.id, params={"start": "2027-03-01", "end": "2027-03-31", "time_limit": 2})
    session.add(job)
    session.commit()
    client = logged_in("giamdoc")
    for lang, heading in (("vi", "<h1>Điều phối</h1>"), ("en", "<h1>Desk</h1>")):
        for path in ("/desk", "/desk/generate", f"/desk/jobs/{job.id}", f"/desk/rosters/{draft.id}/publish",
                     f"/desk/rosters/{draft.id}/print",
                     f"/desk/rosters/{draft.id}/print/locations/{police(session, world).id}"):
            response = client.get(f"{path}?lang={lang}")
            assert response.status_code == 200, (path, lang)
            if path == "/desk":
                assert heading in text(response)


def test_a_failed_job_shows_its_reason(session: scoped_session, world: Centre, logged_in: Login) -> None:
    job = SolveJob(centre_id=world.id, status=JobStatus.FAILED, error="Không có ca trực nào / no shifts",
                   params={"start": "2027-03-01", "end": "2027-03-02", "time_limit": 1})
    session.add(job)
    session.commit()
    page = text(logged_in("dieuphoi").get(f"/desk/jobs/{job.id}"))
    assert 'data-state="failed"' in page and "Không có ca trực nào / no shifts" in page
    assert "Lập lịch không thành công" in page and 'id="job-again"' in page
    assert 'id="job-again" hidden' not in page and 'id="job-done" hidden' in page


@pytest.mark.parametrize("username", ["trogiupvien", "lienlac"])
def test_officers_and_liaisons_are_refused(session: scoped_session, world: Centre, logged_in: Login,
                                           username: str) -> None:
    draft = hand_roster(session, world, *period())
    client = logged_in(username)
    for path in ("/desk", "/desk/generate", f"/desk/rosters/{draft.id}/publish", f"/desk/rosters/{draft.id}/print",
                 f"/desk/rosters/{draft.id}/print/locations/{police(session, world).id}"):
        assert client.get(path).status_code == 403, path
    token = csrf(client, "/account/password")
    assert client.post(f"/desk/rosters/{draft.id}/publish", data={"csrf_token": token}).status_code == 403
    session.expire_all()
    assert session.get(Roster, draft.id).status is RosterStatus.DRAFT


def test_anonymous_visitors_are_sent_to_login(client: FlaskClient, world: Centre) -> None:
    response = client.get("/desk")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_reads_the_desk_but_does_not_roster(session: scoped_session, world: Centre, logged_in: Login) -> None:
    client = logged_in("quantri")
    assert client.get("/desk").status_code == 200
    assert client.get("/desk/generate").status_code == 403


def test_coordinator_sees_the_preview_but_cannot_publish(session: scoped_session, world: Centre,
                                                         logged_in: Login) -> None:
    draft = hand_roster(session, world, *period())
    client = logged_in("dieuphoi")
    page = text(client.get(f"/desk/rosters/{draft.id}/publish"))
    assert "Chỉ Giám đốc mới được xuất bản" in page and 'id="publish-button"' not in page
    response = client.post(f"/desk/rosters/{draft.id}/publish",
                           data={"csrf_token": csrf(client, f"/desk/rosters/{draft.id}/publish")})
    assert response.status_code == 403
    session.expire_all()
    assert session.get(Roster, draft.id).status is RosterStatus.DRAFT


# -- generation ----------------------------------------------------------------------------------------------------


def test_generate_form_defaults_to_next_month(world: Centre, logged_in: Login) -> None:
    start, end = next_month(utcnow().date())
    page = text(logged_in("giamdoc").get("/desk/generate"))
    assert f'value="{start:%d/%m/%Y}"' in page and f'value="{end:%d/%m/%Y}"' in page
    assert end.month == start.month and (end + timedelta(days=1)).day == 1


BAD_REQUESTS = [
    ({"start": "2027-03-10", "end": "2027-03-01", "time_limit": "1"}, "end", "Ngày kết thúc trước ngày bắt đầu"),
    ({"start": "01/01/2027", "end": "30/06/2027", "time_limit": "1"}, "end", "tối đa 92 ngày"),
    ({"start": "2027-02-30", "end": "2027-03-01", "time_limit": "1"}, "start", "Nhập ngày bắt đầu"),
    ({"start": "2027-03-01", "end": "2027-03-31", "time_limit": "0"}, "time_limit", "Nhập số giây từ 1 đến 1."),
    ({"start": "2027-03-01", "end": "2027-03-31", "time_limit": "abc"}, "time_limit", "Nhập số giây từ 1 đến"),
    ({"start": "2027-03-01", "end": "2027-03-31", "time_limit": "5"}, "time_limit", "Nhập số giây từ 1 đến 1."),
]


def test_bad_generation_requests_show_the_reason_and_queue_nothing(session: scoped_session, world: Centre,
                                                                   logged_in: Login) -> None:
    client = logged_in("dieuphoi")
    token = csrf(client, "/desk/generate")
    for form, field, message in BAD_REQUESTS:
        response = client.post("/desk/generate", data={**form, "csrf_token": token})
        assert response.status_code == 422, form
        error = re.search(rf'<p class="field-error" id="f-{field}-error"[^>]*>([^<]*)</p>', text(response))
        assert error and message in error.group(1), (form, error and error.group(1))
    assert session.scalar(sa.select(sa.func.count(SolveJob.id))) == 0


def test_generation_is_queued_like_the_api_does(session: scoped_session, world: Centre, logged_in: Login) -> None:
    client = logged_in("dieuphoi")
    response = client.post("/desk/generate", data={"start": "01/03/2027", "end": "2027-03-31", "time_limit": "1",
                                                   "csrf_token": csrf(client, "/desk/generate")})
    assert response.status_code == 302
    job = session.scalars(sa.select(SolveJob)).one()
    assert response.headers["Location"].endswith(f"/desk/jobs/{job.id}")
    assert job.params["start"] == "2027-03-01" and job.params["end"] == "2027-03-31"
    assert job.params["time_limit"] == 1.0
    page = text(client.get(f"/desk/jobs/{job.id}"))
    assert f'data-job-url="/api/v1/jobs/{job.id}"' in page and "01/03/2027 – 31/03/2027" in page
    assert client.get(f"/api/v1/jobs/{job.id}").status_code == 200  # what the page polls, with the same session


def test_another_centres_job_and_roster_are_not_found(session: scoped_session, world: Centre,
                                                      logged_in: Login) -> None:
    from duty_roster.centre_file import load_centre_data
    from duty_roster.rostering.queries import centre_by_code
    from tests.api.conftest import centre_file

    load_centre_data(session, centre_file("HG", "Hậu Giang"))
    other = centre_by_code(session, "HG")
    job = SolveJob(centre_id=other.id, params={})
    roster = Roster(centre_id=other.id, period_start=date(2027, 3, 1), period_end=date(2027, 3, 2))
    session.add_all([job, roster])
    session.commit()
    client = logged_in("giamdoc")
    assert client.get(f"/desk/jobs/{job.id}").status_code == 404
    assert client.get(f"/desk/rosters/{roster.id}/publish").status_code == 404
    assert client.get(f"/desk/rosters/{roster.id}/print").status_code == 404


def test_dates_are_read_as_people_type_them() -> None:
    assert parse_day("05/03/2027") == parse_day("5.3.2027") == parse_day("2027-03-05") == date(2027, 3, 5)
    assert parse_day("31/02/2027") is None and parse_day("") is None and parse_day("mai") is None
    assert next_month(date(2026, 12, 15)) == (date(2027, 1, 1), date(2027, 1, 31))


# -- publication ---------------------------------------------------------------------------------------------------


@pytest.mark.db
def test_director_publishes_a_first_version(session: scoped_session, world: Centre, logged_in: Login) -> None:
    draft = hand_roster(session, world, *period())
    client = logged_in("giamdoc")
    preview = text(client.get(f"/desk/rosters/{draft.id}/publish"))
    assert "đây sẽ là phiên bản 1" in preview and 'id="publish-button"' in preview
    response = client.post(f"/desk/rosters/{draft.id}/publish",
                           data={"csrf_token": csrf(client, f"/desk/rosters/{draft.id}/publish")})
    assert response.status_code == 302
    session.expire_all()
    roster = session.get(Roster, draft.id)
    assert roster.status is RosterStatus.PUBLISHED and roster.version == 1
    after = text(client.get(response.headers["Location"]))
    assert "Đã xuất bản lịch trực, phiên bản 1" in after and 'id="publish-button"' not in after


@pytest.mark.db
def test_second_version_lists_who_gains_and_loses_and_supersedes_the_first(
    session: scoped_session, world: Centre, logged_in: Login,
) -> None:
    first = hand_roster(session, world, *period(), published=True)
    second = hand_roster(session, world, *period(), shift_people=1)
    client = logged_in("giamdoc")
    preview = text(client.get(f"/desk/rosters/{second.id}/publish"))
    assert "So với phiên bản 1 đã xuất bản" in preview
    assert 'class="gain"' in preview and 'class="loss"' in preview and "Trợ giúp viên 1" in preview
    client.post(f"/desk/rosters/{second.id}/publish",
                data={"csrf_token": csrf(client, f"/desk/rosters/{second.id}/publish")})
    session.expire_all()
    assert session.get(Roster, second.id).version == 2
    assert session.get(Roster, first.id).status is RosterStatus.SUPERSEDED


def test_publishing_needs_the_csrf_token(session: scoped_session, world: Centre, logged_in: Login,
                                         app: Flask) -> None:
    assert app.config.get("WTF_CSRF_ENABLED", True) is True  # the check is on in tests: this is the real thing
    draft = hand_roster(session, world, *period())
    client = logged_in("giamdoc")
    assert client.post(f"/desk/rosters/{draft.id}/publish").status_code == 400
    assert client.post(f"/desk/rosters/{draft.id}/publish", data={"csrf_token": "forged"}).status_code == 400
    session.expire_all()
    roster = session.get(Roster, draft.id)
    assert roster.status is RosterStatus.DRAFT and roster.version is None


def test_publishing_a_published_roster_again_is_refused_with_a_message(
    session: scoped_session, world: Centre, logged_in: Login,
) -> None:
    roster = hand_roster(session, world, *period(), published=True)
    client = logged_in("giamdoc")
    response = client.post(f"/desk/rosters/{roster.id}/publish",
                           data={"csrf_token": csrf(client, f"/desk/rosters/{roster.id}/publish")},
                           follow_redirects=True)
    assert response.status_code == 200 and "Lịch trực chưa được xuất bản" in text(response)
    session.expire_all()
    assert session.get(Roster, roster.id).version == 1


def test_late_publication_is_announced_before_and_after(session: scoped_session, world: Centre,
                                                        logged_in: Login) -> None:
    tomorrow = utcnow().date() + timedelta(days=1)
    draft = hand_roster(session, world, tomorrow, tomorrow + timedelta(days=2))
    client = logged_in("giamdoc")
    assert 'id="late-warning"' in text(client.get(f"/desk/rosters/{draft.id}/publish"))
    response = client.post(f"/desk/rosters/{draft.id}/publish",
                           data={"csrf_token": csrf(client, f"/desk/rosters/{draft.id}/publish")},
                           follow_redirects=True)
    assert "Xuất bản muộn" in text(response) and "5789/BTP-BCA" in text(response)


# -- dashboard -----------------------------------------------------------------------------------------------------


@pytest.mark.db
def test_dashboard_shows_coverage_deadline_and_rosters(session: scoped_session, world: Centre,
                                                       logged_in: Login) -> None:
    start, end = period()
    draft = hand_roster(session, world, start, end)
    page = text(logged_in("giamdoc").get("/desk"))
    assert page.count('class="cov cov-') == desk_dashboard.COVERAGE_DAYS
    assert f'data-day="{start.isoformat()}" data-state="ok"' in page  # the draft fills its days
    assert 'data-state="none"' in page  # days before it have no roster: red
    assert re.search(r"còn \d+ ngày làm việc|quá hạn \d+ ngày|Hôm nay là hạn cuối", page)
    assert f'href="/desk/rosters/{draft.id}/publish"' in page


def test_coverage_counts_slots_and_ignores_declined_assignments(session: scoped_session, world: Centre) -> None:
    start, end = period()
    roster = hand_roster(session, world, start, end, published=True)
    day = start + timedelta(days=2)
    declined = next(a for a in roster.assignments if a.shift.day == day)
    declined.declined_at = utcnow()
    session.commit()
    days = {d.day: d for d in desk_dashboard.coverage(session, world, start - timedelta(days=1), days=10)}
    assert days[start - timedelta(days=1)].state == "none"
    assert days[start].state == "ok" and days[start].published
    assert days[day].state == "gap" and days[day].covered == days[day].required - 1
    assert days[end + timedelta(days=1)].required > 0 and days[end + timedelta(days=1)].roster_id is None


def test_next_deadline_counts_working_days_and_days_late(session: scoped_session, world: Centre) -> None:
    # Period from Monday 01/03/2027: five working days before is Monday 22/02/2027.
    hand_roster(session, world, date(2027, 3, 1), date(2027, 3, 3))
    on_time = desk_dashboard.next_deadline(session, world, date(2027, 2, 17), 5)  # Wednesday
    assert on_time.period_start == date(2027, 3, 1) and on_time.deadline == date(2027, 2, 22)
    assert on_time.working_days_left == 3 and on_time.days_late == 0 and on_time.draft_id is not None
    late = desk_dashboard.next_deadline(session, world, date(2027, 2, 24), 5)
    assert late.days_late == 2 and late.working_days_left == 0


def test_declined_shift_offers_a_repair_that_makes_a_draft(session: scoped_session, world: Centre,
                                                           logged_in: Login) -> None:
    start = utcnow().date() + timedelta(days=10)
    roster = hand_roster(session, world, start, start + timedelta(days=2), published=True)
    declined = next(a for a in roster.assignments if a.role == "duty")
    declined.declined_at = utcnow()
    session.commit()
    client = logged_in("dieuphoi")
    page = text(client.get("/desk"))
    assert declined.person.full_name in page and f'action="/desk/rosters/{roster.id}/repair"' in page
    response = client.post(f"/desk/rosters/{roster.id}/repair", data={"csrf_token": csrf(client, "/desk")})
    assert response.status_code == 302
    draft = session.scalars(sa.select(Roster).where(Roster.based_on_id == roster.id)).one()
    assert response.headers["Location"].endswith(f"/desk/rosters/{draft.id}/publish")
    assert draft.status is RosterStatus.DRAFT


def test_repair_moves_the_declined_shift_to_someone_else(session: scoped_session, world: Centre,
                                                         logged_in: Login) -> None:
    start = utcnow().date() + timedelta(days=10)
    roster = hand_roster(session, world, start, start + timedelta(days=1), published=True)
    declined = next(a for a in roster.assignments if a.role == "duty")
    declined.declined_at = utcnow()
    session.commit()
    client = logged_in("dieuphoi")
    client.post(f"/desk/rosters/{roster.id}/repair", data={"csrf_token": csrf(client, "/desk")})
    draft = session.scalars(sa.select(Roster).where(Roster.based_on_id == roster.id)).one()
    assert (declined.person_id, declined.shift_id) not in {(a.person_id, a.shift_id) for a in draft.assignments}


def test_pending_swaps_and_failed_messages_sections(session: scoped_session, world: Centre,
                                                    logged_in: Login) -> None:
    from duty_roster.models import OutboxMessage, OutboxState, SwapRequest, SwapStatus
    from duty_roster.phones import mask_phone

    roster = hand_roster(session, world, *period(), published=True)
    a = next(x for x in roster.assignments if x.role == "duty")
    session.add(SwapRequest(centre_id=world.id, roster_id=roster.id, shift_id=a.shift_id, role="duty",
                            from_person_id=a.person_id, status=SwapStatus.OFFERED))
    session.commit()
    session.add(OutboxMessage(centre_id=world.id, person_id=a.person_id, to_phone=a.person.phone, kind="publish",
                              body="Lịch trực ...", idempotency_key="desk-test-1", state=OutboxState.FAILED,
                              attempts=8, last_error="21610: unsubscribed recipient"))
    session.commit()
    page = text(logged_in("giamdoc").get("/desk"))
    swaps = page[page.index('id="swaps"'):page.index('id="failed-sms"')]
    assert a.person.full_name in swaps and "đang chào đổi" in swaps
    failed = page[page.index('id="failed-sms"'):page.index('id="rosters"')]
    assert a.person.full_name in failed and "21610" in failed and "8 lần thử" in failed
    assert mask_phone(a.person.phone) in failed and a.person.phone not in failed  # masked, never the whole number


# -- print views ---------------------------------------------------------------------------------------------------


def test_print_view_is_the_official_document(session: scoped_session, world: Centre, logged_in: Login) -> None:
    start, end = period()
    roster = hand_roster(session, world, start, end, published=True)
    client = logged_in("giamdoc")
    client.get("/lang/en")  # the document stays Vietnamese; only the toolbar follows the language
    page = text(client.get(f"/desk/rosters/{roster.id}/print"))
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "<u>Độc lập - Tự do - Hạnh phúc</u>",
                  "LỊCH TRỰC TRỢ GIÚP PHÁP LÝ", f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}", "GIÁM ĐỐC",
                  "Nguyễn Văn Giám", "TRUNG TÂM THỬ NGHIỆM", "size: A4 landscape", "Trợ giúp viên 1"):
        assert words in page, words
    assert ">Print</button>" in page


def test_letterhead_reads_the_province_from_the_centre_name(session: scoped_session, world: Centre) -> None:
    world.name = "Trung tâm Trợ giúp pháp lý nhà nước thành phố Cần Thơ"
    head = desk_print.letterhead(session, world)
    assert head.authority == "SỞ TƯ PHÁP THÀNH PHỐ CẦN THƠ" and head.place == "Cần Thơ"
    assert head.director == "Nguyễn Văn Giám"
    world.name, world.settings = "Trung tâm thử nghiệm", {"parent_authority": "Sở Tư pháp tỉnh An Giang",
                                                          "place": "Long Xuyên"}
    head = desk_print.letterhead(session, world)
    assert head.authority == "SỞ TƯ PHÁP TỈNH AN GIANG" and head.place == "Long Xuyên"
    world.settings = {}
    assert desk_print.letterhead(session, world).authority is None
    session.rollback()


def test_station_list_has_the_duty_people_and_their_phones(session: scoped_session, world: Centre,
                                                           logged_in: Login) -> None:
    roster = hand_roster(session, world, *period(), published=True)
    location = police(session, world)
    page = text(logged_in("giamdoc").get(f"/desk/rosters/{roster.id}/print/locations/{location.id}"))
    assert "DANH SÁCH NGƯỜI TRỰC TRỢ GIÚP PHÁP LÝ" in page and location.name in page
    assert "Trợ giúp viên 1" in page and "0912 000 101" in page  # a duty person's phone, national format
    assert "Người hỗ trợ 1" in page and "0987 000 101" in page  # the assistant's
    assert "Số điện thoại trực của Trung tâm" in page and "0292 3812 399" in page
    # Every assignment at the station once: at least seven 24-hour shifts with a duty person and an assistant each,
    # more when the week holds a holiday with a higher demand (New Year's Day, Tết).
    at_station = [a for a in roster.assignments if a.shift.location_id == location.id]
    assert page.count('class="doc-person"') == len(at_station) >= 2 * 7
