"""The queue with real workers, on a database of the test's own: the in-process worker a fresh machine
uses (SQLite and PostgreSQL), and Redis with a worker as ``flask jobs worker`` runs it. A job that fails is
retried after a back-off that doubles; one that keeps failing ends ``failed``."""

from __future__ import annotations

import sys

import pytest
from flask import Flask

import config
from tests.jobs.conftest import ATTEMPTS, checked_import, redis_url, request_on, use_queue, wait_for
from tests.support import assert_books_verify
from timebank.db import db, transaction
from timebank.imports import service as imports
from timebank.imports.models import ImportStatus, TimesheetImport
from timebank.jobs import service
from timebank.jobs.models import JobState
from timebank.jobs.queue import QueueMisconfigured, init_app
from timebank.members.models import Person
from timebank.notices.cli import send_command

BACKOFF_MS = 100


def _enqueue(application, kind: str, **payload: object) -> int:
    with request_on(application), transaction():
        return service.enqueue(db.session, kind, payload=payload).id


def test_the_in_process_worker_retries_with_back_off_until_the_job_succeeds(own_app):
    made = use_queue(own_app, QUEUE_URL=None, QUEUE_IN_PROCESS_WORKER=True, QUEUE_MIN_BACKOFF_MS=BACKOFF_MS)
    assert made.in_process
    ATTEMPTS.clear()  # job ids start again in each test's database
    job_id = _enqueue(own_app, "tests.flaky", succeed_on=3)
    job = wait_for(own_app, job_id, JobState.SUCCEEDED, JobState.FAILED)
    assert (job.state, job.attempts, job.last_error, job.progress_done) == (JobState.SUCCEEDED, 3, None, 1)
    times = [at for ran, _attempt, at in ATTEMPTS if ran == job_id]
    assert len(times) == 3
    # Dramatiq's back-off: at least the minimum before the first retry, at least twice it before the second.
    assert times[1] - times[0] >= BACKOFF_MS / 1000 and times[2] - times[1] >= 2 * BACKOFF_MS / 1000


def test_a_job_that_keeps_failing_ends_failed_with_its_error_and_can_be_sent_again(own_app, make_admin_on):
    use_queue(own_app, QUEUE_URL=None, QUEUE_IN_PROCESS_WORKER=True, QUEUE_MIN_BACKOFF_MS=BACKOFF_MS)
    job_id = _enqueue(own_app, "tests.always_fails")
    job = wait_for(own_app, job_id, JobState.FAILED)
    assert (job.attempts, job.max_attempts, job.last_error) == (2, 2, "tests.jobs.conftest.Flaky")
    admin = make_admin_on(own_app)
    with request_on(own_app), transaction():
        service.retry(db.session, db.session.get(Person, admin), job_id)
    again = wait_for(own_app, job_id, JobState.FAILED)  # queued, tried twice more, failed again
    assert again.attempts == 2


def test_an_import_applied_by_the_in_process_worker_goes_in_whole(own_app):
    use_queue(own_app, QUEUE_URL=None, QUEUE_IN_PROCESS_WORKER=True)
    books = checked_import(own_app, rows=40)
    with request_on(own_app), transaction():
        job_id = imports.enqueue_apply(db.session, db.session.get(Person, books.broker_id), books.import_id).id
    job = wait_for(own_app, job_id, JobState.SUCCEEDED, JobState.FAILED)
    assert (job.state, job.progress_done, job.progress_total) == (JobState.SUCCEEDED, 40, 40)
    with own_app.app_context():
        assert db.session.get(TimesheetImport, books.import_id).status is ImportStatus.APPLIED
        assert_books_verify(db.session)


def test_jobs_go_through_redis_to_a_worker_and_progress_is_kept_there(own_app, redis_namespace):
    made = use_queue(own_app, QUEUE_URL=redis_url(), QUEUE_NAMESPACE=redis_namespace,
                     QUEUE_MIN_BACKOFF_MS=BACKOFF_MS)
    assert not made.in_process
    books = checked_import(own_app, rows=10)
    flaky_id = _enqueue(own_app, "tests.flaky", succeed_on=2)
    with own_app.app_context(), transaction():
        apply_id = imports.enqueue_apply(db.session, db.session.get(Person, books.broker_id), books.import_id).id
    assert made.broker.client.keys(f"{redis_namespace}*")  # the messages wait in Redis
    worker = made.worker(threads=2)
    worker.start()
    try:
        flaky = wait_for(own_app, flaky_id, JobState.SUCCEEDED, JobState.FAILED)
        applied = wait_for(own_app, apply_id, JobState.SUCCEEDED, JobState.FAILED)
    finally:
        worker.stop()
    assert (flaky.state, flaky.attempts) == (JobState.SUCCEEDED, 2)
    assert (applied.state, applied.progress_done) == (JobState.SUCCEEDED, 10)
    assert made.progress.get(apply_id) == (10, 10)
    with own_app.app_context():
        assert db.session.get(TimesheetImport, books.import_id).status is ImportStatus.APPLIED
        assert_books_verify(db.session)


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "amqp://guest@localhost"])
def test_a_queue_url_that_is_not_redis_is_refused_at_start(own_app, url):
    with pytest.raises(QueueMisconfigured):
        use_queue(own_app, QUEUE_URL=url)


