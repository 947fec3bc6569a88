"""Bad input is a clear 4xx problem naming the field, never a 500, and it changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.support import assert_problem


@pytest.fixture
def scene(db_session, make_bank, make_member, api_as):
    """Aled and Bea in one bank, Eve in another; Aled holds a token. Returns (client, accounts)."""
    bank, other_bank = make_bank(), make_bank()
    aled, aled_account = make_member(bank, "Aled Pryce")
    _bea, bea_account = make_member(bank, "Bea Okafor")
    _eve, eve_account = make_member(other_bank, "Eve Evans")
    return api_as(aled), {"aled": aled_account, "bea": bea_account, "eve": eve_account}


TOMORROW = (dt.date.today() + dt.timedelta(days=2)).isoformat()


@pytest.mark.parametrize("overrides,status,field", [
    ({"minutes": 0}, 422, "minutes"),
    ({"minutes": -60}, 422, "minutes"),
    ({"minutes": 1.5}, 422, "minutes"),
    ({"minutes": 60.0}, 422, "minutes"),
    ({"minutes": 10**12}, 422, "minutes"),
    ({"minutes": 10**40}, 422, "minutes"),
    ({"minutes": 24 * 60 + 1}, 422, "minutes"),
    ({"minutes": "60"}, 422, "minutes"),
    ({"minutes": True}, 422, "minutes"),
    ({"minutes": None}, 422, "minutes"),
    ({"minutes": [60]}, 422, "minutes"),
    ({"account_id": 10**12}, 422, "account_id"),
    ({"account_id": "1"}, 422, "account_id"),
    ({"counterpart_account_id": 0}, 422, "counterpart_account_id"),
    ({"counterpart_account_id": 2**31 - 1}, 404, "counterpart_account_id"),
    ({"side": "helper"}, 422, "side"),
    ({"occurred_on": TOMORROW}, 422, "occurred_on"),
    ({"occurred_on": "31/01/2024"}, 422, "occurred_on"),
    ({"occurred_on": "2024-02-30"}, 422, "occurred_on"),
    ({"category": "juggling"}, 422, "category"),
    ({"category": 7}, 422, "category"),
    ({"description": "x" * 1001}, 422, "description"),
    ({"description": {"text": "hi"}}, 422, "description"),
    ({"idempotency_key": ""}, 422, "idempotency_key"),
    ({"idempotency_key": "k" * 101}, 422, "idempotency_key"),
    ({"amount_minutes": 60}, 422, "amount_minutes"),
])
def test_a_bad_field_is_named_and_nothing_changes(scene, exchange_body, books, overrides, status, field):
    client, accounts = scene
    before = books()

    response = client.post("/exchanges", json=exchange_body(accounts["aled"], accounts["bea"], **overrides))

    body = assert_problem(response, status, field)
    assert body["detail"]
    assert books() == before


@pytest.mark.parametrize("missing", ["account_id", "side", "counterpart_account_id", "minutes", "occurred_on",
                                     "category", "idempotency_key"])
def test_a_missing_field_is_named(scene, exchange_body, books, missing):
    client, accounts = scene
    body = exchange_body(accounts["aled"], accounts["bea"])
    del body[missing]
    before = books()

    problem = assert_problem(client.post("/exchanges", json=body), 422, missing)

    assert list(problem["errors"]) == [missing]
    assert books() == before


@pytest.mark.parametrize("who,status,field", [
    ("same", 422, "counterpart_account_id"),
    ("other_bank", 422, "counterpart_account_id"),
    ("not_mine", 404, "account_id"),
])
def test_accounts_that_cannot_take_part(scene, exchange_body, books, who, status, field):
    client, accounts = scene
    account, counterpart = {
        "same": (accounts["aled"], accounts["aled"]),
        "other_bank": (accounts["aled"], accounts["eve"]),
        "not_mine": (accounts["bea"], accounts["aled"]),
    }[who]
    before = books()

    assert_problem(client.post("/exchanges", json=exchange_body(account, counterpart)), status, field)

    assert books() == before


def test_exceeding_the_floor_names_minutes(scene, exchange_body, books):
    client, accounts = scene
    # Aled received 10 hours already (pending); one more minute would take him below -10 hours.
    first = client.post("/exchanges", json=exchange_body(accounts["aled"], accounts["bea"], side="receiver",
                                                         minutes=600))
    assert first.status_code == 201
    before = books()

    body = assert_problem(client.post("/exchanges", json=exchange_body(
        accounts["aled"], accounts["bea"], side="receiver", minutes=1)), 422, "minutes")

    assert body["code"] == "exceeds-balance-floor"
    assert books() == before


@pytest.mark.parametrize("data,content_type,status", [
    ('{"minutes": 60,', "application/json", 400),
    ("not json at all", "application/json", 400),
    ('{"minutes": ' + "9" * 5000 + "}", "application/json", 400),
    ("[" * 100_000 + "]" * 100_000, "application/json", 400),
    (b"\xff\xfe\x00", "application/json", 400),
    ("[1, 2, 3]", "application/json", 422),
    ('"a string"', "application/json", 422),
    ("null", "application/json", 422),
    ("minutes=60&side=giver", "application/x-www-form-urlencoded", 415),
    ("minutes: 60", "text/plain", 415),
    ("", "application/json", 400),  # no body at all: the document says one is required
])
def test_unreadable_bodies_are_problems(scene, books, data, content_type, status):
    client, _accounts = scene
    before = books()

    body = assert_problem(client.post("/exchanges", data=data, content_type=content_type), status)

    assert body.get("detail") or body.get("errors")
    assert books() == before


def test_no_body_where_one_is_required_is_refused_even_if_every_field_is_optional(db_session, make_bank,
                                                                                    make_member, api_as):
    """Found by the fuzz pass: a profile PUT with no body at all was read as {} and answered 200, and the
    profile (a PUT replaces it whole) was wiped."""
    aled, _ = make_member(make_bank(), "Aled Pryce")
    client = api_as(aled)
    assert client.request("PUT", f"/people/{aled.id}/profile", json={"about": "I fix bikes"}).status_code == 200

    refused = client.request("PUT", f"/people/{aled.id}/profile")

    assert assert_problem(refused, 400)["detail"] == "Send the details as a JSON body."
    assert client.get(f"/people/{aled.id}").get_json()["about"] == "I fix bikes"


def test_a_query_parameter_the_route_does_not_take_is_named_not_ignored(db_session, make_bank, make_member, api_as):
    """A misspelt ``per_pag`` used to be dropped silently, and the default page size answered instead."""
    aled, _ = make_member(make_bank(), "Aled Pryce")

    response = api_as(aled).get("/people", query_string={"per_pag": "5"})

    assert assert_problem(response, 422, "per_pag")["errors"]["per_pag"] == ["This field is not accepted here."]
