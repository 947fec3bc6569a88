"""Answering, withdrawing and reversing exchanges over the API, and what each refusal leaves behind:
nothing."""

from __future__ import annotations

import sqlalchemy as sa

from tests.api.support import assert_problem
from timebank.ledger.models import Exchange, ExchangeKind, ExchangeState


def _propose(client, body):
    response = client.post("/exchanges", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_bea_declines_with_a_note_and_nothing_is_posted(db_session, make_bank, make_member, api_as, exchange_body):
    bank = make_bank()
    aled, aled_account = make_member(bank, "Aled Pryce")
    bea, bea_account = make_member(bank, "Bea Okafor")
    as_aled, as_bea = api_as(aled), api_as(bea)
    exchange_id = _propose(as_aled, exchange_body(aled_account, bea_account))

    response = as_bea.post(f"/exchanges/{exchange_id}/decline", json={"note": "  It was 30 minutes  "})

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["state"] == "declined" and body["history"][-1]["note"] == "It was 30 minutes"
    db_session.expire_all()
    assert (bea_account.debits_pending_minutes, aled_account.credits_pending_minutes) == (0, 0)
    assert (bea_account.balance_minutes, aled_account.balance_minutes) == (0, 0)
    # A note is optional; declining without a body works too, but only once.
    other = _propose(as_aled, exchange_body(aled_account, bea_account))
    assert as_bea.post(f"/exchanges/{other}/decline").status_code == 200
    assert_problem(as_bea.post(f"/exchanges/{other}/decline"), 409)


def test_a_too_long_decline_note_is_refused(db_session, make_bank, make_member, api_as, exchange_body, books):
    bank = make_bank()
    aled, aled_account = make_member(bank)
    bea, bea_account = make_member(bank)
    exchange_id = _propose(api_as(aled), exchange_body(aled_account, bea_account))
    before = books()

    assert_problem(api_as(bea).post(f"/exchanges/{exchange_id}/decline", json={"note": "x" * 1001}), 422, "note")

    assert books() == before
    assert db_session.get(Exchange, exchange_id).state is ExchangeState.PENDING


def test_aled_cancels_his_own_proposal_and_bea_cannot(db_session, make_bank, make_member, api_as, exchange_body):
    bank = make_bank()
    aled, aled_account = make_member(bank)
    bea, bea_account = make_member(bank)
    as_aled, as_bea = api_as(aled), api_as(bea)
    exchange_id = _propose(as_aled, exchange_body(aled_account, bea_account))

    assert_problem(as_bea.post(f"/exchanges/{exchange_id}/cancel"), 403)
    response = as_aled.post(f"/exchanges/{exchange_id}/cancel")

    assert response.status_code == 200 and response.get_json()["state"] == "cancelled"
    db_session.expire_all()
    assert (bea_account.debits_pending_minutes, aled_account.credits_pending_minutes) == (0, 0)
    assert_problem(as_bea.post(f"/exchanges/{exchange_id}/confirm"), 409)


def test_confirming_your_own_proposal_is_forbidden(db_session, make_bank, make_member, api_as, exchange_body, books):
    bank = make_bank()
    aled, aled_account = make_member(bank)
    _bea, bea_account = make_member(bank)
    as_aled = api_as(aled)
    exchange_id = _propose(as_aled, exchange_body(aled_account, bea_account))
    before = books()

    body = assert_problem(as_aled.post(f"/exchanges/{exchange_id}/confirm"), 403)

    assert body["code"] == "cannot-confirm-own-proposal"
    assert books() == before
    assert_problem(as_aled.post(f"/exchanges/{exchange_id}/decline"), 403)


def test_confirming_twice_is_a_conflict(db_session, make_bank, make_member, api_as, exchange_body, books):
    bank = make_bank()
    aled, aled_account = make_member(bank)
    bea, bea_account = make_member(bank)
    as_bea = api_as(bea)
    exchange_id = _propose(api_as(aled), exchange_body(aled_account, bea_account))
    assert as_bea.post(f"/exchanges/{exchange_id}/confirm").status_code == 200
    before = books()

    body = assert_problem(as_bea.post(f"/exchanges/{exchange_id}/confirm"), 409)

    assert body["detail"] == "This exchange is already confirmed."
    assert books() == before
    db_session.expire_all()
    assert (aled_account.balance_minutes, bea_account.balance_minutes) == (60, -60)


def test_a_broker_reverses_a_confirmed_exchange(
    db_session, make_bank, make_member, make_broker, api_as, exchange_body
):
    bank = make_bank()
    broker = make_broker(bank, "Carys Broker")
    aled, aled_account = make_member(bank)
    bea, bea_account = make_member(bank)
    as_broker, as_bea = api_as(broker), api_as(bea)
    exchange_id = _propose(api_as(aled), exchange_body(aled_account, bea_account))
    as_bea.post(f"/exchanges/{exchange_id}/confirm")
    assert as_broker.get(f"/exchanges/{exchange_id}").get_json()["allowed_actions"] == ["reverse"]

    assert_problem(as_bea.post(f"/exchanges/{exchange_id}/reverse", json={"reason": "Mine"}), 403)
    assert_problem(as_broker.post(f"/exchanges/{exchange_id}/reverse", json={"reason": "   "}), 422, "reason")
    assert_problem(as_broker.post(f"/exchanges/{exchange_id}/reverse", json={}), 422, "reason")
    response = as_broker.post(f"/exchanges/{exchange_id}/reverse", json={"reason": "Keyed twice"})

    assert response.status_code == 201, response.get_json()
    reversal = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/exchanges/{reversal['id']}")
    assert reversal["kind"] == "reversal" and reversal["state"] == "confirmed"
    assert reversal["reverses_exchange_id"] == exchange_id and reversal["description"] == "Keyed twice"
    assert (reversal["receiver_account_id"], reversal["giver_account_id"]) == (aled_account.id, bea_account.id)
    original = as_broker.get(f"/exchanges/{exchange_id}").get_json()
    assert original["state"] == "reversed" and original["reversed_by_exchange_id"] == reversal["id"]
    db_session.expire_all()
    for account in (aled_account, bea_account):
        assert (account.balance_minutes, account.given_minutes, account.received_minutes) == (0, 0, 0)
    assert_problem(as_broker.post(f"/exchanges/{exchange_id}/reverse", json={"reason": "again"}), 409)
    assert_problem(as_broker.post(f"/exchanges/{reversal['id']}/reverse", json={"reason": "undo"}), 409)


def test_a_reversal_refused_by_a_limit_changes_nothing(
    db_session, make_bank, make_member, make_broker, api_as, exchange_body, books
):
    """The ledger marks the original reversed before it checks limits; the refusal must undo that."""
    bank = make_bank()
    broker = make_broker(bank)
    aled, aled_account = make_member(bank)
    bea, bea_account = make_member(bank)
    cai, cai_account = make_member(bank)
    as_aled = api_as(aled)
    # Aled gives Bea an hour, then receives 601 minutes from Cai: 60 - 601 = -541 available.
    gift = _propose(as_aled, exchange_body(aled_account, bea_account, minutes=60))
    api_as(bea).post(f"/exchanges/{gift}/confirm")
    help_ = _propose(api_as(cai), exchange_body(cai_account, aled_account, minutes=601))
    as_aled.post(f"/exchanges/{help_}/confirm")
    before = books()

    # Reversing the hour would take Aled to -601, below the resident floor of -600.
    body = assert_problem(api_as(broker).post(f"/exchanges/{gift}/reverse", json={"reason": "Wrong"}), 422)

    assert body["code"] == "exceeds-balance-floor"
    assert books() == before
    assert db_session.get(Exchange, gift).state is ExchangeState.CONFIRMED
    assert db_session.scalar(sa.select(Exchange.id).where(Exchange.kind == ExchangeKind.REVERSAL)) is None
