"""The API tokens page: see your tokens, make one (its secret shown once, in that answer only), and stop
one working after a confirmation step."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from tests.api.support import ApiClient
from timebank.auth import tokens
from timebank.auth.models import ApiToken, TokenScope


def _secret(html: str) -> str:
    match = re.search(r"<code>([A-Za-z0-9_-]{43})</code>", html)
    assert match, html
    return match[1]


def test_making_a_token_shows_its_secret_once_and_it_works(browser, client, db_session, make_person):
    person = make_person("Aled Pryce")
    page = browser(person)
    assert "API tokens" in page.get("/").get_data(as_text=True), "the footer links to the page"

    made = page.post("/api-tokens", data={"name": "Allotment spreadsheet", "scope": "read", "expires_in_days": "7"})

    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"
    html = made.get_data(as_text=True)
    secret = _secret(html)
    assert "shown only this once" in html
    token = db_session.scalar(sa.select(ApiToken).where(ApiToken.person_id == person.id))
    assert (token.name, token.scope, token.token_hash != secret) == ("Allotment spreadsheet", TokenScope.READ, True)
    assert ApiClient(client, secret).get("/me").status_code == 200
    later = page.get("/api-tokens").get_data(as_text=True)
    assert secret not in later and "Allotment spreadsheet" in later and "Read only" in later


def test_the_form_says_what_is_wrong_next_to_the_field(browser, db_session, make_person):
    page = browser(make_person())
    for data, message in [
        ({"name": " ", "scope": "read", "expires_in_days": "30"}, "Give the token a name"),
        ({"name": "x" * 101, "scope": "read", "expires_in_days": "30"}, "100 characters or fewer"),
        ({"name": "Laptop", "scope": "read", "expires_in_days": "0"}, "Choose from 1 to 365 days"),
        ({"name": "Laptop", "scope": "read", "expires_in_days": "a week"}, "whole number"),
        ({"name": "Laptop", "scope": "everything", "expires_in_days": "30"}, "Choose what the token may do"),
    ]:
        response = page.post("/api-tokens", data=data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_the_page_lists_only_your_own_tokens(browser, db_session, make_person):
    person, other = make_person("Aled"), make_person("Bea")
    tokens.issue_token(db_session, person, dt.timedelta(days=3), name="Aled's script")
    tokens.issue_token(db_session, other, dt.timedelta(days=3), name="Bea's script")
    html = browser(person).get("/api-tokens").get_data(as_text=True)
    assert "Aled&#39;s script" in html and "Bea" not in html


def test_stopping_a_token_asks_first_then_it_stops_working(browser, client, db_session, make_person):
    person = make_person()
    raw, token = tokens.issue_token(db_session, person, dt.timedelta(days=3), name="Old laptop")
    page = browser(person)

    ask = page.get(f"/api-tokens/{token.id}/revoke")
    assert ask.status_code == 200 and "Stop “Old laptop” working?" in ask.get_data(as_text=True)
    assert ApiClient(client, raw).get("/me").status_code == 200, "asking changes nothing"

    done = page.post(f"/api-tokens/{token.id}/revoke", follow_redirects=True)

    assert done.status_code == 200 and "has stopped working" in done.get_data(as_text=True)
    assert ApiClient(client, raw).get("/me").status_code == 401
    db_session.expire_all()
    assert db_session.get(ApiToken, token.id).revoked_at is not None


def test_someone_elses_token_cannot_be_stopped(browser, client, db_session, make_person):
    person, other = make_person("Aled"), make_person("Bea")
    raw, token = tokens.issue_token(db_session, other, dt.timedelta(days=3), name="Bea's script")
    page = browser(person)
    assert page.get(f"/api-tokens/{token.id}/revoke").status_code == 404
    assert page.post(f"/api-tokens/{token.id}/revoke").status_code == 404
    assert ApiClient(client, raw).get("/me").status_code == 200
