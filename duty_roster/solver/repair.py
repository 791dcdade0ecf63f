"""Repair a published roster after a change (sickness, new leave, a new shift) with as few changes as possible.

Lexicographic, in two solves, rather than one solve with a dominant stability weight:
1. minimise coverage + stability only (coverage's weight per missing person dwarfs a change, so a slot is filled
   whenever a handful of changes can fill it; then as few changes as possible);
2. keep the uncovered cost and the number of changes at most what stage 1 reached, and optimise everything else
   (fairness, preferences, continuity) among the rosters that are equally stable.
A dominant weight would need to exceed the largest possible sum of every other goal to be truly lexicographic,
and such huge coefficients weaken CP-SAT's bounds; two small solves give the exact order and each stays easy
(stage 2 starts from stage 1's roster as a hint). People affected by a repair see exactly the changes they must,
and no reshuffle "for fairness" on top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from ortools.sat.python import cp_model

from duty_roster.solver import constraints
from duty_roster.solver.constraints.stability import stability
from duty_roster.solver.greedy import greedy_roster
from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import Problem
from duty_roster.solver.solution import FEASIBLE, OPTIMAL, Progress, Solution
from duty_roster.solver.solve import DEFAULT_WORKERS, add_hints, assignments_of, run, to_solution

STAGE_ONE_SHARE = 0.5  # share of the time limit for stage 1


def lock_past(problem: Problem, before: datetime) -> Problem:
    """`problem` with every published assignment on a shift starting before `before` locked (it happened)."""
    past = {s.id for s in problem.shifts if s.start < before}
    extra = tuple(a for a in problem.published if a.shift in past and a not in set(problem.locked))
    return replace(problem, locked=(*problem.locked, *extra))


def repair(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    workers: int = DEFAULT_WORKERS,
    seed: int = 0,
    lock_before: datetime | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    explain: bool = True,
    log: Callable[[str], None] | None = None,
    deterministic: bool = True,
) -> Solution:
    """Re-plan `problem` (its `published` is the current roster, its unavailability includes the new absences) with
    minimal changes first, then the other goals (see the module docstring). `lock_before` locks every published
    assignment on a shift that started before that instant."""
    if lock_before is not None:
        problem = lock_past(problem, lock_before)
    soft = constraints.selected_soft(problem)
    if stability not in soft:
        soft = (*soft, stability)

    first = RosterModel.build(problem, soft=(stability,))
    # Start from the published roster with the now-impossible assignments dropped and their slots refilled: a
    # covered roster with few changes, even when the time limit leaves CP-SAT no time of its own.
    add_hints(first, greedy_roster(first, keep=problem.published) or problem.published)
    stage_one_limit = time_limit * STAGE_ONE_SHARE
    solver, status, seconds = run(first, time_limit=stage_one_limit, workers=workers, seed=seed,
                                  on_progress=on_progress, deterministic=deterministic, log=log)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return to_solution(first, solver, status, seconds, explain=False)
    coverage_cost = round(solver.value(first.penalty_expr(["coverage"])))
    change_cost = round(solver.value(first.penalty_expr(["stability"])))
    stage_one = assignments_of(first, solver)

    second = RosterModel.build(problem, soft=soft)
    second.model.add(second.penalty_expr(["coverage"]) <= coverage_cost)
    second.model.add(second.penalty_expr(["stability"]) <= change_cost)
    add_hints(second, stage_one)
    remaining = max(0.5, time_limit - seconds)
    solver2, status2, seconds2 = run(second, time_limit=remaining, workers=workers, seed=seed,
                                     on_progress=on_progress, deterministic=deterministic, log=log)
    budget = max(1.0, time_limit / 4)
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solution = to_solution(second, solver2, status2, seconds + seconds2, explain=explain,
                               explain_time_limit=budget)
        if status != cp_model.OPTIMAL and solution.status == OPTIMAL:
            # Stage 2 is optimal only under stage 1's caps; stage 1 was cut short, so nothing is proven overall.
            solution = replace(solution, status=FEASIBLE)
        return solution
    # Stage 2 found nothing in its time (it always has stage 1's roster as a hint): keep stage 1's roster.
    return to_solution(first, solver, status, seconds + seconds2, explain=explain, explain_time_limit=budget)
