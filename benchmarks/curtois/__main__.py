"""Command line: solve Curtois & Qu instances with the duty-roster model and check them independently.

    python -m benchmarks.curtois 1 --time-limit 60 --json          # one instance, one JSON object on stdout
    python -m benchmarks.curtois Instance7 --time-limit 60          # a short human summary
    python -m benchmarks.curtois --instances 1-10 --time-limit 60   # a markdown table (also written to --out)
    python -m benchmarks.curtois --all --time-limit 300

Instances are read from $DUTY_ROSTER_CURTOIS_DIR, else `shared/benchmarks/curtois` beside the checkout; --dir
overrides both.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.curtois.parser import default_dir, load
from benchmarks.curtois.runner import best_known, solve_instance
from duty_roster.solver.solve import DEFAULT_WORKERS

ALL = range(1, 25)


def parse_range(text: str) -> list[int]:
    """"1-10", "3", "1,4,7-9" -> instance numbers."""
    out: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        out.extend(range(int(first), int(last or first) + 1))
    return out


def summary(record: dict[str, Any]) -> str:
    gap = record["gap_to_best"]
    gap_text = "n/a" if gap is None else f"{100 * gap:+.2f} %"
    check = "feasible" if record["evaluator_feasible"] else "INFEASIBLE: " + "; ".join(record["evaluator_violations"])
    agree = "agrees" if record["evaluator_objective"] == record["objective"] else "DISAGREES"
    return (
        f"{record['instance']}: objective {record['objective']} ({record['status']}, bound {record['best_bound']}) "
        f"in {record['seconds']} s; best known {record['best_known']} (gap {gap_text}); evaluator {check}, "
        f"objective {record['evaluator_objective']} ({agree})"
    )


def table(records: list[dict[str, Any]]) -> str:
    lines = [
        "| instance | best known | objective | bound | gap to best | status | evaluator | seconds |",
        "|---|---:|---:|---:|---:|---|---|---:|",
    ]
    for r in records:
        gap = "n/a" if r["gap_to_best"] is None else f"{100 * r['gap_to_best']:.2f} %"
        bound = "n/a" if r["best_bound"] is None else f"{r['best_bound']:.0f}"
        ok = "ok" if r["evaluator_feasible"] and r["evaluator_objective"] == r["objective"] else "**FAIL**"
        lines.append(
            f"| {r['instance']} | {r['best_known']} | {r['objective']} | {bound} | {gap} | {r['status']} | {ok} "
            f"| {r['seconds']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.curtois", description=__doc__.splitlines()[0])
    parser.add_argument("instance", nargs="?", help="number, InstanceN or a path to a .txt file")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance (default 60)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help=f"CP-SAT workers ({DEFAULT_WORKERS})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deterministic", action="store_true",
                        help="reproducible interleaved search (slower to good rosters)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (one per line with a range)")
    parser.add_argument("--dir", type=Path, default=None, help=f"instances directory (default {default_dir()})")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--all", action="store_true", help="instances 1-24")
    group.add_argument("--instances", help='a range such as "1-10" or "1,4,7-9"')
    parser.add_argument("--out", type=Path, default=None,
                        help="markdown file for the table of a range (default benchmarks/out/curtois-<time>.md)")
    args = parser.parse_args(argv)

    directory = args.dir if args.dir is not None else default_dir()
    known = best_known(directory)
    if args.instance and (args.all or args.instances):
        parser.error("give one INSTANCE or --all/--instances, not both")
    if not args.instance and not (args.all or args.instances):
        parser.error("give an INSTANCE, --instances RANGE or --all")

    def run(name: str | int) -> dict[str, Any]:
        instance = load(name, directory)
        return solve_instance(instance, time_limit=args.time_limit, workers=args.workers, seed=args.seed,
                              deterministic=args.deterministic, known=known)

    if args.instance:
        record = run(args.instance)
        print(json.dumps(record) if args.json else summary(record))
        return 0 if record["evaluator_feasible"] else 1

    numbers = list(ALL) if args.all else parse_range(args.instances)
    out = args.out or Path("benchmarks/out") / f"curtois-{datetime.now():%Y%m%d-%H%M%S}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (
        f"Curtois & Qu, `python -m benchmarks.curtois {' '.join(sys.argv[1:] if argv is None else argv)}`, "
        f"{datetime.now():%Y-%m-%d %H:%M}, {platform.node()} ({platform.machine()}), "
        f"time limit {args.time_limit:g} s, workers {args.workers}\n\n"
    )
    records: list[dict[str, Any]] = []
    failed = False
    for n in numbers:
        record = run(n)
        records.append(record)
        failed |= not record["evaluator_feasible"] or record["evaluator_objective"] != record["objective"]
        print(json.dumps(record) if args.json else summary(record), flush=True)
        out.write_text(header + table(records) + "\n", encoding="utf-8")  # after each instance: partial results
        with out.with_suffix(".jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps({k: v for k, v in record.items() if k != "roster"}) + "\n")
    if not args.json:
        print()
        print(table(records))
        print(f"\n(written to {out})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
