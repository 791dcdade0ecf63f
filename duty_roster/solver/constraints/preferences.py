"""Preferences: wished and avoided days and shifts (nguyện vọng), a soft goal."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import Preference, Shift


def _matches(pref: Preference, shift: Shift) -> bool:
    return (
        (pref.shift is None or shift.id == pref.shift)
        and (pref.day is None or shift.day == pref.day)
        and (pref.weekday is None or shift.day.weekday() == pref.weekday)
        and (pref.type is None or shift.type == pref.type)
    )


def preferences(m: RosterModel) -> None:
    """Each `Preference` costs `weights.preference * pref.weight` when it is not met:

    - wanted: per matched day on which the person works none of the matching shifts (a wish for one shift on one
      day, the benchmark's shift-on request, is missed by being off *or* by working another shift). A wish the
      person can never meet (ineligible, on leave) still costs its weight, so the objective stays honest;
    - unwanted: per matching shift the person works (the benchmark's shift-off request).
    Penalty terms are named "preferences"."""
    factor = m.problem.weights.preference
    if factor == 0:
        return
    people = {p.id for p in m.problem.people}
    for pref in m.problem.preferences:
        if pref.person not in people or pref.weight == 0:
            continue
        weight = factor * pref.weight
        candidates = m.shifts_on_day(pref.day) if pref.day is not None else m.shifts_sorted
        matching = [s for s in candidates if _matches(pref, s)]
        if pref.wanted:
            by_day: dict[date, list] = defaultdict(list)
            for shift in matching:
                by_day[shift.day].append(m.works(pref.person, shift.id))
            for day, lits in sorted(by_day.items()):
                met = m.any_of(lits, f"wish[{pref.person},{day}]")
                m.add_penalty("preferences", 1 if met is m.false else 1 - met, weight)
        else:
            for shift in matching:
                lit = m.works(pref.person, shift.id)
                if lit is not m.false:
                    m.add_penalty("preferences", lit, weight)
