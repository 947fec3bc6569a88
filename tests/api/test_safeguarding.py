"""Safeguarding over the API: brokers record DBS checks and notes; clearances are derived from them and
their expiry; nobody else sees any of it."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.api.support import assert_problem
from timebank.audit.models import AuditEvent
from timebank.membership import service as membership
from timebank.membership.models import ReferenceOutcome
from timebank.safeguarding.clearances import add_months
from timebank.safeguarding.models import DbsCheck


@pytest.fixture
def referenced(db_session, make_bank, make_broker, make_applicant, today):
    """An applicant whose two references a broker found satisfactory. Returns (bank, broker, applicant)."""
    bank = make_bank()
    broker = make_broker(bank)
    applicant, application = make_applicant(bank)
    for reference in application.references:
        membership.record_reference_outcome(db_session, broker, application.id, reference.id,
                                            ReferenceOutcome.SATISFACTORY, today)
    return bank, broker, applicant


def _check(bank, **overrides):
    return {"time_bank_id": bank.id, "level": "enhanced_barred", "workforce": "both",
            "certificate_number": "0012 3456 7890", "issued_on": "2024-06-03", "update_service": False,
            **overrides}


def _clearances(record):
    return {c["clearance"]: c for c in record["clearances"]}


def test_a_current_enhanced_check_and_two_references_clear_every_kind_of_work(referenced, api_as, today):
    bank, broker, applicant = referenced
    as_broker = api_as(broker)
    issued = today - dt.timedelta(days=100)

    recorded = as_broker.post(f"/people/{applicant.id}/dbs-checks", json=_check(bank, issued_on=issued.isoformat()))

    assert recorded.status_code == 201, recorded.get_json()
    check = recorded.get_json()
    assert (check["level"], check["workforce"], check["certificate_number"]) == ("enhanced_barred", "both",
                                                                                "001234567890")
    assert (check["recorded_by_id"], check["person_id"]) == (broker.id, applicant.id)
    record = as_broker.get(f"/people/{applicant.id}/safeguarding?time_bank_id={bank.id}").get_json()
    until = (add_months(issued, 36) - dt.timedelta(days=1)).isoformat()
    assert [c["valid_until"] for c in record["checks"]] == [until]
    clearances = _clearances(record)
    assert set(clearances) == {"home_visits", "children", "adults_at_risk"}
    assert all(c["granted"] and c["valid_until"] == until and not c["expiring_soon"] and c["missing"] == []
               for c in clearances.values())
    assert clearances["children"]["label"] == "Working with children"


def test_an_expired_dbs_check_gives_no_clearance(db_session, referenced, api_as, today):
    bank, broker, applicant = referenced
    as_broker = api_as(broker)
    issued = add_months(today, -40)

    assert as_broker.post(f"/people/{applicant.id}/dbs-checks",
                          json=_check(bank, issued_on=issued.isoformat())).status_code == 201
    record = as_broker.get(f"/people/{applicant.id}/safeguarding?time_bank_id={bank.id}").get_json()

    assert record["checks"][0]["valid_until"] < today.isoformat()
    for clearance in record["clearances"]:
        assert (clearance["granted"], clearance["valid_until"]) == (False, None)
        assert len(clearance["missing"]) == 1 and "ran out" in clearance["missing"][0]


def test_without_references_a_current_check_is_not_enough(make_bank, make_broker, make_applicant, api_as, today):
    bank = make_bank()
    broker = make_broker(bank)
    applicant, _ = make_applicant(bank)
    as_broker = api_as(broker)

    as_broker.post(f"/people/{applicant.id}/dbs-checks", json=_check(bank, issued_on=today.isoformat()))
    record = as_broker.get(f"/people/{applicant.id}/safeguarding?time_bank_id={bank.id}").get_json()

    home_visits = _clearances(record)["home_visits"]
    assert home_visits["granted"] is False
    assert home_visits["missing"] == ["two satisfactory references (0 so far)"]


def test_a_check_running_out_within_30_days_shows_to_brokers(
    db_session, make_bank, make_broker, make_member, api_as, today
):
    bank = make_bank()
    broker = make_broker(bank)
    soon, _ = make_member(bank, "Soon Ending")
    later, _ = make_member(bank, "Long Lasting")
    as_broker = api_as(broker)
    ending = add_months(today + dt.timedelta(days=10), -36)  # its last day is about 9 days from today

    for person, issued in ((soon, ending), (later, today)):
        assert as_broker.post(f"/people/{person.id}/dbs-checks",
                              json=_check(bank, level="basic", workforce=None, issued_on=issued.isoformat())
                              ).status_code == 201
    expiring = as_broker.get(f"/banks/{bank.id}/expiring-checks")

    assert expiring.status_code == 200
    assert [(item["person_id"], item["name"], item["level"], item["valid_until"]) for item in expiring.get_json()] == [
        (soon.id, "Soon Ending", "basic", (add_months(ending, 36) - dt.timedelta(days=1)).isoformat())]
    record = as_broker.get(f"/people/{soon.id}/safeguarding?time_bank_id={bank.id}").get_json()
    assert _clearances(record)["home_visits"]["granted"] is False  # no references for a member made directly


def test_notes_are_for_the_banks_brokers_and_reading_is_audited(db_session, referenced, api_as):
    bank, broker, applicant = referenced
    as_broker = api_as(broker)

    added = as_broker.post(f"/people/{applicant.id}/safeguarding-notes",
                           json={"time_bank_id": bank.id, "body": "  Prefers visits with a second volunteer.  "})

    assert added.status_code == 201, added.get_json()
    note = added.get_json()
    assert (note["body"], note["author_id"], note["time_bank_id"]) == (
        "Prefers visits with a second volunteer.", broker.id, bank.id)
    record = as_broker.get(f"/people/{applicant.id}/safeguarding?time_bank_id={bank.id}").get_json()
    assert [n["id"] for n in record["notes"]] == [note["id"]]
    assert (record["person_id"], record["name"], record["time_bank_id"]) == (applicant.id, "Test Applicant", bank.id)
    viewed = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "safeguarding.record_viewed",
                                                            AuditEvent.subject_id == applicant.id)).all()
    assert [event.actor_id for event in viewed] == [broker.id]
    assert_problem(as_broker.post(f"/people/{applicant.id}/safeguarding-notes",
                                  json={"time_bank_id": bank.id, "body": "   "}), 422, "body")


def test_nobody_but_the_banks_brokers_sees_or_writes_safeguarding(
    db_session, referenced, make_bank, make_broker, make_member, make_funder, make_organisation, api_as, today
):
    bank, _broker, applicant = referenced
    other_bank = make_bank()
    member, _ = make_member(bank)
    make_organisation(bank, admins=(member,))
    outsiders = {"resident and organisation admin": member, "funder": make_funder(bank),
                 "other bank's broker": make_broker(other_bank)}
    as_applicant = api_as(applicant)
    clients = {name: api_as(person) for name, person in outsiders.items()}
    record = f"/people/{applicant.id}/safeguarding?time_bank_id={bank.id}"
    note = {"time_bank_id": bank.id, "body": "A note"}

    assert_problem(as_applicant.get(f"/people/{applicant.id}/safeguarding?time_bank_id={bank.id}"), 403)
    for client in clients.values():
        assert_problem(client.get(record), 403)
        assert_problem(client.post(f"/people/{applicant.id}/dbs-checks", json=_check(bank)), 403)
        assert_problem(client.post(f"/people/{applicant.id}/safeguarding-notes", json=note), 403)
        assert_problem(client.get(f"/banks/{bank.id}/expiring-checks"), 403)
    # The other bank's broker asking about their own bank: the person is not there.
    assert_problem(clients["other bank's broker"].get(
        f"/people/{applicant.id}/safeguarding?time_bank_id={other_bank.id}"), 404)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(DbsCheck)) == 0


@pytest.mark.parametrize("overrides,field", [
    ({"level": "platinum"}, "level"),
    ({"level": None}, "level"),
    ({"workforce": None}, "workforce"),
    ({"level": "enhanced"}, "workforce"),
    ({"workforce": "pets"}, "workforce"),
    ({"certificate_number": "12345"}, "certificate_number"),
    ({"issued_on": "2099-01-01"}, "issued_on"),
    ({"issued_on": "2011-05-01"}, "issued_on"),
    ({"issued_on": "2024-02-30"}, "issued_on"),
    ({"issued_on": "03/06/2024"}, "issued_on"),
    ({"update_service": "yes"}, "update_service"),
    ({"update_service": 1}, "update_service"),
    ({"status_checked_on": "2024-07-01"}, "status_checked_on"),
    ({"update_service": True, "status_checked_on": "2024-01-01"}, "status_checked_on"),
    ({"time_bank_id": None}, "time_bank_id"),
    ({"cleared_for_children": True}, "cleared_for_children"),
])
def test_a_bad_dbs_check_names_the_field(db_session, referenced, api_as, overrides, field):
    bank, broker, applicant = referenced

    assert_problem(api_as(broker).post(f"/people/{applicant.id}/dbs-checks", json=_check(bank, **overrides)),
                   422, field)

    assert db_session.scalar(sa.select(sa.func.count()).select_from(DbsCheck)) == 0


def test_the_update_service_keeps_a_check_current(referenced, api_as, today):
    bank, broker, applicant = referenced
    as_broker = api_as(broker)

    recorded = as_broker.post(f"/people/{applicant.id}/dbs-checks", json=_check(
        bank, issued_on=add_months(today, -40).isoformat(), update_service=True,
        status_checked_on=today.isoformat()))

    assert recorded.status_code == 201, recorded.get_json()
    record = as_broker.get(f"/people/{applicant.id}/safeguarding?time_bank_id={bank.id}").get_json()
    assert all(c["granted"] for c in record["clearances"])


def test_the_record_needs_a_bank(referenced, api_as):
    _bank, broker, applicant = referenced

    assert_problem(api_as(broker).get(f"/people/{applicant.id}/safeguarding"), 422, "time_bank_id")
    assert_problem(api_as(broker).get(f"/people/{2**31 - 1}/safeguarding?time_bank_id=1"), 404)


@pytest.mark.parametrize("method,path", [
    ("GET", "/people/1/safeguarding?time_bank_id=1"), ("POST", "/people/1/dbs-checks"),
    ("POST", "/people/1/safeguarding-notes"), ("GET", "/banks/1/expiring-checks"),
])
def test_anonymous_callers_get_401(anonymous, method, path):
    assert_problem(anonymous.request(method, path, json={}), 401)
