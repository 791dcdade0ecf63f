"""Event history across published versions: what makes UIDs, SEQUENCE and cancellations stable and deterministic.

Each published version of a period maps event keys (e.g. (shift id, person id)) to a hashable content (e.g. the
role). Folding the versions in order gives every event that ever appeared its latest content, the number of
versions in which its content changed (RFC 5545 SEQUENCE), when it last changed (LAST-MODIFIED) and whether the
latest version dropped it (STATUS:CANCELLED). Nothing here reads a clock: the same versions give the same states.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Version:
    """One published version's events: key -> content (any hashable; equal content = unchanged event)."""

    published_at: datetime
    contents: Mapping[Hashable, Hashable]


@dataclass(frozen=True)
class EventState:
    key: Hashable
    content: Hashable  # the latest content it had (for a cancelled event: what was cancelled)
    sequence: int  # versions after its first in which the content differed from the version before
    last_modified: datetime  # published_at of the version that last changed it
    cancelled: bool  # the latest version no longer has it


def fold(versions: Iterable[Version]) -> dict[Hashable, EventState]:
    """The state of every event seen in `versions` (oldest first)."""
    states: dict[Hashable, EventState] = {}
    current: dict[Hashable, Hashable] = {}  # key -> content in the version before (absent = not in it)
    for version in versions:
        for key in set(states) | set(version.contents):
            new = version.contents.get(key)
            state = states.get(key)
            if state is None:
                states[key] = EventState(key, new, 0, version.published_at, False)
            elif new != current.get(key):
                states[key] = EventState(key, new if new is not None else state.content, state.sequence + 1,
                                         version.published_at, new is None)
        current = dict(version.contents)
    return states
