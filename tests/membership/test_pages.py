"""The joining and application pages, as people use them: a resident joins, a broker takes the
application from interview through references and DBS to approval; bad input is shown next to the field
and changes nothing; each person sees only what is theirs to see. Outcomes are checked in the database."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask_babel import format_date

from tests.conftest import PASSWORD
from tests.exchanges.test_pages import error_next_to
from tests.test_form_controls import boxes_without_a_target
from timebank.ledger.models import Account
from timebank.members.models import ContactMethod, Language, Person
from timebank.membership import service as membership
from timebank.membership.models import Application, ApplicationStatus, ReferenceOutcome, Vouch
from timebank.safeguarding import service as safeguarding
from timebank.safeguarding.models import DbsLevel


def join_form(bank, **changes: str) -> dict[str, str]:
    """What a new resident types into "Join a time bank"."""
    data = {
        "display_name": "Carys Jones",
        "email": "carys@example.org",
        "password": PASSWORD,
        "confirm_password": PASSWORD,
        "phone": "",
        "postcode": "hb3 2qt",
        "preferred_language": "en",
        "contact_by": "email",
        "time_bank_id": str(bank.id),
        "statement": "I can teach knitting and help in the garden.",
        "referee_1_name": "Dewi Evans",
        "referee_1_contact": "dewi@example.org",
        "referee_1_known_how": "Neighbour for ten years",
        "referee_2_name": "Ffion Lloyd",
        "referee_2_contact": "01632 960 123",
        "referee_2_known_how": "We sing in the same choir",
    }
    data.update(changes)
    return data


def person_by_email(db_session, email: str) -> Person | None:
    return db_session.scalar(sa.select(Person).where(Person.email == email))


def count(db_session, model: Any, *where: Any) -> int:
    """Rows of ``model`` this test made (other tests' committed rows, if any, are left out by ``where``)."""
    return db_session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


# --- the whole journey -----------------------------------------------------------------------------


def test_a_broker_takes_a_new_resident_from_joining_to_approval(db_session, browser, bank, broker, today, audited):
    resident = browser(None)
    assert "Hollinbridge Time Bank" in resident.get("/join").get_data(as_text=True)
    joined = resident.post("/join", data=join_form(bank))
    person = person_by_email(db_session, "carys@example.org")
    application = db_session.scalar(sa.select(Application).where(Application.holder_id == person.id))
    assert joined.status_code == 302 and joined.location.endswith(f"/applications/{application.id}")
    assert (person.postcode, person.contact_by, application.status) == ("HB3 2QT", ContactMethod.EMAIL,
                                                                       ApplicationStatus.SUBMITTED)
    page = text_of(resident.get(joined.location))  # signed in by joining
    assert "Your application to join Hollinbridge Time Bank" in page and "Sent, waiting for a broker" in page
    assert "Dewi Evans" in page and "Withdraw the application" in page

    client = browser(broker)
    url = f"/applications/{application.id}"
    page = text_of(client.get(url))
    assert "carys@example.org" in page and "I can teach knitting" in page
    assert "Home visits: not yet" in page

    assert client.post(f"{url}/interview", data={"interview_on": today.isoformat()}).status_code == 302
    for reference in application.references:
        prefix = f"reference-{reference.id}"
        response = client.post(f"{url}/references/{reference.id}",
                               data={f"{prefix}-outcome": "satisfactory", f"{prefix}-outcome_on": today.isoformat()})
        assert response.status_code == 302
    db_session.refresh(application)
    assert application.status == ApplicationStatus.IN_REVIEW and application.interview_on == today
    assert [r.outcome for r in application.references] == [ReferenceOutcome.SATISFACTORY] * 2

    record = client.post(f"/people/{person.id}/safeguarding/dbs-checks", data={
        "time_bank_id": str(bank.id), "level": "enhanced_barred", "workforce": "both",
        "certificate_number": "001234567890", "issued_on": today.isoformat(), "update_service": "no",
    })
    assert record.status_code == 302 and record.location.endswith(f"/people/{person.id}/safeguarding?bank={bank.id}")
    page = text_of(client.get(url))
    assert "Home visits: yes, until" in page and "Working with children: yes, until" in page

    approved = client.post(f"{url}/approve", data={"approval_note": ""})
    assert approved.status_code == 302 and approved.location.endswith(url)
    db_session.refresh(application)
    assert (application.status, application.decided_by_id) == (ApplicationStatus.APPROVED, broker.id)
    assert db_session.scalar(sa.select(Account).where(Account.holder_id == person.id,
                                                      Account.time_bank_id == bank.id)) is not None
    [event] = audited("membership.approved")
    assert (event.actor_id, event.subject_id, event.time_bank_id) == (broker.id, person.id, bank.id)
    assert "Welcome! You are now a member of Hollinbridge Time Bank" in text_of(resident.get(url))


def test_the_broker_reads_the_decision_first_and_approves_without_checks_only_on_purpose(
        db_session, browser, bank, broker, make_application, hear_from_referees, today, audited):
    """The decision comes before the details, with what it would go ahead without; approving without
    them needs "Approve anyway", which the audit records. An interview still to come is booked, not held."""
    application = make_application(bank)
    url = f"/applications/{application.id}"
    client = browser(broker)
    booked = today + dt.timedelta(days=6)
    assert client.post(f"{url}/interview", data={"interview_on": booked.isoformat()}).status_code == 302
    first = application.references[0]
    client.post(f"{url}/references/{first.id}", data={f"reference-{first.id}-outcome": "satisfactory",
                                                      f"reference-{first.id}-outcome_on": today.isoformat()})

    response = client.get(url)
    html, page = response.get_data(as_text=True), text_of(response)
    assert f"Interview booked for {format_date(booked)} with {broker.display_name}." in page
    assert "Interviewed on" not in page
    assert html.index('id="decision"') < html.index('id="details"') < html.index('id="interview"')
    assert '<a href="#decision">' in html and '<a href="#details">' in html
    warning = page.split("Approving now would go ahead without:")[1].split("You can still approve")[0]
    assert warning.split() == (f"an interview: the one booked for {format_date(booked)} has not happened yet "
                               "two satisfactory references (1 so far) "
                               "a current DBS check at basic level or above").split()
    assert 'name="approve_anyway"' in html and boxes_without_a_target(html) == []

    refused = client.post(f"{url}/approve", data={"approval_note": "Knows half the street"})
    assert refused.status_code == 409
    assert error_next_to(refused.get_data(as_text=True), "approve_anyway").startswith(
        "Error: Not approved: still needed: an interview")
    db_session.refresh(application)
    assert application.is_open and audited("membership.approved") == []

    approved = client.post(f"{url}/approve", data={"approval_note": "Knows half the street", "approve_anyway": "y"})
    assert approved.status_code == 302
    db_session.refresh(application)
    assert application.status == ApplicationStatus.APPROVED
    [event] = audited("membership.approved")
    assert event.details == {"application_id": application.id, "approved_anyway": True,
                             "missing": ["interview", "references", "dbs-check"]}


def test_with_every_check_done_the_page_asks_nothing_more(db_session, browser, bank, broker, make_application,
                                                          hear_from_referees, today):
    application = make_application(bank)
    membership.record_interview(db_session, broker, application.id, today)
    hear_from_referees(application, broker)
    safeguarding.record_dbs_check(db_session, broker, application.holder_id, bank.id,
                                  safeguarding.DbsCheckInput(level=DbsLevel.BASIC, issued_on=today))
    response = browser(broker).get(f"/applications/{application.id}")
    page = text_of(response)
    assert f"Interviewed on {format_date(today)} by {broker.display_name}." in page
    assert "The interview has taken place and the checks are done." in page
    assert "Approving now would go ahead without" not in page
    assert 'name="approve_anyway"' not in response.get_data(as_text=True)


def test_joining_asks_what_people_can_do_never_what_they_need(db_session, browser, bank):
    html = browser(None).get("/join").get_data(as_text=True)
    asked = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([a-z_0-9]+)"', html)) - {"csrf_token"}
    assert asked == set(join_form(bank))
    assert not re.search(r"\b(needs?|conditions?|problems?|benefits?|disabilit\w*|health)\b", text_of_html(html),
                         re.I)
    assert "Through my broker" in html and "Cymraeg" in html


def text_of_html(html: str) -> str:
    """The words of the page's form, leaving out the site's header and footer."""
    form = html.split("<form", 2)[-1]
    return " ".join(re.sub(r"<[^>]+>", " ", form.split("</form>")[0]).split())


def test_joining_in_welsh_with_no_referees_yet(db_session, browser, bank):
    data = join_form(bank, preferred_language="cy", contact_by="text", phone="07700 900123")
    data.update({f"referee_{n}_{part}": "" for n in (1, 2) for part in ("name", "contact", "known_how")})
    assert browser(None).post("/join", data=data).status_code == 302
    person = person_by_email(db_session, "carys@example.org")
    application = db_session.scalar(sa.select(Application).where(Application.holder_id == person.id))
    assert (person.preferred_language, person.contact_by, application.references) == (Language.WELSH,
                                                                                       ContactMethod.TEXT, [])


def test_someone_signed_in_is_sent_to_apply_instead(db_session, browser, make_member, bank):
    member, _ = make_member(bank)
    response = browser(member).get("/join")
    assert response.status_code == 302 and response.location.endswith("/applications/new")


def test_a_member_applies_to_another_bank_for_their_organisation(db_session, browser, make_bank, make_member,
                                                               make_organisation, bank):
    member, _ = make_member(bank, "Gwen Admin")
    charity, _ = make_organisation(bank, "Hollinbridge Food Bank", admins=(member,))
    other = make_bank(name="Dyffryn Time Bank")
    client = browser(member)
    form = client.get("/applications/new").get_data(as_text=True)
    assert "Yourself (Gwen Admin)" in form and "Hollinbridge Food Bank" in form
    response = client.post("/applications/new", data={
        "holder_id": str(charity.id), "time_bank_id": str(other.id), "statement": "We can lend our hall.",
        "referee_1_name": "", "referee_1_contact": "", "referee_2_name": "", "referee_2_contact": "",
    })
    application = db_session.scalar(sa.select(Application).where(Application.holder_id == charity.id))
    assert response.status_code == 302 and response.location.endswith(f"/applications/{application.id}")
    assert (application.time_bank_id, application.submitted_by_id) == (other.id, member.id)
    assert "Hollinbridge Food Bank: application to join Dyffryn Time Bank" in text_of(client.get(response.location))


def test_a_broker_enrols_someone_who_is_not_online(db_session, browser, bank, broker):
    client = browser(broker)
    form = client.get("/applications/new-member").get_data(as_text=True)
    assert re.search(r'<input checked [^>]*value="broker"', form) and 'type="password"' not in form
    response = client.post("/applications/new-member", data={
        "display_name": "Idris Morgan", "email": "", "phone": "", "postcode": "HB3 1AA",
        "preferred_language": "cy", "contact_by": "broker", "time_bank_id": str(bank.id),
        "statement": "Used to be a carpenter",
    })
    assert response.status_code == 302
    person = db_session.scalar(sa.select(Person).where(Person.display_name == "Idris Morgan"))
    application = db_session.scalar(sa.select(Application).where(Application.holder_id == person.id))
    assert (person.email, person.password_hash, person.contact_by) == (None, None, ContactMethod.BROKER)
    assert application.submitted_by_id == broker.id
    assert "Filled in by Nia Broker" in text_of(client.get(response.location))


def test_the_broker_queue_filters_by_status(db_session, browser, bank, broker, make_application, make_person):
    waiting = make_application(bank, make_person("Wyn Waiting"))
    withdrawn = make_application(bank, make_person("Wendy Withdrawn"))
    withdrawn.status = ApplicationStatus.WITHDRAWN
    client = browser(broker)
    everything = text_of(client.get("/applications"))
    assert "Wyn Waiting" in everything and "Wendy Withdrawn" in everything
    submitted = client.get(f"/applications?status=submitted&bank={bank.id}").get_data(as_text=True)
    assert f"/applications/{waiting.id}" in submitted and f"/applications/{withdrawn.id}" not in submitted
    assert client.get("/applications?status=lost").status_code == 400
    assert client.get("/applications?page=x").status_code == 400


def test_an_applicant_adds_a_referee_and_withdraws(db_session, browser, bank, make_application, make_person):
    applicant = make_person("Alun Applicant")
    application = make_application(bank, applicant, referees=())
    client = browser(applicant)
    url = f"/applications/{application.id}"
    response = client.post(f"{url}/references", data={"referee_name": "Bethan Rees",
                                                      "referee_contact": "bethan@example.org", "known_how": "Friend"})
    assert response.status_code == 302
    assert [r.referee_name for r in application.references] == ["Bethan Rees"]
    assert client.post(f"{url}/withdraw").status_code == 302
    db_session.refresh(application)
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "This application was withdrawn" in text_of(client.get(url))


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"postcode": "NOT A CODE"}, "postcode", "Enter a UK postcode"),
    ({"password": "short", "confirm_password": "short"}, "password", "at least 10 characters"),
    ({"confirm_password": "something else entirely"}, "confirm_password", "The two passwords are different"),
    ({"email": "carys at example"}, "email", "Enter an email address like name@example.org"),
    ({"contact_by": "phone"}, "contact_by", "Give a phone number"),
    ({"referee_1_name": "", "referee_1_contact": "", "referee_1_known_how": ""}, "referee_1_name",
     "Fill in the first referee before the second"),
    ({"referee_2_contact": ""}, "referee_2_contact", "Enter an email address or phone number for the referee"),
    ({"time_bank_id": "99999999999"}, "time_bank_id", "Choose a time bank from the list"),
])
def test_bad_joining_details_are_shown_next_to_the_field(db_session, browser, bank, changes, field, message):
    response = browser(None).post("/join", data=join_form(bank, **changes))
    assert response.status_code == 422
    assert message in error_next_to(response.get_data(as_text=True), field)
    assert person_by_email(db_session, "carys@example.org") is None
    assert count(db_session, Application, Application.time_bank_id == bank.id) == 0


