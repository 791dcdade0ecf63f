"""Message texts: segment counting, diacritics, the ASCII choice and each renderer's lines."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from duty_roster.notify import texts
from duty_roster.notify.texts import ShiftItem, segments, strip_diacritics

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CENTRE = SimpleNamespace(code="CT", short_name="TGPL CT", duty_phone="+842923812399", settings={})


def item(day: int, start: tuple[int, int], end_day: int, end: tuple[int, int], place: str = "TAND-KV1",
         duty: str = "court", role: str = "duty") -> ShiftItem:
    return ShiftItem(datetime(2026, 12, day, *start, tzinfo=TZ), datetime(2026, 12, end_day, *end, tzinfo=TZ),
                     place, "Tòa án nhân dân khu vực 1 – Cần Thơ" if duty == "court" else "Cơ quan CSĐT", duty, role)


# --- segments ---


@pytest.mark.parametrize(
    ("body", "encoding", "parts", "characters"),
    [
        ("a" * 160, "GSM-7", 1, 160),
        ("a" * 161, "GSM-7", 2, 161),
        ("a" * 306, "GSM-7", 2, 306),
        ("a" * 307, "GSM-7", 3, 307),
        ("€", "GSM-7", 1, 2),  # extension table: escape + character
        ("€" * 80, "GSM-7", 1, 160),
        ("a" * 159 + "€", "GSM-7", 2, 161),
        ("ă" * 70, "UCS-2", 1, 70),
        ("ă" * 71, "UCS-2", 2, 71),
        ("ă" * 134, "UCS-2", 2, 134),
        ("ă" * 135, "UCS-2", 3, 135),
        ("a" * 100 + "đ", "UCS-2", 2, 101),  # one diacritic switches the whole message
        ("😀" * 35, "UCS-2", 1, 70),  # outside the BMP: two UTF-16 units each
        ("", "GSM-7", 0, 0),
    ],
)
def test_segments(body: str, encoding: str, parts: int, characters: int) -> None:
    assert segments(body) == texts.SegmentCount(encoding, parts, characters)


def test_escape_pair_never_split() -> None:
    # 152 plain + "€" (2 septets) = 154 > 153: the pair moves to part 2 instead of straddling it.
    assert segments("a" * 152 + "€" + "a" * 10).parts == 2
    # 306 septets would fill exactly two 153-septet parts, but the pair cannot straddle: 152 | 2 + 151 | 1.
    assert segments("a" * 152 + "€" + "a" * 152) == texts.SegmentCount("GSM-7", 3, 306)


def test_strip_diacritics() -> None:
    assert strip_diacritics("Trợ giúp pháp lý Đồng Tháp, đường Ưng") == "Tro giup phap ly Dong Thap, duong Ung"
    assert strip_diacritics("Lịch trực TGPL Cần Thơ") == "Lich truc TGPL Can Tho"
    assert texts.to_ascii("01/12–31/12 “x”") == "01/12-31/12 \"x\""
    assert segments(texts.to_ascii("Nhắc trực TGPL điều tra hình sự – Cơ quan CSĐT")).encoding == "GSM-7"


def test_ascii_precedence() -> None:
    person_yes, person_no = SimpleNamespace(sms_ascii=True), SimpleNamespace(sms_ascii=False)
    centre_yes, centre_no, centre_unset = (SimpleNamespace(settings={"sms_ascii": True}),
                                           SimpleNamespace(settings={"sms_ascii": False}), SimpleNamespace(settings={}))
    assert texts.wants_ascii(person_yes, centre_no, False) is True  # the person forces ASCII
    assert texts.wants_ascii(person_no, centre_yes, False) is True  # else the centre decides
    assert texts.wants_ascii(person_no, centre_no, True) is False  # the centre's explicit False beats the default
    assert texts.wants_ascii(person_no, centre_unset, True) is True  # else the global setting
    assert texts.wants_ascii(person_no, centre_unset, False) is False


# --- renderers ---


def test_publish_vietnamese() -> None:
    body = texts.render_publish(
        lang="vi", ascii=False, centre=CENTRE, period_start=date(2026, 12, 1), period_end=date(2026, 12, 31),
        items=[item(1, (7, 30), 1, (11, 30)), item(2, (7, 30), 3, (7, 30), "CSDT", "investigation", "assistant")],
        link="https://lichtruc.example.vn/feeds/fd_abc.ics",
    )
    assert body.splitlines() == [
        "Lịch trực TGPL CT 01/12–31/12:",
        "T3 01/12 07:30–11:30 TAND-KV1",
        "T4 02/12 07:30–07:30 CSDT (hỗ trợ)",
        "Lịch: https://lichtruc.example.vn/feeds/fd_abc.ics",
    ]


def test_publish_ascii_and_english() -> None:
    kwargs = dict(centre=CENTRE, period_start=date(2026, 12, 1), period_end=date(2026, 12, 31),
                  items=[item(6, (7, 30), 6, (11, 30))], link=None)
    assert texts.render_publish(lang="vi", ascii=True, **kwargs).splitlines() == [  # type: ignore[arg-type]
        "Lich truc TGPL CT 01/12-31/12:", "CN 06/12 07:30-11:30 TAND-KV1"]
    assert texts.render_publish(lang="en", ascii=False, **kwargs).splitlines()[1] == (  # type: ignore[arg-type]
        "Sun 06/12 07:30–11:30 TAND-KV1")


def test_short_name_without_tgpl_and_empty() -> None:
    centre = SimpleNamespace(code="HN", short_name="", duty_phone=None, settings={})
    head = texts.render_publish(lang="vi", ascii=False, centre=centre, period_start=date(2026, 12, 1),
                                period_end=date(2026, 12, 7), items=[], link=None)
    assert head == "Lịch trực TGPL HN 01/12–07/12:"


def test_change_lines() -> None:
    body = texts.render_change(lang="vi", ascii=False, centre=CENTRE, version=2,
                               removed=[item(1, (7, 30), 1, (11, 30))], added=[item(3, (13, 30), 3, (17, 0))])
    assert body.splitlines() == ["TGPL CT: Lịch trực thay đổi (v2)", "Bỏ: T3 01/12 07:30–11:30 TAND-KV1",
                                 "Thêm: T5 03/12 13:30–17:00 TAND-KV1"]


def test_reminder_on_call_names_assistant_and_duty_phone() -> None:
    on_call = item(2, (7, 30), 3, (7, 30), "CSDT", "investigation")
    body = texts.render_reminder(lang="vi", ascii=False, centre=CENTRE, item=on_call, partner_name="Lê Thị Hoa",
                                 partner_phone="+84987000101", ask_confirm=True)
    assert body == ("TGPL CT: Nhắc trực TGPL điều tra hình sự T4 02/12 07:30–T5 03/12 07:30, CSDT. "
                    "Hỗ trợ trực: Lê Thị Hoa 0987000101. SĐT trực TT: 02923812399. "
                    "Trả lời OK để xác nhận, KHONG để từ chối")
    as_assistant = texts.render_reminder(lang="vi", ascii=True, centre=CENTRE,
                                         item=item(2, (7, 30), 3, (7, 30), "CSDT", "investigation", "assistant"),
                                         partner_name="Trần Văn Nam", partner_phone="+84912000101")
    assert "Nguoi truc: Tran Van Nam 0912000101." in as_assistant
    assert as_assistant.startswith("TGPL CT: Nhac ho tro truc TGPL dieu tra hinh su T4 02/12")
    assert segments(as_assistant).encoding == "GSM-7"
    assert segments(as_assistant).parts == 1  # the diacritics-free form fits one 160-character part


def test_reminder_court_has_no_partner_or_duty_phone() -> None:
    body = texts.render_reminder(lang="vi", ascii=False, centre=CENTRE, item=item(1, (7, 30), 1, (11, 30)),
                                 partner_name="X", partner_phone="+84987000101")
    assert body == "TGPL CT: Nhắc trực TGPL tại Tòa án T3 01/12 07:30–11:30, TAND-KV1."
    english = texts.render_reminder(lang="en", ascii=False, centre=CENTRE, item=item(1, (7, 30), 1, (11, 30)))
    assert english.startswith("TGPL CT: Reminder: court legal-aid duty Tue 01/12 07:30–11:30")


def test_ascii_vietnamese_messages_fit_160_parts() -> None:
    """Every renderer's ASCII form stays GSM-7, and a one-shift message fits one 160-character part."""
    one = item(2, (7, 30), 3, (7, 30), "CSDT", "investigation")
    bodies = [
        texts.render_publish(lang="vi", ascii=True, centre=CENTRE, period_start=date(2026, 12, 1),
                             period_end=date(2026, 12, 31), items=[one],
                             link="http://127.0.0.1:5000/feeds/fd_" + "x" * 43 + ".ics"),
        texts.render_change(lang="vi", ascii=True, centre=CENTRE, version=3, removed=[one], added=[]),
        texts.render_reminder(lang="vi", ascii=True, centre=CENTRE, item=one, partner_name="Lê Thị Hoa",
                              partner_phone="+84987000101", ask_confirm=False),
        texts.render_swap(lang="vi", ascii=True, centre=CENTRE, event="approved", item=one, other_name="Lê Thị Hoa",
                          giving=True),
        texts.render_unconfirmed_alert(lang="vi", ascii=True, centre=CENTRE, person_name="Nguyễn Văn Đức",
                                       person_phone="+84912000101", item=one),
        texts.render_decline_alert(lang="vi", ascii=True, centre=CENTRE, person_name="Nguyễn Văn Đức",
                                   person_phone="+84912000101", item=one, reason="ốm"),
        texts.render_reply_help(lang="vi", ascii=True, centre=CENTRE),
    ]
    for body in bodies:
        count = segments(body)
        assert count.encoding == "GSM-7", body
        assert count.parts == 1, (count, body)
    assert segments(texts.render_reply_help(lang="vi", ascii=False, centre=CENTRE)).encoding == "UCS-2"


