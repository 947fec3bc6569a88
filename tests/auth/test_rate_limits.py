"""Rate limits and back-off on signing in and signing up (issue 9, item 6): per client address and per
account, shared by the pages and the API, answered 429 with the wait in words and ``Retry-After``; after
wrong passwords in a row each try for that account waits longer, but waiting always works.

Every test runs on memory storage and on real Redis (see ``conftest``), on both databases."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.api.support import assert_problem
from tests.auth.conftest import LIFETIMES
from tests.conftest import PASSWORD, make_app
from timebank.audit.models import AuditEvent

WRONG = "not the password"
#: Generous per-account and per-address limits, so only the back-off is at work.
ROOMY = {"RATELIMIT_SIGN_IN_PER_ACCOUNT": "1000 per minute", "RATELIMIT_SIGN_IN_PER_ADDRESS": "1000 per minute"}


def _sign_in(client, email: str, password: str, **kwargs):
    return client.post("/sign-in", data={"email": email, "password": password}, **kwargs)


def _token(client, email: str, password: str, **kwargs):
    return client.post("/api/v1/tokens", json={"email": email, "password": password}, **kwargs)


def _retry_after(response) -> int:
    value = int(response.headers["Retry-After"])
    assert value >= 1
    return value


def _failed_sign_ins(db_session) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "auth.sign_in_failed"))


def test_fifty_wrong_passwords_are_not_all_answered_and_after_the_pause_the_right_one_works(
        limited_app, db_session, make_person):
    """The issue's scenario: 50 wrong passwords in a row, then the right one."""
    person = make_person("Aled Pryce", email="aled@example.org")
    client = limited_app(**ROOMY).test_client()

    answers = [_sign_in(client, person.email, WRONG) for _ in range(50)]

    checked = [a for a in answers if a.status_code == 422]
    paused = [a for a in answers if a.status_code == 429]
    assert len(checked) + len(paused) == 50
    assert checked[:5] == answers[:5], "the first five wrong passwords are checked and refused"
    assert len(paused) > 35, "once paused, tries are refused without checking the password"
    for answer in paused:
        _retry_after(answer)
        assert "Too many attempts. Try again in" in answer.get_data(as_text=True)
    # Each checked wrong password is in the audit log; the refused tries never reached the password.
    assert _failed_sign_ins(db_session) == len(checked)

    refused = _sign_in(client, person.email, PASSWORD)
    assert refused.status_code == 429, "even the right password waits out the pause"
    time.sleep(_retry_after(refused) + 1)
    signed_in = _sign_in(client, person.email, PASSWORD)
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)


def test_a_pause_applies_to_the_api_too_as_a_problem_with_retry_after(limited_app, db_session, make_person):
    person = make_person(email="aled@example.org")
    client = limited_app(**ROOMY).test_client()
    for _ in range(5):
        assert _sign_in(client, person.email, WRONG).status_code == 422

    response = _token(client, "Aled@Example.org", PASSWORD)  # the same account, however it is typed

    body = assert_problem(response, 429)
    assert body["code"] == "too-many-requests"
    assert body["detail"].startswith("Too many attempts. Try again in ")
    assert 1 <= _retry_after(response) <= 1 + 1


def test_the_pause_grows_with_each_wrong_password_and_a_right_one_ends_it(limited_app, db_session, make_person):
    person = make_person(email="aled@example.org")
    client = limited_app(**ROOMY, SIGN_IN_BACKOFF_AFTER=2, SIGN_IN_BACKOFF_FIRST_SECONDS=1,
                         SIGN_IN_BACKOFF_MAX_SECONDS=60).test_client()
    for _ in range(2):
        _sign_in(client, person.email, WRONG)
    first = _retry_after(_sign_in(client, person.email, WRONG))
    time.sleep(first + 1)
    assert _sign_in(client, person.email, WRONG).status_code == 422  # the third wrong password…
    second = _retry_after(_sign_in(client, person.email, WRONG))
    assert second >= 2 * first - 1, "…doubles the pause"
    time.sleep(second + 1)

    assert _sign_in(client, person.email, PASSWORD).status_code == 302
    client.post("/sign-out")
    assert _sign_in(client, person.email, WRONG).status_code == 422, "a clean slate after a right password"


