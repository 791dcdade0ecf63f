"""Solve jobs: a roster generation requested through the API and run outside the request by the job runner (the
`duty-roster worker` process, or the embedded runner thread of a single-process install).

The row is the only shared state: the runner claims it, writes its progress on it (objective, bound, elapsed time,
fraction of the time limit) while CP-SAT searches, and finally links the draft roster or the error.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duty_roster.models.base import Base, IdMixin, TimestampMixin, str_enum

if TYPE_CHECKING:
    from duty_roster.models.rosters import Roster


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class SolveJob(IdMixin, TimestampMixin, Base):
    __tablename__ = "solve_job"

    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(24), default="generate")
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, "job_status"), default=JobStatus.QUEUED,
                                              index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)  # start, end, seed, time_limit, workers
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    runner: Mapped[str] = mapped_column(sa.String(100), default="")  # host:pid that claimed it
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]  # last progress write: a stale one means the runner died
    finished_at: Mapped[datetime | None]
    objective: Mapped[float | None]
    best_bound: Mapped[float | None]
    elapsed: Mapped[float] = mapped_column(default=0.0)  # seconds of search so far
    fraction: Mapped[float] = mapped_column(default=0.0)  # of the time limit, 0..1
    roster_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roster.id", ondelete="SET NULL"))
    error: Mapped[str] = mapped_column(sa.String(2000), default="")

    roster: Mapped[Roster | None] = relationship()