def test_the_in_process_worker_takes_up_jobs_an_earlier_process_left_waiting_or_running(own_app):
    """Their messages were in the memory of a server that stopped; the database still has the jobs."""
    with own_app.app_context(), transaction():
        left = [service.enqueue(db.session, "tests.flaky", payload={"succeed_on": 1}) for _ in range(2)]
        left[1].state, left[1].attempts = JobState.RUNNING, 1  # the old server died while it ran
        left_ids = [job.id for job in left]
    use_queue(own_app, QUEUE_URL=None, QUEUE_IN_PROCESS_WORKER=True)  # the server starts again
    new_id = _enqueue(own_app, "tests.flaky", succeed_on=1)
    done = [wait_for(own_app, job_id, JobState.SUCCEEDED, JobState.FAILED) for job_id in (*left_ids, new_id)]
    assert [(job.state, job.attempts) for job in done] == [(JobState.SUCCEEDED, 1), (JobState.SUCCEEDED, 2),
                                                           (JobState.SUCCEEDED, 1)]


def test_the_daily_reminders_are_queued_for_the_workers_when_there_is_a_queue(own_app, redis_namespace):
    made = use_queue(own_app, QUEUE_URL=redis_url(), QUEUE_NAMESPACE=redis_namespace)
    result = own_app.test_cli_runner().invoke(send_command, ["--today", "2026-12-01"])
    assert result.exit_code == 0, result.output
    job_id = int(result.output.split()[2].rstrip(":"))
    assert result.output.startswith(f"Queued job {job_id}: the day's reminders for 2026-12-01.")
    worker = made.worker(threads=1)
    worker.start()
    try:
        job = wait_for(own_app, job_id, JobState.SUCCEEDED, JobState.FAILED)
    finally:
        worker.stop()
    assert (job.kind, job.state, job.payload) == ("notices.send", JobState.SUCCEEDED,
                                                  {"day": "2026-12-01", "exchanges": 0, "listings": 0,
                                                   "dbs_checks": 0})
    now = own_app.test_cli_runner().invoke(send_command, ["--today", "2026-12-01", "--now"])
    assert now.exit_code == 0 and "Exchange reminders made: 0" in now.output


def test_production_under_gunicorn_refuses_the_in_process_queue(monkeypatch):
    """Several gunicorn workers would each keep jobs in their own memory: production there needs Redis."""
    monkeypatch.setitem(sys.modules, "gunicorn", sys.modules[__name__])  # as if gunicorn had loaded the app
    settings = config.TestingConfig()
    app = Flask(__name__)
    app.config.from_object(settings)
    app.config.update(TIMEBANK_ENV="production", QUEUE_URL=None)
    with pytest.raises(QueueMisconfigured, match="TIMEBANK_QUEUE_URL"):
        init_app(app)
    app.config.update(QUEUE_URL="redis://127.0.0.1:6379/1")
    init_app(app)  # nothing is reached at start-up
    assert not app.extensions["timebank_jobs"].in_process


def test_a_job_made_in_a_savepoint_is_sent_when_the_whole_unit_of_work_commits(app, db_session):
    """``enqueue`` makes its job in a savepoint, and SQLAlchemy tells of a savepoint's release as a commit:
    the job goes to the workers only when the outermost transaction commits (before it, on SQLite, the
    worker would wait for the unit of work's write lock; anywhere, it might look for a job not yet there)."""
    from timebank.jobs import queue

    waiting = queue.current().broker.queues[queue.QUEUE_NAME]
    before = waiting.qsize()
    with db_session.begin_nested():
        job = service.enqueue(db_session, "tests.flaky", payload={"succeed_on": 1})
    assert job.key is None and waiting.qsize() == before  # released, not committed: nothing sent yet
    part = db_session.begin_nested()  # a part that rolls back leaves what was made before it to be sent
    service.enqueue(db_session, "tests.flaky", payload={"succeed_on": 1}, key="rolled-back")
    part.rollback()
    db_session.commit()
    assert waiting.qsize() == before + 2  # the first, and the rolled-back one (the runner will not find it)
