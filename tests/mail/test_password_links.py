"""Links to choose a password, by email: the broker asks, the job makes the link as it sends the email, so
the secret is in the email and nowhere else (not in the database, the job's payload, nor the broker's
page); a forgotten password brings a reset link by email, whatever the address, the page says the same."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa

from tests.auth.conftest import signed_in
from tests.jobs.support import run_queued_jobs
from timebank.auth.models import PasswordLink, PasswordLinkPurpose
from timebank.db import Base
from timebank.digests import readable_digest
from timebank.jobs.models import Job
from timebank.mail.models import EmailKind, EmailStatus, OutboundEmail
from timebank.members.models import Language

NEW = "bara brith on a tuesday"
LINK = re.compile(r"https://timebank\.example(/password/([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}))")


def _everything_stored(db_session) -> str:
    """Every row of every table, as text."""
    return json.dumps([[dict(row) for row in db_session.execute(sa.select(table)).mappings()]
                       for table in Base.metadata.sorted_tables], default=str)


def test_a_set_up_link_is_emailed_and_works_and_its_secret_is_stored_nowhere(app, db_session, smtp, browser, bank,
                                                                              broker, make_member):
    person, _ = make_member(bank, "Olwen Owen", password="", preferred_language=Language.WELSH)
    assert person.password_hash is None
    staff = browser(broker)
    page = staff.get(f"/people/{person.id}/password-link").get_data(as_text=True)
    assert f"will be emailed to {person.email}" in page

    made = staff.post(f"/people/{person.id}/password-link")
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and f"A link is on its way to {person.email}" in html
    assert "/password/" not in html
    email = db_session.scalars(sa.select(OutboundEmail).where(OutboundEmail.person_id == person.id)).one()
    assert (email.kind, email.status, email.language) == (EmailKind.PASSWORD_SET_UP, EmailStatus.QUEUED, "cy")
    assert db_session.scalar(sa.select(PasswordLink).where(PasswordLink.person_id == person.id)) is None

    run_queued_jobs()
    [message] = smtp.to(person.email)
    text = message.get_body(("plain",)).get_content()
    path, secret = LINK.search(text).groups()
    assert f'href="https://timebank.example{path}"' in message.get_body(("html",)).get_content()
    assert "List-Unsubscribe" not in message  # a password link is not a choice
    link = db_session.scalars(sa.select(PasswordLink).where(PasswordLink.person_id == person.id)).one()
    assert (link.purpose, link.created_by_id, link.secret_hash) == (PasswordLinkPurpose.SET_UP, broker.id,
                                                                     readable_digest(secret))
    stored = _everything_stored(db_session)
    assert secret not in stored and secret.replace("-", "") not in stored
    job = db_session.scalars(sa.select(Job).where(Job.kind == "mail.send")).one()
    assert set(job.payload) == {"email_id", "maker_id"}

    member = browser(None)
    assert member.get(path).status_code == 200
    chosen = member.post(path, data={"new_password": NEW, "confirm_password": NEW})
    assert chosen.status_code == 302 and signed_in(member)


def test_a_link_that_cannot_be_emailed_leaves_no_link_behind(db_session, smtp, bank, broker, make_member, browser):
    smtp.refusals.append("451 4.3.0 Try later")
    person, _ = make_member(bank, "Aled Pryce")
    browser(broker).post(f"/people/{person.id}/password-link")
    run_queued_jobs()
    db_session.expire_all()
    assert db_session.scalar(sa.select(PasswordLink).where(PasswordLink.person_id == person.id)) is None
    email = db_session.scalars(sa.select(OutboundEmail).where(OutboundEmail.person_id == person.id)).one()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.QUEUED, 1, "smtp 451")


def test_a_forgotten_password_brings_a_reset_link_by_email(app, db_session, smtp, client, bank, make_member, browser):
    person, _ = make_member(bank, "Aled Pryce", email="aled@example.org")
    member = client.post("/forgot-password", data={"email": "Aled@Example.org"}, follow_redirects=True)
    stranger = client.post("/forgot-password", data={"email": "nobody@example.org"}, follow_redirects=True)
    said = "If that address belongs to a member, we have emailed it a link"
    assert said in member.get_data(as_text=True) and said in stranger.get_data(as_text=True)

    run_queued_jobs()
    assert [m["To"] for m in smtp.messages] == ["aled@example.org"]
    [message] = smtp.messages
    assert message["Subject"] == "Choose a new password"
    path, _secret = LINK.search(message.get_body(("plain",)).get_content()).groups()
    link = db_session.scalars(sa.select(PasswordLink).where(PasswordLink.person_id == person.id)).one()
    assert (link.purpose, link.created_by_id) == (PasswordLinkPurpose.RESET, person.id)
    anyone = browser(None)
    assert anyone.post(path, data={"new_password": NEW, "confirm_password": NEW}).status_code == 302
