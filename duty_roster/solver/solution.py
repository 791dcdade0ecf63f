"""The solver's output: plain dataclasses the rostering layer stores and the UI shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from duty_roster.solver.problem import Assignment

# Solve status values.
OPTIMAL = "optimal"  # proven optimal
FEASIBLE = "feasible"  # a roster, not proven optimal (time limit reached)
NO_SOLUTION = "no_solution"  # the time limit passed before any roster was found (or the locks contradict)


@dataclass(frozen=True)
class Reason:
    """Why one candidate cannot take one slot. `rule` is the constraint function's name (stable, translatable);
    `message` is English for logs and the CLI; `params` lets the UI render it in Vietnamese."""

    rule: str
    message: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CandidateExplanation:
    person: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class UncoveredSlot:
    shift: str
    role: str
    missing: int  # people still needed in this role on this shift
    candidates: tuple[CandidateExplanation, ...] = ()  # every person, with why they could not take it


@dataclass(frozen=True)
class PersonStats:
    person: str
    shifts: int = 0
    minutes: int = 0
    sessions: float = 0.0  # buổi per Thông tư 02/2021
    nights: int = 0
    weekends: int = 0  # weekend days worked
    holidays: int = 0
    tet: int = 0


@dataclass(frozen=True)
class Progress:
    """What a progress bar shows while solving."""

    objective: float
    best_bound: float
    elapsed: float  # seconds
    fraction_of_time_limit: float  # 0..1


@dataclass(frozen=True)
class Solution:
    status: str
    objective: int | None
    best_bound: float | None
    gap: float | None  # (objective - bound) / max(1, |objective|); 0 when optimal
    seconds: float
    assignments: tuple[Assignment, ...]
    uncovered: tuple[UncoveredSlot, ...]
    stats: tuple[PersonStats, ...]
    penalties: Mapping[str, int]  # soft-goal name -> its share of the objective
    changes: int = 0  # assignments differing from Problem.published (repair)
    # Rules that locked assignments break and that were relaxed so the locks could stand (locks win).
    warnings: tuple[Reason, ...] = ()
