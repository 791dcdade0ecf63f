"""Phone numbers: parsed with `phonenumbers` (region VN), stored as E.164, masked in logs."""

from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    """A phone number that is not a valid number (message in Vietnamese, then English)."""


def normalise_phone(raw: str, region: str = "VN") -> str:
    """Return `raw` in E.164 (+84...), or raise InvalidPhone saying why."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("Số điện thoại trống / phone number is empty")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"Số điện thoại không đọc được: {text!r} / unreadable phone number ({exc})") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"Số điện thoại không hợp lệ: {text!r} / not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str | None) -> str:
    """+84912345678 -> +8491****678: enough to tell numbers apart in a log, not enough to call."""
    if not e164:
        return ""
    if len(e164) <= 7:
        return "*" * len(e164)
    return e164[:5] + "*" * (len(e164) - 8) + e164[-3:]


def display_phone(e164: str, region: str = "VN") -> str:
    """National format for people (0912 345 678)."""
    return phonenumbers.format_number(phonenumbers.parse(e164, region), phonenumbers.PhoneNumberFormat.NATIONAL)
