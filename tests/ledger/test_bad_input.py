"""Bad input to the ledger gets a named, plain-language error and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from timebank.categories.models import Category
from timebank.clock import uk_today
from timebank.dates import DateOutOfRange
from timebank.ledger import errors
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeEvent


@pytest.fixture
def world(db_session, make_bank, make_member, today):
    bank, elsewhere = make_bank(), make_bank()
    aled, aled_acc = make_member(bank, email=None)
    bea, bea_acc = make_member(bank, email=None)
    _, stranger_acc = make_member(elsewhere, email=None)
    category = db_session.scalar(sa.select(Category).where(Category.code == "gardening"))
    good = dict(
        proposer_account_id=aled_acc.id, counterpart_account_id=bea_acc.id, proposer_is_giver=True,
        amount_minutes=60, occurred_on=today, category_id=category.id, description="Weeding",
        recorded_by_id=aled.id, idempotency_key="key-1",
    )
    return {"good": good, "aled": aled, "bea": bea, "aled_acc": aled_acc, "bea_acc": bea_acc,
            "stranger_acc": stranger_acc}


def books(session):
    return (
        session.scalar(sa.select(sa.func.count()).select_from(Exchange)),
        session.scalar(sa.select(sa.func.count()).select_from(ExchangeEvent)),
        session.execute(sa.select(Account.id, Account.debits_pending_minutes, Account.credits_pending_minutes,
                                  Account.debits_posted_minutes, Account.credits_posted_minutes)
                        .order_by(Account.id)).all(),
    )


@pytest.mark.parametrize(("change", "error", "field"), [
    ({"amount_minutes": 0}, errors.InvalidAmount, "minutes"),
    ({"amount_minutes": -30}, errors.InvalidAmount, "minutes"),
    ({"amount_minutes": 1.5}, errors.InvalidAmount, "minutes"),
    ({"amount_minutes": 10**12}, errors.InvalidAmount, "minutes"),
    ({"amount_minutes": 1441}, errors.InvalidAmount, "minutes"),
    ({"amount_minutes": "60"}, errors.InvalidAmount, "minutes"),
    ({"amount_minutes": True}, errors.InvalidAmount, "minutes"),
    ({"counterpart_account_id": 10**9}, errors.AccountNotFound, "counterpart"),
    ({"proposer_account_id": 10**9}, errors.AccountNotFound, "account"),
    ({"counterpart_account_id": "same"}, errors.SameAccount, "counterpart"),
    ({"counterpart_account_id": "stranger"}, errors.AccountInOtherBank, "counterpart"),
    ({"category_id": 10**9}, errors.CategoryNotFound, "category"),
    ({"occurred_on": "tomorrow"}, DateOutOfRange, "occurred_on"),
    ({"description": "x" * 1001}, errors.DescriptionTooLong, "description"),
    ({"idempotency_key": ""}, errors.InvalidIdempotencyKey, "idempotency_key"),
    ({"idempotency_key": "k" * 101}, errors.InvalidIdempotencyKey, "idempotency_key"),
])
def test_a_bad_proposal_is_refused_and_changes_nothing(db_session, world, change, error, field):
    before = books(db_session)
    values = {**world["good"], **change}
    if change.get("counterpart_account_id") == "same":
        values["counterpart_account_id"] = world["aled_acc"].id
    if change.get("counterpart_account_id") == "stranger":
        values["counterpart_account_id"] = world["stranger_acc"].id
    if change.get("occurred_on") == "tomorrow":
        values["occurred_on"] = uk_today() + dt.timedelta(days=1)
    with pytest.raises(error) as raised:
        ledger.record_exchange(db_session, **values)
    assert raised.value.field == field
    assert str(raised.value.message)  # a sentence for a person, not a code
    assert books(db_session) == before


def test_replaying_a_key_returns_the_first_exchange_and_a_changed_body_is_refused(db_session, world):
    first, created = ledger.record_exchange(db_session, **world["good"])
    again, created_again = ledger.record_exchange(db_session, **world["good"])
    assert (created, created_again, again.id) == (True, False, first.id)
    before = books(db_session)
    with pytest.raises(errors.IdempotencyKeyReused):
        ledger.record_exchange(db_session, **{**world["good"], "amount_minutes": 90})
    assert books(db_session) == before


def test_the_same_key_from_another_person_is_a_different_exchange(db_session, world):
    first, _ = ledger.record_exchange(db_session, **world["good"])
    theirs, created = ledger.record_exchange(db_session, **{
        **world["good"], "proposer_account_id": world["bea_acc"].id,
        "counterpart_account_id": world["aled_acc"].id, "recorded_by_id": world["bea"].id,
    })
    assert created and theirs.id != first.id


def test_confirming_ones_own_proposal_or_twice_is_refused(db_session, world):
    exchange, _ = ledger.record_exchange(db_session, **world["good"])
    aled, bea, aled_acc, bea_acc = world["aled"], world["bea"], world["aled_acc"], world["bea_acc"]
    before = books(db_session)
    with pytest.raises(errors.CannotConfirmOwnProposal):
        ledger.confirm_exchange(db_session, exchange.id, actor_id=aled.id, acting_for_account_id=aled_acc.id)
    with pytest.raises(errors.NotAParty):
        ledger.confirm_exchange(db_session, exchange.id, actor_id=aled.id,
                                acting_for_account_id=world["stranger_acc"].id)
    with pytest.raises(errors.OnlyProposerCanCancel):
        ledger.cancel_exchange(db_session, exchange.id, actor_id=bea.id, acting_for_account_id=bea_acc.id)
    assert books(db_session) == before
    ledger.confirm_exchange(db_session, exchange.id, actor_id=bea.id, acting_for_account_id=bea_acc.id)
    after = books(db_session)
    with pytest.raises(errors.InvalidTransition, match="already confirmed"):
        ledger.confirm_exchange(db_session, exchange.id, actor_id=bea.id, acting_for_account_id=bea_acc.id)
    assert books(db_session) == after


def test_a_reversal_needs_a_reason_and_must_respect_the_floor(db_session, world, make_person):
    broker = make_person("Broker", email=None, is_admin=True)
    bea, aled_acc, bea_acc = world["bea"], world["aled_acc"], world["bea_acc"]

    def confirmed(key, aled_gives):
        exchange, _ = ledger.record_exchange(db_session, **{
            **world["good"], "amount_minutes": 600, "proposer_is_giver": aled_gives, "idempotency_key": key})
        return ledger.confirm_exchange(db_session, exchange.id, actor_id=bea.id, acting_for_account_id=bea_acc.id)

    earned = confirmed("earn", aled_gives=True)  # Aled +10 h
    confirmed("spend-1", aled_gives=False)  # Aled 0 h
    confirmed("spend-2", aled_gives=False)  # Aled -10 h, his floor
    with pytest.raises(errors.ReasonRequired):
        ledger.reverse_exchange(db_session, earned.id, actor_id=broker.id, reason="   ")
    before = books(db_session)
    # Taking back what he earned would put Aled at -20 hours.
    with pytest.raises(errors.ExceedsBalanceFloor):
        ledger.reverse_exchange(db_session, earned.id, actor_id=broker.id, reason="keyed by mistake")
    assert books(db_session) == before
    assert earned.state.value == "confirmed" and aled_acc.balance_minutes == -600
