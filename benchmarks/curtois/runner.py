"""Solve one Curtois & Qu instance through `duty_roster.solver.solve` and check the answer independently."""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.curtois.evaluator import evaluate
from benchmarks.curtois.mapping import to_problem
from benchmarks.curtois.parser import Instance, default_dir
from duty_roster.solver.solve import DEFAULT_WORKERS, solve


@dataclass(frozen=True)
class BestKnown:
    lower_bound: int
    best_known: int
    note: str


def best_known(directory: Path | str | None = None) -> dict[str, BestKnown]:
    """`best_known.csv` beside the instances: instance name -> (lower bound, best known objective)."""
    path = Path(directory if directory is not None else default_dir()) / "best_known.csv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as f:
        return {
            row["instance"]: BestKnown(int(row["lower_bound"]), int(row["best_known"]), row.get("note", ""))
            for row in csv.DictReader(f)
        }


def solve_instance(
    instance: Instance,
    *,
    time_limit: float,
    workers: int = DEFAULT_WORKERS,
    seed: int = 0,
    deterministic: bool = False,
    known: dict[str, BestKnown] | None = None,
) -> dict[str, Any]:
    """One run: map, solve (same model and `solve` as the centres), map back, evaluate. Returns the JSON record.

    `deterministic=False` by default: the free-running portfolio finds better rosters in a fixed wall-clock budget
    than the reproducible interleaved search (which `solve` uses for centres)."""
    started = time.perf_counter()
    mapped = to_problem(instance)
    solution = solve(
        mapped.problem, time_limit=time_limit, workers=workers, seed=seed, explain=False,
        deterministic=deterministic,
    )
    roster = mapped.roster(solution)
    check = evaluate(instance, roster)
    best = (known or {}).get(instance.name)
    gap = None
    if best is not None and solution.objective is not None:
        gap = (solution.objective - best.best_known) / max(1, best.best_known)
    return {
        "instance": instance.name,
        "objective": solution.objective,
        "best_bound": solution.best_bound,
        "status": solution.status,
        "seconds": round(solution.seconds, 2),
        "wall_seconds": round(time.perf_counter() - started, 2),
        "evaluator_feasible": check.feasible,
        "evaluator_objective": check.objective,
        "evaluator_violations": [v.message for v in check.violations[:10]],
        "best_known": best.best_known if best else None,
        "gap_to_best": gap,
        "penalties": dict(solution.penalties),
        "roster": roster,
    }
