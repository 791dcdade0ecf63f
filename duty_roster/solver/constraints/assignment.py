"""Rules about single assignments: one role per shift, locked assignments."""

from __future__ import annotations

from collections import defaultdict

from duty_roster.solver.model import RosterModel


def one_role_per_shift(m: RosterModel) -> None:
    """A person holds at most one role on a shift (not both người trực and người hỗ trợ trực)."""
    for person in m.problem.people:
        by_shift: dict[str, list] = defaultdict(list)
        for shift, _role, var in m.vars_for_person(person.id):
            by_shift[shift.id].append(var)
        for shift_id, lits in by_shift.items():
            if len(lits) > 1:
                m.at_most("one_role_per_shift", lits, 1, person=person.id, shifts=(shift_id,),
                          message=f"one role on {shift_id}", params={"shift": shift_id})


def locked(m: RosterModel) -> None:
    """Locked assignments (past shifts, hand-confirmed ones) stay exactly as they are."""
    for person_id, shift_id, role in sorted(m.locked_keys):
        m.add_hard("locked", m.x[person_id, shift_id, role] == 1, person=person_id, shifts=(shift_id,),
                   message=f"{person_id} is locked on {shift_id} as {role}", params={"role": role})
