"""TB-09's fact: whether the other side of an exchange is someone the giver lives with or a close relative.
Asked on the exchange form and in the API, optional; kept on the exchange; part of the request's fingerprint
only when said, so a replay must say the same."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from timebank.banks.models import TimeBank
from timebank.exchanges import service
from timebank.exchanges.service import Proposal, Side
from timebank.ledger import errors as ledger_errors
from timebank.ledger.models import Account, Exchange, FamilyTie
from timebank.members.models import Person


@pytest.fixture
def parties(bank: TimeBank, make_member: Callable[..., tuple[Person, Account]]) -> tuple[Person, Account, Person,
                                                                                        Account]:
    ann, ann_account = make_member(bank, "Ann")
    bob, bob_account = make_member(bank, "Bob")
    return ann, ann_account, bob, bob_account


def _proposal(account: Account, counterpart: Account, today: Any, key: str, tie: FamilyTie | None) -> Proposal:
    return Proposal(account_id=account.id, side=Side.GIVER, counterpart_account_id=counterpart.id, minutes=60,
                    occurred_on=today, category="gardening", description="Weeded the garden", idempotency_key=key,
                    family_tie=tie)


def test_recorded_through_the_service(db_session: Session, parties: Any, today: Any) -> None:
    ann, ann_account, _bob, bob_account = parties
    exchange, created = service.propose(db_session, ann, _proposal(ann_account, bob_account, today, "k1",
                                                                   FamilyTie.CLOSE_RELATIVE))
    db_session.commit()
    db_session.expire_all()
    assert created
    assert db_session.get(Exchange, exchange.id).family_tie is FamilyTie.CLOSE_RELATIVE
    plain, _ = service.propose(db_session, ann, _proposal(ann_account, bob_account, today, "k2", None))
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(Exchange, plain.id).family_tie is None


def test_a_replay_must_say_the_same(db_session: Session, parties: Any, today: Any) -> None:
    ann, ann_account, _bob, bob_account = parties
    first, _ = service.propose(db_session, ann, _proposal(ann_account, bob_account, today, "same",
                                                          FamilyTie.HOUSEHOLD))
    again, created = service.propose(db_session, ann, _proposal(ann_account, bob_account, today, "same",
                                                                FamilyTie.HOUSEHOLD))
    assert (again.id, created) == (first.id, False)
    for other in (FamilyTie.CLOSE_RELATIVE, None):
        with pytest.raises(ledger_errors.IdempotencyKeyReused):
            service.propose(db_session, ann, _proposal(ann_account, bob_account, today, "same", other))


def test_not_said_keeps_the_fingerprint_of_before(db_session: Session, parties: Any, today: Any) -> None:
    """An exchange keyed without the question (every one before it was asked) replays as before."""
    ann, ann_account, _bob, bob_account = parties
    first, _ = service.propose(db_session, ann, _proposal(ann_account, bob_account, today, "old", None))
    again, created = service.propose(db_session, ann, _proposal(ann_account, bob_account, today, "old", None))
    assert (again.id, created) == (first.id, False)
    with pytest.raises(ledger_errors.IdempotencyKeyReused):
        service.propose(db_session, ann, _proposal(ann_account, bob_account, today, "old", FamilyTie.HOUSEHOLD))


@pytest.mark.parametrize(("answer", "stored"), [
    ("household", FamilyTie.HOUSEHOLD), ("close_relative", FamilyTie.CLOSE_RELATIVE), ("no", None), (None, None),
])
def test_the_form_asks_it(db_session: Session, parties: Any, as_person: Callable[[Person], FlaskClient],
                          exchange_form: Callable[..., dict[str, Any]], answer: str | None,
                          stored: FamilyTie | None) -> None:
    ann, ann_account, _bob, bob_account = parties
    client = as_person(ann)
    page = client.get(f"/exchanges/new?account={ann_account.id}")
    assert "someone you live with, or a close relative" in page.get_data(as_text=True)
    data = exchange_form(ann_account, bob_account)
    if answer is not None:
        data["family_tie"] = answer
    response = client.post("/exchanges/new", data=data)
    assert response.status_code == 302
    exchange_id = int(response.headers["Location"].rsplit("/", 1)[1])
    db_session.expire_all()
    assert db_session.get(Exchange, exchange_id).family_tie is stored
    shown = client.get(f"/exchanges/{exchange_id}").get_data(as_text=True)
    assert ("close relatives" in shown) is (stored is FamilyTie.CLOSE_RELATIVE)
    assert ("live together" in shown) is (stored is FamilyTie.HOUSEHOLD)


def test_the_form_refuses_an_unknown_answer(parties: Any, as_person: Callable[[Person], FlaskClient],
                                            exchange_form: Callable[..., dict[str, Any]],
                                            count_exchanges: Callable[[], int]) -> None:
    ann, ann_account, _bob, bob_account = parties
    before = count_exchanges()
    response = as_person(ann).post("/exchanges/new", data=exchange_form(ann_account, bob_account, family_tie="cousin"))
    assert response.status_code == 422
    assert "Choose no, someone you live with or a close relative" in response.get_data(as_text=True)
    assert count_exchanges() == before


def test_a_broker_is_asked_about_the_member(bank: TimeBank, broker: Person, parties: Any,
                                            as_person: Callable[[Person], FlaskClient]) -> None:
    _ann, ann_account, _bob, _bob_account = parties
    page = as_person(broker).get(f"/exchanges/new?account={ann_account.id}").get_data(as_text=True)
    assert "someone Ann lives with, or a close relative of theirs?" in page


def test_the_api_round_trip(parties: Any, api_as: Callable[[Person], Any], today: Any) -> None:
    ann, ann_account, bob, bob_account = parties
    body = {"account_id": ann_account.id, "side": "giver", "counterpart_account_id": bob_account.id, "minutes": 60,
            "occurred_on": today.isoformat(), "category": "gardening", "idempotency_key": uuid.uuid4().hex,
            "family_tie": "close_relative"}
    ann_api = api_as(ann)
    created = ann_api.post("/exchanges", json=body)
    assert created.status_code == 201
    assert created.json["family_tie"] == "close_relative"
    assert ann_api.post("/exchanges", json=body).status_code == 200
    replayed = ann_api.post("/exchanges", json={**body, "family_tie": None})
    assert (replayed.status_code, replayed.json["code"]) == (422, "idempotency-key-reused")
    assert api_as(bob).get(f"/exchanges/{created.json['id']}").json["family_tie"] == "close_relative"
    listed = ann_api.get("/exchanges").json["items"]
    assert [item["family_tie"] for item in listed if item["id"] == created.json["id"]] == ["close_relative"]
    plain = ann_api.post("/exchanges", json={**body, "idempotency_key": uuid.uuid4().hex, "family_tie": None})
    assert plain.status_code == 201
    assert plain.json["family_tie"] is None
    left_out = {k: v for k, v in body.items() if k != "family_tie"}
    assert ann_api.post("/exchanges", json={**left_out, "idempotency_key": uuid.uuid4().hex}).json["family_tie"] is None
    refused = ann_api.post("/exchanges", json={**body, "idempotency_key": uuid.uuid4().hex, "family_tie": "cousin"})
    assert refused.status_code == 422
