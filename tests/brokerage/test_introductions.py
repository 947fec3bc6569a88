"""Introductions through every state: made, answered by each side (or a broker for them), declined,
accepted into a pending exchange or a sign-up, withdrawn, expired; and every refusal, with clearance
judged on the day of the thing."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.attendance.test_clearance_on_the_day import starting_on
from timebank.activities.models import ActivityStatus, SignUp, SignUpStatus
from timebank.brokerage import errors, service
from timebank.brokerage.models import DEFAULT_EXPIRY_DAYS, Answer, Introduction, IntroductionState
from timebank.brokerage.service import Side
from timebank.dates import DateOutOfRange
from timebank.exchanges import service as exchanges
from timebank.ledger.models import Account, Exchange, ExchangeState
from timebank.listings.models import ListingStatus
from timebank.notices.messages import lines_for
from timebank.notices.models import Notice, NoticeKind
from timebank.privacy import service as privacy
from timebank.profiles import service as profiles
from timebank.safeguarding import clearances
from timebank.safeguarding.clearances import Clearance
from timebank.safeguarding.models import DbsLevel
from timebank.safeguarding.service import ClearanceNeeded


def notices_of(db_session, person, kind: NoticeKind) -> list[Notice]:
    return list(db_session.scalars(sa.select(Notice).where(Notice.person_id == person.id, Notice.kind == kind)))


def test_an_accepted_request_becomes_a_pending_exchange_the_requester_confirms(
        db_session, app, bank, broker, candidate, requester, request_listing, introduce, audited):
    [introduction] = introduce(candidate, listing_id=request_listing.id, message="Dai has a strimmer.")
    assert introduction.state is IntroductionState.PROPOSED
    assert introduction.expires_on > request_listing.created_at.date()
    with app.test_request_context():
        [line] = lines_for(db_session, notices_of(db_session, candidate, NoticeKind.INTRODUCTION_MADE))
        assert "Help clearing my back garden" in line.text and line.url == f"/introductions/{introduction.id}"
    assert notices_of(db_session, requester, NoticeKind.INTRODUCTION_MADE)

    service.answer(db_session, candidate, introduction.id, Side.CANDIDATE, Answer.ACCEPTED)
    assert introduction.state is IntroductionState.PROPOSED and not introduction.candidate_on_behalf
    assert notices_of(db_session, requester, NoticeKind.INTRODUCTION_ANSWERED)
    assert notices_of(db_session, broker, NoticeKind.INTRODUCTION_ANSWERED)
    service.answer(db_session, requester, introduction.id, Side.OTHER, Answer.ACCEPTED, "Thank you!")

    assert introduction.state is IntroductionState.ACCEPTED and introduction.settled_at is not None
    exchange = db_session.get(Exchange, introduction.exchange_id)
    giver, receiver = db_session.get(Account, exchange.giver_account_id), db_session.get(
        Account, exchange.receiver_account_id)
    assert (giver.holder_id, receiver.holder_id) == (candidate.id, requester.id)
    assert exchange.state is ExchangeState.PENDING and exchange.proposer_account_id == giver.id
    assert exchange.amount_minutes == 120 and exchange.description == request_listing.title
    assert exchange.category_id == request_listing.category_id
    exchanges.confirm(db_session, requester, exchange.id)  # the requester confirms once the help is done
    assert exchange.state is ExchangeState.CONFIRMED
    assert [e.details["answer"] for e in audited("brokerage.answered")] == ["accepted", "accepted"]
    assert len(audited("brokerage.introduced")) == 1


def test_a_broker_answers_for_both_sides_marked_on_behalf(db_session, broker, candidate, request_listing,
                                                          introduce, audited):
    [introduction] = introduce(candidate, listing_id=request_listing.id)
    service.answer(db_session, broker, introduction.id, Side.CANDIDATE, Answer.ACCEPTED)
    service.answer(db_session, broker, introduction.id, Side.OTHER, Answer.ACCEPTED)
    assert introduction.candidate_on_behalf and introduction.other_on_behalf
    assert introduction.candidate_answered_by_id == broker.id == introduction.other_answered_by_id
    assert introduction.state is IntroductionState.ACCEPTED and introduction.exchange_id is not None
    assert [e.details["on_behalf"] for e in audited("brokerage.answered")] == [True, True]


def test_a_decline_settles_it_and_nobody_answers_again(db_session, broker, candidate, requester, request_listing,
                                                       introduce):
    [introduction] = introduce(candidate, listing_id=request_listing.id)
    service.answer(db_session, candidate, introduction.id, Side.CANDIDATE, Answer.DECLINED, "Away that week")
    assert introduction.state is IntroductionState.DECLINED and introduction.candidate_reason == "Away that week"
    with pytest.raises(errors.NotLive):
        service.answer(db_session, requester, introduction.id, Side.OTHER, Answer.ACCEPTED)
    # Declined is not live: the broker may introduce them again later.
    [again] = service.introduce(db_session, broker, service.NewIntroduction([candidate.id],
                                                                            listing_id=request_listing.id))
    assert again.id != introduction.id


def test_only_each_side_or_a_broker_answers_for_it(db_session, bank, make_member, candidate, requester,
                                                   request_listing, introduce):
    [introduction] = introduce(candidate, listing_id=request_listing.id)
    with pytest.raises(errors.NotYourSide):
        service.answer(db_session, requester, introduction.id, Side.CANDIDATE, Answer.ACCEPTED)
    with pytest.raises(errors.NotYourSide):
        service.answer(db_session, candidate, introduction.id, Side.OTHER, Answer.ACCEPTED)
    stranger, _ = make_member(bank, "Nosy Neighbour")
    with pytest.raises(errors.IntroductionNotFound):
        service.answer(db_session, stranger, introduction.id, Side.CANDIDATE, Answer.ACCEPTED)
    service.answer(db_session, candidate, introduction.id, Side.CANDIDATE, Answer.ACCEPTED)
    with pytest.raises(errors.AlreadyAnswered):
        service.answer(db_session, candidate, introduction.id, Side.CANDIDATE, Answer.DECLINED)


def test_an_introduction_to_a_role_names_it_in_the_readers_language(db_session, app, candidate, activity_session,
                                                                   introduce):
    role = activity_session.role
    role.activity.title_cy, role.title_cy = "Gardd gymunedol", None
    introduce(candidate, role_id=role.id)
    made = notices_of(db_session, candidate, NoticeKind.INTRODUCTION_MADE)
    with app.test_request_context("/?lang=cy"):
        [line] = lines_for(db_session, made)
        assert f"Gardd gymunedol: {role.title}" in line.text
    with app.test_request_context("/?lang=en"):
        [line] = lines_for(db_session, made)
        assert f"{role.activity.title}: {role.title}" in line.text


def test_an_accepted_role_becomes_a_sign_up(db_session, officer, candidate, activity_session, introduce):
    [introduction] = introduce(candidate, role_id=activity_session.role_id)
    assert introduction.session_id is None
    service.answer(db_session, candidate, introduction.id, Side.CANDIDATE, Answer.ACCEPTED)
    service.answer(db_session, officer, introduction.id, Side.OTHER, Answer.ACCEPTED)  # the council's admin
    sign_up = db_session.get(SignUp, introduction.sign_up_id)
    assert (sign_up.person_id, sign_up.session_id, sign_up.status) == (candidate.id, activity_session.id,
                                                                         SignUpStatus.BOOKED)
    assert introduction.session_id == activity_session.id  # the soonest session with a place, now named


def test_an_accepted_introduction_is_not_withdrawn(db_session, broker, candidate, requester, request_listing,
                                                  introduce):
    """What it led to (the pending exchange) is the two sides' to cancel; the introduction stays accepted."""
    [introduction] = introduce(candidate, listing_id=request_listing.id)
    service.answer(db_session, candidate, introduction.id, Side.CANDIDATE, Answer.ACCEPTED)
    service.answer(db_session, requester, introduction.id, Side.OTHER, Answer.ACCEPTED)
    with pytest.raises(errors.NotLive):
        service.withdraw(db_session, broker, introduction.id)
    assert introduction.state is IntroductionState.ACCEPTED and introduction.exchange_id


