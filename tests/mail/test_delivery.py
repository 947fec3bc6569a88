"""Emails that reach people: each notice is emailed, through the job queue, to a real SMTP server (aiosmtpd,
``tests/mail/conftest.py``) in the member's own language, as plain text and HTML, with a link that stops
that kind; a member who hears through their broker gets none (their broker's list has it instead), nor
does one who turned the kind off; a refused send is tried again and its attempts kept."""

from __future__ import annotations

import contextlib
import re
import smtplib
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from tests.jobs.support import run_queued_jobs
from timebank.jobs import runner
from timebank.jobs import service as jobs
from timebank.jobs.models import Job, JobState
from timebank.mail import service as mail
from timebank.mail import tasks
from timebank.mail.errors import EmailNotFound, NotForThisBroker
from timebank.mail.models import EmailKind, EmailStatus, OutboundEmail
from timebank.members.models import ContactMethod, Language
from timebank.notices import service as notices
from timebank.notices.models import NoticeKind


def _send(db_session) -> list[int]:
    """Commit what the test made (as its request would), then run the queued jobs, as a worker would."""
    db_session.commit()
    return run_queued_jobs()


def _body(message: EmailMessage, kind: str) -> str:
    part = message.get_body((kind,))
    assert part is not None, f"no {kind} part"
    return part.get_content()


def _email_of(db_session, person) -> OutboundEmail:
    return db_session.scalars(sa.select(OutboundEmail).where(OutboundEmail.person_id == person.id)).one()


@pytest.fixture
def pending_for(db_session, make_bank, make_member, exchange_of):
    """A bank, and a function: an exchange a neighbour recorded for ``person`` to confirm, and its notice."""
    bank = make_bank(name="Hollinbridge Time Bank")
    _neighbour, neighbour_account = make_member(bank, "Aled Neighbour")

    def make(name: str, **kw):
        person, account = make_member(bank, name, **kw)
        exchange = exchange_of(neighbour_account, account, 90, by=_neighbour)
        notices.notify(db_session, notices.people_to_tell(db_session, person.id, bank.id),
                       NoticeKind.EXCHANGE_PENDING, exchange.id, f"test:{exchange.id}", time_bank_id=bank.id)
        return person, exchange

    make.bank = bank
    return make


def test_a_notice_arrives_by_email_in_each_members_language_as_text_and_html(app, db_session, smtp, pending_for):
    english, exchange = pending_for("Beth Evans")
    welsh, _ = pending_for("Bethan Owen", preferred_language=Language.WELSH)
    _send(db_session)

    [to_beth] = smtp.to(english.email)
    [to_bethan] = smtp.to(welsh.email)
    with app.test_request_context():
        with force_locale("en"):
            english_words = gettext("An exchange is waiting for an answer: %(help)s. Please confirm it if it is "
                                    "right, or decline it.", help="").split(":")[0]
        with force_locale("cy"):
            welsh_words = gettext("An exchange is waiting for an answer: %(help)s. Please confirm it if it is "
                                  "right, or decline it.", help="").split(":")[0]
    assert english_words != welsh_words
    assert english_words in _body(to_beth, "plain") and english_words in _body(to_beth, "html")
    assert welsh_words in _body(to_bethan, "plain") and welsh_words in _body(to_bethan, "html")
    assert english_words not in _body(to_bethan, "plain")
    assert to_beth["From"] == "Hollinbridge Time Bank <hello@tb.example>"
    assert to_beth["Auto-Submitted"] == "auto-generated"
    assert to_beth["Subject"] == "An exchange or dispute needs you"
    # The link goes to the exchange, on the app's public address.
    assert f"https://timebank.example/exchanges/{exchange.id}" in _body(to_beth, "plain")
    assert f'href="https://timebank.example/exchanges/{exchange.id}"' in _body(to_beth, "html")

    row = _email_of(db_session, english)
    db_session.refresh(row)
    assert (row.status, row.attempts, row.language, row.kind, row.last_error) == (
        EmailStatus.SENT, 1, "en", EmailKind.EXCHANGE_PENDING, None)
    assert row.text_body is None and row.html_body is None  # words are kept only by the outbox
    assert _email_of(db_session, welsh).language == "cy"


