"""``flask brokerage expire``: the daily job that expires introductions left unanswered past their day.
With a queue (``TIMEBANK_QUEUE_URL``) the command hands it to the workers; without one, or with
``--now``, it runs it here and says how many expired. Cron or a systemd timer runs it once a day."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from timebank.brokerage.tasks import EXPIRE_JOB
from timebank.clock import uk_today
from timebank.jobs.cli import run_here_or_queue

brokerage_cli = AppGroup("brokerage", help="Brokers' work: introductions.")


@brokerage_cli.command("expire")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Expire as if it were this day (YYYY-MM-DD); today in the UK if left out.")
@click.option("--now", is_flag=True, help="Run it here and now, even when there is a queue.")
def expire_command(today: dt.datetime | None, now: bool) -> None:
    """Expire introductions nobody answered by their last day."""
    day = today.date() if today is not None else uk_today()
    job = run_here_or_queue(EXPIRE_JOB, {"day": day.isoformat()}, total=1, now=now,
                            queued=f"Queued job {{job_id}}: expiring introductions as of {day.isoformat()}.")
    if job is not None:
        click.echo(f"Introductions expired: {job.payload['expired']}")
