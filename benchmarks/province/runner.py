"""Run province-scale cases, each in its own subprocess so peak memory (ru_maxrss) is per case.

A case is a small JSON dict; the parent starts `python -m benchmarks.province _case '<json>'` and reads back one JSON
line. Measured per solve: time to first feasible roster, time to a roster within 1 % of the final bound, time to
proven optimum (or the gap at the limit), status, objective, bound, uncovered slots, violations found by the
independent validator (must be 0), and peak RSS. Times are wall-clock from the call to `solve()` (model building
included), which is what a coordinator waits for.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

Case = dict[str, Any]
Result = dict[str, Any]

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------------------------------- in the child


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


def _problem(case: Case):  # -> Problem
    from benchmarks.province.generator import generate

    return generate(case["size"], case.get("seed", 0), centre=case.get("centre", "C00"))


def _timed_solve(problem, case: Case, **extra: Any) -> tuple[Any, Result]:
    """solve() with a progress trace; returns the Solution and the measured figures."""
    from duty_roster.solver.solve import solve
    from duty_roster.solver.validate import uncovered, validate

    trace: list[tuple[float, float, float]] = []
    t0 = time.perf_counter()

    def on_progress(p) -> None:
        trace.append((round(time.perf_counter() - t0, 3), float(p.objective), float(p.best_bound)))

    solution = solve(
        problem,
        time_limit=case["time_limit"],
        workers=case.get("workers", 8),
        seed=case.get("solver_seed", 0),
        on_progress=on_progress,
        deterministic=case.get("deterministic", True),
        **extra,
    )
    wall = time.perf_counter() - t0
    return solution, _figures(problem, solution, trace, wall, validate, uncovered)


def _figures(problem, solution, trace, wall: float, validate, uncovered) -> Result:
    objective, bound = solution.objective, solution.best_bound
    gap = None
    if objective is not None and bound is not None:
        gap = max(0.0, (objective - bound) / max(1.0, abs(objective)))
    near = None
    if bound is not None:
        for elapsed, obj, _b in trace:
            if (obj - bound) / max(1.0, abs(obj)) <= 0.01:
                near = elapsed
                break
    missing_solver = sum(u.missing for u in solution.uncovered)
    missing_check = sum(u.missing for u in uncovered(problem, solution.assignments))
    return {
        "status": solution.status,
        "objective": objective,
        "bound": bound,
        "gap": gap,
        "first_feasible_s": trace[0][0] if trace else None,
        "within_1pct_s": near,
        "optimal_s": round(wall, 3) if solution.status == "optimal" else None,
        "wall_s": round(wall, 3),
        "solver_s": round(solution.seconds, 3),
        "assignments": len(solution.assignments),
        "uncovered": missing_solver,
        "uncovered_check": missing_check,
        "violations": [v.rule for v in validate(problem, solution.assignments)],
        "penalties": dict(solution.penalties),
        "solutions": len(trace),
    }


def _size_figures(problem) -> Result:
    return {
        "people": len(problem.people),
        "shifts": len(problem.shifts),
        "slots": sum(sum(s.demand.values()) for s in problem.shifts),
    }


def run_case(case: Case) -> Result:
    """Run one case in this process (the child side)."""
    t = time.perf_counter()
    problem = _problem(case)
    out: Result = {**case, **_size_figures(problem), "generate_s": round(time.perf_counter() - t, 3)}
    out["load_before"] = round(os.getloadavg()[0], 1)
    if case["kind"] == "solve":
        _solution, figures = _timed_solve(problem, case)
        out.update(figures)
    elif case["kind"] == "repair":
        out.update(_repair(problem, case))
    else:
        raise ValueError(f"unknown case kind {case['kind']!r}")
    out["peak_mb"] = _peak_mb()
    out["load_after"] = round(os.getloadavg()[0], 1)
    if case["kind"] == "solve":
        out.update(_model_figures(problem))  # after peak_mb: a second model must not count in the peak
    return out


def _model_figures(problem) -> Result:
    """Model size and build time (a second build, so the solve's own timing is untouched)."""
    from duty_roster.solver.model import RosterModel

    t = time.perf_counter()
    m = RosterModel.build(problem)
    build = time.perf_counter() - t
    proto = m.model.proto
    return {
        "build_s": round(build, 3),
        "variables": len(proto.variables),
        "constraints": len(proto.constraints),
        "x_vars": len(m.x),
    }


def _repair(problem, case: Case) -> Result:
    """Publish a roster of the month, then the busiest person falls sick for `sick_days` days mid-month: repair it.

    Shifts that started before the sickness is reported are in the past and locked; the repair must keep the rest
    of the published roster as stable as it can."""
    from duty_roster.solver.problem import Unavailability
    from duty_roster.solver.repair import repair
    from duty_roster.solver.validate import uncovered, validate

    published, base = _timed_solve(problem, {**case, "time_limit": case.get("publish_time_limit", 10)})
    first = problem.first_day + timedelta(days=(problem.last_day - problem.first_day).days // 2)
    sick_from = datetime.combine(first, datetime.min.time(), tzinfo=problem.shifts[0].start.tzinfo)
    sick_to = sick_from + timedelta(days=case.get("sick_days", 3))
    shifts = problem._shifts_by_id
    load: dict[str, int] = {}
    for a in published.assignments:
        s = shifts[a.shift]
        if sick_from <= s.start < sick_to:
            load[a.person] = load.get(a.person, 0) + 1
    sick = max(sorted(load), key=lambda pid: load[pid])
    past = tuple(a for a in published.assignments if shifts[a.shift].start < sick_from)
    changed = replace(
        problem,
        unavailability=(*problem.unavailability, Unavailability(sick, sick_from, sick_to, "sick")),
        published=published.assignments,
        locked=past,
    )
    before = set(published.assignments)
    repairs = []
    for limit in case.get("repair_limits", [case["time_limit"]]):
        trace: list[tuple[float, float, float]] = []
        t0 = time.perf_counter()

        def on_progress(p, trace=trace, t0=t0) -> None:
            trace.append((round(time.perf_counter() - t0, 3), float(p.objective), float(p.best_bound)))

        solution = repair(
            changed,
            time_limit=limit,
            workers=case.get("workers", 8),
            seed=case.get("solver_seed", 0),
            on_progress=on_progress,
            deterministic=case.get("deterministic", True),
        )
        wall = time.perf_counter() - t0
        after = set(solution.assignments)
        repairs.append(
            {
                "limit": limit,
                **_figures(changed, solution, trace, wall, validate, uncovered),
                "changes": solution.changes,
                "removed": len(before - after),
                "added": len(after - before),
            }
        )
    return {
        "publish_status": base["status"],
        "publish_wall_s": base["wall_s"],
        "publish_uncovered": base["uncovered"],
        "publish_violations": base["violations"],
        "sick_person": sick,
        "sick_shifts": load[sick],
        "repairs": repairs,
    }


def child_main(argv: list[str]) -> int:
    print(json.dumps(run_case(json.loads(argv[0])), default=str))
    return 0


# -------------------------------------------------------------------------------------------------- in the parent


def run_in_subprocess(case: Case, timeout: float) -> Result:
    """Run one case in a fresh interpreter; a crash or a timeout becomes an error result, never a hang."""
    cmd = [sys.executable, "-m", "benchmarks.province", "_case", json.dumps(case)]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    except subprocess.TimeoutExpired:
        return {**case, "error": f"timed out after {timeout:.0f} s"}
    process_s = round(time.perf_counter() - t, 3)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {**case, "error": (proc.stderr.strip().splitlines() or ["no output"])[-1], "process_s": process_s}
    return {**json.loads(lines[-1]), "process_s": process_s}


def _timeout(case: Case) -> float:
    if case["kind"] == "repair":
        return 3 * (case["publish_time_limit"] + sum(case["repair_limits"])) + 120
    return 3 * case["time_limit"] + 120


def plan(
    *,
    sizes: list[str],
    seed: int,
    workers: int,
    limits: dict[str, float],
    compare_workers: list[int],
    repeats: int,
    xl_jobs: int,
) -> list[Case]:
    """The list of cases for the requested sizes, in the order they run."""
    cases: list[Case] = []
    for size in sizes:
        if size in ("S", "M", "L"):
            cases.append(
                {
                    "name": size,
                    "kind": "solve",
                    "size": size,
                    "seed": seed,
                    "time_limit": limits[size],
                    "workers": workers,
                }
            )
        elif size == "M-free":
            cases.append(
                {
                    "name": "M deterministic=False",
                    "kind": "solve",
                    "size": "M",
                    "seed": seed,
                    "time_limit": limits["M"],
                    "workers": workers,
                    "deterministic": False,
                }
            )
        elif size == "repair":
            cases.append(
                {
                    "name": "M repair",
                    "kind": "repair",
                    "size": "M",
                    "seed": seed,
                    "time_limit": limits["repair"],
                    "repair_limits": sorted({1.0, float(limits["repair"])}),
                    "publish_time_limit": limits["M"],
                    "workers": workers,
                    "sick_days": 3,
                }
            )
        elif size == "workers":
            for w in compare_workers:
                for r in range(repeats):
                    cases.append(
                        {
                            "name": f"M workers={w}",
                            "kind": "solve",
                            "size": "M",
                            "seed": seed,
                            "time_limit": limits["M"],
                            "workers": w,
                            "solver_seed": r,
                            "group": "workers",
                        }
                    )
        elif size == "XL":
            for i in range(xl_jobs):
                cases.append(
                    {
                        "name": f"XL C{i:02d}",
                        "kind": "solve",
                        "size": "M",
                        "seed": seed,
                        "centre": f"C{i:02d}",
                        "time_limit": limits["XL"],
                        "workers": workers,
                        "group": "XL",
                    }
                )
        else:
            raise ValueError(f"unknown size {size!r} (S, M, M-free, L, XL, repair, workers)")
    return cases


def run_all(cases: list[Case], jsonl: Path, *, echo: bool = True) -> list[Result]:
    results = []
    jsonl.parent.mkdir(parents=True, exist_ok=True)
    with jsonl.open("a") as fh:
        for case in cases:
            result = run_in_subprocess(case, _timeout(case))
            fh.write(json.dumps(result, default=str) + "\n")
            fh.flush()
            results.append(result)
            if echo:
                print(_one_line(result), file=sys.stderr, flush=True)
    return results


def _one_line(r: Result) -> str:
    if "error" in r:
        return f"{r['name']}: ERROR {r['error']}"
    if r["kind"] == "repair":
        return f"{r['name']}: sick {r['sick_shifts']} shifts; " + "; ".join(
            f"limit {x['limit']} s: {x['status']} wall={x['wall_s']}s changes={x['changes']} "
            f"uncovered={x['uncovered']} violations={len(x['violations'])}"
            for x in r["repairs"]
        )
    return (
        f"{r['name']}: {r['status']} obj={r['objective']} bound={_num(r['bound'])} gap={_pct(r['gap'])} "
        f"first={_num(r['first_feasible_s'])}s wall={r['wall_s']}s uncovered={r['uncovered']} "
        f"violations={len(r['violations'])} peak={r['peak_mb']} MB"
    )


# ------------------------------------------------------------------------------------------------------ reporting


def _num(x: Any, digits: int = 2) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.2f} %"


def _median(values: list[Any]) -> Any:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


HEADER = (
    "| case | people | slots | workers | limit s | status | first feasible s | within 1 % s | optimal at s | wall s "
    "| objective | bound | gap | uncovered | violations | peak MB | model build s | load |\n"
    "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def _row(r: Result) -> str:
    if "error" in r:
        return f"| {r['name']} | | | {r.get('workers', '')} | {r['time_limit']} | **error**: {r['error']} |" + " |" * 12
    return (
        f"| {r['name']} | {r['people']} | {r['slots']} | {r['workers']} | {r['time_limit']} | {r['status']} "
        f"| {_num(r['first_feasible_s'])} | {_num(r['within_1pct_s'])} | {_num(r['optimal_s'])} | {_num(r['wall_s'])} "
        f"| {_num(r['objective'])} | {_num(r['bound'], 1)} | {_pct(r['gap'])} | {r['uncovered']} "
        f"| {len(r['violations'])} | {r['peak_mb']} | {_num(r.get('build_s'))} "
        f"| {r.get('load_before', '')}→{r.get('load_after', '')} |"
    )


def markdown(results: list[Result]) -> str:
    """One table for the single cases, a medians table for the workers comparison, a summary for XL."""
    single = [r for r in results if "group" not in r and r.get("kind") == "solve"]
    repairs = [r for r in results if r.get("kind") == "repair"]
    workers = [r for r in results if r.get("group") == "workers"]
    xl = [r for r in results if r.get("group") == "XL"]
    parts = []
    if single:
        parts += ["### Solves", "", HEADER, *(_row(r) for r in single), ""]
    if repairs:
        parts += [
            "### Repair (M: the busiest person falls sick for 3 days mid-month, earlier shifts locked)",
            "",
            "| case | published roster | sick person's shifts | repair limit s | status | first feasible s | wall s "
            "| changes | removed / added | uncovered after | violations | peak MB | load |",
            "|---|---|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---|",
        ]
        for r in repairs:
            if "error" in r:
                parts.append(f"| {r['name']} | **error**: {r['error']} |" + " |" * 11)
                continue
            published = f"{r['publish_status']} in {_num(r['publish_wall_s'])} s, {r['publish_uncovered']} uncovered"
            for x in r["repairs"]:
                parts.append(
                    f"| {r['name']} | {published} | {r['sick_shifts']} | {x['limit']} | {x['status']} "
                    f"| {_num(x['first_feasible_s'])} | {_num(x['wall_s'])} | {x['changes']} "
                    f"| {x['removed']} / {x['added']} | {x['uncovered']} | {len(x['violations'])} | {r['peak_mb']} "
                    f"| {r.get('load_before', '')}→{r.get('load_after', '')} |"
                )
        parts.append("")
    if workers:
        parts += [
            "### Workers on M (medians of the repeats, solver seeds 0..n-1)",
            "",
            "| workers | runs | optimal | first feasible s | within 1 % s | optimal at s | wall s | objective "
            "| gap | peak MB |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for w in sorted({r["workers"] for r in workers}):
            rs = [r for r in workers if r["workers"] == w and "error" not in r]
            parts.append(
                f"| {w} | {len(rs)} | {sum(r['status'] == 'optimal' for r in rs)} "
                f"| {_num(_median([r['first_feasible_s'] for r in rs]))} "
                f"| {_num(_median([r['within_1pct_s'] for r in rs]))} "
                f"| {_num(_median([r['optimal_s'] for r in rs]))} | {_num(_median([r['wall_s'] for r in rs]))} "
                f"| {_num(_median([r['objective'] for r in rs]))} | {_pct(_median([r['gap'] for r in rs]))} "
                f"| {_num(_median([r['peak_mb'] for r in rs]), 1)} |"
            )
        parts.append("")
    if xl:
        ok = [r for r in xl if "error" not in r]
        walls = [r["wall_s"] for r in ok]
        procs = [r["process_s"] for r in ok]
        parts += [
            f"### XL: {len(xl)} independent M-size centres, one job each, one after another",
            "",
            f"- total solve wall time {sum(walls):.1f} s; total job time (process start to exit) {sum(procs):.1f} s",
            f"- per job: wall min {min(walls, default=0):.2f} / median {_num(_median(walls))} / max "
            f"{max(walls, default=0):.2f} s; first feasible median "
            f"{_num(_median([r['first_feasible_s'] for r in ok]))} s",
            f"- optimal {sum(r['status'] == 'optimal' for r in ok)} / {len(xl)}; errors {len(xl) - len(ok)}; "
            f"max gap {_pct(max((r['gap'] or 0 for r in ok), default=None))}; "
            f"uncovered total {sum(r['uncovered'] for r in ok)}; violations total "
            f"{sum(len(r['violations']) for r in ok)}; peak memory max {max((r['peak_mb'] for r in ok), default=0)} MB",
            "",
            "<details><summary>per job</summary>",
            "",
            HEADER,
            *(_row(r) for r in xl),
            "",
            "</details>",
            "",
        ]
    return "\n".join(parts)
