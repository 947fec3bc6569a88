"""The safeguarding pages: a broker records DBS checks and notes and sees the clearances they give;
nobody else sees any of it. Outcomes are checked in the database."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.exchanges.test_pages import error_next_to
from tests.membership.test_pages import text_of
from tests.safeguarding.conftest import years_ago
from timebank.audit.models import AuditEvent
from timebank.banks import service as banks
from timebank.members.models import BankRoleName
from timebank.safeguarding.models import DbsCheck, DbsLevel, SafeguardingNote


@pytest.fixture
def member(make_joined, bank, broker):
    person, _ = make_joined(bank, broker, "Mari Member")
    return person


def check_form(bank, **changes: str) -> dict[str, str]:
    data = {"time_bank_id": str(bank.id), "level": "basic", "workforce": "", "certificate_number": "",
            "issued_on": years_ago(1).isoformat(), "update_service": "no", "status_checked_on": ""}
    data.update(changes)
    return data


def checks(db_session, person) -> list[DbsCheck]:
    return list(db_session.scalars(sa.select(DbsCheck).where(DbsCheck.person_id == person.id)))


def notes(db_session, person) -> list[SafeguardingNote]:
    return list(db_session.scalars(sa.select(SafeguardingNote).where(SafeguardingNote.person_id == person.id)))


def test_a_broker_records_a_check_and_sees_the_clearances_it_gives(db_session, browser, bank, broker, member):
    client = browser(broker)
    url = f"/people/{member.id}/safeguarding"
    page = text_of(client.get(url))  # the default bank: the one the broker runs
    assert "Safeguarding record: Mari Member" in page and "No DBS checks recorded" in page
    assert "Home visits: not yet" in page

    issued = years_ago(1)
    response = client.post(f"{url}/dbs-checks", data=check_form(
        bank, level="enhanced_barred", workforce="children", certificate_number="0012 3456 7890",
        issued_on=issued.strftime("%d/%m/%Y"), update_service="yes", status_checked_on=years_ago(0, 10).isoformat()))
    assert response.status_code == 302 and response.location.endswith(f"{url}?bank={bank.id}")
    [check] = checks(db_session, member)
    assert (check.level, check.certificate_number, check.issued_on, check.update_service, check.recorded_by_id) == (
        DbsLevel.ENHANCED_BARRED, "001234567890", issued, True, broker.id)

    page = text_of(client.get(response.location))
    assert "The DBS check is recorded" in page
    assert "Enhanced with barred lists (children's barred list)" in page and "Nia Broker" in page
    assert "Home visits: yes, until" in page and "Working with children: yes, until" in page
    assert "Working with adults at risk: not yet" in page
    viewed = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "safeguarding.record_viewed")).all()
    assert {e.subject_id for e in viewed} == {member.id} and len(viewed) >= 2


def test_notes_are_added_and_shown_newest_first(db_session, browser, bank, broker, member):
    client = browser(broker)
    url = f"/people/{member.id}/safeguarding"
    for body in ("First conversation went well.", "Asked about working with children."):
        response = client.post(f"{url}/notes", data={"time_bank_id": str(bank.id), "body": body})
        assert response.status_code == 302
    page = text_of(client.get(url))
    assert page.index("Asked about working with children.") < page.index("First conversation went well.")
    assert [n.author_id for n in notes(db_session, member)] == [broker.id, broker.id]


def test_a_check_about_to_end_is_flagged(db_session, browser, bank, broker, member, make_dbs_check):
    make_dbs_check(member, bank, broker, level=DbsLevel.BASIC, issued_on=years_ago(3, -10))  # counts 36 months
    client = browser(broker)
    assert "Ends soon" in text_of(client.get(f"/people/{member.id}/safeguarding"))
    page = text_of(client.get(f"/banks/{bank.id}/expiring-checks"))
    assert "Mari Member" in page and "Ends soon" in page


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"issued_on": "2099-01-01"}, "issued_on", "to today"),
    ({"issued_on": ""}, "issued_on", "Enter the date on the certificate"),
    ({"level": "enhanced_barred"}, "workforce", "Say which barred lists were checked"),
    ({"level": "basic", "workforce": "both"}, "workforce", "Say which barred lists were checked"),
    ({"certificate_number": "12345"}, "certificate_number", "12 digits"),
    ({"status_checked_on": years_ago(0, 5).isoformat()}, "status_checked_on", "needs the update service"),
    ({"level": "platinum"}, "level", "Choose the level of the check"),
])
def test_a_bad_check_is_shown_next_to_the_field_and_records_nothing(db_session, browser, bank, broker, member,
                                                                     changes, field, message):
    response = browser(broker).post(f"/people/{member.id}/safeguarding/dbs-checks", data=check_form(bank, **changes))
    assert response.status_code == 422
    assert message in error_next_to(response.get_data(as_text=True), field)
    assert checks(db_session, member) == []


def test_an_empty_note_is_refused(db_session, browser, bank, broker, member):
    response = browser(broker).post(f"/people/{member.id}/safeguarding/notes",
                                    data={"time_bank_id": str(bank.id), "body": "   "})
    assert response.status_code == 422
    assert "Write the note" in error_next_to(response.get_data(as_text=True), "body")
    assert notes(db_session, member) == []


def test_only_brokers_of_the_persons_bank_see_the_record(db_session, browser, bank, broker, member, make_member,
                                                         make_bank, make_broker, make_organisation, make_person):
    url = f"/people/{member.id}/safeguarding"
    resident, _ = make_member(bank, "Rhod Resident")
    org_admin, _ = make_member(bank, "Olwen Admin")
    make_organisation(bank, "Hollinbridge Food Bank", admins=(org_admin,))
    funder = make_person("Ffion Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)
    for person in (resident, org_admin, member, funder):
        client = browser(person)
        assert client.get(url).status_code == 403
        assert client.post(f"{url}/notes", data={"time_bank_id": str(bank.id), "body": "x"}).status_code == 403
        assert client.get(f"/banks/{bank.id}/expiring-checks").status_code == 403

    elsewhere = browser(make_broker(make_bank(), "Other Broker"))
    assert elsewhere.get(url).status_code == 404
    assert elsewhere.get(f"{url}?bank={bank.id}").status_code == 403
    assert elsewhere.post(f"{url}/dbs-checks", data=check_form(bank)).status_code == 403
    assert elsewhere.get(f"/banks/{bank.id}/expiring-checks").status_code == 403
    assert checks(db_session, member) == [] and notes(db_session, member) == []


def test_unknown_people_banks_and_huge_ids(db_session, browser, bank, broker, member):
    client = browser(broker)
    assert client.get(f"/people/{2**31}/safeguarding").status_code == 404
    assert client.get("/people/99999999/safeguarding").status_code == 404
    assert client.get(f"/people/{member.id}/safeguarding?bank=99999999").status_code == 404
    assert client.get(f"/people/{member.id}/safeguarding?bank={2**40}").status_code == 400
    assert client.get(f"/banks/{2**31}/expiring-checks").status_code == 404
    response = client.post(f"/people/{member.id}/safeguarding/notes", data={"time_bank_id": str(2**40), "body": "x"})
    assert response.status_code == 400
    assert notes(db_session, member) == []


def test_a_person_who_only_applied_has_a_record_in_that_bank(db_session, browser, bank, broker, make_application,
                                                            make_person):
    applicant = make_person("Alun Applicant")
    make_application(bank, applicant)
    client = browser(broker)
    response = client.post(f"/people/{applicant.id}/safeguarding/dbs-checks",
                           data=check_form(bank, issued_on=(dt.date(2012, 11, 30)).isoformat()))
    assert response.status_code == 422
    assert "December 2012" in error_next_to(response.get_data(as_text=True), "issued_on")
    assert client.get(f"/people/{applicant.id}/safeguarding").status_code == 200


def test_the_application_page_links_a_broker_to_the_record(db_session, browser, bank, broker, make_application):
    application = make_application(bank)
    page = browser(broker).get(f"/applications/{application.id}").get_data(as_text=True)
    assert f'href="/people/{application.holder_id}/safeguarding?bank={bank.id}"' in page
