"""Coverage: every shift gets the people its location requires, per role (elastic, so a roster always exists)."""

from __future__ import annotations

from duty_roster.solver.model import RosterModel


def coverage(m: RosterModel) -> None:
    """assigned + uncovered == demand per (shift, role); each missing person costs `shift.under_weight` (default
    `weights.uncovered`). Over-cover is forbidden unless `shift.over_weight` is set, then it costs that per extra
    person (the benchmark's cover weights). Penalty terms are named "coverage".

    Locks win: if more people are locked on a slot than it demands, the cap rises to the locked count (warning).
    """
    weights = m.problem.weights
    for shift in m.problem.shifts:
        for role, demand in shift.demand.items():
            if demand <= 0 and shift.over_weight is None:
                continue
            uncovered = m.uncovered.get((shift.id, role), 0)  # no variable when nobody is demanded
            lits = [var for _person, _role, var in m.vars_for_shift(shift.id, role)]
            under = weights.uncovered if shift.under_weight is None else shift.under_weight
            if not isinstance(uncovered, int):
                m.add_penalty("coverage", uncovered, under)
            message = f"{demand} {role} on {shift.id}"
            params = {"shift": shift.id, "role": role, "demand": str(demand)}
            if shift.over_weight is not None:
                over = m.model.new_int_var(0, max(0, len(lits) - demand), f"over[{shift.id},{role}]")
                m.add_hard("coverage", sum(lits) + uncovered - over == demand,
                           shifts=(shift.id,), message=message, params=params)
                m.add_penalty("coverage", over, shift.over_weight)
                continue
            locked = sum(1 for lit in lits if m.is_locked(lit))
            if locked <= demand:
                m.add_hard("coverage", sum(lits) + uncovered == demand,
                           shifts=(shift.id,), message=message, params=params)
            else:
                m.warn("coverage", f"{locked} people locked on {shift.id} as {role}, demand {demand}", params)
                m.add_hard("coverage", [sum(lits) <= locked, sum(lits) + uncovered >= demand],
                           shifts=(shift.id,), message=message, params=params)
