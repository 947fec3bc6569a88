"""``flask ledger verify``: re-derive the books and report every fault."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click
from flask.cli import AppGroup

from timebank.db import db
from timebank.ledger.checks import CHECKS

ledger_cli = AppGroup("ledger", help="Check the hour ledger.")


@ledger_cli.command("verify")
def verify_command() -> None:
    """Re-derive every balance, check every exchange and bank sums to zero and every hash chain holds.

    Prints each fault found and exits with status 1 if there is any.
    """
    problems = []
    with click.progressbar(CHECKS.items(), label="Checking the ledger", file=sys.stderr,
                           item_show_func=lambda item: item[0] if item else "") as checks:
        for _name, check in checks:
            problems.extend(check(db.session))
    db.session.rollback()
    report(problems, "ledger verify")


def report(problems: Sequence[object], what: str) -> None:
    """Print each problem ``ledger verify`` found; exit with status 1 if there is any."""
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{what}: {len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo(f"{what}: the books balance and the chain holds.")
