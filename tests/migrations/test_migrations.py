"""The schema is built by migrations: one head, upgrade → downgrade → upgrade works, and the models
and the migrations describe the same schema (no drift)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from tests.conftest import Backend, make_app
from timebank.db import db
from timebank.ledger.models import Account
from timebank.types import UTCDateTime


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


def test_accounts_of_people_who_had_already_left_are_closed_by_the_upgrade(fresh):
    """Closed when they left; or, where an exchange was recorded on the account after that (what the
    closing now prevents), as of the last one, so the books verify and nothing is hidden from the log."""
    left_at = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)
    recorded_later = left_at + dt.timedelta(days=3)
    when = UTCDateTime()
    holders = sa.table("holders", sa.column("id"), sa.column("type"), sa.column("display_name"),
                       sa.column("pseudonymised_at", when))
    exchanges = sa.table("exchanges", *(sa.column(name) for name in (
        "id", "time_bank_id", "kind", "payer_account_id", "payee_account_id", "proposer_account_id", "amount_minutes",
        "occurred_on", "category_id", "recorded_by_id", "idempotency_key", "request_fingerprint", "state")),
        sa.column("created_at", when))
    app = make_app(fresh)
    with app.app_context():
        upgrade(revision="6aef045b1eea")
        with db.engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO time_banks (id, slug, name, agency_name) "
                                       "VALUES (1, 'vale', 'Vale', 'Vale Action')"))
            connection.execute(sa.insert(holders), [
                {"id": 1, "type": "person", "display_name": "Stayed", "pseudonymised_at": None},
                {"id": 2, "type": "person", "display_name": "Former member A", "pseudonymised_at": left_at},
                {"id": 3, "type": "person", "display_name": "Former member B", "pseudonymised_at": left_at}])
            connection.execute(sa.text("INSERT INTO people (id) VALUES (1), (2), (3)"))
            connection.execute(sa.text("INSERT INTO accounts (id, time_bank_id, holder_id, holder_kind) "
                                       "VALUES (1, 1, 1, 'resident'), (2, 1, 2, 'resident'), (3, 1, 3, 'resident')"))
            connection.execute(sa.insert(exchanges).values(
                id=1, time_bank_id=1, kind="exchange", payer_account_id=1, payee_account_id=3, proposer_account_id=1,
                amount_minutes=30, occurred_on=recorded_later.date(), category_id=1, recorded_by_id=1,
                idempotency_key="after-leaving", request_fingerprint="0" * 64, state="pending",
                created_at=recorded_later))
        upgrade()
        with db.engine.connect() as connection:
            closed = dict(connection.execute(sa.select(Account.id, Account.closed_at).order_by(Account.id)).all())
        db.engine.dispose()
    assert closed == {1: None, 2: left_at, 3: recorded_later}


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
