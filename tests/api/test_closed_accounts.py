"""A member who has left takes no new exchanges over the API: not proposed with them by another member,
not recorded for them by a broker, not confirmed by a broker once their account has closed. The refusal
is the ledger's own (409, ``account-closed``), named on the side concerned. A broker still reverses
their past exchanges."""

from __future__ import annotations

import pytest

from tests.api.support import assert_problem
from timebank.ledger import service as ledger
from timebank.ledger.models import Exchange, ExchangeState
from timebank.privacy import service as privacy


@pytest.fixture
def bank_with_a_leaver(db_session, bank, broker, make_member):
    """Aled has left the bank; Bea stays. Returns their accounts."""
    (aled, aled_account), (bea, bea_account) = make_member(bank, "Aled Pryce"), make_member(bank, "Bea Okafor")
    return aled, aled_account, bea, bea_account


def test_another_member_cannot_propose_an_exchange_with_someone_who_has_left(
        db_session, bank_with_a_leaver, broker, api_as, exchange_body, books):
    aled, aled_account, bea, bea_account = bank_with_a_leaver
    privacy.leave(db_session, broker, aled.id)
    as_bea = api_as(bea)
    before = books()

    body = assert_problem(as_bea.post("/exchanges", json=exchange_body(bea_account, aled_account)), 409,
                          "counterpart_account_id")

    assert body["code"] == "account-closed" and "left the time bank" in body["detail"]
    assert books() == before


def test_a_broker_cannot_record_an_exchange_for_someone_who_has_left(
        db_session, bank_with_a_leaver, broker, api_as, exchange_body, books):
    aled, aled_account, _bea, bea_account = bank_with_a_leaver
    privacy.leave(db_session, broker, aled.id)
    as_broker = api_as(broker)
    before = books()

    body = assert_problem(as_broker.post("/exchanges", json=exchange_body(aled_account, bea_account)), 409,
                          "account_id")

    assert body["code"] == "account-closed"
    assert books() == before


def test_a_broker_cannot_confirm_a_pending_exchange_once_the_account_has_closed(
        db_session, bank_with_a_leaver, broker, api_as, exchange_body, books):
    _aled, aled_account, bea, bea_account = bank_with_a_leaver
    pending = api_as(bea).post("/exchanges", json=exchange_body(bea_account, aled_account)).get_json()
    ledger.close_account(db_session, aled_account.id)  # closed without settling, as a race with leaving could
    as_broker = api_as(broker)
    before = books()

    body = assert_problem(as_broker.post(f"/exchanges/{pending['id']}/confirm"), 409)

    assert body["code"] == "account-closed" and body["errors"] == {"account": [body["detail"]]}
    assert books() == before
    # Declining only releases the hours: still allowed, and it leaves nothing pending on the closed account.
    assert as_broker.post(f"/exchanges/{pending['id']}/decline", json={"note": "Aled has left"}).status_code == 200
    db_session.expire_all()
    assert db_session.get(Exchange, pending["id"]).state is ExchangeState.DECLINED


def test_a_broker_still_reverses_an_exchange_of_someone_who_has_left(
        db_session, bank_with_a_leaver, broker, api_as, exchange_body):
    aled, aled_account, bea, bea_account = bank_with_a_leaver
    given = api_as(aled).post("/exchanges", json=exchange_body(aled_account, bea_account, minutes=90)).get_json()
    assert api_as(bea).post(f"/exchanges/{given['id']}/confirm").status_code == 200
    privacy.leave(db_session, broker, aled.id)

    reversed_ = api_as(broker).post(f"/exchanges/{given['id']}/reverse", json={"reason": "Recorded twice"})

    assert reversed_.status_code == 201, reversed_.get_json()
    db_session.expire_all()
    assert db_session.get(Exchange, given["id"]).state is ExchangeState.REVERSED
    assert (aled_account.balance_minutes, bea_account.balance_minutes) == (0, 0)
