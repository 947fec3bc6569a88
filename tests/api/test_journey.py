"""The whole journey over the API, as a client app would make it, on both databases."""

from __future__ import annotations

import sqlalchemy as sa

from tests.api.support import assert_problem
from timebank.ledger.models import Exchange, ExchangeState, Posting


def _account(me: dict, account_id: int) -> dict:
    return next(a for a in me["accounts"] if a["id"] == account_id)


def test_aled_records_an_hour_bea_confirms_and_balances_move(
    db_session, make_bank, make_member, api_as, exchange_body, today
):
    bank = make_bank()
    aled, aled_account = make_member(bank, "Aled Pryce")
    bea, bea_account = make_member(bank, "Bea Okafor")
    as_aled, as_bea = api_as(aled), api_as(bea)

    # Aled gave Bea an hour of gardening and records it.
    proposed = as_aled.post("/exchanges", json=exchange_body(aled_account, bea_account, minutes=90))
    assert proposed.status_code == 201, proposed.get_json()
    exchange = proposed.get_json()
    assert proposed.headers["Location"].endswith(f"/api/v1/exchanges/{exchange['id']}")
    assert exchange["state"] == "pending" and exchange["kind"] == "exchange"
    assert (exchange["receiver_account_id"], exchange["receiver_name"]) == (bea_account.id, "Bea Okafor")
    assert (exchange["giver_account_id"], exchange["giver_name"]) == (aled_account.id, "Aled Pryce")
    assert exchange["amount_minutes"] == 90 and exchange["category"] == "gardening"
    assert exchange["occurred_on"] == today.isoformat()
    assert exchange["recorded_by_id"] == aled.id and exchange["recorded_by_name"] == "Aled Pryce"
    assert exchange["allowed_actions"] == ["cancel"]

    # Bea sees it waiting for her, pending against her available balance.
    seen_by_bea = as_bea.get(f"/exchanges/{exchange['id']}").get_json()
    assert seen_by_bea["allowed_actions"] == ["confirm", "decline"]
    me = as_bea.get("/me").get_json()
    assert _account(me, bea_account.id)["available_minutes"] == -90
    assert _account(me, bea_account.id)["debits_pending_minutes"] == 90

    # Bea confirms.
    confirmed = as_bea.post(f"/exchanges/{exchange['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.get_json()
    body = confirmed.get_json()
    assert body["state"] == "confirmed" and body["allowed_actions"] == []
    assert [(e["from_state"], e["to_state"], e["actor_name"]) for e in body["history"]] == [
        (None, "pending", "Aled Pryce"),
        ("pending", "confirmed", "Bea Okafor"),
    ]
    assert [e["acting_for_account_id"] for e in body["history"]] == [aled_account.id, bea_account.id]

    # The books: two postings, and both people's balances in /me.
    stored = db_session.get(Exchange, exchange["id"])
    assert stored.state is ExchangeState.CONFIRMED
    postings = db_session.scalars(sa.select(Posting.amount_minutes).where(Posting.exchange_id == stored.id)).all()
    assert sorted(postings) == [-90, 90]
    aled_me = _account(as_aled.get("/me").get_json(), aled_account.id)
    bea_me = _account(as_bea.get("/me").get_json(), bea_account.id)
    assert (aled_me["balance_minutes"], aled_me["given_minutes"], aled_me["received_minutes"]) == (90, 90, 0)
    assert (bea_me["balance_minutes"], bea_me["given_minutes"], bea_me["received_minutes"]) == (-90, 0, 90)
    assert bea_me["available_minutes"] == -90 and bea_me["debits_pending_minutes"] == 0


def test_me_describes_the_person_their_roles_and_accounts(
    db_session, make_bank, make_member, make_broker, make_organisation, api_as
):
    bank = make_bank()
    broker = make_broker(bank, "Carys Broker")
    aled, aled_account = make_member(bank, "Aled Pryce")
    _charity, charity_account = make_organisation(bank, "Vale Food Bank", admins=(aled,))

    me = api_as(aled).get("/me").get_json()

    assert me["display_name"] == "Aled Pryce" and me["email"] == aled.email
    assert me["preferred_language"] == "en" and me["is_admin"] is False and me["roles"] == []
    assert [(a["id"], a["holder_kind"]) for a in me["accounts"]] == [
        (aled_account.id, "resident"), (charity_account.id, "third_sector"),
    ]
    assert all(a["time_bank_id"] == bank.id for a in me["accounts"])
    broker_me = api_as(broker).get("/me").get_json()
    assert broker_me["roles"] == [{"time_bank_id": bank.id, "role": "broker"}]
    assert broker_me["accounts"] == []


def test_an_organisation_admin_records_for_the_organisation(
    db_session, make_bank, make_member, make_organisation, api_as, exchange_body
):
    bank = make_bank()
    aled, _aled_account = make_member(bank, "Aled Pryce")
    _bea, bea_account = make_member(bank, "Bea Okafor")
    _charity, charity_account = make_organisation(bank, "Vale Food Bank", admins=(aled,))

    response = api_as(aled).post("/exchanges", json=exchange_body(charity_account, bea_account, side="receiver"))

    assert response.status_code == 201, response.get_json()
    exchange = db_session.get(Exchange, response.get_json()["id"])
    assert (exchange.receiver_account_id, exchange.giver_account_id) == (charity_account.id, bea_account.id)
    assert exchange.proposer_account_id == charity_account.id and exchange.recorded_by_id == aled.id


def test_an_account_shows_its_balances_to_whoever_may_act_for_it(
    db_session, make_bank, make_member, make_broker, api_as
):
    bank = make_bank()
    broker = make_broker(bank)
    aled, aled_account = make_member(bank)
    bea, _bea_account = make_member(bank)

    own = api_as(aled).get(f"/accounts/{aled_account.id}")
    assert own.status_code == 200
    assert own.get_json() == {
        "id": aled_account.id, "time_bank_id": bank.id, "holder_id": aled.id, "holder_kind": "resident",
        "balance_minutes": 0, "available_minutes": 0, "given_minutes": 0, "received_minutes": 0,
        "debits_pending_minutes": 0, "credits_pending_minutes": 0,
    }
    assert api_as(broker).get(f"/accounts/{aled_account.id}").status_code == 200
    assert_problem(api_as(bea).get(f"/accounts/{aled_account.id}"), 404)
    assert_problem(api_as(bea).get("/accounts/99999999"), 404)
    assert_problem(api_as(bea).get(f"/accounts/{10**20}"), 404)


def test_categories_are_a_tree_of_codes(db_session, make_bank, make_member, api_as):
    bank = make_bank()
    aled, _account = make_member(bank)

    response = api_as(aled).get("/categories")

    assert response.status_code == 200
    by_code = {c["code"]: c for c in response.get_json()}
    assert by_code["home-garden"] == {"code": "home-garden", "label": "Home and garden", "parent_code": None}
    assert by_code["gardening"]["parent_code"] == "home-garden"
    assert all(c["parent_code"] is None or c["parent_code"] in by_code for c in by_code.values())


def test_the_exchange_list_filters_and_pages(db_session, make_bank, make_member, api_as, exchange_body):
    bank = make_bank()
    aled, aled_account = make_member(bank, "Aled Pryce")
    bea, bea_account = make_member(bank, "Bea Okafor")
    _cai, cai_account = make_member(bank, "Cai Jones")
    as_aled, as_bea = api_as(aled), api_as(bea)
    ids = [as_aled.post("/exchanges", json=exchange_body(aled_account, bea_account, minutes=m)).get_json()["id"]
           for m in (10, 20, 30)]
    with_cai = as_aled.post("/exchanges", json=exchange_body(aled_account, cai_account)).get_json()["id"]
    as_bea.post(f"/exchanges/{ids[0]}/confirm")

    everything = as_aled.get("/exchanges").get_json()
    assert [e["id"] for e in everything["items"]] == [with_cai, *reversed(ids)]
    assert (everything["per_page"], everything["older"], everything["newer"]) == (25, None, None)
    assert everything["items"][0]["receiver_name"] == "Cai Jones" and everything["items"][0]["category"] == "gardening"

    first_page = as_aled.get("/exchanges?per_page=3").get_json()
    assert [e["id"] for e in first_page["items"]] == [with_cai, ids[2], ids[1]]
    assert (first_page["older"], first_page["newer"]) == (ids[1], None)
    second_page = as_aled.get(f"/exchanges?per_page=3&before={ids[1]}").get_json()
    assert [e["id"] for e in second_page["items"]] == [ids[0]]
    assert (second_page["older"], second_page["newer"]) == (None, ids[0])
    back = as_aled.get(f"/exchanges?per_page=3&after={ids[0]}").get_json()
    assert back == first_page
    confirmed = as_aled.get("/exchanges?state=confirmed").get_json()
    assert [e["id"] for e in confirmed["items"]] == [ids[0]]
    # Bea sees only the exchanges she is in, whatever she asks for.
    assert [e["id"] for e in as_bea.get("/exchanges").get_json()["items"]] == list(reversed(ids))
    assert as_bea.get(f"/exchanges?account_id={cai_account.id}").get_json()["items"] == []
    assert [e["id"] for e in as_aled.get(f"/exchanges?time_bank_id={bank.id}&account_id={cai_account.id}")
            .get_json()["items"]] == [with_cai]


def test_bad_list_queries_are_problems(db_session, make_bank, make_member, api_as):
    bank = make_bank()
    aled, _account = make_member(bank)
    as_aled = api_as(aled)
    assert_problem(as_aled.get("/exchanges?state=lost"), 422, "state")
    assert_problem(as_aled.get("/exchanges?before=0"), 422, "before")
    assert_problem(as_aled.get("/exchanges?after=abc"), 422, "after")
    assert_problem(as_aled.get("/exchanges?before=5&after=3"), 422, "after")
    assert_problem(as_aled.get("/exchanges?per_page=1000"), 422, "per_page")
    assert_problem(as_aled.get(f"/exchanges?account_id={10**30}"), 422, "account_id")
