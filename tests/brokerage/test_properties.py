"""Whatever happens to an introduction, in any order (either side answers, as themselves or through a
broker; the broker withdraws; the expiry job runs), its state follows its answers: accepted exactly when
both accepted, and then it names the pending exchange it led to; declined exactly when a side declined;
settled once it left ``proposed``; refused actions change nothing. The books verify after every example
(the fixture's check at the end)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import examples
from timebank.brokerage import service
from timebank.brokerage.models import Answer, IntroductionState
from timebank.brokerage.service import Side
from timebank.errors import DomainError
from timebank.ledger.models import Exchange, ExchangeState

ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(Side.ALL), st.sampled_from(list(Answer)), st.booleans()),
    st.tuples(st.just("withdraw")), st.tuples(st.just("expire")),
), min_size=1, max_size=6)


@settings(max_examples=examples(0.5), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_the_state_follows_the_answers(db_session, broker, candidate, requester, request_listing, today, actions):
    savepoint = db_session.begin_nested()  # each example starts from the same request
    try:
        [introduction] = service.introduce(db_session, broker, service.NewIntroduction(
            [candidate.id], listing_id=request_listing.id))
        for action in actions:
            before = (introduction.state, introduction.candidate_answer, introduction.other_answer)
            try:
                with db_session.begin_nested():
                    if action[0] == "answer":
                        _, side, given_answer, by_broker = action
                        actor = broker if by_broker else (candidate if side == Side.CANDIDATE else requester)
                        service.answer(db_session, actor, introduction.id, side, given_answer)
                    elif action[0] == "withdraw":
                        service.withdraw(db_session, broker, introduction.id)
                    else:
                        service.expire_stale(db_session, today + dt.timedelta(days=30))
            except DomainError:
                db_session.refresh(introduction)
                assert (introduction.state, introduction.candidate_answer, introduction.other_answer) == before
            # Once both sides agreed, what it led to is theirs: a broker can no longer withdraw it.
            assert not (action[0] == "withdraw" and before[0] is IntroductionState.ACCEPTED
                        and introduction.state is IntroductionState.WITHDRAWN)
            answers = {introduction.candidate_answer, introduction.other_answer}
            both_accepted = answers == {Answer.ACCEPTED}
            assert (introduction.exchange_id is not None) == both_accepted
            if introduction.state is IntroductionState.ACCEPTED:
                assert both_accepted
                assert db_session.get(Exchange, introduction.exchange_id).state is ExchangeState.PENDING
            assert (introduction.state is IntroductionState.DECLINED) == (Answer.DECLINED in answers)
            assert (introduction.settled_at is None) == (introduction.state is IntroductionState.PROPOSED)
    finally:
        savepoint.rollback()
