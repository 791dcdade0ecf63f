"""Solve a tiny problem under chosen rule functions only, for the ConstraintVerifier-style rule tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import Problem


@dataclass
class Outcome:
    status: str
    assigned: set[tuple[str, str]]  # (person, shift)
    objective: int
    penalties: dict[str, int]
    model: RosterModel


def solve_rules(problem: Problem, *rules: Callable[[RosterModel], None], seconds: float = 2.0) -> Outcome:
    """Build a model with `rules` only (add `coverage` to make the solver want people), minimise, read it back."""
    m = RosterModel(problem)
    m.apply(rules)
    m.finalize()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    status = solver.solve(m.model)
    name = solver.status_name(status)
    assert name in ("OPTIMAL", "INFEASIBLE"), name
    if name == "INFEASIBLE":
        return Outcome(name, set(), 0, {}, m)
    assigned = {(p, s) for (p, s, _r), var in m.x.items() if solver.value(var)}
    objective = int(solver.objective_value) if m.penalties else 0
    return Outcome(name, assigned, objective, m.penalty_breakdown(solver), m)
