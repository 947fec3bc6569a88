"""The money API: each record type created, replayed, refused (422 problem+json naming the field, with
nothing changed), listed with totals and read; and who may do which."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from tests.api.support import assert_problem
from tests.money.conftest import balances
from timebank.money import service
from timebank.money.models import Expense, Payment, Redemption


def expense_body(org, member, today, **changes: Any) -> dict[str, Any]:
    return {"organisation_id": org.organisation.id, "time_bank_id": member.account.time_bank_id,
            "person_id": member.person.id, "paid_on": today.isoformat(), "kind": "mileage",
            "amount_paid_pence": 1800, "amount_receipted_pence": 1500, "receipts_count": 1,
            "miles_tenths": 400, "rate_per_mile_pence": 45, "idempotency_key": uuid.uuid4().hex, **changes}


def redemption_body(org, member, today, **changes: Any) -> dict[str, Any]:
    return {"partner_id": org.organisation.id, "time_bank_id": member.account.time_bank_id,
            "person_id": member.person.id, "item": "A swim", "credit_minutes": 60,
            "occurred_on": today.isoformat(), "idempotency_key": uuid.uuid4().hex, **changes}


def count(db_session, model, person) -> int:
    return db_session.scalar(sa.select(sa.func.count(model.id)).where(model.person_id == person.id)) or 0


def test_an_expense_is_recorded_replayed_and_read(db_session, api_as, council, member, today):
    api = api_as(council.admin)
    body = expense_body(council, member, today)
    created = api.post("/expenses", json=body)
    assert created.status_code == 201, created.get_json()
    shown = created.get_json()
    assert (shown["amount_paid_pence"], shown["amount_receipted_pence"], shown["miles_tenths"], shown["person_name"],
            shown["organisation_name"]) == (1800, 1500, 400, "Mair Member", "Hollinbridge Council")
    assert shown["warnings"] == [str(service.PAID_MORE_THAN_RECEIPTED)]
    assert created.headers["Location"].endswith(f"/api/v1/expenses/{shown['id']}")
    again = api.post("/expenses", json=body)
    assert (again.status_code, again.get_json()["id"]) == (200, shown["id"])
    assert api.get(f"/expenses/{shown['id']}").get_json() == shown
    assert count(db_session, Expense, member.person) == 1


def test_an_expense_key_sent_again_with_other_facts_is_a_problem(db_session, api_as, council, member, today):
    api = api_as(council.admin)
    body = expense_body(council, member, today)
    first = api.post("/expenses", json=body).get_json()
    for changes in ({"amount_paid_pence": 2000}, {"receipts_count": 2}):
        assert_problem(api.post("/expenses", json={**body, **changes}), 422, "idempotency_key")
    [expense] = db_session.scalars(sa.select(Expense).where(Expense.person_id == member.person.id))
    assert (expense.id, expense.amount_paid_pence, expense.receipts_count) == (first["id"], 1800, 1)


@pytest.mark.parametrize(("changes", "field"), [
    ({"miles_tenths": None}, "miles_tenths"),
    ({"kind": "meals"}, "miles_tenths"),
    ({"rate_per_mile_pence": None}, "rate_per_mile_pence"),
    ({"amount_paid_pence": -1}, "amount_paid_pence"),
    ({"amount_paid_pence": "12.50"}, "amount_paid_pence"),
    ({"amount_receipted_pence": 10_000_001}, "amount_receipted_pence"),
    ({"paid_on": "2026-02-31"}, "paid_on"),
    ({"kind": "bribe"}, "kind"),
    ({"flat_rate": "yes"}, "flat_rate"),
    ({"activity_id": 2**31 - 1}, "activity_id"),
    ({"time_bank_id": 2**31 - 1}, "time_bank_id"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_expense_is_a_problem_naming_the_field(db_session, api_as, council, member, today, changes, field):
    response = api_as(council.admin).post("/expenses", json=expense_body(council, member, today, **changes))
    assert_problem(response, 422, field)
    assert count(db_session, Expense, member.person) == 0


def test_a_payment_is_recorded(db_session, api_as, council, member, today):
    response = api_as(council.admin).post("/payments", json={
        "organisation_id": council.organisation.id, "time_bank_id": member.account.time_bank_id,
        "person_id": member.person.id, "paid_on": today.isoformat(), "kind": "stipend", "amount_pence": 5000,
        "idempotency_key": "stipend-1"})
    assert response.status_code == 201
    assert (response.get_json()["kind"], response.get_json()["amount_pence"]) == ("stipend", 5000)
    assert count(db_session, Payment, member.person) == 1


def test_a_payment_is_replayed_by_its_key_and_other_facts_are_refused(db_session, api_as, council, member, today):
    api = api_as(council.admin)
    body = {"organisation_id": council.organisation.id, "time_bank_id": member.account.time_bank_id,
            "person_id": member.person.id, "paid_on": today.isoformat(), "kind": "gift", "amount_pence": 1500,
            "idempotency_key": uuid.uuid4().hex}
    first = api.post("/payments", json=body)
    again = api.post("/payments", json=body)
    assert (first.status_code, again.status_code, again.get_json()["id"]) == (201, 200, first.get_json()["id"])
    assert_problem(api.post("/payments", json={**body, "amount_pence": 1600}), 422, "idempotency_key")
    [payment] = db_session.scalars(sa.select(Payment).where(Payment.person_id == member.person.id))
    assert (payment.amount_pence, payment.idempotency_key) == (1500, body["idempotency_key"])


def test_a_redemption_moves_the_credits(db_session, api_as, partner, member, spend_offer, today):
    response = api_as(partner.admin).post("/redemptions", json=redemption_body(
        partner, member, today, listing_id=spend_offer.id, redeemed_for="goods", face_value_pence=350))
    assert response.status_code == 201, response.get_json()
    shown = response.get_json()
    assert (shown["credit_minutes"], shown["face_value_pence"], shown["partner_name"]) == (
        60, 350, "Hollinbridge Leisure Trust")
    assert db_session.get_one(Redemption, shown["id"]).exchange_id == shown["exchange_id"]
    assert balances(db_session, member.account, partner.account) == [-60, 60]


@pytest.mark.parametrize(("changes", "field"), [
    ({"redeemed_for": "cash"}, "face_value_pence"),
    ({"credit_minutes": 11 * 60}, "credit_minutes"),
    ({"credit_minutes": 0}, "credit_minutes"),
    ({"item": " "}, "item"),
    ({"listing_id": 2**31 - 1}, "listing_id"),
])
def test_a_bad_redemption_changes_nothing(db_session, api_as, books, partner, member, today, changes, field):
    api = api_as(partner.admin)
    before = books()
    assert_problem(api.post("/redemptions", json=redemption_body(partner, member, today, **changes)), 422, field)
    assert books() == before
    assert count(db_session, Redemption, member.person) == 0


def test_lists_filter_and_add_up(db_session, api_as, broker, council, member, other_member, expense_input):
    service.record_expense(db_session, council.admin, expense_input())
    service.record_expense(db_session, council.admin, expense_input(person_id=other_member.person.id,
                                                                    amount_paid_pence=700))
    api = api_as(broker)
    everything = api.get("/expenses").get_json()
    assert (everything["total"], everything["totals"]["amount_paid_pence"]) == (2, 2500)
    mine = api.get(f"/expenses?person_id={member.person.id}&kind=mileage").get_json()
    assert [item["person_id"] for item in mine["items"]] == [member.person.id]
    assert_problem(api.get("/expenses?date_from=2026-03-10&date_to=2026-03-01"), 422, "date_to")
    assert api.get("/redemptions").get_json() == {"items": [], "page": 1, "per_page": 20, "total": 0,
                                                  "total_is_lower_bound": False,
                                                  "totals": {"credit_minutes": 0, "face_value_pence": 0}}


# --- access ------------------------------------------------------------------------------------------


def test_anonymous_callers_must_sign_in(anonymous, bank):
    assert_problem(anonymous.get("/expenses"), 401)
    assert_problem(anonymous.post("/redemptions", json={}), 401)


def test_members_read_their_own_and_never_record(db_session, api_as, council, member, other_member, expense_input,
                                                 today):
    mine, _ = service.record_expense(db_session, council.admin, expense_input())
    theirs, _ = service.record_expense(db_session, council.admin, expense_input(person_id=other_member.person.id))
    api = api_as(member.person)
    assert [item["id"] for item in api.get("/expenses").get_json()["items"]] == [mine.id]
    assert api.get(f"/expenses/{mine.id}").status_code == 200
    assert_problem(api.get(f"/expenses/{theirs.id}"), 404)
    assert_problem(api.post("/expenses", json=expense_body(council, member, today)), 403)


def test_funders_are_forbidden(api_as, bank, make_funder):
    api = api_as(make_funder(bank, "Ffion Funder"))
    for path in ("/expenses", "/payments", "/redemptions"):
        assert_problem(api.get(path), 403)


def test_other_organisations_and_banks_are_not_found(db_session, api_as, partner, council, member, other_bank,
                                                     make_broker, expense_input, today):
    expense, _ = service.record_expense(db_session, council.admin, expense_input())
    elsewhere = api_as(make_broker(other_bank, "Bryn Elsewhere"))
    assert_problem(elsewhere.get(f"/expenses/{expense.id}"), 404)
    assert_problem(elsewhere.post("/expenses", json=expense_body(council, member, today)), 404)
    other_org = api_as(partner.admin)
    assert_problem(other_org.get(f"/expenses/{expense.id}"), 404)
    assert_problem(other_org.post("/expenses", json=expense_body(council, member, today)), 404, "organisation_id")


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/expenses", "/api/v1/payments", "/api/v1/redemptions"):
        assert {"get", "post"} <= set(paths[path])
    assert "get" in paths["/api/v1/redemptions/{redemption_id}"]
