"""``flask --app wsgi benefits …``: run the rules for everyone, re-encrypt with a new key, and the daily
tidy (resolved flags past their retention deleted; flags put aside until today back in the queue)."""

from __future__ import annotations

import datetime as dt

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.benefits import crypto, engine, flags
from timebank.benefits.figures import figure_book
from timebank.benefits.models import BenefitConsent, BenefitFlag, BenefitFlagEvent, BenefitProfile, FlagState
from timebank.clock import uk_today
from timebank.db import db, transaction
from timebank.jobs.models import Job
from timebank.jobs.registry import JobKind, Progress
from timebank.types import utcnow

benefits_cli = AppGroup("benefits", help="Benefit-safe flags: run the rules, rotate the key, tidy up.")

#: Members evaluated per transaction by ``benefits run``.
BATCH = 50
TIDY_JOB = "benefits.tidy"
#: Every encrypted column, by table: what ``rotate-key`` re-encrypts.
ENCRYPTED = {
    BenefitProfile: ("benefits", "jurisdiction", "uc_work_group", "uc_expected_hours", "agreed_voluntary_hours",
                     "couple", "last_told_on", "benefit_week_starts", "uc_assessment_day"),
    BenefitFlag: ("evidence", "resolution_note"),
    BenefitFlagEvent: ("note", "previous"),
}


@benefits_cli.command("run")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Look at activity from this day (YYYY-MM-DD); 12 weeks ago if left out.")
@click.option("--member", "member_id", type=int, default=None, help="Only this member (person id).")
def run_command(since: dt.datetime | None, member_id: int | None) -> None:
    """Run every rule for every member who consented (or one), and bring their flags up to date."""
    today = uk_today()
    start = since.date() if since else today - dt.timedelta(weeks=12)
    query = sa.select(BenefitConsent.person_id).where(BenefitConsent.withdrawn_at.is_(None))
    if member_id is not None:
        query = query.where(BenefitConsent.person_id == member_id)
    people = list(db.session.scalars(query.order_by(BenefitConsent.person_id)))
    db.session.rollback()
    outcome = engine.Outcome()
    with click.progressbar(length=len(people), label="Running the benefit rules", show_pos=True) as bar:
        for first in range(0, len(people), BATCH):
            with transaction():
                for person_id in people[first:first + BATCH]:
                    outcome.add(engine.evaluate(db.session, person_id, start, today + dt.timedelta(days=27),
                                                reason="rules_run"))
                    bar.update(1)
    click.echo(f"Members: {outcome.members}; flags raised: {outcome.raised}, updated: {outcome.updated}, "
               f"resolved by themselves: {outcome.resolved}.")
    missing = sorted(figure_book().missing_tax_years)
    if missing:
        click.echo(f"Warning: thresholds for {', '.join(missing)} are not configured; the latest figures were "
                   "used. Add a file to timebank/benefits/thresholds/ (docs/benefit-rules.md).", err=True)


def rotate(session: Session) -> int:
    """Re-encrypt every encrypted value with the newest key; the number of rows rewritten."""
    rewritten = 0
    for model, columns in ENCRYPTED.items():
        table = model.__table__
        keys = list(table.primary_key.columns)
        raw = [sa.type_coerce(table.c[name], sa.Text).label(name) for name in columns]
        for row in session.execute(sa.select(*keys, *raw)).mappings().all():
            values = {name: crypto.rotate(row[name]) for name in columns if row[name] is not None}
            if values:
                where = sa.and_(*(key == row[key.name] for key in keys))
                session.execute(sa.update(table).where(where).values(
                    **{name: sa.type_coerce(value, sa.Text) for name, value in values.items()}))
                rewritten += 1
    return rewritten


@benefits_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Re-encrypt all benefit data with the first key of TIMEBANK_BENEFIT_KEYS. Put a new key first, run
    this, then remove the old key."""
    with transaction():
        rewritten = rotate(db.session)
    click.echo(f"Re-encrypted {rewritten} rows with the newest key.")


def tidy(session: Session, job: Job | None = None, progress: Progress | None = None) -> tuple[int, int]:
    """Delete flags resolved longer ago than the retention (``TIMEBANK_BENEFIT_FLAG_RETENTION_DAYS``);
    put flags whose day to look again has come back in the queue."""
    older_than = utcnow() - current_app.config["BENEFIT_FLAG_RETENTION"]
    deleted = flags.forget_resolved(session, older_than)
    due = session.execute(sa.update(BenefitFlag).where(
        BenefitFlag.state == FlagState.SNOOZED, BenefitFlag.snoozed_until <= uk_today(),
    ).values(state=FlagState.OPEN, snoozed_until=None)).rowcount or 0
    if job is not None:
        job.payload = {**job.payload, "deleted": deleted, "reopened": due}
    if progress is not None:
        progress(1, 1)
    return deleted, due


JOB_KINDS = (JobKind(TIDY_JOB, tidy, _l("Tidy benefit flags (retention)")),)


@benefits_cli.command("tidy")
def tidy_command() -> None:
    """The daily tidy: resolved flags past their retention deleted, flags put aside until today reopened."""
    with transaction():
        deleted, due = tidy(db.session)
    click.echo(f"Deleted {deleted} resolved flags past their retention; {due} flags put aside are back.")
