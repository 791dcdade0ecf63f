"""LeaderLock: at most one scheduler process runs jobs; the others wait and take over when it dies.

APScheduler 3 must never share a job store between running schedulers (duplicate runs, reproduced in
notes/stack.md §3), so every scheduler process first takes this lock and only then builds its scheduler.

- PostgreSQL: `pg_try_advisory_lock(LOCK_KEY)` on a dedicated connection (its own engine, no pool) held open for the
  life of the process. The server releases the lock when that session ends, including when the process is killed.
- SQLite (one host by nature): `fcntl.flock(LOCK_EX | LOCK_NB)` on a file next to the database. The kernel releases
  it when the process dies.

`healthy()` says whether this process still holds the lock; the holder checks it regularly and before every job, and
stops scheduling as soon as it fails (the safe side: better a missed tick than a double SMS).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

# Advisory locks are per database, so one key serves every install; the number only has to be ours within it.
LOCK_KEY = 727_001
LOCK_FILE_SUFFIX = ".scheduler.lock"
INSTANCE_LOCK_FILE = "scheduler.lock"
# The lock session must notice a dead network path rather than hang: TCP keepalives and short timeouts.
PG_CONNECT_ARGS = {
    "application_name": "duty-roster scheduler lock",
    "connect_timeout": 10,
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "options": "-c statement_timeout=10000",
}


class LeaderLock:
    """One process-wide lock for the scheduler. Not re-entrant across instances: two LeaderLocks on the same database
    in one process exclude each other too (which the tests rely on)."""

    def __init__(self, database_url: str, instance_path: str | os.PathLike[str], *, key: int = LOCK_KEY) -> None:
        self.url = sa.engine.make_url(database_url)
        self.key = key
        self.held = False
        self._guard = threading.Lock()  # the holder checks health from the main thread and from job threads
        self._engine: sa.Engine | None = None
        self._conn: sa.Connection | None = None
        self._fd: int | None = None
        self.path: Path | None = None
        if self.postgres:
            return
        database = self.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            self.path = Path(database).expanduser().resolve().with_name(Path(database).name + LOCK_FILE_SUFFIX)
        else:
            self.path = Path(instance_path) / INSTANCE_LOCK_FILE

    @property
    def postgres(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    def describe(self) -> str:
        return f"PostgreSQL advisory lock {self.key}" if self.postgres else f"file lock {self.path}"

    def try_acquire(self) -> bool:
        """One attempt, never blocking. Connection trouble counts as "not acquired" (logged) so a standby keeps
        retrying while the database is down."""
        with self._guard:
            if self.held:
                return True
            try:
                self.held = self._try_postgres() if self.postgres else self._try_file()
            except (sa.exc.SQLAlchemyError, OSError) as exc:
                log.warning("scheduler lock: %s unavailable (%s); will retry", self.describe(), _first_line(exc))
                self._close()
                self.held = False
            return self.held

    def acquire(
        self,
        *,
        wait: bool,
        retry_seconds: float,
        stop: threading.Event | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> bool:
        """Take the lock. With `wait`, retry every `retry_seconds` until it is free or `stop` is set; `on_wait` is
        called once, when the first attempt fails. Returns whether the lock is held."""
        if self.try_acquire():
            return True
        if not wait:
            self._close()
            return False
        if on_wait is not None:
            on_wait()
        stop = stop or threading.Event()
        while not stop.wait(retry_seconds):
            if self.try_acquire():
                return True
        self._close()
        return False

    def healthy(self) -> bool:
        """Whether this process still holds the lock. PostgreSQL: the lock session answers and still owns the lock.
        File: the file we locked is still the one at the path (deleting it would let a second process lock a new
        file)."""
        with self._guard:
            if not self.held:
                return False
            try:
                ok = self._postgres_holds() if self.postgres else self._file_holds()
            except (sa.exc.SQLAlchemyError, OSError) as exc:
                log.error("scheduler lock: lost %s (%s)", self.describe(), _first_line(exc))
                ok = False
            if not ok:
                self.held = False
                self._close()
            return ok

    def release(self) -> None:
        """Give the lock up (closing the session or the file releases it even if the unlock itself fails)."""
        with self._guard:
            if self.held and self._conn is not None:
                with contextlib.suppress(sa.exc.SQLAlchemyError):  # the session is going away anyway
                    self._conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            self.held = False
            self._close()

    # PostgreSQL

    def _connection(self) -> sa.Connection:
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            self._close()
            self._engine = sa.create_engine(self.url, poolclass=NullPool, connect_args=PG_CONNECT_ARGS)
            self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self._conn

    def _try_postgres(self) -> bool:
        conn = self._connection()
        return bool(conn.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar_one())

    def _postgres_holds(self) -> bool:
        assert self._conn is not None
        # A bigint key shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
        query = sa.text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted "
            "AND classid::bigint = :high AND objid::bigint = :low AND objsubid = 1"
        )
        params = {"high": (self.key >> 32) & 0xFFFFFFFF, "low": self.key & 0xFFFFFFFF}
        return self._conn.execute(query, params).scalar_one() > 0

    # File (SQLite)

    def _try_file(self) -> bool:
        assert self.path is not None
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"{os.getpid()}\n".encode(), 0)  # who holds it, for a curious operator
        return True

    def _file_holds(self) -> bool:
        assert self._fd is not None and self.path is not None
        mine, there = os.fstat(self._fd), os.stat(self.path)
        return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)

    def _close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                self._conn.close()
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
