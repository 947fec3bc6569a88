"""The queue under the jobs: Dramatiq, with one actor that runs a job by its id (``runner.perform``).

* ``TIMEBANK_QUEUE_URL=redis://…`` (production): Dramatiq's Redis broker. A worker takes a message and
  acknowledges it only when the job's attempt is over; a worker that dies (killed, the machine lost) stops
  beating, and after ``QUEUE_HEARTBEAT_TIMEOUT_MS`` another worker puts its unacknowledged messages back on
  the queue, so nothing is lost. Workers are separate processes: ``flask --app wsgi jobs worker``.
* unset (a fresh machine, ``make run``): Dramatiq's in-memory broker and a worker thread inside the web
  process, started by the first job sent from a request (so Flask's reloader, whose watching process
  serves nothing, never starts a second one). It needs nothing installed, and suits one process only: a
  production app under gunicorn refuses to start with it.

Messages are sent only after the transaction that made the job commits (``send_after_commit``), so a
worker never looks for a job that is not there yet. Live progress (``progress``) is kept beside the
queue, not in the database: a running job holds its transaction open, and on SQLite a second writer
would wait for it.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from typing import Any, Protocol

import dramatiq
import redis
import sqlalchemy as sa
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Retries, ShutdownNotifications, TimeLimit
from flask import Flask, current_app, has_request_context
from sqlalchemy.orm import Session

from timebank.db import db
from timebank.jobs.models import Job, JobState

QUEUE_NAME = "jobs"
ACTOR_NAME = "timebank_job"
#: Longer than any job takes (a 5,000-row import takes about a minute); a job past it is stopped and retried.
TIME_LIMIT_MS = 60 * 60 * 1000
#: Dramatiq's own ceiling on retries, above any kind's ``max_attempts``: the runner decides when to give up.
RETRIES_CEILING = 50
#: How long a finished job's live progress stays in Redis.
PROGRESS_TTL_SECONDS = 24 * 60 * 60
_SEND_AFTER_COMMIT = "timebank_jobs_to_send"

log = logging.getLogger(__name__)


class QueueMisconfigured(RuntimeError):
    """The queue cannot run as configured (raised at start-up, not on a request)."""


class ProgressStore(Protocol):
    def set(self, job_id: int, done: int, total: int) -> None: ...

    def get(self, job_id: int) -> tuple[int, int] | None: ...


class MemoryProgress:
    """For the in-process queue: the worker thread and the pages share the process."""

    def __init__(self) -> None:
        self._counts: dict[int, tuple[int, int]] = {}

    def set(self, job_id: int, done: int, total: int) -> None:
        self._counts[job_id] = (done, total)

    def get(self, job_id: int) -> tuple[int, int] | None:
        return self._counts.get(job_id)


class RedisProgress:
    """For workers on Redis: every web process reads what any worker wrote."""

    def __init__(self, client: redis.Redis, namespace: str) -> None:
        self._client = client
        self._prefix = f"{namespace}:progress:"

    def set(self, job_id: int, done: int, total: int) -> None:
        self._client.set(f"{self._prefix}{job_id}", f"{done}/{total}", ex=PROGRESS_TTL_SECONDS)

    def get(self, job_id: int) -> tuple[int, int] | None:
        try:
            value = self._client.get(f"{self._prefix}{job_id}")
        except redis.RedisError:  # the page shows the last committed count instead
            log.warning("Could not read job %s's progress from Redis", job_id, exc_info=True)
            return None
        if value is None:
            return None
        done, total = value.decode("ascii").split("/")
        return int(done), int(total)


class Queue:
    """One app's broker, its one actor and its progress store (``app.extensions["timebank_jobs"]``)."""

    def __init__(self, app: Flask) -> None:
        settings = app.config
        self.app = app
        self.url: str | None = settings["QUEUE_URL"]
        middleware = [TimeLimit(time_limit=TIME_LIMIT_MS), ShutdownNotifications(),
                      Retries(max_retries=RETRIES_CEILING, min_backoff=settings["QUEUE_MIN_BACKOFF_MS"])]
        self.broker: dramatiq.Broker
        self.progress: ProgressStore
        if self.url:
            if not self.url.startswith(("redis://", "rediss://", "unix://")):
                raise QueueMisconfigured("TIMEBANK_QUEUE_URL must be a Redis URL (redis://host:6379/0), or unset")
            broker = RedisBroker(url=self.url, namespace=settings["QUEUE_NAMESPACE"], middleware=middleware,
                                 heartbeat_timeout=settings["QUEUE_HEARTBEAT_TIMEOUT_MS"],
                                 maintenance_chance=settings["QUEUE_MAINTENANCE_CHANCE"])
            self.broker = broker
            self.progress = RedisProgress(broker.client, settings["QUEUE_NAMESPACE"])
        else:
            self.broker = StubBroker(middleware=middleware)
            self.progress = MemoryProgress()
        self.actor = dramatiq.Actor(self._run, broker=self.broker, actor_name=ACTOR_NAME, queue_name=QUEUE_NAME,
                                    priority=0, options={})
        self._worker: dramatiq.Worker | None = None
        self._worker_lock = threading.Lock()

    @property
    def in_process(self) -> bool:
        """Whether jobs run inside this process (no ``TIMEBANK_QUEUE_URL``)."""
        return not self.url

    def _run(self, job_id: int) -> None:
        from timebank.jobs import runner  # the runner reads this module's store

        with self.app.app_context():
            runner.perform(job_id)

    def send(self, job_id: int) -> None:
        """Hand a job to the workers. In-process, a request starts the worker thread the first time."""
        self.actor.send(job_id)
        if self.in_process and self.app.config["QUEUE_IN_PROCESS_WORKER"] and has_request_context():
            self._start_in_process_worker(job_id)

    def _start_in_process_worker(self, sent_id: int) -> None:
        """One thread: on SQLite a second would only wait for the first's write lock. The jobs an earlier
        process left waiting or running (its messages were in its memory, and went with it) are sent again."""
        with self._worker_lock:
            if self._worker is not None:
                return
            # Read before the thread starts: on SQLite its first job takes the write lock at once.
            with db.engine.connect() as connection:
                left = connection.scalars(sa.select(Job.id).where(
                    Job.state.in_((JobState.QUEUED, JobState.RUNNING)), Job.id != sent_id)).all()
            self._worker = dramatiq.Worker(self.broker, worker_threads=1, worker_timeout=100)
            self._worker.start()
        for job_id in left:
            self.actor.send(job_id)

    def worker(self, threads: int | None = None) -> dramatiq.Worker:
        """A worker on this queue, not yet started (``jobs worker``, and the tests' in-process workers)."""
        return dramatiq.Worker(self.broker, worker_threads=threads or self.app.config["QUEUE_WORKER_THREADS"],
                               worker_timeout=100)

    def close(self) -> None:
        """Stop this process's in-process worker, if it has one (the tests' apps, at their end)."""
        with self._worker_lock:
            if self._worker is not None:
                self._worker.stop()
                self._worker = None
        self.broker.close()


