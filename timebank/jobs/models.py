"""Background jobs: the app's own record of work done off the request, on the queue (``timebank.jobs.queue``).

Design note: the queue (Dramatiq) only carries a job's id; everything else is here, in the database the
work itself writes to. A job is ``queued`` → ``running`` → ``succeeded``, or back to ``queued`` after a
failed attempt (retried with back-off) and ``failed`` once its attempts are spent or its work refused for
good. The work and the move to ``succeeded`` commit in one transaction that holds the job's row lock, so a
message delivered twice (a worker killed mid-job, its message handed to another) does the work once: the
second delivery waits for the lock and finds the job done. ``last_error`` names the kind of error only
(an exception's class, a refusal's code), never its message, which could name a person. A ``key`` makes
enqueueing idempotent: asking twice for the same work gives the same job.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from timebank.db import Base
from timebank.types import UTCDateTime, created_at, intpk, str_enum

MAX_KIND = 60
MAX_KEY = 120
MAX_ERROR = 200


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint("progress_done >= 0 AND progress_total >= 0", name="progress_not_negative"),
        sa.CheckConstraint("(state IN ('succeeded', 'failed')) = (finished_at IS NOT NULL)", name="finished_iff_done"),
        sa.Index("ix_jobs_state_id", "state", "id"),
    )

    id: Mapped[intpk]
    #: What to do: a name registered with ``timebank.jobs.registry`` by the feature that does it.
    kind: Mapped[str] = mapped_column(sa.String(MAX_KIND))
    #: Asking again with the same key gives the same job (``service.enqueue``).
    key: Mapped[str | None] = mapped_column(sa.String(MAX_KEY), unique=True)
    #: The job's arguments: ids and dates, never personal data.
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    state: Mapped[JobState] = mapped_column(str_enum(JobState, "job_state"), default=JobState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    max_attempts: Mapped[int]
    #: The kind of the last error (class or refusal code), never its words.
    last_error: Mapped[str | None] = mapped_column(sa.String(MAX_ERROR))
    #: Where the work had got to when it last committed; a running job's live count is in the queue's store.
    progress_done: Mapped[int] = mapped_column(default=0, server_default="0")
    progress_total: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Who asked (none for the daily jobs cron starts).
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    time_bank_id: Mapped[int | None] = mapped_column(sa.ForeignKey("time_banks.id"), index=True)
    created_at: Mapped[created_at]
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
