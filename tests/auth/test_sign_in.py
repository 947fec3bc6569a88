"""Signing in: the right password lets a member in, and every refusal looks the same, so nobody can learn
from the answer whether an address is a member's; after signing in, only a page of this site is followed
(``next=``); a password stored with older hashing parameters is hashed again with today's.

Signing out, and what it ends, is in ``test_sessions.py``."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from tests.auth.conftest import signed_in
from tests.conftest import PASSWORD, make_app
from timebank.auth.passwords import needs_rehash, verify_password
from timebank.privacy import service as privacy

REFUSED = "That email and password do not match our records"


def sign_in(client, email, password=PASSWORD, next_=None):
    return client.post("/sign-in", query_string={"next": next_} if next_ else None,
                       data={"email": email, "password": password})


def test_the_right_password_signs_in_goes_home_and_is_audited(browser, make_person, audited):
    person = make_person("Aled Pryce")
    client = browser(None)

    response = sign_in(client, person.email)

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(client)
    [event] = audited("auth.signed_in")
    assert (event.actor_id, event.subject_id) == (person.id, person.id)


def test_the_email_is_matched_whatever_its_case(browser, make_person):
    person = make_person("Aled Pryce")
    client = browser(None)
    response = sign_in(client, person.email.upper())
    assert response.status_code == 302 and signed_in(client)


def _refusal(client, email, password=PASSWORD):
    """The page's answer, in a browser of its own, with the email (which the form shows again) taken out."""
    response = sign_in(client, email, password)
    assert response.status_code == 422
    assert not signed_in(client)
    return response.get_data(as_text=True).replace(email, "EMAIL")


def test_a_wrong_password_an_unknown_email_and_a_member_who_cannot_sign_in_get_one_answer(
        browser, db_session, make_person, make_member, bank, broker, audited):
    wrong = make_person("Aled Pryce")
    inactive = make_person("Bea Okafor")
    inactive.is_active = False
    left, _account = make_member(bank, "Cai Jones")
    left_email = left.email
    privacy.leave(db_session, broker, left.id)

    answers = {
        "wrong password": _refusal(browser(None), wrong.email, "not the password at all"),
        "unknown email": _refusal(browser(None), "nobody-here@example.org"),
        "inactive": _refusal(browser(None), inactive.email),
        "left": _refusal(browser(None), left_email),
    }

    assert REFUSED in answers["wrong password"]
    assert len(set(answers.values())) == 1, "each refusal must read the same"
    failed = audited("auth.sign_in_failed")
    assert [event.subject_id for event in failed] == [wrong.id, None, inactive.id, None]


def test_the_api_answers_a_wrong_password_and_an_unknown_email_alike(client, db_session, make_person):
    person = make_person("Aled Pryce")

    def problem(email, password):
        response = client.post("/api/v1/tokens", json={"email": email, "password": password})
        assert response.status_code == 401
        return {name: value for name, value in response.get_json().items() if name != "request_id"}  # each its own

    assert problem(person.email, "not the password at all") == problem("nobody-here@example.org", PASSWORD)


def test_signing_out_takes_a_post_so_another_site_cannot_sign_anyone_out(browser, make_person):
    client = browser(make_person("Aled Pryce"))
    assert client.get("/sign-out").status_code == 405
    assert signed_in(client)


# --- where signing in leads ----------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/exchanges", "/people?q=garden&page=2", "/activities/7"])
def test_a_page_of_this_site_is_followed_after_signing_in(browser, make_person, target):
    person = make_person("Aled Pryce")
    response = sign_in(browser(None), person.email, next_=target)
    assert response.status_code == 302 and response.headers["Location"] == target


@pytest.mark.parametrize("target", [
    "//evil.example",
    "//evil.example/exchanges",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "evil.example",
    "",
])
def test_anywhere_else_is_refused_and_signing_in_goes_home(browser, make_person, target):
    """Browsers read a backslash as a slash and drop tabs and line breaks, so each of these would lead to
    another site (where a copy of the sign-in page could ask for the password again)."""
    person = make_person("Aled Pryce")
    client = browser(None)
    response = sign_in(client, person.email, next_=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(client)


def test_a_page_that_needs_signing_in_is_where_signing_in_leads(browser, make_person):
    """The page sends the browser to the form with ``next``; the form posts back to its own address."""
    person = make_person("Aled Pryce")
    client = browser(None)
    sent = client.get("/exchanges?page=2")
    assert sent.status_code == 302 and sent.headers["Location"].startswith("/sign-in?next=")

    response = client.post(sent.headers["Location"], data={"email": person.email, "password": PASSWORD})

    assert response.status_code == 302 and response.headers["Location"] == "/exchanges?page=2"


# --- hashing parameters move on ----------------------------------------------------------------------------


#: Weaker than either hasher the app uses (``timebank.auth.passwords``): a hash from an older release.
OLDER = PasswordHasher(time_cost=1, memory_cost=16, parallelism=2)


def _sign_in_by(way, client, email, password=PASSWORD):
    if way == "page":
        return sign_in(client, email, password).status_code == 302
    return client.post("/api/v1/tokens", json={"email": email, "password": password}).status_code == 201


@pytest.mark.parametrize("way", ["page", "api"])
def test_a_password_hashed_with_older_parameters_is_hashed_again_when_it_is_right(client, db_session, make_person,
                                                                                    way):
    person = make_person("Aled Pryce")
    person.password_hash = older = OLDER.hash(PASSWORD)
    db_session.flush()
    assert needs_rehash(older)

    assert not _sign_in_by(way, client, person.email, "not the password at all")
    db_session.refresh(person)
    assert person.password_hash == older, "a wrong password changes nothing"

    assert _sign_in_by(way, client, person.email)
    db_session.refresh(person)
    assert person.password_hash != older and not needs_rehash(person.password_hash)
    assert verify_password(person.password_hash, PASSWORD)


def test_a_password_hashed_with_todays_parameters_is_left_as_it_is(client, db_session, make_person):
    person = make_person("Aled Pryce")
    current = person.password_hash
    assert _sign_in_by("page", client, person.email)
    db_session.refresh(person)
    assert person.password_hash == current


def test_outside_the_tests_a_cheap_hash_is_replaced_by_argon2s_recommended_one(backend, db_session, make_person):
    """The suite hashes cheaply (``FAST_PASSWORD_HASHING``); a real install uses argon2-cffi's recommended
    parameters, and a hash made with any others is brought up to them at the next sign-in."""
    person = make_person("Aled Pryce")
    cheap = person.password_hash
    assert PasswordHasher().check_needs_rehash(cheap)
    real = make_app(backend, FAST_PASSWORD_HASHING=False)

    assert _sign_in_by("page", real.test_client(), person.email)

    db_session.refresh(person)
    assert person.password_hash != cheap and not PasswordHasher().check_needs_rehash(person.password_hash)
    assert PasswordHasher().verify(person.password_hash, PASSWORD)


def test_every_form_s_token_has_no_id_so_a_page_of_several_forms_repeats_none(app, client, monkeypatch):
    """The sign-in and forgotten-password forms were plain Flask-WTF forms whose token kept ``id="csrf_token"``;
    every form is now a ``ServiceForm``, whose token has none."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    for path in ("/sign-in", "/forgot-password"):
        html = client.get(path).get_data(as_text=True)
        assert 'name="csrf_token"' in html and 'id="csrf_token"' not in html, path
