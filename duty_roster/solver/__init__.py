"""The roster solver: a pure library. `Problem` in, `Solution` out (CP-SAT underneath).

    from duty_roster.solver import solve, repair
    solution = solve(problem, time_limit=10)

No Flask, no database, no other duty_roster package: `rostering/` builds the Problem and stores the Solution.

The names below load on first use (PEP 562): importing the data classes (`duty_roster.solver.problem`, as the
centre-file schema does) must not load OR-Tools, which costs every web worker and CLI call a second or two.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "RosterModel": "model",
    "ineligibility_reasons": "model",
    "ASSISTANT": "problem",
    "DUTY": "problem",
    "Assignment": "problem",
    "History": "problem",
    "Person": "problem",
    "Preference": "problem",
    "Problem": "problem",
    "Rules": "problem",
    "Shift": "problem",
    "Unavailability": "problem",
    "Weights": "problem",
    "repair": "repair",
    "FEASIBLE": "solution",
    "NO_SOLUTION": "solution",
    "OPTIMAL": "solution",
    "CandidateExplanation": "solution",
    "PersonStats": "solution",
    "Progress": "solution",
    "Reason": "solution",
    "Solution": "solution",
    "UncoveredSlot": "solution",
    "solve": "solve",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