def test_a_right_password_before_the_pause_starts_the_count_again(limited_app, db_session, make_person):
    person = make_person(email="aled@example.org")
    client = limited_app(**ROOMY).test_client()
    for _ in range(4):
        assert _sign_in(client, person.email, WRONG).status_code == 422
    assert _sign_in(client, person.email, PASSWORD).status_code == 302
    client.post("/sign-out")
    assert [_sign_in(client, person.email, WRONG).status_code for _ in range(4)] == [422] * 4


def test_an_email_that_is_nobodys_pauses_the_same_way(limited_app, db_session):
    """So the pause does not tell anyone whether an email has an account."""
    client = limited_app(**ROOMY).test_client()
    codes = [_sign_in(client, "nobody@example.org", WRONG).status_code for _ in range(6)]
    assert codes == [422] * 5 + [429]


def test_the_page_and_the_api_share_one_allowance_per_address(limited_app, db_session, make_person):
    person = make_person(email="aled@example.org")
    client = limited_app(RATELIMIT_SIGN_IN_PER_ADDRESS="3 per minute").test_client()

    assert _sign_in(client, "one@example.org", WRONG).status_code == 422
    assert _token(client, "two@example.org", WRONG).status_code == 401
    assert _sign_in(client, "three@example.org", WRONG).status_code == 422
    refused = _token(client, person.email, PASSWORD)

    assert_problem(refused, 429)
    assert _retry_after(refused) <= 60
    page = _sign_in(client, person.email, PASSWORD)
    assert page.status_code == 429 and page.mimetype == "text/html"
    assert "Too many attempts. Try again in" in page.get_data(as_text=True)
    assert client.get("/sign-in").status_code == 200, "only attempts count: the page still shows"


