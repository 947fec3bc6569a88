"""Running the jobs a test queued, in the test's own thread and transaction: the suite's apps start no
worker (``QUEUE_IN_PROCESS_WORKER`` is off in ``TestingConfig``), so what a page or command queued waits
in the in-memory broker until the test runs it here, through the runner every worker uses."""

from __future__ import annotations

import contextlib
import queue as stdlib_queue

from dramatiq.common import dq_name
from dramatiq.message import Message

from timebank.jobs import queue, runner


def drop_queued_messages() -> None:
    """Forget every message waiting in the app's in-memory broker without running it: the test that sent it
    is over and its job rows were rolled back with it, so the next test's ``run_queued_jobs`` must not see it."""
    broker = queue.current().broker
    for name in (queue.QUEUE_NAME, dq_name(queue.QUEUE_NAME)):
        waiting = broker.queues[name]  # type: ignore[attr-defined]
        with contextlib.suppress(stdlib_queue.Empty):
            while True:
                waiting.get_nowait()
                waiting.task_done()


def run_queued_jobs() -> list[int]:
    """Run every job waiting in the app's in-memory broker once, retries too (without their wait); the ids
    run. A job that fails and will be retried stays queued in the database."""
    broker = queue.current().broker
    ran = []
    for name in (queue.QUEUE_NAME, dq_name(queue.QUEUE_NAME)):
        waiting = broker.queues[name]  # type: ignore[attr-defined]
        while True:
            try:
                data = waiting.get_nowait()
            except stdlib_queue.Empty:
                break
            waiting.task_done()
            job_id = Message.decode(data).args[0]
            with contextlib.suppress(Exception):  # it will be retried: the job row says so
                runner.perform(job_id)
            ran.append(job_id)
    return ran
