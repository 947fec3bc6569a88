"""Joining over the API: signing up, broker review, community vouching and the decision, and who may
do each."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.api.support import ApiClient, assert_problem
from tests.conftest import PASSWORD
from timebank.audit.models import AuditEvent
from timebank.ledger.models import Account
from timebank.members.models import ContactMethod, Person
from timebank.membership.models import Application, ApplicationStatus

APPLICANT_FIELDS = {"id", "time_bank_id", "holder_id", "name", "statement", "status", "submitted_at",
                    "interview_on", "references", "decided_at", "decision_note", "access"}


def _sign_up_body(bank, **overrides):
    return {
        "display_name": "Nia Roberts", "email": "nia@example.org", "password": PASSWORD,
        "phone": "01632 960 001", "postcode": "hb3 2qt", "preferred_language": "cy", "contact_by": "email",
        "time_bank_id": bank.id, "statement": "I can teach Welsh and mend bikes",
        "referees": [{"name": "Rhian Lloyd", "contact": "rhian@example.org", "known_how": "neighbour"},
                     {"name": "Tom Hale", "contact": "01632 960 123"}],
        **overrides,
    }


def _token(client, email: str) -> ApiClient:
    response = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return ApiClient(client, response.get_json()["token"])


def test_a_resident_signs_up_and_a_broker_takes_the_application_to_approval(
    db_session, client, make_bank, make_broker, api_as, anonymous, today
):
    bank = make_bank(name="Hollinbridge Time Bank")
    broker = make_broker(bank)
    as_broker = api_as(broker)

    banks = anonymous.get("/banks").get_json()
    assert {"id": bank.id, "slug": bank.slug, "name": "Hollinbridge Time Bank", "agency_name": "Test Vale Action",
            "vouching_enabled": False, "opened_on": bank.opened_on.isoformat()} in banks
    signed_up = anonymous.post("/signups", json=_sign_up_body(bank))
    assert signed_up.status_code == 201, signed_up.get_json()
    ids = signed_up.get_json()
    assert signed_up.headers["Location"] == f"/api/v1/applications/{ids['application_id']}"
    nia = db_session.get(Person, ids["person_id"])
    assert (nia.postcode, nia.preferred_language.value, nia.contact_by) == ("HB3 2QT", "cy", ContactMethod.EMAIL)

    as_nia = _token(client, "nia@example.org")
    mine = as_nia.get(f"/applications/{ids['application_id']}").get_json()
    assert set(mine) == APPLICANT_FIELDS
    assert mine["status"] == "submitted" and [r["outcome"] for r in mine["references"]] == ["awaited", "awaited"]

    listed = as_broker.get(f"/applications?time_bank_id={bank.id}&status=submitted").get_json()
    assert [(item["id"], item["name"]) for item in listed["items"]] == [(ids["application_id"], "Nia Roberts")]
    path = f"/applications/{ids['application_id']}"
    interviewed = as_broker.post(f"{path}/interview", json={"interview_on": today.isoformat()})
    assert interviewed.status_code == 200 and interviewed.get_json()["status"] == "in_review"
    for reference in mine["references"]:
        recorded = as_broker.request("PUT", f"{path}/references/{reference['id']}",
                                     json={"outcome": "satisfactory", "outcome_on": today.isoformat()})
        assert recorded.status_code == 200 and recorded.get_json()["outcome"] == "satisfactory"
    assert as_broker.get(path).get_json()["missing_checks"] == [
        {"code": "dbs-check", "words": "a current DBS check at basic level or above"}]
    problem = assert_problem(as_broker.post(f"{path}/approve", json={"note": "Lovely interview"}), 409,
                             "approve_anyway")
    assert problem["code"] == "checks-missing" and "a current DBS check at basic level or above" in problem["detail"]
    checked = as_broker.post(f"/people/{nia.id}/dbs-checks", json={
        "time_bank_id": bank.id, "level": "basic", "issued_on": today.isoformat()})
    assert checked.status_code == 201, checked.get_json()
    assert as_broker.get(path).get_json()["missing_checks"] == []
    approved = as_broker.post(f"{path}/approve", json={"note": "Lovely interview"})

    assert approved.status_code == 200, approved.get_json()
    decision = approved.get_json()
    assert decision["missing_checks"] == []
    assert decision["status"] == "approved" and decision["decided_by_id"] == broker.id
    assert decision["decided_at"] and decision["interview_on"] == today.isoformat()
    assert decision["access"] == {"is_broker": True, "is_applicant": False, "may_vouch": False}
    assert [a["time_bank_id"] for a in as_nia.get("/me").get_json()["accounts"]] == [bank.id]
    seen = as_nia.get(path).get_json()
    assert (seen["status"], seen["decision_note"]) == ("approved", "Lovely interview") and "vouches" not in seen
    actions = set(db_session.scalars(sa.select(AuditEvent.action).where(AuditEvent.time_bank_id == bank.id)))
    assert {"membership.applied", "membership.interview_recorded", "membership.reference_recorded",
            "safeguarding.dbs_recorded", "membership.approved", "member.joined_bank"} <= actions


def test_a_broker_enrols_someone_who_is_not_online(db_session, make_bank, make_broker, make_member, api_as):
    bank = make_bank()
    broker = make_broker(bank)
    resident, _ = make_member(bank)
    as_broker, as_resident = api_as(broker), api_as(resident)
    body = _sign_up_body(bank, email=None, phone=None, contact_by="broker")
    del body["password"]

    enrolled = as_broker.post("/people", json=body)

    assert enrolled.status_code == 201, enrolled.get_json()
    ids = enrolled.get_json()
    assert enrolled.headers["Location"] == f"/api/v1/people/{ids['person_id']}"
    person = db_session.get(Person, ids["person_id"])
    assert (person.email, person.password_hash, person.contact_by) == (None, None, ContactMethod.BROKER)
    application = db_session.get(Application, ids["application_id"])
    assert (application.holder_id, application.submitted_by_id) == (person.id, broker.id)
    assert_problem(as_resident.post("/people", json=body), 403)
    assert_problem(as_broker.post("/people", json={**body, "password": PASSWORD}), 422, "password")


@pytest.mark.parametrize("overrides,field", [
    ({"email": "not an email"}, "email"),
    ({"password": "short"}, "password"),
    ({"postcode": "12345"}, "postcode"),
    ({"postcode": ""}, "postcode"),
    ({"contact_by": "pigeon"}, "contact_by"),
    ({"contact_by": "phone", "phone": None}, "contact_by"),
    ({"preferred_language": "fr"}, "preferred_language"),
    ({"time_bank_id": 2**31 - 1}, "time_bank_id"),
    ({"time_bank_id": "1"}, "time_bank_id"),
    ({"referees": [{"name": "", "contact": "x@example.org"}]}, "referees"),
    ({"referees": [{"name": "Ann", "contact": " "}]}, "referees"),
    ({"referees": [{"name": "Ann"}]}, "referees"),
    ({"referees": [{"name": "Ann", "contact": "a@example.org", "age": 80}]}, "referees"),
    ({"referees": [{"name": f"R{n}", "contact": "r@example.org"} for n in range(5)]}, "referees"),
    ({"needs": "help with shopping"}, "needs"),
])
def test_a_bad_sign_up_names_the_field_and_creates_no_one(db_session, make_bank, anonymous, overrides, field):
    bank = make_bank()
    db_session.commit()
    people = db_session.scalar(sa.select(sa.func.count()).select_from(Person))

    assert_problem(anonymous.post("/signups", json=_sign_up_body(bank, **overrides)), 422, field)

    assert db_session.scalar(sa.select(sa.func.count()).select_from(Person)) == people


def test_signing_up_twice_with_one_email_is_a_conflict(make_bank, anonymous):
    bank = make_bank()
    assert anonymous.post("/signups", json=_sign_up_body(bank)).status_code == 201

    assert_problem(anonymous.post("/signups", json=_sign_up_body(bank)), 409, "email")


def test_one_open_application_per_person_per_bank(make_bank, make_member, make_applicant, api_as):
    bank, other_bank = make_bank(), make_bank()
    applicant, _ = make_applicant(bank)
    member, _ = make_member(bank)
    as_applicant, as_member = api_as(applicant), api_as(member)

    body = {"holder_id": applicant.id, "time_bank_id": bank.id}
    problem = assert_problem(as_applicant.post("/applications", json=body), 409, "time_bank_id")
    assert problem["code"] == "already-applied"
    assert_problem(as_member.post("/applications", json={"holder_id": member.id, "time_bank_id": bank.id}),
                   409, "time_bank_id")
    # Someone else's holder id is not theirs to apply for.
    assert_problem(as_member.post("/applications", json={"holder_id": applicant.id, "time_bank_id": other_bank.id}),
                   422, "holder_id")
    elsewhere = as_applicant.post("/applications", json={**body, "time_bank_id": other_bank.id,
                                                          "referees": [{"name": "Ann", "contact": "01632 960 555"}]})
    assert elsewhere.status_code == 201, elsewhere.get_json()
    assert elsewhere.headers["Location"] == f"/api/v1/applications/{elsewhere.get_json()['id']}"
    assert elsewhere.get_json()["references"][0]["name"] == "Ann"


def test_an_organisation_admin_applies_for_their_organisation(
    db_session, make_bank, make_person, make_broker, api_as
):
    bank = make_bank()
    make_broker(bank)
    admin = make_person("Gwen Admin")
    as_admin = api_as(admin)
    organisation = as_admin.post("/organisations", json={
        "display_name": "Hollin Food Bank", "organisation_type": "charity", "charity_number": "1234567"}).get_json()

    applied = as_admin.post("/applications", json={"holder_id": organisation["id"], "time_bank_id": bank.id,
                                                    "statement": "We have a hall"})

    assert applied.status_code == 201, applied.get_json()
    assert (applied.get_json()["name"], applied.get_json()["access"]["is_applicant"]) == ("Hollin Food Bank", True)
    assert as_admin.get("/applications").get_json()["total"] == 1


def test_only_a_broker_of_the_bank_decides(
    db_session, make_bank, make_member, make_broker, make_funder, make_applicant, api_as
):
    bank, other_bank = make_bank(), make_bank()
    applicant, application = make_applicant(bank)
    member, _ = make_member(bank)
    outsiders = [make_funder(bank), make_broker(other_bank), member]
    as_applicant = api_as(applicant)
    clients = [api_as(person) for person in outsiders]
    path = f"/applications/{application.id}"

    for action, body in (("approve", {}), ("decline", {"note": "No"}), ("interview", {"interview_on": "2025-01-01"})):
        problem = assert_problem(as_applicant.post(f"{path}/{action}", json=body), 403)
        assert problem["code"] == "not-a-broker"
        for client in clients:  # the bank does not use vouching, so it does not exist for them
            assert_problem(client.post(f"{path}/{action}", json=body), 404)
    for client in clients:
        assert_problem(client.get(path), 404)
        assert client.get("/applications").get_json()["total"] == 0
    db_session.expire_all()
    assert db_session.get(Application, application.id).status is ApplicationStatus.SUBMITTED


def test_a_decline_says_why_and_the_applicant_sees_it(db_session, make_bank, make_broker, make_applicant, api_as):
    bank = make_bank()
    broker = make_broker(bank)
    applicant, application = make_applicant(bank)
    as_broker, as_applicant = api_as(broker), api_as(applicant)
    path = f"/applications/{application.id}"

    assert_problem(as_broker.post(f"{path}/decline", json={"note": "  "}), 422, "note")
    assert_problem(as_broker.post(f"{path}/decline", json={}), 422, "note")
    declined = as_broker.post(f"{path}/decline", json={"note": "References did not reply"})

    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"
    seen = as_applicant.get(path).get_json()
    assert (seen["status"], seen["decision_note"]) == ("declined", "References did not reply")
    assert_problem(as_broker.post(f"{path}/approve"), 409)
    assert_problem(as_applicant.post(f"{path}/withdraw"), 409)
    assert db_session.scalar(sa.select(Account.id).where(Account.holder_id == applicant.id)) is None


def test_the_applicant_withdraws(db_session, make_bank, make_broker, make_applicant, api_as):
    bank = make_bank()
    broker = make_broker(bank)
    applicant, application = make_applicant(bank)
    as_broker, as_applicant = api_as(broker), api_as(applicant)
    path = f"/applications/{application.id}"

    assert_problem(as_broker.post(f"{path}/withdraw"), 403)
    withdrawn = as_applicant.post(f"{path}/withdraw")

    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert_problem(as_applicant.post(f"{path}/withdraw"), 409)
    # Withdrawn, it no longer blocks a new application.
    again = as_applicant.post("/applications", json={"holder_id": applicant.id, "time_bank_id": bank.id})
    assert again.status_code == 201, again.get_json()


def test_references_are_added_and_their_outcomes_recorded(make_bank, make_broker, make_applicant, api_as, today):
    bank = make_bank()
    broker = make_broker(bank)
    applicant, application = make_applicant(bank)
    as_broker, as_applicant = api_as(broker), api_as(applicant)
    path = f"/applications/{application.id}"

    added = as_applicant.post(f"{path}/references", json={"name": "Ann Ellis", "contact": "ann@example.org",
                                                           "known_how": "chapel"})
    assert added.status_code == 201, added.get_json()
    reference = added.get_json()
    assert (reference["name"], reference["outcome"], reference["outcome_on"]) == ("Ann Ellis", "awaited", None)
    assert_problem(as_applicant.post(f"{path}/references", json={"name": "Bo", "contact": "  "}), 422, "contact")
    assert_problem(as_applicant.post(f"{path}/references", json={"name": " ", "contact": "bo@x.org"}), 422, "name")
    assert as_broker.post(f"{path}/references", json={"name": "Cy", "contact": "cy@example.org"}).status_code == 201
    assert_problem(as_applicant.post(f"{path}/references", json={"name": "Di", "contact": "d@example.org"}), 409)

    outcome = f"{path}/references/{reference['id']}"
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert_problem(as_applicant.request("PUT", outcome, json={"outcome": "satisfactory",
                                                                "outcome_on": today.isoformat()}), 403)
    assert_problem(as_broker.request("PUT", outcome, json={"outcome": "glowing", "outcome_on": today.isoformat()}),
                   422, "outcome")
    assert_problem(as_broker.request("PUT", outcome, json={"outcome": "satisfactory", "outcome_on": tomorrow}),
                   422, "outcome_on")
    assert_problem(as_broker.request("PUT", outcome, json={"outcome": "satisfactory", "outcome_on": "2024-02-30"}),
                   422, "outcome_on")
    assert_problem(as_broker.request("PUT", f"{path}/references/{2**31 - 1}",
                                     json={"outcome": "satisfactory", "outcome_on": today.isoformat()}), 404)
    recorded = as_broker.request("PUT", outcome, json={"outcome": "unsatisfactory", "outcome_on": today.isoformat()})
    assert recorded.status_code == 200
    assert (recorded.get_json()["outcome"], recorded.get_json()["recorded_by_id"]) == ("unsatisfactory", broker.id)


@pytest.mark.parametrize("body,field", [
    ({"interview_on": "tomorrow"}, "interview_on"),
    ({"interview_on": "2999-01-01"}, "interview_on"),
    ({"interview_on": None}, "interview_on"),
    ({}, "interview_on"),
    ({"interview_on": "2025-01-01", "room": 3}, "room"),
])
def test_a_bad_interview_date_is_refused(make_bank, make_broker, make_applicant, api_as, body, field):
    bank = make_bank()
    broker = make_broker(bank)
    _applicant, application = make_applicant(bank)

    assert_problem(api_as(broker).post(f"/applications/{application.id}/interview", json=body), 422, field)


@pytest.fixture
def vouching_bank(db_session, make_bank):
    bank = make_bank()
    bank.vouching_enabled, bank.vouches_needed = True, 2
    db_session.flush()
    return bank


def test_members_vouch_and_enough_vouches_send_it_to_a_broker(
    db_session, vouching_bank, make_member, make_broker, make_applicant, api_as
):
    applicant, application = make_applicant(vouching_bank, statement="I knit")
    (aled, _), (bea, _) = make_member(vouching_bank), make_member(vouching_bank)
    broker = make_broker(vouching_bank)
    as_aled, as_bea, as_applicant, as_broker = api_as(aled), api_as(bea), api_as(applicant), api_as(broker)
    path = f"/applications/{application.id}"

    to_vouch = as_aled.get("/applications?to_vouch=true").get_json()
    assert [item["id"] for item in to_vouch["items"]] == [application.id]
    seen = as_aled.get(path).get_json()
    assert seen == {"id": application.id, "time_bank_id": vouching_bank.id, "name": "Test Applicant",
                    "statement": "I knit", "access": {"is_broker": False, "is_applicant": False, "may_vouch": True}}
    problem = assert_problem(as_applicant.post(f"{path}/vouches"), 403)
    assert problem["code"] == "cannot-vouch-for-self"
    vouched = as_aled.post(f"{path}/vouches")
    assert vouched.status_code == 201 and vouched.get_json()["voucher_id"] == aled.id
    assert_problem(as_aled.post(f"{path}/vouches"), 409)
    assert as_broker.get(path).get_json()["vouches"] == 1
    # A voucher decides nothing.
    assert_problem(as_aled.post(f"{path}/approve"), 403)
    assert as_bea.post(f"{path}/vouches").status_code == 201

    db_session.expire_all()
    assert db_session.get(Application, application.id).status is ApplicationStatus.VOUCHED
    detail = as_broker.get(path).get_json()
    assert (detail["status"], detail["vouches"], detail["vouches_needed"]) == ("vouched", 2, 2)
    assert [check["code"] for check in detail["missing_checks"]] == ["interview", "references", "dbs-check"]
    approved = as_broker.post(f"{path}/approve", json={"approve_anyway": True}).get_json()
    assert approved["status"] == "approved"
    [audited] = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "membership.approved"))
    assert audited.details == {"application_id": application.id, "approved_anyway": True,
                               "missing": ["interview", "references", "dbs-check"]}
    # Decided, it is no longer there to vouch for.
    assert_problem(as_aled.get(path), 404)
    assert as_aled.get("/applications?to_vouch=1").get_json()["total"] == 0


def test_no_vouching_where_the_bank_does_not_use_it(make_bank, make_member, make_applicant, api_as):
    bank = make_bank()
    _applicant, application = make_applicant(bank)
    member, _ = make_member(bank)

    assert_problem(api_as(member).post(f"/applications/{application.id}/vouches"), 404)


@pytest.mark.parametrize("query,field", [
    ("status=pending", "status"),
    ("per_page=0", "per_page"),
    ("per_page=101", "per_page"),
    ("page=0", "page"),
    ("time_bank_id=abc", "time_bank_id"),
    ("to_vouch=perhaps", "to_vouch"),
])
def test_bad_list_queries_are_named(make_bank, make_broker, api_as, query, field):
    broker = make_broker(make_bank())

    assert_problem(api_as(broker).get(f"/applications?{query}"), 422, field)


def test_the_list_pages_and_filters(make_bank, make_broker, make_applicant, api_as):
    bank = make_bank()
    broker = make_broker(bank)
    applications = [make_applicant(bank, f"Applicant {n}")[1] for n in range(3)]
    as_broker = api_as(broker)

    first = as_broker.get("/applications?per_page=2").get_json()
    second = as_broker.get("/applications?per_page=2&page=2").get_json()

    assert (first["total"], first["per_page"], len(first["items"]), len(second["items"])) == (3, 2, 2, 1)
    assert {item["id"] for item in first["items"] + second["items"]} == {a.id for a in applications}
    assert as_broker.get("/applications?status=approved").get_json()["items"] == []


@pytest.mark.parametrize("method,path", [
    ("GET", "/applications"), ("POST", "/applications"), ("GET", "/applications/1"),
    ("POST", "/applications/1/interview"), ("POST", "/applications/1/references"),
    ("PUT", "/applications/1/references/1"), ("POST", "/applications/1/vouches"),
    ("POST", "/applications/1/approve"), ("POST", "/applications/1/decline"),
    ("POST", "/applications/1/withdraw"), ("POST", "/people"),
])
def test_anonymous_callers_get_401(anonymous, method, path):
    response = anonymous.request(method, path, json={})

    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
