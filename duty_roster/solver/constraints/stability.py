"""Stability: when re-solving a published roster, change as little as possible."""

from __future__ import annotations

from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import Assignment, Problem


def published_changes(problem: Problem, assignments: set[Assignment]) -> int:
    """Published assignments dropped + new assignments on a (shift, role) that had a published one: what
    `stability` penalises, counted on a finished roster (Solution.changes)."""
    published = set(problem.published)
    slots = {(a.shift, a.role) for a in published}
    dropped = len(published - assignments)
    added = sum(1 for a in assignments - published if (a.shift, a.role) in slots)
    return dropped + added


def stability(m: RosterModel) -> None:
    """Each published assignment dropped, and each new person on a published (shift, role), costs
    `weights.stability`. A published assignment that can no longer exist (new leave) costs it unconditionally."""
    weight = m.problem.weights.stability
    published = set(m.problem.published)
    if weight <= 0 or not published:
        return
    slots = {(a.shift, a.role) for a in published}
    for a in sorted(published, key=lambda a: (a.shift, a.role, a.person)):
        var = m.x.get((a.person, a.shift, a.role))
        m.add_penalty("stability", 1 if var is None else 1 - var, weight)
    for (person_id, shift_id, role), var in m.x.items():
        if (shift_id, role) in slots and Assignment(person_id, shift_id, role) not in published:
            m.add_penalty("stability", var, weight)