def test_the_unsubscribe_link_and_its_one_click_headers_stop_that_kind_only(app, db_session, smtp, pending_for,
                                                                             browser):
    person, _ = pending_for("Beth Evans")
    _send(db_session)
    [message] = smtp.to(person.email)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = re.fullmatch(r"<(https://timebank\.example/unsubscribe/[^>]+)>", message["List-Unsubscribe"])
    assert header is not None
    address = header.group(1)
    assert address in _body(message, "plain") and address in _body(message, "html")
    path = address.removeprefix("https://timebank.example")

    anonymous = browser(None)
    page = anonymous.get(path)
    assert page.status_code == 200 and "Stop these emails" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert mail.wants(db_session, person.id, EmailKind.EXCHANGE_PENDING)  # reading the page changes nothing

    # What a mail program sends (RFC 8058): a POST with no CSRF token and no cookie.
    done = anonymous.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Emails stopped" in done.get_data(as_text=True)
    db_session.expire_all()
    assert not mail.wants(db_session, person.id, EmailKind.EXCHANGE_PENDING)
    assert mail.wants(db_session, person.id, EmailKind.LISTING_REVIEW)
    assert mail.wanted_choices(db_session, person.id)["exchanges"] is False

    # A tampered token is no link at all.
    token_path, language = path.split("?")
    assert language == "lang=en"  # the page speaks the email's language: whoever opens it is not signed in
    assert anonymous.get(token_path[:-2] + "xx").status_code == 404
    assert anonymous.post(token_path[:-2] + "xx").status_code == 404


def test_the_unsubscribe_page_of_a_welsh_email_is_in_welsh(db_session, smtp, pending_for, browser):
    welsh, _ = pending_for("Bethan Owen", preferred_language=Language.WELSH)
    _send(db_session)
    [message] = smtp.to(welsh.email)
    address = re.fullmatch(r"<(https://timebank\.example/unsubscribe/[^>]+)>", message["List-Unsubscribe"]).group(1)
    page = browser(None).get(address.removeprefix("https://timebank.example")).get_data(as_text=True)
    assert "Atal y negeseuon e-bost hyn" in page and "Stop these emails" not in page


def test_a_member_who_hears_through_their_broker_gets_no_email_and_their_broker_passes_it_on(
        db_session, smtp, pending_for, make_broker, make_bank):
    broker = make_broker(pending_for.bank, "Nia Broker")
    person, _ = pending_for("Dai Jones", contact_by=ContactMethod.BROKER)
    no_address, _ = pending_for("Eira Hughes", email=None)
    _send(db_session)

    assert smtp.to(person.email) == []
    assert smtp.to(broker.email)  # the broker is told themselves, as the notices page tells them
    rows = {row.person_id: row for row in mail.for_broker(db_session, pending_for.bank.id).items}
    assert set(rows) == {person.id, no_address.id}
    assert rows[person.id].status is EmailStatus.FOR_BROKER and rows[person.id].attempts == 0
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Job)
                             .where(Job.payload["email_id"].as_integer() == rows[person.id].id)) == 0

    with pytest.raises(NotForThisBroker):
        mail.mark_passed_on(db_session, make_broker(make_bank(name="Another Bank")), rows[person.id].id)
    with pytest.raises(EmailNotFound):  # a queued one is not the broker's to pass on
        mail.mark_passed_on(db_session, broker, db_session.scalars(
            sa.select(OutboundEmail.id).where(OutboundEmail.person_id == broker.id)).first())
    passed = mail.mark_passed_on(db_session, broker, rows[person.id].id)
    assert (passed.status, passed.passed_on_by_id) == (EmailStatus.PASSED_ON, broker.id)
    assert mail.mark_passed_on(db_session, broker, passed.id).passed_on_at == passed.passed_on_at
    assert [row.person_id for row in mail.for_broker(db_session, pending_for.bank.id).items] == [no_address.id]


def test_a_kind_turned_off_sends_nothing(db_session, smtp, pending_for, make_person):
    chooser = make_person("Ffion Price")
    mail.set_choices(db_session, chooser.id, {"exchanges": False})
    assert mail.wanted_choices(db_session, chooser.id) == {
        "exchanges": False, "introductions": True, "sessions": True, "feedback": True, "listings": True,
        "checks": True, "staff": True}
    person, exchange = pending_for("Gwen Rees")
    mail.set_wanted(db_session, person.id, {EmailKind.EXCHANGE_PENDING: False, EmailKind.PASSWORD_RESET: False})
    notices.notify(db_session, [person.id], NoticeKind.EXCHANGE_PENDING, exchange.id, "again", time_bank_id=None)
    assert _email_of(db_session, person).status is EmailStatus.QUEUED  # the first, made before she chose
    _send(db_session)
    assert len(smtp.to(person.email)) == 1
    assert mail.wants(db_session, person.id, EmailKind.PASSWORD_RESET)  # always sent: not a choice


