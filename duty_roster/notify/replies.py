"""The short texts of the confirm/decline loop: TwiML answers to an officer's SMS and the coordinators' alerts.

Kept apart from duty_roster.notify.texts (whose pieces it reuses: prefix, ASCII folding, the decline alert) because
these answer one inbound message or one decision, naming the shift as people say it ("Thứ Hai 01/12 07:30 TAND Q.
Ninh Kiều"), in the recipient's `sms_language` ("vi" first, "en"), without diacritics when `texts.wants_ascii` says so.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from duty_roster.models import Assignment
from duty_roster.notify import texts

WEEKDAYS = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def fold(text: str) -> str:
    """Without diacritics ("Không" -> "Khong", "Đã" -> "Da"), for matching reply words."""
    return texts.strip_diacritics(text)


def ascii_for(person: Any, centre: Any) -> bool:
    """texts.wants_ascii with the SMS_ASCII setting as the default (False outside an application)."""
    default = bool(current_app.config["SETTINGS"].SMS_ASCII) if has_app_context() else False
    return texts.wants_ascii(person, centre, default)


def _lang(lang: str | None) -> str:
    return "en" if lang == "en" else "vi"


def shift_label(assignment: Assignment, lang: str = "vi") -> str:
    """"Thứ Hai 01/12 07:30 TAND Q. Ninh Kiều": the local start and the place, as people name a shift."""
    shift = assignment.shift
    start = shift.start_at.astimezone(ZoneInfo(assignment.roster.centre.timezone))
    return f"{WEEKDAYS[_lang(lang)][start.weekday()]} {start:%d/%m %H:%M} {shift.location.name}"


def confirmed_reply(assignment: Assignment, lang: str = "vi", ascii_only: bool = False) -> str:
    label = shift_label(assignment, lang)
    if _lang(lang) == "en":
        return texts.finish(f"Confirmed: duty shift {label}. Thank you.", ascii_only)
    return texts.finish(f"Đã xác nhận ca trực {label}. Cảm ơn.", ascii_only)


def declined_reply(assignment: Assignment, lang: str = "vi", ascii_only: bool = False) -> str:
    label = shift_label(assignment, lang)
    if _lang(lang) == "en":
        return texts.finish(f"Declined: duty shift {label}. The coordinator has been told.", ascii_only)
    return texts.finish(f"Đã ghi nhận từ chối ca trực {label}. Điều phối viên đã được báo.", ascii_only)


def nothing_to_confirm_reply(lang: str = "vi", ascii_only: bool = False) -> str:
    if _lang(lang) == "en":
        return texts.finish("You have no upcoming duty shift waiting for confirmation.", ascii_only)
    return texts.finish("Không có ca trực sắp tới nào chờ xác nhận.", ascii_only)


def help_reply(centre: Any, lang: str = "vi", ascii_only: bool = False) -> str:
    """For a word we do not know, from a known person."""
    return texts.render_reply_help(lang=_lang(lang), ascii=ascii_only, centre=centre)


def unknown_number_reply() -> str:
    """For a number we do not know: both languages, plain GSM-7."""
    return texts.to_ascii("Số này chưa đăng ký nhận lịch trực, xin liên hệ điều phối viên. / This number is not "
                          "registered for duty SMS; please contact your coordinator.")


def decline_alert(assignment: Assignment, recipient: Any, reason: str = "") -> str:
    """To a coordinator: who declined which shift (texts' alert), and that a repair of the roster finds a cover."""
    lang, centre = texts.language(recipient), assignment.roster.centre
    ascii_only = ascii_for(recipient, centre)
    person = assignment.person
    item = texts.ShiftItem.of(assignment.shift, assignment.role, ZoneInfo(centre.timezone))
    body = texts.render_decline_alert(lang=lang, ascii=ascii_only, centre=centre, person_name=person.full_name,
                                      person_phone=person.phone, item=item, reason=reason)
    hint = " Sửa lịch trực (repair) để tìm người thay." if lang == "vi" else " Start a roster repair to find cover."
    return body + texts.finish(hint, ascii_only)


def decline_withdrawn_alert(assignment: Assignment, recipient: Any) -> str:
    """To the same coordinators when the person confirms after all: no repair is needed any more."""
    lang, centre = texts.language(recipient), assignment.roster.centre
    person = assignment.person
    item = texts.ShiftItem.of(assignment.shift, assignment.role, ZoneInfo(centre.timezone))
    line = texts.shift_line(item, lang)
    if lang == "en":
        body = f"{texts.prefix(centre)}: {person.full_name} now CONFIRMS {line} (decline withdrawn): no cover needed."
    else:
        body = (f"{texts.prefix(centre)}: {person.full_name} đã XÁC NHẬN lại ca {line} (rút từ chối): "
                "không cần người thay.")
    return texts.finish(body, ascii_for(recipient, centre))
