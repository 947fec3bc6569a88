"""Participants' voice: who may say how it went, the email that asks and its signed link, the broker's paper
entry, who reads comments, leaving, and the email preference."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.api.support import assert_problem
from timebank.feedback import errors, links, service
from timebank.feedback.models import Again, Channel, FeedbackAnswer
from timebank.feedback.service import Answers, ThingKind
from timebank.mail import service as mail
from timebank.mail.models import EmailKind, OutboundEmail
from timebank.notices.models import Notice, NoticeKind
from timebank.privacy import service as privacy
from timebank.types import utcnow

WARM = Answers(how_it_went=5, again=Again.YES, comment="Lovely morning; Ceri knew everyone by name.")


def _notices(db_session, person, kind):
    return db_session.scalars(sa.select(Notice).where(Notice.person_id == person.id, Notice.kind == kind)).all()


def _answers(db_session):
    return db_session.scalars(sa.select(FeedbackAnswer).order_by(FeedbackAnswer.id)).all()


def test_marking_attendance_asks_whoever_came_and_only_they_may_answer(db_session, held, came, stayed_away):
    [notice] = _notices(db_session, came, NoticeKind.SESSION_ATTENDED)
    assert notice.subject_id == held.id
    assert _notices(db_session, stayed_away, NoticeKind.SESSION_ATTENDED) == []
    with pytest.raises(errors.NotAParticipant):
        service.own_session(db_session, stayed_away, held.id)

    thing = service.own_session(db_session, came, held.id)
    service.answer(db_session, thing, came.id, WARM, channel=Channel.PAGE)
    service.answer(db_session, thing, came.id, Answers(how_it_went=4), channel=Channel.PAGE)
    [answer] = _answers(db_session)  # answering again changes the one answer
    assert (answer.session_id, answer.person_id, answer.how_it_went, answer.again, answer.comment) == (
        held.id, came.id, 4, None, "")
    assert answer.organisation_id == held.role.activity.organisation_id
    assert answer.time_bank_id == held.role.activity.time_bank_id


def test_a_confirmed_exchange_asks_the_side_that_did_not_confirm(db_session, confirmed, giver_and_receiver):
    giver, receiver = giver_and_receiver
    [notice] = _notices(db_session, giver, NoticeKind.EXCHANGE_CONFIRMED)
    assert notice.subject_id == confirmed.id
    assert _notices(db_session, receiver, NoticeKind.EXCHANGE_CONFIRMED) == []
    # Both sides may answer, each once.
    for person in (giver, receiver):
        service.answer(db_session, service.own_exchange(db_session, person, confirmed.id), person.id,
                       Answers(again=Again.NOT_SURE), channel=Channel.PAGE)
    assert sorted(a.person_id for a in _answers(db_session)) == sorted([giver.id, receiver.id])


def test_every_question_is_optional_but_not_all_of_them(db_session, held, came):
    thing = service.own_session(db_session, came, held.id)
    with pytest.raises(errors.NothingAnswered):
        service.answer(db_session, thing, came.id, Answers(comment="   "), channel=Channel.PAGE)
    with pytest.raises(errors.CommentTooLong):
        service.answer(db_session, thing, came.id, Answers(comment="x" * 2001), channel=Channel.PAGE)
    assert _answers(db_session) == []


def test_the_api_lets_only_those_who_took_part_answer(db_session, held, came, stayed_away, confirmed,
                                                      giver_and_receiver, broker, make_member, bank, api_as):
    outsider, _ = make_member(bank, "Olwen Outsider")
    assert api_as(came).get(f"/sessions/{held.id}/feedback").get_json() == {"answer": None}
    put = api_as(came).request("PUT", f"/sessions/{held.id}/feedback", json={"how_it_went": 5, "comment": "Great"})
    assert put.status_code == 200, put.get_data(as_text=True)
    assert put.get_json()["comment"] == "Great" and put.get_json()["channel"] == "page"
    assert api_as(came).get(f"/sessions/{held.id}/feedback").get_json()["answer"]["how_it_went"] == 5

    assert_problem(api_as(stayed_away).request("PUT", f"/sessions/{held.id}/feedback", json={"how_it_went": 1}), 403)
    # An exchange someone cannot see is not there; a broker who sees it took no part in it.
    assert_problem(api_as(outsider).get(f"/exchanges/{confirmed.id}/feedback"), 404)
    assert_problem(api_as(broker).request("PUT", f"/exchanges/{confirmed.id}/feedback", json={"again": "yes"}), 403)
    assert_problem(api_as(came).request("PUT", f"/sessions/{held.id}/feedback", json={}), 422)
    assert_problem(api_as(came).request("PUT", f"/sessions/{held.id}/feedback", json={"how_it_went": 6}), 422,
                   "how_it_went")
    giver, _receiver = giver_and_receiver
    assert api_as(giver).request("PUT", f"/exchanges/{confirmed.id}/feedback",
                                 json={"again": "no"}).status_code == 200


def test_a_broker_types_in_an_answer_given_on_paper_for_someone_who_came(db_session, held, came, stayed_away,
                                                                        broker, api_as):
    body = {"person_id": came.id, "how_it_went": 3, "again": "not_sure", "comment": "Written on the sheet"}
    assert_problem(api_as(came).post(f"/sessions/{held.id}/feedback/paper", json=body), 403)
    assert_problem(api_as(broker).post(f"/sessions/{held.id}/feedback/paper",
                                       json={**body, "person_id": stayed_away.id}), 422, "person_id")
    made = api_as(broker).post(f"/sessions/{held.id}/feedback/paper", json=body)
    assert made.status_code == 200, made.get_data(as_text=True)
    [answer] = _answers(db_session)
    assert (answer.person_id, answer.channel, answer.recorded_by_id) == (came.id, Channel.PAPER, broker.id)


def test_comments_are_read_only_by_the_banks_brokers_and_the_organisations_admins(
        db_session, held, came, broker, organiser, make_funder, make_member, bank, api_as):
    service.answer(db_session, service.own_session(db_session, came, held.id), came.id, WARM, channel=Channel.PAGE)
    funder = make_funder(bank)
    for reader, path in ((broker, f"/banks/{bank.id}/feedback"),
                         (organiser, f"/organisations/{held.role.activity.organisation_id}/feedback")):
        [item] = api_as(reader).get(path).get_json()["items"]
        assert item["comment"] == WARM.comment
    for path in (f"/banks/{bank.id}/feedback", f"/organisations/{held.role.activity.organisation_id}/feedback"):
        for outsider in (funder, came):
            response = api_as(outsider).get(path)
            assert_problem(response, 403)
            assert WARM.comment not in response.get_data(as_text=True)
    assert_problem(api_as(organiser).get(f"/banks/{bank.id}/feedback"), 403)


def test_the_email_link_opens_the_form_for_that_person_and_thing_only(app, db_session, held, came, browser):
    with app.test_request_context():
        token = links.answer_token(came.id, ThingKind.SESSION, held.id)
        old = links.answer_token(came.id, ThingKind.SESSION, held.id, issued_at=utcnow() - dt.timedelta(days=31))
    anyone = browser(None)
    page = anyone.get(f"/feedback/{token}")
    assert page.status_code == 200 and "How did it go?" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    for _ in range(2):
        saved = anyone.post(f"/feedback/{token}", data={"how_it_went": "4", "again": "yes", "comment": "Good"})
        assert saved.status_code == 302
    db_session.expire_all()
    [answer] = _answers(db_session)
    assert (answer.person_id, answer.session_id, answer.channel, answer.how_it_went) == (
        came.id, held.id, Channel.EMAIL, 4)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, old, "not-a-token"):
        assert anyone.get(f"/feedback/{bad}").status_code == 404


def test_the_email_carries_the_signed_link_and_can_be_turned_off(app, db_session, make_member, bank, today,
                                                                  giver_and_receiver):
    from timebank.exchanges import service as exchanges
    from timebank.exchanges.service import Proposal, Side
    from timebank.ledger.service import account_of

    giver, receiver = giver_and_receiver
    mail.set_wanted(db_session, giver.id, {EmailKind.EXCHANGE_CONFIRMED: False})
    accounts = [account_of(db_session, p.id, bank.id).id for p in (giver, receiver)]  # type: ignore[union-attr]
    for key in ("fb-a", "fb-b"):
        exchange, _ = exchanges.propose(db_session, giver if key == "fb-a" else receiver, Proposal(
            account_id=accounts[0] if key == "fb-a" else accounts[1], side=Side.GIVER,
            counterpart_account_id=accounts[1] if key == "fb-a" else accounts[0], minutes=60, occurred_on=today,
            category="gardening", description="Help", idempotency_key=key))
        exchanges.confirm(db_session, receiver if key == "fb-a" else giver, exchange.id)
    emails = db_session.scalars(sa.select(OutboundEmail)
                                .where(OutboundEmail.kind == EmailKind.EXCHANGE_CONFIRMED)).all()
    # Gethin turned these emails off (his notice is still made); Rhian, who recorded the second, hears.
    assert [e.person_id for e in emails] == [receiver.id]
    assert len(_notices(db_session, giver, NoticeKind.EXCHANGE_CONFIRMED)) == 1
    assert "feedback" in {choice for choice in mail.wanted_choices(db_session, giver.id)}
    assert mail.wanted_choices(db_session, giver.id)["feedback"] is False


def test_leaving_keeps_the_counts_and_wipes_the_comment(db_session, held, came):
    service.answer(db_session, service.own_session(db_session, came, held.id), came.id, WARM, channel=Channel.PAGE)
    exported = privacy.export_data(db_session, came)["feedback_answers"]
    assert [(a["how_it_went"], a["comment"]) for a in exported] == [(5, WARM.comment)]
    privacy.leave(db_session, came, came.id)
    [answer] = _answers(db_session)
    assert (answer.person_id, answer.comment, answer.how_it_went, answer.again) == (None, "", 5, Again.YES)


def test_the_pages_offer_the_question_to_those_who_took_part_and_the_paper_form_to_brokers(
        db_session, held, came, stayed_away, broker, organiser, confirmed, giver_and_receiver, browser, bank):
    giver, _receiver = giver_and_receiver
    assert "Tell us how it went" in browser(came).get(f"/sessions/{held.id}").get_data(as_text=True)
    assert "Tell us how it went" not in browser(stayed_away).get(f"/sessions/{held.id}").get_data(as_text=True)
    assert "Tell us how it went" in browser(giver).get(f"/exchanges/{confirmed.id}").get_data(as_text=True)
    as_broker = browser(broker)
    session_page = as_broker.get(f"/sessions/{held.id}").get_data(as_text=True)
    assert "Record an answer given on paper" in session_page
    assert f"/feedback/banks/{bank.id}" in session_page
    assert f"/feedback/organisations/{held.role.activity.organisation_id}" in browser(organiser).get(
        f"/sessions/{held.id}").get_data(as_text=True)

    client = browser(came)
    form = client.get(f"/sessions/{held.id}/feedback").get_data(as_text=True)
    assert "Very well" in form and "Not sure" in form and "Funders never see it" in form
    refused = client.post(f"/sessions/{held.id}/feedback", data={"comment": ""})
    assert refused.status_code == 422 and "Answer at least one question" in refused.get_data(as_text=True)
    assert client.post(f"/sessions/{held.id}/feedback", data={"how_it_went": "5", "comment": "Smashing"}
                       ).status_code == 302
    assert browser(stayed_away).get(f"/sessions/{held.id}/feedback").status_code == 403

    paper = as_broker.get(f"/sessions/{held.id}/feedback/paper").get_data(as_text=True)
    assert came.display_name in paper and stayed_away.display_name not in paper
    assert as_broker.post(f"/sessions/{held.id}/feedback/paper",
                          data={"person_id": str(stayed_away.id), "again": "no"}).status_code == 422
    answers = as_broker.get(f"/feedback/banks/{bank.id}").get_data(as_text=True)
    assert "Smashing" in answers and came.display_name in answers
    assert "Smashing" in browser(organiser).get(
        f"/feedback/organisations/{held.role.activity.organisation_id}").get_data(as_text=True)
    assert browser(came).get(f"/feedback/banks/{bank.id}").status_code == 403


def test_a_broker_confirming_for_a_member_asks_nobody_by_name(db_session, broker, bank, today,
                                                              giver_and_receiver):
    from timebank.exchanges import service as exchanges
    from timebank.exchanges.service import Proposal, Side
    from timebank.ledger.service import account_of

    giver, receiver = giver_and_receiver
    giver_account, receiver_account = (account_of(db_session, p.id, bank.id) for p in (giver, receiver))
    exchange, _ = exchanges.propose(db_session, giver, Proposal(
        account_id=giver_account.id, side=Side.GIVER, counterpart_account_id=receiver_account.id,  # type: ignore
        minutes=30, occurred_on=today, category="gardening", description="", idempotency_key="fb-broker"))
    exchanges.confirm(db_session, broker, exchange.id)  # "Rhian confirmed" would not be true
    assert _notices(db_session, giver, NoticeKind.EXCHANGE_CONFIRMED) == []
    # Both sides may still say how it went on the exchange's page.
    assert service.own_exchange(db_session, giver, exchange.id).participant_ids == {giver.id, receiver.id}


def test_the_comment_s_note_names_who_reads_it_for_the_thing_answered(held, came, confirmed, giver_and_receiver,
                                                                     browser):
    # A person-to-person exchange belongs to no organisation: only the bank's brokers read its comments.
    giver, _receiver = giver_and_receiver
    exchange_form = browser(giver).get(f"/exchanges/{confirmed.id}/feedback").get_data(as_text=True)
    hint = re.search(r'<p class="hint" id="comment-hint">(.*?)</p>', exchange_form).group(1)
    assert hint == "Only the time bank's brokers read this. Funders never see it, and it is never in a report."
    assert "Yes, I would" in exchange_form and "No, I would not" in exchange_form
    session_form = browser(came).get(f"/sessions/{held.id}/feedback").get_data(as_text=True)
    assert "the organisation that ran it read this" in session_form
