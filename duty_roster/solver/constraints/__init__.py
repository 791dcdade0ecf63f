"""Every roster rule, one named function each, listed in one place: hard rules first, then soft goals.

A rule is `def rule_name(m: RosterModel) -> None`. Hard rules add constraints through `m.add_hard` (or the builders
`m.forbid_together` / `m.at_most`), soft goals add named terms through `m.add_penalty`. The function's name is the
rule's stable identifier: it names penalties, explanations (`Reason.rule`) and `Problem.soft_goals` entries.
"""

from __future__ import annotations

from duty_roster.solver.constraints.assignment import locked, one_role_per_shift
from duty_roster.solver.constraints.capacity import capacity
from duty_roster.solver.constraints.continuity import continuity, cross_branch
from duty_roster.solver.constraints.coverage import coverage
from duty_roster.solver.constraints.eligibility import eligibility, unavailability
from duty_roster.solver.constraints.fairness import fair_holidays, fair_load, fair_nights, fair_tet, fair_weekends
from duty_roster.solver.constraints.limits import max_shifts_per_day, max_shifts_per_type, total_minutes
from duty_roster.solver.constraints.preferences import preferences
from duty_roster.solver.constraints.rest import (
    max_consecutive_nights,
    minimum_rest,
    no_overlap,
    rest_after_long_shift,
)
from duty_roster.solver.constraints.sequences import (
    forbidden_successions,
    max_consecutive_days,
    min_consecutive_days,
    min_consecutive_days_off,
)
from duty_roster.solver.constraints.stability import stability
from duty_roster.solver.constraints.weekends import max_weekends
from duty_roster.solver.problem import Problem

HARD = (
    coverage,
    eligibility,
    unavailability,
    one_role_per_shift,
    no_overlap,
    minimum_rest,
    rest_after_long_shift,
    max_consecutive_nights,
    capacity,
    locked,
    max_shifts_per_day,
    forbidden_successions,
    max_shifts_per_type,
    total_minutes,
    max_consecutive_days,
    min_consecutive_days,
    min_consecutive_days_off,
    max_weekends,
)

SOFT = (
    fair_load,
    fair_nights,
    fair_weekends,
    fair_holidays,
    fair_tet,
    preferences,
    continuity,
    cross_branch,
    stability,
)

# Hard rules that explain.py leaves out of a one-person sub-problem: coverage is what is being explained, and the
# sub-problem fixes the person's assignments itself.
NOT_EXPLAINED = frozenset({"coverage", "locked"})


def selected_soft(problem: Problem) -> tuple:
    """The SOFT goals named in `problem.soft_goals` (all when None). "coverage" may be named: it is always applied
    (its penalty is the elastic demand). An unknown name is an error, not a silently ignored goal."""
    if problem.soft_goals is None:
        return SOFT
    known = {goal.__name__: goal for goal in SOFT}
    unknown = [name for name in problem.soft_goals if name not in known and name not in {r.__name__ for r in HARD}]
    if unknown:
        raise ValueError(f"unknown soft goal(s) {unknown}; known: {sorted(known)}")
    return tuple(goal for goal in SOFT if goal.__name__ in problem.soft_goals)
