"""The brokerage pages in a browser: introducing (the matching page's form posts to the same route),
answering on the introduction's page, notes for brokers only, messages both ways, and the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from timebank.brokerage import contact, service
from timebank.brokerage.models import BrokerNote, Introduction, IntroductionState, Message
from timebank.brokerage.service import Side
from timebank.categories.models import Category
from timebank.ledger import service as ledger
from timebank.members.models import ContactMethod
from timebank.types import utcnow


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_broker_introduces_and_both_sides_answer_on_the_page(db_session, browser, broker, candidate, requester,
                                                               request_listing):
    as_broker = browser(broker)
    page = as_broker.get(f"/introductions/new?listing_id={request_listing.id}&q=Dai")
    assert page.status_code == 200 and "Dai Helper" in text(page)
    assert 'name="csrf_token"' in text(page)  # filled from the address, posted with the page's token
    sent = as_broker.post("/introductions", data={"candidate_ids": [candidate.id], "listing_id": request_listing.id,
                                                  "message": "Dai has a strimmer."})
    assert sent.status_code == 302, text(sent)
    introduction = db_session.scalar(sa.select(Introduction))
    assert sent.headers["Location"].endswith(f"/introductions/{introduction.id}")

    as_candidate = browser(candidate)
    shown = as_candidate.get(f"/introductions/{introduction.id}")
    assert "Dai has a strimmer." in text(shown) and "Would you like to go ahead?" in text(shown)
    assert "Help clearing my back garden" in text(as_candidate.get("/introductions"))
    assert as_candidate.post(f"/introductions/{introduction.id}/answer",
                             data={"side": "candidate", "answer": "accepted"}).status_code == 302
    as_requester = browser(requester)
    assert as_requester.post(f"/introductions/{introduction.id}/answer",
                             data={"side": "other", "answer": "accepted"}).status_code == 302
    db_session.refresh(introduction)
    assert introduction.state is IntroductionState.ACCEPTED and introduction.exchange_id
    assert "waiting to be confirmed" in text(as_requester.get(f"/introductions/{introduction.id}"))


def test_a_refused_introduction_shows_why_next_to_the_people(db_session, browser, broker, requester,
                                                             request_listing):
    response = browser(broker).post("/introductions", data={"candidate_ids": [requester.id],
                                                            "listing_id": request_listing.id})
    assert response.status_code == 422
    assert "cannot be introduced to their own request" in text(response)
    assert db_session.scalar(sa.select(sa.func.count(Introduction.id))) == 0


def test_a_broker_answers_for_someone_offline_and_it_says_so(db_session, browser, broker, candidate,
                                                             request_listing, introduce):
    [introduction] = introduce(candidate, listing_id=request_listing.id)
    as_broker = browser(broker)
    assert as_broker.post(f"/introductions/{introduction.id}/answer",
                          data={"side": "candidate", "answer": "declined", "reason": "Away"}).status_code == 302
    assert "answered by a broker for them" in text(as_broker.get(f"/introductions/{introduction.id}"))


def test_others_do_not_see_an_introduction(db_session, browser, bank, make_member, candidate, request_listing,
                                           introduce):
    [introduction] = introduce(candidate, listing_id=request_listing.id)
    stranger, _ = make_member(bank, "Nosy Neighbour")
    assert browser(stranger).get(f"/introductions/{introduction.id}").status_code == 404


def test_notes_are_for_the_banks_brokers_only(db_session, browser, bank, broker, candidate, officer, make_bank,
                                              make_broker, today):
    as_broker = browser(broker)
    page = as_broker.get(f"/people/{candidate.id}/broker-notes")
    assert page.status_code == 200 and "Do not record health or benefit details here." in text(page)
    added = as_broker.post(f"/people/{candidate.id}/broker-notes", data={
        "time_bank_id": bank.id, "contacted_on": today.isoformat(), "body": "Rang: happy to help with gardens."})
    assert added.status_code == 302
    assert "happy to help with gardens" in text(as_broker.get(f"/people/{candidate.id}/broker-notes"))
    assert browser(candidate).get(f"/people/{candidate.id}/broker-notes").status_code == 403
    assert browser(officer).get(f"/people/{candidate.id}/broker-notes").status_code == 403
    elsewhere = make_broker(make_bank(), "Elsewhere Broker")
    assert browser(elsewhere).get(f"/people/{candidate.id}/broker-notes").status_code == 404
    assert browser(elsewhere).get(f"/people/{candidate.id}/broker-notes?bank={bank.id}").status_code == 403


def test_a_note_dated_in_the_future_is_refused_next_to_the_field(db_session, browser, bank, broker, candidate, today):
    response = browser(broker).post(f"/people/{candidate.id}/broker-notes", data={
        "time_bank_id": bank.id, "contacted_on": (today + dt.timedelta(days=2)).isoformat(), "body": "Soon"})
    assert response.status_code == 422 and "Enter a date from" in text(response)
    assert db_session.scalar(sa.select(sa.func.count(BrokerNote.id))) == 0


def test_messages_both_ways(db_session, browser, bank, broker, candidate):
    as_member = browser(candidate)
    assert bank.name in text(as_member.get("/messages"))
    assert as_member.post(f"/messages/{bank.id}", data={"body": "Can I help at the garden?"}).status_code == 302
    as_broker = browser(broker)
    waiting = as_broker.get(f"/brokerage/banks/{bank.id}/messages")
    assert "Dai Helper" in text(waiting) and "Can I help at the garden?" in text(waiting)
    assert as_broker.post(f"/brokerage/banks/{bank.id}/messages/{candidate.id}",
                          data={"body": "Yes please: Saturday at ten."}).status_code == 302
    assert "No messages are waiting." in text(as_broker.get(f"/brokerage/banks/{bank.id}/messages"))
    conversation = as_member.get(f"/messages/{bank.id}")
    assert "Yes please: Saturday at ten." in text(conversation)
    reply = db_session.scalar(sa.select(Message).where(Message.author_is_broker.is_(True)))
    db_session.refresh(reply)
    assert reply.read_at is not None
    assert contact.my_banks_unread(db_session, candidate) == 0


def test_a_member_writes_only_to_their_own_banks_brokers(db_session, browser, make_bank, candidate):
    other = make_bank()
    assert browser(candidate).post(f"/messages/{other.id}", data={"body": "Hello"}).status_code == 404


@pytest.mark.parametrize("section", ["applications", "requests", "sessions", "pending-exchanges", "disputes",
                                     "quiet-members", "recent"])
def test_each_section_has_a_see_all_page(db_session, browser, bank, broker, section, request_listing):
    response = browser(broker).get(f"/brokerage/banks/{bank.id}/{section}")
    assert response.status_code == 200, text(response)


def test_the_dashboard_lists_each_section_with_counts(db_session, browser, bank, broker, candidate, requester,
                                                      request_listing, activity_session, introduce):
    [introduction] = introduce(candidate, listing_id=request_listing.id)
    contact.write_to_brokers(db_session, requester, bank.id, "Is anyone free on Tuesday?")
    response = browser(broker).get(f"/brokerage/banks/{bank.id}")
    page = text(response)
    assert response.status_code == 200
    recent = page.split('id="recent"')[1]
    assert f'href="/introductions/{introduction.id}">Introduction made</a>' in recent
    for expected in ("Requests not yet met", "Help clearing my back garden", "Sessions with places to fill",
                     "Community garden", "Introductions awaiting an answer", "Dai Helper",
                     "Messages waiting for a reply", "Gwen Asker", "Introductions in the last 90 days: 1 made"):
        assert expected in page, expected
    assert browser(candidate).get(f"/brokerage/banks/{bank.id}").status_code == 403


def test_answers_need_a_side_and_an_answer(db_session, browser, broker, candidate, request_listing, introduce):
    [introduction] = introduce(candidate, listing_id=request_listing.id)
    response = browser(candidate).post(f"/introductions/{introduction.id}/answer", data={"side": "candidate"})
    assert response.status_code == 422 and "Say yes or no" in text(response)
    service.withdraw(db_session, broker, introduction.id)
    response = browser(candidate).post(f"/introductions/{introduction.id}/answer",
                                       data={"side": Side.CANDIDATE, "answer": "accepted"})
    assert response.status_code == 409 and "no longer open" in text(response)


def test_from_a_members_page_the_broker_chooses_what_to_introduce_them_to(db_session, browser, broker, candidate,
                                                                          request_listing, activity_session):
    as_broker = browser(broker)
    profile = text(as_broker.get(f"/people/{candidate.id}"))
    assert f"/introductions/new?person_id={candidate.id}" in profile and "Contact notes" in profile
    things = text(as_broker.get(f"/introductions/new?person_id={candidate.id}"))
    assert f"/introductions/new?listing_id={request_listing.id}&amp;person_id={candidate.id}" in things
    assert f"session_id={activity_session.id}" in things
    chosen = text(as_broker.get(f"/introductions/new?listing_id={request_listing.id}&person_id={candidate.id}"))
    assert f'value="{candidate.id}" checked' in chosen


def test_the_home_page_links_each_bank_to_its_dashboard(db_session, browser, bank, broker):
    assert f"/brokerage/banks/{bank.id}" in text(browser(broker).get("/"))


def test_several_people_are_introduced_at_once(db_session, browser, bank, broker, make_member, candidate,
                                               request_listing):
    other, _ = make_member(bank, "Ifan Other")
    sent = browser(broker).post("/introductions", data={"candidate_ids": [candidate.id, other.id],
                                                        "listing_id": request_listing.id})
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith(f"/brokerage/banks/{bank.id}/introductions?state=proposed")
    assert db_session.scalar(sa.select(sa.func.count(Introduction.id))) == 2


def test_a_candidate_id_that_is_not_an_id_is_refused_on_the_form(db_session, browser, broker, request_listing):
    response = browser(broker).post("/introductions", data={"candidate_ids": ["Dai"],
                                                            "listing_id": request_listing.id})
    assert response.status_code == 422 and "Choose people from the list" in text(response)


def test_a_request_links_its_brokers_to_the_introduce_page(db_session, browser, broker, requester, request_listing):
    link = f"/introductions/new?listing_id={request_listing.id}"
    assert link in text(browser(broker).get(f"/listings/{request_listing.id}"))
    assert link not in text(browser(requester).get(f"/listings/{request_listing.id}"))


def test_a_member_says_on_their_profile_not_to_be_suggested(db_session, browser, broker, candidate, request_listing):
    as_candidate = browser(candidate)
    form = text(as_candidate.get(f"/people/{candidate.id}/profile"))
    assert "My broker may suggest me for requests for help and roles" in form
    saved = as_candidate.post(f"/people/{candidate.id}/profile", data={"abilities": ["gardening"], "can_travel": "yes"})
    assert saved.status_code == 302, text(saved)
    refused = browser(broker).post("/introductions", data={"candidate_ids": [candidate.id],
                                                           "listing_id": request_listing.id})
    assert refused.status_code == 422 and "asked not to be suggested" in text(refused)


def test_quiet_members_are_listed_with_how_they_like_to_be_contacted(db_session, browser, bank, broker, make_member,
                                                                     today):
    _quiet, quiet_account = make_member(bank, "Quentin Quiet", contact_by=ContactMethod.PHONE, phone="01632 960 123")
    busy, busy_account = make_member(bank, "Bella Busy")
    _new, new_account = make_member(bank, "Nadia New")
    for account in (quiet_account, busy_account):
        account.opened_at = utcnow() - dt.timedelta(days=400)
    gardening = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
    for counterpart, days_ago in ((quiet_account, 90), (new_account, 1)):
        exchange, _ = ledger.record_exchange(
            db_session, proposer_account_id=busy_account.id, counterpart_account_id=counterpart.id,
            proposer_is_giver=True, amount_minutes=60, occurred_on=today - dt.timedelta(days=days_ago),
            category_id=gardening, description="", recorded_by_id=busy.id, idempotency_key=f"quiet-{days_ago}")
        ledger.confirm_exchange(db_session, exchange.id, actor_id=broker.id, acting_for_account_id=counterpart.id)
    assert quiet_account.last_posted_on == today - dt.timedelta(days=90)
    assert busy_account.last_posted_on == today - dt.timedelta(days=1)
    page = text(browser(broker).get(f"/brokerage/banks/{bank.id}/quiet-members"))
    assert "Quentin Quiet" in page and "Phone call" in page
    assert "Bella Busy" not in page and "Nadia New" not in page  # busy lately; joined less than 60 days ago


def test_a_broker_of_one_bank_has_their_dashboard_at_one_address(db_session, browser, bank, broker, make_person):
    assert "Broker's dashboard: Hollinbridge Time Bank" in text(browser(broker).get("/brokerage"))
    admin = make_person("Ada Admin")
    admin.is_admin = True
    # An admin brokers every bank: this one's dashboard, or (other tests' banks kept in this database) a
    # choice of banks that leads to it.
    page = text(browser(admin).get("/brokerage"))
    assert "Broker's dashboard: Hollinbridge Time Bank" in page or f'href="/brokerage/banks/{bank.id}"' in page


def test_what_a_member_who_hears_through_their_broker_was_not_sent_is_on_the_dashboard_to_pass_on(
        db_session, browser, broker, bank, candidate, request_listing, introduce):
    """Dai hears through his broker: the introduction's email is not sent him, it waits on the dashboard in
    the notice's own words until the broker marks it as told."""
    from timebank.mail.models import EmailStatus, OutboundEmail

    candidate.contact_by = ContactMethod.BROKER
    introduce(candidate, listing_id=request_listing.id)
    db_session.commit()
    unsent = db_session.scalar(sa.select(OutboundEmail).where(OutboundEmail.person_id == candidate.id))
    assert unsent.status is EmailStatus.FOR_BROKER and unsent.time_bank_id == bank.id
    as_broker = browser(broker)
    board = text(as_broker.get(f"/brokerage/banks/{bank.id}"))
    assert 'id="to-pass-on"' in board and "Dai Helper" in board
    assert "Help clearing my back garden" in board  # the notice's words name the request
    told = as_broker.post(f"/brokerage/banks/{bank.id}/to-pass-on/{unsent.id}")
    assert told.status_code == 302 and told.headers["Location"].endswith("#to-pass-on")
    db_session.refresh(unsent)
    assert unsent.status is EmailStatus.PASSED_ON and unsent.passed_on_by_id == broker.id
    assert "Nothing to pass on." in text(as_broker.get(f"/brokerage/banks/{bank.id}/to-pass-on"))
