"""Sessions end for real: after signing out, changing a password or leaving, a cookie copied beforehand
(from this browser or any other device) gets nowhere, remember-me cookie included. And no cookie can be
forged with a key from the source code."""

from __future__ import annotations

import string

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_login.utils import encode_cookie
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.auth.conftest import SESSION_COOKIE, signed_in
from tests.support import examples
from timebank.auth import service as auth

#: The key ``config.DevelopmentConfig`` fell back on before issue 9, public in the source code.
OLD_PUBLIC_KEY = "development-only-not-secret"


def _resign(app: Flask, cookie: str, key: str) -> str:
    """The same session, signed with another key: what someone holding that key could make."""
    interface = SecureCookieSessionInterface()
    contents = interface.get_signing_serializer(app).loads(cookie)
    forger = Flask("forger")
    forger.secret_key = key
    return interface.get_signing_serializer(forger).dumps(contents)


def test_a_cookie_copied_before_signing_out_gets_nowhere(browser, copy_of, make_person):
    person = make_person("Aled Pryce")
    laptop = browser(person)
    phone = browser(person)  # signed in separately, on another device
    copied = copy_of(laptop)
    assert signed_in(copied) and signed_in(phone)

    signed_out = laptop.post("/sign-out", follow_redirects=True)

    assert "here and on any other device" in signed_out.get_data(as_text=True)
    response = copied.get("/")
    assert response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]
    assert not signed_in(phone)
    assert not signed_in(laptop)


def test_signing_in_again_after_signing_out_works(browser, make_person):
    person = make_person("Aled Pryce")
    client = browser(person)
    client.post("/sign-out")
    again = browser(person)
    assert signed_in(again)


def test_signing_out_is_audited(browser, make_person, audited):
    person = make_person("Aled Pryce")
    browser(person).post("/sign-out")
    [event] = audited("auth.signed_out")
    assert (event.actor_id, event.subject_id) == (person.id, person.id)


def test_a_remember_me_cookie_from_before_signing_out_gets_nowhere(app, browser, make_person):
    person = make_person("Aled Pryce")
    with app.test_request_context():
        remember = encode_cookie(person.get_id())  # what login_user(remember=True) would have set
    before = app.test_client()
    before.set_cookie("remember_token", remember)
    assert signed_in(before)  # the path is real: Flask-Login honours the cookie on its own

    browser(person).post("/sign-out")

    after = app.test_client()
    after.set_cookie("remember_token", remember)
    assert not signed_in(after)


def test_a_cookie_signed_with_the_old_public_key_signs_nobody_in(app, browser, make_person):
    admin = make_person("Ada Admin", is_admin=True)
    genuine = browser(admin)
    forged = app.test_client()
    forged.set_cookie(SESSION_COOKIE, _resign(app, genuine.get_cookie(SESSION_COOKIE).value, OLD_PUBLIC_KEY))

    assert signed_in(genuine)
    assert not signed_in(forged)


def test_a_session_from_before_session_versions_gets_nowhere(app, browser, make_person):
    """Cookies signed in before the upgrade carry the bare id: they end at the upgrade."""
    person = make_person("Aled Pryce")
    genuine = browser(person)
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    contents = serializer.loads(genuine.get_cookie(SESSION_COOKIE).value)
    old_style = app.test_client()
    old_style.set_cookie(SESSION_COOKIE, serializer.dumps({**contents, "_user_id": str(person.id)}))

    assert signed_in(genuine)
    assert not signed_in(old_style)


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(browser, copy_of, make_person):
    person = make_person("Aled Pryce")
    here = browser(person)
    elsewhere = browser(person)
    copied = copy_of(here)

    response = here.post("/change-password", data={"current_password": "correct horse battery staple",
                                                   "new_password": "a new and longer password",
                                                   "confirm_password": "a new and longer password"})

    assert response.status_code == 302, response.get_data(as_text=True)
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert not signed_in(copied)  # the cookie from before the change


def test_leaving_ends_every_session(browser, copy_of, make_member, bank):
    person, _ = make_member(bank, "Aled Pryce")
    here = browser(person)
    elsewhere = browser(person)
    copied = copy_of(here)

    response = here.post("/leave", data={"understand": "y"})

    assert response.status_code == 302
    assert not signed_in(elsewhere) and not signed_in(copied)


def test_a_broker_recording_that_a_member_left_ends_the_members_sessions(browser, make_member, broker, bank):
    person, _ = make_member(bank, "Aled Pryce")
    members_phone = browser(person)

    response = browser(broker).post(f"/people/{person.id}/leave", data={"understand": "y"})

    assert response.status_code == 302
    assert not signed_in(members_phone)


@settings(max_examples=examples(0.6), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.text(max_size=30), st.text(alphabet=string.digits + ":-+ ", max_size=30)))
def test_only_the_exact_id_and_current_version_is_a_session(db_session, make_person, value):
    person = make_person("Aled Pryce", email=None)
    current = f"{person.id}:{person.session_version}"

    found = auth.person_for_session(db_session, value)

    assert found is None or (found is person and value == current)
    assert auth.person_for_session(db_session, current) is person
    auth.end_sessions(db_session, person)
    assert auth.person_for_session(db_session, current) is None
    assert auth.person_for_session(db_session, person.get_id()) is person
