"""Run CP-SAT on a Problem and turn the answer into a Solution.

Determinism (measured on the 2-core development machine, shared and loaded, OR-Tools 9.15):
- Free-running parallel CP-SAT is NOT reproducible, even when it proves optimality: its workers race and the first
  to find an optimum decides which of many equally good rosters comes back. Five people, 14 days, 8 workers:
  4 runs gave 4 different optimal rosters. The objective is the same, the roster is not.
- `interleave_search=True` makes the parallel search a function of the input: tasks run in batches and
  synchronise in a fixed order. With the batch size fixed (`INTERLEAVE_BATCH`) the roster does not even depend on
  the number of workers (2 and 8 threads return the same roster; with CP-SAT's default batch, 3 x workers, they
  did not). That holds only if the *deterministic* budget (`max_deterministic_time`, an operation count) or a
  proof of optimality ends the search, never the wall clock.
- So in the default deterministic mode: budget = `DTIME_PER_SECOND` x time_limit, and the wall clock stops the
  search only at `WALL_CLOCK_CAP` x time_limit (a badly overloaded machine). Interleaved search also finishes its
  current batch before stopping, so it rarely ends much before its budget even after an optimum is proven.
  Same problem + same seed + same OR-Tools version -> same roster.
- `deterministic=False` runs the free portfolio under a plain wall-clock limit: often better rosters per second,
  different ones run to run.

Workers: since the interleaved search is the same whatever the worker count, deterministic mode runs
min(workers, CPU count) threads: more threads than cores only slowed it down (province S, 2 cores: 2 threads used
its budget in 16.5 s, 8 threads had not after 20 s). In free-running mode the worker count changes which
strategies run; `workers=8` (the default) brings in max_lp, quick_restart and reduced_costs and was the only
setting with a useful lower bound on the province case (stack.md §4 found it the only one to close a 30 x 28 x 3
roster on 2 cores); on this loaded machine 1-2 workers found rosters as good within 10 s, so the choice is for the
bound and the idle-machine behaviour, and callers may lower it.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace

from ortools.sat.python import cp_model

from duty_roster.solver.greedy import greedy_roster
from duty_roster.solver.model import RosterModel
from duty_roster.solver.problem import Assignment, Problem
from duty_roster.solver.sessions import count_sessions
from duty_roster.solver.solution import (
    FEASIBLE,
    NO_SOLUTION,
    OPTIMAL,
    PersonStats,
    Progress,
    Reason,
    Solution,
    UncoveredSlot,
)

DEFAULT_WORKERS = 8
# Deterministic mode: the work budget per second of time limit. Measured on the 2-core development machine under
# load, interleaved search advanced ~0.46-0.5 deterministic units per wall second; with 0.5 the deterministic budget,
# not the wall clock, usually ends the search, so the result is reproducible.
DTIME_PER_SECOND = 0.5
# Deterministic mode: the wall clock only stops a search that the deterministic budget has not stopped by
# WALL_CLOCK_CAP x time_limit (a machine overloaded to the point where the budget would take much longer).
WALL_CLOCK_CAP = 2.0
# Tasks per batch of the interleaved search. Fixed (CP-SAT's default is 3 x workers) so that the roster does not
# depend on the number of workers either: 2 or 8 threads run the same search.
INTERLEAVE_BATCH = 24


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution to `on_progress`. The fraction is of whichever budget is nearer its end:
    the deterministic one (deterministic mode) or the wall clock."""

    def __init__(self, on_progress: Callable[[Progress], None], time_limit: float, dtime_limit: float | None) -> None:
        super().__init__()
        self._on_progress = on_progress
        self._time_limit = max(time_limit, 1e-9)
        self._dtime_limit = dtime_limit

    def on_solution_callback(self) -> None:
        elapsed = self.wall_time
        fraction = elapsed / self._time_limit
        if self._dtime_limit:
            fraction = max(fraction, self.deterministic_time / self._dtime_limit)
        self._on_progress(
            Progress(
                objective=self.objective_value,
                best_bound=self.best_objective_bound,
                elapsed=elapsed,
                fraction_of_time_limit=min(1.0, fraction),
            )
        )


def configure(
    solver: cp_model.CpSolver,
    *,
    time_limit: float,
    workers: int = DEFAULT_WORKERS,
    seed: int = 0,
    deterministic: bool = True,
    log: Callable[[str], None] | None = None,
) -> None:
    """Set the solver parameters `solve` uses (shared with repair and explain)."""
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    if deterministic:
        params.num_workers = max(1, min(workers, os.cpu_count() or 1))
        params.interleave_search = True
        params.interleave_batch_size = INTERLEAVE_BATCH
        params.max_deterministic_time = max(time_limit * DTIME_PER_SECOND, 0.01)
        params.max_time_in_seconds = max(time_limit * WALL_CLOCK_CAP, 0.01)
    else:
        params.max_time_in_seconds = max(time_limit, 0.01)
    if log is not None:
        params.log_search_progress = True
        params.log_to_stdout = False
        solver.log_callback = log