def test_a_forwarded_address_counts_only_behind_a_configured_proxy(limited_app, db_session):
    limits = {"RATELIMIT_SIGN_IN_PER_ADDRESS": "2 per minute"}

    def attempts(client) -> list[int]:
        return [_sign_in(client, f"n{i}@example.org", WRONG, headers={"X-Forwarded-For": f"203.0.113.{i}"},
                         environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code for i in range(3)]

    # Trusting no proxy (the default), anyone could send the header: it is ignored.
    assert attempts(limited_app(**limits).test_client()) == [422, 422, 429]
    # Behind one proxy, the address it forwards is the client's.
    assert attempts(limited_app(**limits, PROXY_COUNT=1).test_client()) == [422, 422, 422]


def test_one_account_is_limited_from_every_address(limited_app, db_session, make_person):
    make_person(email="aled@example.org")
    app = limited_app(RATELIMIT_SIGN_IN_PER_ACCOUNT="2 per minute", PROXY_COUNT=1)
    emails = ["aled@example.org", "ALED@Example.org", "aled@example.org"]

    codes = [_sign_in(app.test_client(), email, PASSWORD, headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
             for i, email in enumerate(emails)]
    assert codes == [302, 302, 429]


def test_signing_up_is_limited_on_the_page_and_the_api_together(limited_app, db_session, bank):
    client = limited_app(RATELIMIT_SIGN_UP_PER_ADDRESS="2 per hour").test_client()

    assert client.post("/join", data={"email": "new@example.org"}).status_code == 422
    assert client.post("/api/v1/signups", json={"email": "new2@example.org"}).status_code == 422
    refused = client.post("/api/v1/signups", json={"email": "new3@example.org"})

    assert assert_problem(refused, 429)["code"] == "too-many-requests"
    assert 3000 < _retry_after(refused) <= 3600
    assert client.post("/join", data={}).status_code == 429
    assert client.get("/join").status_code == 200


def test_signing_up_is_limited_per_email(limited_app, db_session, bank):
    client = limited_app(RATELIMIT_SIGN_UP_PER_ACCOUNT="1 per hour", PROXY_COUNT=1).test_client()
    first = client.post("/join", data={"email": "new@example.org"}, headers={"X-Forwarded-For": "203.0.113.1"})
    again = client.post("/api/v1/signups", json={"email": "NEW@example.org"},
                        headers={"X-Forwarded-For": "203.0.113.2"})
    other = client.post("/join", data={"email": "other@example.org"}, headers={"X-Forwarded-For": "203.0.113.3"})
    assert (first.status_code, again.status_code, other.status_code) == (422, 429, 422)


@pytest.mark.parametrize("body", ["[[[[[[" * 2000 + "]]]]]]" * 2000, '{"email": 5}', "not json", '["a"]'])
def test_an_unreadable_body_is_still_counted_per_address_and_answered_plainly(limited_app, db_session, body):
    client = limited_app(RATELIMIT_SIGN_IN_PER_ADDRESS="1 per minute").test_client()
    first = client.post("/api/v1/tokens", data=body, content_type="application/json")
    assert 400 <= first.status_code < 500 and first.status_code != 429
    assert_problem(client.post("/api/v1/tokens", data=body, content_type="application/json"), 429)


def test_the_limits_are_off_in_the_suites_own_app(client, db_session, make_person):
    person = make_person(email="aled@example.org")
    assert {_sign_in(client, person.email, WRONG).status_code for _ in range(30)} == {422}


def test_sign_in_goes_on_when_the_limit_storage_is_down(app, backend, db_session, make_person):
    """Redis unreachable: the limits count in memory and the back-off is skipped, rather than nobody
    being able to sign in."""
    person = make_person(email="aled@example.org")
    down = make_app(backend, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0")
    client = down.test_client()
    assert [_sign_in(client, person.email, WRONG).status_code for _ in range(6)] == [422] * 6
    assert _sign_in(client, person.email, PASSWORD).status_code == 302


def test_every_limited_api_route_documents_its_429(app: Flask, client, db_session):
    from timebank.auth.limits import limits_of

    limited = {endpoint for endpoint, view in app.view_functions.items() if limits_of(view)}
    assert limited == {"auth.sign_in", "api_tokens.create_token", "membership.join", "api_membership.sign_up",
                       "auth.forgot_password", "auth.set_password", "auth.change_password",
                       "api_tokens.change_password"}
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    api_rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint in limited and "POST" in rule.methods
                 and rule.rule.startswith("/api/")]
    assert {rule.rule for rule in api_rules} == {"/api/v1/tokens", "/api/v1/signups", "/api/v1/me/password"}
    for rule in api_rules:
        assert paths[rule.rule]["post"]["responses"]["429"] == {"$ref": "#/components/responses/TOO_MANY_REQUESTS"}

def test_asking_for_a_new_password_is_limited_per_email_and_ends_a_pause(limited_app, db_session, make_person):
    """Forgotten passwords (the page that tells the brokers) and password links share one allowance; a
    password chosen with a link ends the back-off, so the owner is not still made to wait."""
    from timebank.auth import service as auth

    person = make_person("Aled Pryce", email="aled@example.org")
    application = limited_app(RATELIMIT_PASSWORD_RESET_PER_ACCOUNT="2 per hour", **ROOMY)
    client = application.test_client()
    codes = [client.post("/forgot-password", data={"email": "ALED@example.org"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert client.post("/forgot-password", data={"email": "someone@example.org"}).status_code == 302

    for _ in range(6):
        _sign_in(client, person.email, WRONG)
    assert _sign_in(client, person.email, PASSWORD).status_code == 429, "paused after wrong passwords"
    admin = make_person("Ada Admin", is_admin=True)
    with application.test_request_context():
        secret, _ = auth.make_password_link(db_session, admin, person.id, LIFETIMES)
        auth.set_password_with_link(db_session, secret, "a brand new passphrase")
    assert _sign_in(client, person.email, "a brand new passphrase").status_code == 302


def test_a_password_link_has_its_own_roomy_allowance(limited_app, db_session, make_person):
    """Found in a browser: at a drop-in, other people asking for new passwords from one address used up
    the allowance, and a member with a fresh link was told to wait an hour."""
    from timebank.auth import service as auth

    person = make_person("Aled Pryce", email="aled@example.org", password=None)
    admin = make_person("Ada Admin", is_admin=True)
    client = limited_app(RATELIMIT_PASSWORD_RESET_PER_ADDRESS="2 per hour").test_client()
    for number in range(3):
        client.post("/forgot-password", data={"email": f"someone{number}@example.org"})
    assert client.post("/forgot-password", data={"email": "another@example.org"}).status_code == 429

    secret, _ = auth.make_password_link(db_session, admin, person.id, LIFETIMES)
    chosen = client.post(f"/password/{secret}", data={"new_password": "a brand new passphrase",
                                                       "confirm_password": "a brand new passphrase"})
    assert chosen.status_code == 302
