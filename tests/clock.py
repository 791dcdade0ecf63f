"""The test suite's "today": every test runs at a fixed instant, never at the machine's date.

A suite that passed yesterday must pass today, so `tests/conftest.py` moves the clock (time-machine: `datetime.now`,
`date.today`, `time.time`, in every thread of the process) to one of the fixed days below for the whole session, and
lets it tick from there. `time.monotonic` is left alone, so timeouts and rate caps measure real time.

- The default day is an ordinary working Wednesday. `DUTY_ROSTER_TEST_TODAY` picks another one (a name below or an
  ISO datetime with its offset): `DUTY_ROSTER_TEST_TODAY=tet-eve pytest -m dates`.
- `make test` runs the whole suite at the default day, then the date-sensitive tests (marker `dates`, set by folder
  in tests/conftest.py) at each other day: `python -m tests.clock --each-other-day -- pytest -m dates`.
- Child processes (the CLI, the scheduler, the demo) start at the parent's current test time through
  `python_command()`: `python -m tests.clock --at ISO -- MODULE ARGS...` runs MODULE under the same clock.
- Tests that must read the machine's clock say so with `@pytest.mark.real_clock` (reason in the marker's
  docstring); the browser tests do, since Chromium keeps cookies and runs scripts on the machine's clock.
"""

from __future__ import annotations

import argparse
import os
import runpy
import subprocess
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import time_machine

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ENV = "DUTY_ROSTER_TEST_TODAY"
FIXED_DAYS: dict[str, datetime] = {
    # An ordinary working Wednesday in the middle of a month, mid-morning: the default.
    "wednesday": datetime(2026, 11, 18, 10, 0, tzinfo=VIETNAM),
    # Half an hour before the year (and the month, and the roster period) changes, local time; still 16:30 in UTC.
    "new-year-eve": datetime(2026, 12, 31, 23, 30, tzinfo=VIETNAM),
    # Tết eve (30 tháng Chạp, Bính Ngọ): inside the Tết holiday, a Friday evening.
    "tet-eve": datetime(2027, 2, 5, 20, 0, tzinfo=VIETNAM),
    # A leap day: "next month" from here, "the same day next year" and 29-day Februaries.
    "leap-day": datetime(2028, 2, 29, 12, 0, tzinfo=VIETNAM),
}
DEFAULT_DAY = "wednesday"


def day_name() -> str:
    return os.environ.get(ENV, "").strip() or DEFAULT_DAY


def suite_now(name: str | None = None) -> datetime:
    """The instant the suite starts at: a named fixed day, or an ISO datetime with an offset."""
    name = name or day_name()
    if name in FIXED_DAYS:
        return FIXED_DAYS[name]
    try:
        at = datetime.fromisoformat(name)
    except ValueError:
        raise SystemExit(f"{ENV}={name!r}: use one of {', '.join(FIXED_DAYS)} or an ISO datetime") from None
    if at.tzinfo is None:
        raise SystemExit(f"{ENV}={name!r}: give the offset too (e.g. +07:00)")
    return at


def frozen(at: datetime | None = None) -> time_machine.travel:
    """Travel to `at` (default: the suite's day) and let the clock tick from there."""
    return time_machine.travel(at or suite_now(), tick=True)


def machine_now() -> datetime:
    """The machine's real clock, whatever time-machine says (for the few tests marked `real_clock`)."""
    return datetime.fromtimestamp(time_machine.escape_hatch.time.time(), UTC)


def python_command(module: str, *args: str) -> list[str]:
    """`python -m MODULE ARGS` in a child process whose clock starts at this process's (test) time."""
    return [sys.executable, "-m", "tests.clock", "--at", datetime.now(UTC).isoformat(), "--", module, *args]


def _run_module_at(at: datetime, module: str, args: list[str]) -> None:
    sys.argv = [module, *args]
    with frozen(at):
        runpy.run_module(module, run_name="__main__", alter_sys=True)


def _each_other_day(command: list[str]) -> int:
    failed = []
    for name in FIXED_DAYS:
        if name == DEFAULT_DAY:
            continue
        print(f"=== {ENV}={name} ({FIXED_DAYS[name].isoformat()}): {' '.join(command)}", flush=True)
        if subprocess.call(command, env={**os.environ, ENV: name}) != 0:
            failed.append(name)
    if failed:
        print(f"=== failed at: {', '.join(failed)}", flush=True)
        return 1
    print(f"=== passed at every other fixed day: {', '.join(n for n in FIXED_DAYS if n != DEFAULT_DAY)}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.clock", description=__doc__.splitlines()[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--at", help="run `-- MODULE ARGS...` in this process, its clock starting at this ISO datetime")
    what.add_argument("--each-other-day", action="store_true",
                      help=f"run `-- COMMAND...` once per fixed day other than {DEFAULT_DAY}, with {ENV} set")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command after --")
    if args.each_other_day:
        return _each_other_day(command)
    _run_module_at(datetime.fromisoformat(args.at), command[0], command[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