def add_hints(m: RosterModel, assignments: Iterable[Assignment], *, complete: bool = True,
              time_limit: float = 2.0) -> bool:
    """Hint the roster `assignments` (x=1 for them, 0 for every other x). Returns True when a hint was set.

    With `complete`, every auxiliary variable is hinted too: the model is cloned, x fixed to the roster, and the
    clone solved (x fixed, so presolve alone usually finishes it). Measured on the province benchmark M (60 people,
    582 slots): with x-only hints CP-SAT found no solution at all in 8 s (the hint's completion gives up on the many
    auxiliary variables), with the complete hint its first solution is the hinted roster. If the roster breaks a
    hard rule the clone is infeasible and the x-only hint is used."""
    wanted = {(a.person, a.shift, a.role) for a in assignments}
    if not wanted:
        return False
    m.model.clear_hints()
    values = _complete(m, wanted, time_limit) if complete else None
    if values is not None:
        for index, value in enumerate(values):
            m.model.add_hint(m.model.get_int_var_from_proto_index(index), value)
        return True
    for key, var in m.x.items():
        m.model.add_hint(var, 1 if key in wanted else 0)
    return True


def solve_fixed(m: RosterModel, wanted: set[tuple[str, str, str]], time_limit: float) -> cp_model.CpSolver | None:
    """Solve a copy of the model with every x fixed to the roster `wanted`: the roster's values for every auxiliary
    variable (presolve usually does it alone), or None if the roster breaks a hard rule. The copy has the same
    variables, so the returned solver reads `m`'s variables too."""
    clone = m.model.clone()
    clone.clear_assumptions()
    for key, var in m.x.items():
        clone.add(clone.get_bool_var_from_proto_index(var.index) == (1 if key in wanted else 0))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(clone)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def _complete(m: RosterModel, wanted: set[tuple[str, str, str]], time_limit: float) -> list[int] | None:
    solver = solve_fixed(m, wanted, time_limit)
    return None if solver is None else list(solver.response_proto.solution)


def run(
    m: RosterModel,
    *,
    time_limit: float = 10.0,
    workers: int = DEFAULT_WORKERS,
    seed: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    deterministic: bool = True,
    log: Callable[[str], None] | None = None,
) -> tuple[cp_model.CpSolver, int, float]:
    """Solve a built model; returns (solver, CP-SAT status, wall seconds)."""
    solver = cp_model.CpSolver()
    configure(solver, time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic, log=log)
    dtime_limit = time_limit * DTIME_PER_SECOND if deterministic else None
    callback = _ProgressCallback(on_progress, time_limit, dtime_limit) if on_progress is not None else None
    started = time.perf_counter()
    status = solver.solve(m.model, callback)
    seconds = time.perf_counter() - started
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"invalid CP-SAT model: {m.model.validate()}")
    return solver, status, seconds


def solve(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    workers: int = DEFAULT_WORKERS,
    seed: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    hint: Iterable[Assignment] = (),
    explain: bool = True,
    log: Callable[[str], None] | None = None,
    deterministic: bool = True,
    explain_time_limit: float | None = None,
) -> Solution:
    """Plan a roster: every hard rule, the soft goals `problem.soft_goals` selects, within `time_limit` seconds.

    `hint` (default: `problem.published`, else a greedy roster, see greedy.py) seeds the search; `seconds` in the
    Solution counts model building too. With `explain`, every uncovered slot lists, for every
    person, why they could not take it (explain.py; bounded by `explain_time_limit`, default a quarter of
    `time_limit`, at least 1 s). Reproducible for a fixed `seed` (see the module docstring).
    """
    started = time.perf_counter()
    m = RosterModel.build(problem)
    start_roster = tuple(hint) or problem.published or tuple(greedy_roster(m))
    add_hints(m, start_roster, time_limit=max(0.1, time_limit / 5))
    preparation = time.perf_counter() - started  # building and hinting count against the time limit
    solver, status, seconds = run(
        m, time_limit=max(0.1, time_limit - preparation), workers=workers, seed=seed, on_progress=on_progress,
        deterministic=deterministic, log=log,
    )
    budget = explain_time_limit if explain_time_limit is not None else max(1.0, time_limit / 4)
    if status == cp_model.UNKNOWN and start_roster:
        # No solution in time (a big problem on a busy machine): the starting roster is a valid one, better than
        # none. Its bound is unknown, and the warning says why the roster is what it is.
        fixed = solve_fixed(m, {(a.person, a.shift, a.role) for a in start_roster}, time_limit=max(0.5, budget))
        if fixed is not None:
            note = Reason("time_limit", "the search found no roster of its own in the time limit: this is the "
                          "starting roster; a longer time limit may give a fairer one")
            solution = to_solution(m, fixed, cp_model.FEASIBLE, time.perf_counter() - started, explain=explain,
                                   explain_time_limit=budget, extra_warnings=(note,))
            return replace(solution, best_bound=None, gap=None)
    seconds = time.perf_counter() - started
    return to_solution(m, solver, status, seconds, explain=explain, explain_time_limit=budget)