def current() -> Queue:
    queue: Queue = current_app.extensions["timebank_jobs"]
    return queue


def send_after_commit(session: Session, job_id: int) -> None:
    """Send the job once the transaction that made it commits; nothing is sent if it rolls back."""
    session.info.setdefault(_SEND_AFTER_COMMIT, []).append(job_id)


@sa.event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    # SQLAlchemy tells of a savepoint's release too (``jobs.service.enqueue`` makes the job in one): the job
    # is not committed until the outermost transaction is, and on SQLite that transaction still holds the
    # write lock the worker needs (a send here waited out the lock's timeout, 30 s a job).
    if session.in_nested_transaction():
        return
    for job_id in session.info.pop(_SEND_AFTER_COMMIT, ()):
        try:
            current().send(job_id)
        except Exception:  # the job is committed and stays queued: an admin can send it again
            log.exception("Could not send job %s to the queue", job_id)


@sa.event.listens_for(Session, "after_rollback")
def _forget_uncommitted(session: Session) -> None:
    # A savepoint rolled back: the rest of the unit of work may still commit (a job whose row went with the
    # savepoint is not there to claim when it is sent, and the runner passes it by).
    if session.in_nested_transaction():
        return
    session.info.pop(_SEND_AFTER_COMMIT, None)


def init_app(app: Flask) -> None:
    """Make the app's queue. Nothing is reached here: Redis is first used when a job is sent."""
    if not app.config["QUEUE_URL"] and app.config.get("TIMEBANK_ENV") == "production" and "gunicorn" in sys.modules:
        raise QueueMisconfigured(
            "Under gunicorn, set TIMEBANK_QUEUE_URL=redis://… and run `flask --app wsgi jobs worker`: the "
            "in-process queue lives inside one process, and gunicorn runs several.")
    app.extensions["timebank_jobs"] = Queue(app)


def run_worker(app: Flask) -> None:
    """Run workers on the app's queue until SIGTERM or SIGINT, then stop taking jobs and finish the running
    ones (a job cut short by a second signal or a kill is simply redelivered)."""
    queue: Queue = app.extensions["timebank_jobs"]
    if queue.in_process:
        raise QueueMisconfigured("Set TIMEBANK_QUEUE_URL=redis://… to run workers: without it, jobs run inside "
                                 "the web process and need no worker.")
    worker = queue.worker()
    stopping = threading.Event()

    def stop(_signum: int, _frame: Any) -> None:
        stopping.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    worker.start()
    log.info("Job worker started on %s with %d threads", queue.broker.__class__.__name__, worker.worker_threads)
    stopping.wait()
    worker.stop()
