"""Passwords people can set: a broker makes a single-use link (set-up for a member they enrolled, reset
for a forgotten password), the member chooses a password with it; a signed-in member changes theirs;
someone who has forgotten theirs asks, and, for someone who hears through their broker, the brokers are
told (a link by email for everyone else: tests/mail/test_password_links.py). One rule for every new password."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from tests.auth.conftest import LIFETIMES, signed_in
from tests.conftest import PASSWORD
from timebank.auth import service as auth
from timebank.auth.models import ApiToken, PasswordLink, PasswordLinkPurpose
from timebank.auth.passwords import UnsuitablePassword, check_new_password, verify_password
from timebank.auth.tokens import issue_token, valid_token
from timebank.banks import service as banks
from timebank.errors import NotFound
from timebank.members.models import BankRoleName, ContactMethod, Person
from timebank.membership import service as membership
from timebank.notices import messages
from timebank.notices.models import Notice, NoticeKind
from timebank.privacy import service as privacy
from timebank.types import utcnow

NEW = "bara brith on a tuesday"
LINK = re.compile(r"http://localhost/password/([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})")


def choose(client, secret: str, password: str = NEW, again: str | None = None):
    return client.post(f"/password/{secret}", data={"new_password": password, "confirm_password": again or password})


def can_sign_in(app, email: str, password: str) -> bool:
    return app.test_client().post("/sign-in", data={"email": email, "password": password}).status_code == 302


@pytest.fixture
def enrolled(db_session, broker, bank, sign_up_form) -> Person:
    """Someone the broker enrolled at the drop-in, with an email address but no password yet."""
    person, _ = membership.sign_up(db_session, sign_up_form(bank, display_name="Olwen Owen", email="olwen@example.org",
                                                            password=None), broker=broker)
    return person


# --- the rule ----------------------------------------------------------------------------------------


@given(password=st.text(max_size=1100), email=st.sampled_from([None, "aled@example.org"]))
def test_one_rule_for_every_new_password(password, email):
    allowed = 10 <= len(password) <= 1000 and password.strip().casefold() != (email or "").casefold()
    try:
        assert check_new_password(password, email=email) == password
    except UnsuitablePassword as error:
        assert not allowed and error.field == "password"
    else:
        assert allowed


def test_joining_refuses_the_email_address_as_a_password(client, db_session, bank):
    form = {"display_name": "Megan Hughes", "email": "megan@example.org", "password": "Megan@Example.org",
            "confirm_password": "Megan@Example.org", "postcode": "HB3 2QT", "preferred_language": "en",
            "contact_by": "email", "time_bank_id": str(bank.id)}
    page = client.post("/join", data=form)
    assert page.status_code == 422 and "not your email address" in page.get_data(as_text=True)

    api = client.post("/api/v1/signups", json={**{k: v for k, v in form.items() if k != "confirm_password"},
                                               "time_bank_id": bank.id})
    assert api.status_code == 422 and "password" in api.get_json()["errors"]
    assert db_session.scalar(sa.select(Person.id).where(Person.email == "megan@example.org")) is None


# --- a broker makes a link; the member chooses a password ---------------------------------------------


def test_a_member_the_broker_enrolled_sets_up_a_password_and_signs_in(app, browser, db_session, broker, enrolled,
                                                                       audited):
    """Olwen hears through her broker, so the link is shown to the broker to pass on (someone email reaches
    gets it by email: tests/mail/test_password_links.py)."""
    enrolled.contact_by = ContactMethod.BROKER
    assert not can_sign_in(app, "olwen@example.org", NEW)
    staff = browser(broker)
    profile = staff.get(f"/people/{enrolled.id}").get_data(as_text=True)
    assert f'href="/people/{enrolled.id}/password-link"' in profile
    page = staff.get(f"/people/{enrolled.id}/password-link").get_data(as_text=True)
    assert "has not chosen a password yet" in page and "1 week" in page

    made = staff.post(f"/people/{enrolled.id}/password-link")

    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    html = made.get_data(as_text=True)
    assert "shown only this once" in html and "Read it out" in html and "olwen@example.org" in html
    secret = LINK.search(html)[1]
    member = browser(None)
    form = member.get(f"/password/{secret}")
    assert form.status_code == 200 and form.headers["Referrer-Policy"] == "no-referrer"
    assert "Choose your password" in form.get_data(as_text=True)

    chosen = choose(member, secret)

    assert chosen.status_code == 302 and signed_in(member)
    assert can_sign_in(app, "olwen@example.org", NEW)
    link = db_session.scalar(sa.select(PasswordLink).where(PasswordLink.person_id == enrolled.id))
    assert link.purpose is PasswordLinkPurpose.SET_UP and link.used_at is not None
    assert link.secret_hash != secret and secret.replace("-", "") not in link.secret_hash
    [made_event] = audited("auth.password_link_made")
    assert (made_event.actor_id, made_event.subject_id, made_event.details["purpose"]) == (
        broker.id, enrolled.id, "set_up")
    [set_event] = audited("auth.password_set")
    assert (set_event.actor_id, set_event.details["purpose"]) == (enrolled.id, "set_up")


def test_a_link_works_once_then_gives_the_one_page(browser, db_session, broker, enrolled):
    secret, _ = auth.make_password_link(db_session, broker, enrolled.id, LIFETIMES)
    member = browser(None)
    assert choose(member, secret).status_code == 302
    member.post("/sign-out")

    again = choose(browser(None), secret, "somebody else's password")

    assert again.status_code == 404
    page = again.get_data(as_text=True)
    assert "Ask your time bank's broker for a new one" in page
    # Most often the person has used it already: the page says so and how to sign in, not "page not found".
    assert "<h1>This link does not work</h1>" in page and "Page not found" not in page
    assert "If you have already chosen your password with it, sign in" in page and 'href="/sign-in"' in page
    assert not verify_password(db_session.get(Person, enrolled.id).password_hash, "somebody else's password")


def test_used_expired_superseded_and_unknown_links_get_the_same_page(browser, db_session, broker, enrolled):
    used, _ = auth.make_password_link(db_session, broker, enrolled.id, LIFETIMES)
    auth.set_password_with_link(db_session, used, NEW)
    superseded, _ = auth.make_password_link(db_session, broker, enrolled.id, LIFETIMES)
    expired, link = auth.make_password_link(db_session, broker, enrolled.id, LIFETIMES)
    link.created_at, link.expires_at = utcnow() - dt.timedelta(days=2), utcnow() - dt.timedelta(seconds=1)
    anyone = browser(None)

    secrets = (used, superseded, expired, "0000-0000-0000-0000-0000", "not-even-the-shape")
    pages = [anyone.get(f"/password/{secret}") for secret in secrets]

    assert {page.status_code for page in pages} == {404}
    # Alike but for the address itself (in the page's link to the other language).
    bodies = {page.get_data(as_text=True).replace(secret, "…") for page, secret in zip(pages, secrets, strict=True)}
    assert len(bodies) == 1 and "Each link works once, for a limited time" in bodies.pop()


def test_a_link_can_be_typed_in_small_letters_without_dashes(browser, db_session, broker, enrolled):
    secret, _ = auth.make_password_link(db_session, broker, enrolled.id, LIFETIMES)
    typed = secret.replace("-", "").lower().replace("0", "o")
    assert choose(browser(None), typed).status_code == 302


def test_a_new_link_stops_the_old_one(db_session, broker, enrolled):
    first, _ = auth.make_password_link(db_session, broker, enrolled.id, LIFETIMES)
    second, _ = auth.make_password_link(db_session, broker, enrolled.id, LIFETIMES)
    with pytest.raises(auth.LinkNotUsable):
        auth.usable_link(db_session, first)
    assert auth.usable_link(db_session, second).person_id == enrolled.id


def test_the_database_holds_one_live_link_per_person(db_session, broker, enrolled):
    auth.make_password_link(db_session, broker, enrolled.id, LIFETIMES)
    now = utcnow()
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        db_session.add(PasswordLink(person_id=enrolled.id, purpose=PasswordLinkPurpose.SET_UP, secret_hash="0" * 64,
                                    created_by_id=broker.id, created_at=now, expires_at=now + dt.timedelta(days=1)))
        db_session.flush()


def test_the_new_password_must_meet_the_rule_and_the_link_stays_usable(browser, db_session, broker, enrolled):
    secret, _ = auth.make_password_link(db_session, broker, enrolled.id, LIFETIMES)
    member = browser(None)

    short = choose(member, secret, "short")
    different = choose(member, secret, NEW, "another password")
    email = choose(member, secret, "Olwen@Example.org")

    assert (short.status_code, different.status_code, email.status_code) == (422, 422, 422)
    assert "at least 10 characters" in short.get_data(as_text=True)
    assert "The two passwords are different" in different.get_data(as_text=True)
    assert "not your email address" in email.get_data(as_text=True)
    assert auth.usable_link(db_session, secret).used_at is None
    assert choose(member, secret).status_code == 302


def test_a_reset_ends_every_session_and_api_token(app, browser, copy_of, db_session, make_member, broker, bank):
    person, _ = make_member(bank, "Aled Pryce")
    phone = browser(person)
    raw_token, _ = issue_token(db_session, person, dt.timedelta(days=1))
    secret, link = auth.make_password_link(db_session, broker, person.id, LIFETIMES)
    assert link.purpose is PasswordLinkPurpose.RESET
    assert link.expires_at - link.created_at == dt.timedelta(hours=24)

    assert choose(browser(None), secret).status_code == 302

    assert not signed_in(phone)
    assert valid_token(db_session, raw_token) is None
    assert can_sign_in(app, person.email, NEW) and not can_sign_in(app, person.email, PASSWORD)


def test_someone_signed_in_as_another_person_cannot_use_the_link(browser, db_session, broker, enrolled):
    secret, _ = auth.make_password_link(db_session, broker, enrolled.id, LIFETIMES)
    staff = browser(broker)

    page = staff.get(f"/password/{secret}")
    used = choose(staff, secret)

    assert page.status_code == used.status_code == 409
    assert "for someone else" in page.get_data(as_text=True)
    assert auth.usable_link(db_session, secret).used_at is None
    assert db_session.get(Person, enrolled.id).password_hash is None


def test_only_the_members_brokers_and_admins_make_links(db_session, make_bank, make_broker, make_member, make_person,
                                                        broker, bank, enrolled):
    other_broker = make_broker(make_bank(name="Elsewhere"))
    neighbour, _ = make_member(bank, "Gareth")
    for outsider in (other_broker, neighbour):
        with pytest.raises(NotFound):
            auth.make_password_link(db_session, outsider, enrolled.id, LIFETIMES)
    admin = make_person("Ada Admin", is_admin=True)
    staff_member = make_person("Fred Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=staff_member.id, role=BankRoleName.FUNDER,
                     actor_id=None)
    # An admin reaches anyone, even staff in no bank.
    assert auth.make_password_link(db_session, admin, staff_member.id, LIFETIMES)[1].person_id == staff_member.id


def test_someone_with_no_email_needs_one_before_a_link(browser, db_session, broker, bank, sign_up_form):
    offline, _ = membership.sign_up(db_session, sign_up_form(bank, email=None, password=None,
                                                             contact_by=ContactMethod.BROKER), broker=broker)
    staff = browser(broker)

    page = staff.get(f"/people/{offline.id}/password-link")
    made = staff.post(f"/people/{offline.id}/password-link")

    assert "Add one to their contact details first" in page.get_data(as_text=True)
    assert made.status_code == 422 and "people sign in with theirs" in made.get_data(as_text=True)
    assert db_session.scalar(sa.select(PasswordLink.id).where(PasswordLink.person_id == offline.id)) is None


# --- changing a password ------------------------------------------------------------------------------


def test_a_wrong_current_password_is_shown_next_to_the_field_and_changes_nothing(browser, db_session, make_person):
    person = make_person("Aled Pryce")
    client = browser(person)
    before = person.password_hash

    page = client.post("/change-password", data={"current_password": "not my password", "new_password": NEW,
                                                 "confirm_password": NEW})

    assert page.status_code == 422
    assert re.search(r'id="current_password-error">\s*<span[^>]*>Error:</span> That is not the password you use now',
                     page.get_data(as_text=True))
    db_session.refresh(person)
    assert person.password_hash == before and signed_in(client)


def test_changing_a_password_is_audited_and_stops_tokens_and_links(app, browser, db_session, make_member, broker,
                                                                   bank, audited):
    person, _ = make_member(bank, "Aled Pryce")
    raw_token, _ = issue_token(db_session, person, dt.timedelta(days=1))
    secret, _ = auth.make_password_link(db_session, broker, person.id, LIFETIMES)
    client = browser(person)
    assert 'href="/change-password"' in client.get("/my-data").get_data(as_text=True)

    client.post("/change-password", data={"current_password": PASSWORD, "new_password": NEW,
                                          "confirm_password": NEW})

    [event] = audited("auth.password_changed")
    assert (event.actor_id, event.subject_id) == (person.id, person.id)
    assert valid_token(db_session, raw_token) is None
    with pytest.raises(auth.LinkNotUsable):
        auth.usable_link(db_session, secret)
    assert can_sign_in(app, person.email, NEW)


# --- a forgotten password -----------------------------------------------------------------------------


def _notices(db_session, kind=NoticeKind.PASSWORD_HELP) -> list[Notice]:
    return list(db_session.scalars(sa.select(Notice).where(Notice.kind == kind).order_by(Notice.person_id)))


def test_a_forgotten_password_tells_the_brokers_and_nobody_learns_who_is_a_member(
        app, client, db_session, make_broker, make_member, broker, bank, audited):
    second_broker = make_broker(bank, "Second Broker")
    person, _ = make_member(bank, "Aled Pryce", email="aled@example.org", contact_by=ContactMethod.BROKER)
    sign_in_page = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/forgot-password"' in sign_in_page

    member = client.post("/forgot-password", data={"email": "Aled@Example.org"}, follow_redirects=True)
    stranger = client.post("/forgot-password", data={"email": "nobody@example.org"}, follow_redirects=True)

    assert member.status_code == stranger.status_code == 200
    said = "If that address belongs to a member, we have emailed it a link"
    assert said in member.get_data(as_text=True) and said in stranger.get_data(as_text=True)
    told = _notices(db_session)
    assert sorted(n.person_id for n in told) == sorted([broker.id, second_broker.id])
    assert {n.subject_id for n in told} == {person.id}
    with app.test_request_context():
        [line] = messages.lines_for(db_session, told[:1])
    assert line.text.startswith("Aled Pryce asked for a new password") and line.url == f"/people/{person.id}"
    [event] = audited("auth.password_help_asked")
    assert event.subject_id == person.id and event.actor_id is None


def test_asking_twice_in_a_day_tells_the_brokers_once(client, db_session, make_member, broker, bank):
    make_member(bank, "Aled Pryce", email="aled@example.org", contact_by=ContactMethod.BROKER)
    for _ in range(3):
        client.post("/forgot-password", data={"email": "aled@example.org"})
    assert len(_notices(db_session)) == 1


def test_an_applicants_brokers_and_otherwise_the_admins_are_told(db_session, make_person, broker, enrolled):
    enrolled.contact_by = ContactMethod.BROKER
    auth.ask_for_password_help(db_session, "olwen@example.org")  # applying, enrolled by the broker
    admin = make_person("Ada Admin", is_admin=True)
    loner = make_person("In No Bank", email="loner@example.org", contact_by=ContactMethod.BROKER)
    auth.ask_for_password_help(db_session, "loner@example.org")
    assert {(n.person_id, n.subject_id) for n in _notices(db_session)} == {(broker.id, enrolled.id),
                                                                           (admin.id, loner.id)}


def test_a_bad_email_is_shown_next_to_the_field(client, db_session):
    page = client.post("/forgot-password", data={"email": "not an email"})
    assert page.status_code == 422 and "Enter an email address like name@example.org" in page.get_data(as_text=True)
    assert _notices(db_session) == []


# --- leaving, and the download ------------------------------------------------------------------------


def test_leaving_stops_live_links_and_the_download_lists_links_without_secrets(db_session, make_member, broker,
                                                                                bank):
    person, _ = make_member(bank, "Aled Pryce")
    used, _ = auth.make_password_link(db_session, broker, person.id, LIFETIMES)
    auth.set_password_with_link(db_session, used, NEW)
    live, _ = auth.make_password_link(db_session, broker, person.id, LIFETIMES)

    data = privacy.export_data(db_session, person)
    privacy.leave(db_session, person, person.id)

    assert [(link["purpose"], link["used_at"] is not None, link["stopped_at"]) for link in data["password_links"]] == [
        ("reset", True, None), ("reset", False, None)]
    text = str(data)
    assert used not in text and live not in text and "secret" not in text
    with pytest.raises(auth.LinkNotUsable):
        auth.usable_link(db_session, live)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(ApiToken)
                             .where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))) == 0
