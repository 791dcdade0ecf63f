"""Errors that name the fields at fault, raised by use cases and shown by the API as 4xx JSON.

A use case collects every problem it finds (like the centre-file loader) and raises them together, so a caller fixes
a request in one go rather than one error per round trip.
"""

from __future__ import annotations

from collections.abc import Iterable


class FieldErrors(ValueError):
    """One or more (field path, message) pairs. `status` is 422 for invalid values, 409 for conflicts with stored
    data (a duplicate code, overlapping leave, a record still in use)."""

    def __init__(self, errors: Iterable[tuple[str, str]], *, status: int = 422) -> None:
        self.errors = list(errors)
        self.status = status
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors))

    @classmethod
    def one(cls, field: str, message: str, *, status: int = 422) -> FieldErrors:
        return cls([(field, message)], status=status)


class Collector:
    """Gathers field errors; `raise_if_any()` raises them all at once (conflicts win the status when present)."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.conflict = False

    def add(self, field: str, message: str, *, conflict: bool = False) -> None:
        self.errors.append((field, message))
        self.conflict = self.conflict or conflict

    def raise_if_any(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors, status=409 if self.conflict else 422)
