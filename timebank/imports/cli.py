"""``flask imports apply FILE --bank ID --broker EMAIL [--commit]``: check a paper timesheet and, with
``--commit``, record it. Without ``--commit`` it is a dry run: the file is checked and nothing is kept."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from timebank.db import db, transaction
from timebank.errors import DomainError
from timebank.i18n import format_minutes
from timebank.imports import service
from timebank.imports.models import MAX_BYTES, ImportStatus
from timebank.members.service import find_person_by_email

imports_cli = AppGroup("imports", help="Import paper timesheets (CSV).")


@contextmanager
def _progress_bar(label: str) -> Iterator[service.Progress]:
    """A click progress bar for a service's ``progress(done, total)``; it appears once the total is known."""
    bars: list[Any] = []

    def update(done: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label=label, file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(done - bars[0].pos)

    try:
        yield update
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


@imports_cli.command("apply")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bank", "time_bank_id", type=click.IntRange(min=1), required=True, help="The time bank's id.")
@click.option("--broker", "email", required=True, help="Email of the broker the exchanges are recorded by.")
@click.option("--commit", is_flag=True, help="Record the rows. Without it, only check the file.")
def apply_command(file: Path, time_bank_id: int, email: str, commit: bool) -> None:
    """Check a timesheet FILE whole and, with --commit, record every row as a confirmed exchange (or none)."""
    broker = find_person_by_email(db.session, email)
    if broker is None:
        raise click.ClickException(f"Nobody has signed up with the email address {email}.")
    with file.open("rb") as handle:
        content = handle.read(MAX_BYTES + 1)
    try:
        with transaction(keep=commit):  # a dry run rolls back what the check flushed
            with _progress_bar("Checking") as progress:
                timesheet = service.check(db.session, broker, time_bank_id=time_bank_id, filename=file.name,
                                          content=content, progress=progress)
            if timesheet.status is ImportStatus.CHECKED and commit:
                with _progress_bar("Recording") as progress:
                    timesheet = service.apply(db.session, broker, timesheet.id, progress=progress)
            for problem in timesheet.problems:
                where = f"row {problem['row']}" if problem["row"] else "file"
                column = f", {problem['column']}" if problem["column"] else ""
                click.echo(f"{where}{column}: {problem['message']}")
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    hours = format_minutes(timesheet.total_minutes)
    if timesheet.status is ImportStatus.APPLIED:
        click.echo(f"Recorded {timesheet.row_count} rows ({hours}) as import {timesheet.id}.")
    elif timesheet.status is ImportStatus.CHECKED:
        click.echo(f"Checked {timesheet.row_count} rows ({hours}): no problems. Dry run: nothing was recorded; "
                   "run again with --commit to record them.")
    else:
        click.echo(f"{len(timesheet.problems)} problem(s) found: nothing was recorded.", err=True)
        sys.exit(1)
