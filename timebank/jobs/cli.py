"""``flask jobs worker``: run background jobs from the Redis queue (``TIMEBANK_QUEUE_URL``) until stopped.

Run one or more on any machine that reaches the database and Redis (a systemd unit, a Procfile's
``worker:`` line). SIGTERM or Ctrl-C stops it taking jobs and lets the running ones finish; a job cut
short (a kill, a lost machine) goes to another worker once this one's heartbeat is missed.
"""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

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
