"""Bearer tokens: how a client signs in to the API, and everything that is not a valid token."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.api.support import ApiClient, assert_problem
from tests.conftest import PASSWORD
from timebank.audit.models import AuditEvent
from timebank.auth import tokens
from timebank.auth.models import ApiToken, TokenScope
from timebank.digests import digest
from timebank.types import utcnow


def test_a_good_email_and_password_get_a_token_that_works(anonymous, client, db_session, make_person):
    person = make_person("Aled Pryce", email="Aled@Example.org")

    response = anonymous.post("/tokens", json={"email": "aled@example.org", "password": PASSWORD})

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    expires_at = dt.datetime.fromisoformat(body["expires_at"])
    assert expires_at.tzinfo is not None
    assert dt.timedelta(days=29) < expires_at - utcnow() <= dt.timedelta(days=30)
    stored = db_session.scalars(sa.select(ApiToken).where(ApiToken.person_id == person.id)).all()
    assert len(stored) == 1 and stored[0].token_hash != body["token"]  # only the hash is kept
    me = ApiClient(client, body["token"]).get("/me")
    assert me.status_code == 200 and me.get_json()["id"] == person.id


@pytest.mark.parametrize("email,password", [
    ("aled@example.org", "wrong password"),
    ("nobody@example.org", PASSWORD),
])
def test_wrong_credentials_get_a_401_problem_and_no_token(anonymous, db_session, make_person, email, password):
    make_person("Aled Pryce", email="aled@example.org")

    response = anonymous.post("/tokens", json={"email": email, "password": password})

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
    # The failed attempt is still audited (committed before the refusal).
    assert db_session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "auth.sign_in_failed"))


def test_a_token_request_must_name_email_and_password(anonymous, db_session):
    body = assert_problem(anonymous.post("/tokens", json={"email": "aled@example.org"}), 422, "password")
    assert "email" not in body["errors"]
    assert_problem(anonymous.post("/tokens", json={"email": 5, "password": PASSWORD}), 422, "email")


def _me(client, authorization: str | None = None):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return client.get("/api/v1/me", headers=headers)


@pytest.mark.parametrize("authorization", [
    None,
    "",
    "Bearer",
    "Bearer not-a-token",
    "Bearer " + "x" * 5000,
    "Basic YWxlZEBleGFtcGxlLm9yZzpwYXNzd29yZA==",
    "Token abc",
])
def test_requests_without_a_valid_token_get_401(client, db_session, authorization):
    response = _me(client, authorization)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(client, db_session, make_person):
    person = make_person()
    raw, _token = tokens.issue_token(db_session, person, dt.timedelta(seconds=-1))
    db_session.commit()
    assert_problem(_me(client, f"Bearer {raw}"), 401)


def test_a_revoked_token_is_refused(client, db_session, make_person):
    person = make_person()
    raw, token = tokens.issue_token(db_session, person, dt.timedelta(hours=1))
    token.revoked_at = utcnow()
    db_session.commit()
    assert_problem(_me(client, f"Bearer {raw}"), 401)


def test_a_deactivated_persons_token_is_refused(client, db_session, make_person):
    person = make_person()
    raw, _token = tokens.issue_token(db_session, person, dt.timedelta(hours=1))
    person.is_active = False
    db_session.commit()
    assert_problem(_me(client, f"Bearer {raw}"), 401)


def test_the_session_cookie_alone_is_not_accepted(client, db_session, make_person, sign_in):
    person = make_person()
    sign_in(person)
    with client.session_transaction() as session:
        assert session["_user_id"] == person.get_id()  # signed in for the pages…
    assert_problem(_me(client), 401)  # …but not for the API


def test_api_writes_need_no_csrf_token(app, client, db_session, monkeypatch, make_person):
    """The API is exempt from CSRF because it never reads the cookie; pages still are protected."""
    person = make_person(email="aled@example.org")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    response = client.post("/api/v1/tokens", json={"email": "aled@example.org", "password": PASSWORD})

    assert response.status_code == 201, response.get_json()
    assert client.post("/sign-in", data={"email": person.email, "password": PASSWORD}).status_code == 400


# --- names, scopes, lifetimes, the list and revoking (issue 9, item 7) ------------------------------


def test_a_token_is_made_with_the_name_scope_and_lifetime_asked_for(anonymous, client, db_session, make_person):
    person = make_person(email="aled@example.org")

    response = anonymous.post("/tokens", json={"email": "aled@example.org", "password": PASSWORD,
                                               "name": "  Allotment spreadsheet ", "scope": "read",
                                               "expires_in_days": 7})

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["name"], body["scope"], body["works"], body["revoked_at"]) == ("Allotment spreadsheet", "read",
                                                                               True, None)
    assert dt.timedelta(days=6, hours=23) < dt.datetime.fromisoformat(body["expires_at"]) - utcnow() <= dt.timedelta(
        days=7)
    stored = db_session.get(ApiToken, body["id"])
    assert (stored.person_id, stored.name, stored.scope) == (person.id, "Allotment spreadsheet", "read")
    assert stored.token_hash == digest(body["token"]) != body["token"]


def test_a_token_asked_for_with_email_and_password_only_may_write_as_before(anonymous, db_session, make_person):
    make_person(email="aled@example.org")
    body = anonymous.post("/tokens", json={"email": "aled@example.org", "password": PASSWORD}).get_json()
    assert (body["name"], body["scope"]) == ("API token", "write")


@pytest.mark.parametrize("field,value", [
    ("name", "   "),
    ("name", "x" * 101),
    ("name", 5),
    ("scope", "admin"),
    ("scope", None),
    ("expires_in_days", 0),
    ("expires_in_days", 366),
    ("expires_in_days", 10**30),
    ("expires_in_days", "30"),
    ("expires_in_days", 1.5),
])
def test_a_token_asked_for_with_a_bad_choice_is_refused_next_to_the_field(anonymous, db_session, make_person,
                                                                           field, value):
    make_person(email="aled@example.org")
    response = anonymous.post("/tokens", json={"email": "aled@example.org", "password": PASSWORD, field: value})
    assert_problem(response, 422, field)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def _issue(db_session, person, **kwargs) -> tuple[str, ApiToken]:
    return tokens.issue_token(db_session, person, kwargs.pop("lifetime", dt.timedelta(days=1)), **kwargs)


def test_a_read_token_may_read_but_nothing_else_and_is_refused_before_the_body_is_read(client, db_session,
                                                                                        make_person):
    person = make_person()
    raw, token = _issue(db_session, person, scope=TokenScope.READ)
    db_session.commit()
    api = ApiClient(client, raw)

    assert api.get("/me").status_code == 200
    assert api.get("/tokens").status_code == 200
    for method, path, body in [("POST", "/me/notices/read-all", None), ("POST", "/exchanges", {"junk": True}),
                               ("POST", "/exchanges", "not even JSON"), ("DELETE", f"/tokens/{token.id}", None),
                               ("POST", "/me/leave", None)]:
        response = api.request(method, path, json=body)
        problem = assert_problem(response, 403)
        assert problem["code"] == "insufficient-scope", (method, path)
        assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    db_session.expire_all()
    assert token.revoked_at is None and person.is_active, "nothing was changed"


def test_a_write_token_may_write(client, db_session, make_person):
    person = make_person()
    raw, _token = _issue(db_session, person, scope=TokenScope.WRITE)
    db_session.commit()
    assert ApiClient(client, raw).post("/me/notices/read-all").status_code == 200


def test_the_list_shows_only_your_tokens_and_never_a_secret_or_hash(api_as, client, db_session, make_person):
    person, other = make_person("Aled"), make_person("Bea")
    made = [_issue(db_session, person, name="Old laptop", lifetime=dt.timedelta(days=-1)),
            _issue(db_session, person, name="Revoked", scope=TokenScope.READ),
            _issue(db_session, person, name="Spreadsheet", scope=TokenScope.READ, lifetime=dt.timedelta(days=90))]
    made[1][1].revoked_at = utcnow()
    _issue(db_session, other, name="Bea's")
    api = api_as(person)  # its own token, made last, is first in the list

    response = api.get("/tokens", query_string={"per_page": 3})

    assert response.status_code == 200
    body = response.get_json()
    assert (body["total"], body["page"], body["per_page"]) == (4, 1, 3)
    assert [item["name"] for item in body["items"]] == ["API token", "Spreadsheet", "Revoked"]
    assert [item["works"] for item in body["items"]] == [True, True, False]
    assert all(set(item) == {"id", "name", "scope", "created_at", "expires_at", "revoked_at", "works"}
               for item in body["items"])
    text = response.get_data(as_text=True)
    stored = db_session.scalars(sa.select(ApiToken)).all()
    assert not any(raw in text for raw, _ in made) and not any(token.token_hash in text for token in stored)
    second = api.get("/tokens", query_string={"per_page": 3, "page": 2}).get_json()
    assert [item["name"] for item in second["items"]] == ["Old laptop"] and not second["items"][0]["works"]


def test_revoking_a_token_stops_it_for_good_and_keeps_the_record(api_as, client, db_session, make_person):
    person = make_person()
    raw, token = _issue(db_session, person, name="Laptop")
    api = api_as(person)
    assert ApiClient(client, raw).get("/me").status_code == 200

    response = api.request("DELETE", f"/tokens/{token.id}")

    assert response.status_code == 204 and response.get_data() == b""
    assert_problem(ApiClient(client, raw).get("/me"), 401)
    db_session.expire_all()
    assert db_session.get(ApiToken, token.id).revoked_at is not None  # revoked, never deleted
    assert api.request("DELETE", f"/tokens/{token.id}").status_code == 204  # again: harmless
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "auth.token_revoked", AuditEvent.subject_id == token.id)) == 1


def test_another_persons_token_is_not_there_for_you(api_as, client, db_session, make_person):
    person, other = make_person("Aled"), make_person("Bea")
    raw, token = _issue(db_session, other)
    api = api_as(person)

    assert_problem(api.request("DELETE", f"/tokens/{token.id}"), 404)
    assert_problem(api.request("DELETE", "/tokens/2147483648"), 404)
    assert ApiClient(client, raw).get("/me").status_code == 200, "Bea's token still works"


def test_revoking_the_token_you_are_using_signs_you_out_of_the_api(client, db_session, make_person):
    person = make_person()
    raw, token = _issue(db_session, person)
    db_session.commit()
    api = ApiClient(client, raw)
    assert api.request("DELETE", f"/tokens/{token.id}").status_code == 204
    assert_problem(api.get("/tokens"), 401)