def test_the_answer_is_due_before_the_thing(db_session, broker, candidate, make_request, today):
    """Fourteen days to answer, unless the help is needed sooner: then by the day before it."""
    soon = make_request(needed_on=today + dt.timedelta(days=5))
    later = make_request(needed_on=today + dt.timedelta(days=40), title="Painting the fence")
    [to_soon] = service.introduce(db_session, broker, service.NewIntroduction([candidate.id], listing_id=soon.id))
    [to_later] = service.introduce(db_session, broker, service.NewIntroduction([candidate.id], listing_id=later.id))
    assert to_soon.expires_on == today + dt.timedelta(days=4)
    assert to_later.expires_on == today + dt.timedelta(days=DEFAULT_EXPIRY_DAYS)


def test_withdrawn_by_a_broker_only(db_session, broker, candidate, requester, request_listing, introduce):
    [introduction] = introduce(candidate, listing_id=request_listing.id)
    with pytest.raises(errors.NotBrokerOfBank):
        service.withdraw(db_session, requester, introduction.id)
    service.withdraw(db_session, broker, introduction.id)
    assert introduction.state is IntroductionState.WITHDRAWN
    with pytest.raises(errors.NotLive):
        service.withdraw(db_session, broker, introduction.id)
    with pytest.raises(errors.NotLive):
        service.answer(db_session, candidate, introduction.id, Side.CANDIDATE, Answer.ACCEPTED)


