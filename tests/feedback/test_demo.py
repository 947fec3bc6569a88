"""The demo bank has participants' answers with a realistic spread, a few on paper, comments on some, and
age bands counted in reports for about six residents in ten."""

from __future__ import annotations

import sqlalchemy as sa

from timebank.demo import data
from timebank.feedback.models import Again, Channel, FeedbackAnswer
from timebank.profiles.models import Profile


def test_the_demo_has_answers_mostly_good_some_on_paper_and_consenting_age_bands(demo_session):
    answers = demo_session.scalars(sa.select(FeedbackAnswer)).all()
    assert len(answers) >= 30
    scores = [a.how_it_went for a in answers if a.how_it_went]
    assert sum(1 for s in scores if s >= 4) / len(scores) > 0.7 and any(s <= 3 for s in scores)
    assert {a.again for a in answers} >= {Again.YES, Again.NOT_SURE}
    assert {a.channel for a in answers} == {Channel.PAGE, Channel.EMAIL, Channel.PAPER}
    assert all(a.recorded_by_id is not None for a in answers if a.channel is Channel.PAPER)
    assert 0 < sum(1 for a in answers if a.comment) < len(answers) / 2
    assert {a.session_id is None for a in answers} == {True, False}
    counted = demo_session.scalar(sa.select(sa.func.count()).select_from(Profile)
                                  .where(Profile.in_reports_at.is_not(None), Profile.age_band.is_not(None)))
    residents = len(data.RESIDENTS)
    assert 0.4 * residents <= counted <= 0.8 * residents
