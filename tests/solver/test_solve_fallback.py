"""When CP-SAT finds nothing in its time, solve() returns the valid starting roster rather than no roster."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from duty_roster.solver import solve as solve_module
from duty_roster.solver.solution import FEASIBLE
from duty_roster.solver.solve import solve
from duty_roster.solver.validate import validate
from tests.solver.builders import make_person, make_problem, make_shift


def test_a_search_that_times_out_empty_returns_the_starting_roster(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = make_problem(
        [make_person("a"), make_person("b")],
        [make_shift(1, "07:30", 4, sid="s1"), make_shift(2, "07:30", 4, sid="s2")],
    )

    def timed_out(*_args: object, **_kwargs: object) -> tuple[cp_model.CpSolver, int, float]:
        return cp_model.CpSolver(), cp_model.UNKNOWN, 0.0  # what CP-SAT says when the limit comes first

    monkeypatch.setattr(solve_module, "run", timed_out)
    solution = solve(problem, time_limit=1.0, workers=1)

    assert solution.status == FEASIBLE
    assert {a.shift for a in solution.assignments} == {"s1", "s2"}  # the greedy start covers both
    assert solution.uncovered == ()
    assert validate(problem, solution.assignments) == []
    assert solution.best_bound is None and solution.gap is None  # nothing was proven
    assert [w.rule for w in solution.warnings] == ["time_limit"]
