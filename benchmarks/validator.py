"""`python -m benchmarks.validator`: how long the independent validator takes on a month of 60 people.

The API validates the whole roster on every manual edit and swap, so this must stay well under 100 ms. Measured
here (median of repeated runs), never asserted in a test.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from duty_roster.solver.problem import Assignment, Person, Problem, Rules, Shift
from duty_roster.solver.validate import validate

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = date(2026, 3, 2)


def _shift(sid: str, day: int, hour: int, location: str) -> Shift:
    d = MONDAY + timedelta(days=day)
    start = datetime(d.year, d.month, d.day, hour, tzinfo=TZ)
    return Shift(id=sid, start=start, end=start + timedelta(hours=4), day=d, type="D", location=location)


def month_case() -> tuple[Problem, list[Assignment]]:
    """60 people, 30 days x 25 locations x 2 sessions = 1,500 slots, assigned round-robin (weekly limits broken)."""
    people = tuple(
        Person(f"p{i:02d}", max_shifts_per_week=5, max_shifts_per_month=20, max_consecutive_days=6,
               min_consecutive_days_off=1, max_weekends=4, max_total_minutes=200 * 60)
        for i in range(60)
    )
    shifts = tuple(
        _shift(f"d{d}l{loc}{half}", d, hour, f"L{loc}")
        for d in range(30)
        for loc in range(25)
        for half, hour in (("am", 7), ("pm", 13))
    )
    roster = [
        Assignment(f"p{(d * 25 + loc) % 60:02d}", f"d{d}l{loc}{half}")
        for d in range(30)
        for loc in range(25)
        for half in ("am", "pm")
    ]
    return Problem(people=people, shifts=shifts, rules=Rules()), roster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    problem, roster = month_case()
    validate(problem, roster)  # warm the caches
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        violations = validate(problem, roster)
        times.append(time.perf_counter() - started)
    print(f"validator, 60 people x {len(roster)} slots: median {statistics.median(times) * 1000:.1f} ms, "
          f"min {min(times) * 1000:.1f} ms over {args.repeat} runs ({len(violations)} violations found)")


if __name__ == "__main__":
    main()
