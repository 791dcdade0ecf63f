"""Child processes for the scheduler tests: real `python` processes with the output read line by line."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from duty_roster.config import ENV_PREFIX
from tests import clock

REPO = Path(__file__).resolve().parents[2]
RETRY_SECONDS = 1  # DUTY_ROSTER_SCHEDULER_LOCK_RETRY_SECONDS in the children: takeover within about a second
SECRET = "scheduler-test-secret-0123456789abcdefghijklmnopqrstuvwxyz"


def child_env(database_url: str, instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    env.update({
        f"{ENV_PREFIX}DATABASE_URL": database_url,
        f"{ENV_PREFIX}INSTANCE_PATH": str(instance),
        f"{ENV_PREFIX}SECRET_KEY": SECRET,
        f"{ENV_PREFIX}SCHEDULER_LOCK_RETRY_SECONDS": str(RETRY_SECONDS),
        "PYTHONUNBUFFERED": "1",
    })
    return env


class Child:
    """`python -m <module> args...` with stdout and stderr merged into `lines` (a queue) and kept in `output`."""

    def __init__(self, module: str, *args: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            clock.python_command(module, *args), cwd=REPO, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        )
        self.pid = self.proc.pid
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        """The first line (from now on) containing `text`; fails with the whole output if it never comes."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            if text in line:
                return line
        pytest.fail(f"pid {self.pid} never printed {text!r}; output:\n{''.join(self.output)}")

    def seen(self, text: str) -> bool:
        return any(text in line for line in self.output)

    def kill(self) -> None:
        """kill -9: no clean-up at all, as when a machine or process dies."""
        self.proc.kill()
        self.proc.wait(timeout=10)
        self._reader.join(timeout=5)

    def wait(self, timeout: float) -> int:
        """The exit code, once the process ends by itself."""
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def terminate(self, timeout: float = 20) -> int:
        """SIGTERM and the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)  # the last lines are in `output` before anyone looks
        return code

    def cleanup(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
