"""``flask deploy migrate`` on every machine at once: they take turns, the first upgrades and the others
find nothing to do."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from tests.conftest import new_database
from tests.deploy.processes import ROOT, flask, production_environment
from timebank.ops.migrations import MIGRATION_LOCK_KEY

#: How long the test waits for both commands to queue on the lock (not a measurement).
QUEUE_WITHIN_SECONDS = 60


def _head() -> str:
    return ScriptDirectory(str(ROOT / "migrations")).get_current_head() or ""


def _waiting_on_the_lock(connection: sa.Connection, database: str) -> int:
    return connection.scalar(sa.text(
        "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
        "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = :name"), {"name": database})


def test_two_machines_migrating_at_once_take_turns(tmp_path_factory: pytest.TempPathFactory) -> None:
    with new_database("postgresql", tmp_path_factory) as database:
        engine = sa.create_engine(database.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        environment = production_environment(DATABASE_URL=database.url)
        with engine.connect() as holder:
            # Hold the lock, so that both commands are certainly running at once when it is let go.
            holder.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            commands = [flask("deploy", "migrate", environment=environment) for _ in range(2)]
            name = sa.make_url(database.url).database or ""
            deadline = time.monotonic() + QUEUE_WITHIN_SECONDS
            while _waiting_on_the_lock(holder, name) < 2 and time.monotonic() < deadline:
                assert all(command.poll() is None for command in commands), [c.communicate() for c in commands]
                time.sleep(0.1)
            assert _waiting_on_the_lock(holder, name) == 2
            holder.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            outputs = [command.communicate(timeout=300) for command in commands]
        assert [command.returncode for command in commands] == [0, 0], outputs
        said = sorted(out.strip().splitlines()[-1] for out, _err in outputs)
        assert said == ["The database is up to date: nothing to do.", f"The database is upgraded to {_head()}."]
        assert all("Another machine is migrating; waiting for it." in err for _out, err in outputs)
        with engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT version_num FROM alembic_version")) == _head()
        engine.dispose()


def test_on_sqlite_a_second_migrate_finds_nothing_to_do(tmp_path_factory: pytest.TempPathFactory) -> None:
    with new_database("sqlite", tmp_path_factory) as database:
        environment = production_environment(DATABASE_URL=database.url)
        outputs = [flask("deploy", "migrate", environment=environment).communicate(timeout=300)
                   for _ in range(2)]
    assert [out.strip().splitlines()[-1] for out, _err in outputs] == [
        f"The database is upgraded to {_head()}.", "The database is up to date: nothing to do."]
