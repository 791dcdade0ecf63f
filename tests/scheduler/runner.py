"""`python -m tests.scheduler.runner TICK_FILE`: a real scheduler process (the same `serve` as `duty-roster scheduler`)
with one extra job that appends "<pid> <time>" to TICK_FILE every second, so a test can see who runs jobs and how
often. Settings come from the environment (DUTY_ROSTER_*)."""

from __future__ import annotations

import os
import sys
import time

from duty_roster import create_app
from duty_roster.scheduler.process import JobSpec, serve


def tick(path: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()} {time.time():.3f}\n")


def main() -> None:
    app = create_app()
    job = JobSpec("test-tick", "tests.scheduler.runner:tick", 1, args=(sys.argv[1],))
    sys.exit(serve(app, extra_jobs=[job]))


if __name__ == "__main__":
    main()
