"""``flask deploy migrate``, ``flask backup create FILE`` and ``flask backup restore FILE --into URL``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from timebank.db import db
from timebank.ledger import cli as ledger_cli
from timebank.ops import backup, migrations

deploy_cli = AppGroup("deploy", help="What each machine runs when it is deployed.")
backup_cli = AppGroup("backup", help="Back the database up, and restore a backup into a new database.")


@deploy_cli.command("migrate")
def migrate_command() -> None:
    """Upgrade the database to the newest schema. Safe to run on every machine at once: they take turns,
    and all but the first find nothing to do."""
    heads = migrations.migrate(on_wait=lambda: click.echo("Another machine is migrating; waiting for it.",
                                                          err=True))
    if heads is None:
        click.echo("The database is up to date: nothing to do.")
    else:
        click.echo(f"The database is upgraded to {', '.join(heads)}.")


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def create_command(file: Path) -> None:
    """Write a backup of the app's database to FILE (pg_dump's custom format on PostgreSQL)."""
    try:
        backup.back_up(db.engine.url.render_as_string(hide_password=False), file)
    except backup.BackupFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {file} ({file.stat().st_size} bytes).")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", "into_url", required=True, metavar="URL",
              help="A new database to restore into (PostgreSQL: made if missing, else it must be empty; "
                   "SQLite: a file that does not exist yet). Never the live one.")
def restore_command(file: Path, into_url: str) -> None:
    """Restore the backup FILE into a new database, then run ledger verify on it. Exits with status 1 if
    the restored books do not verify."""
    try:
        backup.restore(file, into_url)
    except backup.BackupFailed as error:
        raise click.ClickException(str(error)) from None
    ledger_cli.report(backup.verify_copy(into_url), "Restored; ledger verify on the copy")
