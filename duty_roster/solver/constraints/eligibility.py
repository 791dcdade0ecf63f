"""Static eligibility and declared unavailability.

Both are enforced by construction: `RosterModel` creates no variable for a person who may never take a slot, so the
solver cannot even consider it (and the model stays small). The functions below exist so the rules have a name, a
place and a test, and to report the one exception: a locked assignment is kept even when it breaks them (locks
win; the lock was confirmed by a human or lies in the past), with a warning in `Solution.warnings`.
"""

from __future__ import annotations

from duty_roster.solver.model import ELIGIBILITY, UNAVAILABILITY, RosterModel


def _warn_locked(m: RosterModel, rule: str) -> None:
    for person_id, shift_id, role in sorted(m.locked_keys):
        person, shift = m.problem.person(person_id), m.problem.shift(shift_id)
        for reason in m.ineligibility_reasons(person, shift, role):
            if reason.rule == rule:
                m.warn(rule, f"locked assignment {person_id} on {shift_id} as {role}: {reason.message}",
                       {"person": person_id, "shift": shift_id, "role": role, **reason.params})


def eligibility(m: RosterModel) -> None:
    """Only people whose role, kind, area, skills, languages and contract fit a slot may take it."""
    _warn_locked(m, ELIGIBILITY)


def unavailability(m: RosterModel) -> None:
    """Nobody works a shift overlapping their declared leave, training or business trip."""
    _warn_locked(m, UNAVAILABILITY)
