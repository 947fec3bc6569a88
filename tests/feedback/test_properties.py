"""Whatever people say, in any order and through any channel, each person has at most one answer per thing,
and it is the last thing they said that was accepted; what is refused (nothing answered, someone who did not
take part) changes nothing."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import examples
from timebank.feedback import errors, service
from timebank.feedback.models import Again, Channel, FeedbackAnswer
from timebank.feedback.service import Answers

SAYINGS = st.lists(st.tuples(
    st.sampled_from(["came", "stayed_away"]),
    st.none() | st.integers(min_value=1, max_value=5),
    st.none() | st.sampled_from(list(Again)),
    st.sampled_from(["", "  ", "Good", "Too cold"]),
    st.sampled_from(list(Channel)),
), min_size=1, max_size=8)


@settings(max_examples=examples(0.4), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sayings=SAYINGS)
def test_one_answer_per_person_per_thing_the_last_accepted(db_session, held, came, stayed_away, broker, sayings):
    savepoint = db_session.begin_nested()  # each example starts from the same marked session
    try:
        people = {"came": came, "stayed_away": stayed_away}
        thing = service.session_thing(db_session, held.id)
        last: tuple[int | None, Again | None, str] | None = None
        for who, how, again, comment, channel in sayings:
            person = people[who]
            accepted = who == "came" and (how is not None or again is not None or comment.strip() != "")
            try:
                with db_session.begin_nested():
                    service.answer(db_session, thing, person.id, Answers(how, again, comment), channel=channel,
                                   recorded_by_id=broker.id if channel is Channel.PAPER else None)
            except (errors.NothingAnswered, errors.NotAParticipant, errors.ChooseAParticipant):
                assert not accepted
            else:
                assert accepted
                last = (how, again, comment.strip())
            rows = db_session.scalars(sa.select(FeedbackAnswer).where(FeedbackAnswer.session_id == held.id)).all()
            assert [(r.person_id, r.how_it_went, r.again, r.comment) for r in rows] == (
                [] if last is None else [(came.id, *last)])
    finally:
        savepoint.rollback()
