"""SEQUENCE, LAST-MODIFIED and cancellation folded from published versions (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from duty_roster.calendar.history import Version, fold

T1, T2, T3, T4 = (datetime(2027, 2, d, tzinfo=UTC) for d in (1, 2, 3, 4))


def test_unchanged_events_keep_sequence_zero_and_their_first_publication() -> None:
    states = fold([Version(T1, {1: "duty", 2: "duty"}), Version(T2, {1: "duty", 2: "duty"})])
    assert {k: (s.sequence, s.last_modified, s.cancelled) for k, s in states.items()} == {
        1: (0, T1, False), 2: (0, T1, False)}


def test_a_changed_event_counts_each_version_that_changed_it() -> None:
    states = fold([Version(T1, {1: "duty"}), Version(T2, {1: "assistant"}), Version(T3, {1: "assistant"}),
                   Version(T4, {1: "duty"})])
    assert (states[1].sequence, states[1].content, states[1].last_modified) == (2, "duty", T4)


def test_a_dropped_event_is_cancelled_with_its_last_content_and_comes_back_with_a_higher_sequence() -> None:
    dropped = fold([Version(T1, {1: "duty", 2: "duty"}), Version(T2, {2: "duty"})])
    assert (dropped[1].cancelled, dropped[1].sequence, dropped[1].content, dropped[1].last_modified) == (
        True, 1, "duty", T2)
    back = fold([Version(T1, {1: "duty"}), Version(T2, {}), Version(T3, {1: "duty"})])
    assert (back[1].cancelled, back[1].sequence, back[1].last_modified) == (False, 2, T3)


def test_an_event_first_seen_in_a_later_version_starts_at_zero() -> None:
    states = fold([Version(T1, {}), Version(T2, {5: "duty"})])
    assert (states[5].sequence, states[5].last_modified, states[5].cancelled) == (0, T2, False)
