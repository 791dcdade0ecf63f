"""The roster solver: a pure library. `Problem` in, `Solution` out (CP-SAT underneath).

    from duty_roster.solver import solve, repair
    solution = solve(problem, time_limit=10)

No Flask, no database, no other duty_roster package: `rostering/` builds the Problem and stores the Solution.
"""

from duty_roster.solver.model import RosterModel, ineligibility_reasons
from duty_roster.solver.problem import (
    ASSISTANT,
    DUTY,
    Assignment,
    History,
    Person,
    Preference,
    Problem,
    Rules,
    Shift,
    Unavailability,
    Weights,
)
from duty_roster.solver.repair import repair
from duty_roster.solver.solution import (
    FEASIBLE,
    NO_SOLUTION,
    OPTIMAL,
    CandidateExplanation,
    PersonStats,
    Progress,
    Reason,
    Solution,
    UncoveredSlot,
)
from duty_roster.solver.solve import solve

__all__ = [
    "ASSISTANT",
    "DUTY",
    "FEASIBLE",
    "NO_SOLUTION",
    "OPTIMAL",
    "Assignment",
    "CandidateExplanation",
    "History",
    "Person",
    "PersonStats",
    "Preference",
    "Problem",
    "Progress",
    "Reason",
    "RosterModel",
    "Rules",
    "Shift",
    "Solution",
    "Unavailability",
    "UncoveredSlot",
    "Weights",
    "ineligibility_reasons",
    "repair",
    "solve",
]
