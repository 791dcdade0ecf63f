"""The solve report stored with a draft: the Solution as JSON, with shift ids and person codes."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from duty_roster.solver.solution import Solution


def solve_report(solution: Solution, *, time_limit: float) -> dict[str, Any]:
    return {
        "status": solution.status,
        "objective": solution.objective,
        "best_bound": solution.best_bound,
        "gap": solution.gap,
        "seconds": round(solution.seconds, 3),
        "time_limit": time_limit,
        "changes": solution.changes,
        "penalties": dict(solution.penalties),
        "uncovered": [
            {
                "shift_id": int(slot.shift),
                "role": slot.role,
                "missing": slot.missing,
                "candidates": [
                    {
                        "person": c.person,
                        "reasons": [
                            {"rule": r.rule, "message": r.message, "params": dict(r.params)} for r in c.reasons
                        ],
                    }
                    for c in slot.candidates
                ],
            }
            for slot in solution.uncovered
        ],
        "stats": [asdict(s) for s in solution.stats],
    }
