"""The month facts reports read (``ledger.summaries``: ``ExchangeMonthFact``, ``AccountMonthFact`` and its
year folds, ``AccountYearFact``): kept by
confirming and reversing in the same transaction, each hour belonging to one organisation at most, re-derived
by ``ledger verify``, written in one statement each by the bulk seed and by the migration from the exchanges
already recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_app
from tests.migrations.test_migrations import fresh  # noqa: F401 (a fixture)
from tests.reports import world as worlds
from tests.support import examples
from timebank.db import db
from timebank.demo import seed
from timebank.ledger import checks
from timebank.ledger.models import AccountMonthFact, AccountYearFact, ExchangeMonthFact, HolderKind

FACT_CHECKS = (checks.check_month_totals, checks.check_exchange_facts, checks.check_account_facts,
               checks.check_account_years)


def _problems(session):
    return [str(problem) for check in FACT_CHECKS for problem in check(session)]


def _exchange_facts(session, bank_id):
    return {(f.month, f.giver_kind, f.receiver_kind, f.organisation_id, f.activity_id, f.role_id):
            (f.minutes, f.exchanges)
            for f in session.scalars(sa.select(ExchangeMonthFact).where(ExchangeMonthFact.time_bank_id == bank_id))}


def _account_facts(session, bank_id):
    return {(f.account_id, f.month, f.organisation_id, f.activity_id):
            (f.given_minutes, f.received_minutes, f.given_exchanges, f.received_exchanges)
            for f in session.scalars(sa.select(AccountMonthFact).where(AccountMonthFact.time_bank_id == bank_id))}


def _account_years(session, bank_id):
    return {(f.account_id, f.year, f.organisation_id, f.activity_id): (f.gave_months, f.received_months)
            for f in session.scalars(sa.select(AccountYearFact).where(AccountYearFact.time_bank_id == bank_id))}


def test_a_year_fact_has_a_bit_for_each_month_given_or_received_in_and_a_reversal_clears_it(db_session, today):
    world = worlds.build(db_session)
    ann, bob = world.residents[:2]
    months = [today.replace(day=1)]
    for _ in range(2):
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    bit = {month: 1 << (month.month - 1) for month in months}

    world.exchange(ann, bob, 60, today)
    middle = world.exchange(bob, ann, 30, months[1])
    world.exchange(bob, ann, 15, months[1])
    oldest = world.exchange(ann, bob, 20, months[2])
    years = _account_years(db_session, world.bank_id)
    gave, received = {}, {}
    for month, giver, receiver in ((months[0], ann, bob), (months[1], bob, ann), (months[2], ann, bob)):
        for side, account in ((gave, giver), (received, receiver)):
            side[account.id, month.year] = side.get((account.id, month.year), 0) | bit[month]
    assert years == {
        (account.id, year, 0, 0): (gave.get((account.id, year), 0), received.get((account.id, year), 0))
        for account in (ann, bob) for year in {month.year for month in months}
        if (account.id, year) in gave or (account.id, year) in received}

    world.reverse(middle)  # the month keeps another exchange: its bits stay
    assert _account_years(db_session, world.bank_id) == years
    world.reverse(oldest)  # the month's only exchange: its bits go, the row stays
    after = _account_years(db_session, world.bank_id)
    assert after[ann.id, months[2].year, 0, 0][0] & bit[months[2]] == 0
    assert after[bob.id, months[2].year, 0, 0][1] & bit[months[2]] == 0
    assert _problems(db_session) == []


def test_each_hour_belongs_to_its_activity_s_organisation_else_an_organisation_side(db_session, today):
    world = worlds.build(db_session)
    ann, bob = world.residents[:2]
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    R, T, P, C = HolderKind.RESIDENT, HolderKind.THIRD_SECTOR, HolderKind.PUBLIC_BODY, HolderKind.COMMUNITY_POT

    world.exchange(ann, bob, 60, today)                          # residents: no organisation
    world.exchange(ann, world.charity, 30, today)                # the receiver is one
    world.exchange(world.charity, ann, 20, today)                # the giver is one
    world.exchange(world.council, world.charity, 10, today)      # both are: the giver's
    world.exchange(ann, world.charity, 45, today, from_activity=True)  # the activity's (the council's)
    early = world.exchange(bob, world.pot, 15, last_month)

    role, activity = world.role_id, world.activity_id
    assert _exchange_facts(db_session, world.bank_id) == {
        (this_month, R, R, 0, 0, 0): (60, 1),
        (this_month, R, T, world.charity_id, 0, 0): (30, 1),
        (this_month, T, R, world.charity_id, 0, 0): (20, 1),
        (this_month, P, T, world.council_id, 0, 0): (10, 1),
        (this_month, R, T, world.council_id, activity, role): (45, 1),
        (last_month, R, C, 0, 0, 0): (15, 1),
    }
    accounts = _account_facts(db_session, world.bank_id)
    assert accounts[ann.id, this_month, 0, 0] == (60, 0, 1, 0)
    assert accounts[ann.id, this_month, world.charity_id, 0] == (30, 20, 1, 1)
    assert accounts[ann.id, this_month, world.council_id, activity] == (45, 0, 1, 0)
    assert accounts[world.charity.id, this_month, world.council_id, 0] == (0, 10, 0, 1)
    assert accounts[world.pot.id, last_month, 0, 0] == (0, 15, 0, 1)

    # Reversed today, taken out of last month; the reversal itself counts nowhere.
    world.reverse(early)
    assert _exchange_facts(db_session, world.bank_id)[last_month, R, C, 0, 0, 0] == (0, 0)
    assert _account_facts(db_session, world.bank_id)[bob.id, last_month, 0, 0] == (0, 0, 0, 0)
    assert _account_facts(db_session, world.bank_id)[world.pot.id, last_month, 0, 0] == (0, 0, 0, 0)
    assert _problems(db_session) == []


@pytest.mark.tampers
def test_ledger_verify_finds_facts_that_do_not_add_up(db_session, today):
    world = worlds.build(db_session)
    world.exchange(world.residents[0], world.charity, 90, today)
    db_session.execute(sa.update(ExchangeMonthFact).where(ExchangeMonthFact.time_bank_id == world.bank_id)
                       .values(minutes=ExchangeMonthFact.minutes + 1))
    db_session.execute(sa.update(AccountMonthFact).where(AccountMonthFact.account_id == world.charity.id)
                       .values(received_exchanges=2))
    db_session.execute(sa.update(AccountYearFact).where(AccountYearFact.account_id == world.charity.id)
                       .values(gave_months=AccountYearFact.received_months))

    problems = [problem for check in FACT_CHECKS for problem in check(db_session)]
    assert [problem.check for problem in problems] == ["exchange-facts", "account-facts", "account-years"]
    assert "kept minutes 91, exchanges 1; the exchanges say minutes 90, exchanges 1" in str(problems[0])
    assert f"account {world.charity.id} {today:%Y-%m} organisation {world.charity_id}" in str(problems[1])


#: (giver, receiver, minutes, months ago, category, from the activity) or ("reverse", which exchange).
steps = st.lists(st.one_of(
    st.tuples(st.integers(0, worlds.RESIDENTS + 2), st.integers(0, worlds.RESIDENTS + 2), st.integers(1, 300),
              st.integers(0, 3), st.just("gardening"), st.booleans()),
    st.tuples(st.just("reverse"), st.integers(0, 30)),
), min_size=1, max_size=20)


@settings(max_examples=examples(0.4), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_confirmations_and_reversals_leave_the_facts_as_the_exchanges_say(db_session, today, steps):
    savepoint = db_session.begin_nested()
    try:
        world = worlds.build(db_session)
        world.play(steps, lambda ago: (today.replace(day=1) - dt.timedelta(days=31 * ago)) if ago else today)
        assert _problems(db_session) == []
    finally:
        savepoint.rollback()
        db_session.expire_all()


def test_the_bulk_seed_writes_every_fact_of_its_bank(db_session):
    result = seed.seed(db_session.connection(), members=20, exchanges=300, seed=78)
    facts = _exchange_facts(db_session, result.time_bank_id)
    assert sum(minutes for minutes, _count in facts.values()) > 0
    assert _account_facts(db_session, result.time_bank_id)
    assert _account_years(db_session, result.time_bank_id)
    assert _problems(db_session) == []


def test_the_migration_fills_the_facts_of_exchanges_already_recorded(fresh):  # noqa: F811
    app = make_app(fresh)
    with app.app_context():
        upgrade()
        session = db.session
        world = worlds.build(session, opened_on=dt.date(2026, 1, 1))
        ann, bob = world.residents[:2]
        world.exchange(ann, bob, 60, dt.date(2026, 3, 14))
        world.exchange(ann, world.charity, 30, dt.date(2026, 3, 15), from_activity=True)
        world.reverse(world.exchange(world.council, bob, 25, dt.date(2026, 2, 1)))
        session.commit()
        kept = (_exchange_facts(session, world.bank_id), _account_facts(session, world.bank_id),
                _account_years(session, world.bank_id))
        db.session.remove()
        db.engine.dispose()

        downgrade(revision="4f7a2d9c1e8b")
        upgrade()
        session = db.session
        filled = (_exchange_facts(session, world.bank_id), _account_facts(session, world.bank_id),
                  _account_years(session, world.bank_id))
        problems = checks.verify(session)
        db.session.remove()
        db.engine.dispose()
    # Kept as they happened, a reversed exchange leaves rows at zero; filled afresh, it leaves none.
    assert filled == tuple({key: value for key, value in facts.items() if any(value)} for facts in kept)
    assert len(filled[0]) == 2 and problems == []
