"""The schema is built by migrations: one head, upgrade → downgrade → upgrade works, and the models
and the migrations describe the same schema (no drift)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from tests.conftest import Backend, make_app
from timebank.db import db


@pytest.fixture
def fresh(backend: Backend, tmp_path):
    """An empty database of the backend's kind, apart from the shared test schema."""
    if backend.name == "sqlite":
        yield Backend("sqlite", f"sqlite:///{tmp_path / 'fresh.sqlite'}", {})
        return
    schema = f"tb_mig_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(backend.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield Backend("postgresql", backend.url, {"connect_args": {"options": f"-csearch_path={schema}"}})
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_there_is_one_head():
    app = make_app(Backend("sqlite", "sqlite://", {}))
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_downgrade_upgrade_without_drift(fresh):
    app = make_app(fresh)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            left = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
        assert left == set()
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                    db.metadata)
            categories = connection.execute(sa.text("SELECT count(*) FROM categories")).scalar_one()
        db.engine.dispose()
    assert diff == []
    assert categories > 40


def test_every_category_in_the_taxonomy_is_in_the_database(db_session):
    from timebank.categories.models import Category
    from timebank.categories.taxonomy import codes

    rows = db_session.execute(sa.select(Category.code, Category.parent_id, Category.id)).all()
    by_id = {row.id: row.code for row in rows}
    assert {(code, by_id.get(parent)) for code, parent, _ in rows} == set(codes())


def test_tokens_made_before_names_are_named_and_keep_their_powers(fresh):
    """The migration that adds names and scopes backfills the tokens already out there."""
    app = make_app(fresh)
    with app.app_context():
        upgrade(revision="6aef045b1eea")
        with db.engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO holders (id, type, display_name) VALUES (1, 'person', 'Aled')"))
            connection.execute(sa.text("INSERT INTO people (id, email) VALUES (1, 'aled@example.org')"))
            connection.execute(sa.text("INSERT INTO api_tokens (person_id, token_hash, expires_at) "
                                       "VALUES (1, :hash, CURRENT_TIMESTAMP)"), {"hash": "a" * 64})
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT name, scope FROM api_tokens")).all()
        db.engine.dispose()
    assert [tuple(row) for row in rows] == [("Token made before names", "write")]
