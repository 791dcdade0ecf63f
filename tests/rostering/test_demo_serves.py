"""`duty-roster demo` (what `make demo` runs) really serves the app afterwards: probed over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from tests import clock


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_demo_serves_health_and_the_api(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTY_ROSTER_")}
    env |= {"DUTY_ROSTER_INSTANCE_PATH": str(tmp_path), "DUTY_ROSTER_PORT": str(port),
            "DUTY_ROSTER_SOLVER_TIME_LIMIT": "2"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])  # `duty-roster demo`, at the suite's "today"
    proc = subprocess.Popen(clock.python_command("duty_roster.cli", "demo"), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        base, deadline, health = f"http://127.0.0.1:{port}", time.monotonic() + 240, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    health = json.load(response)
                    break
            except OSError:
                time.sleep(0.5)
        assert proc.poll() is None, f"the demo exited instead of serving:\n{proc.stdout.read() if proc.stdout else ''}"
        assert health == {"status": "ok", "database": "ok"}
        with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=5) as response:
            assert json.load(response)["openapi"].startswith("3.")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