def test_every_problem_with_joining_shows_in_one_round(db_session, browser, bank):
    data = join_form(bank, postcode="x", password="short", confirm_password="short", phone="call me", email="carys")
    response = browser(None).post("/join", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert all(error_next_to(html, field) for field in ("postcode", "password", "phone", "email"))
    assert count(db_session, Application, Application.time_bank_id == bank.id) == 0


def test_an_email_already_joined_is_refused(db_session, browser, bank, make_person):
    make_person("Carys Jones", email="carys@example.org")
    response = browser(None).post("/join", data=join_form(bank))
    assert response.status_code == 422
    assert "already joined with that email" in error_next_to(response.get_data(as_text=True), "email")
    assert count(db_session, Application, Application.time_bank_id == bank.id) == 0


def test_a_second_open_application_to_the_same_bank_is_refused(db_session, browser, bank, make_application,
                                                               make_person):
    applicant = make_person("Alun Applicant")
    make_application(bank, applicant)
    response = browser(applicant).post("/applications/new", data={"holder_id": str(applicant.id),
                                                                  "time_bank_id": str(bank.id)})
    assert response.status_code == 422
    assert "already an open application" in error_next_to(response.get_data(as_text=True), "time_bank_id")
    assert count(db_session, Application, Application.time_bank_id == bank.id) == 1


def test_declining_needs_a_reason(db_session, browser, bank, broker, make_application):
    application = make_application(bank)
    response = browser(broker).post(f"/applications/{application.id}/decline", data={"reason": "  "})
    assert response.status_code == 422
    assert "Say why" in error_next_to(response.get_data(as_text=True), "reason")
    db_session.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED and application.decided_by_id is None


def test_declining_with_a_reason_tells_the_applicant(db_session, browser, bank, broker, make_application,
                                                     make_person, audited):
    applicant = make_person("Alun Applicant")
    application = make_application(bank, applicant)
    reason = "We could not reach either of your referees."
    assert browser(broker).post(f"/applications/{application.id}/decline", data={"reason": reason}).status_code == 302
    db_session.refresh(application)
    assert application.status == ApplicationStatus.DECLINED
    assert [e.subject_id for e in audited("membership.declined")] == [application.id]
    page = text_of(browser(applicant).get(f"/applications/{application.id}"))
    assert "Not approved" in page and reason in page


def test_a_decided_application_cannot_be_decided_again(db_session, browser, bank, broker, make_application):
    application = make_application(bank)
    client = browser(broker)
    assert client.post(f"/applications/{application.id}/decline", data={"reason": "No referees"}).status_code == 302
    response = client.post(f"/applications/{application.id}/approve", data={"approval_note": ""})
    assert response.status_code == 409
    assert "already been decided or withdrawn" in text_of(response).split("There is a problem")[1]
    db_session.refresh(application)
    assert application.status == ApplicationStatus.DECLINED
    assert db_session.scalar(sa.select(Account).where(Account.holder_id == application.holder_id)) is None


@pytest.mark.parametrize(("path", "data", "field", "message"), [
    ("interview", {"interview_on": "31/02/2026"}, "interview_on", "Enter a real date"),
    ("interview", {"interview_on": "2099-01-01"}, "interview_on", "Enter a date from"),
    ("references", {"referee_name": "Bethan Rees", "referee_contact": ""}, "referee_contact",
     "Enter an email address or phone number"),
])
def test_bad_review_details_are_shown_next_to_the_field(db_session, browser, bank, broker, make_application,
                                                        path, data, field, message):
    application = make_application(bank)
    response = browser(broker).post(f"/applications/{application.id}/{path}", data=data)
    assert response.status_code == 422
    assert message in error_next_to(response.get_data(as_text=True), field)
    db_session.refresh(application)
    assert (application.interview_on, len(application.references)) == (None, 2)


def test_a_reference_outcome_in_the_future_is_refused(db_session, browser, bank, broker, make_application, today):
    application = make_application(bank)
    reference = application.references[0]
    prefix = f"reference-{reference.id}"
    response = browser(broker).post(
        f"/applications/{application.id}/references/{reference.id}",
        data={f"{prefix}-outcome": "satisfactory", f"{prefix}-outcome_on": "2099-01-01"})
    assert response.status_code == 422
    assert "to today" in error_next_to(response.get_data(as_text=True), f"{prefix}-outcome_on")
    db_session.refresh(reference)
    assert reference.outcome == ReferenceOutcome.AWAITED


# --- who sees what ---------------------------------------------------------------------------------


def test_a_resident_cannot_see_someone_elses_application(db_session, browser, bank, make_member, make_application):
    application = make_application(bank)
    member, _ = make_member(bank)
    client = browser(member)
    assert client.get(f"/applications/{application.id}").status_code == 404
    assert client.post(f"/applications/{application.id}/withdraw").status_code == 404
    assert f"/applications/{application.id}" not in client.get("/applications").get_data(as_text=True)


def test_only_a_broker_of_the_bank_decides(db_session, browser, bank, make_bank, make_broker, make_application,
                                           make_person):
    applicant = make_person("Alun Applicant")
    application = make_application(bank, applicant)
    url = f"/applications/{application.id}"
    own = browser(applicant)
    assert "Approve" not in text_of(own.get(url)) and "Safeguarding" not in text_of(own.get(url))
    assert own.post(f"{url}/approve").status_code == 403
    assert own.post(f"{url}/interview", data={}).status_code == 403
    elsewhere = browser(make_broker(make_bank(), "Other Broker"))
    assert elsewhere.get(url).status_code == 404
    assert elsewhere.post(f"{url}/approve").status_code == 404
    db_session.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED
    assert db_session.scalar(sa.select(Account).where(Account.holder_id == applicant.id)) is None


def test_brokers_only_enrol_people(db_session, browser, bank, make_member):
    member, _ = make_member(bank)
    assert browser(member).get("/applications/new-member").status_code == 403


def test_pages_need_signing_in_and_unknown_ids_are_not_found(db_session, browser, bank, broker):
    anonymous = browser(None)
    response = anonymous.get("/applications")
    assert response.status_code == 302 and "/sign-in" in response.location
    client = browser(broker)
    assert client.get(f"/applications/{2**31}").status_code == 404
    assert client.get("/applications/99999999999999").status_code == 404
    assert client.post(f"/applications/{2**31 - 1}/approve").status_code == 404


# --- community vouching ----------------------------------------------------------------------------


@pytest.fixture
def vouching_bank(db_session, bank):
    bank.vouching_enabled = True
    bank.vouches_needed = 2
    db_session.flush()
    return bank


def test_enough_vouches_send_an_application_to_the_broker(db_session, browser, vouching_bank, make_member,
                                                         make_application, make_person):
    applicant = make_person("Alun Applicant", email="alun@example.org")
    application = make_application(vouching_bank, applicant, statement="I can fix bikes.")
    url = f"/applications/{application.id}"
    first, second = (browser(make_member(vouching_bank, name)[0]) for name in ("Vera Voucher", "Victor Voucher"))

    assert url in first.get("/applications?to_vouch=1").get_data(as_text=True)
    page = text_of(first.get(url))
    assert "I can fix bikes." in page and "I know this person and vouch for them" in page
    assert "alun@example.org" not in page  # a voucher sees the name and statement, not contact details

    assert first.post(f"{url}/vouch").status_code == 302
    db_session.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED
    assert "You have vouched for them" in text_of(first.get(url))
    again = first.post(f"{url}/vouch")
    assert again.status_code == 409 and "already vouched" in again.get_data(as_text=True)

    assert second.post(f"{url}/vouch").status_code == 302
    db_session.refresh(application)
    assert application.status == ApplicationStatus.VOUCHED
    assert count(db_session, Vouch, Vouch.application_id == application.id) == 2


def test_nobody_vouches_for_themselves(db_session, browser, vouching_bank, make_application, make_person):
    applicant = make_person("Alun Applicant")
    application = make_application(vouching_bank, applicant)
    client = browser(applicant)
    assert "vouch for them" not in text_of(client.get(f"/applications/{application.id}"))
    response = client.post(f"/applications/{application.id}/vouch")
    assert response.status_code == 403 and "You cannot vouch for yourself" in response.get_data(as_text=True)
    assert count(db_session, Vouch, Vouch.application_id == application.id) == 0


def test_no_vouching_where_the_bank_does_not_use_it(db_session, browser, bank, make_member, make_application):
    application = make_application(bank)
    client = browser(make_member(bank)[0])
    assert client.get(f"/applications/{application.id}").status_code == 404
    assert client.post(f"/applications/{application.id}/vouch").status_code == 404
    assert count(db_session, Vouch, Vouch.application_id == application.id) == 0
