"""Disputes, as members and brokers meet them: a party questions a confirmed exchange, the bank's
brokers are told, and one of them ends it with a reversal or a note. Outcomes are checked in the books
(balances, rows, notices, audit); the harness runs ``ledger verify`` after each test."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tests.api.support import assert_problem
from tests.exchanges.test_pages import error_next_to
from timebank.audit.models import AuditEvent
from timebank.banks import service as banks
from timebank.exchanges import disputes
from timebank.exchanges import service as exchanges
from timebank.exchanges.disputes import Outcome
from timebank.exchanges.models import Dispute, DisputeStatus
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState
from timebank.members.models import BankRoleName, ContactMethod
from timebank.notices.models import Notice, NoticeKind


@pytest.fixture
def amir(make_member, bank):
    return make_member(bank, "Amir Haddad")


@pytest.fixture
def bea(make_member, bank):
    return make_member(bank, "Bea Okafor")


@pytest.fixture
def confirmed(exchange_of, amir, bea):
    """Amir gave Bea two hours; Bea confirmed."""
    return exchange_of(amir[1], bea[1], 120, by=amir[0], confirm_by=bea[0])


def disputes_of(db_session, exchange) -> list[Dispute]:
    return list(db_session.scalars(sa.select(Dispute).where(Dispute.exchange_id == exchange.id).order_by(Dispute.id)))


def notices_of(db_session, person, kind) -> list[Notice]:
    return list(db_session.scalars(sa.select(Notice).where(Notice.person_id == person.id, Notice.kind == kind)))


def audit_of(db_session, action, subject_id) -> list[AuditEvent]:
    return list(db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action,
                                                                AuditEvent.subject_id == subject_id)))


def balances(db_session, *accounts: Account) -> list[int]:
    db_session.expire_all()
    return [db_session.get(Account, a.id).balance_minutes for a in accounts]


# --- acceptance: a dispute ending in a reversal ----------------------------------------------------


def test_a_dispute_ending_in_a_reversal(db_session, browser, broker, amir, bea, confirmed):
    (amir_person, amir_account), (bea_person, bea_account) = amir, bea
    assert balances(db_session, amir_account, bea_account) == [120, -120]

    bea_browser = browser(bea_person)
    page = bea_browser.get(f"/exchanges/{confirmed.id}").get_data(as_text=True)
    assert "Something wrong with this exchange?" in page
    response = bea_browser.post(f"/exchanges/{confirmed.id}/dispute",
                                data={"reason": "It was one hour, not two."})
    assert response.status_code == 302 and response.location.endswith(f"/exchanges/{confirmed.id}#disputes")

    (dispute,) = disputes_of(db_session, confirmed)
    assert (dispute.status, dispute.raised_by_id, dispute.raised_for_account_id) == (
        DisputeStatus.OPEN, bea_person.id, bea_account.id)
    assert len(notices_of(db_session, broker, NoticeKind.DISPUTE_RAISED)) == 1
    assert audit_of(db_session, "exchanges.dispute_raised", dispute.id)[0].details["on_behalf"] is False
    assert "A broker is looking into this" in bea_browser.get(f"/exchanges/{confirmed.id}").get_data(as_text=True)

    broker_browser = browser(broker)
    queue = broker_browser.get("/disputes").get_data(as_text=True)
    assert f"/disputes/{dispute.id}" in queue and "Amir Haddad gave Bea Okafor 2 hours of help" in queue
    response = broker_browser.post(f"/disputes/{dispute.id}/resolve",
                                   data={"outcome": "reverse", "note": "Both agree it was one hour."})
    assert response.status_code == 302

    db_session.expire_all()
    dispute = db_session.get(Dispute, dispute.id)
    reversal = db_session.get(Exchange, dispute.reversal_id)
    assert (dispute.status, dispute.resolved_by_id, dispute.resolution_note) == (
        DisputeStatus.REVERSED, broker.id, "Both agree it was one hour.")
    assert (reversal.kind, reversal.reverses_exchange_id, reversal.description) == (
        ExchangeKind.REVERSAL, confirmed.id, "Both agree it was one hour.")
    assert db_session.get(Exchange, confirmed.id).state is ExchangeState.REVERSED
    assert balances(db_session, amir_account, bea_account) == [0, 0]
    assert audit_of(db_session, "exchanges.dispute_resolved", dispute.id)[0].details["reversal_id"] == reversal.id
    assert len(notices_of(db_session, bea_person, NoticeKind.DISPUTE_RESOLVED)) == 1
    assert notices_of(db_session, amir_person, NoticeKind.DISPUTE_RESOLVED) == []

    page = bea_browser.get(f"/exchanges/{confirmed.id}").get_data(as_text=True)
    assert "A broker reversed the exchange" in page and "Both agree it was one hour." in page


def test_a_dispute_ending_with_a_note_over_the_api(db_session, api_as, broker, amir, bea, confirmed):
    (amir_person, amir_account), (_bea_person, bea_account) = amir, bea
    response = api_as(amir_person).post(f"/exchanges/{confirmed.id}/disputes",
                                        json={"reason": "Bea says she never got the help."})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["status"], body["raised_for_account_id"]) == ("open", amir_account.id)
    assert response.headers["Location"].endswith(f"/api/v1/disputes/{body['id']}")

    as_broker = api_as(broker)
    listed = as_broker.get("/disputes?status=open").get_json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    resolved = as_broker.post(f"/disputes/{body['id']}/resolve",
                              json={"outcome": "note", "note": "Bea confirmed it on the phone."})
    assert resolved.status_code == 200, resolved.get_json()
    assert (resolved.get_json()["status"], resolved.get_json()["reversal_id"]) == ("noted", None)
    assert balances(db_session, amir_account, bea_account) == [120, -120]
    assert db_session.get(Exchange, confirmed.id).state is ExchangeState.CONFIRMED

    again = as_broker.post(f"/disputes/{body['id']}/resolve",
                           json={"outcome": "note", "note": "Bea confirmed it on the phone."})
    assert again.status_code == 200  # the same resolution sent twice changes nothing
    other = as_broker.post(f"/disputes/{body['id']}/resolve", json={"outcome": "reverse", "note": "Changed my mind"})
    assert_problem(other, 409)
    assert as_broker.get("/disputes?status=open").get_json()["items"] == []
    assert [item["id"] for item in as_broker.get("/disputes?status=closed").get_json()["items"]] == [body["id"]]
    assert len(notices_of(db_session, amir_person, NoticeKind.DISPUTE_RESOLVED)) == 1


# --- who may raise, and what -----------------------------------------------------------------------


def test_a_broker_raises_for_a_member_and_says_for_whom(db_session, browser, api_as, broker, amir, bea, confirmed):
    (_amir_person, amir_account), (bea_person, bea_account) = amir, bea
    broker_browser = browser(broker)
    # The broker took no part: their page offers to record a side's dispute, not to "ask a broker".
    page = broker_browser.get(f"/exchanges/{confirmed.id}").get_data(as_text=True)
    assert "Record the dispute for them" in page and "Ask a broker to look at this" not in page
    response = broker_browser.post(f"/exchanges/{confirmed.id}/dispute", data={"reason": "Bea rang me about it."})
    assert response.status_code == 422
    assert "Choose whose side" in error_next_to(response.get_data(as_text=True), "dispute-account")
    assert disputes_of(db_session, confirmed) == []

    assert_problem(api_as(broker).post(f"/exchanges/{confirmed.id}/disputes", json={"reason": "Rang me"}),
                   422, "account_id")

    response = broker_browser.post(f"/exchanges/{confirmed.id}/dispute",
                                   data={"reason": "Bea rang me about it.", "account": str(bea_account.id)})
    assert response.status_code == 302
    (dispute,) = disputes_of(db_session, confirmed)
    assert (dispute.raised_by_id, dispute.raised_for_account_id) == (broker.id, bea_account.id)
    assert audit_of(db_session, "exchanges.dispute_raised", dispute.id)[0].details["on_behalf"] is True
    page = browser(bea_person).get(f"/exchanges/{confirmed.id}").get_data(as_text=True)
    assert "Raised by Nia Broker" in page and "for Bea Okafor" in page
    assert amir_account.id != dispute.raised_for_account_id


def test_an_organisation_admin_raises_for_their_organisation(db_session, api_as, make_person, make_organisation,
                                                             bank, amir, exchange_of):
    olwen = make_person("Olwen Admin")
    _charity, charity_account = make_organisation(bank, "Riverside Food Bank", admins=(olwen,))
    amir_person, amir_account = amir
    exchange = exchange_of(amir_account, charity_account, 60, by=amir_person, confirm_by=olwen)
    response = api_as(olwen).post(f"/exchanges/{exchange.id}/disputes", json={"reason": "Wrong day"})
    assert response.status_code == 201
    assert response.get_json()["raised_for_account_id"] == charity_account.id


def test_bad_reasons_are_refused_next_to_the_field(db_session, browser, api_as, amir, bea, confirmed):
    bea_person = bea[0]
    client = browser(bea_person)
    for reason, message in (("   ", "Say what is wrong"), ("x" * 1001, "under 1,000 characters")):
        response = client.post(f"/exchanges/{confirmed.id}/dispute", data={"reason": reason})
        assert response.status_code == 422
        assert message in error_next_to(response.get_data(as_text=True), "dispute-reason")
    api = api_as(bea_person)
    assert_problem(api.post(f"/exchanges/{confirmed.id}/disputes", json={"reason": "  "}), 422, "reason")
    assert_problem(api.post(f"/exchanges/{confirmed.id}/disputes", json={"reason": "x" * 1001}), 422, "reason")
    assert_problem(api.post(f"/exchanges/{confirmed.id}/disputes", json={}), 422, "reason")
    assert_problem(api.post(f"/exchanges/{confirmed.id}/disputes", json={"reason": "ok", "extra": 1}), 422, "extra")
    assert disputes_of(db_session, confirmed) == []


def test_one_open_dispute_per_exchange(db_session, browser, api_as, amir, bea, confirmed):
    (amir_person, _), (bea_person, _) = amir, bea
    client = browser(bea_person)
    assert client.post(f"/exchanges/{confirmed.id}/dispute", data={"reason": "One hour only"}).status_code == 302
    # The same dispute sent twice (a double click) is recorded once.
    again = client.post(f"/exchanges/{confirmed.id}/dispute", data={"reason": "One hour only"})
    assert again.status_code == 302
    assert "only once" in client.get(again.location).get_data(as_text=True)
    # Anyone else gets a plain message.
    assert_problem(api_as(amir_person).post(f"/exchanges/{confirmed.id}/disputes", json={"reason": "No!"}), 409)
    assert len(disputes_of(db_session, confirmed)) == 1
    with pytest.raises(IntegrityError), db_session.begin_nested():  # the database refuses a second open one
        db_session.add(Dispute(exchange_id=confirmed.id, time_bank_id=confirmed.time_bank_id,
                               raised_by_id=amir_person.id, raised_for_account_id=confirmed.giver_account_id,
                               reason="Direct"))
        db_session.flush()


def test_only_confirmed_exchanges_can_be_disputed(db_session, browser, api_as, broker, amir, bea, exchange_of):
    (amir_person, amir_account), (bea_person, bea_account) = amir, bea
    pending = exchange_of(amir_account, bea_account, 30, by=amir_person)
    api = api_as(bea_person)
    assert "not confirmed" in assert_problem(api.post(f"/exchanges/{pending.id}/disputes",
                                                      json={"reason": "Never happened"}), 409)["title"]
    page = browser(bea_person).post(f"/exchanges/{pending.id}/dispute", data={"reason": "Never happened"})
    assert page.status_code == 409 and "Only a confirmed exchange can be disputed" in page.get_data(as_text=True)

    confirmed = exchange_of(amir_account, bea_account, 30, by=amir_person, confirm_by=bea_person)
    reversal = exchanges.reverse(db_session, broker, confirmed.id, "Keyed twice")
    db_session.commit()
    for exchange_id in (confirmed.id, reversal.id):
        assert_problem(api.post(f"/exchanges/{exchange_id}/disputes", json={"reason": "Hmm"}), 409)
    assert db_session.scalar(sa.select(sa.func.count(Dispute.id)).where(
        Dispute.exchange_id.in_([pending.id, confirmed.id, reversal.id]))) == 0
    assert "Something wrong with this exchange?" not in browser(bea_person).get(
        f"/exchanges/{pending.id}").get_data(as_text=True)


# --- resolving -------------------------------------------------------------------------------------


@pytest.fixture
def raised(db_session, bea, confirmed):
    dispute, _ = disputes.raise_dispute(db_session, bea[0], confirmed.id, "It was one hour.")
    db_session.commit()
    return dispute


def test_resolving_needs_a_choice_and_a_note(db_session, browser, api_as, broker, raised):
    client = browser(broker)
    response = client.post(f"/disputes/{raised.id}/resolve", data={"outcome": "reverse", "note": ""})
    assert response.status_code == 422
    assert "Write a note" in error_next_to(response.get_data(as_text=True), "note")
    response = client.post(f"/disputes/{raised.id}/resolve", data={"note": "Fine"})
    assert response.status_code == 422
    assert "Choose whether" in error_next_to(response.get_data(as_text=True), "outcome")
    api = api_as(broker)
    assert_problem(api.post(f"/disputes/{raised.id}/resolve", json={"outcome": "note", "note": " "}), 422, "note")
    assert_problem(api.post(f"/disputes/{raised.id}/resolve", json={"outcome": "undo", "note": "x"}), 422, "outcome")
    assert_problem(api.post(f"/disputes/{raised.id}/resolve", json={"outcome": "note", "note": "x" * 1001}),
                   422, "note")
    db_session.expire_all()
    assert db_session.get(Dispute, raised.id).status is DisputeStatus.OPEN


def test_a_reversal_that_would_break_a_limit_is_refused_and_changes_nothing(db_session, api_as, broker, amir, bea,
                                                                            make_member, bank, exchange_of, raised):
    (amir_person, amir_account), (_bea_person, bea_account) = amir, bea
    cai, cai_account = make_member(bank, "Cai Jones")
    exchange_of(cai_account, amir_account, 720, by=cai, confirm_by=amir_person)  # Amir is now at his floor
    assert balances(db_session, amir_account, bea_account) == [-600, -120]
    response = api_as(broker).post(f"/disputes/{raised.id}/resolve", json={"outcome": "reverse", "note": "Undo"})
    assert "lowest allowed balance" in assert_problem(response, 422, "outcome")["errors"]["outcome"][0]
    db_session.expire_all()
    assert db_session.get(Dispute, raised.id).status is DisputeStatus.OPEN
    assert balances(db_session, amir_account, bea_account) == [-600, -120]


def test_the_raiser_sees_their_dispute_but_may_not_resolve_it(db_session, browser, api_as, amir, bea, raised):
    (amir_person, _), (bea_person, _) = amir, bea
    client = browser(bea_person)
    page = client.get(f"/disputes/{raised.id}")
    assert page.status_code == 200 and "Deal with this dispute" not in page.get_data(as_text=True)
    assert client.post(f"/disputes/{raised.id}/resolve", data={}).status_code == 403
    assert client.get("/disputes").status_code == 403
    api = api_as(bea_person)
    assert api.get(f"/disputes/{raised.id}").status_code == 200
    assert_problem(api.post(f"/disputes/{raised.id}/resolve", json={"outcome": "note", "note": "x"}), 403)
    assert_problem(api.get("/disputes"), 403)
    assert [d["id"] for d in api.get(f"/exchanges/{raised.exchange_id}/disputes").get_json()] == [raised.id]

    # The other party sees the exchange, but not a dispute they did not raise.
    other = browser(amir_person)
    assert "It was one hour." not in other.get(f"/exchanges/{raised.exchange_id}").get_data(as_text=True)
    assert other.get(f"/disputes/{raised.id}").status_code == 404
    assert api_as(amir_person).get(f"/exchanges/{raised.exchange_id}/disputes").get_json() == []


def test_outsiders_get_not_found_or_forbidden(db_session, browser, api_as, make_member, make_bank, make_broker,
                                              make_person, bank, raised):
    stranger, _ = make_member(bank, "Cai Stranger")
    other_broker = make_broker(make_bank(name="Other Vale Time Bank"), "Other Broker")
    funder = make_person("Fay Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)
    for person in (stranger, other_broker):
        client = browser(person)
        assert client.get(f"/disputes/{raised.id}").status_code == 404
        assert client.post(f"/disputes/{raised.id}/resolve", data={}).status_code == 404
        assert client.post(f"/exchanges/{raised.exchange_id}/dispute", data={"reason": "x"}).status_code == 404
        api = api_as(person)
        assert_problem(api.get(f"/disputes/{raised.id}"), 404)
        assert_problem(api.post(f"/disputes/{raised.id}/resolve", json={"outcome": "note", "note": "x"}), 404)
        assert_problem(api.post(f"/exchanges/{raised.exchange_id}/disputes", json={"reason": "x"}), 404)
    assert browser(stranger).get("/disputes").status_code == 403
    assert browser(other_broker).get("/disputes").get_data(as_text=True).count(f"/disputes/{raised.id}") == 0
    assert api_as(other_broker).get("/disputes").get_json()["items"] == []
    assert browser(funder).get("/disputes").status_code == 403
    assert_problem(api_as(funder).get("/disputes"), 403)
    anonymous = browser(None)
    assert "/sign-in" in anonymous.get("/disputes").location
    assert "/sign-in" in anonymous.post(f"/disputes/{raised.id}/resolve").location
    assert_problem(anonymous.get("/api/v1/disputes"), 401)
    db_session.expire_all()
    assert db_session.get(Dispute, raised.id).status is DisputeStatus.OPEN


def test_the_queue_filters_and_pages(db_session, browser, api_as, broker, amir, bea, exchange_of):
    (amir_person, amir_account), (bea_person, bea_account) = amir, bea
    made = []
    for _ in range(3):
        exchange = exchange_of(amir_account, bea_account, 15, by=amir_person, confirm_by=bea_person)
        made.append(disputes.raise_dispute(db_session, bea_person, exchange.id, "Too long")[0])
    disputes.resolve(db_session, broker, made[0].id, Outcome.NOTE, "Checked")
    db_session.commit()

    api = api_as(broker)
    open_ids = [d["id"] for d in api.get(f"/disputes?status=open&time_bank_id={bea_account.time_bank_id}")
                .get_json()["items"]]
    assert open_ids == [made[1].id, made[2].id]  # oldest first
    first = api.get("/disputes?status=open&per_page=1").get_json()
    assert (first["total"], [d["id"] for d in first["items"]]) == (2, [made[1].id])
    assert_problem(api.get("/disputes?status=maybe"), 422, "status")

    client = browser(broker)
    page = client.get("/disputes?status=closed").get_data(as_text=True)
    assert f"/disputes/{made[0].id}" in page and f"/disputes/{made[1].id}\"" not in page
    everything = client.get("/disputes?status=all").get_data(as_text=True)
    assert all(f"/disputes/{d.id}" in everything for d in made)
    assert client.get("/disputes?status=maybe").status_code == 400
    assert client.get("/disputes?page=abc").status_code == 400


def test_brokers_of_members_contacted_through_them_hear_the_outcome(db_session, make_member, bank, broker,
                                                                    exchange_of, amir):
    dilys, dilys_account = make_member(bank, "Dilys Evans", email=None)
    assert dilys.contact_by is ContactMethod.BROKER
    amir_person, amir_account = amir
    exchange = exchange_of(amir_account, dilys_account, 60, by=amir_person, confirm_by=broker)
    dispute, _ = disputes.raise_dispute(db_session, broker, exchange.id, "Dilys says it was shorter",
                                        dilys_account.id)
    assert len(notices_of(db_session, broker, NoticeKind.DISPUTE_RAISED)) == 1
    disputes.resolve(db_session, broker, dispute.id, Outcome.NOTE, "Checked with Dilys")
    # The broker who ended it is not told what they just did; Dilys is, though she reads it through a broker.
    assert notices_of(db_session, broker, NoticeKind.DISPUTE_RESOLVED) == []
    assert len(notices_of(db_session, dilys, NoticeKind.DISPUTE_RESOLVED)) == 1
