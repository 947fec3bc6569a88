"""``flask notices send``: the daily job that makes reminders. Safe to run any number of times: each
reminder is keyed by the day it fell due, so a rerun makes nothing new."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from timebank.clock import uk_today
from timebank.db import db, transaction
from timebank.exchanges.reminders import send_pending_reminders
from timebank.listings.service import send_review_reminders

notices_cli = AppGroup("notices", help="Reminders and news for members.")


@notices_cli.command("send")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Send as if it were this day (YYYY-MM-DD); today in the UK if left out.")
def send_command(today: dt.datetime | None) -> None:
    """Remind people of exchanges waiting for their answer and listings due for review."""
    day = today.date() if today is not None else uk_today()
    with transaction():
        exchanges = send_pending_reminders(db.session, day)
        listings = send_review_reminders(db.session, day)
    click.echo(f"Exchange reminders made: {exchanges}")
    click.echo(f"Listing review reminders made: {listings}")
