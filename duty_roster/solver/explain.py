"""Why a slot stayed uncovered: for every person, the rules that kept them off it — read from the model.

For one uncovered (shift, role) and one person:
1. static reasons (`ineligibility_reasons`: role, kind, area, skill, language, contract, leave) need no solver;
2. otherwise a one-person sub-problem is built in explain mode: the person's assignments in the roster plus the
   candidate slot are forced, every hard rule (except coverage, which is what is being explained) is enforced by
   its own assumption literal, there is no objective. CP-SAT returns a set of assumptions sufficient for
   infeasibility, shrunk to a minimal one by a deletion filter, and each assumption names its rule, person and
   shifts: "rest after shift X", "weekly limit 5 reached", "already on shift Y".
3. If the sub-problem is feasible, the person could have taken the slot (possible only when the main solve was not
   proven optimal, or the slot's weight was low): we say so (`not_proven`) instead of inventing a reason.

Sub-problems are tiny (one person, a month of shifts at most), so each takes milliseconds; a total time budget
bounds the work on large rosters, and people left unchecked say so (`not_checked`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from duty_roster.solver.model import HardTerm, RosterModel, describe_shift
from duty_roster.solver.problem import Assignment, Person, Problem, Shift
from duty_roster.solver.solution import CandidateExplanation, Reason, UncoveredSlot

PER_CALL_LIMIT = 0.5  # seconds for one sub-problem (they take milliseconds)
MAX_CORES = 5  # independent reasons reported per candidate
NOT_PROVEN = "not_proven"
NOT_CHECKED = "not_checked"


def explain_uncovered(
    problem: Problem,
    assignments: Iterable[Assignment],
    slots: Sequence[UncoveredSlot],
    *,
    time_limit: float = 2.0,
) -> tuple[UncoveredSlot, ...]:
    """`slots` with `candidates` filled in: every person of the problem with the reasons they could not help."""
    from duty_roster.solver import constraints

    hard = tuple(rule for rule in constraints.HARD if rule.__name__ not in constraints.NOT_EXPLAINED)
    deadline = time.perf_counter() + time_limit
    by_person: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_person[a.person].append(a)
    # One model per person would do for static reasons; the static check needs only the problem.
    probe = _StaticProbe(problem)
    out = []
    for slot in slots:
        shift = problem.shift(slot.shift)
        candidates = []
        for person in problem.people:
            reasons = probe.reasons(person, shift, slot.role)
            if not reasons:
                reasons = _already_there(problem, by_person[person.id], shift)
            if not reasons:
                if time.perf_counter() >= deadline:
                    reasons = [Reason(NOT_CHECKED, "not checked: the explanation time budget was used up")]
                else:
                    candidate = Assignment(person.id, shift.id, slot.role)
                    reasons = explain_candidate(problem, person, by_person[person.id], candidate, hard=hard,
                                                deadline=deadline)
            candidates.append(CandidateExplanation(person=person.id, reasons=tuple(reasons)))
        out.append(replace(slot, candidates=tuple(candidates)))
    return tuple(out)


class _StaticProbe:
    """Static ineligibility without building variables for the whole problem."""

    def __init__(self, problem: Problem) -> None:
        from duty_roster.solver.model import ineligibility_reasons

        self._problem = problem
        self._check = ineligibility_reasons
        self._unavailable: dict[str, list] = defaultdict(list)
        for u in problem.unavailability:
            self._unavailable[u.person].append(u)

    def reasons(self, person: Person, shift: Shift, role: str) -> list[Reason]:
        return self._check(self._problem, person, shift, role, self._unavailable.get(person.id, []))


def _already_there(problem: Problem, assignments: list[Assignment], shift: Shift) -> list[Reason]:
    for a in assignments:
        if a.shift == shift.id:
            return [Reason("coverage", f"already on this shift as {a.role}", {"shift": shift.id, "role": a.role})]
    return []


def explain_candidate(
    problem: Problem,
    person: Person,
    assignments: Sequence[Assignment],
    candidate: Assignment,
    *,
    hard: Sequence | None = None,
    deadline: float | None = None,
) -> list[Reason]:
    """The hard rules that forbid adding `candidate` to this person's `assignments` (a minimal set of them)."""
    from duty_roster.solver import constraints

    if hard is None:
        hard = tuple(rule for rule in constraints.HARD if rule.__name__ not in constraints.NOT_EXPLAINED)
    forced = (*assignments, candidate)
    shift_ids = {a.shift for a in forced}
    sub = replace(
        problem,
        people=(person,),
        shifts=tuple(s for s in problem.shifts if s.id in shift_ids),
        locked=tuple(a for a in problem.locked if a.person == person.id and a.shift in shift_ids),
        published=(),
        preferences=(),
        history=(),
        soft_goals=(),
        horizon_start=problem.first_day,
        horizon_end=problem.last_day,
    )
    m = RosterModel.build(sub, explain_mode=True, hard=hard, soft=(), forced=forced)

    def infeasible(assumed: Sequence[int]) -> tuple[bool | None, list[int]]:
        m.model.clear_assumptions()
        m.model.add_assumptions([m.model.get_bool_var_from_proto_index(i) for i in assumed])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        limit = PER_CALL_LIMIT if deadline is None else max(0.01, min(PER_CALL_LIMIT, deadline - time.perf_counter()))
        solver.parameters.max_time_in_seconds = limit
        status = solver.solve(m.model)
        if status == cp_model.INFEASIBLE:
            return True, list(solver.sufficient_assumptions_for_infeasibility())
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False, []
        return None, []

    # Disjoint minimal cores: each is one independent reason (resting after an on-call AND the weekly limit).
    remaining = list(m.assumptions)
    cores: list[list[int]] = []
    while len(cores) < MAX_CORES:
        verdict, core = infeasible(remaining)
        if not verdict:
            break
        core = _minimise(core, infeasible)
        cores.append(core)
        remaining = [i for i in remaining if i not in set(core)]
    if not cores:
        if verdict is None:
            return [Reason(NOT_CHECKED, "not checked: the solver ran out of time on this candidate")]
        return [Reason(NOT_PROVEN, "could take it; the solver stopped before finding that",
                       {"shift": candidate.shift, "role": candidate.role})]
    shift = problem.shift(candidate.shift)
    return [_reason(m.assumptions[i], shift, problem) for core in cores for i in core]


