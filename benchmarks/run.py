"""`python -m benchmarks.run`: every benchmark suite, one after another (minutes; never part of `make test`).

Runs the province-scale suite (`python -m benchmarks.province`) and the Curtois & Qu suite
(`python -m benchmarks.curtois --instances 1-10`) and the SMS dispatch benchmark (`python -m benchmarks.sms_dispatch`),
each as its own process so that one suite's memory and threads
never weigh on another. `--quick` runs the short version of each (a few minutes in all).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands(quick: bool, out: Path, stamp: str) -> list[tuple[str, list[str]]]:
    py = sys.executable
    province = [py, "-m", "benchmarks.province", "--out", str(out)]
    curtois = [
        py,
        "-m",
        "benchmarks.curtois",
        "--instances",
        "1-10",
        "--time-limit",
        "10" if quick else "60",
        "--out",
        str(out / f"curtois-{stamp}.md"),
    ]
    if quick:
        province.append("--quick")
    sms = [py, "-m", "benchmarks.sms_dispatch", "--out", str(out / f"sms-dispatch-{stamp}.md")]
    if quick:
        sms += ["--messages", "300", "--capped-messages", "200"]
    return [("province", province), ("curtois", curtois), ("sms", sms)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="short limits: province S/M/repair, Curtois 1-10 at 10 s")
    ap.add_argument("--only", choices=("province", "curtois", "sms"), help="run one suite")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    failed = []
    for name, cmd in commands(args.quick, args.out, stamp):
        if args.only and name != args.only:
            continue
        print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
        started = time.perf_counter()
        code = subprocess.call(cmd, cwd=ROOT)
        print(f"== {name}: exit {code} after {time.perf_counter() - started:.0f} s", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
