"""Jobs on real workers: an app of the test's own on a database of its own (what workers do commits for
real), and a bank with a broker, ten members and a checked timesheet to record."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from flask import Flask
from sqlalchemy.orm import Session

from tests.imports.conftest import NAMES, write_csv
from tests.support import service_url
from timebank.banks import service as banks
from timebank.clock import uk_today
from timebank.db import db, transaction
from timebank.imports import service as imports
from timebank.jobs import queue
from timebank.jobs.models import Job, JobState
from timebank.jobs.registry import JobKind, Progress, register
from timebank.members import service as members
from timebank.members.models import BankRoleName

REDIS_URL_VAR = "TIMEBANK_TEST_REDIS_URL"
#: How long a test waits for a worker before it fails (a bound, not a speed measurement).
PATIENCE_SECONDS = 60
#: Each attempt of a ``tests.flaky`` job: (job id, attempt, monotonic time).
ATTEMPTS: list[tuple[int, int, float]] = []


class Flaky(RuntimeError):
    """What ``tests.flaky`` raises until its payload's ``succeed_on`` attempt."""


def flaky(session: Session, job: Job, progress: Progress) -> None:
    ATTEMPTS.append((job.id, job.attempts, time.monotonic()))
    if job.attempts < job.payload["succeed_on"]:
        raise Flaky()
    progress(1, 1)


def always_fails(session: Session, job: Job, progress: Progress) -> None:
    raise Flaky()


register((JobKind("tests.flaky", flaky, "A test job that fails until its nth attempt", max_attempts=5),
          JobKind("tests.always_fails", always_fails, "A test job that always fails", max_attempts=2)))


def redis_url() -> str:
    return service_url(REDIS_URL_VAR, "Redis", lambda url: redis.Redis.from_url(url).ping(), redis.RedisError)


def use_queue(application: Flask, **settings: Any) -> queue.Queue:
    """Remake the app's queue with these settings (``QUEUE_URL``, the back-off …)."""
    application.config.update(settings)
    queue.init_app(application)
    made: queue.Queue = application.extensions["timebank_jobs"]
    return made


@pytest.fixture
def redis_namespace() -> Iterator[str]:
    """A key prefix of this test's own on the test Redis, deleted afterwards."""
    namespace = f"timebank-test-{uuid.uuid4().hex[:12]}"
    yield namespace
    client = redis.Redis.from_url(redis_url())
    keys = list(client.scan_iter(f"{namespace}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def own_app(app_on_own_database: Callable[..., AbstractContextManager[Flask]]) -> Iterator[Flask]:
    with app_on_own_database() as application:
        yield application
        application.extensions["timebank_jobs"].close()


def wait_for(application: Flask, job_id: int, *states: JobState) -> Job:
    """The job once it is in one of ``states`` (read afresh each time), or fail after ``PATIENCE_SECONDS``."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    with reading(application):
        while True:
            job = db.session.get(Job, job_id, populate_existing=True)
            if job is not None:
                db.session.expunge(job)  # read as it is now, and nothing held while the worker writes
            db.session.rollback()
            if job is not None and job.state in states:
                return job
            assert time.monotonic() < deadline, f"job {job_id} is {job and job.state}, not {states}"
            time.sleep(0.05)


@dataclass(frozen=True)
class Books:
    bank_id: int
    broker_id: int
    import_id: int
    rows: int


def checked_import(application: Flask, rows: int = 40) -> Books:
    """Committed: a bank, its broker, ten members, and a checked timesheet of ``rows`` rows passing half an
    hour round them in turn."""
    yesterday = (uk_today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    with application.app_context(), transaction():
        session = db.session
        bank = banks.create_bank(session, slug=f"bank-{uuid.uuid4().hex[:8]}", name="Jobs Vale", agency_name="Jobs",
                                 actor_id=None, opened_on=uk_today() - dt.timedelta(days=30))
        broker = members.create_person(session, display_name="Nia Broker", email=f"{uuid.uuid4().hex[:8]}@example.org",
                                       password_hash=None)
        banks.grant_role(session, time_bank_id=bank.id, person_id=broker.id, role=BankRoleName.BROKER, actor_id=None)
        accounts = [members.join_bank(session, members.create_person(session, display_name=name, email=None,
                                                                     password_hash=None), bank.id, actor_id=None)
                    for name in NAMES]
        sheet = write_csv([{"date": yesterday, "giver": str(accounts[i % 10].id),
                            "receiver": str(accounts[(i + 1) % 10].id), "hours": "0.5", "category": "gardening",
                            "description": f"Visit {i + 1}"} for i in range(rows)])
        timesheet = imports.check(session, broker, time_bank_id=bank.id, filename="march.csv", content=sheet)
        books = Books(bank.id, broker.id, timesheet.id, rows)
    return books


@contextmanager
def reading(application: Flask) -> Iterator[None]:
    """A GET of the app's own: on SQLite its transactions begin deferred, so reading never waits for a
    worker that holds the write lock (a stalled one holds it until it is killed)."""
    with application.test_request_context("/", method="GET"):
        yield


@contextmanager
def request_on(application: Flask) -> Iterator[None]:
    """A request of the app's own: the in-process worker starts with the first job a request sends."""
    with application.test_request_context("/", method="POST"):
        yield


@pytest.fixture
def make_admin_on() -> Callable[[Flask], int]:
    """An administrator, committed on the app's database: their id."""

    def make(application: Flask) -> int:
        with application.app_context(), transaction():
            admin = members.create_person(db.session, display_name="Ada Admin", is_admin=True,
                                          email=f"{uuid.uuid4().hex[:8]}@example.org", password_hash=None)
            admin_id = admin.id
        return admin_id

    return make