def test_stale_ones_expire(db_session, candidate, requester, request_listing, introduce, today):
    [introduction] = introduce(candidate, listing_id=request_listing.id, expires_on=today)
    assert service.expire_stale(db_session, today) == 0
    assert service.expire_stale(db_session, today + dt.timedelta(days=1)) == 1
    assert introduction.state is IntroductionState.EXPIRED
    assert service.expire_stale(db_session, today + dt.timedelta(days=1)) == 0


def test_past_its_day_it_cannot_be_answered_before_the_job_runs(db_session, candidate, request_listing, introduce,
                                                                today):
    [introduction] = introduce(candidate, listing_id=request_listing.id, expires_on=today)
    introduction.expires_on = today - dt.timedelta(days=1)
    with pytest.raises(errors.Expired):
        service.answer(db_session, candidate, introduction.id, Side.CANDIDATE, Answer.ACCEPTED)


def test_the_expiry_job_through_the_command(app, db_session, candidate, request_listing, introduce, today):
    [introduction] = introduce(candidate, listing_id=request_listing.id, expires_on=today)
    db_session.commit()
    later = (today + dt.timedelta(days=2)).isoformat()
    result = app.test_cli_runner().invoke(args=["brokerage", "expire", "--now", "--today", later])
    assert result.exit_code == 0, result.output
    assert "Introductions expired: 1" in result.output
    db_session.refresh(introduction)
    assert introduction.state is IntroductionState.EXPIRED


@pytest.mark.parametrize("who", ["stranger", "outsider"])
def test_only_members_of_the_bank_are_introduced(db_session, make_bank, make_member, make_person, who,
                                                 request_listing, introduce):
    person = make_person("Not Here") if who == "stranger" else make_member(make_bank(), "Other Bank")[0]
    with pytest.raises(errors.CandidateNotMember):
        introduce(person, listing_id=request_listing.id)


