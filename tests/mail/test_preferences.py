"""A member's choice of which emails they get, on the settings page and over the API; the setting that
names the SMTP server; and what leaving does to a member's emails."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

import config
from tests.jobs.support import run_queued_jobs
from timebank.mail import service as mail
from timebank.mail.models import EmailKind, EmailPreference, EmailStatus, OutboundEmail
from timebank.mail.transport import smtp_settings
from timebank.members.models import ContactMethod
from timebank.notices import service as notices
from timebank.notices.models import NoticeKind
from timebank.privacy import service as privacy


def test_the_settings_page_turns_choices_off_and_on(db_session, browser, make_person):
    person = make_person("Ffion Price")
    client = browser(person)
    page = client.get("/settings/email")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "How you like to be contacted: Email" in text
    assert text.count("checked") == 6  # every choice is on until turned off
    assert "For staff" not in text  # only brokers and admins are offered the staff's emails

    every = {"introductions": "y", "sessions": "y", "feedback": "y", "listings": "y", "checks": "y"}
    saved = client.post("/settings/email", data=every)  # "exchanges" left unticked
    assert saved.status_code == 302 and saved.location.endswith("/settings/email")
    db_session.expire_all()
    assert mail.wanted_choices(db_session, person.id)["exchanges"] is False
    assert not mail.wants(db_session, person.id, EmailKind.DISPUTE_RESOLVED)
    assert mail.wants(db_session, person.id, EmailKind.SESSION_PLACE)

    client.post("/settings/email", data={**every, "exchanges": "y"})
    db_session.expire_all()
    assert all(mail.wanted_choices(db_session, person.id).values())
    assert browser(None).get("/settings/email").status_code == 302  # sign in first


def test_a_broker_is_offered_the_staffs_emails_and_a_residents_unshown_choice_stays_as_it_was(
        db_session, browser, make_person, broker):
    assert "For staff" in browser(broker).get("/settings/email").get_data(as_text=True)
    person = make_person("Ffion Price")
    browser(person).post("/settings/email", data={"exchanges": "y", "introductions": "y", "sessions": "y",
                                                  "listings": "y", "checks": "y"})
    db_session.expire_all()
    assert mail.wanted_choices(db_session, person.id)["staff"] is True  # not shown, so not turned off


def test_the_page_says_when_email_does_not_reach_someone(browser, make_person):
    person = make_person("Dai Jones", contact_by=ContactMethod.BROKER)
    text = browser(person).get("/settings/email").get_data(as_text=True)
    assert "We do not email you" in text and "Through the time bank's broker" in text


def test_the_api_reads_and_changes_the_choices(db_session, api_as, make_person):
    person = make_person("Ffion Price")
    api = api_as(person)
    got = api.get("/me/email-preferences").get_json()
    assert (got["contact_by"], got["emailed"]) == ("email", True)
    assert {row["kind"] for row in got["kinds"]} == {k.value for k in EmailKind} - {"password_set_up", "password_reset"}
    assert all(row["wanted"] for row in got["kinds"])

    put = api.request("PUT", "/me/email-preferences", json={"kinds": [
        {"kind": "listing_review", "wanted": False}, {"kind": "password_reset", "wanted": False}]})
    assert put.status_code == 200
    wanted = {row["kind"]: row["wanted"] for row in put.get_json()["kinds"]}
    assert wanted["listing_review"] is False and wanted["exchange_pending"] is True
    assert mail.wants(db_session, person.id, EmailKind.PASSWORD_RESET)

    bad = api.request("PUT", "/me/email-preferences", json={"kinds": [{"kind": "spam", "wanted": False}]})
    assert bad.status_code == 422


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example:587?starttls=1", {"MAIL_SERVER": "mail.example", "MAIL_PORT": 587, "MAIL_USE_TLS": True,
                                            "MAIL_USE_SSL": False, "MAIL_USERNAME": None, "MAIL_PASSWORD": None}),
    ("smtps://tb%40x.example:s%2Fcret@mail.example", {"MAIL_SERVER": "mail.example", "MAIL_PORT": 465,
                                                      "MAIL_USE_SSL": True, "MAIL_USE_TLS": False,
                                                      "MAIL_USERNAME": "tb@x.example", "MAIL_PASSWORD": "s/cret"}),
    ("smtp://localhost", {"MAIL_SERVER": "localhost", "MAIL_PORT": 25}),
])
def test_the_mail_url_becomes_flask_mails_settings(url, expected):
    settings = smtp_settings(url)
    assert {name: settings[name] for name in expected} == expected


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtp://mail.example:99999",
                                 "smtps://mail.example?starttls=1", "smtp://mail.example?tls=1"])
def test_a_mail_url_that_cannot_be_used_stops_the_app_at_start(monkeypatch, url):
    monkeypatch.setenv("TIMEBANK_MAIL_URL", url)
    with pytest.raises(config.ConfigError, match="TIMEBANK_MAIL_URL"):
        config.TestingConfig()


def test_production_with_a_mail_server_needs_a_sender_and_the_public_address(monkeypatch):
    monkeypatch.setenv("TIMEBANK_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("TIMEBANK_BENEFIT_KEYS", config._TEST_BENEFIT_KEY)
    monkeypatch.setenv("TIMEBANK_MAIL_URL", "smtp://mail.example:587?starttls=1")
    with pytest.raises(config.ConfigError, match="TIMEBANK_MAIL_FROM"):
        config.ProductionConfig()
    monkeypatch.setenv("TIMEBANK_MAIL_FROM", "Time Bank <hello@tb.example>")
    monkeypatch.setenv("TIMEBANK_BASE_URL", "https://tb.example/")
    made = config.ProductionConfig()
    assert (made.MAIL_SERVER, made.MAIL_DEFAULT_SENDER, made.MAIL_SUPPRESS_SEND) == (
        "mail.example", "Time Bank <hello@tb.example>", False)


def test_leaving_wipes_addresses_and_words_and_sends_nothing_still_queued(db_session, bank, broker, make_member):
    person, _ = make_member(bank, "Aled Pryce")
    notices.notify(db_session, [person.id], NoticeKind.DISPUTE_RESOLVED, 1, "one", time_bank_id=bank.id)
    db_session.commit()
    run_queued_jobs()  # into the outbox: its words are kept
    notices.notify(db_session, [person.id], NoticeKind.DISPUTE_RESOLVED, 1, "two", time_bank_id=bank.id)
    mail.set_wanted(db_session, person.id, {EmailKind.LISTING_REVIEW: False})

    privacy.leave(db_session, broker, person.id)
    db_session.commit()
    run_queued_jobs()
    rows = db_session.scalars(sa.select(OutboundEmail).where(OutboundEmail.person_id == person.id)
                              .order_by(OutboundEmail.id)).all()
    assert [(r.status, r.to_address, r.text_body) for r in rows] == [
        (EmailStatus.SENT, None, None), (EmailStatus.FAILED, None, None)]
    assert db_session.scalars(sa.select(EmailPreference).where(EmailPreference.person_id == person.id)).all() == []
