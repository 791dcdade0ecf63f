"""Continuity: the same few faces at a location, and people working in their own branch."""

from __future__ import annotations

from collections import defaultdict

from duty_roster.solver.model import RosterModel


def continuity(m: RosterModel) -> None:
    """Fewer distinct people per location, role and ISO week: each person beyond the first costs
    `weights.continuity_people` (courts and police liaise better with a familiar duty person)."""
    weight = m.problem.weights.continuity_people
    if weight <= 0:
        return
    groups: dict[tuple[str, tuple[int, int], str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for shift in m.shifts_sorted:
        if not shift.location:
            continue
        week = tuple(shift.day.isocalendar())[:2]
        for person, role, var in m.vars_for_shift(shift.id):
            groups[shift.location, week, role][person.id].append(var)
    for (location, (year, week), role), by_person in sorted(groups.items()):
        if len(by_person) < 2:
            continue
        used = [m.any_of(lits, f"used[{pid},{location},{year}W{week},{role}]") for pid, lits in by_person.items()]
        excess = m.model.new_int_var(0, len(used) - 1, f"continuity[{location},{year}W{week},{role}]")
        m.model.add(excess >= sum(used) - 1)
        m.add_penalty("continuity", excess, weight)


def cross_branch(m: RosterModel) -> None:
    """Each assignment at a location outside the person's own branch costs `weights.cross_branch` (travel)."""
    weight = m.problem.weights.cross_branch
    if weight <= 0:
        return
    for person in m.problem.people:
        if person.branch is None:
            continue
        for shift, _role, var in m.vars_for_person(person.id):
            if shift.area is not None and shift.area != person.branch:
                m.add_penalty("cross_branch", var, weight)
