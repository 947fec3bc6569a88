"""Migrating on deploy, from as many machines as start at once.

Every machine's deploy runs ``flask deploy migrate``. On PostgreSQL it takes a session-level advisory
lock (``pg_advisory_lock``) before it looks at the schema, so two machines starting together take turns:
the first upgrades, the second then finds the schema at the head and does nothing. On SQLite, which
lives on one machine, a lock on a file beside the database does the same for processes on it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade

from timebank.db import db

#: The advisory lock's key: "timebank" in ASCII, as one signed 64-bit number.
MIGRATION_LOCK_KEY = int.from_bytes(b"timebank", "big")


@contextmanager
def _postgres_lock(engine: sa.Engine, on_wait: Callable[[], None]) -> Iterator[None]:
    with engine.connect() as connection:
        # Outside any transaction: the lock is the connection's, and nothing else is held while it waits.
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        key = {"key": MIGRATION_LOCK_KEY}
        if not connection.scalar(sa.text("SELECT pg_try_advisory_lock(:key)"), key):
            on_wait()
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), key)
        try:
            yield
        finally:
            connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), key)


@contextmanager
def _file_lock(path: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    with path.open("a") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


@contextmanager
def migration_lock(engine: sa.Engine, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold the lock that lets one migration run at a time on ``engine``'s database; ``on_wait`` is called
    if another holds it, before waiting for it. An in-memory SQLite database has no one to wait for."""
    if engine.dialect.name == "postgresql":
        with _postgres_lock(engine, on_wait):
            yield
    elif engine.url.database not in (None, "", ":memory:"):
        with _file_lock(Path(f"{engine.url.database}.migrate-lock"), on_wait):
            yield
    else:
        yield


def _heads() -> tuple[set[str], set[str]]:
    """The revisions the database is at, and the heads of the migrations."""
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current, set(script.get_heads())


def migrate(on_wait: Callable[[], None]) -> tuple[str, ...] | None:
    """Upgrade the database to the head, one machine at a time. The heads it upgraded to, or ``None`` if
    it was already there (another machine was first)."""
    with migration_lock(db.engine, on_wait):
        current, heads = _heads()
        if current == heads:
            return None
        upgrade()
    return tuple(sorted(heads))
