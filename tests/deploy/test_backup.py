"""``flask backup create`` and ``flask backup restore`` on the demo bank: the copy lands in a new database,
holds what the original holds, and its books verify."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import Backend, DemoTemplate, make_app, new_database
from timebank.db import db
from timebank.ops import backup
from timebank.ops.cli import backup_cli

#: Tables whose rows the copy must hold as many of as the original.
COUNTED = ("holders", "accounts", "exchanges", "postings", "audit_events")


@pytest.fixture
def demo_copy(demo_template: DemoTemplate, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    with new_database(demo_template.database.name, tmp_path_factory, copy_of=demo_template.database) as database:
        yield database


@pytest.fixture
def new_url(demo_copy: Backend, tmp_path: Path) -> Iterator[str]:
    """Where to restore to: a database that does not exist yet (dropped afterwards, if it came to be)."""
    if demo_copy.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    url = sa.make_url(demo_copy.url).set(database=f"tb_test_restored_{uuid.uuid4().hex[:12]}")
    yield url.render_as_string(hide_password=False)
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    server.dispose()


def _counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        counts = {table: connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) for table in COUNTED}
    engine.dispose()
    return counts


def test_a_backup_restores_into_a_new_database_whose_books_verify(demo_copy: Backend, new_url: str,
                                                                  tmp_path: Path) -> None:
    application = make_app(demo_copy)
    runner = application.test_cli_runner()
    file = tmp_path / "timebank.backup"
    with application.app_context():
        made = runner.invoke(backup_cli, ["create", str(file)])
        restored = runner.invoke(backup_cli, ["restore", str(file), "--into", new_url])
        db.engine.dispose()
    assert made.exit_code == 0 and file.stat().st_size > 0, made.output
    assert restored.exit_code == 0, restored.output
    assert "ledger verify on the copy: the books balance and the chain holds." in restored.output
    original = _counts(demo_copy.url)
    assert all(original.values()) and _counts(new_url) == original


def test_round_trip_times_each_step_and_finds_no_problem(demo_copy: Backend, new_url: str, tmp_path: Path) -> None:
    with make_app(demo_copy).app_context():
        trip = backup.round_trip(demo_copy.url, tmp_path / "timebank.backup", new_url)
        db.engine.dispose()
    assert trip.problems == [] and trip.backup_bytes > 0
    assert min(trip.backup_seconds, trip.restore_seconds, trip.verify_seconds) > 0


def test_a_restore_never_overwrites_a_database_that_has_tables(demo_copy: Backend, tmp_path: Path) -> None:
    file = tmp_path / "timebank.backup"
    backup.back_up(demo_copy.url, file)
    with pytest.raises(backup.BackupFailed, match="already"):
        backup.restore(file, demo_copy.url)
    with pytest.raises(backup.BackupFailed, match="already exists"):
        backup.back_up(demo_copy.url, file)
