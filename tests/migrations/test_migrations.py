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


#: The revision that renamed the two sides of an exchange (payer → receiver, payee → giver).
SIDES_RENAMED = "4d277bd18c57"


def test_the_chain_hashes_the_sides_by_position_not_by_name():
    """Known answers, computed by ``entry_hash`` and ``request_fingerprint_of`` as they were before the sides
    were renamed (keyword arguments ``payer_account_id``, ``payee_account_id``, ``proposer_is_provider``):
    the same facts give the same hashes now, so every entry and every replayed request made before still
    matches."""
    from timebank.ledger.chain import entry_hash
    from timebank.ledger.service import request_fingerprint_of

    day = dt.date(2026, 11, 30)
    facts = {"time_bank_id": 1, "exchange_id": 2, "kind": "exchange", "receiver_account_id": 11,
             "giver_account_id": 12, "exchange_minutes": 90, "occurred_on": day, "category_id": 5,
             "reverses_exchange_id": None}
    assert entry_hash("0" * 64, sequence=3, account_id=11, amount_minutes=-90, **facts) == (
        "9772a5de3fda2fb99b90fd24ca35bd297b6e9ee14ce420918cfbadfab74666bf")
    assert entry_hash("ab" * 32, sequence=4, account_id=12, amount_minutes=90, source=(7, 8, 9), **facts) == (
        "79611500fc0b45308a657dbc59298a09e3dbdc7a230ff13cfbd95ac64b5889bd")
    assert request_fingerprint_of(proposer=11, counterpart=12, proposer_is_giver=True, minutes=90, occurred_on=day,
                                  category=5, description="Weeding") == (
        "d27409c8587a90c2e843f71c186b241c14d4068f62dd7641492f92b2587ceccc")


def test_books_kept_before_the_sides_were_renamed_still_verify(fresh):
    """Exchanges recorded, confirmed, reversed and left pending; the renaming revision taken down (the
    columns are payer/payee again, and a new exchange can still be written under those names) and up
    again: every posting keeps its hash and ``ledger verify`` finds nothing."""
    from timebank.banks import service as banks
    from timebank.categories.models import Category
    from timebank.ledger import checks
    from timebank.ledger import service as ledger
    from timebank.ledger.models import Posting
    from timebank.members import service as members

    app = make_app(fresh)
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        before_renaming = ScriptDirectory.from_config(config).get_revision(SIDES_RENAMED).down_revision
        upgrade()
        session = db.session
        bank = banks.create_bank(session, slug="vale", name="Vale", agency_name="Vale Action", actor_id=None,
                                 opened_on=dt.date(2026, 1, 1))
        (aled, aled_account), (bea, bea_account) = (
            (person, members.join_bank(session, person, bank.id, actor_id=None))
            for person in (members.create_person(session, display_name=name, email=None)
                           for name in ("Aled", "Bea")))
        gardening = session.scalars(sa.select(Category.id).where(Category.code == "gardening")).one()

        def record(giver, receiver, minutes, key):
            exchange, _ = ledger.record_exchange(
                session, proposer_account_id=giver.id, counterpart_account_id=receiver.id, proposer_is_giver=True,
                amount_minutes=minutes, occurred_on=dt.date(2026, 11, 30), category_id=gardening,
                description="Weeding", recorded_by_id=aled.id, idempotency_key=key)
            return exchange

        for n, (giver, receiver) in enumerate([(aled_account, bea_account), (bea_account, aled_account)] * 2):
            ledger.confirm_exchange(session, record(giver, receiver, 30 + n, f"k{n}").id, actor_id=bea.id,
                                    acting_for_account_id=receiver.id)
        ledger.reverse_exchange(session, 1, actor_id=aled.id, reason="Recorded twice")
        record(aled_account, bea_account, 45, "pending")
        session.commit()
        hashes = session.execute(sa.select(Posting.id, Posting.entry_hash).order_by(Posting.id)).all()
        ids = {"bank": bank.id, "aled": aled_account.id, "bea": bea_account.id, "category": gardening,
               "fingerprint": "0" * 64}
        db.session.remove()
        db.engine.dispose()

        downgrade(revision=before_renaming)
        with db.engine.connect() as connection:
            columns = {column["name"] for column in sa.inspect(connection).get_columns("exchanges")}
            connection.execute(sa.text(
                "INSERT INTO exchanges (time_bank_id, kind, payer_account_id, payee_account_id, proposer_account_id, "
                "amount_minutes, occurred_on, category_id, recorded_by_id, idempotency_key, request_fingerprint, "
                "state) VALUES (:bank, 'exchange', :bea, :aled, :aled, 15, '2026-11-30', :category, :aled, 'old', "
                ":fingerprint, 'pending')"), ids)
            connection.rollback()
        db.engine.dispose()
        assert {"payer_account_id", "payee_account_id"} <= columns and "giver_account_id" not in columns

        upgrade()
        session = db.session
        assert session.execute(sa.select(Posting.id, Posting.entry_hash).order_by(Posting.id)).all() == hashes
        problems = checks.verify(session)
        db.session.remove()
        db.engine.dispose()
    assert len(hashes) == 10 and problems == []
