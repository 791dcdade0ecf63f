"""Centre data pages: people, locations and patterns, absences, holidays, and the Excel import through the web,
written through the same use cases and specs as the API; mistakes shown next to the fields, in Vietnamese."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy.orm import scoped_session
from werkzeug.security import generate_password_hash

from duty_roster import accounts
from duty_roster.models import AuditLog, Centre, HolidayOverride, Location, Person, Unavailability
from tests.web.conftest import csrf

Login = Callable[[str], FlaskClient]
DESK_ONLY = ("/data/people", "/data/people/new", "/data/locations", "/data/patterns", "/data/unavailability",
             "/data/holidays", "/data/excel", "/data/excel/people.xlsx")


@pytest.fixture(autouse=True)
def _cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """The world's five accounts need no scrypt cost here (as tests/api/conftest.py does)."""
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"))


def person_form(**changes: Any) -> dict[str, Any]:
    form = {"code": "N1", "full_name": "Phạm Văn Mới", "kind": "lawyer", "branch": "HQ", "phone": "0912 555 666",
            "email": "", "sms_language": "vi", "capacity": "1", "skills": "khmer, Juvenile", "languages": "",
            "areas": "", "max_shifts_per_week": "", "max_shifts_per_month": "", "contract_start": "2027-01-01",
            "contract_end": "", "active": "on"}
    form.update(changes)
    return form


