"""Closed accounts: once a holder has left, the ledger itself refuses any new exchange on their account,
whatever calls it, and the database refuses it too. Declining, cancelling and a broker's reversal stay
allowed. ``ledger verify`` reports anything recorded after an account closed, or left pending on it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from timebank.categories.models import Category
from timebank.ledger import checks, errors
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeState


@pytest.fixture
def gardening(db_session):
    return db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))


@pytest.fixture
def parties(bank, make_member):
    """Aled, who is leaving, and Bea, who stays."""
    return make_member(bank, "Aled Pryce", email=None), make_member(bank, "Bea Okafor", email=None)


@pytest.fixture
def record(db_session, gardening, today):
    def record_(proposer, counterpart, minutes=60, *, by):
        return ledger.record_exchange(
            db_session, proposer_account_id=proposer.id, counterpart_account_id=counterpart.id,
            proposer_is_giver=True, amount_minutes=minutes, occurred_on=today, category_id=gardening,
            description="Weeded the front garden", recorded_by_id=by.id, idempotency_key=uuid.uuid4().hex,
        )[0]

    return record_


def exchange_count(db_session):
    return db_session.scalar(sa.select(sa.func.count(Exchange.id)))


def test_closing_is_recorded_once_and_stays(db_session, parties):
    (_aled, aled_account), _ = parties
    closed = ledger.close_account(db_session, aled_account.id)
    first = closed.closed_at
    assert first is not None and closed.is_closed
    assert ledger.close_account(db_session, aled_account.id).closed_at == first  # idempotent
    with pytest.raises(errors.AccountNotFound):
        ledger.close_account(db_session, 2**31 - 1)


def test_no_exchange_is_recorded_on_a_closed_account_from_either_side(db_session, parties, record):
    (aled, aled_account), (bea, bea_account) = parties
    ledger.close_account(db_session, aled_account.id)
    before = exchange_count(db_session)

    with pytest.raises(errors.AccountClosed) as as_counterpart:
        record(bea_account, aled_account, by=bea)
    with pytest.raises(errors.AccountClosed) as as_proposer:
        record(aled_account, bea_account, by=aled)

    assert (as_counterpart.value.field, as_counterpart.value.status) == ("counterpart", 409)
    assert "other side" in str(as_counterpart.value.message)
    assert (as_proposer.value.field, as_proposer.value.code) == ("account", "account-closed")
    assert exchange_count(db_session) == before
    db_session.expire_all()
    assert (bea_account.debits_pending_minutes, bea_account.credits_pending_minutes) == (0, 0)


def test_a_pending_exchange_on_a_since_closed_account_is_not_confirmed_but_can_be_declined(
        db_session, parties, record):
    (aled, aled_account), (bea, bea_account) = parties
    pending = record(bea_account, aled_account, 45, by=bea)
    ledger.close_account(db_session, aled_account.id)

    with pytest.raises(errors.AccountClosed) as refused:
        ledger.confirm_exchange(db_session, pending.id, actor_id=aled.id, acting_for_account_id=aled_account.id)
    assert refused.value.field == "account"
    db_session.expire_all()
    assert db_session.get(Exchange, pending.id).state is ExchangeState.PENDING
    assert [p.check for p in checks.check_closed_accounts(db_session)] == ["closed"]

    # Declining only releases the pending hours, so it stays open to the leaver's side (a broker, say).
    ledger.decline_exchange(db_session, pending.id, actor_id=aled.id, acting_for_account_id=aled_account.id)
    assert db_session.get(Exchange, pending.id).state is ExchangeState.DECLINED
    assert bea_account.credits_pending_minutes == 0 and checks.check_closed_accounts(db_session) == []


def test_the_proposer_of_an_exchange_to_a_leaver_may_still_cancel_it(db_session, parties, record):
    (_aled, aled_account), (bea, bea_account) = parties
    pending = record(bea_account, aled_account, by=bea)
    ledger.close_account(db_session, aled_account.id)
    with pytest.raises(errors.AccountClosed) as refused:
        ledger.confirm_exchange(db_session, pending.id, actor_id=bea.id, acting_for_account_id=aled_account.id)
    assert refused.value.field == "account"
    ledger.cancel_exchange(db_session, pending.id, actor_id=bea.id, acting_for_account_id=bea_account.id)
    assert pending.state is ExchangeState.CANCELLED


def test_a_broker_still_reverses_a_leaver_s_past_exchange(db_session, parties, record, broker):
    (aled, aled_account), (bea, bea_account) = parties
    given = record(aled_account, bea_account, 90, by=aled)
    ledger.confirm_exchange(db_session, given.id, actor_id=bea.id, acting_for_account_id=bea_account.id)
    ledger.close_account(db_session, aled_account.id)

    reversal = ledger.reverse_exchange(db_session, given.id, actor_id=broker.id, reason="Recorded twice")

    assert (given.state, reversal.state) == (ExchangeState.REVERSED, ExchangeState.CONFIRMED)
    assert (aled_account.balance_minutes, bea_account.balance_minutes) == (0, 0)


def test_the_database_refuses_an_exchange_on_a_closed_account_whatever_writes_it(
        db_session, parties, record, gardening, today):
    """Behind the service, the triggers: a new row, or a confirmation, on a closed account is refused."""
    (aled, aled_account), (bea, bea_account) = parties
    pending = record(bea_account, aled_account, by=bea)
    ledger.close_account(db_session, aled_account.id)
    db_session.flush()
    columns = dict(
        time_bank_id=aled_account.time_bank_id, kind="exchange", receiver_account_id=aled_account.id,
        giver_account_id=bea_account.id, proposer_account_id=bea_account.id, amount_minutes=30,
        occurred_on=today, category_id=gardening, description="", recorded_by_id=bea.id, idempotency_key="by-hand",
        request_fingerprint="0" * 64, state="pending",
    )
    statements = [  # the statement, and what it tries
        (sa.insert(Exchange.__table__).values(**columns), "insert"),
        (sa.update(Exchange.__table__).where(Exchange.id == pending.id).values(state="confirmed"), "confirm"),
        (sa.update(Account.__table__).where(Account.id == aled_account.id).values(closed_at=None), "reopen"),
    ]
    for statement, what in statements:
        with pytest.raises(DBAPIError, match=r"closed account|append-only"), db_session.begin_nested():
            db_session.execute(statement)
            pytest.fail(f"the database let a {what} through")
    ledger.decline_exchange(db_session, pending.id, actor_id=aled.id, acting_for_account_id=aled_account.id)


@pytest.mark.tampers
def test_verify_finds_an_exchange_recorded_after_its_account_closed(db_session, parties, record):
    """Someone with SQL access back-dates the closing of an account to before an exchange on it."""
    (aled, aled_account), (bea, bea_account) = parties
    given = record(aled_account, bea_account, by=aled)
    ledger.confirm_exchange(db_session, given.id, actor_id=bea.id, acting_for_account_id=bea_account.id)
    db_session.flush()
    assert checks.verify(db_session) == []
    db_session.refresh(given)

    db_session.execute(sa.update(Account.__table__).where(Account.id == aled_account.id)
                       .values(closed_at=given.created_at - dt.timedelta(days=1)))

    problems = checks.verify(db_session)
    assert [(p.check, p.subject) for p in problems] == [("closed", f"exchange {given.id}")]
    assert f"after account {aled_account.id} closed" in problems[0].message
