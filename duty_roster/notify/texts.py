"""What the text messages say: short renderers per message kind, Vietnamese first (English on request), with an
ASCII (no diacritics) form, and SMS segment counting.

Why short: one Vietnamese diacritic switches a message to UCS-2 (70 characters a part instead of 160), and some
gateways reject Unicode, so every renderer can return a diacritics-free body (`ascii=True`). Messages say who is on
duty, when and where, never anything about a detainee or a case (Decree 13/2023).

ASCII choice (`wants_ascii`): a person's own `sms_ascii=True` always wins (their phone or network mangles Unicode);
otherwise the centre's `settings["sms_ascii"]` when the centre set it; otherwise the SMS_ASCII setting. A person's
`sms_ascii=False` only means "no personal preference", so a centre that sends ASCII sends ASCII to everyone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from duty_roster.phones import display_phone

# --- segments ---

# GSM 03.38 basic character set (the escape 0x1B itself excluded) and its extension table (2 septets each).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
GSM7_SINGLE, GSM7_MULTI = 160, 153  # septets in one part / in each part of a concatenated message
UCS2_SINGLE, UCS2_MULTI = 70, 67  # UTF-16 code units likewise


@dataclass(frozen=True)
class SegmentCount:
    """How a body travels: its encoding, the number of SMS parts billed, and the units counted (GSM-7 septets, an
    extension character counting 2, or UTF-16 code units)."""

    encoding: str  # "GSM-7" | "UCS-2"
    parts: int
    characters: int


def is_gsm7(body: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in body)


def _parts(units: Sequence[int], single: int, multi: int) -> int:
    """Parts needed when an indivisible unit (an escape pair, a surrogate pair) never straddles two parts."""
    total = sum(units)
    if total == 0:
        return 0
    if total <= single:
        return 1
    parts, used = 1, 0
    for size in units:
        if used + size > multi:
            parts, used = parts + 1, 0
        used += size
    return parts


def segments(body: str) -> SegmentCount:
    """Count SMS parts the way carriers bill them: 160/153 GSM-7 septets, or 70/67 UTF-16 units in UCS-2."""
    if is_gsm7(body):
        units = [2 if ch in GSM7_EXTENSION else 1 for ch in body]
        return SegmentCount("GSM-7", _parts(units, GSM7_SINGLE, GSM7_MULTI), sum(units))
    units = [2 if ord(ch) > 0xFFFF else 1 for ch in body]
    return SegmentCount("UCS-2", _parts(units, UCS2_SINGLE, UCS2_MULTI), sum(units))


# --- diacritics ---

_PUNCTUATION = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "\u00a0": " "})


def strip_diacritics(text: str) -> str:
    """Vietnamese without diacritics: NFD, drop the combining marks, and map đ/Đ (not decomposable) to d/D."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def to_ascii(text: str) -> str:
    """The GSM-7-safe form of a body: diacritics stripped, typographic dashes and quotes made plain, anything else
    outside GSM-7 replaced by "?" so the message can never fall back to UCS-2."""
    plain = strip_diacritics(text).translate(_PUNCTUATION)
    return "".join(ch if ch in GSM7_BASIC or ch in GSM7_EXTENSION else "?" for ch in plain)


def finish(body: str, ascii: bool) -> str:
    return to_ascii(body) if ascii else body


def wants_ascii(person: Any, centre: Any, default: bool) -> bool:
    """Person True forces ASCII; else the centre's explicit `settings["sms_ascii"]`; else the global default."""
    if person is not None and getattr(person, "sms_ascii", False):
        return True
    settings: Mapping[str, Any] = (getattr(centre, "settings", None) or {}) if centre is not None else {}
    if isinstance(settings.get("sms_ascii"), bool):
        return bool(settings["sms_ascii"])
    return default


def language(person: Any) -> str:
    lang = getattr(person, "sms_language", None) or "vi"
    return lang if lang in ("vi", "en") else "vi"


# --- shared pieces ---

