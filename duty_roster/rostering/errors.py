"""Errors a use case raises for the caller to show (CLI line, API 4xx, UI message)."""

from __future__ import annotations

from collections.abc import Iterable

from duty_roster.solver.validate import Violation


class RosteringError(ValueError):
    """A request the rostering layer refuses, with a message that says what is wrong and what to do."""


class HardRuleViolation(RosteringError):
    """A manual change or a swap would break hard rules. `violations` are the independent validator's, only those the
    change introduces (a roster already illegal elsewhere does not block an unrelated edit)."""

    def __init__(self, what: str, violations: Iterable[Violation]) -> None:
        self.violations = list(violations)
        self.rules = sorted({v.rule for v in self.violations})
        details = "; ".join(v.message for v in self.violations)
        super().__init__(
            f"{what} vi phạm quy tắc bắt buộc ({', '.join(self.rules)}) / {what} breaks hard rules "
            f"({', '.join(self.rules)}): {details}"
        )
