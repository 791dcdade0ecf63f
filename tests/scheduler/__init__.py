"""Tests of the scheduler process: the leader lock, one run per tick across several schedulers, `--once`."""
