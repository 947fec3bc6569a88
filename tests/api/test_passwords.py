"""Passwords over the API: change your own (the token you use keeps working; every other token and
session ends), and a broker makes a link for a member to choose one in a browser."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from tests.api.support import ApiClient, assert_problem
from tests.conftest import PASSWORD
from timebank.audit.models import AuditEvent
from timebank.auth import tokens
from timebank.auth.passwords import verify_password
from timebank.members.models import ContactMethod, Person
from timebank.types import utcnow

NEW = "bara brith on a tuesday"


def test_changing_a_password_keeps_this_token_and_ends_the_rest(app, api_as, client, db_session, browser,
                                                                make_person):
    person = make_person("Aled Pryce")
    phone = browser(person)
    other_token, _ = tokens.issue_token(db_session, person, dt.timedelta(days=1))
    me = api_as(person)

    response = me.post("/me/password", json={"current_password": PASSWORD, "new_password": NEW})

    assert response.status_code == 204, response.get_data(as_text=True)
    assert me.get("/me").status_code == 200
    assert_problem(ApiClient(client, other_token).get("/me"), 401)
    assert phone.get("/").status_code == 302
    assert verify_password(db_session.get(Person, person.id).password_hash, NEW)
    assert db_session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "auth.password_changed",
                                                            AuditEvent.subject_id == person.id))


def test_a_wrong_current_password_or_a_weak_new_one_is_named_and_changes_nothing(api_as, db_session, make_person):
    person = make_person("Aled Pryce", email="aled@example.org")
    me = api_as(person)
    before = person.password_hash

    wrong = assert_problem(me.post("/me/password", json={"current_password": "not it", "new_password": NEW}), 422,
                           "current_password")
    weak = assert_problem(me.post("/me/password", json={"current_password": PASSWORD,
                                                        "new_password": "ALED@example.org"}), 422, "new_password")
    missing = assert_problem(me.post("/me/password", json={"current_password": PASSWORD}), 422, "new_password")

    assert wrong["code"] == "wrong-password" and weak["code"] == "unsuitable-password" and missing
    db_session.refresh(person)
    assert person.password_hash == before


def test_a_broker_makes_a_link_that_works_once_in_a_browser(api_as, browser, db_session, make_member, broker, bank):
    person, _ = make_member(bank, "Aled Pryce", contact_by=ContactMethod.BROKER)  # email reaches him through us

    response = api_as(broker).post(f"/people/{person.id}/password-links")

    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["purpose"] == "reset"
    assert dt.timedelta(hours=23) < dt.datetime.fromisoformat(body["expires_at"]) - utcnow() <= dt.timedelta(hours=24)
    path = re.fullmatch(r"http://localhost(/password/[0-9A-Z-]{24})", body["url"])[1]
    assert body["sent_to"] is None
    anyone = browser(None)
    assert anyone.post(path, data={"new_password": NEW, "confirm_password": NEW}).status_code == 302
    assert anyone.get(path).status_code == 404


def test_a_link_for_someone_email_reaches_is_emailed_and_not_shown(api_as, db_session, make_member, broker, bank):
    person, _ = make_member(bank, "Aled Pryce")
    body = api_as(broker).post(f"/people/{person.id}/password-links").get_json()
    assert body == {"url": None, "sent_to": person.email, "purpose": "reset", "expires_at": None}


def test_only_the_members_brokers_make_links(api_as, make_member, make_person, bank):
    person, _ = make_member(bank, "Aled Pryce")
    neighbour, _ = make_member(bank, "Gareth")
    assert_problem(api_as(neighbour).post(f"/people/{person.id}/password-links"), 404)
    assert_problem(api_as(neighbour).post(f"/people/{2**31 - 1}/password-links"), 404)


def test_the_routes_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    change = spec["paths"]["/api/v1/me/password"]["post"]
    assert "204" in change["responses"] and "422" in change["responses"]
    schemas = spec["components"]["schemas"]
    assert {name: field["maxLength"] for name, field in schemas["PasswordChangeIn"]["properties"].items()} == {
        "current_password": 1000, "new_password": 1000}
    made = spec["paths"]["/api/v1/people/{person_id}/password-links"]["post"]
    assert "201" in made["responses"] and "404" in made["responses"]
