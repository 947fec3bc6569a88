"""The demo bank has introductions in every state, contact notes and a conversation waiting for a reply."""

from __future__ import annotations

import sqlalchemy as sa

from timebank.brokerage.models import BrokerNote, Introduction, IntroductionState, Message


def test_the_demo_has_introductions_in_every_state_notes_and_messages(demo_session):
    states = set(demo_session.scalars(sa.select(Introduction.state)))
    assert states == set(IntroductionState)
    # Besides the history's introductions (tests/demo/test_history.py), today's: one led to help, one to a place.
    led_on = demo_session.execute(sa.select(sa.func.count(Introduction.exchange_id),
                                            sa.func.count(Introduction.sign_up_id))).one()
    assert led_on[0] >= 1 and led_on[1] >= 1
    assert demo_session.scalar(sa.select(sa.func.count(BrokerNote.id))) == 2
    waiting = demo_session.scalars(sa.select(Message).where(Message.answered_at.is_(None))).all()
    assert [m.body for m in waiting] == ["Yes please, and could it be from next month? I'm away until then."]
