"""Errors a use case raises for the caller to show (CLI line, API 4xx, UI message)."""


class RosteringError(ValueError):
    """A request the rostering layer refuses, with a message that says what is wrong and what to do."""
