"""Idempotency keys: a client that resends a request gets the first result, never a second exchange."""

from __future__ import annotations

import sqlalchemy as sa

from tests.api.support import assert_problem
from timebank.ledger.models import Exchange


def test_replaying_the_same_request_returns_the_same_exchange(
    db_session, make_bank, make_member, api_as, exchange_body
):
    bank = make_bank()
    aled, aled_account = make_member(bank)
    _bea, bea_account = make_member(bank)
    as_aled = api_as(aled)
    body = exchange_body(aled_account, bea_account, idempotency_key="phone-42")

    first = as_aled.post("/exchanges", json=body)
    replay = as_aled.post("/exchanges", json=body)

    assert (first.status_code, replay.status_code) == (201, 200)
    assert replay.get_json()["id"] == first.get_json()["id"]
    rows = db_session.scalars(sa.select(Exchange).where(Exchange.giver_account_id == aled_account.id)).all()
    assert len(rows) == 1
    db_session.expire_all()
    assert (bea_account.debits_pending_minutes, aled_account.credits_pending_minutes) == (60, 60)


def test_reusing_a_key_for_a_different_request_is_refused(
    db_session, make_bank, make_member, api_as, exchange_body, books
):
    bank = make_bank()
    aled, aled_account = make_member(bank)
    _bea, bea_account = make_member(bank)
    as_aled = api_as(aled)
    first = as_aled.post("/exchanges", json=exchange_body(aled_account, bea_account, idempotency_key="phone-42"))
    assert first.status_code == 201
    before = books()

    response = as_aled.post(
        "/exchanges", json=exchange_body(aled_account, bea_account, idempotency_key="phone-42", minutes=90)
    )

    body = assert_problem(response, 422, "idempotency_key")
    assert body["code"] == "idempotency-key-reused"
    assert books() == before
    assert db_session.get(Exchange, first.get_json()["id"]).amount_minutes == 60


def test_keys_belong_to_the_person_who_sends_them(db_session, make_bank, make_member, api_as, exchange_body):
    """Two people may choose the same key: each gets their own exchange."""
    bank = make_bank()
    aled, aled_account = make_member(bank)
    bea, bea_account = make_member(bank)

    first = api_as(aled).post("/exchanges", json=exchange_body(aled_account, bea_account, idempotency_key="k1"))
    second = api_as(bea).post("/exchanges", json=exchange_body(bea_account, aled_account, idempotency_key="k1"))

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.get_json()["id"] != second.get_json()["id"]
