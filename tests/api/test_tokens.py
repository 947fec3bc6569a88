"""Bearer tokens: how a client signs in to the API, and everything that is not a valid token."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.api.support import ApiClient, assert_problem
from tests.conftest import PASSWORD
from timebank.audit.models import AuditEvent
from timebank.auth import tokens
from timebank.auth.models import ApiToken
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
