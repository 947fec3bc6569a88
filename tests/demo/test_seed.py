"""The bulk seed writes what the ledger service would: the books verify, and a seed is repeatable."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from timebank.demo import seed
from timebank.demo.cli import seed_command
from timebank.ledger import checks
from timebank.ledger.models import Account, Exchange, ExchangeEvent, ExchangeKind, ExchangeState, LedgerHead, Posting
from timebank.members.models import BankRole, Holder, Person
from timebank.profiles.models import Profile
from timebank.profiles.search import Criteria, search

UNTIL = dt.date(2026, 10, 31)


def _seed(db_session, **kw):
    options = {"members": 50, "exchanges": 2_000, "seed": 7, "until": UNTIL, "batch_size": 500} | kw
    return seed.seed(db_session.connection(), **options)


def test_a_small_seed_verifies_and_has_every_kind_of_entry(db_session):
    result = _seed(db_session)

    assert checks.verify(db_session) == []
    bank = result.time_bank_id
    states = dict(
        db_session.execute(
            sa.select(Exchange.state, sa.func.count()).where(Exchange.time_bank_id == bank).group_by(Exchange.state)
        ).all()
    )
    assert sum(states.values()) == result.exchanges == 2_000
    assert set(states) == set(ExchangeState)
    assert states[ExchangeState.CONFIRMED] > 0.9 * result.exchanges
    reversals = db_session.scalar(
        sa.select(sa.func.count()).where(Exchange.time_bank_id == bank, Exchange.kind == ExchangeKind.REVERSAL)
    )
    assert reversals == states[ExchangeState.REVERSED]
    postings = db_session.scalar(sa.select(sa.func.count()).where(Posting.time_bank_id == bank))
    assert postings == result.postings == 2 * (states[ExchangeState.CONFIRMED] + states[ExchangeState.REVERSED])
    events = db_session.scalar(
        sa.select(sa.func.count()).select_from(ExchangeEvent).join(Exchange).where(Exchange.time_bank_id == bank)
    )
    assert events == result.events
    head = db_session.get(LedgerHead, bank)
    assert (head.last_sequence, head.last_hash) == (result.last_sequence, result.last_hash)
    assert head.last_sequence == postings
    accounts = db_session.scalar(sa.select(sa.func.count()).where(Account.time_bank_id == bank))
    assert accounts == 51  # the members and the community pot


def test_the_same_seed_gives_the_same_chain(db_session):
    heads = []
    for _ in range(2):
        savepoint = db_session.begin_nested()
        heads.append(_seed(db_session).last_hash)
        savepoint.rollback()
    assert heads[0] == heads[1]
    assert _seed(db_session, seed=8).last_hash != heads[0]


def test_the_seed_refuses_a_bank_that_exists(db_session):
    _seed(db_session, exchanges=10)
    with pytest.raises(seed.SeedBankExists):
        _seed(db_session, exchanges=10)


def test_the_seed_command_reports_its_speed_and_refuses_to_seed_twice(app, db_session):
    runner = app.test_cli_runner()
    arguments = ["--members", "20", "--exchanges", "300", "--seed", "11", "--until", "2026-10-31"]

    first = runner.invoke(seed_command, arguments)
    assert first.exit_code == 0, first.output
    assert "rows/s" in first.output and "synthetic-11" in first.output

    second = runner.invoke(seed_command, arguments)
    assert second.exit_code == 1
    assert "already exists" in second.output


def test_seeded_members_have_profiles_to_search(db_session):
    result = _seed(db_session, exchanges=100)
    broker = db_session.scalar(sa.select(Person).join(BankRole, BankRole.person_id == Person.id)
                               .where(BankRole.time_bank_id == result.time_bank_id))
    members = sa.select(Account.holder_id).where(Account.time_bank_id == result.time_bank_id)
    profiles = db_session.scalars(
        sa.select(Profile).where(Profile.holder_id.in_(members)).order_by(Profile.holder_id)).all()
    assert len(profiles) == result.members == 50
    assert all(profile.abilities and profile.languages and profile.availability for profile in profiles)
    holders = db_session.scalars(sa.select(Holder).where(Holder.id.in_(members)).order_by(Holder.id)).all()
    assert all(re.fullmatch(r"HB([1-9]|1[0-2])", holder.postcode_district) for holder in holders)
    assert all(holder.postcode.split()[0] == holder.postcode_district for holder in holders)
    # Each profile is a demo resident's, with the search text the profile service writes for it.
    gardeners = [p for p in profiles if "Gardening" in p.search_text.splitlines()]
    assert gardeners and all("Garddio" in p.search_text for p in gardeners)

    def found(**criteria):
        return search(db_session, broker, Criteria(**criteria), per_page=100).total

    assert found() == 50
    assert found(ability="gardening") == len(gardeners)
    assert 0 < found(q="garden") < 50
    in_hb3_on_mondays = [
        p for p, h in zip(profiles, holders, strict=True) if (h.postcode_district == "HB3" or any(
            t.district == "HB3" for t in p.travel_districts)) and any(a.weekday == 0 for a in p.availability)
    ]
    assert found(district="HB3", weekday=0) == len(in_hb3_on_mondays)
    assert result.profile_rows == sum(
        1 + len(p.abilities) + len(p.languages) + len(p.availability) + len(p.travel_districts) for p in profiles
    )


def test_a_big_load_puts_back_every_constraint_index_and_trigger_it_set_aside(db_session):
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL sets constraints aside for a big load")

    def catalogue():
        rows = db_session.execute(seed._SET_ASIDE, {"tables": list(seed.BULK_TABLES)}).all()
        trigger = db_session.scalar(sa.text("SELECT tgenabled FROM pg_trigger WHERE tgname = :name"),
                                    {"name": seed.CLOSED_ACCOUNT_TRIGGER})
        return sorted(rows), trigger

    before = catalogue()
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Exchange)) <= 2_000  # so the load is "big"
    _seed(db_session)

    assert catalogue() == before
    assert before[1] == "O"  # the trigger fires again, as it did
    assert {kind for kind, *_ in before[0]} == {"constraint", "index"}


def test_putting_the_checks_back_refuses_exchanges_on_a_closed_account(db_session):
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL sets the closed-account trigger aside for a big load")
    result = _seed(db_session, exchanges=100)
    account_id = db_session.scalar(sa.select(Exchange.giver_account_id).where(
        Exchange.time_bank_id == result.time_bank_id, Exchange.kind == ExchangeKind.EXCHANGE).limit(1))
    db_session.execute(sa.update(Account).where(Account.id == account_id).values(closed_at=sa.func.now()))

    with pytest.raises(seed.SeedOnClosedAccount), seed._deferred_checks(db_session.connection(), 10**9,
                                                                        result.time_bank_id):
        pass
