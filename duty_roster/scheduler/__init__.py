"""The scheduler process (`duty-roster scheduler`): SMS dispatch, reminders, unconfirmed-duty alerts, swap expiry.

- leader.py: LeaderLock, so only one scheduler process runs jobs (PostgreSQL advisory lock or a file lock).
- process.py: APScheduler on the app's database, started only while holding the lock; the `--once` variant and the
  embedded variant for the one-process demo.
- jobs.py: the jobs themselves, thin wrappers around duty_roster.notify and duty_roster.rostering.

Web workers never run a scheduler (docs/scheduler.md).
"""
