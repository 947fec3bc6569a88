"""``flask jobs worker``: run background jobs from the Redis queue (``TIMEBANK_QUEUE_URL``) until stopped.

Run one or more on any machine that reaches the database and Redis (a systemd unit, a Procfile's
``worker:`` line). SIGTERM or Ctrl-C stops it taking jobs and lets the running ones finish; a job cut
short (a kill, a lost machine) goes to another worker once this one's heartbeat is missed.
"""

from __future__ import annotations

import logging
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from timebank.db import db, transaction
from timebank.jobs import queue, runner
from timebank.jobs import service as jobs
from timebank.jobs.models import Job, JobState
from timebank.jobs.queue import QueueMisconfigured, run_worker

jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("worker")
def worker_command() -> None:
    """Run background jobs from the queue until stopped (SIGTERM or Ctrl-C)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        run_worker(current_app._get_current_object())  # type: ignore[attr-defined]
    except QueueMisconfigured as error:
        raise click.ClickException(str(error)) from None


def run_here_or_queue(kind: str, payload: dict[str, Any], *, total: int, now: bool, queued: str) -> Job | None:
    """What a daily command does with its job: hand it to the workers (saying ``queued``, which may name
    ``{job_id}``), or, with ``--now`` or with no queue to hand it to, run it here. The finished job, or
    ``None`` when it was queued; a job that failed here exits 1, pointing to where it can be sent again."""
    with transaction():
        job_id = jobs.enqueue(db.session, kind, payload=payload, total=total).id
    if not (now or queue.current().in_process):
        click.echo(queued.format(job_id=job_id))
        return None
    runner.perform(job_id, last_attempt=True)
    job = db.session.get(Job, job_id, populate_existing=True)
    assert job is not None  # it was committed above
    if job.state is not JobState.SUCCEEDED:
        raise click.ClickException(f"Job {job_id} failed ({job.last_error}); see /jobs to send it again.")
    return job