WEEKDAYS = {"vi": ("T2", "T3", "T4", "T5", "T6", "T7", "CN"), "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
ROLE_ASSISTANT = {"vi": "hỗ trợ", "en": "assistant"}


@dataclass(frozen=True)
class ShiftItem:
    """One shift as a message shows it: local start/end, the location's short name (its code), duty type, role."""

    start: datetime  # local (centre time zone)
    end: datetime
    place: str  # short name: the location code, e.g. "TAND-KV1"
    place_name: str  # the full name (for screens; SMS use the short one)
    duty_type: str  # "court" | "investigation"
    role: str  # "duty" | "assistant"

    @classmethod
    def of(cls, shift: Any, role: str, tz: ZoneInfo) -> ShiftItem:
        location = shift.location
        return cls(shift.start_at.astimezone(tz), shift.end_at.astimezone(tz), location.code, location.name,
                   str(getattr(shift.duty_type, "value", shift.duty_type)), role)

    @property
    def on_call(self) -> bool:
        return self.duty_type == "investigation"


def prefix(centre: Any) -> str:
    """The SMS prefix: the centre's short name ("TGPL CT"), else "TGPL <code>"."""
    short = (getattr(centre, "short_name", "") or "").strip()
    return short or f"TGPL {centre.code}"


def _tgpl_name(centre: Any) -> str:
    """`prefix` with "TGPL" exactly once, for "Lịch trực TGPL CT ..."."""
    name = prefix(centre)
    return name if name.upper().startswith("TGPL") else f"TGPL {name}"


def shift_line(item: ShiftItem, lang: str) -> str:
    """"T3 02/12 07:30–11:30 TAND-KV1" (+ " (hỗ trợ)" for the assistant role)."""
    line = (f"{WEEKDAYS[lang][item.start.weekday()]} {item.start:%d/%m} {item.start:%H:%M}–{item.end:%H:%M} "
            f"{item.place}")
    return line + (f" ({ROLE_ASSISTANT[lang]})" if item.role == "assistant" else "")


def _when(item: ShiftItem, lang: str) -> str:
    """"T3 02/12 07:30–11:30", naming the end's day too when the shift runs past midnight (24 h on-call)."""
    wd = WEEKDAYS[lang]
    start = f"{wd[item.start.weekday()]} {item.start:%d/%m} {item.start:%H:%M}"
    if item.end.date() == item.start.date():
        return f"{start}–{item.end:%H:%M}"
    return f"{start}–{wd[item.end.weekday()]} {item.end:%d/%m} {item.end:%H:%M}"


def _phone(e164: str | None) -> str:
    if not e164:
        return ""
    try:
        return display_phone(e164).replace(" ", "")
    except Exception:  # a number that no longer parses is shown as stored
        return e164


def _pick(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


HELP = {"vi": "Trả lời OK để xác nhận, KHONG để từ chối", "en": "Reply OK to confirm, NO to decline"}


# --- renderers: one per message kind; all take lang ("vi"/"en") and ascii ---


def render_publish(*, lang: str, ascii: bool, centre: Any, period_start: date, period_end: date,
                   items: Sequence[ShiftItem], link: str | None) -> str:
    """First version of a period: the person's shifts, one a line, then their calendar feed link."""
    head = _pick(lang, f"Lịch trực {_tgpl_name(centre)} {period_start:%d/%m}–{period_end:%d/%m}:",
                 f"{_tgpl_name(centre)} duty roster {period_start:%d/%m}–{period_end:%d/%m}:")
    lines = [head, *(shift_line(i, lang) for i in items)]
    if link:
        lines.append(_pick(lang, f"Lịch: {link}", f"Calendar: {link}"))
    return finish("\n".join(lines), ascii)


def render_change(*, lang: str, ascii: bool, centre: Any, version: int | None, removed: Sequence[ShiftItem],
                  added: Sequence[ShiftItem], link: str | None = None) -> str:
    """A later version: what was taken off ("Bỏ:") and put on ("Thêm:") this person's roster."""
    ver = f" (v{version})" if version else ""
    lines = [_pick(lang, f"{prefix(centre)}: Lịch trực thay đổi{ver}", f"{prefix(centre)}: roster changed{ver}")]
    lines += [_pick(lang, "Bỏ: ", "Removed: ") + shift_line(i, lang) for i in removed]
    lines += [_pick(lang, "Thêm: ", "Added: ") + shift_line(i, lang) for i in added]
    if link:
        lines.append(_pick(lang, f"Lịch: {link}", f"Calendar: {link}"))
    return finish("\n".join(lines), ascii)


def render_reminder(*, lang: str, ascii: bool, centre: Any, item: ShiftItem, partner_name: str | None = None,
                    partner_phone: str | None = None, ask_confirm: bool = False) -> str:
    """A reminder: when and where; for on-call duty, the partner on the shift (the duty assistant, or the duty
    person when the recipient is the assistant) and the centre's duty phone."""
    assisting = item.role == "assistant"
    if item.on_call:
        what = _pick(lang, "Nhắc hỗ trợ trực" if assisting else "Nhắc trực",
                     "Reminder: assistant for" if assisting else "Reminder:") + \
            _pick(lang, " TGPL điều tra hình sự", " criminal investigation legal-aid duty")
    else:
        what = _pick(lang, "Nhắc hỗ trợ trực" if assisting else "Nhắc trực",
                     "Reminder: assistant for" if assisting else "Reminder:") + \
            _pick(lang, " TGPL tại Tòa án", " court legal-aid duty")
    parts = [f"{prefix(centre)}: {what} {_when(item, lang)}, {item.place}."]
    if item.on_call and partner_name:
        label = _pick(lang, "Người trực", "Duty person") if item.role == "assistant" else \
            _pick(lang, "Hỗ trợ trực", "Duty assistant")
        parts.append(f"{label}: {partner_name} {_phone(partner_phone)}".rstrip() + ".")
    if item.on_call and getattr(centre, "duty_phone", None):
        parts.append(_pick(lang, "SĐT trực TT: ", "Centre duty line: ") + _phone(centre.duty_phone) + ".")
    if ask_confirm:
        parts.append(HELP[lang])
    return finish(" ".join(parts), ascii)


SWAP_EVENTS = ("requested", "accepted", "approved", "rejected")


def render_swap(*, lang: str, ascii: bool, centre: Any, event: str, item: ShiftItem, other_name: str,
                giving: bool, link: str | None = None) -> str:
    """A swap step. `other_name` is the colleague on the other side; `giving` tells whether the recipient hands the
    shift over (True) or takes it (False)."""
    line = shift_line(item, lang)
    p = prefix(centre)
    if event == "requested":
        body = _pick(lang, f"{p}: {other_name} đề nghị bạn nhận ca {line}.", f"{p}: {other_name} asks you to take "
                                                                                 f"the shift {line}.")
        if link:
            body += _pick(lang, f" Trả lời tại {link}", f" Answer at {link}")
    elif event == "accepted":
        body = _pick(lang, f"{p}: {other_name} đã nhận ca {line} của bạn, chờ duyệt.",
                     f"{p}: {other_name} accepted your shift {line}; awaiting approval.")
    elif event == "approved":
        body = _pick(lang, f"{p}: Đổi ca đã duyệt. ", f"{p}: Swap approved. ")
        body += (_pick(lang, f"Bạn KHÔNG còn trực {line} ({other_name} thay).",
                       f"You are NO LONGER on {line} ({other_name} takes it).") if giving else
                 _pick(lang, f"Bạn trực {line} (thay {other_name}).", f"You are now on {line} (for {other_name})."))
    elif event == "rejected":
        body = _pick(lang, f"{p}: Đổi ca {line} không thành. ", f"{p}: Swap of {line} turned down. ")
        body += (_pick(lang, "Bạn vẫn trực ca này.", "You keep this shift.") if giving else
                 _pick(lang, "Bạn không nhận ca này.", "You do not take this shift."))
    else:
        raise ValueError(f"unknown swap event {event!r}; expected one of {', '.join(SWAP_EVENTS)}")
    return finish(body, ascii)


def render_decline_alert(*, lang: str, ascii: bool, centre: Any, person_name: str, person_phone: str | None,
                         item: ShiftItem, reason: str = "") -> str:
    """To coordinators: someone declined a shift; it needs a replacement."""
    who = f"{person_name} {_phone(person_phone)}".rstrip()
    body = _pick(lang, f"{prefix(centre)}: {who} TỪ CHỐI ca {shift_line(item, lang)}. Cần người thay.",
                 f"{prefix(centre)}: {who} DECLINED {shift_line(item, lang)}. Find a replacement.")
    if reason.strip():
        body += _pick(lang, " Lý do: ", " Reason: ") + " ".join(reason.split())[:80]
    return finish(body, ascii)


def render_unconfirmed_alert(*, lang: str, ascii: bool, centre: Any, person_name: str, person_phone: str | None,
                             item: ShiftItem) -> str:
    """To coordinators (and the on-call partner): a shift soon to start is not confirmed yet."""
    who = f"{person_name} {_phone(person_phone)}".rstrip()
    return finish(_pick(lang, f"{prefix(centre)}: {who} CHƯA xác nhận ca {shift_line(item, lang)}.",
                        f"{prefix(centre)}: {who} has NOT confirmed {shift_line(item, lang)}."), ascii)


def render_reply_help(*, lang: str, ascii: bool, centre: Any) -> str:
    """The answer to a reply we could not read."""
    return finish(f"{prefix(centre)}: {HELP['en' if lang == 'en' else 'vi']}.", ascii)
