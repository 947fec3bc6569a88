"""A member's own data over the API: download everything held, and leave (pseudonymised, with the books
still whole: the harness runs ``ledger verify`` after every test)."""

from __future__ import annotations

import sqlalchemy as sa

from tests.api.support import assert_problem
from timebank.audit.models import AuditEvent
from timebank.ledger.models import Account, Exchange, ExchangeState
from timebank.members.models import Person
from timebank.privacy.service import export_data
from timebank.profiles.models import Profile


def test_a_member_downloads_everything_held_about_them(db_session, make_bank, make_applicant, api_as):
    applicant, application = make_applicant(make_bank())
    as_applicant = api_as(applicant)
    as_applicant.request("PUT", f"/people/{applicant.id}/profile", json={"abilities": ["gardening"],
                                                                           "about": "Roses"})

    response = as_applicant.get("/me/export")

    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == set(export_data(db_session, applicant))  # the schema leaves nothing out
    assert (data["person"]["id"], data["person"]["email"]) == (applicant.id, applicant.email)
    assert (data["profile"]["abilities"], data["profile"]["about"]) == (["gardening"], "Roses")
    assert [a["id"] for a in data["applications"]] == [application.id]
    assert [r["referee_name"] for r in data["applications"][0]["references"]] == ["Rhian Lloyd", "Tom Hale"]
    assert data["accounts"] == [] and data["withheld"]


def test_a_member_leaves_and_the_books_stay_whole(
    db_session, make_bank, make_member, api_as, exchange_body, client
):
    bank = make_bank()
    aled, aled_account = make_member(bank, "Aled Pryce", postcode="HB3 2QT")
    bea, bea_account = make_member(bank, "Bea Okafor")
    as_aled, as_bea = api_as(aled), api_as(bea)
    as_aled.request("PUT", f"/people/{aled.id}/profile", json={"abilities": ["gardening"]})
    given = as_aled.post("/exchanges", json=exchange_body(aled_account, bea_account)).get_json()
    assert as_bea.post(f"/exchanges/{given['id']}/confirm").status_code == 200
    pending = as_bea.post("/exchanges", json=exchange_body(bea_account, aled_account, minutes=30)).get_json()

    left = as_aled.post("/me/leave")

    assert left.status_code == 200, left.get_json()
    body = left.get_json()
    assert body["person_id"] == aled.id and body["pseudonym"].startswith("Former member ") and body["left_at"]
    assert_problem(as_aled.get("/me"), 401)  # the service revoked the token
    db_session.expire_all()
    person = db_session.get(Person, aled.id)
    assert (person.display_name, person.email, person.postcode, person.is_active) == (body["pseudonym"], None,
                                                                                        None, False)
    assert db_session.get(Profile, aled.id) is None
    assert db_session.get(Exchange, given["id"]).state is ExchangeState.CONFIRMED
    assert db_session.get(Exchange, pending["id"]).state is ExchangeState.DECLINED
    assert db_session.get(Account, aled_account.id).balance_minutes == 60
    assert as_bea.get(f"/exchanges/{given['id']}").get_json()["giver_name"] == body["pseudonym"]
    assert db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "member.left",
                                                         AuditEvent.subject_id == aled.id)) is not None


def test_a_broker_records_that_a_member_has_left(
    db_session, make_bank, make_member, make_broker, make_funder, api_as
):
    bank, other_bank = make_bank(), make_bank()
    aled, _ = make_member(bank)
    bea, _ = make_member(bank)
    as_broker, as_bea = api_as(make_broker(bank)), api_as(bea)
    as_funder, as_other_broker = api_as(make_funder(bank)), api_as(make_broker(other_bank))

    for client in (as_bea, as_funder, as_other_broker):
        assert_problem(client.post(f"/people/{aled.id}/leave"), 404)
    left = as_broker.post(f"/people/{aled.id}/leave")

    assert left.status_code == 200 and left.get_json()["person_id"] == aled.id
    assert_problem(as_broker.post(f"/people/{aled.id}/leave"), 409)
    assert_problem(as_broker.post(f"/people/{2**31 - 1}/leave"), 404)
    db_session.expire_all()
    assert db_session.get(Person, aled.id).pseudonymised_at is not None
    event = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "member.left"))
    assert event.details["by_broker"] is True


def test_anonymous_callers_get_401(anonymous):
    for method, path in (("GET", "/me/export"), ("POST", "/me/leave"), ("POST", "/people/1/leave")):
        assert_problem(anonymous.request(method, path), 401)
