"""A worker killed mid-job loses nothing: a worker process on Redis starts recording a 40-row timesheet and
is killed with SIGKILL half-way, inside the import's transaction; a second worker takes the message over
once the first one's heartbeat is missed, and the file is recorded exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.jobs.conftest import PATIENCE_SECONDS, checked_import, reading, redis_url, use_queue, wait_for
from tests.support import assert_books_verify
from timebank.db import db, transaction
from timebank.imports import service as imports
from timebank.imports.models import ImportStatus, TimesheetImport
from timebank.jobs.models import JobState
from timebank.ledger.models import Exchange
from timebank.members.models import Person

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _worker(application, namespace: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TIMEBANK_TEST_DATABASE_URL": application.config["SQLALCHEMY_DATABASE_URI"]}
    return subprocess.Popen([sys.executable, "-m", "tests.jobs.worker_process", redis_url(), namespace, *extra],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=PATIENCE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_worker_killed_mid_import_loses_nothing_and_the_next_records_it_once(own_app, redis_namespace, tmp_path):
    use_queue(own_app, QUEUE_URL=redis_url(), QUEUE_NAMESPACE=redis_namespace)
    books = checked_import(own_app, rows=40)
    marker = tmp_path / "stalled"
    first = _worker(own_app, redis_namespace, "--stall-at", "22", "--marker", str(marker))
    second = None
    try:
        with own_app.app_context(), transaction():
            job_id = imports.enqueue_apply(db.session, db.session.get(Person, books.broker_id),
                                           books.import_id).id
        deadline = time.monotonic() + PATIENCE_SECONDS
        while not marker.exists():
            assert first.poll() is None, first.stderr.read().decode() if first.stderr else "the worker stopped"
            assert time.monotonic() < deadline, "the first worker never reached row 22"
            time.sleep(0.05)
        running = wait_for(own_app, job_id, JobState.RUNNING)
        assert running.attempts == 1
        with reading(own_app):  # 20 rows were recorded in its open transaction: none is visible
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Exchange)) == 0

        first.send_signal(signal.SIGKILL)
        first.wait()
        second = _worker(own_app, redis_namespace)
        done = wait_for(own_app, job_id, JobState.SUCCEEDED, JobState.FAILED)
        assert (done.state, done.attempts, done.progress_done, done.progress_total) == (JobState.SUCCEEDED, 2, 40, 40)
        with own_app.app_context():
            timesheet = db.session.get(TimesheetImport, books.import_id)
            assert timesheet is not None and timesheet.status is ImportStatus.APPLIED
            keys = db.session.scalars(sa.select(Exchange.idempotency_key).where(
                Exchange.recorded_by_id == books.broker_id)).all()
            assert len(keys) == len(set(keys)) == 40  # each row exactly once
            assert_books_verify(db.session)
    finally:
        for process in (first, second):
            if process is not None:
                _stop(process)