def post(client: FlaskClient, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return client.post(path, data={"csrf_token": csrf(client, "/data/people"), **data}, **kwargs)


def find(session: scoped_session, code: str) -> Person | None:
    session.expire_all()
    return session.scalar(sa.select(Person).where(Person.code == code))


def test_create_person_through_the_form(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    response = post(client, "/data/people/new", person_form())
    assert response.status_code == 302
    person = find(session, "N1")
    assert person is not None
    assert (person.phone, person.skills, str(person.contract_start)) == ("+84912555666", ["khmer", "juvenile"],
                                                                        "2027-01-01")
    assert session.scalar(sa.select(AuditLog).where(AuditLog.action == "person.save",
                                                    AuditLog.entity_id == str(person.id))) is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Phạm Văn Mới" in page


def test_edit_person_keeps_id_and_changes_fields(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("giamdoc")
    d3 = find(session, "D3")
    assert d3 is not None
    form_page = client.get(f"/data/people/{d3.id}").get_data(as_text=True)
    assert 'value="0912 000 103"' in form_page
    response = post(client, f"/data/people/{d3.id}", person_form(code="D3", full_name="Tên Mới", kind="officer",
                                                                 phone="0912 000 103", skills="", contract_start=""))
    assert response.status_code == 302
    again = find(session, "D3")
    assert again is not None and (again.id, again.full_name, again.kind.value) == (d3.id, "Tên Mới", "officer")


def test_invalid_phone_is_shown_in_vietnamese_and_nothing_is_written(logged_in: Login,
                                                                    session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    before = session.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    response = post(client, "/data/people/new", person_form(phone="0123 456", full_name="Giữ Nguyên Tên"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="err-phone">Số điện thoại không hợp lệ (ví dụ 0912 345 678)' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Giữ Nguyên Tên"' in html and 'value="0123 456"' in html  # nothing the user typed is lost
    assert find(session, "N1") is None
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == before


def test_required_and_rule_errors_are_vietnamese(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    html = post(client, "/data/people/new", person_form(code="D1", full_name="", capacity="20",
                                                        contract_start="2027-05-01",
                                                        contract_end="2027-01-01")).get_data(as_text=True)
    assert 'id="err-full_name">Trường này bắt buộc' in html
    assert 'id="err-capacity">' in html
    html = post(client, "/data/people/new", person_form(code="D1")).get_data(as_text=True)
    assert "đã có người dùng" in html and "/ code" not in html  # the use case's Vietnamese half only


def test_form_without_csrf_token_is_refused(app: Any, logged_in: Login, session: scoped_session) -> None:
    assert app.config.get("WTF_CSRF_ENABLED", True)
    client = logged_in("dieuphoi")
    response = client.post("/data/people/new", data=person_form())
    assert response.status_code == 400
    assert find(session, "N1") is None


def test_search_by_name_code_and_phone(logged_in: Login) -> None:
    client = logged_in("dieuphoi")
    by_name = client.get("/data/people?q=hỗ trợ 2").get_data(as_text=True)
    assert ">A2<" in by_name and ">D1<" not in by_name
    by_phone = client.get("/data/people?q=0987 000 103").get_data(as_text=True)
    assert ">A3<" in by_phone and ">A1<" not in by_phone
    by_code = client.get("/data/people?q=D7").get_data(as_text=True)
    assert ">D7<" in by_code and ">D1<" not in by_code


def test_deactivate_keeps_the_person(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    d2 = find(session, "D2")
    assert d2 is not None
    assert post(client, f"/data/people/{d2.id}/active", {"active": "0"}).status_code == 302
    d2 = find(session, "D2")
    assert d2 is not None and not d2.active
    assert ">D2<" not in client.get("/data/people").get_data(as_text=True)
    assert ">D2<" in client.get("/data/people?status=inactive").get_data(as_text=True)


@pytest.mark.parametrize("username", ["trogiupvien", "lienlac"])
def test_officers_and_liaisons_get_403(logged_in: Login, username: str) -> None:
    client = logged_in(username)
    assert [client.get(path).status_code for path in DESK_ONLY] == [403] * len(DESK_ONLY)
    assert client.post("/data/people/new", data={"csrf_token": csrf(client, "/account/password"),
                                                 **person_form()}).status_code == 403


def test_anonymous_is_sent_to_login(client: FlaskClient, world: Centre) -> None:
    response = client.get("/data/people")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_other_centres_records_are_404(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    assert client.get("/data/people/999999").status_code == 404
    assert client.get("/data/locations/999999").status_code == 404


def test_location_and_pattern_forms(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    response = post(client, "/data/locations/new", {"code": "TA2", "name": "Tòa án khu vực 2", "kind": "court",
                                                     "branch": "HQ", "address": "", "phone": "0292 3812 399",
                                                     "active": "on"})
    assert response.status_code == 302
    location = session.scalar(sa.select(Location).where(Location.code == "TA2"))
    assert location is not None
    path = f"/data/locations/{location.id}/patterns/new"
    bad = post(client, path, {"code": "am", "name": "Sáng", "duty_type": "court", "start": "25:00", "end": "11:30",
                              "days": "working_days", "demand.duty": "1", "weekdays": ["1", "3"]})
    assert bad.status_code == 422
    assert "Giờ không hợp lệ" in bad.get_data(as_text=True) or "HH:MM" in bad.get_data(as_text=True)
    good = post(client, path, {"code": "am", "name": "Sáng", "duty_type": "court", "start": "07:30", "end": "11:30",
                               "days": "working_days", "demand.duty": "1", "weekdays": ["1", "3"]})
    assert good.status_code == 302
    session.expire_all()
    location = session.get(Location, location.id)
    assert location is not None
    [pattern] = location.patterns
    assert (pattern.duration_minutes, pattern.weekdays, pattern.demand) == (240, [1, 3], {"duty": 1})
    # editing the location keeps its pattern
    assert post(client, f"/data/locations/{location.id}", {"code": "TA2", "name": "Tòa 2", "kind": "court",
                                                           "branch": "HQ", "active": "on"}).status_code == 302
    session.expire_all()
    assert [p.code for p in session.get(Location, location.id).patterns] == ["am"]  # type: ignore[union-attr]


def test_unavailability_form_and_overlap(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    form = {"person": "D1", "start": "2027-03-01", "end": "2027-03-03", "reason": "training", "note": "Tập huấn"}
    assert post(client, "/data/unavailability/new", form).status_code == 302
    overlap = post(client, "/data/unavailability/new", {**form, "start": "2027-03-03", "end": "2027-03-05"})
    assert overlap.status_code == 422
    assert "Trùng với lịch vắng" in overlap.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Unavailability)) == 1
    listing = client.get("/data/unavailability?q=D1").get_data(as_text=True)
    assert "01/03/2027" in listing and "03/03/2027" in listing


def test_holiday_form(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("giamdoc")
    form = {"day": "02/09/2027", "kind": "day_off", "name": "Nghỉ bù Quốc khánh"}
    assert post(client, "/data/holidays/new", form).status_code == 302
    assert post(client, "/data/holidays/new", form).status_code == 422  # the same day twice
    assert session.scalar(sa.select(sa.func.count()).select_from(HolidayOverride)) == 1


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Mã", "Họ và tên", "Loại", "Chi nhánh", "Số điện thoại"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: FlaskClient, data: bytes) -> Any:
    return post(client, "/data/excel/import", {"kind": "people", "file": (io.BytesIO(data), "nguoi.xlsx")},
                content_type="multipart/form-data")


def test_excel_import_preview_then_confirm(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    bad = workbook([["X1", "Người Một", "Luật sư", "HQ", "0912 111 222"],
                    ["X2", "Người Hai", "Luật sư", "HQ", "0123"]])
    assert upload(client, bad).status_code == 302
    preview = client.get("/data/excel/preview").get_data(as_text=True)
    assert "Số điện thoại không hợp lệ (ví dụ 0912 345 678)" in preview
    assert "<td>3</td><td>Số điện thoại</td>" in preview
    assert "disabled" in preview
    refused = post(client, "/data/excel/confirm", {})
    assert refused.status_code == 422
    assert find(session, "X1") is None  # all or nothing
    good = workbook([["X1", "Người Một", "Luật sư", "HQ", "0912 111 222"],
                     ["X2", "Người Hai", "Luật sư", "HQ", "0912 111 223"]])
    upload(client, good)
    preview = client.get("/data/excel/preview").get_data(as_text=True)
    assert "2 mới" in preview or "2 new" in preview
    assert find(session, "X1") is None  # the preview wrote nothing
    assert post(client, "/data/excel/confirm", {}).status_code == 302
    assert find(session, "X1") is not None and find(session, "X2") is not None
    assert session.scalar(sa.select(AuditLog).where(AuditLog.action == "import.people")) is not None


def test_excel_downloads(logged_in: Login) -> None:
    client = logged_in("dieuphoi")
    for path in ("/data/excel/people.xlsx", "/data/excel/unavailability.xlsx", "/data/excel/people-template.xlsx"):
        response = client.get(path)
        assert response.status_code == 200 and response.data[:2] == b"PK"
    assert client.get("/data/excel/nothing.xlsx").status_code == 404


def test_all_list_pages_render(logged_in: Login) -> None:
    client = logged_in("quantri")
    for path in ("/data/people", "/data/people/new", "/data/locations", "/data/locations/new", "/data/patterns",
                 "/data/unavailability", "/data/unavailability/new", "/data/holidays", "/data/holidays/new",
                 "/data/excel"):
        assert client.get(path).status_code == 200, path


def test_english_interface_gets_english_messages(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    client.get("/lang/en")
    html = post(client, "/data/people/new", person_form(phone="0123 456", code="D1")).get_data(as_text=True)
    assert "Invalid phone number (e.g. 0912 345 678)" in html
    html = post(client, "/data/people/new", person_form(code="D1")).get_data(as_text=True)
    assert "code &#39;D1&#39; is already used" in html and "đã có người dùng" not in html


def test_a_24_hour_pattern_round_trips_through_its_form(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    police = session.scalar(sa.select(Location).where(Location.code == "POLICE"))
    assert police is not None
    [pattern] = police.patterns
    path = f"/data/locations/{police.id}/patterns/{pattern.id}"
    html = client.get(path).get_data(as_text=True)
    for name, value in (("start", "07:30"), ("duration_hours", "24"), ("demand.assistant", "1"),
                        ("holiday_demand.duty", "2")):
        assert f'name="{name}" type' in html and re.search(rf'name="{re.escape(name)}" type="\w+" value="{value}"',
                                                           html), name
    form = {"code": "oncall_24h", "name": "Trực 24 giờ", "duty_type": "investigation", "start": "07:30", "end": "",
            "duration_hours": "24", "days": "every_day", "demand.duty": "1", "demand.assistant": "1",
            "holiday_demand.duty": "2", "holiday_demand.assistant": "1", "is_night": "on"}
    assert post(client, path, form).status_code == 302
    session.expire_all()
    again = session.get(type(pattern), pattern.id)
    assert again is not None
    assert (again.duration_minutes, again.demand, again.holiday_demand, again.is_night) == (
        1440, {"duty": 1, "assistant": 1}, {"duty": 2, "assistant": 1}, True)
    both = post(client, path, {**form, "end": "19:30"})
    assert both.status_code == 422 and "chỉ một trong hai" in both.get_data(as_text=True)


def test_odd_input_is_a_readable_4xx_never_a_500(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("dieuphoi")
    police = session.scalar(sa.select(Location).where(Location.code == "POLICE"))
    assert police is not None
    cases = [
        ("/data/people/new", person_form(capacity="abc", max_shifts_per_week="9" * 30, contract_start="31/02/2027",
                                         email="không-phải-email", sms_language="fr", kind="judge")),
        ("/data/people/new", {}),
        ("/data/locations/new", {"code": "bad code!", "kind": "moon", "phone": "1"}),
        (f"/data/locations/{police.id}/patterns/new", {"code": "x", "demand.duty": "abc", "weekdays": ["9", "x"],
                                                       "duration_hours": "1e400", "start": "7h"}),
        ("/data/unavailability/new", {"person": "NOBODY", "start": "2027-03-01", "start_time": "25:99",
                                      "end": "hôm qua"}),
        ("/data/unavailability/new", {"person": "D1", "start": "2027-03-05", "end": "2027-03-01"}),
        ("/data/holidays/new", {"day": "hello", "kind": "party", "name": "x" * 500}),
    ]
    for path, form in cases:
        response = post(client, path, form)
        assert response.status_code == 422, (path, response.status_code)
        assert 'class="field-error"' in response.get_data(as_text=True), path
    for path in ("/data/people?page=abc", "/data/people?page=-3&status=zzz&kind=x", "/audit?page=x"):
        assert client.get(path).status_code in (200, 403), path
    assert session.scalar(sa.select(Person).where(Person.code == "x")) is None


def test_reimporting_the_exported_absences_changes_nothing(logged_in: Login, session: scoped_session) -> None:
    client = logged_in("giamdoc")
    post(client, "/data/unavailability/new", {"person": "D2", "start": "2027-04-01", "end": "2027-04-02",
                                              "reason": "sick", "note": "=1+1"})
    exported = client.get("/data/excel/unavailability.xlsx").data
    response = post(client, "/data/excel/import", {"kind": "unavailability",
                                                   "file": (io.BytesIO(exported), "lich-vang.xlsx")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    preview = client.get("/data/excel/preview").get_data(as_text=True)
    assert "0 mới, 0 thay đổi, 1 không đổi." in preview
    assert "01/04/2027 – 02/04/2027" in preview
    assert post(client, "/data/excel/cancel", {}).status_code == 302
    assert client.get("/data/excel/preview").status_code == 302  # nothing waits any more
    assert post(client, "/data/excel/confirm", {}).status_code == 302


def test_upload_without_a_workbook(logged_in: Login) -> None:
    client = logged_in("dieuphoi")
    response = post(client, "/data/excel/import", {"kind": "people"}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Hãy chọn một tệp Excel" in response.get_data(as_text=True)
    post(client, "/data/excel/import", {"kind": "people", "file": (io.BytesIO(b"%PDF-1.4"), "a.xlsx")},
         content_type="multipart/form-data")
    assert "không phải tệp Excel" in client.get("/data/excel/preview").get_data(as_text=True)


def test_shift_pattern_search(logged_in: Login) -> None:
    client = logged_in("dieuphoi")
    html = client.get("/data/patterns?q=police").get_data(as_text=True)
    assert ">oncall_24h<" in html and ">court_am<" not in html
    html = client.get("/data/patterns?q=sáng").get_data(as_text=True)
    assert ">court_am<" in html and ">oncall_24h<" not in html


@pytest.mark.parametrize(("kind", "model", "create", "question"), [
    ("unavailability", Unavailability, {"person": "D1", "start": "2027-03-01", "end": "2027-03-03",
                                        "reason": "training"}, "Xóa lịch vắng này?"),
    ("holidays", HolidayOverride, {"day": "02/09/2027", "kind": "day_off", "name": "Nghỉ bù"}, "Xóa ngày này?"),
])
def test_the_edit_page_deletes_through_its_own_form(logged_in: Login, session: scoped_session, kind: str,
                                                     model: Any, create: dict[str, Any], question: str) -> None:
    """The Delete form on an edit page posts, with its CSRF token, to the delete URL, after a question."""
    client = logged_in("giamdoc")
    assert post(client, f"/data/{kind}/new", create).status_code == 302
    entry_id = session.scalar(sa.select(model.id))
    page = client.get(f"/data/{kind}/{entry_id}").get_data(as_text=True)
    form = re.search(r'<form method="post" action="([^"]+)" data-confirm="([^"]+)">\s*'
                     r'<input type="hidden" name="csrf_token" value="([^"]+)">', page)
    assert form is not None, page[-1500:]
    assert form.group(1) == f"/data/{kind}/{entry_id}/delete" and form.group(2) == question
    assert client.post(form.group(1), data={"csrf_token": form.group(3)}).status_code == 302
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
