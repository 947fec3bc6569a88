"""``flask demo`` loads the fictional demo bank; ``flask seed`` bulk-loads synthetic data for benchmarks."""

from __future__ import annotations

import datetime as dt
import sys
import time

import click
from flask import current_app

from timebank.db import db, transaction
from timebank.demo import data, seed
from timebank.demo import service as demo
from timebank.errors import DomainError


def _print_logins() -> None:
    click.echo(f"\nDemo logins (password for all: {data.DEMO_PASSWORD})")
    width = max(len(login.email) for login in demo.LOGINS)
    click.echo(f"  {'Role':<10} {'Email':<{width}}  Name")
    for login in demo.LOGINS:
        click.echo(f"  {login.role:<10} {login.email:<{width}}  {login.name}")


def _counts(by_name: dict[str, int]) -> str:
    """``{"in_review": 1, "approved": 6}`` as "6 approved, 1 in review"."""
    return ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in sorted(by_name.items()))


def _refuse_in_production(command: str) -> None:
    """The demo's logins share a password printed in the README, and synthetic members are made up: neither
    may ever reach a live time bank. Only development and the tests load them; an app whose configuration
    does not say which it is counts as production."""
    if current_app.config.get("TIMEBANK_ENV", "production") not in ("development", "testing"):
        click.echo(f"flask {command} refuses to run in production: it would add made-up people to a real time "
                   "bank. On your own machine, set TIMEBANK_ENV=development (make run does).", err=True)
        sys.exit(1)


@click.command("demo")
def demo_command() -> None:
    """Load the fictional demo time bank with nearly two years of exchanges (once; later runs only print the logins)."""
    _refuse_in_production("demo")
    if demo.find_demo_bank(db.session) is not None:
        db.session.rollback()
        click.echo(f"The demo time bank ({data.BANK_NAME}) is already loaded.")
        _print_logins()
        return
    with transaction(), click.progressbar(length=demo.STEPS, label="Loading the demo time bank",
                                          file=sys.stderr) as bar:
        summary = demo.load_demo(db.session, progress=bar.update)
    click.echo(f"Loaded {data.BANK_NAME}: {summary.residents} residents, {summary.profiles} profiles "
               f"(residents' and organisations'), exchanges: {_counts(summary.exchanges_by_state)}.")
    click.echo(f"Applications: {_counts(summary.applications_by_status)}. DBS checks: {summary.dbs_checks}, "
               f"{summary.expiring_checks} ending within 30 days.")
    made = summary.codelivery
    click.echo(f"Co-delivery: {made.activities} activities, {made.sessions} sessions, {made.sign_ups} sign-ups, "
               f"{made.attended} attendances credited; {made.listings} offers, requests and spend offers; "
               f"{made.expenses} expenses, {made.payments} payment, {made.redemptions} redemptions; "
               f"{made.disputes} open dispute; {made.notices} reminders.")
    _print_logins()


@click.command("seed")
@click.option("--members", type=click.IntRange(min=2), default=1_000, show_default=True, help="Residents to create.")
@click.option("--exchanges", type=click.IntRange(min=0), default=100_000, show_default=True,
              help="Exchanges to create, reversals included.")
@click.option("--seed", "seed_number", type=int, default=1, show_default=True,
              help="Random seed; the bank is called synthetic-<seed>.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Last day of the year of exchanges (default: today). Fix it for a repeatable chain head.")
@click.option("--batch-size", type=click.IntRange(min=100), default=20_000, show_default=True)
def seed_command(members: int, exchanges: int, seed_number: int, until: dt.datetime | None, batch_size: int) -> None:
    """Bulk-load a synthetic bank of MEMBERS residents and EXCHANGES exchanges, for benchmarks.

    The rows are those the ledger would write (``flask ledger verify`` passes), written in batches in one
    transaction: a seed that fails leaves nothing behind.
    """
    _refuse_in_production("seed")
    started = time.perf_counter()
    try:
        with transaction(), click.progressbar(length=exchanges, label=f"Seeding {seed.slug_for(seed_number)}",
                                              file=sys.stderr) as bar:
            result = seed.seed(
                db.session.connection(), members=members, exchanges=exchanges, seed=seed_number,
                until=until.date() if until else None, batch_size=batch_size, progress=bar.update,
            )
    except DomainError as error:
        click.echo(str(error.message), err=True)
        sys.exit(1)
    seconds = time.perf_counter() - started
    click.echo(
        f"Seeded {result.slug} (bank {result.time_bank_id}): {result.members:,} members with profiles "
        f"({result.profile_rows:,} profile rows), "
        f"{result.exchanges:,} exchanges, {result.events:,} events, {result.postings:,} postings "
        f"in {seconds:.1f} s — {result.rows / seconds:,.0f} rows/s, {result.exchanges / seconds:,.0f} exchanges/s."
    )
    click.echo(f"Chain head: #{result.last_sequence} {result.last_hash}")