def _minimise(core: list[int], infeasible) -> list[int]:
    """Deletion filter: drop each assumption whose removal keeps the sub-problem infeasible."""
    kept = list(core)
    for index in list(core):
        if len(kept) <= 1:
            break
        trial = [i for i in kept if i != index]
        verdict, smaller = infeasible(trial)
        if verdict:
            kept = [i for i in trial if i in set(smaller)] or trial
    return kept


def _reason(term: HardTerm, candidate: Shift, problem: Problem) -> Reason:
    """A sentence about the candidate slot, from the hard constraint that blocks it."""
    others = [problem.shift(sid) for sid in term.shifts if sid != candidate.id]
    params = {k: str(v) for k, v in term.params.items()}
    if others:
        other = others[0]
        params.update({"shift": other.id, "location": other.location, "start": other.start.isoformat()})
        if term.rule == "no_overlap":
            label = ", ".join(describe_shift(s) for s in others)
            return Reason(term.rule, f"already on shift {label}", params)
        if term.rule in ("minimum_rest", "rest_after_long_shift"):
            direction = "after" if other.start < candidate.start else "before"
            long = f"the {other.minutes / 60:g} h shift " if term.rule == "rest_after_long_shift" else "shift "
            return Reason(term.rule, f"rest {direction} {long}{describe_shift(other)}", params)
    return Reason(term.rule, term.message or term.rule, params)
