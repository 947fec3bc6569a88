"""Running one job: what a worker does with a message (``queue.Queue._run``), and what a command does
when it runs a job where it is (``flask notices send --now``).

1. A short transaction marks the job ``running`` and counts the attempt, so admins see it.
2. The work runs in one transaction that first takes the job's row lock and checks it is still running;
   it ends with the job ``succeeded``, committed with the work or not at all. A worker killed here leaves
   nothing: the database rolls the transaction back, and the redelivered message runs it again. A second
   delivery of a message whose job is done waits for the lock and finds it done.
3. If the work fails, its transaction rolls back and a short one records the error: the job is ``queued``
   again and the error goes back to Dramatiq, which retries after a back-off, or, once its attempts are
   spent (or the work was refused: a ``DomainError``), the job is ``failed`` for an admin to see and retry.
"""

from __future__ import annotations

import logging

from timebank.db import db, transaction
from timebank.errors import DomainError
from timebank.jobs import queue
from timebank.jobs.models import MAX_ERROR, Job, JobState
from timebank.jobs.registry import kind_named
from timebank.types import utcnow

log = logging.getLogger(__name__)


def describe(error: BaseException) -> str:
    """The kind of an error, never its words (which could name a person): a refusal's code or a class name."""
    if isinstance(error, DomainError):
        return f"refused: {error.code}"[:MAX_ERROR]
    return f"{type(error).__module__}.{type(error).__qualname__}"[:MAX_ERROR]


def _locked(job_id: int) -> Job | None:
    return db.session.get(Job, job_id, with_for_update=True, populate_existing=True)


def _claim(job_id: int) -> bool:
    with transaction():
        job = _locked(job_id)
        if job is None or job.state in (JobState.SUCCEEDED, JobState.FAILED):
            return False  # done already (a message delivered twice), given up, or never committed
        job.state = JobState.RUNNING
        job.attempts += 1
        job.started_at = utcnow()
    return True


def _work(job: Job) -> None:
    """The job's work and its move to ``succeeded``, inside a transaction that holds its row lock."""
    store = queue.current().progress

    def progress(done: int, total: int) -> None:
        store.set(job.id, done, total)

    kind = kind_named(job.kind)
    if kind is None:
        raise LookupError(f"no job kind {job.kind!r} is registered")
    kind.run(db.session, job, progress)
    live = store.get(job.id)
    if live is not None:
        job.progress_done, job.progress_total = live
    job.state = JobState.SUCCEEDED
    job.finished_at = utcnow()
    job.last_error = None


def perform(job_id: int, *, last_attempt: bool = False) -> None:
    """Run a job once. Raises the work's error when it will be retried; ``last_attempt`` marks it failed
    instead (a command running it where it is has nobody to retry it)."""
    if not _claim(job_id):
        return
    try:
        with transaction():
            job = _locked(job_id)
            if job is None or job.state is not JobState.RUNNING:
                return  # another delivery finished it while this one waited for the lock
            _work(job)
    except Exception as error:
        retried = _record_failure(job_id, error, final=last_attempt or isinstance(error, DomainError))
        if retried:
            raise
        log.warning("Job %s failed for good: %s", job_id, describe(error), exc_info=not isinstance(error, DomainError))


def run_here(job: Job) -> None:
    """Run a queued job inside the caller's own unit of work (the demo's one transaction), once: its work
    in a savepoint, and, if that fails, the job ``failed`` with the kind of its error. Only flushes."""
    session = db.session
    job.state = JobState.RUNNING
    job.attempts += 1
    job.started_at = utcnow()
    try:
        with session.begin_nested():
            _work(job)
    except Exception as error:
        job.state = JobState.FAILED
        job.finished_at = utcnow()
        job.last_error = describe(error)
        _note_failure(job, error, final=True)
    session.flush()


def _note_failure(job: Job, error: BaseException, *, final: bool) -> None:
    kind = kind_named(job.kind)
    if kind is not None and kind.on_failure is not None:
        kind.on_failure(db.session, job, error, final)


def _record_failure(job_id: int, error: BaseException, *, final: bool) -> bool:
    """Note the failure; whether the job will be tried again."""
    with transaction():
        job = _locked(job_id)
        if job is None or job.state is not JobState.RUNNING:
            return False
        job.last_error = describe(error)
        final = final or kind_named(job.kind) is None or job.attempts >= job.max_attempts
        _note_failure(job, error, final=final)
        if final:
            job.state = JobState.FAILED
            job.finished_at = utcnow()
            return False
        job.state = JobState.QUEUED
        return True
