"""`python -m tests.print_now`: prints the process's idea of now (UTC, ISO); tests/test_clock.py starts it through
`tests.clock.python_command` to check that a child process runs at its parent's test time."""

from datetime import UTC, datetime

print(datetime.now(UTC).isoformat())