def test_a_refused_send_is_tried_again_and_its_attempts_and_error_are_kept(db_session, smtp, pending_for):
    smtp.refusals.append("451 4.3.0 Mailbox busy, try again later")
    person, _ = pending_for("Huw Morgan")
    [job_id] = _send(db_session)
    db_session.expire_all()
    row, job = _email_of(db_session, person), db_session.get(Job, job_id)
    assert (row.status, row.attempts, row.last_error) == (EmailStatus.QUEUED, 1, "smtp 451")
    assert (job.state, job.attempts) == (JobState.QUEUED, 1)
    assert smtp.to(person.email) == []

    runner.perform(job_id)  # Dramatiq's retry, after its back-off
    db_session.expire_all()
    row = _email_of(db_session, person)
    assert (row.status, row.attempts, row.last_error) == (EmailStatus.SENT, 2, None)
    assert len(smtp.to(person.email)) == 1
    runner.perform(job_id)  # a message delivered twice sends once
    assert len(smtp.to(person.email)) == 1


def test_an_email_refused_for_good_or_on_every_attempt_ends_failed_and_can_be_sent_again(db_session, smtp,
                                                                                          pending_for, make_person):
    smtp.refusals.append("550 5.1.1 No such mailbox")
    gone, _ = pending_for("Iolo Davies")
    [job_id] = _send(db_session)
    db_session.expire_all()
    row = _email_of(db_session, gone)
    assert (row.status, row.attempts, row.last_error) == (EmailStatus.FAILED, 1, "smtp 550")
    assert db_session.get(Job, job_id).state is JobState.FAILED  # a 5xx is not tried again

    smtp.refusals.extend(["421 4.3.2 Closing"] * tasks.MAX_ATTEMPTS)
    busy, _ = pending_for("Jac Lewis")
    [job_id] = _send(db_session)
    for _attempt in range(tasks.MAX_ATTEMPTS - 1):
        with contextlib.suppress(smtplib.SMTPException):  # raised back to Dramatiq, which retries it
            runner.perform(job_id)
    db_session.expire_all()
    row = _email_of(db_session, busy)
    assert (row.status, row.attempts, row.last_error) == (EmailStatus.FAILED, tasks.MAX_ATTEMPTS, "smtp 421")
    assert db_session.get(Job, job_id).state is JobState.FAILED
    assert smtp.messages == []

    # The server is back: an admin sends the failed job again from the jobs page, and the email goes.
    admin = make_person("Ada Admin", is_admin=True)
    jobs.retry(db_session, admin, job_id)
    _send(db_session)
    db_session.expire_all()
    row = _email_of(db_session, busy)
    assert (row.status, row.attempts, row.last_error) == (EmailStatus.SENT, 1, None)
    assert len(smtp.to(busy.email)) == 1


def test_with_no_smtp_server_emails_go_to_the_outbox(app, db_session, pending_for, make_person, browser, api_as):
    assert app.config["MAIL_URL"] is None
    person, _ = pending_for("Beth Evans", preferred_language=Language.WELSH)
    _send(db_session)
    row = _email_of(db_session, person)
    db_session.refresh(row)
    assert row.status is EmailStatus.SENT and row.sent_at is not None
    assert row.subject_line and "http" in row.text_body and "<a href=" in row.html_body

    admin = make_person("Ada Admin", is_admin=True)
    listed = browser(admin).get("/outbox")
    assert listed.status_code == 200 and row.subject_line in listed.get_data(as_text=True)
    shown = browser(admin).get(f"/outbox/{row.id}")
    assert shown.status_code == 200 and person.email in shown.get_data(as_text=True)
    assert browser(person).get("/outbox").status_code == 403
    assert browser(person).get(f"/outbox/{row.id}").status_code == 403
    assert browser(admin).get("/outbox/999999").status_code == 404

    api = api_as(admin).get("/outbox")
    assert api.status_code == 200
    [item] = [item for item in api.get_json()["items"] if item["id"] == row.id]
    assert (item["to_address"], item["language"], item["status"]) == (person.email, "cy", "sent")
    assert api_as(person).get("/outbox").status_code == 403


def test_every_kind_of_notice_is_a_kind_of_email_with_words(app):
    from timebank.mail import compose

    assert {kind.value for kind in NoticeKind} <= {kind.value for kind in EmailKind}
    assert compose.unwritten_kinds() == set()
