"""Worked examples that read like bookkeeping. Each ends with the invariant checks (the harness runs
``ledger verify`` after every test)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from timebank.categories.models import Category
from timebank.ledger import errors
from timebank.ledger import service as ledger
from timebank.ledger.models import ExchangeState, Posting


@pytest.fixture
def gardening(db_session):
    return db_session.scalar(sa.select(Category).where(Category.code == "gardening"))


@pytest.fixture
def record(db_session, gardening, today):
    def record_(proposer, counterpart, minutes, *, giver=True, by=None, key=None, **kw):
        return ledger.record_exchange(
            db_session,
            proposer_account_id=proposer.id,
            counterpart_account_id=counterpart.id,
            proposer_is_giver=giver,
            amount_minutes=minutes,
            occurred_on=kw.pop("occurred_on", today),
            category_id=kw.pop("category_id", gardening.id),
            description=kw.pop("description", "Weeded the front garden"),
            recorded_by_id=by,
            idempotency_key=key or uuid.uuid4().hex,
        )[0]

    return record_


def test_an_hour_of_gardening_from_proposal_to_posting(db_session, make_bank, make_member, record):
    bank = make_bank()
    aled, aled_account = make_member(bank, "Aled Pryce")
    bea, bea_account = make_member(bank, "Bea Okafor")

    # Aled gave Bea 90 minutes of gardening and records it.
    exchange = record(aled_account, bea_account, 90, giver=True, by=aled.id)
    assert exchange.state is ExchangeState.PENDING
    assert exchange.receiver_account_id == bea_account.id and exchange.giver_account_id == aled_account.id
    # Pending: nothing posted, but Bea's available balance already counts it.
    assert (bea_account.balance_minutes, bea_account.available_minutes) == (0, -90)
    assert aled_account.credits_pending_minutes == 90

    # Bea confirms.
    ledger.confirm_exchange(db_session, exchange.id, actor_id=bea.id, acting_for_account_id=bea_account.id)
    assert exchange.state is ExchangeState.CONFIRMED
    assert (aled_account.balance_minutes, aled_account.given_minutes, aled_account.received_minutes) == (90, 90, 0)
    assert (bea_account.balance_minutes, bea_account.given_minutes, bea_account.received_minutes) == (-90, 0, 90)
    postings = db_session.scalars(sa.select(Posting).where(Posting.exchange_id == exchange.id)).all()
    assert sorted(p.amount_minutes for p in postings) == [-90, 90]
    assert [e.to_state for e in exchange.events] == [ExchangeState.PENDING, ExchangeState.CONFIRMED]


def test_a_reversal_undoes_given_and_received(db_session, make_bank, make_member, make_broker, record):
    bank = make_bank()
    broker = make_broker(bank)
    aled, aled_account = make_member(bank, "Aled Pryce")
    bea, bea_account = make_member(bank, "Bea Okafor")
    exchange = record(aled_account, bea_account, 60, by=aled.id)
    ledger.confirm_exchange(db_session, exchange.id, actor_id=bea.id, acting_for_account_id=bea_account.id)

    reversal = ledger.reverse_exchange(db_session, exchange.id, actor_id=broker.id, reason="Keyed twice")

    assert exchange.state is ExchangeState.REVERSED
    assert reversal.reverses_exchange_id == exchange.id and reversal.state is ExchangeState.CONFIRMED
    for account in (aled_account, bea_account):
        assert (account.balance_minutes, account.given_minutes, account.received_minutes) == (0, 0, 0)
    with pytest.raises(errors.InvalidTransition):
        ledger.reverse_exchange(db_session, exchange.id, actor_id=broker.id, reason="again")
    with pytest.raises(errors.CannotReverseReversal):
        ledger.reverse_exchange(db_session, reversal.id, actor_id=broker.id, reason="undo the undo")


def test_pending_exchanges_count_against_the_floor(db_session, make_bank, make_member, record):
    bank = make_bank()
    aled, aled_account = make_member(bank, "Aled Pryce")
    _bea, bea_account = make_member(bank, "Bea Okafor")
    # Residents may go to -10 hours. Bea receives 6 hours, then 4 hours: both pending.
    record(aled_account, bea_account, 360, by=aled.id)
    record(aled_account, bea_account, 240, by=aled.id)
    with pytest.raises(errors.ExceedsBalanceFloor):
        record(aled_account, bea_account, 1, by=aled.id)
    assert bea_account.available_minutes == -600


def test_declined_and_cancelled_release_the_pending_amount(db_session, make_bank, make_member, record):
    bank = make_bank()
    aled, aled_account = make_member(bank)
    bea, bea_account = make_member(bank)
    first = record(aled_account, bea_account, 120, by=aled.id)
    second = record(aled_account, bea_account, 30, by=aled.id)
    ledger.decline_exchange(db_session, first.id, actor_id=bea.id, acting_for_account_id=bea_account.id)
    ledger.cancel_exchange(db_session, second.id, actor_id=aled.id, acting_for_account_id=aled_account.id)
    assert (bea_account.debits_pending_minutes, aled_account.credits_pending_minutes) == (0, 0)
    assert first.state is ExchangeState.DECLINED and second.state is ExchangeState.CANCELLED
    with pytest.raises(errors.InvalidTransition):
        ledger.confirm_exchange(db_session, first.id, actor_id=bea.id, acting_for_account_id=bea_account.id)
