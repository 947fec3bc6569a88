"""Asking for work to be done off the request, and what admins see of it.

Features call ``enqueue`` inside their unit of work; the job is sent to the queue when that commits. Only
administrators see the jobs list, and they alone send a failed job again (``retry``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.db import add_once
from timebank.errors import Forbidden
from timebank.jobs import errors, queue
from timebank.jobs.models import Job, JobState
from timebank.jobs.registry import kind_named
from timebank.pagination import Page, paginate


class Staff(Protocol):
    id: int
    is_admin: bool


def enqueue(
    session: Session,
    kind: str,
    *,
    payload: dict[str, Any] | None = None,
    key: str | None = None,
    requested_by_id: int | None = None,
    time_bank_id: int | None = None,
    total: int = 0,
) -> Job:
    """A job of a registered ``kind``, sent to the workers when the caller's transaction commits. With a
    ``key``, asking again gives the job already made; if that one failed, it is queued again."""
    registered = kind_named(kind)
    if registered is None:
        raise LookupError(f"no job kind {kind!r} is registered")
    job = Job(kind=kind, key=key, payload=payload or {}, state=JobState.QUEUED, max_attempts=registered.max_attempts,
              requested_by_id=requested_by_id, time_bank_id=time_bank_id, progress_total=total)
    if key is None:
        session.add(job)
        session.flush()
    else:
        job, created = add_once(session, job, lambda: job_by_key(session, key, lock=True))
        if not created:
            if job.state is JobState.FAILED:
                _requeue(session, job)
            return job
    queue.send_after_commit(session, job.id)
    return job


def _requeue(session: Session, job: Job) -> None:
    job.state = JobState.QUEUED
    job.attempts = 0
    job.finished_at = None
    session.flush()
    queue.send_after_commit(session, job.id)


def job_by_key(session: Session, key: str, *, lock: bool = False) -> Job | None:
    """The job asked for with this key, if any (``lock``: to change it)."""
    query = sa.select(Job).where(Job.key == key)
    return session.scalar(query.with_for_update() if lock else query)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0


def progress_of(job: Job) -> Progress:
    """Where a job has got to: a running job's live count from the queue's store, else the committed one."""
    if job.state is JobState.RUNNING:
        live = queue.current().progress.get(job.id)
        if live is not None:
            return Progress(*live)
    return Progress(job.progress_done, job.progress_total)


def require_admin(session: Session, actor: Staff) -> None:
    """Jobs are the install's to watch (``session`` only so that every access rule has the same shape)."""
    if not actor.is_admin:
        raise Forbidden(_l("Only an administrator can see background jobs"))


def list_jobs(
    session: Session, actor: Staff, *, state: JobState | None = None, page: int = 1, per_page: int = 25
) -> Page[Job]:
    """Every job, newest first, or those in one state (``failed``: what needs an admin)."""
    require_admin(session, actor)
    query = sa.select(Job).order_by(Job.id.desc())
    if state is not None:
        query = query.where(Job.state == state)
    return paginate(session, query, page=page, per_page=per_page)


def retry(session: Session, actor: Staff, job_id: int) -> Job:
    """Send a failed job again with its attempts renewed, or send again one still waiting (its message may
    have been lost with a process that had no Redis). Running it twice does it once."""
    require_admin(session, actor)
    job = session.get(Job, job_id, with_for_update=True)
    if job is None:
        raise errors.JobNotFound()
    if job.state is JobState.FAILED:
        _requeue(session, job)
    elif job.state is JobState.QUEUED:
        queue.send_after_commit(session, job.id)
    else:
        raise errors.JobNotRetryable()
    audit.record(session, "job.retried", actor_id=actor.id, subject_type="job", subject_id=job.id,
                 time_bank_id=job.time_bank_id, kind=job.kind)
    return job