def assignments_of(m: RosterModel, solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
    """The roster in the solver's current solution, in shift-start order."""
    order = {s.id: i for i, s in enumerate(m.shifts_sorted)}
    chosen = [Assignment(p, s, r) for (p, s, r), var in m.x.items() if solver.boolean_value(var)]
    return tuple(sorted(chosen, key=lambda a: (order[a.shift], a.role, a.person)))


def to_solution(
    m: RosterModel,
    solver: cp_model.CpSolver,
    status: int,
    seconds: float,
    *,
    explain: bool = True,
    explain_time_limit: float = 2.0,
    extra_warnings: Iterable[Reason] = (),
) -> Solution:
    """Read a solved model into a Solution (uncovered slots explained on request)."""
    from duty_roster.solver.constraints.stability import published_changes
    from duty_roster.solver.explain import explain_uncovered

    problem = m.problem
    warnings = (*m.warnings, *extra_warnings)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.INFEASIBLE:
            warnings = (*warnings, Reason("locked", "the locked assignments contradict the hard rules; "
                                          "unlock some of them and solve again"))
        return Solution(status=NO_SOLUTION, objective=None, best_bound=None, gap=None, seconds=seconds,
                        assignments=(), uncovered=(), stats=(), penalties={}, warnings=warnings)
    assignments = assignments_of(m, solver)
    has_objective = bool(m.penalties)
    objective = round(solver.objective_value) if has_objective else 0
    bound = solver.best_objective_bound if has_objective else 0.0
    proven = status == cp_model.OPTIMAL
    gap = 0.0 if proven else max(0.0, (objective - bound) / max(1.0, abs(objective)))
    slots = uncovered_slots(problem, assignments)
    if explain and slots:
        slots = explain_uncovered(problem, assignments, slots, time_limit=explain_time_limit)
    return Solution(
        status=OPTIMAL if status == cp_model.OPTIMAL else FEASIBLE,
        objective=objective,
        best_bound=bound,
        gap=gap,
        seconds=seconds,
        assignments=assignments,
        uncovered=slots,
        stats=person_stats(problem, assignments),
        penalties=m.penalty_breakdown(solver),
        changes=published_changes(problem, set(assignments)) if problem.published else 0,
        warnings=warnings,
    )


def uncovered_slots(problem: Problem, assignments: Iterable[Assignment]) -> tuple[UncoveredSlot, ...]:
    """(shift, role) slots with fewer people than demanded, in shift-start order, without explanations."""
    count: dict[tuple[str, str], int] = defaultdict(int)
    for a in assignments:
        count[a.shift, a.role] += 1
    out = []
    for shift in sorted(problem.shifts, key=lambda s: (s.start, s.id)):
        for role, demand in shift.demand.items():
            missing = demand - count[shift.id, role]
            if missing > 0:
                out.append(UncoveredSlot(shift=shift.id, role=role, missing=missing))
    return tuple(out)


def person_stats(problem: Problem, assignments: Iterable[Assignment]) -> tuple[PersonStats, ...]:
    """Per person: shifts, minutes, sessions (buổi, Thông tư 02/2021), nights, weekend days, holidays, Tết."""
    worked: dict[str, dict[str, object]] = defaultdict(dict)
    for a in assignments:
        worked[a.person][a.shift] = problem.shift(a.shift)
    out = []
    for person in problem.people:
        shifts = list(worked.get(person.id, {}).values())
        out.append(
            PersonStats(
                person=person.id,
                shifts=len(shifts),
                minutes=sum(s.minutes for s in shifts),
                sessions=sum(s.sessions if s.sessions > 0 else count_sessions(s.duration) for s in shifts),
                nights=sum(1 for s in shifts if s.is_night),
                weekends=len({s.day for s in shifts if s.is_weekend}),
                holidays=sum(1 for s in shifts if s.is_holiday),
                tet=sum(1 for s in shifts if s.is_tet),
            )
        )
    return tuple(out)
