"""`python -m tests.scheduler.holder DATABASE_URL INSTANCE_PATH`: take the real LeaderLock (waiting, retrying every
SCHEDULER_LOCK_RETRY_SECONDS from the environment) and hold it until killed. Prints "waiting" and "acquired <pid>"."""

from __future__ import annotations

import os
import sys
import threading

from duty_roster.config import load_settings
from duty_roster.scheduler.leader import LeaderLock


def main() -> None:
    url, instance = sys.argv[1], sys.argv[2]
    retry = load_settings().SCHEDULER_LOCK_RETRY_SECONDS
    lock = LeaderLock(url, instance)
    lock.acquire(wait=True, retry_seconds=retry, on_wait=lambda: print("waiting", flush=True))
    print(f"acquired {os.getpid()}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
