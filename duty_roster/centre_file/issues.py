"""Problems found in a centre file: a path into the file plus a message, Vietnamese first, then English."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True, order=True)
class Issue:
    """One problem at one place, e.g. `people[3].phone: Số điện thoại không hợp lệ ... / not a valid phone number`.

    Paths count list entries from 0, as JSON tools and the loader's error list do.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class CentreFileError(Exception):
    """A centre file that cannot be loaded; `errors` lists every problem found (nothing was written)."""

    def __init__(self, errors: Sequence[Issue], warnings: Sequence[Issue] = ()) -> None:
        self.errors = list(errors)
        self.warnings = list(warnings)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def join_path(*parts: str | int) -> str:
    """("people", 3, "phone") -> "people[3].phone"; ("locations", 0, "shifts", 1) -> "locations[0].shifts[1]"."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part:
            text += f".{part}" if text else str(part)
    return text


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(error: Any) -> str:
    """Pydantic's English message, with a Vietnamese lead for the mistakes people make most."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    msg = error["msg"]
    given = error.get("input")
    if kind in {"clock", "code", "phone", "timezone", "date", "date_or_datetime", "weekday", "email", "tag", "length"}:
        return msg  # our own validators: already bilingual
    if kind == "missing":
        return "Thiếu trường bắt buộc / required field is missing"
    if kind == "extra_forbidden":
        return "Trường không được hỗ trợ (sai chính tả?) / unknown field (misspelt?)"
    if kind in {"literal_error", "enum"}:
        expected = ctx.get("expected", "")
        vi = expected.replace(" or ", " hoặc ")
        return f"Giá trị {_show(given)} không hợp lệ, cần một trong: {vi} / must be one of {expected}"
    if kind == "string_too_short":
        return "Không được để trống / must not be empty"
    if kind == "string_too_long":
        return f"Quá dài (tối đa {ctx.get('max_length')} ký tự) / too long (at most {ctx.get('max_length')} characters)"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return f"Giá trị {_show(given)} ngoài giới hạn / {msg}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"Sai kiểu dữ liệu: {_show(given)} / wrong type: {msg}"
    return f"Giá trị không hợp lệ: {_show(given)} / {msg}"


def from_validation_error(exc: ValidationError, *prefix: str | int) -> list[Issue]:
    """Every error pydantic found in one entry, with its full path in the file."""
    issues = []
    for error in exc.errors():
        loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        if loc and loc[-1] == "[key]":  # a bad dictionary key: point at the key itself
            loc = loc[:-1]
        issues.append(Issue(join_path(*prefix, *loc), _message(error)))
    return issues


def sort_issues(issues: Iterable[Issue]) -> list[Issue]:
    """In file order: sections as they come in the format, then entry numbers as numbers (people[10] after [9])."""
    from duty_roster.centre_file.schema import TOP_LEVEL_KEYS

    def key(issue: Issue) -> tuple[Any, ...]:
        section = issue.path.split("[", 1)[0].split(".", 1)[0]
        rank = TOP_LEVEL_KEYS.index(section) if section in TOP_LEVEL_KEYS else len(TOP_LEVEL_KEYS)
        parts: list[Any] = []
        for chunk in issue.path.replace("]", "").replace("[", ".#").split("."):
            parts.append((0, int(chunk[1:]), "") if chunk.startswith("#") and chunk[1:].isdigit() else (1, 0, chunk))
        return (rank, parts, issue.message)

    return sorted(dict.fromkeys(issues), key=key)