def test_those_who_left_opted_out_or_asked_are_refused(db_session, bank, make_member, broker, candidate, requester,
                                                       request_listing, introduce):
    leaver, _ = make_member(bank, "Lew Leaver")
    privacy.leave(db_session, leaver, leaver.id)
    with pytest.raises(errors.CandidateLeft):
        introduce(leaver, listing_id=request_listing.id)
    profiles.update_profile(db_session, candidate, candidate.id,
                            profiles.ProfileUpdate(abilities=("gardening",), open_to_introductions=False))
    with pytest.raises(errors.CandidateOptedOut):
        introduce(candidate, listing_id=request_listing.id)
    with pytest.raises(errors.CandidateIsRequester):
        introduce(requester, listing_id=request_listing.id)


def test_one_live_introduction_per_person_and_thing_and_all_or_none(db_session, bank, make_member, candidate,
                                                                    request_listing, introduce):
    introduce(candidate, listing_id=request_listing.id)
    other, _ = make_member(bank, "Ifan Other")
    with pytest.raises(errors.AlreadyIntroduced):
        introduce(other, candidate, listing_id=request_listing.id)
    assert db_session.scalar(sa.select(sa.func.count(Introduction.id))
                             .where(Introduction.candidate_id == other.id)) == 0


def test_only_the_banks_brokers_introduce(db_session, make_bank, make_broker, requester, candidate, request_listing,
                                          introduce):
    with pytest.raises(errors.NotBrokerOfBank):
        introduce(candidate, listing_id=request_listing.id, actor=requester)
    with pytest.raises(errors.NotBrokerOfBank):
        introduce(candidate, listing_id=request_listing.id, actor=make_broker(make_bank(), "Elsewhere Broker"))


def test_what_is_introduced_to_must_be_open(db_session, requester, candidate, request_listing, make_session,
                                            introduce, today):
    with pytest.raises(errors.OneThing):
        introduce(candidate)
    request_listing.status = ListingStatus.CLOSED
    with pytest.raises(errors.NotOpenRequest):
        introduce(candidate, listing_id=request_listing.id)
    draft = make_session(status=ActivityStatus.DRAFT)
    with pytest.raises(errors.RoleNotOpen):
        introduce(candidate, role_id=draft.role_id)
    request_listing.status = ListingStatus.OPEN
    with pytest.raises(DateOutOfRange) as refused:
        introduce(candidate, listing_id=request_listing.id, expires_on=today - dt.timedelta(days=1))
    assert refused.value.field == "expires_on"


def test_clearance_is_judged_on_the_sessions_date(db_session, bank, broker, make_joined, make_dbs_check,
                                                  make_session, introduce, today):
    """Cleared today, but the check runs out five days before the session: refused when introducing,
    and (had it been made earlier) when accepting."""
    runs_out_on = today + dt.timedelta(days=10)
    person, _ = make_joined(bank, broker, "Cerys Lapsing", email=None)
    issued_on = clearances.add_months(runs_out_on + dt.timedelta(days=1), -bank.dbs_renewal_months)
    make_dbs_check(person, bank, broker, level=DbsLevel.BASIC, issued_on=issued_on)
    later = make_session(starts_in=starting_on(runs_out_on + dt.timedelta(days=5)), clearance=Clearance.HOME_VISITS)
    sooner = make_session(starts_in=starting_on(runs_out_on - dt.timedelta(days=3)),
                          clearance=Clearance.HOME_VISITS)
    with pytest.raises(ClearanceNeeded):
        introduce(person, role_id=later.role_id, session_id=later.id)
    [introduction] = introduce(person, role_id=sooner.role_id, session_id=sooner.id)
    # The session moves past the day the check runs out: accepting is refused.
    sooner.starts_at = later.starts_at
    sooner.ends_at = later.ends_at
    db_session.flush()
    with pytest.raises(ClearanceNeeded):
        service.answer(db_session, person, introduction.id, Side.CANDIDATE, Answer.ACCEPTED)
