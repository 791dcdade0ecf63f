"""`python -m benchmarks.province`: province-scale benchmark of the roster solver.

Examples
    python -m benchmarks.province --quick                 # S and M and the repair, short limits (about a minute)
    python -m benchmarks.province                         # everything: S, M, M-free, repair, workers 1/2/8, L, XL
    python -m benchmarks.province --sizes M,workers       # only some cases
    python -m benchmarks.province --describe M            # the generated centre's counts, no solving
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from benchmarks.province import runner

FULL = ["S", "M", "M-free", "repair", "workers", "L", "XL"]
QUICK = ["S", "M", "repair"]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_case"]:
        return runner.child_main(argv[1:])
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.province", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="S, M and the repair only, with short limits")
    ap.add_argument("--sizes", help=f"comma-separated cases among {','.join(FULL)} (default: all, or the quick set)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    ap.add_argument("--workers", type=int, default=8, help="CP-SAT workers for the single solves (default 8)")
    ap.add_argument("--compare-workers", default="1,2,8", help="worker counts compared on M (default 1,2,8)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per worker count, medians reported (default 3)")
    ap.add_argument("--limit-s", type=float, default=10)
    ap.add_argument("--limit-m", type=float, default=30, help="M time limit, also the workers comparison (default 30)")
    ap.add_argument("--limit-l", type=float, default=60)
    ap.add_argument("--limit-xl", type=float, default=10, help="time limit per XL job (default 10)")
    ap.add_argument("--limit-repair", type=float, default=5)
    ap.add_argument("--xl-jobs", type=int, default=34)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/out"), help="where the .jsonl and .md go")
    ap.add_argument("--describe", metavar="SIZE", help="print the generated centre's counts and exit")
    args = ap.parse_args(argv)

    if args.describe:
        from benchmarks.province.generator import describe, generate

        print(json.dumps(describe(generate(args.describe, args.seed)), indent=2))
        return 0

    if args.quick:
        sizes = args.sizes.split(",") if args.sizes else QUICK
        limits = {"S": 5, "M": 10, "L": 60, "XL": 5, "repair": 2}
    else:
        sizes = args.sizes.split(",") if args.sizes else FULL
        limits = {
            "S": args.limit_s,
            "M": args.limit_m,
            "L": args.limit_l,
            "XL": args.limit_xl,
            "repair": args.limit_repair,
        }
    cases = runner.plan(
        sizes=sizes,
        seed=args.seed,
        workers=args.workers,
        limits=limits,
        compare_workers=[int(w) for w in args.compare_workers.split(",")],
        repeats=args.repeats,
        xl_jobs=args.xl_jobs,
    )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    jsonl = args.out / f"province-{stamp}.jsonl"
    results = runner.run_all(cases, jsonl)
    command = "python -m benchmarks.province " + " ".join(argv)
    report = f"Command: `{command.strip()}` — {datetime.now():%Y-%m-%d %H:%M}\n\n" + runner.markdown(results)
    (args.out / f"province-{stamp}.md").write_text(report + "\n")
    print(report)
    print(f"\nJSON lines: {jsonl}", file=sys.stderr)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
