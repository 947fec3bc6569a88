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


def test_each_bank_opens_on_the_earliest_of_its_making_and_its_records(fresh):
    """The opening-day revision backfills ``time_banks.opened_on``: every record already kept stays valid."""
    app = make_app(fresh)
    with app.app_context():
        upgrade(revision="6aef045b1eea")
        with db.engine.begin() as connection:
            run = connection.execute
            run(sa.text("INSERT INTO time_banks (id, slug, name, agency_name, created_at) VALUES "
                        "(1, 'old', 'Old', 'Old Action', '2026-01-10 12:00:00'), "
                        "(2, 'new', 'New', 'New Action', '2026-01-10 12:00:00')"))
            run(sa.text("INSERT INTO holders (id, type, display_name) VALUES (1, 'person', 'Alys Applicant')"))
            run(sa.text("INSERT INTO people (id) VALUES (1)"))
            # An interview recorded a year before the bank was made here: it ran on paper.
            run(sa.text("INSERT INTO applications (id, time_bank_id, holder_id, submitted_by_id, status, "
                        "interview_on) VALUES (1, 1, 1, 1, 'in_review', '2025-01-15')"))
        upgrade()
        with db.engine.connect() as connection:
            opened = dict(connection.execute(sa.text("SELECT id, opened_on FROM time_banks ORDER BY id")).all())
        db.engine.dispose()

    assert {bank: str(day)[:10] for bank, day in opened.items()} == {1: "2025-01-15", 2: "2026-01-10"}
