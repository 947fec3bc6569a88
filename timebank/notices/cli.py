"""``flask notices send``: the daily job that makes reminders. Safe to run any number of times: each
reminder is keyed by the day it fell due, so a rerun makes nothing new.

It runs as a background job (``notices.send``); a rerun is a new job that makes nothing new. With a queue
(``TIMEBANK_QUEUE_URL``) the command only hands it to the workers; without one, or with ``--now``, it runs
it here and says what it made. Cron or a systemd timer runs it once a day (README).
"""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.clock import uk_today
from timebank.exchanges.reminders import send_pending_reminders
from timebank.jobs.cli import run_here_or_queue
from timebank.jobs.models import Job
from timebank.jobs.registry import JobKind, Progress
from timebank.listings.service import send_review_reminders
from timebank.safeguarding.service import send_expiry_reminders

SEND_JOB = "notices.send"
#: Exchanges, listings, DBS checks.
STEPS = 3

notices_cli = AppGroup("notices", help="Reminders and news for members.")


def send_reminders(session: Session, job: Job, progress: Progress) -> None:
    """The job: the day's reminders of exchanges left waiting, of listings due for review and of DBS checks
    that stop counting soon."""
    day = dt.date.fromisoformat(job.payload["day"])
    exchanges = send_pending_reminders(session, day)
    progress(1, STEPS)
    listings = send_review_reminders(session, day)
    progress(2, STEPS)
    checks = send_expiry_reminders(session, day)
    progress(3, STEPS)
    job.payload = {**job.payload, "exchanges": exchanges, "listings": listings, "dbs_checks": checks}


JOB_KINDS = (JobKind(SEND_JOB, send_reminders, _l("Make the day's reminders")),)


@notices_cli.command("send")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Send as if it were this day (YYYY-MM-DD); today in the UK if left out.")
@click.option("--now", is_flag=True, help="Run it here and now, even when there is a queue.")
def send_command(today: dt.datetime | None, now: bool) -> None:
    """Remind people of exchanges waiting for their answer, listings due for review and DBS checks ending."""
    day = today.date() if today is not None else uk_today()
    job = run_here_or_queue(SEND_JOB, {"day": day.isoformat()}, total=STEPS, now=now,
                            queued=f"Queued job {{job_id}}: the day's reminders for {day.isoformat()}.")
    if job is None:
        return
    click.echo(f"Exchange reminders made: {job.payload['exchanges']}")
    click.echo(f"Listing review reminders made: {job.payload['listings']}")
    click.echo(f"DBS check reminders made: {job.payload['dbs_checks']}")