@pytest.mark.parametrize(
    ("event", "giving", "expected"),
    [
        ("requested", False, "TGPL CT: Trần Văn Nam đề nghị bạn nhận ca T3 01/12 07:30–11:30 TAND-KV1."),
        ("accepted", True, "TGPL CT: Trần Văn Nam đã nhận ca T3 01/12 07:30–11:30 TAND-KV1 của bạn, chờ duyệt."),
        ("approved", True, "TGPL CT: Đổi ca đã duyệt. Bạn KHÔNG còn trực T3 01/12 07:30–11:30 TAND-KV1 "
                           "(Trần Văn Nam thay)."),
        ("approved", False, "TGPL CT: Đổi ca đã duyệt. Bạn trực T3 01/12 07:30–11:30 TAND-KV1 (thay Trần Văn Nam)."),
        ("rejected", True, "TGPL CT: Đổi ca T3 01/12 07:30–11:30 TAND-KV1 không thành. Bạn vẫn trực ca này."),
    ],
)
def test_swap_texts(event: str, giving: bool, expected: str) -> None:
    assert texts.render_swap(lang="vi", ascii=False, centre=CENTRE, event=event, item=item(1, (7, 30), 1, (11, 30)),
                             other_name="Trần Văn Nam", giving=giving) == expected


def test_unknown_swap_event() -> None:
    with pytest.raises(ValueError, match="unknown swap event"):
        texts.render_swap(lang="vi", ascii=False, centre=CENTRE, event="x", item=item(1, (7, 30), 1, (11, 30)),
                          other_name="A", giving=True)


def test_alerts_and_help() -> None:
    one = item(1, (7, 30), 1, (11, 30))
    assert texts.render_unconfirmed_alert(lang="vi", ascii=False, centre=CENTRE, person_name="Nguyễn Văn Đức",
                                          person_phone="+84912000101", item=one) == (
        "TGPL CT: Nguyễn Văn Đức 0912000101 CHƯA xác nhận ca T3 01/12 07:30–11:30 TAND-KV1.")
    assert texts.render_decline_alert(lang="en", ascii=False, centre=CENTRE, person_name="Duc", person_phone=None,
                                      item=one, reason=" sick ") == (
        "TGPL CT: Duc DECLINED Tue 01/12 07:30–11:30 TAND-KV1. Find a replacement. Reason: sick")
    assert texts.render_reply_help(lang="vi", ascii=False, centre=CENTRE) == (
        "TGPL CT: Trả lời OK để xác nhận, KHONG để từ chối.")
