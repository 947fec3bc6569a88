"""Backups, and the proof that one can be restored.

PostgreSQL: ``pg_dump`` in its custom format (compressed; ``pg_restore`` reads it), without owners or
grants, so the copy belongs to whoever restores it. A restore goes into a **new** database (made here if
the server lets us, or an empty one made beforehand), in one transaction: it either all lands or none
of it does, and the live database is never touched. SQLite: the ``sqlite3`` online backup, which copies
a consistent database while the app runs.

Either way the restored copy is then checked with the ledger's own checks (``ledger verify``): a backup
counts only once its books balance and its hash chains hold. ``round_trip`` does all three and times
each, for ``make bench`` on the big database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from psycopg.conninfo import make_conninfo
from sqlalchemy.orm import Session

from timebank.db import configure_engine
from timebank.ledger.checks import Problem, verify


class BackupFailed(RuntimeError):
    """A backup or restore could not be made; the message says why (what ``pg_dump`` or
    ``pg_restore`` said, or which database was in the way)."""


def _is_postgres(url: sa.URL) -> bool:
    return url.get_backend_name() == "postgresql"


def _sqlite_file(url: sa.URL) -> Path:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise BackupFailed(f"Only PostgreSQL and SQLite files can be backed up, not {url.render_as_string()}")
    return Path(url.database)


def _libpq(url: sa.URL) -> tuple[str, dict[str, str]]:
    """``url`` as the ``--dbname`` that ``pg_dump`` and ``pg_restore`` read, and their environment: the
    password goes in ``PGPASSWORD``, never on a command line that anyone on the machine can list."""
    options = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database,
               **{key: value for key, value in url.query.items() if isinstance(value, str)}}
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    return make_conninfo(**{key: value for key, value in options.items() if value is not None}), environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise BackupFailed(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    # The arguments are built here, from a parsed URL, and no shell reads them.
    finished = subprocess.run([program, *command[1:]], env=environment, capture_output=True, text=True,
                              check=False)
    if finished.returncode != 0:
        raise BackupFailed(f"{command[0]} failed:\n{finished.stderr.strip()}")


def back_up(database_url: str, path: Path) -> None:
    """Write a backup of the database at ``database_url`` to ``path`` (which must not exist)."""
    url = sa.make_url(database_url)
    if path.exists():
        raise BackupFailed(f"{path} already exists: choose a new file")
    if _is_postgres(url):
        dbname, environment = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}",
              f"--dbname={dbname}"], environment)
        return
    source = _sqlite_file(url)
    if not source.is_file():
        raise BackupFailed(f"There is no database at {source}")
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(path)) as copy:
        live.backup(copy)


def _create_postgres_database(url: sa.URL) -> None:
    """Make the database ``url`` names, or accept an empty one that exists (made by someone who may make
    databases, where we may not). One with tables in it is refused: a restore never overwrites."""
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with server.connect() as connection:
            exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                       {"name": url.database})
            if not exists:
                name = connection.dialect.identifier_preparer.quote(url.database or "")
                connection.execute(sa.text(f"CREATE DATABASE {name}"))
                return
    finally:
        server.dispose()
    target = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with target.connect() as connection:
            tables = connection.scalar(sa.text(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
    finally:
        target.dispose()
    if tables:
        raise BackupFailed(f"The database {url.database} already has tables: restore into a new one")


def restore(path: Path, into_url: str) -> None:
    """Restore the backup at ``path`` into the new database ``into_url`` (PostgreSQL: made here, or
    existing and empty; SQLite: a file that must not exist yet)."""
    url = sa.make_url(into_url)
    if not path.is_file():
        raise BackupFailed(f"There is no backup at {path}")
    if _is_postgres(url):
        _create_postgres_database(url)
        dbname, environment = _libpq(url)
        _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
              f"--dbname={dbname}", str(path)], environment)
        return
    target = _sqlite_file(url)
    if target.exists():
        raise BackupFailed(f"{target} already exists: restore into a new file")
    with closing(sqlite3.connect(path)) as backup, closing(sqlite3.connect(target)) as copy:
        backup.backup(copy)


@contextmanager
def _session(database_url: str) -> Iterator[Session]:
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    configure_engine(engine)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def verify_copy(database_url: str) -> list[Problem]:
    """``ledger verify`` on the database at ``database_url``: every fault in its books (none is good).
    The app's models must be loaded (inside the app, or a command of it)."""
    with _session(database_url) as session:
        return verify(session)


@dataclass(frozen=True)
class RoundTrip:
    """What ``round_trip`` did and how long each step took."""

    backup_seconds: float
    restore_seconds: float
    verify_seconds: float
    backup_bytes: int
    problems: list[Problem]


def round_trip(database_url: str, path: Path, into_url: str) -> RoundTrip:
    """Back up ``database_url`` to ``path``, restore it into the new database ``into_url`` and verify the
    copy's books, timing each step (``make bench`` calls this on the big database)."""
    started = time.perf_counter()
    back_up(database_url, path)
    backed_up = time.perf_counter()
    restore(path, into_url)
    restored = time.perf_counter()
    problems = verify_copy(into_url)
    verified = time.perf_counter()
    return RoundTrip(backed_up - started, restored - backed_up, verified - restored, path.stat().st_size, problems)
